"""The unrolled network evaluated at a random point of a product of prime fields.

This is the evaluation side of the randomized identity test (:mod:`derive.identity`).
Everything is exact integer arithmetic modulo primes; nothing is rounded. The states are
the model's cell (:mod:`rnnmodel.cells`) run in the prime-field arithmetic
(:mod:`rnnmodel.ring`) paired with the bound arithmetic (:mod:`derive.bounds`); the direct
side is the same cell on dual numbers (:mod:`rnnmodel.dual`).

The point
    The network's symbols get independent uniform values in the ring
    ``GF(p_1) × … × GF(p_R)``: ``W_rec``, ``W_in``, ``b``, every input ``u_t``, and, for
    each base step ``k``, a *fresh* base state ``x_k`` (the symbolic
    ``RNN.with_base(k)`` has the free symbols ``x_{k,i}``, different for every k). The
    ``R`` components ("trials") use ``R`` random primes (:mod:`derive.primes`).

σ, σ' and the loss partials
    A generic function gets an independent uniform value at each distinct argument
    (:class:`derive.functiontable.FunctionTable`). Equal arguments therefore get equal
    values — the table *is* a function on the ring — and two different argument
    expressions share a value only if their values collide (the identity test charges for
    that; see :mod:`derive.identity`).

    *What a verdict then means.* Expressions are treated as polynomials in the symbols
    and in "atoms" σ(e), σ'(e), one per distinct argument expression e (degree 1 each,
    whatever e is). A formal identity in this sense holds for every pair of functions
    (σ, σ') — in particular for tanh, sigmoid and relu with their derivatives — so a
    ``proved`` verdict is valid for every activation. With ``tie=True`` (tanh, sigmoid
    only) σ' is not an atom but the activation's identity ``1 − σ²`` (tanh) or ``σ(1 − σ)``
    (sigmoid) applied to the atom σ (:mod:`rnnmodel.activations`): a proof is then a proof
    for every σ satisfying that relation, tanh/sigmoid included. A *field point where the
    sides differ* shows the expressions differ formally: for generic σ that is a real
    refutation (a smooth σ with those values at finitely many distinct real points
    exists), for tanh/sigmoid/relu it is not by itself one (the real function satisfies
    extra identities: addition theorems, relu' ∈ {0, 1}, relu(z) = z·relu'(z)). For relu
    there is no "field point" of the function max(0, z) at all: relu is modelled by the
    generic pair (σ, σ'), which proves, never refutes. Real refutations come from
    :class:`rnnmodel.balls.RealRNN`: the same cell at an exact dyadic rational point with
    the real activation, in certified ball arithmetic.

The direct side
    :meth:`ModularRNN.direct_jacobian` and :meth:`ModularRNN.jvp` differentiate the
    unrolled network by forward differentiation: every operation of the step function
    carries its tangent (``(ab)' = a'b + ab'``, ``(a + b)' = a' + b'``, ``σ(a)' = σ'(a) a'``).
    No matrix chain-rule formula is assumed anywhere. :meth:`ModularRNN.direct_gradient`
    seeds the tangents on the entries of ``W_rec`` instead (∂E_t/∂W_rec, blog eq. 11's
    left side).

>>> net = ModularRNN(2, 1, 3, seed=1, trials=2)
>>> J = net.direct_jacobian(3, 1)
>>> C = (lambda v: v.W_rec @ v.D(2) @ v.W_rec @ v.D(1))(net.with_base(1))
>>> bool((C.value() == J.value()).all())
True
"""
from __future__ import annotations

import hashlib
from typing import NamedTuple

import numpy as np
import sympy as sp

from rnncore.errors import InvalidInputError, ShapeError
from rnncore.validate import check_size
from rnnmodel.activations import ACTIVATIONS
from rnnmodel.activations import activation as _activation_named
from rnnmodel.arithmetic import Paired
from rnnmodel.cells import cell
from rnnmodel.dual import ENTRY_SEED, Dual, DualArithmetic
from rnnmodel.ring import MAX_COMPONENTS, Field
from rnnmodel.sympy_functions import dsigma, relu, sigma, sigmoid, step

