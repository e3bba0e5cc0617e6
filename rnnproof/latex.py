"""LaTeX derivations: a standalone document that walks the blog's eqs. 2–15 for one network.

Each displayed step carries the blog's equation number and, beside it, the verifier's
verdict for the claims it rests on (with the counterexample where a step is refuted).
The explicit matrices are computed from :class:`derive.RNN` at the chosen size; the
verdicts come from the claim registries through :func:`rnnproof.report.run_report`.

>>> doc = Derivation(form="A", n=2, T=2, activation="generic")
>>> doc.n, doc.form, len(doc.claim_ids()) > 10
(2, 'A', True)
>>> claim = Claim("blog.eq12", "blog eq. 12", "J = W D", lambda o: None, "symbolic")
>>> result = Result(Verdict.PROVED, Method(MethodKind.EXACT, "expansion"),
...                 Scope(spans=(Span("n", 1, 2),)), "J - W D = 0")
>>> print(claim_latex(Row(claim, result, 0.0)))  # doctest: +ELLIPSIS
\\begin{verdictbox}{proved}\\texttt{blog.eq12} (blog eq. 12). J = W D\\\\
...
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import sympy as sp

from derive import RNN

from rnncore.catalogue import ORDER
from rnncore.errors import InvalidInputError
from rnncore.registry import Claim, Options  # noqa: F401  (Claim: used by the doctests)
from .printers import claim_box, verdict_table_row
from .report import Report, Row, run_report
from .texprint import tex_math, tex_text
from rnncore.validate import check_size
from rnncore.results import Method, MethodKind, Result, Scope, Span, Verdict  # noqa: F401  (doctests)

#: Largest sizes the document accepts (explicit matrices are printed up to n = 4, T = 3).
MAX_N, MAX_T = 6, 8
_SHOW_N = 3

_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2.2cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{xcolor}
\usepackage{longtable,booktabs}
\usepackage[hidelinks]{hyperref}
\allowdisplaybreaks
\setcounter{MaxMatrixCols}{20}
\definecolor{proved}{rgb}{0.0,0.45,0.15}
\definecolor{proved-from-lemmas}{rgb}{0.0,0.45,0.15}
\definecolor{proved-randomized}{rgb}{0.25,0.45,0.0}
\definecolor{error}{rgb}{0.6,0.0,0.6}
\definecolor{confirmed}{rgb}{0.05,0.35,0.6}
\definecolor{refuted}{rgb}{0.75,0.05,0.05}
\definecolor{undecided}{rgb}{0.45,0.45,0.45}
\newenvironment{verdictbox}[1]{\par\smallskip\noindent\begin{minipage}{\linewidth}\small
  \textcolor{#1}{\rule[-0.3ex]{2pt}{1.6ex}\ \textbf{#1}}\ }{\end{minipage}\par\smallskip}
\newcommand{\Wrec}{W_{\mathrm{rec}}}
\newcommand{\Win}{W_{\mathrm{in}}}
\newcommand{\diag}{\operatorname{diag}}
"""


def claim_latex(row: Row) -> str:
    r"""The LaTeX block of one claim's verdict: id, verdict, scope, evidence, and the
    counterexample of a refutation. (The Python API's per-claim LaTeX.)

    >>> from rnnproof.report import run_report
    >>> row = run_report(["blog.eq14.submult"], Options.quick_sizes()).rows[0]
    >>> block = claim_latex(row)
    >>> block.startswith(r"\begin{verdictbox}{refuted}"), "Counterexample:" in block
    (True, True)
    """
    return claim_box(row.claim, row.result)


