"""Benchmark of ``rnnproof analyze`` and of the certified σ_max behind it (not a test).

Measures, in one run, the certified spectral norm of :mod:`numeric.svd` (float64
eigenvectors made rigorous in ball arithmetic) against :func:`numeric.linalg.spectral_norm`
(LDLᵀ certificate, n³ ball operations in Python) at n = 64, 128, 256 — the old one is
skipped where its time, extrapolated as n³ from the previous size, would pass 60 s — and
:func:`numeric.analyze.analyze` at n = 256 and 1024 on two kinds of matrices: a badly
scaled contraction (vanishing only through the diagonal scaling) and a Gaussian matrix of
spectral radius about 1.2 (exploding possible). Prints a Markdown table.

Run: ``python bench/bench_analyze.py [--sizes 64 128 256] [--analyze-sizes 256 1024]``.
BLAS threads are pinned to one (set before numpy loads) because on a shared two-core
machine a multi-threaded OpenBLAS eigen-solver is many times slower than a single thread.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from numeric.analyze import analyze  # noqa: E402
from numeric.linalg import spectral_norm  # noqa: E402
from numeric.svd import sigma_max  # noqa: E402

OLD_BUDGET_S = 60.0


def _gaussian(n: int, rho: float, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, n)) * (rho / np.sqrt(n))


def _badly_scaled(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n))
    A *= 0.8 / np.linalg.norm(A, 2)
    d = np.exp(rng.uniform(-3, 3, n))
    return d[:, None] * A / d[None, :]


def _timed(f):
    """(result, wall seconds, CPU seconds of this process): on a shared machine the CPU time
    is the steadier number, the wall time what a user waits."""
    t, c = time.perf_counter(), time.process_time()
    out = f()
    return out, time.perf_counter() - t, time.process_time() - c


def bench_sigma(sizes) -> list[str]:
    rows = ["| n | new σ_max wall / CPU (s) | rel. width | old spectral_norm wall / CPU (s) "
            "| rel. width | overlap |", "|---|---|---|---|---|---|"]
    last_old = None
    for n in sizes:
        W = _gaussian(n, 1.0, n)
        new, t_new, c_new = _timed(lambda: sigma_max(W))
        guess = None if last_old is None else last_old[1] * (n / last_old[0]) ** 3
        if guess is not None and guess > OLD_BUDGET_S:
            rows.append(f"| {n} | {t_new:.2f} / {c_new:.2f} | {new.rel_width():.1e} | skipped (≈{guess:.0f} s "
                        f"extrapolated > {OLD_BUDGET_S:.0f} s) | – | – |")
            continue
        old, t_old, c_old = _timed(lambda: spectral_norm(W))
        last_old = (n, t_old)
        rows.append(f"| {n} | {t_new:.2f} / {c_new:.2f} | {new.rel_width():.1e} | "
                    f"{t_old:.2f} / {c_old:.2f} | "
                    f"{old.rel_width():.1e} | {'yes' if new.overlaps(old) else 'NO'} |")
    return rows


def bench_analyze(sizes) -> list[str]:
    rows = ["| n | matrix | verdict | certificate | wall / CPU (s) |", "|---|---|---|---|---|"]
    for n in sizes:
        for label, W in (("badly scaled contraction", _badly_scaled(n, n)),
                         ("Gaussian, ρ ≈ 1.2", _gaussian(n, 1.2, n))):
            a, t, c = _timed(lambda: analyze(W, "tanh"))
            rows.append(f"| {n} | {label} | {a.verdict} | {a.certificate} | {t:.1f} / {c:.1f} |")
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="*", default=[64, 128, 256])
    p.add_argument("--analyze-sizes", type=int, nargs="*", default=[256, 1024])
    args = p.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("### Certified σ_max\n")
    print("\n".join(bench_sigma(args.sizes)))
    print("\n### analyze (tanh)\n")
    print("\n".join(bench_analyze(args.analyze_sizes)))


if __name__ == "__main__":
    main()
