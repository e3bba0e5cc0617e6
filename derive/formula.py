"""A small, safe expression language for users' Jacobian formulas.

A formula is one line of Python-like syntax, parsed by :func:`parse` with Python's
``ast`` module (``mode="eval"``) and a whitelist walk. Nothing of the user's text is
ever evaluated (no ``eval``, ``exec``, ``compile``-to-run or ``sympify``): the parser
builds its own small tree, which prints (text, LaTeX) and compiles to a *candidate*
``candidate(net, t, k) -> matrix`` that uses only the network protocol of
:mod:`derive.network`.

The language (full guide with examples in ``docs/check.md``):

* matrices ``W`` (= ``W_rec``, n×n), ``W_in`` (n×m), ``b`` (n×1), ``I`` (n×n identity);
* sequences, always with an index: ``x[e]``, ``h[e]`` (n×1), ``a[e]`` (= ``x[e]``),
  ``u[e]`` (m×1) and ``D[e]`` (= ``diag(dsigma(x[e]))``). ``h = σ(x)`` in both forms:
  in form A the state is ``x`` and ``h[j]`` is ``σ(x_j)``; in form B the state is ``h``
  and ``x[j]`` is the pre-activation ``W_rec h_{j-1} + W_in u_j + b`` of ``h_j``;
* functions ``diag(v)``, ``sigma(v)``, ``dsigma(v)`` (elementwise σ and σ'), and the
  ordered products ``prod_down(i, t, k+1, F)`` = F(t) F(t−1) ⋯ F(k+1) (largest index
  leftmost), ``prod_up(i, k+1, t, F)`` = F(k+1) ⋯ F(t) (smallest index leftmost), and
  ``prod(i, first, last, F)`` whose direction is read off its bounds (an error when the
  bounds do not fix it); an empty product is ``I``;
* operators ``*`` and ``@`` (matrix product; scalar times matrix), ``+``, ``-``,
  ``.T`` (transpose), ``M**p`` for a literal ``0 <= p <= 8``, ``/`` by a number;
* indices: integer arithmetic (``+``, ``-``, integer times index) on ``t``, ``k`` and
  the product variables ``i``, ``j``.

Two more grammars share the tree and the budgets:

* **gradient formulas** (:func:`parse_gradient`): the names above plus ``dE[t]``
  (∂E_t/∂x_t, 1×n), ``dplus[k]`` (the immediate partial ∂⁺x_k/∂θ, n×|θ|), ``z[k]``
  (``[σ(x_{k−1}); u_k; 1]``), ``W_all`` (``[W_rec W_in b]``), ``kron(A, B)``,
  ``outer(a, b)``, ``sum(k, first, last, F)``, entries ``M[i, j]`` (1-based, 1×1, multiply
  like scalars) and the index ``T``; they are checked by :mod:`derive.gradient_formula`;
* **statements** (:func:`parse_statement`): comparisons ``< <= > >= ==`` (chains split into
  links) of scalars built from ``norm2``, ``normF``, ``smax``, ``rho``, ``abs``, ``sqrt`` of
  these matrices, ``gamma``, ``eta``, integers, indices, ``+ - * / **``, ``prod``/``sum`` over
  an index; parsed to :mod:`derive.norm_expr` for the lemma checker.

A formula that mentions ``k`` (or contains a product) is a formula for ``∂s_t/∂s_k``
(every ``0 <= k < t <= T``); one that does not is a one-step Jacobian ``∂s_i/∂s_{i−1}``
whose step may be called ``i``, ``j`` or ``t``.

>>> f = parse("W.T * diag(dsigma(x[i-1]))")
>>> print(f)
W.T @ diag(dsigma(x[i - 1]))
>>> f.latex()
'W_{rec}^{T} \\\\operatorname{diag}\\\\left(\\\\sigma^{\\\\prime}\\\\left(x_{i - 1}\\\\right)\\\\right)'
>>> f.one_step, f.step_var
(True, 'i')
>>> from derive.network import RNN
>>> net = RNN(2, 1, 2).with_base(0)
>>> f.candidate()(net, 1, 0)
Matrix([
[w_{1,1}*dsigma(x_{0,1}), w_{2,1}*dsigma(x_{0,2})],
[w_{1,2}*dsigma(x_{0,1}), w_{2,2}*dsigma(x_{0,2})]])
>>> parse("x.__class__")
Traceback (most recent call last):
...
rnncore.errors.FormulaError: attribute '.__class__' is not allowed; the only attribute is '.T' (transpose)
"""
from __future__ import annotations

import ast
import importlib
import io
import math
import re
import tokenize
import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Iterator

import sympy as sp

from rnncore.display import Displayable
from rnncore.errors import FormulaError, InvalidInputError, SizeBudgetError
from rnncore.validate import check_size

from .modular_rnn import ModularRNN

#: Longest formula accepted, in characters (checked before anything is parsed).
MAX_CHARS = 1000
#: Deepest bracket nesting accepted (checked before parsing: Python's parser recurses).
MAX_DEPTH = 24
#: Most syntax-tree nodes and deepest syntax tree accepted (checked before conversion).
MAX_NODES, MAX_TREE_DEPTH = 300, 60
#: Largest exponent of ``M**p`` and largest integer literal.
MAX_POWER, MAX_LITERAL = 8, 10**6
#: Most nested products, and the most factors one product may expand to (2 · MAX_FORMULA_T:
#: the Jacobian of the longest accepted span, W and D per step).
MAX_PROD_NESTING, MAX_FACTORS = 2, 256
#: Most matrices one term may multiply at a pair: the Jacobian of the longest accepted span
#: (2 · MAX_FORMULA_T) plus room for a rewrite that spells some factors out. Exact
#: expansion is only tried while its size stays within the exact budget; beyond it the
#: randomized test costs one matrix-vector product per factor.
MAX_TERM_FACTORS = 320
#: Most digits of an integer literal (decimal digits only: no hex, octal, binary or ``1_0``).
MAX_LITERAL_DIGITS = 7
#: Largest numerator and denominator of any constant the formula builds, as a power of two
#: (folded chains, divisions, and the coefficients its products and powers multiply out):
#: checked before evaluation, so that no formula carries numbers whose size alone makes the
#: work grow (crafted numbers cannot fool the randomized test: its primes are drawn after
#: the input is read).
MAX_COEFFICIENT_BITS = 256
#: Most matrix operations one evaluation at a pair (t, k) may perform (products expanded,
#: powers counted, nesting multiplied), and the most operations x n^2 (matrix-vector products: the randomized test) of work a whole check may
#: take (see :meth:`Formula.check_budget`).
MAX_WORK_PER_PAIR, MAX_TOTAL_WORK = 4096, 10**10
#: Sizes beyond which no engine takes a formula (the randomized identity test's ceiling).
MAX_FORMULA_N, MAX_FORMULA_T = 64, 128
#: Key of the per-network memo of partial products in an evaluation environment (not an
#: identifier, so no formula variable can collide with it).
_MEMO = "#memo"

_ALLOWED_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ \t.,()[]+-*@/"
)
_MATRICES = {"W": ("n", "n"), "W_rec": ("n", "n"), "W_in": ("n", "m"), "b": ("n", "1"),
             "I": ("n", "n")}
_SEQUENCES = {"x": ("n", "1"), "h": ("n", "1"), "a": ("n", "1"), "u": ("m", "1"),
              "D": ("n", "n")}
_FUNCTIONS = ("diag", "sigma", "dsigma")
_PRODUCTS = ("prod_down", "prod_up", "prod")
_INDEX_VARS = ("t", "k", "i", "j", "T")
_BOUND_VARS = ("i", "j")
#: Variables a gradient formula's ``sum(..)`` may bind (those the statement leaves free).
_SUM_VARS = ("i", "j", "k", "t")
#: Names only gradient formulas know (see :func:`parse_gradient`).
_GRAD_MATRICES = {"W_all": ("n", "q")}
_GRAD_SEQUENCES = {"z": ("q", "1"), "dE": ("1", "n"), "dplus": ("n", "p")}
_GRAD_FUNCTIONS = ("kron", "outer", "sum")
_ALLOWED = (
    "matrices W (= W_rec), W_in, b, I; sequences x[..], h[..], a[..], u[..], D[..]; "
    "indices t, k, i, j; functions diag, sigma, dsigma, prod_down, prod_up, prod; "
    "operators * @ + - .T ** /"
)

Shape = tuple  # ("n", "n"), ("n", "1"), ... or () for a scalar


# --------------------------------------------------------------------------------------
# Index arithmetic: integer linear forms in t, k, i, j
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Index:
    """An integer linear form ``Σ c_v·v + const`` over index variables.

    >>> Index((("t", 1),), -1).value({"t": 5}), str(Index((("k", 1),), 1))
    (4, 'k + 1')
    """

    coeffs: tuple[tuple[str, int], ...] = ()
    const: int = 0

    @staticmethod
    def make(coeffs: dict, const: int) -> "Index":
        """Build from ``{variable: coefficient}`` (zero coefficients dropped).

        >>> str(Index.make({"t": 1, "k": 0}, -1))
        't - 1'
        """
        return Index(tuple(sorted((v, c) for v, c in coeffs.items() if c)), const)

    def combine(self, other: "Index", sign: int) -> "Index":
        """``self + sign·other``.

        >>> str(Index((("t", 1),), 0).combine(Index((("k", 1),), 1), -1))
        't - k - 1'
        """
        out = dict(self.coeffs)
        for v, c in other.coeffs:
            out[v] = out.get(v, 0) + sign * c
        return Index.make(out, self.const + sign * other.const)

    def scale(self, c: int) -> "Index":
        """``c·self``.

        >>> str(Index((("i", 1),), 1).scale(2))
        '2*i + 2'
        """
        return Index.make({v: c * x for v, x in self.coeffs}, c * self.const)

    def variables(self) -> set[str]:
        """The index variables that occur.

        >>> sorted(Index((("t", 1), ("k", -1)), 0).variables())
        ['k', 't']
        """
        return {v for v, _ in self.coeffs}

    def value(self, env: dict) -> int:
        """The integer value with the index variables of ``env``."""
        return sum(c * env[v] for v, c in self.coeffs) + self.const

    def __str__(self) -> str:
        order = {v: n for n, v in enumerate(_INDEX_VARS)}
        parts = []
        for v, c in sorted(self.coeffs, key=lambda p: order[p[0]]):
            term = v if abs(c) == 1 else f"{abs(c)}*{v}"
            parts.append(("- " if c < 0 else "+ ") + term)
        if self.const or not parts:
            parts.append(("- " if self.const < 0 else "+ ") + str(abs(self.const)))
        text = " ".join(parts)
        return text[2:] if text.startswith("+ ") else "-" + text[2:]

    def latex(self) -> str:
        """LaTeX of the index.

        >>> Index((("i", 2),), -1).latex()
        '2i - 1'
        """
        return str(self).replace("*", "")


