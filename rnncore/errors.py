"""Exception classes of rnnproof: one small module, each class a subclass of a built-in.

Every message names the bad value and what is allowed, so that a user can fix the call
without reading a traceback.

>>> try:
...     raise SizeBudgetError("T=500 is beyond the symbolic budget; use T <= 8")
... except ValueError as exc:
...     print(exc)
T=500 is beyond the symbolic budget; use T <= 8
"""
from __future__ import annotations


class RnnproofError(Exception):
    """Base class of every error rnnproof raises on purpose."""


class InvalidInputError(RnnproofError, ValueError):
    """A value given by the caller is not allowed (message: the value and what is allowed)."""


class ShapeError(InvalidInputError):
    """A matrix or vector has the wrong shape (non-square, empty, mismatched)."""


class NonFiniteError(InvalidInputError):
    """An entry is NaN or infinite where finite numbers are required."""


class PrecisionError(InvalidInputError):
    """A working precision outside the allowed range of decimal digits."""


class SizeBudgetError(InvalidInputError):
    """A size (n, m, T, ...) beyond what the chosen method can handle in its budget."""


class FormulaError(InvalidInputError):
    """A user formula that the whitelisted parser does not accept."""


class UnknownClaimError(RnnproofError, KeyError):
    """A claim id that is not registered."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "unknown claim"


class BudgetExceededError(RnnproofError, TimeoutError):
    """A computation stopped because it ran past its time or size budget."""


class InternalError(RnnproofError, RuntimeError):
    """A broken invariant inside rnnproof (a bug to report), never the caller's fault.

    Raised, for example, when a check would return "proved" for a scope with skipped cases.
    """


__all__ = [
    "RnnproofError",
    "InternalError",
    "InvalidInputError",
    "ShapeError",
    "NonFiniteError",
    "PrecisionError",
    "SizeBudgetError",
    "FormulaError",
    "UnknownClaimError",
    "BudgetExceededError",
]
