"""The decision policy: which method decides an identity, in which order.

Every identity check of the engine (expressions: :func:`derive.prove.prove_equal`;
Jacobian candidates: :func:`derive.jacobian.check_jacobian`, and through it
:func:`derive.formula_check.check_formula`) goes through :func:`decide`, the only place
that knows the order:

1. the exact method, within its budget: its verdict stands (proved, refuted with a
   certified point, or undecided for a reason other than the budget);
2. beyond the budget (``method="auto"``), the randomized identity test: ``proved`` with
   its error probability, or a difference found;
3. a difference found by the randomized test is handed to the counterexample step, which
   looks for an exact or certified counterexample (a rational point, a real point with
   disjoint enclosures); if it finds one, that refutation is the verdict, else the
   randomized test's own verdict stands (a ring point refutes for generic functions only).

The backends know nothing of each other or of this order: an exact backend returns a
:class:`Result` or :class:`Beyond` (its budget ran out), a randomized backend returns a
Result whose ``data["difference"]`` is set when it found the sides different. Every result
of :func:`decide` has ``data["seed"]``: the seed of the randomized test, or None when the
exact method decided (no randomness used).

>>> from rnncore.results import Method, MethodKind, Scope, Verdict
>>> done = Result(Verdict.PROVED, Method(MethodKind.RANDOMIZED, "test", -110.0), Scope(), "ok",
...               data={"seed": 1, "difference": None})
>>> r = decide("auto", lambda: Beyond("too big"), lambda: done)
>>> r.verdict.value, r.data["exact_stopped"]
('proved', 'too big')
>>> decide("exact", lambda: Beyond("too big"), lambda: done).verdict.value
'undecided'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from rnncore.errors import InvalidInputError
from rnncore.results import Method, MethodKind, Result, Scope, Verdict

#: The methods a caller may ask for: the policy, the exact method only, the randomized only.
METHODS: tuple[str, ...] = ("auto", "exact", "randomized")


@dataclass(frozen=True)
class Beyond:
    """What an exact backend returns when its budget ran out: why, the technique, and the
    scope it was asked about.

    >>> Beyond("a polynomial of 500000 terms").reason
    'a polynomial of 500000 terms'
    """

    reason: str
    detail: str = ""
    scope: Scope = field(default_factory=Scope)


def check_method(method) -> str:
    """``method`` if it is one of :data:`METHODS`, else a one-line error.

    >>> check_method("fast")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: method='fast' is not allowed; use one of auto, exact, randomized
    """
    if not isinstance(method, str) or method not in METHODS:
        raise InvalidInputError(f"method={method!r} is not allowed; use one of {', '.join(METHODS)}")
    return method


def decide(method: str,
           exact: Callable[[], "Result | Beyond"],
           randomized: Callable[[], Result],
           counterexample: Callable[[Result], "Result | None"] | None = None) -> Result:
    """Apply the policy (module docstring) with the given steps; ``method`` is one of
    :data:`METHODS` ("exact": never randomized; "randomized": skip the exact step).

    >>> from rnncore.results import Method, MethodKind, Scope, Verdict
    >>> exact = Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(), "expanded")
    >>> decide("auto", lambda: exact, lambda: 1 / 0).method.kind.value   # never randomized
    'exact'
    """
    method = check_method(method)
    stopped = ""
    if method != "randomized":
        out = exact()
        if isinstance(out, Result):
            # no randomness was used (a counterexample search is deterministic and checked)
            extra = out.data if isinstance(out.data, dict) else {}
            return out.with_(data={"seed": None, **extra})
        if method == "exact":
            return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, out.detail), out.scope,
                          f"{out.reason}; beyond the exact budget (method='exact' never uses "
                          f"the randomized test)")
        stopped = out.reason
    res = randomized()
    data = dict(res.data) if isinstance(res.data, dict) else {}
    if counterexample is not None and data.get("difference") is not None:
        better = counterexample(res)
        if better is not None:
            res = better
            data = {**data, **(res.data if isinstance(res.data, dict) else {})}
    if stopped:
        data["exact_stopped"] = stopped
    return res.with_(data=data)


__all__ = ["METHODS", "Beyond", "check_method", "decide"]
