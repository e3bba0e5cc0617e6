"""Notebook display: results, proofs, formulas, enclosures and networks have LaTeX and HTML
reprs; the lower layers fall back to plain text when no printer is registered."""
import re
from fractions import Fraction

import pytest

import rnnproof  # noqa: F401  (registers the printers)
from derive import RNN, eq13_induction_proof
from derive.formula import parse
from numeric.enclosure import Enclosure
from rnncore import display
from rnncore.results import (Counterexample, Location, Method, MethodKind, Result, Scope, Span,
                             Verdict)
from rnnmodel.balls import RealRNN


def _refuted():
    cex = Counterexample((("w_{1,1}", "-4/3"),), "-5/3", "<script>-2/3</script>",
                         location=Location(t=2, entry=(0, 0)))
    return Result(Verdict.REFUTED, Method(MethodKind.EXACT, "expansion"), Scope(spans=(Span("n", 1, 2),)),
                  "W_rec σ'(x) <b>", counterexample=cex)


def test_result_latex_is_mathematics_and_html_is_escaped():
    r = _refuted()
    tex = r._repr_latex_()
    assert tex.startswith(r"\textbf{refuted}")
    assert r"$-\tfrac{5}{3}$" in tex and r"W_{\mathrm{rec}}" in tex and r"\_" not in tex
    page = r._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;" in page
    assert 'style="color:#bf0d0d"' in page and "counterexample" in page


def test_result_with_proofs_shows_them():
    proof = eq13_induction_proof("A")
    r = Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(), "e", proofs=(proof,))
    assert "<details>" in r._repr_html_() and "induction" in r._repr_html_()
    assert r"\begin{enumerate}" in r._repr_latex_()


def test_proofs_formulas_networks_enclosures():
    proof = eq13_induction_proof("B")
    assert r"\begin{enumerate}" in proof._repr_latex_()
    assert proof._repr_html_().startswith("<pre>") and "Claim:" in proof._repr_html_()
    f = parse("W @ D[j-1]")
    assert f._repr_latex_() == "$" + f.latex() + "$"
    assert f._repr_html_() == '<code class="formula">W @ D[j - 1]</code>'
    for net in (RNN(2, 1, 3, "tanh", "B"), RealRNN(2, 1, 3, "tanh", "B")):
        assert net._repr_latex_().startswith(r"$h_t = \sigma(")
        assert "n = 2" in net._repr_html_() and "form B" in net._repr_html_()
    e = Enclosure(Fraction(1), Fraction(2))
    assert e._repr_latex_() == r"$1.5 \pm 0.5$" and "±" in e._repr_html_()


def test_fallback_without_a_registered_printer():
    # what a lower layer shows when rnnproof's printers are not registered
    saved = dict(display._LATEX), dict(display._HTML)
    try:
        display.unregister("rnncore.results.Result")
        display.unregister("derive.network.RNN")
        r = _refuted()
        assert r._repr_latex_() is None  # the front end shows the text repr
        assert r._repr_html_().startswith("<pre>Result(") and "&lt;b&gt;" in r._repr_html_()
        assert RNN(1)._repr_html_().startswith("<pre>")
    finally:
        display._LATEX.clear(); display._LATEX.update(saved[0])
        display._HTML.clear(); display._HTML.update(saved[1])


def test_foundation_imports_no_higher_layer():
    src = open(display.__file__).read()
    assert not re.search(r"^\s*(from|import) (rnnproof|derive|numeric|rnnmodel|rnnclaims)", src, re.M)
