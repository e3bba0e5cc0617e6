"""The primes of the randomized identity test, and the chance that one divides a number.

The ``R`` components of a point use ``R`` primes drawn uniformly at random from the primes
in ``[2^27, 2^28)`` (rejection sampling over odd numbers; primality by python-flint), so
that every product of two residues summed over ≤ 64 terms stays below 2^63 in int64.

>>> ps = random_primes(3, np.random.default_rng(0))
>>> len(ps), all(is_prime(p) and 2**27 <= p < 2**28 for p in ps)
(3, True)
"""
from __future__ import annotations

import math

import numpy as np

from rnnmodel.ring import is_prime

#: The primes are drawn from [2^(PRIME_BITS-1), 2^PRIME_BITS).
PRIME_BITS = 28


def random_primes(count: int, rng: np.random.Generator, bits: int = PRIME_BITS) -> tuple[int, ...]:
    """``count`` primes drawn independently and uniformly from the primes in
    ``[2^(bits-1), 2^bits)`` (uniform odd numbers, rejected until prime).

    >>> random_primes(2, np.random.default_rng(1)) == random_primes(2, np.random.default_rng(1))
    True
    """
    lo, hi = 2 ** (bits - 1), 2 ** bits
    out: list[int] = []
    while len(out) < count:
        c = int(rng.integers(lo // 2, hi // 2)) * 2 + 1
        if is_prime(c):
            out.append(c)
    return tuple(out)


def prime_count_lower_bound(bits: int = PRIME_BITS) -> int:
    """A proven lower bound on the number of primes in ``[2^(bits-1), 2^bits)``, from
    Rosser–Schoenfeld: ``x/ln x < π(x) < 1.25506 x/ln x`` (x ≥ 17).

    >>> prime_count_lower_bound(28) > 2**22
    True
    """
    hi, lo = 2.0 ** bits, 2.0 ** (bits - 1)
    return int(math.floor(hi / math.log(hi) - 1.25506 * lo / math.log(lo)))


def divisor_probability(height_bits: float, bits: int = PRIME_BITS) -> float:
    """Probability that a prime drawn uniformly from ``[2^(bits-1), 2^bits)`` divides a
    given nonzero integer of absolute value ≤ 2^height_bits: at most
    ``floor(height/(bits-1))`` such primes divide it.

    >>> divisor_probability(20.0), divisor_probability(300.0) < 2**-18
    (0.0, True)
    """
    return math.floor(max(height_bits, 0.0) / (bits - 1)) / prime_count_lower_bound(bits)


__all__ = ["PRIME_BITS", "is_prime", "random_primes", "prime_count_lower_bound", "divisor_probability"]
