"""Proofs over a symbolic size n as chains of lemma applications, checked mechanically.

A proof (:class:`LemmaProof`) states the claim's assumptions and goals and a list of
steps. A :class:`Chain` ``e_0 R_1 e_1 R_2 e_2 ...`` proves ``e_0 R e_last`` (R the
composition: ``=`` then ``≤`` gives ``≤``, any ``<`` gives ``<``); each :class:`Link` is

- ``by=ALGEBRA``: an exact identity (equal normal forms, or a scalar difference SymPy
  simplifies to exactly 0);
- ``by=ASSUMPTION``: one use of an assumption or of an earlier step's conclusion;
- ``by="<lemma name>"``: ONE application of a lemma of the table.

For the last two the checker locates where the two sides differ, inside a *context*
(a factor of a product, a summand, a term of a sum or product over an index, a base of a
power, a square root, or any other position), matches the lemma's statement there with
consistent bindings, proves each hypothesis (from the assumptions, earlier steps, or the
sign and shape lemmas of the table, by the same matching), and derives the link's
relation through the context: a ``≤`` may be used as a factor only when the other
factors are shown ``≥ 0``, and a ``<`` stays strict only when they are shown ``> 0``;
inside a norm or any other non-monotone position only an equality may be used. The link
is accepted when the derived relation implies the stated one. An :class:`Apply` step
concludes a statement (a limit, a bound) by one matched lemma with its hypotheses proved.

The verdict is ``proved`` (method ``lemmas``, for every n) when every step checks and
every goal is established; a rejected proof is ``undecided`` — not a refutation of the
claim — with the first failure as the reason.

>>> W, D = Mat("W"), Diag(Mat("s", "n", "1"))
>>> p = LemmaProof("demo", goals=(le(Norm2(MatMul(W, D)), Mul(Norm2(W), Norm2(D))),),
...     steps=(Chain(Norm2(MatMul(W, D)), (Link("<=", Mul(Norm2(W), Norm2(D)), "submultiplicativity"),)),))
>>> r = check_proof(p)
>>> r.verdict.value, r.method.kind.value, r.scope.span("n").every
('proved', 'lemmas', True)
>>> bad = LemmaProof("demo", goals=(lt(Norm2(MatMul(W, D)), Mul(Norm2(W), Norm2(D))),),
...     steps=(Chain(Norm2(MatMul(W, D)), (Link("<", Mul(Norm2(W), Norm2(D)), "submultiplicativity"),)),))
>>> print(check_proof(bad).evidence)
step 1, link 1: lemma submultiplicativity yields ≤, the link says <
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Iterator

import sympy as sp

from rnncore.display import Displayable
from rnncore.errors import InvalidInputError
from rnncore.results import Method, MethodKind, Result, Scope, Span, Verdict

from .lemmas import LEMMA, Lemma
from .norm_expr import (Add, Bounded, Diag, Expr, Mat, MatMul, Mul, Norm2, Num, Pow, Pred,
                        ProdOver, Rel, Sqrt, SumOver, Sym, Tends, compose, exact_equal, first_mismatch,
                        free_symbols, implies, le, lt, match, normal, rel_text, shape,
                        substitute, to_sympy, unbound_vars, is_real, Var, _key)

#: ``by`` of a link that is an exact identity.
ALGEBRA = "algebra"
#: ``by`` of a link that uses an assumption or an earlier step.
ASSUMPTION = "assumption"
#: How deep the side-condition prover may chain lemmas.
MAX_DEPTH = 6
_NORM_HEADS = {"‖·‖₂", "‖·‖_F", "σ_max", "ρ", "λ_max", "|·|"}


@dataclass(frozen=True)
class Link:
    """``R to`` justified ``by`` a lemma name, :data:`ALGEBRA` or :data:`ASSUMPTION`."""

    rel: str
    to: Expr
    by: str


@dataclass(frozen=True)
class Chain:
    """``start R_1 e_1 R_2 e_2 ...``; proves ``start R e_last``."""

    start: Expr
    links: tuple[Link, ...]

    @property
    def conclusion(self) -> Rel:
        """The statement the chain proves if every link checks.

        >>> Chain(Num(1), (Link("=", Num(1), ALGEBRA), Link("<", Num(2), ALGEBRA))).conclusion.text()
        '1 < 2'
        """
        rel = "="
        for link in self.links:
            rel = compose(rel, link.rel)
        return Rel(self.start, rel, self.links[-1].to)


@dataclass(frozen=True)
class Apply:
    """Conclude ``conclusion`` by one application of ``lemma`` (hypotheses proved)."""

    lemma: str
    conclusion: Expr


@dataclass(frozen=True)
class Assumption:
    """A hypothesis of the claim, or a definition, with where it comes from."""

    statement: Expr
    why: str = "hypothesis of the claim"


@dataclass(frozen=True)
class LemmaProof:
    """A claim's proof: its ``goals`` (what the claim states), ``assumptions``, ``steps``."""

    claim: str
    goals: tuple[Expr, ...]
    assumptions: tuple[Assumption, ...] = ()
    steps: tuple = ()
    note: str = ""


