"""Tests of the fast certified spectral norm (numeric/svd.py)."""
from fractions import Fraction

import numpy as np
import pytest

import numeric.svd as svd
from numeric.linalg import spectral_norm
from numeric.svd import ball_matrix, sigma_max
from rnncore.errors import InvalidInputError, NonFiniteError, ShapeError


def test_known_norms_are_enclosed_tightly():
    e = sigma_max([["1/2", "1/5"], ["1/5", "1/2"]])
    assert e.contains(Fraction(7, 10)) and not e.is_exact
    assert e.rel_width() < 1e-14
    d = sigma_max(np.diag([0.25, -3.0, 2.0]))
    assert d.contains(3) and d.rel_width() < 1e-14
    assert sigma_max([[5]]).contains(5)
    assert sigma_max([[0, 0], [0, 0]]).is_exact and sigma_max([[0, 0], [0, 0]]).lo == 0


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("shape", [(1, 1), (2, 2), (5, 5), (12, 12), (3, 7), (9, 4)])
def test_agrees_with_the_ldl_certificate(seed, shape):
    A = np.random.default_rng(seed).standard_normal(shape)
    fast = sigma_max(A)
    slow = spectral_norm(A, dps=30)  # narrower, except where the fast one is exact
    assert fast.overlaps(slow)
    inner, outer = (fast, slow) if fast.width < slow.width else (slow, fast)
    assert outer.lo <= inner.lo and inner.hi <= outer.hi
    assert fast.rel_width() < 1e-12


def test_float_array_and_its_exact_rationals_give_the_same_value():
    A = np.random.default_rng(7).standard_normal((6, 6))
    exact = [[Fraction(float(x)) for x in row] for row in A]
    a, b = sigma_max(A), sigma_max(exact)
    assert ball_matrix(A).exact_dyadic and ball_matrix(exact).exact_dyadic
    assert a.overlaps(b) and spectral_norm(exact, dps=30).lo >= max(a.lo, b.lo)


def test_integer_arrays_beyond_float_precision_are_exact():
    big = 2 ** 60 + 1
    e = sigma_max(np.array([[big, 0], [0, 1]], dtype=object).astype(np.int64))
    assert e.contains(big)


def test_rank_one_and_repeated_singular_values():
    u = np.arange(1.0, 6.0)
    A = np.outer(u, u)  # σ_max = ‖u‖² = 55, the others 0
    assert sigma_max(A).contains(55)
    Q = np.linalg.qr(np.random.default_rng(3).standard_normal((8, 8)))[0]
    e = sigma_max(2 * Q)  # all singular values near 2 (Q is only nearly orthogonal)
    assert e.overlaps(spectral_norm(2 * Q, dps=30))


def test_wrong_float_eigenvectors_still_give_a_true_enclosure(monkeypatch):
    A = np.random.default_rng(4).standard_normal((7, 7))
    truth = spectral_norm(A, dps=30)
    honest = sigma_max(A)
    # eigenvectors from another matrix: the residual checks widen the enclosure, never lie
    other = np.linalg.qr(np.random.default_rng(9).standard_normal((7, 7)))[0]
    monkeypatch.setattr(svd.np.linalg, "eigh", lambda M: (np.arange(7.0), other))
    wrong = sigma_max(A)
    assert wrong.lo <= truth.lo and truth.hi <= wrong.hi
    assert wrong.width > honest.width
    # a far-from-orthogonal basis: the Frobenius fallback (still an upper bound)
    monkeypatch.setattr(svd.np.linalg, "eigh", lambda M: (np.arange(7.0), 3 * np.eye(7)))
    fallback = sigma_max(A)
    assert fallback.hi == pytest.approx(float(np.linalg.norm(A)), rel=1e-12)
    assert fallback.lo <= truth.lo and truth.hi <= fallback.hi


@pytest.mark.parametrize("bad, error, words", [
    (np.array([[1.0, np.nan]]), NonFiniteError, "entry (0, 1)"),
    (np.array([[np.inf]]), NonFiniteError, "not finite"),
    (np.zeros((2, 2, 2)), ShapeError, "2-D"),
    (np.zeros((0, 3)), ShapeError, "empty"),
    (np.eye(2, dtype=complex), InvalidInputError, "complex"),
    (np.array([["a"]]), InvalidInputError, "dtype"),
    ([[1, "x"]], InvalidInputError, "'x'"),
])
def test_bad_input_is_one_clear_error(bad, error, words):
    with pytest.raises(error) as info:
        sigma_max(bad)
    assert words in str(info.value)


@pytest.mark.parametrize("scale", [1e300, 1e-300, 2.0 ** -1070])
def test_extreme_magnitudes_neither_overflow_nor_lose_the_certificate(scale):
    A = np.array([[1.0, 1.0], [0.0, 1.0]]) * scale
    e = sigma_max(A)
    golden = (1 + 5 ** 0.5) / 2
    assert e.lo <= Fraction(golden * 1.000001) * Fraction(scale)
    assert e.hi >= Fraction(golden * 0.999999) * Fraction(scale)
    assert e.lo > 0 and e.rel_width() < 1e-12
