"""Instance generators: seeded, exact, and the adversarial search finds the boundary."""
from fractions import Fraction

import numpy as np

from numeric.instances import (adversarial_search, random_diagonal, random_matrices,
                               structured_matrices)


def test_random_is_seeded_and_exact():
    a = random_matrices(3, 4, seed=7)
    assert a == random_matrices(3, 4, seed=7) != random_matrices(3, 4, seed=8)
    assert all(isinstance(x, Fraction) for M in a for r in M for x in r)


def test_diagonal_values_lie_in_the_range_of_sigma_prime():
    for v in random_diagonal(4, 10, top=Fraction(1, 4), strict=True):
        assert all(0 < d < Fraction(1, 4) for d in v)


def test_structured_names():
    names = [n for n, _ in structured_matrices(3)]
    for want in ("identity", "orthogonal", "nilpotent", "jordan 1", "rank-1", "symmetric"):
        assert any(want in n for n in names)


def test_adversarial_search_pushes_the_ratio_up():
    # ‖WD‖/(‖W‖‖D‖) for 2x2 W and d in (0, 1]: the supremum 1 is approached
    def ratio(v):
        W, d = v[:4].reshape(2, 2), np.clip(np.abs(v[4:]) / 2, 1 / 64, 1)
        den = np.linalg.norm(W, 2) * d.max()
        return np.linalg.norm(W * d, 2) / den if den else 0.0

    best = adversarial_search(ratio, (6,), seed=0, iters=300)[0]
    W = np.array([float(x) for x in best[:4]]).reshape(2, 2)
    d = np.clip(np.abs([float(x) for x in best[4:]]) / 2, 1 / 64, 1)
    assert ratio(np.array([float(x) for x in best])) > 0.99
    assert W.shape == (2, 2) and d.shape == (2,)


def _matrix(M):
    return np.array([[float(x) for x in row] for row in M])


def test_adversarial_structure_is_among_the_structured_instances():
    S = dict(structured_matrices(3))
    nil2 = _matrix(S["nilpotent σ_max 2"])
    assert np.allclose(nil2 @ nil2 @ nil2, 0) and np.isclose(np.linalg.norm(nil2, 2), 2)
    assert np.linalg.matrix_rank(_matrix(S["rank-deficient"])) == 2
    nn = _matrix(S["non-normal ρ = σ_max"])
    assert not np.allclose(nn @ nn.T, nn.T @ nn)
    assert np.isclose(max(abs(np.linalg.eigvals(nn))), np.linalg.norm(nn, 2))
    assert "non-normal ρ = σ_max" not in dict(structured_matrices(2))


def test_the_restarts_reach_the_equality_case_exactly():
    # ‖WD‖/(‖W‖‖D‖) = 1 when D is a multiple of I: the constant start is such a point
    def ratio(v):
        W, d = v[:4].reshape(2, 2), np.clip(np.abs(v[4:]) / 2, 1 / 64, 1)
        den = np.linalg.norm(W, 2) * d.max()
        return float(np.linalg.norm(W * d, 2) / den) if den > 0 else 0.0

    best = adversarial_search(ratio, (6,), seed=3, iters=40)
    assert ratio(np.array([float(x) for x in best[0]])) >= 1 - 1e-12
    only_random = adversarial_search(ratio, (6,), seed=3, iters=40, starts=("random",))
    assert len(only_random) >= 1
