"""Randomized polynomial identity tests (Schwartz–Zippel) with stated error probability.

Both sides of an identity are evaluated at a random point of the ring
``GF(p_1) × … × GF(p_R)`` (:mod:`derive.modular`): R independent "trials", each with its
own prime drawn uniformly from the primes in ``[2^27, 2^28)`` and its own uniform values.
σ, σ' and the loss partials get independent uniform values at each distinct argument
value (a memo), so every evaluation is a genuine evaluation with *functions* σ, σ'.

What is proved
    Each side is a polynomial in "flattened" variables: the symbols, and one variable per
    distinct function application σ(e), σ'(e), ∂L/∂x_i(x_t) (whatever the argument e). If
    the two sides are equal as such polynomials, they are equal for every σ, σ', L — for
    tanh, sigmoid and relu too — and the test always says so (no false refutation). If
    they differ, the test misses it only if

    1. in every trial i, the difference Δ (cleared of denominators) vanishes at the
       point: probability ≤ ``deg Δ / p_i`` (Schwartz–Zippel) ``+ ρ(H)``, where ρ(H) is
       the chance that the random prime divides all coefficients of Δ (a nonzero integer
       ≤ 2^H is divisible by at most ⌊H/27⌋ primes ≥ 2^27, out of ≥ 4.8·10^6 primes in the
       range — :func:`derive.modular.divisor_probability`); or
    2. two *different* argument expressions of one function take the same value in every
       trial (then the memo identifies σ(e) with σ(e')): probability ≤
       ``C(N, 2) · Π_i (d_arg/p_i + ρ(h_arg))`` for N argument sites of degree ≤ d_arg.

    The degree and coefficient-size bounds are tracked exactly alongside the values
    (:class:`derive.modular.Bound`): every node of the candidate, every step of the
    forward differentiation. So ``ε = Π_i (D/p_i + ρ(H)) + Σ_functions C(N, 2) Π_i (…)``
    is a rigorous bound for the candidates and the network actually evaluated; the
    number of trials R is chosen so that ε ≤ 2^-100 (re-run once with more trials if the
    measured degrees ask for it; otherwise ``undecided``). The certificate
    (:class:`Certificate`) records seed, primes, trials, degree, ε and a SHA-256 digest of
    every random value drawn: the same seed reproduces the same certificate. (The point
    comes from numpy's seeded PCG64 generator and the function values from a keyed
    BLAKE2b hash of the argument; as with any pseudo-random source, the bound is the one
    for truly uniform values.)

    Jacobian checks compare ``rᵀ C(t, k) s`` with ``rᵀ J(t, k) s`` for random vectors r, s
    (two more variables of degree 1 each: a nonzero matrix Δ gives a nonzero polynomial
    rᵀ Δ s), where ``J(t, k) s`` comes from forward differentiation of the unrolled network
    with tangent seed s and ``C(t, k) s`` from applying the candidate's (lazy) matrix
    expression to s. A failing pair is then evaluated in full to name the entry.

Refutations
    A trial where the sides differ proves the sides differ as formal expressions. For the
    generic σ (and L) that is a refutation: a smooth σ with the needed values at finitely
    many distinct real points exists. The counterexample carries the whole ring point
    (``Counterexample.data``) and :func:`recheck_jacobian` re-evaluates it. At small sizes
    the exact path (:func:`derive.jacobian.check_jacobian` with ``method="exact"``) is also
    asked for a rational counterexample. For tanh, sigmoid and relu a formal difference
    does not by itself refute the real function (see :mod:`derive.modular`): the pair is
    then evaluated at exact dyadic rational points with the real activation in certified
    ball arithmetic (:func:`real_counterexample`); disjoint enclosures of the two entries
    are a certified refutation, otherwise the verdict is ``undecided``.

Budget
    Sizes are bounded by :data:`derive.modular.MAX_N`/``MAX_T``; the clock is checked
    between pairs and every few thousand expression nodes: past ``time_budget`` seconds the
    verdict is ``undecided`` with how far it got.

>>> from derive.network import RNN
>>> from derive.closed_forms import eq13
>>> r = randomized_check_jacobian(RNN(4, 1, 6), eq13, seed=1)
>>> r.verdict.value, r.method, "error probability ≤ 2^-" in r.scope
('proved', 'randomized identity test', True)
>>> bad = lambda net, t, k: eq13(net, t, k).T
>>> randomized_check_jacobian(RNN(4, 1, 6), bad).verdict.value
'refuted'
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from rnncore.errors import InvalidInputError, ShapeError
from rnncore.results import Counterexample, Result, Verdict
from rnnmodel.arithmetic import KinkError
from rnnmodel.balls import BallMatrix, RealRNN
from rnnmodel.ring import Field

from .network import step_pairs
from .bounds import Bound
from .functiontable import FunctionTable
from .modmatrix import ModMatrix
from .modular_rnn import MAX_TRIALS, ModularRNN
from .primes import PRIME_BITS, divisor_probability, random_primes

#: The method name in every Result of this module.
METHOD = "randomized identity test"
#: Target error probability (log2): every ``proved`` verdict has ε ≤ 2^TARGET_LOG2.
TARGET_LOG2 = -100.0
#: Default time budget of one check, in seconds.
TIME_BUDGET = 60.0
#: Sizes at which a refutation is also handed to the exact path for a rational counterexample.
EXACT_FALLBACK_N, EXACT_FALLBACK_STEPS = 3, 4


class _OverBudget(Exception):
    """Internal: the time budget ran out."""


class _Unsupported(Exception):
    """Internal: a SymPy node outside the whitelist."""


# --------------------------------------------------------------------------- certificates
@dataclass(frozen=True)
class Certificate:
    """What a randomized proof rests on; the same seed gives the same certificate.

    ``degree``/``height_bits``: bounds on the tested difference polynomial; ``sites``:
    (function, argument sites looked up) pairs for the collision term; ``error_log2``: log2
    of the bound ε on the probability that a false identity passes; ``digest``: SHA-256 of
    every random value drawn (point and function tables).

    >>> c = Certificate(0, (134217757,), 1, 3, 1.0, (), -20.5, "ab", "x")
    >>> c.text()
    'randomized identity test, 1 trial over GF(p) (random primes p in [2^27, 2^28): 134217757), error probability ≤ 2^-20'
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

    def text(self) -> str:
        """One line for a Result's scope."""
        shown = ", ".join(map(str, self.primes))
        return (f"{METHOD}, {self.trials} trial{'s' if self.trials != 1 else ''} over GF(p) "
                f"(random primes p in [2^{PRIME_BITS - 1}, 2^{PRIME_BITS}): {shown}), "
                f"error probability ≤ 2^{-math.floor(-self.error_log2)}")


