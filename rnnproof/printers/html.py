"""The HTML printer: a report as one self-contained page (``rnnproof verify --html FILE``).

One file, nothing fetched: the style and the filter script are inline, the mathematics is
MathML (:mod:`.mathml`), which the browser typesets itself. Each claim is a section with its
id, verdict, source and statement, then its reading, method, scope, evidence,
counterexample, proof steps and sub-results. A bar at the top filters the claims by verdict
(a checkbox per label, with its count) and by id (a text box: a prefix or a ``*`` glob, as
``verify --claim`` takes). The filter can be given in the address, so a link (or a test
in a headless browser) opens the page filtered: ``report.html?label=refuted&id=blog.eq14``
or ``report.html#label=refuted,undecided``. After each filtering the page records how
many claims it shows in ``<body data-shown="N">``.

>>> from rnncore.registry import Claim, Options
>>> from rnncore.results import Method, MethodKind, Result, Scope, Verdict
>>> from types import SimpleNamespace
>>> row = SimpleNamespace(claim=Claim("a.b", "blog eq. 1", "x_t = W x_{t-1}", None, "symbolic"),
...                       result=Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(), "e"),
...                       seconds=0.5, id="a.b")
>>> page = report_html(SimpleNamespace(rows=(row,), options=Options(), seconds=1.0,
...                    summary={"total": 1, "proved": 1}), "0.1.0", {"python": "3.11"})
>>> page.startswith("<!DOCTYPE html>"), "<msub><mi>x</mi>" in page, "http" in page
(True, True, False)
"""
from __future__ import annotations

import html

from rnncore.results import Label, Result

from .mathml import inline_html
from .text import NOT_AUTHORS, counterexample_text, location_text, method_text, scope_text, \
    summary_text

#: The colour of each label (badges, filter buttons): proofs greens, confirmed blue,
#: refuted red, undecided amber, an internal error purple. Tests look for these in a
#: screenshot of the page.
LABEL_RGB = {
    Label.PROVED: (26, 127, 55), Label.PROVED_FROM_LEMMAS: (17, 99, 82),
    Label.PROVED_RANDOMIZED: (77, 140, 40), Label.CONFIRMED: (9, 105, 218),
    Label.REFUTED: (207, 34, 46), Label.UNDECIDED: (154, 103, 0), Label.ERROR: (130, 80, 223),
}

_CSS = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
       color: var(--fg); background: var(--bg); margin: 0; }
header { padding: 16px 24px 8px; border-bottom: 1px solid var(--line); }
h1 { font-size: 22px; margin: 0 0 4px; }
.meta { color: var(--muted); font-size: 13px; }
#filters { position: sticky; top: 0; background: var(--panel); padding: 10px 24px;
           border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 8px;
           align-items: center; z-index: 1; }
#filters label.chip { display: inline-flex; align-items: center; gap: 6px; padding: 3px 10px;
           border-radius: 14px; color: #fff; font-weight: 600; font-size: 13px; cursor: pointer; }
#filters input[type=search] { font: inherit; padding: 3px 8px; border: 1px solid var(--line);
           border-radius: 6px; min-width: 16em; }
#filters button { font: inherit; font-size: 13px; padding: 3px 10px; border-radius: 6px;
           border: 1px solid var(--line); background: #fff; cursor: pointer; }
#count { color: var(--muted); font-size: 13px; margin-left: auto; }
main { padding: 8px 24px 40px; }
section.claim { border: 1px solid var(--line); border-left: 6px solid var(--c);
                border-radius: 6px; margin: 10px 0; padding: 8px 14px; }
section.claim[hidden] { display: none; }
.head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 10px; }
.id { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-weight: 600; }
.badge { background: var(--c); color: #fff; border-radius: 10px; padding: 0 9px;
         font-size: 13px; font-weight: 600; }
