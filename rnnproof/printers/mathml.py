"""MathML from the claims' Unicode notation: the mathematics inside a sentence, typeset.

Statements, scopes, evidence and counterexamples are written in a plain Unicode notation
(``∂x_t/∂x_{t-1} = W_rec diag(σ'(x_{t-1}))``, ``‖W‖_2 ≤ 1/γ``, ``∂⁺x_k/∂θ``, ``W_recᵀ``).
:func:`inline_html` finds the runs of mathematics in such a sentence and writes each as an
inline ``<math>`` element (MathML Core, which browsers render without a script or a
font download); the prose around them stays text, HTML-escaped.

The notation: ``a_b`` and ``a_{b c}`` (or ``a_(b c)``) subscripts, ``a^b`` / ``a^{b c}``
superscripts, ``ᵀ``, ``⁺``, ``²``, ``₂`` and primes (``σ'``, ``σ′``) as superscripts and
subscripts, ``<=`` / ``>=`` / ``!=`` as ``≤ ≥ ≠``, ``A*A`` as ``A^* A``; Greek letters,
``∂``, ``‖``, ``Σ``, ``∏`` and the operators as they are. Nothing is evaluated: the text
is tokenized by a regular expression and every token is escaped.

>>> print(math_ml("x_{t-1}"))
<math><msub><mi>x</mi><mrow><mi>t</mi><mo>−</mo><mn>1</mn></mrow></msub></math>
>>> print(math_ml("σ'(x)"))
<math><msup><mi>σ</mi><mo>′</mo></msup><mo lspace="0" rspace="0">(</mo><mi>x</mi><mo lspace="0" rspace="0">)</mo></math>
>>> inline_html("with W_rec diagonal")  # doctest: +ELLIPSIS
'with <math><msub><mi>W</mi><mi>rec</mi></msub></math> diagonal'
"""
from __future__ import annotations

import html
import re

#: Words that are mathematics (function names), not prose.
FUNCTIONS = frozenset({"diag", "sqrt", "max", "min", "exp", "log", "tanh", "sigmoid", "relu",
                       "sup", "inf", "lim", "det", "tr", "rank", "sign", "sgn", "sigma",
                       "dsigma", "artanh"})
