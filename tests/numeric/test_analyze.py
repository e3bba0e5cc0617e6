"""Tests of the vanishing / exploding analysis of trained weights (numeric/analyze.py)."""
from fractions import Fraction

import numpy as np
import pytest
from flint import arb, ctx, fmpq

from numeric.analyze import (EXPLODING, UNDECIDED, VANISHING, analyze, certify_growth,
                             product_norms, search_growth)
from numeric.enclosure import Enclosure
from numeric.linalg import spectral_radius
from numeric.svd import sigma_max
from rnncore.errors import InvalidInputError, ShapeError
from rnncore.results import MethodKind

W1 = [["1/2", 4], ["1/100", "1/2"]]
W2 = [[3, "3/2"], [-4, "-9/5"]]


def _exact_power(W, d, k):
    n = len(W)
    J = [[Fraction(W[i][j]) * d[j] for j in range(n)] for i in range(n)]
    P = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
    for _ in range(k):
        P = [[sum(J[i][m] * P[m][j] for m in range(n)) for j in range(n)] for i in range(n)]
    return P


def _ball(e: Enclosure):
    lo, hi = (arb(fmpq(v.numerator, v.denominator)) for v in (e.lo, e.hi))
    return arb((lo + hi) / 2, (hi - lo) / 2)


def test_first_example_vanishes_through_the_scaling_not_sigma_max():
    a = analyze(W1)
    assert a.verdict == VANISHING and a.certificate == "diagonal-scaling"
    assert a.gamma * a.sigma_max.lo > 1  # the σ_max test alone is undecided
    assert a.scaling.s == (1, 20) and a.kappa == 20 and a.rate < Fraction(7001, 10000)
    assert a.method.kind is MethodKind.CERTIFIED
    assert a.scope.span("n").hi == 2 and a.scope.span("T").every
    assert a.scope.forms == ("A", "B") and a.inputs_anywhere
    assert a.bound(10) == 20 * a.rate ** 10


def test_second_example_can_explode_although_rho_is_below_one():
    assert spectral_radius(W2).hi < 1  # ρ(W) ≈ 0.775 < 1/γ
    a = analyze(W2)
    assert a.verdict == EXPLODING and a.certificate == "fixed-state"
    g = a.growth
    assert g.rho_lower > 1 and g.inputs is None and a.inputs_anywhere
    assert all(0 < d <= 1 for d in g.diagonal)
    # re-check the trace certificate exactly: |tr P^k| > n and ρ_lower^k · n <= |tr P^k|
    P = _exact_power(W2, g.diagonal, g.power)
    tr = P[0][0] + P[1][1]
    assert abs(tr) > 2 and g.trace.contains(tr) and g.rho_lower ** g.power * 2 <= abs(tr)
    # the state is a real state with tanh'(x*) = d (checked in ball arithmetic)
    with ctx.workprec(200):
        for x, d in zip(g.state, g.diagonal):
            assert (1 - _ball(x).tanh() ** 2).overlaps(arb(fmpq(d.numerator, d.denominator)))


def test_second_example_grows_past_a_billion_in_twenty_steps_near_0_2_99():
    d = (Fraction(1), Fraction(1, 100))  # 1 − tanh(2.99)² ≈ 0.0100
    P = _exact_power(W2, d, 20)
    assert sigma_max(P).lo > 4 * 10 ** 9
    assert product_norms(W2, d, 20)[-1] > 4e9


def test_with_bounded_inputs_the_holding_input_is_certified_in_range():
    a = analyze(W2, W_in=np.eye(2), input_range=(-10, 10))
    assert a.verdict == EXPLODING and not a.inputs_anywhere and a.scope.forms == ("A",)
    g = a.growth
    for u in g.inputs + g.reach_inputs:
        assert -10 < u.lo and u.hi < 10
    # recompute the holding input x* − W tanh(x*) (W_in = I) from the state's enclosures
    with ctx.workprec(200):
        xs = [_ball(x) for x in g.state]
        for i in range(2):
            u = xs[i] - sum(arb(fmpq(Fraction(W2[i][j]).numerator, Fraction(W2[i][j]).denominator))
                            * xs[j].tanh() for j in range(2))
            assert u.overlaps(_ball(g.inputs[i]))
            # and the reaching input from x_0 = 0 is x* itself
            assert xs[i].overlaps(_ball(g.reach_inputs[i]))


def test_with_narrow_inputs_it_is_undecided_not_exploding():
    a = analyze(W2, W_in=np.eye(2), input_range=(-1, 1))
    assert a.verdict == UNDECIDED and a.method.kind is MethodKind.NONE
    assert a.growth is None and a.scaling is not None and not a.scaling.certifies
    assert a.rho_estimate > 1  # it saw growth, it just could not realize it


