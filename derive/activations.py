"""The activations of the symbolic engine: the model's table entries, on SymPy scalars.

What an activation *is* (σ, σ', γ, the identity tying σ' to σ) is one entry of
:data:`rnnmodel.activations.ACTIVATIONS`; the SymPy functions live in
:mod:`rnnmodel.sympy_functions`. This module names the four the engine accepts and keeps
the names its callers import.

``generic``: an undefined σ whose derivative is an independent undefined σ' (``dsigma``).
``tanh``: SymPy's ``tanh`` (σ' = 1 − tanh²). ``sigmoid``: σ(z) = 1/(1+e^{−z}) with
σ' = σ(1 − σ). ``relu``: σ(z) = max(0, z) with σ'(z) = step(z), where **step(0) = 0**.

>>> import sympy as sp
>>> z = sp.Symbol("z")
>>> sigma(z).diff(z)
dsigma(z)
>>> activation("tanh").derivative(z)
1 - tanh(z)**2
"""
from __future__ import annotations

from rnnmodel.activations import Activation
from rnnmodel.activations import activation as _model_activation
from rnnmodel.sympy_functions import dsigma, relu, sigma, sigmoid, step

#: Names accepted by :func:`activation`.
ACTIVATIONS: tuple[str, ...] = ("generic", "tanh", "sigmoid", "relu")


def activation(name: str) -> Activation:
    """The activation called ``name`` (one of :data:`ACTIVATIONS`).

    >>> activation("generic").derivative(sigma(1).args[0])
    dsigma(1)
    >>> activation("softplus")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown activation 'softplus'; use one of generic, tanh, sigmoid, relu
    """
    return _model_activation(name, ACTIVATIONS)


__all__ = ["ACTIVATIONS", "Activation", "activation", "sigma", "dsigma", "sigmoid", "relu", "step"]
