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

With ``--rev REV`` the alternative runs in the same session: every case also runs from a
temporary ``git worktree`` of REV (``PYTHONPATH`` pointing there), alternating run by run
with this tree, and the table gains REV's median wall and CPU columns.

    python bench/bench_verify.py [--repeat 3] [--rev REV] [--write docs/verify-timing.md]
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
import tempfile
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


def clear_project_bytecode(root: Path = ROOT) -> None:
    """Remove the project's ``__pycache__`` directories under ``root`` (caches Python
    rebuilds)."""
    for package in PACKAGES:
        for cache in (root / package).rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)


def environment(bytecode: bool, root: Path = ROOT) -> dict:
    """The environment of a run from the tree ``root``: Python's default (bytecode cache
    written and read) or ``PYTHONDONTWRITEBYTECODE=1``."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(root)
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: list[str], bytecode: bool = True, root: Path = ROOT) -> tuple[float, float, float]:
    """(wall seconds, seconds until the first line of output, CPU seconds of the command and
    its worker processes) of one run from the tree ``root``."""
    cpu0 = _cpu()
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "rnnproof", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=environment(bytecode, root), cwd=root)
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
    parser.add_argument("--rev", default=None, help="also run each case from this revision")
    parser.add_argument("--write", type=Path, default=None)
    args = parser.parse_args()
    if args.rev is None:
        table(args, None)
        return
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), args.rev],
                       check=True, capture_output=True)
        try:
            table(args, old)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                           capture_output=True)


def _medians(runs) -> tuple[float, float, float]:
    return tuple(statistics.median(r[i] for r in runs) for i in range(3))


def table(args, old: Path | None) -> None:
    """Run every case (alternating with the tree ``old`` when given) and print the table."""
    load0 = os.getloadavg()[0]
    # CPU seconds (user + system, the command and its workers) vary less with the load
    # than wall time does: they show whether a change removed work or only moved it
    head = "| command | wall (s) | first row (s) | CPU (s) | target wall / first row (s) | met |"
    rule = "|---|---:|---:|---:|---|---|"
    if old is not None:
        head += f" {args.rev}: wall (s) | {args.rev}: CPU (s) |"
        rule += "---:|---:|"
    lines = [head, rule]
    trees = [ROOT] + ([old] if old is not None else [])
    for tree in trees:
        clear_project_bytecode(tree)
    warm = False
    for label, argv, target, first_target in CASES:
        bytecode = "without bytecode" not in label
        if bytecode and not warm:
            for tree in trees:
                run_once(["verify", "--list"], root=tree)  # writes the project's bytecode cache
            warm = True
        runs: dict[Path, list] = {tree: [] for tree in trees}
        for _ in range(args.repeat):
            for tree in trees:
                runs[tree].append(run_once(argv, bytecode, tree))
        wall, first, cpu = _medians(runs[ROOT])
        if target is None:
            met, goal = "-", "-"
        else:
            met = "yes" if wall <= target and first <= first_target else "NO"
            goal = f"{target:g} / {first_target:g}"
        line = f"| {label} | {wall:.1f} | {first:.1f} | {cpu:.1f} | {goal} | {met} |"
        if old is not None:
            owall, _, ocpu = _medians(runs[old])
            line += f" {owall:.1f} | {ocpu:.1f} |"
        lines.append(line)
        print(line, flush=True)
    load1 = os.getloadavg()[0]
    head = (f"Measured on {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}; median of {args.repeat} run(s), wall time including "
            f"interpreter start, output to a pipe; load average {load0:.1f} at the start and "
            f"{load1:.1f} at the end (2.0 means both cores busy with other work).")
    text = head + "\n\n" + "\n".join(lines)
    print()
    print(text)
    if args.write:
        args.write.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