.source, .secs { color: var(--muted); font-size: 13px; }
.secs { margin-left: auto; }
.note { color: #6e5b00; font-size: 13px; font-style: italic; }
.statement { margin: 4px 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0 0; }
dt { color: var(--muted); font-size: 13px; }
dd { margin: 0; overflow-wrap: anywhere; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px;
      padding: 8px 10px; margin: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere;
      font: 13px/1.45 ui-monospace, "DejaVu Sans Mono", monospace; }
details summary { cursor: pointer; color: var(--muted); font-size: 13px; }
ul.sub { margin: 2px 0; padding-left: 18px; }
math { font-size: 1.05em; }
.cex { border-left: 3px solid var(--c); padding-left: 8px; }
"""

_JS = r"""
(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("#filters input[data-label]"));
  var text = document.getElementById("idfilter");
  var rows = Array.prototype.slice.call(document.querySelectorAll("section.claim"));
  function globre(p) {
    var s = p.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp("^" + s + "$");
  }
  function matches(id, p) {
    if (!p) { return true; }
    if (/[*?]/.test(p)) { return globre(p).test(id); }
    return id === p || id.indexOf(p + ".") === 0;
  }
  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.getAttribute("data-label")] = b.checked; });
    var pats = text.value.trim().split(/[\s,]+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (r) {
      var id = r.getAttribute("data-id");
      var ok = on[r.getAttribute("data-label")] &&
               (pats.length === 0 || pats.some(function (p) { return matches(id, p); }));
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.body.setAttribute("data-shown", String(shown));
    document.getElementById("count").textContent = shown + " of " + rows.length + " shown";
  }
  function fromAddress() {
    var spec = (window.location.search.slice(1) + "&" + window.location.hash.slice(1));
    spec.split("&").forEach(function (kv) {
      var i = kv.indexOf("="); if (i < 0) { return; }
      var k = decodeURIComponent(kv.slice(0, i)), v = decodeURIComponent(kv.slice(i + 1));
      if (k === "label") {
        var want = v.split(",");
        boxes.forEach(function (b) { b.checked = want.indexOf(b.getAttribute("data-label")) !== -1; });
      } else if (k === "id") { text.value = v; }
    });
  }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  text.addEventListener("input", apply);
  document.getElementById("all").addEventListener("click", function () {
    boxes.forEach(function (b) { b.checked = true; }); text.value = ""; apply(); });
  document.getElementById("none").addEventListener("click", function () {
    boxes.forEach(function (b) { b.checked = false; }); apply(); });
  window.addEventListener("hashchange", function () { fromAddress(); apply(); });
  fromAddress();
  apply();
})();
"""


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def _rgb(label: Label) -> str:
    return "rgb({}, {}, {})".format(*LABEL_RGB[label])


def counterexample_html(cex) -> str:
    """A counterexample: the two sides and the failing relation as mathematics, where it
    fails, the point (each value whole), and its note.

    >>> from rnncore.results import Counterexample
    >>> counterexample_html(Counterexample((("w", "1/2"),), "1", "2"))  # doctest: +ELLIPSIS
    '<div class="cex"><math><mn>1</mn><mo>≠</mo><mn>2</mn></math>...'
    """
    rel = {"=": "≠", "<": "≮", "<=": "≰"}.get(cex.relation)
    if rel is not None:
        sides = inline_html(f"{cex.lhs} {rel} {cex.rhs}")
    else:
        sides = _esc(counterexample_text(cex))
    parts = [f'<div class="cex">{sides}']
    where = location_text(cex)
    if where:
        parts.append(f" at {inline_html(where)}")
    if cex.point:
        parts.append(" with " + ", ".join(inline_html(f"{k} = {v}") for k, v in cex.point))
    if cex.note:
        parts.append(f' <span class="note">({inline_html(cex.note)})</span>')
    parts.append("</div>")
    return "".join(parts)


def _sub_results(details: tuple[Result, ...]) -> str:
    items = []
    for d in details:
        extra = ""
        if d.counterexample is not None:
            extra = counterexample_html(d.counterexample)
        items.append(f'<li style="--c: {_rgb(d.label)}"><span class="badge">{d.label.value}'
                     f'</span> {inline_html(d.evidence)}'
                     + (f' <span class="source">({inline_html(scope_text(d.scope))})</span>'
                        if d.scope else "") + extra
                     + (_sub_results(d.details) if d.details else "") + "</li>")
    return f'<ul class="sub">{"".join(items)}</ul>'


def claim_html(row) -> str:
    """One claim's section: head (id, verdict, source, seconds), statement, then the reading,
    method, scope, evidence, counterexample, proofs and sub-results."""
    claim, r = row.claim, row.result
    label = r.label
    note = "" if getattr(claim, "authors_reading", True) else \
        f'<span class="note">{_esc(NOT_AUTHORS)}</span>'
    out = [
        f'<section class="claim" id="claim-{_esc(claim.id)}" data-id="{_esc(claim.id)}" '
        f'data-label="{label.value}" style="--c: {_rgb(label)}">',
        f'<div class="head"><span class="id">{_esc(claim.id)}</span>'
        f'<span class="badge" title="{_esc(label.meaning)}">{label.value}</span>{note}'
        f'<span class="source">{_esc(claim.source)}</span>'
        f'<span class="secs">{row.seconds:.2f} s</span></div>',
        f'<div class="statement">{inline_html(claim.statement)}</div>',
        "<dl>",
    ]
    if getattr(claim, "reading", ""):
        out.append(f"<dt>reading</dt><dd>{inline_html(claim.reading)}</dd>")
    out.append(f"<dt>method</dt><dd>{inline_html(method_text(r.method))}</dd>")
    if r.scope:
        out.append(f"<dt>scope</dt><dd>{inline_html(scope_text(r.scope))}</dd>")
    out.append(f"<dt>evidence</dt><dd>{inline_html(r.evidence)}</dd>")
    if r.counterexample is not None:
        out.append(f"<dt>counterexample</dt><dd>{counterexample_html(r.counterexample)}</dd>")
    for i, proof in enumerate(r.proofs):
        out.append(f"<dt>proof{f' {i + 1}' if len(r.proofs) > 1 else ''}</dt>"
                   f'<dd><pre class="proof">{_esc(proof.text())}</pre></dd>')
    if r.details:
        out.append(f"<dt>parts</dt><dd><details><summary>{len(r.details)} sub-result(s)"
                   f"</summary>{_sub_results(r.details)}</details></dd>")
    out.append("</dl></section>")
    return "\n".join(out)


def report_html(report, version: str, versions: dict) -> str:
    """The whole page of ``report`` (made by rnnproof ``version`` with the library
    ``versions``): header, filter bar, one section per claim, inline style and script."""
    o = report.options
    counts = report.summary
    chips = []
    for label in Label:
        n = counts.get(label.value, 0)
        chips.append(
            f'<label class="chip" style="background: {_rgb(label)}" title="{_esc(label.meaning)}">'
            f'<input type="checkbox" data-label="{label.value}" checked> {label.value} '
            f'<span class="n">{n}</span></label>')
    libs = ", ".join(f"{k} {v}" for k, v in versions.items())
    body = "\n".join(claim_html(row) for row in report.rows)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rnnproof verification report</title>
<style>{_CSS}</style>
</head>
<body data-shown="{len(report.rows)}">
<header>
<h1>rnnproof verification report</h1>
<div class="meta">rnnproof {_esc(version)} · n ≤ {o.n}, m ≤ {o.m}, T ≤ {o.T}, {o.dps} digits,
seed {o.seed}{" (quick sizes)" if o.quick else ""} · {report.seconds:.1f} s · {_esc(libs)}</div>
<div class="meta" id="summary">{_esc(summary_text(counts))}</div>
</header>
<nav id="filters" aria-label="filter the claims">
{"".join(chips)}
<input type="search" id="idfilter" placeholder="filter by id: blog.eq14, paper.*" aria-label="filter by id">
<button type="button" id="all">all</button><button type="button" id="none">none</button>
<span id="count">{len(report.rows)} of {len(report.rows)} shown</span>
</nav>
<main>
{body}
</main>
<script>{_JS}</script>
</body>
</html>
"""


__all__ = ["report_html", "claim_html", "counterexample_html", "LABEL_RGB"]
