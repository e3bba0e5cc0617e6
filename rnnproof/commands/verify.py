"""``rnnproof verify``: run every claim of the catalogue and print the verdicts.

Exit code 0 when every claim reached a verdict other than ``undecided``, 1 otherwise,
2 on usage errors (an unknown ``--claim`` id lists the known ones) and on a ``--markdown``
file that cannot be written (checked before any claim runs; written atomically), and 70
when a check raised (the report is still printed; a crash is a bug, never a verdict).

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
import sys
from pathlib import Path

from derive.seeds import resolve_seed
from numeric.decay import max_dps
from rnnclaims.numeric.conditions import DECAY_STEPS
from rnncore.errors import InternalError, PrecisionError
from rnncore.registry import Options
from rnncore.results import MethodKind
from rnncore.validate import MIN_DPS, check_dps, check_seed

from ..io import atomic_write, check_output_path
from ..report import dumps, run_report



def max_verify_dps(quick: bool) -> int:
    """Largest ``--dps`` every claim can honour (see the module docstring)."""
    return max_dps(DECAY_STEPS[bool(quick)])



def add_parser(subparsers) -> None:
    """Add the ``verify`` subparser."""
    p = subparsers.add_parser(
        "verify",
        help="run the verification suite over every catalogued claim",
        description="Run every claim of the catalogue (or those named with --claim) and print "
        "id, source, verdict, scope and one line of evidence.",
    )
    p.add_argument("--claim", action="append", metavar="ID", default=None,
                   help="run only this claim id (repeatable)")
    p.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    p.add_argument("--markdown", metavar="FILE", type=Path, default=None,
                   help="also write a Markdown report to FILE")
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
    'seed 7 (replayed; randomized verdicts are reproducible with --seed 7)'
    >>> seed_line(Options(seed=7, seed_drawn=True))
    'seed 7 (fresh from the operating system; --seed 7 replays this run)'
    """
    if options.seed_drawn:
        return f"seed {options.seed} (fresh from the operating system; --seed {options.seed} replays this run)"
    return f"seed {options.seed} (replayed; randomized verdicts are reproducible with --seed {options.seed})"


def run(args: argparse.Namespace) -> int:
    """Run the report; print it; return the exit code."""
    limit = max_verify_dps(getattr(args, "quick", False))
    if check_dps(args.dps) > limit:
        raise PrecisionError(
            f"dps={args.dps} is not allowed; use an integer {MIN_DPS} <= dps <= {limit}"
            f" (the most digits the {DECAY_STEPS[bool(getattr(args, 'quick', False))]}-step "
            "decay claims can honour)")
    check_seed(args.seed)
    options = options_from(args)
    if args.markdown is not None:
        check_output_path(args.markdown, option="--markdown")
    show = sys.stderr.isatty() and not args.no_progress

    def progress(i: int, total: int, claim_id: str) -> None:
        sys.stderr.write(f"\r\033[K[{i + 1:>2}/{total}] {claim_id}")
        sys.stderr.flush()

    report = run_report(args.claim, options, progress if show else None)
    if show:
        sys.stderr.write("\r\033[K")
    if args.markdown is not None:
        atomic_write(args.markdown, report.markdown() + "\n")
    if args.json:
        print(dumps(report))
    else:
        print(report.table())
        print(seed_line(options))
    broken = [row.id for row in report.rows if row.result.method.kind is MethodKind.ERROR]
    if broken:
        # The report is printed (its rows say what raised), but a check that crashed is a
        # bug, never an "undecided" verdict: the status is the internal-error one.
        raise InternalError(f"the check of {', '.join(broken)} raised: see its row")
    return 0 if report.all_decided else 1
