"""Direct derivatives of an unrolled RNN with respect to its parameters θ.

Every derivative here differentiates the *composed* network entry by entry: no chain rule
for matrices is assumed, so these are the ground truth the closed forms of
:mod:`derive.backprop` are checked against. Two routes, selected by ``route=``:

- ``"forward"`` (the default): forward differentiation of the composed network
  (:mod:`derive.forward_gradients`: the model's cell on dual numbers, each operation
  carrying its local derivative);
- ``"sympy"``: the reference, SymPy's ``diff`` of the composed expression
  (``Matrix.jacobian``), kept to check the forward route against (the tests assert identical
  canonical polynomials) and for the benchmark.

**Layout (used by every function of this module and of** :mod:`derive.backprop` **).** A
parameter θ ∈ {``W_rec``, ``W_in``, ``b``} is flattened row-major into the column
``vec(θ)`` (:func:`parameter_vector`; ``W_rec`` gives ``w_{1,1}, w_{1,2}, …, w_{n,n}``).
Derivatives are in numerator layout: ``∂x_t/∂θ`` is the n × |θ| matrix with entry
``(i, p) = ∂x_{t,i}/∂vec(θ)_p``; ``∂E_t/∂x_t`` is a 1 × n row; ``∂E_t/∂θ`` is a 1 × |θ| row;
``∂x_t/∂x_k`` is n × n with entry ``(i, j) = ∂x_{t,i}/∂x_{k,j}``. In form B, read h for x.

``x_0`` is independent of θ: the network is composed from the free symbols ``x_{0,i}``.
The *immediate* partial ``∂⁺x_k/∂θ`` differentiates the step function with the previous
state held constant, at the composed x_{k−1}.

Results are cached by ``(n, m, activation, form, t, θ)`` (the state at step t does not depend
on T), as immutable matrices.

>>> from derive.network import RNN
>>> net = RNN(1, 1, 2)
>>> parameter_vector(net, "W_rec")
[w_{1,1}]
>>> immediate_gradient(net, 2, "W_rec")
Matrix([[sigma(b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x_{0,1}))]])
>>> state_gradient(net, 1, "b")
Matrix([[1]])
>>> sp.expand(state_gradient(net, 2, "W_rec", route="sympy")[0] - state_gradient(net, 2, "W_rec")[0])
0
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from rnncore.errors import InvalidInputError
from rnnmodel.dual import DualArithmetic, EntrySeed

from . import forward_gradients as fwd
from .direct import PolyValues
from .loss import LOSSES, Loss, loss as _loss_named
from .network import RNN, cached_rnn

#: The parameters θ a gradient can be taken with respect to.
THETAS: tuple[str, ...] = ("W_rec", "W_in", "b")
#: The two routes to the same derivatives: forward differentiation (default), SymPy's diff.
ROUTES: tuple[str, ...] = ("forward", "sympy")


def check_route(route) -> str:
    """``route`` if it names a route, else a clear error.

    >>> check_route("backward")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown route='backward'; use one of forward, sympy
    """
    if not isinstance(route, str) or route not in ROUTES:
        raise InvalidInputError(f"unknown route={route!r}; use one of {', '.join(ROUTES)}")
    return route


def check_theta(theta) -> str:
    """``theta`` if it names a parameter, else a clear error.

    >>> check_theta("W_out")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown parameter theta='W_out'; use one of W_rec, W_in, b
    """
    if not isinstance(theta, str) or theta not in THETAS:
        raise InvalidInputError(f"unknown parameter theta={theta!r}; use one of {', '.join(THETAS)}")
    return theta


def as_loss(loss) -> Loss:
    """A :class:`derive.loss.Loss` from a Loss or its name (``generic``, ``squared``).

    >>> as_loss("squared").name
    'squared'
    """
    if isinstance(loss, Loss):
        return loss
    if isinstance(loss, str):
        return _loss_named(loss)
    raise InvalidInputError(f"loss={loss!r} is not a loss; use one of {', '.join(LOSSES)} or a Loss")


def parameter_vector(net: RNN, theta: str) -> list[sp.Symbol]:
    """``vec(θ)``: the entries of θ, row-major (the layout of every parameter derivative).

    >>> parameter_vector(RNN(2, 1, 1), "W_rec")
    [w_{1,1}, w_{1,2}, w_{2,1}, w_{2,2}]
    """
    return list(net.parameters[check_theta(theta)])  # SymPy matrices iterate row-major


def _step(net: RNN, t, name: str, lo: int) -> int:
    if isinstance(t, bool) or not isinstance(t, int) or not lo <= t <= net.T:
        raise InvalidInputError(f"{name}={t!r} is not allowed; use {lo} <= {name} <= T={net.T}")
    return t


def _key(net: RNN) -> tuple:
    return (net.n, net.m, net.activation, net.form)


def _net(key: tuple, T: int, base: int = 0) -> RNN:
    n, m, activation, form = key
    return cached_rnn(n, m, max(T, 1), activation, form, base)


# -- the forward route (each result memoised by plain tuples) ----------------------
@lru_cache(maxsize=512)
def _fw_state_gradient(key: tuple, t: int, theta: str) -> sp.ImmutableMatrix:
    return fwd.forward_network(key, theta).state_gradient(t)


@lru_cache(maxsize=512)
def _fw_immediate_gradient(key: tuple, k: int, theta: str) -> sp.ImmutableMatrix:
    return fwd.forward_network(key, theta).immediate_gradient(k)


@lru_cache(maxsize=512)
def _fw_loss_gradient(key: tuple, loss_name: str, t: int, theta: str) -> sp.ImmutableMatrix:
    return fwd.forward_network(key, theta).loss_gradient(loss_name, t)


@lru_cache(maxsize=128)
def _fw_total_gradient(key: tuple, T: int, loss_name: str, theta: str) -> sp.ImmutableMatrix:
    return fwd.forward_network(key, theta).total_gradient(loss_name, T)


@lru_cache(maxsize=512)
def _fw_loss_state_gradient(key: tuple, loss_name: str, t: int) -> sp.ImmutableMatrix:
    return fwd.loss_state_gradient(loss_name, fwd.forward_network(key, "b").state(t).val, t)


# -- the reference route: SymPy's diff of the composed expression ------------------


@lru_cache(maxsize=512)
def _state_gradient(key: tuple, t: int, theta: str) -> sp.ImmutableMatrix:
    net = _net(key, t)
    return sp.ImmutableMatrix(net.state(t).jacobian(parameter_vector(net, theta)))


@lru_cache(maxsize=512)
def _immediate_gradient(key: tuple, k: int, theta: str) -> sp.ImmutableMatrix:
    if k == 0:
        return sp.ImmutableMatrix.zeros(key[0], len(parameter_vector(_net(key, 1), theta)))
    local = _net(key, k, base=k - 1)  # x_{k-1} is a free symbol: held constant
    root = _net(key, k)
    partial = local.state(k).jacobian(parameter_vector(local, theta))
    back = dict(zip(local.state_symbols(k - 1), root.state(k - 1)))
    return sp.ImmutableMatrix(partial.xreplace(back))


@lru_cache(maxsize=512)
def _state_jacobian(key: tuple, t: int, k: int) -> sp.ImmutableMatrix:
    local = _net(key, t, base=k)
    root = _net(key, t)
    jac = local.state(t).jacobian(local.state_symbols(k))
    return sp.ImmutableMatrix(jac.xreplace(dict(zip(local.state_symbols(k), root.state(k)))))


@lru_cache(maxsize=512)
def _loss_gradient(key: tuple, loss_name: str, t: int, theta: str) -> sp.ImmutableMatrix:
    net = _net(key, t)
    e_t = _loss_named(loss_name).value(net, t)
    return sp.ImmutableMatrix([[e_t]]).jacobian(parameter_vector(net, theta))


@lru_cache(maxsize=128)
def _total_gradient(key: tuple, T: int, loss_name: str, theta: str) -> sp.ImmutableMatrix:
    net = _net(key, T)
    e = _loss_named(loss_name).total(net)
    return sp.ImmutableMatrix([[e]]).jacobian(parameter_vector(net, theta))


def state_gradient(net: RNN, t: int, theta: str, *, route: str = "forward") -> sp.ImmutableMatrix:
    """``∂x_t/∂vec(θ)`` (n × |θ|, numerator layout, vec row-major): the total derivative of
    the composed state, for 0 <= t <= T (t = 0 gives zeros: x_0 is independent of θ).

    >>> state_gradient(RNN(2, 1, 1), 1, "W_in")
    Matrix([
    [u_{1,1},       0],
    [      0, u_{1,1}]])
    >>> state_gradient(RNN(2, 1, 1), 2, "b")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: t=2 is not allowed; use 0 <= t <= T=1
    """
    check_theta(theta)
    fn = _fw_state_gradient if check_route(route) == "forward" else _state_gradient
    return fn(_key(net), _step(net, t, "t", 0), theta)


def immediate_gradient(net: RNN, k: int, theta: str, *, route: str = "forward") -> sp.ImmutableMatrix:
    """``∂⁺x_k/∂vec(θ)`` (n × |θ|, numerator layout, vec row-major): the immediate partial,
    x_{k−1} held constant (the step function differentiated at free symbols for x_{k−1},
    which are then replaced by the composed x_{k−1}). For k = 0 it is zero (x_0 does not
    depend on θ), so a sum over k may start at 0 or at 1 alike.

    >>> immediate_gradient(RNN(2, 1, 1), 1, "W_rec")
    Matrix([
    [sigma(x_{0,1}), sigma(x_{0,2}),              0,              0],
    [             0,              0, sigma(x_{0,1}), sigma(x_{0,2})]])
    """
    check_theta(theta)
    fn = _fw_immediate_gradient if check_route(route) == "forward" else _immediate_gradient
    return fn(_key(net), _step(net, k, "k", 0), theta)


def state_jacobian(net: RNN, t: int, k: int, *, route: str = "forward") -> sp.ImmutableMatrix:
    """``∂x_t/∂x_k`` (n × n, numerator layout) for 0 <= k <= t <= T: the composed map from
    x_k to x_t differentiated at free symbols for x_k, evaluated at the composed x_k.

    >>> state_jacobian(RNN(1, 1, 2), 2, 1)
    Matrix([[w_{1,1}*dsigma(b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x_{0,1}))]])
    >>> state_jacobian(RNN(1, 1, 2), 1, 2)
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: k=2 is not allowed; use 0 <= k <= t=1
    """
    t = _step(net, t, "t", 0)
    if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k <= t:
        raise InvalidInputError(f"k={k!r} is not allowed; use 0 <= k <= t={t}")
    fn = fwd.state_jacobian if check_route(route) == "forward" else _state_jacobian
    return fn(_key(net), t, k)


def loss_state_gradient(net: RNN, loss, t: int, *, route: str = "forward") -> sp.ImmutableMatrix:
    """``∂E_t/∂x_t`` (1 × n row, numerator layout), evaluated at the composed x_t.

    >>> loss_state_gradient(RNN(1, 1, 1), "squared", 1)
    Matrix([[b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x_{0,1}) - y_{1,1}]])
    """
    the_loss = as_loss(loss)
    if check_route(route) == "sympy":
        return sp.ImmutableMatrix(the_loss.state_gradient(net, t))
    if isinstance(t, bool) or not isinstance(t, int) or not 1 <= t <= net.T:
        the_loss.state_gradient(net, t)  # the loss's own error for a bad t
    return _fw_loss_state_gradient(_key(net), the_loss.name, t)


def loss_gradient(net: RNN, loss, t: int, theta: str, *, route: str = "forward") -> sp.ImmutableMatrix:
    """``∂E_t/∂vec(θ)`` (1 × |θ| row, vec row-major), ``E_t = L(x_t)`` differentiated as a
    function of θ through the composed network, 1 <= t <= T.

    >>> loss_gradient(RNN(1, 1, 1), "generic", 1, "b")
    Matrix([[dL_1(b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x_{0,1}))]])
    >>> loss_gradient(RNN(1, 1, 1), "generic", 0, "b")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: t=0 is not allowed; use 1 <= t <= T=1
    """
    name = as_loss(loss).name
    check_theta(theta)
    fn = _fw_loss_gradient if check_route(route) == "forward" else _loss_gradient
    return fn(_key(net), name, _step(net, t, "t", 1), theta)


def total_gradient(net: RNN, loss, theta: str, *, route: str = "forward") -> sp.ImmutableMatrix:
    """``∂E/∂vec(θ)`` (1 × |θ| row, vec row-major) of ``E = Σ_{t=1}^{T} E_t``, differentiated
    as one expression (not term by term).

    >>> total_gradient(RNN(1, 1, 1), "generic", "b") == loss_gradient(RNN(1, 1, 1), "generic", 1, "b")
    True
    """
    name = as_loss(loss).name
    check_theta(theta)
    fn = _fw_total_gradient if check_route(route) == "forward" else _total_gradient
    return fn(_key(net), net.T, name, theta)


@dataclass(frozen=True)
class LocalStep:
    """One step of the network from a *generic* differentiable previous state.

    The previous state is ``g(v)``: n undefined functions of the variables ``v`` we
    differentiate with respect to (``vec(θ)``, or for ``wrt="state"`` the earlier state
    x_k; the other parameters are constants for these partial derivatives, so letting g
    depend on them too would change nothing), given by its 1-jet: the symbol ``g_{i}`` for
    ``g_i(v)`` and ``dg_{i,p}`` for ``∂g_i/∂v_p``. The forward route carries exactly that
    jet through the step; the SymPy route differentiates undefined functions g_i(v) and
    then replaces them by the jet symbols. Either way the pieces are plain expressions:

    - ``direct``: ``∂x/∂vec(θ)`` of ``step(g(v))``, the derivative of the composition
      (n × |θ|; for ``wrt="state"``, n × n: ``∂x_t/∂x_k``);
    - ``immediate``: ``∂⁺x/∂vec(θ)``, the step differentiated with the previous state held
      constant (zero for ``wrt="state"``);
    - ``jacobian``: ``∂x_t/∂x_{t-1}`` at ``g`` (n × n);
    - ``previous``: ``∂g/∂vec(θ)`` (n × |θ|; for ``wrt="state"``, ``∂x_{t-1}/∂x_k``).

    Because ``g`` is an arbitrary differentiable function, an identity among these pieces
    holds for the composed network at every step t (the composed x_{t−1}(θ) is one such g):
    this is how the gradient claims are proved for all T. Layout: vec row-major,
    numerator layout (see the module docstring).
    """

    wrt: str
    direct: sp.ImmutableMatrix
    immediate: sp.ImmutableMatrix
    jacobian: sp.ImmutableMatrix
    previous: sp.ImmutableMatrix


@dataclass(frozen=True)
class LocalLoss:
    """The loss at a *generic* differentiable state ``x = g(v)`` (same 1-jet symbols as
    :class:`LocalStep`): ``direct`` = ``∂L(g(v))/∂vec(θ)`` by ``diff`` (1 × |θ|), ``state`` =
    ``∂L/∂x`` at g (1 × n), ``previous`` = ``∂g/∂vec(θ)`` (n × |θ|)."""

    direct: sp.ImmutableMatrix
    state: sp.ImmutableMatrix
    previous: sp.ImmutableMatrix


@lru_cache(maxsize=256)
def _fw_local_loss(key: tuple, loss_name: str, theta: str) -> LocalLoss:
    net = _net(key, 1)
    gs, dg = _jet_symbols(net.n, len(parameter_vector(net, theta)))
    direct = fwd.loss_dual(loss_name, fwd.Dual(gs, fwd.tangent(dg)), 1).tan
    state = fwd.loss_state_gradient(loss_name, gs, 1)
    return LocalLoss(fwd.as_matrix(direct), state, sp.ImmutableMatrix(dg))


def _check_wrt(wrt) -> str:
    if wrt != "state" and wrt not in THETAS:
        raise InvalidInputError(f"unknown wrt={wrt!r}; use one of {', '.join(THETAS)}, state")
    return wrt


def _jet(net: RNN, wrt: str):
    n = net.n
    earlier = [sp.Symbol(f"s_{{{i + 1}}}") for i in range(n)]
    variables = earlier if wrt == "state" else parameter_vector(net, wrt)
    g = sp.Matrix([sp.Function(f"g_{i + 1}")(*variables) for i in range(n)])
    gs = sp.Matrix([sp.Symbol(f"g_{{{i + 1}}}") for i in range(n)])
    jet = {}
    for i in range(n):
        for p, v in enumerate(variables):
            jet[sp.Derivative(g[i], v)] = sp.Symbol(f"dg_{{{i + 1},{p + 1}}}")
        jet[g[i]] = gs[i]
    return variables, g, gs, jet


def local_step(net: RNN, wrt: str, *, route: str = "forward") -> LocalStep:
    """The pieces of one step from a generic previous state (see :class:`LocalStep`).

    ``wrt`` is a parameter name (θ) or ``"state"`` (the earlier state x_k).

    >>> ls = local_step(RNN(1, 1, 1), "b")
    >>> ls.direct, ls.immediate, ls.jacobian, ls.previous
    (Matrix([[dg_{1,1}*w_{1,1}*dsigma(g_{1}) + 1]]), Matrix([[1]]), Matrix([[w_{1,1}*dsigma(g_{1})]]), Matrix([[dg_{1,1}]]))
    >>> local_step(RNN(1, 1, 1), "x_0")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown wrt='x_0'; use one of W_rec, W_in, b, state
    """
    fn = _fw_local_step if check_route(route) == "forward" else _local_step
    return fn(_key(net), _check_wrt(wrt))


@lru_cache(maxsize=256)
def _local_step(key: tuple, wrt: str) -> LocalStep:
    net = _net(key, 1)
    variables, g, gs, jet = _jet(net, wrt)
    free = net.with_base(0).state_symbols(0)
    at_g = dict(zip(free, gs))
    direct = sp.ImmutableMatrix(net.step(g, 1).jacobian(variables).xreplace(jet))
    if wrt == "state":
        immediate = sp.ImmutableMatrix.zeros(net.n, net.n)
    else:
        immediate = sp.ImmutableMatrix(net.step(free, 1).jacobian(variables).xreplace(at_g))
    jacobian = sp.ImmutableMatrix(net.step(free, 1).jacobian(free).xreplace(at_g))
    previous = sp.ImmutableMatrix(g.jacobian(variables).xreplace(jet))
    return LocalStep(wrt, direct, immediate, jacobian, previous)


def _jet_symbols(n: int, width: int):
    """The generic state's value symbols ``g_{i}`` (n × 1) and 1-jet ``dg_{i,p}`` (n × width)."""
    gs = sp.Matrix(n, 1, [sp.Symbol(f"g_{{{i + 1}}}") for i in range(n)])
    dg = sp.Matrix(n, width, [sp.Symbol(f"dg_{{{i + 1},{p + 1}}}") for i in range(n) for p in range(width)])
    return gs, dg


