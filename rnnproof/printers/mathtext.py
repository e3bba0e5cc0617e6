r"""The catalogue's Unicode mathematics as LaTeX: prose stays text, formulas become maths.

Claim statements, readings and evidence are one line of text in which formulas are written
the way people type them (``W_rec σ(x_{t-1})``, ``‖A‖_2 ≤ σ_max(A)``, ``∂⁺x_k/∂θ``,
``-5/3 != -2/3``). :func:`to_latex` splits such a line into prose words and formula runs and
typesets each run in math mode, so ``W_rec`` prints as :math:`W_{\mathrm{rec}}`, ``σ'`` as
:math:`\sigma'` and ``-4/3`` as one unbreakable :math:`-\tfrac{4}{3}`. :func:`math_latex`
converts a string known to be a formula.

The converter is safe on any text: it never emits a command it did not choose, its braces
always balance, and characters it does not know become ``?`` (so pdflatex, with no Unicode
set-up, compiles every output).

>>> to_latex("W_rec σ(x_{t-1}) ≤ 1 for every n")
'$W_{\\mathrm{rec}}\\,\\sigma(x_{t-1}) \\le 1$ for every $n$'
>>> math_latex("-5/3 != -2/3")
'-\\tfrac{5}{3} \\ne -\\tfrac{2}{3}'
>>> to_latex("‖A‖₂ = σ_max(A) = sqrt(ρ(A*A))")
'$\\|A\\|_{2} = \\sigma_{\\max}(A) = \\sqrt{\\rho(A^{*}A)}$'
>>> to_latex("chain (spectral_norm_eq_sigma_max, gram_psd)")
'chain (\\textsf{spectral-norm-eq-sigma-max}, \\textsf{gram-psd})'
"""
from __future__ import annotations

import re

#: Greek letters and symbols, as math-mode commands.
_SYMBOLS = {
    "σ": r"\sigma", "∂": r"\partial", "‖": r"\|", "≤": r"\le", "≥": r"\ge", "≠": r"\ne",
    "∏": r"\prod", "η": r"\eta", "γ": r"\gamma", "λ": r"\lambda", "ρ": r"\rho",
    "θ": r"\theta", "ε": r"\varepsilon", "⋯": r"\cdots", "…": r"\ldots", "·": r"\cdot",
    "→": r"\to", "∞": r"\infty", "−": "-", "×": r"\times", "½": r"\tfrac12", "∈": r"\in",
    "∀": r"\forall", "⇒": r"\Rightarrow", "≈": r"\approx", "√": r"\surd", "ℝ": r"\mathbb{R}",
    "α": r"\alpha", "β": r"\beta", "δ": r"\delta", "μ": r"\mu", "τ": r"\tau", "⊙": r"\odot",
    "∑": r"\sum", "Σ": r"\sum", "≪": r"\ll", "≫": r"\gg", "⟨": r"\langle", "⟩": r"\rangle",
    "∘": r"\circ", "ι": r"\iota", "Δ": r"\Delta", "⊗": r"\otimes", "∥": r"\|", "′": "'",
    "±": r"\pm", "⊂": r"\subset", "∩": r"\cap", "∪": r"\cup", "≡": r"\equiv", "∝": r"\propto",
    "φ": r"\varphi", "ψ": r"\psi", "ω": r"\omega", "π": r"\pi", "ξ": r"\xi", "ζ": r"\zeta",
    "κ": r"\kappa", "ν": r"\nu", "χ": r"\chi", "Λ": r"\Lambda", "Γ": r"\Gamma", "Π": r"\Pi",
    "Φ": r"\Phi", "Ω": r"\Omega", "ℓ": r"\ell", "∇": r"\nabla", "⊤": "T", "⋅": r"\cdot",
    "⟹": r"\Longrightarrow", "⇔": r"\Leftrightarrow", "↦": r"\mapsto", "∖": r"\setminus",
}
_SUPERSCRIPTS = {"⁺": "+", "⁻": "-", "ᵀ": "T", "²": "2", "³": "3", "¹": "1", "⁰": "0",
                 "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", "ⁿ": "n",
                 "ᵏ": "k", "ᵗ": "t", "*": "*"}
_SUBSCRIPTS = {"₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6",
               "₇": "7", "₈": "8", "₉": "9", "ₖ": "k", "ₜ": "t", "ᵢ": "i", "ⱼ": "j",
               "ₙ": "n", "₊": "+", "₋": "-"}
