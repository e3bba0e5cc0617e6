"""What a randomized identity test rests on, and its error bound.

If two sides differ as polynomials in the flattened variables (symbols, one variable per
distinct function application), the test misses it only if (1) in every trial i the
difference Δ (cleared of denominators) vanishes at the random point: probability ≤
``deg Δ / p_i + ρ(H)`` (Schwartz–Zippel, and ρ(H) the chance that the random prime divides
all coefficients of Δ, :func:`derive.primes.divisor_probability`); or (2) two different
argument expressions of one function take the same value in every trial (then σ(e) and
σ(e') are identified): probability ≤ ``C(N, 2) · Π_i (d_arg/p_i + ρ(h_arg))``.
:func:`error_bound_log2` is log2 of the sum; :func:`trials_needed` the number of trials
that brings it below ``2^TARGET_LOG2``. The bound holds for randomness drawn independently
of the input (:mod:`derive.seeds`).

>>> round(error_bound_log2([2**27 + 29] * 4, 10, 0.0, []), 1)
-94.7
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .modular_rnn import MAX_TRIALS
from .primes import PRIME_BITS, divisor_probability

#: Target error probability (log2): every ``proved`` verdict has ε ≤ 2^TARGET_LOG2.
TARGET_LOG2 = -100.0


@dataclass(frozen=True)
class Certificate:
    """What a randomized proof rests on; the same seed gives the same certificate.

    ``seed`` and ``replay`` (given by the caller rather than drawn from the operating
    system); ``degree``/``height_bits``: bounds on the tested difference polynomial;
    ``sites``: (function, argument sites looked up) pairs for the collision term;
    ``error_log2``: log2 of the bound ε on the probability that a false identity passes;
    ``digest``: SHA-256 of every random value drawn (point and function tables).

    >>> c = Certificate(0, (134217757,), 1, 3, 1.0, (), -20.5, "ab", "x")
    >>> c.error_log2, c.replay
    (-20.5, False)
    """

    seed: int
    primes: tuple[int, ...]
    trials: int
    degree: int
    height_bits: float
    sites: tuple[tuple[str, int], ...]
    error_log2: float
    digest: str
    checked: str
    replay: bool = False


def log2_sum(values) -> float:
    """log2 of a sum of powers of two given by their log2 (−inf terms ignored).

    >>> log2_sum([3.0, 3.0])
    4.0
    """
    vals = [v for v in values if v != -math.inf]
    if not vals:
        return -math.inf
    hi = max(vals)
    return hi + math.log2(sum(2.0 ** (v - hi) for v in vals))


def error_bound_log2(primes, degree: int, height_bits: float, sites) -> float:
    """log2 of ε = Π_i min(1, D/p_i + ρ(H)) + Σ_f C(N_f, 2) · Π_i min(1, d_f/p_i + ρ(h_f)),
    with ``sites`` a list of ``(N_f, d_f, h_f)`` (argument sites, their degree and height).

    >>> round(error_bound_log2([2**27 + 29] * 4, 10, 0.0, []), 1)
    -94.7
    """
    def per_trial(deg, h):
        return sum(math.log2(min(1.0, max(deg, 1) / p + divisor_probability(h))) for p in primes)

    main = per_trial(degree, height_bits)
    coll = []
    for N, d, h in sites:
        if N >= 2:
            coll.append(math.log2(N * (N - 1) / 2) + per_trial(d, h + 1.0))
    return log2_sum([main] + coll)


def trials_needed(degree: int, height_bits: float, sites, margin: float = 8.0) -> int:
    """Smallest R with ε ≤ 2^(TARGET − margin), using the worst prime 2^27.

    >>> trials_needed(10, 0.0, [])
    5
    """
    worst = 2 ** (PRIME_BITS - 1)
    for R in range(1, MAX_TRIALS + 1):
        if error_bound_log2([worst] * R, degree, height_bits, sites) <= TARGET_LOG2 - margin:
            return R
    return MAX_TRIALS



__all__ = ["TARGET_LOG2", "Certificate", "error_bound_log2", "trials_needed", "log2_sum"]
