"""The arithmetic context: one algorithm written once, run in every arithmetic.

A context (in the style of mpmath's ``ctx``: ``ctx.one``, ``ctx.tanh`` …) gives what a step
function, an activation and a forward derivative need: constants from exact rationals,
elementwise ``add sub mul neg recip`` on vectors (a Python number may stand on either side),
the elementary functions where they exist (``tanh exp relu step``), ``matvec``, ``matmul``,
``rowscale`` (diag(d)·M) and ``identity``; and the activation policy (:meth:`Arithmetic.sigma`,
:meth:`Arithmetic.dsigma`), which reads an activation's table entry (:mod:`rnnmodel.activations`).

Each context has a ``kind``:

* ``symbolic`` — SymPy expressions (:mod:`rnnmodel.exact`): σ is the SymPy function;
* ``real`` — Arb balls (:mod:`rnnmodel.balls`), mpmath and float64 (:mod:`rnnmodel.floats`):
  σ is built from the context's own tanh/exp/relu;
* ``ring`` — integers modulo primes (:mod:`rnnmodel.ring`): tanh and sigmoid have no value,
  σ(z) is a fresh unknown (``fresh``) and σ' is either a fresh unknown too or, when the
  context ties them (``tie``), the identity of the table applied to that unknown.

:class:`Paired` runs two contexts side by side (e.g. residues and a bound on their size).

>>> as_fraction(3), as_fraction(Fraction(1, 3))
(Fraction(3, 1), Fraction(1, 3))
"""
from __future__ import annotations

import numbers
from fractions import Fraction
from typing import Any, Callable

import sympy as sp

from rnncore.errors import InvalidInputError


class NoValueError(InvalidInputError):
    """A function has no value in this arithmetic (tanh modulo p, a generic σ on a real point)."""


class KinkError(ArithmeticError):
    """A relu/step argument's enclosure contains the kink 0 (the caller tries another point)."""


def as_fraction(c) -> Fraction:
    """An exact rational from an int, Fraction or SymPy Rational; anything else is refused.

    >>> as_fraction(sp.Rational(-2, 6))
    Fraction(-1, 3)
    >>> as_fraction(0.5)
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: scalar 0.5 is not an exact rational; use an int, Fraction or sympy.Rational
    """
    if type(c) is Fraction:
        return c
    if isinstance(c, bool):
        return Fraction(int(c))
    if isinstance(c, numbers.Rational):
        return Fraction(int(c.numerator), int(c.denominator))
    if isinstance(c, sp.Basic) and c.is_Rational:
        return Fraction(int(c.p), int(c.q))
    raise InvalidInputError(
        f"scalar {c!r} is not an exact rational; use an int, Fraction or sympy.Rational"
    )


def is_number(x) -> bool:
    """True for a Python (or SymPy) rational number standing as an operand.

    >>> is_number(1), is_number(Fraction(1, 2)), is_number([1])
    (True, True, False)
    """
    return isinstance(x, (numbers.Rational, sp.Rational)) and not isinstance(x, bool)


