"""The certified gradient check: a correct gradient is confirmed, the same gradient with one
entry changed in its 12th significant digit is refuted, float64 finite differences are never
accepted; the enclosures agree with forward-mode dual numbers (an independent differentiation)."""
from fractions import Fraction

import flint
import mpmath
import numpy as np
import pytest

from numeric.bptt import LOSSES, bptt, cell_bptt, cell_network, enclosures, network
from numeric.gradcheck import gradcheck
from rnncore.errors import InvalidInputError, NonFiniteError, PrecisionError, ShapeError
from rnncore.results import Verdict
from rnnmodel.activations import ACTIVATIONS
from rnnmodel.balls import BALLS
from rnnmodel.cells import cell, named
from rnnmodel.dual import ENTRY_SEED, Dual, DualArithmetic
from rnnmodel.floats import FLOAT64, MPMATH


def _net(form="A", loss="half-norm", n=3, m=2, T=5, seed=0, act="tanh"):
    rng = np.random.default_rng(seed)
    return network(rng.normal(size=(n, n)) * 0.6, rng.normal(size=(n, m)), rng.normal(size=n),
                   rng.normal(size=(T, m)), x0=rng.normal(size=n), target=rng.normal(size=n),
                   form=form, activation_name=act, loss=loss)


def _high_precision(net, digits=50):
    with mpmath.workdps(digits + 10):
        g = bptt(MPMATH, net)
        out = {}
        for k in ("W_rec", "W_in", "b", "x0"):
            v = g[k]
            out[k] = (np.array([[mpmath.nstr(x, digits) for x in r] for r in v], dtype=object)
                      if isinstance(v[0], list) else np.array([mpmath.nstr(x, digits) for x in v], dtype=object))
    return out


def numpy_bptt(p, form="A"):
    """A user's BPTT written with numpy operators (form A or B, half-norm loss)."""
    W, V, b, x = p["W_rec"], p["W_in"], p["b"], p["x0"]
    xs, zs = [x], []
    for u in p["inputs"]:
        z = W @ np.tanh(xs[-1]) + V @ u + b if form == "A" else W @ xs[-1] + V @ u + b
        zs.append(z)
        xs.append(z if form == "A" else np.tanh(z))
    d = xs[-1]
    gW, gV, gb = np.zeros_like(W), np.zeros_like(V), np.zeros_like(b)
    for t in range(len(zs), 0, -1):
        if form == "A":
            g = d
            gW = gW + np.outer(g, np.tanh(xs[t - 1]))
            d = (1 - np.tanh(xs[t - 1]) ** 2) * (W.T @ g)
        else:
            g = (1 - np.tanh(zs[t - 1]) ** 2) * d
            gW = gW + np.outer(g, xs[t - 1])
            d = W.T @ g
        gV = gV + np.outer(g, p["inputs"][t - 1])
        gb = gb + g
    return {"W_rec": gW, "W_in": gV, "b": gb, "x0": d}


@pytest.mark.parametrize("form", "AB")
@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_a_correct_gradient_given_with_its_digits_is_confirmed(form, loss):
    net = _net(form, loss)
    r = gradcheck(net, _high_precision(net))
    assert r.verdict is Verdict.CONFIRMED and r.data.checked == 3 * 3 + 3 * 2 + 3 + 3


@pytest.mark.parametrize("form", "AB")
def test_the_same_gradient_changed_in_its_12th_significant_digit_is_refuted(form):
    net = _net(form)
    g = _high_precision(net)
    x = mpmath.mpf(g["W_rec"][1, 2])
    with mpmath.workdps(60):
        g["W_rec"][1, 2] = mpmath.nstr(x * (1 + mpmath.mpf(10) ** -11), 50)
    r = gradcheck(net, g)
    assert r.verdict is Verdict.REFUTED
    e = r.data.failing[0]
    assert len(r.data.failing) == 1 and (e.name, e.index) == ("W_rec", (1, 2))
    assert 0.9e-11 < e.relative < 1.1e-11 and e.gap > 0
    assert not e.given.overlaps(e.true)


