"""Benchmark: wall time of `rnnproof verify` (full and --quick) and of `rnnproof latex`.

Runs the real command line in a fresh interpreter (start-up included), `--repeat` times,
and prints a Markdown table (median and max). With `--write FILE` the table also goes to
FILE. Targets (issue 5): full verify <= 60 s, --quick <= 15 s on the 2-core machine.

    python bench/bench_report.py --repeat 3 --write docs/verify-timing.md
"""
from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = [
    ("rnnproof verify --quick", ["verify", "--quick", "--json"], 15.0),
    ("rnnproof verify", ["verify", "--json"], 60.0),
    ("rnnproof latex --form A --n 2 --T 3 --pdf", ["latex", "--form", "A", "--n", "2", "--T", "3",
                                                  "--pdf", "-o", "{tmp}/a.tex"], None),
]


def time_command(argv: list[str], repeat: int) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        argv = [a.replace("{tmp}", tmp) for a in argv]
        for _ in range(repeat):
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "rnnproof", *argv],
                                  capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            if proc.returncode not in (0, 3):  # 3: a claim undecided (a complete report)
                raise SystemExit(f"rnnproof {' '.join(argv)} failed:\n{proc.stderr}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--write", type=Path, default=None)
    args = parser.parse_args()
    lines = [
        f"Measured on {platform.machine()} with Python {platform.python_version()}, "
        f"{args.repeat} run(s) each, wall time including interpreter start.",
        "",
        "| command | median (s) | max (s) | target (s) | met |",
        "|---|---|---|---|---|",
    ]
    for label, argv, target in CASES:
        times = time_command(argv, args.repeat)
        med, worst = statistics.median(times), max(times)
        met = "-" if target is None else ("yes" if worst <= target else "NO")
        lines.append(f"| `{label}` | {med:.1f} | {worst:.1f} | {target or '-'} | {met} |")
    table = "\n".join(lines)
    print(table)
    if args.write:
        args.write.write_text("# Timing of the report commands\n\nProduced by "
                              "`python bench/bench_report.py`.\n\n" + table + "\n",
                              encoding="utf-8")


if __name__ == "__main__":
    main()