@lru_cache(maxsize=256)
def _fw_local_step(key: tuple, wrt: str) -> LocalStep:
    net = _net(key, 1)
    n = net.n
    theta = None if wrt == "state" else wrt
    gs, dg = _jet_symbols(n, n if theta is None else len(parameter_vector(net, theta)))
    direct = fwd.step_dual(net, fwd.Dual(gs, fwd.tangent(dg)), 1, theta).tan
    if theta is None:
        immediate = sp.ImmutableMatrix.zeros(n, n)
    else:
        immediate = fwd.as_matrix(fwd.step_dual(net, fwd.Dual(gs, None), 1, theta).tan)
    return LocalStep(wrt, fwd.as_matrix(direct), immediate, _fw_local_jacobian(key),
                     sp.ImmutableMatrix(dg))


@lru_cache(maxsize=64)
def _fw_local_jacobian(key: tuple) -> sp.ImmutableMatrix:
    """``∂x_t/∂x_{t-1}`` at the generic previous state ``g`` (the identity as g's tangent,
    the parameters constant): the same for every ``wrt``, so one forward run serves all four
    local steps of a network."""
    net = _net(key, 1)
    gs, _ = _jet_symbols(net.n, 0)
    jacobian = fwd.step_dual(net, fwd.Dual(gs, fwd.TANGENTS.identity(net.n)), 1, None).tan
    return fwd.as_matrix(jacobian)


