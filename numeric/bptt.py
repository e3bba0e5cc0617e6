"""Backpropagation through time for the blog's network (form A or B), written once over an
arithmetic: in Arb balls it gives certified enclosures of ∂E/∂θ; in mpmath and float64 the
same algorithm, rounded (no evidence, the alternatives of the benchmark).

The network is the model's cell (:mod:`rnnmodel.cells`), run forward from x_0 on u_1..u_T;
the losses (:data:`LOSSES`) are

* ``half-norm``: E = ½‖x_T‖²;
* ``squared-error``: E = Σ_i (x_{T,i} − y_i)² (no ½; y the target);
* ``every-step``: E = Σ_{t=1}^{T} ½‖x_t‖².

Backward (δ_t = ∂E/∂x_t as a column; D(z) = diag(σ'(z))):

* form A, x_t = W_rec σ(x_{t−1}) + W_in u_t + b: ∂E/∂W_rec = Σ_t δ_t σ(x_{t−1})ᵀ,
  ∂E/∂W_in = Σ_t δ_t u_tᵀ, ∂E/∂b = Σ_t δ_t, δ_{t−1} = D(x_{t−1}) W_recᵀ δ_t (+ the loss at t−1);
* form B, h_t = σ(a_t): g_t = D(a_t) δ_t, then the same with g_t, h_{t−1} and δ_{t−1} = W_recᵀ g_t.

Every operation of the ball run encloses its exact result, so each entry's ball contains the
exact gradient of the exact network at the caller's (exactly converted) numbers.

>>> net = network([[Fraction(1, 2)]], [[1]], [0], [[1], [Fraction(-1, 2)]], x0=[Fraction(1, 4)])
>>> g = bptt(BALLS, net)
>>> sorted(g)
['W_in', 'W_rec', 'b', 'loss', 'x0']
>>> g["W_rec"][0, 0].overlaps(flint.arb(bptt(FLOAT64, net)["W_rec"][0, 0]))
True
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import mpmath
import numpy as np

from rnncore.errors import InvalidInputError, ShapeError
from rnnmodel.activations import Activation, activation
from rnnmodel.balls import BALLS
from rnnmodel.cells import cell, named
from rnnmodel.floats import FLOAT64, MPMATH
from rnnmodel.tape import Node, TapeArithmetic

from .matrices import exact_scalar

#: The declared losses, by name, with their formula.
LOSSES: dict[str, str] = {
    "half-norm": "E = ½‖x_T‖²",
    "squared-error": "E = Σ_i (x_T,i − y_i)²",
    "every-step": "E = Σ_{t=1}^T ½‖x_t‖²",
}
#: The parameters a gradient is taken with respect to, in order.
PARAMETERS: tuple[str, ...] = ("W_rec", "W_in", "b", "x0")
#: Largest sizes accepted (a ball run costs T n² ball products).
MAX_N, MAX_T = 1024, 100_000
_ACTS = ("tanh", "sigmoid", "relu", "identity")

Rows = tuple[tuple[Fraction, ...], ...]


@dataclass(frozen=True)
class Network:
    """A network with exact rational numbers: W_rec (n×n), W_in (n×m), b (n), x0 (n), the
    inputs u_1..u_T (T rows of m), the target y (n, or None), form, activation and loss.

    >>> network([[1]], [[1]], [0], [[0]]).n
    1
    """

    W_rec: Rows
    W_in: Rows
    b: tuple[Fraction, ...]
    x0: tuple[Fraction, ...]
    inputs: Rows
    target: tuple[Fraction, ...] | None
    form: str
    activation: str
    loss: str

    @property
    def n(self) -> int:
        return len(self.W_rec)

    @property
    def m(self) -> int:
        return len(self.W_in[0])

    @property
    def T(self) -> int:
        return len(self.inputs)

    @property
    def act(self) -> Activation:
        return activation(self.activation)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """The parameters a gradient may be given for."""
        return PARAMETERS

    def shape_of(self, name: str) -> tuple[int, ...]:
        """The shape of parameter ``name`` (what a gradient entry array must have).

        >>> network([[1, 0], [0, 1]], [[1], [1]], [0, 0], [[0]]).shape_of("W_in")
        (2, 1)
        """
        return {"W_rec": (self.n, self.n), "W_in": (self.n, self.m), "b": (self.n,), "x0": (self.n,)}[name]


def _array(value: Any, name: str) -> np.ndarray:
    if value is None:
        raise InvalidInputError(f"{name} is missing; give an array")
    a = np.asarray(value, dtype=object)
    if a.size == 0:
        raise ShapeError(f"{name} is empty (shape {a.shape}); give a non-empty array")
    return a


def exact_array(value: Any, name: str, ndim: int) -> np.ndarray:
    """``value`` as an object array of exact Fractions with ``ndim`` dimensions (a vector may
    come as n×1 or 1×n); NaN, inf and non-numbers are refused naming the entry.

    >>> exact_array([0.5, "1/3"], "b", 1).tolist()
    [Fraction(1, 2), Fraction(1, 3)]
    >>> exact_array([[1, float("nan")]], "W_rec", 2)
    Traceback (most recent call last):
    ...
    rnncore.errors.NonFiniteError: W_rec[0, 1] nan is not finite; only finite real numbers are allowed
    """
    a = _array(value, name)
    if ndim == 1 and a.ndim == 2 and 1 in a.shape:
        a = a.reshape(-1)
    if a.ndim != ndim:
        raise ShapeError(f"{name} has shape {a.shape}; a {ndim}-D array is needed")
    out = np.empty(a.shape, dtype=object)
    for idx in np.ndindex(a.shape):
        where = f"{name}[{', '.join(map(str, idx))}]"
        v = a[idx]
        if isinstance(v, np.generic):
            v = v.item()
        if isinstance(v, mpmath.mpf):
            if not mpmath.isfinite(v):
                raise InvalidInputError(f"{where} is {v}; give a finite number")
            man, exp = v.man_exp
            v = Fraction(int(man)) * Fraction(2) ** int(exp)
        out[idx] = exact_scalar(v, where)
    return out


def network(W_rec, W_in, b, inputs, *, x0=None, target=None, form: str = "A",
            activation_name: str = "tanh", loss: str = "half-norm") -> Network:
    """Validate and convert (exactly) a network's numbers; shapes must agree.

    >>> network([[1, 2]], [[1]], [0], [[0]])
    Traceback (most recent call last):
    ...
    rnncore.errors.ShapeError: W_rec has shape 1x2; it must be square n×n
    >>> network([[1]], [[1]], [0], [[0]], loss="mse")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown loss 'mse'; use one of half-norm (E = ½‖x_T‖²), squared-error (E = Σ_i (x_T,i − y_i)²), every-step (E = Σ_{t=1}^T ½‖x_t‖²)
    """
    if not isinstance(loss, str) or loss not in LOSSES:
        raise InvalidInputError(f"unknown loss {loss!r}; use one of "
                                + ", ".join(f"{k} ({v})" for k, v in LOSSES.items()))
    act = activation(activation_name, _ACTS).name
    cell(form)
    W = exact_array(W_rec, "W_rec", 2)
    if W.shape[0] != W.shape[1]:
        raise ShapeError(f"W_rec has shape {W.shape[0]}x{W.shape[1]}; it must be square n×n")
    n = W.shape[0]
    if n > MAX_N:
        raise ShapeError(f"W_rec is {n}x{n}; at most {MAX_N} is supported")
    V = exact_array(W_in, "W_in", 2)
    if V.shape[0] != n:
        raise ShapeError(f"W_in has shape {V.shape[0]}x{V.shape[1]}; it needs n = {n} rows")
    m = V.shape[1]
    U = exact_array(inputs, "inputs", 2)
    if U.shape[1] != m:
        raise ShapeError(f"inputs have shape {U.shape[0]}x{U.shape[1]}; each u_t needs m = {m} entries "
                         "(one row per step)")
    if U.shape[0] > MAX_T:
        raise ShapeError(f"{U.shape[0]} steps; at most {MAX_T} are supported")

    def vec(v, name, default_zero):
        if v is None and default_zero:
            return tuple(Fraction(0) for _ in range(n))
        a = exact_array(v, name, 1)
        if a.shape[0] != n:
            raise ShapeError(f"{name} has {a.shape[0]} entries; it needs n = {n}")
        return tuple(a.tolist())

    y = None
    if loss == "squared-error":
        if target is None:
            raise InvalidInputError("the loss squared-error needs a target y (n entries); give target=...")
        y = vec(target, "target", False)
    rows = lambda A: tuple(tuple(r) for r in A.tolist())  # noqa: E731
    return Network(rows(W), rows(V), vec(b, "b", True), vec(x0, "x0", True), rows(U), y, form, act, loss)


# -- the operations BPTT needs beyond the arithmetic interface, per arithmetic
def _transpose(ctx, M):
    if ctx is BALLS:
        return M.transpose()
    if ctx is MPMATH:
        return [list(r) for r in zip(*M)]
    return M.T


def _outer(ctx, a, c):
    if ctx is BALLS:
        return a * c.transpose()
    if ctx is MPMATH:
        return [[x * y for y in c] for x in a]
    return np.outer(a, c)


def _madd(ctx, A, B):
    if ctx is MPMATH and A and isinstance(A[0], list):
        return [[x + y for x, y in zip(r, s)] for r, s in zip(A, B)]
    return ctx.add(A, B)


def _dot(ctx, a, c):
    if ctx is BALLS:
        return (a.transpose() * c)[0, 0]
    if ctx is MPMATH:
        return mpmath.fsum(x * y for x, y in zip(a, c))
    return float(np.dot(a, c))


def _zeros(ctx, r: int, c: int):
    return ctx.matrix([[0] * c for _ in range(r)])


def bptt(ctx, net: Network) -> dict:
    """``{"loss": E, "W_rec": ∂E/∂W_rec, "W_in": …, "b": …, "x0": …}`` in the arithmetic
    ``ctx`` (:data:`rnnmodel.balls.BALLS` for enclosures; run it inside
    ``flint.ctx.workprec(bits)`` or ``mpmath.workdps(digits)`` for more precision). Vectors
    (b, x0) are columns in balls, 1-D otherwise.

    >>> net = network([[0]], [[0]], [1], [[0]])
    >>> [float(v) for v in (bptt(FLOAT64, net)["loss"], bptt(FLOAT64, net)["b"][0])]
    [0.5, 1.0]
    """
    c, act = cell(net.form), net.act
    W = ctx.matrix(net.W_rec)
    p = {"W_rec": W, "W_in": ctx.matrix(net.W_in), "b": ctx.vector(net.b)}
    us = [ctx.vector(u) for u in net.inputs]
    states, args = [ctx.vector(net.x0)], [None]
    for u in us:
        s = c.step(ctx, act, p, (states[-1],), u)
        states.append(s.state)
        args.append(s.sigma_argument)
    T = net.T
    y = None if net.target is None else ctx.vector(net.target)

    def local(t):  # ∂(loss terms at step t)/∂x_t, and the loss terms themselves
        x = states[t]
        if net.loss == "every-step" or (net.loss == "half-norm" and t == T):
            return x, _dot(ctx, x, x) / 2
        if net.loss == "squared-error" and t == T:
            r = ctx.sub(x, y)
            return ctx.mul(2, r), _dot(ctx, r, r)
        return None, 0

    WT = _transpose(ctx, W)
    gW, gV = _zeros(ctx, net.n, net.n), _zeros(ctx, net.n, net.m)
    gb = ctx.const_like(0, states[0])
    delta, loss = local(T)
    for t in range(T, 0, -1):
        if net.form == "A":
            g = delta
            gW = _madd(ctx, gW, _outer(ctx, g, ctx.sigma(act, states[t - 1])))
        else:
            g = ctx.mul(ctx.dsigma(act, args[t]), delta)
            gW = _madd(ctx, gW, _outer(ctx, g, states[t - 1]))
        gV = _madd(ctx, gV, _outer(ctx, g, us[t - 1]))
        gb = ctx.add(gb, g)
        back = ctx.matvec(WT, g)
        if net.form == "A":
            back = ctx.mul(ctx.dsigma(act, states[t - 1]), back)
        here, e = local(t - 1) if t > 1 else (None, 0)
        delta = back if here is None else ctx.add(back, here)
        loss = loss + e
    return {"loss": loss, "W_rec": gW, "W_in": gV, "b": gb, "x0": delta}


def enclosures(net: Network, prec: int = 128) -> dict:
    """The certified enclosures of :func:`bptt` (of :func:`cell_bptt` for a
    :class:`CellNetwork`) in Arb balls at ``prec`` bits.

    >>> e = enclosures(network([[0]], [[0]], [1], [[0]]))
    >>> e["b"][0, 0] == 1
    True
    """
    with flint.ctx.workprec(prec):
        return cell_bptt(BALLS, net) if isinstance(net, CellNetwork) else bptt(BALLS, net)


# -- any cell of the model: reverse mode on a tape (rnnmodel.tape), the cell's own step
#: The state component the loss reads, for cells whose state is a tuple (LSTM: h; stacked: x²).
OUTPUT: dict[str, int] = {"LSTM": 0, "A-stacked": 1}


@dataclass(frozen=True)
class CellNetwork:
    """A network of any cell of :data:`rnnmodel.cells.CELLS` with exact rational numbers:
    ``params`` (name → matrix rows; a bias ``b…`` as a tuple), the initial states (zeros),
    the inputs (T rows of m), the target, activation and loss; the loss reads the cell's output
    (:data:`OUTPUT`: h of the LSTM, x² of the stacked cell, else the state).

    >>> cell_network("GRU", {"W_z": [[1]], "U_z": [[0]], "b_z": [0], "W_r": [[1]], "U_r": [[0]],
    ...                      "b_r": [0], "W_h": [[1]], "U_h": [[1]], "b_h": [0]}, [[1]]).n
    1
    """

    cell: str
    params: tuple[tuple[str, Any], ...]
    inputs: Rows
    target: tuple[Fraction, ...] | None
    activation: str
    loss: str
    n: int

    @property
    def T(self) -> int:
        return len(self.inputs)

    @property
    def form(self) -> str:
        return self.cell

    @property
    def act(self) -> Activation:
        return activation(self.activation)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.params)

    def shape_of(self, name: str) -> tuple[int, ...]:
        """The shape of parameter ``name``."""
        v = dict(self.params)[name]
        return (len(v),) if name.startswith("b") else (len(v), len(v[0]))


def cell_network(cell_name: str, params, inputs, *, target=None, activation_name: str = "tanh",
                 loss: str = "half-norm") -> CellNetwork:
    """Validate and convert (exactly) a cell network: every parameter of the cell present,
    shapes consistent with n (the hidden size, from the first recurrent matrix) and m.

    >>> cell_network("LSTM", {}, [[0]])
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: cell LSTM needs the parameter(s) W_i, U_i, b_i, W_f, U_f, b_f, W_o, U_o, b_o, W_g, U_g, b_g; missing: W_i, U_i, b_i, W_f, U_f, b_f, W_o, U_o, b_o, W_g, U_g, b_g
    """
    c = named(cell_name)
    if not isinstance(loss, str) or loss not in LOSSES:
        raise InvalidInputError(f"unknown loss {loss!r}; use one of {', '.join(LOSSES)}")
    act = activation(activation_name, _ACTS).name
    params = dict(params)
    missing = [k for k in c.parameters if k not in params]
    if missing:
        raise InvalidInputError(f"cell {c.name} needs the parameter(s) {', '.join(c.parameters)}; "
                                f"missing: {', '.join(missing)}")
    extra = [k for k in params if k not in c.parameters]
    if extra:
        raise InvalidInputError(f"cell {c.name} has no parameter(s) {', '.join(extra)}; it has {', '.join(c.parameters)}")
    U = exact_array(inputs, "inputs", 2)
    m = U.shape[1]
    n = exact_array(params[c.parameters[0]], c.parameters[0], 2).shape[0]
    out = []
    for k in c.parameters:
        if k.startswith("b"):
            a = exact_array(params[k], k, 1)
            want = (n,)
        else:
            a = exact_array(params[k], k, 2)
            want = (n, m) if k.startswith("U_") or k == "W_in" else (n, n)
        if a.shape != want:
            raise ShapeError(f"{k} has shape {a.shape}; cell {c.name} with n = {n}, m = {m} needs {want}")
        out.append((k, tuple(a.tolist()) if a.ndim == 1 else tuple(tuple(r) for r in a.tolist())))
    y = None
    if loss == "squared-error":
        if target is None:
            raise InvalidInputError("the loss squared-error needs a target y (n entries); give target=...")
        ya = exact_array(target, "target", 1)
        if ya.shape != (n,):
            raise ShapeError(f"target has {ya.shape[0]} entries; it needs n = {n}")
        y = tuple(ya.tolist())
    return CellNetwork(c.name, tuple(out), tuple(tuple(r) for r in U.tolist()), y, act, loss, n)


def _zero_past(ctx, c, n: int) -> tuple:
    z = ctx.vector([0] * n)
    if c.name in OUTPUT:
        return (tuple(ctx.vector([0] * n) for _ in range(2)),)
    return tuple(ctx.vector([0] * n) for _ in range(c.reads)) if c.reads > 1 else (z,)


def cell_bptt(ctx, net: CellNetwork) -> dict:
    """``{"loss": E, name: ∂E/∂name, …}`` for a :class:`CellNetwork`, by reverse mode on a
    tape over ``ctx`` (the cell's own step function, recorded op by op).

    >>> net = network([[Fraction(1, 2)]], [[1]], [0], [[1], [2]])
    >>> cnet = cell_network("A", {"W_rec": [[Fraction(1, 2)]], "W_in": [[1]], "b": [0]}, [[1], [2]])
    >>> bool(abs(cell_bptt(FLOAT64, cnet)["W_rec"][0, 0] - bptt(FLOAT64, net)["W_rec"][0, 0]) < 1e-15)
    True
    """
    c, act = named(net.cell), net.act
    tape = TapeArithmetic(ctx)
    leaves = {}
    for k, v in net.params:
        leaves[k] = tape.leaf(ctx.vector(v) if k.startswith("b") else ctx.matrix(v))
    past = _zero_past(ctx, c, net.n)
    outs = []
    for u in net.inputs:
        s = c.step(tape, act, leaves, past, ctx.vector(u))
        past = past[1:] + (s.state,)
        outs.append(s.state[OUTPUT[c.name]] if c.name in OUTPUT else s.state)
    y = None if net.target is None else ctx.vector(net.target)
    seeds, loss = {}, 0
    val = lambda x: x.val if isinstance(x, Node) else x  # noqa: E731
    for t, o in enumerate(outs, start=1):
        x = val(o)
        if net.loss == "every-step" or (net.loss == "half-norm" and t == net.T):
            g, e = x, _dot(ctx, x, x) / 2
        elif net.loss == "squared-error" and t == net.T:
            r = ctx.sub(x, y)
            g, e = ctx.mul(2, r), _dot(ctx, r, r)
        else:
            continue
        loss = loss + e
        if isinstance(o, Node):
            seeds[o] = g if o not in seeds else ctx.add(seeds[o], g)
    adj = tape.backward(seeds)
    out = {"loss": loss}
    for k, leaf in leaves.items():
        v = leaf.val
        out[k] = adj.get(leaf, ctx.const_like(0, v) if k.startswith("b") else _zeros(ctx, *(
            (v.nrows(), v.ncols()) if ctx is BALLS else np.shape(v))))
    return out


__all__ = ["LOSSES", "PARAMETERS", "OUTPUT", "Network", "network", "exact_array", "bptt", "enclosures",
           "CellNetwork", "cell_network", "cell_bptt"]
