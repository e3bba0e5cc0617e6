"""The unrolled network evaluated at a random point of a product of prime fields.

This is the evaluation side of the randomized identity test (:mod:`derive.identity`).
Everything is exact integer arithmetic modulo primes; nothing is rounded.

The point
    The network's symbols get independent uniform values in the ring
    ``GF(p_1) × … × GF(p_R)``: ``W_rec``, ``W_in``, ``b``, every input ``u_t``, and, for
    each base step ``k``, a *fresh* base state ``x_k`` (the symbolic
    ``RNN.with_base(k)`` has the free symbols ``x_{k,i}``, different for every k). The
    ``R`` components ("trials") use ``R`` primes drawn uniformly at random from the primes
    in ``[2^27, 2^28)`` (rejection sampling), so that every product of two residues summed
    over ≤ 64 terms stays below 2^63 in numpy's int64 — no overflow is possible.

σ, σ' and the loss partials
    A generic function gets an independent uniform value at each distinct argument: a
    memo (:class:`FunctionTable`) keyed by the argument's value in the ring (all R
    components). Equal arguments therefore get equal values — the table *is* a function
    on the ring — and two different argument expressions share a value only if their
    values collide (the identity test charges for that; see :mod:`derive.identity`).

    *What a verdict then means.* Expressions are treated as polynomials in the symbols
    and in "atoms" σ(e), σ'(e), one per distinct argument expression e (degree 1 each,
    whatever e is). A formal identity in this sense holds for every pair of functions
    (σ, σ') — in particular for tanh, sigmoid and relu with their derivatives — so a
    ``proved`` verdict is valid for every activation. With ``tie=True`` (tanh, sigmoid
    only) σ' is not an atom but ``1 − σ²`` (tanh) or ``σ(1 − σ)`` (sigmoid): a proof is
    then a proof for every σ satisfying that relation, tanh/sigmoid included. A *field
    point where the sides differ* shows the expressions differ formally: for generic σ
    that is a real refutation (a smooth σ with those values at finitely many distinct
    real points exists), for tanh/sigmoid/relu it is not by itself one (the real function
    satisfies extra identities: addition theorems, relu' ∈ {0, 1}, relu(z) = z·relu'(z)).
    For relu there is no "field point" of the function max(0, z) at all: relu is modelled
    by the generic pair (σ, σ'), which proves, never refutes. Real refutations come from
    :class:`RealRNN`: the same network at an exact dyadic rational point with the real
    activation, in certified ball arithmetic (python-flint).

The direct side
    :meth:`ModularRNN.direct_jacobian` and :meth:`ModularRNN.jvp` differentiate the
    unrolled network by forward differentiation (dual numbers): every scalar operation of
    the step function — products, sums, σ — carries a tangent with the scalar rules
    ``(ab)' = a'b + ab'``, ``(a + b)' = a' + b'``, ``σ(a)' = σ'(a) a'``. No matrix
    chain-rule formula is assumed anywhere. :meth:`ModularRNN.direct_gradient` seeds the
    tangents on the entries of ``W_rec`` instead (∂E_t/∂W_rec, blog eq. 11's left side).

Candidates
    A candidate ``(net, t, k) -> matrix`` written for :class:`derive.network.RNN` runs
    unchanged on :meth:`ModularRNN.with_base`: ``W_rec``, ``D(j)``, ``state(j)`` … are
    :class:`ModMatrix` objects with ``*``/``@`` (matrix product), ``+``, ``-``, ``.T`` and
    scalar multiplication. A :class:`ModMatrix` is *lazy*: it records the expression and
    can apply it to a vector in O(n²) per factor (:meth:`ModMatrix.apply`), which is what
    makes all 2080 pairs of n = 32, T = 64 cheap. Each node also carries a bound on its
    degree (in the flattened variables) and on the size of its coefficients.

>>> net = ModularRNN(2, 1, 3, seed=1, trials=2)
>>> J = net.direct_jacobian(3, 1)
>>> C = (lambda v: v.W_rec @ v.D(2) @ v.W_rec @ v.D(1))(net.with_base(1))
>>> bool((C.value() == J.value()).all())
True
>>> bool((net.with_base(1).D(1).T.T.value() == net.with_base(1).D(1).value()).all())
True
"""
from __future__ import annotations

import hashlib
import math
import numbers
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from rnncore.errors import InvalidInputError, ShapeError
from rnncore.validate import check_size

from .activations import activation as _activation_named
from .network import FORMS

#: The primes are drawn from [2^(PRIME_BITS-1), 2^PRIME_BITS).
PRIME_BITS = 28
#: Size budget of the modular evaluation (inner dimensions ≤ 64 keep int64 exact).
MAX_N, MAX_M, MAX_T = 64, 16, 256
#: Largest number of components (trials) of one point.
MAX_TRIALS = 32
_MR_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)


