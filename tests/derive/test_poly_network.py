"""Tests of derive/poly_network.py: the closed forms and formulas evaluated in canonical
polynomials give the same canonical polynomials as the SymPy route (the reference), and the
exact check gives the same verdicts and counterexamples through both routes."""
import pytest
import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from derive import exact_jacobian
from derive.canonical import Canonicalizer
from derive.closed_forms import eq10, eq12, eq13, formB_one_step, formB_product, one_step_pairs
from derive.direct import ForwardJacobians
from derive.exact_jacobian import exact_check_jacobian
from derive.formula import parse
from derive.formula_check import check_formula, polynomial_candidate
from derive.layout import explicit, in_layout, matrixsymbol_one_step
from derive.network import RNN
from derive.poly_network import PolyMatrix, PolyNetwork, PolyUnsupported
from rnnclaims.symbolic.layout import (PAPER_DOWN, PAPER_FACTOR, PAPER_UP, TRUE_DOWN, TRUE_UP,
                                       holds_under, holds_under_by_substitution)
from rnncore.errors import ShapeError
from tests.derive._jac_helpers import equivalent, product
from tests.strategies import JACOBIAN_EQUIVALENT, JACOBIAN_NETWORKS, JACOBIAN_WRONG, POLY_ROUTE_FORMULAS

CLOSED = {"A": [eq13, eq10], "B": [formB_product, eq10]}
ONE_STEP = {"A": eq12, "B": formB_one_step}


def _sympy_route(candidate):
    """The same candidate without the polynomial mark: the exact check takes the SymPy route."""
    def plain(net, t, k):
        return candidate(net, t, k)
    return plain


def _marked(candidate):
    def marked(net, t, k):
        return candidate(net, t, k)
    marked.polynomial = True
    return marked


def _same_polys(rnn, candidate, pairs):
    """The candidate on the polynomial network vs its SymPy matrix canonicalised, per pair."""
    canon = Canonicalizer()
    for t, k in pairs:
        fw = ForwardJacobians(rnn, k, canon)
        P = candidate(PolyNetwork(fw.net, canon, forward=fw), t, k)
        S = candidate(fw.net, t, k)
        assert isinstance(P, PolyMatrix) and P.shape == S.shape
        for i in range(S.rows):
            for j in range(S.cols):
                assert (P[i, j] - canon.poly(S[i, j])).is_zero(), (t, k, i, j)


# Verifies: blog eqs. 10, 12, 13 and form B (the closed forms, new route = reference route)
@given(JACOBIAN_NETWORKS)
@example({"n": 3, "m": 2, "T": 3, "activation": "tanh", "form": "B"})
@example({"n": 2, "m": 1, "T": 3, "activation": "relu", "form": "A"})
def test_closed_forms_identical_polynomials(d):
    rnn = RNN(d["n"], d["m"], d["T"], d["activation"], d["form"])
    pairs = [(t, k) for t in range(1, d["T"] + 1) for k in range(t - 1, -1, -1)]
    for candidate in CLOSED[d["form"]]:
        _same_polys(rnn, candidate, pairs)
    _same_polys(rnn, ONE_STEP[d["form"]], one_step_pairs(d["T"]))


@given(JACOBIAN_NETWORKS)
@example({"n": 2, "m": 1, "T": 2, "activation": "sigmoid", "form": "A"})
def test_closed_forms_same_verdict_both_routes(d):
    rnn = RNN(d["n"], d["m"], d["T"], d["activation"], d["form"])
    for candidate in CLOSED[d["form"]]:
        new = exact_check_jacobian(rnn, candidate)
        old = exact_check_jacobian(rnn, _sympy_route(candidate))
        assert new.verdict.value == old.verdict.value == "proved"
        assert new.scope == old.scope  # the same pairs checked


# Verifies: blog eq. 13 (wrong variants refuted through the new route, same counterexample)
@given(JACOBIAN_NETWORKS.filter(lambda d: d["n"] >= 2 and d["T"] >= 2), JACOBIAN_WRONG)
@example({"n": 2, "m": 1, "T": 2, "activation": "generic", "form": "A"}, "transposed")
@example({"n": 2, "m": 1, "T": 3, "activation": "tanh", "form": "B"}, "reversed")
@settings(max_examples=15)
def test_wrong_variants_refuted_through_new_route(d, variant):
    rnn = RNN(d["n"], d["m"], d["T"], d["activation"], d["form"])
    wrong = lambda net, t, k: product(net, t, k, variant)  # noqa: E731
    new = exact_check_jacobian(rnn, _marked(wrong), seed=0)
    old = exact_check_jacobian(rnn, wrong, seed=0)
    assert new.verdict.value == old.verdict.value
    if old.verdict.value == "refuted":
        assert new.counterexample.location == old.counterexample.location
        for side in ("lhs", "rhs"):  # the same value (an arb ball compares by its text)
            assert str(new.counterexample.data[side]) == str(old.counterexample.data[side])