#: Commands that are symbols (a factor): a thin space may follow them; after any other
#: command (a relation, an operator, a big operator) TeX spaces by itself.
_ATOMS = {v[1:] for k, v in _SYMBOLS.items() if k.isalpha() and v.startswith("\\")} | {
    "infty", "partial", "ell", "nabla", "mathrm", "max", "min", "sup", "inf", "tanh", "exp",
    "log", "ln", "det", "sin", "cos"}
#: Function names typeset upright (the ones TeX knows keep their own command).
_FUNCTIONS = {
    "max": r"\max", "min": r"\min", "sup": r"\sup", "inf": r"\inf", "lim": r"\lim",
    "tanh": r"\tanh", "exp": r"\exp", "log": r"\log", "ln": r"\ln", "det": r"\det",
    "sin": r"\sin", "cos": r"\cos", "limsup": r"\limsup", "liminf": r"\liminf",
    "diag": r"\operatorname{diag}", "tr": r"\operatorname{tr}", "rank": r"\operatorname{rank}",
    "artanh": r"\operatorname{artanh}", "relu": r"\operatorname{relu}",
    "sigmoid": r"\operatorname{sigmoid}", "softplus": r"\operatorname{softplus}",
    "sign": r"\operatorname{sign}", "vec": r"\operatorname{vec}", "sgn": r"\operatorname{sgn}",
}
#: Names the engines write for the blog's symbols (``dsigma(z)`` is σ'(z)).
_NAMES = {"sigma": r"\sigma", "dsigma": r"\sigma'", "gamma": r"\gamma", "eta": r"\eta",
          "theta": r"\theta", "lambda": r"\lambda", "rho": r"\rho", "dL": r"\mathcal{L}'",
          "E": r"\mathcal{E}", "L": r"\mathcal{L}", "inf": r"\infty", "oo": r"\infty"}
#: Two-character operators, typed in ASCII.
_OPERATORS = {"<=": r"\le", ">=": r"\ge", "!=": r"\ne", "->": r"\to", "=>": r"\Rightarrow",
              ":=": r"\mathrel{:=}", "**": "^", "+-": r"\pm", "..": r"\ldots"}
_TEXT_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                 "_": "-", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": "",
                 "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}"}
_TEXTUAL = {"“": "``", "”": "''", "’": "'", "‘": "`", "—": "---", "–": "--",
            "\u00a0": "~", "é": r"\'e", "è": r"\`e", "ö": r"\"o", "ü": r"\"u", "ä": r"\"a"}
_MATH_CHARS = set(_SYMBOLS) | set(_SUPERSCRIPTS) - {"*"} | set(_SUBSCRIPTS) | set("_^=<>+*/|'")
_LEMMA = re.compile(r"^[A-Za-z][a-z0-9]+(?:_[A-Za-z0-9]+){1,}$")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:/\d+)?…?$")
_WORD = re.compile(r"[A-Za-z]+")
_TRAIL = ",.;:!?"
_GLUE = "\x00"  # joins the words of a nested-list matrix while a line is split into words


def math_latex(text: str) -> str:
    r"""A formula typed in the catalogue's notation, as LaTeX math-mode source (no ``$``).

    >>> math_latex("∂⁺x_k/∂θ")
    '\\partial^{+}x_{k}/\\partial \\theta'
    >>> math_latex("W_recᵀ diag(σ'(x_{i-1}))")
    "W_{\\mathrm{rec}}^{T}\\,\\operatorname{diag}(\\sigma'(x_{i-1}))"
    >>> math_latex("h_(k-1)^T, x_{0,1}=4/3, 2^-117")
    'h_{k-1}^{T}, x_{0,1}=\\tfrac{4}{3}, 2^{-117}'
    >>> math_latex("}{\\input{x}")  # hostile text stays harmless
    '\\}\\{\\backslash \\mathrm{input}\\{x\\}'
    """
    return _Math(str(text)).run()


def _last(out: list[str]) -> str:
    """The last piece written that is not a space (TeX ignores spaces in math mode)."""
    return next((piece for piece in reversed(out) if piece.strip()), "")


