"""Benchmark: the Jacobian claims' exact checks, the new route against the old in one run.

Workloads are the claims' own (blog.eq10, blog.eq13, blog.formB, the layout claims'
formulas, holds_under, paper.eq5.diagnosis's MatrixSymbol check, the generic proofs):

* closed forms / formulas: evaluated in canonical polynomials on the polynomial network
  (new) vs built as SymPy matrices and canonicalised (old: the same candidate without the
  polynomial mark), both against the same forward Jacobians;
* holds_under: the network whose W_rec satisfies the condition (new) vs the condition
  substituted into both SymPy sides, the direct one by Matrix.jacobian (old);
* MatrixSymbol.diff made explicit node by node (new) vs ``as_explicit`` (old);
* generic proofs: checked again with the reductions memoised (new) vs the first check.

Each row: seconds of the old and the new route (the best of ``--repeat`` runs, SymPy's
cache and the new route's memos cleared before each: first computations, no sharing between
claims), and the ratio; the verdicts of both are printed and must agree. The sharing
between claims (one network's forward Jacobians for eqs. 10, 12, 13 and form B; the layout
claims' repeated formulas) shows in ``bench/bench_claims.py``.

    python bench/bench_speed_jacobians.py [--quick] [--repeat 2]
"""
from __future__ import annotations

import argparse
import os
import platform
import time

import sympy as sp
from sympy.core.cache import clear_cache

from derive.activations import ACTIVATIONS
from derive.closed_forms import eq10, eq13, formB_product
from derive import exact_jacobian
from derive.exact_jacobian import exact_check_jacobian
from derive.formula import parse
from derive.formula_check import polynomial_candidate
from derive.generic import _diff, _doit, _equal, _sum_doit, eq10_induction_proof, eq12_generic_proof, eq13_induction_proof
from derive.layout import explicit, in_layout, matrixsymbol_one_step
from derive.network import RNN
from rnncore.registry import Options
from rnnclaims.symbolic.layout import (DENOM_UP, FORM_B_FACTOR, FORM_B_UP, PAPER_DOWN, PAPER_UP,
                                       TRUE_DOWN, TRUE_UP, holds_under, holds_under_by_substitution)


def _plain(candidate):
    """The candidate without the polynomial mark: the exact check's SymPy route."""
    def plain(net, t, k):
        return candidate(net, t, k)
    return plain


def _sized(options: Options, candidate, form: str, plain: bool) -> str:
    ns = list(range(1, options.n + 1))
    out = []
    for act in ACTIVATIONS:
        for n in ns:
            c = _plain(candidate) if plain else candidate
            out.append(exact_check_jacobian(RNN(n, options.m, options.T, act, form), c).verdict.value)
    return "/".join(sorted(set(out)))


def _formulas(options: Options, plain: bool) -> str:
    n, T = options.n, options.T
    cases = [(TRUE_DOWN, "A", "numerator"), (DENOM_UP, "A", "denominator"),
             (TRUE_UP, "A", "numerator"), (PAPER_DOWN, "A", "numerator"),
             (PAPER_UP, "A", "denominator"), (FORM_B_FACTOR, "B", "denominator"),
             (FORM_B_UP, "B", "denominator")]
    out = []
    for text, form, layout in cases:
        f = parse(text)
        c = f.candidate(costed=True) if plain else polynomial_candidate(f)
        rnn = RNN(n, 1, T, "generic", form)
        out.append(exact_check_jacobian(rnn, in_layout(c, layout), f.pairs(T), seed=0).verdict.value)
    return ",".join(out)


def _holds(options: Options, plain: bool) -> str:
    n, T = min(options.n, 3), min(options.T, 3)
    route = holds_under_by_substitution if plain else holds_under
    return ",".join(route(text, cond, layout=lay, n=n, T=T).verdict.value
                    for text, cond, lay in ((PAPER_DOWN, "symmetric", "numerator"),
                                            (TRUE_UP, "diagonal", "numerator"),
                                            (PAPER_UP, "diagonal", "denominator")))


def _matrixsymbol(options: Options, plain: bool) -> str:
    e = matrixsymbol_one_step(options.n, "B")
    M = sp.Matrix(e.as_explicit()) if plain else explicit(e)
    return f"{M.rows}x{M.cols}"


def _proofs(options: Options, plain: bool) -> str:
    if plain:
        for memo in (_diff, _doit, _equal, _sum_doit):
            memo.cache_clear()
    proofs = [eq12_generic_proof("A"), eq12_generic_proof("B"), eq13_induction_proof("A"),
              eq13_induction_proof("B"), eq10_induction_proof("A"), eq10_induction_proof("B")]
    return ",".join(sorted({p.check().verdict.value for p in proofs}))


def _values(options: Options, plain: bool) -> str:
    """The polynomial route with SymPy values (old) or polynomial values (new)."""
    exact_jacobian.POLY_VALUES = not plain
    try:
        return _sized(options, eq10, "A", False) + " " + _sized(options, eq10, "B", False)
    finally:
        exact_jacobian.POLY_VALUES = True


WORKLOADS = [
    ("blog.eq10 polynomial route: SymPy values vs values in polynomials", _values),
    ("blog.eq10 size checks (forms A, B)",
     lambda o, p: _sized(o, eq10, "A", p) + " " + _sized(o, eq10, "B", p)),
    ("blog.eq13 size checks", lambda o, p: _sized(o, eq13, "A", p)),
    ("blog.formB product size checks", lambda o, p: _sized(o, formB_product, "B", p)),
    ("layout formulas (eq. 5, eq. 10 order, Notes)", _formulas),
    ("holds_under (symmetric / diagonal W_rec)", _holds),
    ("MatrixSymbol.diff made explicit (form B)", _matrixsymbol),
    ("generic proofs (eqs. 10, 12, 13; A, B): first check vs again in one worker", _proofs),
]


def _clear_memos() -> None:
    """SymPy's cache and the new route's memos: each timing is a first computation."""
    clear_cache()
    exact_jacobian._shared.cache_clear()
    holds_under.cache_clear()


def _timed(fn, repeat: int, keep_cache: bool = False):
    best, value = float("inf"), None
    for _ in range(repeat):
        if not keep_cache:
            _clear_memos()
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return value, best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the --quick sizes")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    options = Options.quick_sizes() if args.quick else Options()
    load = os.getloadavg()[0]
    print(f"Python {platform.python_version()}, {platform.machine()}; sizes n={options.n}, "
          f"m={options.m}, T={options.T}; best of {args.repeat}; load average {load:.1f}.\n")
    print("| workload | old route (s) | new route (s) | speed-up | verdicts old / new |")
    print("|---|---:|---:|---:|---|")
    totals = [0.0, 0.0]
    for name, fn in WORKLOADS:
        memo = name.startswith("generic")
        old, t_old = _timed(lambda: fn(options, True), args.repeat)
        if memo:  # the memo filled by a first check, as by the claim that ran before
            fn(options, False)
        new, t_new = _timed(lambda: fn(options, False), args.repeat, keep_cache=memo)
        totals[0] += t_old
        totals[1] += t_new
        flag = "" if old == new else "  **DIFFER**"
        print(f"| {name} | {t_old:.3f} | {t_new:.3f} | {t_old / max(t_new, 1e-9):.1f}x | "
              f"{old} / {new}{flag} |", flush=True)
    print(f"| total | {totals[0]:.2f} | {totals[1]:.2f} | {totals[0] / max(totals[1], 1e-9):.1f}x | |")


if __name__ == "__main__":
    main()
