"""Tests of derive/prove.py: exact identity decisions with re-checkable counterexamples."""
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from derive.activations import dsigma, sigma, sigmoid, relu
from derive import canonical
from derive.canonical import Poly
from derive.prove import prove_equal, substitute
from rnncore.errors import InvalidInputError, ShapeError
from rnncore.results import MethodKind

a, b, c, w = sp.symbols("a b c w")


def _recheck(expr_a, expr_b, cex):
    """Substitute the counterexample independently of derive.prove and compare."""
    data = cex.data
    va, vb = expr_a.xreplace(data["subs"]), expr_b.xreplace(data["subs"])
    for _ in range(50):
        va, vb = va.xreplace(data["function_values"]), vb.xreplace(data["function_values"])
    return sp.N(va - vb, 50)


def test_proves_expansion_identity():
    assert prove_equal((a + b) ** 2, a**2 + 2 * a * b + b**2).verdict.value == "proved"


def test_function_arguments_are_canonical():
    # σ'(w(a+b)) and σ'(wa + wb) are the same value
    r = prove_equal(dsigma(w * (a + b)) * c, c * dsigma(w * a + b * w))
    assert r.verdict.value == "proved"


def test_refutes_generic_with_realizable_counterexample():
    r = prove_equal(sigma(a) * sigma(b), sigma(b) ** 2)
    assert r.verdict.value == "refuted"
    d = _recheck(sigma(a) * sigma(b), sigma(b) ** 2, r.counterexample)
    assert d != 0 and r.method.kind is MethodKind.EXACT
    # lhs is the first side's value, rhs the second's
    data = r.counterexample.data
    assert substitute(sigma(a) * sigma(b), data) == data["lhs"] == sp.Rational(r.counterexample.lhs)
    assert substitute(sigma(b) ** 2, data) == data["rhs"] == sp.Rational(r.counterexample.rhs)
    # equal arguments get equal values: keys are applications at distinct rationals
    keys = list(r.counterexample.data["function_values"])
    assert len(set(keys)) == len(keys)


def test_nested_generic_counterexample_rechecks():
    lhs, rhs = sigma(w * sigma(a) + b), sigma(w * sigma(b) + a)
    r = prove_equal(lhs, rhs)
    assert r.verdict.value == "refuted"
    assert _recheck(lhs, rhs, r.counterexample) != 0


@pytest.mark.parametrize("f", [sp.tanh, sigmoid])
def test_concrete_refutation_is_certified(f):
    lhs, rhs = f(a) * w, f(w) * a
    r = prove_equal(lhs, rhs)
    assert r.verdict.value == "refuted"
    assert abs(_recheck(lhs, rhs, r.counterexample)) > 1e-30


def test_relu_refutation_exact():
    r = prove_equal(relu(a - b), relu(b - a))
    assert r.verdict.value == "refuted"
    assert _recheck(relu(a - b), relu(b - a), r.counterexample) != 0


def test_tanh_addition_law_not_refuted():
    # true for tanh, not for independent atoms: must not be refuted
    r = prove_equal(sp.tanh(a + b), (sp.tanh(a) + sp.tanh(b)) / (1 + sp.tanh(a) * sp.tanh(b)))
    assert r.verdict.value == "undecided" and r.method.kind is MethodKind.NONE


def test_subs_derivative_normalised():
    hand = sp.Subs(sp.Derivative(sigma(c), c), c, a + b)
    assert prove_equal(hand * w, w * sigma(a + b).diff(a)).verdict.value == "proved"


def test_matrix_transpose_refuted_and_double_transpose_proved():
    W = sp.Matrix(2, 2, sp.symbols("w1:5"))
    x = sp.Matrix(sp.symbols("x1:3"))
    D = sp.diag(*x.applyfunc(dsigma))
    assert prove_equal((W.T).T * D, W * D).verdict.value == "proved"
    r = prove_equal(W.T * D, W * D)
    assert r.verdict.value == "refuted"
    i, j = r.counterexample.data["entry"]
    assert r.counterexample.location.entry == (i, j) and r.scope.checked == 4
    assert _recheck((W.T * D)[i, j], (W * D)[i, j], r.counterexample) != 0
    assert substitute((W.T * D - W * D)[i, j], r.counterexample.data) != 0


def test_bad_input():
    with pytest.raises(ShapeError, match="2x1"):
        prove_equal(sp.eye(2), sp.Matrix([a, b]))
    with pytest.raises(InvalidInputError, match="'fast'"):
        prove_equal(a, a, method="fast")
    with pytest.raises(InvalidInputError, match="str"):
        prove_equal("a", a)


def test_float_undecided():
    assert prove_equal(sp.Float(0.5) * a, a / 2).verdict.value == "undecided"


def test_budget_exact_undecided_and_auto_dispatch(monkeypatch):
    monkeypatch.setattr(canonical, "EXACT_TERM_BUDGET", 50)
    big = sum(sp.symbols("s0:8")) ** 4
    r = prove_equal(big, sp.expand(big), method="exact")
    assert r.verdict.value == "undecided" and "budget" in r.evidence
    assert r.method.kind is MethodKind.NONE
    same = prove_equal(big, sp.expand(big), method="auto")
    assert same.verdict.value == "proved" and same.method.kind is MethodKind.RANDOMIZED
    assert same.method.error_log2 <= -100 and "budget" in same.data["exact_stopped"]
    auto = prove_equal(big, sp.expand(big) + 1, method="auto")
    # beyond the exact budget, the randomized difference becomes a certified rational point
    assert auto.verdict.value == "refuted" and auto.method.kind is MethodKind.EXACT
    assert "randomized" in auto.method.detail
    assert _recheck(big, sp.expand(big) + 1, auto.counterexample) != 0


@given(st.lists(st.integers(-3, 3), min_size=3, max_size=3), st.integers(0, 3))
def test_polynomial_identities(coeffs, e):
    # (c0 a + c1 b + c2 σ(a+b))^e against its SymPy expansion: always proved;
    # adding σ(b+a) - σ(a+b) changes nothing, adding σ(a) - σ(b) is refuted
    p = (coeffs[0] * a + coeffs[1] * b + coeffs[2] * sigma(a + b)) ** e
    assert prove_equal(p, sp.expand(p) + sigma(b + a) - sigma(a + b)).verdict.value == "proved"
    r = prove_equal(p, p + sigma(a) - sigma(b))
    assert r.verdict.value == "refuted"
    assert _recheck(p, p + sigma(a) - sigma(b), r.counterexample) != 0


def test_noncommutative_symbols_are_not_proved():
    A, B = sp.symbols("A B", commutative=False)
    r = prove_equal(A * B, B * A)
    assert r.verdict.value == "undecided" and "commutative" in r.evidence


def test_poly_degree_bound_survives_constant_factors():
    x = Poly.gen(0)
    p = Poly.const(3) * (x * x * x)
    assert p.deg >= 3 and (x * x * x).scale(3).terms == p.terms