# --------------------------------------------------------------------------------------
# The formula tree
# --------------------------------------------------------------------------------------
class Node:
    """A node of a parsed formula: prints (``text()``, ``latex()``) and evaluates on a
    network (``evaluate(net, env)`` with the index values ``env``).

    >>> node = parse("W.T").expr
    >>> node.text(), node.latex()
    ('W.T', 'W_{rec}^{T}')
    """

    prec = 100  # binding strength for printing

    def children(self) -> tuple["Node", ...]:
        return ()

    def walk(self) -> Iterator["Node"]:
        """Every node of the subtree (iteratively, no recursion).

        >>> sorted(type(n).__name__ for n in parse("W @ D[i]").expr.walk())
        ['BinOp', 'Param', 'Seq']
        """
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(node.children())

    def _wrap(self, child: "Node", prec: int, latex: bool = False) -> str:
        body = child.latex() if latex else child.text()
        if latex and isinstance(child, Const) and child.value > 0:
            return body  # \frac{a}{b} needs no brackets
        if child.prec < prec:
            return f"\\left({body}\\right)" if latex else f"({body})"
        return body


def _int_text(value: int) -> str:
    """An integer as text the parser takes back: literals of at most 7 digits, a larger
    one as a folded chain ``(q * 1000000 + r)``."""
    if abs(value) <= MAX_LITERAL:
        return str(value)
    sign = "-" if value < 0 else ""
    q, r = divmod(abs(value), MAX_LITERAL)
    return f"{sign}({_int_text(q)} * {MAX_LITERAL} + {r})"


@dataclass(frozen=True)
class Const(Node):
    value: Fraction

    def text(self) -> str:
        v = self.value
        if abs(v.numerator) <= MAX_LITERAL and v.denominator <= MAX_LITERAL:
            return str(v)
        num = _int_text(v.numerator)
        return num if v.denominator == 1 else f"{num}/{_int_text(v.denominator)}"

    def latex(self) -> str:
        v = self.value
        if v.denominator == 1:
            return str(v.numerator)
        sign = "-" if v < 0 else ""
        return f"{sign}\\frac{{{abs(v.numerator)}}}{{{v.denominator}}}"

    @property
    def prec(self) -> int:
        # as Python reads it: -1 binds like a unary minus, 1/2 like a product
        if self.value.denominator != 1:
            return 50
        return 100 if self.value >= 0 else 60

    def evaluate(self, net, env):
        v = self.value
        return int(v) if v.denominator == 1 else sp.Rational(v.numerator, v.denominator)


@dataclass(frozen=True)
class Param(Node):
    name: str  # W, W_in, b, I

    def text(self) -> str:
        return self.name

    def latex(self) -> str:
        return {"W": "W_{rec}", "W_in": "W_{in}", "b": "b", "I": "I",
                "W_all": "\\begin{bmatrix}W_{rec} & W_{in} & b\\end{bmatrix}"}[self.name]

    def evaluate(self, net, env):
        if self.name == "W":
            return net.W_rec
        if self.name == "W_in":
            return net.W_in
        if self.name == "b":
            return net.b
        if self.name == "W_all":
            return net.W_rec.row_join(net.W_in).row_join(net.b)
        return net.identity()


@dataclass(frozen=True)
class Seq(Node):
    name: str  # x, h, a, u, D
    index: Index

    def text(self) -> str:
        return f"{self.name}[{self.index}]"

    def latex(self) -> str:
        head = {"dE": "\\frac{\\partial E_{%s}}{\\partial x_{%s}}",
                "dplus": "\\frac{\\partial^{+} x_{%s}}{\\partial \\theta}"}.get(self.name)
        if head is not None:
            i = self.index.latex()
            return head % ((i, i) if self.name == "dE" else (i,))
        return f"{self.name}_{{{self.index.latex()}}}"

    def evaluate(self, net, env):
        j = self.index.value(env)
        if self.name in _GRAD_SEQUENCES:  # offered by a gradient network (derive.gradient_formula)
            return getattr(net, self.name)(j)
        if self.name == "u":
            return net.u(j)
        if self.name == "D":
            return net.D(j)
        if self.name == "h":
            return net.state(j) if net.form == "B" else net.sigma(net.state(j))
        # x and a: the argument of σ that produces h (form A: the state itself)
        return net.state(j) if net.form == "A" else net.sigma_argument(j)


@dataclass(frozen=True)
class Call(Node):
    fn: str  # diag, sigma, dsigma
    arg: Node

    def children(self):
        return (self.arg,)

    def text(self) -> str:
        return f"{self.fn}({self.arg.text()})"

    def latex(self) -> str:
        head = {"diag": "\\operatorname{diag}", "sigma": "\\sigma",
                "dsigma": "\\sigma^{\\prime}"}[self.fn]
        return f"{head}\\left({self.arg.latex()}\\right)"

    def evaluate(self, net, env):
        if self.fn == "diag":
            arg = self.arg
            # diag(dsigma(z)) with z the argument of σ at step j is the protocol's D(j)
            if (isinstance(arg, Call) and arg.fn == "dsigma" and isinstance(arg.arg, Seq)
                    and (arg.arg.name in ("x", "a"))):
                return net.D(arg.arg.index.value(env))
            value = arg.evaluate(net, env)
            if isinstance(value, sp.MatrixBase):
                return sp.diag(*value)
            if hasattr(net, "diag"):
                return net.diag(value)
            raise FormulaError(
                f"diag({arg.text()}) cannot be built on this backend; "
                "use diag(dsigma(x[..])) or D[..], or the exact backend"
            )
        value = self.arg.evaluate(net, env)
        flipped = _negated(value, getattr(net, "activation", "generic"))
        if flipped is not None:
            return _symmetry(net, self.fn, flipped)
        return net.sigma(value) if self.fn == "sigma" else net.dsigma(value)


@dataclass(frozen=True)
class Transpose(Node):
    arg: Node
    prec = 95

    def children(self):
        return (self.arg,)

    def text(self) -> str:
        return self._wrap(self.arg, 100) + ".T"

    def latex(self) -> str:
        return self._wrap(self.arg, 100, True) + "^{T}"

    def evaluate(self, net, env):
        return self.arg.evaluate(net, env).T


@dataclass(frozen=True)
class Power(Node):
    arg: Node
    exponent: int
    prec = 90

    def children(self):
        return (self.arg,)

    def text(self) -> str:
        return self._wrap(self.arg, 100) + f"**{self.exponent}"

    def latex(self) -> str:
        return self._wrap(self.arg, 100, True) + f"^{{{self.exponent}}}"

    def evaluate(self, net, env):
        base = self.arg.evaluate(net, env)
        out = net.identity()
        for _ in range(self.exponent):
            out = out @ base
        return out


@dataclass(frozen=True)
class Neg(Node):
    arg: Node
    prec = 60  # Python's unary minus binds tighter than * and @

    def children(self):
        return (self.arg,)

    def text(self) -> str:
        return "-" + self._wrap(self.arg, 60)

    def latex(self) -> str:
        return "-" + self._wrap(self.arg, 60, True)

    def evaluate(self, net, env):
        return -1 * self.arg.evaluate(net, env)


@dataclass(frozen=True)
class BinOp(Node):
    op: str  # "@", "+", "-"
    left: Node
    right: Node

    def children(self):
        return (self.left, self.right)

    @property
    def prec(self) -> int:
        return 50 if self.op == "@" else 30

    def text(self) -> str:
        op = self.op
        if op == "@" and (isinstance(self.left, Const) or isinstance(self.right, Const)):
            op = "*"
        return f"{self._wrap(self.left, self.prec)} {op} {self._wrap(self.right, self.prec + 1)}"

    def latex(self) -> str:
        if self.op == "@":
            return _product_latex(self)
        left = self._wrap(self.left, self.prec, True)
        right = self._wrap(self.right, self.prec + 1, True)
        if right.startswith("-"):  # "A + -B" and "A - -B" read badly: bracket the sign
            right = f"\\left({right}\\right)"
        return f"{left} {self.op} {right}"

    def evaluate(self, net, env):
        left = self.left.evaluate(net, env)
        right = self.right.evaluate(net, env)
        if self.op == "+":
            return left + right
        if self.op == "-":
            return left + (-1) * right
        if _is_scalar(left) or _is_scalar(right):
            return left * right
        if isinstance(left, sp.MatrixBase) and isinstance(right, sp.MatrixBase):
            left, right = _scalar_of(left, right)
            if not (isinstance(left, sp.MatrixBase) and isinstance(right, sp.MatrixBase)):
                return left * right
        return left @ right


def _product_latex(node: "BinOp") -> str:
    """LaTeX of a chain of products: the scalar factors multiplied into one coefficient
    written first (``W*2*3`` is ``6 W_{rec}``, ``W*(-2)`` is ``-2 W_{rec}``), then the
    matrices side by side, each bracketed where a sum or a sign would blur it."""
    factors: list[Node] = []
    stack: list[Node] = [node]
    while stack:  # in-order flattening of the @ chain (left to right)
        item = stack.pop()
        if isinstance(item, BinOp) and item.op == "@":
            stack.extend((item.right, item.left))
        else:
            factors.append(item)
    coefficient = Fraction(1)
    matrices = []
    for f in factors:
        if isinstance(f, Const):
            coefficient *= f.value
        else:
            matrices.append(f)
    parts = [node._wrap(m, 51, True) for m in matrices]
    parts = [f"\\left({p}\\right)" if p.startswith("-") else p for p in parts]
    body = " ".join(parts)
    if not matrices:
        return Const(coefficient).latex()
    if coefficient == 1:
        return body
    if coefficient == -1:
        return f"-{body}"
    return f"{Const(coefficient).latex()} {body}"


def _is_scalar(value) -> bool:
    return isinstance(value, (int, sp.Rational, sp.Integer))


def _scalar_of(left, right):
    """A 1×1 SymPy factor that does not fit a matrix product with the other side
    (``W[1, 2] * D[k]``) as its entry; the pair otherwise unchanged."""
    mat = lambda v: isinstance(v, sp.MatrixBase)
    if mat(left) and mat(right):
        if left.shape == (1, 1) and right.shape[0] != 1:
            return left[0, 0], right
        if right.shape == (1, 1) and left.shape[1] != 1:
            return left, right[0, 0]
    return left, right


