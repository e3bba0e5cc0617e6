"""What an activation is: one table entry each, with σ, σ', γ = sup |σ'| and the identity
tying σ' to σ, evaluated in every arithmetic through its context.

=========  ==========================  =========================================  ======
name       σ                           σ' (the identity)                          γ
=========  ==========================  =========================================  ======
generic    undefined σ                 an independent undefined σ'                 –
tanh       tanh z                      1 − σ²                                     1
sigmoid    1/(1 + e^{−z})              σ(1 − σ)                                   1/4
relu       max(0, z)                   step(z) ∈ {0, 1}, step(0) = 0; σ = z·σ'    1
identity   z                           1                                          1
=========  ==========================  =========================================  ======

An arithmetic evaluates an entry through its context (see :class:`rnnmodel.arithmetic.Arithmetic`):
a *symbolic* context applies the SymPy function (``tanh``, ``sigmoid``, ``relu``, ``sigma``);
a *real* one (balls, mpmath, float64) builds σ from its own ``tanh``/``exp``/``relu``; in a
*ring* (integers mod p) tanh and sigmoid have no value, so σ(z) is a fresh unknown s and,
when the context ties σ' to σ, σ' is the identity applied to s (``1 − s²``, ``s(1 − s)``).
That is what lets the randomized identity test treat tanh and sigmoid exactly.

>>> import sympy as sp
>>> z = sp.Symbol("z")
>>> ACTIVATIONS["tanh"].derivative(z), ACTIVATIONS["tanh"].gamma
(1 - tanh(z)**2, Fraction(1, 1))
>>> ACTIVATIONS["sigmoid"](z).diff(z) == ACTIVATIONS["sigmoid"].derivative(z)
True
>>> ACTIVATIONS["relu"].derivative(z), ACTIVATIONS["generic"].derivative(z)
(step(z), dsigma(z))
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable

import sympy as sp

from rnncore.errors import InvalidInputError

from .exact import SCALAR
from .sympy_functions import dsigma, relu, sigma, sigmoid, step


def _identity_function(z):
    return z


@dataclass(frozen=True)
class Activation:
    """One activation: ``symbolic`` (the SymPy function of σ), ``real(ctx, z)`` (σ in a real
    arithmetic from the context's primitives; None: no real value), ``rule(ctx, s, z)`` (σ'
    from s = σ(z) and z; None: σ' is an independent function), ``ties_to_value`` (the rule
    needs s only, so it holds in a ring where σ itself is an unknown), ``gamma`` = sup |σ'|
    (None: unknown), and the identity as text.

    >>> ACTIVATIONS["sigmoid"].identity
    "σ' = σ(1 − σ)"
    """

    name: str
    symbolic: Callable[[Any], Any]
    real: Callable[[Any, Any], Any] | None
    rule: Callable[[Any, Any, Any], Any] | None
    ties_to_value: bool
    gamma: Fraction | None
    identity: str
    note: str
    #: The SymPy function of an independent σ' (generic only).
    symbolic_derivative: Callable[[Any], Any] | None = None
    #: σ is a polynomial (it has a value in a ring too).
    polynomial: bool = False

    @property
    def function(self):
        """The SymPy function of σ (same as ``symbolic``)."""
        return self.symbolic

    def __call__(self, z):
        """σ(z) on a SymPy scalar.

        >>> ACTIVATIONS["relu"](sp.Rational(-1, 2))
        0
        """
        return self.symbolic(z)

    def derivative(self, z):
        """σ'(z) on a SymPy scalar, by the table's identity (what ``diff`` gives too).

        >>> ACTIVATIONS["identity"].derivative(sp.Symbol("a"))
        1
        """
        return SCALAR.dsigma(self, z)

    def value_in(self, ctx, z):
        """σ(z) in the arithmetic ``ctx`` (elementwise on a vector).

        >>> from rnnmodel.floats import FLOAT64
        >>> round(float(ACTIVATIONS["tanh"].value_in(FLOAT64, FLOAT64.vector([0]))[0]), 3)
        0.0
        """
        return ctx.sigma(self, z)

    def derivative_in(self, ctx, z):
        """σ'(z) in the arithmetic ``ctx`` (elementwise on a vector).

        >>> from rnnmodel.floats import FLOAT64
        >>> float(ACTIVATIONS["sigmoid"].derivative_in(FLOAT64, FLOAT64.vector([0]))[0])
        0.25
        """
        return ctx.dsigma(self, z)


def _sigmoid_real(ctx, z):
    return ctx.recip(ctx.add(1, ctx.exp(ctx.neg(z))))


_TABLE = (
    Activation("generic", sigma, None, None, False, None,
               "σ' is a function of its own", "undefined σ with independent undefined σ'",
               symbolic_derivative=dsigma),
    Activation("tanh", sp.tanh, lambda ctx, z: ctx.tanh(z),
               lambda ctx, s, z: ctx.sub(1, ctx.mul(s, s)), True, Fraction(1),
               "σ' = 1 − σ²", "σ = tanh, σ' = 1 − tanh²"),
    Activation("sigmoid", sigmoid, _sigmoid_real,
               lambda ctx, s, z: ctx.mul(s, ctx.sub(1, s)), True, Fraction(1, 4),
               "σ' = σ(1 − σ)", "σ = 1/(1+e^−z), σ' = σ(1−σ)"),
    Activation("relu", relu, lambda ctx, z: ctx.relu(z),
               lambda ctx, s, z: ctx.step(z), False, Fraction(1),
               "σ' = step(z) ∈ {0, 1} (step(0) = 0) and σ = z·σ'",
               "σ = max(0, z), σ' = step(z) with step(0) = 0"),
    Activation("identity", _identity_function, lambda ctx, z: z,
               lambda ctx, s, z: ctx.const_like(1, z), True, Fraction(1),
               "σ' = 1", "σ = z (a linear network)", polynomial=True),
)

#: Every activation of the model, by name.
ACTIVATIONS: dict[str, Activation] = {a.name: a for a in _TABLE}

#: σ and its derivative rule, for the SymPy function classes (what a canonical form meets).
SYMPY_FUNCTIONS = {"sigma": sigma, "dsigma": dsigma, "sigmoid": sigmoid, "relu": relu, "step": step}


def activation(name: str, allowed=None) -> Activation:
    """The activation called ``name``; ``allowed`` (names) narrows the choice.

    >>> activation("tanh").gamma
    Fraction(1, 1)
    >>> activation("softplus", ("tanh", "sigmoid"))
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown activation 'softplus'; use one of tanh, sigmoid
    """
    names = tuple(ACTIVATIONS) if allowed is None else tuple(allowed)
    if not isinstance(name, str) or name not in names:
        raise InvalidInputError(f"unknown activation {name!r}; use one of {', '.join(names)}")
    return ACTIVATIONS[name]


__all__ = ["Activation", "ACTIVATIONS", "SYMPY_FUNCTIONS", "activation",
           "sigma", "dsigma", "sigmoid", "relu", "step"]
