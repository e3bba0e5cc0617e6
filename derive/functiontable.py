"""Generic functions on the prime-field ring: a random value at each distinct argument.

This is what σ, σ' and the loss partials are in the randomized identity test: a memo keyed
by the argument's value in the ring (all R components), so equal arguments get equal
values (the table *is* a function on the ring) and two different argument expressions
share a value only if their values collide (the identity test charges for that).

>>> T = FunctionTable("sigma", Field((5,)), b"s")
>>> bool((T(np.array([[3, 3]]), Bound.atom())[:, 0] == T(np.array([[3]]), Bound.atom())[:, 0]).all())
True
"""
from __future__ import annotations

import hashlib

import numpy as np

from rnnmodel.ring import Field

from .bounds import Bound


class FunctionTable:
    """A generic function on the ring: an independent uniform value at each distinct
    argument (keyed by the argument's value in all components). ``calls`` counts
    argument sites looked up (an upper bound on the distinct argument expressions);
    ``arg_bound`` bounds every argument polynomial seen (for the collision term).

    The value at an argument is a keyed hash of it (BLAKE2b with the key ``salt``, 64 bits
    reduced mod p_i: within 2^-36 of uniform), so it does not depend on the order in which
    arguments are met: re-evaluating one pair of a refutation meets the same σ.

    >>> F = Field((101, 103))
    >>> s = FunctionTable("sigma", F, b"seed-0")
    >>> z = np.array([[1, 2, 1], [5, 6, 5]])
    >>> v = s(z, Bound.atom())
    >>> bool((v[:, 0] == v[:, 2]).all()), s.calls, len(s.values)
    (True, 3, 2)
    >>> bool((FunctionTable("sigma", F, b"seed-0")(z[:, ::-1], Bound.atom())[:, ::-1] == v).all())
    True
    """

    def __init__(self, name: str, field: Field, salt: bytes, outputs: int = 1) -> None:
        self.name = name
        self.field = field
        self.salt = hashlib.blake2b(bytes(salt) + name.encode(), digest_size=32).digest()
        self.outputs = outputs
        self.values: dict = {}
        self.calls = 0
        self.arg_bound = Bound(0)

    def _draw_many(self, rows: np.ndarray, count: int) -> np.ndarray:
        """``count`` values per component at each argument row of ``rows`` (shape
        ``(M, R)``, int64): shape ``(M, R, count)``."""
        R, M = self.field.R, rows.shape[0]
        need = 8 * R * count
        salt = self.salt
        blake = hashlib.blake2b
        chunks = []
        for i in range(M):
            data = rows[i].tobytes()
            if need <= 64:
                chunks.append(blake(data, key=salt, digest_size=need).digest())
            else:
                raw = b"".join(blake(data + blk.to_bytes(4, "little"), key=salt, digest_size=64).digest()
                               for blk in range(-(-need // 64)))
                chunks.append(raw[:need])
        words = np.frombuffer(b"".join(chunks), dtype=np.uint64).reshape(M, R, count)
        return (words % self.field.p.astype(np.uint64)[None, :, None]).astype(np.int64)

    def _note(self, sites: int, bound: Bound) -> None:
        self.calls += sites
        self.arg_bound = Bound(max(self.arg_bound.deg, bound.deg), max(self.arg_bound.h, bound.h),
                               max(self.arg_bound.den, bound.den))

    def __call__(self, z: np.ndarray, bound: Bound) -> np.ndarray:
        """Values at the arguments ``z`` (shape ``(R, N)``), shape ``(R, N)``."""
        self._note(z.shape[1], bound)
        zt = np.ascontiguousarray(z.T, dtype=np.int64)
        keys = list(map(tuple, zt.tolist()))
        vals = self.values
        missing = [i for i, key in enumerate(keys) if key not in vals]
        if missing:
            new = self._draw_many(zt[missing], 1)[:, :, 0].tolist()
            for i, v in zip(missing, new):
                vals[keys[i]] = v
        return np.array([vals[key] for key in keys], dtype=np.int64).T.reshape(z.shape)

    def vector(self, z: np.ndarray, bound: Bound) -> np.ndarray:
        """``outputs`` values of a function of a whole vector argument ``z`` (shape
        ``(R, n)``), shape ``(R, outputs)`` (e.g. the partials ∂L/∂x_i at x_t)."""
        self._note(1, bound)
        row = np.ascontiguousarray(z.T, dtype=np.int64).reshape(1, -1)
        key = tuple(row[0].tolist())
        v = self.values.get(key)
        if v is None:
            v = self.values[key] = self._draw_many(row, self.outputs)[0]
        return v

    def digest_items(self) -> list:
        """Sorted table contents (for a certificate's digest)."""
        return sorted((k, np.asarray(v).tolist()) for k, v in self.values.items())


__all__ = ["FunctionTable"]
