r"""Translate a side of a link (a tree of :mod:`.reader`) into the formula language.

Matrix sides become formula text of :mod:`derive.formula` (``W``, ``D[i]``, ``prod_down``,
``@``, ``.T``); norm-valued sides become the statement language's scalar text
(``norm2(X)``, ``normF(X)``, ``smax(X)``, ``rho(X)``, ``abs``, ``gamma``, ``eta``). A
Jacobian symbol ``\frac{\partial x_a}{\partial x_b}`` is replaced by the closed form of
the declared form and layout (which the dispatcher proves is the Jacobian at the same
sizes before relying on it) and recorded, with the condition ``a >= b`` it needs. What
it cannot translate raises :class:`Unsupported` with the reason.

>>> from .frontmatter import Model
>>> from .reader import normalise, parse_row
>>> side = parse_row(normalise(r"\prod_{j=k+1}^{t} W_{rec} \operatorname{diag}(\sigma'(x_{j-1}))")).args[0].args[1]
>>> Translator(Model()).side(side).text
'prod_down(j, t, k + 1, W @ diag(dsigma(x[j - 1])))'
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .frontmatter import Model, symbol_name
from .reader import Node

#: Product variables of the formula language, and index variables it reads.
_BOUND = ("i", "j")
_FREE = ("t", "k", "i", "j")
_TRANSPOSE = {"T", "top", "intercal", "*", "ast", "\\top", "\\intercal", "\\ast"}
#: The generic matrix of linear-algebra statements (σ_max(A) = √λ_max(A*A)); complex, so
#: its ``^*`` is the conjugate transpose (the model's real matrices: the transpose).
GENERIC = "A"
_CONJUGATE = {"*", "ast", "\\ast", "H", "dagger", "\\dagger"}
_LOSSES = {"E": ("E", "mathcal"), "L": ("L",), "J": ("J",)}


class Unsupported(Exception):
    """The text is not a statement the checker can read; the message says why."""


@dataclass(frozen=True)
class Index:
    """An integer linear form over index variables: ``{var: coeff}`` and a constant."""

    coeffs: tuple = ()
    const: int = 0

    @staticmethod
    def of(d: dict, c: int) -> "Index":
        return Index(tuple(sorted((v, x) for v, x in d.items() if x)), c)

    def plus(self, other: "Index", sign: int = 1) -> "Index":
        d = dict(self.coeffs)
        for v, x in other.coeffs:
            d[v] = d.get(v, 0) + sign * x
        return Index.of(d, self.const + sign * other.const)

    def shift(self, c: int) -> "Index":
        return Index(self.coeffs, self.const + c)

    def variables(self) -> set:
        return {v for v, _ in self.coeffs}

    def value(self, env: dict) -> int:
        return sum(x * env[v] for v, x in self.coeffs) + self.const

    def __str__(self) -> str:
        parts = []
        for v, x in self.coeffs:
            term = v if abs(x) == 1 else f"{abs(x)}*{v}"
            parts.append(("- " if x < 0 else "+ ") + term)
        if self.const or not parts:
            parts.append(("- " if self.const < 0 else "+ ") + str(abs(self.const)))
        s = " ".join(parts)
        return s[2:] if s.startswith("+ ") else "-" + s[2:]


@dataclass(frozen=True)
class Side:
    """A translated side: ``text`` in the formula language, ``kind`` (``matrix``,
    ``vector``, ``number``, ``real``), the Jacobian symbols it replaced (``(a, b)``
    index pairs, with the product variables they sit under) and whether it is one bare
    Jacobian symbol."""

    text: str
    kind: str
    jacobians: tuple = ()
    bare: tuple | None = None
    free: frozenset = field(default=frozenset())
    gradient: bool = False
    bare_gradient: tuple | None = None
    state_gradients: bool = False


@dataclass
class _T:
    text: str
    kind: str
    prec: int = 100  # 100 atom, 50 product, 30 sum


def _flat(node: Node | None) -> str:
    """The letters of a subscript, flattened (``{rec}`` -> ``rec``, ``{hh}`` -> ``hh``)."""
    if node is None:
        return ""
    if node.kind in ("sym", "word", "cmd", "other"):
        return str(node.args[0]).lstrip("\\")
    if node.kind == "num":
        return str(node.args[0])
    if node.kind in ("jux", "group"):
        return "".join(_flat(a) for a in node.args if isinstance(a, Node))
    return "?"


def _mentions(node: Node, var: str) -> bool:
    """Does the letter ``var`` occur anywhere in ``node`` (subscripts included)?"""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.kind == "sym" and n.args and n.args[0] == var:
            return True
        stack.extend(x for x in n.args if isinstance(x, Node))
        stack.extend(x for x in (n.sub, n.sup) if x is not None)
    return False


def _split_bigop(node: Node):
    """The body of ``\\prod_{j}``/``\\sum_{k}`` as people write it: a body that starts with a
    bracketed group is that group only (``\\prod_j [A_j] B``, as the blog's eq. 9 is
    written); otherwise trailing derivatives that do not mention the variable stand outside
    (``\\prod_j A_j \\frac{\\partial^+ x_k}{\\partial\\theta}`` is the product times the
    derivative; a matrix such as ``W`` stays in the body). Returns the operator with its body and the
    factors after it."""
    body = node.args[1]
    if body.kind != "jux" or len(body.args) < 2:
        return node, []
    items = list(body.args)
    if items[0].kind in ("bracket", "paren", "group") and items[0].sub is None \
            and items[0].sup is None:
        keep = 1
    else:
        var = node.sub.args[0].args[0] if (node.sub is not None and node.sub.kind == "relation"
                                           and node.sub.args[0].kind == "sym") else None
        keep = len(items)
        while var is not None and keep > 1 and items[keep - 1].kind == "frac" \
                and not _mentions(items[keep - 1], var):
            keep -= 1
        if keep == len(items):
            return node, []
    inner = items[0] if keep == 1 else Node("jux", tuple(items[:keep]), body.start, body.end, body.line)
    short = Node("bigop", (node.args[0], inner), node.start, node.end, node.line,
                 sub=node.sub, sup=node.sup)
    return short, items[keep:]


class Translator:
    """Translate sides under a declared :class:`~.frontmatter.Model` (its layout and
    product order fix how Jacobian symbols and ``\\prod`` read)."""

    def __init__(self, model: Model, order: str | None = None, layout: str | None = None):
        self.model = model
        self.order = order or model.order
        self.layout = layout or model.layout
        self.jacobians: list = []
        self.bound: list[str] = []
        self.ranges: dict = {}
        self.gradient = False
        self.state_gradients = False
        self.renames: dict[str, str] = {}
        self.free: set[str] = set()
        self.names = {model.W_rec: "W", model.W_in: "W_in", model.b: "b", "I": "I"}
        # A: a generic (complex, any shape) matrix, as linear-algebra definitions write it,
        # unless the front matter gives the letter to the model
        self.names.setdefault(GENERIC, GENERIC)

    # ---------------------------------------------------------------- entry points
    def side(self, node: Node) -> Side:
        """Translate one side of a link."""
        self.jacobians, self.free, self.gradient = [], set(), False
        self.state_gradients = False
        bare = self._bare(node)
        plain = self._unwrap(node)
        if plain.kind == "frac":
            d = self._derivative(plain)
            if d is not None and d[0] == "grad":
                if d[1] is not None:
                    self.index(d[1])  # its index is free
                return Side("", "gradient", (), None, frozenset(self.free), True, d)
            if d is not None and d[0] == "xgrad" and d[1] == Index((("t", 1),)):
                self.free.add("t")
                return Side("", "gradient", (), None, frozenset(self.free), True, d)
        out = self.expr(node)
        return Side(out.text, out.kind, tuple(self.jacobians), bare, frozenset(self.free),
                    self.gradient, None, self.state_gradients)

    def _bare(self, node: Node):
        node = self._unwrap(node)
        if node.kind == "frac":
            d = self._derivative(node)
            if d is not None and d[0] == "jac":
                return d[1], d[2]
        return None

    @staticmethod
    def _unwrap(node: Node) -> Node:
        while node.kind in ("group", "paren", "bracket") and node.sub is None and node.sup is None \
                and not node.primes:
            node = node.args[0]
        return node

    # ---------------------------------------------------------------- indices
    def index(self, node: Node) -> Index:
        """An index expression (``t-1``, ``k+1``, ``2j``)."""
        k = node.kind
        if k == "num" and isinstance(node.args[0], int) and node.sub is None and node.sup is None:
            return Index((), node.args[0])
        if k == "sym" and node.sub is None and node.sup is None:
            v = str(node.args[0])
            v = self.renames.get(v, v)
            if v not in _FREE:
                raise Unsupported(f"the index {v!r} is not one of t, k, i, j (or a product's own variable)")
            if v not in self.bound:
                self.free.add(v)
            return Index(((v, 1),), 0)
        if k == "add":
            return self.index(node.args[0]).plus(self.index(node.args[1]))
        if k == "sub":
            return self.index(node.args[0]).plus(self.index(node.args[1]), -1)
        if k == "neg":
            return Index().plus(self.index(node.args[0]), -1)
        if k in ("group", "paren") and node.sub is None and node.sup is None:
            return self.index(node.args[0])
        if k == "jux" and len(node.args) == 2 and node.args[0].kind == "num":
            inner = self.index(node.args[1])
            c = node.args[0].args[0]
            return Index.of({v: c * x for v, x in inner.coeffs}, c * inner.const)
        raise Unsupported(f"the index {_flat(node) or node.kind!r} is not an integer expression "
                          "in t, k, i, j")

    # ---------------------------------------------------------------- symbols
    def _sym_name(self, node: Node) -> str:
        base = str(node.args[0]).lstrip("\\")
        return base + ("_" + _flat(node.sub) if node.sub is not None else "")

    def _state_index(self, node: Node):
        """(letter, Index) when ``node`` is a state-like sequence symbol with an index."""
        if node.kind != "sym" or node.sub is None:
            return None
        letter = str(node.args[0])
        if letter not in (self.model.state, self.model.input, "a", "z"):
            return None
        if node.sup is not None and _flat(node.sup).isdigit():
            raise Unsupported(f"{letter}_{{..}}^{_flat(node.sup)} is one entry of a vector; "
                              "write whole vectors and matrices")
        return letter, self.index(node.sub)

    def _sequence(self, letter: str, idx: Index) -> _T:
        form = self.model.form
        if letter == self.model.state:
            name = "x" if form == "A" else "h"
        elif letter == self.model.input:
            name = "u"
        else:  # a, z: the argument of σ
            name = "a"
        return _T(f"{name}[{idx}]", "vector")

    def symbol(self, node: Node) -> _T:
        name = self._sym_name(node)
        seq = self._state_index(node)
        if seq is not None:
            out = self._sequence(*seq)
            return self._powers(out, node, skip_sub=True)
        if node.sub is not None and name not in self.names:
            plain = str(node.args[0])
            if plain not in ("gamma", "eta") and plain != self.model.loss:
                raise Unsupported(f"the symbol {name} is not declared (the front matter names "
                                  f"W_rec: {self.model.W_rec}, W_in: {self.model.W_in}, b: "
                                  f"{self.model.b}, state: {self.model.state})")
        if name in self.names:
            target = self.names[name]
            kind = "vector" if target == "b" else "matrix"
            return self._powers(_T(target, kind), node, skip_sub=True)
        plain = str(node.args[0])
        if plain in ("gamma", "eta") and node.sub is None:
            return self._powers(_T(plain, "real"), node, skip_sub=True)
        if plain == self.model.state and node.sub is None:
            raise Unsupported(f"{plain} has no time index; write {plain}_t")
        raise Unsupported(f"the symbol {name} is not one the checker knows (declare it in the "
                          "front matter, e.g. W_rec: W_{hh})")

    def _powers(self, out: _T, node: Node, skip_sub: bool = False) -> _T:
        if not skip_sub and node.sub is not None:
            raise Unsupported(f"a subscript on {out.text} is not read")
        if node.primes:
            raise Unsupported(f"a prime on {out.text} is not read (write \\sigma' for σ′)")
        sup = node.sup
        if sup is None:
            return out
        flat = _flat(sup)
        if out.text == GENERIC and (flat in _CONJUGATE or (sup.kind in ("cmd", "other")
                                                          and flat in ("ast", "dagger"))):
            return _T(GENERIC + ".H", "matrix", 95)
        if flat in _TRANSPOSE or (sup.kind in ("cmd", "other") and flat in ("top", "intercal", "ast")):
            if out.kind in ("matrix", "vector"):
                return _T(self._wrap(out, 100) + ".T", out.kind, 95)
            return out  # a real number is its own transpose
        if sup.kind == "num" and isinstance(sup.args[0], int):
            p = sup.args[0]
            if out.kind == "matrix":
                if p > 8:
                    raise Unsupported(f"the power {p} is beyond 8 (write the product)")
                return _T(self._wrap(out, 100) + f"**{p}", "matrix", 90)
            if out.kind in ("real", "number"):
                return _T(self._wrap(out, 100) + f"**{p}", out.kind, 90)
        if out.kind in ("real",):
            idx = self.index(sup)
            return _T(self._wrap(out, 100) + f"**({idx})", "real", 90)
        raise Unsupported(f"the exponent {flat!r} of {out.text} is not read (transposes are "
                          "^T or ^\\top; powers are whole numbers up to 8)")

    @staticmethod
    def _wrap(t: _T, prec: int) -> str:
        return t.text if t.prec >= prec else f"({t.text})"

    # ---------------------------------------------------------------- derivatives
    def _partial_target(self, node: Node):
        node = self._unwrap(node)
        if node.kind == "jux" and node.args and node.args[0].kind == "partial":
            p = node.args[0]
            rest = node.args[1:]
            if len(rest) == 1:
                return rest[0], p.sup
            return Node("jux", tuple(rest)), p.sup
        return None

    def _derivative(self, node: Node):
        num = self._partial_target(node.args[0])
        den = self._partial_target(node.args[1])
        if num is None or den is None:
            return None
        (a, a_sup), (b, _) = num, den
        a, b = self._symbolic(a), self._symbolic(b)
        sa, sb = self._state_index(a), self._state_index(b)
        if sa and sb and sa[0] == sb[0] == self.model.state and a_sup is None:
            return "jac", sa[1], sb[1]
        theta = self._theta(b)
        plus = a_sup is not None and _flat(a_sup) == "+"
        if a.kind == "sym" and str(a.args[0]) in ("E", "L", "J", "l", "mathcal") \
                and str(a.args[0]) != self.model.loss and (sb or theta is not None):
            raise Unsupported(f"{a.args[0]} is not the declared loss ({self.model.loss}); "
                              f"declare loss: {a.args[0]} in the front matter")
        if a.kind == "sym" and str(a.args[0]) == self.model.loss and a.sup is None:
            if sb and sb[0] == self.model.state:
                if a.sub is None or self.index(a.sub) != sb[1]:
                    raise Unsupported("∂E_t/∂x_k for k ≠ t is not a name of the gradient language "
                                      "(∂E_t/∂x_t is)")
                return "dE", sb[1]
            if theta is not None:
                return "grad", a.sub, theta
            return "other", a, b
        if sa and sa[0] == self.model.state and (plus or self._is_g(b)):
            return "dplus", sa[1]
        if sa and sa[0] == self.model.state and theta is not None:
            return "xgrad", sa[1], theta
        return "other", a, b

    def _symbolic(self, node: Node) -> Node:
        """``\\mathcal{E}_t`` (a group with a subscript) read as the symbol ``E_t``."""
        node = self._unwrap(node)
        if node.kind == "group" and node.args[0].kind == "sym" and node.args[0].sub is None:
            inner = node.args[0]
            return Node("sym", inner.args, node.start, node.end, node.line, sub=node.sub,
                        sup=node.sup, primes=node.primes)
        return node

    @staticmethod
    def _is_g(node: Node) -> bool:
        return node.kind == "sym" and str(node.args[0]) == "g" and node.sub is None

    def _theta(self, node: Node):
        """The parameter a denominator names (θ: the declared one), or None."""
        if node.kind != "sym":
            return None
        if str(node.args[0]) == "theta" and node.sub is None:
            return self.model.theta
        name = self._sym_name(node)
        if name in self.names and self.names[name] in ("W", "W_in", "b"):
            return {"W": "W_rec", "W_in": "W_in", "b": "b"}[self.names[name]]
        if name == "W":
            return "W"
        return None

    def state_gradient(self, e: Index) -> _T:
        """∂x_e/∂θ (the total derivative of the state) as the sum of its paths,
        Σ_{k=1}^{e} ∂x_e/∂x_k ∂⁺x_k/∂θ — the substitution the dispatcher proves."""
        if self.layout != "numerator":
            raise Unsupported("∂x_t/∂θ is read in numerator layout only")
        used = set(self.bound) | set(self.free) | e.variables()
        k = next((v for v in ("k", "i", "j") if v not in used), None)
        p = next((v for v in _BOUND if v not in used and v != k), None)
        if k is None or p is None or len([v for v in self.bound if v in _BOUND]) >= 2:
            raise Unsupported("∂x_t/∂θ nested this deep is beyond the formula language")
        step = f"W @ D[{p} - 1]" if self.model.form == "A" else f"D[{p}] @ W"
        return _T(f"sum({k}, 1, {e}, prod_down({p}, {e}, {k} + 1, {step}) @ dplus[{k}])", "matrix")

    def closed_form(self, a: Index, b: Index) -> _T:
        """The closed form of ``∂s_a/∂s_b`` in the translator's form and layout."""
        form, layout = self.model.form, self.layout
        if a == b.shift(1):
            step = {("A", "numerator"): f"W @ D[{a.shift(-1)}]",
                    ("B", "numerator"): f"D[{a}] @ W",
                    ("A", "denominator"): f"D[{a.shift(-1)}] @ W.T",
                    ("B", "denominator"): f"W.T @ D[{a}]"}[form, layout]
            return _T(step, "matrix", 50)
        var = next((v for v in _BOUND if v not in self.bound and v not in a.variables()
                    and v not in b.variables()), None)
        if var is None or len([v for v in self.bound if v in _BOUND]) >= 2:
            raise Unsupported("Jacobian symbols nested this deep are beyond the formula language")
        body = {("A", "numerator"): f"W @ D[{var} - 1]", ("B", "numerator"): f"D[{var}] @ W",
                ("A", "denominator"): f"D[{var} - 1] @ W.T",
                ("B", "denominator"): f"W.T @ D[{var}]"}[form, layout]
        if layout == "numerator":
            return _T(f"prod_down({var}, {a}, {b.shift(1)}, {body})", "matrix")
        return _T(f"prod_up({var}, {b.shift(1)}, {a}, {body})", "matrix")

    # ---------------------------------------------------------------- expressions
    def expr(self, node: Node) -> _T:
        k = node.kind
        if k in ("add", "sub"):
            left, right = self.expr(node.args[0]), self.expr(node.args[1])
            kind = self._same(left, right, "+" if k == "add" else "-")
            op = "+" if k == "add" else "-"
            rt = right.text if right.prec > 30 else f"({right.text})"
            return _T(f"{left.text} {op} {rt}", kind, 30)
        if k == "neg":
            inner = self.expr(node.args[0])
            return _T(f"-{self._wrap(inner, 60)}", inner.kind, 60)
        if k == "mul":
            return self._product([node.args[0], node.args[1]])
        if k == "div":
            left, right = self.expr(node.args[0]), self.expr(node.args[1])
            return self._divide(left, right)
        if k == "jux":
            return self._product(list(node.args))
        return self.atom(node)

    def _same(self, a: _T, b: _T, op: str) -> str:
        kinds = {a.kind, b.kind}
        if len(kinds) == 1:
            return a.kind
        if kinds <= {"real", "number"}:
            return "real"
        raise Unsupported(f"{a.text} {op} {b.text} adds a {a.kind} and a {b.kind}")

    def _divide(self, left: _T, right: _T) -> _T:
        if right.kind == "number" and left.kind in ("matrix", "vector", "number"):
            return _T(f"{self._wrap(left, 50)} / {self._wrap(right, 100)}", left.kind, 50)
        if left.kind in ("real", "number") and right.kind in ("real", "number"):
            return _T(f"{self._wrap(left, 50)} / {self._wrap(right, 100)}", "real", 50)
        raise Unsupported(f"division of a {left.kind} by a {right.kind} is not read")

    def _product(self, items: list) -> _T:
        factors: list[_T] = []
        i = 0
        while i < len(items):
            node = items[i]
            if node.kind == "func" or (node.kind == "word" and str(node.args[0]) in ("diag", "tanh")):
                name = str(node.args[0])
                if i + 1 >= len(items) or items[i + 1].kind not in ("paren", "bracket", "group"):
                    raise Unsupported(f"{name} needs an argument in brackets")
                arg = items[i + 1]
                call = self.call(name, arg.args[0], node)
                factors.append(self._powers(call, arg))
                i += 2
                continue
            if node.kind == "partial":
                raise Unsupported("a ∂ outside a fraction \\frac{\\partial …}{\\partial …} is not read")
            if node.kind == "word":
                factors.extend(self._word(node))
                i += 1
                continue
            factors.append(self.expr(node) if node.kind in ("jux", "add", "sub", "mul", "div", "neg")
                           else self.atom(node))
            i += 1
        return self._multiply(factors)

    def _word(self, node: Node) -> list:
        word = str(node.args[0])
        if word in self.names:
            return [self._powers(_T(self.names[word], "matrix"), node, skip_sub=True)]
        out = [self.symbol(Node("sym", (ch,))) for ch in word[:-1]]
        last = Node("sym", (word[-1],), sub=node.sub, sup=node.sup, primes=node.primes)
        return out + [self.symbol(last)]

    def _multiply(self, factors: list) -> _T:
        if len(factors) == 1:
            return factors[0]
        kinds = [f.kind for f in factors]
        if all(k in ("real", "number") for k in kinds):
            kind = "number" if all(k == "number" for k in kinds) else "real"
            return _T(" * ".join(self._wrap(f, 50) for f in factors), kind, 50)
        if "real" in kinds:
            raise Unsupported("a product of a norm-valued number and a matrix is not read")
        mats = [f for f in factors if f.kind != "number"]
        kind = mats[-1].kind if mats else "number"
        if any(f.kind == "vector" for f in mats[:-1]):
            kind = "matrix"  # an outer product or a transposed vector
        text = " @ ".join(self._wrap(f, 51) for f in factors)
        return _T(text, kind, 50)

    def call(self, name: str, arg: Node, head: Node) -> _T:
        if name == "dsigma":
            inner = self.expr(arg)
            if inner.kind != "vector":
                raise Unsupported(f"σ′ of a {inner.kind} is not read; σ′ acts on a vector such as x_t")
            return _T(f"dsigma({inner.text})", "vector")
        if name == "sigma":
            inner = self.expr(arg)
            if inner.kind != "vector":
                raise Unsupported(f"σ of a {inner.kind} is not read")
            return _T(f"sigma({inner.text})", "vector")
        if name == "diag":
            inner = self.expr(arg)
            if inner.kind != "vector":
                raise Unsupported(f"diag of a {inner.kind} is not read; diag takes a vector")
            return _T(f"diag({inner.text})", "matrix")
        if name in ("smax", "rho", "lambda_max"):
            inner = self.expr(arg)
            if inner.kind != "matrix":
                raise Unsupported(f"{name} of a {inner.kind} is not read")
            return _T(f"{'lmax' if name == 'lambda_max' else name}({inner.text})", "real")
        raise Unsupported(f"the function \\{name} is not one the checker reads (σ, σ′, diag, "
                          "σ_max, λ_max, ρ, norms, \\sqrt)")

    def atom(self, node: Node) -> _T:
        k = node.kind
        if k == "sym":
            return self.symbol(node)
        if k == "word":
            return self._multiply(self._word(node))
        if k == "num":
            if not isinstance(node.args[0], int):
                raise Unsupported(f"the decimal {node.args[0]} is not read; write a fraction")
            return self._powers(_T(str(node.args[0]), "number"), node)
        if k in ("group", "paren", "bracket"):
            inner = self.expr(node.args[0])
            return self._powers(_T(inner.text, inner.kind, inner.prec), node)
        if k == "frac":
            return self._powers(self._frac(node), node)
        if k == "norm":
            inner = self.expr(node.args[0])
            sub = _flat(node.sub) if node.sub is not None else "2"
            if inner.kind not in ("matrix", "vector"):
                raise Unsupported(f"the norm of a {inner.kind} is not read")
            fn = {"2": "norm2", "F": "normF"}.get(sub)
            if fn is None:
                raise Unsupported(f"the norm ‖·‖_{sub} is not read (‖·‖_2 and ‖·‖_F are)")
            out = _T(f"{fn}({inner.text})", "real")
            node2 = Node(k, node.args, sup=node.sup, primes=node.primes)
            return self._powers(out, node2)
        if k == "abs":
            inner = self.expr(node.args[0])
            if inner.kind not in ("real", "number"):
                raise Unsupported("|·| of a matrix is not read (write a norm)")
            return self._powers(_T(f"abs({inner.text})", "real"), node)
        if k == "bigop":
            short, rest = _split_bigop(node)
            if rest:
                return self._multiply([self._bigop(short)] + [self.expr(r) for r in rest])
            return self._bigop(node)
        if k == "script":
            return self._powers(self.atom(node.args[0]), node)
        if k == "ellipsis":
            raise Unsupported("an ellipsis (…) stands for steps not written out")
        if k == "matrix":
            raise Unsupported("a matrix written entry by entry is not read; write it with "
                              "W, diag(σ′(x)) and products")
        if k == "text":
            raise Unsupported("prose (\\text{…}) is not a formula")
        if k == "tuple":
            raise Unsupported("a list of arguments (a, b, …) is not read")
        if k == "func":
            raise Unsupported(f"{node.args[0]} needs an argument in brackets")
        if k == "partial":
            raise Unsupported("a ∂ outside \\frac{\\partial …}{\\partial …} is not read")
        if k == "sqrt":
            inner = self.expr(node.args[-1])
            if inner.kind not in ("real", "number"):
                raise Unsupported(f"\\sqrt of a {inner.kind} is not read (it takes a number "
                                  "such as λ_max(A*A))")
            return self._powers(_T(f"sqrt({inner.text})", "real"), node)
        if k == "other":
            raise Unsupported(f"the command {node.args[0]} is not read")
        raise Unsupported(f"{k} is not read")

    def _frac(self, node: Node) -> _T:
        d = self._derivative(node)
        if d is not None:
            if d[0] == "jac":
                a, b = d[1], d[2]
                self.jacobians.append((a, b, tuple((v, *self.ranges[v]) for v in self.bound)))
                return self.closed_form(a, b)
            if d[0] == "dE":
                self.gradient = True
                return _T(f"dE[{d[1]}]", "matrix")
            if d[0] == "dplus":
                self.gradient = True
                return _T(f"dplus[{d[1]}]", "matrix")
            if d[0] == "xgrad":
                self.gradient = True
                self.state_gradients = True
                return self.state_gradient(d[1])
            if d[0] == "grad":
                raise Unsupported("∂E_t/∂θ inside an expression is not read; it may stand alone "
                                  "on one side of =")
            raise Unsupported("a derivative of an expression, or with respect to θ or g, is "
                              "not a Jacobian symbol ∂x_t/∂x_k; write its result")
        num, den = self.expr(node.args[0]), self.expr(node.args[1])
        return self._divide(num, den)

    def _bigop(self, node: Node) -> _T:
        op = node.args[0]
        sub = node.sub
        if sub is None or sub.kind != "relation" or sub.args[1] != "=" or node.sup is None:
            raise Unsupported(f"\\{op} needs its range written as _{{j=k+1}}^{{t}}")
        var_node = sub.args[0]
        if var_node.kind != "sym":
            raise Unsupported(f"the variable of \\{op} must be a letter")
        var = str(var_node.args[0])
        lo, hi = self.index(sub.args[2]), self.index(node.sup)
        pool = ("k", "i", "j") if op == "sum" else _BOUND
        mine = var if var in pool and var not in self.bound and var not in self.free else next(
            (v for v in pool if v not in self.bound and v not in self.free), None)
        if mine is None:
            raise Unsupported("products nest deeper than the formula language allows (2)")
        old = self.renames.get(var)
        self.renames[var] = mine
        self.bound.append(mine)
        self.ranges[mine] = (lo, hi)
        try:
            body = self.expr(node.args[1])
        finally:
            self.bound.pop()
            self.ranges.pop(mine, None)
            if old is None:
                self.renames.pop(var, None)
            else:
                self.renames[var] = old
        if op == "sum":
            if body.kind == "real":
                return _T(f"sum({mine}, {lo}, {hi}, {body.text})", "real")
            self.gradient = True
            return _T(f"sum({mine}, {lo}, {hi}, {body.text})", body.kind)
        if body.kind == "real":
            return _T(f"prod_down({mine}, {hi}, {lo}, {body.text})", "real")
        if body.kind != "matrix":
            raise Unsupported(f"\\prod of a {body.kind} is not read")
        if self.order == "down":
            return _T(f"prod_down({mine}, {hi}, {lo}, {body.text})", "matrix")
        return _T(f"prod_up({mine}, {lo}, {hi}, {body.text})", "matrix")


__all__ = ["Translator", "Side", "Index", "Unsupported"]