#: Activations whose σ, σ' have a symmetry under z → −z that the exact backend applies:
#: sigmoid(−z) = 1 − sigmoid(z), tanh(−z) = −tanh(z), relu(−z) = relu(z) − z; σ' is even
#: for tanh and sigmoid (relu's step is not: step(0) = 0 = step(−0)).
_SYMMETRIC = ("tanh", "sigmoid", "relu")


def _negated(value, activation: str):
    """``v`` when ``value`` is the SymPy column ``−v`` entrywise and the activation has a
    symmetry (:data:`_SYMMETRIC`); else None."""
    if activation not in _SYMMETRIC or not isinstance(value, sp.MatrixBase) or not len(value):
        return None
    if all(isinstance(e, sp.Expr) and e.could_extract_minus_sign() for e in value):
        return -value
    return None


def _symmetry(net, fn: str, v):
    """σ(−v) or σ'(−v) written through σ(v), σ'(v) by the activation's exact symmetry."""
    act = net.activation
    if fn == "dsigma":
        if act == "relu":
            return net.dsigma(-v)
        return net.dsigma(v)
    s = net.sigma(v)
    if act == "sigmoid":
        return s.applyfunc(lambda e: 1 - e)
    if act == "tanh":
        return -s
    return s - v  # relu(-z) = relu(z) - z


@dataclass(frozen=True)
class Product(Node):
    """An ordered product: factors for ``var = first, …, last`` from left to right."""

    var: str
    first: Index
    last: Index
    body: Node
    direction: str  # "down" (first >= last) or "up"

    def children(self):
        return (self.body,)

    def text(self) -> str:
        fn = "prod_down" if self.direction == "down" else "prod_up"
        return f"{fn}({self.var}, {self.first}, {self.last}, {self.body.text()})"

    def latex(self) -> str:
        hi, lo = (self.first, self.last) if self.direction == "down" else (self.last, self.first)
        where = "largest index leftmost" if self.direction == "down" else "smallest index leftmost"
        return (f"\\prod_{{{self.var}={lo.latex()}}}^{{{hi.latex()}}}\\left[{self.body.latex()}"
                f"\\right]_{{\\text{{{where}}}}}")

    def factor_indices(self, env: dict) -> range:
        a, b = self.first.value(env), self.last.value(env)
        rng = range(a, b - 1, -1) if self.direction == "down" else range(a, b + 1)
        if len(rng) > MAX_FACTORS:
            raise FormulaError(
                f"{self.text()} expands to {len(rng)} factors here; at most {MAX_FACTORS} allowed"
            )
        return rng

    def evaluate(self, net, env):
        memo = env.get(_MEMO)
        if memo is not None:
            return self._evaluate_shared(net, env, memo)
        out = net.identity()
        for value in self.factor_indices(env):
            out = out @ self.body.evaluate(net, {**env, self.var: value})
        return out

    def _evaluate_shared(self, net, env, memo: dict):
        # The product right-nested, f(a) @ (f(a∓1) @ (… @ f(b))), each suffix kept in
        # ``memo`` (one network): the product for (t, k) reuses the one for (t − 1, k) and
        # builds one new factor. Same matrix (the product is associative, exactly), same
        # degree bound; the height bound sums the same terms in another order.
        idx = self.factor_indices(env)
        fv = memo.get(("free", id(self)))
        if fv is None:
            fv = memo[("free", id(self))] = tuple(sorted(_free_vars(self.body) - {self.var}))
        ctx = (id(self), tuple(env.get(v) for v in fv), idx[-1] if idx else None)
        j = 0
        while j < len(idx) and (ctx, idx[j]) not in memo:
            j += 1
        acc = memo[(ctx, idx[j])][1] if j < len(idx) else None
        for jj in range(j - 1, -1, -1):
            f = self.body.evaluate(net, {**env, self.var: idx[jj]})
            acc = f if acc is None else f @ acc
            memo[(ctx, idx[jj])] = (self, acc)  # self kept alive: its id stays unique
        return net.identity() if acc is None else net.identity() @ acc



def _zeros(net, shape: Shape):
    """A zero matrix of a formula shape on ``net`` (sizes from ``net.dims``, or n, m)."""
    dims = getattr(net, "dims", None) or {"n": net.n, "m": net.m}
    return sp.zeros(_dim_value(shape[0], dims), _dim_value(shape[1], dims))


def _dim_value(dim: str, dims: dict) -> int:
    out = 1
    for f in dim.split("*"):
        if f != "1":
            out *= dims[f]
    return out


def _dim_mul(a: str, b: str) -> str:
    """The product of two symbolic sizes (``"n" * "m"`` is ``"m*n"``; ``"1"`` is neutral).

    >>> _dim_mul("n", "1"), _dim_mul("n", "m"), _dim_mul("1", "1")
    ('n', 'm*n', '1')
    """
    factors = sorted(f for f in a.split("*") + b.split("*") if f != "1")
    return "*".join(factors) if factors else "1"


@dataclass(frozen=True)
class Sum(Node):
    """``sum(var, lo, hi, F)`` = F(lo) + ⋯ + F(hi) (empty when lo > hi: the zero matrix)."""

    var: str
    first: Index
    last: Index
    body: Node
    shape: tuple = ()
    prec = 100

    def children(self):
        return (self.body,)

    def text(self) -> str:
        return f"sum({self.var}, {self.first}, {self.last}, {self.body.text()})"

    def latex(self) -> str:
        return (f"\\sum_{{{self.var}={self.first.latex()}}}^{{{self.last.latex()}}}"
                f"\\left[{self.body.latex()}\\right]")

    def factor_indices(self, env: dict) -> range:
        rng = range(self.first.value(env), self.last.value(env) + 1)
        if len(rng) > MAX_FACTORS:
            raise FormulaError(f"{self.text()} has {len(rng)} terms here; at most {MAX_FACTORS} allowed")
        return rng

    def evaluate(self, net, env):
        out = None
        for value in self.factor_indices(env):
            term = _as_matrix(self.body.evaluate(net, {**env, self.var: value}))
            out = term if out is None else out + term
        return _zeros(net, self.shape) if out is None else out


def _as_matrix(value):
    return value if isinstance(value, sp.MatrixBase) else sp.Matrix([[value]])


@dataclass(frozen=True)
class Kron(Node):
    """``kron(A, B)``, the Kronecker product; ``outer(a, b)`` is ``a @ b.T``."""

    left: Node
    right: Node
    prec = 100

    def children(self):
        return (self.left, self.right)

    def text(self) -> str:
        return f"kron({self.left.text()}, {self.right.text()})"

    def latex(self) -> str:
        return f"{self._wrap(self.left, 100, True)} \\otimes {self._wrap(self.right, 100, True)}"

    def evaluate(self, net, env):
        a = _as_matrix(self.left.evaluate(net, env))
        b = _as_matrix(self.right.evaluate(net, env))
        return sp.Matrix(sp.kronecker_product(a, b))


@dataclass(frozen=True)
class Entry(Node):
    """``M[i, j]`` (1-based literal indices; ``v[i]`` for a row or column vector): a 1×1."""

    arg: Node
    row: int
    col: int
    prec = 100

    def children(self):
        return (self.arg,)

    def text(self) -> str:
        return f"({self.arg.text()})[{self.row}, {self.col}]"

    def latex(self) -> str:
        return f"\\left({self.arg.latex()}\\right)_{{{self.row},{self.col}}}"

    def evaluate(self, net, env):
        value = _as_matrix(self.arg.evaluate(net, env))
        if not (self.row <= value.shape[0] and self.col <= value.shape[1]):
            raise FormulaError(
                f"entry [{self.row}, {self.col}] is outside the {value.shape[0]}×{value.shape[1]} "
                f"matrix {self.arg.text()}; use indices within its size")
        return sp.Matrix([[value[self.row - 1, self.col - 1]]])


