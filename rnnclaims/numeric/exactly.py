"""Exact SymPy decisions of the numeric and joint claims, by the cheapest exact step first.

The claims of these families check fixed identities and limits on small SymPy expressions
(γ of tanh and sigmoid, tanh'(artanh(1/√(j+1))), W^t at the origin …). SymPy's ``simplify``
and ``limit`` decide them, but their first call in a process costs more than the claims:
``simplify`` imports ``sympy.physics.units`` (about 0.3 s) and ``limit`` loads its series
machinery (about 0.1 s). Each function here answers what the SymPy call it stands for
answers, by an exact step that settles the case at hand, and calls SymPy otherwise:

- :func:`vanishes` is ``sp.simplify(e) == 0``: 0 as built, as expanded or as a cancelled
  rational function in its symbols and function applications (each then identically 0);
- :func:`settled` is ``sp.simplify(e)`` for a rational number (simplification leaves it);
- :func:`limit_at_infinity` is ``sp.limit(e, x, sp.oo)`` for a rational function of ``x``
  (leading terms) and for ``c**x``, ``c**(-x)`` with an integer c ≥ 2.

Each takes ``route="sympy"`` for the SymPy call itself (the reference route; the tests
compare the two on the claims' expressions and on drawn ones).

>>> x = sp.Symbol("x")
>>> vanishes(sp.diff(sp.tanh(x), x) - (1 - sp.tanh(x) ** 2)), settled(sp.Rational(3, 6))
(True, 1/2)
>>> limit_at_infinity(x / (x + 1), x), limit_at_infinity(2 ** (-x), x)
(1, 0)
"""
from __future__ import annotations

import sympy as sp

ROUTES = ("fast", "sympy")


def _route(route: str) -> bool:
    if route not in ROUTES:
        raise ValueError(f"route is one of {ROUTES}, got {route!r}")
    return route == "fast"


def vanishes(e, route: str = "fast") -> bool:
    """``sp.simplify(e) == 0``: True at once when ``e`` is 0 as built, expanded, or as a
    cancelled rational function of its symbols and function applications (independent
    generators: then ``e`` is 0 for every value of them); otherwise SymPy simplifies.

    >>> x = sp.Symbol("x")
    >>> s = 1 / (1 + sp.exp(-x))
    >>> vanishes(sp.diff(s, x) - s * (1 - s)), vanishes(x - 1)
    (True, False)
    >>> vanishes(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1)  # not shown by cancellation: simplify
    True
    """
    e = sp.sympify(e, strict=True)  # never parse text
    if _route(route):
        if e == 0 or sp.expand(e) == 0:
            return True
        if not e.atoms(sp.Float) and sp.cancel(e) == 0:
            return True
    return sp.simplify(e) == 0


def settled(e, route: str = "fast"):
    """``sp.simplify(e)``: a rational number is returned as it is (its simplification).

    >>> settled(sp.Integer(4) / 16), settled(sp.sqrt(8) - 2 * sp.sqrt(2))
    (1/4, 0)
    """
    e = sp.sympify(e, strict=True)  # never parse text
    if _route(route) and e.is_Rational:
        return e
    return sp.simplify(e)


def limit_at_infinity(e, x: sp.Symbol, route: str = "fast"):
    """``sp.limit(e, x, sp.oo)``: for a rational function of ``x`` alone by its leading
    terms (degree of the numerator against the denominator's), for ``c**x`` / ``c**(-x)``
    with an integer ``c ≥ 2`` ∞ / 0; otherwise SymPy's limit.

    >>> x = sp.Symbol("x", positive=True)
    >>> limit_at_infinity(1 - 1 / (x + 1), x), limit_at_infinity((2 - x**2) / (x + 3), x)
    (1, -oo)
    >>> limit_at_infinity(2 ** x, x), limit_at_infinity(sp.exp(-x), x)
    (oo, 0)
    """
    e = sp.sympify(e, strict=True)  # never parse text
    if _route(route):
        if e.is_Pow and e.base.is_Integer and e.base >= 2 and e.exp in (x, -x):
            return sp.oo if e.exp == x else sp.Integer(0)
        if e.free_symbols <= {x} and not e.atoms(sp.Float) and e.is_rational_function(x):
            num, den = sp.fraction(sp.cancel(e))
            pn, pd = sp.Poly(num, x), sp.Poly(den, x)
            if pn.is_zero or pn.degree() < pd.degree():
                return sp.Integer(0)
            lead = pn.LC() / pd.LC()
            if pn.degree() == pd.degree():
                return lead
            return sp.oo if lead > 0 else -sp.oo
    return sp.limit(e, x, sp.oo)


__all__ = ["ROUTES", "vanishes", "settled", "limit_at_infinity"]
