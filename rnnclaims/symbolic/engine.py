"""Joining engine results inside a claim: one method for several parts, and the layout a
counterexample was compared in.

The engines state their method and the counterexample's place as data; these helpers only
combine that data, they never read words.

>>> from rnncore.results import Result, Scope, Verdict
>>> methods_of([Result(Verdict.PROVED, Method(MethodKind.EXACT, "e"), Scope(), "e")], "x").kind.value
'exact'
"""
from __future__ import annotations

from dataclasses import replace

from rnncore.results import Location, Method, MethodKind, Result, Verdict


def methods_of(results: list[Result], detail: str) -> Method:
    """One method for several engine results: the weakest kind among them (randomized with
    the largest error probability when any is randomized), described by ``detail``.

    >>> from rnncore.results import Result, Scope, Verdict
    >>> methods_of([Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(), "e")], "x").kind.value
    'exact'
    """
    ms = [r.method for r in results]
    order = [MethodKind.EXACT, MethodKind.LEMMAS, MethodKind.RANDOMIZED, MethodKind.CERTIFIED,
             MethodKind.NONE, MethodKind.ERROR]
    kind = max((m.kind for m in ms), key=order.index)
    eps = [m.error_log2 for m in ms if m.error_log2 is not None]
    return Method(kind, detail, error_log2=max(eps) if kind is MethodKind.RANDOMIZED and eps else None)


def located(result: Result, layout: str) -> Result:
    """``result`` with its counterexample's :class:`~rnncore.results.Location` filled from the
    engine's data (``t``, ``k``, ``entry``) where the engine gave the place in words only;
    ``layout``: the layout the matrices were compared in.

    >>> from rnncore.results import Counterexample, Scope
    >>> cex = Counterexample((), "1", "2", location=Location(note="(t, k) = (2, 0)"),
    ...                      data={"t": 2, "k": 0, "entry": (0, 1)})
    >>> located(Result(Verdict.REFUTED, Method(MethodKind.EXACT), Scope(), "e", cex), "numerator"
    ...         ).counterexample.location.entry
    (0, 1)
    """
    cex = result.counterexample
    if cex is None or cex.location.t is not None or not isinstance(cex.data, dict):
        return result
    data = cex.data
    if "t" not in data:
        return result
    entry = data.get("entry")
    location = replace(cex.location, t=data["t"], k=data.get("k"),
                       entry=None if entry is None else tuple(entry), layout=layout, note="")
    return result.with_(counterexample=replace(cex, location=location))


__all__ = ["methods_of", "located"]