def local_step_polynomials(net: RNN, wrt: str, canon) -> tuple:
    """The pieces of :func:`local_step` (``direct``, ``immediate``, ``jacobian``,
    ``previous``) as rows of canonical polynomials over ``canon``
    (:class:`derive.canonical.Canonicalizer`): the same forward runs of the cell, on dual
    numbers whose values are polynomials too (:class:`derive.direct.PolyValues`), so no
    SymPy expression is built. ``immediate`` is None for ``wrt="state"`` (zero). An
    application SymPy would evaluate stays an unknown here: equal polynomials prove the
    identity, a difference proves nothing (decide it on :func:`local_step`).

    >>> from derive.canonical import Canonicalizer
    >>> canon = Canonicalizer()
    >>> direct, immediate, jacobian, previous = local_step_polynomials(RNN(1, 1, 1), "b", canon)
    >>> ls = local_step(RNN(1, 1, 1), "b")
    >>> (direct[0][0] - canon.poly(ls.direct[0, 0])).is_zero()
    True
    """
    wrt = _check_wrt(wrt)
    net = _net(_key(net), 1)
    n = net.n
    theta = None if wrt == "state" else wrt
    width = n if theta is None else len(parameter_vector(net, theta))
    gs, dg = _jet_symbols(n, width)
    base = PolyValues(canon)
    duals = DualArithmetic(base)
    g = [canon.poly(e) for e in gs]
    previous = tuple(tuple(canon.poly(dg[i, p]) for p in range(width)) for i in range(n))
    seeded = dict(net.parameters)
    if theta == "b":  # the unit tangents of b's entries, as fwd.parameter_duals gives them
        seeded["b"] = fwd.Dual(net.b, base.identity(n))
    elif theta is not None:
        seeded[theta] = fwd.Dual(net.parameters[theta], EntrySeed(net.parameters[theta].rows))
    u = fwd._input(n, net.m, 1)

    def run(params, tangent):
        return net.cell.step(duals, net.act, params, (fwd.Dual(g, tangent),), u).state.tan

    direct = run(seeded, previous)
    immediate = None if theta is None else run(seeded, None)
    jacobian = run(net.parameters, base.identity(n))
    return direct, immediate, jacobian, previous