def test_a_neutral_rotation_is_undecided_with_the_numbers():
    a = analyze([[0, 1], [-1, 0]])  # ρ(W D) = sqrt(d1 d2) <= 1, σ_max = 1
    assert a.verdict == UNDECIDED and a.certificate == "none"
    assert a.sigma_max.contains(1) and a.rate >= 1
    assert a.rho_estimate <= 1


@pytest.mark.parametrize("activation, W, verdict, certificate", [
    ("sigmoid", [[3, 0], [0, 3]], VANISHING, "spectral-norm"),     # γ = 1/4
    ("sigmoid", [["9/2", 0], [0, 1]], EXPLODING, "fixed-state"),   # σ′ = 1/4 at 0: ρ = 9/8
    ("relu", [[0, 2], [2, 0]], EXPLODING, "fixed-state"),
    ("relu", [["1/2", 0], [0, "1/2"]], VANISHING, "spectral-norm"),
    ("tanh", [["1/2", 4], ["1/100", "1/2"]], VANISHING, "diagonal-scaling"),
])
def test_activations(activation, W, verdict, certificate):
    a = analyze(W, activation)
    assert (a.verdict, a.certificate) == (verdict, certificate)
    if a.growth is not None:
        gamma = a.gamma
        if activation == "relu":
            assert set(a.growth.diagonal) <= {0, gamma}
        else:
            assert all(0 < d <= gamma for d in a.growth.diagonal)


def test_certify_growth_rejects_a_diagonal_that_does_not_grow():
    assert certify_growth(W2, [1, 1]) is None  # ρ(W) < 1: the trace test cannot pass
    assert certify_growth(W2, [1, "1/100"])[2] > 1


def test_search_finds_the_saturating_state():
    d, rho = search_growth(np.array([[3.0, 1.5], [-4.0, -1.8]]))
    assert rho > 2.9 and d[0] == 1.0 and d[1] < 0.01


def test_a_random_contractive_network_vanishes_for_every_activation():
    rng = np.random.default_rng(0)
    W = rng.standard_normal((20, 20))
    W *= 0.9 / np.linalg.norm(W, 2)
    for act in ("tanh", "sigmoid", "relu"):
        a = analyze(W, act)
        assert a.verdict == VANISHING and a.rate < 1


def test_bad_input():
    with pytest.raises(InvalidInputError, match="'softsign'"):
        analyze(W1, "softsign")
    with pytest.raises(ShapeError, match="square"):
        analyze([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(InvalidInputError, match="needs W_in"):
        analyze(W1, input_range=(0, 1))
    with pytest.raises(InvalidInputError, match="empty"):
        analyze(W1, W_in=np.eye(2), input_range=(1, 0))
    with pytest.raises(ShapeError, match="rows"):
        analyze(W1, W_in=np.eye(3), input_range=(0, 1))


def _exact_matrix_power(P, k):
    n = len(P)
    result = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
    base = P
    while k:
        if k & 1:
            result = [[sum(result[i][m] * base[m][j] for m in range(n)) for j in range(n)]
                      for i in range(n)]
        base = [[sum(base[i][m] * base[m][j] for m in range(n)) for j in range(n)] for i in range(n)]
        k >>= 1
    return result


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_verdicts_are_consistent_with_exact_rechecks(seed, activation):
    """Whatever the verdict, its certificate survives an independent exact re-check, and a
    vanishing verdict leaves no diagonal that the growth certificate could accept."""
    rng = np.random.default_rng(seed)
    scale = [0.5, 1.5, 3.0, 6.0][seed % 4]
    W = rng.standard_normal((3, 3)) * scale / np.sqrt(3)
    Wq = [[Fraction(float(x)) for x in row] for row in W]
    a = analyze(W, activation)
    gamma = a.gamma
    if a.verdict == VANISHING:
        for _ in range(3):
            ds = [[gamma * Fraction(int(rng.integers(0, 65)), 64) for _ in range(3)] for _ in range(4)]
            P = [[Fraction(int(i == j)) for j in range(3)] for i in range(3)]
            for d in ds:
                J = [[Wq[i][j] * d[j] for j in range(3)] for i in range(3)]
                P = [[sum(J[i][m] * P[m][j] for m in range(3)) for j in range(3)] for i in range(3)]
            assert sigma_max(P).hi <= a.bound(4)
            assert certify_growth(W, ds[0]) is None
    elif a.verdict == EXPLODING:
        g = a.growth
        P = [[Wq[i][j] * g.diagonal[j] for j in range(3)] for i in range(3)]
        Pk = _exact_matrix_power(P, g.power)
        tr = sum(Pk[i][i] for i in range(3))
        assert g.trace.contains(tr) and abs(tr) > 3 and g.rho_lower ** g.power * 3 <= abs(tr)
    else:
        assert a.method.kind is MethodKind.NONE and a.reason