def _scripted(out: list[str], kind: str) -> bool:
    """True when the base the next script attaches to already has a script of ``kind``
    (``^``: a superscript or a prime; ``_``: a subscript): TeX would stop on a double one."""
    for piece in reversed(out):
        if not piece.strip():
            continue
        bare = piece[2:] if piece.startswith("{}") else piece
        if bare[:2] in ("^{", "_{"):
            if bare[0] == kind or piece.startswith("{}"):  # "{}" starts a new, empty base
                return bare[0] == kind
            continue
        return kind == "^" and piece.endswith("'")
    return False


class _Math:
    """A one-pass converter with balanced output: every ``{`` it writes, it closes."""

    def __init__(self, src: str) -> None:
        self.s = src.replace(_GLUE, " ")
        self.i = 0

    def run(self, stop: str = "") -> str:
        out: list[str] = []
        s = self.s
        depth = 0
        while self.i < len(s):
            ch = s[self.i]
            if stop and ch == stop and depth == 0:
                return "".join(out)
            depth += (ch == "(") - (ch == ")")
            if s.startswith("[[", self.i):
                m = _MATRIX.match(s, self.i)
                if m is not None:
                    self.i = m.end()
                    out.append(_matrix_latex(m.group()))
                    continue
            if s.startswith("+/-", self.i):  # a ball's radius, Arb style
                out.append(r"\pm ")
                self.i += 3
                continue
            two = s[self.i:self.i + 2]
            if two in _OPERATORS and not (two == ".." and out and out[-1].endswith(".")):
                if two == "**":
                    self.i += 2
                    out.append("^{" + self.script() + "}")
                    continue
                out.append(_OPERATORS[two] + " " if two != "**" else "")
                self.i += 2
                continue
            if ch in "0123456789":
                out.append(self.number())
            elif ch.isalpha() and ch.isascii():
                out.append(self.word())
            elif ch == "_":
                self.i += 1
                # a second subscript in a row gets an empty base (never a double subscript)
                again = "{}" if _scripted(out, "_") else ""
                out.append(again + "_{" + self.script(sub=True) + "}")
            elif ch == "^":
                self.i += 1
                again = "{}" if _scripted(out, "^") else ""
                out.append(again + "^{" + self.script() + "}")
            elif ch in _SUPERSCRIPTS and ch != "*":
                again = "{}" if _scripted(out, "^") else ""
                run = self.scriptrun(_SUPERSCRIPTS)
                out.append(again + "^{" + run + "}")
            elif ch in _SUBSCRIPTS:
                out.append("_{" + self.scriptrun(_SUBSCRIPTS) + "}")
            elif ch == "*":
                self.i += 1
                prev = s[self.i - 2] if self.i >= 2 else ""
                nxt = s[self.i] if self.i < len(s) else ""
                # A*A (conjugate transpose, as the blog writes it) or (Ax)*: a star after a
                # letter or bracket that does not multiply two different things
                if prev.isalpha() and (nxt == prev or nxt in "( " or not nxt) or prev == ")":
                    out.append("^{*}")
                else:
                    out.append(r"\," if nxt != " " else "")
            elif ch in _SYMBOLS:
                self.i += 1
                sym = _SYMBOLS[ch]
                out.append(sym + (" " if sym[-1:].isalpha() and sym.startswith("\\") else ""))
            elif ch == "{":
                self.i += 1
                inner = self.run("}")
                if self.i < len(s) and s[self.i] == "}":
                    self.i += 1
                    out.append("\\{" + inner + "\\}")
                else:
                    out.append("\\{" + inner)
            elif ch == "}":
                self.i += 1
                out.append("\\}")
            elif ch == "\\":
                self.i += 1
                out.append(r"\backslash ")
            elif ch in "&%#$":
                self.i += 1
                out.append("\\" + ch)
            elif ch == "~":
                self.i += 1
                out.append(r"\sim ")
            elif ch == "'":
                self.i += 1
                # a prime after a superscript would be a double superscript
                out.append("{}'" if _scripted(out, "^") else "'")
            elif ch in "()[],;.:!?=<>+-/|":
                self.i += 1
                out.append(ch)
            elif ch == '"':
                self.i += 1
                out.append("''")
            elif ch.isspace():
                self.i += 1
                # two factors side by side (W_rec σ(x), [W_rec W_in b]) get a thin space
                done = "".join(out).rstrip()
                prev = done[-1:]
                nxt = s[self.i:self.i + 1]
                command = re.search(r"\\([A-Za-z]+)$", done)
                relation = command is not None and command.group(1) not in _ATOMS
                if prev and nxt and not relation and (prev.isalnum() or prev in ")]}'") and (
                        nxt.isalnum() or nxt in "([σ∂‖λρηγθ"):
                    out.append(r"\,")
                else:
                    out.append(" ")
            else:
                self.i += 1
                out.append("?")
        return _tidy("".join(out))

    def number(self) -> str:
        m = re.compile(r"\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:/\d+(?![\d.]))?").match(self.s, self.i)
        self.i = m.end()
        text = m.group()
        if "/" in text and "." not in text and "e" not in text:
            num, den = text.split("/")
            return rf"\tfrac{{{num}}}{{{den}}}"
        if "e" in text:
            mant, exp = text.split("e")
            return rf"{mant}\cdot 10^{{{int(exp)}}}"
        return text

    def word(self) -> str:
        m = _WORD.match(self.s, self.i)
        self.i = m.end()
        w = m.group()
        if w in _FUNCTIONS:
            return _FUNCTIONS[w] + (" " if self.i < len(self.s) and self.s[self.i].isalnum() else "")
        if w == "sqrt" and self.s[self.i:self.i + 1] == "(":
            self.i += 1
            inner = self.run(")")
            if self.i < len(self.s):
                self.i += 1
                return r"\sqrt{" + inner + "}"
            return r"\sqrt{" + inner + "}"
        after, before = self.s[self.i:self.i + 1], self.s[max(0, self.i - 2):self.i - 1]
        if w in _NAMES and (w not in ("E", "L") or after in ("_", "(") or before == "∂"):
            return _NAMES[w] + ("" if w in ("dsigma", "dL") else " " if self.s[self.i:self.i + 1].isalnum() else "")
        if len(w) == 1:
            return w
        if len(w) <= 3 and any(c.isupper() for c in w):  # WD, Ax, aBc: products of symbols
            return w
        return r"\mathrm{" + w + "}"

    def script(self, sub: bool = False) -> str:
        """The argument of ``_`` or ``^``: a braced or bracketed group, or one token."""
        s = self.s
        if self.i >= len(s):
            return ""
        ch = s[self.i]
        if ch in "{(":
            close = "}" if ch == "{" else ")"
            depth, j = 0, self.i
            while j < len(s):
                if s[j] == ch:
                    depth += 1
                elif s[j] == close:
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if j < len(s) and (ch == "{" or sub or self.i + 1 < j):
                inner = _Math(s[self.i + 1:j]).run()
                self.i = j + 1
                return inner
        if ch == "-" or ch == "+":
            self.i += 1
            return ch + self.script(sub)
        m = re.compile(r"\d+|[A-Za-z]+|.").match(s, self.i)
        self.i = m.end()
        tok = m.group()
        if tok.isalpha() and len(tok) > 1:
            return _FUNCTIONS.get(tok, r"\mathrm{" + tok + "}")
        if tok in _SYMBOLS:
            return _SYMBOLS[tok]
        if (tok.isascii() and tok.isalnum()) or tok in "+-*":
            return tok
        inner = _Math(tok).run()
        return "{" + inner + "}" if inner.startswith(("^", "_")) else inner

    def scriptrun(self, table: dict) -> str:
        out = []
        while self.i < len(self.s) and self.s[self.i] in table and self.s[self.i] != "*":
            out.append(table[self.s[self.i]])
            self.i += 1
        return "".join(out)


