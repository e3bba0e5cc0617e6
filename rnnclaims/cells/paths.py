"""Eq. 10's product rule beyond the blog's cell, and where it fails.

* A cell whose state is its whole past (LSTM with state (h, c), stacked form A with state
  (x¹, x²)) obeys the product rule for the *joint* state: ∂s_t/∂s_k = J_t ⋯ J_{k+1} with J_j
  the one-step block Jacobian (proved exactly against dual numbers through the unrolled cell).
  Between layers of the stacked cell the derivative is a sum over the step at which the path
  crosses to layer 2 (proved).
* The skip connection ``x_t = W_rec σ(x_{t−1}) + U σ(x_{t−2}) + …`` has two paths per step:
  eq. 10's product ∏ W_rec D is refuted (certified counterexample at t − k = 2), and the sum over
  paths ``J_{t,k} = W_rec D(x_{t−1}) J_{t−1,k} + U D(x_{t−2}) J_{t−2,k}`` is proved.

>>> from rnncore.registry import Options
>>> check_skip_eq10(Options.quick_sizes()).counterexample.location.t
2
"""
from __future__ import annotations

import flint
import sympy as sp

from derive.cells import (COMPONENTS, at, listed_point, product_rule, rational_point, skip_paths,
                          stacked_paths, symbolic_inputs, symbolic_point, unrolled_jacobian,
                          matrix_vanishes)
from derive.sympy_lists import LISTS
from rnncore.registry import Options
from rnncore.results import Counterexample, Location, Result, Scope, Span, Verdict
from rnnmodel.balls import BALLS
from rnnmodel.exact import SYMPY

from . import REGISTRY
from .common import CERTIFIED, EXACT, PREC, point_text

_EQ10 = "blog eq. 10 (∂x_t/∂x_k = ∏_{j=k+1}^{t} ∂x_j/∂x_{j−1}); blog NOTE after eq. 2 (\"different implementations\")"


def _zero(M) -> bool:
    return matrix_vanishes(M)


def joint_product_cases(name: str, n_max: int, T_max: int) -> list[tuple[int, int, bool]]:
    """(n, T, agrees) for the product rule of the joint state of ``name``, exact.

    >>> joint_product_cases("A-stacked", 1, 2)
    [(1, 1, True), (1, 2, True)]
    """
    out = []
    comps = COMPONENTS[name]
    for n in range(1, n_max + 1):
        # the T-th product and the T-th unrolled Jacobian read the first T inputs only, so
        # one run over T_max inputs gives every T (the same expressions as a run per T)
        for ctx in (LISTS, SYMPY):  # SymPy matrices (the reference) only after a difference
            pt = (listed_point if ctx is LISTS else symbolic_point)(name, n)
            ins = symbolic_inputs(pt, T_max)
            prods = product_rule(ctx, pt, ins)
            direct = {target: unrolled_jacobian(ctx, pt, ins, target) for target in comps}
            oks = [all(_zero(direct[target][T - 1][comp] - prods[T - 1][(comp, target)])
                       for target in comps for comp in comps) for T in range(1, T_max + 1)]
            if all(oks):
                break
        out.extend((n, T, ok) for T, ok in zip(range(1, T_max + 1), oks))
    return out


def _proved(cases, name, what, extra=()) -> Result:
    bad = [c for c in cases if not c[2]]
    n_hi, T_hi = max(c[0] for c in cases), max(c[1] for c in cases)
    if bad:
        return Result(Verdict.UNDECIDED, EXACT, Scope(spans=(Span("n", 1, n_hi), Span("T", 1, T_hi)), forms=(name,),
                                                      checked=len(cases) - len(bad), skipped=len(bad),
                                                      skipped_what="cases with a difference"),
                      f"{what}: differs at (n, T) = {bad[0][:2]}")
    return Result(Verdict.PROVED, EXACT,
                  Scope(spans=(Span("n", 1, n_hi), Span("T", 1, T_hi)), activations=("generic",),
                        forms=(name,), checked=len(cases)),
                  f"{what}: direct − closed = 0 for n ≤ {n_hi}, T ≤ {T_hi} ({len(cases)} cases)" + "".join(extra))


