"""Start-up of the command line: an interrupt while the program is still loading its
libraries (SymPy alone takes a second or more on a loaded machine) ends with the same one
line and status 130 as an interrupt later, never a traceback.

The console script and ``python -m rnnproof`` both enter through :func:`run`.

>>> callable(run)
True
"""
import sys

from .collector import loading

try:
    with loading():
        from .cli import entry_point
except KeyboardInterrupt:
    sys.stderr.write("rnnproof: interrupted\n")
    sys.exit(130)  # the status of rnnproof.cli.EXIT_INTERRUPTED, which did not load


def run() -> None:
    """Run the command line (see :func:`rnnproof.cli.entry_point`); exit status 130 on SIGINT."""
    entry_point()


__all__ = ["run"]
