"""Tests of derive/network.py: the unrolled RNN, its symbols, states and D(j)."""
import pytest
import sympy as sp
from hypothesis import given

from derive.activations import dsigma, sigma
from derive.network import RNN
from rnncore.errors import InvalidInputError, SizeBudgetError
from tests.strategies import JACOBIAN_NETWORKS


# Verifies: blog eq. 2 (form A) and the NOTE's form B, one step
def test_step_form_A_and_B():
    net = RNN(2, 1, 2)
    x0 = net.state_symbols(0)
    expected = net.W_rec * x0.applyfunc(sigma) + net.W_in * net.u(1) + net.b
    assert sp.expand(net.state(1) - expected) == sp.zeros(2, 1)
    netB = RNN(2, 1, 2, form="B")
    h0 = netB.state_symbols(0)
    a1 = netB.W_rec * h0 + netB.W_in * netB.u(1) + netB.b
    assert sp.expand(netB.state(1) - a1.applyfunc(sigma)) == sp.zeros(2, 1)
    assert sp.expand(netB.sigma_argument(1) - a1) == sp.zeros(2, 1)


def test_D_uses_the_sigma_argument():
    net = RNN(2, 1, 3)
    assert net.D(1) == sp.diag(*net.state(1).applyfunc(dsigma))
    netB = RNN(2, 1, 3, form="B")
    assert netB.D(2) == sp.diag(*netB.sigma_argument(2).applyfunc(dsigma))
    with pytest.raises(InvalidInputError, match="j=0"):
        netB.D(0)


@given(JACOBIAN_NETWORKS)
def test_with_base_shares_symbols(d):
    net = RNN(d["n"], d["m"], d["T"], d["activation"], d["form"])
    k = d["T"] // 2
    other = net.with_base(k)
    assert other.W_rec == net.W_rec and other.b == net.b
    assert other.state(k) == net.state_symbols(k)
    assert other.state(d["T"]).shape == (d["n"], 1)
    assert net.W.shape == (d["n"], d["n"] + d["m"] + 1)


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"n": 0}, InvalidInputError, "n=0"),
    ({"n": 2, "m": -1}, InvalidInputError, "m=-1"),
    ({"n": 2, "T": 0}, InvalidInputError, "T=0"),
    ({"n": 65}, SizeBudgetError, "n=65"),
    ({"n": 2, "T": 1000}, SizeBudgetError, "T=1000"),
    ({"n": 2.5}, InvalidInputError, "n=2.5"),
    ({"n": 2, "activation": "softplus"}, InvalidInputError, "softplus"),
    ({"n": 2, "form": "C"}, InvalidInputError, "'C'"),
    ({"n": 2, "T": 2, "base": 3}, InvalidInputError, "base=3"),
])
def test_bad_input(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        RNN(**kwargs)


def test_bad_steps():
    net = RNN(2, 1, 2).with_base(1)
    with pytest.raises(InvalidInputError, match="t=0 comes before"):
        net.state(0)
    with pytest.raises(InvalidInputError, match="t=3"):
        net.u(3)
