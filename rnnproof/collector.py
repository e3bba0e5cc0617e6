"""When Python's cyclic garbage collector runs during a command.

Reference counting frees almost everything the commands build (SymPy expressions are
trees); the cyclic collector only finds the few reference cycles, and it walks every live
container object to do so. Two phases of a command gain nothing from it:

- **loading** the libraries (:func:`loading`): every object made is a module, a class or a
  table that lives as long as the process. Collections during the import only walk them;
  at the end they are frozen (:func:`gc.freeze`: never walked again) and the collector is
  switched back on. ``verify --list`` starts about 0.08 s sooner on the 2-core machine.
- **running checks** (:func:`paused`, used by :func:`rnnproof.parallel.run_ordered`): the
  collector is off while claims run and :func:`valve` collects once more than
  :data:`VALVE` tracked objects have accumulated since the last collection, so memory
  stays bounded whatever a check does. A whole ``verify --quick`` accumulates about 65 000
  (7 000 of them garbage in cycles), the full report about 100 000, so the valve never
  opens there; the collections it saves were a tenth of the claims' CPU time (the table
  in docs/verify-timing.md), peak memory unchanged (134 MB for the full report either way).

>>> import gc
>>> before = gc.isenabled()
>>> with paused():
...     gc.isenabled()
False
>>> gc.isenabled() == before
True
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

#: Tracked objects allocated (net of those freed) since the last collection beyond which
#: :func:`valve` collects.
VALVE = 1_000_000


@contextmanager
def loading() -> Iterator[None]:
    """No cyclic collection while the block imports modules; what they built is frozen at
    the end (the collector never walks it again) and the collector's state restored.

    >>> import gc
    >>> with loading():
    ...     import json
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic collector off inside the block (call :func:`valve` between tasks), its
    state restored after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def valve(limit: int | None = None) -> bool:
    """Collect if more than ``limit`` (default :data:`VALVE`) tracked objects accumulated
    since the last collection; return whether it collected.

    >>> valve(limit=10**12)
    False
    >>> valve(limit=-1)
    True
    """
    if gc.get_count()[0] > (VALVE if limit is None else limit):
        gc.collect()
        return True
    return False


__all__ = ["loading", "paused", "valve", "VALVE"]
