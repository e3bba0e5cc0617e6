"""The γ bounds of the gates: the slope a gate contributes to a cell's Jacobian is
sigmoid'(a) = q(1 − q) ≤ 1/4 for the sigmoid gates (i, f, o of the LSTM; z, r of the GRU) and
tanh'(a) = 1 − g² ≤ 1 for the tanh candidate and output, both attained at a = 0.

The slopes are read off the cells themselves: a one-unit gate is run on a dual number over
SymPy (the tangent is the slope the model uses, from the activation table's identity), then
``1/4 − slope = (q − 1/2)²`` and ``1 − slope = g²`` are checked by expansion (squares of reals,
so ≥ 0), and the slope at a = 0 is evaluated exactly. This is the cells' counterpart of
``paper.gamma`` (which proves the same for the bare activations).

>>> from rnncore.registry import Options
>>> check_gate_gamma(Options()).verdict.value
'proved'
"""
from __future__ import annotations

import sympy as sp

from rnncore.registry import Options
from rnncore.results import Result, Scope, Span, Verdict
from rnnmodel.activations import ACTIVATIONS
from rnnmodel.dual import DualArithmetic, seed
from rnnmodel.exact import SYMPY

from . import REGISTRY
from .common import EXACT


def gate_slope(name: str, a):
    """(value, slope) of the activation ``name`` at the scalar ``a`` on a dual number (SymPy).

    >>> gate_slope("sigmoid", sp.Integer(0))
    (1/2, 1/4)
    """
    D = DualArithmetic(SYMPY)
    out = D.sigma(ACTIVATIONS[name], seed(SYMPY, sp.Matrix([a])))
    return out.val[0], out.tan[0, 0]


@REGISTRY.claim(
    "cells.gates.gamma", source="LSTM and GRU gates; paper section 2.1 (γ)", expect=Verdict.PROVED,
    statement=("a sigmoid gate's slope q(1 − q) is at most 1/4 and a tanh unit's slope 1 − g² at "
               "most 1, for every pre-activation; both bounds are attained at 0"),
    reading="γ = sup |σ'| of the gate activations, as the cells' dual numbers use them",
)
def check_gate_gamma(options: Options) -> Result:
    """Exact: 1/4 − q(1−q) = (q − 1/2)², 1 − (1 − g²) = g², slopes 1/4 and 1 at a = 0."""
    a = sp.Symbol("a", real=True)
    q, dq = gate_slope("sigmoid", a)
    g, dg = gate_slope("tanh", a)
    ok = (sp.expand(sp.Rational(1, 4) - dq - (q - sp.Rational(1, 2)) ** 2) == 0
          and sp.expand(1 - dg - g ** 2) == 0
          and gate_slope("sigmoid", sp.Integer(0))[1] == sp.Rational(1, 4)
          and gate_slope("tanh", sp.Integer(0))[1] == 1
          and ACTIVATIONS["sigmoid"].gamma == sp.Rational(1, 4) and ACTIVATIONS["tanh"].gamma == 1)
    scope = Scope(spans=(Span("n", 1, None),), activations=("sigmoid", "tanh"), note="every real pre-activation")
    if not ok:
        return Result(Verdict.UNDECIDED, EXACT, scope, "an identity of the gate slopes did not expand to 0")
    return Result(Verdict.PROVED, EXACT, scope,
                  f"1/4 − {dq} = (q − 1/2)² ≥ 0 and 1 − ({dg}) = g² ≥ 0; slopes 1/4 and 1 at a = 0, "
                  "matching the table's γ")


__all__ = ["check_gate_gamma", "gate_slope"]
