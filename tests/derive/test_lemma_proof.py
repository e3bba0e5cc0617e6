"""The lemma-proof checker: correct proofs and equivalent rewrites are accepted; wrong
proofs are rejected, each for its own reason, as undecided (never as a refutation)."""
from dataclasses import replace
from fractions import Fraction

import pytest

from derive.lemma_proof import (ALGEBRA, ASSUMPTION, Apply, Assumption, Chain, LemmaProof, Link,
                                Prover, check, check_link, check_proof)
from derive.lemmas import LEMMA, LEMMAS, table
from derive.norm_expr import (CT, Add, Diag, Mat, MatAdd, MatMul, Mul, Norm2, NormF, Num, Pow, Rho, SumOver,
                              SigmaMax, Sym, Tends, Tr, eq, inv, le, lt, sub)
from derive.norm_proofs import PROOFS
from rnncore.results import MethodKind, Verdict

W, Bm = Mat("W"), Mat("B")
D = Diag(Mat("s", "n", "1"))
g, x = Sym("γ"), Sym("x")
WD = Norm2(MatMul(W, D))
PROD = Mul(Norm2(W), Norm2(D))


def one_link(start, rel, to, by, goal_rel=None, assumptions=()):
    goal = {"=": eq, "<": lt, "<=": le}[goal_rel or rel](start, to)
    return LemmaProof("test", goals=(goal,), assumptions=tuple(Assumption(a) for a in assumptions),
                      steps=(Chain(start, (Link(rel, to, by),)),))


def rejected(proof, *words):
    r = check_proof(proof)
    assert r.verdict is Verdict.UNDECIDED
    assert r.method.kind is MethodKind.NONE and r.counterexample is None
    for w in words:
        assert w in r.evidence, r.evidence
    return r


# ---------------------------------------------------------------- accepted
def test_a_correct_link_is_proved_for_every_n():
    r = check_proof(one_link(WD, "<=", PROD, "submultiplicativity"))
    assert r.verdict is Verdict.PROVED and r.method.kind is MethodKind.LEMMAS
    assert r.scope.span("n").lo == 1 and r.scope.span("n").every
    assert "submultiplicativity" in r.method.detail


@pytest.mark.parametrize("to", [
    Mul(Norm2(D), Norm2(W)),              # factors in the other order
    Mul(Norm2(W), Num(1), Norm2(D)),      # a factor 1 written out
    Mul(Norm2(W), Mul(Norm2(D))),         # a nested product
])
def test_equivalent_rewrites_of_the_right_side_are_accepted(to):
    assert check_proof(one_link(WD, "<=", to, "submultiplicativity")).verdict is Verdict.PROVED


def test_an_equality_lemma_may_be_used_right_to_left():
    assert check_proof(one_link(SigmaMax(W), "=", Norm2(W), "spectral_norm_eq_sigma_max")).holds


def test_a_weaker_stated_relation_is_accepted():
    # the identity (1/γ)γ = 1 stated as ≤
    assert check_proof(one_link(Mul(inv(g), g), "<=", Num(1), ALGEBRA)).holds


def test_exact_algebra_decides_index_arithmetic():
    t, k = Sym("t"), Sym("k")
    assert check_proof(one_link(Add(t, Mul(Num(-1), Add(k, Num(1))), Num(1)), "=", sub(t, k), ALGEBRA)).holds


def test_a_factor_shown_nonnegative_allows_the_step():
    p = one_link(Mul(x, WD), "<=", Mul(x, PROD), "submultiplicativity",
                 assumptions=(le(Num(0), x),))
    r = check_proof(p)
    assert r.holds
    assert any("0 ≤ x" in c for c in r.data.steps[0].links[0].conditions)


# ---------------------------------------------------------------- rejected
def test_a_strict_link_from_a_non_strict_lemma():
    rejected(one_link(WD, "<", PROD, "submultiplicativity"),
             "link 1: lemma submultiplicativity yields ≤, the link says <")


def test_a_lemma_in_the_wrong_direction():
    rejected(one_link(PROD, "<=", WD, "submultiplicativity"), "wrong direction")