@given(JACOBIAN_NETWORKS, JACOBIAN_EQUIVALENT)
@example({"n": 3, "m": 1, "T": 3, "activation": "relu", "form": "B"}, "transpose-identity")
@settings(max_examples=15)
def test_equivalent_rewrites_accepted_through_new_route(d, variant):
    rnn = RNN(d["n"], d["m"], d["T"], d["activation"], d["form"])
    rewrite = _marked(lambda net, t, k: equivalent(net, t, k, variant))
    assert exact_check_jacobian(rnn, rewrite).verdict.value == "proved"
    pairs = [(t, k) for t in range(1, d["T"] + 1) for k in range(t)]
    _same_polys(rnn, rewrite, pairs)


# Verifies: paper eq. 5 and the blog Notes (formulas: same verdicts on both routes)
@given(POLY_ROUTE_FORMULAS, st.sampled_from(["A", "B"]), st.sampled_from(["numerator", "denominator"]),
       st.sampled_from(["generic", "tanh"]), st.integers(1, 3))
@example("W.T @ D[i-1]", "A", "numerator", "generic", 2)
@example("prod_up(i, k+1, t, W @ D[i-1])", "A", "numerator", "generic", 2)
@example("prod_up(i, k+1, t, D[i-1] @ W.T)", "A", "denominator", "tanh", 3)
@settings(max_examples=30)
def test_formulas_same_result_both_routes(text, form, layout, activation, n):
    f = parse(text)
    new = check_formula(f, form=form, layout=layout, n=n, T=3, activation=activation, seed=0)
    plain = f.candidate(costed=True)  # unmarked: the SymPy route
    assert not getattr(plain, "polynomial", False)
    rnn = RNN(n, 1, 3, activation, form)
    normal = [(t, k) for t, k in f.pairs(3) if all(
        (s - 1 if (form == "B" and name in ("x", "D")) else s) >= k and s <= 3
        for name, s in f.accesses(t, k) if name != "u")]
    if normal:
        a = exact_check_jacobian(rnn, in_layout(polynomial_candidate(f), layout), normal, seed=0)
        b = exact_check_jacobian(rnn, in_layout(plain, layout), normal, seed=0)
        assert a.verdict == b.verdict
        if b.counterexample is not None:
            assert a.counterexample.location == b.counterexample.location
    assert new.verdict.value in ("proved", "refuted", "undecided")


def test_formula_values_identical_polynomials():
    rnn = RNN(2, 1, 3, "sigmoid", "A")
    for text in (TRUE_DOWN, TRUE_UP, PAPER_DOWN, PAPER_UP, "(W @ D[i-1])**2 - W.T @ W"):
        f = parse(text)
        _same_polys(rnn, polynomial_candidate(f), f.pairs(3))


def test_unsupported_members_fall_back():
    rnn = RNN(2, 1, 2)
    net = PolyNetwork(rnn.with_base(0), Canonicalizer())
    with pytest.raises(PolyUnsupported):
        net.state(1)
    assert not hasattr(net, "diag")  # an AttributeError: protocol probes answer "absent"
    with pytest.raises(PolyUnsupported):
        net.W_rec + 1
    with pytest.raises(ShapeError):
        net.W_rec @ PolyMatrix.identity(3)
    # a candidate reading the state runs on SymPy: same refutation as before
    literal = _marked(lambda nt, t, k: nt.W_rec * sp.diag(*nt.dsigma(nt.state(t - 1))))
    r = exact_check_jacobian(RNN(2, 1, 1, "generic", "B"), literal, [(1, 0)])
    assert r.verdict.value == "refuted" and r.counterexample.location.t == 1


def test_bad_candidate_errors_unchanged():
    with pytest.raises(Exception, match="must return an n x n sympy Matrix"):
        exact_check_jacobian(RNN(2, 1, 2), _marked(lambda net, t, k: 0))


def test_products_memoised_each_from_the_last():
    rnn = RNN(2, 1, 4)
    canon = Canonicalizer()
    fw = ForwardJacobians(rnn, 0, canon)
    net = PolyNetwork(fw.net, canon, forward=fw)
    P4 = eq13(net, 4, 0)
    assert eq13(net, 4, 0) is P4  # memoised
    assert eq13(net, 3, 0) is not None and (eq13(net, 0, 0) - net.identity()).is_zero()


# Verifies: blog Notes (the conditions under which the printed factor is right)
def test_holds_under_proved_and_refuted():
    assert holds_under(PAPER_DOWN, "symmetric", n=3, T=3).verdict.value == "proved"
    assert holds_under(TRUE_UP, "diagonal", n=2, T=3).verdict.value == "proved"
    r = holds_under(TRUE_UP, "symmetric", n=2, T=3)  # order matters for symmetric W_rec
    assert r.verdict.value == "refuted" and r.counterexample is not None
    assert holds_under(PAPER_UP, "diagonal", layout="denominator", n=2, T=2).verdict.value == "proved"


