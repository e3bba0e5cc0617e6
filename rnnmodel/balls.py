"""Certified real arithmetic: python-flint Arb balls, vectors as ``arb_mat`` columns.

Every operation returns a ball that contains the exact result (at the current
``flint.ctx`` precision; run inside ``flint.ctx.workprec(bits)`` for more than 53 bits).
relu and step raise :class:`rnnmodel.arithmetic.KinkError` when an argument's ball
contains the kink 0 (the exact value would be undetermined there).

Also here: :class:`BallMatrix` (a ball matrix with the operators of the candidate protocol)
and :class:`RealRNN` (the network at an exact dyadic rational point, in balls).

>>> v = BALLS.vector([Fraction(1, 2)])
>>> BALLS.tanh(v)[0, 0].overlaps(flint.arb("0.46211715726 +/- 1e-11"))
True
>>> BALLS.relu(BALLS.vector([0]))
Traceback (most recent call last):
...
rnnmodel.arithmetic.KinkError: a relu argument's enclosure contains 0
"""
from __future__ import annotations

import math
from fractions import Fraction

import flint
import numpy as np

from rnncore.display import Displayable
from rnncore.errors import InvalidInputError, ShapeError

from .activations import activation as _activation
from .arithmetic import Arithmetic, KinkError, as_fraction, is_number
from .cells import cell as _cell
from .dual import DualArithmetic, seed


def to_arb(q) -> flint.arb:
    """A rational (or an arb ball) as a ball at the current precision.

    >>> to_arb(Fraction(1, 4)).mid() == flint.arb(0.25)
    True
    """
    if isinstance(q, flint.arb):
        return q
    q = as_fraction(q) if not isinstance(q, str) else Fraction(q)
    return flint.arb(flint.fmpq(q.numerator, q.denominator))


class BallArithmetic(Arithmetic):
    """Arb balls (kind ``real``; certified, not exact).

    >>> BALLS.rowscale(BALLS.vector([2, 3]), BALLS.identity(2)).entries() == [2, 0, 0, 3]
    True
    """

    name = "arb"

    def const(self, q):
        return to_arb(q)

    def vector(self, entries):
        """A column ``arb_mat`` from rationals or balls."""
        return flint.arb_mat([[to_arb(e)] for e in entries])

    def matrix(self, rows):
        """An ``arb_mat`` from rows of rationals or balls."""
        return flint.arb_mat([[to_arb(e) for e in r] for r in rows])

    @staticmethod
    def _map(f, M):
        out = flint.arb_mat(M.nrows(), M.ncols())
        for i in range(M.nrows()):
            for j in range(M.ncols()):
                out[i, j] = f(M[i, j])
        return out

    def _zip(self, f, a, b):
        if is_number(a):
            c = to_arb(a)
            return self._map(lambda y: f(c, y), b)
        if is_number(b):
            c = to_arb(b)
            return self._map(lambda x: f(x, c), a)
        out = flint.arb_mat(a.nrows(), a.ncols())
        for i in range(a.nrows()):
            for j in range(a.ncols()):
                out[i, j] = f(a[i, j], b[i, j])
        return out

    def const_like(self, c, z):
        q = to_arb(c)
        return self._map(lambda _: q, z)

    def add(self, a, b):
        if isinstance(a, flint.arb_mat) and isinstance(b, flint.arb_mat):
            return a + b
        return self._zip(lambda x, y: x + y, a, b)

    def sub(self, a, b):
        if isinstance(a, flint.arb_mat) and isinstance(b, flint.arb_mat):
            return a - b
        return self._zip(lambda x, y: x - y, a, b)

    def mul(self, a, b):
        return self._zip(lambda x, y: x * y, a, b)

    def neg(self, a):
        return -a

    def recip(self, a):
        return self._map(lambda x: 1 / x, a)

    def tanh(self, a):
        return self._map(lambda x: x.tanh(), a)

    def exp(self, a):
        return self._map(lambda x: x.exp(), a)

    def relu(self, a):
        def one(z):
            if z.contains(0):
                raise KinkError("a relu argument's enclosure contains 0")
            return z if z > 0 else flint.arb(0)
        return self._map(one, a)

    def step(self, a):
        def one(z):
            if z.contains(0):
                raise KinkError("a step argument's enclosure contains 0")
            return flint.arb(1) if z > 0 else flint.arb(0)
        return self._map(one, a)

    def matvec(self, A, x):
        return A * x

    def matmul(self, A, B):
        return A * B

    def diag(self, d):
        """The diagonal matrix of a column (or row) of balls."""
        vals = [d[i, 0] for i in range(d.nrows())] if d.ncols() == 1 else [d[0, i] for i in range(d.ncols())]
        M = flint.arb_mat(len(vals), len(vals))
        for i, x in enumerate(vals):
            M[i, i] = x
        return M

    def rowscale(self, d, M):
        return self.diag(d) * M

    def seed_matvec(self, x):
        """``Σ_l w_il' x_l`` with the tangent directions the entries of W (row-major):
        in direction (a, c) it is δ_ia x_c; an n × n² matrix."""
        n = x.nrows()
        out = flint.arb_mat(n, n * n)
        for i in range(n):
            for c in range(n):
                out[i, i * n + c] = x[c, 0]
        return out

    def identity(self, n: int):
        M = flint.arb_mat(n, n)
        for i in range(n):
            M[i, i] = 1
        return M

    def size(self, x) -> int:
        return int(x.nrows())


