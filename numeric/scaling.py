"""Diagonal-scaling certificates of vanishing gradients.

**Lemma.** Let ``S = diag(s)`` with every ``s_i > 0`` and ``κ(S) = max s / min s``. If every
diagonal matrix ``D_i`` has entries in ``[0, γ]`` (for ``σ′`` of tanh ``γ = 1``, of the
logistic sigmoid ``γ = 1/4``, of relu ``γ = 1``), then

    ‖∏_{i} W D_i‖₂ ≤ κ(S) · (γ ‖S W S⁻¹‖₂)^{t−k}      (t − k factors)

and the same holds for the products ``∏ D_i W`` of the other form. *Reason:* diagonal
matrices commute, so ``S (W D) S⁻¹ = (S W S⁻¹) D``; hence
``S (∏ W D_i) S⁻¹ = ∏ (S W S⁻¹) D_i``, whose norm is at most ``(‖S W S⁻¹‖₂ γ)^{t−k}``
(``‖D_i‖₂ ≤ γ``), and ``‖P‖₂ = ‖S⁻¹ (S P S⁻¹) S‖₂ ≤ ‖S⁻¹‖₂ ‖S P S⁻¹‖₂ ‖S‖₂`` with
``‖S‖₂ ‖S⁻¹‖₂ = κ(S)``. So ``γ ‖S W S⁻¹‖₂ < 1`` proves that every Jacobian product
``∂x_t/∂x_k`` vanishes geometrically along **every** trajectory, although ``γ σ_max(W)`` may
be far above 1 (``S = I`` is Pascanu's condition).

The scaling is *searched* in floating point (Perron vectors of ``|W|``: with
``s = sqrt(y/x)`` for the right and left Perron vectors ``x``, ``y``, ``‖S|W|S⁻¹‖₂ = ρ(|W|)``;
then a descent on ``log s``, whose gradient is ``σ₁(u_k² − v_k²)`` for the top singular
pair ``u, v``), rounded to **rational** ``s`` with small denominators, and **re-checked**:
``S W S⁻¹`` is formed exactly (rational entries ``s_i W_ij / s_j``, as balls) and its norm is
enclosed by :func:`numeric.svd.sigma_max`. A float result is never the certificate.

>>> W = [["1/2", 4], ["1/100", "1/2"]]
>>> c = check_scaling(W, [1, 20])
>>> c.norm.contains("7/10"), c.kappa, c.certifies
(True, Fraction(20, 1), True)
>>> check_scaling(W, [1, 1]).certifies   # S = I: σ_max(W) ≈ 4.06
False
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import numpy as np
from flint import arb, arb_mat, ctx, fmpq

from rnncore.errors import InvalidInputError, ShapeError

from .enclosure import Enclosure
from .matrices import exact_scalar
from .svd import PREC_BITS, BallMatrix, ball_matrix, sigma_max

#: Denominators tried when rounding a float scaling to rationals (smallest first).
DENOMINATORS = (1, 2, 4, 8, 10, 16, 20, 64, 100, 1000, 10**4, 10**6)
#: Largest ratio max s / min s the search may use.
MAX_KAPPA = 1e8


@dataclass(frozen=True)
class ScalingCertificate:
    """A diagonal scaling ``s`` (positive rationals) and what it certifies.

    ``norm``: certified enclosure of ``‖S W S⁻¹‖₂``; ``kappa``: ``max s / min s`` (exact);
    ``gamma``: the bound on ``|σ′|``; ``rate``: ``γ · norm.hi`` (an exact upper bound of the
    per-step factor); ``certifies``: ``rate < 1`` (the lemma of the module docstring).

    >>> c = check_scaling([[2, 0], [0, "1/2"]], [1, 1], gamma="1/4")
    >>> c.rate, c.bound(2)
    (Fraction(1, 2), Fraction(1, 4))
    """

    s: tuple[Fraction, ...]
    norm: Enclosure
    kappa: Fraction
    gamma: Fraction

    @property
    def rate(self) -> Fraction:
        """``γ · (upper end of ‖S W S⁻¹‖₂)``."""
        return self.gamma * self.norm.hi

    @property
    def certifies(self) -> bool:
        """True when ``γ ‖S W S⁻¹‖₂ < 1`` is certain."""
        return self.rate < 1

    def bound(self, steps: int) -> Fraction:
        """The certified bound ``κ(S) · rate^steps`` of ``‖∂x_t/∂x_k‖₂`` for ``t − k = steps``."""
        return self.kappa * self.rate ** steps


def _positive_rationals(s: Sequence[Any], n: int) -> tuple[Fraction, ...]:
    if len(s) != n:
        raise ShapeError(f"the scaling has {len(s)} entries; the matrix needs {n}")
    out = tuple(exact_scalar(x, f"scaling entry {i}") for i, x in enumerate(s))
    bad = [(i, x) for i, x in enumerate(out) if x <= 0]
    if bad:
        i, x = bad[0]
        raise InvalidInputError(f"scaling entry {i} = {x} is not positive; every s_i must be > 0")
    return out


def scaled_ball(W: Any, s: Sequence[Any]) -> BallMatrix:
    """``S W S⁻¹`` (entries ``s_i W_ij / s_j``) as balls containing the exact rational
    matrix, with a float copy.

    >>> m = scaled_ball([["1/2", 4], ["1/100", "1/2"]], [1, 20])
    >>> [Enclosure.from_arb(m.ball[i, j]).contains("1/5") for i, j in ((0, 1), (1, 0))]
    [True, True]
    """
    m = ball_matrix(W, "W")
    r, c = m.shape
    if r != c:
        raise ShapeError(f"a square matrix is needed for a scaling; got shape {r}x{c}")
    q = _positive_rationals(s, r)
    with ctx.workprec(PREC_BITS):
        sb = [arb(fmpq(x.numerator, x.denominator)) for x in q]
        inv = [1 / x for x in sb]
        flat = m.ball.entries()
        out = arb_mat(r, r)
        for i in range(r):
            for j in range(r):
                out[i, j] = flat[i * r + j] * sb[i] * inv[j]
    sf = np.array([float(x) for x in q])
    return BallMatrix(out, m.approx * sf[:, None] / sf[None, :], False)


def check_scaling(W: Any, s: Sequence[Any], gamma: Any = 1) -> ScalingCertificate:
    """Certify ``‖S W S⁻¹‖₂`` for a given positive rational scaling ``s`` (exact re-check).

    >>> check_scaling([[1, 0], [0, 1]], [1, -1])
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: scaling entry 1 = -1 is not positive; every s_i must be > 0
    """
    g = exact_scalar(gamma, "gamma")
    if g <= 0:
        raise InvalidInputError(f"gamma={g} is not positive; γ bounds |σ′| and must be > 0")
    m = ball_matrix(W, "W")
    q = _positive_rationals(s, m.shape[0])
    norm = sigma_max(scaled_ball(m, q))
    return ScalingCertificate(q, norm, max(q) / min(q), g)


def _top_pair(M: np.ndarray, v: np.ndarray, iters: int) -> tuple[float, np.ndarray, np.ndarray]:
    """Top singular triple by power iteration on MᵀM, warm-started at ``v``."""
    for _ in range(iters):
        v = M.T @ (M @ v)
        nv = np.linalg.norm(v)
        if nv == 0:
            break
        v = v / nv
    u = M @ v
    sig = float(np.linalg.norm(u))
    u = u / sig if sig > 0 else u
    return sig, u, v


def _norm_of(W: np.ndarray, logs: np.ndarray) -> float:
    """Float ‖S W S⁻¹‖₂ (an SVD for small n, power iteration beyond: a search heuristic)."""
    s = np.exp(logs)
    M = W * s[:, None] / s[None, :]
    if M.shape[0] <= 64:
        return float(np.linalg.norm(M, 2))
    start = np.ones(M.shape[0]) + np.linspace(0.0, 1.0, M.shape[0])
    return _top_pair(M, start / np.linalg.norm(start), 200)[0]


def _perron_logs(W: np.ndarray) -> np.ndarray:
    """``log sqrt(y/x)`` for the Perron vectors of a positive perturbation of ``|W|``."""
    n = W.shape[0]
    A = np.abs(W)
    A = A + (1e-12 * max(A.max(), 1e-300)) * np.ones((n, n))
    x = np.ones(n)
    y = np.ones(n)
    for _ in range(500):  # power iteration with a shift: A + cI has the same Perron vectors
        x2 = A @ x + x * A.max()
        y2 = A.T @ y + y * A.max()
        x2, y2 = x2 / x2.sum(), y2 / y2.sum()
        done = np.allclose(x2, x, rtol=1e-13, atol=0) and np.allclose(y2, y, rtol=1e-13, atol=0)
        x, y = x2, y2
        if done:
            break
    return 0.5 * (np.log(y) - np.log(x))


def search_scaling(W: np.ndarray, *, iterations: int = 200) -> np.ndarray:
    """A float scaling ``s`` (``min s = 1``) that makes ``‖S W S⁻¹‖₂`` small (no certificate).

    >>> s = search_scaling(np.array([[0.5, 4], [0.01, 0.5]]))
    >>> round(float(s[1] / s[0]), 3)
    20.0
    """
    W = np.asarray(W, dtype=np.float64)
    n = W.shape[0]
    cands = [np.zeros(n), _perron_logs(W)]
    logs = min(cands, key=lambda c: _norm_of(W, c))
    best, best_val = logs.copy(), _norm_of(W, logs)
    step = 0.5
    v = np.ones(n) / np.sqrt(n)
    for _ in range(iterations):
        s = np.exp(logs)
        M = W * s[:, None] / s[None, :]
        sig, u, v = _top_pair(M, v, 30)
        grad = sig * (u * u - v * v)
        gn = np.linalg.norm(grad)
        if gn == 0 or sig == 0:
            break
        trial = logs - step * grad / gn
        trial -= trial.min()
        trial = np.minimum(trial, np.log(MAX_KAPPA))
        val = _norm_of(W, trial) if n <= 64 else _top_pair(
            W * np.exp(trial)[:, None] / np.exp(trial)[None, :], v, 40)[0]
        if val < best_val:
            best, best_val, logs = trial, val, trial
            step *= 1.2
        else:
            step *= 0.5
            if step < 1e-9:
                break
    out = np.exp(best - best.min())
    return out


def _rounded(s: np.ndarray, den: int) -> tuple[Fraction, ...]:
    out = []
    for x in s:
        q = Fraction(float(x)).limit_denominator(den)
        out.append(q if q > 0 else Fraction(1, den))
    return tuple(out)


def scaled_norm_estimate(W: np.ndarray, s: np.ndarray) -> float:
    """Float estimate of ``‖S W S⁻¹‖₂`` (no certificate).

    >>> round(scaled_norm_estimate(np.array([[0.5, 4], [0.01, 0.5]]), np.array([1.0, 20.0])), 6)
    0.7
    """
    return _norm_of(np.asarray(W, dtype=np.float64), np.log(np.asarray(s, dtype=np.float64)))


def find_scaling(W: Any, gamma: Any = 1, *, iterations: int = 200, max_checks: int = 2,
                 start: np.ndarray | None = None, identity: bool = True) -> ScalingCertificate:
    """Search a diagonal scaling in float (or take ``start``), round it to rationals with
    small denominators, and re-check it exactly (:func:`check_scaling`). Returns the best
    certificate checked (see ``.certifies``: it may not certify). With ``identity`` the
    identity scaling is among the candidates, so the result is never worse than Pascanu's
    σ_max test up to the width of enclosures.

    >>> c = find_scaling([["1/2", 4], ["1/100", "1/2"]])
    >>> c.s, c.certifies, c.norm.contains("7/10")
    ((Fraction(1, 1), Fraction(20, 1)), True, True)
    """
    m = ball_matrix(W, "W")
    r, c = m.shape
    if r != c:
        raise ShapeError(f"a square matrix is needed for a scaling; got shape {r}x{c}")
    s = search(m.approx, iterations=iterations) if start is None else np.asarray(start, float)
    target = _norm_of(m.approx, np.log(s)) * (1 + 1e-6) + 1e-300
    tried: list[ScalingCertificate] = []
    for den in DENOMINATORS:
        q = _rounded(s, den)
        val = _norm_of(m.approx, np.log(np.array([float(x) for x in q])))
        if val > target and den != DENOMINATORS[-1]:
            continue
        cert = check_scaling(m, q, gamma)
        tried.append(cert)
        if cert.certifies or len(tried) >= max_checks:
            break
        target = val * (1 - 1e-9)  # the next try must be a finer, better scaling
    if identity and not (tried and tried[-1].certifies):
        tried.append(check_scaling(m, [1] * r, gamma))
    return min(tried, key=lambda x: (not x.certifies, x.rate))


#: The float search used by :func:`find_scaling` (a module attribute so tests can replace it
#: by a wrong search and see the exact re-check reject the result).
search = search_scaling

__all__ = ["ScalingCertificate", "check_scaling", "find_scaling", "search_scaling", "scaled_ball",
           "scaled_norm_estimate",
           "DENOMINATORS"]
