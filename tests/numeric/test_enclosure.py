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


# -- how an enclosure prints: Arb style, never hiding its width, never claiming too much --
from fractions import Fraction as _F

from hypothesis import example as _example, given as _given, settings as _settings

from numeric.enclosure import TIE_HINT, Enclosure as _Enc, compare as _compare
from tests.strategies import enclosure_ends


def _parse(text):
    body = text.strip("[]")
    mid, rad = body.split(" +/- ")
    return mid, _F(rad)


@_settings(max_examples=300, deadline=None)
@_given(enclosure_ends())
@_example((_F(1, 3) - _F(1, 10**50), _F(1, 3) + _F(1, 10**50)))
@_example((_F(-3, 7), _F(-2, 7)))
@_example((_F(4999, 1000), _F(5001, 1000)))
def test_ball_text_contains_the_enclosure_and_shows_its_radius(ends):
    lo, hi = ends
    e = _Enc(lo, hi)
    mid, rad = _parse(str(e))
    assert rad >= (hi - lo) / 2  # the radius is never understated
    if mid.endswith("…"):
        # more certain digits than shown: the radius is the certified one, to 2 digits
        assert rad <= (hi - lo) / 2 * _F(11, 10) + _F(1, 10**200)
        m = _F(mid[:-1])
        assert abs(m - e.mid) <= abs(e.mid) * _F(1, 10**14) + rad
    else:
        m = _F(mid)
        assert m - rad <= lo and hi <= m + rad  # the printed ball contains [lo, hi]
    assert "/" not in str(e).replace("+/-", "")  # no wall of fractions


def test_str_shows_the_certified_width_not_a_point():
    from numeric.linalg import spectral_norm
    e = spectral_norm([[3, 4], [0, 0]], dps=50)
    text = str(e)
    assert text.startswith("[5.0000000000000") and "e-5" in text  # a radius near 1e-50
    assert repr(e) == f"<Enclosure {text}>"
    assert _Enc.exact("2/3").__str__() == "2/3"


def test_undecided_comparison_says_how_to_decide_an_exact_tie():
    from numeric.linalg import spectral_norm
    c = _compare(spectral_norm([[1, 0], [0, 1]]), 1)
    assert str(c) == "undecided" and TIE_HINT in c.method and "exact=True" in repr(c)
    assert str(_compare(spectral_norm([[1, 0], [0, 1]], exact=True), 1)) == "equal"
    # a decided comparison carries no hint
    assert TIE_HINT not in _compare(1, 2).method


def test_notebook_reprs():
    e = _Enc(_F(1), _F(2))
    assert e._repr_latex_() == r"$1.5 \pm 0.5$"
    assert e._repr_html_() == '<span class="enclosure">1.5 ± 0.5</span>'
    assert _Enc.exact("-4/3")._repr_latex_() == r"$-\tfrac{4}{3}$"
