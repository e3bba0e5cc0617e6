"""Benchmark: wall time of `rnnproof verify`, serial against worker processes, full against
--quick, with the time to the first streamed row and the start-up alone.

Runs the real command line in a fresh interpreter each time (start-up included), its
output into a pipe (as a script or CI sees it), and prints a Markdown table: per case the
median wall time and the median time until the first row reached the pipe. Targets
(issue 13): full <= 10 s, --quick <= 3 s, first row <= 2 s on the 2-core machine. The load
average at the start and the end is printed beside the table: other processes on the
machine slow every figure.

Python's bytecode cache is on, as on a user's machine (a warm-up run writes the project's
``.pyc`` files first); the start-up is also measured, first, with the project's
``__pycache__`` directories removed and ``PYTHONDONTWRITEBYTECODE=1`` (every project module
compiled from source at each start; the installed libraries keep their own cache), the
alternative, in the same run: an environment that sets that variable pays it on every command.

    python bench/bench_verify.py [--repeat 3] [--write docs/verify-timing.md]
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

CASES = [
    ("start-up without bytecode cache: `verify --list`", ["verify", "--list"], None, None),
    ("start-up: `verify --list`", ["verify", "--list"], None, None),
    ("`verify --quick --jobs 1`", ["verify", "--quick", "--jobs", "1"], None, None),
    ("`verify --quick --jobs 2`", ["verify", "--quick", "--jobs", "2"], 3.0, 2.0),
    ("`verify --jobs 1`", ["verify", "--jobs", "1"], None, None),
    ("`verify --jobs 2`", ["verify", "--jobs", "2"], 10.0, 2.0),
]


ROOT = Path(__file__).resolve().parent.parent


PACKAGES = ("rnncore", "rnnmodel", "derive", "numeric", "rnnclaims", "rnnproof")


def clear_project_bytecode() -> None:
    """Remove the project's ``__pycache__`` directories (caches Python rebuilds)."""
    for package in PACKAGES:
        for cache in (ROOT / package).rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)


def environment(bytecode: bool) -> dict:
    """The environment of a run: Python's default (bytecode cache written and read) or
    ``PYTHONDONTWRITEBYTECODE=1``."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: list[str], bytecode: bool = True) -> tuple[float, float, float]:
    """(wall seconds, seconds until the first line of output, CPU seconds of the command and
    its worker processes) of one run."""
    cpu0 = _cpu()
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "rnnproof", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=environment(bytecode))
    proc.stdout.readline()
    first = time.perf_counter() - start
    proc.stdout.read()
    code = proc.wait()
    wall = time.perf_counter() - start
    if code not in (0, 3):
        raise SystemExit(f"rnnproof {' '.join(argv)} exited {code}")
    return wall, first, _cpu() - cpu0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--write", type=Path, default=None)
    args = parser.parse_args()
    load0 = os.getloadavg()[0]
    # CPU seconds (user + system, the command and its workers) vary less with the load
    # than wall time does: they show whether a change removed work or only moved it
    lines = ["| command | wall (s) | first row (s) | CPU (s) | target wall / first row (s) | met |",
             "|---|---:|---:|---:|---|---|"]
    clear_project_bytecode()
    warm = False
    for label, argv, target, first_target in CASES:
        bytecode = "without bytecode" not in label
        if bytecode and not warm:
            run_once(["verify", "--list"])  # writes the project's bytecode cache
            warm = True
        runs = [run_once(argv, bytecode) for _ in range(args.repeat)]
        wall = statistics.median(w for w, _, _ in runs)
        first = statistics.median(f for _, f, _ in runs)
        cpu = statistics.median(c for _, _, c in runs)
        if target is None:
            met, goal = "-", "-"
        else:
            met = "yes" if wall <= target and first <= first_target else "NO"
            goal = f"{target:g} / {first_target:g}"
        lines.append(f"| {label} | {wall:.1f} | {first:.1f} | {cpu:.1f} | {goal} | {met} |")
        print(lines[-1], flush=True)
    load1 = os.getloadavg()[0]
    head = (f"Measured on {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}; median of {args.repeat} run(s), wall time including "
            f"interpreter start, output to a pipe; load average {load0:.1f} at the start and "
            f"{load1:.1f} at the end (2.0 means both cores busy with other work).")
    table = head + "\n\n" + "\n".join(lines)
    print()
    print(table)
    if args.write:
        args.write.write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
