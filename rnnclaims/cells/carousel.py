"""The LSTM's constant error carousel: ∂c_t/∂c_{t−1} = diag(f_t), read as a partial derivative
(h_{t−1} held: proved) and as a total derivative (h_{t−1} = o_{t−1} ⊙ tanh(c_{t−1}) moving with
c_{t−1}: refuted with a certified 1-unit counterexample, and the correct total proved).

The total derivative is computed directly: c_{t−1} is seeded on dual numbers, h_{t−1} is
computed from it as o_{t−1} ⊙ σ(c_{t−1}) (o_{t−1} depends on h_{t−2} and u_{t−1}, not on
c_{t−1}), then one LSTM step; the tangent of c_t is the total derivative.

>>> from rnncore.registry import Options
>>> check_cec_total(Options()).verdict.value
'refuted'
"""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import flint
import sympy as sp

from derive.cells import (at, direct_blocks, listed_point, lstm_closed, lstm_total_cec, matrix_vanishes,
                          symbolic_point)
from derive.sympy_lists import LISTS, entries
from rnncore.registry import Options
from rnncore.results import Counterexample, Location, Result, Scope, Span, Verdict
from rnnmodel.balls import BALLS
from rnnmodel.exact import SYMPY

from . import REGISTRY
from .common import CERTIFIED, EXACT, PREC, point_text, sizes

F = Fraction
_SOURCE = "common LSTM explanations (the constant error carousel, CEC)"
_STATEMENT = "∂c_t/∂c_{t−1} = diag(f_t): the error flows back along the cell state scaled by the forget gate"

#: The 1-unit instance of the refutation: W_i = W_f = W_g = 2, W_o = 1, b_f = 1, every other
#: weight, bias and the input 0; c_{t−1} = 1/2 and o_{t−1} = 1/2 (so h_{t−1} = tanh(1/2)/2).
CEC_POINT = {
    "name": "LSTM", "act": "tanh", "n": 1,
    "params": {"W_i": [[F(2)]], "U_i": [[F(0)]], "b_i": [[F(0)]],
               "W_f": [[F(2)]], "U_f": [[F(0)]], "b_f": [[F(1)]],
               "W_o": [[F(1)]], "U_o": [[F(0)]], "b_o": [[F(0)]],
               "W_g": [[F(2)]], "U_g": [[F(0)]], "b_g": [[F(0)]]},
    "past": (([F(0)], [F(1, 2)]),), "u": [F(0)],
}
CEC_O_PREV = [F(1, 2)]


@REGISTRY.claim(
    "cells.lstm.cec", source=_SOURCE, expect=Verdict.PROVED, statement=_STATEMENT,
    reading="partial derivative: h_{t−1} held fixed (the direct path through c only)",
)
def check_cec_partial(options: Options) -> Result:
    """Exact: the (c, c) block of the dual-number Jacobian is diag(f_t), n ≤ 3, σ generic."""
    ns = list(sizes(options))
    for n in ns:
        if not any(_cec_partial_holds(ctx, n) for ctx in (LISTS, SYMPY)):
            return Result(Verdict.UNDECIDED, EXACT, Scope(spans=(Span("n", 1, n),), forms=("LSTM",)),
                          f"∂c_t/∂c_{{t−1}} − diag(f_t) ≠ 0 at n = {n}")
    return Result(Verdict.PROVED, EXACT,
                  Scope(spans=(Span("n", 1, ns[-1]),), activations=("generic",), forms=("LSTM",),
                        checked=len(ns), note="h_{t−1} held fixed"),
                  f"∂c_t/∂c_{{t−1}} = diag(f_t) exactly for n = 1..{ns[-1]}")


def _cec_partial_holds(ctx, n: int) -> bool:
    """The (c, c) block of the dual-number Jacobian minus diag(f_t) vanishes (exactly, in
    the SymPy arithmetic ``ctx``: entry lists first, SymPy matrices as the reference)."""
    pt = (listed_point if ctx is LISTS else symbolic_point)("LSTM", n)
    block = direct_blocks(ctx, pt)[("c", "c")]
    f = pt.cell.step(ctx, pt.act, pt.params, pt.past, pt.u).parts["f"]
    return matrix_vanishes(block - sp.diag(*f))


def cec_instance() -> tuple:
    """The certified total derivative and forget gate of :data:`CEC_POINT`: (total, f) balls.

    >>> total, f = cec_instance()
    >>> total > 1 and f < 1
    True
    """
    with flint.ctx.workprec(PREC):
        total, f = lstm_total_cec(BALLS, at(BALLS, CEC_POINT), BALLS.vector(CEC_O_PREV))
        return total[0, 0], f[0, 0]


