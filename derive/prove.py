"""Exact identity decisions: :func:`prove_equal` and the canonical polynomials behind it.

Two SymPy expressions (or matrices) are compared as functions of their free symbols.
Every function application — the generic σ and σ' (``sigma``/``dsigma``), a generic loss
``L`` and its partials, and also ``tanh``, ``sigmoid``, ``relu``, ``step`` — is an
*atom*: an independent unknown value, keyed by the function and the canonical form of its
arguments (so ``σ(a + b)`` and ``σ(b + a)``, or ``σ(w(a + b))`` and ``σ(wa + wb)``, are
the same atom). Both sides are expanded into canonical polynomials over ℚ in the symbols
and the atoms (:class:`Canonicalizer`, memoised over the expression DAG, so shared
sub-expressions are converted once). If the difference is the zero polynomial the
identity holds for *every* value of the atoms, hence for every function — this is the
proof (``proved``, method "exact expansion").

If the difference is a nonzero polynomial, the identity may still hold for a particular
concrete function (``tanh`` obeys algebraic identities the atoms do not know), so a
refutation is only claimed from a certified point: rational values for all symbols,
values for the generic functions at the distinct argument values reached (equal
arguments get equal values, so a smooth σ with those values — and σ' with its values, by
Hermite interpolation — exists), and the true values of concrete functions (``relu`` and
``step`` are exact on rationals; ``tanh``, ``sigmoid``, ``exp`` are enclosed in
python-flint arb balls, and the balls of the two sides must be disjoint). Points where a
``relu``/``step`` argument is exactly 0 (the kink, where only the step(0) = 0 convention
speaks) are skipped. Nothing certified within the tries: ``undecided``.

>>> import sympy as sp
>>> from derive.activations import sigma, dsigma
>>> a, b, w = sp.symbols("a b w")
>>> prove_equal(w * dsigma(a + b) * (a - b), w*a*dsigma(b + a) - w*b*dsigma(a + b)).verdict.value
'proved'
>>> r = prove_equal(sigma(a) * sigma(b), sigma(a) ** 2)
>>> r.verdict.value, r.counterexample.where
('refuted', '')
>>> len(r.counterexample.data["function_values"])  # one value per distinct argument
2
>>> v = substitute(sigma(a) * sigma(b) - sigma(a) ** 2, r.counterexample.data)
>>> v.is_Rational and v != 0
True
"""
from __future__ import annotations

import random
from fractions import Fraction
from typing import Any, Iterable

import flint
import sympy as sp
from sympy.core.function import AppliedUndef

from rnncore.errors import InvalidInputError, ShapeError
from rnncore.convert import to_sympy, to_sympy_mapping
from rnncore.results import Counterexample, Result, Verdict, assignment_from

from .activations import relu, sigmoid, step

#: Methods accepted by :func:`prove_equal`.
METHODS: tuple[str, ...] = ("auto", "exact")
#: Exact budget: largest number of terms of any canonical polynomial built on the way.
EXACT_TERM_BUDGET = 400_000
#: Exact budget: most distinct sub-expressions (DAG nodes) of the inputs.
EXACT_NODE_BUDGET = 2_000_000
#: Largest exponent a monomial may carry (exponent fields are packed into one integer).
_EXP_BITS = 24
_MAX_DEGREE = (1 << _EXP_BITS) - 1
#: Random points tried when looking for a certified counterexample.
COUNTEREXAMPLE_TRIES = 24
#: Working precision (bits) of the arb enclosures of concrete functions.
_ARB_PREC = 212


class BudgetExceeded(Exception):
    """Internal: a canonical polynomial grew beyond :data:`EXACT_TERM_BUDGET`."""


class Unsupported(Exception):
    """Internal: an expression node that the exact canonical form does not handle."""


