"""Printers: the words, tables and documents made from the structured results of
``rnncore.results``.

The engines and claims return data; every word a person reads about a result is made
here, one module per output: :mod:`.text` (terminal), :mod:`.markdown` (docs/report.md),
:mod:`.json` (``rnnproof verify --json``, docs/json-schema.md), :mod:`.latex` (the
verdict boxes of the LaTeX derivation) and :mod:`.html` (``rnnproof verify --html``, its
mathematics as MathML by :mod:`.mathml`). :mod:`.derivation` (``rnnproof check FILE``) is
imported by that command alone, so that ``verify`` does not build the LaTeX reader.

>>> from rnncore.results import Method, MethodKind, Scope, Span
>>> scope_text(Scope(spans=(Span("n", 1, 3), Span("T", 1, None)), forms=("A", "B")))
'n = 1..3, every T; forms A, B'
>>> method_dict(Method(MethodKind.EXACT, "expansion"))["kind"]
'exact'
"""
from .json import (SCHEMA_VERSION, counterexample_dict, method_dict, report_dict, result_dict,
                   row_dict, scope_dict, to_dict)
from .html import claim_html, counterexample_html, report_html
from .latex import claim_box, scope_tex, verdict_table_row
from .markdown import md_cell, report_markdown
from .mathml import inline_html, math_ml
from .text import (clip, counterexample_text, list_lines, location_text, method_text,
                   report_table, row_lines, scope_text, span_text, summary_line, summary_text,
                   wrap)

__all__ = [
    "span_text", "scope_text", "method_text", "counterexample_text", "location_text", "clip",
    "report_table", "md_cell", "report_markdown", "SCHEMA_VERSION", "method_dict", "scope_dict",
    "counterexample_dict", "result_dict", "row_dict", "report_dict", "to_dict", "claim_box",
    "scope_tex", "verdict_table_row", "report_html", "claim_html", "counterexample_html",
    "inline_html", "math_ml", "row_lines", "summary_line", "summary_text", "list_lines", "wrap",
]
