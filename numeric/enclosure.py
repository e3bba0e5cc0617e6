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

A ball prints Arb style, with its certain digits and its radius; an undecided comparison
says how to decide an exact tie:

>>> from numeric.linalg import spectral_norm
>>> str(spectral_norm([[3, 4], [0, 0]], dps=50))
'[5.00000000000000… +/- 1.3e-53]'
>>> "exact=True" in compare(spectral_norm([[3, 4], [0, 0]], dps=50), 5).method
True
>>> str(compare(spectral_norm([[3, 4], [0, 0]], exact=True), 5))
'equal'
"""
from __future__ import annotations

import html
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


@dataclass(frozen=True, repr=False)
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
        """Arb style: ``[mid +/- rad]`` with the digits that are certain; when more than
        :data:`SHOWN_DIGITS` digits are certain, those digits with ``…`` and the certified
        radius (so a width of 1e-50 shows as such). An exact value prints as it is.

        >>> str(Enclosure(Fraction(1, 3) - Fraction(1, 10**50), Fraction(1, 3) + Fraction(1, 10**50)))
        '[0.333333333333333… +/- 1.0e-50]'
        >>> str(Enclosure(Fraction(54772, 10000), Fraction(54773, 10000)))
        '[5.47725 +/- 5.0e-5]'
        >>> str(Enclosure.exact("-4/3")), str(Enclosure(Fraction(-1), Fraction(3)))
        ('-4/3', '[1 +/- 2]')
        """
        if self.is_exact:
            return str(self.lo)
        return "[" + _ball_text(self.lo, self.hi) + "]"

    def __repr__(self) -> str:
        """An exact value as the dataclass writes it (it can be typed back in); a ball as
        its Arb-style text, with its algebraic tag.

        >>> Enclosure(Fraction(1), Fraction(2))
        <Enclosure [1.5 +/- 0.5]>
        >>> Enclosure.exact(2)
        Enclosure(lo=Fraction(2, 1), hi=Fraction(2, 1), algebraic=None)
        """
        if self.is_exact:
            return (f"Enclosure(lo={self.lo!r}, hi={self.hi!r}, algebraic={self.algebraic!r})")
        tag = f" algebraic={self.algebraic!r}" if self.algebraic is not None else ""
        return f"<Enclosure {self}{tag}>"

    def _repr_latex_(self) -> str:
        r"""The enclosure as mathematics, for notebooks: ``mid \pm rad`` or the exact value.

        >>> Enclosure(Fraction(1), Fraction(2))._repr_latex_()
        '$1.5 \\pm 0.5$'
        >>> Enclosure.exact("-4/3")._repr_latex_()
        '$-\\tfrac{4}{3}$'
        """
        if self.is_exact:
            v = self.lo
            if v.denominator == 1:
                return f"${v.numerator}$"
            sign = "-" if v < 0 else ""
            return rf"${sign}\tfrac{{{abs(v.numerator)}}}{{{v.denominator}}}$"
        mid, rad = _ball_text(self.lo, self.hi).split(" +/- ")
        mid = mid.replace("…", r"\ldots")
        if "e" in rad:
            m, e = rad.split("e")
            rad = rf"{m} \cdot 10^{{{int(e)}}}"
        return rf"${mid} \pm {rad}$"

    def _repr_html_(self) -> str:
        """The enclosure for notebooks' HTML output.

        >>> Enclosure(Fraction(1), Fraction(2))._repr_html_()
        '<span class="enclosure">1.5 ± 0.5</span>'
        """
        text = str(self.lo) if self.is_exact else _ball_text(self.lo, self.hi).replace(" +/- ", " ± ")
        return f'<span class="enclosure">{html.escape(text)}</span>'

    def to_float(self) -> float:
        """The midpoint as a float (for plots; not certified)."""
        return float(self.mid)


#: Most significant digits the text of a ball shows (more certain digits end in "…").
SHOWN_DIGITS = 15


def _ball_text(lo: Fraction, hi: Fraction) -> str:
    """``mid +/- rad`` text of ``[lo, hi]`` (lo < hi): the printed ball contains it. With
    more than :data:`SHOWN_DIGITS` certain digits: the midpoint to that many digits, ``…``
    (more digits are known: ``mid()`` has them exactly), and the radius rounded up, so the
    certified width is never hidden behind the digits shown."""
    rad = (hi - lo) / 2
    mid = (hi + lo) / 2
    big = max(abs(lo), abs(hi))
    # digits that are certain: the exponent of the value against the exponent of the radius
    e_val = _exp10(big) if big else 0
    e_rad = _exp10(rad)
    certain = e_val - e_rad
    if certain > SHOWN_DIGITS:
        return f"{_round(mid, e_val, SHOWN_DIGITS)}… +/- {_up(rad)}"
    digits = max(1, certain + 1)
    shown_mid = _round(mid, e_val, digits)
    # the rounding of the midpoint widens the radius: the printed ball must contain [lo, hi]
    err = abs(Fraction(shown_mid) - mid) + rad
    return f"{shown_mid} +/- {_up(err)}"


def _exp10(x: Fraction) -> int:
    """floor(log10(|x|)) exactly, for x != 0."""
    x = abs(x)
    e = len(str(x.numerator)) - len(str(x.denominator))
    while Fraction(10) ** e > x:
        e -= 1
    while Fraction(10) ** (e + 1) <= x:
        e += 1
    return e


def _round(x: Fraction, e_val: int, digits: int) -> str:
    scale = Fraction(10) ** (digits - 1 - e_val)
    n = round(x * scale)
    return _decimal(n, digits - 1 - e_val)


def _decimal(n: int, places: int) -> str:
    """``n / 10**places`` written out (scientific beyond 1e±6)."""
    sign = "-" if n < 0 else ""
    n = abs(n)
    if places <= 0:
        text = str(n * 10 ** -places)
    else:
        body = str(n).rjust(places + 1, "0")
        text = body[:-places] + "." + body[-places:]
    lead = len(text.split(".")[0].lstrip("0")) if text.split(".")[0].strip("0") else 0
    if lead > 7 or (places > 8 and text.startswith("0.0000")):
        digits = str(n).lstrip("0") or "0"
        exp = len(str(n)) - 1 - places
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mant}e{exp}"
    return sign + text


def _up(r: Fraction) -> str:
    """A radius rounded up to two significant digits (``3.1e-51``; plain when moderate)."""
    if r == 0:
        return "0"
    e = _exp10(r)
    scale = Fraction(10) ** (1 - e)
    q = r * scale
    n = -((-q.numerator) // q.denominator)  # ceiling: never understate the radius
    if n >= 100:
        n, e = -(-n // 10), e + 1
    if -4 <= e <= 4:
        return _decimal(n, 1 - e).rstrip("0").rstrip(".") if 1 - e > 0 else str(n * 10 ** (e - 1))
    return f"{n // 10}.{n % 10}e{e}"


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

    def __repr__(self) -> str:
        """The outcome, the two enclosures and how it was decided (for an undecided one,
        how to decide an exact tie).

        >>> compare(Enclosure(Fraction(0), Fraction(2)), 1)  # doctest: +ELLIPSIS
        <Comparison undecided: [1 +/- 1] ? 1 at 50 digits; enclosures overlap ...exact=True...>
        """
        return f"<Comparison {self.outcome}: {self.lhs} ? {self.rhs} at {self.dps} digits; {self.method}>"


#: What an undecided comparison says: enclosures never prove an equality.
TIE_HINT = ("if the two values may be exactly equal, no enclosure can show it: decide the tie "
            "exactly (exact=True on spectral_norm, spectral_radius or max_eigenvalue, or exact "
            "operands)")

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
                f"enclosures overlap at {d} digits" + ("" if refinable else " (not refinable)")
                + "; " + TIE_HINT,
            )
        d = min(2 * d, top)


__all__ = ["Enclosure", "Comparison", "compare", "Algebraic", "TIE_HINT", "SHOWN_DIGITS"]