def _log2_sum(values) -> float:
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
    return _log2_sum([main] + coll)


def _trials_needed(degree: int, height_bits: float, sites, margin: float = 8.0) -> int:
    """Smallest R with ε ≤ 2^(TARGET − margin), using the worst prime 2^27."""
    worst = 2 ** (PRIME_BITS - 1)
    for R in range(1, MAX_TRIALS + 1):
        if error_bound_log2([worst] * R, degree, height_bits, sites) <= TARGET_LOG2 - margin:
            return R
    return MAX_TRIALS


# --------------------------------------------------------------------------- Jacobians
def _scope(rnn, pairs, all_pairs: bool, extra: str = "") -> str:
    which = (f"all {len(pairs)} pairs 0<=k<t<=T" if all_pairs
             else f"{len(pairs)} pair(s) {', '.join(map(str, pairs[:6]))}{'...' if len(pairs) > 6 else ''}")
    return (f"n={rnn.n}, m={rnn.m}, T={rnn.T}, activation={rnn.activation}, form={rnn.form}; "
            f"{which}{extra}")


def _sites(net: ModularRNN) -> list[tuple[int, int, float]]:
    return [(tab.calls, tab.arg_bound.deg, tab.arg_bound.h + tab.arg_bound.den)
            for tab in net.tables() if tab.calls]


def _as_mod(value, net: ModularRNN, t: int, k: int) -> ModMatrix:
    if not isinstance(value, ModMatrix) or value.field is not net.field:
        raise InvalidInputError(
            f"the candidate returned a {type(value).__name__} ({str(value)[:60]!r}) at "
            f"(t, k) = ({t}, {k}); on the randomized backend it must return a matrix built from "
            f"the network's own matrices (net.W_rec, net.D(j), net.identity(), ...)")
    if value.shape != (net.n, net.n):
        raise ShapeError(
            f"the candidate returned a {value.rows}x{value.cols} matrix at (t, k) = ({t}, {k}); "
            f"∂x_t/∂x_k is n x n = {net.n}x{net.n}")
    return value


def _dot(F: Field, r: np.ndarray, v: np.ndarray) -> np.ndarray:
    return F.mod(F.mod(r * v).sum(axis=1))


def _jacobian_run(rnn, candidate, pairs, seed, trials, tie, deadline):
    """One run at R = trials components: returns ('ok', net, bound) or ('refuted', ...)
    or ('budget', done)."""
    net = ModularRNN.from_rnn(rnn, seed=seed, trials=trials, tie=tie)
    net = net if net.base == 0 else net.with_base(0)
    F = net.field
    rng = np.random.default_rng([seed, 5])
    r, s = F.random(rng, (net.n,)), F.random(rng, (net.n,))
    by_k: dict[int, list[int]] = {}
    for t, k in pairs:
        by_k.setdefault(k, []).append(t)
    worst = Bound(0)
    done = 0
    for k in sorted(by_k):
        if time.monotonic() > deadline:
            return ("budget", done)
        view = net.with_base(k)
        duals = view.jvp(k, s[:, :, None])
        for t in by_k[k]:
            if time.monotonic() > deadline:
                return ("budget", done)
            try:
                C = candidate(view, t, k)
            except AttributeError as exc:
                return ("protocol", str(exc))
            C = _as_mod(C, net, t, k)
            d = duals[t]
            cv = _dot(F, r, C.apply(s))
            dv = _dot(F, r, d.tan[:, :, 0])
            diff = C.bound.plus(d.tb)
            worst = Bound(max(worst.deg, diff.deg), max(worst.h, diff.h), 0.0)
            done += 1
            if (cv != dv).any():
                return ("refuted", net, view, t, k, C)
    return ("ok", net, worst)


