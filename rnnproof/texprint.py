"""LaTeX rendering helpers: SymPy expressions with the blog's notation, and safe text.

``tex_math`` prints SymPy objects with σ, σ' and step as the blog writes them;
``tex_text`` escapes arbitrary text (claim statements, counterexamples) for LaTeX,
turning the Unicode mathematics of the catalogue into LaTeX commands, so a pdflatex
engine with no Unicode set-up compiles it.

>>> import sympy as sp
>>> from derive.activations import dsigma
>>> tex_math(dsigma(sp.Symbol("x_{0,1}")))
"\\\\sigma'\\\\left(x_{0,1}\\\\right)"
>>> tex_text("‖A‖₂ ≤ σ_max & 50%")
'\\\\ensuremath{\\\\|}A\\\\ensuremath{\\\\|}\\\\ensuremath{_2} \\\\ensuremath{\\\\le} \\\\ensuremath{\\\\sigma}\\\\_max \\\\& 50\\\\%'
"""
from __future__ import annotations

import sympy as sp  # noqa: F401  (used by the doctests)
from sympy.printing.latex import LatexPrinter

_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\ensuremath{<}", ">": r"\ensuremath{>}", "|": r"\ensuremath{|}",
}
_UNICODE = {
    "σ": r"\sigma", "∂": r"\partial", "‖": r"\|", "⁺": r"^{+}", "≤": r"\le", "≥": r"\ge",
    "∏": r"\prod", "Σ": r"\Sigma", "η": r"\eta", "γ": r"\gamma", "λ": r"\lambda",
    "ρ": r"\rho", "θ": r"\theta", "ε": r"\varepsilon", "⋯": r"\cdots", "…": r"\ldots",
    "·": r"\cdot", "→": r"\to", "≠": r"\neq", "∞": r"\infty", "²": r"^2", "₂": r"_2",
    "ᵀ": r"^{T}", "−": "-", "×": r"\times", "½": r"\tfrac12", "∈": r"\in", "∀": r"\forall",
    "⇒": r"\Rightarrow", "≈": r"\approx", "√": r"\surd", "ℝ": r"\mathbb{R}", "α": r"\alpha",
    "β": r"\beta", "δ": r"\delta", "μ": r"\mu", "τ": r"\tau", "⊙": r"\odot", "∑": r"\sum",
    "⁻": r"^{-}", "¹": r"^1", "₁": r"_1", "₀": r"_0", "≪": r"\ll", "≫": r"\gg",
    "⟨": r"\langle", "⟩": r"\rangle", "∘": r"\circ", "ι": r"\iota", "Δ": r"\Delta",
}
_TEXTUAL = {"“": "``", "”": "''", "’": "'", "‘": "`", "—": "---", "–": "--", "\u00a0": "~"}


def tex_text(text: str) -> str:
    """Escape ``text`` for LaTeX text mode; Unicode mathematics becomes ``\\ensuremath``
    commands and any other non-ASCII character becomes ``?`` (never a compile error).

    >>> tex_text("a_b")
    'a\\\\_b'
    """
    out = []
    for ch in str(text):
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ch in _UNICODE:
            out.append(r"\ensuremath{" + _UNICODE[ch] + "}")
        elif ch in _TEXTUAL:
            out.append(_TEXTUAL[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)


class BlogLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the blog's names: ``sigma`` → σ, ``dsigma`` → σ',
    ``step`` → H, ``relu`` → relu, ``sigmoid`` → the logistic σ."""

    def _print_sigma(self, expr, exp=None):
        return self._apply(r"\sigma", expr, exp)

    def _print_dsigma(self, expr, exp=None):
        return self._apply(r"\sigma'", expr, exp)

    def _print_step(self, expr, exp=None):
        return self._apply(r"\operatorname{H}", expr, exp)

    def _print_relu(self, expr, exp=None):
        return self._apply(r"\operatorname{relu}", expr, exp)

    def _print_sigmoid(self, expr, exp=None):
        return self._apply(r"\operatorname{sigm}", expr, exp)

    def _apply(self, name, expr, exp):
        args = ", ".join(self._print(a) for a in expr.args)
        head = name if exp is None else f"{name}^{{{exp}}}"
        return rf"{head}\left({args}\right)"


def tex_math(expr) -> str:
    """LaTeX of a SymPy expression or matrix, in the blog's notation (math mode body).

    >>> tex_math(sp.Matrix([[1, 0], [0, 1]]))
    '\\\\left[\\\\begin{matrix}1 & 0\\\\\\\\0 & 1\\\\end{matrix}\\\\right]'
    """
    if isinstance(expr, str):  # never sympify text
        raise TypeError("tex_math takes a SymPy expression or matrix, not text")
    return BlogLatexPrinter({"mat_delim": "["}).doprint(expr)


__all__ = ["tex_text", "tex_math", "BlogLatexPrinter"]
