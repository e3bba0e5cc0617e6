"""Enclosures and certified comparison: equality only from exact arithmetic."""
from fractions import Fraction

import pytest

from numeric import Enclosure, compare, spectral_norm
from rnncore.errors import InvalidInputError, PrecisionError


def test_exact_rationals_compare_exactly():
    assert compare("1/2", "2/4").equal
    assert compare(Fraction(1, 3), "0.3333333333333333333").greater
    assert compare(1, 2).less


def test_overlap_is_undecided_never_equal():
    a = Enclosure(Fraction(1), Fraction(2))
    b = Enclosure(Fraction(3, 2), Fraction(3))
    c = compare(a, b)
    assert c.outcome == "undecided" and c.holds("<=") is None


def test_disjoint_enclosures_decide():
    assert compare(Enclosure(Fraction(0), Fraction(1)), Enclosure(Fraction(2), Fraction(3))).less


def test_callables_are_refined_until_disjoint():
    # sqrt(2) vs its 30-digit truncation: undecided at 15 digits, decided after refining
    trunc = "1.414213562373095048801688724209"
    c = compare(lambda d: spectral_norm([[1, 1], [1, -1]], dps=d), trunc, dps=15)
    assert c.greater and c.dps > 15


def test_true_equality_of_irrationals_is_found_only_by_tags():
    s = spectral_norm([[1, 1], [1, -1]], dps=30)          # sqrt 2, no tag
    t = spectral_norm([[1, -1], [1, 1]], dps=30, exact=True)  # sqrt 2, tagged
    assert compare(s, t).outcome == "undecided"
    assert compare(spectral_norm([[1, 1], [1, -1]], exact=True), t).equal


def test_scaling_keeps_the_tag():
    t = spectral_norm([[1, 1], [1, -1]], exact=True)       # sqrt 2
    u = spectral_norm([[3, 3], [3, -3]], exact=True)       # 3 sqrt 2
    assert compare(t * Enclosure.exact(3), u).equal


def test_bad_enclosures_and_relations():
    with pytest.raises(InvalidInputError, match="lo <= hi"):
        Enclosure(Fraction(2), Fraction(1))
    with pytest.raises(InvalidInputError, match="relation"):
        compare(1, 2).holds("<>")
    with pytest.raises(PrecisionError):
        compare(1, 2, dps=3)
    with pytest.raises(InvalidInputError, match="must return an Enclosure"):
        compare(lambda d: 3, 1)


def test_str_and_fields():
    e = Enclosure(Fraction(1), Fraction(3))
    assert (e.mid, e.width, e.is_exact) == (2, 2, False)
    assert str(Enclosure.exact("1/3")) == "1/3"
    assert "[" in str(spectral_norm([[1, 1], [0, 1]], dps=20))