def test_a_two_norm_lemma_applied_to_the_frobenius_norm():
    bad = one_link(NormF(MatMul(W, D)), "<=", Mul(NormF(W), NormF(D)), "submultiplicativity")
    rejected(bad, "lemma submultiplicativity is about ‖·‖₂, the link has ‖·‖_F")
    good = replace(bad, steps=(Chain(NormF(MatMul(W, D)), (
        Link("<=", Mul(NormF(W), NormF(D)), "submultiplicativity_frobenius"),)),))
    assert check_proof(good).holds


def test_the_frobenius_norm_is_not_sigma_max():
    rejected(one_link(NormF(W), "=", SigmaMax(W), "spectral_norm_eq_sigma_max"), "‖·‖_F")


def test_a_lemma_without_its_hypothesis_square():
    rect = Mat("A", "m", "n")
    rejected(one_link(Rho(rect), "<=", Norm2(rect), "spectral_radius_le_norm"),
             "hypothesis A is square of lemma spectral_radius_le_norm")
    assert check_proof(one_link(Rho(W), "<=", Norm2(W), "spectral_radius_le_norm")).holds


def test_a_lemma_without_its_hypothesis_real():
    Z = Mat("Z", real=False)
    rejected(one_link(Norm2(Tr(Z)), "=", Norm2(Z), ALGEBRA), "not an identity")
    rejected(one_link(Tr(Z), "=", CT(Z), "transpose_eq_conjTranspose_of_real"), "hypothesis Z is real")
    assert check_proof(one_link(Tr(W), "=", CT(W), "transpose_eq_conjTranspose_of_real")).holds


def test_a_hypothesis_missing_from_the_assumptions():
    (proof,) = PROOFS["blog.eq14.step"]
    weaker = replace(proof, assumptions=tuple(a for a in proof.assumptions
                                              if a.statement != lt(SigmaMax(W), inv(g))))
    rejected(weaker, "no assumption or earlier step states σ_max(W) < 1/γ")
    assert check_proof(proof).holds


def test_multiplying_by_a_factor_not_known_to_be_nonnegative():
    rejected(one_link(Mul(x, WD), "<=", Mul(x, PROD), "submultiplicativity"),
             "multiplying by x, which is not known to be nonnegative")
    rejected(one_link(Mul(Num(-1), WD), "<=", Mul(Num(-1), PROD), "submultiplicativity"),
             "multiplying by -1")


def test_a_strict_step_multiplied_by_a_factor_only_known_nonnegative():
    p = LemmaProof("test", goals=(lt(Mul(SigmaMax(W), Norm2(D)), Mul(SigmaMax(W), g)),),
                   assumptions=(Assumption(lt(Norm2(D), g)),),
                   steps=(Chain(Mul(SigmaMax(W), Norm2(D)), (Link("<", Mul(SigmaMax(W), g), ASSUMPTION),)),))
    rejected(p, "assumption (a1) yields ≤, the link says <", "σ_max(W) is not known to be > 0")
    positive = replace(p, assumptions=p.assumptions + (Assumption(lt(Num(0), SigmaMax(W))),))
    assert check_proof(positive).holds


def test_an_inequality_inside_a_non_monotone_position():
    # x ↦ (1/2)^x is decreasing: ≤ in the exponent is not allowed
    half = Num(Fraction(1, 2))
    rejected(one_link(Pow(half, WD), "<=", Pow(half, PROD), "submultiplicativity"),
             "is not monotone: only an equality may be used there")


def test_a_chain_whose_end_is_not_the_claim():
    (proof,) = PROOFS["blog.eq14.step"]
    other_goal = replace(proof, goals=(lt(Norm2(Mat("J", sub=Sym("j"))), Num(Fraction(1, 2))),))
    rejected(other_goal, "is not established")


def test_a_claim_stronger_than_the_chain():
    rejected(one_link(WD, "<=", PROD, "submultiplicativity", goal_rel="<"), "is not established")


def test_an_algebra_link_that_is_not_an_identity():
    rejected(one_link(Mul(g, g), "=", g, ALGEBRA), "not an identity")


def test_an_unknown_lemma():
    rejected(one_link(WD, "<=", PROD, "no_such_lemma"), "no lemma named 'no_such_lemma'")


def test_removing_a_lemma_from_the_table_breaks_the_proof():
    (proof,) = PROOFS["blog.eq14.step"]
    smaller = table(lem for lem in LEMMAS if lem.name != "submultiplicativity")
    assert check_proof(proof).holds
    assert check_proof(proof, smaller).verdict is Verdict.UNDECIDED


