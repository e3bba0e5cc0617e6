"""What the cell claims share: sizes, the exact one-step proof, a certified counterexample
from a ball difference, and the text of a rational point.

>>> from rnncore.registry import Options
>>> one_step_proof("A-skip", Options.quick_sizes()).verdict.value
'proved'
"""
from __future__ import annotations

from fractions import Fraction

import flint

from derive.cells import (CLOSED_FORMS, at, certified_difference, exact_difference, listed_point,
                          rational_point, symbolic_point)
from derive.sympy_lists import LISTS
from rnncore.registry import Options
from rnncore.results import Counterexample, Location, Method, MethodKind, Result, Scope, Span, Verdict
from rnnmodel.balls import BALLS
from rnnmodel.exact import SYMPY

#: Largest hidden size of the exact one-step proofs (the issue asks n ≤ 3).
PROOF_N = 3
#: Precision (bits) of the certified counterexamples.
PREC = 128
EXACT = Method(MethodKind.EXACT, "dual numbers over SymPy against the closed form, expanded")
CERTIFIED = Method(MethodKind.CERTIFIED, "Arb balls at an exact rational point, disjoint enclosures")


def sizes(options: Options, cap: int = PROOF_N) -> range:
    """Hidden sizes 1..min(options.n, cap).

    >>> list(sizes(Options(n=5)))
    [1, 2, 3]
    """
    return range(1, min(options.n, cap) + 1)


def one_step_proof(name: str, options: Options, acts=("generic", "tanh"), tanh_cap: int = 1) -> Result:
    """Exact: for each n ≤ 3 the direct one-step Jacobian (duals over SymPy, symbolic weights,
    states, input) minus the closed form expands to zero in every block. σ generic covers every
    differentiable σ (the identity holds with σ' an independent function, so for every pair
    σ, σ'); tanh, through its identity σ' = 1 − σ², is run too for n ≤ ``tanh_cap`` as a check
    of the activation table's path (``bench/bench_cells.py`` times it up to n = 3).

    >>> one_step_proof("GRU", Options(n=2)).scope.checked
    3
    """
    checked, failures = 0, []
    for act in acts:
        for n in sizes(options, PROOF_N if act == "generic" else tanh_cap):
            # the same SymPy entries without a SymPy matrix per operation; a difference is
            # reported from the reference route (SymPy matrices), as it always was
            diff = exact_difference(LISTS, listed_point(name, n, act=act), CLOSED_FORMS[name])
            if diff is not None:
                diff = exact_difference(SYMPY, symbolic_point(name, n, act=act), CLOSED_FORMS[name])
            checked += 1
            if diff is not None:
                failures.append((act, n, diff))
    hi = max(sizes(options))
    note = "gates sigmoid; σ the candidate/output activation" if name.startswith(("LSTM", "GRU")) else ""
    if failures:
        act, n, (block, entry, d) = failures[0]
        return Result(Verdict.UNDECIDED, EXACT,
                      Scope(spans=(Span("n", 1, hi),), activations=tuple(acts), forms=(name,),
                            checked=checked, skipped=len(failures), skipped_what="cases with a difference",
                            note=note),
                      f"block {block} entry {entry} at n = {n}, σ {act}: difference {d} is not 0")
    scope = Scope(spans=(Span("n", 1, hi),), activations=tuple(acts), forms=(name,), checked=checked, note=note)
    return Result(Verdict.PROVED, EXACT, scope,
                  f"direct − closed form = 0 in every block for n = 1..{hi} ({checked} cases)")


def point_text(point: dict) -> tuple[tuple[str, str], ...]:
    """The rational coordinates of a point, as (name, text) pairs.

    >>> point_text({"params": {"W": [[Fraction(1, 2)]]}, "past": ([Fraction(1)],), "u": [0]})
    (('W', '[[1/2]]'), ('past', '([1],)'), ('u', '[0]'))
    """
    def txt(v):
        if isinstance(v, (list, tuple)):
            inner = ", ".join(txt(x) for x in v)
            return f"[{inner}]" if isinstance(v, list) else f"({inner},)" if len(v) == 1 else f"({inner})"
        return str(Fraction(v))
    return tuple((k, txt(v)) for k, v in point["params"].items()) + (
        ("past", txt(tuple(point["past"]))), ("u", txt(point["u"])))


def certified_refutation(name: str, variant: str, statement: str, *, seeds=range(8), n: int = 2,
                         act: str = "tanh") -> Result:
    """The wrong closed form ``variant`` refuted at the first rational point where a block
    entry's direct ball and candidate ball are disjoint (undecided if none is found).

    >>> certified_refutation("A-skip", "no-skip", "skip path missed").counterexample.location.case
    'block ∂x/∂x[t-2]'
    """
    for s in seeds:
        point = rational_point(name, n, act=act, seed_=s)
        with flint.ctx.workprec(PREC):
            found = certified_difference(at(BALLS, point), CLOSED_FORMS[name], variant)
        if found is not None:
            block, entry, lhs, rhs = found
            cex = Counterexample(point_text(point) + (("activation", act),), lhs=lhs.str(20), rhs=rhs.str(20),
                                 relation="=", location=Location(t=1, k=0, entry=entry, case=f"block ∂{block[0]}/∂{block[1]}"),
                                 note="direct: dual numbers in Arb balls; the two balls are disjoint",
                                 data={"point": point, "block": block})
            return Result(Verdict.REFUTED, CERTIFIED, Scope(spans=(Span("n", n, n),), activations=(act,), forms=(name,)),
                          f"{statement}: block ∂{block[0]}/∂{block[1]} entry {entry} differs", counterexample=cex)
    return Result(Verdict.UNDECIDED, CERTIFIED, Scope(spans=(Span("n", n, n),), forms=(name,)),
                  f"no certified difference at {len(seeds)} points")


__all__ = ["PROOF_N", "PREC", "EXACT", "CERTIFIED", "sizes", "one_step_proof", "point_text",
           "certified_refutation"]
