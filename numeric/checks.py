"""The engine the numeric claims share: run a test over instances and turn the tally into a
:class:`~rnncore.results.Result`.

A test maps an instance's payload to ``(True, note)`` (certified to hold), ``(False,
counterexample)`` (certified to fail) or ``(None, reason)`` (undecided). The verdict is
``refuted`` at the first certified failure, ``undecided`` if any instance stays
undecided, else ``confirmed`` with the counts per kind (random, structured, adversarial).

>>> from fractions import Fraction
>>> inst = [("random", "a", 1), ("structured", "b", 2)]
>>> r = confirm(inst, lambda x: (x > 0, "ok"), method="m", scope="s", what="x > 0")
>>> r.verdict.value, r.data["counts"]["random"]
('confirmed', 1)
>>> str(norm_relation(Enclosure.exact(1), Enclosure.exact(1), "<"))
'False'
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from rnncore.results import Counterexample, Result, Verdict

from .enclosure import Enclosure, compare
from .matrices import ExactMatrix, to_text

KINDS = ("random", "structured", "adversarial")
Instance = tuple[str, str, Any]


def norm_relation(lhs: Enclosure, rhs: Enclosure, relation: str) -> bool | None:
    """Certified truth of ``lhs relation rhs`` from enclosures (None: undecided).

    >>> norm_relation(Enclosure.exact(1), Enclosure.exact(2), "<=")
    True
    """
    return compare(lhs, rhs).holds(relation)


#: ``Result.data`` of a check decided by one constructed (structured) instance.
ONE_STRUCTURED = {"counts": {"random": 0, "structured": 1, "adversarial": 0}}


def norm_holds(M: Any, rhs: Any, relation: str, dps: int = 50):
    """Certified truth of ``‖M‖₂ relation rhs`` (True / False / None) and the two enclosures
    used. ``rhs``: an exact number, an :class:`Enclosure`, or a matrix (meaning its norm).
    Fast enclosures first; exact identification (``exact=True``) only when they overlap.

    >>> norm_holds(((1, 0), (0, 1)), ((1, 0), (0, 0)), "<=")[0]
    True
    """
    from .linalg import spectral_norm

    def side(x, exact):
        if isinstance(x, tuple) and x and isinstance(x[0], tuple):
            return spectral_norm(x, dps=dps, exact=exact)
        return x

    a, b = side(M, False), side(rhs, False)
    ok = compare(a, b).holds(relation)
    if ok is None:
        a, b = side(M, True), side(rhs, True)
        ok = compare(a, b).holds(relation)
    return ok, a, b


def matrix_cex(
    matrices: dict[str, ExactMatrix], lhs: Any, rhs: Any, where: str, note: str = "",
    **extra: Any,
) -> Counterexample:
    """A counterexample made of exact matrices (text and objects in ``data``).

    >>> c = matrix_cex({"W": ((1,),)}, 1, 2, "here")
    >>> c.assignment
    (('W', '[[1]]'),)
    """
    assignment = tuple((k, to_text(v)) for k, v in matrices.items())
    return Counterexample(
        assignment, lhs=str(lhs), rhs=str(rhs), where=where, note=note,
        data={**matrices, **extra},
    )


def confirm(
    instances: Iterable[Instance],
    test: Callable[[Any], tuple[bool | None, Any]],
    *,
    method: str,
    scope: str,
    what: str,
) -> Result:
    """Run ``test`` on every instance ``(kind, label, payload)``; see the module doc.

    >>> inst = [("random", "a", 1), ("structured", "b", 2)]
    >>> confirm(inst, lambda x: (x > 0, "exact"), method="m", scope="s", what="x > 0").evidence
    'x > 0: holds on all 2 instances, each certified (1 random, 1 structured, 0 adversarial)'
    >>> confirm(inst, lambda x: (x < 2, "exact"), method="m", scope="s", what="x < 2").verdict.value
    'refuted'
    """
    counts = {k: 0 for k in KINDS}
    undecided: list[str] = []
    total = 0
    for kind, label, payload in instances:
        ok, info = test(payload)
        total += 1
        if ok is False:
            cex = info if isinstance(info, Counterexample) else Counterexample(
                (("instance", label),), lhs="fails", rhs=what, note=str(info)
            )
            return Result(
                Verdict.REFUTED, method, scope,
                f"{what} fails on the {kind} instance {label!r} (certified)",
                counterexample=cex,
                data={"kind": kind, "label": label, "counts": {**counts, kind: counts[kind] + 1}},
            )
        if ok is None:
            undecided.append(f"{label} ({info})")
        else:
            counts[kind] = counts.get(kind, 0) + 1
    tally = ", ".join(f"{counts[k]} {k}" for k in KINDS)
    if undecided:
        return Result(
            Verdict.UNDECIDED, method, scope,
            f"{what}: {total - len(undecided)} instances certified ({tally}); undecided: "
            + "; ".join(undecided[:3]),
            data={"counts": counts, "undecided": undecided},
        )
    return Result(
        Verdict.CONFIRMED, method, scope,
        f"{what}: holds on all {total} instances, each certified ({tally})",
        data={"counts": counts},
    )


__all__ = ["ONE_STRUCTURED", "confirm", "norm_relation", "norm_holds", "matrix_cex", "KINDS", "Instance"]
