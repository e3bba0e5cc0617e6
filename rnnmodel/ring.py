"""The prime-field arithmetic: the product ring ``GF(p_1) × … × GF(p_R)`` on numpy int64.

Values are int64 arrays whose first axis is the component (one prime each): vectors
``(R, n)``, matrices ``(R, n, m)``. Every product of two residues below 2^28, summed over
at most :data:`MAX_INNER` = 64 terms, stays below 2^63, so int64 is exact. tanh and sigmoid
have no value here: σ(z) is a fresh unknown (``fresh``, supplied by the caller, e.g. a
table of random values keyed by the argument), and with ``tie`` σ' is the table's identity
applied to it (1 − s², s(1 − s)); otherwise σ' is an unknown of its own.

>>> F = Field((5, 7))
>>> F.mod(np.array([[12], [12]])).ravel().tolist()
[2, 5]
>>> F.scalar(Fraction(1, 2)).tolist()
[3, 4]
>>> F.sub(1, F.mul(np.array([[2], [3]]), np.array([[2], [3]]))).ravel().tolist()
[2, 6]
"""
from __future__ import annotations

from fractions import Fraction

import flint
import numpy as np

from rnncore.errors import InvalidInputError, ShapeError

from .arithmetic import Arithmetic, as_fraction, is_number

#: Largest inner dimension of a product that int64 computes exactly.
MAX_INNER = 64
#: Largest number of components of one ring.
MAX_COMPONENTS = 32


def is_prime(n: int) -> bool:
    """Primality by python-flint: ``fmpz.is_prime`` is FLINT's ``fmpz_is_prime``, which
    proves primality (unlike ``fmpz_is_probabprime``), so the answer is never a guess.

    >>> [q for q in range(20) if is_prime(q)]
    [2, 3, 5, 7, 11, 13, 17, 19]
    """
    return n >= 2 and bool(flint.fmpz(int(n)).is_prime())


