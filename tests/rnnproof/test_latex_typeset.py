"""The LaTeX document is mathematics made from the structured results: no escaped
identifiers or implementation names in its prose, no overfull box, the blog's equations as
the blog writes them, form B's boxes for form B, every registered claim placed."""
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import example, given, settings

from rnncore.registry import Claim, Options
from rnncore.results import Counterexample, Location, Method, MethodKind, Result, Scope, Span, Verdict
from rnnproof.cli import main
from rnnproof.latex import Derivation, compile_pdf, overfull_boxes, write_latex
from rnnproof.printers.latex import claim_box, claim_id_tex, counterexample_tex, engine_words
from rnnproof.printers.mathtext import math_latex, to_latex
from rnnproof.report import Report, Row, run_report
from tests.strategies import latex_hostile_text

HAVE_TEX = shutil.which("pdflatex") is not None
needs_tex = pytest.mark.skipif(not HAVE_TEX, reason="no pdflatex on PATH (CI installs texlive)")

#: What must never stand in the document's body where a symbol is meant.
ESCAPED = [r"\\_", r"\\textasciicircum", r"<=", r"!=", r">=", r"block_collapse", r"\.py\b",
           r"SymPy", r"KroneckerDelta", r"Counterexample\(", r"\bNone\b"]


def body(tex: str) -> str:
    return tex[tex.index(r"\begin{document}"):]


def escaped_identifiers(tex: str) -> list[str]:
    found = []
    text = body(tex)
    for pattern in ESCAPED:
        for m in re.finditer(pattern, text):
            found.append(f"{pattern}: …{text[max(0, m.start() - 60):m.end() + 30]}…")
    return found


@pytest.mark.parametrize("form", ["A", "B"])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_no_escaped_identifier_in_the_body(quick_report, form, n):
    tex = Derivation(form=form, n=n, T=3).render(quick_report)
    assert escaped_identifiers(tex) == []


def test_the_check_finds_what_it_looks_for():
    # the same check on the old way of printing (escaped text) finds every kind of fault
    old = r"\begin{document} W\_rec x\_\{t-1\} \textasciicircum{}T n <= 2 -5/3 != -2/3 block_collapse(x) derive/backprop.py"
    kinds = {f.split(":")[0] for f in escaped_identifiers(old)}
    assert {r"\\_", r"\\textasciicircum", "<=", "!=", "block_collapse", r"\.py\b"} <= kinds


@needs_tex
@pytest.mark.tex
@pytest.mark.parametrize("form", ["A", "B"])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_compiles_without_overfull_boxes(tmp_path, quick_report, form, n):
    tex = write_latex(tmp_path / f"d{form}{n}.tex", Derivation(form=form, n=n, T=3), quick_report)
    compile_pdf(tex)
    log = tex.with_suffix(".log").read_text(errors="replace")
    assert "Output written" in log
    assert overfull_boxes(log) == []


@needs_tex
@pytest.mark.tex
@pytest.mark.parametrize("form, n, T", [("A", 6, 8), ("B", 6, 2)])
def test_largest_sizes_compile_without_overfull_boxes(tmp_path, quick_report, form, n, T):
    tex = write_latex(tmp_path / "big.tex", Derivation(form=form, n=n, T=T), quick_report)
    compile_pdf(tex)
    assert overfull_boxes(tex.with_suffix(".log").read_text(errors="replace")) == []


@pytest.mark.slow
@needs_tex
@pytest.mark.tex
@pytest.mark.parametrize("n", [1, 3])
def test_documents_at_their_own_sizes(tmp_path, n):
    # the claims checked at the document's own n (what `rnnproof latex --n N` does)
    report = run_report(None, Options(n=n, m=1, T=3))
    for form in "AB":
        tex = write_latex(tmp_path / f"{form}.tex", Derivation(form=form, n=n, T=3), report)
        assert escaped_identifiers(tex.read_text()) == []
        compile_pdf(tex)
        assert overfull_boxes(tex.with_suffix(".log").read_text(errors="replace")) == []


def test_blog_equations_as_the_blog_writes_them(quick_report):
    tex = Derivation(form="A", n=2, T=3).render(quick_report)
    for tag in ("6", "7", "8.1", "8.2", "9", "11"):
        assert rf"\tag{{{tag}}}" in tex
    # eqs. 7, 9, 11 as written use the blog's ∂x/∂g; the reading checked follows each
    for tag in ("7", "9", "11"):
        display = tex[:tex.index(rf"\tag{{{tag}}}")].rsplit(r"\begin{equation}", 1)[1]
        assert r"{\partial g}" in display, tag
        after = tex[tex.index(rf"\tag{{{tag}}}"):]
        assert after.index("reading checked") < after.index(r"\begin{verdictbox}")
    assert r"\section{Exploding gradients}" in tex