@REGISTRY.claim(
    "cells.lstm.eq10", source=_EQ10, expect=Verdict.PROVED,
    statement="for the LSTM's joint state s = (h, c), ∂s_t/∂s_k = J_t ⋯ J_{k+1} with J_j the one-step block Jacobian",
    reading="the product rule for the joint state (h, c), not for h or c alone",
)
def check_lstm_eq10(options: Options) -> Result:
    """Exact for n = 1, T ≤ 2 (σ generic; the expressions grow fast with T)."""
    return _proved(joint_product_cases("LSTM", 1, min(options.T, 2)), "LSTM", "joint-state product")


def _path_cases(cell: str, seeded: str, key: str, paths, n_max: int, T_max: int, n_min: int = 1):
    """(n, T, agrees): the direct Jacobian of ``key`` with tangents seeded at ``seeded``,
    exact over SymPy, against the cell's sum over paths ``paths``, for every n and T."""
    out = []
    for n in range(n_min, n_max + 1):
        for ctx in (LISTS, SYMPY):  # SymPy matrices (the reference) only after a difference
            pt = (listed_point if ctx is LISTS else symbolic_point)(cell, n)
            ins = symbolic_inputs(pt, T_max)
            direct, summed = unrolled_jacobian(ctx, pt, ins, seeded), paths(ctx, pt, ins)
            oks = [_zero(direct[T - 1][key] - summed[T - 1]) for T in range(1, T_max + 1)]
            if all(oks):
                break
        out.extend((n, T, ok) for T, ok in zip(range(1, T_max + 1), oks))
    return out


def stacked_path_cases(n_max: int, T_max: int, n_min: int = 1) -> list[tuple[int, int, bool]]:
    """(n, T, agrees) for ∂x²_T/∂x¹_0 = the sum over the crossing step, exact, for
    n_min ≤ n ≤ n_max.

    >>> stacked_path_cases(1, 2)
    [(1, 1, True), (1, 2, True)]
    """
    return _path_cases("A-stacked", "x1", "x2", stacked_paths, n_max, T_max, n_min)


@REGISTRY.claim(
    "cells.stacked.eq10", source=_EQ10 + "; \"we could have multiple\" layers", expect=Verdict.PROVED,
    statement=("for the 2-layer stacked form A, eq. 10 holds for the joint state (x¹, x²), and across "
               "layers ∂x²_t/∂x¹_k = Σ_{j=k+1}^{t} (∏_{l>j} W_rec2 D(x²_{l−1})) W_in2 D(x¹_j) "
               "(∏_{l≤j} W_rec D(x¹_{l−1})): one term per step at which the path crosses"),
    reading="the product for the joint state; the sum over crossing steps between layers",
)
def check_stacked_eq10(options: Options) -> Result:
    """Exact (σ generic): the joint product for n ≤ 2, T ≤ 2; the crossing sum for n = 1, T ≤ 3
    and n = 2, T ≤ 2."""
    T = min(options.T, 3)
    n = min(options.n, 2)
    joint = _proved(joint_product_cases("A-stacked", n, min(T, 2)), "A-stacked", "joint-state product")
    # n = 2, T <= 2 on top of n = 1, T <= T (with n = 1 the n = 1, T <= 2 cases twice)
    wide = stacked_path_cases(n, 2, n_min=2) if n > 1 else stacked_path_cases(1, 2)
    cross = _proved(stacked_path_cases(1, T) + wide, "A-stacked", "sum over crossing steps")
    return Result.combine([joint, cross], evidence=f"{joint.evidence}; {cross.evidence}")