# ----------------------------------------------------------------------------- polynomials
class Poly:
    """A sparse polynomial over ℚ: ``{packed monomial: coefficient}`` and a degree bound.

    A monomial ∏ g_i^{e_i} is the integer Σ e_i · 2^(24 i), so multiplying monomials is
    adding integers; ``deg`` bounds the total degree and so every exponent (checked to
    stay below 2^24, so fields never overflow).

    >>> x = Poly.gen(0); y = Poly.gen(1)
    >>> ((x + y) * (x - y) - x * x + y * y).is_zero()
    True
    """

    __slots__ = ("terms", "deg")

    def __init__(self, terms: dict, deg: int) -> None:
        self.terms = terms
        self.deg = deg

    @staticmethod
    def const(c) -> "Poly":
        """The constant polynomial ``c`` (int or Fraction)."""
        return Poly({0: c} if c else {}, 0)

    @staticmethod
    def gen(i: int) -> "Poly":
        """The i-th generator."""
        return Poly({1 << (_EXP_BITS * i): 1}, 1)

    def is_zero(self) -> bool:
        """True for the zero polynomial."""
        return not self.terms

    def __add__(self, other: "Poly") -> "Poly":
        if len(self.terms) < len(other.terms):
            self, other = other, self
        out = dict(self.terms)
        for m, c in other.terms.items():
            v = out.get(m, 0) + c
            if v:
                out[m] = v
            else:
                out.pop(m, None)
        _check_size(out)
        return Poly(out, max(self.deg, other.deg))

    def __neg__(self) -> "Poly":
        return Poly({m: -c for m, c in self.terms.items()}, self.deg)

    def __sub__(self, other: "Poly") -> "Poly":
        return self + (-other)

    def scale(self, c) -> "Poly":
        """``c · self`` for a rational c."""
        if not c:
            return Poly({}, 0)
        return Poly({m: c * v for m, v in self.terms.items()}, self.deg)

    def __mul__(self, other: "Poly") -> "Poly":
        big, small = (self, other) if len(self.terms) >= len(other.terms) else (other, self)
        a, b = big.terms, small.terms
        if not a or not b:
            return Poly({}, 0)
        deg = self.deg + other.deg
        if deg > _MAX_DEGREE:
            raise BudgetExceeded(f"degree {deg} beyond {_MAX_DEGREE}")
        if len(b) == 1:
            ((mb, cb),) = b.items()
            if mb == 0:
                return Poly({m: c * cb for m, c in a.items()} if cb != 1 else dict(a), big.deg)
            return Poly({m + mb: c * cb for m, c in a.items()}, deg)
        if len(a) * len(b) > 8 * EXACT_TERM_BUDGET:
            raise BudgetExceeded(f"a product of {len(a)} by {len(b)} terms is beyond the exact "
                                 f"budget of {EXACT_TERM_BUDGET} terms")
        out: dict = {}
        get = out.get
        for mb, cb in b.items():
            for ma, ca in a.items():
                m = ma + mb
                out[m] = get(m, 0) + ca * cb
        out = {m: c for m, c in out.items() if c}
        _check_size(out)
        return Poly(out, deg)

    def pow(self, e: int) -> "Poly":
        """``self ** e`` for an integer e >= 0 (square and multiply)."""
        result, base = Poly.const(1), self
        while e:
            if e & 1:
                result = result * base
            e >>= 1
            if e:
                base = base * base
        return result

    def frozen(self) -> frozenset:
        """A hashable canonical form (equal polynomials give equal values)."""
        return frozenset(self.terms.items())

    def monomials(self) -> Iterable[tuple[dict, Any]]:
        """``({gen index: exponent}, coefficient)`` pairs."""
        mask = (1 << _EXP_BITS) - 1
        for m, c in self.terms.items():
            exps, i = {}, 0
            while m:
                e = m & mask
                if e:
                    exps[i] = e
                m >>= _EXP_BITS
                i += 1
            yield exps, c


def _check_size(terms: dict) -> None:
    if len(terms) > EXACT_TERM_BUDGET:
        raise BudgetExceeded(f"a polynomial of {len(terms)} terms (budget {EXACT_TERM_BUDGET})")


