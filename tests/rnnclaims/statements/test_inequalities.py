"""Inequality statements (rnnclaims.statements.check_inequality): lemma proofs for every n,
certified counterexamples for the wrong variants, strictness respected."""
import pytest

from rnnclaims.statements import check_inequality
from rnncore.errors import FormulaError

D_LE = "norm2(D[j]) <= gamma"

RIGHT = [
    ("norm2(W @ D[j]) <= norm2(W) * norm2(D[j])", ()),
    ("norm2(W) * norm2(D[j]) >= norm2(W @ D[j])", ()),                 # the same, turned round
    ("norm2(W @ D[j]) <= smax(W) * gamma", (D_LE,)),                  # blog eq. 14's step
    ("rho(W) <= smax(W)", ()),
]

WRONG = [
    ("norm2(W @ D[j]) < norm2(W) * norm2(D[j])", (), "strict for non-strict"),
    ("norm2(W) * norm2(D[j]) <= norm2(W @ D[j])", (), "reversed"),
    ("norm2(W @ D[j]) <= rho(W) * gamma", (D_LE,), "eigenvalue for singular value"),
    ("rho(W) >= smax(W)", (), "spectral radius above the norm"),
    ("normF(W) <= norm2(W)", (), "Frobenius below the spectral norm"),
    ("norm2(W @ D[j]) == norm2(W) * norm2(D[j])", (), "equality for inequality"),
]


@pytest.mark.parametrize("text, given", RIGHT)
def test_right_inequalities_are_proved_from_lemmas(text, given):
    # Verifies: blog eq. 14 (its step bound) as a user's statement
    r = check_inequality(text, hypotheses=given)
    assert r.label.value == "proved-from-lemmas", r.evidence
    assert r.proofs and all(p.ok for p in r.proofs)
    assert r.scope.span("n").every


@pytest.mark.parametrize("text, given, why", WRONG)
def test_wrong_inequalities_are_refuted_with_an_instance(text, given, why):
    r = check_inequality(text, hypotheses=given)
    assert r.verdict.value == "refuted", (why, r.evidence)
    cex = r.counterexample
    assert cex is not None and "fails" in cex.note and dict(cex.point)["instance"]


EQ14 = ("norm2(D[j]) <= gamma", "smax(W) < 1/gamma", "gamma > 0")


def test_eq14_step_is_proved_from_lemmas_and_strictness_needs_its_hypotheses():
    # Verifies: blog eq. 14 — ‖W_rec diag(σ')‖₂ < 1 under ‖diag(σ')‖₂ ≤ γ, σ_max(W_rec) < 1/γ
    r = check_inequality("norm2(W @ D[j]) < 1", hypotheses=EQ14)
    assert r.label.value == "proved-from-lemmas"
    assert "submultiplicativity" in r.method.detail
    # with σ_max(W_rec) <= 1/γ only, equality is reached (W = D = I, γ = 1): refuted
    weak = check_inequality("norm2(W @ D[j]) < 1",
                            hypotheses=("norm2(D[j]) <= gamma", "smax(W) <= 1/gamma", "gamma > 0"))
    assert weak.verdict.value == "refuted"
    assert weak.counterexample.note.startswith("the strict inequality fails")


def test_strict_failure_says_what_fails():
    # Verifies: blog eq. 14 — strict < fails at equality (W = D = I)
    r = check_inequality("norm2(W @ D[j]) < norm2(W) * norm2(D[j])")
    assert r.counterexample.note.startswith("the strict inequality fails: ")
    assert " = 1 " in r.counterexample.note and "1 != 1" not in r.evidence
    assert "identity" in dict(r.counterexample.point)["instance"]


def test_concrete_activation_never_refutes_what_it_satisfies():
    # relu' is 0 or 1, so ‖D_j‖₂ <= 1 holds for relu; for a generic σ it fails (D = 2I)
    generic = check_inequality("norm2(D[j]) <= 1", n=2, time_budget=5)
    assert generic.verdict.value == "refuted"
    relu = check_inequality("norm2(D[j]) <= 1", n=2, activation="relu", time_budget=5)
    assert relu.verdict.value != "refuted"


@pytest.mark.parametrize("text, message", [
    ("norm2(W)", "compares nothing"),
    ("norm2(W) <= __import__('os')", "character"),
    ("norm2(W) <= V", "not a scalar"),
    ("norm2(W.__class__) <= 1", "attribute"),
    ("norm2(W) <= 1 / 0", "division by zero"),
])
def test_bad_statements_one_line_error(text, message):
    with pytest.raises(FormulaError) as info:
        check_inequality(text)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_huge_products_are_not_evaluated_and_say_so():
    r = check_inequality("norm2(prod_down(i, 100000, 1, W)) <= 1", time_budget=10)
    assert r.verdict.value == "undecided" and "had no value" in r.evidence