def skip_eq10_refutation(options: Options, seeds=range(8)) -> Result:
    """Certified: at a rational point, ∂x_2/∂x_0 (duals in balls) and W_rec D(x_1) W_rec D(x_0)
    have disjoint balls in some entry.

    >>> skip_eq10_refutation(Options(n=1)).verdict.value
    'refuted'
    """
    n = min(options.n, 2)
    for s in seeds:
        point = rational_point("A-skip", n, act="tanh", seed_=s)
        with flint.ctx.workprec(PREC):
            pt = at(BALLS, point)
            ins = [pt.u, pt.u]
            direct = unrolled_jacobian(BALLS, pt, ins, "x[t-1]")[-1]["x"]
            eq10 = skip_paths(BALLS, pt, ins, "eq10")[-1]
        for i in range(n):
            for j in range(n):
                if not direct[i, j].overlaps(eq10[i, j]):
                    cex = Counterexample(
                        point_text(point) + (("u_1 = u_2", str(point["u"])), ("activation", "tanh")),
                        lhs=f"(∂x_2/∂x_0)[{i + 1},{j + 1}] = {direct[i, j].str(20)}",
                        rhs=f"(W_rec D(x_1) W_rec D(x_0))[{i + 1},{j + 1}] = {eq10[i, j].str(20)}", relation="=",
                        location=Location(t=2, k=0, entry=(i, j), note="x_{−1} held; the path through U is missing"),
                        note="certified: Arb balls, disjoint", data={"point": point})
                    return Result(Verdict.REFUTED, CERTIFIED,
                                  Scope(spans=(Span("n", n, n), Span("T", 2, 2)), activations=("tanh",), forms=("A-skip",)),
                                  f"eq. 10's product misses the skip path: entry ({i + 1}, {j + 1}) at t − k = 2",
                                  counterexample=cex)
    return Result(Verdict.UNDECIDED, CERTIFIED, Scope(forms=("A-skip",)),
                  f"no certified difference at {len(seeds)} points")


@REGISTRY.claim(
    "cells.skip.eq10", source=_EQ10, expect=Verdict.REFUTED, authors_reading=False,
    statement="eq. 10's product ∂x_t/∂x_k = ∏_{j=k+1}^{t} W_rec diag(σ'(x_{j−1})) for form A with a skip connection",
    reading="eq. 10 applied unchanged to x_t = W_rec σ(x_{t−1}) + U σ(x_{t−2}) + W_in u_t + b (the blog never writes this cell)",
)
def check_skip_eq10(options: Options) -> Result:
    """Certified counterexample at t − k = 2 (the first step where the skip path exists)."""
    return skip_eq10_refutation(options)


def skip_path_cases(n_max: int, T_max: int) -> list[tuple[int, int, bool]]:
    """(n, T, agrees) for the recursion of the sum over paths, exact (σ generic).

    >>> skip_path_cases(1, 2)
    [(1, 1, True), (1, 2, True)]
    """
    return _path_cases("A-skip", "x[t-1]", "x", skip_paths, n_max, T_max)


@REGISTRY.claim(
    "cells.skip.paths", source=_EQ10, expect=Verdict.PROVED,
    statement=("for form A with a skip connection, J_{t,k} = W_rec D(x_{t−1}) J_{t−1,k} + U D(x_{t−2}) J_{t−2,k} "
               "with J_{k,k} = I, J_{k−1,k} = 0: the sum over every path of one- and two-step hops"),
    reading="J_{t,k} = ∂x_t/∂x_k with x_{k−1} held (the two initial states are independent)",
)
def check_skip_paths(options: Options) -> Result:
    """Exact for n ≤ 2, T ≤ 4 (σ generic)."""
    return _proved(skip_path_cases(min(options.n, 2), min(options.T, 4)), "A-skip", "sum over paths")


__all__ = ["check_lstm_eq10", "check_stacked_eq10", "check_skip_eq10", "check_skip_paths",
           "joint_product_cases", "stacked_path_cases", "skip_path_cases", "skip_eq10_refutation"]