_MATRIX = re.compile(r"\[\[[^\[\]]*\](?:, ?\[[^\[\]]*\])*\]")


def _matrix_latex(text: str) -> str:
    """``[[1, 0], [0, θ]]`` (rows of entries) as a small matrix."""
    rows = [r.strip(" []") for r in text[1:-1].split("],")]
    body = r"\\ ".join(" & ".join(_Math(x.strip()).run() for x in r.split(",")) for r in rows)
    return r"\left(\begin{smallmatrix}" + body + r"\end{smallmatrix}\right)"


def _tidy(tex: str) -> str:
    # a command word followed by a space before punctuation reads the same without it
    tex = re.sub(r"(\\[A-Za-z]+) (?=[)(\]\[,;:.=+/'|_^}{-])", r"\1", tex)
    # σ'^{T} would be a double superscript: group the prime with its base
    tex = re.sub(r"((?:\\[A-Za-z]+|[A-Za-z]))'\^\{", r"{\1'}^{", tex)
    return re.sub(r" +", " ", tex).strip()


def text_latex(text: str, *, opening: bool = False, closing: bool = False) -> str:
    r"""Prose for LaTeX text mode: specials escaped, typographic quotes and dashes kept, any
    other non-ASCII character ``?``.

    >>> text_latex("50% & “ok” — fine")
    "50\\% \\& ``ok'' --- fine"
    """
    out = []
    text = str(text).replace(_GLUE, " ")
    if closing:  # quote marks after a word close a quotation
        text = text.replace('"', "''")
    if opening:  # quote marks before a word open a quotation
        text = text.replace('"', "``").replace("'", "`")
    text = re.sub(r'(^|(?<=[\s(\[]))"', "``", text).replace('"', "''")
    text = re.sub(r"(^|(?<=[\s(\[]))'(?=\w)(?!s\b)", "`", text)
    for ch in text:
        if ch in _TEXT_SPECIAL:
            out.append(_TEXT_SPECIAL[ch])
        elif ch in _TEXTUAL:
            out.append(_TEXTUAL[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)


def _is_math_word(core: str) -> bool | None:
    """True for a formula word, None for a word that is a formula only beside one (a number,
    a single letter), False for prose."""
    if not core:
        return None
    if _is_lemma(core):
        return False
    if core in ("-", "+", "=", "<", ">", "*", "/") or re.match(r"[+-]\d", core):
        return True
    if re.fullmatch(r"[a-z0-9](?:[-+][a-z0-9])+", core):
        return True
    if any(ch in _MATH_CHARS for ch in core):
        return True
    if _NUMBER.match(core) or core in ("0", "1"):
        return None
    if len(core) == 1 and core.isalpha():
        return None
    bare = core.strip("()[]")
    if bare in _FUNCTIONS or bare in ("sqrt", "dsigma") or (
            "(" in core and core.split("(")[0] in (*_FUNCTIONS, "sqrt", "sigma", "dsigma")):
        return True
    if re.fullmatch(r"[A-Za-z]\(.*\)", core) or re.fullmatch(r"\(?[A-Za-z](?:, ?[A-Za-z])*\)?", core) and len(bare) > 1:
        return True
    if re.fullmatch(r"[A-Z]{1,3}", core) and core not in ("I", "A", "OK", "NOTE"):
        return True
    if re.fullmatch(r"\[.*\]|\(?[+-]?\d[\d/.,\s]*\)?", core):
        return True
    return False


def _is_lemma(core: str) -> bool:
    """A ``snake_case`` name of a lemma or function (not ``sigma_max``, ``W_rec``, ``dL_1``)."""
    if not _LEMMA.match(core):
        return False
    pieces = core.split("_")
    return len(pieces[0]) > 1 and (len(pieces) > 2 or (
        pieces[0] not in _NAMES and pieces[0] not in _FUNCTIONS))


def _lemma_latex(word: str) -> str:
    return r"\textsf{" + text_latex(word.replace("_", "-")) + "}"


def _split_punct(word: str) -> tuple[str, str, str]:
    """``word`` as (leading brackets and quotes, core, trailing punctuation), keeping the
    brackets that the core balances; a possessive ``'s`` and a closing quote are prose."""
    lead, core, trail = "", word, ""
    while len(core) > 1 and core[0] in "“‘\"'":
        lead += core[0]
        core = core[1:]
    for poss in ("'s", "’s"):
        if core.endswith(poss) and len(core) > 2:
            core, trail = core[:-2], poss.replace("’", "'")
    changed = True
    while changed and core:
        changed = False
        last = core[-1]
        if last in _TRAIL or last in "”’\"" or (
                last in ")]" and core.count(last) > core.count("(["[")]".index(last)])):
            trail, core, changed = last + trail, core[:-1], True
        elif last == "'" and (core[:-1].isdigit() or core[-2:-1] == ")" or (
                core[:-1].isascii() and core[:-1].isalpha() and len(core) > 2
                and core[:-1] not in _FUNCTIONS and core[:-1] not in _NAMES)):
            trail, core, changed = last + trail, core[:-1], True
    while core and (core[0] in "“‘\"'" or (
            core[0] in "([" and core.count(core[0]) > core.count(")]"["([".index(core[0])]))):
        lead += core[0]
        core = core[1:]
    return lead, core, trail


def to_latex(text: str) -> str:
    r"""One line of prose with formulas as LaTeX: formula runs in ``$…$``, prose escaped, no
    underscore or caret ever left as text (a lemma's ``snake_case`` name is set in sans
    serif with hyphens).

    >>> to_latex("every depth d <= t-1")
    'every depth $d \\le t-1$'
    >>> to_latex("refuted at n=1, m=1: -6 != -9")
    'refuted at $n=1$, $m=1$: $-6 \\ne -9$'
    >>> to_latex("a uniform η < 1 exists")
    'a uniform $\\eta < 1$ exists'
    """
    # a matrix written as nested lists is one formula, spaces and all
    text = _MATRIX.sub(lambda m: m.group().replace(" ", _GLUE), str(text).replace(_GLUE, " "))
    words = text.split()
    kinds = []
    parts = []
    for w in words:
        lead, core, trail = _split_punct(w)
        parts.append((lead, core, trail))
    # inside a quotation opened by ' a word ending in ' closes it (it is not a prime)
    quoted = False
    for i, (lead, core, trail) in enumerate(parts):
        if "'" in lead or "‘" in lead:
            quoted = True
        if quoted and core.endswith("'") and len(core) > 1:
            parts[i] = (lead, core[:-1], "'" + trail)
            quoted = False
        elif quoted and ("'" in trail or "’" in trail):
            quoted = False
    kinds = [_is_math_word(core) for _, core, _ in parts]

    def operator_side(i: int, left: bool) -> bool:
        """True when word ``i`` is maths that starts (``left``) or ends with an operator."""
        if not (0 <= i < len(parts)) or kinds[i] is not True:
            return False
        core = parts[i][1]
        edge = core[-1:] if left else core[:1]
        return bool(edge) and edge in "=<>≤≥≠+-−·*/|‖∈→⇒:"

    # a neutral word (number, single letter) is maths beside maths; the article "a" and a
    # capital starting the text only beside an operator
    for _ in range(2):
        for i, k in enumerate(kinds):
            if k is not None:
                continue
            core = parts[i][1]
            joined_left = i > 0 and not parts[i - 1][2] and not parts[i][0]
            joined_right = i + 1 < len(kinds) and not parts[i][2] and not parts[i + 1][0]
            if core == "a" or (core == "A" and i == 0):
                if (joined_left and operator_side(i - 1, True)) or (
                        joined_right and operator_side(i + 1, False)):
                    kinds[i] = True
            elif (joined_left and kinds[i - 1] is True) or (joined_right and kinds[i + 1] is True):
                kinds[i] = True
    for i, k in enumerate(kinds):
        if k is None:
            core = parts[i][1]
            kinds[i] = bool(core) and core.isalpha() and len(core) == 1 and core != "a" and not (
                core == "A" and i == 0)
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append("$" + math_latex(" ".join(run)) + "$")
            run.clear()

    for i, ((lead, core, trail), is_math) in enumerate(zip(parts, kinds)):
        if is_math and core:
            if lead and not (run and set(lead) <= set("([")):
                flush()
                out.append(" " + text_latex(lead, opening=True))
            elif lead:
                run.append(lead + core)
                core = ""
            elif not run:
                out.append(" ")
            if core:
                run.append(core)
            if trail:
                joined = " ".join(run)
                # a bracket opened in the run, or a list inside [ ], stays in the run
                while trail and (trail[0] == ")" and joined.count("(") > joined.count(")")
                                 or trail[0] == "]" and joined.count("[") > joined.count("]")):
                    run[-1] += trail[0]
                    joined += trail[0]
                    trail = trail[1:]
                if trail and trail[0] in ",;" and joined.count("[") > joined.count("]") and (
                        i + 1 < len(kinds) and kinds[i + 1] is not False):
                    run[-1] += trail
                    trail = ""
            if trail:
                flush()
                out.append(text_latex(trail, closing=True))
        else:
            flush()
            out.append(" ")
            if _is_lemma(core):
                out.append(text_latex(lead, opening=True) + _lemma_latex(core)
                           + text_latex(trail, closing=True))
            else:
                out.append(text_latex(lead, opening=True) + text_latex(core)
                           + text_latex(trail, closing=True))
    flush()
    return re.sub(r" +", " ", "".join(out)).strip()


__all__ = ["to_latex", "math_latex", "text_latex"]