# ------------------------------------------------------------------ side conditions
class Prover:
    """Facts (assumptions and established steps) and the lemma table; proves side
    conditions by the facts, exact arithmetic, computed shape and symbol conditions, and
    lemmas of the table matched against the goal (backward, at most :data:`MAX_DEPTH`)."""

    def __init__(self, lemmas: dict[str, Lemma], facts: list[tuple[Expr, str]] | None = None):
        self.lemmas = lemmas
        self.facts: list[tuple[Expr, str]] = list(facts or [])
        self._proved: dict[Expr, str] = {}

    def add(self, stmt: Expr, label: str) -> None:
        """Record an established statement under ``label``.

        >>> pr = Prover(LEMMA)
        >>> pr.add(le(Norm2(Mat("W")), Num(1)), "s1")
        >>> pr.prove(le(Norm2(Mat("W")), Num(2)))
        'linear arithmetic from s1'
        """
        self.facts.append((stmt, label))

    def prove(self, stmt: Expr, depth: int = 0) -> str | None:
        """How ``stmt`` follows (a short justification), or None.

        >>> from derive.norm_expr import Sym
        >>> pr = Prover(LEMMA, [(lt(Num(0), Sym("γ")), "a1")])
        >>> pr.prove(le(Num(0), Mul(Sym("γ"), Norm2(Mat("W")))))
        'mul_nonneg[norm_nonneg, a1]'
        >>> pr.prove(lt(Num(0), Norm2(Mat("W")))) is None
        True
        """
        stmt = normal(stmt)
        if stmt in self._proved:
            return self._proved[stmt]
        how = self._prove(stmt, depth)
        if how is not None:
            self._proved[stmt] = how
        return how

    def _prove(self, stmt: Expr, depth: int) -> str | None:
        for fact, label in self.facts:
            if _same_or_stronger(fact, stmt):
                return label
        if isinstance(stmt, Rel):
            how = _arithmetic(stmt, self.facts)
            if how:
                return how
        if isinstance(stmt, Pred):
            how = _builtin_predicate(stmt)
            if how is not None:
                return how or None
        if isinstance(stmt, (Tends, Bounded)) or depth >= MAX_DEPTH:
            return None
        for lem in self.lemmas.values():
            s = lem.statement
            if not isinstance(s, type(stmt)) or isinstance(s, (Tends, Bounded)):
                continue
            if isinstance(s, Rel) and not implies(s.op, stmt.op):
                continue
            pattern = s.rebuild(s.kids()) if not isinstance(s, Rel) else Rel(s.lhs, stmt.op, s.rhs)
            for b in match(pattern, stmt):
                subs = self.solve(lem.hypotheses, b, depth + 1)
                found = next(subs, None)
                if found is not None:
                    return lem.name + (f"[{', '.join(found[1])}]" if found[1] else "")
        return None

    def established(self, goal: Expr) -> str | None:
        """The label of the assumption or step that states ``goal`` (or a stronger
        relation), or a computed condition's justification; no lemma is applied here, so
        a claim's goal is reached only by the proof's own steps.

        >>> pr = Prover(LEMMA, [(lt(Norm2(Mat("W")), Num(1)), "s1")])
        >>> pr.established(le(Norm2(Mat("W")), Num(1))), pr.established(le(Num(0), Norm2(Mat("W"))))
        ('s1', None)
        """
        goal = normal(goal)
        for fact, label in self.facts:
            if _same_or_stronger(fact, goal):
                return label
        return _builtin_predicate(goal) or None if isinstance(goal, Pred) else None

    def solve(self, hyps, bindings: dict, depth: int = 0) -> Iterator[tuple[dict, list[str]]]:
        """Bindings (extended where a hypothesis has variables the statement left free, by
        matching it against the facts) under which every hypothesis is proved, with how.

        >>> from derive.norm_expr import Var
        >>> pr = Prover(LEMMA, [(le(Norm2(Mat("W")), Num(3)), "a1")])
        >>> [(b["g"].text(), how) for b, how in pr.solve((le(Norm2(Mat("W")), Var("g")),), {})]
        [('3', ['a1'])]
        """
        if not hyps:
            yield bindings, []
            return
        h, rest = hyps[0], hyps[1:]
        if unbound_vars(h, bindings):
            for fact, label in self.facts:
                for b in match(h, fact, bindings):
                    for b2, hows in self.solve(rest, b, depth):
                        yield b2, [label] + hows
            return
        how = self.prove(substitute(h, bindings), depth)
        if how is not None:
            for b2, hows in self.solve(rest, bindings, depth):
                yield b2, [how] + hows


def _same_or_stronger(fact: Expr, stmt: Expr) -> bool:
    if isinstance(fact, Rel) and isinstance(stmt, Rel):
        if _equal(fact.lhs, stmt.lhs) and _equal(fact.rhs, stmt.rhs):
            return implies(fact.op, stmt.op)
        return fact.op == "=" == stmt.op and _equal(fact.lhs, stmt.rhs) and \
            _equal(fact.rhs, stmt.lhs)
    return type(fact) is type(stmt) and _equal(fact, stmt)