@pytest.mark.parametrize("text, condition, layout", [
    (PAPER_DOWN, "symmetric", "numerator"), (TRUE_UP, "diagonal", "numerator"),
    (TRUE_UP, "symmetric", "numerator"), (PAPER_FACTOR, "diagonal", "denominator"),
    (PAPER_UP, "symmetric", "numerator"), (PAPER_FACTOR, "symmetric", "denominator"),
])
def test_holds_under_same_verdict_as_substitution(text, condition, layout):
    new = holds_under(text, condition, layout=layout, n=2, T=3)
    old = holds_under_by_substitution(text, condition, layout=layout, n=2, T=3)
    assert new.verdict == old.verdict


@pytest.mark.parametrize("form", ["A", "B"])
@pytest.mark.parametrize("n", [2, 3])
def test_explicit_matches_as_explicit(form, n):
    e = matrixsymbol_one_step(n, form)
    assert explicit(e) == sp.Matrix(e.as_explicit())


def test_forward_values_match_network():
    for form in "AB":
        rnn = RNN(2, 2, 3, "tanh", form)
        fw = ForwardJacobians(rnn, 1)
        for t in (1, 2, 3):
            assert fw.state_value(t) == list(fw.net.state(t))
        for j in (2, 3):
            assert fw.sigma_argument_value(j) == list(fw.net.sigma_argument(j))


def test_shared_memo_does_not_change_results():
    """The forward Jacobians are shared between checks on one network: a check gives the
    same result after other checks (right and wrong candidates) as on a fresh memo."""
    rnn = RNN(2, 1, 3, "tanh", "B")
    wrong = _marked(lambda net, t, k: product(net, t, k, "transposed"))
    exact_jacobian._shared.cache_clear()
    fresh = [exact_check_jacobian(rnn, c, seed=0) for c in (formB_product, wrong)]
    for _ in range(2):
        again = [exact_check_jacobian(RNN(2, 1, 3, "tanh", "B"), c, seed=0) for c in (wrong, formB_product)]
        assert [r.verdict for r in again] == [fresh[1].verdict, fresh[0].verdict]
        assert again[0].counterexample.location == fresh[1].counterexample.location
        assert str(again[0].counterexample.data["lhs"]) == str(fresh[1].counterexample.data["lhs"])
        assert again[1].evidence == fresh[0].evidence
    constrained = RNN(2, 1, 3, "tanh", "B")
    constrained.W_rec = constrained.W_rec.xreplace({constrained.W_rec[0, 1]: 0})
    assert exact_jacobian.network_key(constrained) != exact_jacobian.network_key(rnn)


# Verifies: blog eqs. 10, 12, 13 and form B (the polynomial-valued direct Jacobians = the
# SymPy-valued ones, on every network the claims check)
@pytest.mark.parametrize("activation", ["generic", "tanh", "sigmoid", "relu"])
@pytest.mark.parametrize("form", ["A", "B"])
@pytest.mark.parametrize("n", [1, 2])
def test_poly_valued_forward_identical_polynomials(n, form, activation):
    from derive.direct import PolyForwardJacobians
    rnn = RNN(n, 1, 3, activation, form)
    canon = Canonicalizer()
    for k in range(3):
        fast, ref = PolyForwardJacobians(rnn, k, canon), ForwardJacobians(rnn, k, canon)
        for t in range(k, 4):
            J, R = fast.jacobian(t), ref.jacobian(t)
            assert all((J[i][j] - R[i][j]).is_zero() for i in range(n) for j in range(n)), (k, t)
            assert all((a - canon.poly(b)).is_zero()
                       for a, b in zip(fast.state_value(t), ref.state_value(t)))
        # the closed forms on the polynomial network of either forward route: the same
        for t in range(k + 1, 4):
            for candidate in CLOSED[form]:
                P = candidate(PolyNetwork(fast.net, canon, forward=fast), t, k)
                Q = candidate(PolyNetwork(ref.net, canon, forward=ref), t, k)
                assert (P - Q).is_zero(), (candidate, t, k)


# Verifies: blog eqs. 10, 13 (an application SymPy evaluates stays an unknown value on the
# polynomial route: no false proof, the SymPy route decides)
def test_poly_values_evaluated_application_falls_back():
    from derive.direct import PolyForwardJacobians
    canon = Canonicalizer()
    zero = RNN(1, 1, 1, "relu").with_base(0)
    fw = PolyForwardJacobians(zero, 0, canon)
    # relu(x) stays an atom, step(x) too: the Jacobian is w · step(x)
    J = fw.jacobian(1)
    assert (J[0][0] - canon.poly(zero.W_rec[0, 0] * zero.dsigma(zero.state_symbols(0))[0])).is_zero()
    wrong = lambda net, t, k: eq13(net, t, k).T  # noqa: E731
    r = exact_check_jacobian(RNN(2, 1, 2, "tanh"), _marked(wrong))
    ref = exact_check_jacobian(RNN(2, 1, 2, "tanh"), _sympy_route(wrong))
    assert r.verdict.value == "refuted"
    assert (r.evidence, r.counterexample.location) == (ref.evidence, ref.counterexample.location)
