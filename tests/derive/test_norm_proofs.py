"""Every true norm claim among the 18 has a lemma-based proof for every n; the proofs
agree with exact instances (a proof contradicted by an instance fails here)."""
import shutil
import subprocess

import pytest
import sympy as sp

from derive.exact_values import holds_on, rational_matrix
from derive.lemma_proof import Apply, Chain
from derive.lemmas import LEMMA
from derive.norm_expr import Bounded, Rel, Tends
from derive.norm_proofs import (PROOFS, PROVED_CLAIMS, claim_proofs, proof_latex, proof_text,
                                prove_claim)
from rnncore.errors import UnknownClaimError
from rnncore.results import MethodKind, Verdict

#: The 18 claims and lemmas each proof must rest on (at least these).
EXPECTED = {
    "blog.la.sigma-max": {"spectral_norm_eq_sigma_max", "rayleigh_spectral_norm"},
    "blog.la.spectral-norm": {"rayleigh_spectral_norm", "radius_eq_lambda_max_of_psd", "gram_psd"},
    "blog.la.radius-vs-norm": {"spectral_radius_le_norm"},
    "blog.eq14.submult.corrected": {"submultiplicativity"},
    "blog.eq14.step": {"submultiplicativity", "spectral_norm_eq_sigma_max", "sigma_max_nonneg"},
    "blog.eq14.eta": {"submultiplicativity"},
    "blog.eq15.grouping.corrected": {"submultiplicativity"},
    "blog.eq15.bound.corrected": {"norm_sum_le", "submultiplicativity", "norm_prod_le",
                                  "prod_const", "pow_tendsto_zero"},
    "blog.vanishing": {"norm_prod_le", "prod_const", "pow_tendsto_zero", "squeeze_zero"},
    "blog.exploding.corrected": {"norm_prod_le", "pow_le_one", "bounded_of_le"},
    "paper.eq6.corrected": {"submultiplicativity", "transpose_eq_conjTranspose_of_real",
                            "l2_opNorm_conjTranspose"},
    "paper.eq7": {"submultiplicativity", "norm_prod_le"},
    "paper.linear.vanishing": {"power_decay"},
    "paper.linear.exploding.corrected": {"power_decay", "bounded_of_tendsto"},
    "paper.linear.exploding.exponential": {"gelfand_subexponential"},
    "paper.exploding": {"norm_prod_le", "pow_le_one", "bounded_of_le"},
    "paper.arxiv.eigenvalue.corrected": {"squeeze_zero", "power_decay"},
    "blog.note.harmless": {"l2_opNorm_conjTranspose", "transpose_eq_conjTranspose_of_real"},
}


#: Claims added with the readings, proved from the same table (tests/rnnclaims/test_readings.py
#: drops their assumptions one by one).
ADDED = {
    "blog.exploding.free-gamma.some-j": {"submultiplicativity", "norm_prod_le", "pow_le_one",
                                         "bounded_of_le"},
    "blog.eq15.grouping.whole-matrix": {"submultiplicativity"},
    "blog.eq15.bound.whole-matrix": {"norm_sum_le", "submultiplicativity", "norm_prod_le",
                                     "pow_tendsto_zero"},
    "blog.formB.bounds": {"submultiplicativity", "norm_prod_le", "squeeze_zero"},
    "blog.eq12.layout": {"transpose_eq_conjTranspose_of_real", "l2_opNorm_conjTranspose"},
}


def test_the_18_claims_have_proofs():
    assert len(EXPECTED) == 18
    assert set(PROVED_CLAIMS) == set(EXPECTED) | set(ADDED)


@pytest.mark.parametrize("claim_id", sorted(ADDED))
def test_each_added_proof_rests_on_its_lemmas(claim_id):
    r = prove_claim(claim_id)
    assert r.verdict is Verdict.PROVED and r.method.kind is MethodKind.LEMMAS, r.evidence
    assert ADDED[claim_id] <= {name for part in r.data for name in part.lemmas_used}


@pytest.mark.parametrize("claim_id", sorted(EXPECTED))
def test_each_proof_checks_for_every_n(claim_id):
    r = prove_claim(claim_id)
    assert r.verdict is Verdict.PROVED, r.evidence
    assert r.method.kind is MethodKind.LEMMAS
    assert r.scope.span("n").lo == 1 and r.scope.span("n").every
    used = {name for part in r.data for name in part.lemmas_used}
    assert EXPECTED[claim_id] <= used
    assert used <= set(LEMMA)
    # every step of every part was checked, none skipped
    for checked in r.data:
        assert checked.ok and all(s.ok for s in checked.steps)
        assert all(lc.ok for s in checked.steps for lc in s.links)