#: Operators set without space around them (a quotient's slash, brackets).
_TIGHT = frozenset("/()[]")
#: Single letters that are also English words: mathematics only next to other mathematics.
_AMBIGUOUS = frozenset({"a", "A", "I"})
_GREEK = "αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΦΨΩ"
_OPERATORS = "=<>≤≥≠≈∼→←↦·⋯…+−-×/|‖∂∑∏Σ∏∞∈∉⊂∀∃∘⊙⊗,;:!*"
_SUPERSCRIPTS = {"ᵀ": "T", "⁺": "+", "²": "2", "³": "3", "⁻": "−", "¹": "1", "′": "′", "*": "*"}
_SUBSCRIPTS = {"₀": "0", "₁": "1", "₂": "2", "₃": "3", "ₖ": "k", "ₜ": "t", "ᵢ": "i", "ⱼ": "j"}
_REPLACE = {"<=": "≤", ">=": "≥", "!=": "≠", "->": "→", "-": "−", "*": "·"}
#: Operators that make a run of tokens mathematics (a bare number or bracket does not).
_STRONG = set("=<>≤≥≠≈→·⋯+−×/‖∂∑∏Σ∞∈_^ᵀ⁺²′*|") | {":=", "<=", ">=", "!="}

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<possessive>[A-Za-z0-9]+'s\b)
      | (?P<word>[A-Za-z]+)
      | (?P<number>\d+(?:\.\d+)?|[½¼¾⅓])
      | (?P<greek>[""" + _GREEK + r"""])
      | (?P<op>:=|<=|>=|!=|->|\.\.|[""" + re.escape(_OPERATORS) + r"""])
      | (?P<script>[_^])
      | (?P<unisup>[ᵀ⁺²³⁻¹′])
      | (?P<unisub>[₀₁₂₃ₖₜᵢⱼ])
      | (?P<prime>'(?![A-Za-z]))
      | (?P<open>[(\[{])
      | (?P<close>[)\]}])
      | (?P<other>.)""", re.VERBOSE)
_PAIRS = {"(": ")", "[": "]", "{": "}"}


def _tokens(text: str) -> list[tuple[str, str]]:
    return [(m.lastgroup, m.group()) for m in _TOKEN.finditer(text)]


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


class _Parser:
    """Tokens of one run of mathematics to MathML: atoms, with scripts attached to the atom
    before them."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.toks = [t for t in tokens if t[0] != "space"]
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def sequence(self, stop: str | None = None) -> str:
        out = []
        while self.peek() is not None and self.peek() != ("close", stop or "\0"):
            out.append(self.scripted())
        return "".join(out)

    def group(self) -> str:
        """A script's argument: ``{...}``, ``(...)`` (kept without the brackets), or one
        token (a word, a number, a Greek letter)."""
        tok = self.peek()
        if tok is None:
            return "<mrow></mrow>"
        if tok[0] == "open" and tok[1] in "{(":
            self.take()
            inner = self.sequence(stop=_PAIRS[tok[1]])
            if self.peek() is not None:
                self.take()
            return f"<mrow>{inner}</mrow>"
        return self.atom()

    def atom(self) -> str:
        kind, text = self.take()
        if kind in ("word", "greek", "possessive"):
            return f"<mi>{_esc(text)}</mi>"
        if kind == "number":
            return f"<mn>{_esc(text)}</mn>"
        if kind == "open" and text == "{":  # a bare group
            inner = self.sequence(stop="}")
            if self.peek() is not None:
                self.take()
            return f"<mrow>{inner}</mrow>"
        if kind in ("unisup", "unisub", "prime", "script"):
            return f"<mo>{_esc(text)}</mo>"
        if text in _TIGHT or kind in ("open", "close"):
            return f'<mo lspace="0" rspace="0">{_esc(text)}</mo>'
        return f"<mo>{_esc(_REPLACE.get(text, text))}</mo>"

    def scripted(self) -> str:
        base = self.atom()
        sub = sup = None
        while self.peek() is not None:
            kind, text = self.peek()
            if kind == "script":
                self.take()
                arg = self.group()
                if text == "_" and sub is None:
                    sub = arg
                elif text == "^" and sup is None:
                    sup = arg
                else:
                    base = _scripts(base, sub, sup)
                    sub, sup = (arg, None) if text == "_" else (None, arg)
            elif kind == "unisub":
                self.take()
                sub = (sub or "") + f"<mn>{_SUBSCRIPTS[text]}</mn>"
            elif kind in ("unisup", "prime") or (kind == "op" and text == "*" and
                                                 self._adjoint()):
                self.take()
                mark = "′" if kind == "prime" else _SUPERSCRIPTS[text]
                tag = "mo" if mark in "′*+−" else ("mn" if mark.isdigit() else "mi")
                sup = (sup or "") + f"<{tag}>{_esc(mark)}</{tag}>"
            else:
                break
        return _scripts(base, sub, sup)

    def _adjoint(self) -> bool:
        """``A*A``: a ``*`` right after a letter and before a letter is the adjoint."""
        prev = self.toks[self.i - 1] if self.i else None
        nxt = self.toks[self.i + 1] if self.i + 1 < len(self.toks) else None
        before = self.toks[self.i - 2] if self.i >= 2 else None
        return prev is not None and (prev[0] in ("greek", "close") or (
            prev[0] == "word" and len(prev[1]) == 1)) and \
            (before is None or before[0] != "script") and \
            nxt is not None and nxt[0] in ("word", "greek")


def _scripts(base: str, sub: str | None, sup: str | None) -> str:
    def row(x: str) -> str:
        return x if x.startswith("<mrow>") or x.count("<") == 2 else f"<mrow>{x}</mrow>"

    if sub and sup:
        return f"<msubsup>{base}{row(sub)}{row(sup)}</msubsup>"
    if sub:
        return f"<msub>{base}{row(sub)}</msub>"
    if sup:
        return f"<msup>{base}{row(sup)}</msup>"
    return base


def math_ml(text: str) -> str:
    """``text``, all of it mathematics, as one inline ``<math>`` element.

    >>> print(math_ml("‖A‖_2 <= 1"))
    <math><mo>‖</mo><mi>A</mi><msub><mo>‖</mo><mn>2</mn></msub><mo>≤</mo><mn>1</mn></math>
    """
    return f"<math>{_Parser(_tokens(text)).sequence()}</math>"


def _is_math(tokens: list[tuple[str, str]], i: int) -> bool:
    kind, text = tokens[i]
    if kind == "number":  # a number is mathematics next to mathematics ("n = 16", not "eq. 13")
        return _next_math(tokens, i, -1) or _next_math(tokens, i, +1)
    if kind in ("greek", "op", "script", "unisup", "unisub"):
        return text not in ",;:!" and not _separator(tokens, i)
    if kind == "word":
        if text in FUNCTIONS:
            return True
        if len(text) == 1:
            if _form_name(tokens, i) or _plural(tokens, i):
                return False
            if text not in _AMBIGUOUS:
                return True
            return (_next_math(tokens, i, -1) or _next_math(tokens, i, +1)
                    or _touches(tokens, i, -1) or _touches(tokens, i, +1))
        return _scripted_word(tokens, i)
    return kind == "prime"


def _form_name(tokens, i) -> bool:
    """The letter of a model form ("form A", "forms A, B", "forms A and B") is a name."""
    if tokens[i][1] not in ("A", "B"):
        return False
    j = i - 1
    while j >= 0 and (tokens[j][0] == "space" or tokens[j][1] in (",", "and", "A", "B")):
        j -= 1
    return j >= 0 and tokens[j][1] in ("form", "forms")


def _separator(tokens, i) -> bool:
    """A bar with a space on each side separates parts of a sentence ("a | b"): prose."""
    return (tokens[i][1] == "|" and 0 < i < len(tokens) - 1 and tokens[i - 1][0] == "space"
            and tokens[i + 1][0] == "space")


def _plural(tokens, i) -> bool:
    """``case(s)``: a letter in brackets glued to a word."""
    return (tokens[i][1] == "s" and i >= 2 and tokens[i - 1] == ("open", "(")
            and tokens[i - 2][0] == "word" and tokens[i - 2][1] not in FUNCTIONS
            and (i < 3 or tokens[i - 3][0] != "script")
            and i + 1 < len(tokens) and tokens[i + 1] == ("close", ")"))


def _touches(tokens, i, step) -> bool:
    """The token next to ``i`` (no space between) is a bracket or an operator: ``(A)``."""
    j = i + step
    return 0 <= j < len(tokens) and (tokens[j][0] in ("open", "close") or
                                     (tokens[j][0] == "op" and tokens[j][1] not in ",;:!"))


def _scripted_word(tokens, i) -> bool:
    """A word followed directly by a script (``rec`` in no case; ``max`` in ``σ_max``)."""
    return i + 1 < len(tokens) and tokens[i + 1][0] in ("script", "unisup", "unisub", "prime")


def _next_math(tokens, i, step) -> bool:
    j = i + step
    while 0 <= j < len(tokens) and tokens[j][0] == "space":
        j += step
    if not 0 <= j < len(tokens):
        return False
    kind, text = tokens[j]
    if kind == "word":
        return (len(text) == 1 and text not in _AMBIGUOUS) or text in FUNCTIONS
    return kind in ("greek", "op", "script", "unisup", "unisub") and text not in ",;:!"


def inline_html(text: str) -> str:
    """``text`` as HTML: its runs of mathematics as inline MathML, the prose escaped.

    >>> inline_html("a uniform η < 1 exists")
    'a uniform <math><mi>η</mi><mo>&lt;</mo><mn>1</mn></math> exists'
    >>> inline_html("form B's state, eq. 13")
    "form B's state, eq. 13"
    """
    tokens = _tokens(str(text))
    math = [False] * len(tokens)
    # a script and its argument belong to the atom before them
    depth_marks = _script_spans(tokens)
    for i in range(len(tokens)):
        math[i] = depth_marks[i] or _is_math(tokens, i)
    # brackets and commas between mathematics are mathematics
    for i, (kind, text_) in enumerate(tokens):
        if kind in ("open", "close") or text_ in ",:":
            math[i] = _between(math, tokens, i)
    # a bracketed group right after an operator is mathematics: "= (2, 0)"
    for i, (kind, _) in enumerate(tokens):
        if kind == "open" and _after_operator(tokens, math, i):
            depth, j = 0, i
            while j < len(tokens):
                math[j] = True
                depth += {"open": 1, "close": -1}.get(tokens[j][0], 0)
                if depth == 0:
                    break
                j += 1
    out, i = [], 0
    while i < len(tokens):
        if not math[i]:
            out.append(_esc(tokens[i][1]))
            i += 1
            continue
        j = i
        while j < len(tokens) and (math[j] or (tokens[j][0] == "space" and j + 1 < len(tokens)
                                               and math[j + 1])):
            j += 1
        run = tokens[i:j]
        lead, body, tail = _trim(run)
        out.append(_esc("".join(t for _, t in lead)))
        if body and _strong(body):
            out.append(f"<math>{_Parser(body).sequence()}</math>")
        else:
            out.append(_esc("".join(t for _, t in body)))
        out.append(_esc("".join(t for _, t in tail)))
        i = j
    return "".join(out)


def _script_spans(tokens) -> list[bool]:
    """Tokens inside a script's braced or bracketed argument, and the scripted atom."""
    marks = [False] * len(tokens)
    for i, (kind, _) in enumerate(tokens):
        if kind != "script":
            continue
        marks[i] = True
        if i > 0:
            marks[i - 1] = True
        j = i + 1
        if j < len(tokens) and tokens[j][0] == "open":
            depth = 0
            while j < len(tokens):
                marks[j] = True
                if tokens[j][0] == "open":
                    depth += 1
                elif tokens[j][0] == "close":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
        elif j < len(tokens):
            marks[j] = True
    return marks


def _after_operator(tokens, math, i) -> bool:
    j = i - 1
    while j >= 0 and tokens[j][0] == "space":
        j -= 1
    return j >= 0 and math[j] and tokens[j][0] == "op" and tokens[j][1] not in ",;:!"


def _between(math, tokens, i) -> bool:
    def side(step):
        j = i + step
        while 0 <= j < len(tokens) and (tokens[j][0] == "space" or tokens[j][0] in ("open", "close")):
            if math[j]:
                return True
            j += step
        return 0 <= j < len(tokens) and math[j]

    kind, text = tokens[i]
    if kind == "open":
        return side(+1)
    if kind == "close":
        return side(-1)
    return side(-1) and side(+1)


def _trim(run):
    """Split off leading and trailing punctuation and unbalanced brackets (they are prose)."""
    lead, tail = [], []
    body = list(run)
    changed = True
    while changed and body:
        changed = False
        if body[0][0] == "space" or body[0][1] in ",;:." or (
                body[0][0] == "open" and not _closes(body, 0)):
            lead.append(body.pop(0))
            changed = True
        elif body[-1][0] == "space" or body[-1][1] in ",;:." or (
                body[-1][0] == "close" and not _opens(body, len(body) - 1)):
            tail.insert(0, body.pop())
            changed = True
    return lead, body, tail


def _closes(body, i) -> bool:
    depth = 0
    for kind, _ in body[i:]:
        depth += {"open": 1, "close": -1}.get(kind, 0)
        if depth == 0:
            return True
    return False


def _opens(body, i) -> bool:
    depth = 0
    for kind, _ in reversed(body[: i + 1]):
        depth += {"close": 1, "open": -1}.get(kind, 0)
        if depth == 0:
            return True
    return False


def _strong(body) -> bool:
    """A run is mathematics if it has an identifier or an operator, not just a number."""
    return any(kind in ("word", "greek", "script", "unisup", "unisub", "prime") or
               text in _STRONG for kind, text in body)


__all__ = ["inline_html", "math_ml", "FUNCTIONS"]