def test_form_B_boxes_check_form_B(quick_report):
    tex = Derivation(form="B", n=2, T=3).render(quick_report)
    model = tex[tex.index(r"\tag{2B}"):tex.index(r"\section{The loss")]
    boxed = [r for r in quick_report.rows if "{" + claim_id_tex(r.id) + "}{" in model]
    assert boxed
    for row in boxed:  # every box beside eq. 2B rules on form B
        assert "B" in row.result.scope.forms, row.id
    step = tex[tex.index(r"\tag{12B}"):]
    first = min((step.find("{" + claim_id_tex(r.id) + "}{"), r.id) for r in quick_report.rows
                if "{" + claim_id_tex(r.id) + "}{" in step)
    assert first[1] == "blog.formB"
    # a form-A-only verdict in the form B document says so
    assert "This verdict is for form A; this document is form B." in tex


def _row(claim_id, verdict=Verdict.PROVED, **claim_kw):
    claim = Claim(claim_id, "a new cell", "h_t = σ(W_rec h_{t-1})", lambda o: None, "symbolic",
                  **claim_kw)
    cex = Counterexample((("w_{1,1}", "-4/3"),), "-5/3", "-2/3",
                         location=Location(t=2, entry=(0, 1))) if verdict is Verdict.REFUTED else None
    result = Result(verdict, Method(MethodKind.EXACT, "expansion"), Scope(spans=(Span("n", 1, 2),)),
                    "block_collapse([W_rec W_in b] [s; u; 1]) = W_in*u | see derive/backprop.py",
                    counterexample=cex)
    return Row(claim, result, 0.0)


def test_every_registered_claim_is_placed_once(quick_report):
    extra = [_row("cell.lstm.jacobian"), _row("blog.eq13.lstm")]
    report = Report(quick_report.rows + tuple(extra), quick_report.options, 0.0)
    tex = Derivation(form="A", n=2, T=3).render(report)
    for row in report.rows:
        assert tex.count("{" + claim_id_tex(row.id) + "}{") == 1, row.id
    further = tex[tex.index(r"\section{Further claims}"):tex.index(r"\section{All verdicts}")]
    assert claim_id_tex("cell.lstm.jacobian") in further  # a new id: in the last section
    assert claim_id_tex("blog.eq13.lstm") not in further  # an added id: beside its parent


def test_reading_not_the_authors_is_marked_and_not_called_an_error():
    box = claim_box(_row("x.y", Verdict.REFUTED, reading="σ read as ReLU",
                         authors_reading=False).claim,
                    _row("x.y", Verdict.REFUTED).result)
    assert "(not the author's reading)" in box
    assert "this refutes the reading, not the author" in box
    own = claim_box(_row("x.y", Verdict.REFUTED, reading="as written").claim,
                    _row("x.y", Verdict.REFUTED).result)
    assert "not the author" not in own


def test_counterexample_typeset_from_its_data():
    cex = Counterexample((("w_{1,1}", "-4/3"), ("dsigma(-1/2)", "3"), ("W", "[[1, 0], [0, 1]]")),
                         "-5/3", "-2/3", location=Location(t=2, k=None, entry=(0, 1), layout="numerator"))
    tex = counterexample_tex(cex)
    assert r"$-\tfrac{5}{3}$ (computed) $\ne$ $-\tfrac{2}{3}$ (claimed)" in tex
    assert "$t = 2$" in tex and "None" not in tex and "entry $(0, 1)$" in tex
    assert r"$w_{1,1} = -\tfrac{4}{3}$" in tex and r"\sigma'(-\tfrac{1}{2}) = 3" in tex
    assert r"\begin{smallmatrix}1 & 0\\ 0 & 1\end{smallmatrix}" in tex


def test_engine_names_become_words():
    text = engine_words("block_collapse([W_rec W_in b] [s; u; 1]) = W_in*u; derive/backprop.py; "
                        "SymPy Sum/Indexed/KroneckerDelta")
    assert "block_collapse" not in text and ".py" not in text and "SymPy" not in text


