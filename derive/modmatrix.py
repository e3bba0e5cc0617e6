"""Lazy matrices over the prime-field ring: the candidate side of the randomized test.

A candidate ``(net, t, k) -> matrix`` written for :class:`derive.network.RNN` runs
unchanged on :meth:`derive.modular_rnn.ModularRNN.with_base`: ``W_rec``, ``D(j)``,
``state(j)`` … are :class:`ModMatrix` objects with ``*``/``@`` (matrix product), ``+``,
``-``, ``.T`` and scalar multiplication. A :class:`ModMatrix` is *lazy*: it records the
expression and can apply it to a vector in O(n²) per factor (:meth:`ModMatrix.apply`),
which is what makes all 2080 pairs of n = 32, T = 64 cheap. Each node also carries a bound
on its degree (in the flattened variables) and on the size of its coefficients.

>>> F = Field((7,))
>>> ModMatrix.diag(F, np.array([[1, 2]]), Bound.const()).value()[0].tolist()
[[1, 0], [0, 2]]
"""
from __future__ import annotations

import numpy as np

from rnncore.errors import InvalidInputError, ShapeError
from rnnmodel.arithmetic import as_fraction
from rnnmodel.ring import Field

from .bounds import Bound


class ModMatrix:
    """A matrix over the ring, kept as an expression: leaves (dense, diagonal) and nodes
    (product, sum, difference, scalar multiple, transpose). ``value()`` gives the dense
    ``(R, rows, cols)`` array, ``apply(v)`` the product with a vector ``(R, cols)`` without
    forming any matrix product, ``bound`` the degree/coefficient bound.

    >>> F = Field((101,))
    >>> A = ModMatrix.dense(F, np.array([[[1, 2], [3, 4]]]), Bound.atom())
    >>> (2 * A - A.T).value()[0].tolist()
    [[1, 1], [4, 4]]
    >>> (A @ A).apply(np.array([[1, 0]]))[0].tolist()
    [7, 15]
    >>> A @ ModMatrix.dense(F, np.zeros((1, 3, 1), dtype=np.int64), Bound.atom())
    Traceback (most recent call last):
    ...
    rnncore.errors.ShapeError: cannot multiply a 2x2 matrix by a 3x1 matrix; inner sizes must agree
    """

    __array_priority__ = 1000  # numpy scalars defer to our operators
    __slots__ = ("field", "shape", "bound", "_kind", "_args", "_dense")

    def __init__(self, field: Field, shape: tuple, bound: Bound, kind: str, args: tuple) -> None:
        self.field = field
        self.shape = shape
        self.bound = bound
        self._kind = kind
        self._args = args
        self._dense = None

    # -- leaves
    @classmethod
    def dense(cls, field: Field, values: np.ndarray, bound: Bound) -> "ModMatrix":
        """A leaf holding ``values`` (shape ``(R, rows, cols)``, reduced)."""
        if values.ndim != 3 or values.shape[0] != field.R:
            raise ShapeError(f"values of shape {values.shape} are not (R={field.R}, rows, cols)")
        m = cls(field, (values.shape[1], values.shape[2]), bound, "dense", ())
        m._dense = values
        return m

    @classmethod
    def diag(cls, field: Field, diagonal: np.ndarray, bound: Bound) -> "ModMatrix":
        """A diagonal leaf from ``diagonal`` of shape ``(R, n)``."""
        n = diagonal.shape[1]
        return cls(field, (n, n), bound, "diag", (diagonal,))

    @property
    def rows(self) -> int:
        return self.shape[0]

    @property
    def cols(self) -> int:
        return self.shape[1]

    def __repr__(self) -> str:
        return f"ModMatrix({self._kind}, {self.rows}x{self.cols}, deg<={self.bound.deg})"

    # -- operators
    def _check(self, other) -> "ModMatrix":
        if not isinstance(other, ModMatrix):
            raise InvalidInputError(
                f"cannot combine a ModMatrix with {type(other).__name__} ({other!r}); "
                f"use the network's matrices (net.W_rec, net.D(j), net.identity(), ...)"
            )
        if other.field is not self.field:
            raise InvalidInputError("cannot combine matrices evaluated at different points")
        return other

    def __matmul__(self, other) -> "ModMatrix":
        other = self._check(other)
        if self.cols != other.rows:
            raise ShapeError(
                f"cannot multiply a {self.rows}x{self.cols} matrix by a "
                f"{other.rows}x{other.cols} matrix; inner sizes must agree"
            )
        return ModMatrix(self.field, (self.rows, other.cols),
                         self.bound.times(other.bound, inner=self.cols), "matmul", (self, other))

    def __mul__(self, other) -> "ModMatrix":
        if isinstance(other, ModMatrix) or hasattr(other, "shape"):
            return self @ other
        return self._scale(other)

    def __rmul__(self, other) -> "ModMatrix":
        if hasattr(other, "shape"):
            self._check(other)
        return self._scale(other)

    def _scale(self, c) -> "ModMatrix":
        c = as_fraction(c)
        return ModMatrix(self.field, self.shape, self.bound.scaled(c), "scale",
                         (self.field.scalar(c), self))

    def __truediv__(self, c) -> "ModMatrix":
        c = as_fraction(c)
        if c == 0:
            raise InvalidInputError("division of a matrix by 0; divide by a nonzero rational")
        return self._scale(1 / c)

    def __pow__(self, e) -> "ModMatrix":
        """Integer power ``e >= 0`` of a square matrix (repeated products; ``**0`` = I)."""
        if isinstance(e, bool) or not isinstance(e, int) or e < 0 or e > 10_000:
            raise InvalidInputError(f"matrix power {e!r} is not allowed; use an integer 0 <= e <= 10000")
        if self.rows != self.cols:
            raise ShapeError(f"a {self.rows}x{self.cols} matrix has no powers; it must be square")
        out = ModMatrix.diag(self.field, np.ones((self.field.R, self.rows), dtype=np.int64), Bound.const())
        for _ in range(e):
            out = out @ self
        return out

    def __neg__(self) -> "ModMatrix":
        return self._scale(-1)

    def _sum(self, other, sign: int) -> "ModMatrix":
        other = self._check(other)
        if self.shape != other.shape:
            raise ShapeError(
                f"cannot add a {self.rows}x{self.cols} matrix and a {other.rows}x{other.cols} "
                f"matrix; shapes must agree"
            )
        return ModMatrix(self.field, self.shape, self.bound.plus(other.bound), "add",
                         (self, other, sign))

    def __add__(self, other) -> "ModMatrix":
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self  # sum(...) starts from 0
        return self._sum(other, 1)

    __radd__ = __add__

    def __sub__(self, other) -> "ModMatrix":
        return self._sum(other, -1)

    @property
    def T(self) -> "ModMatrix":
        """The transpose (a node; the transpose of a transpose is the original)."""
        if self._kind == "transpose":
            return self._args[0]
        return ModMatrix(self.field, (self.cols, self.rows), self.bound, "transpose", (self,))

    # -- evaluation
    def _factors(self) -> list:
        out, stack = [], [self]
        while stack:
            x = stack.pop()
            if x._kind == "matmul" and x._dense is None:
                stack.append(x._args[1])
                stack.append(x._args[0])
            else:
                out.append(x)
        return out

    def value(self) -> np.ndarray:
        """The dense values, shape ``(R, rows, cols)`` (memoised)."""
        if self._dense is None:
            F, k = self.field, self._kind
            if k == "diag":
                (d,) = self._args
                out = np.zeros((F.R, self.rows, self.cols), dtype=np.int64)
                idx = np.arange(self.rows)
                out[:, idx, idx] = d
            elif k == "matmul":
                fs = self._factors()
                out = fs[0].value()
                for f in fs[1:]:
                    out = _matmul(F, out, f)
            elif k == "add":
                a, b, s = self._args
                out = F.mod(a.value() + s * b.value())
            elif k == "scale":
                c, a = self._args
                out = F.mod(c[:, None, None] * a.value())
            elif k == "transpose":
                out = np.ascontiguousarray(np.swapaxes(self._args[0].value(), 1, 2))
            else:  # pragma: no cover
                raise AssertionError(k)
            self._dense = out
        return self._dense

    def apply(self, v: np.ndarray) -> np.ndarray:
        """``self @ v`` for a batch of column vectors ``v`` of shape ``(R, cols)``."""
        F = self.field
        if self._dense is not None:
            return F.matvec(self._dense, v)
        k = self._kind
        if k == "diag":
            return F.mod(self._args[0] * v)
        if k == "matmul":
            for f in reversed(self._factors()):
                v = f.apply(v)
            return v
        if k == "add":
            a, b, s = self._args
            return F.mod(a.apply(v) + s * b.apply(v))
        if k == "scale":
            c, a = self._args
            return F.mod(c[:, None] * a.apply(v))
        if k == "transpose":
            return self._args[0].rapply(v)
        raise AssertionError(k)  # pragma: no cover

    def apply_shared(self, v: np.ndarray, memo: dict) -> np.ndarray:
        """``self @ v`` like :meth:`apply`, reusing the products with ``v`` of subexpressions
        met before: ``memo`` (one per vector ``v``) maps ``id(node)`` to ``(node, node @ v)``
        for every node on the right spine of a product applied so far. A product built as
        ``F @ P`` with ``P`` applied before costs one application of ``F``. Same values as
        :meth:`apply` (exact arithmetic; the node is kept, so its id stays unique).

        >>> F = Field((101,))
        >>> A = ModMatrix.dense(F, np.array([[[1, 2], [3, 4]]]), Bound.atom())
        >>> v, memo = np.array([[1, 0]]), {}
        >>> P = A @ A
        >>> P.apply_shared(v, memo).tolist(), (A @ P).apply_shared(v, memo).tolist(), len(memo)
        ([[7, 15]], [[37, 81]], 3)
        >>> bool(((A @ P).apply(v) == (A @ P).apply_shared(v, {})).all())
        True
        """
        spine = []
        x = self
        while True:
            hit = memo.get(id(x))
            if hit is not None:
                w = hit[1]
                break
            if x._kind == "matmul" and x._dense is None:
                spine.append(x)
                x = x._args[1]
            else:
                w = x.apply(v)
                memo[id(x)] = (x, w)
                break
        for node in reversed(spine):
            w = node._args[0].apply(w)
            memo[id(node)] = (node, w)
        return w

    def rapply(self, v: np.ndarray) -> np.ndarray:
        """``vᵀ @ self`` for a batch of row vectors ``v`` of shape ``(R, rows)``."""
        F = self.field
        if self._dense is not None:
            return F.vecmat(v, self._dense)
        k = self._kind
        if k == "diag":
            return F.mod(self._args[0] * v)
        if k == "matmul":
            for f in self._factors():
                v = f.rapply(v)
            return v
        if k == "add":
            a, b, s = self._args
            return F.mod(a.rapply(v) + s * b.rapply(v))
        if k == "scale":
            c, a = self._args
            return F.mod(c[:, None] * a.rapply(v))
        if k == "transpose":
            return self._args[0].apply(v)
        raise AssertionError(k)  # pragma: no cover


def matmul_mod(F: Field, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``A @ B`` reduced, for residue arrays ``(R, a, b) @ (R, b, c)`` with b ≤ 64, exactly
    in int64 (each product < 2^56, a sum of ≤ 64 of them < 2^62): the ring's ``matmul``.

    >>> F = Field((2**28 - 57,))
    >>> A = np.full((1, 2, 2), 2**28 - 58, dtype=np.int64)
    >>> matmul_mod(F, A, A).tolist() == (np.matmul(A.astype(object), A.astype(object)) % (2**28 - 57)).tolist()
    True
    """
    return F.matmul(A, B)


def _matmul(F: Field, dense: np.ndarray, f: ModMatrix) -> np.ndarray:
    """``dense @ f`` (dense ``(R, a, b)``), using the structure of ``f``."""
    if f._kind == "diag" and f._dense is None:
        return F.mod(dense * f._args[0][:, None, :])
    return matmul_mod(F, dense, f.value())


__all__ = ["ModMatrix", "matmul_mod", "Field"]
