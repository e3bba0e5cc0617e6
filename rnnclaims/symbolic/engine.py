"""How an engine result was decided, as a :class:`~rnncore.results.Method`, for the claims
that combine engine results.

The engines state their method as data (a kind, and for a randomized test its error
probability). Where an engine result still gives its method in words only, the kind is read
from what the result carries, never from the words: a randomized identity test's
certificate (``result.data.error_log2``) makes it randomized; any other decided result of
the exact engines is exact; an undecided one decided nothing.

>>> from rnncore.results import Result, Scope, Verdict
>>> engine_method(Result(Verdict.PROVED, "exact (canonical polynomials)", Scope(), "e")).kind.value
'exact'
"""
from __future__ import annotations

from dataclasses import replace

from rnncore.results import Location, Method, MethodKind, Result, Verdict


def engine_method(result: Result) -> Method:
    """The structured method of an engine result (see the module docstring)."""
    if result.method.kind is not MethodKind.UNSTATED:
        return result.method
    eps = getattr(result.data, "error_log2", None)
    if eps is not None:
        return Method(MethodKind.RANDOMIZED, result.method.detail, error_log2=float(eps))
    if result.verdict is Verdict.UNDECIDED:
        return Method(MethodKind.NONE, result.method.detail)
    return Method(MethodKind.EXACT, result.method.detail)


def methods_of(results: list[Result], detail: str) -> Method:
    """One method for several engine results: the weakest kind among them (randomized with
    the largest error probability when any is randomized), described by ``detail``.

    >>> from rnncore.results import Result, Scope, Verdict
    >>> methods_of([Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(), "e")], "x").kind.value
    'exact'
    """
    ms = [engine_method(r) for r in results]
    order = [MethodKind.EXACT, MethodKind.LEMMAS, MethodKind.RANDOMIZED, MethodKind.CERTIFIED,
             MethodKind.UNSTATED, MethodKind.NONE, MethodKind.ERROR]
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


__all__ = ["engine_method", "methods_of", "located"]
