"""Benchmark: all-pairs proof of blog eq. 13, project method vs a naive SymPy baseline.

For n in {2, 3, 4} and T in {4, 6} (generic σ, m = 1, form A), every pair 0 <= k < t <= T:

* project: ``check_jacobian(RNN(n, 1, T), eq13, method="exact")`` — direct Jacobians by
  memoised forward differentiation, compared with the closed form as canonical
  polynomials (SymPy's cache cleared before each cell);
* baseline: build the composite ``x_t`` of base ``x_k``, ``Matrix.jacobian``, the product
  ``∏ W_rec diag(σ'(x_{j-1}))`` with SymPy's ``*``, and ``expand(J − C) == 0`` for every
  entry of every pair — in a subprocess with a per-cell timeout (default 60 s).

Times are in-process seconds (interpreter start excluded). Prints a Markdown table.

    python bench/bench_eq13.py [--timeout 60] [--sizes 2x4,3x4]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time


def baseline(n: int, T: int) -> float:
    """The naive all-pairs check; returns seconds, raises if a pair fails."""
    import sympy as sp

    from derive.network import RNN

    t0 = time.perf_counter()
    rnn = RNN(n, 1, T)
    for k in range(T):
        net = rnn.with_base(k)
        for t in range(k + 1, T + 1):
            J = net.state(t).jacobian(net.state_symbols(k))
            C = sp.eye(n)
            for j in range(t, k, -1):
                C = C * (net.W_rec * sp.diag(*net.state(j - 1).applyfunc(net.act.derivative)))
            if any(sp.expand(J[a, b] - C[a, b]) != 0 for a in range(n) for b in range(n)):
                raise AssertionError(f"baseline found a difference at (t, k) = ({t}, {k})")
    return time.perf_counter() - t0


def project(n: int, T: int) -> tuple[float, str]:
    """The project's check; returns (seconds, verdict)."""
    from sympy.core.cache import clear_cache

    from derive.closed_forms import eq13
    from derive.jacobian import check_jacobian
    from derive.network import RNN

    clear_cache()
    t0 = time.perf_counter()
    r = check_jacobian(RNN(n, 1, T), eq13, method="exact")
    return time.perf_counter() - t0, r.verdict.value


def _run_baseline(n: int, T: int, timeout: float) -> float | None:
    try:
        out = subprocess.run([sys.executable, __file__, "--baseline", f"{n}x{T}"],
                             capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    return float(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=60.0, help="baseline seconds per cell")
    ap.add_argument("--sizes", default="2x4,2x6,3x4,3x6,4x4,4x6", help="cells as NxT, comma separated")
    ap.add_argument("--baseline", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.baseline:
        n, T = map(int, args.baseline.split("x"))
        print(baseline(n, T))
        return 0
    cells = [tuple(map(int, c.split("x"))) for c in args.sizes.split(",")]
    print("| n | T | pairs | project (s) | verdict | naive SymPy baseline (s) | speed-up |")
    print("|---|---|---|---|---|---|---|")
    for n, T in cells:
        ours, verdict = min((project(n, T) for _ in range(3)), key=lambda r: r[0])
        base = _run_baseline(n, T, args.timeout)
        pairs = T * (T + 1) // 2
        if base is None:
            b_txt, ratio = f"> {args.timeout:.0f}", f"> {args.timeout / ours:.0f}x"
        else:
            b_txt, ratio = f"{base:.2f}", f"{base / ours:.0f}x"
        print(f"| {n} | {T} | {pairs} | {ours:.3f} | {verdict} | {b_txt} | {ratio} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
