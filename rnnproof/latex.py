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
>>> print(claim_latex(Row(claim, result, 0.0)).splitlines()[0])
\\begin{verdictbox}{proved}{\\claimid{blog.\\allowbreak{}eq12}}{blog eq. 12}
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import sympy as sp

from derive import RNN, eq12_generic_proof, eq13_induction_proof

from rnncore.catalogue import ORDER
from rnncore.errors import InvalidInputError
from rnncore.registry import Claim, Options  # noqa: F401  (Claim: used by the doctests)
from .printers import claim_box, verdict_table_row
from .printers.latex import PREAMBLE, proof_tex
from .printers.mathtext import text_latex
from .report import Report, Row, run_report
from .texprint import tex_math
from rnncore.validate import check_size
from rnncore.results import Label, Method, MethodKind, Result, Scope, Span, Verdict  # noqa: F401  (doctests)

#: Largest sizes the document accepts (explicit matrices are printed up to n = 4, T = 3).
MAX_N, MAX_T = 6, 8
_SHOW_N = 3

_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2.2cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{xcolor,graphicx}
\usepackage{longtable,booktabs,array}
\usepackage[hidelinks]{hyperref}
\allowdisplaybreaks
\setcounter{MaxMatrixCols}{20}
\emergencystretch=3em
\newcommand{\Wrec}{W_{\mathrm{rec}}}
\newcommand{\Win}{W_{\mathrm{in}}}
\newcommand{\diag}{\operatorname{diag}}
\newcommand{\E}{\mathcal{E}}
% a formula wider than the line is scaled down to fit (explicit matrices at large n)
\newsavebox{\fitbox}
\newcommand{\fitmath}[1]{\sbox{\fitbox}{$\displaystyle #1$}%
  \ifdim\wd\fitbox>\dimexpr\linewidth-4em\relax
    \resizebox{\dimexpr\linewidth-4em\relax}{!}{\usebox{\fitbox}}%
  \else\usebox{\fitbox}\fi}
"""

#: The displayed steps that show an induction or index proof from the engine when the
#: claim's result does not carry it (claim id, proof factory).
_PROOF_OF = {"blog.eq12": eq12_generic_proof, "blog.eq13": eq13_induction_proof}


def claim_latex(row: Row, note: str = "") -> str:
    r"""The LaTeX block of one claim's verdict: id, label, statement, reading, scope, evidence,
    the counterexample of a refutation, and the proofs it carries. (The Python API's
    per-claim LaTeX.)

    >>> from rnnproof.report import run_report
    >>> row = run_report(["blog.eq14.submult"], Options.quick_sizes()).rows[0]
    >>> block = claim_latex(row)
    >>> block.startswith(r"\begin{verdictbox}{refuted}"), "Counterexample:" in block
    (True, True)
    """
    return claim_box(row.claim, row.result, note=note)


def _frac(a: str, b: str) -> str:
    return rf"\frac{{\partial {a}}}{{\partial {b}}}"


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
    def render(self, report: Report | None = None,
               progress: Callable[[int, int, str], None] | None = None) -> str:
        """The whole LaTeX document (runs the claims unless ``report`` is given;
        ``progress(i, total, claim_id)`` is called before each claim runs)."""
        report = report or run_report(None, self.options(), progress=progress)
        form = self.form
        placed: set[str] = set()

        def forms_note(row: Row) -> str:
            forms = row.result.scope.forms
            if forms and form not in forms:
                return (rf"\emph{{This verdict is for form {', '.join(forms)}; this document "
                        rf"is form {form}.}}")
            return ""

        def verdicts(*ids: str) -> str:
            """The blocks of the named claims, each followed by its added ids (an added id
            goes with the longest named id it extends, so it is shown once)."""
            out = []
            for row in report.rows:
                if row.id in placed:
                    continue
                owners = [c for c in ids if row.id == c or row.id.startswith(c + ".")]
                if owners:
                    placed.add(row.id)
                    out.append((ids.index(max(owners, key=len)), claim_latex(row, forms_note(row))))
            return "\n".join(block for _, block in sorted(out, key=lambda p: p[0]))

        def engine_proof(claim_id: str) -> str:
            """The engine's index or induction proof of a step, checked, when the claim's
            result does not carry it already."""
            row = next((r for r in report.rows if r.id == claim_id), None)
            if row is not None and row.result.proofs:
                return ""
            proof = _PROOF_OF[claim_id](form)
            proof.check()
            return (r"\par\noindent\textbf{The proof for every size, step by step.}" + "\n"
                    + r"\begin{proofsteps}" + "\n" + proof_tex(proof) + "\n" + r"\end{proofsteps}")

        # explicit matrices are shown with σ and σ' as symbols (a concrete activation's
        # formula is stated once below), so they stay readable at every activation
        net = self._rnn if self.activation == "generic" else RNN(
            self.n, self.m, self.T, "generic", form)
        body: list[str] = []
        add = body.append
        x = "x" if form == "A" else "h"
        B = "" if form == "A" else "B"
        title = (f"The vanishing and exploding gradients derivation, verified: form {form}, "
                 f"$n={self.n}$, $T={self.T}$, activation {self.activation}")
        add(_PREAMBLE + PREAMBLE)
        add(rf"\title{{{title}}}")
        add(r"\author{generated by rnnproof}\date{}")
        add(r"\begin{document}\maketitle")
        add(r"\noindent This document follows the blog post ``The Vanishing and Exploding "
            r"Gradients Problem'' (2026-04-04) step by step, with its equation numbers, for the "
            r"network below. Each equation is first shown as the blog writes it; then the "
            r"reading that is checked; then the verdict of rnnproof with its label:")
        add(r"\begin{itemize}\setlength\itemsep{0pt}\small")
        for lab in Label:
            add(rf"\item \textcolor{{{lab.value}}}{{\textbf{{{lab.value}}}}}: "
                rf"{text_latex(lab.meaning)}.")
        add(r"\end{itemize}")
        add(r"\noindent A reading marked \emph{(not the author's reading)} is one the text "
            r"admits but its author does not hold; its verdict says nothing against the author. "
            r"Symbols: $\Wrec = (w_{i,j})$, $\Win = (v_{i,j})$, $b = (b_i)$, $u_t = (u_{t,i})$; "
            r"$\sigma'$ is the derivative of $\sigma$. Indices of symbols count from 1 "
            r"($w_{1,1}$); the matrix entry $(i, j)$ of a counterexample counts from 0, as in "
            r"the verifier's other reports.")
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
        if form == "A":
            add(r"\begin{equation}x_t = W\begin{bmatrix}\sigma(x_{t-1})\\ u_t\\ 1\end{bmatrix}"
                r" = \Wrec\,\sigma(x_{t-1}) + \Win u_t + b \tag{2}\end{equation}")
        else:
            add(r"Form B (the blog's NOTE, the paper's footnote 1):"
                r"\begin{equation}h_t = \sigma\Bigl(W\begin{bmatrix}h_{t-1}\\ u_t\\ 1"
                r"\end{bmatrix}\Bigr) = \sigma(\Wrec h_{t-1} + \Win u_t + b) = \sigma(a_t)"
                r"\tag{2B}\end{equation}")
        add(r"with, at this size,")
        add(r"\begin{center}\fitmath{W = [\,\Wrec\;\; \Win\;\; b\,] = " + tex_math(net.W)
            + r"}\end{center}")
        if self.n <= _SHOW_N:
            add(rf"One step from ${x}_0$:")
            add(r"\begin{center}\fitmath{" + x + r"_1 = " + tex_math(net.state(1))
                + r"}\end{center}")
        add(verdicts("blog.eq2", "paper.eq2.footnote"))

        # 2. the loss and its gradient
        add(r"\section{The loss and the total derivative (eqs.~3--5)}")
        add(r"\begin{equation}\E = \sum_t \E_t = \sum_t \mathcal{L}(" + x + r"_t)\tag{3}"
            r"\end{equation}")
        add(r"\begin{equation}\frac{\partial\E}{\partial\theta} = \sum_t "
            r"\frac{\partial\E_t}{\partial\theta}\tag{4}\end{equation}")
        add(verdicts("blog.eq4"))
        add(r"\begin{equation}\frac{\partial\E_t}{\partial\theta} = "
            r"\frac{\partial\E_t}{\partial " + x + r"_t}\frac{\partial " + x + r"_t}"
            r"{\partial\theta}\tag{5}\end{equation}")
        add(verdicts("blog.eq5"))

        # 3. the recursion, as the blog writes it, then the reading checked
        add(r"\section{The recursion and its expansion (eqs.~6--9)}")
        add(r"The blog introduces an auxiliary function $g(W) = W$ and writes")
        add(r"\begin{equation}x_t = g(W)\begin{bmatrix}\sigma(x_{t-1}(W))\\ u_t\\ 1"
            r"\end{bmatrix}\tag{6}\end{equation}")
        add(r"so that, with $\partial g/\partial\theta = 1$,")
        add(r"\begin{equation}\frac{\partial x_t}{\partial\theta} = \frac{\partial x_t}"
            r"{\partial g} + \frac{\partial x_t}{\partial x_{t-1}}\frac{\partial x_{t-1}}"
            r"{\partial\theta}\tag{7}\end{equation}")
        add(r"\paragraph{The reading checked.} The blog's $\partial x_t/\partial g$ is the "
            r"immediate partial derivative $\partial^+ x_t/\partial\theta$, taken with "
            r"$x_{t-1}$ held constant (the paper's notation):")
        add(r"\[ \frac{\partial " + x + r"_t}{\partial\theta} = \frac{\partial^+ " + x
            + r"_t}{\partial\theta} + \frac{\partial " + x + r"_t}{\partial " + x
            + r"_{t-1}}\frac{\partial " + x + r"_{t-1}}{\partial\theta}. \]")
        add(r"Read instead as the total derivative $\partial x_t/\partial\theta$, the equation "
            r"would state $\partial x_t/\partial\theta = \partial x_t/\partial\theta + \dots$; "
            r"that reading is ruled on as well.")
        add(verdicts("blog.eq7"))
        add(r"Substituting (7) into eq.~5, the blog expands:")
        d = lambda a, b: _frac(a, b)  # noqa: E731
        Et = r"\frac{\partial\E_t}{\partial x_t}"
        add(r"\begin{align}\frac{\partial\E_t}{\partial\theta} &= " + Et + d("x_t", r"\theta")
            + r"= " + Et + r"\Bigl[" + d("x_t", "g") + " + " + d("x_t", "x_{t-1}")
            + d("x_{t-1}", r"\theta") + r"\Bigr]\notag\\ &= " + Et + d("x_t", "g") + " + " + Et
            + d("x_t", "x_{t-1}") + d("x_{t-1}", r"\theta") + r"\tag{8.1}\end{align}")
        add(r"and, substituting (7) again for $\partial x_{t-1}/\partial\theta$, "
            r"$\partial x_{t-2}/\partial\theta$, \dots:")
        add(r"\begin{align}\frac{\partial\E_t}{\partial\theta} &= " + Et + d("x_t", "g")
            + " + " + Et + d("x_t", "x_{t-1}") + d("x_{t-1}", r"\theta") + r"\notag\\"
            r"&= " + Et + d("x_t", "g") + " + " + Et + d("x_t", "x_{t-1}") + d("x_{t-1}", "g")
            + r"\notag\\&\quad + " + Et + d("x_t", "x_{t-1}") + d("x_{t-1}", "x_{t-2}")
            + d("x_{t-2}", r"\theta") + r"\notag\\"
            r"&= " + Et + d("x_t", "g") + " + " + Et + d("x_t", "x_{t-1}") + d("x_{t-1}", "g")
            + " + " + Et + d("x_t", "x_{t-1}") + d("x_{t-1}", "x_{t-2}") + d("x_{t-2}", "g")
            + r"\notag\\&\quad + " + Et + d("x_t", "x_{t-1}") + d("x_{t-1}", "x_{t-2}")
            + d("x_{t-2}", "x_{t-3}") + d("x_{t-3}", r"\theta") + r"\notag\\"
            r"&= \dots\tag{8.2}\end{align}")
        add(r"The reading checked: every $\partial x_k/\partial g$ is $\partial^+x_k/\partial"
            r"\theta$, and the expansion holds at every depth.")
        add(verdicts("blog.eq8"))
        add(r"\begin{equation}\frac{\partial\E_t}{\partial\theta} = \sum_{k=1}^{t}\Bigl["
            r"\frac{\partial\E_t}{\partial x_t}\prod_{j=k+1}^{t}\Bigl[\frac{\partial x_j}"
            r"{\partial x_{j-1}}\Bigr]\frac{\partial x_k}{\partial g}\Bigr]\tag{9}\end{equation}")
        add(r"The reading checked ($\partial x_k/\partial g = \partial^+x_k/\partial\theta$, the "
            r"factor of largest index leftmost):")
        add(r"\[ \frac{\partial\E_t}{\partial\theta} = \sum_{k=1}^{t}"
            r"\frac{\partial\E_t}{\partial " + x + r"_t}\Bigl(\prod_{j=k+1}^{t}\frac{\partial "
            + x + r"_j}{\partial " + x + r"_{j-1}}\Bigr)\frac{\partial^+ " + x
            + r"_k}{\partial\theta}. \]")
        add(verdicts("blog.eq9"))

        # 4. products of Jacobians
        add(r"\section{Products of Jacobians (eqs.~10--11)}")
        add(r"\begin{equation}\frac{\partial " + x + r"_t}{\partial " + x + r"_k} = "
            r"\prod_{j=k+1}^{t}\frac{\partial " + x + r"_j}{\partial " + x + r"_{j-1}} = "
            r"J_t J_{t-1}\cdots J_{k+1}\tag{10}\end{equation}")
        add(verdicts("blog.eq10", "blog.eq10.order"))
        add(r"\begin{equation}\frac{\partial\E_t}{\partial\theta} = \sum_{k=1}^{t}\Bigl["
            r"\frac{\partial\E_t}{\partial x_t}\frac{\partial x_t}{\partial x_k}"
            r"\frac{\partial x_k}{\partial g}\Bigr]\tag{11}\end{equation}")
        add(r"The reading checked: $\partial x_k/\partial g = \partial^+x_k/\partial\theta$ and "
            r"$\partial x_t/\partial x_k$ the multi-step Jacobian (the paper's eq.~4).")
        add(verdicts("blog.eq11", "paper.eq4", "paper.eq4.row"))

        # 5. the one-step Jacobian, explicitly
        add(r"\section{The one-step Jacobian (eq.~12), explicitly}")
        one = net.with_base(0)
        direct = one.state(1).jacobian(one.state_symbols(0))
        if form == "A":
            closed = Wr * net.D(0)
            add(r"Differentiating $x_1$ entry by entry (numerator layout, "
                r"$(\partial y/\partial x)_{ij} = \partial y_i/\partial x_j$):")
            if self.n <= _SHOW_N:
                add(r"\begin{center}\fitmath{\frac{\partial x_1}{\partial x_0} = "
                    + tex_math(direct) + r"}\end{center}")
                add(r"\begin{equation}\fitmath{ = \Wrec\,\diag(\sigma'(x_0)) = " + tex_math(Wr)
                    + tex_math(net.D(0)) + r"}\tag{12}\end{equation}")
            else:
                add(r"\begin{equation}\frac{\partial x_j}{\partial x_{j-1}} = \Wrec\,"
                    r"\diag(\sigma'(x_{j-1}))\tag{12}\end{equation}")
            add(verdicts("blog.eq12"))
            add(engine_proof("blog.eq12"))
            paper = Wr.T * net.D(0)
            diff = (paper - closed).applyfunc(lambda e: sp.factor(sp.expand(e)))
            add(r"\noindent The paper's factor $\Wrec^{T}\diag(\sigma'(x_0))$ differs from it: entry "
                r"$(i, j)$ of the difference is $(w_{j,i} - w_{i,j})\,\sigma'(x_{0,j})$,")
            if self.n <= _SHOW_N:
                add(r"\begin{center}\fitmath{\Wrec^{T}\diag(\sigma'(x_0)) - \Wrec\diag(\sigma'(x_0)) = "
                    + tex_math(diff) + r",}\end{center}")
            add(r"which vanishes for all $\sigma'$ values only when $\Wrec$ is symmetric:")
            add(verdicts("blog.note.numerator", "blog.note.any-layout", "paper.eq5",
                         "paper.eq5.diagnosis"))
        else:
            add(r"For form B, with $a_1 = \Wrec h_0 + \Win u_1 + b$, entry by entry:")
            if self.n <= _SHOW_N:
                a1 = one.sigma_argument(1)
                names = {a1[i]: sp.Symbol(f"a_{{1,{i + 1}}}") for i in range(self.n)}
                shown = direct.xreplace(names)
                if shown.has(*one.state_symbols(0)):  # not syntactically equal: let SymPy match
                    shown = direct.subs(names)
                add(r"\begin{center}\fitmath{\frac{\partial h_1}{\partial h_0} = "
                    + tex_math(shown) + r"}\end{center}")
            add(r"\begin{equation}\frac{\partial h_j}{\partial h_{j-1}} = \diag(\sigma'(a_j))"
                r"\,\Wrec\tag{12B}\end{equation}")
            add(verdicts("blog.formB"))
            add(engine_proof("blog.eq12"))
            add(r"\noindent Eq.~12 as the blog writes it is the form-A Jacobian:")
            add(verdicts("blog.eq12"))
            add(verdicts("blog.note.numerator", "blog.note.any-layout", "paper.eq5",
                         "paper.eq5.diagnosis"))

        # 6. the product
        add(r"\section{The product (eq.~13)}")
        if form == "A":
            add(r"\begin{equation}\frac{\partial x_t}{\partial x_k} = \prod_{j=k+1}^{t}"
                r"\Wrec\,\diag(\sigma'(x_{j-1}))\tag{13}\end{equation}")
            add(r"For example $\frac{\partial x_2}{\partial x_0} = \Wrec\diag(\sigma'(x_1))\,"
                r"\Wrec\diag(\sigma'(x_0))$, the factor of largest index leftmost.")
            add(verdicts("blog.eq13"))
            add(engine_proof("blog.eq13"))
            add(verdicts("blog.formB"))
        else:
            add(r"\begin{equation}\frac{\partial h_t}{\partial h_k} = \prod_{j=k+1}^{t}"
                r"\diag(\sigma'(a_j))\,\Wrec\tag{13B}\end{equation}")
            add(r"Form B's product is ruled on with its one-step Jacobian above (claim "
                r"\claimid{blog.\allowbreak{}formB}).")
            add(engine_proof("blog.eq13"))
            add(r"\noindent Eq.~13 as the blog writes it (form A):")
            add(verdicts("blog.eq13"))

        # 7. linear algebra
        add(r"\section{Linear algebra precursor}")
        add(r"\[ \sigma_{\max}(A) = \sqrt{\lambda_{\max}(A^*A)},\qquad \|A\|_2 = \sigma_{\max}(A)"
            r" = \sqrt{\rho(A^*A)},\qquad \rho(A) = \max_i|\lambda_i|. \]")
        add(verdicts("blog.la.sigma-max", "blog.la.spectral-norm", "blog.la.psd",
                     "blog.la.radius-vs-norm"))

        # 8. vanishing
        add(r"\section{Vanishing gradients (eqs.~14--15)}")
        add(r"With $\|\diag(\sigma'(x_{j-1}))\|_2 < \gamma$ and $\sigma_{\max}(\Wrec) < 1/\gamma$:")
        add(r"\begin{equation}\begin{split}\Bigl\|\frac{\partial x_j}{\partial x_{j-1}}\Bigr\|_2"
            r" &= \|\Wrec\diag(\sigma'(x_{j-1}))\|_2\\ &< \|\Wrec\|_2\,"
            r"\|\diag(\sigma'(x_{j-1}))\|_2 < \tfrac{1}{\gamma}\gamma = 1\end{split}\tag{14}"
            r"\end{equation}")
        add(verdicts("blog.eq14.submult", "blog.eq14.step", "blog.eq14.eta", "paper.gamma",
                     "paper.eq6"))
        add(r"\begin{equation}\begin{split}\Bigl\|\frac{\partial\E_t}{\partial\theta}\Bigr\|_2 "
            r"&\le \sum_{k=1}^{t}\Bigl\|\frac{\partial\E_t}{\partial x_t}\frac{\partial^+ x_k}"
            r"{\partial\theta}\Bigr\|_2\prod_{j=k+1}^{t}\Bigl\|\frac{\partial x_j}{\partial "
            r"x_{j-1}}\Bigr\|_2\\ &\le \sum_{k=1}^{t}\Bigl\|\frac{\partial\E_t}{\partial x_t}"
            r"\frac{\partial^+ x_k}{\partial\theta}\Bigr\|_2\,\eta^{t-k}\end{split}\tag{15}"
            r"\end{equation}")
        add(verdicts("blog.eq15.grouping", "blog.eq15.bound", "paper.eq7", "blog.vanishing",
                     "paper.linear.vanishing", "paper.arxiv.eigenvalue"))

        # 9. exploding
        add(r"\section{Exploding gradients}")
        add(r"The blog: when $\sigma_{\max}(\Wrec) > 1/\gamma$ with "
            r"$\|\diag(\sigma'(x_{j-1}))\|_2 > \gamma$, long-term components will then be able "
            r"to explode; the paper: $\lambda_1 > 1/\gamma$ is necessary for exploding "
            r"gradients, and in the linear case $\rho(\Wrec) > 1$.")
        add(verdicts("blog.exploding", "paper.exploding", "paper.linear.exploding",
                     "paper.linear.exploding.exponential"))
        add(r"\section{The blog's note on the paper's transpose}")
        add(verdicts("blog.note.harmless"))

        # 10. every other registered claim
        rest = [row for row in report.rows if row.id not in placed]
        if rest:
            add(r"\section{Further claims}")
            add(r"Claims registered with the verifier that no step above rests on:")
            add("\n".join(claim_latex(row, forms_note(row)) for row in rest))

        # 11. summary
        add(r"\section{All verdicts}")
        add(r"{\small\begin{longtable}{@{}>{\raggedright}p{0.38\linewidth}"
            r">{\raggedright}p{0.2\linewidth}>{\raggedright\arraybackslash}p{0.34\linewidth}@{}}")
        add(r"\toprule claim & verdict & scope\\\midrule\endhead")
        for row in report.rows:
            add(verdict_table_row(row.id, row.result))
        add(r"\bottomrule\end{longtable}}")
        add(r"\end{document}")
        return "\n".join(b for b in body if b) + "\n"


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
    the PDF path. The engine's log is written beside it (``.log``), whatever the outcome. Raises :class:`TexEngineMissing` when none is installed, and
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
            if proc.returncode != 0:
                break
        log_file = Path(tmp) / (tex_path.stem + ".log")
        log = log_file.read_text(errors="replace") if log_file.exists() else proc.stdout
        # the log is kept beside the document, also (above all) when the build fails
        tex_path.with_suffix(".log").write_text(log, encoding="utf-8")
        problems = log_problems(log)
        if proc.returncode != 0 or problems:
            raise RuntimeError(
                f"{engine} failed on {tex_path.name}: " + ("; ".join(problems) or proc.stdout[-500:])
            )
        pdf = tex_path.with_suffix(".pdf")
        shutil.copy(Path(tmp) / (tex_path.stem + ".pdf"), pdf)
    return pdf


def overfull_boxes(log: str) -> list[str]:
    r"""The overfull-box warnings of a LaTeX log (a line running into the margin).

    >>> overfull_boxes("Overfull \\hbox (12.5pt too wide) in paragraph at lines 3--4\nok")
    ['Overfull \\hbox (12.5pt too wide) in paragraph at lines 3--4']
    """
    return [line.strip() for line in log.splitlines() if line.startswith("Overfull")]


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
           "log_problems", "overfull_boxes", "TexEngineMissing"]
