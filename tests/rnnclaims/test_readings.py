"""Readings: the author's reading is ruled first and declared as the author's; the others are
declared ``authors_reading=False``; and the proofs behind the new readings reject wrong
variants (a missing hypothesis, the wrong order of factors)."""
# Verifies: blog eq. 15, blog exploding gradients, blog eqs. 7/9/11, paper section 2.1
from dataclasses import replace
from fractions import Fraction

import pytest

from derive.induction import depth_induction_proof, unrolling_induction_proof
from derive.lemma_proof import check_proof
from derive.norm_proofs import claim_proofs
from rnnclaims.catalogue import catalogue
from rnnclaims.joint.readings import alternating_example
from rnncore.results import Verdict

CLAIMS = {c.id: c for c in catalogue()}
ORDER = [c.id for c in catalogue()]

#: (the author's reading, a reading the author does not hold) of one sentence of the texts
PAIRS = [
    ("blog.eq15.grouping.whole-matrix", "blog.eq15.grouping"),
    ("blog.eq15.bound.whole-matrix", "blog.eq15.bound"),
    ("blog.eq7", "blog.eq7.total-derivative"),
    ("blog.eq9", "blog.eq9.total-derivative"),
    ("blog.eq11", "blog.eq11.total-derivative"),
    ("blog.exploding", "blog.exploding.free-gamma"),
    ("blog.exploding", "blog.exploding.free-gamma.some-j"),
    ("blog.exploding", "blog.exploding.sufficient"),
    ("paper.linear.exploding.exponential", "paper.linear.exploding"),
    ("blog.eq10.paths", "blog.eq10.paths.skip"),
    ("blog.eq10.linear", "blog.eq10.linear.state"),
    ("blog.eq12.layout", "blog.eq12.layout.formula"),
    ("blog.eq13.real-analogy", "blog.eq13.real-analogy.by-size"),
    ("paper.arxiv.eigenvalue", "paper.arxiv.eigenvalue.signed"),
    ("blog.eq14.step", "blog.eq14.step.strict-gamma"),
]


@pytest.mark.parametrize("author, other", PAIRS, ids=[o for _, o in PAIRS])
def test_the_authors_reading_comes_first_and_the_other_is_marked(author, other):
    assert CLAIMS[author].authors_reading is True
    assert CLAIMS[other].authors_reading is False
    assert CLAIMS[other].reading, other
    assert ORDER.index(author) < ORDER.index(other)


def test_every_reading_the_author_does_not_hold_follows_one_the_author_does():
    for cid, claim in CLAIMS.items():
        if not claim.authors_reading:
            stem = cid.split(".")[0] + "." + cid.split(".")[1]
            earlier = [o for o in ORDER[:ORDER.index(cid)]
                       if o.startswith(stem) and CLAIMS[o].authors_reading]
            assert earlier, cid


def test_the_free_gamma_example_explodes_and_admits_no_gamma():
    factors, product, inputs = alternating_example(60)
    assert min(factors) == Fraction(1, 4) and max(factors) == 1
    assert product == Fraction(9, 4) ** 30
    assert not (Fraction(1, 3) < min(factors))          # σ_max(W) = 3 > 1/γ needs γ > 1/3 > 1/4
    assert len(inputs) == 2


def test_the_free_gamma_for_every_j_reading_is_refuted_with_data():
    r = CLAIMS["blog.exploding.free-gamma"].run()
    assert r.verdict is Verdict.REFUTED and r.counterexample.data["product"] > 10**10


@pytest.mark.parametrize("claim_id", ["blog.exploding.free-gamma.some-j",
                                      "blog.eq15.grouping.whole-matrix",
                                      "blog.eq15.bound.whole-matrix", "blog.formB.bounds",
                                      "blog.eq12.layout"])
def test_the_new_lemma_proofs_check(claim_id):
    assert all(check_proof(p).holds for p in claim_proofs(claim_id))


@pytest.mark.parametrize("claim_id", ["blog.exploding.free-gamma.some-j",
                                      "blog.eq15.grouping.whole-matrix",
                                      "blog.eq15.bound.whole-matrix", "blog.formB.bounds"])
def test_a_lemma_proof_without_one_of_its_assumptions_is_rejected(claim_id):
    proof = claim_proofs(claim_id)[0]
    for drop in range(len(proof.assumptions)):
        crippled = replace(proof, assumptions=proof.assumptions[:drop] + proof.assumptions[drop + 1:])
        r = check_proof(crippled)
        if "k ≤ t" in proof.assumptions[drop].why and r.holds:
            continue  # a range fact some chains do not need
        assert not r.holds, (claim_id, proof.assumptions[drop].why)


def test_the_induction_rejects_the_ascending_product():
    good, bad = unrolling_induction_proof(), unrolling_induction_proof(order="ascending")
    assert good.check().verdict is Verdict.PROVED
    assert bad.check().verdict is Verdict.UNDECIDED
    assert [s.status for s in bad.steps][3:] == ["FAILED", "FAILED"]
    assert depth_induction_proof().check().verdict is Verdict.PROVED
