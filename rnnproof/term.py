"""What the standard streams are attached to: a terminal's width, and whether to colour.

Output to a terminal wraps to its width and colours the verdicts; output to a pipe or a
file has whole lines (no width at all) and no escape codes. ``NO_COLOR`` set in the
environment (to any value, https://no-color.org) turns colour off on a terminal too, and so
does ``TERM=dumb``.

>>> import io
>>> width_of(io.StringIO()) is None, use_colour(io.StringIO(), {})
(True, False)
"""
from __future__ import annotations

import os
import shutil
from typing import IO, Mapping


def is_terminal(stream: IO | None) -> bool:
    """True when ``stream`` is an open terminal.

    >>> import io
    >>> is_terminal(io.StringIO()), is_terminal(None)
    (False, False)
    """
    try:
        return stream is not None and not stream.closed and stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def width_of(stream: IO | None) -> int | None:
    """The width to wrap ``stream``'s lines to: the terminal's columns (at least 40), or
    None (no limit) when it is not a terminal."""
    if not is_terminal(stream):
        return None
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        columns = shutil.get_terminal_size((80, 24)).columns
    return max(40, columns or 80)


def use_colour(stream: IO | None, environ: Mapping[str, str] | None = None) -> bool:
    """True when verdicts written to ``stream`` should be coloured: a terminal, ``NO_COLOR``
    not set (any value turns colour off), ``TERM`` not ``dumb``.

    >>> import io
    >>> use_colour(io.StringIO(), {"NO_COLOR": ""})
    False
    """
    env = os.environ if environ is None else environ
    return is_terminal(stream) and "NO_COLOR" not in env and env.get("TERM") != "dumb"


__all__ = ["is_terminal", "width_of", "use_colour"]
