"""The engine the numeric claims share: run a test over instances and turn the tally into a
:class:`~rnncore.results.Result`.

A test maps an instance's payload to ``(True, note)`` (certified to hold), ``(False,
counterexample)`` (certified to fail) or ``(None, reason)`` (undecided). The verdict is
``refuted`` at the first certified failure, ``undecided`` if any instance stays
undecided, else ``confirmed`` with the counts per kind (random, structured, adversarial).

>>> inst = [("random", "a", 1), ("structured", "b", 2)]
>>> r = confirm(inst, lambda x: (x > 0, "ok"), method=CERTIFIED, scope=Scope(), what="x > 0")
>>> r.verdict.value, r.data["counts"]["random"], r.scope.checked, r.method.kind.value
('confirmed', 1, 2, 'certified')
>>> str(norm_relation(Enclosure.exact(1), Enclosure.exact(1), "<"))
'False'
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from dataclasses import replace
from fractions import Fraction

from rnncore.results import Counterexample, Location, Method, MethodKind, Result, Scope, Verdict

from .enclosure import Comparison, Enclosure, compare
from .linalg import compare_norm, spectral_norm
from .matrices import ExactMatrix, exact_scalar, to_text

KINDS = ("random", "structured", "adversarial")
#: The method of a check decided on instances with certified enclosures.
CERTIFIED = Method(MethodKind.CERTIFIED, "certified enclosures (python-flint balls)")
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

    Against an exact number ``c`` the relation is decided exactly
    (:func:`~numeric.linalg.compare_norm`: the signs of the characteristic polynomial of
    ``c²I − MᵀM``); the enclosure of ``‖M‖₂`` returned is then ``[0, c]`` when it is below,
    ``c`` itself when equal, the certified enclosure (exactly identified) when above.
    Otherwise fast enclosures first, exact identification (``exact=True``) only when they
    overlap.

    >>> norm_holds(((1, 0), (0, 1)), ((1, 0), (0, 0)), "<=")[0]
    True
    >>> ok, a, b = norm_holds(((3, 4), (0, 0)), 5, "<")
    >>> ok, str(a), str(b)
    (False, '5', '5')
    """
    if not isinstance(rhs, (Enclosure, tuple, list)) and not callable(rhs):
        c = exact_scalar(rhs, "rhs")
        outcome = compare_norm(M, c)
        b = Enclosure.exact(c)
        a = {"less": Enclosure(Fraction(0), max(c, Fraction(0))), "equal": b}.get(outcome) or \
            spectral_norm(M, dps=dps, exact=True)
        return Comparison(outcome, a, b, dps, "exact").holds(relation), a, b

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
    matrices: dict[str, ExactMatrix], lhs: Any, rhs: Any, where: str | Location = "",
    note: str = "", *, relation: str = "<=", **extra: Any,
) -> Counterexample:
    """A counterexample made of exact matrices (text and objects in ``data``): ``lhs`` and
    ``rhs`` the two sides of the relation that fails (``relation``, also kept in
    ``data["relation"]``), ``where`` its :class:`~rnncore.results.Location` (or words for it).

    >>> c = matrix_cex({"W": ((1,),)}, 1, 2, Location(t=3, k=1))
    >>> c.point, c.location.t, c.relation
    ((('W', '[[1]]'),), 3, '<=')
    """
    point = tuple((k, to_text(v)) for k, v in matrices.items())
    location = where if isinstance(where, Location) else Location(note=where)
    return Counterexample(
        point, lhs=str(lhs), rhs=str(rhs), relation=relation, location=location, note=note,
        data={**matrices, "relation": relation, **extra},
    )


def confirm(
    instances: Iterable[Instance],
    test: Callable[[Any], tuple[bool | None, Any]],
    *,
    method: Method,
    scope: Scope,
    what: str,
) -> Result:
    """Run ``test`` on every instance ``(kind, label, payload)``; see the module doc. The
    result's scope is ``scope`` with the instances decided as ``checked``; a refutation's
    counterexample names the instance (``location.case``).

    >>> inst = [("random", "a", 1), ("structured", "b", 2)]
    >>> confirm(inst, lambda x: (x > 0, "exact"), method=CERTIFIED, scope=Scope(), what="x > 0").evidence
    'x > 0: holds on all 2 instances, each certified (1 random, 1 structured, 0 adversarial)'
    >>> r = confirm(inst, lambda x: (x < 2, "exact"), method=CERTIFIED, scope=Scope(), what="x < 2")
    >>> r.verdict.value, r.counterexample.location.case
    ('refuted', "structured instance 'b'")
    """

    def counted(n: int, skipped: int = 0) -> Scope:
        # a caller still passing words for the scope gets them back unchanged
        if not isinstance(scope, Scope):
            return scope
        return replace(scope, checked=n, skipped=skipped,
                       skipped_what="instances the enclosures did not decide" if skipped else "")

    counts = {k: 0 for k in KINDS}
    undecided: list[str] = []
    total = 0
    for kind, label, payload in instances:
        ok, info = test(payload)
        total += 1
        if ok is False:
            case = f"{kind} instance {label!r}"
            if isinstance(info, Counterexample):
                cex = replace(info, location=replace(info.location, case=case))
            else:
                cex = Counterexample((("instance", label),), lhs="fails", rhs=what, note=str(info),
                                     location=Location(case=case))
            return Result(
                Verdict.REFUTED, method, counted(total),
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
            Verdict.UNDECIDED, method, counted(total - len(undecided), len(undecided)),
            f"{what}: {total - len(undecided)} instances certified ({tally}); undecided: "
            + "; ".join(undecided[:3]),
            data={"counts": counts, "undecided": undecided},
        )
    return Result(
        Verdict.CONFIRMED, method, counted(total),
        f"{what}: holds on all {total} instances, each certified ({tally})",
        data={"counts": counts},
    )


__all__ = ["CERTIFIED", "ONE_STRUCTURED", "confirm", "norm_relation", "norm_holds", "matrix_cex", "KINDS", "Instance"]
