"""The verification report: every catalogue claim run and ruled on, in catalogue order.

This is the thin layer that joins ``derive`` (symbolic claims), ``numeric`` (numeric
claims) and ``rnnclaims.joint`` (joint claims). A :class:`Report` is a value: rows of
(claim, result, seconds) that render as a text table, JSON or Markdown.

>>> rep = run_report(["blog.eq2"], Options.quick_sizes())
>>> [row.id for row in rep.rows]
['blog.eq2']
>>> rep.rows[0].result.verdict.value
'proved'
"""
from __future__ import annotations

import json
import platform
import shutil
import time
from dataclasses import dataclass
from typing import Callable, Iterable

from rnncore.catalogue import CATALOGUE, parent_of
from rnncore.errors import UnknownClaimError
from rnncore.registry import Claim, Options, Registry
from rnncore.results import Result, Verdict
from rnnclaims.joint import REGISTRY as joint
from rnnclaims.numeric import REGISTRY as numeric
from rnnclaims.symbolic import REGISTRY as symbolic

from . import __version__
from .printers import counterexample_dict, counterexample_text, method_text, scope_text

#: JSON schema version of :meth:`Report.to_json` (see docs/json-schema.md).
SCHEMA_VERSION = 1


def registries() -> list[Registry]:
    """The three claim registries, loaded: symbolic, numeric, joint.

    >>> [r.layer for r in registries()]
    ['symbolic', 'numeric', 'joint']
    """
    return [symbolic, numeric, joint]


#: The layer of a catalogue id that no registry covers (reported ``undecided``).
UNREGISTERED = "unregistered"


def _missing(entry) -> Claim:
    def check(options: Options) -> Result:
        return Result(
            Verdict.UNDECIDED, method="none", scope="-",
            evidence=f"no check is registered for {entry.id} yet",
        )

    return Claim(entry.id, entry.source, entry.statement, check, UNREGISTERED)


def all_claims() -> list[Claim]:
    """Every claim in report order: catalogue order, each added id (``X.corrected``, one id
    per reading) right after its catalogue parent. A catalogue id with no registered check
    still gets a row (``undecided``: no check registered).

    >>> ids = [c.id for c in all_claims()]
    >>> ids[0], len(ids) >= 39
    ('blog.eq2', True)
    """
    registered: dict[str, Claim] = {}
    for reg in registries():
        for claim in reg:
            if claim.id in registered:
                raise RuntimeError(f"claim id {claim.id!r} is registered in two layers")
            registered[claim.id] = claim
    extras: dict[str, list[Claim]] = {}
    for claim in registered.values():
        parent = parent_of(claim.id)
        if parent is not None and parent.id != claim.id:
            extras.setdefault(parent.id, []).append(claim)
        elif parent is None:
            extras.setdefault("", []).append(claim)
    ordered: list[Claim] = []
    for entry in CATALOGUE:
        ordered.append(registered.get(entry.id) or _missing(entry))
        ordered.extend(sorted(extras.get(entry.id, []), key=lambda c: c.id))
    ordered.extend(extras.get("", []))
    return ordered


def select(claim_ids: Iterable[str] | None) -> list[Claim]:
    """The claims to run: all, or those named (in report order); an unknown id raises
    :class:`UnknownClaimError` listing the known ids.

    >>> select(["blog.eq99"])
    Traceback (most recent call last):
    ...
    rnncore.errors.UnknownClaimError: unknown claim id 'blog.eq99'; known ids: blog.eq2, ...
    """
    claims = all_claims()
    if not claim_ids:
        return claims
    wanted = list(dict.fromkeys(claim_ids))
    known = {c.id for c in claims}
    for cid in wanted:
        if cid not in known:
            raise UnknownClaimError(
                f"unknown claim id {cid!r}; known ids: {', '.join(c.id for c in claims)}"
            )
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
        r = self.result
        return {
            "id": self.claim.id,
            "source": self.claim.source,
            "statement": self.claim.statement,
            "layer": self.claim.layer,
            "verdict": r.verdict.value,
            "scope": scope_text(r.scope),
            "method": method_text(r.method),
            "evidence": r.evidence,
            "counterexample": None if r.counterexample is None else counterexample_dict(r.counterexample),
            "seconds": round(self.seconds, 3),
        }