def randomized_check_jacobian(rnn, candidate, *, pairs=None, seed: int = 0, trials: int | None = None,
                              tie: bool = False, time_budget: float = TIME_BUDGET,
                              exact_fallback: bool = True) -> Result:
    """Check a candidate ``∂x_t/∂x_k`` against forward differentiation of the unrolled
    network, for every ``0 <= k < t <= T`` (or ``pairs``), by the randomized identity test
    (see the module docstring for what the verdict means and its error bound).

    ``rnn`` is a :class:`derive.network.RNN`; ``candidate(net, t, k)`` follows the shared
    protocol and is called with ``net`` = the modular network with base k. ``trials``:
    number of components (default: chosen from the degree bound); ``tie``: σ' = 1 − σ²
    (tanh) / σ(1 − σ) (sigmoid); ``time_budget``: seconds, past it ``undecided``.

    >>> from derive.network import RNN
    >>> from derive.closed_forms import eq13
    >>> wrong = lambda net, t, k: eq13(net, t, k) * 2 - eq13(net, t, k)   # == eq13: accepted
    >>> randomized_check_jacobian(RNN(3, 1, 4), wrong).verdict.value
    'proved'
    >>> r = randomized_check_jacobian(RNN(3, 1, 4), lambda net, t, k: net.W_rec)
    >>> r.verdict.value, r.counterexample.where
    ('refuted', '(t, k) = (1, 0), entry (0, 0)')
    """
    for name in ("n", "m", "T", "activation", "form"):
        if not hasattr(rnn, name):
            raise InvalidInputError(f"rnn={rnn!r} is not a network; pass a derive.network.RNN")
    if not callable(candidate):
        raise InvalidInputError(f"candidate={candidate!r} is not callable; pass (net, t, k) -> matrix")
    if isinstance(time_budget, bool) or not isinstance(time_budget, (int, float)) or not time_budget > 0:
        raise InvalidInputError(f"time_budget={time_budget!r} is not allowed; use seconds > 0")
    all_pairs = pairs is None
    pairs = step_pairs(rnn, pairs)
    start = time.monotonic()
    deadline = start + time_budget
    n, T = rnn.n, rnn.T
    # a-priori estimate: degree of the direct side ≤ 3T + 2, coefficients ≤ n^T, sites ≤ 4 n (T+1)^2
    est_sites = [(4 * n * (T + 1) ** 2 + 64, 3, math.log2(n + rnn.m + 2) + 2)] * 2
    est_R = _trials_needed(4 * T + 8, T * (math.log2(n) + 4) + 16, est_sites)
    R = est_R if trials is None else trials
    if isinstance(R, bool) or not isinstance(R, int) or not 1 <= R <= MAX_TRIALS:
        raise InvalidInputError(f"trials={trials!r} is not allowed; use 1 <= trials <= {MAX_TRIALS}")
    tie = bool(tie)
    for attempt in range(2):
        try:
            out = _jacobian_run(rnn, candidate, pairs, seed, R, tie, deadline)
        except (InvalidInputError, ShapeError):
            raise
        if out[0] == "budget":
            return Result(Verdict.UNDECIDED, METHOD, _scope(rnn, pairs, all_pairs),
                          f"time budget of {time_budget:g} s ran out after {out[1]} of {len(pairs)} "
                          f"pairs; nothing is claimed (raise time_budget or check fewer pairs)")
        if out[0] == "protocol":
            return Result(Verdict.UNDECIDED, METHOD, _scope(rnn, pairs, all_pairs),
                          f"the candidate uses something the modular network does not offer "
                          f"({out[1]}); it runs on the exact backend only")
        if out[0] == "refuted":
            return _refuted_jacobian(rnn, candidate, out, pairs, all_pairs, seed, R, tie, exact_fallback)
        _, net, worst = out
        degree = worst.deg + 2  # rᵀ Δ s
        height = worst.h + 2 * math.log2(n) + 1
        sites = _sites(net)
        eps = error_bound_log2(net.primes, degree, height, sites)
        if eps <= TARGET_LOG2:
            cert = Certificate(seed, net.primes, R, degree, height,
                               tuple((tab.name, tab.calls) for tab in net.tables() if tab.calls),
                               eps, net.digest(), f"{len(pairs)} pairs")
            elapsed = time.monotonic() - start
            what = ("σ' = 1 − σ² (tied)" if tie and rnn.activation == "tanh" else
                    "σ' = σ(1 − σ) (tied)" if tie else "σ, σ' independent generic functions")
            if rnn.activation == "relu":
                what += " (so it holds for relu with σ' = step, step(0) = 0)"
            elif rnn.activation in ("tanh", "sigmoid") and not tie:
                what += f" (so it holds for {rnn.activation} with its derivative)"
            return Result(Verdict.PROVED, METHOD,
                          _scope(rnn, pairs, all_pairs, f"; {what}; {cert.text()}"),
                          f"rᵀ C(t, k) s = rᵀ (∂x_t/∂x_k) s in all {R} trials for every pair "
                          f"(direct side by forward differentiation); difference degree ≤ {degree}; "
                          f"{elapsed:.2f} s", data=cert)
        if trials is not None or attempt == 1:
            break
        R = _trials_needed(degree, height, sites)
    return Result(Verdict.UNDECIDED, METHOD, _scope(rnn, pairs, all_pairs),
                  f"the sides agreed, but with the measured degree bound the error bound "
                  f"2^{eps:.1f} exceeds 2^{TARGET_LOG2:g} at {R} trials; rerun with more trials")


