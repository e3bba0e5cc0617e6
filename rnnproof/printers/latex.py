r"""The LaTeX printer of results: the verdict box of one claim and its row in the summary
table of the derivation document (:mod:`rnnproof.latex`).

Everything is typeset from the structured result: the statement and reading through
:func:`rnnproof.printers.mathtext.to_latex` (formulas in math mode), the verdict's
:class:`~rnncore.results.Label` coloured, the scope from its spans and fields, the
counterexample from its point, sides and location, and the proofs the result carries
(``result.proofs``) step by step. Names of the implementation that appear in evidence
strings are said in words (:data:`ENGINE_WORDS`).

>>> from rnncore.registry import Claim
>>> from rnncore.results import Method, MethodKind, Result, Scope, Span, Verdict
>>> claim = Claim("blog.eq12", "blog eq. 12", "J = W_rec D", lambda o: None, "symbolic")
>>> result = Result(Verdict.PROVED, Method(MethodKind.EXACT, "expansion"),
...                 Scope(spans=(Span("n", 1, 2),)), "J - W_rec D = 0")
>>> print(claim_box(claim, result))  # doctest: +ELLIPSIS
\begin{verdictbox}{proved}{\claimid{blog.\allowbreak{}eq12}}{blog eq. 12}
$J = W_{\mathrm{rec}}\,D$
\verdictline{proved}{}
\par\emph{Method:} exact algebra: expansion. \emph{Scope:} $n = 1, 2$.
\par\emph{Evidence:} $J - W_{\mathrm{rec}}\,D = 0$.
\end{verdictbox}
"""
from __future__ import annotations

import ast
import math
import re

from rnncore.results import Counterexample, Label, Method, MethodKind, Result, Scope, Span

from .mathtext import math_latex, text_latex, to_latex

#: Implementation names found in evidence strings, and the words the document says instead
#: (pattern, replacement); the engines should say the words themselves.
ENGINE_WORDS: tuple[tuple[str, str], ...] = (
    (r"block_collapse\((\[[^]]*\]) (\[[^]]*\])\)", r"\1 \2"),
    (r"SymPy's MatrixSymbol\.diff gives", "symbolic matrix differentiation gives"),
    (r"SymPy ?(?:Sum|Indexed|KroneckerDelta)(?:/(?:Sum|Indexed|KroneckerDelta))*",
     "symbolic sums over indexed entries"),
    (r"\bSymPy\b", "symbolic algebra"),
    (r"\bMatrixSymbol\b", "matrix-symbol"),
    (r"\bW\.T\b", "W^T"),
    (r"Counterexample\(point=.*?\)\)?(?=$|[;|])", "a counterexample"),
    (r"\b[\w/]+\.py\b", "the engine"),
    (r"\(\.\.\)", r"(…)"),
    (r"\+ \.\.\)", r"+ …)"),
)

_KIND_WORDS = {
    MethodKind.EXACT: "exact algebra", MethodKind.LEMMAS: "lemma chain",
    MethodKind.RANDOMIZED: "randomized identity test", MethodKind.CERTIFIED: "certified enclosures",
    MethodKind.NONE: "none", MethodKind.ERROR: "internal error",
}
_NEGATED = {"=": r"\ne", "<": r"\not<", "<=": r"\not\le", "≤": r"\not\le", ">": r"\not>",
            ">=": r"\not\ge", "≥": r"\not\ge"}


def engine_words(text: str) -> str:
    """``text`` with implementation names said in words (:data:`ENGINE_WORDS`).

    >>> engine_words("block_collapse([W_rec W_in b] [s; u; 1]) = W_in*u | derive/backprop.py")
    '[W_rec W_in b] [s; u; 1] = W_in*u | the engine'
    """
    for pattern, words in ENGINE_WORDS:
        text = re.sub(pattern, words, text)
    return text


def claim_id_tex(claim_id: str) -> str:
    r"""A claim id in typewriter type that may break after each dot.

    >>> claim_id_tex("paper.eq5.corrected")
    '\\claimid{paper.\\allowbreak{}eq5.\\allowbreak{}corrected}'
    """
    return r"\claimid{" + r".\allowbreak{}".join(text_latex(p) for p in claim_id.split(".")) + "}"


def span_tex(span: Span) -> str:
    r"""A size range as mathematics.

    >>> span_tex(Span("n", 1, None)), span_tex(Span("T", 2, 5)), span_tex(Span("n", 2, None))
    ('every $n$', '$T = 2, \\dots, 5$', 'every $n \\ge 2$')
    """
    name = math_latex(span.name)
    if span.hi is None:
        return f"every ${name}$" if span.lo <= 1 else rf"every ${name} \ge {span.lo}$"
    if span.lo == span.hi:
        return f"${name} = {span.lo}$"
    if span.hi == span.lo + 1:
        return f"${name} = {span.lo}, {span.hi}$"
    return rf"${name} = {span.lo}, \dots, {span.hi}$"


