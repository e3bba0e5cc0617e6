"""Tests of derive/direct.py: the direct Jacobian by Matrix.jacobian and by memoised
forward differentiation agree, and match hand-derived entries."""
import pytest
import sympy as sp
from hypothesis import example, given

from derive.activations import dsigma, sigma
from derive.direct import ForwardJacobians, direct_jacobian, normalise_derivatives
from derive.network import RNN
from derive.prove import prove_equal
from rnncore.errors import InvalidInputError
from tests.strategies import JACOBIAN_NETWORKS


# Verifies: blog eq. 12 at n = 2 by hand (numerator layout)
def test_one_step_by_hand():
    net = RNN(2, 1, 1)
    J = direct_jacobian(net, 1, 0)
    x = net.state_symbols(0)
    w = net.W_rec
    assert J[0, 1] == w[0, 1] * dsigma(x[1])  # ∂x_{1,1}/∂x_{0,2}: row = output, column = input
    assert J[1, 0] == w[1, 0] * dsigma(x[0])


def test_two_steps_by_hand_n1():
    net = RNN(1, 1, 2)
    x0 = net.state_symbols(0)[0]
    w = net.W_rec[0, 0]
    x1 = net.state(1)[0]
    expected = w * dsigma(x1) * w * dsigma(x0)
    assert prove_equal(direct_jacobian(net, 2, 0)[0, 0], expected).verdict.value == "proved"


@given(JACOBIAN_NETWORKS)
@example({"n": 2, "m": 2, "T": 3, "activation": "sigmoid", "form": "B"})
def test_forward_agrees_with_matrix_jacobian(d):
    rnn = RNN(d["n"], d["m"], d["T"], d["activation"], d["form"])
    k = 0
    fw = ForwardJacobians(rnn, k)
    for t in range(k, d["T"] + 1):
        J = direct_jacobian(rnn, t, k)
        F = fw.jacobian(t)
        for i in range(d["n"]):
            for j in range(d["n"]):
                assert (F[i][j] - fw.canon.poly(J[i, j])).is_zero()


def test_identity_at_t_equal_k():
    assert direct_jacobian(RNN(3, 1, 2, "relu"), 2, 2) == sp.eye(3)


def test_normalise_derivatives():
    c, a = sp.symbols("c a")
    hand = sp.Subs(sp.Derivative(sigma(c), c), c, a)
    assert normalise_derivatives(sp.Matrix([[hand]])) == sp.Matrix([[dsigma(a)]])


@pytest.mark.parametrize("t, k, match", [(1, 2, "k=2 > t=1"), (4, 0, "t=4"), (1, -1, "k=-1"), (1.0, 0, "t=1.0")])
def test_bad_pairs(t, k, match):
    with pytest.raises(InvalidInputError, match=match):
        direct_jacobian(RNN(2, 1, 3), t, k)
