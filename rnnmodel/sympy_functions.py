"""The activations as SymPy functions: σ, σ' of a generic activation, sigmoid, relu, step.

``sigma`` is an undefined σ whose derivative is an independent undefined σ' (``dsigma``).
``sigmoid`` is σ(z) = 1/(1+e^{−z}) with σ' = σ(1 − σ); ``relu`` is max(0, z) with
σ'(z) = ``step(z)`` where **step(0) = 0** (the convention of PyTorch and JAX; the true
derivative does not exist at the kink, so a claim about relu is a claim away from z = 0
plus this convention at it). tanh is SymPy's own ``tanh``.

Derivatives are SymPy's own ``diff`` through each class's ``fdiff``, so direct
differentiation and closed forms meet in the same canonical terms.

>>> z = sp.Symbol("z")
>>> sigma(z).diff(z), sigmoid(z).diff(z)
(dsigma(z), (1 - sigmoid(z))*sigmoid(z))
>>> relu(sp.Rational(-1, 2)), relu(3), step(0), step(2)
(0, 3, 0, 1)
"""
from __future__ import annotations

import sympy as sp


class dsigma(sp.Function):
    """σ' of the generic activation: an undefined function, independent of σ.

    >>> dsigma(sp.Symbol("a")).diff(sp.Symbol("a"))
    Derivative(dsigma(a), a)
    """


class sigma(sp.Function):
    """The generic activation σ: undefined, with ``diff`` giving ``dsigma``.

    >>> sigma(sp.Symbol("a")).diff(sp.Symbol("a"))
    dsigma(a)
    """

    def fdiff(self, argindex=1):
        return dsigma(self.args[0])


class sigmoid(sp.Function):
    """Logistic sigmoid σ(z) = 1/(1 + e^{−z}); σ' = σ(1 − σ); σ(0) = 1/2.

    >>> sigmoid(0), sigmoid(sp.log(3))
    (1/2, 3/4)
    """

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
    """Heaviside step with step(0) = 0: the derivative of relu, by convention at 0.

    >>> step(0), step(sp.Rational(1, 9)), step(-1)
    (0, 1, 0)
    """

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
    """relu(z) = max(0, z), with derivative ``step`` (step(0) = 0).

    >>> relu(sp.Symbol("a")).diff(sp.Symbol("a"))
    step(a)
    """

    @classmethod
    def eval(cls, z):
        if z.is_extended_nonnegative:
            return z
        if z.is_extended_negative:
            return sp.Integer(0)
        return None

    def fdiff(self, argindex=1):
        return step(self.args[0])


__all__ = ["sigma", "dsigma", "sigmoid", "step", "relu"]
