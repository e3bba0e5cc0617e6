"""Exact values of norm expressions on concrete rational matrices (the lemma cross-check).

A scalar value is a :class:`Real`: its exact SymPy expression where one is known
(rationals, square roots, ``CRootOf`` roots of characteristic polynomials) and rational
bounds at any requested width, from exact root isolation (``Poly.intervals``, Sturm
sequences) and exact rational interval arithmetic (integer square roots). Two values are
compared by refining the bounds until they separate; when they never do, equality is
decided exactly (the minimal polynomial of the difference is ``x``), else the comparison
is left undecided. No float enters.

The quantities are computed by different routes so that a lemma relating them is tested,
not assumed: ``‖X‖₂ = sqrt(λ_max(X Xᴴ))``, ``σ_max(X)`` the largest eigenvalue of the
Jordan–Wielandt matrix ``[[0, X], [Xᴴ, 0]]``, ``λ_max(M)`` the largest root of the
characteristic polynomial of a Hermitian M, ``ρ(X)`` the largest modulus over all complex
roots.

>>> A = rational_matrix([[0, 1], [0, 0]])
>>> compare(evaluate(Rho(Var("A")), {"A": A}), evaluate(Norm2(Var("A")), {"A": A}), "<")
'holds'
>>> compare(evaluate(Norm2(Var("A")), {"A": A}), evaluate(SigmaMax(Var("A")), {"A": A}), "=")
'holds'
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import isqrt
from typing import Callable

import sympy as sp

from rnncore.errors import InvalidInputError

from .norm_expr import (CT, Abs, Add, Bounded, Diag, Expr, LambdaMax, Mat, MatAdd, MatMul,
                        MatPow, MatProd, MatSum, MaxAbs, Mul, Norm2, NormF, Num, Pow, Pred,
                        ProdOver, Rel, Rho, SigmaMax, Sqrt, SumOver, Sym, Tends, Tr, Var)

_X = sp.Symbol("x")
#: Bound widths tried in turn before equality is decided exactly.
WIDTHS = tuple(Fraction(1, 2 ** b) for b in (12, 40, 100, 200))

Interval = tuple[Fraction, Fraction]


def rational_matrix(rows) -> sp.Matrix:
    """A SymPy matrix of exact rationals from nested lists of ints, Fractions or strings
    like ``"3/5"`` (parsed as fractions, never evaluated).

    >>> rational_matrix([["1/2", 0], [3, Fraction(1, 3)]])
    Matrix([
    [1/2,   0],
    [  3, 1/3]])
    """
    out = []
    for row in rows:
        r = []
        for v in row:
            f = Fraction(v) if isinstance(v, (int, Fraction, str)) else None
            if f is None:
                raise InvalidInputError(f"matrix entry {v!r} is not an int, Fraction or 'p/q'")
            r.append(sp.Rational(f.numerator, f.denominator))
        out.append(r)
    return sp.Matrix(out)


@dataclass(frozen=True)
class Real:
    """A real number: ``exact`` (SymPy, or None when unknown) and ``bounds(width)``,
    rational bounds at most ``width`` apart (for the leaves; composites may be wider)."""

    exact: object
    bounds: Callable[[Fraction], Interval]

    @staticmethod
    def rational(v) -> "Real":
        """An exact rational.

        >>> Real.rational(Fraction(1, 3)).bounds(Fraction(1, 8))
        (Fraction(1, 3), Fraction(1, 3))
        """
        f = Fraction(v)
        return Real(sp.Rational(f.numerator, f.denominator), lambda w: (f, f))


def _q(r) -> Fraction:
    r = sp.Rational(r)
    return Fraction(int(r.p), int(r.q))


def _iv_mul(a: Interval, b: Interval) -> Interval:
    ps = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]]
    return (min(ps), max(ps))


def _iv_sqrt(a: Interval, width: Fraction) -> Interval:
    lo, hi = max(a[0], Fraction(0)), a[1]
    if hi < 0:
        raise InvalidInputError(f"square root of a negative interval {a}")
    s = 1 << (max(width.denominator.bit_length(), 8) + 2)
    low = Fraction(isqrt((lo * s * s).__floor__()), s)
    high = Fraction(isqrt((hi * s * s).__ceil__()) + 1, s)
    return (low, high)


def _add(a: Real, b: Real) -> Real:
    ex = None if a.exact is None or b.exact is None else a.exact + b.exact
    return Real(ex, lambda w: tuple(x + y for x, y in zip(a.bounds(w), b.bounds(w))))


def _mul(a: Real, b: Real) -> Real:
    ex = None if a.exact is None or b.exact is None else a.exact * b.exact
    return Real(ex, lambda w: _iv_mul(a.bounds(w), b.bounds(w)))


def _pow(a: Real, k: int) -> Real:
    ex = None if a.exact is None else a.exact ** k

    def bounds(w):
        iv = a.bounds(w)
        if k < 0:
            if iv[0] <= 0 <= iv[1]:
                raise InvalidInputError("a negative power of a value that may be 0")
            iv = (1 / iv[1], 1 / iv[0]) if iv[0] > 0 else (1 / iv[1], 1 / iv[0])
        out: Interval = (Fraction(1), Fraction(1))
        for _ in range(abs(k)):
            out = _iv_mul(out, iv)
        if k % 2 == 0 and k and iv[0] <= 0 <= iv[1]:
            out = (Fraction(0), out[1])
        return out

    return Real(ex, bounds)


def _sqrt(a: Real) -> Real:
    ex = None if a.exact is None else sp.sqrt(a.exact)
    return Real(ex, lambda w: _iv_sqrt(a.bounds(w), w))


def _abs(a: Real) -> Real:
    ex = None if a.exact is None else sp.Abs(a.exact)

    def bounds(w):
        lo, hi = a.bounds(w)
        if lo >= 0:
            return (lo, hi)
        if hi <= 0:
            return (-hi, -lo)
        return (Fraction(0), max(-lo, hi))

    return Real(ex, bounds)


def _poly(M: sp.Matrix) -> sp.Poly:
    return sp.Poly(M.charpoly(_X).as_expr(), _X)


def largest_real_root(M: sp.Matrix) -> Real:
    """The largest eigenvalue of a Hermitian rational matrix, exactly.

    >>> r = largest_real_root(rational_matrix([[2, 1], [1, 2]]))
    >>> r.exact, r.bounds(Fraction(1, 100))
    (3, (Fraction(3, 1), Fraction(3, 1)))
    """
    if M != M.H:
        raise InvalidInputError(f"λ_max needs a Hermitian matrix, got {M.tolist()}")
    p = _poly(M)
    exact = p.real_roots()[-1]

    def bounds(w):
        (lo, hi), _ = p.intervals(eps=sp.Rational(w.numerator, w.denominator))[-1]
        return (_q(lo), _q(hi))

    return Real(exact, bounds)


def spectral_radius(M: sp.Matrix) -> Real:
    """ρ(M) = max |λ| over the complex eigenvalues of a square rational M. The exact value
    is kept when the largest modulus belongs to a rational root, a real root, or a pair of
    complex roots of an irreducible quadratic factor a x² + b x + c (then |λ|² = c/a), and
    every other root's modulus is separated from it; otherwise only bounds.

    >>> spectral_radius(rational_matrix([[0, -2], [1, 0]])).exact
    sqrt(2)
    """
    factors = [sp.Poly(fac, _X) for fac, _ in sp.factor_list(M.charpoly(_X).as_expr(), _X)[1]]
    factors = [fac for fac in factors if fac.degree() > 0]
    if not factors:
        return Real.rational(0)

    def moduli(w):
        """(factor index, real root index or None, |λ|² low, |λ|² high) for every root."""
        eps = sp.Rational(w.numerator, w.denominator)
        out = []
        for fi, fac in enumerate(factors):
            real, cplx = fac.intervals(all=True, eps=eps)
            for ri, ((lo, hi), _) in enumerate(real):
                lo, hi = _q(lo), _q(hi)
                m_hi = max(abs(lo), abs(hi))
                m_lo = Fraction(0) if lo <= 0 <= hi else min(abs(lo), abs(hi))
                out.append((fi, ri, m_lo * m_lo, m_hi * m_hi))
            for (a, b), _ in cplx:
                x0, y0, x1, y1 = _q(sp.re(a)), _q(sp.im(a)), _q(sp.re(b)), _q(sp.im(b))
                near_x = Fraction(0) if x0 <= 0 <= x1 else min(abs(x0), abs(x1))
                near_y = Fraction(0) if y0 <= 0 <= y1 else min(abs(y0), abs(y1))
                out.append((fi, None, near_x ** 2 + near_y ** 2,
                            max(abs(x0), abs(x1)) ** 2 + max(abs(y0), abs(y1)) ** 2))
        return out

    def bounds(w):
        ms = moduli(w)
        lo2, hi2 = max(m[2] for m in ms), max(m[3] for m in ms)
        return (_iv_sqrt((lo2, lo2), w)[0], _iv_sqrt((hi2, hi2), w)[1])

    exact = None
    ms = moduli(Fraction(1, 2 ** 60))
    top = max(ms, key=lambda m: m[3])
    fac = factors[top[0]]
    partners = [m for m in ms if m is not top and not (top[1] is None and m[0] == top[0] and m[1] is None)]
    if all(m[3] < top[2] for m in partners):
        if top[1] is not None:
            exact = sp.Abs(fac.real_roots(multiple=False)[top[1]][0])
        elif fac.degree() == 2:
            a2, _, c0 = fac.all_coeffs()
            exact = sp.sqrt(sp.Abs(c0 / a2))
    return Real(exact, bounds)


def _frobenius(M: sp.Matrix) -> Real:
    s = sum((abs(v) ** 2 for v in M), sp.Integer(0))
    return _sqrt(Real.rational(_q(s)))


def _max_abs(M: sp.Matrix) -> Real:
    return Real.rational(max(abs(_q(v)) for v in M))


def _as_int(v: Real, what: str) -> int:
    if v.exact is None or not sp.Integer(v.exact) == v.exact:
        raise InvalidInputError(f"{what} must be an integer on an instance, got {v.exact}")
    return int(v.exact)


def evaluate(e: Expr, env: dict):
    """The value of ``e`` with pattern variables and symbols taken from ``env`` (matrices
    as SymPy matrices of rationals, scalars as Fractions or ints): a SymPy matrix for a
    matrix expression, a :class:`Real` for a scalar.

    >>> evaluate(Mul(Num(2), Sym("c")), {"c": Fraction(1, 3)}).exact
    2/3
    >>> evaluate(Norm2(MatPow(Var("A"), Sym("k"))), {"A": rational_matrix([[1, 1], [0, 1]]), "k": 3}).bounds(Fraction(1, 10**6))[0] > 3
    True
    """
    if isinstance(e, (Var, Sym)):
        if e.name not in env:
            raise InvalidInputError(f"instance gives no value for {e.name!r}")
        v = env[e.name]
        if isinstance(v, Expr):  # a variable standing for an expression, e.g. J_j
            return evaluate(v, env)
        return v if isinstance(v, sp.MatrixBase) else Real.rational(v)
    if isinstance(e, Mat):
        key = e.name if e.sub is None else f"{e.name}_{_as_int(evaluate(e.sub, env), 'index')}"
        if key not in env:
            raise InvalidInputError(f"instance gives no value for matrix {key!r}")
        return env[key]
    if isinstance(e, Num):
        return Real.rational(e.value)
    if isinstance(e, Add):
        out = evaluate(e.terms[0], env)
        for a in e.terms[1:]:
            out = _add(out, evaluate(a, env))
        return out
    if isinstance(e, Mul):
        out = evaluate(e.factors[0], env)
        for a in e.factors[1:]:
            out = _mul(out, evaluate(a, env))
        return out
    if isinstance(e, Pow):
        return _pow(evaluate(e.base, env), _as_int(evaluate(e.exp, env), "an exponent"))
    if isinstance(e, Sqrt):
        return _sqrt(evaluate(e.arg, env))
    if isinstance(e, Abs):
        return _abs(evaluate(e.arg, env))
    if isinstance(e, (SumOver, ProdOver, MatSum, MatProd)):
        lo = _as_int(evaluate(e.lo, env), "a range bound")
        hi = _as_int(evaluate(e.hi, env), "a range bound")
        names = {e.idx.name}
        bound = env.get(e.idx.name)
        if isinstance(bound, Sym):  # a pattern index standing for the symbol j
            names.add(bound.name)
        values = [evaluate(e.body, {**env, **{nm: i for nm in names}}) for i in range(lo, hi + 1)]
        if isinstance(e, MatProd):
            values = values[::-1]
        if isinstance(e, (MatSum, MatProd)):
            if not values:
                raise InvalidInputError("an empty matrix sum or product on an instance")
            out = values[0]
            for v in values[1:]:
                out = out + v if isinstance(e, MatSum) else out * v
            return out
        out = Real.rational(0 if isinstance(e, SumOver) else 1)
        for v in values:
            out = _add(out, v) if isinstance(e, SumOver) else _mul(out, v)
        return out
    if isinstance(e, (Norm2, NormF, SigmaMax, Rho, LambdaMax, MaxAbs)):
        X = evaluate(e.arg, env)
        if isinstance(e, Norm2):
            return _sqrt(largest_real_root(X * X.H))
        if isinstance(e, NormF):
            return _frobenius(X)
        if isinstance(e, SigmaMax):
            r, c = X.shape
            jw = sp.zeros(r + c, r + c)
            jw[:r, r:] = X
            jw[r:, :r] = X.H
            return largest_real_root(jw)
        if isinstance(e, Rho):
            return spectral_radius(X)
        if isinstance(e, LambdaMax):
            return largest_real_root(X)
        return _max_abs(X)
    if isinstance(e, MatMul):
        out = evaluate(e.factors[0], env)
        for f in e.factors[1:]:
            out = out * evaluate(f, env)
        return out
    if isinstance(e, MatAdd):
        out = evaluate(e.terms[0], env)
        for f in e.terms[1:]:
            out = out + evaluate(f, env)
        return out
    if isinstance(e, Tr):
        return evaluate(e.arg, env).T
    if isinstance(e, CT):
        return evaluate(e.arg, env).H
    if isinstance(e, Diag):
        return sp.diag(*evaluate(e.arg, env))
    if isinstance(e, MatPow):
        return evaluate(e.base, env) ** _as_int(evaluate(e.exp, env), "a matrix power")
    raise InvalidInputError(f"cannot evaluate {type(e).__name__} on an instance")


def compare(a: Real, b: Real, op: str) -> str:
    """``'holds'``, ``'fails'`` or ``'undecided'`` for ``a op b``: bounds refined until
    they separate, equality decided exactly.

    >>> compare(Real.rational(1), _sqrt(Real.rational(2)), "<")
    'holds'
    >>> compare(_mul(_sqrt(Real.rational(2)), _sqrt(Real.rational(2))), Real.rational(2), "<=")
    'holds'
    """
    if a.exact is not None and b.exact is not None and a.exact.is_Rational and b.exact.is_Rational:
        x, y = _q(a.exact), _q(b.exact)
        return _verdict(x < y, x == y, op)
    for w in WIDTHS:
        (alo, ahi), (blo, bhi) = a.bounds(w), b.bounds(w)
        if ahi < blo:
            return _verdict(True, False, op)
        if alo > bhi:
            return _verdict(False, False, op)
    if a.exact is None or b.exact is None:
        return "undecided"
    try:
        zero = sp.minimal_polynomial(a.exact - b.exact, _X) == _X
    except (NotImplementedError, sp.polys.polyerrors.NotAlgebraic):
        return "undecided"
    return _verdict(False, True, op) if zero else "undecided"


def _verdict(less: bool, equal: bool, op: str) -> str:
    ok = {"=": equal, "<": less, "<=": less or equal}[op]
    return "holds" if ok else "fails"


def _psd(M: sp.Matrix) -> bool:
    if M != M.H:
        return False
    p = _poly(M)
    zero_roots = 0
    while p.degree() > 0 and p.eval(0) == 0:
        p = sp.Poly(sp.quo(p.as_expr(), _X), _X)
        zero_roots += 1
    return p.degree() == 0 or p.count_roots(-sp.oo, 0) == 0


def holds_on(stmt: Expr, env: dict) -> str:
    """``'holds'``, ``'fails'``, ``'undecided'`` or ``'n/a'`` (a statement about the
    symbolic form, such as ``indep`` or a limit, which an instance cannot test) for a
    statement on an instance.

    >>> holds_on(Pred("psd", MatMul(Tr(Var("A")), Var("A"))), {"A": rational_matrix([[1, 2], [3, 4]])})
    'holds'
    """
    if isinstance(stmt, Rel):
        a, b = evaluate(stmt.lhs, env), evaluate(stmt.rhs, env)
        if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
            if stmt.op != "=":
                raise InvalidInputError(f"matrices are only compared by '=': {stmt.text()}")
            return "holds" if a == b else "fails"
        return compare(a, b, stmt.op)
    if isinstance(stmt, Pred):
        if stmt.name in ("indep", "to_infinity"):
            return "n/a"
        X = evaluate(stmt.args[0], env)
        test = {"square": lambda: X.shape[0] == X.shape[1], "real": lambda: all(v.is_real for v in X),
                "column": lambda: X.shape[1] == 1, "psd": lambda: _psd(X)}.get(stmt.name)
        if test is None:
            raise InvalidInputError(f"unknown predicate {stmt.name!r}")
        return "holds" if test() else "fails"
    if isinstance(stmt, (Tends, Bounded)):
        return "n/a"
    raise InvalidInputError(f"{stmt.text()} is not a statement")


__all__ = ["Real", "rational_matrix", "evaluate", "compare", "holds_on", "largest_real_root",
           "spectral_radius", "WIDTHS"]
