"""Verdicts and results: the small frozen values every check returns.

A :class:`Result` says what was decided (``verdict``), how (``method``), for what
(``scope``) and why (``evidence``, one line); a refutation always carries a
:class:`Counterexample` that anyone can re-check by substitution.

>>> r = Result(Verdict.PROVED, method="exact expansion", scope="n<=3, T<=4",
...            evidence="J - C expands to 0")
>>> r.verdict.value, r.decided
('proved', True)
>>> Result.combine([r, Result(Verdict.UNDECIDED, "x", "y", "budget")]).verdict.value
'undecided'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterable, Mapping

from .errors import InvalidInputError


class Verdict(str, Enum):
    """The four verdicts of the claim catalogue.

    >>> Verdict("refuted") is Verdict.REFUTED
    True
    """

    PROVED = "proved"
    CONFIRMED = "confirmed"
    REFUTED = "refuted"
    UNDECIDED = "undecided"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Counterexample:
    """A concrete point where a claim fails, with both sides' values shown.

    ``assignment`` lists ``(name, exact value)`` pairs as text; ``lhs`` and ``rhs`` are
    the two sides' values there (or the two quantities compared); ``where`` locates the
    failure (e.g. ``"(t, k) = (3, 1), entry (0, 1)"``). ``data`` keeps the Python objects
    (for example a SymPy substitution dict) for programs that re-check; it takes no part
    in equality or hashing.

    >>> c = Counterexample((("w", "1/2"),), lhs="1", rhs="2", where="entry (0, 0)")
    >>> c.to_dict()["assignment"]
    {'w': '1/2'}
    """

    assignment: tuple[tuple[str, str], ...]
    lhs: str
    rhs: str
    where: str = ""
    note: str = ""
    data: Any = field(default=None, compare=False, hash=False, repr=False)

    def to_dict(self) -> dict:
        """JSON-ready form (strings only).

        >>> Counterexample((), lhs="a", rhs="b").to_dict()["lhs"]
        'a'
        """
        return {
            "assignment": {k: v for k, v in self.assignment},
            "lhs": self.lhs,
            "rhs": self.rhs,
            "where": self.where,
            "note": self.note,
        }

    def __str__(self) -> str:
        pts = ", ".join(f"{k}={v}" for k, v in self.assignment)
        loc = f" at {self.where}" if self.where else ""
        return f"{self.lhs} != {self.rhs}{loc}" + (f" with {pts}" if pts else "")


@dataclass(frozen=True)
class Result:
    """Outcome of one check: verdict, method, scope, one line of evidence.

    A ``refuted`` result must carry a counterexample:

    >>> Result(Verdict.REFUTED, "m", "s", "e")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: a 'refuted' result needs a counterexample (got None)
    """

    verdict: Verdict
    method: str
    scope: str
    evidence: str
    counterexample: Counterexample | None = None
    details: tuple["Result", ...] = ()
    data: Any = field(default=None, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.verdict, Verdict):
            object.__setattr__(self, "verdict", Verdict(self.verdict))
        if self.verdict is Verdict.REFUTED and self.counterexample is None:
            raise InvalidInputError(
                "a 'refuted' result needs a counterexample (got None)"
            )

    @property
    def decided(self) -> bool:
        """True unless the verdict is ``undecided``."""
        return self.verdict is not Verdict.UNDECIDED

    @property
    def holds(self) -> bool:
        """True for ``proved`` and ``confirmed``."""
        return self.verdict in (Verdict.PROVED, Verdict.CONFIRMED)

    def to_dict(self) -> dict:
        """JSON-ready form.

        >>> Result(Verdict.PROVED, "m", "s", "e").to_dict()["verdict"]
        'proved'
        """
        return {
            "verdict": self.verdict.value,
            "method": self.method,
            "scope": self.scope,
            "evidence": self.evidence,
            "counterexample": None
            if self.counterexample is None
            else self.counterexample.to_dict(),
            "details": [d.to_dict() for d in self.details],
        }

    @staticmethod
    def combine(
        results: Iterable["Result"],
        method: str | None = None,
        scope: str | None = None,
        evidence: str | None = None,
    ) -> "Result":
        """Join sub-results into one: refuted if any is refuted, undecided if any is
        undecided, proved if all are proved, else confirmed. The first refutation's
        counterexample is kept; the sub-results stay in ``details``.

        >>> p = Result(Verdict.PROVED, "a", "n=2", "ok")
        >>> c = Result(Verdict.CONFIRMED, "b", "n=3", "ok")
        >>> Result.combine([p, c]).verdict.value
        'confirmed'
        """
        results = tuple(results)
        if not results:
            raise InvalidInputError("Result.combine needs at least one result (got none)")
        order = [Verdict.REFUTED, Verdict.UNDECIDED, Verdict.CONFIRMED, Verdict.PROVED]
        verdict = min((r.verdict for r in results), key=order.index)
        first = next(r for r in results if r.verdict is verdict)
        cex = next((r.counterexample for r in results if r.counterexample), None)
        return Result(
            verdict=verdict,
            method=method or "; ".join(dict.fromkeys(r.method for r in results)),
            scope=scope or "; ".join(dict.fromkeys(r.scope for r in results)),
            evidence=evidence or first.evidence,
            counterexample=cex if verdict is Verdict.REFUTED else None,
            details=results,
        )


def assignment_from(mapping: Mapping[Any, Any]) -> tuple[tuple[str, str], ...]:
    """Turn ``{symbol: value}`` into the sorted text pairs of a counterexample.

    >>> assignment_from({"b": 2, "a": "1/3"})
    (('a', '1/3'), ('b', '2'))
    """
    return tuple(sorted((str(k), str(v)) for k, v in mapping.items()))


__all__ = ["Verdict", "Counterexample", "Result", "assignment_from"]
