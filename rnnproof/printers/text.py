"""The text printer: results and reports in words, for a terminal.

>>> from rnncore.results import Method, MethodKind, Scope, Span
>>> scope_text(Scope(spans=(Span("n", 1, 3), Span("T", 1, None)), forms=("A", "B")))
'n = 1..3, every T; forms A, B'
>>> method_text(Method(MethodKind.RANDOMIZED, "identity test mod primes", error_log2=-117.4))
'randomized: identity test mod primes (error probability ≤ 2^-117)'
"""
from __future__ import annotations

import math
import shutil

from rnncore.results import Counterexample, Method, MethodKind, Scope, Span


def span_text(span: Span) -> str:
    """``n = 1..3``, ``n = 2``, ``every n`` or ``every n ≥ 2``.

    >>> span_text(Span("T", 2, 2)), span_text(Span("n", 2, None))
    ('T = 2', 'every n ≥ 2')
    """
    if span.hi is None:
        return f"every {span.name}" if span.lo <= 1 else f"every {span.name} ≥ {span.lo}"
    if span.lo == span.hi:
        return f"{span.name} = {span.lo}"
    return f"{span.name} = {span.lo}..{span.hi}"


def scope_text(scope: Scope) -> str:
    """The scope in words; the free-text ``note`` last.

    >>> scope_text(Scope(spans=(Span("n", 2, 2),), checked=3, skipped=1, skipped_what="pair (4, 0)"))
    'n = 2; 3 case(s) checked; 1 skipped (pair (4, 0))'
    """
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
    """The method in words, with the error probability of a randomized test.

    >>> method_text(Method(MethodKind.EXACT, "expansion"))
    'exact: expansion'
    """
    text = method.kind.value + (f": {method.detail}" if method.detail else "")
    if method.error_log2 is not None:
        text += f" (error probability ≤ 2^{math.ceil(method.error_log2)})"
    return text


def location_text(cex: Counterexample) -> str:
    """Where the counterexample fails, in words.

    >>> from rnncore.results import Location
    >>> location_text(Counterexample((), "1", "2", location=Location(t=2, k=0, entry=(0, 1))))
    '(t, k) = (2, 0), entry (0, 1)'
    """
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


def counterexample_text(cex: Counterexample) -> str:
    """``lhs ≠ rhs at WHERE with a=1, b=2``.

    >>> counterexample_text(Counterexample((("w", "1/2"),), "1", "2"))
    '1 ≠ 2 with w=1/2'
    """
    rel = {"=": "≠", "<": "is not <", "<=": "is not ≤"}.get(cex.relation, f"fails {cex.relation}")
    where = location_text(cex)
    pts = ", ".join(f"{k}={v}" for k, v in cex.point)
    return f"{cex.lhs} {rel} {cex.rhs}" + (f" at {where}" if where else "") + (f" with {pts}" if pts else "")


def clip(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters (an ellipsis marks the cut).

    >>> clip("a  b\\nc", 10), clip("abcdef", 4)
    ('a b c', 'abc…')
    """
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def summary_text(summary: dict) -> str:
    """The summary line of a report: the total and the count of each label that occurs
    (``refuted`` and ``undecided`` always, so a clean run says so).

    >>> summary_text({"total": 3, "proved": 1, "proved-from-lemmas": 2, "confirmed": 0,
    ...               "refuted": 0, "undecided": 0})
    '3 claims: 1 proved, 2 proved-from-lemmas, 0 refuted, 0 undecided'
    """
    parts = [f"{v} {k}" for k, v in summary.items()
             if k not in ("total", "seconds") and (v or k in ("refuted", "undecided"))]
    total = summary["total"]
    return f"{total} claim{'s' if total != 1 else ''}: " + ", ".join(parts)


def report_table(report, width: int | None = None) -> str:
    """A plain-text table of a report: per claim, a line with id, verdict, source and scope, a
    line of evidence, and for a refutation a line with the counterexample (clipped to
    ``width``, default: the terminal's width)."""
    if width is None:
        width = max(80, shutil.get_terminal_size((120, 24)).columns)
    w0 = max([len(r.id) for r in report.rows] + [2])
    lines = []
    for row in report.rows:
        r = row.result
        head = f"{row.id:<{w0}}  {r.label.value:<18}  "
        lines.append(head + clip(f"{row.claim.source} · {scope_text(r.scope)}", width - len(head)))
        lines.append("    " + clip(r.evidence, width - 4))
        if r.counterexample is not None:
            lines.append("    counterexample: " + clip(counterexample_text(r.counterexample), width - 20))
    s = report.summary
    lines.append("-" * min(width, 100))
    lines.append(f"{summary_text(s)}  ({report.seconds:.1f} s)")
    return "\n".join(lines)


__all__ = ["summary_text", "span_text", "scope_text", "method_text", "location_text", "counterexample_text",
           "clip", "report_table"]
