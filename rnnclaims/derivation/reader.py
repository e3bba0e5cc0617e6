"""Read one row of display math (LaTeX) into a small tree, with a lark grammar.

The grammar is ``latex.lark`` (shipped beside this module). Before parsing, a row is
*normalised* by length-preserving rewrites (so that positions, and so line numbers, stay
those of the file): ``\\boxed{…}``, ``\\left``/``\\right``, spacing, ``&``, font commands
and ``\\label`` are blanked; ``\\operatorname{diag}``/``\\mathrm{diag}`` become ``diag``;
``\\text{…}`` becomes one ``\\TEXT`` token, a written-out matrix (``bmatrix`` and its
kin) one ``\\MATRIX`` token; norm and absolute-value bars become the one-character tokens
:data:`NORM_BAR` and :data:`ABS_BAR`, which a post-lexer pairs into openers and closers. Nothing is evaluated: the tree is data.

Budgets, checked before lark sees the text: :data:`MAX_ROW_CHARS` characters,
:data:`MAX_NESTING` nested brackets and :data:`MAX_TOKENS` tokens per row (the tree is
walked without recursion; these keep it small). A row beyond them, or one the grammar
does not take, raises :class:`~rnncore.errors.FormulaError` with the reason.

>>> tree = parse_row(normalise(r"\\frac{\\partial x_t}{\\partial x_k} = \\prod_{j=k+1}^{t} W_{rec} \\operatorname{diag}(\\sigma'(x_{j-1}))"))
>>> tree.kind, [c.kind for c in tree.args]
('row', ['chain'])
>>> parse_row(r"\\frac{a}{")
Traceback (most recent call last):
...
rnncore.errors.FormulaError: not a formula the LaTeX reader takes: unexpected end of the row (after '{')
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

from lark import Lark, Token
from lark.visitors import Transformer_NonRecursive, v_args
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from rnncore.errors import FormulaError

#: Longest row accepted, most nested brackets, most tokens (checked before parsing).
MAX_ROW_CHARS, MAX_NESTING, MAX_TOKENS = 4000, 24, 400

#: Commands that define macros or read files: never expanded, the row is refused.
FORBIDDEN = ("def", "edef", "gdef", "xdef", "let", "newcommand", "renewcommand",
             "providecommand", "DeclareMathOperator", "input", "include", "csname",
             "catcode", "write", "read", "openin", "openout", "immediate", "expandafter",
             "usepackage", "makeatletter")
_FORBIDDEN_RE = re.compile(r"\\(" + "|".join(FORBIDDEN) + r")(?![a-zA-Z])")

#: Environments that only wrap rows (their begin/end are blanked).
WRAPPERS = ("align", "align*", "aligned", "equation", "equation*", "split", "gather",
            "gather*", "gathered", "multline", "multline*", "alignat", "alignat*", "eqnarray",
            "eqnarray*")
#: Environments of a matrix written entry by entry (one \\MATRIX token).
MATRICES = ("bmatrix", "pmatrix", "matrix", "vmatrix", "Vmatrix", "Bmatrix", "smallmatrix",
            "array", "cases")

_UNICODE = {
    "σ": r"\sigma ", "′": "'", "’": "'", "∂": r"\partial ", "∏": r"\prod ", "∑": r"\sum ",
    "‖": r"\| ", "·": r"\cdot ", "≤": r"\leq ", "≥": r"\geq ", "γ": r"\gamma ",
    "η": r"\eta ", "ρ": r"\rho ", "θ": r"\theta ", "λ": r"\lambda ", "ᵀ": "^T", "⊤": r"\top ",
    "×": r"\times ", "⇒": r"\Rightarrow ", "∗": "*", "−": "-", "…": r"\dots ",
}
#: The one-character tokens that stand for a norm bar and an absolute-value bar.
NORM_BAR, ABS_BAR = "\x01", "\x02"
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " "}


def _blank(text: str) -> str:
    """The same text with every character but newlines made a space (positions kept)."""
    return re.sub(r"[^\n]", " ", text)


def _pad(new: str, old: str) -> str:
    """``new`` padded with spaces (newlines of ``old`` kept) to the length of ``old``."""
    tail = _blank(old[len(new):])
    return new + tail


def normalise_unicode(text: str, html: bool = False) -> str:
    """Unicode symbols to their LaTeX commands, and (``html``) the entities ``&amp;``,
    ``&lt;``, ``&gt;``, ``&nbsp;`` of Markdown rendered by a blog engine. Lengths change;
    newlines are kept.

    >>> normalise_unicode("‖W‖ ≤ γ &lt; 1", html=True)
    '\\\\| W\\\\|  \\\\leq  \\\\gamma  < 1'
    """
    if html:
        for entity, char in _ENTITIES.items():
            text = text.replace(entity, char)
    for char, command in _UNICODE.items():
        text = text.replace(char, command)
    return text


def _matching(text: str, start: int) -> int:
    """Index of the ``}`` closing the ``{`` at ``start`` (-1 when unbalanced)."""
    depth = 0
    i = start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _strip_command_keep_body(text: str, command: str) -> str:
    """Blank ``\\command{`` and its closing ``}``, keeping the body."""
    pattern = re.compile("\\\\" + command + r"\s*\{")
    while True:
        m = pattern.search(text)
        if not m:
            return text
        close = _matching(text, m.end() - 1)
        if close < 0:
            raise FormulaError(f"\\{command}{{ at column {m.start() + 1} is not closed")
        text = text[:m.start()] + _blank(m.group(0)) + text[m.end():close] + " " + text[close + 1:]


def _replace_braced(text: str, command: str, make) -> str:
    """Replace ``\\command{body}`` by ``make(body)`` padded to the same length."""
    pattern = re.compile("\\\\" + command + r"\*?\s*\{")
    pos = 0
    while True:
        m = pattern.search(text, pos)
        if not m:
            return text
        close = _matching(text, m.end() - 1)
        if close < 0:
            raise FormulaError(f"\\{command}{{ at column {m.start() + 1} is not closed")
        old = text[m.start():close + 1]
        new = make(text[m.end():close])
        text = text[:m.start()] + _pad(new, old) + text[close + 1:]
        pos = m.start() + len(new)


def _replace_envs(text: str, names, make) -> str:
    """Replace each outermost ``\\begin{name}…\\end{name}`` (any of ``names``) by
    ``make(old)`` padded to the same length."""
    alts = "|".join(re.escape(n) for n in names)
    begin = re.compile(r"\\begin\s*\{(" + alts + r")\}")
    any_env = re.compile(r"\\(begin|end)\s*\{(" + alts + r")\}")
    pos = 0
    while True:
        m = begin.search(text, pos)
        if not m:
            return text
        depth, end = 0, -1
        for e in any_env.finditer(text, m.start()):
            depth += 1 if e.group(1) == "begin" else -1
            if depth == 0:
                end = e.end()
                break
        if end < 0:
            raise FormulaError(f"\\begin{{{m.group(1)}}} is not closed by \\end{{{m.group(1)}}}")
        old = text[m.start():end]
        text = text[:m.start()] + _pad(make(old), old) + text[end:]
        pos = m.start() + 1


_BLANKED = re.compile(
    r"\\(left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg|middle)"
    r"(?![a-zA-Z])(\s*\.)?"
    r"|\\(quad|qquad|displaystyle|textstyle|limits|nolimits|nonumber|notag|hfill|mathstrut)(?![a-zA-Z])"
    r"|\\[,;:! ]|~|&"
)
_LABEL = re.compile(r"\\label\s*\{[^{}]*\}")
_TAG = re.compile(r"\\tag\*?\s*\{([^{}]*)\}")
_WORDCMD = ("operatorname", "mathrm", "textrm", "rm", "text", "textit", "mathit", "textup")
_FONTS = ("mathcal", "mathbf", "boldsymbol", "bm", "mathsf", "mathbb", "mathscr", "mathfrak",
          "vec", "hat", "tilde", "bar", "overline")


def tags(text: str) -> list[str]:
    r"""The equation tags of a piece of display math.

    >>> tags(r"a = b \tag{12} \\ c \tag*{8.1}")
    ['12', '8.1']
    """
    return [m.group(1).strip() for m in _TAG.finditer(text)]


def normalise(text: str) -> str:
    r"""Length-preserving rewrite of a row into the grammar's input (see the module doc).

    >>> normalise(r"\boxed{\|W_{rec}\|_2} &\leq \operatorname{diag}(x)").split()
    ['\x01', 'W_{rec}\x01', '_2', '\\leq', 'diag', '(x)']
    """
    m = _FORBIDDEN_RE.search(text)
    if m:
        raise FormulaError(
            f"\\{m.group(1)} is not read: macro definitions and file inclusion are never "
            "expanded; write the formula out")
    text = re.sub(r"(?<!\\)%[^\n]*", lambda m: _blank(m.group(0)), text)
    text = _TAG.sub(lambda m: _blank(m.group(0)), text)
    text = _LABEL.sub(lambda m: _blank(m.group(0)), text)
    text = _replace_envs(text, MATRICES, lambda old: r"\MATRIX")
    text = re.sub(r"\\(begin|end)\s*\{(" + "|".join(re.escape(w) for w in WRAPPERS) + r")\}(\{[^{}]*\})?",
                  lambda m: _blank(m.group(0)), text)
    for cmd in ("boxed", "fbox", "displaystyle") + _FONTS:
        text = _strip_command_keep_body(text, cmd)
    for cmd in _WORDCMD:
        text = _replace_braced(
            text, cmd,
            lambda body: re.sub(r"\s+", "", body) if re.fullmatch(r"\s*[A-Za-z]+\s*", body)
            else r"\TEXT")
    text = re.sub(r"\\(lVert|rVert|Vert)(?![a-zA-Z])|\\\||\|\|",
                  lambda m: _pad(NORM_BAR, m.group(0)), text)
    text = re.sub(r"\\(lvert|rvert|vert|mid)(?![a-zA-Z])|\|",
                  lambda m: _pad(ABS_BAR, m.group(0)), text)
    text = _BLANKED.sub(lambda m: _blank(m.group(0)), text)
    return text


# --------------------------------------------------------------------------------------
# The tree
# --------------------------------------------------------------------------------------
@dataclass
class Node:
    """A node of the read row: ``kind``, ``args`` (children or values) and the span
    ``start``/``end`` in the row's text (``line`` counted from the row's first line)."""

    kind: str
    args: tuple = ()
    start: int = 0
    end: int = 0
    line: int = 1
    sub: "Node | None" = None
    sup: "Node | None" = None
    primes: int = 0
    extra: dict = field(default_factory=dict)

    def __repr__(self) -> str:  # compact, for error messages and tests
        inner = ", ".join(repr(a) for a in self.args)
        s = f"{self.kind}({inner})"
        if self.sub is not None:
            s += f"_{self.sub!r}"
        if self.sup is not None:
            s += f"^{self.sup!r}"
        return s + "'" * self.primes


def _pos(items, meta=None):
    starts = [x.start for x in items if isinstance(x, Node)] + [
        x.start_pos for x in items if isinstance(x, Token) and x.start_pos is not None]
    ends = [x.end for x in items if isinstance(x, Node)] + [
        x.end_pos for x in items if isinstance(x, Token) and x.end_pos is not None]
    lines = [x.line for x in items if isinstance(x, (Node, Token)) and x.line is not None]
    return (min(starts) if starts else 0, max(ends) if ends else 0, min(lines) if lines else 1)


def _node(kind, items, args=None, meta=None):
    start, end, line = _pos(items)
    if meta is not None and not getattr(meta, "empty", True):
        start, end, line = meta.start_pos, meta.end_pos, meta.line
    return Node(kind, tuple(items if args is None else args), start, end, line)


@v_args(meta=True)
class _Build(Transformer_NonRecursive):
    """lark tree -> :class:`Node` (bottom-up, without recursion)."""

    def row(self, meta, items):
        return _node("row", items, [i for i in items if isinstance(i, Node)], meta)

    def lead(self, meta, items):
        return _node("lead", items, [str(items[0])], meta)

    def chain_head(self, meta, items):
        return _node("chain", items, [None] + list(items), meta)

    def chain_cont(self, meta, items):
        return _node("chain", items, [None] + list(items), meta)

    def rel_tail(self, meta, items):
        rel, expr = items
        return _node("rel", items, [_relation(str(rel)), expr], meta)

    def add(self, meta, items):
        return _node("add", items, [items[0], items[2]], meta)

    def sub(self, meta, items):
        return _node("sub", items, [items[0], items[2]], meta)

    def neg(self, meta, items):
        return _node("neg", items, [items[1]], meta)

    def pos(self, meta, items):
        return items[1]

    def mul(self, meta, items):
        return _node("mul", items, [items[0], items[2]], meta)

    def div(self, meta, items):
        return _node("div", items, [items[0], items[2]], meta)

    def juxt(self, meta, items):
        if len(items) == 1:
            return items[0]
        return _node("jux", items, None, meta)

    def bigop(self, meta, items):
        op = str(items[0]).split("\\")[1].rstrip()
        sub = next((i for i in items[1:-1] if isinstance(i, Node) and i.kind == "@sub"), None)
        sup = next((i for i in items[1:-1] if isinstance(i, Node) and i.kind == "@sup"), None)
        n = _node("bigop", items, [op.replace("limits", ""), items[-1]], meta)
        n.sub = sub.args[0] if sub else None
        n.sup = sup.args[0] if sup else None
        return n

    def postfix(self, meta, items):
        base, rest = items[0], items[1:]
        if not rest:
            return base
        if base.sub is not None or base.sup is not None or base.primes:
            base = Node("script", (base,), base.start, base.end, base.line)
        for s in rest:
            if s.kind == "@sub":
                if base.sub is not None:
                    base = Node("script", (base,), base.start, base.end, base.line)
                base.sub = s.args[0]
            elif s.kind == "@sup":
                if base.sup is not None:
                    base = Node("script", (base,), base.start, base.end, base.line)
                base.sup = s.args[0]
            else:
                base.primes += 1
            base.end = max(base.end, s.end)
        return base

    def script_sub(self, meta, items):
        return _node("@sub", items, None, meta)

    def script_sup(self, meta, items):
        return _node("@sup", items, None, meta)

    def prime(self, meta, items):
        return _node("@prime", items, None, meta)

    def braced(self, meta, items):
        if not items:
            return Node("empty")
        return items[0]

    def single(self, meta, items):
        tok = items[0]
        text = str(tok)
        kind = {"DIGIT": "num", "LETTER": "sym"}.get(tok.type, "cmd")
        val = int(text) if kind == "num" else text.lstrip("\\")
        return _node(kind, items, [val], meta)

    def inner(self, meta, items):
        if len(items) == 1:
            return items[0]
        return _node("relation", items, [items[0], _relation(str(items[1])), items[2]], meta)

    def tuple(self, meta, items):
        return _node("tuple", items, [i for i in items if isinstance(i, Node)], meta)

    def letter(self, meta, items):
        return _node("sym", items, [str(items[0])], meta)

    def word(self, meta, items):
        return _node("word", items, [str(items[0])], meta)

    def number(self, meta, items):
        # the "." of a decimal is an anonymous token lark drops: a decimal is the digits
        # around a gap in the positions
        digits = [i for i in items if isinstance(i, Token) and i.type == "DIGIT"]
        text = "".join(str(d) for d in digits)
        gaps = [b for a, b in zip(digits, digits[1:]) if b.start_pos != a.end_pos]
        if gaps:
            cut = digits.index(gaps[0])
            return _node("num", items, [text[:cut] + "." + text[cut:]], meta)
        return _node("num", items, [int(text)], meta)

    def greek(self, meta, items):
        return _node("sym", items, [str(items[0]).lstrip("\\")], meta)

    def func(self, meta, items):
        raw = re.sub(r"\s+", "", str(items[0])).lstrip("\\")
        if raw.startswith("sigma") and (raw.endswith("'") or raw.endswith("prime}") or raw.endswith("prime")):
            name = "dsigma"
        elif raw.startswith("sigma_"):
            name = "smax"
        elif raw.startswith("lambda_"):
            name = "lambda_max"
        else:
            name = raw
        return _node("func", items, [name], meta)

    def partial(self, meta, items):
        return _node("partial", items, [], meta)

    def ellipsis(self, meta, items):
        return _node("ellipsis", items, [], meta)

    def matrix(self, meta, items):
        return _node("matrix", items, [], meta)

    def text(self, meta, items):
        return _node("text", items, [], meta)

    def other(self, meta, items):
        return _node("other", items, [str(items[0])], meta)

    def group(self, meta, items):
        return _node("group", items, [items[0]], meta)

    def paren(self, meta, items):
        return _node("paren", items, [items[0]], meta)

    def bracket(self, meta, items):
        return _node("bracket", items, [items[0]], meta)

    def frac(self, meta, items):
        parts = [i for i in items if isinstance(i, Node)]
        if len(parts) == 2:
            return _node("frac", items, parts, meta)
        digits = [i for i in items if isinstance(i, Token) and i.type == "DIGIT"]
        return _node("frac", items, [Node("num", (int(digits[0]),)), Node("num", (int(digits[1]),))], meta)

    def sqrt(self, meta, items):
        return _node("sqrt", items, [items[-1]], meta)

    def norm(self, meta, items):
        return _node("norm", items, [items[1]], meta)

    def abs(self, meta, items):
        return _node("abs", items, [items[1]], meta)

    def start(self, meta, items):
        return items[0]


def _relation(text: str) -> str:
    return {"\\leq": "<=", "\\le": "<=", "\\leqslant": "<=", "<=": "<=", "\\geq": ">=",
            "\\ge": ">=", "\\geqslant": ">=", ">=": ">=", "\\lt": "<", "\\gt": ">",
            "\\neq": "!=", "\\ne": "!=", "\\approx": "~"}.get(text, text)


class _Bars:
    """Post-lexer: a bar opens unless a bar of its kind is open at this bracket depth and
    the previous token ends an operand (then it closes)."""

    always_accept = ("BAR", "DBAR")
    _OPERAND_END = {"LETTER", "WORD", "DIGIT", "GREEK", "RNORM", "RABS", "RPAR", "RSQB",
                    "RBRACE", "PRIME", "ELLIPSIS", "MATRIX", "SCRIPTCMD", "STAR", "TEXT"}
    _OPEN = {"LPAR", "LSQB", "LBRACE"}
    _CLOSE = {"RPAR", "RSQB", "RBRACE"}

    def process(self, stream):
        stack: list[str] = []
        prev = None
        count = 0
        for tok in stream:
            count += 1
            if count > MAX_TOKENS:
                raise FormulaError(f"the row has more than {MAX_TOKENS} tokens; split it")
            if tok.type in ("BAR", "DBAR"):
                kind = "abs" if tok.type == "BAR" else "norm"
                if stack and stack[-1] == kind and prev in self._OPERAND_END:
                    stack.pop()
                    tok = Token.new_borrow_pos("RABS" if kind == "abs" else "RNORM", tok.value, tok)
                else:
                    stack.append(kind)
                    tok = Token.new_borrow_pos("LABS" if kind == "abs" else "LNORM", tok.value, tok)
            elif tok.type in self._OPEN:
                stack.append(tok.type)
            elif tok.type in self._CLOSE and stack and stack[-1] in self._OPEN:
                stack.pop()
            if len(stack) > MAX_NESTING:
                raise FormulaError(f"brackets nest deeper than {MAX_NESTING}; simplify the row")
            prev = tok.type
            yield tok


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    """The LALR(1) parser of ``latex.lark``, built at its first use (building the tables
    takes a noticeable part of a second: a command that reads no LaTeX never pays it)."""
    grammar = resources.files(__package__).joinpath("latex.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer="contextual", postlex=_Bars(),
                propagate_positions=True, maybe_placeholders=False)


def _nesting(text: str) -> int:
    depth = best = 0
    for c in text:
        if c in "{([":
            depth += 1
            best = max(best, depth)
        elif c in "})]":
            depth -= 1
    return best


def parse_row(text: str) -> Node:
    """Parse one normalised row (see :func:`normalise`) into a ``row`` :class:`Node`.

    >>> r = parse_row(normalise(r"\\|A\\|_2 \\leq \\|A\\|_F"))
    >>> r.args[0].args[1].kind, r.args[0].args[2].args[0]
    ('norm', '<=')
    """
    if len(text) > MAX_ROW_CHARS:
        raise FormulaError(f"the row has {len(text)} characters; at most {MAX_ROW_CHARS} are read")
    if _nesting(text) > MAX_NESTING:
        raise FormulaError(f"brackets nest deeper than {MAX_NESTING}; simplify the row")
    if not text.strip():
        raise FormulaError("the row is empty")
    try:
        tree = _parser().parse(text)
    except FormulaError:
        raise
    except UnexpectedEOF as exc:
        raise FormulaError("not a formula the LaTeX reader takes: unexpected end of the row") from None
    except UnexpectedCharacters as exc:
        if text.startswith("\\{", exc.pos_in_stream):
            raise FormulaError("a set \\{…\\} (a max or min over listed values, such as "
                               "max{|λ_1|, …, |λ_n|}) is not read; write ρ(A), σ_max(A) or "
                               "λ_max(A) as a function") from None
        bad = "".join(ch for ch in text[exc.pos_in_stream:exc.pos_in_stream + 12].split("\n")[0]
                      if ch.isprintable())
        raise FormulaError(f"not a formula the LaTeX reader takes: unexpected {bad!r} "
                           f"at column {exc.column}") from None
    except UnexpectedInput as exc:
        tok = getattr(exc, "token", None)
        if tok is not None and tok.type == "$END":
            before = text.rstrip()[-1:] or "?"
            raise FormulaError("not a formula the LaTeX reader takes: unexpected end of the row "
                               f"(after {before!r})") from None
        what = repr(str(tok)) if tok is not None else "input"
        raise FormulaError(f"not a formula the LaTeX reader takes: unexpected {what} at column "
                           f"{getattr(exc, 'column', '?')}") from None
    except LarkError as exc:
        raise FormulaError(f"not a formula the LaTeX reader takes: {str(exc).splitlines()[0]}") from None
    return _Build().transform(tree)


__all__ = ["parse_row", "normalise", "normalise_unicode", "tags", "Node", "FORBIDDEN",
           "MAX_ROW_CHARS", "MAX_NESTING", "MAX_TOKENS"]