def _refuted_jacobian(rnn, candidate, out, pairs, all_pairs, seed, R, tie, exact_fallback) -> Result:
    _, net, view, t, k, C = out
    Cd = C.value()
    Jd = net.direct_jacobian(t, k).value()
    comp, a, b = (int(x) for x in np.argwhere(Cd != Jd)[0])
    p = net.primes[comp]
    lhs, rhs = int(Cd[comp, a, b]), int(Jd[comp, a, b])
    data = {"t": t, "k": k, "entry": (a, b), "component": comp, "prime": p, "lhs": lhs, "rhs": rhs,
            "seed": seed, "trials": R, "primes": net.primes, "tie": tie,
            "point": net.point_data(), "kind": "modular"}
    assignment = (("ring", f"GF(p_1) x ... x GF(p_{R})"), ("primes", str(net.primes)),
                  ("seed", str(seed)), ("trial", f"{comp} (p = {p})"),
                  ("W_rec (this trial)", str(net._p.W_rec[comp].tolist())),
                  (f"{'x' if rnn.form == 'A' else 'h'}_{k} (this trial)",
                   str(net._p.base_state(k)[comp].tolist())))
    where = f"(t, k) = ({t}, {k}), entry ({a}, {b})"
    generic = rnn.activation == "generic"
    note = ("σ, σ' take independent random values at each distinct argument value (a function "
            "on the ring); the whole point is in data['point'] and recheck_jacobian re-evaluates it")
    cex = Counterexample(assignment, lhs=f"{lhs} (candidate, mod {p})",
                         rhs=f"{rhs} (∂x_t/∂x_k by forward differentiation, mod {p})",
                         where=where, note=note, data=data)
    scope = _scope(rnn, pairs, all_pairs, f"; {R} trials over random primes in [2^27, 2^28)")
    if exact_fallback and rnn.n <= EXACT_FALLBACK_N and t - k <= EXACT_FALLBACK_STEPS:
        try:
            from derive.jacobian import check_jacobian  # noqa: PLC0415
            ex = check_jacobian(rnn, candidate, method="exact", pairs=[(t, k)], seed=seed)
        except Exception:  # noqa: BLE001 — the fallback is best effort; the modular point stands
            ex = None
        if ex is not None and ex.verdict is Verdict.REFUTED:
            return Result(Verdict.REFUTED, f"{METHOD}, then exact", scope,
                          f"the sides differ at {where} (randomized test, trial {comp}); the exact "
                          f"path gives a rational counterexample", counterexample=ex.counterexample,
                          details=(ex,), data=cex)
    if generic:
        return Result(Verdict.REFUTED, METHOD, scope,
                      f"the candidate differs from ∂x_t/∂x_k at {where}: {lhs} != {rhs} mod {p}",
                      counterexample=cex)
    real = real_counterexample(rnn, candidate, t, k, seed=seed)
    if real is not None:
        return Result(Verdict.REFUTED, f"{METHOD}, then a certified real point", scope,
                      f"the sides differ formally at {where} (ring point, trial {comp}); at an exact "
                      f"rational point with the real {rnn.activation} the enclosures of the two "
                      f"entries {real.where.split('entry ')[-1]} are disjoint",
                      counterexample=real, data=cex)
    return Result(Verdict.UNDECIDED, METHOD, scope,
                  f"the sides differ as formal expressions at {where} ({lhs} != {rhs} mod {p}, σ, σ' "
                  f"generic); for {rnn.activation} this does not by itself refute the claim, and no "
                  f"real point with disjoint enclosures was found in {REAL_TRIES} tries (see data)",
                  data=cex)


#: Random rational points tried by :func:`real_counterexample`, and their precision (bits).
REAL_TRIES, REAL_PREC = 3, 128


def real_counterexample(rnn, candidate, t: int, k: int, *, seed: int = 0,
                        tries: int = REAL_TRIES, prec: int = REAL_PREC) -> Counterexample | None:
    """A certified counterexample for the real activation (tanh, sigmoid, relu) at pair
    (t, k): an exact dyadic rational point (:class:`derive.modular.RealRNN`) where the
    candidate's entry and the forward-differentiated ∂x_t/∂x_k have disjoint enclosures
    (python-flint balls at ``prec`` bits). ``None`` if ``tries`` points certify nothing.

    >>> from derive.network import RNN
    >>> cex = real_counterexample(RNN(3, 1, 4, "tanh"), lambda net, t, k: net.W_rec.T * net.D(k), 1, 0)
    >>> cex.where, cex.data["kind"]
    ('(t, k) = (1, 0), entry (0, 1)', 'real')
    """
    import flint  # noqa: PLC0415

    if rnn.activation == "generic":
        raise InvalidInputError("a generic σ has no real values; its refutation is the ring point")
    for attempt in range(tries):
        try:
            with flint.ctx.workprec(prec):
                net = RealRNN(rnn.n, rnn.m, rnn.T, rnn.activation, rnn.form, seed=seed * 7919 + attempt)
                C = candidate(net.with_base(k), t, k)
                if not isinstance(C, BallMatrix) or C.shape != (rnn.n, rnn.n):
                    return None
                J = net.direct_jacobian(t, k)
                diff = C.m - J.m
                for a in range(rnn.n):
                    for b in range(rnn.n):
                        if not diff[a, b].contains(0):
                            return _real_cex(net, C, J, t, k, a, b, prec)
        except KinkError:
            continue
    return None