class Arithmetic:
    """The interface and the activation policy shared by every context.

    >>> from rnnmodel.floats import FLOAT64
    >>> FLOAT64.kind, FLOAT64.exact
    ('real', False)
    """

    name = "abstract"
    kind = "real"
    exact = False
    tie = True

    # -- what each context implements (the examples run in float64)
    def const(self, q):
        """The exact rational ``q`` as a scalar of this arithmetic.

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.const(Fraction(1, 4))
        0.25
        """
        raise NotImplementedError

    def vector(self, entries):
        """A vector from rationals (or values of this arithmetic).

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.vector([1, Fraction(1, 2)]).tolist()
        [1.0, 0.5]
        """
        raise NotImplementedError

    def matrix(self, rows):
        """A matrix from rows of rationals.

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.matrix([[1, 2]]).shape
        (1, 2)
        """
        raise NotImplementedError

    def const_like(self, c, z):
        """The constant ``c`` in every entry of a vector shaped like ``z``.

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.const_like(1, FLOAT64.vector([5, 6])).tolist()
        [1.0, 1.0]
        """
        raise NotImplementedError

    def add(self, a, b):
        """``a + b`` elementwise (a Python rational may stand on either side).

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.add(1, FLOAT64.vector([2])).tolist()
        [3.0]
        """
        raise NotImplementedError

    def sub(self, a, b):
        """``a − b`` elementwise.

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.sub(1, FLOAT64.vector([2])).tolist()
        [-1.0]
        """
        raise NotImplementedError

    def mul(self, a, b):
        """``a b`` elementwise.

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.mul(FLOAT64.vector([2]), FLOAT64.vector([3])).tolist()
        [6.0]
        """
        raise NotImplementedError

    def neg(self, a):
        """``−a``.

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.neg(FLOAT64.vector([2])).tolist()
        [-2.0]
        """
        raise NotImplementedError

    def recip(self, a):
        """``1/a`` elementwise.

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.recip(FLOAT64.vector([4])).tolist()
        [0.25]
        """
        raise NotImplementedError

    def matmul(self, A, B):
        """``A B`` (the tangent of ``A x`` is ``A x'``).

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.matmul(FLOAT64.identity(2), FLOAT64.matrix([[1], [2]])).tolist()
        [[1.0], [2.0]]
        """
        raise NotImplementedError

    def rowscale(self, d, M):
        """``diag(d) M`` (the tangent of an elementwise product).

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.rowscale(FLOAT64.vector([2, 3]), FLOAT64.identity(2)).tolist()
        [[2.0, 0.0], [0.0, 3.0]]
        """
        raise NotImplementedError

    def seed_matvec(self, x):
        """``W' x`` when the tangent directions are the entries of W (row-major):
        in direction (a, c) it is ``δ_ia x_c`` (see :data:`rnnmodel.dual.ENTRY_SEED`).

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.seed_matvec(FLOAT64.vector([1]))
        Traceback (most recent call last):
        ...
        rnnmodel.arithmetic.NoValueError: a tangent along matrix entries has no value in the float64 arithmetic; use a real arithmetic (balls, mpmath, float64) or treat it as an unknown
        """
        return self._missing("a tangent along matrix entries", x)

    def identity(self, n: int):
        """The n × n identity.

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.identity(1).tolist()
        [[1.0]]
        """
        raise NotImplementedError

    def size(self, x) -> int:
        """The length of the vector ``x``.

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.size(FLOAT64.vector([1, 2, 3]))
        3
        """
        raise NotImplementedError

    def _missing(self, what: str, x):
        raise NoValueError(f"{what} has no value in the {self.name} arithmetic; "
                           f"use a real arithmetic (balls, mpmath, float64) or treat it as an unknown")

    def tanh(self, x):
        """tanh elementwise.

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.tanh(FLOAT64.vector([0])).tolist()
        [0.0]
        """
        return self._missing("tanh", x)

    def exp(self, x):
        """exp elementwise.

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.exp(FLOAT64.vector([0])).tolist()
        [1.0]
        """
        return self._missing("exp", x)

    def relu(self, x):
        """max(0, x) elementwise.

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.relu(FLOAT64.vector([-1, 2])).tolist()
        [0.0, 2.0]
        """
        return self._missing("relu", x)

    def step(self, x):
        """step elementwise (step(0) = 0).

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.step(FLOAT64.vector([0, 2])).tolist()
        [0.0, 1.0]
        """
        return self._missing("step", x)

    def fresh(self, name: str, x):
        """A fresh unknown function ``name`` at ``x`` (a ring's generic σ, σ').

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.fresh("sigma", FLOAT64.vector([0]))
        Traceback (most recent call last):
        ...
        rnnmodel.arithmetic.NoValueError: an unknown sigma has no value in the float64 arithmetic; use a real arithmetic (balls, mpmath, float64) or treat it as an unknown
        """
        return self._missing(f"an unknown {name}", x)

    def apply(self, fn, x):
        """A SymPy function applied elementwise (symbolic arithmetic only).

        >>> import sympy as sp
        >>> from rnnmodel.exact import SYMPY
        >>> SYMPY.apply(sp.tanh, sp.Matrix([sp.Symbol("a")]))
        Matrix([[tanh(a)]])
        """
        return self._missing(f"the function {getattr(fn, '__name__', fn)}", x)

    def matvec(self, A, x):
        """``A x``.

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.matvec(FLOAT64.matrix([[1, 1]]), FLOAT64.vector([2, 3])).tolist()
        [5.0]
        """
        raise NotImplementedError

    def affine(self, A, x, c):
        """``A x + c``, the step function's affine part.

        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.affine(FLOAT64.matrix([[2]]), FLOAT64.vector([3]), FLOAT64.vector([1])).tolist()
        [7.0]
        """
        return self.add(self.matvec(A, x), c)

    # -- the activation policy (one place for every arithmetic)
    def sigma(self, act, z):
        """σ(z) elementwise for the table entry ``act``.

        >>> from rnnmodel.activations import ACTIVATIONS
        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.sigma(ACTIVATIONS["generic"], FLOAT64.vector([0]))
        Traceback (most recent call last):
        ...
        rnnmodel.arithmetic.NoValueError: a generic σ has no value in the float64 arithmetic; use a real arithmetic (balls, mpmath, float64) or treat it as an unknown
        """
        if self.kind == "symbolic":
            return self.apply(act.symbolic, z)
        if self.kind == "ring" and not act.polynomial:
            return self.fresh("sigma", z)
        if act.real is None:
            return self._missing("a generic σ", z)
        return act.real(self, z)

    def _rule_holds(self, act) -> bool:
        """σ' is the table's rule here: always in a real or symbolic arithmetic; in a ring
        when σ is a polynomial, or when the context ties σ' to the unknown σ."""
        return act.rule is not None and (self.kind != "ring" or act.polynomial
                                         or (self.tie and act.ties_to_value))

    def sigma_pair(self, act, z):
        """``(σ(z), σ'(z))``, σ computed once (the identity reuses it).

        >>> from rnnmodel.activations import ACTIVATIONS
        >>> from rnnmodel.floats import FLOAT64
        >>> [v.tolist() for v in FLOAT64.sigma_pair(ACTIVATIONS["sigmoid"], FLOAT64.vector([0]))]
        [[0.5], [0.25]]
        """
        s = self.sigma(act, z)
        if self._rule_holds(act):
            return s, act.rule(self, s, z)
        return s, self.dsigma(act, z)

    def dsigma(self, act, z):
        """σ'(z) elementwise: the table's identity where it holds in this arithmetic, else a
        function of its own (symbolic ``dsigma``; in a ring a fresh unknown).

        >>> from rnnmodel.activations import ACTIVATIONS
        >>> from rnnmodel.floats import FLOAT64
        >>> FLOAT64.dsigma(ACTIVATIONS["tanh"], FLOAT64.vector([0])).tolist()
        [1.0]
        """
        if self._rule_holds(act):
            return act.rule(self, self.sigma(act, z), z)
        if self.kind == "symbolic" and act.symbolic_derivative is not None:
            return self.apply(act.symbolic_derivative, z)
        if self.kind == "ring":
            return self.fresh("dsigma", z)
        return self._missing(f"σ' of {act.name}", z)


