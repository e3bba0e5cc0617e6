"""The ``rnnproof`` command line: one subcommand per module of ``rnnproof/commands``.

Each command module exports ``add_parser(subparsers)`` (it adds its subparser, named
after the command) and ``run(args) -> int`` (the exit code). Errors of the user's making
print one clear line on stderr and exit 2, never a traceback.

>>> main(["--version"])  # doctest: +ELLIPSIS
rnnproof ...
0
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import __version__, commands
from rnncore.errors import RnnproofError


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every discovered subcommand.

    >>> sorted(build_parser()._subparsers._group_actions[0].choices)[:2]
    ['check', 'latex']
    """
    parser = argparse.ArgumentParser(
        prog="rnnproof",
        description="Verify the mathematics of vanishing and exploding gradients in RNNs.",
    )
    parser.add_argument("--version", action="version", version=f"rnnproof {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        before = set(sub.choices)
        module.add_parser(sub)
        for name in set(sub.choices) - before:
            sub.choices[name].set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    >>> main(["verify", "--claim", "paper.gamma", "--quick", "--json"]) == 0  # doctest: +ELLIPSIS
    {...}
    True
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help, --version (0) or a usage error (2)
        return int(exc.code or 0)
    if getattr(args, "_run", None) is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args._run(args))
    except RnnproofError as exc:
        print(f"rnnproof {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rnnproof: interrupted", file=sys.stderr)
        return 130


def entry_point() -> None:  # pragma: no cover - the console script
    """The ``rnnproof`` console script."""
    sys.exit(main())


__all__ = ["main", "build_parser"]
