"""Printers: text and JSON made from the structured results of ``rnncore.results``.

The engines and claims return data; every word a person reads about a result is made
here (and in the Markdown, LaTeX and HTML printers built on these).

>>> from rnncore.results import Method, MethodKind, Scope, Span
>>> scope_text(Scope(spans=(Span("n", 1, 3), Span("T", 1, None)), forms=("A", "B")))
'n = 1..3, every T; forms A, B'
>>> method_text(Method(MethodKind.RANDOMIZED, "identity test mod primes", error_log2=-117.4))
'randomized: identity test mod primes (error probability ≤ 2^-117)'
"""
from __future__ import annotations

import math

from rnncore.results import Counterexample, Method, MethodKind, Result, Scope, Span


def span_text(span: Span) -> str:
    """``n = 1..3``, ``n = 2``, ``every n`` or ``n ≥ 2``.

    >>> span_text(Span("T", 2, 2)), span_text(Span("n", 2, None))
    ('T = 2', 'every n ≥ 2')
    """
    if span.hi is None:
        return f"every {span.name}" if span.lo <= 1 else f"every {span.name} ≥ {span.lo}"
    if span.lo == span.hi:
        return f"{span.name} = {span.lo}"
    return f"{span.name} = {span.lo}..{span.hi}"


def scope_text(scope: Scope) -> str:
    """The scope in words; the free-text ``note`` last."""
    parts = []
    if scope.spans:
        parts.append(", ".join(span_text(s) for s in scope.spans))
    for label, values in (("forms", scope.forms), ("activations", scope.activations),
                          ("layouts", scope.layouts), ("losses", scope.losses)):
        if values:
            parts.append(f"{label} {', '.join(values)}")
    if scope.checked is not None:
        parts.append(f"{scope.checked} case(s) checked")
    if scope.skipped:
        what = f" ({scope.skipped_what})" if scope.skipped_what else ""
        parts.append(f"{scope.skipped} skipped{what}")
    if scope.note:
        parts.append(scope.note)
    return "; ".join(parts)


def method_text(method: Method) -> str:
    """The method in words, with the error probability of a randomized test."""
    if method.kind is MethodKind.UNSTATED:
        text = method.detail
    else:
        text = method.kind.value + (f": {method.detail}" if method.detail else "")
    if method.error_log2 is not None:
        text += f" (error probability ≤ 2^{math.ceil(method.error_log2)})"
    return text


def counterexample_text(cex: Counterexample) -> str:
    """``lhs ≠ rhs at WHERE with a=1, b=2``."""
    rel = {"=": "≠", "<": "is not <", "<=": "is not ≤"}.get(cex.relation, f"fails {cex.relation}")
    where = location_text(cex)
    pts = ", ".join(f"{k}={v}" for k, v in cex.point)
    return f"{cex.lhs} {rel} {cex.rhs}" + (f" at {where}" if where else "") + (f" with {pts}" if pts else "")


def location_text(cex: Counterexample) -> str:
    """Where the counterexample fails, in words."""
    loc = cex.location
    parts = []
    if loc.t is not None or loc.k is not None:
        parts.append(f"(t, k) = ({loc.t}, {loc.k})")
    if loc.entry is not None:
        parts.append("entry (" + ", ".join(map(str, loc.entry)) + ")")
    if loc.layout:
        parts.append(f"{loc.layout} layout")
    if loc.case:
        parts.append(loc.case)
    if loc.note:
        parts.append(loc.note)
    return ", ".join(parts)


def counterexample_dict(cex: Counterexample) -> dict:
    """JSON-ready form of a counterexample (strings and integers only)."""
    loc = cex.location
    return {
        "assignment": {k: v for k, v in cex.point},
        "lhs": cex.lhs,
        "rhs": cex.rhs,
        "relation": cex.relation,
        "where": location_text(cex),
        "location": {"t": loc.t, "k": loc.k,
                     "entry": None if loc.entry is None else list(loc.entry),
                     "layout": loc.layout, "case": loc.case},
        "note": cex.note,
    }


def result_dict(result: Result) -> dict:
    """JSON-ready form of a result, its structure kept beside the words."""
    m, s = result.method, result.scope
    return {
        "verdict": result.verdict.value,
        "method": method_text(m),
        "method_kind": m.kind.value,
        "error_log2": m.error_log2,
        "scope": scope_text(s),
        "scope_data": {
            "spans": [{"name": sp.name, "lo": sp.lo, "hi": sp.hi} for sp in s.spans],
            "activations": list(s.activations), "forms": list(s.forms),
            "layouts": list(s.layouts), "losses": list(s.losses),
            "checked": s.checked, "skipped": s.skipped, "skipped_what": s.skipped_what,
        },
        "evidence": result.evidence,
        "counterexample": None if result.counterexample is None
        else counterexample_dict(result.counterexample),
        "details": [result_dict(d) for d in result.details],
    }


__all__ = ["span_text", "scope_text", "method_text", "counterexample_text", "location_text",
           "counterexample_dict", "result_dict"]
