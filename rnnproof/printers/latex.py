r"""The LaTeX printer of results: the verdict box of one claim and its row in the summary
table of the derivation document (:mod:`rnnproof.latex`).

>>> from rnncore.registry import Claim
>>> from rnncore.results import Method, MethodKind, Result, Scope, Span, Verdict
>>> claim = Claim("blog.eq12", "blog eq. 12", "J = W D", lambda o: None, "symbolic")
>>> result = Result(Verdict.PROVED, Method(MethodKind.EXACT, "expansion"),
...                 Scope(spans=(Span("n", 1, 2),)), "J - W D = 0")
>>> print(claim_box(claim, result))  # doctest: +ELLIPSIS
\begin{verdictbox}{proved}\texttt{blog.eq12} (blog eq. 12). J = W D\\
\emph{Method:} exact: expansion. \emph{Scope:} n = 1..2.\\
...
"""
from __future__ import annotations

from rnncore.results import Result, Scope

from ..texprint import tex_text
from .text import counterexample_text, method_text, scope_text


def scope_tex(scope: Scope) -> str:
    """The scope in words, as LaTeX text."""
    return tex_text(scope_text(scope))


def claim_box(claim, result: Result) -> str:
    """The ``verdictbox`` of one claim: id, source, statement, reading, method, scope,
    evidence, and the counterexample of a refutation."""
    r = result
    reading = getattr(claim, "reading", "")
    parts = [
        rf"\begin{{verdictbox}}{{{r.label.value}}}\texttt{{{tex_text(claim.id)}}} "
        rf"({tex_text(claim.source)}). {tex_text(claim.statement)}\\",
    ]
    if reading:
        parts.append(rf"\emph{{Reading:}} {tex_text(reading)}.\\")
    parts += [
        rf"\emph{{Method:}} {tex_text(method_text(r.method))}. \emph{{Scope:}} {scope_tex(r.scope)}.\\",
        rf"\emph{{Evidence:}} {tex_text(r.evidence)}",
    ]
    if r.counterexample is not None:
        parts.append(rf"\\\emph{{Counterexample:}} {tex_text(counterexample_text(r.counterexample))}")
        if r.counterexample.note:
            parts.append(rf" ({tex_text(r.counterexample.note)})")
    parts.append(r"\end{verdictbox}")
    return "\n".join(parts)


def verdict_table_row(claim_id: str, result: Result) -> str:
    r"""One row of the summary table: id, coloured verdict, scope.

    >>> from rnncore.results import Method, MethodKind, Result, Scope, Verdict
    >>> verdict_table_row("a.b", Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(), "e"))
    '\\texttt{a.b} & \\textcolor{proved}{proved} & \\\\'
    """
    v, label = result.verdict.value, result.label.value
    return (rf"\texttt{{{tex_text(claim_id)}}} & \textcolor{{{v}}}{{{label}}} & "
            rf"{scope_tex(result.scope)}\\")


__all__ = ["claim_box", "scope_tex", "verdict_table_row"]
