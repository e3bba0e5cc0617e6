"""Validation of seeds, sizes and precisions: one check each, used by every layer.

Messages echo the bad value and say what is allowed.

>>> check_size("n", 3, 8, "the report's size budget")
3
>>> check_size("T", 0, 12, "the report's size budget")
Traceback (most recent call last):
...
rnncore.errors.InvalidInputError: T=0 is not allowed; use an integer 1 <= T <= 12
>>> check_size("n", 99, 64, "a symbolic network's size budget")
Traceback (most recent call last):
...
rnncore.errors.SizeBudgetError: n=99 is beyond a symbolic network's size budget; use n <= 64
"""
from __future__ import annotations

from numbers import Integral

from .errors import InvalidInputError, PrecisionError, SizeBudgetError

#: Working precision bounds, in decimal digits.
MIN_DPS, MAX_DPS = 15, 10_000
#: Seeds are integers ``0 <= seed < SEED_LIMIT`` (NumPy and ``random`` take any such value).
SEED_LIMIT = 2**63
#: The largest ``n`` of an inequality's counterexample search
#: (:func:`rnnclaims.statements.inequality.check_inequality`); here, with the other input
#: limits, so that the command line's help states it without importing that engine.
MAX_INEQUALITY_N = 8


def check_size(name: str, value, hi: int, budget: str) -> int:
    """``value`` if it is an integer ``1 <= value <= hi``; else :class:`InvalidInputError`
    (not a positive integer) or :class:`SizeBudgetError` (beyond ``budget``)."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise InvalidInputError(
            f"{name}={value!r} is not allowed; use an integer 1 <= {name} <= {hi}")
    if value > hi:
        raise SizeBudgetError(f"{name}={value} is beyond {budget}; use {name} <= {hi}")
    return int(value)


def check_dps(dps) -> int:
    """Validate a working precision in decimal digits (``MIN_DPS`` .. ``MAX_DPS``).

    >>> check_dps(50)
    50
    >>> check_dps(10)
    Traceback (most recent call last):
    ...
    rnncore.errors.PrecisionError: dps=10 is not allowed; use an integer 15 <= dps <= 10000
    """
    if isinstance(dps, bool) or not isinstance(dps, Integral) or not MIN_DPS <= dps <= MAX_DPS:
        raise PrecisionError(
            f"dps={dps!r} is not allowed; use an integer {MIN_DPS} <= dps <= {MAX_DPS}")
    return int(dps)


def check_seed(seed, name: str = "seed") -> int | None:
    """Validate a random seed: ``None`` (fresh randomness from the operating system) or an
    integer ``0 <= seed < 2**63``; booleans, text, floats and negative values are refused
    with the value echoed.

    >>> check_seed(7), check_seed(None)
    (7, None)
    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: seed=-1 is not allowed; use None (fresh randomness) or an integer 0 <= seed < 2**63
    >>> check_seed("0")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: seed='0' is not allowed; use None (fresh randomness) or an integer 0 <= seed < 2**63
    """
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, Integral) or not 0 <= seed < SEED_LIMIT:
        raise InvalidInputError(
            f"{name}={seed!r} is not allowed; use None (fresh randomness) or an integer "
            "0 <= seed < 2**63")
    return int(seed)


__all__ = ["check_size", "check_dps", "check_seed", "MIN_DPS", "MAX_DPS", "SEED_LIMIT"]