#: The ball arithmetic.
BALLS = BallArithmetic()


class BallMatrix:
    """A real matrix of certified enclosures (python-flint ``arb_mat``) with the operators
    of the candidate protocol: ``*``/``@`` (product), ``+``, ``-``, ``.T``, rational scalars,
    integer powers.

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
        return BallMatrix(to_arb(as_fraction(c)) * self.m)

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
        if isinstance(e, bool) or not isinstance(e, int) or not 0 <= e <= 10_000 or self.rows != self.cols:
            raise InvalidInputError(f"matrix power {e!r} is not allowed; use an integer 0 <= e <= 10000 of a square matrix")
        out = BALLS.identity(self.rows)
        for _ in range(e):
            out = out * self.m
        return BallMatrix(out)

    @property
    def T(self) -> "BallMatrix":
        return BallMatrix(self.m.transpose())


class RealRNN(Displayable):
    """The network at a random *real* point with exact dyadic rational coordinates and the
    real activation (tanh, sigmoid, or relu with step(0) = 0; a generic σ has no real
    point), evaluated with the cell's step function in ball arithmetic (run it inside
    ``flint.ctx.workprec(bits)`` for more than the default 53 bits). The candidate protocol
    of the symbolic network (``W_rec``, ``D(j)``, ``state(j)``, ``with_base(k)`` …); used to
    turn a formal difference into a certified counterexample for the real activation.

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
        if _shared is None:
            act = _activation(activation, ("generic", "tanh", "sigmoid", "relu")).name
            if act == "generic":
                raise InvalidInputError(
                    f"RealRNN needs a concrete activation (tanh, sigmoid, relu), got {act!r}")
            _cell(form)
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
        self.act = _activation(self.activation)
        self.cell = _cell(self.form)
        if isinstance(base, bool) or not isinstance(base, int) or not 0 <= base <= self.T:
            raise InvalidInputError(f"base={base!r} is not a step; use 0 <= base <= T={self.T}")
        self.base = base
        self._states: dict[int, tuple] = {}

    def point(self) -> dict:
        """The exact rational coordinates (W_rec, W_in, b, u_t, base states drawn so far).

        >>> sorted(RealRNN(1, seed=2).point())[:3]
        ['W_in', 'W_rec', 'activation']
        """
        s = self._s
        return {"W_rec": s["W_rec"], "W_in": s["W_in"], "b": s["b"], "u": s["u"],
                "bases": dict(s["bases"]), "seed": s["seed"], "activation": s["activation"]}

    def with_base(self, k: int) -> "RealRNN":
        """The same point with a fresh rational base state at step k."""
        return RealRNN(self.n, _shared=self._s, base=k)

    @property
    def W_rec(self) -> BallMatrix:
        return BallMatrix(BALLS.matrix(self._s["W_rec"]))

    @property
    def W_in(self) -> BallMatrix:
        return BallMatrix(BALLS.matrix(self._s["W_in"]))

    @property
    def b(self) -> BallMatrix:
        return BallMatrix(BALLS.matrix(self._s["b"]))

    def _params(self) -> dict:
        return {"W_rec": self.W_rec.m, "W_in": self.W_in.m, "b": self.b.m}

    def u(self, t: int) -> BallMatrix:
        """The input u_t (m × 1)."""
        if isinstance(t, bool) or not isinstance(t, int) or not 1 <= t <= self.T:
            raise InvalidInputError(f"t={t!r} has no input; use 1 <= t <= T={self.T}")
        return BallMatrix(BALLS.matrix(self._s["u"][t]))

    def identity(self) -> BallMatrix:
        """The n × n identity."""
        return BallMatrix(BALLS.identity(self.n))

    def _base_state(self, j: int):
        bases = self._s["bases"]
        if j not in bases:
            rng = np.random.default_rng([self._s["seed"], 8, j])
            # nonzero entries, so that relu's kink is not hit at the base state
            bases[j] = [[Fraction(int(rng.integers(1, 17)) * int(rng.choice([-1, 1])), 16)]
                        for _ in range(self.n)]
        return BALLS.matrix(bases[j])

    def _state(self, j: int):
        """(state (n×1 arb_mat), σ argument of step j or None) at step j from this base."""
        if j in self._states:
            return self._states[j]
        if j == self.base:
            out = (self._base_state(j), None)
        else:
            prev, _ = self._state(j - 1)
            s = self.cell.step(BALLS, self.act, self._params(), (prev,), self.u(j).m)
            out = (s.state, s.sigma_argument)
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
        return BallMatrix(BALLS.diag(BALLS.dsigma(self.act, self.sigma_argument(j).m)))

    def sigma(self, z: BallMatrix) -> BallMatrix:
        """σ elementwise."""
        return BallMatrix(BALLS.sigma(self.act, z.m))

    def dsigma(self, z: BallMatrix) -> BallMatrix:
        """σ' elementwise."""
        return BallMatrix(BALLS.dsigma(self.act, z.m))

    def diag(self, v: BallMatrix) -> BallMatrix:
        """The diagonal matrix of a vector."""
        if 1 not in v.shape:
            raise ShapeError(f"diag needs a vector, got a {v.rows}x{v.cols} matrix")
        return BallMatrix(BALLS.diag(v.m))

    def direct_jacobian(self, t: int, k: int) -> BallMatrix:
        """``∂x_t/∂x_k``: the cell run on dual numbers over balls from x_k (tangent I)."""
        if not (isinstance(t, int) and isinstance(k, int) and 0 <= k <= t <= self.T):
            raise InvalidInputError(f"need 0 <= k <= t <= T={self.T}, got (t, k) = ({t!r}, {k!r})")
        view = self if self.base == k else self.with_base(k)
        D = DualArithmetic(BALLS)
        cur = seed(BALLS, view._state(k)[0])
        params = view._params()
        for j in range(k + 1, t + 1):
            cur = self.cell.step(D, self.act, params, (cur,), view.u(j).m).state
        return BallMatrix(cur.tan)


__all__ = ["BallArithmetic", "BALLS", "BallMatrix", "RealRNN", "KinkError", "to_arb"]
