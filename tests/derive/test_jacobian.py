"""Tests of derive/jacobian.py: check_jacobian accepts eq. 13 and rejects wrong variants
with counterexamples that re-check by substitution."""
import pytest
import sympy as sp
from hypothesis import example, given

from derive.closed_forms import eq13, formB_product
from derive.jacobian import EXACT_JACOBIAN_BUDGET, check_jacobian, estimated_terms
from derive.network import RNN
from rnncore.errors import InvalidInputError, ShapeError
from rnncore.results import MethodKind
from tests.derive._jac_helpers import equivalent, expected_refuted, product, recheck
from tests.strategies import JACOBIAN_EQUIVALENT, JACOBIAN_NETWORKS, JACOBIAN_WRONG


def _net(d):
    return RNN(d["n"], d["m"], d["T"], d["activation"], d["form"])


# Verifies: blog eq. 13 (form A) and the form-B product, every pair
@given(JACOBIAN_NETWORKS)
@example({"n": 3, "m": 2, "T": 3, "activation": "tanh", "form": "A"})
def test_right_product_proved(d):
    r = check_jacobian(_net(d), eq13 if d["form"] == "A" else formB_product)
    assert r.verdict.value == "proved", r.evidence
    assert r.scope.span("n").hi == d["n"] and r.scope.span("T").hi == d["T"]
    assert r.scope.forms == (d["form"],) and r.scope.activations == (d["activation"],)
    assert r.scope.checked == d["T"] * (d["T"] + 1) // 2 and r.method.kind is MethodKind.EXACT


# Verifies: blog eq. 13 — wrong variants are rejected with a re-checkable counterexample
@given(JACOBIAN_NETWORKS, JACOBIAN_WRONG)
@example({"n": 2, "m": 1, "T": 2, "activation": "relu", "form": "A"}, "dsigma-late")
@example({"n": 2, "m": 1, "T": 3, "activation": "sigmoid", "form": "B"}, "reversed")
@example({"n": 1, "m": 1, "T": 2, "activation": "generic", "form": "A"}, "transposed")
def test_wrong_variants_refuted(d, variant):
    rnn = _net(d)
    cand = lambda net, t, k: product(net, t, k, variant)  # noqa: E731
    r = check_jacobian(rnn, cand)
    if not expected_refuted(variant, d["n"], d["T"]):
        assert r.verdict.value == "proved"
        return
    assert r.verdict.value == "refuted", r.evidence
    cex = r.counterexample
    assert (cex.location.t, cex.location.k) == (cex.data["t"], cex.data["k"])
    assert cex.location.layout == "numerator" and cex.location.entry == cex.data["entry"]
    vals, diff = recheck(rnn, cand, cex)
    assert diff.is_number and abs(diff) > sp.Float("1e-40")
    if d["activation"] in ("generic", "relu"):
        assert vals[0].is_Rational and vals[1].is_Rational and vals[0] != vals[1]
        # lhs: the direct Jacobian's entry, rhs: the candidate's
        assert str(vals[0]) == cex.lhs and str(vals[1]) == cex.rhs


# Verifies: blog eq. 13 — equivalent rewrites are accepted
@given(JACOBIAN_NETWORKS, JACOBIAN_EQUIVALENT)
def test_equivalent_rewrites_proved(d, variant):
    r = check_jacobian(_net(d), lambda net, t, k: equivalent(net, t, k, variant))
    assert r.verdict.value == "proved", r.evidence


def test_first_failing_pair_is_reported():
    rnn = RNN(2, 1, 4)

    def planted(net, t, k):
        right = eq13(net, t, k)
        if (t, k) == (3, 1):
            right = right + sp.Matrix([[0, 0], [0, net.W_rec[0, 0]]])
        return right

    r = check_jacobian(rnn, planted)
    assert r.verdict.value == "refuted"
    loc = r.counterexample.location
    assert (loc.t, loc.k, loc.entry) == (3, 1, (1, 1))
    _, diff = recheck(rnn, planted, r.counterexample)
    assert diff != 0


def test_pairs_restrict_the_check():
    rnn = RNN(2, 1, 3)
    wrong = lambda net, t, k: product(net, t, k, "reversed")  # noqa: E731
    assert check_jacobian(rnn, wrong, pairs=[(1, 0), (3, 2)]).verdict.value == "proved"
    assert check_jacobian(rnn, wrong, pairs=[(3, 0)]).verdict.value == "refuted"


def test_budget_exact_is_undecided_and_auto_dispatches():
    rnn = RNN(8, 1, 12)
    assert estimated_terms(rnn, 12) > EXACT_JACOBIAN_BUDGET
    r = check_jacobian(rnn, eq13, method="exact")
    assert r.verdict.value == "undecided" and "budget" in r.evidence
    assert r.method.kind is MethodKind.NONE
    auto = check_jacobian(rnn, eq13, method="auto", pairs=[(12, 0), (3, 2)])
    assert auto.verdict.value == "proved" and auto.method.kind is MethodKind.RANDOMIZED
    assert auto.method.error_log2 <= -100 and auto.scope.checked == 2


