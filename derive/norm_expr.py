"""Expressions over matrices of a symbolic size n with norms, as an immutable tree.

SymPy has no operator-norm objects and ``MatrixSymbol`` algebra cannot say "‖A B‖₂"; so
norms, spectral quantities, products over an index and the statements made of them are
small frozen dataclasses here: structural equality, a normal form (flattened, ordered
products and sums, numbers folded, double transposes
removed), a printer to text and LaTeX, and pattern matching with consistent bindings.

Scalar arithmetic is decided exactly by SymPy: :func:`exact_equal` first compares normal
forms, then simplifies the difference of the two scalars, with every norm or other
non-arithmetic subterm an opaque atom (so ``(1/γ)·γ = 1`` and ``t − (k+1) + 1 = t − k``
are identities, ``‖A‖₂ = ‖Aᵀ‖₂`` is not). Never a float.

Matrices are ``rows × cols`` with sizes given as names (``"n"`` the symbolic size,
``"1"`` for a row or a column, ``"p"`` for a parameter count); every statement holds for
every value of those names.

>>> A, B = Mat("A"), Mat("B")
>>> print(Rel(Norm2(MatMul(A, B)), "<=", Mul(Norm2(A), Norm2(B))).text())
‖A B‖₂ ≤ ‖A‖₂ ‖B‖₂
>>> g = Sym("γ")
>>> exact_equal(Mul(Pow(g, Num(-1)), g), Num(1))
True
>>> [sorted(b) for b in match(Norm2(MatMul(Var("X"), Var("Y"))), Norm2(MatMul(A, B, A)))]
[['X', 'Y'], ['X', 'Y']]
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from fractions import Fraction
from itertools import combinations
from typing import ClassVar, Iterator

import sympy as sp

from rnncore.errors import InvalidInputError

#: The symbolic size every statement is about.
N_SIZE = sp.Symbol("n", integer=True, positive=True)

#: The relations a link or a lemma may state, weakest last.
RELATIONS = ("=", "<", "<=")
_REL_TEXT = {"=": "=", "<": "<", "<=": "≤"}
_REL_LATEX = {"=": "=", "<": "<", "<=": r"\le"}


def compose(r1: str, r2: str) -> str:
    """The relation of ``a r1 b r2 c`` between ``a`` and ``c``.

    >>> compose("=", "<="), compose("<=", "<"), compose("=", "=")
    ('<=', '<', '=')
    """
    if "<" in (r1, r2):
        return "<"
    if "<=" in (r1, r2):
        return "<="
    return "="


def implies(derived: str, stated: str) -> bool:
    """True when ``a derived b`` implies ``a stated b`` (``<`` and ``=`` imply ``≤``).

    >>> implies("<", "<="), implies("<=", "<"), implies("=", "<=")
    (True, False, True)
    """
    return derived == stated or stated == "<="


def rel_text(r: str) -> str:
    """The printed relation.

    >>> rel_text("<=")
    '≤'
    """
    return _REL_TEXT[r]


# ------------------------------------------------------------------ the tree
@dataclass(frozen=True)
class Expr:
    """A node; subclasses list their children as fields (an ``Expr`` or a tuple of them)."""

    is_matrix: ClassVar[bool] = False
    #: Precedence for the printer: higher binds tighter.
    prec: ClassVar[int] = 9

    def kids(self) -> tuple["Expr", ...]:
        """The child expressions, in field order.

        >>> Add(Sym("a"), Sym("b")).kids()
        (Sym(name='a'), Sym(name='b'))
        """
        out: list[Expr] = []
        for name in _field_names(type(self)):
            v = getattr(self, name)
            if isinstance(v, Expr):
                out.append(v)
            elif isinstance(v, tuple) and v and all(isinstance(x, Expr) for x in v):
                out.extend(v)
        return tuple(out)

    def rebuild(self, kids) -> "Expr":
        """The same node with new children (same count and order as :meth:`kids`).

        >>> Add(Sym("a"), Sym("b")).rebuild((Sym("c"), Sym("d"))).text()
        'c + d'
        """
        kids = list(kids)
        values = {}
        for name in _field_names(type(self)):
            v = getattr(self, name)
            if isinstance(v, Expr):
                values[name] = kids.pop(0)
            elif isinstance(v, tuple) and v and all(isinstance(x, Expr) for x in v):
                values[name] = tuple(kids.pop(0) for _ in v)
            else:
                values[name] = v
        return _make(type(self), values)

    def text(self) -> str:
        """Plain-text rendering (Unicode).

        >>> Norm2(Tr(Mat("W"))).text()
        '‖Wᵀ‖₂'
        """
        return _text(self)

    def latex(self) -> str:
        """LaTeX rendering (math mode, without the dollars).

        >>> print(Norm2(Tr(Mat("W"))).latex())
        \\lVert W^{\\mathsf T} \\rVert_2
        """
        return _latex(self)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls) -> tuple[str, ...]:
    # dataclasses.fields builds its tuple on every call; the proof search asks millions of times
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _make(cls, values):
    obj = object.__new__(cls)
    for k, v in values.items():
        object.__setattr__(obj, k, v)
    return obj


def _nary(cls, args):
    """Constructor body of an n-ary node given as ``Cls(a, b, c)``."""
    if len(args) == 1 and isinstance(args[0], tuple):
        args = args[0]
    for a in args:
        if not isinstance(a, Expr):
            raise InvalidInputError(f"{cls.__name__} takes expressions, got {a!r}")
    return tuple(args)


# scalars
@dataclass(frozen=True)
class Num(Expr):
    """A rational constant."""

    value: Fraction

    def __init__(self, value) -> None:
        object.__setattr__(self, "value", Fraction(value))


@dataclass(frozen=True)
class Sym(Expr):
    """A real scalar symbol (also an index such as t, k, j)."""

    name: str


@dataclass(frozen=True)
class Var(Expr):
    """A pattern variable of a lemma; ``kind`` is ``mat``, ``scalar`` or ``any``."""

    name: str
    kind: str = "any"

    @property
    def is_matrix(self) -> bool:  # type: ignore[override]
        return self.kind == "mat"

    def accepts(self, e: Expr) -> bool:
        """True when ``e`` may be bound to this variable (matrix or scalar as declared).

        >>> Var("A", "mat").accepts(Mat("W")), Var("A", "mat").accepts(Sym("γ"))
        (True, False)
        """
        if self.kind == "mat":
            return e.is_matrix
        if self.kind == "scalar":
            return not e.is_matrix
        return True


@dataclass(frozen=True)
class Add(Expr):
    """A sum of scalars."""

    terms: tuple
    prec: ClassVar[int] = 1

    def __init__(self, *terms) -> None:
        object.__setattr__(self, "terms", _nary(Add, terms))


@dataclass(frozen=True)
class Mul(Expr):
    """A product of scalars."""

    factors: tuple
    prec: ClassVar[int] = 2

    def __init__(self, *factors) -> None:
        object.__setattr__(self, "factors", _nary(Mul, factors))


@dataclass(frozen=True)
class Pow(Expr):
    """``base ** exp`` for scalars (``exp = -1`` is the reciprocal)."""

    base: Expr
    exp: Expr
    prec: ClassVar[int] = 3


@dataclass(frozen=True)
class _Unary(Expr):
    """A function of one argument. Each kind below is a plain subclass: the dataclass
    methods (compare the class, then ``arg``) serve them all, and declaring each as a
    dataclass of its own cost a millisecond of every start-up."""

    arg: Expr


class Sqrt(_Unary):
    """The nonnegative square root."""


class Abs(_Unary):
    """The absolute value of a scalar."""


class Norm2(_Unary):
    """The spectral norm ‖X‖₂ (operator norm induced by the Euclidean norm)."""


class NormF(_Unary):
    """The Frobenius norm ‖X‖_F."""


class SigmaMax(_Unary):
    """The largest singular value σ_max(X)."""


class Rho(_Unary):
    """The spectral radius ρ(X) = max |λ_i| of a square X."""


class LambdaMax(_Unary):
    """The largest eigenvalue λ_max(X) of a Hermitian X."""


class MaxAbs(_Unary):
    """max_i |v_i| over the entries of a column v."""


@dataclass(frozen=True)
class SumOver(Expr):
    """``Σ_{idx=lo}^{hi} body`` of scalars."""

    body: Expr
    idx: Expr
    lo: Expr
    hi: Expr
    prec: ClassVar[int] = 1


@dataclass(frozen=True)
class ProdOver(Expr):
    """``∏_{idx=lo}^{hi} body`` of scalars."""

    body: Expr
    idx: Expr
    lo: Expr
    hi: Expr
    prec: ClassVar[int] = 2


# matrices
@dataclass(frozen=True)
class Mat(Expr):
    """A matrix symbol ``rows × cols`` (sizes by name), real unless ``real=False``;
    ``sub`` an optional index (``J_j``)."""

    name: str
    rows: str = "n"
    cols: str = "n"
    real: bool = True
    sub: Expr | None = None
    is_matrix: ClassVar[bool] = True


@dataclass(frozen=True)
class Diag(Expr):
    """``diag(v)`` of a column ``v``."""

    arg: Expr
    is_matrix: ClassVar[bool] = True


@dataclass(frozen=True)
class MatMul(Expr):
    """A matrix product, left to right."""

    factors: tuple
    is_matrix: ClassVar[bool] = True
    prec: ClassVar[int] = 2

    def __init__(self, *factors) -> None:
        object.__setattr__(self, "factors", _nary(MatMul, factors))


@dataclass(frozen=True)
class MatAdd(Expr):
    """A matrix sum."""

    terms: tuple
    is_matrix: ClassVar[bool] = True
    prec: ClassVar[int] = 1

    def __init__(self, *terms) -> None:
        object.__setattr__(self, "terms", _nary(MatAdd, terms))


@dataclass(frozen=True)
class Tr(Expr):
    """The transpose Xᵀ."""

    arg: Expr
    is_matrix: ClassVar[bool] = True


@dataclass(frozen=True)
class CT(Expr):
    """The conjugate transpose Xᴴ."""

    arg: Expr
    is_matrix: ClassVar[bool] = True


@dataclass(frozen=True)
class MatPow(Expr):
    """``X^k`` for a square X and a natural number k."""

    base: Expr
    exp: Expr
    is_matrix: ClassVar[bool] = True
    prec: ClassVar[int] = 3


@dataclass(frozen=True)
class MatSum(Expr):
    """``Σ_{idx=lo}^{hi} body`` of matrices."""

    body: Expr
    idx: Expr
    lo: Expr
    hi: Expr
    is_matrix: ClassVar[bool] = True
    prec: ClassVar[int] = 1


@dataclass(frozen=True)
class MatProd(Expr):
    """The ordered product ``body(hi) body(hi-1) ⋯ body(lo)`` (largest index leftmost)."""

    body: Expr
    idx: Expr
    lo: Expr
    hi: Expr
    is_matrix: ClassVar[bool] = True
    prec: ClassVar[int] = 2


# statements
@dataclass(frozen=True)
class Rel(Expr):
    """``lhs op rhs`` with op in ``=``, ``<``, ``<=``."""

    lhs: Expr
    op: str
    rhs: Expr

    def __post_init__(self) -> None:
        if self.op not in RELATIONS:
            raise InvalidInputError(f"unknown relation {self.op!r}; use one of {RELATIONS}")


@dataclass(frozen=True)
class Pred(Expr):
    """A side condition ``name(args)``: ``square``, ``real``, ``psd``, ``column``,
    ``indep`` (args[1] does not occur in args[0]), ``to_infinity`` (args[0] → ∞ as the
    index args[1] → ∞)."""

    name: str
    args: tuple

    def __init__(self, name: str, *args) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "args", _nary(Pred, args))


@dataclass(frozen=True)
class Tends(Expr):
    """``expr → 0`` as the index ``var → ∞``."""

    expr: Expr
    var: Expr


@dataclass(frozen=True)
class Bounded(Expr):
    """``sup over var of expr < ∞`` (bounded above, for every value of the other symbols)."""

    expr: Expr
    var: Expr


def le(a: Expr, b: Expr) -> Rel:
    """``a ≤ b``.

    >>> le(Num(0), Sym("x")).text()
    '0 ≤ x'
    """
    return Rel(a, "<=", b)


def lt(a: Expr, b: Expr) -> Rel:
    """``a < b``.

    >>> lt(Num(0), Sym("x")).op
    '<'
    """
    return Rel(a, "<", b)


def eq(a: Expr, b: Expr) -> Rel:
    """``a = b``.

    >>> eq(Sym("x"), Num(1)).text()
    'x = 1'
    """
    return Rel(a, "=", b)


def inv(x: Expr) -> Expr:
    """``1/x`` as ``x ** -1``.

    >>> inv(Sym("γ")).text()
    '1/γ'
    """
    return Pow(x, Num(-1))


def sub(a: Expr, b: Expr) -> Expr:
    """``a − b``.

    >>> sub(Sym("t"), Sym("k")).text()
    't − k'
    """
    return Add(a, Mul(Num(-1), b))


# ------------------------------------------------------------------ shapes and symbols
def shape(e: Expr) -> tuple[str, str] | None:
    """``(rows, cols)`` of a matrix expression by size names, None when unknown.

    >>> shape(MatMul(Mat("a", "1", "n"), Mat("B"))), shape(Tr(Mat("c", "n", "p")))
    (('1', 'n'), ('p', 'n'))
    """
    if isinstance(e, Mat):
        return (e.rows, e.cols)
    if isinstance(e, Diag):
        s = shape(e.arg)
        return None if s is None else (s[0], s[0])
    if isinstance(e, MatMul):
        a, b = shape(e.factors[0]), shape(e.factors[-1])
        return None if a is None or b is None else (a[0], b[1])
    if isinstance(e, (Tr, CT)):
        s = shape(e.arg)
        return None if s is None else (s[1], s[0])
    if isinstance(e, (MatPow, MatSum, MatProd)):
        return shape(e.body if not isinstance(e, MatPow) else e.base)
    if isinstance(e, MatAdd):
        return shape(e.terms[0])
    return None


def is_real(e: Expr) -> bool:
    """True when the matrix expression is real by construction (real symbols, diag of a
    real column, products, sums, transposes, powers of real ones).

    >>> is_real(MatMul(Tr(Mat("W")), Diag(Mat("s", "n", "1")))), is_real(Mat("Z", real=False))
    (True, False)
    """
    if isinstance(e, Mat):
        return e.real
    if isinstance(e, (Diag, Tr, CT)):
        return is_real(e.arg)
    if isinstance(e, (MatMul, MatAdd)):
        return all(is_real(k) for k in e.kids())
    if isinstance(e, MatPow):
        return is_real(e.base)
    if isinstance(e, (MatSum, MatProd)):
        return is_real(e.body)
    return False


def free_symbols(e: Expr) -> frozenset[str]:
    """Names of the scalar symbols ``e`` depends on (bound indices excluded).

    >>> sorted(free_symbols(ProdOver(Norm2(Mat("J", sub=Sym("j"))), Sym("j"), Sym("k"), Sym("t"))))
    ['k', 't']
    """
    if isinstance(e, Sym):
        return frozenset({e.name})
    if isinstance(e, (SumOver, ProdOver, MatSum, MatProd)):
        inner = free_symbols(e.body) - free_symbols(e.idx)
        return inner | free_symbols(e.lo) | free_symbols(e.hi)
    out: frozenset[str] = frozenset()
    for k in e.kids():
        out |= free_symbols(k)
    if isinstance(e, Mat) and e.sub is not None:
        out |= free_symbols(e.sub)
    return out


def unbound_vars(e: Expr, bindings: dict) -> frozenset[str]:
    """Names of pattern variables in ``e`` not yet bound.

    >>> sorted(unbound_vars(Mul(Var("a"), Var("b")), {"a": Num(1)}))
    ['b']
    """
    if isinstance(e, Var):
        return frozenset() if e.name in bindings else frozenset({e.name})
    out: frozenset[str] = frozenset()
    for k in e.kids():
        out |= unbound_vars(k, bindings)
    return out


def substitute(e: Expr, bindings: dict) -> Expr:
    """``e`` with its pattern variables replaced by their bindings.

    >>> substitute(Norm2(Var("A")), {"A": Mat("W")}).text()
    '‖W‖₂'
    """
    if isinstance(e, Var):
        return bindings.get(e.name, e)
    kids = e.kids()
    if not kids:
        return e
    return e.rebuild(substitute(k, bindings) for k in kids)


# ------------------------------------------------------------------ normal form
def _key(e: Expr) -> str:
    return repr(e)


def normal(e: Expr) -> Expr:
    """The normal form: n-ary sums and products flattened, numbers folded, factors of a
    commutative product ordered, ``x^1 = x``, ``(Xᵀ)ᵀ = X``.

    >>> normal(Mul(Sym("b"), Num(2), Mul(Sym("a"), Num(1)))).text()
    '2 a b'
    >>> normal(Tr(Tr(Mat("W")))).text()
    'W'
    """
    return _normal(e)


# a lemma search normalises the same subterms again and again; the trees are immutable
@lru_cache(maxsize=65536)
def _normal(e: Expr) -> Expr:
    kids = e.kids()
    if kids:
        e = e.rebuild(normal(k) for k in kids)
    if isinstance(e, Add):
        return _norm_add(e)
    if isinstance(e, Mul):
        return _norm_mul(e)
    if isinstance(e, Pow):
        return _norm_pow(e)
    if isinstance(e, (MatMul, MatAdd)):
        cls = type(e)
        flat: list[Expr] = []
        for a in e.kids():
            flat.extend(a.kids() if isinstance(a, cls) else (a,))
        if isinstance(e, MatAdd):
            flat.sort(key=_key)
        return flat[0] if len(flat) == 1 else cls(*flat)
    if isinstance(e, (Tr, CT)) and type(e.arg) is type(e):
        return e.arg.arg
    return e


def _norm_add(e: Add) -> Expr:
    const = Fraction(0)
    terms: list[Expr] = []
    for a in e.terms:
        for t in (a.terms if isinstance(a, Add) else (a,)):
            if isinstance(t, Num):
                const += t.value
            else:
                terms.append(t)
    if const:
        terms.append(Num(const))
    terms.sort(key=_key)
    if not terms:
        return Num(0)
    return terms[0] if len(terms) == 1 else Add(*terms)


def _norm_mul(e: Mul) -> Expr:
    # Equal bases are not merged (γ·(1/γ) stays a product): a proof's written
    # intermediate expression keeps its shape, and exact_equal decides the identity.
    const = Fraction(1)
    out: list[Expr] = []
    for a in e.factors:
        for f in (a.factors if isinstance(a, Mul) else (a,)):
            if isinstance(f, Num):
                const *= f.value
            else:
                out.append(f)
    if const == 0:
        return Num(0)
    out.sort(key=_key)
    if const != 1:
        out.insert(0, Num(const))
    if not out:
        return Num(1)
    return out[0] if len(out) == 1 else Mul(*out)


def _norm_pow(e: Pow) -> Expr:
    if e.exp == Num(1):
        return e.base
    if e.exp == Num(0):
        return Num(1)
    if isinstance(e.base, Num) and isinstance(e.exp, Num) and e.exp.value.denominator == 1:
        if e.base.value != 0 or e.exp.value > 0:
            return Num(e.base.value ** int(e.exp.value))
    if isinstance(e.base, Pow) and isinstance(e.exp, Num) and e.exp.value.denominator == 1:
        return _norm_pow(Pow(e.base.base, _norm_mul(Mul(e.base.exp, e.exp))))
    return e


# ------------------------------------------------------------------ exact algebra
def to_sympy(e: Expr):
    """The scalar ``e`` as a SymPy expression; non-arithmetic subterms (norms, sums over an
    index, ...) become opaque symbols, one per distinct normal form.

    >>> to_sympy(Add(Sym("t"), Mul(Num(-1), Add(Sym("k"), Num(1))), Num(1)))
    -k + t
    """
    if isinstance(e, Num):
        return sp.Rational(e.value.numerator, e.value.denominator)
    if isinstance(e, Sym):
        return sp.Symbol(e.name)
    if isinstance(e, Var):
        return sp.Symbol("?" + e.name)
    if isinstance(e, Add):
        return sp.Add(*[to_sympy(a) for a in e.terms])
    if isinstance(e, Mul):
        return sp.Mul(*[to_sympy(a) for a in e.factors])
    if isinstance(e, Pow):
        return sp.Pow(to_sympy(e.base), to_sympy(e.exp))
    if e.is_matrix:
        raise InvalidInputError(f"{e.text()} is a matrix, not a scalar")
    return sp.Symbol("⟦" + _key(normal(e)) + "⟧")


def exact_equal(a: Expr, b: Expr) -> bool:
    """True when ``a`` and ``b`` are equal as expressions: equal normal forms, or (scalars)
    a difference that SymPy simplifies to exactly 0.

    >>> t, k = Sym("t"), Sym("k")
    >>> exact_equal(Add(t, Mul(Num(-1), Add(k, Num(1))), Num(1)), sub(t, k))
    True
    >>> exact_equal(Norm2(Tr(Mat("W"))), Norm2(Mat("W")))
    False
    """
    return _exact_equal(a, b)


# pure in its arguments (immutable trees); a lemma search asks the same pairs many times
@lru_cache(maxsize=65536)
def _exact_equal(a: Expr, b: Expr) -> bool:
    na, nb = normal(a), normal(b)
    if na == nb:
        return True
    if na.is_matrix or nb.is_matrix or isinstance(na, (Rel, Pred, Tends, Bounded)) or \
            isinstance(nb, (Rel, Pred, Tends, Bounded)):
        if type(na) is type(nb) and len(na.kids()) == len(nb.kids()) and na.kids():
            same_rest = na.rebuild(nb.kids()) == nb
            return same_rest and all(exact_equal(x, y) for x, y in zip(na.kids(), nb.kids()))
        return False
    return _scalar_zero(to_sympy(na) - to_sympy(nb))


@lru_cache(maxsize=4096)
def _scalar_zero(d) -> bool:
    # expand decides polynomial identities and cancel rational ones (the symbols are
    # independent, so a nonzero result is final there); simplify is the slower last try,
    # for roots and other non-integer powers
    e = sp.expand(d)
    if e == 0:
        return True
    if all(p.exp.is_Integer for p in e.atoms(sp.Pow)) and not e.atoms(sp.Function):
        return e.is_polynomial() is False and sp.cancel(e) == 0
    return sp.simplify(d) == 0


# ------------------------------------------------------------------ pattern matching
def match(pat: Expr, term: Expr, bindings: dict | None = None) -> Iterator[dict]:
    """Every consistent binding of the pattern variables of ``pat`` that makes it equal to
    ``term`` (products split in every way a matrix variable can absorb consecutive factors;
    commutative products and sums matched in any order). Fully bound parts are compared
    with :func:`exact_equal`.

    >>> A, B = Var("A", "mat"), Var("B", "mat")
    >>> [b["A"].text() for b in match(MatMul(A, B), MatMul(Mat("a", "1", "n"), Mat("B"), Mat("c", "n", "1")))]
    ['a', 'a B']
    >>> list(match(Norm2(A), NormF(Mat("W"))))
    []
    """
    b = dict(bindings or {})
    term = normal(term)
    if not unbound_vars(pat, b):
        if exact_equal(substitute(pat, b), term):
            yield b
        return
    if isinstance(pat, Var):
        if pat.accepts(term):
            yield {**b, pat.name: term}
        return
    if isinstance(pat, MatMul):
        if isinstance(term, MatMul):
            yield from _match_seq(pat.factors, term.factors, b)
        return
    if isinstance(pat, (Mul, Add, MatAdd)):
        if type(term) is type(pat):
            yield from _match_comm(type(pat), list(pat.kids()), list(term.kids()), b)
        elif len(pat.kids()) == 1:
            yield from match(pat.kids()[0], term, b)
        return
    if type(pat) is not type(term) or len(pat.kids()) != len(term.kids()):
        return
    if pat.rebuild(term.kids()) != term:  # a name, size or relation differs
        return
    yield from _match_all(list(pat.kids()), list(term.kids()), b)


def _match_all(pats, terms, b) -> Iterator[dict]:
    if not pats:
        yield b
        return
    for b1 in match(pats[0], terms[0], b):
        yield from _match_all(pats[1:], terms[1:], b1)


def _match_seq(pats, terms, b) -> Iterator[dict]:
    if not pats:
        if not terms:
            yield b
        return
    p, rest = pats[0], pats[1:]
    if isinstance(p, Var) and p.name not in b and p.kind in ("mat", "any"):
        for take in range(1, len(terms) - len(rest) + 1):
            chunk = terms[:take]
            value = chunk[0] if take == 1 else MatMul(*chunk)
            yield from _match_seq(rest, terms[take:], {**b, p.name: value})
        return
    if terms:
        for b1 in match(p, terms[0], b):
            yield from _match_seq(rest, terms[1:], b1)


def _match_comm(cls, pats, terms, b) -> Iterator[dict]:
    if not pats:
        if not terms:
            yield b
        return
    p, rest = pats[0], pats[1:]
    if not rest:
        value = terms[0] if len(terms) == 1 else (normal(cls(*terms)) if terms else None)
        if value is not None:
            yield from match(p, value, b)
        return
    absorbs = isinstance(p, Var) and p.name not in b
    sizes = range(1, len(terms) - len(rest) + 1) if absorbs else (1,)
    for size in sizes:
        for idx in combinations(range(len(terms)), size):
            chunk = [terms[i] for i in idx]
            left = [t for i, t in enumerate(terms) if i not in idx]
            value = chunk[0] if size == 1 else normal(cls(*chunk))
            for b1 in match(p, value, b):
                yield from _match_comm(cls, rest, left, b1)


def first_mismatch(pat: Expr, term: Expr) -> tuple[str, str] | None:
    """The first pair of node kinds where ``term`` departs from the shape of ``pat``
    (pattern variables match anything), as printable names; None when the shapes agree.

    >>> first_mismatch(Norm2(Var("A")), NormF(Mat("W")))
    ('‖·‖₂', '‖·‖_F')
    """
    if isinstance(pat, Var):
        return None
    term = normal(term)
    if type(pat) is not type(term):
        return (_head(pat), _head(term))
    for p, t in zip(pat.kids(), term.kids()):
        found = first_mismatch(p, t)
        if found:
            return found
    return None


_HEADS = {"Norm2": "‖·‖₂", "NormF": "‖·‖_F", "SigmaMax": "σ_max", "Rho": "ρ",
          "LambdaMax": "λ_max", "Abs": "|·|", "Tr": "·ᵀ", "CT": "·ᴴ", "MatMul": "a matrix product",
          "Mul": "a product", "Add": "a sum", "MatPow": "a matrix power", "Pow": "a power"}


def _head(e: Expr) -> str:
    return _HEADS.get(type(e).__name__, type(e).__name__)


# ------------------------------------------------------------------ printers
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _num_text(v: Fraction) -> str:
    return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


def _paren(e: Expr, prec: int, f) -> str:
    s = f(e)
    return f"({s})" if e.prec < prec or (isinstance(e, Num) and e.value < 0) else s


def _text(e: Expr) -> str:
    t = _text
    if isinstance(e, Num):
        return _num_text(e.value)
    if isinstance(e, (Sym, Var)):
        return e.name
    if isinstance(e, Add):
        out = t(e.terms[0])
        for a in e.terms[1:]:
            if isinstance(a, Mul) and isinstance(a.factors[0], Num) and a.factors[0].value < 0:
                rest = normal(Mul(Num(-a.factors[0].value), *a.factors[1:]))
                out += " − " + _paren(rest, 2, t)
            elif isinstance(a, Num) and a.value < 0:
                out += " − " + _num_text(-a.value)
            else:
                out += " + " + t(a)
        return out
    if isinstance(e, Mul):
        if isinstance(e.factors[0], Num) and e.factors[0].value == -1 and len(e.factors) > 1:
            return "−" + _paren(normal(Mul(*e.factors[1:])), 3, t)
        return " ".join(f"({t(f)})" if isinstance(f, Pow) and f.exp == Num(-1)
                        else _paren(f, 3, t) for f in e.factors)
    if isinstance(e, Pow):
        if e.exp == Num(-1):
            return "1/" + _paren(e.base, 9, t)
        ex = t(e.exp)
        return _paren(e.base, 9, t) + "^" + (ex if isinstance(e.exp, (Num, Sym)) else f"({ex})")
    if isinstance(e, Sqrt):
        return f"sqrt({t(e.arg)})"
    if isinstance(e, Abs):
        return f"|{t(e.arg)}|"
    if isinstance(e, Norm2):
        return f"‖{t(e.arg)}‖₂"
    if isinstance(e, NormF):
        return f"‖{t(e.arg)}‖_F"
    if isinstance(e, SigmaMax):
        return f"σ_max({t(e.arg)})"
    if isinstance(e, Rho):
        return f"ρ({t(e.arg)})"
    if isinstance(e, LambdaMax):
        return f"λ_max({t(e.arg)})"
    if isinstance(e, MaxAbs):
        return f"max_i |({t(e.arg)})_i|"
    if isinstance(e, (SumOver, MatSum, ProdOver, MatProd)):
        sym = "Σ" if isinstance(e, (SumOver, MatSum)) else "∏"
        return f"{sym}_{{{t(e.idx)}={t(e.lo)}}}^{{{t(e.hi)}}} {_paren(e.body, 3, t)}"
    if isinstance(e, Mat):
        if e.sub is None:
            return e.name
        s = t(e.sub)
        return e.name + (s.translate(_SUB) if s.isdigit() else "_" + (s if len(s) == 1 else f"{{{s}}}"))
    if isinstance(e, Diag):
        return f"diag({t(e.arg)})"
    if isinstance(e, MatMul):
        return " ".join(_paren(f, 3, t) for f in e.factors)
    if isinstance(e, MatAdd):
        return " + ".join(t(a) for a in e.terms)
    if isinstance(e, Tr):
        return _paren(e.arg, 9, t) + "ᵀ"
    if isinstance(e, CT):
        return _paren(e.arg, 9, t) + "ᴴ"
    if isinstance(e, MatPow):
        ex = t(e.exp)
        return _paren(e.base, 9, t) + "^" + (ex if isinstance(e.exp, (Num, Sym)) else f"({ex})")
    if isinstance(e, Rel):
        return f"{t(e.lhs)} {_REL_TEXT[e.op]} {t(e.rhs)}"
    if isinstance(e, Pred):
        return _pred_text(e)
    if isinstance(e, Tends):
        return f"{t(e.expr)} → 0 as {t(e.var)} → ∞"
    if isinstance(e, Bounded):
        return f"{t(e.expr)} is bounded over {t(e.var)}"
    raise InvalidInputError(f"no printer for {type(e).__name__}")


def _pred_text(e: Pred) -> str:
    a = [x.text() for x in e.args]
    words = {"square": "{0} is square", "real": "{0} is real", "psd": "{0} is positive semidefinite",
             "column": "{0} is a column", "indep": "{0} does not depend on {1}",
             "to_infinity": "{0} → ∞ as {1} → ∞"}
    return words.get(e.name, e.name + "({})").format(*a, ", ".join(a))


def _latex(e: Expr) -> str:
    L = _latex
    if isinstance(e, Num):
        v = e.value
        return str(v.numerator) if v.denominator == 1 else (
            ("-" if v < 0 else "") + rf"\frac{{{abs(v.numerator)}}}{{{v.denominator}}}")
    if isinstance(e, (Sym, Var)):
        return _GREEK.get(e.name, e.name)
    if isinstance(e, Add):
        out = L(e.terms[0])
        for a in e.terms[1:]:
            if isinstance(a, Mul) and isinstance(a.factors[0], Num) and a.factors[0].value < 0:
                rest = normal(Mul(Num(-a.factors[0].value), *a.factors[1:]))
                out += " - " + _paren(rest, 2, L)
            elif isinstance(a, Num) and a.value < 0:
                out += " - " + L(Num(-a.value))
            else:
                out += " + " + L(a)
        return out
    if isinstance(e, Mul):
        return r" \, ".join(_paren(f, 3, L) for f in e.factors)
    if isinstance(e, Pow):
        if e.exp == Num(-1):
            return rf"\frac{{1}}{{{L(e.base)}}}"
        return _paren(e.base, 9, L) + f"^{{{L(e.exp)}}}"
    simple = {Sqrt: r"\sqrt{{{}}}", Abs: r"\lvert {} \rvert", Norm2: r"\lVert {} \rVert_2",
              NormF: r"\lVert {} \rVert_F", SigmaMax: r"\sigma_{{\max}}({})", Rho: r"\rho({})",
              LambdaMax: r"\lambda_{{\max}}({})", MaxAbs: r"\max_i \lvert ({})_i \rvert",
              Diag: r"\operatorname{{diag}}({})"}
    if type(e) in simple:
        return simple[type(e)].format(L(e.arg))
    if isinstance(e, (SumOver, MatSum, ProdOver, MatProd)):
        sym = r"\sum" if isinstance(e, (SumOver, MatSum)) else r"\prod"
        return f"{sym}_{{{L(e.idx)}={L(e.lo)}}}^{{{L(e.hi)}}} {_paren(e.body, 3, L)}"
    if isinstance(e, Mat):
        name = {"W": r"W", "D": "D"}.get(e.name, e.name)
        return name if e.sub is None else f"{name}_{{{L(e.sub)}}}"
    if isinstance(e, MatMul):
        return " ".join(_paren(f, 3, L) for f in e.factors)
    if isinstance(e, MatAdd):
        return " + ".join(L(a) for a in e.terms)
    if isinstance(e, Tr):
        return _paren(e.arg, 9, L) + r"^{\mathsf T}"
    if isinstance(e, CT):
        return _paren(e.arg, 9, L) + r"^{\mathsf H}"
    if isinstance(e, MatPow):
        return _paren(e.base, 9, L) + f"^{{{L(e.exp)}}}"
    if isinstance(e, Rel):
        return f"{L(e.lhs)} {_REL_LATEX[e.op]} {L(e.rhs)}"
    if isinstance(e, Pred):
        return r"\text{" + _pred_text(e).replace("_", r"\_") + "}"
    if isinstance(e, Tends):
        return rf"{L(e.expr)} \to 0 \ (\,{L(e.var)} \to \infty)"
    if isinstance(e, Bounded):
        return rf"\sup_{{{L(e.var)}}} {L(e.expr)} < \infty"
    raise InvalidInputError(f"no LaTeX printer for {type(e).__name__}")


_GREEK = {"γ": r"\gamma", "η": r"\eta", "θ": r"\theta"}

__all__ = [
    "N_SIZE", "RELATIONS", "compose", "implies", "rel_text",
    "Expr", "Num", "Sym", "Var", "Add", "Mul", "Pow", "Sqrt", "Abs", "Norm2", "NormF",
    "SigmaMax", "Rho", "LambdaMax", "MaxAbs", "SumOver", "ProdOver", "Mat", "Diag", "MatMul",
    "MatAdd", "Tr", "CT", "MatPow", "MatSum", "MatProd", "Rel", "Pred", "Tends", "Bounded",
    "le", "lt", "eq", "inv", "sub", "shape", "is_real", "free_symbols", "unbound_vars",
    "substitute", "normal", "to_sympy", "exact_equal", "match", "first_mismatch",
]
