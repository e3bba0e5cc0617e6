"""The JSON printer: results and reports as plain data (schema: docs/json-schema.md).

Every structured field of a result is kept as data (method kind and error probability,
scope spans and cases, counterexample location); beside each, ``text`` gives the words the
text printer makes of it, so a reader needs no second program.

>>> from rnncore.results import Method, MethodKind, Scope, Span
>>> method_dict(Method(MethodKind.RANDOMIZED, "mod primes", error_log2=-117.0))["error_log2"]
-117.0
>>> scope_dict(Scope(spans=(Span("T", 1, None),)))["spans"]
[{'name': 'T', 'lo': 1, 'hi': None}]
"""
from __future__ import annotations

from rnncore.results import Counterexample, Method, Result, Scope

from .text import counterexample_text, location_text, method_text, scope_text

#: Version of the document of ``rnnproof verify --json`` (see docs/json-schema.md).
SCHEMA_VERSION = 3


def method_dict(method: Method) -> dict:
    """``{"kind", "detail", "error_log2", "text"}``."""
    return {"kind": method.kind.value, "detail": method.detail,
            "error_log2": method.error_log2, "text": method_text(method)}


def scope_dict(scope: Scope) -> dict:
    """The scope's fields (spans as ``{"name", "lo", "hi"}``, ``hi`` null for every size) and
    its ``text``."""
    return {
        "spans": [{"name": sp.name, "lo": sp.lo, "hi": sp.hi} for sp in scope.spans],
        "activations": list(scope.activations), "forms": list(scope.forms),
        "layouts": list(scope.layouts), "losses": list(scope.losses),
        "checked": scope.checked, "skipped": scope.skipped,
        "skipped_what": scope.skipped_what, "note": scope.note,
        "text": scope_text(scope),
    }


def counterexample_dict(cex: Counterexample) -> dict:
    """JSON-ready form of a counterexample (strings and integers only).

    >>> from rnncore.results import Location
    >>> d = counterexample_dict(Counterexample((("w", "2"),), "1", "2", location=Location(t=2, k=0)))
    >>> d["assignment"], d["location"]["t"], d["where"]
    ({'w': '2'}, 2, '(t, k) = (2, 0)')
    """
    loc = cex.location
    return {
        "assignment": {k: v for k, v in cex.point},
        "lhs": cex.lhs,
        "rhs": cex.rhs,
        "relation": cex.relation,
        "location": {"t": loc.t, "k": loc.k,
                     "entry": None if loc.entry is None else list(loc.entry),
                     "layout": loc.layout, "case": loc.case, "note": loc.note},
        "where": location_text(cex),
        "note": cex.note,
        "text": counterexample_text(cex),
    }


def result_dict(result: Result, *, details: bool = True) -> dict:
    """JSON-ready form of a result; with ``details``, its sub-results too (recursively)."""
    out = {
        "verdict": result.label.value,
        "holds": result.holds,
        "method": method_dict(result.method),
        "scope": scope_dict(result.scope),
        "evidence": result.evidence,
        "counterexample": None if result.counterexample is None
        else counterexample_dict(result.counterexample),
    }
    if details:
        out["details"] = [result_dict(d) for d in result.details]
    return out


def row_dict(row, *, timings: bool = True) -> dict:
    """One claim of the report: its declaration (id, source, statement, reading, layer), and
    its result (without sub-results)."""
    c = row.claim
    out = {"id": c.id, "source": c.source, "statement": c.statement,
           "reading": getattr(c, "reading", ""),
           "authors_reading": getattr(c, "authors_reading", True), "layer": c.layer,
           **result_dict(row.result, details=False)}
    if timings:
        out["seconds"] = round(row.seconds, 3)
    return out


def report_dict(report, versions: dict, *, timings: bool = True) -> dict:
    """The document of ``rnnproof verify --json``; without ``timings`` it is the same for two
    runs with the same options."""
    summary = dict(report.summary)
    if timings:
        summary["seconds"] = round(report.seconds, 3)
    o = report.options
    return {
        "schema": SCHEMA_VERSION,
        "claims": [row_dict(row, timings=timings) for row in report.rows],
        "summary": summary,
        "options": {"n": o.n, "m": o.m, "T": o.T, "quick": o.quick, "seed": o.seed,
                    "seed_drawn": o.seed_drawn, "dps": o.dps},
        "versions": versions,
    }


#: The usual name of the converter of a result to plain data.
to_dict = result_dict

__all__ = ["SCHEMA_VERSION", "method_dict", "scope_dict", "counterexample_dict", "result_dict",
           "row_dict", "report_dict", "to_dict"]
