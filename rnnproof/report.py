"""The verification report: every declared claim run and ruled on, in catalogue order.

This is the thin layer that joins the claims of ``rnnclaims`` (symbolic, numeric, joint).
A :class:`Report` is a value: rows of (claim, result, seconds); the printers of
``rnnproof.printers`` make its text table, Markdown page and JSON document.

>>> rep = run_report(["blog.eq2"], Options.quick_sizes())
>>> [row.id for row in rep.rows]
['blog.eq2']
>>> rep.rows[0].result.verdict.value
'proved'
"""
from __future__ import annotations

import functools
import json
import platform
import sys
import time
from dataclasses import dataclass
from typing import Callable, Iterable

import flint
import mpmath
import numpy
import sympy

from rnncore.catalogue import ORDER, ordered
from rnncore.registry import Claim, Options
from rnncore.results import Label, Method, MethodKind, Result, Scope, Verdict
from rnnclaims.catalogue import catalogue

from . import __version__
from .parallel import portable, run_ordered
from .printers import (SCHEMA_VERSION, report_dict, report_html, report_markdown, report_table,
                       row_dict)
from .select import select_ids

#: The layer of a catalogue id that no declaration covers (reported ``undecided``).
UNREGISTERED = "unregistered"


def _missing(claim_id: str) -> Claim:
    def check(options: Options) -> Result:
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE), Scope(),
                      evidence=f"no check is declared for {claim_id} yet")

    return Claim(claim_id, "(not declared)", "(not declared)", check, UNREGISTERED)


def all_claims() -> list[Claim]:
    """Every claim in report order (:func:`rnnclaims.catalogue.catalogue`); a catalogue id of
    :data:`rnncore.catalogue.ORDER` with no declaration still gets a row (``undecided``: no
    check declared), so a lost claim shows in the report.

    >>> ids = [c.id for c in all_claims()]
    >>> ids[0], len(ids) >= len(ORDER)
    ('blog.eq2', True)
    """
    by_id = {c.id: c for c in catalogue()}
    for cid in ORDER:
        by_id.setdefault(cid, _missing(cid))
    return [by_id[cid] for cid in ordered(by_id)]


def select(claim_ids: Iterable[str] | None) -> list[Claim]:
    """The claims to run, in report order: all, or those the patterns name — an exact id
    (that claim alone), a dotted prefix (``blog.eq14``: the family) or a glob (``'blog.eq14*'``), see
    :mod:`rnnproof.select`; a pattern that selects nothing raises
    :class:`~rnncore.errors.UnknownClaimError` naming the closest id.

    >>> [c.id for c in select(["blog.eq14"])][:2]
    ['blog.eq14.submult', 'blog.eq14.submult.corrected']
    >>> select(["blog.eq99"])
    Traceback (most recent call last):
    ...
    rnncore.errors.UnknownClaimError: unknown claim id 'blog.eq99'; did you mean 'blog.eq9'? (rnnproof verify --list shows every id)
    """
    claims = all_claims()
    wanted = set(select_ids([c.id for c in claims], claim_ids))
    return [c for c in claims if c.id in wanted]


@dataclass(frozen=True)
class Row:
    """One report row: the claim, its result and how long the check took."""

    claim: Claim
    result: Result
    seconds: float

    @property
    def id(self) -> str:
        return self.claim.id

    def to_dict(self) -> dict:
        """JSON-ready form (the schema of docs/json-schema.md)."""
        return row_dict(self)


def family(claim: Claim) -> str:
    """The module that declares ``claim``'s check (through the ``functools.partial`` a
    lemma-backed declaration wraps it in): the claims of one module share memoised parts,
    so ``verify`` runs them in one worker.

    >>> from rnnclaims.catalogue import catalogue
    >>> by_id = {c.id: c for c in catalogue()}
    >>> family(by_id["blog.vanishing"]), family(by_id["blog.eq7"])
    ('rnnclaims.numeric.conditions', 'rnnclaims.symbolic.gradients')
    """
    check = claim.check
    while isinstance(check, functools.partial):
        check = check.func
    return getattr(check, "__module__", None) or claim.id


def batch(claim: Claim) -> str:
    """The worker batch ``verify`` runs ``claim`` in: its :func:`family`, or, when its
    package's ``SHARED_WORK`` names that module among others that share memoised work, the
    first module of that tuple (one batch for them all).

    >>> from rnnclaims.catalogue import catalogue
    >>> by_id = {c.id: c for c in catalogue()}
    >>> batch(by_id["blog.eq10"]) == batch(by_id["blog.eq7"]) == family(by_id["blog.eq7"])
    True
    >>> batch(by_id["blog.vanishing"])
    'rnnclaims.numeric.conditions'
    """
    module = family(claim)
    package, _, name = module.rpartition(".")
    for modules in getattr(sys.modules.get(package), "SHARED_WORK", ()):
        if name in modules:
            return f"{package}.{modules[0]}"
    return module