@pytest.mark.parametrize("claim_id", sorted(EXPECTED))
def test_each_proof_prints_its_lemmas_and_references(claim_id):
    text, tex = proof_text(claim_id), proof_latex(claim_id)
    for part in claim_proofs(claim_id):
        for step in part.steps:
            names = [link.by for link in step.links] if isinstance(step, Chain) else [step.lemma]
            for name in names:
                if name in LEMMA:
                    assert LEMMA[name].cite() in text
                    assert name.replace("_", r"\_") in tex
    assert r"\begin{align*}" in tex or " by " in tex


def test_every_lemma_a_proof_cites_is_cross_checked_or_order_theoretic():
    cited = {link.by for parts in PROOFS.values() for p in parts for s in p.steps
             if isinstance(s, Chain) for link in s.links} | {
        s.lemma for parts in PROOFS.values() for p in parts for s in p.steps if isinstance(s, Apply)}
    logic = {"squeeze_zero", "bounded_of_le", "bounded_of_tendsto"}
    for name in cited & set(LEMMA):
        assert LEMMA[name].instances or name in logic, name


def test_an_id_without_a_proof():
    with pytest.raises(UnknownClaimError, match="no lemma-based proof for 'blog.eq14.submult'"):
        claim_proofs("blog.eq14.submult")


# ---------------------------------------------------------------- proofs against instances
Q = rational_matrix


def _instance_agrees(claim_id, env):
    """Where every assumption holds on the instance, every finite goal holds too."""
    decided = 0
    for part in claim_proofs(claim_id):
        if any(holds_on(a.statement, env) != "holds" for a in part.assumptions):
            continue
        for goal in part.goals:
            if isinstance(goal, (Tends, Bounded)):
                continue
            outcome = holds_on(goal, env)
            assert outcome in ("holds", "n/a"), (claim_id, goal.text(), outcome)
            decided += isinstance(goal, Rel)
    return decided


W0 = Q([["1/3", "1/2"], [0, "-1/4"]])
S1 = Q([["1/2"], ["3/4"]])
GAMMA_ENV = {"W": W0, "s_1": S1, "γ": 1, "j": 1, "k": 1, "J_1": W0 * sp.diag(*S1)}


@pytest.mark.parametrize("claim_id", ["blog.eq14.step", "blog.eq14.eta", "paper.eq6.corrected",
                                      "blog.eq14.submult.corrected", "blog.note.harmless"])
def test_one_step_proofs_agree_with_an_instance(claim_id):
    assert _instance_agrees(claim_id, GAMMA_ENV) >= 1


def test_matrix_claims_agree_with_instances():
    for A in (Q([[1, 2], [3, 4]]), Q([[0, 1], [0, 0]]), Q([[2, 0, 0], [0, 0, 1], [0, 0, 0]])):
        for cid in ("blog.la.sigma-max", "blog.la.spectral-norm", "blog.la.radius-vs-norm"):
            assert _instance_agrees(cid, {"A": A}) >= 1
    env = {"a": Q([[1, -2]]), "B": Q([[0, 1], [0, 0]]), "c": Q([[0], [1]])}
    assert _instance_agrees("blog.eq15.grouping.corrected", env) == 1


def test_the_product_bound_agrees_with_an_instance():
    # t = 3, k = 1: ‖J_3 J_2‖ ≤ η² with J_j = W D_j and η = γ σ_max(W)
    s2, s3 = Q([["1/4"], [1]]), Q([[1], ["1/2"]])
    env = {"W": W0, "γ": 1, "t": 3, "k": 1, "j": 2, "s_2": s2, "s_3": s3,
           "J_2": W0 * sp.diag(*s2), "J_3": W0 * sp.diag(*s3), "a": Q([[1, -2]])}
    assert _instance_agrees("paper.eq7", env) == 1


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no pdflatex on PATH (CI installs texlive)")
def test_the_latex_of_every_proof_compiles(tmp_path):
    body = "\n\n".join(proof_latex(c) for c in PROVED_CLAIMS)
    doc = ("\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amsmath,amssymb}\n"
           "\\begin{document}\n" + body + "\n\\end{document}\n")
    (tmp_path / "proofs.tex").write_text(doc, encoding="utf-8")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "proofs.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "proofs.pdf").stat().st_size > 0


def test_a_claim_with_a_broken_part_is_undecided_and_claims_no_size(monkeypatch):
    (good,) = PROOFS["blog.eq14.submult.corrected"]
    broken = good.__class__(good.claim, good.goals, good.assumptions, steps=(), note="")
    monkeypatch.setitem(PROOFS, "blog.eq14.submult.corrected", (good, broken))
    r = prove_claim("blog.eq14.submult.corrected")
    assert r.verdict is Verdict.UNDECIDED and r.method.kind is MethodKind.NONE
    assert r.scope.span("n") is None
    assert "is not established" in r.evidence