class Field(Arithmetic):
    """The ring ``GF(p_1) × … × GF(p_R)`` as an arithmetic (kind ``ring``, exact).

    ``fresh(name, z) -> values`` gives the unknown functions (σ, σ'); ``tie`` ties σ' to σ
    by the activation's identity where it needs σ only.

    >>> Field((4,))
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: primes=(4,) is not allowed; use 1 to 32 odd primes below 2^28
    """

    name = "prime-field"
    kind = "ring"
    exact = True

    def __init__(self, primes, fresh=None, tie: bool = False) -> None:
        primes = tuple(int(p) for p in primes)
        if (not primes or len(primes) > MAX_COMPONENTS
                or any(p < 3 or p >= 2 ** 28 or not is_prime(p) for p in primes)):
            raise InvalidInputError(
                f"primes={primes!r} is not allowed; use 1 to {MAX_COMPONENTS} odd primes below 2^28"
            )
        self.primes = primes
        self.R = len(primes)
        self.p = np.array(primes, dtype=np.int64)
        self._cols: dict[int, np.ndarray] = {}
        self._fresh = fresh
        self.tie = bool(tie)

    def col(self, ndim: int) -> np.ndarray:
        """The primes shaped to broadcast against an array of ``ndim`` dimensions.

        >>> Field((5, 7)).col(3).shape
        (2, 1, 1)
        """
        c = self._cols.get(ndim)
        if c is None:
            c = self._cols[ndim] = self.p.reshape((self.R,) + (1,) * (ndim - 1))
        return c

    def mod(self, a: np.ndarray) -> np.ndarray:
        """Reduce each component modulo its prime.

        >>> Field((5,)).mod(np.array([[-1, 7]])).tolist()
        [[4, 2]]
        """
        return np.remainder(a, self.col(a.ndim))

    def random(self, rng: np.random.Generator, shape: tuple) -> np.ndarray:
        """Independent uniform residues, shape ``(R,) + shape``.

        >>> Field((5, 7)).random(np.random.default_rng(0), (3,)).shape
        (2, 3)
        """
        return rng.integers(0, self.col(len(shape) + 1), size=(self.R,) + tuple(shape), dtype=np.int64)

    def scalar(self, c) -> np.ndarray:
        """A rational constant in every component (raises if a prime divides its denominator).

        >>> Field((3,)).scalar(Fraction(1, 3))
        Traceback (most recent call last):
        ...
        rnncore.errors.InvalidInputError: the scalar 1/3 has a denominator divisible by the prime 3
        """
        c = as_fraction(c)
        out = []
        for p in self.primes:
            if c.denominator % p == 0:
                raise InvalidInputError(f"the scalar {c} has a denominator divisible by the prime {p}")
            out.append(c.numerator % p * pow(c.denominator, -1, p) % p)
        return np.array(out, dtype=np.int64)

    def __repr__(self) -> str:
        return f"Field({self.primes})"

    # -- the arithmetic
    def const(self, q):
        return self.scalar(q)

    def vector(self, entries):
        """A vector ``(R, n)`` of rationals reduced in every component.

        >>> Field((5, 7)).vector([Fraction(1, 2), 3]).tolist()
        [[3, 3], [4, 3]]
        """
        return np.stack([self.scalar(e) for e in entries], axis=1)

    def matrix(self, rows):
        """A matrix ``(R, n, m)`` of rationals."""
        return np.stack([self.vector(r) for r in rows], axis=1)

    def _v(self, x, like):
        if type(x) is np.ndarray or not is_number(x):
            return x
        q = as_fraction(x)
        if q.denominator == 1:
            return int(q.numerator)
        return self.scalar(q).reshape((self.R,) + (1,) * (np.ndim(like) - 1))

    def const_like(self, c, z):
        return self.mod(np.zeros_like(z) + self._v(c, z))

    def add(self, a, b):
        return self.mod(self._v(a, b) + self._v(b, a))

    def sub(self, a, b):
        return self.mod(self._v(a, b) - self._v(b, a))

    def mul(self, a, b):
        return self.mod(self._v(a, b) * self._v(b, a))

    def neg(self, a):
        return self.mod(-a)

    def recip(self, a):
        out = np.empty_like(a)
        for r, p in enumerate(self.primes):
            flat = [pow(int(v), -1, p) for v in a[r].ravel()]
            out[r] = np.array(flat, dtype=np.int64).reshape(a[r].shape)
        return out

    def fresh(self, name, z):
        if self._fresh is None:
            return self._missing(f"an unknown {name}", z)
        return self._fresh(name, z)

    def matmul(self, A, B):
        """``A @ B`` reduced, ``(R, a, b) @ (R, b, c)`` with b ≤ 64, exactly in int64.
        ``einsum`` is exact and, unlike BLAS, does not oversubscribe a busy machine.

        >>> F = Field((2**28 - 57,))
        >>> A = np.full((1, 2, 2), 2**28 - 58, dtype=np.int64)
        >>> F.matmul(A, A).tolist() == (np.matmul(A.astype(object), A.astype(object)) % (2**28 - 57)).tolist()
        True
        """
        if A.shape[-1] > MAX_INNER:
            raise ShapeError(f"inner size {A.shape[-1]} is beyond {MAX_INNER}: int64 exactness would fail")
        return self.mod(np.einsum("rij,rjk->rik", A, B))

    def matvec(self, A, x):
        """``A x`` reduced for ``(R, a, b)`` and ``(R, b)``."""
        if A.shape[-1] > MAX_INNER:
            raise ShapeError(f"inner size {A.shape[-1]} is beyond {MAX_INNER}: int64 exactness would fail")
        return self.mod(np.einsum("rij,rj->ri", A, x))

    def vecmat(self, x, A):
        """``xᵀ A`` reduced for ``(R, a)`` and ``(R, a, b)``."""
        return self.mod(np.einsum("ri,rij->rj", x, A))

    def rowscale(self, d, M):
        """``diag(d) M`` for ``d`` of shape ``(R, n)`` and ``M`` of shape ``(R, n, q)``."""
        return self.mod(d[:, :, None] * M)

    def seed_matvec(self, x):
        """``Σ_l w_il' x_l`` with the tangent directions the entries of W (row-major):
        in direction (a, c) it is δ_ia x_c; shape ``(R, n, n²)``."""
        n = x.shape[1]
        return np.einsum("ia,rc->riac", np.eye(n, dtype=np.int64), x).reshape(self.R, n, n * n)

    def size(self, x) -> int:
        return int(x.shape[1])

    def identity(self, n: int):
        return np.broadcast_to(np.eye(n, dtype=np.int64), (self.R, n, n)).copy()


__all__ = ["Field", "is_prime", "MAX_INNER", "MAX_COMPONENTS"]