def _real_cex(net, C, J, t, k, a, b, prec) -> Counterexample:
    pt = net.point()
    letter = "x" if net.form == "A" else "h"
    fmt = lambda rows: str([[str(q) for q in row] for row in rows])  # noqa: E731
    assignment = (("W_rec", fmt(pt["W_rec"])), ("W_in", fmt(pt["W_in"])), ("b", fmt(pt["b"])),
                  (f"{letter}_{k}", fmt(pt["bases"][k])),
                  ("u", str({s: fmt(v) for s, v in pt["u"].items() if k < s <= t})))
    return Counterexample(
        assignment, lhs=f"{C.entry(a, b)} (candidate)", rhs=f"{J.entry(a, b)} (∂x_t/∂x_k, forward differentiation)",
        where=f"(t, k) = ({t}, {k}), entry ({a}, {b})",
        note=(f"exact rational point, real {net.activation}; both values are certified enclosures "
              f"(arb, {prec} bits) and they are disjoint"),
        data={"kind": "real", "t": t, "k": k, "entry": (a, b), "point": pt, "prec": prec})


def recheck_jacobian(rnn, candidate, counterexample) -> bool:
    """Re-evaluate a modular refutation from its data: rebuild the point from the seed,
    recompute the candidate's entry and the forward-differentiated entry, and confirm
    they differ with the recorded values. ``counterexample`` may also be the Result (when
    the exact path supplied the rational counterexample, the modular one is its ``data``).

    >>> from derive.network import RNN
    >>> rnn = RNN(3, 1, 4)
    >>> bad = lambda net, t, k: net.W_rec
    >>> r = randomized_check_jacobian(rnn, bad)
    >>> recheck_jacobian(rnn, bad, r)
    True
    """
    if isinstance(counterexample, Result):
        counterexample = (counterexample.data if isinstance(counterexample.data, Counterexample)
                          else counterexample.counterexample)
    d = getattr(counterexample, "data", None)
    if not isinstance(d, dict) or d.get("kind") != "modular":
        raise InvalidInputError("this counterexample has no modular point data to re-check")
    net = ModularRNN.from_rnn(rnn, seed=d["seed"], primes=d["primes"], tie=d["tie"])
    net = net if net.base == 0 else net.with_base(0)
    t, k, (a, b), c = d["t"], d["k"], d["entry"], d["component"]
    C = _as_mod(candidate(net.with_base(k), t, k), net, t, k).value()[c, a, b]
    J = net.direct_jacobian(t, k).value()[c, a, b]
    return int(C) == d["lhs"] and int(J) == d["rhs"] and C != J and net.point_data()["W_rec"] == d["point"]["W_rec"]


# --------------------------------------------------------------------------- eq. 11
def randomized_check_eq11(rnn, *, loss: str = "generic", seed: int = 0, trials: int | None = None,
                          first: int = 1, last_offset: int = 0, time_budget: float = TIME_BUDGET) -> Result:
    """Blog eq. 11 for θ = W_rec at every t = 1..T: ``∂E_t/∂W_rec`` by forward
    differentiation (tangents seeded on the n² entries of W_rec) against
    ``Σ_{k=first}^{t−last_offset} ∂E_t/∂x_t · ∂x_t/∂x_k · ∂⁺x_k/∂W_rec`` with ∂x_t/∂x_k from
    eq. 13 (:meth:`derive.modular.ModularRNN.eq11_gradient`); all n² entries compared.
    ``last_offset=1`` is the wrong variant "sum ending at t − 1".

    >>> from derive.network import RNN
    >>> randomized_check_eq11(RNN(3, 1, 4)).verdict.value
    'proved'
    >>> randomized_check_eq11(RNN(3, 1, 4), last_offset=1).verdict.value
    'refuted'
    """
    for name in ("n", "m", "T", "activation", "form"):
        if not hasattr(rnn, name):
            raise InvalidInputError(f"rnn={rnn!r} is not a network; pass a derive.network.RNN")
    if isinstance(last_offset, bool) or not isinstance(last_offset, int) or last_offset < 0:
        raise InvalidInputError(f"last_offset={last_offset!r} is not allowed; use an integer >= 0")
    if isinstance(first, bool) or not isinstance(first, int) or first < 1:
        raise InvalidInputError(f"first={first!r} is not allowed; use an integer >= 1 (the k = 0 term is 0)")
    if trials is not None and (isinstance(trials, bool) or not isinstance(trials, int)
                               or not 1 <= trials <= MAX_TRIALS):
        raise InvalidInputError(f"trials={trials!r} is not allowed; use 1 <= trials <= {MAX_TRIALS}")
    start = time.monotonic()
    n, T = rnn.n, rnn.T
    est_sites = [(4 * n * (T + 1) + 64, 3, math.log2(n + rnn.m + 2) + 2)] * 3
    R = trials or _trials_needed(4 * T + 8, T * (math.log2(n) + 4) + 16, est_sites)
    for attempt in range(2):
        net = ModularRNN.from_rnn(rnn, seed=seed, trials=R, loss=loss)
        net = net if net.base == 0 else net.with_base(0)
        direct = net.direct_gradient()
        worst = Bound(0)
        for t in range(1, T + 1):
            if time.monotonic() - start > time_budget:
                return Result(Verdict.UNDECIDED, METHOD, f"n={n}, T={T}, θ=W_rec",
                              f"time budget of {time_budget:g} s ran out at t={t}")
            last = t - last_offset
            if last < first:
                G, gb = np.zeros_like(direct[t][0]), Bound(0)
            else:
                G, gb = net.eq11_gradient(t, first=first, last=last)
            Dv, db = direct[t]
            diff = gb.plus(db)
            worst = Bound(max(worst.deg, diff.deg), max(worst.h, diff.h), 0.0)
            bad = np.argwhere(G != Dv)
            if len(bad):
                c, a, b = (int(x) for x in bad[0])
                p = net.primes[c]
                cex = Counterexample(
                    (("primes", str(net.primes)), ("seed", str(seed)), ("trial", f"{c} (p = {p})")),
                    lhs=f"{int(G[c, a, b])} (eq. 11 side, mod {p})",
                    rhs=f"{int(Dv[c, a, b])} (forward differentiation, mod {p})",
                    where=f"t = {t}, entry ({a}, {b}) of ∂E_t/∂W_rec",
                    data={"t": t, "entry": (a, b), "component": c, "prime": p, "seed": seed,
                          "primes": net.primes, "point": net.point_data(), "kind": "modular-eq11"})
                verdict = Verdict.REFUTED if rnn.activation == "generic" else Verdict.UNDECIDED
                return Result(verdict, METHOD, f"n={n}, T={T}, θ=W_rec, loss={loss}",
                              f"the sides differ at t = {t}, entry ({a}, {b})",
                              counterexample=cex if verdict is Verdict.REFUTED else None, data=cex)
        eps = error_bound_log2(net.primes, worst.deg, worst.h + 1, _sites(net))
        if eps <= TARGET_LOG2:
            cert = Certificate(seed, net.primes, R, worst.deg, worst.h + 1,
                               tuple((tab.name, tab.calls) for tab in net.tables() if tab.calls),
                               eps, net.digest(), f"t = 1..{T}, all {n * n} entries")
            return Result(Verdict.PROVED, METHOD,
                          f"n={n}, m={rnn.m}, T={T}, activation={rnn.activation}, form={rnn.form}, "
                          f"θ=W_rec, loss={loss}, every t; {cert.text()}",
                          f"∂E_t/∂W_rec (forward differentiation) = eq. 11 with eq. 13 in all "
                          f"{R} trials; {time.monotonic() - start:.2f} s", data=cert)
        if trials is not None or attempt == 1:
            break
        R = _trials_needed(worst.deg, worst.h + 1, _sites(net))
    return Result(Verdict.UNDECIDED, METHOD, f"n={n}, T={T}, θ=W_rec",
                  f"error bound 2^{eps:.1f} above 2^{TARGET_LOG2:g} at {R} trials")


