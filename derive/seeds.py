"""Where a randomized verdict's randomness comes from.

A randomized identity test is only as good as its randomness is independent of its input:
with a fixed public seed anyone can build a false identity that passes (a wrong term
multiplied by the primes that seed draws). So by default (``seed=None``) every check draws
a fresh seed from the operating system (:mod:`secrets`) when it starts, after its input is
fixed; an explicit integer seed replays a run exactly (the result says it was a replay).
The seed used is recorded in every randomized result (``Result.data["seed"]``).

>>> seed, replay = resolve_seed(None)
>>> 0 <= seed < 2 ** SEED_BITS, replay
(True, False)
>>> resolve_seed(7)
(7, True)
>>> resolve_seed("7")
Traceback (most recent call last):
...
rnncore.errors.InvalidInputError: seed='7' is not allowed; use None (fresh randomness from the operating system) or an integer >= 0 to replay a run
"""
from __future__ import annotations

import secrets

from rnncore.errors import InvalidInputError

#: Size of a fresh seed (bits); numpy's generators take it as it is.
SEED_BITS = 63


def resolve_seed(seed) -> tuple[int, bool]:
    """``(seed to use, replayed?)``: a fresh seed from the operating system for ``None``,
    the given seed (a replay) for an integer >= 0; anything else is refused."""
    if seed is None:
        return secrets.randbits(SEED_BITS), False
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InvalidInputError(
            f"seed={seed!r} is not allowed; use None (fresh randomness from the operating "
            f"system) or an integer >= 0 to replay a run")
    return seed, True


def search_seed(seed) -> int:
    """The seed of a certified-counterexample search: the given one, or 0. Such a search
    needs no secret randomness (whatever it finds is checked exactly), and a fixed default
    keeps exact refutations reproducible.

    >>> search_seed(None), search_seed(5)
    (0, 5)
    """
    return 0 if seed is None else resolve_seed(seed)[0]


__all__ = ["SEED_BITS", "resolve_seed", "search_seed"]