def is_generic_function(f) -> bool:
    """True if ``f`` (a function class) is an undefined function: an ``AppliedUndef``
    (``sp.Function("L")``) or a ``Function`` subclass that defines no ``eval`` of its
    own (``sigma``, ``dsigma``, a generic loss).

    >>> from derive.activations import sigma, relu
    >>> is_generic_function(sigma), is_generic_function(relu), is_generic_function(sp.tanh)
    (True, False, False)
    """
    if not isinstance(f, type) or not issubclass(f, sp.Function):
        return False
    if issubclass(f, AppliedUndef):
        return True
    return getattr(f.eval, "__func__", None) is sp.Function.eval.__func__


class Canonicalizer:
    """Turns SymPy expressions into canonical :class:`Poly` objects over shared generators.

    Generators are the free symbols and the atoms (function applications, negative or
    fractional powers, number symbols such as π), each atom keyed by its head and the
    canonical forms of its arguments. ``Derivative``/``Subs`` nodes are evaluated first
    (``doit``), so a hand-made ``Subs(Derivative(σ(z), z), z, a)`` is the atom ``σ'(a)``.
    One instance can be shared by several expressions; results are memoised per node.

    >>> from derive.activations import sigma
    >>> x, y = sp.symbols("x y")
    >>> c = Canonicalizer()
    >>> (c.poly(sigma(2*(x + y))) - c.poly(sigma(2*x + 2*y))).is_zero()
    True
    """

    def __init__(self) -> None:
        self.keys: dict = {}
        self.exprs: list = []
        self._memo: dict = {}
        self.nodes = 0

    def _gen(self, key, expr) -> Poly:
        i = self.keys.get(key)
        if i is None:
            i = self.keys[key] = len(self.exprs)
            self.exprs.append(expr)
        return Poly.gen(i)

    def poly(self, expr) -> Poly:
        """The canonical polynomial of ``expr`` (raises ``BudgetExceeded``/``Unsupported``)."""
        memo = self._memo
        p = memo.get(expr)
        if p is None:
            p = memo[expr] = self._convert(expr)
            self.nodes += 1
            if self.nodes > EXACT_NODE_BUDGET:
                raise BudgetExceeded(f"more than {EXACT_NODE_BUDGET} distinct sub-expressions")
        return p

    def _convert(self, e) -> Poly:
        if isinstance(e, (int, Fraction)):
            return Poly.const(e)
        if not isinstance(e, sp.Basic):
            raise Unsupported(f"a {type(e).__name__} ({e!r}) is not a SymPy expression")
        if e.is_Integer:
            return Poly.const(int(e))
        if e.is_Rational:
            return Poly.const(Fraction(int(e.p), int(e.q)))
        if e.is_Float:
            raise Unsupported(f"the float {e} is not exact; use sympy.Rational")
        if e in (sp.nan, sp.zoo, sp.oo, -sp.oo):
            raise Unsupported(f"{e} is not a finite value")
        if e.is_commutative is not True:
            raise Unsupported(f"{e} is not commutative; the canonical polynomials are commutative")
        if e.is_Symbol:
            return self._gen(("sym", e), e)
        if e.is_Add:
            out = Poly.const(0)
            for a in e.args:
                out = out + self.poly(a)
            return out
        if e.is_Mul:
            out = Poly.const(1)
            for a in e.args:
                out = out * self.poly(a)
            return out
        if e.is_Pow:
            base, ex = e.args
            if ex.is_Integer and 0 <= ex <= 10_000:
                return self.poly(base).pow(int(ex))
            return self._gen(("pow", self.poly(base).frozen(), self.poly(ex).frozen()), e)
        if isinstance(e, (sp.Derivative, sp.Subs)):
            done = e.doit()
            if done != e:
                return self.poly(done)
            return self._gen(("node", e), e)
        if isinstance(e, sp.Function):
            key = ("fn", e.func, tuple(self.poly(a).frozen() for a in e.args))
            return self._gen(key, e)
        if not e.args and e.is_number:  # pi, E, I, ...
            return self._gen(("num", e), e)
        if isinstance(e, sp.Expr) and all(isinstance(a, sp.Expr) for a in e.args):
            key = ("fn", e.func, tuple(self.poly(a).frozen() for a in e.args))
            return self._gen(key, e)
        raise Unsupported(f"{type(e).__name__} nodes ({sp.srepr(e)[:80]}) are not handled")


