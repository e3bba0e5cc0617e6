"""Tests of derive/gradients.py: direct derivatives, layout (vec row-major, numerator), ∂⁺."""
import pytest
import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from derive.gradients import (
    THETAS,
    check_theta,
    immediate_gradient,
    local_loss,
    local_step,
    loss_gradient,
    loss_state_gradient,
    parameter_vector,
    state_gradient,
    state_jacobian,
    total_gradient,
)
from derive.network import RNN
from derive.prove import prove_equal
from rnncore.errors import InvalidInputError
from tests.strategies import ACTIVATION_NAMES, FORM_NAMES, LOSS_NAMES, THETA_NAMES


def test_layout_is_row_major_and_numerator():
    net = RNN(2, 3, 1)
    assert parameter_vector(net, "W_in") == [net.W_in[0, 0], net.W_in[0, 1], net.W_in[0, 2],
                                             net.W_in[1, 0], net.W_in[1, 1], net.W_in[1, 2]]
    d = state_gradient(net, 1, "W_rec")
    assert d.shape == (2, 4)
    s = net.sigma(net.state_symbols(0))
    # (i, p) = ∂x_{1,i}/∂vec(W_rec)_p, p = 2*row + col
    for i in range(2):
        for row in range(2):
            for col in range(2):
                assert d[i, 2 * row + col] == (s[col] if i == row else 0)
    assert loss_gradient(net, "generic", 1, "b").shape == (1, 2)
    assert loss_state_gradient(net, "generic", 1).shape == (1, 2)


def test_time_zero_and_empty_products():
    net = RNN(2, 1, 2)
    assert state_gradient(net, 0, "W_rec") == sp.zeros(2, 4)
    assert immediate_gradient(net, 0, "b") == sp.zeros(2, 2)  # x_0 does not depend on θ
    assert state_jacobian(net, 2, 2) == sp.eye(2)


# Verifies: blog.eq7 (∂⁺ differs from the total ∂ beyond the first step)
def test_immediate_and_total_partials_agree_at_t1_and_differ_later():
    net = RNN(2, 1, 2)
    for theta in THETAS:
        assert prove_equal(immediate_gradient(net, 1, theta), state_gradient(net, 1, theta)).verdict.value == "proved"
    r = prove_equal(immediate_gradient(net, 2, "W_rec"), state_gradient(net, 2, "W_rec"))
    assert r.verdict.value == "refuted"


def test_immediate_partial_holds_the_previous_state():
    net = RNN(2, 1, 3, "tanh", "B")
    part = immediate_gradient(net, 3, "W_in")
    # form B: ∂⁺h_3/∂W_in = diag(σ'(a_3)) (I ⊗ u_3^T), a_3 built on the composed h_2
    expected = net.D(3) * sp.kronecker_product(sp.eye(2), net.u(3).T)
    assert prove_equal(part, expected).verdict.value == "proved"


def test_state_jacobian_is_the_direct_jacobian_at_the_composed_state():
    net = RNN(2, 1, 3)
    J = state_jacobian(net, 3, 1)
    local = net.with_base(1)
    direct = local.state(3).jacobian(local.state_symbols(1)).xreplace(
        dict(zip(local.state_symbols(1), net.state(1))))
    assert J == direct


# Verifies: blog.eq4
def test_total_gradient_differentiates_the_whole_sum():
    net = RNN(1, 1, 2)
    total = total_gradient(net, "squared", "W_rec")
    by_steps = loss_gradient(net, "squared", 1, "W_rec") + loss_gradient(net, "squared", 2, "W_rec")
    assert prove_equal(total, by_steps).verdict.value == "proved"


# Verifies: blog.eq7 (local step, generic previous state)
@settings(max_examples=10)
@given(n=st.integers(1, 2), activation=ACTIVATION_NAMES,
       form=FORM_NAMES, theta=THETA_NAMES)
@example(n=2, activation="relu", form="B", theta="W_rec")
def test_local_step_obeys_eq7(n, activation, form, theta):
    ls = local_step(RNN(n, 1, 1, activation, form), theta)
    assert prove_equal(ls.direct, ls.immediate + ls.jacobian * ls.previous).verdict.value == "proved"
    # and the total reading (∂ in place of ∂⁺) counts the previous state twice
    wrong = prove_equal(ls.direct, ls.direct + ls.jacobian * ls.previous)
    assert wrong.verdict.value == "refuted"


# Verifies: blog.eq5 (local, generic state)
@settings(max_examples=6)
@given(name=LOSS_NAMES, theta=THETA_NAMES)
def test_local_loss_obeys_eq5(name, theta):
    ll = local_loss(RNN(2, 2, 1), name, theta)
    assert prove_equal(ll.direct, ll.state * ll.previous).verdict.value == "proved"


def test_local_state_recursion():
    ls = local_step(RNN(2, 1, 1, "sigmoid", "A"), "state")
    assert ls.immediate == sp.zeros(2, 2)
    assert prove_equal(ls.direct, ls.jacobian * ls.previous).verdict.value == "proved"


@pytest.mark.parametrize("theta", ["W", "w_rec", None, "W_out", ""])
def test_unknown_parameters_are_rejected(theta):
    with pytest.raises(InvalidInputError, match="unknown parameter"):
        check_theta(theta)
    with pytest.raises(InvalidInputError):
        state_gradient(RNN(1, 1, 1), 1, theta)


def test_steps_out_of_range_are_rejected():
    net = RNN(1, 1, 2)
    with pytest.raises(InvalidInputError, match="use 0 <= t <= T=2"):
        state_gradient(net, 3, "b")
    with pytest.raises(InvalidInputError, match="use 1 <= t <= T=2"):
        loss_gradient(net, "generic", 0, "b")
    with pytest.raises(InvalidInputError, match="use 0 <= k <= t=1"):
        state_jacobian(net, 1, 2)
    with pytest.raises(InvalidInputError, match="use 0 <= k <= T=2"):
        immediate_gradient(net, -1, "b")
    with pytest.raises(InvalidInputError, match="unknown wrt"):
        local_step(net, "x")
    with pytest.raises(InvalidInputError, match="unknown loss"):
        loss_gradient(net, "mse", 1, "b")


# Verifies: blog eqs. 7, 11 (the memoised local one-step Jacobian = a fresh forward run from
# the generic state, for every wrt)
@pytest.mark.parametrize("activation", ["generic", "tanh", "sigmoid", "relu"])
@pytest.mark.parametrize("form", ["A", "B"])
def test_local_jacobian_shared_across_wrt(activation, form):
    from derive import forward_gradients as fwd
    from derive.gradients import _jet_symbols, local_step
    net = RNN(2, 1, 1, activation, form)
    gs, _ = _jet_symbols(2, 0)
    fresh = fwd.as_matrix(fwd.step_dual(net, fwd.Dual(gs, fwd.TANGENTS.identity(2)), 1, None).tan)
    from derive.canonical import Canonicalizer
    canon = Canonicalizer()
    for wrt in ("W_rec", "W_in", "b", "state"):
        assert local_step(net, wrt).jacobian == fresh
        reference = local_step(net, wrt, route="sympy").jacobian
        assert all((canon.poly(a) - canon.poly(b)).is_zero() for a, b in zip(reference, fresh))
