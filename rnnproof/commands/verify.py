"""``rnnproof verify``: run every claim of the catalogue and print the verdicts.

Each row is printed as soon as its claim (and every claim before it) is done, flushed:
on a terminal wrapped to its width with the verdict coloured (``NO_COLOR`` turns colour
off), to a pipe or a file as whole lines; ``--full`` (``-v``) adds the statement, reading,
method, every proof step by step and every sub-result. ``--jobs N`` runs the checks in N
worker processes (default: the cores this process may use; ``--jobs 1``: in this
process); the rows, their order and the JSON are the same for every N. ``--claim``
takes ids, dotted prefixes (``blog.eq14``: the family) and globs (``'blog.eq14*'``),
repeatable; ``--list`` prints the selected ids with their statements and runs nothing.
``--markdown FILE`` and ``--html FILE`` also write the report (``-``: to standard output,
instead of the table); files are checked before any claim runs and written atomically.

Exit status (the one table is in docs/guide.md): 0 when the report is complete and no
claim is ``undecided``; 3 when some claim is ``undecided``; 1 with ``--fail-on-refuted``
when some claim is refuted; 2 on a usage error (an unknown ``--claim`` names the closest
id) or an unwritable file; 70 when a check raised (the report is still printed; a crash is a
bug, never a verdict).

``--dps`` accepts what every engine can honour at the sizes asked for: the decay claims run
:data:`rnnclaims.numeric.conditions.DECAY_STEPS` steps at ``dps + ceil(0.35 · steps) + 20``
working digits, within :data:`numeric.decay.MAX_WORK_DPS`; a larger ``--dps`` is refused
before any claim runs.

Randomized identity tests need randomness drawn after their input is fixed: without
``--seed`` the run draws a fresh seed from the operating system, prints it and records it in
the JSON (``options.seed``, ``options.seed_drawn``); ``--seed S`` replays that run.

>>> max_verify_dps(quick=False), max_verify_dps(quick=True)
(7952, 7975)
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from derive.seeds import resolve_seed
from numeric.decay import max_dps
from rnnclaims.numeric.conditions import DECAY_STEPS
from rnncore.errors import InternalError, InvalidInputError, PrecisionError
from rnncore.registry import Options
from rnncore.results import Label, MethodKind
from rnncore.validate import MIN_DPS, check_dps, check_seed, check_size

from ..io import STDOUT, atomic_write, check_output_path, is_stdout
from ..parallel import default_jobs
from ..printers import list_lines, row_lines, summary_line, wrap
from ..report import dumps, run_report, select
from ..term import is_terminal, use_colour, width_of

#: Most worker processes --jobs accepts.
MAX_JOBS = 256
#: Exit statuses of verify (see the module docstring and docs/guide.md).
EXIT_OK, EXIT_REFUTED, EXIT_UNDECIDED = 0, 1, 3


def max_verify_dps(quick: bool) -> int:
    """Largest ``--dps`` every claim can honour (see the module docstring)."""
    return max_dps(DECAY_STEPS[bool(quick)])



def add_parser(subparsers) -> None:
    """Add the ``verify`` subparser."""
    p = subparsers.add_parser(
        "verify",
        help="run the verification suite over every catalogued claim",
        description="Run every claim of the catalogue (or those named with --claim) and print "
        "id, verdict, source, scope and evidence, a row as each claim finishes.",
    )
    p.add_argument("--claim", action="append", metavar="ID", default=None,
                   help="run only these claims: an id, a dotted prefix (blog.eq14: the "
                   "family) or a glob ('blog.eq14*'); repeatable")
    p.add_argument("--list", action="store_true",
                   help="list the (selected) claim ids with source and statement; run nothing")
    p.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    p.add_argument("--markdown", metavar="FILE", default=None,
                   help="also write a Markdown report to FILE ('-': standard output)")
    p.add_argument("--html", metavar="FILE", default=None,
                   help="also write a self-contained HTML report to FILE ('-': standard output)")
    p.add_argument("--full", "-v", action="store_true",
                   help="all the evidence: statement, reading, method, proof steps, sub-results")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help=f"worker processes (default: the cores, here {default_jobs()}; 1: serial)")
    p.add_argument("--fail-on-refuted", action="store_true",
                   help="exit 1 when any claim is refuted (default: 0 for a complete report)")
    p.add_argument("--quick", action="store_true", help="smallest sizes (n=2, m=1, T=3)")
    p.add_argument("--n", type=int, default=None, help="largest hidden size (default 3)")
    p.add_argument("--m", type=int, default=None, help="largest input size (default 2)")
    p.add_argument("--T", type=int, default=None, help="largest number of steps (default 4)")
    p.add_argument("--seed", type=int, default=None,
                   help="replay a run with this seed (default: a fresh seed from the operating "
                        "system, printed with the report)")
    p.add_argument("--dps", type=int, default=50,
                   help=f"decimal digits of numeric work ({MIN_DPS}..{max_verify_dps(False)}, "
                        "default 50)")
    p.add_argument("--no-progress", action="store_true", help="no progress line on stderr")


def options_from(args: argparse.Namespace) -> Options:
    """The :class:`Options` the command line asks for (``--quick`` sets the smallest sizes,
    which ``--n``/``--m``/``--T`` may still override)."""
    base = Options.quick_sizes() if getattr(args, "quick", False) else Options()
    sizes = {k: getattr(args, k) for k in ("n", "m", "T") if getattr(args, k, None) is not None}
    seed, replay = resolve_seed(args.seed)
    return base.with_(seed=seed, seed_drawn=not replay, dps=args.dps, **sizes)


def seed_line(options: Options) -> str:
    """How to replay this run's randomness.

    >>> seed_line(Options(seed=7))
    'seed 7 (given: a replay)'
    >>> seed_line(Options(seed=7, seed_drawn=True))
    'seed 7 (fresh from the operating system; --seed 7 replays this run)'
    """
    if options.seed_drawn:
        return f"seed {options.seed} (fresh from the operating system; --seed {options.seed} replays this run)"
    return f"seed {options.seed} (given: a replay)"


def _documents(args: argparse.Namespace) -> list[tuple[str, str]]:
    """The (option, path) of the documents to write; checked before any work: at most one
    of them (or ``--json``) may take standard output."""
    docs = [(opt, path) for opt, path in (("--markdown", args.markdown), ("--html", args.html))
            if path is not None]
    to_stdout = [opt for opt, path in docs if is_stdout(path)] + (["--json"] if args.json else [])
    if len(to_stdout) > 1:
        raise InvalidInputError(
            f"{' and '.join(to_stdout)} would all write to standard output; give "
            f"{to_stdout[0]} a file name")
    for opt, path in docs:
        if not is_stdout(path):
            check_output_path(path, option=opt)
    return docs


def run(args: argparse.Namespace) -> int:
    """Run the report, streaming its rows; write the documents; return the exit code."""
    limit = max_verify_dps(getattr(args, "quick", False))
    if check_dps(args.dps) > limit:
        raise PrecisionError(
            f"dps={args.dps} is not allowed; use an integer {MIN_DPS} <= dps <= {limit}"
            f" (the most digits the {DECAY_STEPS[bool(getattr(args, 'quick', False))]}-step "
            "decay claims can honour)")
    check_seed(args.seed)
    jobs = default_jobs() if args.jobs is None else check_size("jobs", args.jobs, MAX_JOBS,
                                                              "the --jobs limit")
    options = options_from(args)
    if args.list:
        return _list(args)
    docs = _documents(args)
    out = sys.stdout
    stream = not args.json and not any(is_stdout(path) for _, path in docs)
    width, colour = width_of(out), use_colour(out)
    show = is_terminal(sys.stderr) and not args.no_progress and not (stream and is_terminal(out))
    id_width = max([len(c.id) for c in select(args.claim)] + [2])

    def progress(i: int, total: int, claim_id: str) -> None:
        sys.stderr.write(f"\r\033[K[{i + 1:>2}/{total}] {claim_id}")
        sys.stderr.flush()

    def on_row(row) -> None:
        if show:
            sys.stderr.write("\r\033[K")
        out.write("\n".join(row_lines(row, width=width, full=args.full, colour=colour,
                                      id_width=id_width)) + "\n")
        out.flush()

    try:
        report = run_report(args.claim, options, progress if show else None, jobs=jobs,
                            on_row=on_row if stream else None)
    finally:
        if show:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
    if stream:
        out.write("-" * min(width or 100, 100) + "\n" + summary_line(report) + "\n"
                  + "\n".join(wrap(seed_line(options), width)) + "\n")
    for opt, path in docs:
        text = report.markdown() + "\n" if opt == "--markdown" else report.html()
        if is_stdout(path):
            out.write(text)
        else:
            atomic_write(path, text)
    if args.json:
        print(dumps(report))
    out.flush()
    broken = [row.id for row in report.rows if row.result.method.kind is MethodKind.ERROR]
    if broken:
        # The report is printed (its rows say what raised), but a check that crashed is a
        # bug, never an "undecided" verdict: the status is the internal-error one.
        raise InternalError(f"the check of {', '.join(broken)} raised: see its row")
    if args.fail_on_refuted and report.summary[Label.REFUTED.value]:
        return EXIT_REFUTED
    return EXIT_OK if report.all_decided else EXIT_UNDECIDED


def _list(args: argparse.Namespace) -> int:
    """``--list``: the selected claims, no check run."""
    claims = select(args.claim)
    if args.json:
        print(json.dumps([{"id": c.id, "source": c.source, "statement": c.statement,
                           "reading": c.reading, "authors_reading": c.authors_reading,
                           "layer": c.layer} for c in claims], indent=2, ensure_ascii=False))
    else:
        print("\n".join(list_lines(claims, width=width_of(sys.stdout))))
        print(f"{len(claims)} claim{'s' if len(claims) != 1 else ''}")
    return EXIT_OK