def _equal(a: Expr, b: Expr) -> bool:
    """:func:`~derive.norm_expr.exact_equal`, with a pair shown different at an exact
    point answered False without SymPy's simplification (:func:`_differ`): the facts a
    goal is compared with are mostly different from it, and those with a symbolic power
    reached ``simplify`` (whose first call alone imports SymPy's units, a third of a
    second).

    >>> from derive.norm_expr import sub
    >>> t, k = Sym("t"), Sym("k")
    >>> _equal(Pow(Sym("γ"), sub(t, k)), Num(1)), _equal(Add(t, Num(1), Mul(Num(-1), k)), sub(Add(t, Num(1)), k))
    (False, True)
    """
    return not _differ(a, b) and exact_equal(a, b)


_STRUCTURAL = (Rel, Pred, Tends, Bounded)


@lru_cache(maxsize=65536)
def _differ(a: Expr, b: Expr) -> bool:
    """True only when ``exact_equal(a, b)`` is False: it follows the same structural
    recursion, and a scalar difference ``d`` is shown nonzero by its exact value at a point
    where ``d`` is analytic (the two points of :func:`_at_points` on the trees, then
    :func:`_exact_value` on the SymPy difference): then ``d`` is nonzero on a neighbourhood,
    so no expansion, cancellation or simplification of ``d`` is 0, and equal normal forms
    (which make ``d`` 0 everywhere) are excluded. False says only "not shown different".

    >>> W = Mat("W")
    >>> _differ(Norm2(W), Norm2(Mat("V"))), _differ(Norm2(W), Norm2(W))
    (True, False)
    >>> _differ(Mul(Sym("x"), Sym("y")), Num(6))  # x y is not 6 at a point (exact values)
    True
    >>> _differ(Pow(Sym("x"), Num(Fraction(1, 2))), Num(6))  # a root is not evaluated: not shown
    False
    """
    na, nb = normal(a), normal(b)
    if na == nb:
        return False
    if na.is_matrix or nb.is_matrix or isinstance(na, _STRUCTURAL) or isinstance(nb, _STRUCTURAL):
        if type(na) is type(nb) and len(na.kids()) == len(nb.kids()) and na.kids():
            if na.rebuild(nb.kids()) != nb:
                return True
            return any(_differ(x, y) for x, y in zip(na.kids(), nb.kids()))
        return True
    # the values at the two points of _at_points first (no SymPy expression is built)
    at_a, at_b = _at_points(na), _at_points(nb)
    if at_a is not None and at_b is not None and at_a != at_b:
        return True
    try:
        d = to_sympy(na) - to_sympy(nb)
    except InvalidInputError:
        return False
    point = {s: _POINT[i] for i, s in enumerate(sorted(d.free_symbols, key=str))} \
        if len(d.free_symbols) <= len(_POINT) else None
    value = _exact_value(d, point) if point is not None else None
    return value is not None and value != 0


#: The point the symbols of a scalar difference take (sorted by name): distinct positive
#: integers, so every base with a symbolic exponent can be checked positive.
_POINT = tuple(Fraction(p) for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53))


def _exact_value(e, point: dict) -> Fraction | None:
    """The exact value of the SymPy expression ``e`` (built by ``to_sympy``: rationals,
    symbols, sums, products, powers) at ``point``, or None where ``e`` might not be analytic
    there or the value is not rational: a power needs an integer exponent value, a positive
    base when its exponent has symbols (so ``b^x = exp(x log b)`` near it) and a nonzero
    base when the exponent is negative.

    >>> x, y = sp.symbols("x y")
    >>> _exact_value((x * y) ** (x - y) - 1, {x: Fraction(3), y: Fraction(2)})
    Fraction(5, 1)
    >>> _exact_value((x - y) ** x, {x: Fraction(2), y: Fraction(3)}) is None
    True
    """
    if e.is_Rational:
        return Fraction(int(e.p), int(e.q))
    if e.is_Symbol:
        return point[e]
    if e.is_Add or e.is_Mul:
        out = Fraction(0 if e.is_Add else 1)
        for a in e.args:
            v = _exact_value(a, point)
            if v is None:
                return None
            out = out + v if e.is_Add else out * v
        return out
    if e.is_Pow:
        base, x = _exact_value(e.base, point), _exact_value(e.exp, point)
        if base is None or x is None or x.denominator != 1 or abs(x) > 64:
            return None
        if (e.exp.free_symbols and base <= 0) or (base == 0 and x < 0):
            return None
        return base ** int(x)
    return None


