"""Test instances of three kinds: random (seeded), structured, adversarial.

Every instance is an exact rational matrix, so each check runs on a value it can
re-check exactly. ``random_matrices`` draws entries ``k/8``; ``structured_matrices``
lists the cases where equalities and edge effects live (identity, scalar, diagonal,
rank-1, orthogonal, symmetric, nilpotent, Jordan blocks, zero, permutation, a nilpotent
with σ_max = 2, a rank-deficient one, a non-normal one with ρ = σ_max);
``adversarial_search`` is a hypothesis-free seeded hill-climb, restarted from random,
sparse and constant points, that pushes an objective (e.g. ``‖WD‖ / (‖W‖‖D‖)``) toward its
supremum — the boundary and the equality cases — on a rational grid, returning the best
rational points found for certification.

>>> [name for name, _ in structured_matrices(2)][:3]
['identity', 'scalar 3/2', 'diagonal']
>>> len(random_matrices(2, 4, seed=1))
4
"""
from __future__ import annotations

import random
from fractions import Fraction
from typing import Callable

import numpy as np

from .decay import rational_orthogonal
from .matrices import ExactMatrix, diag, identity, scale

F = Fraction


def random_matrices(n: int, count: int, *, seed: int = 0, cols: int | None = None,
                    den: int = 8, span: int = 16) -> list[ExactMatrix]:
    """``count`` seeded random ``n×cols`` matrices with entries ``k/den``, |k| ≤ span.

    >>> random_matrices(1, 1, seed=0)
    [((Fraction(-1, 1),),)]
    """
    rng = random.Random(seed * 1_000_003 + n)
    c = n if cols is None else cols
    return [
        tuple(tuple(F(rng.randint(-span, span), den) for _ in range(c)) for _ in range(n))
        for _ in range(count)
    ]


def random_diagonal(n: int, count: int, *, seed: int = 0, top: Fraction = F(1),
                    strict: bool = False) -> list[tuple[Fraction, ...]]:
    """Seeded diagonal values in ``(0, top]`` (``(0, top)`` when ``strict``), the range
    of ``σ'`` (``top = γ``): every such rational ``d`` is ``σ'(x)`` for some real ``x``.

    >>> all(0 < d <= 1 for v in random_diagonal(3, 2) for d in v)
    True
    """
    rng = random.Random(seed * 7919 + n)
    hi = 99 if strict else 100
    return [tuple(top * F(rng.randint(1, hi), 100) for _ in range(n)) for _ in range(count)]


def structured_matrices(n: int) -> list[tuple[str, ExactMatrix]]:
    """Named structured ``n×n`` matrices (exact).

    >>> dict(structured_matrices(2))["nilpotent"]
    ((Fraction(0, 1), Fraction(1, 1)), (Fraction(0, 1), Fraction(0, 1)))
    """
    Z = F(0)
    out: list[tuple[str, ExactMatrix]] = [
        ("identity", identity(n)),
        ("scalar 3/2", scale(identity(n), F(3, 2))),
        ("diagonal", diag([F(k + 1, 2) * (-1) ** k for k in range(n)])),
        ("rank-1", tuple(tuple(F(i + 1) * F(j - 1, 2) for j in range(n)) for i in range(n))),
        ("orthogonal", rational_orthogonal(n, random.Random(n))),
        ("symmetric", tuple(tuple(F(min(i, j) + 1, max(i, j) + 2) for j in range(n))
                            for i in range(n))),
        ("nilpotent", tuple(tuple(F(1) if j == i + 1 else Z for j in range(n))
                            for i in range(n))),
        ("jordan 1/2 (big off-diagonal)", tuple(
            tuple(F(1, 2) if i == j else (F(10) if j == i + 1 else Z) for j in range(n))
            for i in range(n))),
        ("jordan 1", tuple(tuple(F(1) if j in (i, i + 1) else Z for j in range(n))
                           for i in range(n))),
        ("zero", tuple(tuple(Z for _ in range(n)) for _ in range(n))),
        ("permutation", tuple(tuple(F(1) if j == (i + 1) % n else Z for j in range(n))
                              for i in range(n))),
        # adversarial structure: a nilpotent W with σ_max = 2 (products vanish exactly while
        # the norms multiply to 2^k), a rank-deficient one (last row repeats the first), and
        # for n >= 3 a non-normal matrix with ρ = σ_max (diag(2) ⊕ a nilpotent block)
        ("nilpotent σ_max 2", tuple(tuple(F(2) if j == i + 1 else Z for j in range(n))
                                    for i in range(n))),
        ("rank-deficient", tuple(tuple(F(int(i == j)) if i < n - 1 else F(int(j == 0))
                                       for j in range(n)) for i in range(n))),
    ]
    if n >= 3:
        out.append(("non-normal ρ = σ_max", tuple(
            tuple(F(2) if i == j == 0 else (F(1) if (i >= 1 and j == i + 1) else Z)
                  for j in range(n)) for i in range(n))))
    return out