@pytest.mark.parametrize("text, expected", [
    ("W_rec", r"W_{\mathrm{rec}}"), ("x_{t-1}", "x_{t-1}"), ("h_(k-1)", "h_{k-1}"),
    ("σ'", r"\sigma'"), ("∂⁺x_k", r"\partial^{+}x_{k}"), ("‖A‖₂", r"\|A\|_{2}"),
    ("n <= 2", r"n \le 2"), ("-5/3 != -2/3", r"-\tfrac{5}{3} \ne -\tfrac{2}{3}"),
    ("W_recᵀ", r"W_{\mathrm{rec}}^{T}"), ("A ⊗ B", r"A \otimes B"), ("σ_max(A)", r"\sigma_{\max}(A)"),
    ("2^-117", "2^{-117}"), ("sqrt(ρ(A*A))", r"\sqrt{\rho(A^{*}A)}"), ("x⁻¹", "x^{-1}"),
])
def test_notation_to_latex(text, expected):
    assert math_latex(text) == expected


@pytest.mark.parametrize("wrong, right", [
    # equivalent ways of typing the same formula typeset the same
    ("W_{rec}", "W_rec"), ("x_(t-1)", "x_{t-1}"), ("x≤y", "x<=y"), ("a≠b", "a!=b"),
])
def test_equivalent_notations_agree(wrong, right):
    assert math_latex(wrong) == math_latex(right)


def _balanced(tex: str) -> bool:
    depth = 0
    i = 0
    while i < len(tex):
        if tex[i] == "\\":
            i += 2
            continue
        depth += (tex[i] == "{") - (tex[i] == "}")
        if depth < 0:
            return False
        i += 1
    return depth == 0


@settings(max_examples=300, deadline=None)
@given(latex_hostile_text())
@example("}{\\input{/etc/passwd}$$^^_")
@example("x_{ ‖ σ'^T ⁺⁻ __ ^^ [[1,2],[3")
@example("sqrt(sqrt(x) \\end{document}")
def test_any_text_gives_balanced_safe_latex(text):
    out = to_latex(text)
    assert out.isascii()
    assert _balanced(out)
    assert out.replace(r"\$", "").count("$") % 2 == 0
    ours = out.replace(r"\begin{smallmatrix}", "").replace(r"\end{smallmatrix}", "")
    assert not re.search(r"\\(input|include|write|def|catcode|end|begin|immediate|openout)\b", ours)


@needs_tex
@pytest.mark.tex
def test_hostile_statements_compile(tmp_path, quick_report):
    rows = [_row(f"hostile.{i}") for i in range(3)]
    texts = ["}{\\input{/etc/passwd}$$^^_ x_{", "x_{ ‖ σ'^T ⁺⁻ __ ^^ [[1,2],[3 ‖‖ '' \"", "日本 σ'′ ∂∂ ⊗"]
    rows = [Row(Claim(r.id, "src_%&#", t, lambda o: None, "symbolic", reading=t), r.result, 0.0)
            for r, t in zip(rows, texts)]
    report = Report(quick_report.rows[:2] + tuple(rows), quick_report.options, 0.0)
    tex = write_latex(tmp_path / "h.tex", Derivation(form="A", n=1, T=2), report)
    compile_pdf(tex)  # raises on any LaTeX error


@needs_tex
@pytest.mark.tex
def test_pdf_keeps_the_log(tmp_path, monkeypatch, quick_report, capsys):
    import rnnproof.latex as latex_module

    monkeypatch.setattr(latex_module, "run_report", lambda ids, options, progress=None: quick_report)
    code = main(["latex", "-o", str(tmp_path / "d.tex"), "--pdf", "--n", "1", "--T", "2"])
    assert code == 0
    log = tmp_path / "d.log"
    assert log.exists() and "Output written" in log.read_text(errors="replace")
    assert "d.log" in capsys.readouterr().out


def test_progress_on_request_and_quiet_when_piped(tmp_path, monkeypatch, quick_report, capsys):
    import rnnproof.latex as latex_module

    def fake(ids, options, progress=None):
        for i, row in enumerate(quick_report.rows[:3]):
            if progress is not None:
                progress(i, 3, row.id)
        return quick_report

    monkeypatch.setattr(latex_module, "run_report", fake)
    assert main(["latex", "-o", str(tmp_path / "d.tex"), "--n", "1", "--T", "2"]) == 0
    assert capsys.readouterr().err == ""  # piped (not a terminal): quiet
    assert main(["latex", "-o", str(tmp_path / "d.tex"), "--n", "1", "--T", "2", "--progress"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [f"rnnproof latex: claim {i + 1}/3 {row.id} (0 s)"
                   for i, row in enumerate(quick_report.rows[:3])] or all(
        line.startswith(f"rnnproof latex: claim {i + 1}/3 {row.id} (")
        for i, (line, row) in enumerate(zip(err, quick_report.rows[:3])))
    assert len(err) == 3
