"""Inequality statements (rnnclaims.statements.check_inequality): lemma proofs for every n,
certified counterexamples for the wrong variants, strictness respected."""
import pytest

from rnnclaims.statements import check_inequality, inequality
from rnncore.errors import FormulaError, InvalidInputError

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
    generic = check_inequality("norm2(D[j]) <= 1", n=2)
    assert generic.verdict.value == "refuted"
    relu = check_inequality("norm2(D[j]) <= 1", n=2, activation="relu")
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
    r = check_inequality("norm2(prod_down(i, 100000, 1, W)) <= 1", chain_budget=200)
    assert r.verdict.value == "undecided" and "had no value" in r.evidence
    assert "explored its budget of 200 candidate chains" in r.evidence


# ------------------------------------------------------------------ deterministic budgets
EQ14_PRODUCT = "norm2(W) * norm2(D[j-1]) < 1"
EQ14_HYPS = ("norm2(D[j-1]) < gamma", "smax(W) < 1/gamma")


class _SlowClock:
    """A stand-in for time.monotonic on a heavily loaded machine: every reading is
    ``step`` seconds after the last."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_eq14_product_bound_is_proved_under_its_hypotheses():
    # Verifies: blog eq. 14 — ‖W‖₂‖diag(σ')‖₂ < 1 from ‖diag(σ')‖₂ < γ and σ_max(W) < 1/γ
    # (γ > 0 follows from 0 ≤ ‖diag(σ')‖₂ < γ)
    r = check_inequality(EQ14_PRODUCT, hypotheses=EQ14_HYPS)
    assert r.label.value == "proved-from-lemmas"
    text = r.proofs[0].text()
    assert "pos_of_gt_nonneg" in text and "spectral_norm_eq_sigma_max" in text
    # without the bound on σ_max(W) it is false (W large), and refuted
    assert check_inequality(EQ14_PRODUCT, hypotheses=EQ14_HYPS[:1]).label.value == "refuted"


def test_a_slow_machine_gets_the_same_verdict(monkeypatch):
    # each clock reading 0.05 s later: the old 10 s per-link budget ran out after 200 chains
    # here, the count budget does not care
    fast = check_inequality(EQ14_PRODUCT, hypotheses=EQ14_HYPS)
    monkeypatch.setattr(inequality.time, "monotonic", _SlowClock(0.05))
    slow = check_inequality(EQ14_PRODUCT, hypotheses=EQ14_HYPS, time_budget=86400)
    assert (slow.label, slow.evidence) == (fast.label, fast.evidence)
    assert slow.proofs[0].text() == fast.proofs[0].text()


def test_the_count_budget_decides_and_is_named(monkeypatch):
    # a frozen clock (an infinitely fast machine): only the count can stop the search
    monkeypatch.setattr(inequality.time, "monotonic", lambda: 0.0)
    r = check_inequality(EQ14_PRODUCT, hypotheses=EQ14_HYPS, chain_budget=5)
    assert r.label.value == "undecided"
    assert "the lemma search explored its budget of 5 candidate chains" in r.evidence
    assert "time guard" not in r.evidence
    again = check_inequality(EQ14_PRODUCT, hypotheses=EQ14_HYPS, chain_budget=5)
    assert again.evidence == r.evidence


def test_search_stopped_by_the_time_guard_says_so(monkeypatch):
    monkeypatch.setattr(inequality.time, "monotonic", _SlowClock(100.0))
    r = check_inequality(EQ14_PRODUCT, hypotheses=EQ14_HYPS, time_budget=50)
    assert r.label.value == "undecided"
    assert "stopped by the 50 s time guard" in r.evidence and "not the count budget" in r.evidence


def test_search_order_is_the_same_in_every_process():
    # set iteration follows string hashes, which differ between processes: the search must
    # not depend on it (run the same check under two hash seeds)
    import json
    import os
    import subprocess
    import sys
    code = ("from rnnclaims.statements import check_inequality as c; import json; "
            f"r = c({EQ14_PRODUCT!r}, hypotheses={EQ14_HYPS!r}, chain_budget=400); "
            "print(json.dumps([r.label.value, r.evidence, [p.text() for p in r.proofs]]))")
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                              text=True, check=True)
        outs.append(json.loads(done.stdout))
    assert outs[0] == outs[1]


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_bad_chain_budget_is_refused(bad):
    with pytest.raises(InvalidInputError, match="chain_budget"):
        check_inequality("norm2(W) <= 1", chain_budget=bad)