def test_an_apply_step_without_its_hypothesis():
    (proof,) = PROOFS["blog.vanishing"]
    # drop the step that proves η < 1: pow_tendsto_zero loses its hypothesis
    no_eta = replace(proof, steps=tuple(s for i, s in enumerate(proof.steps) if i != 1))
    r = rejected(no_eta, "pow_tendsto_zero")
    assert "< 1" in r.evidence


def test_an_apply_step_whose_lemma_concludes_something_else():
    p = LemmaProof("test", goals=(), steps=(Apply("power_decay", Tends(Norm2(W), Sym("k"))),))
    rejected(p, "does not conclude")


def test_a_necessity_proof_with_the_strict_assumption_swapped_in():
    # bounded needs η ≤ 1; with σ_max(W) ≤ 1/γ dropped the chain η ≤ 1 has no support
    (proof,) = PROOFS["blog.exploding.corrected"]
    weaker = replace(proof, assumptions=tuple(a for a in proof.assumptions
                                              if a.statement != le(SigmaMax(W), inv(g))))
    rejected(weaker, "no assumption or earlier step states σ_max(W) ≤ 1/γ")


def test_every_link_verdict_is_computed_by_the_matcher():
    # the same link checks or not depending only on its content
    pr = Prover(LEMMA)
    assert check_link(WD, Link("<=", PROD, "submultiplicativity"), pr).ok
    assert not check_link(WD, Link("<=", Mul(Norm2(W), Norm2(W)), "submultiplicativity"), pr).ok
    assert not check_link(Norm2(MatMul(W, Bm, D)), Link("<=", PROD, "submultiplicativity"), pr).ok


def test_the_proof_prints_each_lemma_with_its_reference():
    c = check(one_link(WD, "<=", PROD, "submultiplicativity"))
    text, tex = c.text(), c.latex()
    assert "submultiplicativity" in text and "Matrix.l2_opNorm_mul" in text and "H&J 5.6.2" in text
    assert r"\le" in tex and r"Matrix.l2\_opNorm\_mul" in tex and "H\\&J" in tex
    bad = check(one_link(WD, "<", PROD, "submultiplicativity"))
    assert "REJECTED" in bad.text() and "(rejected)" in bad.latex()


@pytest.mark.parametrize("start, rel, to, by, why", [
    (Rho(W), "=", Norm2(W), "spectral_radius_le_norm", "yields ≤, the link says ="),
    (WD, "=", Norm2(MatMul(D, W)), ALGEBRA, "not an identity"),
    (Norm2(MatAdd(W, D)), "<=", Norm2(W), "norm_add_le", "into ‖diag(s)‖₂ + ‖W‖₂, not ‖W‖₂"),
    (Norm2(W), "<=", Mul(Norm2(W), Norm2(D)), "submultiplicativity", "does not match"),
    (WD, "<=", Mul(Norm2(W), Norm2(W)), "submultiplicativity", "turns"),
])
def test_false_links_are_rejected(start, rel, to, by, why):
    rejected(one_link(start, rel, to, by), why)


def test_an_assumption_cannot_be_used_inside_a_norm():
    # ‖D‖₂ < γ does not let ‖W D‖₂ become anything: a norm is not monotone in a scalar inside
    sD = Mat("s", "n", "1")
    p = LemmaProof("test", goals=(le(Norm2(MatMul(W, Diag(sD))), Norm2(MatMul(W, Diag(Mat("u", "n", "1"))))),),
                   assumptions=(Assumption(le(NormF(sD), NormF(Mat("u", "n", "1")))),),
                   steps=(Chain(Norm2(MatMul(W, Diag(sD))), (
                       Link("<=", Norm2(MatMul(W, Diag(Mat("u", "n", "1")))), ASSUMPTION),)),))
    rejected(p, "no assumption or earlier step states")


def test_a_strict_sum_of_strict_terms_is_only_non_strict():
    k, t = Sym("k"), Sym("t")
    Jk = Norm2(Mat("J", sub=k))
    p = LemmaProof("test", goals=(),
                   assumptions=(Assumption(lt(Jk, Num(1))),),
                   steps=(Chain(SumOver(Jk, k, Num(1), t), (Link("<", SumOver(Num(1), k, Num(1), t), ASSUMPTION),)),))
    rejected(p, "a sum over an index keeps only ≤")