@REGISTRY.claim(
    "cells.lstm.cec.total", source=_SOURCE, expect=Verdict.REFUTED, statement=_STATEMENT,
    reading="total derivative: h_{t−1} = o_{t−1} ⊙ tanh(c_{t−1}) moves with c_{t−1}",
    authors_reading=False,
)
def check_cec_total(options: Options) -> Result:
    """Certified: a 1-unit LSTM whose total dc_t/dc_{t−1} exceeds 1 while f_t < 1."""
    total, f = cec_instance()
    scope = Scope(spans=(Span("n", 1, 1),), activations=("tanh",), forms=("LSTM",))
    if total.overlaps(f):
        return Result(Verdict.UNDECIDED, CERTIFIED, scope, f"total {total} and f_t {f} overlap")
    cex = Counterexample(
        point_text(CEC_POINT)[:-2] + (("c_{t−1}", "1/2"), ("o_{t−1}", "1/2"),
                                       ("h_{t−1}", "o_{t−1}·tanh(c_{t−1}) = tanh(1/2)/2"), ("u_t", "0")),
        lhs=f"dc_t/dc_{{t−1}} = {total.str(20)}", rhs=f"f_t = {f.str(20)}", relation="=",
        location=Location(t=1, k=0, entry=(0, 0), note="total derivative through h_{t−1}"),
        note=f"certified: the total exceeds 1 ({total > 1}) while the forget gate is below 1",
        data={"point": CEC_POINT, "o_prev": CEC_O_PREV, "total": total, "f": f},
    )
    return Result(Verdict.REFUTED, CERTIFIED, scope,
                  f"total {total.str(20)} ≠ f_t = {f.str(20)} (a 1-unit LSTM, Arb balls at {PREC} bits)",
                  counterexample=cex)


def total_closed(ctx, pt, o_prev):
    """diag(f_t) + ∂c_t/∂h_{t−1} · diag(o_{t−1} ⊙ σ'(c_{t−1})) at h_{t−1} = o_{t−1} ⊙ σ(c_{t−1}).

    >>> total_closed(SYMPY, symbolic_point("LSTM", 1), sp.Matrix([0])) == sp.diag(
    ...     *symbolic_point("LSTM", 1).cell.step(SYMPY, symbolic_point("LSTM", 1).act,
    ...         symbolic_point("LSTM", 1).params, ((sp.Matrix([0]), sp.Matrix([sp.Symbol("c_{1}")])),),
    ...         sp.Matrix([sp.Symbol("u_{1}")])).parts["f"])
    True
    """
    _, c = pt.past[-1]
    moved = replace(pt, past=((ctx.mul(o_prev, ctx.sigma(pt.act, c)), c),))
    blocks = lstm_closed(ctx, moved)
    dh = ctx.rowscale(ctx.mul(o_prev, ctx.dsigma(pt.act, c)), ctx.identity(pt.n))
    return ctx.add(blocks[("c", "c")], ctx.matmul(blocks[("c", "h")], dh))


def _total_holds(ctx, n: int) -> bool:
    """The dual-number total minus the corrected formula vanishes (exactly, in the SymPy
    arithmetic ``ctx``: entry lists first, SymPy matrices as the reference)."""
    pt = (listed_point if ctx is LISTS else symbolic_point)("LSTM", n)
    o = sp.Matrix(n, 1, lambda i, _: sp.Symbol(f"o_prev_{{{i + 1}}}"))
    o = entries(o) if ctx is LISTS else o
    total, _ = lstm_total_cec(ctx, pt, o)
    return matrix_vanishes(total - total_closed(ctx, pt, o))


@REGISTRY.claim(
    "cells.lstm.cec.total.corrected", source=_SOURCE, expect=Verdict.PROVED,
    statement=("the total derivative is dc_t/dc_{t−1} = diag(f_t) + ∂c_t/∂h_{t−1} · "
               "diag(o_{t−1} ⊙ σ'(c_{t−1})), ∂c_t/∂h_{t−1} as in cells.lstm.jacobian"),
    reading="total derivative, h_{t−1} = o_{t−1} ⊙ σ(c_{t−1}) with o_{t−1} held",
)
def check_cec_total_corrected(options: Options) -> Result:
    """Exact: the dual-number total minus the corrected formula expands to zero, n ≤ 2."""
    ns = list(sizes(options, 2))
    for n in ns:
        if not any(_total_holds(ctx, n) for ctx in (LISTS, SYMPY)):
            return Result(Verdict.UNDECIDED, EXACT, Scope(spans=(Span("n", 1, n),), forms=("LSTM",)),
                          f"the corrected total differs at n = {n}")
    with flint.ctx.workprec(PREC):
        pt = at(BALLS, CEC_POINT)
        ball = total_closed(BALLS, pt, BALLS.vector(CEC_O_PREV))[0, 0]
    return Result(Verdict.PROVED, EXACT,
                  Scope(spans=(Span("n", 1, ns[-1]),), activations=("generic",), forms=("LSTM",),
                        checked=len(ns)),
                  f"direct total − corrected formula = 0 for n = 1..{ns[-1]}; at the 1-unit instance "
                  f"the formula gives {ball.str(20)}", data={"instance": ball})


__all__ = ["check_cec_partial", "check_cec_total", "check_cec_total_corrected", "CEC_POINT",
           "CEC_O_PREV", "cec_instance", "total_closed"]
