"""Benchmark: ``rnnproof check`` of blog eq. 13 at n in {8, 32, 64}, T in {16, 64, 128}.

Wall time includes interpreter start-up (a real subprocess of ``python -m rnnproof``), and
peak RSS comes from ``resource.getrusage(RUSAGE_CHILDREN)``. The alternative, in the same
run, is the previous commit's command (``--rev``, default ``main``: its CLI refused
n > 6 or T > 8), run from a temporary ``git worktree`` of that revision. This branch's runs get
``--time-budget`` equal to the timeout, so that the randomized test is not cut short.

    python bench/bench_check.py [--rev main] [--sizes 8x16,32x64,64x128] [--timeout 900]

Prints a Markdown table (the one in docs/check.md).
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EQ13 = "prod_down(i, t, k+1, W @ D[i-1])"
ROOT = Path(__file__).resolve().parents[1]


def run(src: Path, n: int, T: int, timeout: float, extra=()) -> tuple[str, float, float]:
    """(outcome, wall seconds, peak RSS MB of this child) of one CLI run from ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-m", "rnnproof", "check", "--jacobian", EQ13,
                               "--n", str(n), "--T", str(T), "--no-diagnosis", *extra],
                              cwd=src, env=env,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"timeout > {timeout:g} s", time.monotonic() - start, float("nan")
    wall = time.monotonic() - start
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    verdict = next((line.split()[1] for line in proc.stdout.splitlines()
                    if line.startswith("verdict:")), None)
    outcome = (f"exit {proc.returncode}: {verdict}" if verdict else
               f"exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1][:70] if proc.stderr else ''}")
    return outcome, wall, max(rss, before) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rev", default="main")
    ap.add_argument("--sizes", default="8x16,32x64,64x128")
    ap.add_argument("--timeout", type=float, default=900.0)
    args = ap.parse_args()
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), args.rev],
                       check=True, capture_output=True)
        try:
            start = time.monotonic()
            subprocess.run([sys.executable, "-m", "rnnproof", "check", "--jacobian", "W @ D[i-1]",
                            "--n", "1", "--T", "1", "--no-diagnosis"], cwd=ROOT,
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True)
            print(f"start-up (`rnnproof check` of eq. 10's one step at n = T = 1): "
                  f"{time.monotonic() - start:.1f} s; load average {os.getloadavg()[0]:.1f}\n")
            print(f"| n | T | this branch: outcome | wall (s) | peak RSS (MB) | {args.rev}: outcome | wall (s) |")
            print("|---|---|---|---|---|---|---|")
            for n, T in sizes:
                o_new, w_new, rss = run(ROOT, n, T, args.timeout,
                                        ("--time-budget", str(args.timeout)))
                o_old, w_old, _ = run(old, n, T, args.timeout)
                print(f"| {n} | {T} | {o_new} | {w_new:.1f} | {rss:.0f} | {o_old} | {w_old:.1f} |",
                      flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                           capture_output=True)


if __name__ == "__main__":
    main()