class Paired(Arithmetic):
    """Two arithmetics side by side: every value is a pair ``(first, second)``, every
    operation acts on both; ``fresh(name, (a, b))`` is the caller's ``fresh_pair(name, a, b)``
    (an unknown whose value in one arithmetic depends on the other, e.g. a table that
    records a bound on its argument). ``kind`` and ``tie`` are the first arithmetic's.

    >>> from rnnmodel.floats import FLOAT64
    >>> P = Paired(FLOAT64, FLOAT64)
    >>> x = P.add((FLOAT64.vector([1]), FLOAT64.vector([2])), 1)
    >>> x[0].tolist(), x[1].tolist()
    ([2.0], [3.0])
    """

    def __init__(self, first: Arithmetic, second: Arithmetic,
                 fresh_pair: Callable[[str, Any, Any], tuple] | None = None) -> None:
        self.first, self.second = first, second
        self._fresh_pair = fresh_pair
        self.name = f"{first.name} × {second.name}"
        self.kind, self.tie, self.exact = first.kind, first.tie, first.exact

    @staticmethod
    def _split(x):
        return x if type(x) is tuple else (x, x)

    def _both(self, op: str, *xs):
        parts = [self._split(x) for x in xs]
        return (getattr(self.first, op)(*[p[0] for p in parts]),
                getattr(self.second, op)(*[p[1] for p in parts]))

    # the operations of a step, written out (they run once per step and vector)
    def add(self, a, b):
        a, b = self._split(a), self._split(b)
        return (self.first.add(a[0], b[0]), self.second.add(a[1], b[1]))

    def sub(self, a, b):
        a, b = self._split(a), self._split(b)
        return (self.first.sub(a[0], b[0]), self.second.sub(a[1], b[1]))

    def mul(self, a, b):
        a, b = self._split(a), self._split(b)
        return (self.first.mul(a[0], b[0]), self.second.mul(a[1], b[1]))

    def matvec(self, A, x):
        return (self.first.matvec(A[0], x[0]), self.second.matvec(A[1], x[1]))

    def matmul(self, A, B):
        return (self.first.matmul(A[0], B[0]), self.second.matmul(A[1], B[1]))

    def rowscale(self, d, M):
        return (self.first.rowscale(d[0], M[0]), self.second.rowscale(d[1], M[1]))

    def const(self, q):
        return (self.first.const(q), self.second.const(q))

    def vector(self, entries):
        return (self.first.vector(entries), self.second.vector(entries))

    def matrix(self, rows):
        return (self.first.matrix(rows), self.second.matrix(rows))

    def const_like(self, c, z):
        return self._both("const_like", c, z)

    def neg(self, a):
        return self._both("neg", a)

    def recip(self, a):
        return self._both("recip", a)

    def tanh(self, a):
        return self._both("tanh", a)

    def exp(self, a):
        return self._both("exp", a)

    def relu(self, a):
        return self._both("relu", a)

    def step(self, a):
        return self._both("step", a)

    def seed_matvec(self, x):
        return self._both("seed_matvec", x)

    def identity(self, n: int):
        return (self.first.identity(n), self.second.identity(n))

    def size(self, x) -> int:
        return self.first.size(x[0])

    def fresh(self, name, x):
        if self._fresh_pair is None:
            return (self.first.fresh(name, x[0]), self.second.fresh(name, x[1]))
        return self._fresh_pair(name, x[0], x[1])


__all__ = ["Arithmetic", "Paired", "NoValueError", "KinkError", "as_fraction", "is_number"]
