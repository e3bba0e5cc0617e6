"""Certified counterexamples: points where two sides certainly differ.

A refutation is only claimed from a certified point: rational values for all symbols,
values for the generic functions at the distinct argument values reached (equal
arguments get equal values, so a smooth σ with those values — and σ' with its values, by
Hermite interpolation — exists), and the true values of concrete functions (``relu`` and
``step`` are exact on rationals; ``tanh``, ``sigmoid``, ``exp`` are enclosed in
python-flint arb balls at :data:`ARB_PREC` bits, and the balls of the two sides must be
disjoint). Points where a ``relu``/``step`` argument is exactly 0 (the kink) are skipped.

:func:`find_counterexample` searches such a point for SymPy expressions (or canonical
polynomials, through :func:`poly_value`); :func:`real_counterexample` does the same for a
Jacobian candidate on a network with a real activation at an exact dyadic point
(:class:`rnnmodel.balls.RealRNN`). The search points come from a seeded generator: the
seed changes which point is found, never whether what is found is true (every point is
checked exactly or with certified enclosures), so the search needs no secret randomness.

Orientation: ``lhs`` is always the first side given (the claim's left side, the directly
computed derivative), ``rhs`` the second (the candidate).

>>> x = sp.Symbol("x")
>>> label, ev, va, vb = find_counterexample([("e", x**2, x)], {x})
>>> va != vb and va == ev.subs[x] ** 2
True
"""
from __future__ import annotations

import random
from fractions import Fraction
from typing import Callable, Iterable

import flint
import sympy as sp

from rnncore.errors import InvalidInputError
from rnncore.results import Counterexample, Location, assignment_from

from .activations import relu, sigmoid, step
from .canonical import Canonicalizer, Poly, is_generic_function
from rnnmodel.arithmetic import KinkError
from rnnmodel.balls import BallMatrix, RealRNN

#: Random points tried when looking for a certified counterexample.
COUNTEREXAMPLE_TRIES = 24
#: Working precision (bits) of the arb enclosures of concrete functions.
ARB_PREC = 212
#: Random rational points tried by :func:`real_counterexample`, and their precision (bits).
REAL_TRIES, REAL_PREC = 3, 128


class PointFailed(Exception):
    """This point cannot certify anything (kink hit, irrational argument, ...)."""


def to_arb(q) -> flint.arb:
    """An arb ball for an exact rational (or the ball itself).

    >>> to_arb(Fraction(1, 4)).mid() == flint.arb(0.25)
    True
    """
    if isinstance(q, flint.arb):
        return q
    q = Fraction(q)
    return flint.arb(flint.fmpq(q.numerator, q.denominator))


def value_text(v) -> str:
    """A value as text: the rational, or the ball with its radius.

    >>> value_text(Fraction(-3, 4))
    '-3/4'
    """
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
                    out += to_arb(v)
                return out
            return sum(vals, Fraction(0))
        if e.is_Mul:
            vals = [self.value(a) for a in e.args]
            if any(isinstance(v, flint.arb) for v in vals):
                out = flint.arb(1)
                for v in vals:
                    out *= to_arb(v)
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
        zb = to_arb(z)
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
        d = to_arb(va) - to_arb(vb)
        return not d.contains(0)
    return va != vb


def random_point(symbols: Iterable[sp.Symbol], rng: random.Random) -> dict:
    """Random small rationals for ``symbols`` (sorted by name, so a seed reproduces it).

    >>> x, y = sp.symbols("x y")
    >>> random_point({y, x}, random.Random(1)) == random_point({x, y}, random.Random(1))
    True
    """
    return {s: _random_rational(rng) for s in sorted(symbols, key=sp.default_sort_key)}


def _side_value(side, ev: "Evaluator"):
    return side(ev) if callable(side) and not isinstance(side, sp.Basic) else ev.value(side)


def find_counterexample(pairs, symbols, seed: int = 0, tries: int = COUNTEREXAMPLE_TRIES):
    """Search a certified point where ``a != b`` for some ``(label, a, b)`` of ``pairs``;
    a side is a SymPy expression or a function of the :class:`Evaluator` (e.g. a canonical
    polynomial's value, :func:`poly_value`).

    Returns ``(label, Evaluator, value_a, value_b)`` or ``None``.

    >>> x = sp.Symbol("x")
    >>> find_counterexample([("e", x * (x + 1), x**2 + x)], {x}) is None
    True
    """
    pairs = list(pairs)
    with flint.ctx.workprec(ARB_PREC):
        for attempt in range(tries):
            rng = random.Random(f"{seed}:{attempt}")
            ev = Evaluator(random_point(symbols, rng), rng)
            for label, a, b in pairs:
                try:
                    va, vb = _side_value(a, ev), _side_value(b, ev)
                except (PointFailed, ZeroDivisionError):
                    break
                if certified_difference(va, vb):
                    return label, ev, va, vb
    return None


