"""The forward route of derive/gradients.py (dual numbers over SymPy) against the kept SymPy
reference route (``Matrix.jacobian`` of the composed expression): identical canonical
polynomials, entry by entry, for every piece the gradient claims use."""
import pytest
import sympy as sp
from hypothesis import example, given, settings

from derive import gradients as G
from derive.forward_gradients import (ALL, DUALS, ForwardNetwork, columns, forward_network,
                                      loss_dual, parameter_duals, step_dual)
from derive.network import RNN, cached_rnn
from derive.prove import Canonicalizer, prove_equal
from rnncore.errors import InvalidInputError
from rnnmodel.dual import Dual
from tests.strategies import gradient_networks

ACTIVATIONS = ("generic", "tanh", "sigmoid", "relu")


def assert_same(forward, reference):
    """Equal shapes and, entry by entry, the same canonical polynomial."""
    assert forward.shape == reference.shape
    canon = Canonicalizer()
    for (i, a), b in zip(enumerate(forward), reference):
        assert (canon.poly(a) - canon.poly(b)).is_zero(), (i, a, b)


@settings(max_examples=25, deadline=None)
@given(gradient_networks())
@example((2, 2, "relu", "B", 2, "W_in", "squared"))
@example((2, 1, "tanh", "A", 2, "W_rec", "generic"))
@example((1, 2, "sigmoid", "B", 1, "b", "squared"))
def test_forward_route_equals_sympy_route(case):
    n, m, activation, form, t, theta, loss = case
    net = RNN(n, m, t, activation, form)
    for k in range(t + 1):
        assert_same(G.state_gradient(net, k, theta), G.state_gradient(net, k, theta, route="sympy"))
        assert_same(G.immediate_gradient(net, k, theta),
                    G.immediate_gradient(net, k, theta, route="sympy"))
        assert_same(G.state_jacobian(net, t, k), G.state_jacobian(net, t, k, route="sympy"))
    assert_same(G.loss_gradient(net, loss, t, theta), G.loss_gradient(net, loss, t, theta, route="sympy"))
    assert_same(G.loss_state_gradient(net, loss, t), G.loss_state_gradient(net, loss, t, route="sympy"))
    assert_same(G.total_gradient(net, loss, theta), G.total_gradient(net, loss, theta, route="sympy"))


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("form", ["A", "B"])
def test_local_pieces_equal_sympy_route(activation, form):
    net = RNN(2, 2, 1, activation, form)
    for wrt in G.THETAS + ("state",):
        fw, ref = G.local_step(net, wrt), G.local_step(net, wrt, route="sympy")
        assert fw.wrt == ref.wrt == wrt
        for piece in ("direct", "immediate", "jacobian", "previous"):
            assert_same(getattr(fw, piece), getattr(ref, piece))
    for loss in ("generic", "squared"):
        for theta in G.THETAS:
            fw, ref = G.local_loss(net, loss, theta), G.local_loss(net, loss, theta, route="sympy")
            for piece in ("direct", "state", "previous"):
                assert_same(getattr(fw, piece), getattr(ref, piece))


def test_every_activation_and_form_at_three_steps():
    # the composed tangents at T = 3 (each step's entries reuse the previous step's)
    for activation in ACTIVATIONS:
        for form in ("A", "B"):
            net = RNN(2, 1, 3, activation, form)
            assert_same(G.state_gradient(net, 3, "W_rec"), G.state_gradient(net, 3, "W_rec", route="sympy"))
            assert_same(G.loss_gradient(net, "squared", 3, "b"),
                        G.loss_gradient(net, "squared", 3, "b", route="sympy"))


def test_forward_results_are_the_public_types():
    net = RNN(2, 1, 2)
    for value in (G.state_gradient(net, 2, "W_in"), G.immediate_gradient(net, 0, "b"),
                  G.state_jacobian(net, 2, 0), G.loss_gradient(net, "generic", 1, "W_rec"),
                  G.loss_state_gradient(net, "squared", 2), G.total_gradient(net, "generic", "b")):
        assert isinstance(value, sp.ImmutableMatrix)
    assert G.state_gradient(net, 0, "W_rec") == sp.zeros(2, 4)
    assert G.immediate_gradient(net, 0, "W_in") == sp.zeros(2, 2)
    assert G.state_jacobian(net, 2, 2) == sp.eye(2)


