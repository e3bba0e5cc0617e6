"""The exact shortcuts of the numeric and joint claims (rnnclaims/numeric/exactly.py) answer
what SymPy's simplify and limit answer, and every claim that uses them gives the same result
on the reference route (SymPy's calls everywhere)."""
import sympy as sp
from hypothesis import example, given, settings

import rnnclaims.joint.readings as readings
import rnnclaims.numeric.exactly as exactly
import rnnclaims.numeric.precursor as precursor
from rnnclaims.catalogue import catalogue
from rnnclaims.numeric.exactly import limit_at_infinity, settled, vanishes
from rnncore.registry import Options
from rnnproof.printers.json import result_dict
from rnnproof.report import family
from tests.strategies import polynomial_expressions, rational_functions

x = sp.Symbol("x", positive=True)
USERS = ("rnnclaims.numeric.precursor", "rnnclaims.numeric.bounds",
         "rnnclaims.numeric.conditions", "rnnclaims.joint.readings")


@settings(max_examples=40, deadline=None)
@given(polynomial_expressions())
def test_vanishes_answers_what_simplify_answers(e):
    assert vanishes(e) == vanishes(e, route="sympy")


@settings(max_examples=60, deadline=None)
@given(rational_functions())
@example(((2 - x**2) / (x + 3), x))
@example((1 - 1 / (x + 1), x))
@example((x * 0 / (x + 1), x))
def test_the_limit_of_a_rational_function_is_sympys(fx):
    f, var = fx
    assert limit_at_infinity(f, var) == sp.limit(f, var, sp.oo)


def test_powers_and_rationals():
    t = sp.Symbol("t", integer=True, positive=True)
    for e in (2 ** t, 2 ** (-t), 3 ** t, sp.exp(t), sp.Rational(1, 2) ** t):
        assert limit_at_infinity(e, t) == sp.limit(e, t, sp.oo)
    for q in (sp.Rational(3, 6), sp.Integer(-2), sp.Integer(0)):
        assert settled(q) == settled(q, route="sympy") == q


def test_origin_products_are_the_simplified_powers():
    for W in (sp.eye(2) / 2, 2 * sp.eye(2), sp.Matrix([[0, 2], [0, 0]]), sp.eye(2), -2 * sp.eye(2),
              sp.eye(2) / 3, sp.diag(sp.Rational(-1, 2), 5), sp.Matrix([[1, 1], [0, 1]])):
        assert precursor.origin_product(W) == precursor.origin_product(W, route="sympy")


def test_the_alternating_example_is_the_reference_one():
    assert readings.alternating_example(60) == readings.alternating_example(60, route="sympy")


def test_every_claim_that_uses_them_is_the_same_on_the_reference_route(monkeypatch):
    options = Options.quick_sizes()
    claims = [c for c in catalogue() if family(c) in USERS]
    fast = [result_dict(c.run(options)) for c in claims]
    monkeypatch.setattr(exactly, "_route", lambda route: False)
    monkeypatch.setattr(precursor, "_settled_power", lambda e: None)
    period = readings._period
    monkeypatch.setattr(readings, "_period", lambda a, W, route: period(a, W, "sympy"))
    ref = [result_dict(c.run(options)) for c in claims]
    assert fast == ref


@settings(max_examples=60, deadline=None)
@given(rational_functions())
@example((1 / (1 + sp.exp(-x)) ** 2 * sp.exp(-x) - (1 - 1 / (1 + sp.exp(-x))) / (1 + sp.exp(-x)), x))
@example((sp.tanh(x) ** 2 - sp.tanh(x) * sp.tanh(x), x))
@example((x / (x - x + 1) - x, x))
def test_a_rational_zero_is_a_zero_for_simplify_and_cancel(fx):
    f, _ = fx
    g = f - f.subs(x, x) + (f - f) * sp.tanh(x)  # the same function, with an application
    for e in (f, g, f - f, sp.cancel(f) - f):
        if exactly.rational_zero(e):
            assert sp.cancel(e) == 0 and sp.simplify(e) == 0
        assert vanishes(e) == vanishes(e, route="sympy")