# ----------------------------------------------------------------------------- evaluation
class PointFailed(Exception):
    """Internal: this point cannot certify anything (kink hit, irrational argument, ...)."""


def _arb(q) -> flint.arb:
    if isinstance(q, flint.arb):
        return q
    q = Fraction(q)
    return flint.arb(flint.fmpq(q.numerator, q.denominator))


def _fmt(v) -> str:
    if isinstance(v, flint.arb):
        return v.str(20, radius=True)
    return str(sp.Rational(v.numerator, v.denominator)) if isinstance(v, Fraction) else str(v)


class Evaluator:
    """Evaluates expressions at a point: exact ``Fraction`` where possible, else an arb ball.

    ``subs`` maps every free symbol to a rational. Generic function applications get a
    value chosen by ``rng`` the first time each distinct (function, argument values) pair
    is met — equal arguments, equal values — recorded in ``function_values``.

    >>> from derive.activations import sigma
    >>> x = sp.Symbol("x")
    >>> ev = Evaluator({x: Fraction(1, 2)}, random.Random(0))
    >>> ev.value(sigma(x) - sigma(1 - x)) == 0   # the same argument value 1/2 twice
    True
    """

    def __init__(self, subs: dict, rng: random.Random) -> None:
        self.subs = subs
        self.rng = rng
        self.function_values: dict = {}
        self._memo: dict = {}

    def value(self, e):
        """The value of ``e`` here (raises ``PointFailed`` when it cannot be certified)."""
        memo = self._memo
        v = memo.get(e)
        if v is None:
            v = memo[e] = self._eval(e)
        return v

    def _eval(self, e):
        if isinstance(e, (int, Fraction)):
            return Fraction(e)
        if e.is_Rational:
            return Fraction(int(e.p), int(e.q))
        if e.is_Symbol:
            try:
                return self.subs[e]
            except KeyError:
                raise PointFailed(f"no value for {e}") from None
        if e.is_Add:
            vals = [self.value(a) for a in e.args]
            if any(isinstance(v, flint.arb) for v in vals):
                out = flint.arb(0)
                for v in vals:
                    out += _arb(v)
                return out
            return sum(vals, Fraction(0))
        if e.is_Mul:
            vals = [self.value(a) for a in e.args]
            if any(isinstance(v, flint.arb) for v in vals):
                out = flint.arb(1)
                for v in vals:
                    out *= _arb(v)
                return out
            out = Fraction(1)
            for v in vals:
                out *= v
            return out
        if e.is_Pow:
            base, ex = e.args
            if not ex.is_Integer:
                raise PointFailed(f"non-integer power {e}")
            bv, k = self.value(base), int(ex)
            if isinstance(bv, flint.arb):
                if k < 0 and bv.contains(0):
                    raise PointFailed("division by a ball containing 0")
                return bv ** k
            if k < 0 and bv == 0:
                raise PointFailed("division by 0")
            return bv ** k
        if isinstance(e, (sp.Derivative, sp.Subs)):
            done = e.doit()
            if done == e:
                raise PointFailed(f"unevaluated {type(e).__name__}")
            return self.value(done)
        if isinstance(e, sp.Function):
            return self._function(e)
        raise PointFailed(f"cannot evaluate {type(e).__name__}")

    def _function(self, e):
        args = [self.value(a) for a in e.args]
        f = e.func
        if is_generic_function(f):
            if any(isinstance(a, flint.arb) for a in args):
                raise PointFailed(f"{f} at a non-rational argument")
            key = f(*[sp.Rational(a.numerator, a.denominator) for a in args])
            v = self.function_values.get(key)
            if v is None:
                v = self.function_values[key] = _random_rational(self.rng)
            return v
        if len(args) != 1:
            raise PointFailed(f"unknown function {f}")
        (z,) = args
        exact = not isinstance(z, flint.arb)
        if f in (relu, step, sp.Heaviside, sp.Abs):
            if exact:
                if z == 0 and f is not sp.Abs:
                    raise PointFailed("relu/step argument at the kink 0")
                if f is sp.Abs:
                    return abs(z)
                pos = z > 0
            else:
                if z.contains(0):
                    raise PointFailed("relu/step argument ball contains the kink 0")
                if f is sp.Abs:
                    return z if z > 0 else -z
                pos = z > 0
            if f is relu:
                return z if pos else Fraction(0)
            return Fraction(1 if pos else 0)
        if exact and z == 0:
            if f is sp.tanh:
                return Fraction(0)
            if f is sigmoid:
                return Fraction(1, 2)
            if f is sp.exp:
                return Fraction(1)
        zb = _arb(z)
        if f is sp.tanh:
            return zb.tanh()
        if f is sigmoid:
            return 1 / (1 + (-zb).exp())
        if f is sp.exp:
            return zb.exp()
        if f is sp.log and zb > 0:
            return zb.log()
        raise PointFailed(f"cannot evaluate {f} exactly or with a certified enclosure")