# --------------------------------------------------------------------------------------
# The parsed formula
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Formula(Displayable):
    """A parsed formula: its source, tree, and whether it is a one-step Jacobian.

    ``one_step``: the formula is ``∂s_i/∂s_{i−1}`` with step variable ``step_var``;
    otherwise it is ``∂s_t/∂s_k``. :meth:`candidate` compiles it.

    >>> g = parse("prod_down(i, t, k+1, W @ D[i-1])")
    >>> g.one_step, str(g)
    (False, 'prod_down(i, t, k + 1, W @ D[i - 1])')
    """

    source: str = field(compare=False)  # two spellings of one formula are equal
    expr: Node
    one_step: bool
    step_var: str | None

    def __str__(self) -> str:
        return self.expr.text()

    def text(self) -> str:
        """The canonical text of the formula (it parses back to the same tree).

        >>> parse("W_rec*(D[t-1])").text()
        'W @ D[t - 1]'
        """
        return self.expr.text()

    def latex(self) -> str:
        """LaTeX of the formula (``W`` printed as ``W_{rec}``).

        >>> parse("D[k].T").latex()
        'D_{k}^{T}'
        """
        return self.expr.latex()

    def env(self, t: int, k: int) -> dict:
        """The index values at the pair ``(t, k)``.

        >>> parse("W @ D[j-1]").env(3, 2)
        {'j': 3}
        >>> parse("W @ D[j-1]").env(3, 1)
        Traceback (most recent call last):
        ...
        rnncore.errors.InvalidInputError: the one-step formula W @ D[j - 1] is ∂s_j/∂s_{j-1}: it needs t = k + 1 (got t=3, k=1)
        """
        if self.one_step:
            if t != k + 1:
                raise InvalidInputError(
                    f"the one-step formula {self} is ∂s_{self.step_var}/∂s_{{{self.step_var}-1}}:"
                    f" it needs t = k + 1 (got t={t}, k={k})"
                )
            return {self.step_var: t}
        return {"t": t, "k": k}

    def pairs(self, T: int) -> list[tuple[int, int]]:
        """The pairs ``(t, k)`` the formula speaks about, for ``T`` steps.

        >>> parse("W @ D[i-1]").pairs(3), parse("W**0 + 0*D[k]").pairs(2)
        ([(1, 0), (2, 1), (3, 2)], [(1, 0), (2, 0), (2, 1)])
        """
        if self.one_step:
            return [(t, t - 1) for t in range(1, T + 1)]
        return [(t, k) for t in range(1, T + 1) for k in range(t)]

    def accesses(self, t: int, k: int) -> list[tuple[str, int]]:
        """Every ``(sequence, step)`` the formula reads at the pair ``(t, k)``, without
        building any matrix (products expanded over their index ranges).

        >>> parse("prod_down(i, t, k+1, W @ D[i-1])").accesses(3, 1)
        [('D', 2), ('D', 1)]
        """
        out: list[tuple[str, int]] = []
        _accesses(self.expr, self.env(t, k), out)
        return out

    def factor_count(self, t: int, k: int) -> int:
        """The most matrices multiplied in one term of the formula at ``(t, k)`` (its degree
        as a product; sums take the larger side) — the size that makes exact expansion
        grow like ``n^factors``.

        >>> parse("prod_down(i, t, k+1, W @ D[i-1]) + W**3").factor_count(3, 0)
        6
        """
        return self.cost(t, k, count_only=True).factors

    def cost(self, t: int, k: int, count_only: bool = False) -> Cost:
        """The :class:`Cost` of evaluating the formula at ``(t, k)``; a
        :class:`~rnncore.errors.FormulaError` naming the budget when it is beyond
        :data:`MAX_WORK_PER_PAIR` operations, :data:`MAX_COEFFICIENT_BITS`-bit numbers or
        :data:`MAX_TERM_FACTORS` matrices in one term (``count_only``: the factors are
        counted, not refused — for callers with their own limit).

        >>> parse("prod_down(i, 99, 0, prod_down(j, 99, 0, I**0))").cost(1, 0)
        Traceback (most recent call last):
        ...
        rnncore.errors.FormulaError: prod_down(i, 99, 0, prod_down(j, 99, 0, I**0)) at (t, k) = (1, 0) needs more than 4096 matrix operations; the budget is 4096 per pair
        """
        # the costs met so far, per pair (a check costs every pair twice: the budget, then
        # the factor count); a full cost also answers count_only (the cap only refuses)
        cache = self.__dict__.get("_costs")
        if cache is None:
            cache = {}
            object.__setattr__(self, "_costs", cache)
        hit = cache.get((t, k, False))
        if hit is None and count_only:
            hit = cache.get((t, k, True))
        if hit is not None:
            return hit
        try:
            out = _cost(self.expr, self.env(t, k), MAX_WORK_PER_PAIR,
                        None if count_only else MAX_TERM_FACTORS)
            cache[(t, k, count_only)] = out
            return out
        except _Over as exc:
            why = str(exc)
            if "operations" in why:
                why = f"needs {why}; the budget is {MAX_WORK_PER_PAIR} per pair"
            elif "factors" in why:
                why = f"multiplies {why} (the budget per pair)"
            else:
                why = f"builds {why}; keep numbers small"
            raise FormulaError(f"{self.text()} at (t, k) = ({t}, {k}) {why}") from None

    def check_budget(self, n: int, T: int) -> int:
        """Refuse, before anything is evaluated, a check of this formula at size ``n`` over
        ``T`` steps that is beyond the budget: ``n <= 64``, ``T <= 128`` (no engine goes
        further), every pair within :meth:`cost`'s budget, and in all at most
        :data:`MAX_TOTAL_WORK` operations × n² (one matrix-vector product per operation, the randomized test; the exact path is bounded by its own budget). Returns that total.

        >>> parse("W @ D[i-1]").check_budget(3, 4)
        36
        >>> parse("W @ D[i-1]").check_budget(65, 128)
        Traceback (most recent call last):
        ...
        rnncore.errors.SizeBudgetError: n=65 is beyond the budget of a formula check; use n <= 64
        """
        check_size("n", n, MAX_FORMULA_N, "the budget of a formula check")
        check_size("T", T, MAX_FORMULA_T, "the budget of a formula check")
        total = 0
        for t, k in self.pairs(T):
            total += self.cost(t, k).work * n**2
            if total > MAX_TOTAL_WORK:
                raise SizeBudgetError(
                    f"checking {self.text()} at n={n}, T={T} needs more than {MAX_TOTAL_WORK} "
                    "operations x n^2 in all; use a smaller n or T")
        return total

    def candidate(self, costed: bool = False, shared: bool = True) -> Callable:
        """The candidate ``(net, t, k) -> matrix`` (the shared candidate protocol);
        ``costed``: the caller has run :meth:`check_budget` for every pair it will ask for,
        so the per-pair budget is not costed a second time. ``shared`` (modular networks
        only): products are built right-nested and their suffixes reused across the pairs
        asked for on one network (the randomized test asks for every t of one base k on
        one view), so the product for (t, k) costs one new factor; ``shared=False`` is the
        reference route, each pair built from scratch. Both give the same matrices.

        >>> from derive.network import RNN
        >>> parse("I").candidate()(RNN(2).with_base(0), 1, 0)
        Matrix([
        [1, 0],
        [0, 1]])
        """
        expr = self.expr
        last: dict = {"net": None, "memo": None}

        def candidate(net, t, k):
            env = self.env(t, k)
            if not costed:
                self.cost(t, k)  # the budget, before anything is built
            if shared and isinstance(net, ModularRNN):
                if last["net"] is not net:  # a new view: its own memo (ids of its matrices)
                    last["net"], last["memo"] = net, {}
                env = {**env, _MEMO: last["memo"]}
            return expr.evaluate(net, env)

        candidate.formula = self  # type: ignore[attr-defined]
        candidate.__name__ = f"formula[{self.text()}]"
        return candidate


@dataclass(frozen=True)
class Cost:
    """What evaluating a formula at one pair ``(t, k)`` builds, computed without building it.

    ``work``: matrix operations performed (products expanded over their ranges, ``M**p``
    as ``p`` multiplications, nesting multiplied — ``I**0`` inside a product is still an
    operation per factor); ``factors``: the most matrices multiplied in one term (an empty
    product or ``M**0`` is the identity, one factor); ``num_bits``/``den_bits``: bounds on
    the bit size of the numerator and denominator of any coefficient the evaluation
    multiplies out.

    >>> parse("prod_down(i, t, k+1, 2 * W @ D[i-1])").cost(3, 0)
    Cost(work=10, factors=6, num_bits=3.0, den_bits=0.0)
    """

    work: int
    factors: int
    num_bits: float
    den_bits: float


class _Over(Exception):
    """A budget ran out while costing (carries the message)."""


def _cost(node: Node, env: dict, limit: int, cap: int | None = MAX_TERM_FACTORS) -> Cost:
    """The :class:`Cost` of ``node`` under ``env``; raises :class:`_Over` as soon as the work
    passes ``limit`` or a coefficient passes :data:`MAX_COEFFICIENT_BITS` (so a formula that
    would expand to millions of factors is refused after a few thousand steps of counting);
    ``cap``: the most factors of one term (None: count them, do not refuse)."""
    if isinstance(node, Const):
        v = node.value
        out = Cost(0, 0, math.log2(max(abs(v.numerator), 1)), math.log2(v.denominator))
    elif isinstance(node, (Param, Seq)):
        out = Cost(0, 1, 0.0, 0.0)
    elif isinstance(node, Kron):
        a, b = _cost(node.left, env, limit, cap), _cost(node.right, env, limit, cap)
        out = Cost(a.work + b.work + 1, a.factors + b.factors, a.num_bits + b.num_bits,
                   a.den_bits + b.den_bits)
    elif isinstance(node, Sum):
        work, factors, num, den = 1, 1, 0.0, 0.0
        for value in node.factor_indices(env):
            c = _cost(node.body, {**env, node.var: value}, limit, cap)
            work, factors = work + c.work + 1, max(factors, c.factors)
            num, den = max(num, c.num_bits) + 1, den + c.den_bits
            _check_cost(work, num, den, limit, factors, cap)
        out = Cost(work, factors, num, den)
    elif isinstance(node, (Call, Transpose, Neg, Entry)):
        inner = _cost(node.arg, env, limit, cap)
        out = Cost(inner.work + 1, max(inner.factors, 1), inner.num_bits, inner.den_bits)
    elif isinstance(node, Power):
        inner = _cost(node.arg, env, limit, cap)
        p = node.exponent
        out = Cost(inner.work + max(p, 1), max(p * inner.factors, 1), p * inner.num_bits,
                   p * inner.den_bits)
    elif isinstance(node, BinOp):
        a, b = _cost(node.left, env, limit, cap), _cost(node.right, env, limit, cap)
        if node.op == "@":
            out = Cost(a.work + b.work + 1, a.factors + b.factors, a.num_bits + b.num_bits,
                       a.den_bits + b.den_bits)
        else:  # p/q + r/s = (ps + rq)/(qs)
            out = Cost(a.work + b.work + 1, max(a.factors, b.factors),
                       max(a.num_bits + b.den_bits, b.num_bits + a.den_bits) + 1,
                       a.den_bits + b.den_bits)
    elif isinstance(node, Product):
        values = node.factor_indices(env)
        if node.var in _free_vars(node.body) and _shapes_cost(node.body, node.var):
            work, factors, num, den = 1, 0, 0.0, 0.0
            for value in values:
                c = _cost(node.body, {**env, node.var: value}, limit, cap)
                work, factors = work + c.work + 1, factors + c.factors
                num, den = num + c.num_bits, den + c.den_bits
                _check_cost(work, num, den, limit, factors, cap)
        else:  # every factor costs the same: count one
            c = _cost(node.body, {**env, node.var: 0}, limit, cap) if len(values) else Cost(0, 0, 0, 0)
            n = len(values)
            work, factors = 1 + n * (c.work + 1), n * c.factors
            num, den = n * c.num_bits, n * c.den_bits
        out = Cost(work, max(factors, 1), num, den)
    else:  # pragma: no cover
        raise FormulaError(f"internal: unknown node {node!r}")
    _check_cost(out.work, out.num_bits, out.den_bits, limit, out.factors, cap)
    return out


def _check_cost(work: int, num: float, den: float, limit: int, factors: int = 0,
                cap: int | None = MAX_TERM_FACTORS) -> None:
    if work > limit:
        raise _Over(f"more than {limit} matrix operations")
    if cap is not None and factors > cap:
        raise _Over(f"a term of {factors} matrix factors, more than {cap}")
    if max(num, den) > MAX_COEFFICIENT_BITS:
        raise _Over(f"coefficients beyond 2^{MAX_COEFFICIENT_BITS} (numerators and "
                    "denominators of the numbers it multiplies out)")


def _shapes_cost(body: Node, var: str) -> bool:
    """True when the cost of ``body`` can depend on the value of ``var``: it bounds a
    product or sum inside (a step index of a sequence changes which matrix is read, not
    the work), so that a product of identical-cost factors is costed once, not per factor.

    >>> _shapes_cost(parse("W @ D[i-1]").expr, "i")
    False
    """
    for node in body.walk():
        if isinstance(node, (Product, Sum)) and var in (node.first.variables()
                                                        | node.last.variables()):
            return True
    return False