def _arithmetic(stmt: Rel, facts, route: str = "fast") -> str | None:
    """Exact linear arithmetic: ``x R y`` when ``y − x`` is a rational of the right sign,
    or exceeds the gap ``b − a`` of a fact ``a R' b`` by a rational ≥ 0.

    ``route="reference"`` expands every difference in SymPy; the fast route first takes the
    exact values of both sides at two points (:func:`_at_points`) and skips a difference
    whose values there differ: it is no constant, so its expansion is no rational (the
    same answer, without building it).

    >>> from derive.norm_expr import Sym
    >>> facts = [(lt(Sym("a"), Sym("b")), "a1")]
    >>> _arithmetic(lt(Sym("a"), Add(Sym("b"), Num(1))), facts)
    'linear arithmetic from a1'
    >>> _arithmetic(lt(Sym("a"), Sym("c")), facts) is _arithmetic(lt(Sym("a"), Sym("c")), facts, "reference") is None
    True
    """
    fast = route == "fast"
    try:
        raw = to_sympy(stmt.rhs) - to_sympy(stmt.lhs)
    except InvalidInputError:
        return None
    at = _gap_at_points(stmt) if fast else None
    gap = None if at is not None and at[0] != at[1] else sp.expand(raw)
    if gap is not None and gap.is_Rational:
        ok = gap == 0 if stmt.op == "=" else (gap > 0 if stmt.op == "<" else gap >= 0)
        return "arithmetic" if ok else None
    if stmt.op == "=":
        return None
    for fact, label in facts:
        if not isinstance(fact, Rel) or fact.op == "=":
            continue
        if at is not None:
            other = _gap_at_points(fact)
            if other is not None and at[0] - other[0] != at[1] - other[1]:
                continue  # no constant difference: the fact does not close the gap
        try:
            other = to_sympy(fact.rhs) - to_sympy(fact.lhs)
        except InvalidInputError:
            continue
        if gap is None:
            gap = sp.expand(raw)
        d = sp.expand(gap - other)
        if d.is_Rational and d >= 0 and (stmt.op == "<=" or fact.op == "<" or d > 0):
            return f"linear arithmetic from {label}"
    return None


def _gap_at_points(rel: Rel) -> tuple[Fraction, Fraction] | None:
    """``rhs − lhs`` of ``rel`` at the two points of :func:`_at_points`, or None."""
    r, l_ = _at_points(rel.rhs), _at_points(rel.lhs)
    if r is None or l_ is None:
        return None
    return r[0] - l_[0], r[1] - l_[1]


