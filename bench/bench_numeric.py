"""Benchmark of numeric/: certified ‖A‖₂ against mpmath's uncertified svd_r and numpy
float64, in the same run; certified ρ(A); the decay experiment; all numeric claims.

Run:  /work/venv/bin/python bench/bench_numeric.py [--quick]

Prints Markdown tables (seconds in-process, median of 3 runs for calls under 5 s).
"""
from __future__ import annotations

import statistics
import sys
import time

import numpy as np


def _time(fn, repeat=3):
    first = time.perf_counter()
    out = fn()
    t = time.perf_counter() - first
    if t >= 5 or repeat <= 1:
        return t, out
    ts = [t]
    for _ in range(repeat - 1):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), out


def norm_table(sizes=(8, 32, 64), digits=(50, 100)):

    from numeric import mp_spectral_norm, spectral_norm, spectral_radius
    from numeric.matrices import exact_scalar

    rows = ["| n | dps | certified ‖A‖₂ (s) | rel. width | mpmath svd_r (s) | numpy float64 (s) "
            "| certified ρ(A) (s) | rel. diff. mpmath / float64 |",
            "|---|---|---|---|---|---|---|---|"]
    rng = np.random.default_rng(0)
    for n in sizes:
        A = rng.standard_normal((n, n))
        for d in digits:
            tc, enc = _time(lambda: spectral_norm(A, dps=d))
            tm, mp = _time(lambda: mp_spectral_norm(A, dps=d), repeat=1 if n >= 64 else 3)
            tn, fl = _time(lambda: np.linalg.norm(A, 2))
            tr, _ = _time(lambda: spectral_radius(A, dps=d))
            rel = abs(enc.mid - exact_scalar(mp)) / enc.mid
            rows.append(f"| {n} | {d} | {tc:.4f} | {enc.rel_width():.1e} | {tm:.4f} | "
                        f"{tn:.1e} | {tr:.4f} | {float(rel):.0e} / {abs(fl / float(enc.mid) - 1):.0e} |")
    return "\n".join(rows)


def decay_table(steps_list=(200, 2000)):
    from numeric import decay_experiment

    rows = ["| activation | σ_max(W) | steps | dps | time (s) | log10 ‖∂x_T/∂x_0‖ | max rel. "
            "width | float64 subnormal / 0 / inf |", "|---|---|---|---|---|---|---|---|"]
    for steps in steps_list:
        for act, s in (("tanh", "9/10"), ("sigmoid", "18/5")):
            t, r = _time(lambda: decay_experiment(activation=act, sigma_max=s, steps=steps),
                         repeat=1 if steps > 500 else 3)
            rows.append(f"| {act} | {s} | {steps} | 50 | {t:.2f} | {r.log10_norms[-1]:.1f} | "
                        f"{r.max_rel_width:.1e} | {r.first_subnormal} / {r.first_zero} / "
                        f"{r.first_inf} |")
    from numeric import DECAY_PRESETS

    t, r = _time(lambda: decay_experiment(steps=2000, **DECAY_PRESETS["tanh-above-origin"]),
                 repeat=1)
    rows.append(f"| tanh (x=0, exploding) | 3/2 | 2000 | 50 | {t:.2f} | "
                f"{r.log10_norms[-1]:.1f} | {r.max_rel_width:.1e} | {r.first_subnormal} / "
                f"{r.first_zero} / {r.first_inf} |")
    return "\n".join(rows)


def claims_table():
    from rnnclaims.numeric import REGISTRY
    from rnnclaims.joint import REGISTRY as JOINT
    from rnncore.registry import Options

    rows = ["| claim | verdict | default (s) | quick (s) |", "|---|---|---|---|"]
    total = [0.0, 0.0]
    for reg in (REGISTRY, JOINT):
        for claim in reg:
            t0 = time.perf_counter()
            r = claim.run(Options())
            t1 = time.perf_counter()
            claim.run(Options.quick_sizes())
            t2 = time.perf_counter()
            total[0] += t1 - t0
            total[1] += t2 - t1
            rows.append(f"| {claim.id} | {r.verdict.value} | {t1 - t0:.2f} | {t2 - t1:.2f} |")
    rows.append(f"| **all** | | **{total[0]:.2f}** | **{total[1]:.2f}** |")
    return "\n".join(rows)


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    quick = "--quick" in argv
    print("## Certified spectral norm vs mpmath svd_r and numpy (random Gaussian A)\n")
    print(norm_table(sizes=(8, 32) if quick else (8, 32, 64)))
    print("\n## Decay experiment (form A, n = 8, seeded, certified per step)\n")
    print(decay_table(steps_list=(200,) if quick else (200, 2000)))
    print("\n## Numeric claims (Options() and Options.quick_sizes())\n")
    print(claims_table())


if __name__ == "__main__":
    main()
