"""The text printer: results and reports in words, for a terminal.

>>> from rnncore.results import Method, MethodKind, Scope, Span
>>> scope_text(Scope(spans=(Span("n", 1, 3), Span("T", 1, None)), forms=("A", "B")))
'n = 1..3, every T; forms A, B'
>>> method_text(Method(MethodKind.RANDOMIZED, "identity test mod primes", error_log2=-117.4))
'randomized: identity test mod primes (error probability ≤ 2^-117)'
"""
from __future__ import annotations

import math
import textwrap

from rnncore.results import Counterexample, Label, Method, MethodKind, Result, Scope, Span

#: The ANSI colour of each label on a terminal (SGR codes): proofs green, confirmed cyan,
#: refuted red, undecided yellow, an internal error bold magenta.
LABEL_COLOUR = {
    Label.PROVED: "32", Label.PROVED_FROM_LEMMAS: "32", Label.PROVED_RANDOMIZED: "32",
    Label.CONFIRMED: "36", Label.REFUTED: "31", Label.UNDECIDED: "33", Label.ERROR: "1;35",
}
#: How a reading the author does not hold is marked beside its verdict.
NOT_AUTHORS = "(not the author's reading)"
#: Width of the verdict column (the longest label, ``proved-from-lemmas``).
LABEL_WIDTH = max(len(label.value) for label in Label)
_INDENT = "    "


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
    >>> location_text(Counterexample((), "1", "2", location=Location(t=2)))
    't = 2'
    """
    loc = cex.location
    parts = []
    if loc.t is not None and loc.k is not None:
        parts.append(f"(t, k) = ({loc.t}, {loc.k})")
    elif loc.t is not None or loc.k is not None:  # one step named: never "None" in the words
        parts.append(f"t = {loc.t}" if loc.t is not None else f"k = {loc.k}")
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


def coloured(text: str, label: Label, colour: bool) -> str:
    """``text`` in the colour of ``label`` when ``colour`` is on (ANSI SGR), else as it is.

    >>> coloured("refuted", Label.REFUTED, True)
    '\\x1b[31mrefuted\\x1b[0m'
    >>> coloured("refuted", Label.REFUTED, False)
    'refuted'
    """
    return f"\033[{LABEL_COLOUR[label]}m{text}\033[0m" if colour else text


def wrap(text: str, width: int | None, indent: str = "", first: str | None = None) -> list[str]:
    """``text`` as lines of at most ``width`` characters (``None``: one line, whatever its
    length), the first prefixed by ``first`` (default ``indent``), the rest by ``indent``.
    Nothing is cut: a word longer than the width (a long number) stays whole on its line.

    >>> wrap("aa bb cc dd ee", 11, indent="  ")
    ['  aa bb cc', '  dd ee']
    >>> wrap("aa bb cc dd", None, indent="  ")
    ['  aa bb cc dd']
    >>> wrap("x -4/3 123456789012", 6)
    ['x -4/3', '123456789012']
    """
    first = indent if first is None else first
    text = " ".join(str(text).split())
    if width is None:
        return [first + text]
    return textwrap.wrap(text, width=max(width, len(first) + 8, len(indent) + 8),
                         initial_indent=first, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


def row_lines(row, *, width: int | None = None, full: bool = False, colour: bool = False,
              id_width: int = 0) -> list[str]:
    """The lines of one report row: id, verdict (coloured by its label when ``colour``),
    source and the seconds the check took; the scope; the evidence; a refutation's
    counterexample. Wrapped to ``width`` (``None``: no limit), never cut. With ``full``, also
    the statement, the reading, the method, every proof step by step and every sub-result.

    >>> from rnncore.registry import Claim
    >>> from rnncore.results import Verdict
    >>> from types import SimpleNamespace
    >>> claim = Claim("a.b", "blog eq. 1", "x = y", None, "symbolic")
    >>> r = Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(spans=(Span("n", 1, 3),)), "x - y = 0")
    >>> for line in row_lines(SimpleNamespace(claim=claim, result=r, seconds=0.25)):
    ...     print(line)
    a.b  proved              blog eq. 1 (0.2 s)
        n = 1..3
        x - y = 0
    """
    claim, r = row.claim, row.result
    label = r.label.value
    mark = "" if getattr(claim, "authors_reading", True) else f" {NOT_AUTHORS}"
    label_width = LABEL_WIDTH
    if width is not None and id_width + LABEL_WIDTH + 4 > width // 2:
        id_width = label_width = 0  # a narrow terminal: no columns, no width lost to padding
    start = len(f"{claim.id:<{id_width}}  ")
    lead = f"{claim.id:<{id_width}}  {label:<{label_width}}{mark}  "
    lines = wrap(f"{claim.source} ({row.seconds:.1f} s)", width, indent=_INDENT, first=lead)
    if colour:
        lines[0] = lines[0][:start] + coloured(label, r.label, True) + lines[0][start + len(label):]
    scope = scope_text(r.scope)
    if scope and not full:
        lines += wrap(scope, width, _INDENT)
    if full:
        lines += wrap(claim.statement, width, _INDENT, _INDENT + "statement: ")
        if getattr(claim, "reading", ""):
            lines += wrap(claim.reading, width, _INDENT, _INDENT + "reading: ")
        lines += wrap(method_text(r.method), width, _INDENT, _INDENT + "method: ")
        if scope:
            lines += wrap(scope, width, _INDENT, _INDENT + "scope: ")
        lines += wrap(r.evidence, width, _INDENT, _INDENT + "evidence: ")
    else:
        lines += wrap(r.evidence, width, _INDENT)
    if r.counterexample is not None:
        c = r.counterexample
        note = f" ({c.note})" if c.note else ""
        lines += wrap(counterexample_text(c) + note, width, _INDENT, _INDENT + "counterexample: ")
    if full:
        for proof in r.proofs:
            lines.append(_INDENT + "proof:")
            for step in proof.text().splitlines():
                lines += wrap(step, width, _INDENT * 3, _INDENT * 2) if step.strip() else []
        if r.details:
            lines.append(_INDENT + "parts:")
        for d in r.details:
            lines += wrap(f"{d.label.value}: {d.evidence}", width, _INDENT * 3, _INDENT * 2 + "- ")
    return lines


def summary_line(report) -> str:
    """The last line of the table: the counts (:func:`summary_text`) and the wall time."""
    return f"{summary_text(report.summary)}  ({report.seconds:.1f} s)"


def report_table(report, width: int | None = None, *, full: bool = False,
                 colour: bool = False) -> str:
    """A plain-text table of a report: per claim its :func:`row_lines` (wrapped to
    ``width``; ``None``: whole lines, for a pipe or a file), a rule and the summary line."""
    w0 = max([len(r.id) for r in report.rows] + [2])
    lines = []
    for row in report.rows:
        lines += row_lines(row, width=width, full=full, colour=colour, id_width=w0)
    lines.append("-" * min(width or 100, 100))
    lines.append(summary_line(report))
    return "\n".join(lines)


def list_lines(claims, *, width: int | None = None) -> list[str]:
    """``verify --list``: per claim its id and source, then its statement (and reading)
    indented, wrapped to ``width`` (``None``: no limit).

    >>> from rnncore.registry import Claim
    >>> list_lines([Claim("a.b", "blog eq. 1", "x = y", None, "symbolic")])
    ['a.b  (blog eq. 1)', '    x = y']
    """
    lines = []
    for c in claims:
        mark = "" if getattr(c, "authors_reading", True) else f"  {NOT_AUTHORS}"
        lines += wrap(f"({c.source}){mark}", width, _INDENT, first=f"{c.id}  ")
        lines += wrap(c.statement, width, _INDENT)
        if getattr(c, "reading", ""):
            lines += wrap(c.reading, width, _INDENT * 2, _INDENT + "reading: ")
    return lines


__all__ = ["summary_text", "span_text", "scope_text", "method_text", "location_text", "counterexample_text",
           "clip", "report_table", "row_lines", "summary_line", "list_lines", "wrap", "coloured",
           "LABEL_COLOUR", "NOT_AUTHORS"]
