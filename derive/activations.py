"""Activation functions σ and their derivatives σ' as SymPy functions.

``generic``: an undefined σ whose derivative is an independent undefined σ' (written
``dsigma``). ``tanh``: SymPy's ``tanh`` (σ' = 1 − tanh²). ``sigmoid``: σ(z) = 1/(1+e^{−z})
with σ' = σ(1 − σ). ``relu``: σ(z) = max(0, z) with σ'(z) = step(z), where **step(0) = 0**
(the convention of PyTorch and JAX; the true derivative does not exist at the kink, so
a claim about relu is a claim away from z = 0 plus this convention at it).

Derivatives are produced by SymPy's own ``diff`` through each class's ``fdiff``, so
direct differentiation and closed forms meet in the same canonical terms.

>>> import sympy as sp
>>> z = sp.Symbol("z")
>>> sigma(z).diff(z)
dsigma(z)
>>> sigmoid(z).diff(z)
(1 - sigmoid(z))*sigmoid(z)
>>> relu(sp.Rational(-1, 2)), relu(3), step(0), step(2)
(0, 3, 0, 1)
>>> activation("tanh").derivative(z)
1 - tanh(z)**2
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

from rnncore.errors import InvalidInputError


class dsigma(sp.Function):
    """σ' of the generic activation: an undefined function, independent of σ."""


class sigma(sp.Function):
    """The generic activation σ: undefined, with ``diff`` giving ``dsigma``."""

    def fdiff(self, argindex=1):
        return dsigma(self.args[0])


class sigmoid(sp.Function):
    """Logistic sigmoid σ(z) = 1/(1 + e^{−z}); σ' = σ(1 − σ); σ(0) = 1/2."""

    @classmethod
    def eval(cls, z):
        if z.is_zero:
            return sp.Rational(1, 2)
        if isinstance(z, sp.log) and z.args[0].is_Rational and z.args[0] > 0:
            a = z.args[0]
            return a / (1 + a)
        return None

    def fdiff(self, argindex=1):
        return self * (1 - self)

    def _eval_rewrite_as_exp(self, z, **kwargs):
        return 1 / (1 + sp.exp(-z))


class step(sp.Function):
    """Heaviside step with step(0) = 0: the derivative of relu, by convention at 0."""

    @classmethod
    def eval(cls, z):
        if z.is_extended_positive:
            return sp.Integer(1)
        if z.is_extended_nonpositive:
            return sp.Integer(0)
        return None

    def fdiff(self, argindex=1):
        return sp.Integer(0)  # zero away from the kink


class relu(sp.Function):
    """relu(z) = max(0, z), with derivative ``step`` (step(0) = 0)."""

    @classmethod
    def eval(cls, z):
        if z.is_extended_nonnegative:
            return z
        if z.is_extended_negative:
            return sp.Integer(0)
        return None

    def fdiff(self, argindex=1):
        return step(self.args[0])


@dataclass(frozen=True)
class Activation:
    """An activation by name, with σ and σ' as callables on SymPy scalars."""

    name: str
    function: Callable[[sp.Expr], sp.Expr]
    note: str

    def __call__(self, z):
        return self.function(z)

    def derivative(self, z):
        """σ'(z), as SymPy's ``diff`` would produce it.

        >>> activation("generic").derivative(sp.Symbol("a"))
        dsigma(a)
        """
        template = _DERIVATIVE_TEMPLATES.get(self.name)
        if template is None:
            d = sp.Dummy("z")
            template = _DERIVATIVE_TEMPLATES[self.name] = (d, self.function(d).diff(d))
        d, expr = template
        return expr.xreplace({d: z})


#: σ'(d) for a dummy d, computed once per activation (``diff`` is costly on big arguments).
_DERIVATIVE_TEMPLATES: dict = {}

_ACTIVATIONS = {
    "generic": Activation("generic", sigma, "undefined σ with independent undefined σ'"),
    "tanh": Activation("tanh", sp.tanh, "σ = tanh, σ' = 1 − tanh²"),
    "sigmoid": Activation("sigmoid", sigmoid, "σ = 1/(1+e^−z), σ' = σ(1−σ)"),
    "relu": Activation("relu", relu, "σ = max(0, z), σ' = step(z) with step(0) = 0"),
}

#: Names accepted by :func:`activation`.
ACTIVATIONS: tuple[str, ...] = tuple(_ACTIVATIONS)


def activation(name: str) -> Activation:
    """The activation called ``name`` (one of :data:`ACTIVATIONS`).

    >>> activation("softplus")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown activation 'softplus'; use one of generic, tanh, sigmoid, relu
    """
    try:
        return _ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise InvalidInputError(
            f"unknown activation {name!r}; use one of {', '.join(ACTIVATIONS)}"
        ) from None


__all__ = ["ACTIVATIONS", "Activation", "activation", "sigma", "dsigma", "sigmoid", "relu", "step"]
