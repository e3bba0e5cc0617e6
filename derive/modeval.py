"""Evaluation of SymPy expressions on the ring ``GF(p_1) × … × GF(p_R)``.

Whitelisted nodes only (numbers, symbols, sums, products, integer powers, function
applications, removable ``Derivative``/``Subs``); each function application gets
independent uniform values per distinct argument value (a keyed table, so equal
arguments get equal values). Alongside every value a :class:`RationalBound` tracks the
degree and coefficient size of the rational function it came from (the error bound of
:mod:`derive.certificate` needs them).

>>> from derive.activations import sigma
>>> from rnnmodel.ring import Field
>>> x, y = sp.symbols("x y")
>>> ev = ModEvaluator(Field((101, 103)), np.random.default_rng(0))
>>> ev.value(x * y)[1]
RationalBound(dn=2, dd=0, hn=0.0, hd=0.0)
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from rnnmodel.ring import Field

from .bounds import Bound
from .functiontable import FunctionTable


class OverBudget(Exception):
    """The budget ran out during an evaluation: ``counted`` the count of distinct
    subexpressions (deterministic), else the wall-clock hang guard."""

    def __init__(self, counted: bool = False) -> None:
        super().__init__("step budget" if counted else "hang guard")
        self.counted = counted


class NotWhitelisted(Exception):
    """A SymPy node outside the whitelist."""


class PrimeDividesConstant(Exception):
    """A random prime divides the denominator of a constant: draw other primes."""

@dataclass(frozen=True)
class RationalBound:
    """Bound of a rational function P/Q: degrees and log2 L1 heights of P and Q."""

    dn: int
    dd: int
    hn: float
    hd: float

    def add(self, o: "RationalBound") -> "RationalBound":
        return RationalBound(max(self.dn + o.dd, o.dn + self.dd), self.dd + o.dd,
                   _log2add(self.hn + o.hd, o.hn + self.hd), self.hd + o.hd)

    def mul(self, o: "RationalBound") -> "RationalBound":
        return RationalBound(self.dn + o.dn, self.dd + o.dd, self.hn + o.hn, self.hd + o.hd)

    def pow(self, e: int) -> "RationalBound":
        b = self if e >= 0 else RationalBound(self.dd, self.dn, self.hd, self.hn)
        e = abs(e)
        return RationalBound(b.dn * e, b.dd * e, b.hn * e, b.hd * e)


def _log2add(a: float, b: float) -> float:
    hi, lo = max(a, b), min(a, b)
    return hi + math.log2(1.0 + 2.0 ** (lo - hi))


ATOM = RationalBound(1, 0, 0.0, 0.0)


def _is_generic(f) -> bool:
    if not isinstance(f, type) or not issubclass(f, sp.Function):
        return False
    if isinstance(f, sp.core.function.UndefinedFunction):
        return True
    return getattr(f.eval, "__func__", None) is sp.Function.eval.__func__


class ModEvaluator:
    """Evaluates SymPy expressions on the ring with a whitelist of node types: numbers,
    symbols, ``Add``, ``Mul``, integer ``Pow``, function applications (generic ones and,
    as free atoms, interpreted ones such as tanh — recorded in ``interpreted``),
    ``Derivative``/``Subs`` that ``doit`` removes. Symbols get uniform values unless given
    in ``symbols``; function tables may be given in ``tables`` (keyed by the function
    class). Anything else raises. ``budget``: at most that many distinct subexpressions
    are evaluated (then :class:`OverBudget` with ``counted``); ``deadline`` (a monotonic
    time) is a hang guard only.

    >>> from derive.activations import sigma
    >>> x, y = sp.symbols("x y")
    >>> ev = ModEvaluator(Field((101, 103)), np.random.default_rng(0))
    >>> v1, _ = ev.value(sigma(2 * (x + y))); v2, _ = ev.value(sigma(2 * x + 2 * y))
    >>> bool((v1 == v2).all())
    True
    >>> ModEvaluator(Field((101,)), np.random.default_rng(0), budget=2).value(sigma(x + y))
    Traceback (most recent call last):
    ...
    derive.modeval.OverBudget: step budget
    """

    def __init__(self, field: Field, rng: np.random.Generator | None, symbols: dict | None = None,
                 tables: dict | None = None, deadline: float = math.inf, salt: bytes = b"",
                 budget: int | None = None) -> None:
        self.F = field
        self.salt = salt
        self.rng = rng
        self.symbols = dict(symbols or {})
        self.tables = dict(tables or {})
        self.deadline = deadline  # a hang guard (monotonic seconds)
        self.budget = budget  # at most this many distinct subexpressions (None: no count limit)
        self.interpreted: set[str] = set()
        self._memo: dict = {}
        self._count = 0

    def value(self, e):
        """``(values (R,), bound)`` of ``e``."""
        m = self._memo.get(e)
        if m is None:
            self._count += 1
            if self.budget is not None and self._count > self.budget:
                raise OverBudget(counted=True)
            if self._count % 4096 == 0 and time.monotonic() > self.deadline:
                raise OverBudget()
            m = self._memo[e] = self._eval(e)
        return m

    def _const(self, q: Fraction):
        num, den = abs(q.numerator), q.denominator
        for p in self.F.primes:
            if den % p == 0:
                raise PrimeDividesConstant(p)
        return self.F.scalar(q), RationalBound(0, 0, math.log2(num) if num > 1 else 0.0,
                                     math.log2(den) if den > 1 else 0.0)

    def _eval(self, e):
        F = self.F
        if isinstance(e, (int, Fraction)) and not isinstance(e, bool):
            return self._const(Fraction(e))
        if not isinstance(e, sp.Basic):
            raise NotWhitelisted(f"a {type(e).__name__} ({e!r}) is not a SymPy expression")
        if e.is_Rational:
            return self._const(Fraction(int(e.p), int(e.q)))
        if e.is_Float:
            raise NotWhitelisted(f"the float {e} is not exact; use sympy.Rational")
        if e.is_Symbol:
            v = self.symbols.get(e)
            if v is None:
                if self.rng is None:
                    raise NotWhitelisted(f"no value for the symbol {e} at this point")
                v = self.symbols[e] = F.random(self.rng, ())
            return np.asarray(v, dtype=np.int64), ATOM
        if e.is_Add or e.is_Mul:
            vals = [self.value(a) for a in e.args]
            v, bd = vals[0]
            for w, wb in vals[1:]:
                v = F.mod(v + w) if e.is_Add else F.mod(v * w)
                bd = bd.add(wb) if e.is_Add else bd.mul(wb)
            return v, bd
        if e.is_Pow:
            base, ex = e.args
            if not (ex.is_Integer and abs(int(ex)) <= 10_000):
                if e.func is sp.Pow and not ex.is_Integer:
                    return self._atom(e, ("pow",), [base, ex], interpreted=True)
                raise NotWhitelisted(f"the power {e} is not whitelisted")
            bv, bb = self.value(base)
            k = int(ex)
            out = [pow(int(x), k, p) if k >= 0 else self._inv(int(x), p, k) for x, p in zip(bv, F.primes)]
            return np.array(out, dtype=np.int64), bb.pow(k)
        if isinstance(e, (sp.Derivative, sp.Subs)):
            done = e.doit()
            if done == e:
                raise NotWhitelisted(f"an unevaluated {type(e).__name__} ({str(e)[:60]})")
            return self.value(done)
        if isinstance(e, sp.Function):
            return self._atom(e, e.func, list(e.args), interpreted=not _is_generic(e.func))
        if not e.args and e.is_number:  # pi, E, I: free atoms (sound for proofs)
            return self._atom(e, ("num", e), [], interpreted=True)
        raise NotWhitelisted(f"{type(e).__name__} nodes ({str(e)[:60]}) are not whitelisted")

    def _inv(self, x: int, p: int, k: int) -> int:
        # A denominator that vanishes at the random point is undecided (not bad input).
        if x % p == 0:
            raise ZeroDivisionError(f"a denominator vanishes modulo {p} at the random point")
        return pow(x, k, p)

    def _atom(self, e, key, args, interpreted: bool):
        if interpreted:
            self.interpreted.add(str(getattr(e, "func", e)))
        vals = [self.value(a) for a in args]
        tab = self.tables.get(key)
        if tab is None:
            tab = self.tables[key] = FunctionTable(str(key), self.F, self.salt)
        if vals:
            z = np.stack([v for v, _ in vals], axis=1)  # (R, nargs)
            ab = vals[0][1]
            for _, b in vals[1:]:
                ab = RationalBound(max(ab.dn, b.dn), max(ab.dd, b.dd), max(ab.hn, b.hn), max(ab.hd, b.hd))
        else:
            z = np.zeros((self.F.R, 1), dtype=np.int64)
            ab = RationalBound(0, 0, 0.0, 0.0)
        arg_bound = Bound(ab.dn + ab.dd, ab.hn + ab.hd, 0.0)
        if z.shape[1] == 1:
            v = tab(z, arg_bound)[:, 0]
        else:
            v = tab.vector(z, arg_bound)[:, 0]
        return v, ATOM



__all__ = ["ModEvaluator", "RationalBound", "ATOM", "OverBudget", "NotWhitelisted",
           "PrimeDividesConstant"]
