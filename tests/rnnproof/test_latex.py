"""`rnnproof latex`: the derivation document, its escaping, and real compilation."""
import shutil

import pytest
import sympy as sp

from derive.activations import dsigma, relu, sigma, step
from rnnproof.cli import main
from rnncore.errors import InvalidInputError, SizeBudgetError
from rnnproof.latex import (Derivation, compile_pdf, log_problems, overfull_boxes,
                            write_latex)
from rnnproof.printers.latex import claim_id_tex
from rnncore.registry import Options
from rnnproof.report import Report
from rnnproof.texprint import tex_math, tex_text

HAVE_TEX = shutil.which("pdflatex") is not None
needs_tex = pytest.mark.skipif(not HAVE_TEX, reason="no pdflatex on PATH (CI installs texlive)")


@pytest.mark.parametrize("text", [
    "‖W_rec diag(σ'(x_{j-1}))‖_2 < ‖W_rec‖_2 ‖diag(σ'(x_{j-1}))‖_2",
    "∂⁺x_{k,i}/∂(W_rec)_{i,·} = σ(x_{k-1})^T & 100% # $ \\ ~",
    "“quoted” — γ = 1/4 … 日本",
])
def test_tex_text_leaves_only_ascii_and_escapes_specials(text):
    out = tex_text(text)
    assert out.isascii()
    for special in "&%#$":
        assert special not in out.replace("\\" + special, "")


def test_tex_math_uses_blog_names():
    z = sp.Symbol("z")
    assert tex_math(sigma(z)) == r"\sigma\left(z\right)"
    assert tex_math(dsigma(z)) == r"\sigma'\left(z\right)"
    assert "H" in tex_math(step(z)) and "relu" in tex_math(relu(z))
    with pytest.raises(TypeError):
        tex_math("__import__('os')")


@pytest.mark.parametrize("kw, err", [
    ({"n": 0}, InvalidInputError), ({"n": 7}, SizeBudgetError), ({"T": 1}, InvalidInputError),
    ({"T": 9}, SizeBudgetError), ({"form": "C"}, InvalidInputError),
    ({"activation": "swish"}, InvalidInputError),
])
def test_bad_sizes_rejected(kw, err):
    with pytest.raises(err):
        Derivation(**kw)


@pytest.mark.parametrize("form", ["A", "B"])
def test_document_has_blog_equation_numbers_and_verdicts(quick_report, form):
    tex = Derivation(form=form, n=2, T=3).render(quick_report)
    suffix = "" if form == "A" else "B"
    for tag in ("2" + suffix, "3", "4", "5", "7", "9", "10", "11", "12" + suffix, "13" + suffix,
                "14", "15"):
        assert rf"\tag{{{tag}}}" in tex
    for row in quick_report.rows:  # every claim: one verdict block, one summary row
        assert tex.count(r"\begin{verdictbox}{" + row.result.label.value + "}{"
                         + claim_id_tex(row.id) + "}") == 1, row.id
        assert tex.count(claim_id_tex(row.id) + " &") == 1, row.id
    refuted = [r for r in quick_report.rows if r.result.verdict.value == "refuted"]
    assert refuted and tex.count("Counterexample:") >= len(refuted)


def test_log_problems_finds_errors_and_undefined_references():
    log = "ok\n! LaTeX Error: File `x.sty' not found.\nLaTeX Warning: There were undefined references.\n"
    assert len(log_problems(log)) == 2
    assert log_problems("This is pdfTeX\nOutput written") == []


def test_output_must_be_tex(tmp_path):
    with pytest.raises(InvalidInputError, match=".tex"):
        write_latex(tmp_path / "x.pdf", Derivation(), Report((), Options(), 0.0))


@needs_tex
@pytest.mark.tex
@pytest.mark.parametrize("form", ["A", "B"])
@pytest.mark.parametrize("n, T", [(2, 3), (3, 4)])
def test_documents_compile_without_errors(tmp_path, form, n, T, quick_report, default_report):
    report = quick_report if (n, T) == (2, 3) else default_report
    tex = write_latex(tmp_path / f"d{form}{n}{T}.tex", Derivation(form=form, n=n, T=T), report)
    pdf = compile_pdf(tex)  # raises on any LaTeX error or undefined reference
    assert pdf.exists() and pdf.read_bytes()[:4] == b"%PDF"


def test_cli_reports_missing_tex_engine(tmp_path, monkeypatch, capsys):
    import rnnproof.latex as latex_module

    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(latex_module, "run_report",
                        lambda ids, options, progress=None: Report((), options, 0.0))
    code = main(["latex", "-o", str(tmp_path / "d.tex"), "--pdf", "--n", "2", "--T", "2"])
    assert code == 2  # a missing tool is the environment's problem (docs/guide.md, exit codes)
    assert "no TeX engine" in capsys.readouterr().err
    assert (tmp_path / "d.tex").exists()


def test_cli_bad_output_name_exits_2(tmp_path, capsys):
    assert main(["latex", "-o", str(tmp_path / "d.txt")]) == 2
    assert "must end in .tex" in capsys.readouterr().err