@pytest.mark.parametrize("form", "AB")
def test_the_users_numpy_code_run_on_balls_is_confirmed_and_a_wrong_one_refuted(form):
    net = _net(form)
    assert gradcheck(net, lambda p: numpy_bptt(p, form)).verdict is Verdict.CONFIRMED

    def off(p):
        g = numpy_bptt(p, form)
        g["W_in"][0, 1] = g["W_in"][0, 1] * (1 + flint.arb(10) ** -11)
        return g

    r = gradcheck(net, off)
    assert r.verdict is Verdict.REFUTED and (r.data.failing[0].name, r.data.failing[0].index) == ("W_in", (0, 1))

    def transposed(p):  # a classic bug: W instead of Wᵀ in the backward step
        return numpy_bptt(dict(p, W_rec=p["W_rec"].T), form) | {"W_in": None, "b": None, "x0": None,
                                                                 "W_rec": numpy_bptt(p, form)["W_rec"].T}

    assert gradcheck(net, transposed).verdict is Verdict.REFUTED


def test_float64_finite_differences_are_never_accepted():
    net = _net("A", n=3, T=4)
    base = np.array([[float(x) for x in r] for r in net.W_rec])

    def E(W):
        return float(bptt(FLOAT64, network(W, net.W_in, net.b, net.inputs, x0=net.x0))["loss"])

    for h in (1e-4, 1e-6, 1e-8):
        fd = np.zeros_like(base)
        for i in range(3):
            for j in range(3):
                P, M = base.copy(), base.copy()
                P[i, j] += h
                M[i, j] -= h
                fd[i, j] = (E(P) - E(M)) / (2 * h)
        r = gradcheck(net, {"W_rec": fd})
        assert r.verdict in (Verdict.REFUTED, Verdict.UNDECIDED)
        assert r.verdict is Verdict.REFUTED  # at 128 bits every finite difference is exposed


def test_float64_bptt_numbers_are_refuted_by_their_rounding_only():
    net = _net("A")
    g = bptt(FLOAT64, net)
    r = gradcheck(net, {"W_rec": g["W_rec"]})
    assert r.verdict is Verdict.REFUTED and max(e.relative for e in r.data.failing) < 1e-13


def test_enclosures_agree_with_forward_mode_duals_over_balls():
    """∂E/∂W_rec by BPTT in balls overlaps the tangent of forward-mode duals with W_rec's
    entries as directions (ENTRY_SEED): no backward pass involved on that side."""
    for form in "AB":
        net = _net(form, n=2, T=3)
        enc = enclosures(net)
        D = DualArithmetic(BALLS)
        W = Dual(BALLS.matrix(net.W_rec), ENTRY_SEED)
        p = {"W_rec": W, "W_in": BALLS.matrix(net.W_in), "b": BALLS.vector(net.b)}
        x = BALLS.vector(net.x0)
        for u in net.inputs:
            x = cell(form).step(D, ACTIVATIONS["tanh"], p, (x,), BALLS.vector(u)).state
        grad = x.val.transpose() * x.tan  # half-norm: ∂E/∂θ = x_Tᵀ ∂x_T/∂θ
        for i in range(2):
            for j in range(2):
                assert grad[0, i * 2 + j].overlaps(enc["W_rec"][i, j])


def test_relu_at_its_kink_is_undecided():
    net = network([[1]], [[0]], [0], [[0]], x0=[0], activation_name="relu")
    r = gradcheck(net, {"W_rec": [[0]]})
    assert r.verdict is Verdict.UNDECIDED and "kink" in r.evidence


@pytest.mark.parametrize("gradient,error,match", [
    ({"W_rec": [[float("nan")] * 3] * 3}, NonFiniteError, "not finite"),
    ({"W_rec": [[0] * 4] * 3}, ShapeError, "shape"),
    ({}, InvalidInputError, "no arrays"),
    ({"dW": [[0]]}, InvalidInputError, "unknown array"),
    (lambda p: 1 / 0, InvalidInputError, "ZeroDivisionError"),
    ([1, 2], InvalidInputError, "a list"),
])
def test_bad_gradients_are_one_line_errors(gradient, error, match):
    with pytest.raises(error, match=match):
        gradcheck(_net(), gradient)


def test_bad_networks_and_precisions_are_refused():
    with pytest.raises(ShapeError, match="needs m = 2"):
        network(np.eye(2), np.ones((2, 2)), None, np.ones((3, 1)))
    with pytest.raises(InvalidInputError, match="needs a target"):
        network(np.eye(2), np.ones((2, 1)), None, np.ones((3, 1)), loss="squared-error")
    with pytest.raises(PrecisionError):
        gradcheck(_net(), {"b": [0, 0, 0]}, prec=20)
    assert network([[Fraction(1, 3)]], [[1]], [0], [["1/2"]]).inputs == ((Fraction(1, 2),),)