def run_claim(claim: Claim, options: Options) -> tuple[Result, float]:
    """Run one check, timed. A check that raises is reported ``undecided`` with the error
    (a bug to fix, never a verdict), so one broken check cannot hide the others."""
    start = time.perf_counter()
    try:
        result = claim.run(options)
    except Exception as exc:  # noqa: BLE001 - reported, not swallowed
        result = Result(
            Verdict.UNDECIDED, method="error", scope="-",
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
        counts = {v.value: 0 for v in Verdict}
        for row in self.rows:
            counts[row.result.verdict.value] += 1
        return {"total": len(self.rows), **counts}

    @property
    def all_decided(self) -> bool:
        """True when no row is ``undecided`` (exit code 0 of ``rnnproof verify``)."""
        return all(row.result.decided for row in self.rows)

    def to_json(self, *, timings: bool = True) -> dict:
        """The JSON document of ``rnnproof verify --json``; without ``timings`` it is the
        same for two runs with the same options."""
        claims = [row.to_dict() for row in self.rows]
        summary = dict(self.summary)
        if timings:
            summary["seconds"] = round(self.seconds, 3)
        else:
            for c in claims:
                c.pop("seconds")
        o = self.options
        return {
            "schema": SCHEMA_VERSION,
            "claims": claims,
            "summary": summary,
            "options": {"n": o.n, "m": o.m, "T": o.T, "quick": o.quick, "seed": o.seed,
                        "dps": o.dps},
            "versions": versions(),
        }

    def table(self, width: int | None = None) -> str:
        """A plain-text table: per claim, a line with id, verdict, source and scope, a line of
        evidence, and for a refutation a line with the counterexample (clipped to ``width``,
        default: the terminal's width).

        >>> rep = run_report(["paper.gamma"], Options.quick_sizes())
        >>> print(rep.table(width=80).splitlines()[0])  # doctest: +ELLIPSIS
        paper.gamma  proved     paper section 2.1 · all real x, all n
        """
        if width is None:
            width = max(80, shutil.get_terminal_size((120, 24)).columns)
        w0 = max([len(r.id) for r in self.rows] + [2])
        lines = []
        for row in self.rows:
            r = row.result
            head = f"{row.id:<{w0}}  {r.verdict.value:<9}  "
            lines.append(head + _clip(f"{row.claim.source} · {scope_text(r.scope)}", width - len(head)))
            lines.append("    " + _clip(r.evidence, width - 4))
            if r.counterexample is not None:
                lines.append("    counterexample: " + _clip(counterexample_text(r.counterexample), width - 20))
        s = self.summary
        lines.append("-" * min(width, 100))
        lines.append(
            f"{s['total']} claims: {s['proved']} proved, {s['confirmed']} confirmed, "
            f"{s['refuted']} refuted, {s['undecided']} undecided  ({self.seconds:.1f} s)"
        )
        return "\n".join(lines)

    def markdown(self) -> str:
        """A Markdown report, ready for docs/report.md."""
        o = self.options
        out = [
            "# rnnproof verification report",
            "",
            f"Generated by `rnnproof verify` (rnnproof {versions()['rnnproof']}) with n ≤ {o.n}, "
            f"m ≤ {o.m}, T ≤ {o.T}, {o.dps} digits, seed {o.seed}"
            + (" (quick sizes)" if o.quick else "") + ".",
            "",
            "Verdicts: **proved** = exact algebra (scope says for which sizes; \"all n\" / "
            "\"all T\" only where a generic proof backs it); **confirmed** = every instance "
            "tried passed with certified enclosures; **refuted** = a concrete, re-checkable "
            "counterexample; **undecided** = neither, with the reason.",
            "",
            "The table clips scope and evidence; the details below give them whole.",
            "",
            "| id | source | verdict | scope | evidence |",
            "|---|---|---|---|---|",
        ]
        for row in self.rows:
            r = row.result
            out.append(
                f"| `{row.id}` | {_md(row.claim.source)} | **{r.verdict.value}** | "
                f"{_md(_clip(scope_text(r.scope), 140))} | {_md(_clip(r.evidence, 160))} |"
            )
        s = self.summary
        out += ["", f"{s['total']} claims: {s['proved']} proved, {s['confirmed']} confirmed, "
                    f"{s['refuted']} refuted, {s['undecided']} undecided.", "", "## Details", ""]
        for row in self.rows:
            r = row.result
            out += [f"### `{row.id}` — {r.verdict.value}", "",
                    f"*{_md(row.claim.source)}.* {_md(row.claim.statement)}", "",
                    f"- method: {_md(method_text(r.method))}", f"- scope: {_md(scope_text(r.scope))}",
                    f"- evidence: {_md(r.evidence)}"]
            if r.counterexample is not None:
                c = r.counterexample
                out.append(f"- counterexample: {_md(str(c))}")
                if c.note:
                    out.append(f"  ({_md(c.note)})")
            out.append("")
        return "\n".join(out)


def run_report(
    claim_ids: Iterable[str] | None = None,
    options: Options | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Report:
    """Run the named claims (default: all) and return the :class:`Report`.

    ``progress(i, total, claim_id)`` is called before each claim (the CLI draws a
    progress line with it when attached to a terminal).

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
    for i, claim in enumerate(claims):
        if progress is not None:
            progress(i, len(claims), claim.id)
        result, seconds = run_claim(claim, options)
        rows.append(Row(claim, result, seconds))
    return Report(tuple(rows), options, time.perf_counter() - start)


def versions() -> dict:
    """Versions of rnnproof, Python and the libraries behind the verdicts.

    >>> sorted(versions())[:3]
    ['flint', 'mpmath', 'numpy']
    """
    import mpmath
    import numpy
    import sympy



    try:
        import flint

        flint_version = flint.__version__
    except ImportError:  # pragma: no cover - a declared dependency
        flint_version = None
    return {
        "rnnproof": __version__,
        "python": platform.python_version(),
        "sympy": sympy.__version__,
        "mpmath": mpmath.__version__,
        "numpy": numpy.__version__,
        "flint": flint_version,
    }


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _md(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def dumps(report: Report, *, timings: bool = True) -> str:
    """The report as JSON text (``rnnproof verify --json``).

    >>> import json
    >>> doc = json.loads(dumps(run_report(["paper.gamma"], Options.quick_sizes())))
    >>> doc["claims"][0]["verdict"], sorted(doc)
    ('proved', ['claims', 'options', 'schema', 'summary', 'versions'])
    """
    return json.dumps(report.to_json(timings=timings), indent=2, ensure_ascii=False)


__all__ = ["Report", "Row", "run_report", "all_claims", "select", "registries", "versions",
           "dumps", "SCHEMA_VERSION"]