# --------------------------------------------------------------------------- SymPy expressions
@dataclass(frozen=True)
class _RB:
    """Bound of a rational function P/Q: degrees and log2 L1 heights of P and Q."""

    dn: int
    dd: int
    hn: float
    hd: float

    def add(self, o: "_RB") -> "_RB":
        return _RB(max(self.dn + o.dd, o.dn + self.dd), self.dd + o.dd,
                   _la(self.hn + o.hd, o.hn + self.hd), self.hd + o.hd)

    def mul(self, o: "_RB") -> "_RB":
        return _RB(self.dn + o.dn, self.dd + o.dd, self.hn + o.hn, self.hd + o.hd)

    def pow(self, e: int) -> "_RB":
        b = self if e >= 0 else _RB(self.dd, self.dn, self.hd, self.hn)
        e = abs(e)
        return _RB(b.dn * e, b.dd * e, b.hn * e, b.hd * e)


def _la(a: float, b: float) -> float:
    hi, lo = max(a, b), min(a, b)
    return hi + math.log2(1.0 + 2.0 ** (lo - hi))


_ATOM = _RB(1, 0, 0.0, 0.0)


def _is_generic(f) -> bool:
    if not isinstance(f, type) or not issubclass(f, sp.Function):
        return False
    if isinstance(f, sp.core.function.UndefinedFunction):
        return True
    return getattr(f.eval, "__func__", None) is sp.Function.eval.__func__