def run_claim(claim: Claim, options: Options) -> tuple[Result, float]:
    """Run one check, timed. A check that raises is reported ``undecided`` with the error
    (a bug to fix, never a verdict), so one broken check cannot hide the others."""
    start = time.perf_counter()
    try:
        result = claim.run(options)
    except Exception as exc:  # noqa: BLE001 - reported, not swallowed
        result = Result(
            Verdict.UNDECIDED, Method(MethodKind.ERROR, type(exc).__name__), Scope(),
            evidence=f"the check raised {type(exc).__name__}: {exc}",
        )
    return result, time.perf_counter() - start


@dataclass(frozen=True)
class Report:
    """The rows of one verification run, with the options it ran with."""

    rows: tuple[Row, ...]
    options: Options
    seconds: float

    @property
    def summary(self) -> dict:
        """Counts per verdict, and the total."""
        counts = {v.value: 0 for v in Label}
        for row in self.rows:
            counts[row.result.label.value] += 1
        return {"total": len(self.rows), **counts}

    @property
    def all_decided(self) -> bool:
        """True when no row is ``undecided`` (exit code 0 of ``rnnproof verify``)."""
        return all(row.result.decided for row in self.rows)

    def to_json(self, *, timings: bool = True) -> dict:
        """The JSON document of ``rnnproof verify --json`` (schema version
        :data:`SCHEMA_VERSION`, docs/json-schema.md); without ``timings`` it is the same for
        two runs with the same options."""
        return report_dict(self, versions(), timings=timings)

    def table(self, width: int | None = None, *, full: bool = False, colour: bool = False) -> str:
        """A plain-text table (:func:`rnnproof.printers.report_table`): wrapped to ``width``
        (``None``: whole lines), never cut.

        >>> rep = run_report(["paper.gamma"], Options.quick_sizes())
        >>> print(rep.table(width=80).splitlines()[0])  # doctest: +ELLIPSIS
        paper.gamma  proved              paper section 2.1 (... s)
        """
        return report_table(self, width, full=full, colour=colour)

    def markdown(self) -> str:
        """The Markdown page, ready for docs/report.md
        (:func:`rnnproof.printers.report_markdown`)."""
        return report_markdown(self, __version__)

    def html(self) -> str:
        """The self-contained HTML page of ``verify --html``
        (:func:`rnnproof.printers.report_html`)."""
        return report_html(self, __version__, versions())


def run_report(
    claim_ids: Iterable[str] | None = None,
    options: Options | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    *,
    jobs: int = 1,
    on_row: Callable[[Row], None] | None = None,
) -> Report:
    """Run the named claims (default: all; patterns as in :func:`select`) and return the
    :class:`Report`.

    ``jobs`` worker processes run the checks (:func:`rnnproof.parallel.run_ordered`; 1:
    in this process), the claims of one :func:`batch` in one worker; the rows, their order and the JSON are the same for every ``jobs``.
    ``on_row(row)`` is called with each row in report order as soon as it and all rows
    before it are done (the CLI prints it then). ``progress(i, total, claim_id)`` is called
    before the report waits for row ``i``.

    >>> seen = []
    >>> rep = run_report(["paper.gamma", "blog.eq12"], Options.quick_sizes(),
    ...                  progress=lambda i, total, cid: seen.append(cid))
    >>> seen, rep.summary["proved"]
    (['blog.eq12', 'paper.gamma'], 2)
    """
    options = options or Options()
    claims = select(claim_ids)
    rows = []
    start = time.perf_counter()

    def task(i: int) -> tuple[Result, float]:
        result, seconds = run_claim(claims[i], options)
        return (portable(result) if jobs > 1 else result), seconds

    if progress is not None and claims:
        progress(0, len(claims), claims[0].id)
    # one batch per module (or per modules that share work): its claims share memoised
    # parts, computed once in one worker
    results = run_ordered(task, len(claims), jobs, groups=[batch(c) for c in claims])
    try:
        for i, (result, seconds) in results:
            row = Row(claims[i], result, seconds)
            rows.append(row)
            if on_row is not None:
                on_row(row)
            if progress is not None and i + 1 < len(claims):
                progress(i + 1, len(claims), claims[i + 1].id)
    finally:
        results.close()  # an interrupt while printing ends the workers too
    return Report(tuple(rows), options, time.perf_counter() - start)


def versions() -> dict:
    """Versions of rnnproof, Python and the libraries behind the verdicts.

    >>> sorted(versions())[:3]
    ['flint', 'mpmath', 'numpy']
    """
    return {
        "rnnproof": __version__,
        "python": platform.python_version(),
        "sympy": sympy.__version__,
        "mpmath": mpmath.__version__,
        "numpy": numpy.__version__,
        "flint": flint.__version__,
    }


def dumps(report: Report, *, timings: bool = True) -> str:
    """The report as JSON text (``rnnproof verify --json``).

    >>> import json
    >>> doc = json.loads(dumps(run_report(["paper.gamma"], Options.quick_sizes())))
    >>> doc["claims"][0]["verdict"], sorted(doc)
    ('proved', ['claims', 'options', 'schema', 'summary', 'versions'])
    """
    return json.dumps(report.to_json(timings=timings), indent=2, ensure_ascii=False)


__all__ = ["Report", "Row", "run_report", "family", "batch", "all_claims", "select", "versions",
           "dumps", "SCHEMA_VERSION", "UNREGISTERED"]