from .bounds import Bound, BoundArithmetic, BoundMatrix
from .functiontable import FunctionTable
from .modmatrix import ModMatrix
from .primes import random_primes

#: Size budget of the modular evaluation (inner dimensions ≤ 64 keep int64 exact).
MAX_N, MAX_M, MAX_T = 64, 16, 256
#: Largest number of components (trials) of one point.
MAX_TRIALS = MAX_COMPONENTS
#: The activations the network accepts.
NETWORK_ACTIVATIONS = ("generic", "tanh", "sigmoid", "relu")


class Tangent(NamedTuple):
    """One step of :meth:`ModularRNN.jvp`: the state's values ``val`` (R, n), its tangent
    ``tan`` (R, n, q), and their bounds ``vb``, ``tb``."""

    val: np.ndarray
    tan: np.ndarray
    vb: Bound
    tb: Bound


class _Point:
    """Everything shared by the views of one :class:`ModularRNN`: the ring, the random
    parameters, inputs, base states and function tables, and the arithmetic the cell runs
    in (residues paired with a bound on the polynomials they are residues of)."""

    def __init__(self, n, m, T, activation, form, seed, trials, primes, tie, loss) -> None:
        self.n, self.m, self.T, self.form, self.seed = n, m, T, form, seed
        self.activation = activation
        self.act = ACTIVATIONS[activation]
        self.cell = cell(form)
        self.tie = tie
        self.loss = loss
        if primes is None:
            primes = random_primes(trials, np.random.default_rng([seed, 9]))
        self.F = F = Field(primes, tie=tie)
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
        tables = {"sigma": self.sigma, "dsigma": self.dsigma}
        self.ctx = Paired(F, BoundArithmetic(),
                          lambda name, z, zb: (tables[name](z, zb), Bound.atom()))
        self.params = {"W_rec": (self.W_rec, BoundMatrix(Bound.atom(), n)),
                       "W_in": (self.W_in, BoundMatrix(Bound.atom(), m)),
                       "b": (self.b[:, :, 0], Bound.atom())}

    def input(self, t: int) -> tuple:
        """``u_t`` with its bound, in the cell's arithmetic."""
        return (self.u[:, t, :, 0], Bound.atom())

    def base_state(self, k: int) -> np.ndarray:
        if k not in self.bases:
            self.bases[k] = self.F.random(np.random.default_rng([self.seed, 1, k]), (self.n,))
        return self.bases[k]

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
            cell(form)
            act = _activation_named(activation, NETWORK_ACTIVATIONS).name
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
        self._adopted: dict[int, tuple] = {}
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
        return self._p.ctx.sigma(self._p.act, (z, zb))

    def _dsig(self, z: np.ndarray, zb: Bound) -> tuple[np.ndarray, Bound]:
        return self._p.ctx.dsigma(self._p.act, (z, zb))

    def _state(self, j: int) -> tuple:
        """(values (R, n), bound, σ argument values, its bound) of the state at j: the
        cell's step function in the paired arithmetic (residues, bounds)."""
        if j in self._states:
            return self._states[j]
        p = self._p
        if j in self._adopted:
            # taken from a forward-differentiation run (adopt_states): σ's table is charged
            # the sites this step's own lookup would have (the same arguments, met there)
            out = self._adopted.pop(j)
            p.sigma._note(out[2].shape[1], out[3])
        elif j == self.base:
            out = (p.base_state(j), Bound.atom(), None, None)
        else:
            prev, pb, _, _ = self._state(j - 1)
            st = p.cell.step(p.ctx, p.act, p.params, ((prev, pb),), p.input(j))
            out = st.state + st.sigma_argument
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
    def jvp(self, k: int, seed_tangent: np.ndarray) -> dict[int, "Tangent"]:
        """Forward differentiation from base step ``k``: the cell runs on dual numbers
        (:mod:`rnnmodel.dual`) over the paired arithmetic, the base state carrying the
        tangent ``seed_tangent`` (shape ``(R, n, q)``); returns ``{t: Tangent}`` for
        k ≤ t ≤ T, whose tangents are ``∂x_t/∂x_k · seed``.

        >>> net = ModularRNN(2, 1, 3, seed=3, trials=2)
        >>> eye = np.broadcast_to(np.eye(2, dtype=np.int64), (2, 2, 2)).copy()
        >>> bool((net.jvp(1, eye)[3].tan == net.direct_jacobian(3, 1).value()).all())
        True
        """
        p = self._p
        view = self if self.base == k else self.with_base(k)
        val, vb, _, _ = view._state(k)
        cur = Dual((val, vb), (self.field.mod(seed_tangent), Bound.const()))
        out = {k: Tangent(val, cur.tan[0], vb, Bound.const())}
        D = DualArithmetic(p.ctx)
        for t in range(k + 1, self.T + 1):
            cur = p.cell.step(D, p.act, p.params, (cur,), p.input(t)).state
            out[t] = Tangent(cur.val[0], cur.tan[0], cur.val[1], cur.tan[1])
        return out

    def adopt_states(self, run: dict[int, "Tangent"]) -> bool:
        """Take this view's states x_j (j > base) from :meth:`jvp` ``run`` from its own
        base, instead of running the cell a second time: form A only (the run keeps no
        pre-activation), and only where the run starts from this view's base state. The
        values and bounds are the ones the cell computes here (the dual numbers' values
        are the same operations in the same arithmetic), and σ's table is charged at each
        state's first use as if it had been computed here. Returns whether it adopted.

        >>> net = ModularRNN(2, 1, 4, seed=5, trials=2)
        >>> a, b = net.with_base(1), net.with_base(1)
        >>> eye = np.broadcast_to(np.eye(2, dtype=np.int64), (2, 2, 2)).copy()
        >>> a.adopt_states(a.jvp(1, eye))
        True
        >>> bool((a.D(3).value() == b.D(3).value()).all()), a.D(3).bound == b.D(3).bound
        (True, True)
        """
        b = self.base
        if (self.form != "A" or self._states.keys() - {b} or b not in run
                or not np.array_equal(run[b].val, self._state(b)[0])):
            return False
        for j in range(b + 1, self.T + 1):
            if j not in run or j - 1 not in run:
                break
            prev, cur = run[j - 1], run[j]
            self._adopted[j] = (cur.val, cur.vb, prev.val, prev.vb)
        return True

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
        by forward differentiation (dual numbers) from x_0 with tangents seeded on the entries
        of W_rec (:data:`rnnmodel.dual.ENTRY_SEED`)
        (x_0 does not depend on W_rec), then ``E_t' = Σ_i ∂L/∂x_i · x_{t,i}'``.

        >>> net = ModularRNN(2, 1, 2, seed=0, trials=1)
        >>> sorted(net.direct_gradient()), net.direct_gradient()[2][0].shape
        ([1, 2], (1, 2, 2))
        """
        root = self if self.base == 0 else self.with_base(0)
        F, n, p = self.field, self.n, self._p
        val, vb, _, _ = root._state(0)
        cur = Dual((val, vb), (np.zeros((F.R, n, n * n), dtype=np.int64), Bound.const()))
        params = dict(p.params, W_rec=Dual(p.params["W_rec"], ENTRY_SEED))
        D = DualArithmetic(p.ctx)
        out = {}
        for t in range(1, self.T + 1):
            cur = p.cell.step(D, p.act, params, (cur,), p.input(t)).state
            g, gb = root.loss_gradient(t)
            e = F.mod(np.einsum("ri,riq->rq", g, cur.tan[0]))
            out[t] = (e.reshape(F.R, n, n), gb.times(cur.tan[1], inner=n))
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


__all__ = ["ModularRNN", "Tangent", "MAX_N", "MAX_M", "MAX_T", "MAX_TRIALS"]