def _symbol_values(name: str) -> tuple[Fraction, Fraction]:
    """The values a symbol of :func:`~derive.norm_expr.to_sympy` takes at the two points:
    positive integers from its name (the same name, the same values)."""
    h = zlib.crc32(name.encode("utf-8"))
    return Fraction(2 + h % 89), Fraction(2 + (h // 89) % 83)


@lru_cache(maxsize=65536)
def _at_points(e: Expr) -> tuple[Fraction, Fraction] | None:
    """The exact values of ``to_sympy(e)`` at two points (each symbol — a name, a pattern
    variable or an opaque subterm, named as ``to_sympy`` names it — at its
    :func:`_symbol_values`), or None where ``e`` is a matrix or might not be analytic at
    a point (the rules of :func:`_exact_value`). Two values that differ show that
    ``to_sympy(e)`` minus anything evaluated alike is not a constant.

    >>> from derive.norm_expr import Sym
    >>> a, b = _at_points(Sym("t")), _at_points(Add(Sym("t"), Num(1)))
    >>> b[0] - a[0] == b[1] - a[1] == 1
    True
    >>> _at_points(Pow(Sym("t"), Num(Fraction(1, 2)))) is None, _at_points(Mat("W")) is None
    (True, True)
    """
    if isinstance(e, Num):
        return e.value, e.value
    if isinstance(e, Sym):
        return _symbol_values(e.name)
    if isinstance(e, Var):
        return _symbol_values("?" + e.name)
    if isinstance(e, (Add, Mul)):
        parts = [_at_points(a) for a in (e.terms if isinstance(e, Add) else e.factors)]
        if any(p is None for p in parts):
            return None
        out = [Fraction(0 if isinstance(e, Add) else 1)] * 2
        for p in parts:
            out = [o + v for o, v in zip(out, p)] if isinstance(e, Add) else \
                [o * v for o, v in zip(out, p)]
        return out[0], out[1]
    if isinstance(e, Pow):
        base, x = _at_points(e.base), _at_points(e.exp)
        if base is None or x is None:
            return None
        symbolic = not isinstance(normal(e.exp), Num)
        out = []
        for b, v in zip(base, x):
            if v.denominator != 1 or abs(v) > 64 or (symbolic and b <= 0) or (b == 0 and v < 0):
                return None
            out.append(b ** int(v))
        return out[0], out[1]
    if e.is_matrix:
        return None
    return _symbol_values("⟦" + _key(normal(e)) + "⟧")


def _builtin_predicate(p: Pred) -> str | None:
    """'' (known false or not built in) / a justification for the computed conditions."""
    a = p.args
    if p.name == "square":
        s = shape(a[0])
        return "shape" if s is not None and s[0] == s[1] else ""
    if p.name == "column":
        s = shape(a[0])
        return "shape" if s is not None and s[1] == "1" else ""
    if p.name == "real":
        return "real entries" if is_real(a[0]) else ""
    if p.name == "indep":
        return "symbols" if not (free_symbols(a[1]) & free_symbols(a[0])) else ""
    if p.name == "to_infinity":
        expr = to_sympy(a[0])
        var = to_sympy(a[1])
        poly = sp.Poly(expr, var) if expr.is_polynomial(var) else None
        ok = poly is not None and poly.degree() == 1 and poly.LC().is_Rational and poly.LC() > 0
        return "linear with positive slope" if ok else ""
    return None


# ------------------------------------------------------------------ contexts
@dataclass(frozen=True)
class _Frame:
    kind: str          # add, mul, sum, prod, pow, sqrt, fixed
    other: Expr | None  # the other factors (mul), the exponent (pow)
    old: Expr          # the old subterm at this position
    head: str = ""


def _positions(old: Expr, new: Expr) -> list[tuple[tuple[_Frame, ...], Expr, Expr]]:
    """Every position from the root down where ``old`` and ``new`` differ, with the
    frames of context above it (root first)."""
    o, n = normal(old), normal(new)
    out = [((), o, n)]
    frames: tuple[_Frame, ...] = ()
    while True:
        step = _descend(o, n)
        if step is None:
            return out
        frame, o, n = step
        frames = frames + (frame,)
        out.append((frames, o, n))


def _descend(o: Expr, n: Expr):
    for cls, kind, unit in ((Mul, "mul", Num(1)), (Add, "add", Num(0))):
        if isinstance(o, cls) or isinstance(n, cls):
            args_o = list(o.kids()) if isinstance(o, cls) else [o]
            args_n = list(n.kids()) if isinstance(n, cls) else [n]
            common = []
            for a in list(args_o):
                hit = next((i for i, b in enumerate(args_n) if a == b), None)
                if hit is not None:
                    common.append(a)
                    args_o.remove(a)
                    args_n.pop(hit)
            if not common or not (args_o or args_n):
                return None
            ho = normal(cls(*args_o)) if args_o else unit
            hn = normal(cls(*args_n)) if args_n else unit
            other = normal(cls(*common)) if kind == "mul" else None
            return _Frame(kind, other, ho), ho, hn
    if type(o) is not type(n) or len(o.kids()) != len(n.kids()) or not o.kids():
        return None
    if o.rebuild(n.kids()) != n:
        return None
    diff = [i for i, (a, b) in enumerate(zip(o.kids(), n.kids())) if a != b]
    if len(diff) != 1:
        return None
    i = diff[0]
    ko, kn = o.kids()[i], n.kids()[i]
    if isinstance(o, (SumOver, ProdOver)) and i == 0:
        return _Frame("sum" if isinstance(o, SumOver) else "prod", None, ko), ko, kn
    if isinstance(o, Pow) and i == 0:
        return _Frame("pow", o.exp, ko), ko, kn
    if isinstance(o, Sqrt):
        return _Frame("sqrt", None, ko), ko, kn
    return _Frame("fixed", None, ko, _head_text(o)), ko, kn


def _head_text(e: Expr) -> str:
    hole = e.rebuild(Mat("□") if k.is_matrix else Mat("□", "1", "1") for k in e.kids()) \
        if e.kids() else e
    return hole.text()


def _through(frames, rel: str, prover: Prover) -> tuple[str | None, list[str], str]:
    """The relation between the whole old and new expressions, given ``old_hole rel
    new_hole`` at the bottom of ``frames``: (relation or None, side conditions, reason)."""
    notes: list[str] = []
    for fr in reversed(frames):
        if rel == "=":
            continue
        if fr.kind == "add":
            continue
        if fr.kind == "mul":
            how = prover.prove(le(Num(0), fr.other))
            if how is None:
                return None, notes, (f"multiplying by {fr.other.text()}, which is not known "
                                     "to be nonnegative")
            notes.append(f"0 ≤ {fr.other.text()} ({how})")
            if rel == "<":
                how = prover.prove(lt(Num(0), fr.other))
                if how is None:
                    rel = "<="
                    notes.append(f"{fr.other.text()} is not known to be > 0, so < becomes ≤")
                else:
                    notes.append(f"0 < {fr.other.text()} ({how})")
        elif fr.kind in ("sum", "prod", "pow", "sqrt"):
            needs = [] if fr.kind == "sum" else [le(Num(0), fr.old)]
            if fr.kind == "pow":
                needs.append(le(Num(0), fr.other))
            for need in needs:
                how = prover.prove(need)
                if how is None:
                    return None, notes, f"{need.text()} is needed to compare inside the {fr.kind}"
                notes.append(f"{need.text()} ({how})")
            if rel == "<" and fr.kind in ("sum", "prod"):
                rel = "<="
                notes.append(f"a {'sum' if fr.kind == 'sum' else 'product'} over an index keeps only ≤")
            if rel == "<" and fr.kind == "pow" and prover.prove(lt(Num(0), fr.other)) is None:
                rel = "<="
                notes.append("the exponent is not known to be > 0, so < becomes ≤")
        else:
            return None, notes, (f"a {rel_text(rel)} step inside {fr.head} is not monotone: only "
                                 "an equality may be used there")
    return rel, notes, ""


# ------------------------------------------------------------------ links
@dataclass(frozen=True)
class LinkCheck:
    """The checker's account of one link: accepted or not, the relation it derived, the
    lemma (with references) or assumption used, the side conditions and the reason."""

    old: Expr
    link: Link
    ok: bool
    derived: str | None
    cite: str
    conditions: tuple[str, ...] = ()
    reason: str = ""


def check_link(old: Expr, link: Link, prover: Prover) -> LinkCheck:
    """Check one link ``old link.rel link.to`` (see the module doc).

    >>> from derive.norm_expr import Tr
    >>> W = Mat("W")
    >>> check_link(Norm2(Tr(W)), Link("=", Norm2(W), "l2_opNorm_conjTranspose"), Prover(LEMMA)).reason
    'lemma l2_opNorm_conjTranspose turns ‖Wᵀ‖₂ into ‖Wᵀᴴ‖₂, not ‖W‖₂'
    """
    if link.rel not in ("=", "<", "<="):
        raise InvalidInputError(f"a link relation is =, < or <=, got {link.rel!r}")
    if link.by == ALGEBRA:
        if exact_equal(old, link.to):
            if not implies("=", link.rel):  # an identity never yields a strict <
                return LinkCheck(old, link, False, "=", "exact algebra",
                                 reason=f"exact algebra yields =, the link says {rel_text(link.rel)}")
            return LinkCheck(old, link, True, "=", "exact algebra")
        return LinkCheck(old, link, False, None, "exact algebra",
                         reason=f"not an identity: {old.text()} and {link.to.text()} differ")
    positions = _positions(old, link.to)
    if link.by == ASSUMPTION:
        return _by_assumption(old, link, positions, prover)
    lem = prover.lemmas.get(link.by)
    if lem is None:
        return LinkCheck(old, link, False, None, link.by,
                         reason=f"no lemma named {link.by!r} in the table")
    if not isinstance(lem.statement, Rel):
        return LinkCheck(old, link, False, None, lem.cite(),
                         reason=f"lemma {lem.name} is not an (in)equality; use an Apply step")
    return _by_lemma(old, link, lem, positions, prover)


def _finish(old, link, rel, frames, prover, cite, conditions, who) -> LinkCheck:
    derived, notes, why = _through(frames, rel, prover)
    conditions = tuple(conditions) + tuple(notes)
    if derived is None:
        return LinkCheck(old, link, False, None, cite, conditions, why)
    if not implies(derived, link.rel):
        return LinkCheck(old, link, False, derived, cite, conditions,
                         f"{who} yields {rel_text(derived)}, the link says "
                         f"{rel_text(link.rel)}" + (f" ({notes[-1]})" if notes else ""))
    return LinkCheck(old, link, True, derived, cite, conditions)


def _by_assumption(old, link, positions, prover) -> LinkCheck:
    failure = None
    for frames, o, n in reversed(positions):
        for fact, label in prover.facts:
            if not isinstance(fact, Rel):
                continue
            sides = [(fact.lhs, fact.rhs)] + ([(fact.rhs, fact.lhs)] if fact.op == "=" else [])
            for l_, r_ in sides:
                if _equal(l_, o) and _equal(r_, n):  # exact_equal, shown-different pairs first
                    res = _finish(old, link, fact.op, frames, prover,
                                  f"assumption ({label}): {fact.text()}", (), f"assumption ({label})")
                    if res.ok:
                        return res
                    failure = failure or res
    if failure:
        return failure
    _, o, n = positions[-1]
    return LinkCheck(old, link, False, None, "assumption",
                     reason=f"no assumption or earlier step states {o.text()} "
                            f"{rel_text(link.rel)} {n.text()}")


def _by_lemma(old, link, lem: Lemma, positions, prover) -> LinkCheck:
    s = lem.statement
    best: tuple[int, LinkCheck] | None = None

    def keep(rank, res):
        nonlocal best
        if best is None or rank > best[0]:
            best = (rank, res)

    orientations = [(s.lhs, s.rhs)] + ([(s.rhs, s.lhs)] if s.op == "=" else [])
    for frames, o, n in reversed(positions):
        for lhs, rhs in orientations:
            for b in match(lhs, o):
                hit = False
                for b2 in match(rhs, n, b):
                    hit = True
                    solved = next(prover.solve(lem.hypotheses, b2), None)
                    if solved is None:
                        missing = _first_unproved(lem, b2, prover)
                        keep(3, LinkCheck(old, link, False, None, lem.cite(), (), (
                            f"hypothesis {missing} of lemma {lem.name} is neither an assumption "
                            "nor an earlier step, and does not follow from the table")))
                        continue
                    conds = [f"{substitute(h, b2).text()} ({how})"
                             for h, how in zip(lem.hypotheses, solved[1])]
                    res = _finish(old, link, s.op, frames, prover, lem.cite(), conds,
                                  f"lemma {lem.name}")
                    if res.ok:
                        return res
                    keep(4 if res.derived else 3, res)
                if not hit:
                    keep(1, LinkCheck(old, link, False, None, lem.cite(), (), (
                        f"lemma {lem.name} turns {o.text()} into "
                        f"{substitute(rhs, b).text()}, not {n.text()}")))
        if s.op != "=" and any(True for b in match(s.rhs, o) for _ in match(s.lhs, n, b)):
            keep(2, LinkCheck(old, link, False, None, lem.cite(), (), (
                f"lemma {lem.name} is used in the wrong direction: it states "
                f"{s.text()}, the link goes from its right side to its left")))
    if best is not None:
        return best[1]
    _, o, _n = positions[0]
    for frames, o, n in positions:
        mm = first_mismatch(s.lhs, o)
        if mm and mm[0] in _NORM_HEADS and mm[1] in _NORM_HEADS:
            return LinkCheck(old, link, False, None, lem.cite(), (), (
                f"lemma {lem.name} is about {mm[0]}, the link has {mm[1]}"))
    return LinkCheck(old, link, False, None, lem.cite(), (), (
        f"lemma {lem.name} does not match: its statement reads {s.text()}"))


def _first_unproved(lem: Lemma, b: dict, prover: Prover) -> str:
    for h in lem.hypotheses:
        inst = substitute(h, b)
        if unbound_vars(inst, b) or prover.prove(inst) is None:
            return inst.text()
    return "(a combination)"


# ------------------------------------------------------------------ proofs
@dataclass(frozen=True)
class StepCheck:
    """A checked step: its conclusion, the link checks (chains) or the lemma application
    (Apply), and whether it was accepted."""

    conclusion: Expr
    ok: bool
    links: tuple[LinkCheck, ...] = ()
    applied: str = ""
    conditions: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class CheckedProof(Displayable):
    """A proof with the checker's account of every step; printable step by step."""

    proof: LemmaProof
    steps: tuple[StepCheck, ...]
    ok: bool
    reason: str = ""
    lemmas_used: tuple[str, ...] = field(default=())

    def text(self) -> str:
        """The proof in text, each link naming its lemma with references.

        >>> c = check(LemmaProof("x", goals=(), steps=(Chain(Num(1), (Link("=", Num(1), ALGEBRA),)),)))
        >>> c.text().splitlines()[-2:]
        ['    = 1   by exact algebra', 'Hence .']
        """
        p = self.proof
        out = [f"Proof of {p.claim} for every n ≥ 1 (symbolic n; each step one matched lemma "
               "application or an exact identity)"]
        if p.assumptions:
            out.append("Assumptions:")
            out += [f"  (a{i}) {a.statement.text()}   [{a.why}]" for i, a in enumerate(p.assumptions, 1)]
        for i, st in enumerate(self.steps, 1):
            out.append(f"Step {i}: {st.conclusion.text()}" + ("" if st.ok else "   [REJECTED]"))
            if st.links:
                out.append(f"      {self._start(i).text()}")
                for lc in st.links:
                    mark = "" if lc.ok else "   [REJECTED: " + lc.reason + "]"
                    out.append(f"    {rel_text(lc.link.rel)} {lc.link.to.text()}   by {lc.cite}{mark}")
                    out += [f"        side condition: {c}" for c in lc.conditions]
            else:
                out.append(f"    by {st.applied}" + ("" if st.ok else f"   [REJECTED: {st.reason}]"))
                out += [f"        hypothesis: {c}" for c in st.conditions]
        out.append("Hence " + "; ".join(g.text() for g in p.goals) + "." if self.ok
                   else f"Not proved: {self.reason}")
        return "\n".join(out)

    def _start(self, i: int) -> Expr:
        return self.proof.steps[i - 1].start

    def latex(self) -> str:
        """The proof in LaTeX (``align*`` per chain, each link with its lemma); text in
        ``\\text{}`` is kept ASCII (symbols as math), so pdflatex compiles it.

        >>> c = check(LemmaProof("x", goals=(), steps=(Chain(Num(1), (Link("=", Num(1), ALGEBRA),)),)))
        >>> print(c.latex().splitlines()[3])
          1 &= 1 && \\text{exact algebra}
        """
        p = self.proof
        out = [rf"\paragraph{{Proof of \texttt{{{_tex_text(p.claim)}}} for every $n \ge 1$.}}"]
        if p.assumptions:
            out.append(r"Assumptions: " + "; ".join(f"(a{i}) ${a.statement.latex()}$"
                                                     for i, a in enumerate(p.assumptions, 1)) + ".")
        for i, st in enumerate(self.steps, 1):
            out.append(f"Step {i}" + ("" if st.ok else " (rejected)") + ":")
            if st.links:
                rows = []
                for n_, lc in enumerate(st.links):
                    rel = {"=": "=", "<": "<", "<=": r"\le"}[lc.link.rel]
                    head = f"  {self._start(i).latex()} " if n_ == 0 else "  "
                    by = lc.cite.split(":")[0] if lc.link.by == ASSUMPTION else lc.cite
                    rows.append(f"{head}&{rel} {lc.link.to.latex()} && \\text{{{_tex_text(by)}}}")
                out.append("\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}")
            else:
                out.append(f"${st.conclusion.latex()}$ by {_tex_text(st.applied)}.")
        return "\n".join(out)


_TEX = {"‖": r"$\|$", "²": r"$^2$", "≥": r"$\ge$", "≤": r"$\le$", "–": "--", "λ": r"$\lambda$",
        "ρ": r"$\rho$", "σ": r"$\sigma$", "ᴴ": r"$^H$", "ᵀ": r"$^T$", "∞": r"$\infty$",
        "→": r"$\to$", "₂": r"$_2$", "⇔": r"$\Leftrightarrow$", "−": "-", "γ": r"$\gamma$",
        "·": r"$\cdot$", "η": r"$\eta$", "⁺": r"$^+$", "∂": r"$\partial$", "₀": "0",
        "&": r"\&", "_": r"\_", "%": r"\%", "#": r"\#", "^": r"\^{}"}


def _tex_text(s: str) -> str:
    """Text for ``\\text{}``: LaTeX specials escaped, the Unicode symbols the references
    use as math; anything else non-ASCII becomes '?'.

    >>> print(_tex_text("H&J 5.6.2; mathlib Matrix.l2_opNorm_mul, ρ ≤ ‖A‖₂"))
    H\\&J 5.6.2; mathlib Matrix.l2\\_opNorm\\_mul, $\\rho$ $\\le$ $\\|$A$\\|$$_2$
    """
    return "".join(_TEX.get(ch, ch if ch.isascii() else "?") for ch in s)


def check(proof: LemmaProof, lemmas: dict[str, Lemma] | None = None) -> CheckedProof:
    """Check every step and goal of ``proof``; the account, step by step.

    >>> check(LemmaProof("x", goals=(le(Num(0), Norm2(Mat("W"))),))).reason
    "the claim's 0 ≤ ‖W‖₂ is not established (the steps conclude nothing)"
    """
    prover = Prover(lemmas if lemmas is not None else LEMMA,
                    [(a.statement, f"a{i}") for i, a in enumerate(proof.assumptions, 1)])
    steps: list[StepCheck] = []
    used: list[str] = []
    failure = ""
    for i, step in enumerate(proof.steps, 1):
        if isinstance(step, Chain):
            cur, checks = step.start, []
            for j, link in enumerate(step.links, 1):
                lc = check_link(cur, link, prover)
                checks.append(lc)
                if not lc.ok and not failure:
                    failure = f"step {i}, link {j}: {lc.reason}"
                if lc.ok and link.by not in (ALGEBRA, ASSUMPTION):
                    used.append(link.by)
                used.extend(_lemma_names(lc.conditions, prover.lemmas))
                cur = link.to
            ok = all(c.ok for c in checks)
            st = StepCheck(step.conclusion, ok, tuple(checks))
        elif isinstance(step, Apply):
            st = _check_apply(step, prover)
            if st.ok:
                used.append(step.lemma)
                used.extend(_lemma_names(st.conditions, prover.lemmas))
            elif not failure:
                failure = f"step {i}: {st.reason}"
        else:
            raise InvalidInputError(f"a proof step is a Chain or an Apply, got {step!r}")
        steps.append(st)
        if st.ok:
            prover.add(st.conclusion, f"s{i}")
    if not failure:
        for goal in proof.goals:
            if prover.established(goal) is None:
                concl = "; ".join(s.conclusion.text() for s in steps) or "nothing"
                failure = f"the claim's {goal.text()} is not established (the steps conclude {concl})"
                break
    return CheckedProof(proof, tuple(steps), not failure, failure, tuple(dict.fromkeys(used)))


def _lemma_names(conditions, lemmas) -> list[str]:
    """The table's lemma names cited in side-condition justifications, in order."""
    return [w for c in conditions for w in re.findall(r"[A-Za-z_][\w₀]*", c) if w in lemmas]


def _check_apply(step: Apply, prover: Prover) -> StepCheck:
    lem = prover.lemmas.get(step.lemma)
    if lem is None:
        return StepCheck(step.conclusion, False, applied=step.lemma,
                         reason=f"no lemma named {step.lemma!r} in the table")
    matched = False
    for b in match(lem.statement, step.conclusion):
        matched = True
        solved = next(prover.solve(lem.hypotheses, b), None)
        if solved is not None:
            conds = tuple(f"{substitute(h, solved[0]).text()} ({how})"
                          for h, how in zip(lem.hypotheses, solved[1]))
            return StepCheck(step.conclusion, True, applied=lem.cite(), conditions=conds)
        missing = _first_unproved(lem, b, prover)
        reason = (f"hypothesis {missing} of lemma {lem.name} is neither an assumption nor an "
                  "earlier step, and does not follow from the table")
    if not matched:
        reason = (f"lemma {lem.name} does not conclude {step.conclusion.text()}: it states "
                  f"{lem.statement.text()}")
    return StepCheck(step.conclusion, False, applied=lem.cite(), reason=reason)


def check_proof(proof: LemmaProof, lemmas: dict[str, Lemma] | None = None) -> Result:
    """The verdict on a proof: ``proved`` for every n (method ``lemmas``, naming them) when
    every step checks and the goals are established, else ``undecided`` with the reason
    (a rejected proof says nothing against the claim). ``data`` is the :class:`CheckedProof`.

    >>> r = check_proof(LemmaProof("x", goals=(lt(Num(0), Norm2(Mat("W"))),)))
    >>> r.verdict.value, r.evidence.startswith("the claim's 0 < ‖W‖₂ is not established")
    ('undecided', True)
    """
    checked = check(proof, lemmas)
    if checked.ok:
        return Result(
            Verdict.PROVED,
            Method(MethodKind.LEMMAS, ", ".join(checked.lemmas_used)),
            Scope(spans=(Span("n", 1, None),),
                  note="symbolic n; every link matched against the lemma table"),
            evidence=f"{sum(len(s.links) or 1 for s in checked.steps)} steps, each a matched "
                     "lemma application or an exact identity",
            data=checked,
        )
    return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "lemma proof rejected"),
                  Scope(note="a proof over a symbolic n was rejected; nothing is claimed"),
                  evidence=checked.reason, data=checked)


__all__ = ["ALGEBRA", "ASSUMPTION", "Link", "Chain", "Apply", "Assumption", "LemmaProof",
           "Prover", "LinkCheck", "StepCheck", "CheckedProof", "check_link", "check",
           "check_proof"]
