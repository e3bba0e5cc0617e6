"""Certified linear algebra: known values, defective matrices, precision scoping, and
hypothesis properties with certified comparisons."""
# Verifies: blog, linear algebra precursor (σ_max, ‖·‖₂, ρ); paper section 2.1 norms
from fractions import Fraction

import flint
import mpmath
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from numeric import (compare, max_eigenvalue, mp_singular_values, mp_spectral_norm,
                     mp_spectral_radius, singular_values, spectral_norm, spectral_radius)
from numeric.linalg import compare_norm
from numeric.matrices import as_exact, diag, matmul, transpose
from tests.strategies import rational_matrices, rational_matrix_pairs


def test_known_norms():
    assert spectral_norm([[3, 4], [0, 0]], exact=True).lo == 5
    phi = spectral_norm([[1, 1], [0, 1]], dps=60)
    assert phi.rel_width() < 1e-55
    with mpmath.workdps(80):
        true = (1 + mpmath.sqrt(5)) / 2
        assert phi.contains(true)


def test_norm_is_not_frobenius():
    # mpmath.norm(A, 2) on a matrix is the Frobenius norm sqrt(2); the spectral norm is 1
    assert spectral_norm(np.eye(2), exact=True).lo == 1
    assert mpmath.norm(mpmath.eye(2), 2) > 1.4


def test_repeated_and_zero_singular_values():
    assert [str(s) for s in singular_values(np.eye(3))] == ["1", "1", "1"]
    s = singular_values([[1, 1], [1, 1]])
    assert s[1].lo == 0 and s[0].contains(2)
    assert str(spectral_norm([[0, 0], [0, 0]])) == "0"


def test_singular_values_of_a_random_matrix_match_mpmath():
    A = np.random.default_rng(3).standard_normal((6, 6))
    cert = singular_values(A, dps=40)
    approx = mp_singular_values(A, dps=40)
    for e, a in zip(cert, approx):
        assert e.rel_width() < 1e-35
        assert abs(float(e.mid) - float(a)) < 1e-12


def test_spectral_radius_of_defective_and_nilpotent_matrices():
    assert str(spectral_radius([[0, 1], [0, 0]])) == "0"
    assert str(spectral_radius([[0, 1, 0], [0, 0, 1], [0, 0, 0]])) == "0"
    assert str(spectral_radius([[2, 1], [0, 2]])) == "2"
    assert str(spectral_radius([[Fraction(1, 2), 100], [0, Fraction(1, 2)]])) == "1/2"
    r = spectral_radius([[0, -1], [1, 0]], candidate=1)
    assert r.is_exact and r.lo == 1


def test_spectral_radius_of_a_random_matrix_matches_numpy():
    A = np.random.default_rng(4).standard_normal((10, 10))
    r = spectral_radius(A)
    assert r.rel_width() < 1e-45
    assert abs(float(r.mid) - max(abs(np.linalg.eigvals(A)))) < 1e-10
    assert abs(float(mp_spectral_radius(A)) - float(r.mid)) < 1e-30


def test_max_eigenvalue_needs_symmetric():
    assert max_eigenvalue([[2, 1], [1, 2]]).lo == 3
    with pytest.raises(Exception, match="symmetric"):
        max_eigenvalue([[1, 2], [0, 1]])


def test_precision_is_scoped():
    mp_before, fl_before = mpmath.mp.dps, flint.ctx.prec
    spectral_norm([[1, 2], [3, 4]], dps=300)
    spectral_radius([[1, 2], [3, 4]], dps=300)
    mp_spectral_norm([[1, 2], [3, 4]], dps=300)
    assert (mpmath.mp.dps, flint.ctx.prec) == (mp_before, fl_before)


def test_higher_precision_narrows():
    w50 = spectral_norm([[1, 2], [3, 4]], dps=50).width
    w100 = spectral_norm([[1, 2], [3, 4]], dps=100).width
    assert w100 < w50 * Fraction(1, 10**40)


# --- hypothesis properties with certified comparisons -----------------------------------
def _no_violation(c):
    """A certified comparison never certifies a violation; an overlap only when both
    enclosures are tiny (an equality that the tags could not identify)."""
    return c.decided or (c.lhs.rel_width() < 1e-40 and c.rhs.rel_width() < 1e-40)