def local_loss(net: RNN, loss, theta: str, *, route: str = "forward") -> LocalLoss:
    """The loss at a generic differentiable state (see :class:`LocalLoss`).

    >>> ll = local_loss(RNN(1, 1, 1), "generic", "b")
    >>> ll.direct, ll.state, ll.previous
    (Matrix([[dg_{1,1}*dL_1(g_{1})]]), Matrix([[dL_1(g_{1})]]), Matrix([[dg_{1,1}]]))
    """
    fn = _fw_local_loss if check_route(route) == "forward" else _local_loss
    return fn(_key(net), as_loss(loss).name, check_theta(theta))


@lru_cache(maxsize=256)
def _local_loss(key: tuple, loss_name: str, theta: str) -> LocalLoss:
    net = _net(key, 1)
    variables, g, gs, jet = _jet(net, theta)
    free = net.with_base(0).state_symbols(0)
    the_loss = _loss_named(loss_name)
    direct = sp.ImmutableMatrix(sp.Matrix([[the_loss.at(g, 1)]]).jacobian(variables).xreplace(jet))
    state = sp.Matrix([[the_loss.at(free, 1)]]).jacobian(free).xreplace(dict(zip(free, gs)))
    previous = sp.ImmutableMatrix(g.jacobian(variables).xreplace(jet))
    return LocalLoss(direct, sp.ImmutableMatrix(state), previous)


__all__ = [
    "ROUTES",
    "check_route",
    "LocalStep",
    "LocalLoss",
    "local_step",
    "local_step_polynomials",
    "local_loss",
    "THETAS",
    "check_theta",
    "as_loss",
    "parameter_vector",
    "state_gradient",
    "immediate_gradient",
    "state_jacobian",
    "loss_state_gradient",
    "loss_gradient",
    "total_gradient",
]
