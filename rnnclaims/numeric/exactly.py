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

Rational functions are read by :func:`_fraction` into python-flint polynomials (numerator
and denominator, function applications as generators): the cancellation and the leading
terms then need none of SymPy's polynomial machinery, whose first call costs more than
these claims.

Each takes ``route="sympy"`` for the SymPy call itself (the reference route; the tests
compare the two on the claims' expressions and on drawn ones).

>>> x = sp.Symbol("x")
>>> vanishes(sp.diff(sp.tanh(x), x) - (1 - sp.tanh(x) ** 2)), settled(sp.Rational(3, 6))
(True, 1/2)
>>> limit_at_infinity(x / (x + 1), x), limit_at_infinity(2 ** (-x), x)
(1, 0)
"""
from __future__ import annotations

import flint
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
        if e == 0 or rational_zero(e) or sp.expand(e) == 0:
            return True
        if not e.atoms(sp.Float) and sp.cancel(e) == 0:
            return True
    return sp.simplify(e) == 0


def rational_zero(e) -> bool:
    """True when ``e``, read as a rational function of its symbols and function
    applications (independent generators, each application keyed by itself), is the zero
    function: built bottom-up as numerator/denominator pairs of exact polynomials
    (python-flint ``fmpq_mpoly``, :func:`_fraction`), whose numerator is then 0. That is
    the cancellation ``sp.cancel(e) == 0`` decides, without SymPy's polynomial machinery.
    False says only "not shown": a nonzero numerator, a node other than +, ×, an integer
    power, a rational number, a symbol or a function application (a float, π, a root …),
    or a vanishing denominator.

    >>> x = sp.Symbol("x")
    >>> s = 1 / (1 + sp.exp(-x))
    >>> rational_zero(sp.diff(s, x) - s * (1 - s)), rational_zero(x - 1), rational_zero(sp.sqrt(x) - sp.sqrt(x) + 1)
    (True, False, False)
    """
    got = _fraction(e)
    return got is not None and got[1].is_zero()


def _fraction(e):
    """``(generators, numerator, denominator)`` of ``e`` as a rational function of its
    symbols and function applications (see :func:`rational_zero`; each generator an
    ``fmpq_mpoly`` variable, in ``generators``' order), or None where ``e`` has another
    node, no generator, or a denominator that vanishes on the way.

    >>> x = sp.Symbol("x")
    >>> gens, num, den = _fraction((x + 1) / (2 * x))
    >>> list(gens), num.to_dict(), den.to_dict()
    ([x], {(1,): 1/2, (0,): 1/2}, {(1,): 1})
    """
    atoms: dict = {}
    stack = [e]
    seen = set()
    while stack:  # the generators, and the nodes all of a kind this reading knows
        a = stack.pop()
        if a in seen:
            continue
        seen.add(a)
        if a.is_Rational:
            continue
        if a.is_Symbol or (isinstance(a, sp.Function) and not a.is_number):
            atoms.setdefault(a, len(atoms))
        elif a.is_Add or a.is_Mul:
            stack.extend(a.args)
        elif a.is_Pow and a.exp.is_Integer:
            stack.append(a.base)
        else:
            return None
    if not atoms:
        return None  # a number: SymPy has folded it already
    ctx = flint.fmpq_mpoly_ctx.get([f"g{i}" for i in range(len(atoms))])
    gens = ctx.gens()
    one = ctx.constant(1)
    memo: dict = {}

    def frac(a):
        got = memo.get(a)
        if got is not None:
            return got
        if a.is_Rational:
            num, den = ctx.constant(flint.fmpq(int(a.p), int(a.q))), one
        elif a in atoms:
            num, den = gens[atoms[a]], one
        elif a.is_Add:
            num, den = frac(a.args[0])
            for b in a.args[1:]:
                n2, d2 = frac(b)
                num, den = (num + n2, den) if d2 == den else (num * d2 + n2 * den, den * d2)
        elif a.is_Mul:
            num, den = one, one
            for b in a.args:
                n2, d2 = frac(b)
                num, den = num * n2, den * d2
        else:  # an integer power
            num, den = frac(a.base)
            k = int(a.exp)
            num, den = (num ** k, den ** k) if k >= 0 else (den ** -k, num ** -k)
        if den.is_zero():
            raise ZeroDivisionError  # a vanishing denominator: not this reading's to decide
        memo[a] = (num, den)
        return num, den

    try:
        num, den = frac(e)
    except ZeroDivisionError:
        return None
    return tuple(atoms), num, den


def _leading(p) -> tuple[int, "flint.fmpq"]:
    """Degree and leading coefficient of a nonzero univariate ``fmpq_mpoly``."""
    terms = p.to_dict()
    d = max(k[0] for k in terms)
    return d, terms[(d,)]


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
        got = _fraction(e)
        if got is not None and got[0] == (x,):
            # a rational function of x alone: the leading terms (a common factor of the
            # numerator and denominator changes neither the degree gap nor the ratio)
            _, num, den = got
            if num.is_zero():
                return sp.Integer(0)
            (dn, cn), (dd, cd) = _leading(num), _leading(den)
            if dn < dd:
                return sp.Integer(0)
            lead = cn / cd
            if dn == dd:
                return sp.Rational(int(lead.p), int(lead.q))
            return sp.oo if lead > 0 else -sp.oo
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