def test_bad_route_and_bad_steps_are_clear_errors():
    net = RNN(1, 1, 2)
    with pytest.raises(InvalidInputError, match="route='reverse'"):
        G.state_gradient(net, 1, "b", route="reverse")
    with pytest.raises(InvalidInputError, match="t=3 is not allowed"):
        G.state_gradient(net, 3, "b")
    with pytest.raises(InvalidInputError, match="t=0 has no loss term"):
        G.loss_state_gradient(net, "generic", 0)
    with pytest.raises(InvalidInputError, match="theta='W_out'"):
        parameter_duals(net, "W_out")


def test_all_parameters_pass_is_the_three_single_passes_side_by_side():
    net = cached_rnn(2, 2, 1, "tanh", "B")
    whole = ForwardNetwork(net, ALL)
    assert whole.width == 4 + 4 + 2
    for theta in G.THETAS:
        single = ForwardNetwork(net, theta)
        for t in (1, 2):
            assert_same(columns(net, whole.state(t).tan, theta), single.state_gradient(t))
    assert forward_network((2, 2, "tanh", "B"), "b").whole is forward_network((2, 2, "tanh", "B"), "W_rec").whole


def test_wrong_candidates_are_refuted_through_the_forward_route():
    net = RNN(2, 1, 2, "generic", "A")
    direct = G.state_gradient(net, 2, "W_rec")
    # eq. 7 with the total derivative for ∂⁺ counts the path through x_1 twice
    twice = G.state_gradient(net, 2, "W_rec") + G.state_jacobian(net, 2, 1) * G.state_gradient(net, 1, "W_rec")
    r = prove_equal(direct, twice, method="exact")
    assert r.verdict.value == "refuted" and r.counterexample is not None
    # the Jacobian in the wrong layout (transposed)
    wrong = G.immediate_gradient(net, 2, "W_rec") + G.state_jacobian(net, 2, 1).T * G.state_gradient(net, 1, "W_rec")
    assert prove_equal(direct, wrong, method="exact").verdict.value == "refuted"
    # and the right one is proved
    right = G.immediate_gradient(net, 2, "W_rec") + G.state_jacobian(net, 2, 1) * G.state_gradient(net, 1, "W_rec")
    assert prove_equal(direct, right, method="exact").verdict.value == "proved"


def test_local_step_refutes_a_step_without_the_immediate_term():
    ls = G.local_step(RNN(2, 1, 1, "sigmoid", "B"), "b")
    assert prove_equal(ls.direct, ls.jacobian * ls.previous, method="exact").verdict.value == "refuted"
    assert prove_equal(ls.direct, ls.immediate + ls.jacobian * ls.previous, method="exact").verdict.value == "proved"


def test_squared_loss_dual_is_the_product_rule():
    a, da = sp.symbols("a da")
    e = loss_dual("squared", Dual(sp.Matrix([a]), ((da,),)), 2)
    assert e.val == (a - sp.Symbol("y_{2,1}")) ** 2 / 2
    assert sp.expand(e.tan[0][0] - sp.diff((a - sp.Symbol("y_{2,1}")) ** 2 / 2, a) * da) == 0
    assert loss_dual("generic", Dual(sp.Matrix([a]), None), 1).tan is None


def test_step_dual_holds_parameters_constant_without_theta():
    net = RNN(1, 1, 1, "tanh", "A")
    x = net.state_symbols(0)
    step = step_dual(net, Dual(x, ((sp.S.One,),)), 1, None)
    assert sp.expand(step.tan[0][0] - sp.diff(net.step(x, 1)[0], x[0])) == 0
    assert step_dual(net, Dual(x, None), 1, None).tan is None
    assert DUALS.add(Dual(1, None), Dual(2, None)).tan is None