def scope_tex(scope: Scope) -> str:
    r"""The scope from its fields: sizes as mathematics, variants and counts in words.

    >>> scope_tex(Scope(spans=(Span("n", 1, 3),), forms=("A", "B"), checked=4, skipped=1,
    ...                 skipped_what="pair (4, 0)"))
    '$n = 1, \\dots, 3$; forms A, B; 4 cases checked; 1 skipped (pair (4, 0))'
    """
    parts = []
    if scope.spans:
        parts.append(", ".join(span_tex(s) for s in scope.spans))
    for one, many, values in (("form", "forms", scope.forms),
                              ("activation", "activations", scope.activations),
                              ("layout", "layouts", scope.layouts),
                              ("loss", "losses", scope.losses)):
        if values:
            shown = ", ".join(text_latex(v) for v in values)
            parts.append(f"{many if len(values) > 1 else one} {shown}")
    if scope.checked is not None:
        parts.append(f"{scope.checked} case{'s' if scope.checked != 1 else ''} checked")
    if scope.skipped:
        what = f" ({to_latex(engine_words(scope.skipped_what))})" if scope.skipped_what else ""
        parts.append(f"{scope.skipped} skipped{what}")
    if scope.note:
        parts.append(to_latex(engine_words(scope.note)))
    return "; ".join(parts) or "as stated"


def method_tex(method: Method) -> str:
    r"""The method in words, its detail typeset, a randomized test's error probability.

    >>> method_tex(Method(MethodKind.RANDOMIZED, "identity test mod primes", error_log2=-117.4))
    'randomized identity test: identity test mod primes (error probability $\\le 2^{-117}$)'
    """
    text = _KIND_WORDS[method.kind]
    if method.detail:
        text += ": " + to_latex(engine_words(method.detail))
    if method.error_log2 is not None:
        text += rf" (error probability $\le 2^{{{math.ceil(method.error_log2)}}}$)"
    return text


def value_tex(value: str) -> str:
    r"""A value of a counterexample: a number, a matrix written as nested lists, or a formula.

    >>> value_tex("-4/3"), value_tex("[[1, 0], [0, 1]]")
    ('-\\tfrac{4}{3}', '\\left(\\begin{smallmatrix}1 & 0\\\\ 0 & 1\\end{smallmatrix}\\right)')
    """
    text = str(value).strip()
    if text.startswith("[[") and text.endswith("]]"):
        try:
            rows = ast.literal_eval(text)  # literals only: never code
        except (ValueError, SyntaxError):
            rows = None
        if isinstance(rows, list) and rows and all(isinstance(r, list) for r in rows):
            body = r"\\ ".join(" & ".join(math_latex(str(x)) for x in r) for r in rows)
            return r"\left(\begin{smallmatrix}" + body + r"\end{smallmatrix}\right)"
    return math_latex(text)


def point_tex(name: str, value: str) -> str:
    r"""One coordinate of a counterexample's point: ``$b_{1} = 1$``; a setting with a word for
    a name (``activation``) in words.

    >>> point_tex("dsigma(-1/2)", "3"), point_tex("activation", "tanh")
    ("$\\sigma'(-\\tfrac{1}{2}) = 3$", 'activation $\\tanh$')
    """
    if re.fullmatch(r"[a-z]{3,}", name) and name not in ("sigma", "dsigma", "eta", "gamma"):
        return f"{text_latex(name)} {to_latex(value)}"
    words = re.sub(r"\[\[.*?\]\]", "", str(value)).split()
    if len(words) > 1 and any(re.fullmatch(r"[a-z]{2,}", w) for w in words):
        # a value with words in it ("[[0, 1/2], [θ, 0]] at θ = 0"): its formulas typeset
        return f"${math_latex(name)} =$ {to_latex(value)}"
    return f"${math_latex(name)} = {value_tex(value)}$"


