"""Tests of derive/loss.py: the generic loss L with independent partials, ½‖x − y‖², E = Σ E_t."""
import pytest
import sympy as sp
from hypothesis import given, settings

from derive.loss import LOSSES, L, dL, loss, target
from derive.network import RNN
from derive.prove import prove_equal
from rnncore.errors import InvalidInputError
from tests.strategies import FORM_NAMES, LOSS_NAMES

a, b, c = sp.symbols("a b c")


# Verifies: blog eq. 3 (E_t = L(x_t), L generic)
def test_generic_partials_are_independent_functions():
    assert L(a, b).diff(a) == dL(1)(a, b)
    assert L(a, b).diff(b) == dL(2)(a, b)
    assert dL(1) is dL(1) and dL(1) != dL(2)
    # independence: nothing ties dL_1 to dL_2 or to L, so prove_equal must refute equality
    assert prove_equal(dL(1)(a, b), dL(2)(a, b)).verdict.value == "refuted"
    assert prove_equal(L(a, b), dL(1)(a, b)).verdict.value == "refuted"


def test_chain_rule_through_generic_loss():
    expr = L(a * c, b + c).diff(c)
    assert prove_equal(expr, a * dL(1)(a * c, b + c) + dL(2)(a * c, b + c)).verdict.value == "proved"


# Verifies: blog "MSE" loss ½‖x_t − y_t‖²
def test_squared_loss_and_its_gradient():
    x = sp.Matrix([a, b])
    assert sp.expand(loss("squared").at(x, 2) - ((a - target(2, 2)[0]) ** 2 + (b - target(2, 2)[1]) ** 2) / 2) == 0
    net = RNN(2, 1, 2)
    row = loss("squared").state_gradient(net, 2)
    assert row.shape == (1, 2)
    assert prove_equal(row, (net.state(2) - target(2, 2)).T).verdict.value == "proved"


@settings(max_examples=6)
@given(name=LOSS_NAMES, form=FORM_NAMES)
def test_total_is_the_sum_of_the_steps(name, form):
    # Verifies: blog eq. 3
    net = RNN(2, 1, 3, form=form)
    the_loss = loss(name)
    assert the_loss.total(net) == sp.Add(*(the_loss.value(net, t) for t in range(1, 4)))


def test_value_uses_the_state_composed_from_step_zero():
    net = RNN(1, 1, 2).with_base(1)
    assert loss("generic").value(net, 2) == L(RNN(1, 1, 2).state(2)[0])


@pytest.mark.parametrize("bad", ["mse", "", None, 3])
def test_unknown_loss_names_are_rejected(bad):
    with pytest.raises(InvalidInputError, match="unknown loss"):
        loss(bad)


@pytest.mark.parametrize("t", [0, 4, -1, 1.5, True])
def test_steps_out_of_range_are_rejected(t):
    with pytest.raises(InvalidInputError, match="use 1 <= t <= T=3"):
        loss("generic").value(RNN(1, 1, 3), t)


def test_bad_state_shape_is_rejected():
    with pytest.raises(InvalidInputError, match="column vector"):
        loss("squared").at(sp.Matrix([[a, b]]), 1)
    with pytest.raises(InvalidInputError, match="partial index"):
        dL(0)


def test_loss_names():
    assert LOSSES == ("generic", "squared")