# -- any cell of the model: reverse mode on a tape
CELL_NAMES = ("A", "B", "LSTM", "GRU", "GRU-cho", "A-stacked", "A-skip")


def _cell_net(name, loss="half-norm", n=2, m=2, T=3, seed=0):
    rng = np.random.default_rng(seed)
    c = named(name)
    P = {k: (rng.normal(size=n) * 0.5 if k.startswith("b") else
             rng.normal(size=(n, m) if (k.startswith("U_") or k == "W_in") else (n, n)) * 0.5)
         for k in c.parameters}
    return cell_network(name, P, rng.normal(size=(T, m)), target=rng.normal(size=n), loss=loss)


def _cell_high_precision(net, digits=50):
    with mpmath.workdps(digits + 10):
        g = cell_bptt(MPMATH, net)
        return {k: np.array([[mpmath.nstr(x, digits) for x in r] for r in v] if isinstance(v[0], list)
                            else [mpmath.nstr(x, digits) for x in v], dtype=object)
                for k, v in g.items() if k != "loss"}


@pytest.mark.parametrize("name", CELL_NAMES)
@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_every_cells_gradient_with_its_digits_is_confirmed(name, loss):
    net = _cell_net(name, loss)
    assert gradcheck(net, _cell_high_precision(net)).verdict is Verdict.CONFIRMED


@pytest.mark.parametrize("name", CELL_NAMES)
def test_every_cells_gradient_changed_in_the_12th_digit_is_refuted(name):
    net = _cell_net(name)
    g = _cell_high_precision(net)
    key = named(name).parameters[0]
    with mpmath.workdps(60):
        g[key][0, 1] = mpmath.nstr(mpmath.mpf(g[key][0, 1]) * (1 + mpmath.mpf(10) ** -11), 50)
    r = gradcheck(net, g)
    assert r.verdict is Verdict.REFUTED and [(e.name, e.index) for e in r.data.failing] == [(key, (0, 1))]


@pytest.mark.parametrize("form", "AB")
def test_the_tape_agrees_with_the_hand_written_bptt(form):
    """Two differentiations of the blog's forms: the hand-written backward pass and the tape
    recording the cell's own step function; their enclosures overlap entry by entry."""
    net = _net(form, n=3, T=4)
    cnet = cell_network(form, {"W_rec": net.W_rec, "W_in": net.W_in, "b": net.b}, net.inputs)
    hand = enclosures(network(net.W_rec, net.W_in, net.b, net.inputs, form=form))
    tape = enclosures(cnet)
    for k in ("W_rec", "W_in", "b"):
        M, N = hand[k], tape[k]
        assert all(M[i, j].overlaps(N[i, j]) for i in range(M.nrows()) for j in range(M.ncols()))


def test_lstm_gradient_agrees_with_forward_mode_duals():
    """∂E/∂W_f of an LSTM by the tape, against dual numbers seeded on W_f's entries."""
    net = _cell_net("LSTM", n=2, T=2)
    enc = enclosures(net)
    P = {k: (BALLS.vector(v) if k.startswith("b") else BALLS.matrix(v)) for k, v in net.params}
    P["W_f"] = Dual(P["W_f"], ENTRY_SEED)
    D = DualArithmetic(BALLS)
    past = ((BALLS.vector([0, 0]), BALLS.vector([0, 0])),)
    for u in net.inputs:
        past = (named("LSTM").step(D, ACTIVATIONS["tanh"], P, past, BALLS.vector(u)).state,)
    h = past[0][0]
    grad = h.val.transpose() * h.tan
    assert all(grad[0, i * 2 + j].overlaps(enc["W_f"][i, j]) for i in range(2) for j in range(2))


def test_bad_cell_networks_are_refused():
    with pytest.raises(InvalidInputError, match="missing: W_g"):
        cell_network("LSTM", {k: [[0]] for k in named("LSTM").parameters if k != "W_g"}, [[0]])
    with pytest.raises(InvalidInputError, match="no parameter"):
        cell_network("A", {"W_rec": [[0]], "W_in": [[0]], "b": [0], "U": [[0]]}, [[0]])
    with pytest.raises(ShapeError, match="needs"):
        cell_network("A", {"W_rec": [[0]], "W_in": [[0, 1]], "b": [0]}, [[0]])