def _random_rational(rng: random.Random) -> Fraction:
    num = rng.choice([i for i in range(-5, 6) if i])
    return Fraction(num, rng.choice([1, 1, 2, 3, 4, 5]))


def certified_difference(va, vb) -> bool:
    """True when two values (Fraction or arb) are certainly different.

    >>> certified_difference(Fraction(1, 3), Fraction(1, 3)), certified_difference(flint.arb(1), 2)
    (False, True)
    """
    if isinstance(va, flint.arb) or isinstance(vb, flint.arb):
        d = _arb(va) - _arb(vb)
        return not d.contains(0)
    return va != vb


def random_point(symbols: Iterable[sp.Symbol], rng: random.Random) -> dict:
    """Random small rationals for ``symbols`` (sorted by name, so a seed reproduces it)."""
    return {s: _random_rational(rng) for s in sorted(symbols, key=sp.default_sort_key)}


def find_counterexample(pairs, symbols, seed: int = 0, tries: int = COUNTEREXAMPLE_TRIES):
    """Search a certified point where ``a != b`` for some ``(label, a, b)`` of ``pairs``.

    Returns ``(label, Evaluator, value_a, value_b)`` or ``None``.

    >>> x = sp.Symbol("x")
    >>> label, ev, va, vb = find_counterexample([("e", x**2, x)], {x})
    >>> va != vb and va == ev.subs[x] ** 2
    True
    """
    pairs = list(pairs)
    with flint.ctx.workprec(_ARB_PREC):
        for attempt in range(tries):
            rng = random.Random(f"{seed}:{attempt}")
            ev = Evaluator(random_point(symbols, rng), rng)
            for label, a, b in pairs:
                try:
                    va, vb = ev.value(a), ev.value(b)
                except (PointFailed, ZeroDivisionError):
                    break
                if certified_difference(va, vb):
                    return label, ev, va, vb
    return None


# ----------------------------------------------------------------------------- the front
def _as_matrix(x, name: str) -> sp.ImmutableMatrix:
    if isinstance(x, sp.MatrixBase):
        return sp.ImmutableMatrix(x)
    if isinstance(x, (int, Fraction)) and not isinstance(x, bool):
        return sp.ImmutableMatrix([[sp.Rational(x)]])
    if isinstance(x, sp.Expr) and not isinstance(x, sp.MatrixExpr):
        return sp.ImmutableMatrix([[x]])
    raise InvalidInputError(
        f"{name}={x!r} ({type(x).__name__}) is not allowed; give a SymPy expression, an "
        f"explicit sympy Matrix or an int"
    )


def _free_symbols(*ms) -> set:
    out: set = set()
    for m in ms:
        out |= m.free_symbols
    return out


def _function_classes(*ms) -> list:
    classes = set()
    for m in ms:
        for f in m.atoms(sp.Function):
            classes.add(f.func)
    return sorted(classes, key=str)


