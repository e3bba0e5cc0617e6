"""Benchmark: hostile-user fuzz of the formula language and the command line.

Formulas (seeded, :func:`tests.strategies.fuzz_formulas`): each is parsed; a parsed one is
printed (text and LaTeX), its text parsed back (it must give the same formula), and it is
evaluated on an exact network (n = 2, T = 3) at one pair. The only outcomes allowed are a
value or a ``FormulaError``/``InvalidInputError`` with a one-line message.

Command lines (seeded, :func:`tests.strategies.fuzz_argvs`): in-process ``main(argv)``
calls, and a few real subprocesses; the exit status must be one of the documented ones
(docs/guide.md), stderr never holds a traceback, and an error is one line.

Prints counts, failures (tracebacks), hangs (over the per-item guard), the worst time of
one item and the peak memory (``resource.getrusage``: maximum resident set size).

    python bench/bench_fuzz.py [--formulas 2000] [--cli 200] [--subprocesses 10] [--seed 0]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from derive.formula import parse  # noqa: E402
from derive.network import RNN  # noqa: E402
from rnncore.errors import FormulaError, InvalidInputError  # noqa: E402
from rnnproof.cli import main  # noqa: E402
from tests.strategies import fuzz_argvs, fuzz_formulas  # noqa: E402

#: The exit statuses of docs/guide.md.
STATUSES = {0, 1, 2, 3, 4, 70, 130, 141}
#: Per-item hang guard, seconds (a guard, not a measurement).
GUARD = 120


class Hang(Exception):
    """An item ran past the guard."""


def _alarm(*_):
    raise Hang


def check_formula_text(text: str, net) -> str:
    """Run one formula through parse, text, LaTeX, re-parse and evaluation; return
    ``"parsed"`` or ``"refused"``; raise AssertionError on anything else."""
    try:
        f = parse(text)
    except FormulaError as exc:
        assert str(exc) and "\n" not in str(exc), repr(exc)
        return "refused"
    again = parse(f.text())
    assert again == f, (text, f.text())
    assert isinstance(f.latex(), str) and f.latex()
    t, k = (1, 0) if f.one_step else (2, 0)
    try:
        if all(0 <= step <= 3 for _, step in f.accesses(t, k)):
            value = f.candidate()(net, t, k)
            assert value.shape == (2, 2), value.shape
    except (FormulaError, InvalidInputError) as exc:
        assert "\n" not in str(exc), repr(exc)
    return "parsed"


def check_argv(argv: list[str]) -> int:
    """One in-process command line; return its status; raise AssertionError on a traceback,
    an undocumented status or a multi-line error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    text = err.getvalue()
    assert code in STATUSES, (argv, code, text)
    assert "Traceback" not in text, (argv, text)
    if code == 2:
        assert text.count("\n") == 1, (argv, text)
    return code


def _timed(fn, *args):
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(GUARD)
    start = time.perf_counter()
    try:
        return fn(*args), time.perf_counter() - start
    finally:
        signal.alarm(0)


def run(formulas: int, cli: int, subprocesses: int, seed: int) -> dict:
    """The whole fuzz run; returns its figures."""
    net = RNN(2, 1, 3).with_base(0)
    figures = {"formulas": 0, "parsed": 0, "refused": 0, "cli": 0, "subprocesses": 0,
               "failures": [], "hangs": [], "worst_formula_s": 0.0, "worst_cli_s": 0.0,
               "worst_subprocess_s": 0.0, "statuses": {}}
    for text in fuzz_formulas(seed, formulas):
        try:
            outcome, dt = _timed(check_formula_text, text, net)
            figures[outcome] += 1
            figures["worst_formula_s"] = max(figures["worst_formula_s"], dt)
        except Hang:
            figures["hangs"].append(text)
        except Exception as exc:  # noqa: BLE001 - counted and shown
            figures["failures"].append((text, repr(exc)[:200]))
        figures["formulas"] += 1
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "ok").mkdir()
        argvs = fuzz_argvs(seed, cli + subprocesses, folder)
        for argv in argvs[:cli]:
            try:
                code, dt = _timed(check_argv, argv)
                figures["statuses"][code] = figures["statuses"].get(code, 0) + 1
                figures["worst_cli_s"] = max(figures["worst_cli_s"], dt)
            except Hang:
                figures["hangs"].append(argv)
            except Exception as exc:  # noqa: BLE001
                figures["failures"].append((argv, repr(exc)[:200]))
            figures["cli"] += 1
        for argv in argvs[cli:]:
            start = time.perf_counter()
            try:
                proc = subprocess.run([sys.executable, "-m", "rnnproof", *argv],
                                      capture_output=True, text=True, timeout=GUARD)
                if proc.returncode not in STATUSES or "Traceback" in proc.stderr:
                    figures["failures"].append((argv, proc.stderr[-200:]))
            except subprocess.TimeoutExpired:
                figures["hangs"].append(argv)
            figures["worst_subprocess_s"] = max(figures["worst_subprocess_s"],
                                                time.perf_counter() - start)
            figures["subprocesses"] += 1
    figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["peak_child_rss_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return figures


def _main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--formulas", type=int, default=2000)
    parser.add_argument("--cli", type=int, default=200)
    parser.add_argument("--subprocesses", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    a = parser.parse_args()
    os.chdir(tempfile.mkdtemp())  # relative outputs land in a scratch folder
    start = time.perf_counter()
    f = run(a.formulas, a.cli, a.subprocesses, a.seed)
    print("| measure | value |\n|---|---|")
    print(f"| formulas (parsed / refused) | {f['formulas']} ({f['parsed']} / {f['refused']}) |")
    print(f"| CLI calls in-process / subprocesses | {f['cli']} / {f['subprocesses']} |")
    print(f"| exit statuses | {dict(sorted(f['statuses'].items()))} |")
    print(f"| tracebacks or wrong outcomes | {len(f['failures'])} |")
    print(f"| hangs (> {GUARD} s) | {len(f['hangs'])} |")
    print(f"| worst formula | {f['worst_formula_s']:.3f} s |")
    print(f"| worst in-process CLI call | {f['worst_cli_s']:.2f} s |")
    print(f"| worst subprocess | {f['worst_subprocess_s']:.2f} s |")
    print(f"| peak memory (this process / a child) | {f['peak_rss_mib']:.0f} MiB / "
          f"{f['peak_child_rss_mib']:.0f} MiB |")
    print(f"| total | {time.perf_counter() - start:.0f} s |")
    for item, why in f["failures"][:20]:
        print("FAIL", item, why)
    for item in f["hangs"][:20]:
        print("HANG", item)


if __name__ == "__main__":
    _main()