# --------------------------------------------------------------------------- primes
def is_prime(n: int) -> bool:
    """Deterministic Miller–Rabin (exact for n < 3.3·10^24).

    >>> [q for q in range(20) if is_prime(q)]
    [2, 3, 5, 7, 11, 13, 17, 19]
    >>> is_prime(2**31 - 1), is_prime(2**28 + 1)
    (True, False)
    """
    if n < 2:
        return False
    for q in _MR_BASES:
        if n % q == 0:
            return n == q
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in _MR_BASES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def random_primes(count: int, rng: np.random.Generator, bits: int = PRIME_BITS) -> tuple[int, ...]:
    """``count`` primes drawn independently and uniformly from the primes in
    ``[2^(bits-1), 2^bits)`` (uniform odd numbers, rejected until prime).

    >>> ps = random_primes(3, np.random.default_rng(0))
    >>> len(ps), all(is_prime(p) and 2**27 <= p < 2**28 for p in ps)
    (3, True)
    """
    lo, hi = 2 ** (bits - 1), 2 ** bits
    out: list[int] = []
    while len(out) < count:
        c = int(rng.integers(lo // 2, hi // 2)) * 2 + 1
        if is_prime(c):
            out.append(c)
    return tuple(out)


def prime_count_lower_bound(bits: int = PRIME_BITS) -> int:
    """A proven lower bound on the number of primes in ``[2^(bits-1), 2^bits)``, from
    Rosser–Schoenfeld: ``x/ln x < π(x) < 1.25506 x/ln x`` (x ≥ 17).

    >>> prime_count_lower_bound(28) > 2**22
    True
    """
    hi, lo = 2.0 ** bits, 2.0 ** (bits - 1)
    return int(math.floor(hi / math.log(hi) - 1.25506 * lo / math.log(lo)))


def divisor_probability(height_bits: float, bits: int = PRIME_BITS) -> float:
    """Probability that a prime drawn uniformly from ``[2^(bits-1), 2^bits)`` divides a
    given nonzero integer of absolute value ≤ 2^height_bits: at most
    ``floor(height/(bits-1))`` such primes divide it.

    >>> divisor_probability(20.0), divisor_probability(300.0) < 2**-18
    (0.0, True)
    """
    return math.floor(max(height_bits, 0.0) / (bits - 1)) / prime_count_lower_bound(bits)


# --------------------------------------------------------------------------- bounds
def _log2add(a: float, b: float) -> float:
    hi, lo = max(a, b), min(a, b)
    return hi + math.log2(1.0 + 2.0 ** (lo - hi))


@dataclass(frozen=True)
class Bound:
    """A bound on a (matrix of) polynomial(s) in the flattened variables: total ``deg``;
    ``den`` = log2 of a common denominator of the rational coefficients; ``h`` = log2 of
    the L1 norm of the coefficients once multiplied by that denominator (so every nonzero
    integer coefficient is ≤ 2^h in absolute value).

    >>> Bound.atom().times(Bound.atom(), inner=4)
    Bound(deg=2, h=2.0, den=0.0)
    """

    deg: int
    h: float = 0.0
    den: float = 0.0

    @staticmethod
    def atom() -> "Bound":
        """One variable (a symbol, or σ(e) for a distinct argument e)."""
        return Bound(1)

    @staticmethod
    def const() -> "Bound":
        """A constant with integer coefficients of size 1 (0, 1, the identity)."""
        return Bound(0)

    def plus(self, other: "Bound") -> "Bound":
        """Bound of a sum (or difference)."""
        return Bound(max(self.deg, other.deg),
                     _log2add(self.h + other.den, other.h + self.den), self.den + other.den)

    def times(self, other: "Bound", inner: int = 1) -> "Bound":
        """Bound of a product summed over ``inner`` terms (matrix product)."""
        return Bound(self.deg + other.deg, math.log2(max(inner, 1)) + self.h + other.h,
                     self.den + other.den)

    def scaled(self, c: Fraction) -> "Bound":
        """Bound after multiplying by the rational ``c``."""
        num, den = abs(c.numerator), c.denominator
        return Bound(self.deg, self.h + (math.log2(num) if num > 1 else 0.0),
                     self.den + math.log2(den))


# --------------------------------------------------------------------------- the ring
class Field:
    """The product ring ``GF(p_1) × … × GF(p_R)``; values are int64 arrays whose first
    axis is the component.

    >>> F = Field((5, 7))
    >>> F.mod(np.array([[12], [12]])).ravel().tolist()
    [2, 5]
    >>> F.scalar(Fraction(1, 2)).tolist()
    [3, 4]
    """

    def __init__(self, primes) -> None:
        primes = tuple(int(p) for p in primes)
        if not primes or len(primes) > MAX_TRIALS or any(p < 3 or p >= 2 ** 28 or not is_prime(p) for p in primes):
            raise InvalidInputError(
                f"primes={primes!r} is not allowed; use 1 to {MAX_TRIALS} odd primes below 2^28"
            )
        self.primes = primes
        self.R = len(primes)
        self.p = np.array(primes, dtype=np.int64)
        self._cols: dict[int, np.ndarray] = {}

    def col(self, ndim: int) -> np.ndarray:
        """The primes shaped to broadcast against an array of ``ndim`` dimensions."""
        c = self._cols.get(ndim)
        if c is None:
            c = self._cols[ndim] = self.p.reshape((self.R,) + (1,) * (ndim - 1))
        return c

    def mod(self, a: np.ndarray) -> np.ndarray:
        """Reduce each component modulo its prime."""
        return np.remainder(a, self.col(a.ndim))

    def random(self, rng: np.random.Generator, shape: tuple) -> np.ndarray:
        """Independent uniform residues, shape ``(R,) + shape``."""
        return rng.integers(0, self.col(len(shape) + 1), size=(self.R,) + tuple(shape), dtype=np.int64)

    def scalar(self, c) -> np.ndarray:
        """A rational constant in every component (raises if a prime divides its denominator)."""
        c = as_fraction(c)
        out = []
        for p in self.primes:
            if c.denominator % p == 0:
                raise InvalidInputError(f"the scalar {c} has a denominator divisible by the prime {p}")
            out.append(c.numerator % p * pow(c.denominator, -1, p) % p)
        return np.array(out, dtype=np.int64)

    def __repr__(self) -> str:
        return f"Field({self.primes})"


def as_fraction(c) -> Fraction:
    """An exact rational from an int, Fraction or SymPy Rational; anything else is refused.

    >>> as_fraction(3), as_fraction(Fraction(1, 3))
    (Fraction(3, 1), Fraction(1, 3))
    >>> as_fraction(0.5)
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: scalar 0.5 is not an exact rational; use an int, Fraction or sympy.Rational
    """
    if isinstance(c, bool):
        return Fraction(int(c))
    if isinstance(c, numbers.Rational):
        return Fraction(int(c.numerator), int(c.denominator))
    try:
        import sympy as sp  # noqa: PLC0415
        if isinstance(c, sp.Basic) and c.is_Rational:
            return Fraction(int(c.p), int(c.q))
    except ImportError:  # pragma: no cover
        pass
    raise InvalidInputError(
        f"scalar {c!r} is not an exact rational; use an int, Fraction or sympy.Rational"
    )


# --------------------------------------------------------------------------- lazy matrices
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
            return _matvec(F, self._dense, v)
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

    def rapply(self, v: np.ndarray) -> np.ndarray:
        """``vᵀ @ self`` for a batch of row vectors ``v`` of shape ``(R, rows)``."""
        F = self.field
        if self._dense is not None:
            return _vecmat(F, v, self._dense)
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
    in int64 (each product < 2^56, a sum of ≤ 64 of them < 2^62). ``einsum`` is used: it
    is exact and, unlike BLAS, does not oversubscribe a busy machine with threads.

    >>> F = Field((2**28 - 57,))
    >>> A = np.full((1, 2, 2), 2**28 - 58, dtype=np.int64)
    >>> matmul_mod(F, A, A).tolist() == (np.matmul(A.astype(object), A.astype(object)) % (2**28 - 57)).tolist()
    True
    """
    if A.shape[-1] > MAX_N:
        raise ShapeError(f"inner size {A.shape[-1]} is beyond {MAX_N}: int64 exactness would fail")
    return F.mod(np.einsum("rij,rjk->rik", A, B))


def _matvec(F: Field, A: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``A v`` reduced for ``(R, a, b)`` and ``(R, b)``."""
    return F.mod(np.einsum("rij,rj->ri", A, v))


def _vecmat(F: Field, v: np.ndarray, A: np.ndarray) -> np.ndarray:
    """``vᵀ A`` reduced for ``(R, a)`` and ``(R, a, b)``."""
    return F.mod(np.einsum("ri,rij->rj", v, A))


def _matmul(F: Field, dense: np.ndarray, f: ModMatrix) -> np.ndarray:
    """``dense @ f`` (dense ``(R, a, b)``), using the structure of ``f``."""
    if f._kind == "diag" and f._dense is None:
        return F.mod(dense * f._args[0][:, None, :])
    return matmul_mod(F, dense, f.value())


# --------------------------------------------------------------------------- σ tables
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


# --------------------------------------------------------------------------- dual numbers
class Dual:
    """A vector with tangents: ``val`` of shape ``(R, n)``, ``tan`` of shape ``(R, n, q)``
    (q tangent directions), with degree/coefficient bounds for both.

    >>> F = Field((101,))
    >>> x = Dual(np.array([[2, 3]]), np.array([[[1, 0], [0, 1]]]), Bound.atom(), Bound.const())
    >>> y = Dual.mul(x, x, F)
    >>> y.val.tolist(), y.tan.tolist()
    ([[4, 9]], [[[4, 0], [0, 6]]])
    """

    __slots__ = ("val", "tan", "vb", "tb")

    def __init__(self, val, tan, vb: Bound, tb: Bound) -> None:
        self.val, self.tan, self.vb, self.tb = val, tan, vb, tb

    @staticmethod
    def mul(a: "Dual", b: "Dual", F: Field) -> "Dual":
        """Elementwise product, tangent by the product rule ``(ab)' = a'b + ab'``."""
        tan = F.mod(a.tan * b.val[:, :, None] + a.val[:, :, None] * b.tan)
        return Dual(F.mod(a.val * b.val), tan, a.vb.times(b.vb),
                    a.tb.times(b.vb).plus(a.vb.times(b.tb)))


# --------------------------------------------------------------------------- the network
class _Point:
    """Everything shared by the views of one :class:`ModularRNN`: the ring, the random
    parameters, inputs, base states and function tables."""

    def __init__(self, n, m, T, activation, form, seed, trials, primes, tie, loss) -> None:
        self.n, self.m, self.T, self.form, self.seed = n, m, T, form, seed
        self.activation = activation
        self.tie = tie
        self.loss = loss
        if primes is None:
            primes = random_primes(trials, np.random.default_rng([seed, 9]))
        self.F = F = Field(primes)
        rng = np.random.default_rng([seed, 0])
        self.W_rec = F.random(rng, (n, n))
        self.W_in = F.random(rng, (n, m))
        self.b = F.random(rng, (n, 1))
        self.u = F.random(rng, (T + 1, m, 1))  # u[t], t = 1..T (u[0] unused)
        self.y = F.random(rng, (T + 1, n))  # targets of the squared loss
        self.bases: dict[int, np.ndarray] = {}
        salt = f"rnnproof-modular-{seed}".encode()
        self.sigma = FunctionTable("sigma", F, salt)
        self.dsigma = FunctionTable("dsigma", F, salt)
        self.dloss = FunctionTable("dL", F, salt, outputs=n)
        self.leaf_W_rec = ModMatrix.dense(F, self.W_rec, Bound.atom())
        self.leaf_W_in = ModMatrix.dense(F, self.W_in, Bound.atom())
        self.leaf_b = ModMatrix.dense(F, self.b, Bound.atom())
        self.leaf_u = {}
        self.WuB = {}  # W_in u_t + b per t (values) and its bound

    def base_state(self, k: int) -> np.ndarray:
        if k not in self.bases:
            self.bases[k] = self.F.random(np.random.default_rng([self.seed, 1, k]), (self.n,))
        return self.bases[k]

    def drive(self, t: int):
        """``W_in u_t + b`` (values (R, n)) and its bound."""
        if t not in self.WuB:
            F = self.F
            v = F.mod(np.einsum("rij,rj->ri", self.W_in, self.u[:, t, :, 0]) + self.b[:, :, 0])
            bd = Bound.atom().times(Bound.atom(), inner=self.m).plus(Bound.atom())
            self.WuB[t] = (v, bd)
        return self.WuB[t]

    def digest(self) -> str:
        h = hashlib.sha256()
        h.update(repr((self.seed, self.F.primes, self.n, self.m, self.T, self.form,
                       self.activation, self.tie)).encode())
        for a in (self.W_rec, self.W_in, self.b, self.u, self.y):
            h.update(a.tobytes())
        for k in sorted(self.bases):
            h.update(repr(k).encode() + self.bases[k].tobytes())
        for tab in (self.sigma, self.dsigma, self.dloss):
            h.update(tab.salt)  # a table is the keyed hash: its key fixes every value
        return h.hexdigest()


class ModularRNN:
    """The network of :class:`derive.network.RNN` at a random point of the ring (see the
    module docstring), offering the same protocol as ``RNN`` to candidates: ``n m T form
    activation base W_rec W_in b u(t) state(j) sigma_argument(j) D(j) sigma(z) dsigma(z)
    identity() with_base(k)`` (and ``diag(v)``), all matrices :class:`ModMatrix`.

    ``trials`` is the number R of components (independent primes and points); ``tie``
    ties σ' to σ for tanh (1 − σ²) and sigmoid (σ(1 − σ)); ``loss`` is ``generic`` (the
    partials ∂L/∂x_i are independent generic functions of the vector x_t) or ``squared``.

    >>> net = ModularRNN(3, 2, 4, seed=7, trials=3)
    >>> net.state(2).shape, net.D(1).shape, net.with_base(2).state(2).bound.deg
    ((3, 1), (3, 3), 1)
    >>> again = ModularRNN(3, 2, 4, seed=7, trials=3)
    >>> _ = again.state(2), again.D(1), again.with_base(2).state(2)
    >>> again.digest() == net.digest(), again.primes == net.primes
    (True, True)
    >>> ModularRNN(3, activation="relu", tie=True)
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: tie=True needs activation tanh or sigmoid (got 'relu'); relu and generic σ' are independent functions
    """

    def __init__(self, n: int, m: int = 1, T: int = 3, activation: str = "generic",
                 form: str = "A", *, seed: int = 0, trials: int = 6, primes=None,
                 tie: bool = False, loss: str = "generic", base: int = 0, _point=None) -> None:
        if _point is None:
            for name, value, hi in (("n", n, MAX_N), ("m", m, MAX_M), ("T", T, MAX_T),
                                    ("trials", trials, MAX_TRIALS)):
                check_size(name, value, hi, "the modular evaluation's budget")
            if form not in FORMS:
                raise InvalidInputError(f"unknown form {form!r}; use 'A' or 'B'")
            act = _activation_named(activation).name
            if tie and act not in ("tanh", "sigmoid"):
                raise InvalidInputError(
                    f"tie=True needs activation tanh or sigmoid (got {act!r}); relu and generic "
                    f"σ' are independent functions")
            if loss not in ("generic", "squared"):
                raise InvalidInputError(f"unknown loss {loss!r}; use 'generic' or 'squared'")
            if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
                raise InvalidInputError(f"seed={seed!r} is not allowed; use an integer >= 0")
            _point = _Point(n, m, T, act, form, seed, trials, primes, bool(tie), loss)
        self._p = _point
        self.n, self.m, self.T = _point.n, _point.m, _point.T
        self.form, self.activation = _point.form, _point.activation
        self.field = _point.F
        if isinstance(base, bool) or not isinstance(base, int) or not 0 <= base <= self.T:
            raise InvalidInputError(f"base={base!r} is not a step of this network; use 0 <= base <= T={self.T}")
        self.base = base
        self._states: dict[int, tuple] = {}
        self._D: dict[int, ModMatrix] = {}

    @classmethod
    def from_rnn(cls, rnn, **kw) -> "ModularRNN":
        """The modular evaluation of a symbolic :class:`derive.network.RNN` (same n, m, T,
        activation, form, base).

        >>> from derive.network import RNN
        >>> ModularRNN.from_rnn(RNN(2, 1, 3, "tanh", "B"), trials=2).form
        'B'
        """
        return cls(rnn.n, rnn.m, rnn.T, rnn.activation, rnn.form, base=rnn.base, **kw)

    def __repr__(self) -> str:
        return (f"ModularRNN(n={self.n}, m={self.m}, T={self.T}, activation={self.activation!r}, "
                f"form={self.form!r}, base={self.base}, primes={self.field.primes})")

    # -- protocol
    def with_base(self, k: int) -> "ModularRNN":
        """The same point with the state at step ``k`` as the (fresh, random) variable."""
        return ModularRNN(self.n, self.m, self.T, _point=self._p, base=k)

    @property
    def primes(self) -> tuple[int, ...]:
        return self.field.primes

    @property
    def W_rec(self) -> ModMatrix:
        return self._p.leaf_W_rec

    @property
    def W_in(self) -> ModMatrix:
        return self._p.leaf_W_in

    @property
    def b(self) -> ModMatrix:
        return self._p.leaf_b

    def u(self, t: int) -> ModMatrix:
        """The input ``u_t`` (m × 1)."""
        if isinstance(t, bool) or not isinstance(t, int) or not 1 <= t <= self.T:
            raise InvalidInputError(f"t={t!r} has no input; use 1 <= t <= T={self.T}")
        p = self._p
        if t not in p.leaf_u:
            p.leaf_u[t] = ModMatrix.dense(self.field, p.u[:, t], Bound.atom())
        return p.leaf_u[t]

    def identity(self) -> ModMatrix:
        """The n × n identity."""
        return ModMatrix.diag(self.field, np.ones((self.field.R, self.n), dtype=np.int64), Bound.const())

    def _check_step(self, name: str, t) -> int:
        if isinstance(t, bool) or not isinstance(t, int) or not self.base <= t <= self.T:
            raise InvalidInputError(
                f"{name}={t!r} is not allowed here; use base={self.base} <= {name} <= T={self.T}")
        return t

    def _sig(self, z: np.ndarray, zb: Bound) -> tuple[np.ndarray, Bound]:
        return self._p.sigma(z, zb), Bound.atom()

    def _dsig(self, z: np.ndarray, zb: Bound) -> tuple[np.ndarray, Bound]:
        p = self._p
        if p.tie:
            s = p.sigma(z, zb)
            if p.activation == "tanh":
                return self.field.mod(1 - s * s), Bound.const().plus(Bound(2))
            return self.field.mod(s - s * s), Bound.atom().plus(Bound(2))
        return p.dsigma(z, zb), Bound.atom()

    def _state(self, j: int) -> tuple:
        """(values (R, n), bound, pre-activation values or None, its bound) of the state at j."""
        if j in self._states:
            return self._states[j]
        F = self.field
        if j == self.base:
            out = (self._p.base_state(j), Bound.atom(), None, None)
        else:
            prev, pb, _, _ = self._state(j - 1)
            drive, db = self._p.drive(j)
            W = self._p.W_rec
            if self.form == "A":
                s, sb = self._sig(prev, pb)
                val = F.mod(np.einsum("rij,rj->ri", W, s) + drive)
                out = (val, Bound.atom().times(sb, inner=self.n).plus(db), None, None)
            else:
                a = F.mod(np.einsum("rij,rj->ri", W, prev) + drive)
                ab = Bound.atom().times(pb, inner=self.n).plus(db)
                s, sb = self._sig(a, ab)
                out = (s, sb, a, ab)
        self._states[j] = out
        return out

    def state(self, t: int) -> ModMatrix:
        """The state at step t ≥ base (n × 1), from this view's base state."""
        val, bd, _, _ = self._state(self._check_step("t", t))
        return ModMatrix.dense(self.field, val[:, :, None], bd)

    def sigma_argument(self, j: int) -> ModMatrix:
        """``z_j`` of ``D(j)``: the state x_j (form A) or the pre-activation a_j (form B)."""
        if self.form == "A":
            return self.state(j)
        val, bd = self._preact(j)
        return ModMatrix.dense(self.field, val[:, :, None], bd)

    def _preact(self, j: int):
        if j < 1 or j <= self.base:
            raise InvalidInputError(
                f"j={j}: form B's pre-activation a_j needs 1 <= j and j > base={self.base}")
        _, _, a, ab = self._state(self._check_step("j", j))
        return a, ab

    def _dvals(self, j: int):
        if self.form == "A":
            val, bd, _, _ = self._state(self._check_step("j", j))
        else:
            val, bd = self._preact(j)
        return self._dsig(val, bd)

    def D(self, j: int) -> ModMatrix:
        """``diag(σ'(z_j))`` (see :meth:`sigma_argument`)."""
        if j not in self._D:
            d, db = self._dvals(j)
            self._D[j] = ModMatrix.diag(self.field, d, db)
        return self._D[j]

    def sigma(self, z: ModMatrix) -> ModMatrix:
        """σ elementwise on a matrix or vector."""
        z = self._as_mod(z)
        v = z.value()
        s, sb = self._sig(v.reshape(self.field.R, -1), z.bound)
        return ModMatrix.dense(self.field, s.reshape(v.shape), sb)

    def dsigma(self, z: ModMatrix) -> ModMatrix:
        """σ' elementwise on a matrix or vector."""
        z = self._as_mod(z)
        v = z.value()
        s, sb = self._dsig(v.reshape(self.field.R, -1), z.bound)
        return ModMatrix.dense(self.field, s.reshape(v.shape), sb)

    def diag(self, v: ModMatrix) -> ModMatrix:
        """The diagonal matrix of a vector (n × 1 or 1 × n) of this network.

        >>> net = ModularRNN(2, 1, 2, trials=1)
        >>> bool((net.diag(net.dsigma(net.state(1))).value() == net.D(1).value()).all())
        True
        """
        v = self._as_mod(v)
        if 1 not in v.shape:
            raise ShapeError(f"diag needs a vector, got a {v.rows}x{v.cols} matrix")
        vals = v.value().reshape(self.field.R, -1)
        return ModMatrix.diag(self.field, vals, v.bound)

    def _as_mod(self, z) -> ModMatrix:
        if not isinstance(z, ModMatrix) or z.field is not self.field:
            raise InvalidInputError(
                f"sigma/dsigma need a matrix of this network, got {type(z).__name__} ({z!r})")
        return z

    # -- the direct side: forward differentiation of the unrolled network
    def _step_dual(self, prev: Dual, t: int, w_tangent: bool) -> Dual:
        """One step on dual numbers, scalar by scalar (see :meth:`jvp`)."""
        F = self.field
        drive, db = self._p.drive(t)
        if self.form == "A":
            s = self._sigma_dual(prev)
            out = self._matvec_dual(s, w_tangent)
            return Dual(F.mod(out.val + drive), out.tan, out.vb.plus(db), out.tb)
        a = self._matvec_dual(prev, w_tangent)
        a = Dual(F.mod(a.val + drive), a.tan, a.vb.plus(db), a.tb)
        return self._sigma_dual(a)

    def _sigma_dual(self, x: Dual) -> Dual:
        """σ on each scalar: value σ(x_i), tangent σ'(x_i)·x_i' (one-variable chain rule)."""
        s, sb = self._sig(x.val, x.vb)
        d, dbd = self._dsig(x.val, x.vb)
        return Dual(s, self.field.mod(d[:, :, None] * x.tan), sb, dbd.times(x.tb))

    def _matvec_dual(self, x: Dual, w_tangent: bool) -> Dual:
        """``(W_rec x)_i = Σ_l w_{il} x_l`` with the product rule on every term. With
        ``w_tangent`` the tangent directions are the entries of W_rec (row-major): the
        seed w_{il}' is 1 in direction (i, l) and 0 elsewhere."""
        F, n, W = self.field, self.n, self._p.W_rec
        val = _matvec(F, W, x.val)
        tan = matmul_mod(F, W, x.tan)  # Σ_l w_il x_l'
        vb = Bound.atom().times(x.vb, inner=n)
        tb = Bound.atom().times(x.tb, inner=n)
        if w_tangent:  # Σ_l w_il' x_l: in direction (a, c) it is δ_ia x_c
            seeded = np.einsum("ia,rc->riac", np.eye(n, dtype=np.int64), x.val).reshape(F.R, n, n * n)
            tan = F.mod(tan + seeded)
            tb = tb.plus(Bound.const().times(x.vb))
        return Dual(val, tan, vb, tb)

    def jvp(self, k: int, seed_tangent: np.ndarray) -> dict[int, Dual]:
        """Forward differentiation from base step ``k``: the base state carries the
        tangent ``seed_tangent`` (shape ``(R, n, q)``); returns ``{t: Dual}`` for
        k ≤ t ≤ T, whose tangents are ``∂x_t/∂x_k · seed``.

        >>> net = ModularRNN(2, 1, 3, seed=3, trials=2)
        >>> eye = np.broadcast_to(np.eye(2, dtype=np.int64), (2, 2, 2)).copy()
        >>> bool((net.jvp(1, eye)[3].tan == net.direct_jacobian(3, 1).value()).all())
        True
        """
        view = self if self.base == k else self.with_base(k)
        val, vb, _, _ = view._state(k)
        cur = Dual(val, self.field.mod(seed_tangent), vb, Bound.const())
        out = {k: cur}
        for t in range(k + 1, self.T + 1):
            cur = view._step_dual(cur, t, w_tangent=False)
            out[t] = cur
        return out

    def direct_jacobian(self, t: int, k: int) -> ModMatrix:
        """``∂x_t/∂x_k`` (n × n, numerator layout) by forward differentiation of the
        unrolled network from the base state x_k (tangent seeds: the unit vectors).

        >>> net = ModularRNN(2, 1, 2, seed=0, trials=1)
        >>> bool((net.direct_jacobian(1, 1).value() == net.identity().value()).all())
        True
        >>> net.direct_jacobian(1, 2)
        Traceback (most recent call last):
        ...
        rnncore.errors.InvalidInputError: need 0 <= k <= t <= T=2, got (t, k) = (1, 2)
        """
        if not (isinstance(t, int) and isinstance(k, int) and 0 <= k <= t <= self.T):
            raise InvalidInputError(f"need 0 <= k <= t <= T={self.T}, got (t, k) = ({t!r}, {k!r})")
        R, n = self.field.R, self.n
        eye = np.broadcast_to(np.eye(n, dtype=np.int64), (R, n, n)).copy()
        d = self.jvp(k, eye)[t]
        return ModMatrix.dense(self.field, d.tan, d.tb)

    def loss_gradient(self, t: int) -> tuple[np.ndarray, Bound]:
        """``∂E_t/∂x_t`` at the state x_t reached from x_0: values ``(R, n)`` and bound —
        the generic loss's partials ∂L/∂x_i are independent generic functions of the vector
        x_t; the squared loss gives ``x_t − y_t``."""
        root = self if self.base == 0 else self.with_base(0)
        val, vb, _, _ = root._state(t)
        if self._p.loss == "squared":
            return self.field.mod(val - self._p.y[:, t, :]), vb.plus(Bound.atom())
        return self._p.dloss.vector(val, vb), Bound.atom()

    def direct_gradient(self) -> dict[int, tuple[np.ndarray, Bound]]:
        """``∂E_t/∂W_rec`` for t = 1..T (values ``(R, n, n)``, entry (a, c) = ∂E_t/∂w_{ac})
        by forward differentiation from x_0 with tangents seeded on the entries of W_rec
        (x_0 does not depend on W_rec), then ``E_t' = Σ_i ∂L/∂x_i · x_{t,i}'``.

        >>> net = ModularRNN(2, 1, 2, seed=0, trials=1)
        >>> sorted(net.direct_gradient()), net.direct_gradient()[2][0].shape
        ([1, 2], (1, 2, 2))
        """
        root = self if self.base == 0 else self.with_base(0)
        F, n = self.field, self.n
        val, vb, _, _ = root._state(0)
        cur = Dual(val, np.zeros((F.R, n, n * n), dtype=np.int64), vb, Bound.const())
        out = {}
        for t in range(1, self.T + 1):
            cur = root._step_dual(cur, t, w_tangent=True)
            g, gb = root.loss_gradient(t)
            e = F.mod(np.einsum("ri,riq->rq", g, cur.tan))
            out[t] = (e.reshape(F.R, n, n), gb.times(cur.tb, inner=n))
        return out

    def eq11_gradient(self, t: int, first: int = 1, last: int | None = None) -> tuple[np.ndarray, Bound]:
        """Blog eq. 11 for θ = W_rec: ``Σ_{k=1}^{t} ∂E_t/∂x_t · ∂x_t/∂x_k · ∂⁺x_k/∂W_rec``,
        with ``∂x_t/∂x_k`` the product of eq. 13 (form A: ``∏ W_rec D(j−1)``; form B:
        ``∏ D(j) W_rec``) applied as row vectors, and the immediate partial (x_{k−1} held
        constant): form A ``∂⁺x_{k,i}/∂w_{ac} = δ_ia σ(x_{k−1})_c``, form B
        ``δ_ia σ'(a_k)_i h_{k−1,c}``. Values ``(R, n, n)`` and bound. ``first``/``last``
        change the range of k (default 1..t) — for testing wrong variants.

        >>> net = ModularRNN(3, 1, 3, seed=2, trials=2)
        >>> all((net.eq11_gradient(t)[0] == net.direct_gradient()[t][0]).all() for t in (1, 2, 3))
        True
        """
        root = self if self.base == 0 else self.with_base(0)
        F, n = self.field, self.n
        if isinstance(t, bool) or not isinstance(t, int) or not 1 <= t <= self.T:
            raise InvalidInputError(f"t={t!r} has no loss term; use 1 <= t <= T={self.T}")
        g, gb = root.loss_gradient(t)  # row ∂E_t/∂x_t · ∂x_t/∂x_k, starting at k = t
        total = np.zeros((F.R, n, n), dtype=np.int64)
        tb = None
        W = root.W_rec
        last = t if last is None else last
        if not (isinstance(first, int) and isinstance(last, int) and 1 <= first and last <= t):
            raise InvalidInputError(
                f"k range {first!r}..{last!r} is not allowed; use 1 <= first, last <= t={t} "
                f"(the k = 0 term is 0: x_0 does not depend on W_rec)")
        for k in range(t, 0, -1):
            prev, pb, _, _ = root._state(k - 1)
            if self.form == "A":
                s, sb = root._sig(prev, pb)
                row, rb = g, gb
            else:
                d, dbd = root._dvals(k)
                row, rb = F.mod(g * d), gb.times(dbd)
                s, sb = prev, pb
            if first <= k <= last:
                term = F.mod(row[:, :, None] * s[:, None, :])
                tbk = rb.times(sb)
                total = F.mod(total + term)
                tb = tbk if tb is None else tb.plus(tbk)
            if k > 1:  # g ← g · ∂x_k/∂x_{k−1}
                if self.form == "A":
                    d, dbd = root._dvals(k - 1)
                    g = F.mod(W.rapply(g) * d)
                    gb = gb.times(Bound.atom(), inner=n).times(dbd)
                else:
                    g = W.rapply(row)
                    gb = rb.times(Bound.atom(), inner=n)
        return total, (tb if tb is not None else Bound.const())

    def sympy_point(self, k: int | None = None) -> tuple[dict, dict]:
        """The point as SymPy substitutions, for evaluating the symbolic network's
        expressions (``derive.network.RNN`` with base k) here with
        :class:`derive.identity.ModEvaluator`: ``({symbol: values (R,)}, {function class:
        table})``. σ and σ' (relu and step for relu; tanh/sigmoid alone when tied) use this
        point's tables.

        >>> from derive.network import RNN
        >>> from derive.identity import ModEvaluator
        >>> net = ModularRNN(2, 1, 2, seed=4, trials=2)
        >>> syms, tabs = net.sympy_point(0)
        >>> ev = ModEvaluator(net.field, None, syms, tabs)
        >>> bool((ev.value(RNN(2, 1, 2).state(2)[1])[0] == net.state(2).value()[:, 1, 0]).all())
        True
        """
        import sympy as sp  # noqa: PLC0415

        from .activations import dsigma, relu, sigma, sigmoid, step  # noqa: PLC0415

        k = self.base if k is None else k
        p, R = self._p, self.field.R
        syms = {}
        for i in range(self.n):
            for j in range(self.n):
                syms[sp.Symbol(f"w_{{{i + 1},{j + 1}}}")] = p.W_rec[:, i, j]
            for j in range(self.m):
                syms[sp.Symbol(f"v_{{{i + 1},{j + 1}}}")] = p.W_in[:, i, j]
            syms[sp.Symbol(f"b_{{{i + 1}}}")] = p.b[:, i, 0]
            syms[sp.Symbol(f"{'x' if self.form == 'A' else 'h'}_{{{k},{i + 1}}}")] = p.base_state(k)[:, i]
            for t in range(1, self.T + 1):
                syms[sp.Symbol(f"y_{{{t},{i + 1}}}")] = p.y[:, t, i]
        for t in range(1, self.T + 1):
            for j in range(self.m):
                syms[sp.Symbol(f"u_{{{t},{j + 1}}}")] = p.u[:, t, j, 0]
        if p.tie:
            tabs = {sp.tanh if p.activation == "tanh" else sigmoid: p.sigma}
        elif p.activation == "relu":  # relu and its derivative step as the generic pair
            tabs = {relu: p.sigma, step: p.dsigma}
        else:
            tabs = {sigma: p.sigma, dsigma: p.dsigma}
        del R
        return syms, tabs

    # -- bookkeeping
    def tables(self) -> tuple[FunctionTable, ...]:
        """The generic-function tables in use (σ, and σ' unless tied; and ∂L)."""
        p = self._p
        return (p.sigma,) + (() if p.tie else (p.dsigma,)) + (p.dloss,)

    def digest(self) -> str:
        """SHA-256 of the point: seed, primes, every random value drawn (parameters, inputs,
        targets, base states) and the keys of the function tables (which fix every σ value)."""
        return self._p.digest()

    def point_data(self) -> dict:
        """The whole point as plain Python data (for re-checking a refutation)."""
        p = self._p
        return {
            "seed": p.seed, "primes": p.F.primes, "n": p.n, "m": p.m, "T": p.T,
            "form": p.form, "activation": p.activation, "tie": p.tie, "loss": p.loss,
            "W_rec": p.W_rec.tolist(), "W_in": p.W_in.tolist(), "b": p.b.tolist(),
            "u": p.u.tolist(), "bases": {k: v.tolist() for k, v in p.bases.items()},
            "sigma": dict(p.sigma.values), "dsigma": dict(p.dsigma.values),
        }




# --------------------------------------------------------------------------- a certified real point
class KinkError(Exception):
    """Internal: a relu/step argument's enclosure contains the kink 0 (try another point)."""


class BallMatrix:
    """A real matrix of certified enclosures (python-flint ``arb_mat``) with the operators
    of the candidate protocol: ``*``/``@`` (product), ``+``, ``-``, ``.T``, rational scalars,
    integer powers.

    >>> import flint
    >>> A = BallMatrix(flint.arb_mat([[1, 2], [3, 4]]))
    >>> (2 * A - A.T).entry(1, 0), (A @ A).shape
    ('4.00000000000000', (2, 2))
    """

    __array_priority__ = 1000
    __slots__ = ("m",)

    def __init__(self, m) -> None:
        self.m = m

    @property
    def shape(self) -> tuple[int, int]:
        return (self.m.nrows(), self.m.ncols())

    @property
    def rows(self) -> int:
        return self.m.nrows()

    @property
    def cols(self) -> int:
        return self.m.ncols()

    def entry(self, i: int, j: int) -> str:
        """Entry (i, j) as text (an enclosure)."""
        return str(self.m[i, j])

    def _other(self, o) -> "BallMatrix":
        if not isinstance(o, BallMatrix):
            raise InvalidInputError(f"cannot combine a BallMatrix with {type(o).__name__} ({o!r})")
        return o

    def __matmul__(self, o) -> "BallMatrix":
        o = self._other(o)
        if self.cols != o.rows:
            raise ShapeError(f"cannot multiply a {self.rows}x{self.cols} matrix by a {o.rows}x{o.cols} matrix")
        return BallMatrix(self.m * o.m)

    def __mul__(self, o) -> "BallMatrix":
        if isinstance(o, BallMatrix) or hasattr(o, "shape"):
            return self @ o
        return self._scale(o)

    def __rmul__(self, o) -> "BallMatrix":
        return self._scale(o)

    def _scale(self, c) -> "BallMatrix":
        import flint  # noqa: PLC0415
        c = as_fraction(c)
        return BallMatrix(flint.arb(flint.fmpq(c.numerator, c.denominator)) * self.m)

    def __truediv__(self, c) -> "BallMatrix":
        c = as_fraction(c)
        if c == 0:
            raise InvalidInputError("division of a matrix by 0; divide by a nonzero rational")
        return self._scale(1 / c)

    def __neg__(self) -> "BallMatrix":
        return self._scale(-1)

    def __add__(self, o) -> "BallMatrix":
        if isinstance(o, int) and not isinstance(o, bool) and o == 0:
            return self
        o = self._other(o)
        if self.shape != o.shape:
            raise ShapeError(f"cannot add a {self.rows}x{self.cols} and a {o.rows}x{o.cols} matrix")
        return BallMatrix(self.m + o.m)

    __radd__ = __add__

    def __sub__(self, o) -> "BallMatrix":
        o = self._other(o)
        if self.shape != o.shape:
            raise ShapeError(f"cannot subtract a {o.rows}x{o.cols} from a {self.rows}x{self.cols} matrix")
        return BallMatrix(self.m - o.m)

    def __pow__(self, e) -> "BallMatrix":
        import flint  # noqa: PLC0415
        if isinstance(e, bool) or not isinstance(e, int) or not 0 <= e <= 10_000 or self.rows != self.cols:
            raise InvalidInputError(f"matrix power {e!r} is not allowed; use an integer 0 <= e <= 10000 of a square matrix")
        out = flint.arb_mat(self.rows, self.rows)
        for i in range(self.rows):
            out[i, i] = 1
        for _ in range(e):
            out = out * self.m
        return BallMatrix(out)

    @property
    def T(self) -> "BallMatrix":
        return BallMatrix(self.m.transpose())


class RealRNN:
    """The network at a random *real* point with exact dyadic rational coordinates and the
    real activation (tanh, sigmoid, or relu with step(0) = 0; a generic σ needs no real
    point: it is refuted on the ring), evaluated with certified ball arithmetic
    (python-flint ``arb``; run it inside ``flint.ctx.workprec(bits)`` for more than the
    default 53 bits). Same candidate protocol as :class:`ModularRNN`; used to turn a formal
    difference into a certified counterexample for the real activation.

    >>> net = RealRNN(2, 1, 3, "tanh", seed=1)
    >>> J = net.direct_jacobian(3, 1)
    >>> v = net.with_base(1)
    >>> C = v.W_rec @ v.D(2) @ v.W_rec @ v.D(1)
    >>> all((C.m - J.m)[i, j].contains(0) for i in range(2) for j in range(2))
    True
    >>> RealRNN(2, activation="generic")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: RealRNN needs a concrete activation (tanh, sigmoid, relu), got 'generic'
    """

    def __init__(self, n: int, m: int = 1, T: int = 3, activation: str = "tanh", form: str = "A",
                 *, seed: int = 0, base: int = 0, _shared=None) -> None:
        import flint  # noqa: PLC0415
        self._flint = flint
        if _shared is None:
            act = _activation_named(activation).name
            if act == "generic":
                raise InvalidInputError(
                    f"RealRNN needs a concrete activation (tanh, sigmoid, relu), got {act!r}")
            if form not in FORMS:
                raise InvalidInputError(f"unknown form {form!r}; use 'A' or 'B'")
            rng = np.random.default_rng([seed, 7])
            scale = 16 * 2 ** max(0, math.ceil(math.log2(max(1, math.isqrt(n)))))  # dyadic

            def mat(r, c, den):
                return [[Fraction(int(rng.integers(-den, den + 1)), den) for _ in range(c)] for _ in range(r)]

            _shared = {"n": n, "m": m, "T": T, "activation": act, "form": form, "seed": seed,
                       "W_rec": mat(n, n, scale), "W_in": mat(n, m, 16),
                       "b": mat(n, 1, 16), "u": {t: mat(m, 1, 16) for t in range(1, T + 1)},
                       "bases": {}}
        self._s = _shared
        self.n, self.m, self.T = _shared["n"], _shared["m"], _shared["T"]
        self.form, self.activation = _shared["form"], _shared["activation"]
        if isinstance(base, bool) or not isinstance(base, int) or not 0 <= base <= self.T:
            raise InvalidInputError(f"base={base!r} is not a step; use 0 <= base <= T={self.T}")
        self.base = base
        self._states: dict[int, tuple] = {}

    # -- helpers
    def _ball(self, rows) -> BallMatrix:
        f = self._flint
        M = f.arb_mat(len(rows), len(rows[0]))
        for i, row in enumerate(rows):
            for j, q in enumerate(row):
                M[i, j] = f.arb(f.fmpq(q.numerator, q.denominator))
        return BallMatrix(M)

    def point(self) -> dict:
        """The exact rational coordinates (W_rec, W_in, b, u_t, base states drawn so far)."""
        s = self._s
        return {"W_rec": s["W_rec"], "W_in": s["W_in"], "b": s["b"], "u": s["u"],
                "bases": dict(s["bases"]), "seed": s["seed"], "activation": s["activation"]}

    def with_base(self, k: int) -> "RealRNN":
        """The same point with a fresh rational base state at step k."""
        return RealRNN(self.n, _shared=self._s, base=k)

    @property
    def W_rec(self) -> BallMatrix:
        return self._ball(self._s["W_rec"])

    @property
    def W_in(self) -> BallMatrix:
        return self._ball(self._s["W_in"])

    @property
    def b(self) -> BallMatrix:
        return self._ball(self._s["b"])

    def u(self, t: int) -> BallMatrix:
        """The input u_t (m × 1)."""
        if isinstance(t, bool) or not isinstance(t, int) or not 1 <= t <= self.T:
            raise InvalidInputError(f"t={t!r} has no input; use 1 <= t <= T={self.T}")
        return self._ball(self._s["u"][t])

    def identity(self) -> BallMatrix:
        """The n × n identity."""
        return BallMatrix(self._flint.arb_mat(self.n, self.n) + self._eye())

    def _eye(self):
        M = self._flint.arb_mat(self.n, self.n)
        for i in range(self.n):
            M[i, i] = 1
        return M

    def _sig1(self, z):
        f, act = self._flint, self.activation
        if act == "tanh":
            return z.tanh()
        if act == "sigmoid":
            return 1 / (1 + (-z).exp())
        if z.contains(0):
            raise KinkError("a relu argument's enclosure contains 0")
        return z if z > 0 else f.arb(0)

    def _dsig1(self, z):
        f, act = self._flint, self.activation
        if act == "tanh":
            t = z.tanh()
            return 1 - t * t
        if act == "sigmoid":
            s = 1 / (1 + (-z).exp())
            return s * (1 - s)
        if z.contains(0):
            raise KinkError("a step argument's enclosure contains 0")
        return f.arb(1) if z > 0 else f.arb(0)

    def _map(self, M, fn):
        out = self._flint.arb_mat(M.nrows(), M.ncols())
        for i in range(M.nrows()):
            for j in range(M.ncols()):
                out[i, j] = fn(M[i, j])
        return out

    def _state(self, j: int):
        """(state (n×1 arb_mat), pre-activation or None) at step j from this base."""
        if j in self._states:
            return self._states[j]
        if j == self.base:
            bases = self._s["bases"]
            if j not in bases:
                rng = np.random.default_rng([self._s["seed"], 8, j])
                # nonzero entries, so that relu's kink is not hit at the base state
                bases[j] = [[Fraction(int(rng.integers(1, 17)) * int(rng.choice([-1, 1])), 16)]
                            for _ in range(self.n)]
            out = (self._ball(bases[j]).m, None)
        else:
            prev, _ = self._state(j - 1)
            drive = self.W_in.m * self.u(j).m + self.b.m
            if self.form == "A":
                out = (self.W_rec.m * self._map(prev, self._sig1) + drive, None)
            else:
                a = self.W_rec.m * prev + drive
                out = (self._map(a, self._sig1), a)
        self._states[j] = out
        return out

    def _check(self, name, j):
        if isinstance(j, bool) or not isinstance(j, int) or not self.base <= j <= self.T:
            raise InvalidInputError(f"{name}={j!r} is not allowed here; use base={self.base} <= {name} <= T={self.T}")
        return j

    def state(self, t: int) -> BallMatrix:
        """The state at step t ≥ base (n × 1)."""
        return BallMatrix(self._state(self._check("t", t))[0])

    def sigma_argument(self, j: int) -> BallMatrix:
        """x_j (form A) or the pre-activation a_j (form B, j > base)."""
        if self.form == "A":
            return self.state(j)
        if j <= self.base:
            raise InvalidInputError(f"j={j}: form B's pre-activation a_j needs j > base={self.base}")
        return BallMatrix(self._state(self._check("j", j))[1])

    def D(self, j: int) -> BallMatrix:
        """``diag(σ'(z_j))``."""
        z = self.sigma_argument(j).m
        M = self._flint.arb_mat(self.n, self.n)
        for i in range(self.n):
            M[i, i] = self._dsig1(z[i, 0])
        return BallMatrix(M)

    def sigma(self, z: BallMatrix) -> BallMatrix:
        """σ elementwise."""
        return BallMatrix(self._map(z.m, self._sig1))

    def dsigma(self, z: BallMatrix) -> BallMatrix:
        """σ' elementwise."""
        return BallMatrix(self._map(z.m, self._dsig1))

    def diag(self, v: BallMatrix) -> BallMatrix:
        """The diagonal matrix of a vector."""
        if 1 not in v.shape:
            raise ShapeError(f"diag needs a vector, got a {v.rows}x{v.cols} matrix")
        vals = [v.m[i, 0] if v.cols == 1 else v.m[0, i] for i in range(max(v.shape))]
        M = self._flint.arb_mat(len(vals), len(vals))
        for i, x in enumerate(vals):
            M[i, i] = x
        return BallMatrix(M)

    def direct_jacobian(self, t: int, k: int) -> BallMatrix:
        """``∂x_t/∂x_k`` by forward differentiation over balls: the tangent of each scalar
        passes through σ by ``σ(a)' = σ'(a) a'`` and through the linear maps by the sum and
        product rules (W_rec constant)."""
        if not (isinstance(t, int) and isinstance(k, int) and 0 <= k <= t <= self.T):
            raise InvalidInputError(f"need 0 <= k <= t <= T={self.T}, got (t, k) = ({t!r}, {k!r})")
        view = self if self.base == k else self.with_base(k)
        W = view.W_rec.m
        val, _ = view._state(k)
        tan = self._eye()
        for j in range(k + 1, t + 1):
            drive = view.W_in.m * view.u(j).m + view.b.m
            if self.form == "A":
                d = [self._dsig1(val[i, 0]) for i in range(self.n)]
                s = self._map(val, self._sig1)
                tan = W * self._rowscale(tan, d)
                val = W * s + drive
            else:
                a = W * val + drive
                tan_a = W * tan
                d = [self._dsig1(a[i, 0]) for i in range(self.n)]
                tan = self._rowscale(tan_a, d)
                val = self._map(a, self._sig1)
        return BallMatrix(tan)

    def _rowscale(self, M, d):
        out = self._flint.arb_mat(M.nrows(), M.ncols())
        for i in range(M.nrows()):
            for j in range(M.ncols()):
                out[i, j] = d[i] * M[i, j]
        return out


__all__ = [
    "PRIME_BITS", "MAX_N", "MAX_M", "MAX_T", "MAX_TRIALS", "is_prime", "random_primes",
    "prime_count_lower_bound", "divisor_probability", "Bound", "Field", "as_fraction",
    "ModMatrix", "FunctionTable", "Dual", "ModularRNN", "matmul_mod", "BallMatrix", "RealRNN",
    "KinkError",
]
