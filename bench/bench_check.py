"""Benchmark: ``rnnproof check`` of blog eq. 13 at n in {8, 32, 64}, T in {16, 64, 128}.

Wall time includes interpreter start-up (a real subprocess of ``python -m rnnproof``); peak
RSS and user CPU time are that child's own (``os.wait4``). The alternative, in the same
run, is the previous commit's command (``--rev``, default ``main``: its CLI refused
n > 6 or T > 8), run from a temporary ``git worktree`` of that revision. This branch's runs get
``--time-budget`` (the randomized test's wall-clock hang guard) equal to the timeout; its
budget proper is a count (``--step-budget``, default far above every size here).
``--repeat N`` runs each size N times on each side, alternating, and reports the median
wall time (and the median user CPU seconds of the child, less sensitive to the load).

    python bench/bench_check.py [--rev main] [--sizes 8x16,32x64,64x128] [--timeout 900] [--repeat 1]

Prints a Markdown table (the one in docs/check.md).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

EQ13 = "prod_down(i, t, k+1, W @ D[i-1])"
ROOT = Path(__file__).resolve().parents[1]


def run(src: Path, n: int, T: int, timeout: float, extra=()) -> tuple[str, float, float, float]:
    """(outcome, wall seconds, peak RSS MB, user CPU seconds) of one CLI run from ``src``
    (RSS and CPU of that child alone: ``os.wait4``)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "rnnproof", "check", "--jacobian", EQ13,
                                 "--n", str(n), "--T", str(T), "--no-diagnosis", *extra],
                                cwd=src, env=env, stdout=out, stderr=err, text=True)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        wall = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if wall >= timeout:
            return f"timeout > {timeout:g} s", wall, float("nan"), float("nan")
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    verdict = next((line.split()[1] for line in stdout.splitlines()
                    if line.startswith("verdict:")), None)
    outcome = (f"exit {proc.returncode}: {verdict}" if verdict else
               f"exit {proc.returncode}: {stderr.strip().splitlines()[-1][:70] if stderr else ''}")
    return outcome, wall, usage.ru_maxrss / 1024, usage.ru_utime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rev", default="main")
    ap.add_argument("--sizes", default="8x16,32x64,64x128")
    ap.add_argument("--timeout", type=float, default=900.0)
    ap.add_argument("--repeat", type=int, default=1)
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
            med = "median " if args.repeat > 1 else ""
            print(f"| n | T | this branch: outcome | {med}wall (s) | {med}user CPU (s) | peak RSS (MB) "
                  f"| {args.rev}: outcome | {med}wall (s) | {med}user CPU (s) |")
            print("|---|---|---|---|---|---|---|---|---|")
            for n, T in sizes:
                new, old_runs = [], []
                for _ in range(args.repeat):
                    new.append(run(ROOT, n, T, args.timeout, ("--time-budget", str(args.timeout))))
                    old_runs.append(run(old, n, T, args.timeout))
                outcomes = lambda runs: "; ".join(sorted({r[0] for r in runs}))
                wall = lambda runs: statistics.median(r[1] for r in runs)
                cpu = lambda runs: statistics.median(r[3] for r in runs)
                rss = max(r[2] for r in new)
                print(f"| {n} | {T} | {outcomes(new)} | {wall(new):.1f} | {cpu(new):.1f} | {rss:.0f} "
                      f"| {outcomes(old_runs)} | {wall(old_runs):.1f} | {cpu(old_runs):.1f} |",
                      flush=True)
            print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                           capture_output=True)


if __name__ == "__main__":
    main()
