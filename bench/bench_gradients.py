"""Benchmark: wall time of the gradient claims (rnnclaims/symbolic/gradients.py).

Runs every claim of the module twice — first with cold caches, then warm — in a fresh
process for ``Options.quick_sizes()`` and another for ``Options()`` (SymPy's own cache
survives between runs in one process), and prints a Markdown table (seconds).
The cold column is what ``rnnproof verify`` pays (the direct derivatives of the composed
network are cached and shared between claims, so a claim's cold time depends on which
claims ran before it in the same process: the order below is the catalogue's).

    /work/venv/bin/python bench/bench_gradients.py
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

from rnnclaims.symbolic import REGISTRY
from rnnclaims.symbolic import gradients as module
from rnncore.registry import Options


def _clear_caches() -> None:
    from derive import gradients

    for name in dir(gradients):
        f = getattr(gradients, name)
        if hasattr(f, "cache_clear"):
            f.cache_clear()


def run(options: Options) -> dict[str, tuple[str, float, float]]:
    """``{id: (verdict, cold seconds, warm seconds)}`` at ``options``."""
    ids = [c.id for c in REGISTRY if c.check.__module__ == module.__name__]
    _clear_caches()
    out = {}
    for claim_id in ids:
        t0 = time.perf_counter()
        verdict = REGISTRY.run(claim_id, options).verdict.value
        out[claim_id] = [verdict, time.perf_counter() - t0, 0.0]
    for claim_id in ids:
        t0 = time.perf_counter()
        REGISTRY.run(claim_id, options)
        out[claim_id][2] = time.perf_counter() - t0
    return {k: tuple(v) for k, v in out.items()}


def _in_fresh_process(which: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", which], check=True,
                         capture_output=True, text=True).stdout
    return {k: tuple(v) for k, v in json.loads(out).items()}


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        options = Options.quick_sizes() if sys.argv[2] == "quick" else Options()
        print(json.dumps(run(options)))
        return
    quick, full = _in_fresh_process("quick"), _in_fresh_process("default")
    print("| claim | verdict | quick cold | quick warm | default cold | default warm |")
    print("|---|---|---|---|---|---|")
    for claim_id, (verdict, qc, qw) in quick.items():
        _, fc, fw = full[claim_id]
        print(f"| {claim_id} | {verdict} | {qc:.2f} | {qw:.2f} | {fc:.2f} | {fw:.2f} |")
    print(f"| **total** | | {sum(v[1] for v in quick.values()):.2f} | "
          f"{sum(v[2] for v in quick.values()):.2f} | {sum(v[1] for v in full.values()):.2f} | "
          f"{sum(v[2] for v in full.values()):.2f} |")


if __name__ == "__main__":
    main()