def location_tex(cex: Counterexample) -> str:
    r"""Where a counterexample fails: steps, the matrix entry (row and column counted from 0,
    as in the evidence and the JSON report), the layout, the case.

    >>> from rnncore.results import Location
    >>> location_tex(Counterexample((), "1", "2", location=Location(t=2, k=None, entry=(0, 1))))
    '$t = 2$, entry $(0, 1)$ (from 0)'
    """
    loc = cex.location
    parts = []
    steps = [f"{n} = {v}" for n, v in (("t", loc.t), ("k", loc.k)) if v is not None]
    if steps:
        parts.append("$" + ", ".join(steps) + "$")
    if loc.entry is not None:
        parts.append("entry $(" + ", ".join(str(i) for i in loc.entry) + ")$ (from 0)")
    if loc.layout:
        parts.append(f"{text_latex(loc.layout)} layout")
    if loc.case:
        parts.append(to_latex(engine_words(loc.case)))
    if loc.note:
        parts.append(to_latex(engine_words(loc.note)))
    return ", ".join(parts)


def counterexample_tex(cex: Counterexample) -> str:
    r"""The counterexample from its data: the two sides and the failing relation, where, and
    the point.

    >>> print(counterexample_tex(Counterexample((("w_{1,1}", "-4/3"),), "-5/3", "-2/3")))
    $-\tfrac{5}{3}$ (computed) $\ne$ $-\tfrac{2}{3}$ (claimed) with $w_{1,1} = -\tfrac{4}{3}$
    """
    rel = _NEGATED.get(cex.relation, r"\text{fails }" + math_latex(cex.relation))
    out = f"{to_latex(cex.lhs)} (computed) ${rel}$ {to_latex(cex.rhs)} (claimed)"
    where = location_tex(cex)
    if where:
        out += " at " + where
    if cex.point:
        out += " with " + ", ".join(point_tex(k, v) for k, v in cex.point)
    if cex.note:
        out += f" ({to_latex(engine_words(cex.note))})"
    return out


def evidence_tex(evidence: str) -> str:
    r"""The evidence line typeset; its ``|``-separated parts become sentences.

    >>> evidence_tex("eq. 7: -6 != -9 | 12 identities")
    'eq. 7: $-6 \\ne -9$; 12 identities'
    """
    parts = [p.strip() for p in engine_words(str(evidence)).split(" | ") if p.strip()]
    return "; ".join(to_latex(p) for p in parts)


def proof_tex(proof) -> str:
    r"""A proof the result carries, in LaTeX (its own ``latex()``), with names of lemmas and
    steps written as words rather than escaped identifiers.

    >>> class P:
    ...     def latex(self): return r"\begin{align*} a &\le b && \text{norm\_prod\_le} \end{align*}"
    >>> print(proof_tex(P()))
    \begin{align*} a &\le b \\ &\qquad\parbox[t]{0.62\linewidth}{\raggedright\scriptsize by norm-prod-le} \end{align*}
    """
    tex = proof.latex()

    def words(m: re.Match) -> str:
        inner = m.group(2)
        if r"\_" in inner:
            return r"\textsf{" + inner.replace(r"\_", "-") + "}"
        return m.group(0)

    tex = re.sub(r"\\(text|texttt|textbf)\{([^{}]*)\}", words, tex)
    tex = tex.replace(r"\_", "-")
    return _cites_below(_text_symbols(tex))


def _text_symbols(tex: str) -> str:
    r"""Outside math, ``<`` and ``>`` (which the default font encoding prints as ¡ and ¿)
    become math symbols, and an escaped caret ``q\^{}m`` a superscript.

    >>> _text_symbols(r"for 0 $\le$ q < 1 and q\^{}m, $a < b$")
    'for 0 $\\le$ q $<$ 1 and q$^{m}$, $a < b$'
    """
    tex = re.sub(r"\\\^\{\}(\w+)", r"$^{\1}$", tex)
    out, math, i = [], False, 0
    envs = re.compile(r"\\(begin|end)\{(align\*?|equation\*?|gather\*?)\}")
    depth = 0
    while i < len(tex):
        m = envs.match(tex, i)
        if m:
            depth += 1 if m.group(1) == "begin" else -1
            out.append(m.group(0))
            i = m.end()
            continue
        ch = tex[i]
        if ch == "\\" and i + 1 < len(tex):
            out.append(tex[i:i + 2])
            i += 2
            continue
        if ch == "$":
            math = not math
        if ch in "<>" and not math and depth <= 0:
            out.append(f"${ch}$")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _cites_below(tex: str) -> str:
    r"""In ``align*`` rows, a citation column (``&& \text{...}``) moved to its own line
    under the formula, in a paragraph box that wraps, so a long citation never runs into
    the margin."""
    out, i = [], 0
    pattern = re.compile(r"&&\s*\\(?:text|textsf)\{")
    while True:
        m = pattern.search(tex, i)
        if m is None:
            out.append(tex[i:])
            return "".join(out)
        depth, j = 1, m.end()
        while j < len(tex) and depth:
            depth += (tex[j] == "{") - (tex[j] == "}")
            j += 1
        if depth:  # unbalanced: leave the rest as it is
            out.append(tex[i:])
            return "".join(out)
        cite = _text_symbols(tex[m.end():j - 1])
        out.append(tex[i:m.start()])
        out.append(r"\\ &\qquad\parbox[t]{0.62\linewidth}{\raggedright\scriptsize by "
                   + cite + "}")
        i = j