def _free_vars(node: Node) -> set[str]:
    """Index variables a subtree reads that no product inside it binds."""
    return _Converter().free_vars(node)


def _flat_reads(node: Node) -> list | None:
    """The ``Seq`` nodes of a subtree in walk order, or None if it holds a product or sum."""
    if isinstance(node, Seq):
        return [node]
    if isinstance(node, (Product, Sum)):
        return None
    out: list = []
    for child in node.children():
        sub = _flat_reads(child)
        if sub is None:
            return None
        out.extend(sub)
    return out


def _accesses(node: Node, env: dict, out: list) -> None:
    if isinstance(node, Seq):
        out.append((node.name, node.index.value(env)))
    elif isinstance(node, (Product, Sum)):
        reads = _flat_reads(node.body)
        for value in node.factor_indices(env):
            inner = {**env, node.var: value}
            if reads is None:
                _accesses(node.body, inner, out)
            else:  # a flat body (the usual one): its reads without walking it per factor
                out.extend((s.name, s.index.value(inner)) for s in reads)
    else:
        for child in node.children():
            _accesses(child, env, out)


# --------------------------------------------------------------------------------------
# Parsing: bounded checks on the raw text, then a whitelist walk of the ast
# --------------------------------------------------------------------------------------
def _python_expression(text: str) -> ast.Expression:
    """The syntax tree of ``text`` as one Python expression (never compiled or run). A
    syntax warning (``1if x``: "invalid decimal literal") is raised as the SyntaxError it
    describes, so the caller's one-line error covers it and nothing else reaches stderr.

    >>> type(_python_expression("W @ D[i-1]").body).__name__
    'BinOp'
    >>> _python_expression("1if 2 else 3")
    Traceback (most recent call last):
    ...
    SyntaxError: invalid decimal literal
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", SyntaxWarning)
        return ast.parse(text, mode="eval")


def _precheck(text) -> None:
    if not isinstance(text, str):
        raise FormulaError(f"a formula must be a string (got {type(text).__name__})")
    if len(text) > MAX_CHARS:
        raise FormulaError(
            f"the formula has {len(text)} characters; at most {MAX_CHARS} are allowed"
        )
    if not text.strip():
        raise FormulaError(f"the formula is empty; write a matrix expression ({_ALLOWED})")
    for pos, ch in enumerate(text):
        if ch not in _ALLOWED_CHARS:
            raise FormulaError(
                f"character {ch!r} at position {pos} is not allowed; use letters, digits, "
                "spaces and . , ( ) [ ] + - * @ /"
            )
    depth = deepest = 0
    for ch in text:
        if ch in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]":
            depth -= 1
    if deepest > MAX_DEPTH:
        raise FormulaError(
            f"brackets are nested {deepest} deep; at most {MAX_DEPTH} levels are allowed"
        )
    _check_literals(text)
    run = re.search(r"(?:[-+]\s*){9,}", text)
    if run:
        raise FormulaError(
            f"a run of {run.group().count('-') + run.group().count('+')} signs is not allowed;"
            " at most 8 signs in a row"
        )


def _check_literals(text: str) -> None:
    """Every number is plain decimal digits, at most :data:`MAX_LITERAL_DIGITS` of them
    (no ``0x..``, ``0o..``, ``0b..``, ``1_0``: the limit must see every literal as written)."""
    long_number = re.search(r"\d{%d,}" % (MAX_LITERAL_DIGITS + 1), text)
    if long_number:
        raise FormulaError(
            f"the number {long_number.group()[:20]}… is too long; integers up to {MAX_LITERAL}"
        )
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text.strip()).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return  # the parser reports the syntax error itself
    for tok in tokens:
        if tok.type == tokenize.NUMBER and not tok.string.isdigit():
            raise FormulaError(
                f"the number {tok.string[:20]!r} is not allowed; write integers in plain decimal "
                f"digits (at most {MAX_LITERAL_DIGITS}) and fractions as a/b")


def parse(text: str) -> Formula:
    """Parse a formula (see the module doc); raise ``FormulaError`` on anything else.

    >>> parse("__import__('os')")
    Traceback (most recent call last):
    ...
    rnncore.errors.FormulaError: character "'" at position 11 is not allowed; use letters, digits, spaces and . , ( ) [ ] + - * @ /
    >>> parse("W ** 99")
    Traceback (most recent call last):
    ...
    rnncore.errors.FormulaError: exponent 99 is not allowed; use a literal integer 0 <= p <= 8
    """
    _precheck(text)
    try:
        tree = _python_expression(text.strip())
    except SyntaxError as exc:
        col = f" at column {exc.offset}" if exc.offset else ""
        raise FormulaError(f"not a formula: {exc.msg}{col} in {text.strip()!r}") from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError("the formula is too deeply nested or too large to parse") from None
    _check_tree_size(tree)
    converter = _Converter()
    expr = converter.expr(tree.body)
    shape = converter.shape(expr)
    if shape != ("n", "n"):
        raise FormulaError(
            f"the formula is {_shape_text(shape)}, but a Jacobian ∂x_t/∂x_k is n×n"
        )
    free = converter.free_vars(expr)
    if "k" in free or any(isinstance(node, Product) for node in expr.walk()):
        bad = free - {"t", "k"}
        if bad:
            raise FormulaError(
                f"index {sorted(bad)[0]!r} is not bound; a formula for ∂x_t/∂x_k uses t and k,"
                " and i, j only inside prod_down/prod_up/prod"
            )
        return Formula(text, expr, False, None)
    if len(free) > 1:
        raise FormulaError(
            f"a one-step formula uses one step index, found {', '.join(sorted(free))}; "
            "write it with i (or j, or t), or use t and k for ∂x_t/∂x_k"
        )
    return Formula(text, expr, True, next(iter(free)) if free else "t")


@dataclass(frozen=True)
class GradientFormula:
    """A parsed gradient formula (:func:`parse_gradient`): its tree, its symbolic shape
    (sizes ``n``, ``m``, ``q = n + m + 1``, ``p = |θ|``, products such as ``m*n``) and the
    index variables it leaves free.

    >>> g = parse_gradient("sum(k, 1, t, dE[t] @ prod_down(i, t, k+1, W @ D[i-1]) @ dplus[k])")
    >>> g.shape, sorted(g.free)
    (('1', 'p'), ['t'])
    """

    source: str = field(compare=False)
    expr: Node
    shape: tuple
    free: frozenset

    def text(self) -> str:
        """Canonical text (parses back to the same tree).

        >>> parse_gradient("outer(h[k-1], h[k-1])").text()
        'h[k - 1] @ h[k - 1].T'
        """
        return self.expr.text()

    def latex(self) -> str:
        """LaTeX of the formula.

        >>> parse_gradient("kron(I, h[k-1].T)").latex()
        'I \\\\otimes \\\\left(h_{k - 1}^{T}\\\\right)'
        """
        return self.expr.latex()

    def evaluate(self, net, env: dict):
        """The value on a network offering the gradient names (``dims``, ``dE``, ``z``,
        ``dplus``: :class:`derive.gradient_formula.GradientNet`), with the budget of
        :func:`_cost` checked first."""
        try:
            _cost(self.expr, env, MAX_WORK_PER_PAIR, MAX_TERM_FACTORS)
        except _Over as exc:
            raise FormulaError(f"{self.text()} at {env} needs {exc}; simplify it") from None
        return _as_matrix(self.expr.evaluate(net, env))

    def cost(self, env: dict) -> "Cost":
        """The :class:`Cost` at one assignment of the free indices.

        >>> parse_gradient("sum(k, 1, t, dplus[k])").cost({"t": 3}).work
        4
        """
        try:
            return _cost(self.expr, env, MAX_WORK_PER_PAIR, MAX_TERM_FACTORS)
        except _Over as exc:
            raise FormulaError(f"{self.text()} at {env} needs {exc}; simplify it") from None


def parse_gradient(text: str, p: str = "p") -> GradientFormula:
    """Parse a gradient formula: the Jacobian language (module doc) plus

    * ``dE[t]`` = ∂E_t/∂x_t (1×n row, numerator layout; form B: ∂E_t/∂h_t);
    * ``dplus[k]`` = ∂⁺x_k/∂θ, the immediate partial (x_{k−1} held constant), n×p with
      ``p = |θ|`` columns in the statement's vec convention;
    * ``z[k]`` = the column the stacked ``W_all = [W_rec W_in b]`` multiplies at step k,
      ``[σ(x_{k−1}); u_k; 1]`` (form B: ``[h_{k−1}; u_k; 1]``), q×1 with q = n + m + 1;
    * ``kron(A, B)`` (Kronecker product), ``outer(a, b)`` = ``a @ b.T``,
      ``sum(k, first, last, F)`` = F(first) + ⋯ + F(last) (empty: zero);
    * entries ``M[i, j]`` / ``v[i]`` (1-based literals) are 1×1 and multiply like scalars;
    * the index ``T`` (the number of steps).

    ``p``: the symbolic size of θ when it is known (``"n*n"`` for W_rec, ``"m*n"`` for W_in,
    ``"n"`` for b, ``"n*q"`` for [W_rec W_in b]), so that ``dplus[k]`` adds to its spelled-out
    form (``dplus[k] - kron(I, h[k-1].T)``).

    >>> parse_gradient("dE[t] @ D[t]").shape
    ('1', 'n')
    >>> parse_gradient("sum(k, 1, t, dplus)")
    Traceback (most recent call last):
    ...
    rnncore.errors.FormulaError: dplus needs a step index, e.g. dplus[t-1]
    """
    _precheck(text)
    try:
        tree = _python_expression(text.strip())
    except SyntaxError as exc:
        col = f" at column {exc.offset}" if exc.offset else ""
        raise FormulaError(f"not a formula: {exc.msg}{col} in {text.strip()!r}") from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError("the formula is too deeply nested or too large to parse") from None
    _check_tree_size(tree)
    converter = _Converter("gradient")
    converter.sequences["dplus"] = ("n", p)
    expr = converter.expr(tree.body)
    shape = converter.shape(expr)
    if shape == ():
        raise FormulaError(f"{text.strip()!r} is a number; a gradient formula is a matrix")
    return GradientFormula(text, expr, shape, frozenset(converter.free_vars(expr)))


def as_formula(value) -> "Formula":
    """``value`` as a :class:`Formula`: a parsed formula as it is, text through
    :func:`parse`; anything else is a :class:`~rnncore.errors.FormulaError` (one line).

    >>> as_formula(123)
    Traceback (most recent call last):
    ...
    rnncore.errors.FormulaError: a formula must be a string or a parsed Formula (got int 123)
    """
    if isinstance(value, Formula):
        return value
    if isinstance(value, str):
        return parse(value)
    raise FormulaError(
        f"a formula must be a string or a parsed Formula (got {type(value).__name__} "
        f"{repr(value)[:40]})")


def _check_tree_size(tree: ast.AST) -> None:
    count = 0
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise FormulaError(f"the formula has more than {MAX_NODES} syntax nodes; simplify it")
        if depth > MAX_TREE_DEPTH:
            raise FormulaError(
                f"the formula is nested more than {MAX_TREE_DEPTH} levels deep; simplify it"
            )
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _shape_text(shape: Shape) -> str:
    return "a scalar" if shape == () else f"{shape[0]}×{shape[1]}"


class _Converter:
    """Whitelist walk from ``ast`` nodes to formula nodes (no other node type passes)."""

    def __init__(self, grammar: str = "jacobian") -> None:
        self.bound: list[str] = []
        self.products = 0  # products open around the node being converted
        self.grammar = grammar  # "jacobian" or "gradient" (names of parse_gradient)
        gradient = grammar == "gradient"
        self.matrices = {**_MATRICES, **(_GRAD_MATRICES if gradient else {})}
        self.sequences = {**_SEQUENCES, **(_GRAD_SEQUENCES if gradient else {})}
        self.functions = _FUNCTIONS + (_GRAD_FUNCTIONS if gradient else ())

    def _gradient_only(self, name: str) -> None:
        if self.grammar != "gradient" and (name in _GRAD_SEQUENCES or name in _GRAD_MATRICES
                                           or name in _GRAD_FUNCTIONS):
            raise FormulaError(
                f"{name!r} belongs to gradient formulas; check it with --gradient "
                "(derive.gradient_formula), not as a Jacobian")

    # -- matrix expressions --------------------------------------------------------
    def expr(self, node: ast.AST) -> Node:
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                inner = self.expr(node.operand)
                if isinstance(inner, Const):
                    return Const(-inner.value)
                return Neg(inner)
            if isinstance(node.op, ast.UAdd):
                return self.expr(node.operand)
            raise FormulaError(f"operator {_op_name(node.op)} is not allowed; {_ALLOWED}")
        if isinstance(node, ast.Constant):
            return Const(Fraction(self._int(node)))
        if isinstance(node, ast.Name):
            self._gradient_only(node.id)
            if node.id in self.matrices:
                return Param("W" if node.id == "W_rec" else node.id)
            if node.id in self.sequences:
                raise FormulaError(f"{node.id} needs a step index, e.g. {node.id}[t-1]")
            if node.id in _INDEX_VARS:
                raise FormulaError(
                    f"index {node.id!r} is an integer, not a matrix; use it inside [..]"
                )
            raise FormulaError(f"the name {node.id!r} is not allowed; use {_ALLOWED}")
        if isinstance(node, ast.Attribute):
            if node.attr != "T":
                raise FormulaError(
                    f"attribute '.{node.attr}' is not allowed; the only attribute is '.T' "
                    "(transpose)"
                )
            return Transpose(self.expr(node.value))
        if isinstance(node, ast.Subscript):
            if isinstance(node.value, ast.Name):
                self._gradient_only(node.value.id)
            if self.grammar == "gradient" and not (isinstance(node.value, ast.Name)
                                                   and node.value.id in self.sequences):
                return self._entry(node)
            if not isinstance(node.value, ast.Name) or node.value.id not in self.sequences:
                raise FormulaError(
                    "only the sequences x, h, a, u, D take an index [..]; "
                    f"got {_describe(node.value)}[..]"
                )
            name = node.value.id
            return Seq("x" if name == "a" else name, self.index(node.slice))
        if isinstance(node, ast.Call):
            return self._call(node)
        raise FormulaError(f"{_describe(node)} is not allowed in a formula; {_ALLOWED}")

    def _binop(self, node: ast.BinOp) -> Node:
        op = node.op
        if isinstance(op, ast.Pow):
            exponent = node.right
            if not (isinstance(exponent, ast.Constant) and type(exponent.value) is int):
                raise FormulaError(
                    f"exponent {_describe(exponent)} is not allowed; use a literal integer "
                    f"0 <= p <= {MAX_POWER}"
                )
            if not 0 <= exponent.value <= MAX_POWER:
                raise FormulaError(
                    f"exponent {exponent.value} is not allowed; use a literal integer "
                    f"0 <= p <= {MAX_POWER}"
                )
            return Power(self.expr(node.left), exponent.value)
        symbol = {ast.Mult: "@", ast.MatMult: "@", ast.Add: "+", ast.Sub: "-",
                  ast.Div: "/"}.get(type(op))
        if symbol is None:
            raise FormulaError(f"operator {_op_name(op)} is not allowed; {_ALLOWED}")
        left, right = self.expr(node.left), self.expr(node.right)
        if symbol == "/":
            if not isinstance(right, Const):
                raise FormulaError("'/' divides by a number only (e.g. W / 2 or 1/2 * W)")
            if right.value == 0:
                raise FormulaError("division by zero in the formula")
            if isinstance(left, Const):
                return _folded(left.value / right.value)
            return BinOp("@", _folded(1 / right.value), left)
        if isinstance(left, Const) and isinstance(right, Const):
            value = {"@": left.value * right.value, "+": left.value + right.value,
                     "-": left.value - right.value}[symbol]
            return _folded(value)
        return BinOp(symbol, left, right)

    def _call(self, node: ast.Call) -> Node:
        if not isinstance(node.func, ast.Name):
            raise FormulaError(f"calling {_describe(node.func)} is not allowed; {_ALLOWED}")
        name = node.func.id
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise FormulaError(f"{name}(..) takes positional arguments only")
        self._gradient_only(name)
        if name in ("kron", "outer") and name in self.functions:
            if len(node.args) != 2:
                raise FormulaError(f"{name}(a, b) takes two arguments (got {len(node.args)})")
            a, b = self.expr(node.args[0]), self.expr(node.args[1])
            return Kron(a, b) if name == "kron" else BinOp("@", a, Transpose(b))
        if name == "sum" and name in self.functions:
            return self._sum(node.args)
        if name in _FUNCTIONS:
            if len(node.args) != 1:
                raise FormulaError(f"{name}(..) takes one argument (got {len(node.args)})")
            return Call(name, self.expr(node.args[0]))
        if name in _PRODUCTS:
            return self._product(name, node.args)
        raise FormulaError(f"the function {name!r} is not allowed; use {', '.join(_FUNCTIONS + _PRODUCTS)}")

    def _product(self, name: str, args: list) -> Node:
        usage = f"{name}(i, first, last, factor)"
        if len(args) != 4:
            raise FormulaError(f"{usage} takes 4 arguments (got {len(args)})")
        var_node = args[0]
        if not isinstance(var_node, ast.Name) or var_node.id not in _BOUND_VARS:
            raise FormulaError(
                f"the product variable of {usage} must be i or j (got {_describe(var_node)})"
            )
        var = var_node.id
        if var in self.bound:
            raise FormulaError(f"the product variable {var!r} is already bound by an outer product")
        if self.products >= MAX_PROD_NESTING:
            raise FormulaError(f"products are nested more than {MAX_PROD_NESTING} deep")
        first, last = self.index(args[1]), self.index(args[2])
        if var in first.variables() | last.variables():
            raise FormulaError(f"the bounds of {usage} cannot use its own variable {var!r}")
        self.bound.append(var)
        self.products += 1
        try:
            body = self.expr(args[3])
        finally:
            self.bound.pop()
            self.products -= 1
        if name == "prod_down":
            direction = "down"
        elif name == "prod_up":
            direction = "up"
        else:
            direction = _direction(first, last)
        return Product(var, first, last, body, direction)

    def _sum(self, args: list) -> Node:
        usage = "sum(k, first, last, term)"
        if len(args) != 4:
            raise FormulaError(f"{usage} takes 4 arguments (got {len(args)})")
        var_node = args[0]
        if not isinstance(var_node, ast.Name) or var_node.id not in _SUM_VARS:
            raise FormulaError(f"the summation variable of {usage} must be one of "
                               f"{', '.join(_SUM_VARS)} (got {_describe(var_node)})")
        var = var_node.id
        if var in self.bound:
            raise FormulaError(f"the summation variable {var!r} is already bound outside")
        if len(self.bound) >= MAX_PROD_NESTING + 1:
            raise FormulaError(f"sums and products are nested more than {MAX_PROD_NESTING + 1} deep")
        first, last = self.index(args[1]), self.index(args[2])
        if var in first.variables() | last.variables():
            raise FormulaError(f"the bounds of {usage} cannot use its own variable {var!r}")
        self.bound.append(var)
        try:
            body = self.expr(args[3])
        finally:
            self.bound.pop()
        return Sum(var, first, last, body)

    def _entry(self, node: ast.Subscript) -> Node:
        """``M[i, j]`` or ``v[i]`` with 1-based integer literals."""
        inner = self.expr(node.value)
        sl = node.slice
        items = sl.elts if isinstance(sl, ast.Tuple) else [sl]
        if len(items) not in (1, 2) or not all(
                isinstance(e, ast.Constant) and type(e.value) is int and 1 <= e.value <= 64
                for e in items):
            raise FormulaError(
                "an entry is M[i, j] (or v[i] of a vector) with literal 1-based indices "
                "1..64, e.g. (dE[t] @ D[t])[1, 2]")
        vals = [e.value for e in items]
        if len(vals) == 2:
            return Entry(inner, vals[0], vals[1])
        rows, cols = self.shape(inner)
        if cols == "1":
            return Entry(inner, vals[0], 1)
        if rows == "1":
            return Entry(inner, 1, vals[0])
        raise FormulaError(f"{inner.text()}[{vals[0]}] needs two indices [i, j]: it is a matrix")

    # -- index expressions ---------------------------------------------------------
    def index(self, node: ast.AST) -> Index:
        if isinstance(node, ast.Constant):
            return Index((), self._int(node))
        if isinstance(node, ast.Name):
            if node.id == "T" and self.grammar != "gradient":
                raise FormulaError("T (the number of steps) is an index of gradient formulas "
                                   "only; a Jacobian formula uses t and k")
            if node.id not in _INDEX_VARS:
                raise FormulaError(
                    f"{node.id!r} is not an index; indices are integers built from t, k, i, j"
                )
            return Index(((node.id, 1),), 0)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.index(node.operand)
            return inner.scale(-1) if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            left, right = self.index(node.left), self.index(node.right)
            result = left.combine(right, 1 if isinstance(node.op, ast.Add) else -1)
            self._check_index_size(result)
            return result
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            left, right = self.index(node.left), self.index(node.right)
            if left.coeffs and right.coeffs:
                raise FormulaError("an index may multiply an index variable by an integer only")
            result = right.scale(left.const) if not left.coeffs else left.scale(right.const)
            self._check_index_size(result)
            return result
        raise FormulaError(
            f"{_describe(node)} is not allowed in an index; use integers, t, k, i, j, + - and "
            "integer * index"
        )

    @staticmethod
    def _check_index_size(index: Index) -> None:
        if abs(index.const) > MAX_LITERAL or any(abs(c) > MAX_LITERAL for _, c in index.coeffs):
            raise FormulaError(f"the index {index} is too large; keep indices within steps 0..T")

    @staticmethod
    def _int(node: ast.Constant) -> int:
        value = node.value
        if type(value) is not int:
            raise FormulaError(f"the constant {value!r} is not allowed; use integers (and a/b)")
        if abs(value) > MAX_LITERAL:
            raise FormulaError(f"the integer {value} is too large; at most {MAX_LITERAL}")
        return value

    # -- static checks -------------------------------------------------------------
    def shape(self, node: Node) -> Shape:
        """Infer the shape (n, m symbolic and distinct); raise on a mismatch."""
        if isinstance(node, Const):
            return ()
        if isinstance(node, Param):
            return {**_MATRICES, **_GRAD_MATRICES}[node.name]
        if isinstance(node, Seq):
            return self.sequences.get(node.name) or {**_SEQUENCES, **_GRAD_SEQUENCES}[node.name]
        if isinstance(node, Sum):
            inner = self.shape(node.body)
            if inner == ():
                inner = ("1", "1")
            object.__setattr__(node, "shape", inner)  # the empty sum's zero matrix
            return inner
        if isinstance(node, Kron):
            a, b = self.shape(node.left) or ("1", "1"), self.shape(node.right) or ("1", "1")
            return (_dim_mul(a[0], b[0]), _dim_mul(a[1], b[1]))
        if isinstance(node, Entry):
            inner = self.shape(node.arg)
            if inner == ():
                raise FormulaError(f"[..] needs a matrix, got a number in {node.text()}")
            return ("1", "1")
        if isinstance(node, Call):
            inner = self.shape(node.arg)
            if inner == ():
                raise FormulaError(f"{node.fn}(..) needs a vector, got a number in {node.text()}")
            if node.fn == "diag":
                if inner[1] == "1":
                    return (inner[0], inner[0])
                if inner[0] == "1":
                    return (inner[1], inner[1])
                raise FormulaError(
                    f"diag(..) needs a vector, got {_shape_text(inner)} in {node.text()}"
                )
            return inner
        if isinstance(node, Transpose):
            inner = self.shape(node.arg)
            if inner == ():
                raise FormulaError(f".T needs a matrix, got a number in {node.text()}")
            return inner[::-1]
        if isinstance(node, Power):
            inner = self.shape(node.arg)
            if inner == () or inner[0] != inner[1]:
                raise FormulaError(f"** needs a square matrix, got {_shape_text(inner)} in {node.text()}")
            return inner
        if isinstance(node, Neg):
            return self.shape(node.arg)
        if isinstance(node, Product):
            inner = self.shape(node.body)
            if inner != ("n", "n"):
                raise FormulaError(
                    f"the factor of a product must be n×n, got {_shape_text(inner)} in {node.text()}"
                )
            return inner
        if isinstance(node, BinOp):
            left, right = self.shape(node.left), self.shape(node.right)
            if node.op in ("+", "-"):
                if left != right:
                    raise FormulaError(
                        f"cannot add {_shape_text(left)} and {_shape_text(right)} in {node.text()}"
                    )
                return left
            if left == ():
                return right
            if right == ():
                return left
            if left == ("1", "1") and right[0] != "1":
                return right  # a 1×1 entry times a matrix: a scalar multiple
            if right == ("1", "1") and left[1] != "1":
                return left
            if left[1] != right[0]:
                raise FormulaError(
                    f"cannot multiply {_shape_text(left)} by {_shape_text(right)} in {node.text()}"
                )
            return (left[0], right[1])
        raise FormulaError(f"internal: unknown node {node!r}")  # pragma: no cover

    def free_vars(self, node: Node, bound: frozenset = frozenset()) -> set[str]:
        if isinstance(node, Seq):
            return node.index.variables() - bound
        if isinstance(node, (Product, Sum)):
            outer = (node.first.variables() | node.last.variables()) - bound
            return outer | self.free_vars(node.body, bound | {node.var})
        out: set[str] = set()
        for child in node.children():
            out |= self.free_vars(child, bound)
        return out


def _folded(value: Fraction) -> Const:
    """A folded constant, if its numerator and denominator are within the bound."""
    if max(abs(value.numerator), value.denominator).bit_length() > MAX_COEFFICIENT_BITS:
        raise FormulaError(
            f"the constant {value} is too large: numerators and denominators up to "
            f"2^{MAX_COEFFICIENT_BITS}; keep numbers small")
    return Const(value)


def _direction(first: Index, last: Index) -> str:
    """Direction of ``prod(i, first, last, F)``: ``down`` when ``first >= last`` for every
    ``0 <= k < t``, ``up`` when ``first <= last`` for all of them; else an error."""
    diff = first.combine(last, -1)
    if diff.variables() - {"t", "k"}:
        raise FormulaError(
            "the direction of prod(..) is read off bounds in t and k only; "
            "use prod_down(i, hi, lo, F) or prod_up(i, lo, hi, F)"
        )
    coeff = dict(diff.coeffs)
    alpha, beta, gamma = coeff.get("t", 0), coeff.get("k", 0), diff.const
    # t = k + s with s >= 1, k >= 0: diff = (alpha + beta) k + alpha s + gamma
    if alpha + beta >= 0 and alpha >= 0 and alpha + gamma >= 0:
        return "down"
    if alpha + beta <= 0 and alpha <= 0 and alpha + gamma <= 0:
        return "up"
    raise FormulaError(
        f"prod(.., {first}, {last}, ..) runs down for some (t, k) and up for others; "
        "say which with prod_down(i, hi, lo, F) (largest index leftmost) or "
        "prod_up(i, lo, hi, F) (smallest index leftmost)"
    )


def _describe(node: ast.AST) -> str:
    names = {
        ast.Lambda: "a lambda", ast.ListComp: "a comprehension", ast.SetComp: "a comprehension",
        ast.DictComp: "a comprehension", ast.GeneratorExp: "a generator expression",
        ast.Compare: "a comparison", ast.BoolOp: "a boolean operator", ast.IfExp: "an if-expression",
        ast.List: "a list", ast.Tuple: "a tuple", ast.Dict: "a dict", ast.Set: "a set",
        ast.Slice: "a slice", ast.Starred: "a starred expression", ast.NamedExpr: "':='",
        ast.Await: "await", ast.JoinedStr: "a string", ast.Attribute: "an attribute",
        ast.Call: "a call", ast.Subscript: "a subscript",
    }
    if isinstance(node, ast.Name):
        return repr(node.id)
    if isinstance(node, ast.Constant):
        return repr(node.value)
    if type(node) in names:
        return names[type(node)]
    text = ast.unparse(node)  # printing only; the tree is small (checked before)
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _op_name(op: ast.AST) -> str:
    return {ast.Mod: "'%'", ast.FloorDiv: "'//'", ast.LShift: "'<<'", ast.RShift: "'>>'",
            ast.BitOr: "'|'", ast.BitAnd: "'&'", ast.BitXor: "'^'", ast.Invert: "'~'",
            ast.Not: "'not'"}.get(type(op), type(op).__name__)


__all__ = ["Formula", "GradientFormula", "Statement", "parse_statement", "Index", "Cost", "parse", "parse_gradient", "as_formula", "MAX_CHARS", "MAX_DEPTH",
           "MAX_FACTORS", "MAX_TERM_FACTORS",
           "MAX_NODES", "MAX_POWER", "MAX_LITERAL_DIGITS", "MAX_COEFFICIENT_BITS",
           "MAX_WORK_PER_PAIR", "MAX_TOTAL_WORK", "MAX_FORMULA_N", "MAX_FORMULA_T"]


def _norm_expr():
    """:mod:`derive.norm_expr`, imported at the first statement parsed (a Jacobian or
    gradient formula never needs it, so a ``check --jacobian`` does not load it).

    >>> _norm_expr().__name__
    'derive.norm_expr'
    """
    return importlib.import_module(f"{__package__}.norm_expr")


# --------------------------------------------------------------------------------------
# Inequality statements: norms of formula matrices, compared (parsed to derive.norm_expr)
# --------------------------------------------------------------------------------------
#: Characters an inequality statement may use (the formula's, plus the comparisons).
_STATEMENT_CHARS = _ALLOWED_CHARS | frozenset("<>=")
#: The scalar functions of a statement and the norm_expr node each becomes.
_NORM_FUNCTIONS = ("norm2", "normF", "smax", "rho", "lmax", "abs", "sqrt")
#: Scalar constants of a statement (Greek letters as the lemma table spells them).
_SCALAR_NAMES = {"gamma": "γ", "eta": "η"}
_STATEMENT_ALLOWED = (
    "norm2(M), normF(M), smax(M), rho(M), lmax(M), abs(s), sqrt(s) of matrices W (= W_rec), "
    "W_in, I, A (generic), D[e], diag(dsigma(x[e])), products @, .T, .H, +, M**p, "
    "prod_down(i, hi, lo, F); scalars "
    "gamma, eta, integers, t, k, j, i; + - * / **; comparisons < <= > >= =="
)
_OPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "=="}


@dataclass(frozen=True)
class Statement:
    """A parsed inequality statement: its links ``(lhs, op, rhs)`` (a chain ``a <= b < c``
    is the links ``a <= b`` and ``b < c``), with sides as :mod:`derive.norm_expr`
    expressions, op one of ``<``, ``<=``, ``>``, ``>=``, ``==``; ``free`` the index
    variables it is quantified over (every value).

    >>> s = parse_statement("norm2(W @ D[j]) <= norm2(W) * norm2(D[j])")
    >>> [(l.text(), op, r.text()) for l, op, r in s.links], sorted(s.free)
    ([('‖W diag(s_j)‖₂', '<=', '‖diag(s_j)‖₂ ‖W‖₂')], ['j'])
    """

    source: str = field(compare=False)
    links: tuple
    free: frozenset

    def text(self) -> str:
        """The statement as parsed, in the lemma table's notation.

        >>> parse_statement("smax(W) < 1/gamma").text()
        'σ_max(W) < 1/γ'
        """
        return " and ".join(f"{l.text()} {_REL_TEXT[op]} {r.text()}" for l, op, r in self.links)


_REL_TEXT = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "="}


def parse_statement(text: str) -> Statement:
    """Parse an inequality statement (see :class:`Statement`; the names in
    ``docs/check.md``). ``D[e]`` is ``diag(σ'(x_e))`` and prints as ``diag(s_e)``.

    >>> parse_statement("norm2(W) <")
    Traceback (most recent call last):
    ...
    rnncore.errors.FormulaError: not a statement: invalid syntax in 'norm2(W) <'
    >>> parse_statement("norm2(W)")
    Traceback (most recent call last):
    ...
    rnncore.errors.FormulaError: 'norm2(W)' compares nothing; write a comparison such as norm2(W @ D[j]) <= gamma * norm2(W)
    """
    if not isinstance(text, str):
        raise FormulaError(f"a statement must be a string (got {type(text).__name__})")
    if len(text) > MAX_CHARS:
        raise FormulaError(f"the statement has {len(text)} characters; at most {MAX_CHARS} are allowed")
    if not text.strip():
        raise FormulaError(f"the statement is empty; write a comparison of {_STATEMENT_ALLOWED}")
    for pos, ch in enumerate(text):
        if ch not in _STATEMENT_CHARS:
            raise FormulaError(
                f"character {ch!r} at position {pos} is not allowed; use letters, digits, spaces "
                "and . , ( ) [ ] + - * @ / < > =")
    depth = deepest = 0
    for ch in text:
        depth += ch in "(["
        depth -= ch in ")]"
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        raise FormulaError(f"brackets are nested {deepest} deep; at most {MAX_DEPTH} levels are allowed")
    _check_literals(text)
    try:
        tree = _python_expression(text.strip())
    except SyntaxError as exc:
        col = f" at column {exc.offset}" if exc.offset else ""
        raise FormulaError(f"not a statement: {exc.msg}{col} in {text.strip()!r}") from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError("the statement is too deeply nested or too large to parse") from None
    _check_tree_size(tree)
    body = tree.body
    if not isinstance(body, ast.Compare):
        raise FormulaError(
            f"{text.strip()!r} compares nothing; write a comparison such as "
            "norm2(W @ D[j]) <= gamma * norm2(W)")
    conv = _StatementConverter()
    sides = [_norm_expr().normal(conv.scalar(side)) for side in [body.left, *body.comparators]]
    links = []
    for i, op in enumerate(body.ops):
        if type(op) not in _OPS:
            raise FormulaError(f"the comparison {_op_name(op)} is not allowed; use < <= > >= ==")
        links.append((sides[i], _OPS[type(op)], sides[i + 1]))
    return Statement(text, tuple(links), frozenset(conv.free))


class _StatementConverter:
    """Whitelist walk from ``ast`` to :mod:`derive.norm_expr` (scalars and matrices)."""

    def __init__(self) -> None:
        self.bound: list[str] = []
        self.free: set[str] = set()

    def index(self, node) -> "object":
        nx = _norm_expr()
        idx = _Converter("gradient").index(node)
        for v in idx.variables():
            if v not in self.bound:
                self.free.add(v)
        terms = [nx.Mul(nx.Num(c), nx.Sym(v)) if c != 1 else nx.Sym(v) for v, c in idx.coeffs]
        if idx.const or not terms:
            terms.append(nx.Num(idx.const))
        return terms[0] if len(terms) == 1 else nx.Add(*terms)

    def scalar(self, node):
        nx = _norm_expr()
        if isinstance(node, ast.Constant):
            return nx.Num(_Converter._int(node))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.scalar(node.operand)
            return inner if isinstance(node.op, ast.UAdd) else nx.Mul(nx.Num(-1), inner)
        if isinstance(node, ast.Name):
            if node.id in _SCALAR_NAMES:
                return nx.Sym(_SCALAR_NAMES[node.id])
            if node.id in _INDEX_VARS:
                return self.index(node)
            raise FormulaError(
                f"the name {node.id!r} is not a scalar here; norms of matrices are scalars "
                f"(norm2({node.id}) ...); use {_STATEMENT_ALLOWED}")
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Pow):
                return nx.Pow(self.scalar(node.left), self.exponent(node.right))
            a, b = self.scalar(node.left), self.scalar(node.right)
            if isinstance(node.op, ast.Add):
                return nx.Add(a, b)
            if isinstance(node.op, ast.Sub):
                return nx.sub(a, b)
            if isinstance(node.op, (ast.Mult, ast.MatMult)):
                return nx.Mul(a, b)
            if isinstance(node.op, ast.Div):
                if isinstance(b, nx.Num) and b.value == 0:
                    raise FormulaError("division by zero in the statement")
                return nx.Mul(a, nx.Pow(b, nx.Num(-1)))
            raise FormulaError(f"operator {_op_name(node.op)} is not allowed; {_STATEMENT_ALLOWED}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if node.keywords or len(node.args) < 1:
                raise FormulaError(f"{name}(..) takes positional arguments")
            if name in ("prod", "sum") and len(node.args) == 4:
                var, lo, hi, body = self._bound(node.args, name)
                cls = nx.ProdOver if name == "prod" else nx.SumOver
                return cls(body, nx.Sym(var), lo, hi)
            if name in _NORM_FUNCTIONS:
                if len(node.args) != 1:
                    raise FormulaError(f"{name}(..) takes one argument (got {len(node.args)})")
                if name in ("abs", "sqrt"):
                    arg = self.scalar(node.args[0])
                    return nx.Abs(arg) if name == "abs" else nx.Sqrt(arg)
                arg = self.matrix(node.args[0])
                cls = {"norm2": nx.Norm2, "normF": nx.NormF, "smax": nx.SigmaMax, "rho": nx.Rho,
                       "lmax": nx.LambdaMax}[name]
                return cls(arg)
            raise FormulaError(f"the function {name!r} is not allowed in a statement; use {_STATEMENT_ALLOWED}")
        if isinstance(node, ast.Compare):
            raise FormulaError("comparisons chain left to right (a <= b < c); brackets around a "
                               "comparison are not allowed")
        raise FormulaError(f"{_describe(node)} is not a scalar; use {_STATEMENT_ALLOWED}")

    def exponent(self, node):
        nx = _norm_expr()
        if isinstance(node, ast.Constant) and type(node.value) is int:
            if abs(node.value) > MAX_POWER * 8:
                raise FormulaError(f"exponent {node.value} is too large; at most {MAX_POWER * 8}")
            return nx.Num(node.value)
        try:
            return self.index(node)
        except FormulaError:
            raise FormulaError("an exponent is an integer or an index expression (t - k, j + 1)") from None

    def _bound(self, args, name):
        var_node = args[0]
        if not isinstance(var_node, ast.Name) or var_node.id not in _SUM_VARS:
            raise FormulaError(f"the variable of {name}(i, lo, hi, F) must be one of {', '.join(_SUM_VARS)}")
        var = var_node.id
        if var in self.bound:
            raise FormulaError(f"the variable {var!r} is already bound outside")
        lo, hi = self.index(args[1]), self.index(args[2])
        self.bound.append(var)
        try:
            body = self.matrix(args[3]) if name == "prod_down" else self.scalar(args[3])
        finally:
            self.bound.pop()
        return var, lo, hi, body

    def matrix(self, node):
        nx = _norm_expr()
        if isinstance(node, ast.Name):
            if node.id in ("W", "W_rec"):
                return nx.Mat("W")
            if node.id == "W_in":
                return nx.Mat("W_in", "n", "m")
            if node.id == "I":
                return nx.Mat("I")
            if node.id == "A":  # a generic matrix: complex entries, any shape m × n
                return nx.Mat("A", "m", "n", real=False)
            raise FormulaError(f"{node.id!r} is not a matrix of a statement; use W, W_in, I, A, D[e]")
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "D":
            return nx.Diag(nx.Mat("s", "n", "1", sub=self.index(node.slice)))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if name == "diag" and len(node.args) == 1:
                a = node.args[0]
                if (isinstance(a, ast.Call) and isinstance(a.func, ast.Name) and a.func.id == "dsigma"
                        and len(a.args) == 1 and isinstance(a.args[0], ast.Subscript)
                        and isinstance(a.args[0].value, ast.Name) and a.args[0].value.id in ("x", "a")):
                    return nx.Diag(nx.Mat("s", "n", "1", sub=self.index(a.args[0].slice)))
                raise FormulaError("diag(..) in a statement is diag(dsigma(x[e])) (= D[e])")
            if name == "prod_down" and len(node.args) == 4:
                var, hi, lo, body = self._bound(node.args, name)
                return nx.MatProd(body, nx.Sym(var), lo, hi)
            if name in ("prod_up", "prod"):
                raise FormulaError(f"write {name}(..) as prod_down(i, hi, lo, F) (largest index "
                                   "leftmost) in a statement")
            raise FormulaError(f"the function {name!r} does not make a matrix here; use "
                               "prod_down(i, hi, lo, F), diag(dsigma(x[e]))")
        if isinstance(node, ast.Attribute):
            if node.attr not in ("T", "H"):
                raise FormulaError(f"attribute '.{node.attr}' is not allowed; the attributes are "
                                   "'.T' (transpose) and '.H' (conjugate transpose)")
            inner = self.matrix(node.value)
            return nx.Tr(inner) if node.attr == "T" else nx.CT(inner)
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Pow):
                e = node.right
                if not (isinstance(e, ast.Constant) and type(e.value) is int and 0 <= e.value <= MAX_POWER):
                    raise FormulaError(f"a matrix power M**p needs a literal 0 <= p <= {MAX_POWER}")
                return nx.MatPow(self.matrix(node.left), nx.Num(e.value))
            if isinstance(node.op, (ast.MatMult, ast.Mult)):
                return nx.MatMul(self.matrix(node.left), self.matrix(node.right))
            if isinstance(node.op, ast.Add):
                return nx.MatAdd(self.matrix(node.left), self.matrix(node.right))
        raise FormulaError(f"{_describe(node)} is not a matrix of a statement; use W, W_in, I, "
                           "D[e], @, .T, +, **, prod_down(..)")