def counterexample_from(ev: Evaluator, va, vb, *, where: str = "", note: str = "",
                        extra: dict | None = None) -> Counterexample:
    """A :class:`Counterexample` from an evaluator's point and the two values."""
    subs = {s: sp.Rational(q.numerator, q.denominator) for s, q in ev.subs.items()}
    fvals = {k: sp.Rational(q.numerator, q.denominator) for k, q in ev.function_values.items()}
    shown = dict(subs)
    shown.update(fvals)
    enclosed = isinstance(va, flint.arb) or isinstance(vb, flint.arb)
    parts = []
    if fvals:
        parts.append("the generic functions take the listed values at distinct argument values "
                     "(equal arguments get equal values), so a smooth function (and a derivative, "
                     "by Hermite interpolation) with these values exists")
    if enclosed:
        parts.append("concrete functions are evaluated at the rational point and enclosed in "
                     "arb balls; the two balls are disjoint")
    if note:
        parts.append(note)
    data = {"subs": subs, "function_values": fvals,
            "lhs": va if isinstance(va, flint.arb) else sp.Rational(va.numerator, va.denominator),
            "rhs": vb if isinstance(vb, flint.arb) else sp.Rational(vb.numerator, vb.denominator)}
    if extra:
        data.update(extra)
    return Counterexample(assignment_from(shown), lhs=_fmt(va), rhs=_fmt(vb), where=where,
                          note="; ".join(parts), data=data)


def _dispatch_randomized(a, b, seed: int, reason: str) -> Result:
    try:
        from derive.identity import randomized_prove_equal  # noqa: PLC0415 (D2's, optional)
    except ImportError:
        return Result(Verdict.UNDECIDED, "exact expansion", "none",
                      f"{reason}; beyond the exact budget and no randomized backend "
                      f"(derive.identity) is available")
    return randomized_prove_equal(a, b, seed=seed)


def prove_equal(a, b, *, method: str = "auto", seed: int = 0) -> Result:
    """Decide exactly whether ``a`` and ``b`` (expressions or matrices) are identical as
    functions of their free symbols, with σ, σ', L (any undefined function) generic.

    ``proved``: the canonical polynomial of ``a − b`` (function applications as atoms keyed
    by their canonical arguments) is 0 — method "exact expansion". ``refuted``: a certified
    point (see the module docstring); ``Counterexample.data`` holds ``subs`` (symbol →
    rational), ``function_values`` (generic application at rational arguments → rational),
    ``entry`` and both values. ``undecided``: beyond the exact budget
    (:data:`EXACT_TERM_BUDGET` terms) or nothing certified. ``method="auto"`` hands
    inputs beyond the exact budget to ``derive.identity.randomized_prove_equal`` (if
    present); ``method="exact"`` never does.

    >>> from derive.activations import dsigma
    >>> W = sp.Matrix(2, 2, sp.symbols("w1:5")); x = sp.Matrix(sp.symbols("x1:3"))
    >>> D = sp.diag(*x.applyfunc(dsigma))
    >>> prove_equal((W * D).T.T, W * D).verdict.value
    'proved'
    >>> r = prove_equal(W.T * D, W * D)
    >>> r.verdict.value, r.counterexample.where
    ('refuted', 'entry (0, 1)')
    >>> prove_equal(W, x)
    Traceback (most recent call last):
    ...
    rnncore.errors.ShapeError: shapes differ: a is 2x2, b is 2x1; compare equal shapes
    """
    if method not in METHODS:
        raise InvalidInputError(f"method={method!r} is not allowed; use one of {', '.join(METHODS)}")
    A, B = _as_matrix(a, "a"), _as_matrix(b, "b")
    if A.shape != B.shape:
        raise ShapeError(
            f"shapes differ: a is {A.shape[0]}x{A.shape[1]}, b is {B.shape[0]}x{B.shape[1]}; "
            f"compare equal shapes"
        )
    scalar = A.shape == (1, 1) and not isinstance(a, sp.MatrixBase)
    canon = Canonicalizer()
    nonzero = []
    try:
        for i in range(A.rows):
            for j in range(A.cols):
                d = canon.poly(A[i, j]) - canon.poly(B[i, j])
                if not d.is_zero():
                    nonzero.append((i, j))
    except BudgetExceeded as exc:
        reason = f"exact expansion stopped: {exc}"
        if method == "auto":
            return _dispatch_randomized(a, b, seed, reason)
        return Result(Verdict.UNDECIDED, "exact expansion", "none", reason)
    except Unsupported as exc:
        return Result(Verdict.UNDECIDED, "exact expansion", "none", f"not decided: {exc}")
    except RecursionError:
        return Result(Verdict.UNDECIDED, "exact expansion", "none",
                      "not decided: the expression is nested too deeply for the exact expansion")
    syms = _free_symbols(A, B)
    funcs = _function_classes(A, B)
    generic = [str(f) for f in funcs if is_generic_function(f)]
    concrete = [str(f) for f in funcs if not is_generic_function(f)]
    scope = (f"all values of the {len(syms)} free symbol(s)"
             + (f"; {', '.join(generic)} arbitrary functions" if generic else "")
             + (f"; {', '.join(concrete)} as themselves" if concrete else ""))
    shape = "" if scalar else f" ({A.rows}x{A.cols} matrices, entrywise)"
    if not nonzero:
        return Result(Verdict.PROVED, "exact expansion", scope,
                      f"a - b expands to the zero polynomial{shape} in {len(canon.exprs)} "
                      f"generators (symbols and function applications)")
    labels = [((i, j), A[i, j], B[i, j]) for i, j in nonzero]
    found = find_counterexample(labels, syms, seed=seed)
    if found is None:
        return Result(Verdict.UNDECIDED, "exact expansion", scope,
                      f"a - b is a nonzero polynomial in {len(nonzero)} entr"
                      f"{'y' if len(nonzero) == 1 else 'ies'} when function applications are "
                      f"independent, but no certified counterexample was found in "
                      f"{COUNTEREXAMPLE_TRIES} random points (a concrete function may satisfy it)")
    (i, j), ev, va, vb = found
    where = "" if scalar else f"entry ({i}, {j})"
    cex = counterexample_from(ev, va, vb, where=where, extra={"entry": None if scalar else (i, j)})
    return Result(Verdict.REFUTED, "exact expansion and a certified point", scope,
                  f"a - b is nonzero{shape}; it differs at a rational point"
                  + (f" in {where}" if where else ""), counterexample=cex)