def claim_box(claim, result: Result, *, note: str = "") -> str:
    """The ``verdictbox`` of one claim: id, source, statement, the reading (marked when it is
    not the author's), the coloured label and its meaning, method, scope, evidence, the
    counterexample of a refutation, and the proofs step by step. ``note`` is a sentence the
    document adds (e.g. which form the box checks)."""
    r = result
    label = r.label.value
    parts = [rf"\begin{{verdictbox}}{{{label}}}{{{claim_id_tex(claim.id)}}}"
             rf"{{{text_latex(claim.source)}}}",
             to_latex(engine_words(claim.statement))]
    reading = getattr(claim, "reading", "")
    own = getattr(claim, "authors_reading", True)
    if reading or not own:
        mark = "" if own else r" \emph{(not the author's reading)}"
        parts.append(r"\par\emph{Reading:} " + (to_latex(engine_words(reading)) + "." if reading else "")
                     + mark)
    # the labels' meanings stand once at the head of the document
    meaning = "this refutes the reading, not the author" if (
        r.label is Label.REFUTED and not own) else ""
    parts.append(rf"\verdictline{{{label}}}{{{meaning}}}")
    if note:
        parts.append(r"\par " + note)
    parts.append(rf"\par\emph{{Method:}} {method_tex(r.method)}. \emph{{Scope:}} "
                 rf"{scope_tex(r.scope)}.")
    parts.append(rf"\par\emph{{Evidence:}} {evidence_tex(r.evidence)}.")
    if r.counterexample is not None:
        parts.append(rf"\par\emph{{Counterexample:}} {counterexample_tex(r.counterexample)}.")
    for proof in r.proofs:
        parts.append(r"\par\begin{proofsteps}" + "\n" + proof_tex(proof) + "\n" + r"\end{proofsteps}")
    parts.append(r"\end{verdictbox}")
    return "\n".join(parts)


def verdict_table_row(claim_id: str, result: Result, source: str = "") -> str:
    r"""One row of the summary table: id, coloured label, the scope's sizes and forms.

    >>> from rnncore.results import Method, MethodKind, Result, Scope, Verdict
    >>> verdict_table_row("a.b", Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(), "e"))
    '\\claimid{a.\\allowbreak{}b} & \\textcolor{proved}{proved} & as stated\\\\'
    """
    label = result.label.value
    sc = result.scope  # the sizes and forms; the box in the text has the rest
    short = scope_tex(Scope(spans=sc.spans, forms=sc.forms)) if (sc.spans or sc.forms) else (
        scope_tex(sc))
    return rf"{claim_id_tex(claim_id)} & \textcolor{{{label}}}{{{label}}} & {short}\\"


#: The LaTeX definitions the boxes need (the document's preamble includes them).
PREAMBLE = r"""\definecolor{proved}{rgb}{0.0,0.45,0.15}
\definecolor{proved-from-lemmas}{rgb}{0.0,0.42,0.35}
\definecolor{proved-randomized}{rgb}{0.3,0.45,0.0}
\definecolor{confirmed}{rgb}{0.05,0.35,0.6}
\definecolor{refuted}{rgb}{0.75,0.05,0.05}
\definecolor{undecided}{rgb}{0.45,0.45,0.45}
\definecolor{error}{rgb}{0.6,0.0,0.6}
\newcommand{\claimid}[1]{\texttt{#1}}
\newenvironment{verdictbox}[3]{\par\smallskip\begin{list}{}{\leftmargin=1.2em
  \rightmargin=0pt\itemsep=0pt\parsep=2pt\topsep=2pt}\small\raggedright
  \item[\textcolor{#1}{\rule[-0.4ex]{3pt}{2ex}}]\textbf{#2} (#3).\quad}{\end{list}\smallskip}
\newcommand{\verdictline}[2]{\par\textcolor{#1}{\textbf{#1}}\ifx&#2&\else: #2\fi.}
\newenvironment{proofsteps}{\par\footnotesize}{\par}
"""

__all__ = ["claim_box", "scope_tex", "span_tex", "method_tex", "verdict_table_row",
           "counterexample_tex", "location_tex", "point_tex", "value_tex", "evidence_tex",
           "proof_tex", "engine_words", "claim_id_tex", "ENGINE_WORDS", "PREAMBLE"]