def poly_value(poly: Poly, canon: Canonicalizer, ev: "Evaluator"):
    """The value of a canonical polynomial at the evaluator's point (Fraction or arb).

    >>> x = sp.Symbol("x"); c = Canonicalizer()
    >>> poly_value(c.poly(x**2 + 1), c, Evaluator({x: Fraction(1, 2)}, random.Random(0)))
    Fraction(5, 4)
    """
    exact, ball = Fraction(0), None
    values: dict = {}
    for exps, c in poly.monomials():
        term = Fraction(c)
        for i, e in exps.items():
            v = values.get(i)
            if v is None:
                v = values[i] = ev.value(canon.exprs[i])
            if isinstance(v, flint.arb) or isinstance(term, flint.arb):
                term = to_arb(term) * to_arb(v) ** e
            else:
                term = term * v ** e
        if isinstance(term, flint.arb):
            ball = term if ball is None else ball + term
        else:
            exact += term
    return exact if ball is None else ball + to_arb(exact)


def _exact(v):
    return v if isinstance(v, flint.arb) else sp.Rational(v.numerator, v.denominator)


def counterexample_from(ev: "Evaluator", va, vb, *, location: Location = Location(),
                        note: str = "", extra: dict | None = None) -> Counterexample:
    """A :class:`Counterexample` from an evaluator's point and the two values (``va`` the
    first side, ``lhs``; ``vb`` the second, ``rhs``).

    >>> x = sp.Symbol("x")
    >>> _, ev, va, vb = find_counterexample([("e", x**2, x)], {x})
    >>> c = counterexample_from(ev, va, vb, location=Location(entry=(0, 0)))
    >>> c.location.entry, c.lhs == value_text(va), c.data["subs"][x] == ev.subs[x]
    ((0, 0), True, True)
    """
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
    data = {"subs": subs, "function_values": fvals, "lhs": _exact(va), "rhs": _exact(vb),
            "kind": "rational"}
    if extra:
        data.update(extra)
    return Counterexample(assignment_from(shown), lhs=value_text(va), rhs=value_text(vb),
                          location=location, note="; ".join(parts), data=data)


def real_counterexample(rnn, candidate, t: int, k: int, *, seed: int = 0,
                        tries: int = REAL_TRIES, prec: int = REAL_PREC) -> Counterexample | None:
    """A certified counterexample for the real activation (tanh, sigmoid, relu) at pair
    (t, k): an exact dyadic rational point (:class:`rnnmodel.balls.RealRNN`) where the
    forward-differentiated ∂x_t/∂x_k (``lhs``) and the candidate's entry (``rhs``) have
    disjoint enclosures (python-flint balls at ``prec`` bits). ``None`` if ``tries``
    points certify nothing.

    >>> from derive.network import RNN
    >>> cex = real_counterexample(RNN(3, 1, 4, "tanh"), lambda net, t, k: net.W_rec.T * net.D(k), 1, 0)
    >>> (cex.location.t, cex.location.k), cex.data["kind"]
    ((1, 0), 'real')
    """
    if rnn.activation == "generic":
        raise InvalidInputError("a generic σ has no real values; its refutation is the ring point")
    for attempt in range(tries):
        try:
            with flint.ctx.workprec(prec):
                net = RealRNN(rnn.n, rnn.m, rnn.T, rnn.activation, rnn.form,
                              seed=seed * 7919 + attempt)
                C = candidate(net.with_base(k), t, k)
                if not isinstance(C, BallMatrix) or C.shape != (rnn.n, rnn.n):
                    return None
                J = net.direct_jacobian(t, k)
                diff = C.m - J.m
                for a in range(rnn.n):
                    for b in range(rnn.n):
                        if not diff[a, b].contains(0):
                            return _real_cex(net, C, J, t, k, a, b, prec)
        except KinkError:
            continue
    return None


def _real_cex(net, C, J, t, k, a, b, prec) -> Counterexample:
    pt = net.point()
    letter = "x" if net.form == "A" else "h"
    fmt: Callable = lambda rows: str([[str(q) for q in row] for row in rows])  # noqa: E731
    assignment = (("W_rec", fmt(pt["W_rec"])), ("W_in", fmt(pt["W_in"])), ("b", fmt(pt["b"])),
                  (f"{letter}_{k}", fmt(pt["bases"][k])),
                  ("u", str({s: fmt(v) for s, v in pt["u"].items() if k < s <= t})))
    return Counterexample(
        assignment, lhs=str(J.entry(a, b)), rhs=str(C.entry(a, b)),
        location=Location(t=t, k=k, entry=(a, b), layout="numerator"),
        note=(f"lhs: ∂x_t/∂x_k by forward differentiation, rhs: the candidate; exact rational "
              f"point, real {net.activation}; both values are certified enclosures "
              f"(arb, {prec} bits) and they are disjoint"),
        data={"kind": "real", "t": t, "k": k, "entry": (a, b), "point": pt, "prec": prec})


__all__ = [
    "ARB_PREC", "COUNTEREXAMPLE_TRIES", "PointFailed", "Evaluator", "to_arb", "value_text",
    "certified_difference", "random_point", "find_counterexample", "poly_value",
    "counterexample_from", "real_counterexample",
]