@dataclass
class Derivation:
    """The derivation document for one network: ``form`` A or B, sizes, activation.

    State, then evaluate: :meth:`claim_ids` says which claims the document rests on;
    :meth:`render` runs them (or takes a finished :class:`Report`) and writes LaTeX.
    """

    form: str = "A"
    n: int = 2
    T: int = 3
    activation: str = "generic"
    m: int = 1
    _rnn: object = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        for name, value, hi in (("n", self.n, MAX_N), ("T", self.T, MAX_T)):
            check_size(name, value, hi, "the size of a readable derivation")
        if self.T < 2:
            raise InvalidInputError(f"T={self.T}: the derivation needs two steps; use T >= 2")
        self._rnn = RNN(self.n, self.m, self.T, self.activation, self.form)

    # -- what the document states ---------------------------------------------------
    def claim_ids(self) -> list[str]:
        """Every catalogue id, in catalogue order (the document ends with all verdicts)."""
        return list(ORDER)

    def options(self) -> Options:
        """The sizes the claims are checked at for this document."""
        return Options(n=self.n, m=self.m, T=self.T)

    # -- rendering --------------------------------------------------------------------
    def render(self, report: Report | None = None) -> str:
        """The whole LaTeX document (runs the claims unless ``report`` is given)."""
        report = report or run_report(None, self.options())
        def verdicts(*ids: str) -> str:
            """The blocks of the named claims, each followed by its added ids (an added id
            goes with the longest named id it extends, so it is shown once)."""
            out = []
            for row in report.rows:
                owners = [c for c in ids if row.id == c or row.id.startswith(c + ".")]
                if owners:
                    out.append((ids.index(max(owners, key=len)), claim_latex(row)))
            return "\n".join(block for _, block in sorted(out, key=lambda p: p[0]))

        # explicit matrices are shown with σ and σ' as symbols (a concrete activation's
        # formula is stated once below), so they stay readable at every activation
        net = self._rnn if self.activation == "generic" else RNN(
            self.n, self.m, self.T, "generic", self.form)
        body: list[str] = []
        add = body.append
        letter = "x" if self.form == "A" else "h"
        title = (f"The vanishing and exploding gradients derivation, verified: form {self.form}, "
                 f"$n={self.n}$, $T={self.T}$, activation {self.activation}")
        add(_PREAMBLE)
        add(rf"\title{{{title}}}")
        add(r"\author{generated by rnnproof}\date{}")
        add(r"\begin{document}\maketitle")
        add(r"\noindent This document follows the blog post ``The Vanishing and Exploding "
            r"Gradients Problem'' (2026-04-04) step by step, with its equation numbers, for the "
            r"network below. Beside each step stands the verdict of rnnproof: \textbf{proved} "
            r"(exact algebra, scope given), \textbf{confirmed} (every instance tried passed with "
            r"certified enclosures), \textbf{refuted} (with a counterexample), or "
            r"\textbf{undecided} (with the reason). Symbols: $\Wrec = (w_{i,j})$, "
            r"$\Win = (v_{i,j})$, $b = (b_i)$, $u_t = (u_{t,i})$; $\sigma'$ is the derivative "
            r"of $\sigma$, and $D_j = \diag(\sigma'(\cdot))$ at the argument $\sigma$ is "
            r"applied to.")
        meaning = {
            "generic": r"$\sigma$ is any differentiable function, $\sigma'$ its derivative.",
            "tanh": r"Here $\sigma = \tanh$ and $\sigma' = 1 - \tanh^2$.",
            "sigmoid": r"Here $\sigma(z) = 1/(1 + e^{-z})$ and $\sigma' = \sigma(1 - \sigma)$.",
            "relu": r"Here $\sigma(z) = \max(0, z)$ and $\sigma'(z) = H(z)$ with $H(0) = 0$ by "
                    r"convention (the derivative does not exist at the kink).",
        }[self.activation]
        add(r"\par\noindent " + meaning + r" The explicit matrices below write $\sigma$ and "
            r"$\sigma'$ as symbols.")

        # 1. the model
        add(r"\section{The model (eq.~2)}")
        Wr = net.W_rec
        if self.form == "A":
            add(r"\begin{equation}x_t = W\begin{bmatrix}\sigma(x_{t-1})\\ u_t\\ 1\end{bmatrix}"
                r" = \Wrec\,\sigma(x_{t-1}) + \Win u_t + b \tag{2}\end{equation}")
        else:
            add(r"Form B (the blog's NOTE, the paper's footnote 1):"
                r"\begin{equation}h_t = \sigma(\Wrec h_{t-1} + \Win u_t + b) = \sigma(a_t)"
                r"\tag{2B}\end{equation}")
        add(r"with, at this size,")
        add(r"\[ W = [\,\Wrec\;\; \Win\;\; b\,] = " + tex_math(net.W) + r". \]")
        if self.n <= _SHOW_N:
            add(rf"One step from ${letter}_0$:")
            add(r"\[ " + letter + r"_1 = " + tex_math(net.state(1)) + r". \]")
        add(verdicts("blog.eq2", "paper.eq2.footnote"))

        # 2. the loss and its gradient
        add(r"\section{The loss and the total derivative (eqs.~3--5)}")
        add(r"\begin{equation}\mathcal{E} = \sum_{t=1}^{T} \mathcal{E}_t = \sum_t "
            r"\mathcal{L}(x_t)\tag{3}\end{equation}")
        add(r"\begin{equation}\frac{\partial\mathcal{E}}{\partial\theta} = \sum_t "
            r"\frac{\partial\mathcal{E}_t}{\partial\theta}\tag{4}\end{equation}")
        add(verdicts("blog.eq4"))
        add(r"\begin{equation}\frac{\partial\mathcal{E}_t}{\partial\theta} = "
            r"\frac{\partial\mathcal{E}_t}{\partial x_t}\frac{\partial x_t}{\partial\theta}"
            r"\tag{5}\end{equation}")
        add(verdicts("blog.eq5"))

        # 3. the recursion
        add(r"\section{The recursion and its expansion (eqs.~7--9)}")
        add(r"\begin{equation}\frac{\partial x_t}{\partial\theta} = \frac{\partial^+ x_t}"
            r"{\partial\theta} + \frac{\partial x_t}{\partial x_{t-1}}\frac{\partial x_{t-1}}"
            r"{\partial\theta}\tag{7}\end{equation}")
        add(verdicts("blog.eq7"))
        add(r"Substituting (7) into itself gives the expansion (8.1)/(8.2):")
        add(verdicts("blog.eq8"))
        add(r"\begin{equation}\frac{\partial\mathcal{E}_t}{\partial\theta} = \sum_{k=1}^{t}"
            r"\frac{\partial\mathcal{E}_t}{\partial x_t}\Bigl(\prod_{j=k+1}^{t}\frac{\partial x_j}"
            r"{\partial x_{j-1}}\Bigr)\frac{\partial^+ x_k}{\partial\theta}\tag{9}\end{equation}")
        add(verdicts("blog.eq9"))

        # 4. products of Jacobians
        add(r"\section{Products of Jacobians (eqs.~10--11)}")
        add(r"\begin{equation}\frac{\partial x_t}{\partial x_k} = \prod_{j=k+1}^{t}"
            r"\frac{\partial x_j}{\partial x_{j-1}} = J_t J_{t-1}\cdots J_{k+1}\tag{10}"
            r"\end{equation}")
        add(verdicts("blog.eq10", "blog.eq10.order"))
        add(r"\begin{equation}\frac{\partial\mathcal{E}_t}{\partial\theta} = \sum_{k=1}^{t}"
            r"\frac{\partial\mathcal{E}_t}{\partial x_t}\frac{\partial x_t}{\partial x_k}"
            r"\frac{\partial^+ x_k}{\partial\theta}\tag{11}\end{equation}")
        add(verdicts("blog.eq11", "paper.eq4", "paper.eq4.row"))

        # 5. the one-step Jacobian, explicitly
        add(r"\section{The one-step Jacobian (eq.~12), explicitly}")
        one = net.with_base(0)
        direct = one.state(1).jacobian(one.state_symbols(0))
        if self.form == "A":
            closed = Wr * net.D(0)
            add(r"Differentiating $x_1$ entry by entry (numerator layout, "
                r"$(\partial y/\partial x)_{ij} = \partial y_i/\partial x_j$):")
            if self.n <= _SHOW_N:
                add(r"\[ \frac{\partial x_1}{\partial x_0} = " + tex_math(direct) + r" \]")
                add(r"\begin{equation} = \Wrec\,\diag(\sigma'(x_0)) = " + tex_math(Wr) + tex_math(net.D(0))
                    + r"\tag{12}\end{equation}")
            else:
                add(r"\begin{equation}\frac{\partial x_j}{\partial x_{j-1}} = \Wrec\,"
                    r"\diag(\sigma'(x_{j-1}))\tag{12}\end{equation}")
            add(verdicts("blog.eq12"))
            paper = Wr.T * net.D(0)
            diff = (paper - closed).applyfunc(lambda e: sp.factor(sp.expand(e)))
            add(r"The paper's factor $\Wrec^{T}\diag(\sigma'(x_0))$ differs from it: entry "
                r"$(i, j)$ of the difference is $(w_{j,i} - w_{i,j})\,\sigma'(x_{0,j})$,")
            if self.n <= _SHOW_N:
                add(r"\[ \Wrec^{T}\diag(\sigma'(x_0)) - \Wrec\diag(\sigma'(x_0)) = "
                    + tex_math(diff) + r", \]")
            add(r"which vanishes for all $\sigma'$ values only when $\Wrec$ is symmetric:")
            add(verdicts("blog.note.numerator", "blog.note.any-layout", "paper.eq5",
                         "paper.eq5.diagnosis"))
        else:
            closed = net.D(1) * Wr
            add(r"For form B, with $a_1 = \Wrec h_0 + \Win u_1 + b$, entry by entry:")
            if self.n <= _SHOW_N:
                a1 = one.sigma_argument(1)
                names = {a1[i]: sp.Symbol(f"a_{{1,{i + 1}}}") for i in range(self.n)}
                shown = direct.xreplace(names)
                if shown.has(*one.state_symbols(0)):  # not syntactically equal: let SymPy match
                    shown = direct.subs(names)
                add(r"\[ \frac{\partial h_1}{\partial h_0} = " + tex_math(shown) + r" \]")
            add(r"\begin{equation}\frac{\partial h_j}{\partial h_{j-1}} = \diag(\sigma'(a_j))"
                r"\,\Wrec\tag{12B}\end{equation}")
            add(verdicts("blog.formB", "blog.eq12"))
            add(verdicts("blog.note.numerator", "blog.note.any-layout", "paper.eq5",
                         "paper.eq5.diagnosis"))

        # 6. the product
        add(r"\section{The product (eq.~13)}")
        if self.form == "A":
            add(r"\begin{equation}\frac{\partial x_t}{\partial x_k} = \prod_{j=k+1}^{t}"
                r"\Wrec\,\diag(\sigma'(x_{j-1}))\tag{13}\end{equation}")
            add(r"For example $\frac{\partial x_2}{\partial x_0} = \Wrec\diag(\sigma'(x_1))\,"
                r"\Wrec\diag(\sigma'(x_0))$, the factor of largest index leftmost.")
        else:
            add(r"\begin{equation}\frac{\partial h_t}{\partial h_k} = \prod_{j=k+1}^{t}"
                r"\diag(\sigma'(a_j))\,\Wrec\tag{13B}\end{equation}")
        add(verdicts("blog.eq13", "blog.formB") if self.form == "A" else verdicts("blog.eq13"))

        # 7. linear algebra
        add(r"\section{Linear algebra precursor}")
        add(r"\[ \sigma_{\max}(A) = \sqrt{\lambda_{\max}(A^*A)},\qquad \|A\|_2 = \sigma_{\max}(A)"
            r" = \sqrt{\rho(A^*A)},\qquad \rho(A) = \max_i|\lambda_i|. \]")
        add(verdicts("blog.la.sigma-max", "blog.la.spectral-norm", "blog.la.psd",
                     "blog.la.radius-vs-norm"))

        # 8. vanishing
        add(r"\section{Vanishing gradients (eqs.~14--15)}")
        add(r"With $\|\diag(\sigma'(x_{j-1}))\|_2 < \gamma$ and $\sigma_{\max}(\Wrec) < 1/\gamma$:")
        add(r"\begin{equation}\Bigl\|\frac{\partial x_j}{\partial x_{j-1}}\Bigr\|_2 = "
            r"\|\Wrec\diag(\sigma'(x_{j-1}))\|_2 < \|\Wrec\|_2\|\diag(\sigma'(x_{j-1}))\|_2 "
            r"< \tfrac{1}{\gamma}\gamma = 1\tag{14}\end{equation}")
        add(verdicts("blog.eq14.submult", "blog.eq14.step", "blog.eq14.eta", "paper.gamma",
                     "paper.eq6"))
        add(r"\begin{equation}\Bigl\|\frac{\partial\mathcal{E}_t}{\partial\theta}\Bigr\|_2 \le "
            r"\sum_{k=1}^{t}\Bigl\|\frac{\partial\mathcal{E}_t}{\partial x_t}\frac{\partial^+ x_k}"
            r"{\partial\theta}\Bigr\|_2\prod_{j=k+1}^{t}\Bigl\|\frac{\partial x_j}{\partial x_{j-1}}"
            r"\Bigr\|_2 \le \sum_{k=1}^{t}\Bigl\|\frac{\partial\mathcal{E}_t}{\partial x_t}"
            r"\frac{\partial^+ x_k}{\partial\theta}\Bigr\|_2\,\eta^{t-k}\tag{15}\end{equation}")
        add(verdicts("blog.eq15.grouping", "blog.eq15.bound", "paper.eq7", "blog.vanishing",
                     "paper.linear.vanishing", "paper.arxiv.eigenvalue"))

        # 9. exploding
        add(r"\section{Exploding gradients}")
        add(verdicts("blog.exploding", "paper.exploding", "paper.linear.exploding",
                     "paper.linear.exploding.exponential"))
        add(r"\section{The blog's note on the paper's transpose}")
        add(verdicts("blog.note.harmless"))

        # 10. summary
        add(r"\section{All verdicts}")
        add(r"\begin{longtable}{@{}p{0.36\linewidth}p{0.14\linewidth}p{0.44\linewidth}@{}}")
        add(r"\toprule claim & verdict & scope\\\midrule\endhead")
        for row in report.rows:
            add(verdict_table_row(row.id, row.result))
        add(r"\bottomrule\end{longtable}")
        add(r"\end{document}")
        return "\n".join(body) + "\n"