@pytest.mark.parametrize("bad, exc, match", [
    (lambda net, t, k: sp.zeros(net.n + 1, net.n), ShapeError, "3x2"),
    (lambda net, t, k: [[1, 0], [0, 1]], InvalidInputError, "list"),
    (lambda net, t, k: net.W_rec[0, 0], InvalidInputError, "Symbol"),
])
def test_candidate_of_wrong_type_or_shape(bad, exc, match):
    with pytest.raises(exc, match=match):
        check_jacobian(RNN(2, 1, 2), bad)


@pytest.mark.parametrize("kwargs, match", [
    ({"pairs": [(1, 2)]}, "k=2 > t=1"),
    ({"pairs": [(5, 0)]}, "t=5"),
    ({"pairs": []}, "empty"),
    ({"pairs": [3]}, "not a \\(t, k\\) tuple"),
    ({"method": "fast"}, "'fast'"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(InvalidInputError, match=match):
        check_jacobian(RNN(2, 1, 3), eq13, **kwargs)


def test_bad_rnn_and_candidate():
    with pytest.raises(InvalidInputError, match="not a derive.network.RNN"):
        check_jacobian("rnn", eq13)
    with pytest.raises(InvalidInputError, match="not callable"):
        check_jacobian(RNN(1), 3)


# --------------------------------------------------------------------------- the count budget
def test_step_budget_exceeded_is_undecided_naming_it_never_proved():
    from derive.randomized import randomized_check_jacobian
    rnn = RNN(3, 1, 6)
    full = randomized_check_jacobian(rnn, eq13, seed=2)
    assert full.verdict.value == "proved"
    for budget in (1, 5, 20, 40):  # the whole check takes 21 cell steps + 21 pairs = 42
        r = randomized_check_jacobian(rnn, eq13, seed=2, step_budget=budget)
        assert r.verdict.value == "undecided" and r.method.kind is MethodKind.NONE
        assert f"step budget of {budget} evaluation steps" in r.evidence
    assert randomized_check_jacobian(rnn, eq13, seed=2, step_budget=42).verdict.value == "proved"


def test_step_budget_exceeded_before_a_difference_is_undecided_not_refuted():
    from derive.randomized import randomized_check_jacobian

    def wrong_late(net, t, k):  # eq. 13 except at the last pair of base 0
        return eq13(net, t, k).T if (t, k) == (6, 0) else eq13(net, t, k)
    rnn = RNN(3, 1, 6)
    assert randomized_check_jacobian(rnn, wrong_late, seed=2).verdict.value == "refuted"
    r = randomized_check_jacobian(rnn, wrong_late, seed=2, step_budget=8)
    assert r.verdict.value == "undecided" and "step budget" in r.evidence
    assert r.counterexample is None


def test_count_budgets_of_eq11_and_of_expressions_give_undecided():
    from derive.randomized import randomized_check_eq11, randomized_prove_equal
    r = randomized_check_eq11(RNN(2, 1, 4), seed=1, step_budget=6)
    assert r.verdict.value == "undecided" and "step budget of 6" in r.evidence
    x, y = sp.symbols("x y")
    r = randomized_prove_equal((x + y) ** 3, sp.expand((x + y) ** 3), seed=1, step_budget=3)
    assert r.verdict.value == "undecided" and "step budget of 3" in r.evidence
    assert randomized_prove_equal((x + y) ** 3, sp.expand((x + y) ** 3), seed=1).verdict.value == "proved"


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_step_budget_must_be_a_positive_count(bad):
    from derive.randomized import randomized_check_jacobian
    with pytest.raises(InvalidInputError, match="step_budget"):
        randomized_check_jacobian(RNN(2, 1, 2), eq13, step_budget=bad)


def test_a_stopped_test_names_the_pairs_it_did_not_reach_in_its_scope():
    # the scope of an undecided run counts only what was compared; the rest are skipped,
    # named by the budget (a printer shows "checked" from the scope)
    from derive.formula_check import check_formula
    from derive.randomized import randomized_check_jacobian
    rnn = RNN(3, 1, 6)
    r = randomized_check_jacobian(rnn, eq13, seed=2, step_budget=20)
    assert r.verdict.value == "undecided"
    assert r.scope.skipped > 0 and r.scope.checked + r.scope.skipped == 21
    assert r.scope.skipped_what == "pairs past the budget"
    f = check_formula("prod_down(i, t, k+1, W @ D[i-1])", n=12, T=12, seed=1, step_budget=10)
    assert f.verdict.value == "undecided"
    assert f.scope.checked == 0 and f.scope.skipped == 78
    assert "past the budget" in f.scope.skipped_what
    whole = check_formula("prod_down(i, t, k+1, W @ D[i-1])", n=12, T=12, seed=1)
    assert whole.verdict.value == "proved" and whole.scope.checked == 78 and whole.scope.skipped == 0
