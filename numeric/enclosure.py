"""Certified enclosures and certified comparison.

An :class:`Enclosure` is a closed interval ``[lo, hi]`` with **exact rational endpoints**
(:class:`fractions.Fraction`) that provably contains a real number. ``lo == hi`` means the
value is known exactly. An enclosure may also carry an ``algebraic`` tag ``(coeffs, index)``:
the value is the ``index``-th real root (ascending) of the irreducible integer polynomial
with coefficients ``coeffs`` (constant term first) — two values with the same tag are equal,
two irrational values with different irreducible polynomials are different.

:func:`compare` decides ``less`` / ``equal`` / ``greater`` from enclosures, refining
callables to higher precision while they overlap, and answers ``undecided`` when they still
overlap at the largest precision allowed. ``equal`` comes only from exact arithmetic: two
equal exact rationals or two equal algebraic tags — overlapping intervals never count.

>>> a = Enclosure.exact("1/3")
>>> b = Enclosure(Fraction(33, 100), Fraction(34, 100))
>>> a.width, b.contains("1/3"), str(compare(a, b))
(Fraction(0, 1), True, 'undecided')
>>> str(compare(a, "1/2")), str(compare("1/2", "2/4"))
('less', 'equal')
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import gcd
from typing import Any, Callable, Union

from rnncore.errors import InvalidInputError
from rnncore.validate import MAX_DPS

from .matrices import check_dps, exact_scalar

Algebraic = tuple[tuple[int, ...], int]


def _fraction_of_arf(x) -> Fraction:
    """An exact arb midpoint/endpoint (zero radius) as a Fraction."""
    man, exp = x.man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * (1 << exp)) if exp >= 0 else Fraction(man, 1 << -exp)


@dataclass(frozen=True)
class Enclosure:
    """A certified interval ``[lo, hi]`` (exact rational endpoints) containing a real value.

    >>> e = Enclosure(Fraction(1), Fraction(2))
    >>> e.mid, e.contains(Fraction(3, 2)), e.contains(3)
    (Fraction(3, 2), True, False)
    >>> Enclosure(Fraction(2), Fraction(1))
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: an enclosure needs lo <= hi; got lo=2, hi=1
    """

    lo: Fraction
    hi: Fraction
    algebraic: Algebraic | None = None

    def __post_init__(self) -> None:
        lo, hi = exact_scalar(self.lo, "lo"), exact_scalar(self.hi, "hi")
        if lo > hi:
            raise InvalidInputError(f"an enclosure needs lo <= hi; got lo={lo}, hi={hi}")
        object.__setattr__(self, "lo", lo)
        object.__setattr__(self, "hi", hi)

    @classmethod
    def exact(cls, value: Any) -> "Enclosure":
        """The point enclosure of an exact rational.

        >>> Enclosure.exact("2/4").lo
        Fraction(1, 2)
        """
        v = exact_scalar(value, "value")
        return cls(v, v)

    @classmethod
    def from_arb(cls, x, algebraic: Algebraic | None = None) -> "Enclosure":
        """The enclosure of a python-flint ``arb`` ball (``[mid - rad, mid + rad]``).

        >>> from flint import arb
        >>> Enclosure.from_arb(arb(1) / 4).is_exact
        True
        """
        if not x.is_finite():
            raise InvalidInputError(f"the ball {x} is not finite; no enclosure")
        return cls(_fraction_of_arf(x.lower()), _fraction_of_arf(x.upper()), algebraic)

    @classmethod
    def hull(cls, lo, hi) -> "Enclosure":
        """``[lower end of ball lo, upper end of ball hi]`` for python-flint balls (exact
        endpoints, no outward rounding of a union).

        >>> from flint import arb
        >>> Enclosure.hull(arb(0), arb(2)).lo
        Fraction(0, 1)
        """
        if not (lo.is_finite() and hi.is_finite()):
            raise InvalidInputError(f"the balls {lo}, {hi} are not finite; no enclosure")
        return cls(_fraction_of_arf(lo.lower()), _fraction_of_arf(hi.upper()))

    @property
    def mid(self) -> Fraction:
        """Midpoint (exact)."""
        return (self.lo + self.hi) / 2

    @property
    def width(self) -> Fraction:
        """``hi - lo`` (exact)."""
        return self.hi - self.lo

    @property
    def is_exact(self) -> bool:
        """True when the value is known exactly (``lo == hi``)."""
        return self.lo == self.hi

    def rel_width(self) -> float:
        """Width relative to the largest endpoint modulus (0 for exact values).

        >>> Enclosure(Fraction(99), Fraction(101)).rel_width()
        0.019801980198019802
        """
        m = max(abs(self.lo), abs(self.hi))
        return 0.0 if self.width == 0 else (float("inf") if m == 0 else float(self.width / m))

    def contains(self, x: Any) -> bool:
        """True when the exact number ``x`` lies in ``[lo, hi]``."""
        v = x if isinstance(x, Fraction) else exact_scalar(x, "value")
        return self.lo <= v <= self.hi

    def overlaps(self, other: "Enclosure") -> bool:
        """True when the two intervals intersect."""
        return self.lo <= other.hi and other.lo <= self.hi

    def scaled(self, c: Any) -> "Enclosure":
        """``c · value`` for an exact rational ``c``; an algebraic tag is carried along
        when ``c > 0`` (the value ``c·v`` is a root of ``f(y/c)``).

        >>> e = Enclosure(Fraction(1), Fraction(2), ((-2, 0, 1), 1))  # sqrt 2
        >>> e.scaled(3).algebraic   # 3 sqrt 2 is a root of y^2 - 18
        ((-18, 0, 1), 1)
        """
        c = exact_scalar(c, "factor")
        ends = (c * self.lo, c * self.hi)
        tag = None
        if self.algebraic is not None and c > 0:
            coeffs, index = self.algebraic
            d = len(coeffs) - 1
            scaled = [a * c ** (d - k) for k, a in enumerate(coeffs)]
            den = 1
            for x in scaled:
                den = den * x.denominator // gcd(den, x.denominator)
            ints = [int(x * den) for x in scaled]
            g = 0
            for x in ints:
                g = gcd(g, x)
            tag = (tuple(x // g for x in ints), index)
        return Enclosure(min(ends), max(ends), tag)

    def __mul__(self, other: "Enclosure") -> "Enclosure":
        if not isinstance(other, Enclosure):
            other = Enclosure.exact(other)
        if other.is_exact:
            return self.scaled(other.lo)
        if self.is_exact:
            return other.scaled(self.lo)
        ps = [self.lo * other.lo, self.lo * other.hi, self.hi * other.lo, self.hi * other.hi]
        return Enclosure(min(ps), max(ps))

    __rmul__ = __mul__

    def __str__(self) -> str:
        if self.is_exact:
            return str(self.lo)
        return f"[{_sci(self.lo)}, {_sci(self.hi)}]"

    def to_float(self) -> float:
        """The midpoint as a float (for plots; not certified)."""
        return float(self.mid)


def _sci(x: Fraction, digits: int = 17) -> str:
    import mpmath

    with mpmath.workdps(digits + 5):
        return mpmath.nstr(mpmath.mpf(x.numerator) / x.denominator, digits)


@dataclass(frozen=True)
class Comparison:
    """Outcome of a certified comparison ``lhs ? rhs``: ``outcome`` is one of
    ``less``, ``equal``, ``greater``, ``undecided``; ``lhs``/``rhs`` are the last
    enclosures used; ``dps`` the precision they were computed at; ``method`` how it was
    decided.

    >>> compare(1, 2).less, compare(1, 2).holds("<=")
    (True, True)
    """

    outcome: str
    lhs: Enclosure
    rhs: Enclosure
    dps: int
    method: str

    @property
    def less(self) -> bool:
        return self.outcome == "less"

    @property
    def equal(self) -> bool:
        return self.outcome == "equal"

    @property
    def greater(self) -> bool:
        return self.outcome == "greater"

    @property
    def decided(self) -> bool:
        return self.outcome != "undecided"

    def holds(self, relation: str) -> bool | None:
        """Whether ``lhs relation rhs`` (one of ``<``, ``<=``, ``==``, ``>=``, ``>``, ``!=``)
        is certified true (True), certified false (False) or unknown (None).

        >>> compare("1/2", "1/2").holds("<")
        False
        """
        table = {
            "<": {"less"}, "<=": {"less", "equal"}, "==": {"equal"},
            ">=": {"greater", "equal"}, ">": {"greater"}, "!=": {"less", "greater"},
        }
        if relation not in table:
            raise InvalidInputError(
                f"relation {relation!r} is not allowed; use one of {', '.join(table)}"
            )
        if self.outcome == "undecided":
            # a partial answer is still certain: disjointness is decided, equality not
            return None
        return self.outcome in table[relation]

    def __str__(self) -> str:
        return self.outcome


Operand = Union[Enclosure, Callable[[int], Enclosure], int, Fraction, str, float]


def _at(x: Operand, dps: int) -> Enclosure:
    if isinstance(x, Enclosure):
        return x
    if callable(x):
        e = x(dps)
        if not isinstance(e, Enclosure):
            raise InvalidInputError(
                f"a callable operand must return an Enclosure; got {type(e).__name__}"
            )
        return e
    return Enclosure.exact(x)


def _tagged_equal(a: Enclosure, b: Enclosure) -> bool | None:
    """Exact equality from tags: True/False when decidable, None otherwise."""
    if a.is_exact and b.is_exact:
        return a.lo == b.lo
    if a.algebraic is not None and b.algebraic is not None:
        if a.algebraic == b.algebraic:
            return True
        if len(a.algebraic[0]) > 2 and len(b.algebraic[0]) > 2:
            return False  # distinct irreducible polynomials have no common root
        return None
    for x, y in ((a, b), (b, a)):
        if x.is_exact and y.algebraic is not None and len(y.algebraic[0]) > 2:
            return False  # a rational is not a root of an irreducible poly of degree >= 2
    return None


def compare(a: Operand, b: Operand, *, dps: int = 50, max_dps: int | None = None) -> Comparison:
    """Certified comparison of two real numbers.

    Each operand is an exact number (int, Fraction, float, numeric string), an
    :class:`Enclosure`, or a callable ``f(dps) -> Enclosure`` that can be refined:
    while the enclosures overlap, callables are re-evaluated at doubled precision up to
    ``max_dps`` (default ``min(8 * dps, 10000)``). ``equal`` only from exact arithmetic.

    >>> from numeric.linalg import spectral_norm
    >>> str(compare(lambda d: spectral_norm([[3, 4], [0, 0]], dps=d), 5))
    'undecided'
    >>> str(compare(lambda d: spectral_norm([[3, 4], [0, 0]], dps=d), "4.99"))
    'greater'
    """
    dps = check_dps(dps)
    top = min(8 * dps, MAX_DPS) if max_dps is None else check_dps(max_dps)
    refinable = callable(a) and not isinstance(a, Enclosure) or (
        callable(b) and not isinstance(b, Enclosure)
    )
    d = dps
    while True:
        ea, eb = _at(a, d), _at(b, d)
        eq = _tagged_equal(ea, eb)
        if eq is True:
            return Comparison("equal", ea, eb, d, "exact (rational or algebraic tag)")
        if ea.hi < eb.lo:
            return Comparison("less", ea, eb, d, "disjoint enclosures")
        if ea.lo > eb.hi:
            return Comparison("greater", ea, eb, d, "disjoint enclosures")
        if eq is False and ea.is_exact and eb.is_exact:  # pragma: no cover - handled above
            break
        if not refinable or d >= top:
            return Comparison(
                "undecided", ea, eb, d,
                f"enclosures overlap at {d} digits" + ("" if refinable else " (not refinable)"),
            )
        d = min(2 * d, top)


__all__ = ["Enclosure", "Comparison", "compare", "Algebraic"]