class ModEvaluator:
    """Evaluates SymPy expressions on the ring with a whitelist of node types: numbers,
    symbols, ``Add``, ``Mul``, integer ``Pow``, function applications (generic ones and,
    as free atoms, interpreted ones such as tanh — recorded in ``interpreted``),
    ``Derivative``/``Subs`` that ``doit`` removes. Symbols get uniform values unless given
    in ``symbols``; function tables may be given in ``tables`` (keyed by the function
    class). Anything else raises.

    >>> from derive.activations import sigma
    >>> x, y = sp.symbols("x y")
    >>> ev = ModEvaluator(Field((101, 103)), np.random.default_rng(0))
    >>> v1, _ = ev.value(sigma(2 * (x + y))); v2, _ = ev.value(sigma(2 * x + 2 * y))
    >>> bool((v1 == v2).all())
    True
    """

    def __init__(self, field: Field, rng: np.random.Generator | None, symbols: dict | None = None,
                 tables: dict | None = None, deadline: float = math.inf, salt: bytes = b"") -> None:
        self.F = field
        self.salt = salt
        self.rng = rng
        self.symbols = dict(symbols or {})
        self.tables = dict(tables or {})
        self.deadline = deadline
        self.interpreted: set[str] = set()
        self._memo: dict = {}
        self._count = 0

    def value(self, e):
        """``(values (R,), bound)`` of ``e``."""
        m = self._memo.get(e)
        if m is None:
            self._count += 1
            if self._count % 4096 == 0 and time.monotonic() > self.deadline:
                raise _OverBudget()
            m = self._memo[e] = self._eval(e)
        return m

    def _const(self, q: Fraction):
        num, den = abs(q.numerator), q.denominator
        return self.F.scalar(q), _RB(0, 0, math.log2(num) if num > 1 else 0.0,
                                     math.log2(den) if den > 1 else 0.0)

    def _eval(self, e):
        F = self.F
        if isinstance(e, (int, Fraction)) and not isinstance(e, bool):
            return self._const(Fraction(e))
        if not isinstance(e, sp.Basic):
            raise _Unsupported(f"a {type(e).__name__} ({e!r}) is not a SymPy expression")
        if e.is_Rational:
            return self._const(Fraction(int(e.p), int(e.q)))
        if e.is_Float:
            raise _Unsupported(f"the float {e} is not exact; use sympy.Rational")
        if e.is_Symbol:
            v = self.symbols.get(e)
            if v is None:
                if self.rng is None:
                    raise _Unsupported(f"no value for the symbol {e} at this point")
                v = self.symbols[e] = F.random(self.rng, ())
            return np.asarray(v, dtype=np.int64), _ATOM
        if e.is_Add or e.is_Mul:
            vals = [self.value(a) for a in e.args]
            v, bd = vals[0]
            for w, wb in vals[1:]:
                v = F.mod(v + w) if e.is_Add else F.mod(v * w)
                bd = bd.add(wb) if e.is_Add else bd.mul(wb)
            return v, bd
        if e.is_Pow:
            base, ex = e.args
            if not (ex.is_Integer and abs(int(ex)) <= 10_000):
                if e.func is sp.Pow and not ex.is_Integer:
                    return self._atom(e, ("pow",), [base, ex], interpreted=True)
                raise _Unsupported(f"the power {e} is not whitelisted")
            bv, bb = self.value(base)
            k = int(ex)
            out = [pow(int(x), k, p) if k >= 0 else self._inv(int(x), p, k) for x, p in zip(bv, F.primes)]
            return np.array(out, dtype=np.int64), bb.pow(k)
        if isinstance(e, (sp.Derivative, sp.Subs)):
            done = e.doit()
            if done == e:
                raise _Unsupported(f"an unevaluated {type(e).__name__} ({str(e)[:60]})")
            return self.value(done)
        if isinstance(e, sp.Function):
            return self._atom(e, e.func, list(e.args), interpreted=not _is_generic(e.func))
        if not e.args and e.is_number:  # pi, E, I: free atoms (sound for proofs)
            return self._atom(e, ("num", e), [], interpreted=True)
        raise _Unsupported(f"{type(e).__name__} nodes ({str(e)[:60]}) are not whitelisted")

    def _inv(self, x: int, p: int, k: int) -> int:
        if x % p == 0:
            raise ZeroDivisionError(f"a denominator vanishes modulo {p} at the random point")
        return pow(x, k, p)

    def _atom(self, e, key, args, interpreted: bool):
        if interpreted:
            self.interpreted.add(str(getattr(e, "func", e)))
        vals = [self.value(a) for a in args]
        tab = self.tables.get(key)
        if tab is None:
            tab = self.tables[key] = FunctionTable(str(key), self.F, self.salt)
        if vals:
            z = np.stack([v for v, _ in vals], axis=1)  # (R, nargs)
            ab = vals[0][1]
            for _, b in vals[1:]:
                ab = _RB(max(ab.dn, b.dn), max(ab.dd, b.dd), max(ab.hn, b.hn), max(ab.hd, b.hd))
        else:
            z = np.zeros((self.F.R, 1), dtype=np.int64)
            ab = _RB(0, 0, 0.0, 0.0)
        arg_bound = Bound(ab.dn + ab.dd, ab.hn + ab.hd, 0.0)
        if z.shape[1] == 1:
            v = tab(z, arg_bound)[:, 0]
        else:
            v = tab.vector(z, arg_bound)[:, 0]
        return v, _ATOM


def _as_matrix(x, name: str) -> sp.ImmutableMatrix:
    if isinstance(x, sp.MatrixBase):
        return sp.ImmutableMatrix(x)
    if isinstance(x, (sp.Basic, int, Fraction)) and not isinstance(x, (bool, sp.MatrixExpr)):
        return sp.ImmutableMatrix([[x]])
    raise InvalidInputError(
        f"{name}={str(x)[:60]!r} ({type(x).__name__}) is not a SymPy expression or explicit matrix")


