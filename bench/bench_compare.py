"""Benchmark: this checkout against an earlier commit, the same workloads in the same run.

Each workload is a short Python snippet timed in a fresh interpreter of each checkout
(``PYTHONPATH`` set to that checkout, so each runs its own code); the snippet prints the
seconds of its own timed section and the verdict it reached, so interpreter start-up is
left out except for the ``verify`` rows, which time the whole command. Rows alternate
between the two checkouts so that load from other work hits both alike.

    python bench/bench_compare.py --base a61d36b [--repeat 3] [--only eq13,verify]

The base commit is checked out with ``git worktree add`` into a temporary folder (removed
afterwards). Prints a Markdown table: median and max seconds of each side, and the ratio.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]

#: label -> (snippet, or None for a CLI command). Snippets print "SECONDS VERDICT".
WORKLOADS: dict[str, str | list[str]] = {
    "eq13 exact, all pairs, n=4 T=6": """
import time
from derive import RNN, check_jacobian
from derive.closed_forms import eq13
rnn = RNN(4, 1, 6)
t0 = time.perf_counter(); r = check_jacobian(rnn, eq13, method="exact")
print(time.perf_counter() - t0, r.verdict.value)
""",
    "eq13 randomized, all pairs, n=32 T=64": """
import time
from derive import RNN, randomized_check_jacobian
from derive.closed_forms import eq13
rnn = RNN(32, 1, 64)
t0 = time.perf_counter(); r = randomized_check_jacobian(rnn, eq13, seed=1)
print(time.perf_counter() - t0, r.verdict.value)
""",
    "certified ‖A‖₂, n=64, 50 digits": """
import time, random
from fractions import Fraction
from numeric import spectral_norm
rng = random.Random(7)
A = [[Fraction(rng.randint(-99, 99), 100) for _ in range(64)] for _ in range(64)]
t0 = time.perf_counter(); e = spectral_norm(A, dps=50)
print(time.perf_counter() - t0, "enclosed")
""",
    "rnnproof verify --quick": ["verify", "--quick", "--json"],
    "rnnproof verify": ["verify", "--json"],
}


def _run(checkout: pathlib.Path, work: str | list[str]) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(checkout), "PYTHONHASHSEED": "0"}
    if isinstance(work, list):
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", "from rnnproof.cli import main; raise SystemExit(main())",
                               *work], cwd=checkout, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        return seconds, f"exit {proc.returncode}"
    proc = subprocess.run([sys.executable, "-c", work], cwd=checkout, env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{checkout}: {proc.stderr.strip().splitlines()[-1:]}")
    seconds, verdict = proc.stdout.split()[-2:]
    return float(seconds), verdict


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True, help="the earlier commit to compare with")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated words; rows whose label has one")
    args = ap.parse_args(argv)
    words = [w for w in args.only.split(",") if w]
    rows = {k: v for k, v in WORKLOADS.items() if not words or any(w in k for w in words)}
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="rnnproof-base-"))
    base = tmp / "base"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(base), args.base],
                   check=True)
    try:
        print(f"| workload | {args.base[:7]} median (s) | this median (s) | this max (s) | ratio | verdicts |")
        print("|---|---|---|---|---|---|")
        for label, work in rows.items():
            old, new, verdicts = [], [], set()
            for _ in range(args.repeat):
                s, v = _run(base, work)
                old.append(s)
                verdicts.add(f"base {v}")
                s, v = _run(ROOT, work)
                new.append(s)
                verdicts.add(f"this {v}")
            mo, mn = statistics.median(old), statistics.median(new)
            print(f"| {label} | {mo:.3f} | {mn:.3f} | {max(new):.3f} | {mn / mo:.2f} | "
                  f"{', '.join(sorted(verdicts))} |", flush=True)
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
