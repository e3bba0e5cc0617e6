"""Tests of diagonal-scaling certificates (numeric/scaling.py)."""
from fractions import Fraction

import numpy as np
import pytest

import numeric.scaling as scaling
from numeric.scaling import check_scaling, find_scaling, search_scaling
from numeric.svd import sigma_max
from rnncore.errors import InvalidInputError, ShapeError

#: The example of the issue: σ_max ≈ 4.06, yet diag(1, 20) scales it to norm exactly 0.7.
W1 = [["1/2", 4], ["1/100", "1/2"]]


def _exact_product(W, diagonals):
    """∏ W diag(d) over the given diagonals (latest factor on the left), in Fractions."""
    n = len(W)
    W = [[Fraction(x) for x in row] for row in W]
    P = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
    for d in diagonals:
        J = [[W[i][j] * d[j] for j in range(n)] for i in range(n)]
        P = [[sum(J[i][k] * P[k][j] for k in range(n)) for j in range(n)] for i in range(n)]
    return P


def test_issue_example_is_certified_by_the_scaling_but_not_by_sigma_max():
    assert sigma_max(W1).lo > 4  # Pascanu's γσ_max < 1 test cannot decide it
    c = find_scaling(W1)
    assert c.s == (Fraction(1), Fraction(20)) and c.kappa == 20
    assert c.norm.contains(Fraction(7, 10)) and c.norm.rel_width() < 1e-14
    assert c.certifies and c.rate < Fraction(7001, 10000)
    assert c.bound(3) == 20 * c.rate ** 3


@pytest.mark.parametrize("seed", range(4))
def test_the_lemma_bounds_exact_products(seed):
    """‖∏ W D_i‖₂ ≤ κ(S) (γ‖SWS⁻¹‖₂)^{t−k}, checked on exact products with random D_i."""
    rng = np.random.default_rng(seed)
    c = find_scaling(W1)
    for steps in (1, 2, 5):
        ds = [[Fraction(int(rng.integers(0, 101)), 100) for _ in range(2)] for _ in range(steps)]
        P = _exact_product(W1, ds)
        assert sigma_max(P).hi <= c.bound(steps)
    # and the bound is not vacuous: with D = I the product really decays
    assert sigma_max(_exact_product(W1, [[1, 1]] * 8)).lo < 1


def test_a_scaling_that_does_not_certify_is_not_accepted():
    assert not check_scaling(W1, [1, 1]).certifies
    assert not check_scaling(W1, [1, 2]).certifies
    # sigmoid's γ = 1/4 certifies what tanh's γ = 1 cannot
    assert not check_scaling([[3, 0], [0, 3]], [1, 1]).certifies
    assert check_scaling([[3, 0], [0, 3]], [1, 1], gamma="1/4").certifies


def test_a_tampered_float_search_is_caught_by_the_exact_recheck(monkeypatch):
    monkeypatch.setattr(scaling, "search", lambda W, iterations: np.array([1.0, 1000.0]))
    c = find_scaling(W1)
    assert not c.certifies  # neither the wrong scaling nor the identity certifies
    # the float estimate lying (claiming norm 0) does not help either
    monkeypatch.setattr(scaling, "_norm_of", lambda W, logs: 0.0)
    assert not find_scaling(W1).certifies


def test_the_float_search_finds_the_perron_scaling():
    s = search_scaling(np.array([[0.5, 4.0], [0.01, 0.5]]))
    assert s[0] == pytest.approx(1) and s[1] == pytest.approx(20, rel=1e-6)


def test_a_badly_scaled_random_matrix_is_rescued():
    rng = np.random.default_rng(11)
    A = rng.standard_normal((24, 24))
    A *= 0.8 / np.linalg.norm(A, 2)
    d = np.exp(rng.uniform(-3, 3, 24))
    W = d[:, None] * A / d[None, :]
    assert sigma_max(W).lo > 1
    c = find_scaling(W)
    assert c.certifies and all(x > 0 for x in c.s)


@pytest.mark.parametrize("s, words", [([1], "has 1 entries"), ([1, 0], "not positive"),
                                      ([1, "-2"], "not positive")])
def test_bad_scalings(s, words):
    with pytest.raises(InvalidInputError) as info:
        check_scaling(W1, s)
    assert words in str(info.value)


def test_non_square_and_bad_gamma():
    with pytest.raises(ShapeError):
        find_scaling([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(InvalidInputError, match="gamma=0"):
        check_scaling(W1, [1, 20], gamma=0)
