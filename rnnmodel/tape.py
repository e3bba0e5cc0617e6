"""Reverse-mode derivatives written once over an arithmetic: a tape.

:class:`TapeArithmetic` wraps any real arithmetic (Arb balls, mpmath, float64) so that a cell's
step function runs on it unchanged while each operation is recorded with its local backward
rule (as in micrograd, on vectors):

* ``a ± b``: the adjoint goes to both (with its sign); ``−a``: negated;
* ``a ⊙ b`` (elementwise): ``ā += ȳ ⊙ b``, ``b̄ += ȳ ⊙ a``; ``1/a``: ``ā −= ȳ ⊙ y²``;
* ``A x``: ``x̄ += Aᵀ ȳ`` and, when A is on the tape (a weight), ``Ā += ȳ xᵀ``;
* ``σ(z)``: ``z̄ += ȳ ⊙ σ'(z)`` with σ' from the activation's table (the identity).

:meth:`TapeArithmetic.backward` sweeps the tape once from the seeded adjoints (any number of
them, e.g. a loss at every step) and returns the adjoint of every leaf. No matrix chain rule
is written anywhere: each rule is the derivative of one operation.

>>> from rnnmodel.floats import FLOAT64 as F
>>> from rnnmodel.activations import ACTIVATIONS
>>> T = TapeArithmetic(F)
>>> W, x = T.leaf(F.matrix([[2, 0], [0, 3]])), T.leaf(F.vector([1, 1]))
>>> y = T.mul(T.matvec(W, x), x)
>>> adj = T.backward({y: F.vector([1, 1])})
>>> adj[x].tolist(), adj[W].tolist()
([4.0, 6.0], [[1.0, 1.0], [1.0, 1.0]])
"""
from __future__ import annotations

from typing import Any

import flint
import numpy as np

from rnncore.errors import InvalidInputError

from .arithmetic import Arithmetic, is_number


class Node:
    """A value on the tape (``val``), identified by its position ``idx``.

    >>> Node(1.0, 0)
    Node(#0)
    """

    __slots__ = ("val", "idx")

    def __init__(self, val, idx: int) -> None:
        self.val, self.idx = val, idx

    def __repr__(self) -> str:
        return f"Node(#{self.idx})"

    def __hash__(self) -> int:
        return self.idx

    def __eq__(self, other) -> bool:
        return isinstance(other, Node) and other.idx == self.idx


def transpose_of(M):
    """The transpose of a matrix of balls (``arb_mat``), float64 (numpy) or mpmath (lists).

    >>> transpose_of([[1, 2]])
    [[1], [2]]
    """
    if isinstance(M, flint.arb_mat):
        return M.transpose()
    if isinstance(M, list):
        return [list(r) for r in zip(*M)]
    return M.T


def outer_of(a, x):
    """``a xᵀ`` for two vectors of one arithmetic.

    >>> outer_of([1, 2], [3])
    [[3], [6]]
    """
    if isinstance(a, flint.arb_mat):
        return a * x.transpose()
    if isinstance(a, list):
        return [[ai * xj for xj in x] for ai in a]
    return np.outer(a, x)


def _madd(base, A, B):
    if isinstance(A, list) and A and isinstance(A[0], list):
        return [[x + y for x, y in zip(r, s)] for r, s in zip(A, B)]
    return base.add(A, B)


class TapeArithmetic(Arithmetic):
    """Reverse differentiation over the arithmetic ``base`` (same kind).

    >>> from rnnmodel.floats import FLOAT64
    >>> TapeArithmetic(FLOAT64).name
    'tape(float64)'
    """

    def __init__(self, base: Arithmetic) -> None:
        if base.kind != "real":
            raise InvalidInputError(f"a tape needs a real arithmetic (balls, mpmath, float64); got {base.name}")
        self.base = base
        self.name = f"tape({base.name})"
        self.kind, self.tie, self.exact = base.kind, base.tie, base.exact
        self._ops: list = []   # (output node, [(input node, backward(adjoint) -> contribution)])
        self._count = 0

    def leaf(self, val) -> Node:
        """A variable: its adjoint is returned by :meth:`backward`.

        >>> from rnnmodel.floats import FLOAT64
        >>> TapeArithmetic(FLOAT64).leaf(1.0)
        Node(#0)
        """
        n = Node(val, self._count)
        self._count += 1
        return n

    def _record(self, val, parts) -> Node | Any:
        parts = [(a, f) for a, f in parts if isinstance(a, Node)]
        if not parts:
            return val
        out = self.leaf(val)
        self._ops.append((out, parts))
        return out

    @staticmethod
    def _v(x):
        return x.val if isinstance(x, Node) else x

    # -- the operations a step function uses
    def const(self, q):
        return self.base.const(q)

    def vector(self, entries):
        return self.base.vector(entries)

    def matrix(self, rows):
        return self.base.matrix(rows)

    def const_like(self, c, z):
        return self.base.const_like(c, self._v(z))

    def identity(self, n: int):
        return self.base.identity(n)

    def size(self, x) -> int:
        return self.base.size(self._v(x))

    def add(self, a, b):
        B = self.base
        return self._record(B.add(self._v(a), self._v(b)), [(a, lambda g: g), (b, lambda g: g)])

    def sub(self, a, b):
        B = self.base
        return self._record(B.sub(self._v(a), self._v(b)), [(a, lambda g: g), (b, lambda g: B.neg(g))])

    def neg(self, a):
        B = self.base
        return self._record(B.neg(self._v(a)), [(a, lambda g: B.neg(g))])

    def mul(self, a, b):
        B = self.base
        av, bv = self._v(a), self._v(b)
        return self._record(B.mul(av, bv), [(a, lambda g: B.mul(g, bv)), (b, lambda g: B.mul(g, av))])

    def recip(self, a):
        B = self.base
        y = B.recip(self._v(a))
        return self._record(y, [(a, lambda g: B.neg(B.mul(g, B.mul(y, y))))])

    def matvec(self, A, x):
        B = self.base
        Av, xv = self._v(A), self._v(x)
        return self._record(B.matvec(Av, xv), [(x, lambda g: B.matvec(transpose_of(Av), g)),
                                               (A, lambda g: outer_of(g, xv))])

    def affine(self, A, x, c):
        return self.add(self.matvec(A, x), c)

    def sigma(self, act, z):
        B = self.base
        s, d = B.sigma_pair(act, self._v(z))
        return self._record(s, [(z, lambda g: B.mul(g, d))])

    def sigma_pair(self, act, z):
        return self.sigma(act, z), self.base.dsigma(act, self._v(z))

    def dsigma(self, act, z):
        """σ' of the value (a constant: second derivatives are not carried)."""
        return self.base.dsigma(act, self._v(z))

    def backward(self, seeds: dict) -> dict:
        """Adjoints of every node reached from the seeded ones (``{node: adjoint}``), one sweep.

        >>> from rnnmodel.floats import FLOAT64 as F
        >>> T = TapeArithmetic(F); x = T.leaf(F.vector([3]))
        >>> T.backward({T.mul(x, x): F.vector([1])})[x].tolist()
        [6.0]
        """
        adj: dict = {}
        for node, g in seeds.items():
            if isinstance(node, Node):
                adj[node] = g if node not in adj else _madd(self.base, adj[node], g)
        for out, parts in reversed(self._ops):
            g = adj.get(out)
            if g is None:
                continue
            for a, f in parts:
                c = f(g)
                adj[a] = c if a not in adj else _madd(self.base, adj[a], c)
        return adj


__all__ = ["TapeArithmetic", "Node", "transpose_of", "outer_of"]