def write_latex(path: Path | str, derivation: Derivation, report: Report | None = None) -> Path:
    """Write the document to ``path`` (a ``.tex`` file) and return the path.

    >>> write_latex("out.pdf", Derivation())
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: output file 'out.pdf' must end in .tex
    """
    path = Path(path)
    if path.suffix != ".tex":
        raise InvalidInputError(f"output file {str(path)!r} must end in .tex")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(derivation.render(report), encoding="utf-8")
    return path


class TexEngineMissing(InvalidInputError):
    """No TeX engine on PATH (install texlive-latex-base and texlive-latex-recommended)."""


def tex_engine() -> str | None:
    """The first TeX engine found on PATH (pdflatex, lualatex, xelatex), or None.

    >>> tex_engine() in (None, "pdflatex", "lualatex", "xelatex")
    True
    """
    for name in ("pdflatex", "lualatex", "xelatex"):
        if shutil.which(name):
            return name
    return None


def compile_pdf(tex_path: Path | str, *, timeout: float = 180.0) -> Path:
    r"""Compile ``tex_path`` with the TeX engine on PATH (twice, for references); return
    the PDF path. Raises :class:`TexEngineMissing` when none is installed, and
    ``RuntimeError`` naming the first LaTeX error or undefined reference in the log.

    >>> import os, tempfile
    >>> doc = os.path.join(tempfile.mkdtemp(), "d.tex")
    >>> _ = open(doc, "w").write(r"\documentclass{article}\begin{document}x\end{document}")
    >>> tex_engine() is None or compile_pdf(doc).suffix == ".pdf"
    True
    """
    tex_path = Path(tex_path).resolve()
    engine = tex_engine()
    if engine is None:
        raise TexEngineMissing(
            "no TeX engine (pdflatex, lualatex or xelatex) on PATH; the .tex file was written. "
            "Install one, e.g. apt-get install texlive-latex-base texlive-latex-recommended"
        )
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(2):
            proc = subprocess.run(
                [engine, "-interaction=nonstopmode", "-halt-on-error",
                 f"-output-directory={tmp}", str(tex_path)],
                capture_output=True, text=True, timeout=timeout, cwd=tmp,
            )
        log = (Path(tmp) / (tex_path.stem + ".log")).read_text(errors="replace")
        problems = log_problems(log)
        if proc.returncode != 0 or problems:
            raise RuntimeError(
                f"{engine} failed on {tex_path.name}: " + ("; ".join(problems) or proc.stdout[-500:])
            )
        pdf = tex_path.with_suffix(".pdf")
        shutil.copy(Path(tmp) / (tex_path.stem + ".pdf"), pdf)
    return pdf


def log_problems(log: str) -> list[str]:
    """Errors and undefined references found in a LaTeX log.

    >>> log_problems("! Undefined control sequence.\\nLaTeX Warning: Reference `x' undefined")
    ['! Undefined control sequence.', "LaTeX Warning: Reference `x' undefined"]
    """
    out = []
    for line in log.splitlines():
        if line.startswith("! ") or "undefined references" in line or (
            "LaTeX Warning: Reference" in line and "undefined" in line
        ) or ("LaTeX Warning: Citation" in line and "undefined" in line):
            out.append(line.strip())
    return out


__all__ = ["Derivation", "claim_latex", "write_latex", "compile_pdf", "tex_engine",
           "log_problems", "TexEngineMissing"]