def adversarial_search(
    objective: Callable[[np.ndarray], float],
    shape: tuple[int, ...],
    *,
    seed: int = 0,
    iters: int = 300,
    den: int = 64,
    keep: int = 3,
    starts: tuple[str, ...] = ("random", "sparse", "constant"),
) -> list[tuple[Fraction, ...]]:
    """Seeded hill-climb maximising ``objective(x)`` (float64, uncertified) over vectors
    ``x`` of ``prod(shape)`` entries on the grid ``k/den``, ``|x_i| ≤ 2``. Returns the
    ``keep`` best distinct points as exact rationals; the caller certifies them.

    The climb restarts from each of ``starts``: a random point, a *sparse* one (a single
    nonzero entry: rank-one, nilpotent-like structure where equality cases live) and a
    *constant* one (all entries equal: rank one, the boundary of many bounds), so the search
    reaches structured regions a random start rarely finds. Moves that keep the objective
    (``fy >= fx``) are taken, so a climb walks along an equality plateau.

    >>> pts = adversarial_search(lambda v: -abs(v[0] - 0.5), (1,), iters=200)
    >>> pts[0]
    (Fraction(1, 2),)
    >>> adversarial_search(lambda v: 0.0, (2,), starts=("nowhere",))
    Traceback (most recent call last):
    ...
    ValueError: unknown start 'nowhere'; use random, sparse or constant
    """
    rng = np.random.default_rng(seed)
    size = int(np.prod(shape))
    best: dict[tuple[int, ...], float] = {}
    for start in starts:
        if start == "random":
            x = rng.integers(-den, den + 1, size)
        elif start == "sparse":
            x = np.zeros(size, dtype=np.int64)
            x[rng.integers(0, size)] = den
        elif start == "constant":
            x = np.full(size, den // 2, dtype=np.int64)
        else:
            raise ValueError(f"unknown start {start!r}; use random, sparse or constant")
        _climb(objective, x, rng, iters, den, best)
    ranked = sorted(best.items(), key=lambda kv: -kv[1])[:keep]
    return [tuple(F(v, den) for v in k) for k, _ in ranked]


def _climb(objective, x, rng, iters: int, den: int, best: dict) -> None:
    """One hill-climb from ``x`` (grid integers), recording every accepted point in ``best``."""
    size = len(x)
    fx = objective(x / den)
    step = den // 2
    for i in range(iters):
        y = x.copy()
        j = rng.integers(0, size)
        y[j] = min(max(int(y[j] + rng.integers(-step, step + 1)), -2 * den), 2 * den)
        fy = objective(y / den)
        if np.isfinite(fy) and fy >= fx:
            x, fx = y, fy
            best[tuple(int(v) for v in x)] = fx
        if i % 50 == 49:
            step = max(1, step // 2)
    if np.isfinite(fx):
        best[tuple(int(v) for v in x)] = fx


__all__ = ["random_matrices", "random_diagonal", "structured_matrices", "adversarial_search"]
