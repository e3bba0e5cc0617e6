r"""Rich display in notebooks and IPython: results, proofs, formulas and networks.

Importing ``rnnproof`` registers these printers in the foundation's hook table
(:mod:`rnncore.display`), so a :class:`~rnncore.results.Result`, a proof (a checked lemma
chain, an induction), a :class:`derive.formula.Formula` and the networks
(:class:`derive.RNN`, :class:`rnnmodel.balls.RealRNN`) show as typeset mathematics
(``_repr_latex_``, used e.g. by nbconvert's PDF export) and as HTML (``_repr_html_``,
what Jupyter shows). Enclosures print themselves (:class:`numeric.enclosure.Enclosure`).
The classes are named, not imported, so importing ``rnnproof`` loads no engine.

>>> from rnncore.results import Method, MethodKind, Result, Scope, Span, Verdict
>>> r = Result(Verdict.PROVED, Method(MethodKind.EXACT, "expansion"),
...            Scope(spans=(Span("n", 1, 3),)), "J - W_rec D = 0")
>>> r._repr_latex_()
'\\textbf{proved} (exact algebra: expansion; $n = 1, \\dots, 3$). $J - W_{\\mathrm{rec}}\\,D = 0$.'
>>> print(r._repr_html_())  # doctest: +ELLIPSIS
<div class="rnnproof-result"><b style="color:#0a7326">proved</b> · exact: expansion · n = 1..3<br>J - W_rec D = 0</div>
"""
from __future__ import annotations

import html

from rnncore.display import register
from rnncore.results import Result

from .printers.latex import counterexample_tex, evidence_tex, method_tex, proof_tex, scope_tex
from .printers.mathtext import math_latex
from .printers.text import counterexample_text, method_text, scope_text

#: Label colours for HTML (the LaTeX document's colours).
COLOURS = {
    "proved": "#0a7326", "proved-from-lemmas": "#006b59", "proved-randomized": "#4d7300",
    "confirmed": "#0d5999", "refuted": "#bf0d0d", "undecided": "#737373", "error": "#990099",
}


def result_latex(r: Result) -> str:
    """A result as LaTeX text with its formulas in math mode (standard commands only)."""
    head = rf"\textbf{{{r.label.value}}} ({method_tex(r.method)}; {scope_tex(r.scope)})."
    out = [head, evidence_tex(r.evidence) + "."]
    if r.counterexample is not None:
        out.append("Counterexample: " + counterexample_tex(r.counterexample) + ".")
    out.extend(proof_tex(p) for p in r.proofs)
    return " ".join(out)


def result_html(r: Result) -> str:
    """A result as an HTML block: the coloured label, method, scope, evidence, the
    counterexample, and each proof folded in a ``<details>``."""
    e = html.escape
    label = r.label.value
    parts = [f'<div class="rnnproof-result"><b style="color:{COLOURS[label]}">{e(label)}</b>'
             f" · {e(method_text(r.method))}"
             + (f" · {e(scope_text(r.scope))}" if r.scope else "") + f"<br>{e(r.evidence)}"]
    if r.counterexample is not None:
        parts.append(f"<br><i>counterexample:</i> {e(counterexample_text(r.counterexample))}")
    for p in r.proofs:
        parts.append(f"<details><summary>proof</summary><pre>{e(p.text())}</pre></details>")
    parts.append("</div>")
    return "".join(parts)


def proof_latex(p) -> str:
    """A proof's LaTeX with its citations wrapped and lemma names as words."""
    return proof_tex(p)


def formula_html(f) -> str:
    """A formula as HTML: its canonical text."""
    return f'<code class="formula">{html.escape(f.text())}</code>'


def _network_state(net) -> tuple[str, str]:
    form = getattr(net, "form", "A")
    if form == "B":
        return (r"h_t = \sigma(W_{\mathrm{rec}}\,h_{t-1} + W_{\mathrm{in}}\,u_t + b)",
                "h_t = σ(W_rec h_{t-1} + W_in u_t + b)")
    return (r"x_t = W_{\mathrm{rec}}\,\sigma(x_{t-1}) + W_{\mathrm{in}}\,u_t + b",
            "x_t = W_rec σ(x_{t-1}) + W_in u_t + b")


def network_latex(net) -> str:
    r"""A network as its defining equation and sizes.

    >>> from derive import RNN
    >>> RNN(2, 1, 3, "tanh")._repr_latex_()
    '$x_t = W_{\\mathrm{rec}}\\,\\sigma(x_{t-1}) + W_{\\mathrm{in}}\\,u_t + b$, form A, $n = 2$, $m = 1$, $T = 3$, $\\sigma = \\tanh$'
    """
    eq, _ = _network_state(net)
    act = getattr(net, "activation", "generic")
    sigma = "" if act == "generic" else rf", $\sigma = {math_latex(act)}$"
    return (f"${eq}$, form {getattr(net, 'form', 'A')}, $n = {net.n}$, $m = {net.m}$, "
            f"$T = {net.T}$" + sigma)


def network_html(net) -> str:
    """A network as an HTML line: equation, form, sizes, activation."""
    _, text = _network_state(net)
    return (f'<span class="rnnproof-network">{html.escape(text)}; form '
            f"{html.escape(str(getattr(net, 'form', 'A')))}, n = {net.n}, m = {net.m}, "
            f"T = {net.T}, σ = {html.escape(str(getattr(net, 'activation', 'generic')))}</span>")


register("rnncore.results.Result", latex=result_latex, html=result_html)
register("derive.lemma_proof.CheckedProof", latex=proof_latex)
register("derive.generic.Proof", latex=proof_latex)
register("derive.formula.Formula", html=formula_html)
register("derive.network.RNN", latex=network_latex, html=network_html)
register("rnnmodel.balls.RealRNN", latex=network_latex, html=network_html)

__all__ = ["result_latex", "result_html", "proof_latex", "formula_html", "network_latex",
           "network_html", "COLOURS"]