@given(rational_matrix_pairs())
@example(([["1/4", "1/4"], ["1/4", "0/4"]], [["1/4", "1/4"], ["1/4", "0/4"]]))  # A = B symmetric
@example(([["4/4", "0/4"], ["0/4", "4/4"]], [["2/4", "1/4"], ["0/4", "3/4"]]))  # A = I
def test_submultiplicative(pair):
    # Verifies: blog.eq14.submult.corrected (‖AB‖ ≤ ‖A‖‖B‖)
    A, B = (as_exact(M) for M in pair)
    lhs = spectral_norm(matmul(A, B), exact=True)
    rhs = spectral_norm(A, exact=True) * spectral_norm(B, exact=True)
    c = compare(lhs, rhs)
    assert c.outcome != "greater" and _no_violation(c)


@given(rational_matrices(square=True))
@example([["0/4", "4/4"], ["0/4", "0/4"]])     # nilpotent: ρ = 0 < 1
@example([["0/4", "-4/4"], ["4/4", "0/4"]])    # rotation: ρ = σ_max = 1 (complex eigenvalues)
def test_radius_at_most_norm(A):
    # Verifies: blog.la.radius-vs-norm
    s = spectral_norm(A, exact=True)
    r = spectral_radius(A, exact=True, candidate=s.lo if s.is_exact else None)
    c = compare(r, s)
    assert c.outcome != "greater" and _no_violation(c)


@given(rational_matrices())
@example([["1/4", "2/4", "3/4"]])
def test_transpose_has_the_same_norm_exactly(A):
    # Verifies: blog.note.harmless (‖Aᵀ‖ = ‖A‖)
    Q = as_exact(A)
    assert compare(spectral_norm(Q, exact=True), spectral_norm(transpose(Q), exact=True)).equal


@given(rational_matrices(min_side=1, max_side=4).map(lambda m: m[0]))
@example(["-3/4", "1/4"])
def test_norm_of_diag_is_max_abs_exactly(v):
    # Verifies: paper.gamma (‖diag(σ')‖ = max|σ'|)
    top = max(abs(Fraction(x)) for x in v)
    assert compare(spectral_norm(diag(v), exact=True), top).equal


# ---------------------------------------------------------------- exact ‖A‖₂ against a rational
# compare_norm decides ‖A‖₂ ? c from the characteristic polynomial of c²I − AᵀA; the
# reference route is the certified enclosure with exact identification (spectral_norm(...,
# exact=True)) and a certified comparison. Where the reference decides, both must agree.
def _reference(A, c):
    return str(compare(spectral_norm(A, exact=True), Fraction(c)))


@given(rational_matrices(), st.sampled_from(["0", "1/4", "1/2", "1", "3/2", "2", "5/2", "4"]))
@example([["3", "4"], ["0", "0"]], "5")            # equality, rational norm
@example([["0", "1"], ["0", "0"]], "1")            # nilpotent, equality
@example([["0", "0"]], "0")                        # zero matrix, c = 0
@example([["1", "1"], ["0", "1"]], "1618034/1000000")  # golden ratio just below c
@example([["1", "1"], ["0", "1"]], "1618033/1000000")  # ... and just above c
def test_compare_norm_agrees_with_the_enclosures(A, c):
    ref = _reference(A, c)
    got = compare_norm(A, c)
    assert got in ("less", "equal", "greater")
    if ref != "undecided":
        assert got == ref, (A, c, got, ref)
    else:  # the enclosure contains c: only an exact tie or an algebraic norm near c
        assert got == "equal" or spectral_norm(A, dps=200).contains(c) is False


@given(rational_matrices(square=True))
def test_compare_norm_at_the_exact_norm_and_beside_it(A):
    e = spectral_norm(A, exact=True)
    if e.is_exact:                        # a rational norm: the tie is found exactly
        assert compare_norm(A, e.lo) == "equal"
    eps = Fraction(1, 10**12)
    assert compare_norm(A, e.hi + eps) == "less"
    if e.lo - eps >= 0:                   # a wrong, smaller candidate is refuted
        assert compare_norm(A, e.lo - eps) == "greater"
    assert compare_norm(flint.fmpq_mat([[flint.fmpq(x.numerator, x.denominator) for x in r]
                                        for r in as_exact(A)]), e.hi + eps) == "less"


def test_compare_norm_refuses_bad_input():
    with pytest.raises(Exception, match="NaN|nan|finite"):
        compare_norm([[1]], float("nan"))
    with pytest.raises(Exception):
        compare_norm([[1, 2], [3]], 1)
