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


#: The void dtype of one argument row of R residues, by R (built once: making a dtype
#: costs more than the lookup it serves).
_VOID: dict = {}


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

    def __init__(self, name: str, field: Field, salt: bytes, outputs: int = 1,
                 fast: bool = True) -> None:
        self.name = name
        self.field = field
        self.salt = hashlib.blake2b(bytes(salt) + name.encode(), digest_size=32).digest()
        self.outputs = outputs
        # ``fast``: arguments are indexed by their row bytes and the values kept in one
        # array, the tuple-keyed contents (:attr:`values`) built only when asked for
        # (a refutation's point, a digest); ``fast=False`` is the reference route, a
        # tuple-keyed dict filled at every new argument. Same values, same contents.
        self.fast = fast
        self._values: dict = {}  # the reference route's contents, and vector()'s
        self._index: dict = {}  # fast route: argument row bytes -> row of ``_store``
        self._store = np.zeros((0, field.R), dtype=np.int64)
        self._keys: list = []  # fast route: the argument arrays met, in order
        self._whole: dict = {}  # fast route: a whole argument vector's bytes -> its values
        self._cached: tuple = (0, {})
        self.calls = 0
        self.arg_bound = Bound(0)

    @property
    def values(self) -> dict:
        """The table's contents: argument (tuple of its R residues, or of a whole vector's
        for :meth:`vector`) -> value(s), in the order the arguments were first met.

        >>> s = FunctionTable("sigma", Field((101,)), b"k")
        >>> r = FunctionTable("sigma", Field((101,)), b"k", fast=False)
        >>> _ = s(np.array([[4, 2, 4]]), Bound.atom())
        >>> list(s.values) == [(4,), (2,)], s.values == r.values, len(r.values)
        (True, False, 0)
        """
        if not self.fast or not self._index:
            return self._values
        used = len(self._index)
        if self._cached[0] != used:
            out = {}
            for block, start in self._keys:
                vals = self._store[start:start + len(block)].tolist()
                out.update(zip(map(tuple, block.tolist()), vals))
            out.update(self._values)
            self._cached = (used, out)
        return self._cached[1]

    def _draw_many(self, rows: np.ndarray, count: int, buf: bytes | None = None) -> np.ndarray:
        """``count`` values per component at each argument row of ``rows`` (shape
        ``(M, R)``, int64): shape ``(M, R, count)``. ``buf``: the rows' int64 bytes when the
        caller has them (the very bytes ``rows.tobytes()`` gives)."""
        R, M = self.field.R, rows.shape[0]
        need = 8 * R * count
        salt = self.salt
        blake = hashlib.blake2b
        if buf is None:
            buf = np.ascontiguousarray(rows, dtype=np.int64).tobytes()
        w = 8 * R  # the bytes of one row, sliced from one buffer (the same bytes as rows[i])
        if need <= 64:
            chunks = [blake(buf[i:i + w], key=salt, digest_size=need).digest()
                      for i in range(0, M * w, w)]
        else:
            chunks = []
            for i in range(0, M * w, w):
                data = buf[i:i + w]
                raw = b"".join(blake(data + blk.to_bytes(4, "little"), key=salt, digest_size=64).digest()
                               for blk in range(-(-need // 64)))
                chunks.append(raw[:need])
        words = np.frombuffer(b"".join(chunks), dtype=np.uint64).reshape(M, R, count)
        return (words % self.field.p.astype(np.uint64)[None, :, None]).astype(np.int64)

    def _note(self, sites: int, bound: Bound) -> None:
        self.calls += sites
        cur = self.arg_bound
        if bound.deg <= cur.deg and bound.h <= cur.h and bound.den <= cur.den:
            return  # the fieldwise maximum is the current bound already
        self.arg_bound = Bound(max(cur.deg, bound.deg), max(cur.h, bound.h), max(cur.den, bound.den))

    def __call__(self, z: np.ndarray, bound: Bound) -> np.ndarray:
        """Values at the arguments ``z`` (shape ``(R, N)``), shape ``(R, N)``.

        Fast route: looked up by each argument row's bytes (rows of int64 residues are
        equal exactly when their bytes are), the values gathered from an array.

        >>> F = Field((101, 103))
        >>> z = np.array([[1, 2, 1, 7], [5, 6, 5, 8]])
        >>> a, b = FunctionTable("s", F, b"x"), FunctionTable("s", F, b"x", fast=False)
        >>> bool((a(z, Bound.atom()) == b(z, Bound.atom())).all()), a.values == b.values
        (True, True)
        """
        self._note(z.shape[1], bound)
        zt = np.ascontiguousarray(z.T, dtype=np.int64)
        if not self.fast:
            return self._reference(zt).T.reshape(z.shape)
        if zt.shape[0] == 0:
            return np.zeros(z.shape, dtype=np.int64)
        # the same argument vector again (a view's D(j) after the forward run met x_j):
        # its values are those gathered then (a table only grows), handed out as a copy
        whole = zt.tobytes()
        got = self._whole.get(whole)
        if got is not None:
            return got.copy().T.reshape(z.shape)
        index = self._index
        width = zt.shape[1]
        void = _VOID.get(width)
        if void is None:
            void = _VOID[width] = np.dtype((np.void, width * 8))
        rows = zt.view(void).ravel().tolist()
        idx = list(map(index.get, rows))
        if None in idx:
            # the new arguments, each once, in the order first met
            new = list(dict.fromkeys([r for r, j in zip(rows, idx) if j is None]))
            used = len(index)
            joined = b"".join(new)
            block = np.frombuffer(joined, dtype=np.int64).reshape(len(new), width)
            vals = self._draw_many(block, 1, joined)[:, :, 0]
            store = self._store
            if used + len(new) > len(store):
                grown = np.zeros((max(2 * len(store), used + len(new), 64), self.field.R),
                                 dtype=np.int64)
                grown[:used] = store[:used]
                self._store = store = grown
            store[used:used + len(new)] = vals
            self._keys.append((block, used))
            index.update(zip(new, range(used, used + len(new))))
            idx = list(map(index.__getitem__, rows))
        gathered = self._store[idx]
        self._whole[whole] = gathered
        return gathered.copy().T.reshape(z.shape)

    def _reference(self, zt: np.ndarray) -> np.ndarray:
        keys = list(map(tuple, zt.tolist()))
        vals = self._values
        missing = [i for i, key in enumerate(keys) if key not in vals]
        if missing:
            new = self._draw_many(zt[missing], 1)[:, :, 0].tolist()
            for i, v in zip(missing, new):
                vals[keys[i]] = v
        return np.array([vals[key] for key in keys], dtype=np.int64).reshape(zt.shape)

    def vector(self, z: np.ndarray, bound: Bound) -> np.ndarray:
        """``outputs`` values of a function of a whole vector argument ``z`` (shape
        ``(R, n)``), shape ``(R, outputs)`` (e.g. the partials ∂L/∂x_i at x_t)."""
        self._note(1, bound)
        row = np.ascontiguousarray(z.T, dtype=np.int64).reshape(1, -1)
        key = tuple(row[0].tolist())
        v = self._values.get(key)
        if v is None:
            v = self._values[key] = self._draw_many(row, self.outputs)[0]
            self._cached = (-1, {})
        return v

    def digest_items(self) -> list:
        """Sorted table contents (for a certificate's digest)."""
        return sorted((k, np.asarray(v).tolist()) for k, v in self.values.items())


__all__ = ["FunctionTable"]
