"""Matrix input: exact conversion of every accepted type, and bad input errors."""
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import example, given

from numeric import singular_values, spectral_norm, spectral_radius
from numeric.matrices import as_exact, check_dps, exact_scalar
from rnncore.errors import InvalidInputError, NonFiniteError, PrecisionError, ShapeError
from tests.strategies import rational_matrix_pairs


def test_every_input_type_converts_exactly():
    want = ((Fraction(1), Fraction(1, 3)), (Fraction(1, 2), Fraction(-2)))
    assert as_exact([[1, "1/3"], [0.5, -2]]) == want
    assert as_exact([[Fraction(1), Fraction(1, 3)], [Fraction(1, 2), -2]]) == want
    assert as_exact(sp.Matrix([[1, sp.Rational(1, 3)], [sp.Rational(1, 2), -2]])) == want
    assert as_exact(np.array([[1.0, 0.25], [0.5, -2.0]]))[0][1] == Fraction(1, 4)
    with mpmath.workdps(30):
        M = mpmath.matrix([[1, 0.25], [0.5, -2]])
    assert as_exact(M)[1][1] == -2


def test_float_is_its_exact_dyadic_value():
    assert exact_scalar(0.1) == Fraction(0.1) != Fraction(1, 10)


@pytest.mark.parametrize("bad, cls, words", [
    ([[1, 2]], ShapeError, "square"),
    ([], ShapeError, "empty"),
    ([[]], ShapeError, "empty"),
    ([[1, 2], [3]], ShapeError, "different lengths"),
    ([[float("nan"), 1], [1, 1]], NonFiniteError, "nan"),
    ([[float("inf"), 1], [1, 1]], NonFiniteError, "inf"),
    (np.array([[np.inf, 0], [0, 1]]), NonFiniteError, "inf"),
    ([["nan", 1], [1, 1]], NonFiniteError, "nan"),
    ([["__import__('os')", 1], [1, 1]], InvalidInputError, "not a number"),
    ([["1e99999999", 1], [1, 1]], InvalidInputError, "not a number"),
    ([[1 + 2j, 1], [1, 1]], InvalidInputError, "complex"),
    ([[sp.sqrt(2), 1], [1, 1]], InvalidInputError, "not a rational"),
    (np.zeros((2, 2, 2)), ShapeError, "2-D"),
    ("[[1]]", ShapeError, "matrix is needed"),
])
def test_bad_matrices_raise_clear_errors(bad, cls, words):
    with pytest.raises(cls, match=words):
        spectral_radius(bad)


@pytest.mark.parametrize("dps", [14, 10001, 0, -5, 50.0, "50", True])
def test_bad_precision_is_rejected(dps):
    with pytest.raises(PrecisionError, match="15 <= dps <= 10000"):
        spectral_norm([[1]], dps=dps)
    with pytest.raises(PrecisionError):
        singular_values([[1]], dps=dps)


def test_precision_bounds_are_allowed():
    assert check_dps(15) == 15 and check_dps(10000) == 10000


def test_non_square_is_fine_where_square_is_not_needed():
    assert spectral_norm([[3, 4]], dps=20).contains(5)
    with pytest.raises(ShapeError, match="1x2"):
        spectral_radius([[3, 4]])


def test_huge_mpf_exponent_is_rejected_fast():
    with pytest.raises(InvalidInputError, match="exponent"):
        spectral_norm([[mpmath.mpf(2) ** (10**9)]])


@given(rational_matrix_pairs())
@example(([["0"]], [["0"]]))
def test_matmul_is_the_exact_sum_of_products(pair):
    # the product runs on python-flint rational matrices; the reference is the sum of
    # Fraction products, entry by entry
    from numeric.matrices import matmul
    P, Q = (as_exact(M) for M in pair)
    ref = tuple(tuple(sum((a * b for a, b in zip(r, c)), Fraction(0)) for c in zip(*Q)) for r in P)
    got = matmul(P, Q)
    assert got == ref and all(type(x) is Fraction for r in got for x in r)
    assert matmul(((1, 2),), ((Fraction(1, 3),), (Fraction(1, 2),))) == ((Fraction(4, 3),),)
