"""The ``rnnproof`` command line: one subcommand per module of ``rnnproof/commands``.

Each command module exports ``add_parser(subparsers)`` (it adds its subparser, named
after the command) and ``run(args) -> int`` (the exit code). :func:`main` is the one place
where failures become exit codes (the table is in ``docs/guide.md``):

====  ==================================================================================
0     success (``check``: the formula holds; ``verify``: a complete report with no claim
      undecided; ``analyze``: a decided answer)
1     ``check``: refuted; ``verify --fail-on-refuted``: some claim refuted
2     bad input, usage error, or an operating-system error (a file or standard output
      that cannot be written): one line on stderr naming the value or path and the cause
3     undecided (``check``, ``verify``, ``analyze``)
4     ``latex --pdf``: the TeX engine failed on the document (the ``.tex`` is written)
70    internal error (a bug in rnnproof): one line saying what to report (EX_SOFTWARE)
130   interrupted (SIGINT): one line
141   standard output closed by its reader (``rnnproof ... | head``): quiet, as a process
      ended by SIGPIPE (128 + 13)
====  ==================================================================================

With ``--json``, errors (exit 2 and 70, usage errors included) also print a JSON object
``{"error": {...}}`` on standard output, so a JSON consumer always gets JSON.

>>> main(["--version"])  # doctest: +ELLIPSIS
rnnproof ...
0
"""
from __future__ import annotations

import argparse
import errno
import importlib
import json
import os
import pkgutil
import signal
import sys

from rnncore.errors import BudgetExceededError, InternalError, RnnproofError

from . import __version__, collector, commands
from .io import shown

#: Exit codes (see the module docstring and docs/guide.md).
EXIT_OK, EXIT_REFUTED, EXIT_USAGE, EXIT_UNDECIDED, EXIT_TOOL = 0, 1, 2, 3, 4
EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_PIPE = 70, 130, 141
#: Options whose value may start with '-' (a formula such as "-W"): joined to their value.
_VALUE_OPTIONS = ("--jacobian", "--gradient", "--inequality", "--given")
#: The subcommands: the modules of rnnproof/commands.
COMMANDS = tuple(sorted(info.name for info in pkgutil.iter_modules(commands.__path__)
                        if not info.name.startswith("_")))


