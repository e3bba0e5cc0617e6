"""Benchmark of the exact one-step Jacobian proofs of the cells (not a test).

For each cell and n = 1, 2, 3, times the exact proof (dual numbers over SymPy against the
closed form, every block expanded) with σ generic and with tanh, against the alternative of
differentiating the symbolic step with SymPy's own ``Matrix.jacobian`` (the same check done by
SymPy's differentiation instead of dual numbers). Prints a Markdown table.

Run: ``python bench/bench_cells.py [--sizes 1 2 3]``.
"""
from __future__ import annotations

import argparse
import time

import sympy as sp

from derive.cells import CLOSED_FORMS, COMPONENTS, exact_difference, symbolic_point
from rnnmodel.exact import SYMPY


def sympy_jacobian_check(name: str, n: int, act: str) -> bool:
    """The same identity with SymPy's jacobian() of the step on the first state component."""
    pt = symbolic_point(name, n, act=act)
    state = pt.cell.step(SYMPY, pt.act, pt.params, pt.past, pt.u).state
    first_in = pt.past[-1][0] if isinstance(pt.past[-1], tuple) else pt.past[-1]
    first_out = state[0] if isinstance(state, tuple) else state
    J = first_out.jacobian(first_in)
    key = (COMPONENTS[name][0], "x[t-1]" if pt.cell.reads == 2 else COMPONENTS[name][0])
    closed = CLOSED_FORMS[name](SYMPY, pt)[key]
    return (J - closed).applyfunc(sp.expand) == sp.zeros(n, n)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 2, 3])
    args = ap.parse_args()
    print("| cell | n | exact proof, σ generic | exact proof, tanh | SymPy jacobian() check, tanh (first block) |")
    print("|---|---|---|---|---|")
    for name in CLOSED_FORMS:
        for n in args.sizes:
            row = [name, str(n)]
            for act in ("generic", "tanh"):
                t = time.perf_counter()
                ok = exact_difference(SYMPY, symbolic_point(name, n, act=act), CLOSED_FORMS[name]) is None
                row.append(f"{time.perf_counter() - t:.2f} s ({'proved' if ok else 'DIFFERS'})")
            t = time.perf_counter()
            ok = sympy_jacobian_check(name, n, "tanh")
            row.append(f"{time.perf_counter() - t:.2f} s ({'agrees' if ok else 'DIFFERS'})")
            print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
