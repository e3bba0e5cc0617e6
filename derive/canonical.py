"""Canonical polynomials: SymPy expressions as sparse polynomials over ℚ in shared generators.

Every function application — the generic σ and σ' (``sigma``/``dsigma``), a generic loss
``L`` and its partials, and also ``tanh``, ``sigmoid``, ``relu``, ``step`` — is an
*atom*: an independent unknown value, keyed by the function and the canonical form of its
arguments (so ``σ(a + b)`` and ``σ(b + a)``, or ``σ(w(a + b))`` and ``σ(wa + wb)``, are
the same atom). :class:`Canonicalizer` converts expressions (memoised over the DAG, so
shared sub-expressions are converted once) into :class:`Poly` values; equal polynomials
are equal functions for every value of the atoms. Budgets bound the work: past them
:class:`BudgetExceeded` is raised (the caller decides what happens next).

>>> a, b = sp.symbols("a b")
>>> c = Canonicalizer()
>>> (c.poly((a + b) ** 2) - c.poly(a**2 + 2*a*b + b**2)).is_zero()
True
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Iterable

import sympy as sp
from sympy.core.function import AppliedUndef

#: Exact budget: largest number of terms of any canonical polynomial built on the way.
EXACT_TERM_BUDGET = 400_000
#: Exact budget: most distinct sub-expressions (DAG nodes) of the inputs.
EXACT_NODE_BUDGET = 2_000_000
#: Largest exponent a monomial may carry (exponent fields are packed into one integer).
_EXP_BITS = 24
_MAX_DEGREE = (1 << _EXP_BITS) - 1


class BudgetExceeded(Exception):
    """A canonical polynomial grew beyond :data:`EXACT_TERM_BUDGET`."""


class Unsupported(Exception):
    """An expression node that the exact canonical form does not handle."""


# ----------------------------------------------------------------------------- polynomials
class Poly:
    """A sparse polynomial over ℚ: ``{packed monomial: coefficient}`` and a degree bound.

    A monomial ∏ g_i^{e_i} is the integer Σ e_i · 2^(24 i), so multiplying monomials is
    adding integers; ``deg`` bounds the total degree and so every exponent (checked to
    stay below 2^24, so fields never overflow).

    >>> x = Poly.gen(0); y = Poly.gen(1)
    >>> ((x + y) * (x - y) - x * x + y * y).is_zero()
    True
    """

    __slots__ = ("terms", "deg")

    def __init__(self, terms: dict, deg: int) -> None:
        self.terms = terms
        self.deg = deg

    @staticmethod
    def const(c) -> "Poly":
        """The constant polynomial ``c`` (int or Fraction)."""
        return Poly({0: c} if c else {}, 0)

    @staticmethod
    def gen(i: int) -> "Poly":
        """The i-th generator."""
        return Poly({1 << (_EXP_BITS * i): 1}, 1)

    def is_zero(self) -> bool:
        """True for the zero polynomial."""
        return not self.terms

    def __add__(self, other: "Poly") -> "Poly":
        if len(self.terms) < len(other.terms):
            self, other = other, self
        out = dict(self.terms)
        for m, c in other.terms.items():
            v = out.get(m, 0) + c
            if v:
                out[m] = v
            else:
                out.pop(m, None)
        _check_size(out)
        return Poly(out, max(self.deg, other.deg))

    def __neg__(self) -> "Poly":
        return Poly({m: -c for m, c in self.terms.items()}, self.deg)

    def __sub__(self, other: "Poly") -> "Poly":
        return self + (-other)

    def scale(self, c) -> "Poly":
        """``c · self`` for a rational c."""
        if not c:
            return Poly({}, 0)
        return Poly({m: c * v for m, v in self.terms.items()}, self.deg)

    def __mul__(self, other: "Poly") -> "Poly":
        big, small = (self, other) if len(self.terms) >= len(other.terms) else (other, self)
        a, b = big.terms, small.terms
        if not a or not b:
            return Poly({}, 0)
        deg = self.deg + other.deg
        if deg > _MAX_DEGREE:
            raise BudgetExceeded(f"degree {deg} beyond {_MAX_DEGREE}")
        if len(b) == 1:
            ((mb, cb),) = b.items()
            if mb == 0:
                return Poly({m: c * cb for m, c in a.items()} if cb != 1 else dict(a), big.deg)
            return Poly({m + mb: c * cb for m, c in a.items()}, deg)
        if len(a) * len(b) > 8 * EXACT_TERM_BUDGET:
            raise BudgetExceeded(f"a product of {len(a)} by {len(b)} terms is beyond the exact "
                                 f"budget of {EXACT_TERM_BUDGET} terms")
        out: dict = {}
        get = out.get
        for mb, cb in b.items():
            for ma, ca in a.items():
                m = ma + mb
                out[m] = get(m, 0) + ca * cb
        out = {m: c for m, c in out.items() if c}
        _check_size(out)
        return Poly(out, deg)

    def pow(self, e: int) -> "Poly":
        """``self ** e`` for an integer e >= 0 (square and multiply)."""
        result, base = Poly.const(1), self
        while e:
            if e & 1:
                result = result * base
            e >>= 1
            if e:
                base = base * base
        return result

    def frozen(self) -> frozenset:
        """A hashable canonical form (equal polynomials give equal values)."""
        return frozenset(self.terms.items())

    def monomials(self) -> Iterable[tuple[dict, Any]]:
        """``({gen index: exponent}, coefficient)`` pairs."""
        mask = (1 << _EXP_BITS) - 1
        for m, c in self.terms.items():
            exps, i = {}, 0
            while m:
                e = m & mask
                if e:
                    exps[i] = e
                m >>= _EXP_BITS
                i += 1
            yield exps, c


def _check_size(terms: dict) -> None:
    if len(terms) > EXACT_TERM_BUDGET:
        raise BudgetExceeded(f"a polynomial of {len(terms)} terms (budget {EXACT_TERM_BUDGET})")


def is_generic_function(f) -> bool:
    """True if ``f`` (a function class) is an undefined function: an ``AppliedUndef``
    (``sp.Function("L")``) or a ``Function`` subclass that defines no ``eval`` of its
    own (``sigma``, ``dsigma``, a generic loss).

    >>> from derive.activations import sigma, relu
    >>> is_generic_function(sigma), is_generic_function(relu), is_generic_function(sp.tanh)
    (True, False, False)
    """
    if not isinstance(f, type) or not issubclass(f, sp.Function):
        return False
    if issubclass(f, AppliedUndef):
        return True
    return getattr(f.eval, "__func__", None) is sp.Function.eval.__func__


class Canonicalizer:
    """Turns SymPy expressions into canonical :class:`Poly` objects over shared generators.

    Generators are the free symbols and the atoms (function applications, negative or
    fractional powers, number symbols such as π), each atom keyed by its head and the
    canonical forms of its arguments. ``Derivative``/``Subs`` nodes are evaluated first
    (``doit``), so a hand-made ``Subs(Derivative(σ(z), z), z, a)`` is the atom ``σ'(a)``.
    One instance can be shared by several expressions; results are memoised per node.

    >>> from derive.activations import sigma
    >>> x, y = sp.symbols("x y")
    >>> c = Canonicalizer()
    >>> (c.poly(sigma(2*(x + y))) - c.poly(sigma(2*x + 2*y))).is_zero()
    True
    """

    def __init__(self) -> None:
        self.keys: dict = {}
        self.exprs: list = []
        self._memo: dict = {}
        self.nodes = 0

    def _gen(self, key, expr) -> Poly:
        i = self.keys.get(key)
        if i is None:
            i = self.keys[key] = len(self.exprs)
            self.exprs.append(expr)
        return Poly.gen(i)

    def atom(self, func, args) -> Poly:
        """The generator of the application ``func(*args)`` of a SymPy function class to
        canonical polynomials, under the key :meth:`poly` gives ``func(*exprs)`` when SymPy
        leaves that application unevaluated (so the two meet in one generator); no SymPy
        expression is built: the generator's entry in :attr:`exprs` is its key.

        >>> from derive.activations import sigma
        >>> a = sp.Symbol("a")
        >>> c = Canonicalizer()
        >>> (c.atom(sigma, (c.poly(2 * a),)) - c.poly(sigma(2 * a))).is_zero()
        True
        """
        key = ("fn", func, tuple(p.frozen() for p in args))
        i = self.keys.get(key)
        if i is None:
            i = self.keys[key] = len(self.exprs)
            self.exprs.append(key)
        return Poly.gen(i)

    def poly(self, expr) -> Poly:
        """The canonical polynomial of ``expr`` (raises ``BudgetExceeded``/``Unsupported``)."""
        memo = self._memo
        p = memo.get(expr)
        if p is None:
            p = memo[expr] = self._convert(expr)
            self.nodes += 1
            if self.nodes > EXACT_NODE_BUDGET:
                raise BudgetExceeded(f"more than {EXACT_NODE_BUDGET} distinct sub-expressions")
        return p

    def _convert(self, e) -> Poly:
        if isinstance(e, (int, Fraction)):
            return Poly.const(e)
        if not isinstance(e, sp.Basic):
            raise Unsupported(f"a {type(e).__name__} ({e!r}) is not a SymPy expression")
        if e.is_Integer:
            return Poly.const(int(e))
        if e.is_Rational:
            return Poly.const(Fraction(int(e.p), int(e.q)))
        if e.is_Float:
            raise Unsupported(f"the float {e} is not exact; use sympy.Rational")
        if e in (sp.nan, sp.zoo, sp.oo, -sp.oo):
            raise Unsupported(f"{e} is not a finite value")
        if e.is_commutative is not True:
            raise Unsupported(f"{e} is not commutative; the canonical polynomials are commutative")
        if e.is_Symbol:
            return self._gen(("sym", e), e)
        if e.is_Add:
            out = Poly.const(0)
            for a in e.args:
                out = out + self.poly(a)
            return out
        if e.is_Mul:
            out = Poly.const(1)
            for a in e.args:
                out = out * self.poly(a)
            return out
        if e.is_Pow:
            base, ex = e.args
            if ex.is_Integer and 0 <= ex <= 10_000:
                return self.poly(base).pow(int(ex))
            return self._gen(("pow", self.poly(base).frozen(), self.poly(ex).frozen()), e)
        if isinstance(e, (sp.Derivative, sp.Subs)):
            done = e.doit()
            if done != e:
                return self.poly(done)
            return self._gen(("node", e), e)
        if isinstance(e, sp.Function):
            key = ("fn", e.func, tuple(self.poly(a).frozen() for a in e.args))
            return self._gen(key, e)
        if not e.args and e.is_number:  # pi, E, I, ...
            return self._gen(("num", e), e)
        if isinstance(e, sp.Expr) and all(isinstance(a, sp.Expr) for a in e.args):
            key = ("fn", e.func, tuple(self.poly(a).frozen() for a in e.args))
            return self._gen(key, e)
        raise Unsupported(f"{type(e).__name__} nodes ({sp.srepr(e)[:80]}) are not handled")



__all__ = ["Poly", "Canonicalizer", "BudgetExceeded", "Unsupported", "is_generic_function",
           "EXACT_TERM_BUDGET", "EXACT_NODE_BUDGET"]
