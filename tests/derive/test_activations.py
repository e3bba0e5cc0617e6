"""Tests of derive/activations.py: σ, σ' and the relu convention at the kink."""
import pytest
import sympy as sp

from derive.activations import ACTIVATIONS, activation, dsigma, relu, sigma, sigmoid, step
from rnncore.errors import InvalidInputError

z = sp.Symbol("z")


def test_derivatives_are_what_diff_produces():
    assert activation("generic").derivative(z) == sigma(z).diff(z) == dsigma(z)
    assert activation("tanh").derivative(z) == sp.tanh(z).diff(z)
    assert sp.expand(activation("sigmoid").derivative(z) - sigmoid(z) * (1 - sigmoid(z))) == 0
    assert activation("relu").derivative(z) == step(z)


def test_sigmoid_matches_its_definition():
    d = sp.simplify(sigmoid(z).rewrite(sp.exp).diff(z) - (sigmoid(z) * (1 - sigmoid(z))).rewrite(sp.exp))
    assert d == 0
    assert sigmoid(sp.log(3)) == sp.Rational(3, 4)


def test_relu_is_exact_on_rationals_and_step_at_zero_is_zero():
    assert relu(sp.Rational(-3, 2)) == 0 and relu(sp.Rational(5, 7)) == sp.Rational(5, 7)
    assert step(0) == 0 and step(sp.Rational(1, 9)) == 1


def test_derivative_template_is_reused_for_every_argument():
    a, b = sp.symbols("a b")
    act = activation("tanh")
    assert act.derivative(a + b) == 1 - sp.tanh(a + b) ** 2
    assert act.derivative(a) == 1 - sp.tanh(a) ** 2


@pytest.mark.parametrize("name", ["softplus", "", None, 3])
def test_unknown_activation(name):
    with pytest.raises(InvalidInputError, match="use one of generic, tanh, sigmoid, relu"):
        activation(name)


def test_names():
    assert ACTIVATIONS == ("generic", "tanh", "sigmoid", "relu")