class UsageError(Exception):
    """A command-line usage error (argparse's complaint), shown on one line."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(message)
        self.prog, self.message = prog, message


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line: ``PROG: error: WHAT (try PROG
    --help)`` instead of four or five lines of usage."""

    def error(self, message: str):  # noqa: D102 - argparse's hook
        raise UsageError(self.prog, message)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: with ``command`` (one of :data:`COMMANDS`), that subcommand only,
    so that a command loads only its own libraries (``verify`` never loads matplotlib);
    without, every discovered subcommand (``rnnproof --help`` lists them all).

    >>> {"check", "latex", "plot", "verify"} <= set(build_parser()._subparsers._group_actions[0].choices)
    True
    >>> sorted(build_parser("verify")._subparsers._group_actions[0].choices)
    ['verify']
    """
    parser = _Parser(
        prog="rnnproof",
        description="Verify the mathematics of vanishing and exploding gradients in RNNs.",
    )
    parser.add_argument("--version", action="version", version=f"rnnproof {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS if command not in COMMANDS else (command,):
        module = importlib.import_module(f"{commands.__name__}.{name}")
        before = set(sub.choices)
        module.add_parser(sub)
        for added in set(sub.choices) - before:
            sub.choices[added].set_defaults(_run=module.run)
    return parser


def join_values(argv: list[str]) -> list[str]:
    """``--jacobian VALUE`` as ``--jacobian=VALUE``, so that a formula starting with '-'
    (``-W``) is not taken for an option.

    >>> join_values(["check", "--jacobian", "-W", "--n", "2"])
    ['check', '--jacobian=-W', '--n', '2']
    """
    out, i = [], 0
    while i < len(argv):
        arg = argv[i]
        if arg in _VALUE_OPTIONS and i + 1 < len(argv):
            out.append(f"{arg}={argv[i + 1]}")
            i += 2
            continue
        if arg == "--":
            out.extend(argv[i:])
            break
        out.append(arg)
        i += 1
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    >>> main(["verify", "--claim", "paper.gamma", "--quick", "--json"]) == 0  # doctest: +ELLIPSIS
    {...}
    True
    >>> main(["check", "--jacobian", "-W", "--no-diagnosis", "--bogus"])
    2
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    command, json_mode = _peek(argv)
    if argv == ["--version"]:  # without loading every command's libraries
        print(f"rnnproof {__version__}")
        return 0
    try:
        if sys.stdout is None or sys.stdout.closed:
            raise OSError(errno.EBADF, "it is closed", "<stdout>")
        with collector.loading():  # the command's libraries: long-lived objects only
            parser = build_parser(command)
        try:
            args = parser.parse_args(join_values(argv))
        except UsageError as exc:
            # arguments left over by a subcommand are reported by the main parser
            prog = f"rnnproof {command}" if command and exc.prog == "rnnproof" else exc.prog
            _say(None, f"{prog}: error: {exc.message} (try {prog} --help)", prefix=False)
            _json_error(json_mode, "input", f"{exc.message} (try {prog} --help)", EXIT_USAGE)
            return EXIT_USAGE
        except SystemExit as exc:  # --help, --version
            _flush()
            return int(exc.code or 0)
        if getattr(args, "_run", None) is None:
            _say(None, f"error: give a COMMAND: {', '.join(COMMANDS)} (try rnnproof --help)")
            return EXIT_USAGE
        code = int(args._run(args))
        _flush()
        return code
    except KeyboardInterrupt:
        _say(command, "interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away: nothing more to say to anyone
        _quiet_stdout()
        return EXIT_PIPE
    except InternalError as exc:
        return _internal(command, json_mode, exc)
    except (RnnproofError, OSError, MemoryError, RecursionError) as exc:
        if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
            _quiet_stdout()
            return EXIT_PIPE
        message = _describe(exc)
        if isinstance(exc, OSError) and exc.filename in (None, "<stdout>"):
            _quiet_stdout()  # the interpreter's last flush would fail (and print) again
            json_mode = False
        _say(command, f"error: {message}")
        _json_error(json_mode, "input" if isinstance(exc, RnnproofError) else "os", message,
                    EXIT_USAGE)
        return EXIT_USAGE
    except Exception as exc:  # anything else is a bug: its own status, never a verdict's
        return _internal(command, json_mode, exc)


def _describe(exc: BaseException) -> str:
    """One line for an error of the user's or the system's making."""
    if isinstance(exc, MemoryError):
        return "out of memory; use smaller sizes"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply; simplify it"
    if isinstance(exc, OSError):
        cause = exc.strerror or str(exc)
        if exc.filename in (None, "<stdout>"):
            if exc.errno == errno.EBADF:
                cause = "it is closed"
            return f"cannot write to standard output: {cause}"
        return f"{shown(exc.filename)}: {cause}"
    if isinstance(exc, BudgetExceededError):
        return f"{exc} (a budget ran out)"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _internal(command: str | None, json_mode: bool, exc: BaseException) -> int:
    what = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
    _say(command, f"internal error (a bug in rnnproof, not in your input): {what}; please "
         f"report it with the command line, this line and `rnnproof --version` ({__version__})")
    _json_error(json_mode, "internal", what, EXIT_INTERNAL)
    return EXIT_INTERNAL


def _say(command: str | None, text: str, prefix: bool = True) -> None:
    prog = f"rnnproof {command}" if command else "rnnproof"
    if sys.stderr is None:  # closed: print(file=None) would write to stdout
        return
    try:
        print(f"{prog}: {text}" if prefix else text, file=sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # stderr is gone too: the status must do
        pass


def _json_error(json_mode: bool, kind: str, message: str, code: int) -> None:
    if not json_mode:
        return
    try:
        print(json.dumps({"error": {"kind": kind, "message": message, "exit_code": code}},
                         ensure_ascii=False))
        _flush()
    except (OSError, ValueError, AttributeError):
        _quiet_stdout()


def _peek(argv: list[str]) -> tuple[str | None, bool]:
    """The command name (the first argument that is not an option, if it names a command)
    and whether ``--json`` was given (for error messages before, or without, a successful
    parse)."""
    first = next((a for a in argv if not a.startswith("-")), None)
    return (first if first in COMMANDS else None), "--json" in argv


def _flush() -> None:
    if sys.stdout is not None:
        sys.stdout.flush()


def _quiet_stdout() -> None:
    """Point the process's standard output at /dev/null, so that the interpreter's last
    flush of an unwritable stdout neither fails nor prints (only for the real stdout)."""
    if sys.stdout is None or sys.stdout is not sys.__stdout__:
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass


def entry_point() -> None:  # pragma: no cover - the console script
    """The ``rnnproof`` console script: :func:`main` with the process's signals set up (a
    file-size limit makes a write fail with an error instead of killing the process).

    Once the output is flushed the process ends with ``os._exit``: the interpreter's own
    exit frees every object SymPy and the claims built, one by one, which took 0.3–0.5 s on
    the 2-core machine (a third of ``verify --list``) and does nothing a user can see. By
    then every file the command wrote is closed (each is written inside a ``with`` block),
    the worker processes are joined and no thread is left; what the interpreter would still
    flush, standard output and error, is flushed here first."""
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        code = main()
    except KeyboardInterrupt:  # between main's handlers
        _say(None, "interrupted")
        code = EXIT_INTERRUPTED
    if code != EXIT_PIPE:
        try:
            _flush()
        except BrokenPipeError:
            _quiet_stdout()
            code = EXIT_PIPE
        except OSError as exc:
            _quiet_stdout()
            _say(None, f"error: {_describe(exc)}")
            code = EXIT_USAGE
    try:
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass  # nowhere left to say anything; the status still tells
    os._exit(code if isinstance(code, int) else EXIT_INTERNAL)


__all__ = ["main", "build_parser", "join_values", "entry_point", "COMMANDS", "EXIT_OK", "EXIT_REFUTED",
           "EXIT_USAGE", "EXIT_UNDECIDED", "EXIT_TOOL", "EXIT_INTERNAL", "EXIT_INTERRUPTED",
           "EXIT_PIPE"]