def randomized_prove_equal(a, b, *, seed: int = 0, trials: int | None = None,
                           time_budget: float = TIME_BUDGET) -> Result:
    """Decide whether two SymPy expressions or explicit matrices are identical as functions
    of their free symbols (σ, σ', L and any undefined function generic) by the randomized
    identity test: ``proved`` with ε ≤ 2^-100 in the scope; ``refuted`` with the ring point
    when only generic functions occur; ``undecided`` for interpreted functions (tanh, relu,
    exp … are free atoms here, which proves but cannot refute), nodes outside the
    whitelist, a vanishing denominator, or the time budget.

    >>> from derive.activations import sigma, dsigma
    >>> x, y = sp.symbols("x y")
    >>> randomized_prove_equal((x + y) ** 2, x**2 + 2*x*y + y**2).verdict.value
    'proved'
    >>> r = randomized_prove_equal(sigma(x) * dsigma(y), sigma(y) * dsigma(x))
    >>> r.verdict.value, r.counterexample.where
    ('refuted', 'entry (0, 0)')
    >>> randomized_prove_equal(sp.tanh(x) ** 2, 1 - sp.tanh(x) ** 2).verdict.value
    'undecided'
    """
    A, B = _as_matrix(a, "a"), _as_matrix(b, "b")
    if A.shape != B.shape:
        raise ShapeError(f"shapes differ: a is {A.shape[0]}x{A.shape[1]}, b is {B.shape[0]}x{B.shape[1]}; "
                         f"compare equal shapes")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InvalidInputError(f"seed={seed!r} is not allowed; use an integer >= 0")
    start = time.monotonic()
    R = trials or 8
    if isinstance(R, bool) or not isinstance(R, int) or not 1 <= R <= MAX_TRIALS:
        raise InvalidInputError(f"trials={trials!r} is not allowed; use 1 <= trials <= {MAX_TRIALS}")
    scope0 = f"{A.rows}x{A.cols} entrywise" if (A.rows, A.cols) != (1, 1) else "scalar"
    for attempt in range(2):
        F = Field(random_primes(R, np.random.default_rng([seed, 9])))
        ev = ModEvaluator(F, np.random.default_rng([seed, 0]), deadline=start + time_budget,
                          salt=f"rnnproof-expr-{seed}".encode())
        worst = _RB(0, 0, 0.0, 0.0)
        try:
            for i in range(A.rows):
                for j in range(A.cols):
                    va, ba = ev.value(A[i, j])
                    vb, bb = ev.value(B[i, j])
                    d = ba.add(bb)
                    worst = _RB(max(worst.dn, d.dn), 0, max(worst.hn, d.hn), 0.0)
                    if (va != vb).any():
                        return _refuted_expr(ev, F, seed, R, i, j, va, vb, A, B, scope0)
        except _OverBudget:
            return Result(Verdict.UNDECIDED, METHOD, scope0,
                          f"time budget of {time_budget:g} s ran out while evaluating")
        except _Unsupported as exc:
            return Result(Verdict.UNDECIDED, METHOD, scope0, f"not decided: {exc}")
        except ZeroDivisionError as exc:
            return Result(Verdict.UNDECIDED, METHOD, scope0, f"not decided: {exc}")
        except RecursionError:
            return Result(Verdict.UNDECIDED, METHOD, scope0, "not decided: the expression is nested too deeply")
        sites = [(tab.calls, tab.arg_bound.deg, tab.arg_bound.h) for tab in ev.tables.values() if tab.calls]
        eps = error_bound_log2(F.primes, worst.dn, worst.hn, sites)
        if eps <= TARGET_LOG2:
            digest = _expr_digest(seed, F, ev)
            cert = Certificate(seed, F.primes, R, worst.dn, worst.hn,
                               tuple((tab.name, tab.calls) for tab in ev.tables.values() if tab.calls),
                               eps, digest, scope0)
            funcs = sorted(str(k if not isinstance(k, tuple) else k[-1]) for k in ev.tables)
            return Result(Verdict.PROVED, METHOD,
                          f"{scope0}; all values of the {len(ev.symbols)} free symbol(s)"
                          + (f"; {', '.join(funcs)} arbitrary functions" if funcs else "")
                          + f"; {cert.text()}",
                          f"a − b vanished in all {R} trials; degree of the difference ≤ {worst.dn}",
                          data=cert)
        if trials is not None or attempt == 1:
            break
        R = _trials_needed(worst.dn, worst.hn, sites)
    return Result(Verdict.UNDECIDED, METHOD, scope0,
                  f"the sides agreed, but the error bound 2^{eps:.1f} exceeds 2^{TARGET_LOG2:g} at {R} trials")


def _expr_digest(seed, F, ev) -> str:
    import hashlib  # noqa: PLC0415
    h = hashlib.sha256(repr((seed, F.primes)).encode())
    for s in sorted(ev.symbols, key=str):
        h.update(str(s).encode() + np.asarray(ev.symbols[s]).tobytes())
    for key in sorted(ev.tables, key=str):
        h.update(repr(ev.tables[key].digest_items()).encode())
    return h.hexdigest()


def _refuted_expr(ev, F, seed, R, i, j, va, vb, A, B, scope0) -> Result:
    comp = int(np.argwhere(va != vb)[0][0])
    p = F.primes[comp]
    where = f"entry ({i}, {j})"
    assignment = tuple(sorted((str(s), str(int(np.asarray(v)[comp]))) for s, v in ev.symbols.items()))
    data = {"entry": (i, j), "component": comp, "prime": p, "primes": F.primes, "seed": seed,
            "subs": {s: np.asarray(v).tolist() for s, v in ev.symbols.items()},
            "function_values": {str(k): dict(t.values) for k, t in ev.tables.items()},
            "lhs": int(va[comp]), "rhs": int(vb[comp]), "kind": "modular-expr"}
    cex = Counterexample(assignment, lhs=f"{int(va[comp])} (mod {p})", rhs=f"{int(vb[comp])} (mod {p})",
                         where=where,
                         note=(f"values in trial {comp} (p = {p}); function applications take "
                               f"independent random values per distinct argument (see data)"),
                         data=data)
    if ev.interpreted:
        return Result(Verdict.UNDECIDED, METHOD, scope0,
                      f"the sides differ at {where} with {', '.join(sorted(ev.interpreted))} treated as "
                      f"free functions; that does not refute the identity for the real functions",
                      data=cex)
    return Result(Verdict.REFUTED, METHOD, scope0,
                  f"a − b is nonzero at a ring point in {where}", counterexample=cex)


__all__ = [
    "METHOD", "TARGET_LOG2", "TIME_BUDGET", "Certificate", "error_bound_log2",
    "randomized_check_jacobian", "recheck_jacobian", "randomized_check_eq11", "real_counterexample",
    "randomized_prove_equal", "ModEvaluator",
]