def _no_text(value, where: str = "value"):
    """SymPy form of a number or SymPy object through the foundation's whitelist converter:
    text anywhere (also nested in tuples or lists) is refused, since sympify on text is eval."""
    return to_sympy(value, where)


def substitute(expr, data: dict):
    """Re-check helper: substitute a counterexample's ``subs`` and ``function_values``
    into ``expr`` (repeatedly, for nested applications). Every key and value passes
    :func:`rnncore.convert.to_sympy`: text is refused wherever it hides.

    >>> from derive.activations import sigma
    >>> x = sp.Symbol("x")
    >>> substitute(sigma(2 * sigma(x)), {"subs": {x: 1}, "function_values": {sigma(1): 3, sigma(6): 5}})
    5
    >>> substitute(x, {"subs": {x: ("__import__('os').getpid()",)}})
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: subs[x][0] is text ("__import__('os').getpid()"); text is never evaluated: give an integer, a Fraction or a SymPy object
    """
    if not isinstance(data, dict) or "subs" not in data:
        raise InvalidInputError(
            f"substitute takes a dict with 'subs' (and 'function_values'), got {type(data).__name__}")
    subs = to_sympy_mapping(data["subs"], "subs")
    fv = to_sympy_mapping(data.get("function_values", {}), "function_values")
    out = _no_text(expr, "expr").xreplace(subs)
    for _ in range(10_000):
        new = out.xreplace(fv)
        if new == out:
            return out
        out = new
    return out


__all__ = [
    "prove_equal",
    "METHODS",
    "EXACT_TERM_BUDGET",
    "Canonicalizer",
    "Poly",
    "Evaluator",
    "find_counterexample",
    "counterexample_from",
    "certified_difference",
    "is_generic_function",
    "substitute",
]
