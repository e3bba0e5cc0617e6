"""The decay and explosion experiment: ``‖∂x_t/∂x_0‖₂`` of a form-A network over many steps.

Network (form A, blog eq. 2): ``x_t = W σ(x_{t-1}) + d_t`` with a seeded random drive
``d_t = W_in u_t + b`` (exact rationals) and ``∂x_t/∂x_0 = J_t ⋯ J_1``,
``J_j = W diag(σ'(x_{j-1}))`` (blog eq. 13, numerator layout). ``W = Q₁ diag(s) Q₂`` with
exactly orthogonal rational ``Q₁, Q₂`` (Cayley transforms of skew-symmetric rational
matrices) and ``s₁ = sigma_max``, so ``σ_max(W)`` equals the requested rational exactly
and the bound ``η = γ σ_max(W)`` (γ = 1 for tanh, 1/4 for sigmoid) is exact.

**How the norm is certified.** States, ``σ'`` and the product are computed in
python-flint ball arithmetic at ``dps + ceil(0.35 · steps) + 20`` digits (ball radii grow by
about 0.23 digits per step, see the baselines), so the balls of the last product are still
narrow. For each step, ``‖P‖₂²  = λ_max(PᵀP)`` is bracketed: the lower bound is a Rayleigh
quotient of a power-iteration vector (carried from step to step), the upper bound ``μ`` is
certified by an LDLᵀ factorisation of ``μI − PᵀP`` with provably positive pivots (see
:mod:`numeric.linalg`). The float64 run of the same recurrence shows where float64 fails:
first subnormal step, first exact 0, first ``inf``.

>>> r = decay_experiment(n=3, steps=30, dps=20)
>>> r.lags[-1], r.eta, all(w is True for w in r.within_bound)
(30, Fraction(9, 10), True)
>>> r.norms[-1].rel_width() < 1e-15
True
"""
from __future__ import annotations

import functools
import math
import random
import time
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Integral
from typing import Any, NamedTuple

import mpmath
import numpy as np
from flint import arb, arb_mat, ctx, fmpq, fmpq_mat

from rnncore.errors import InvalidInputError, SizeBudgetError
from rnncore.results import Method, MethodKind, Scope, Span
from rnncore.validate import check_size
from rnnmodel.activations import ACTIVATIONS
from rnnmodel.balls import BALLS
from rnnmodel.cells import cell
from rnnmodel.dual import Dual, DualArithmetic
from rnnmodel.floats import FLOAT64

from .enclosure import Enclosure, _sci
from .linalg import _certified_pd, _rayleigh_lower, prec_bits, spectral_norm
from .matrices import ExactMatrix, as_exact, check_dps, exact_scalar, matmul, to_text

#: The activations of the experiment (a bound η = γ σ_max(W) needs γ < ∞ and σ bounded).
DECAY_ACTIVATIONS = ("tanh", "sigmoid")
#: γ = sup |σ'| of each activation (paper section 2.1), exact: the model's table.
GAMMA = {name: ACTIVATIONS[name].gamma for name in DECAY_ACTIVATIONS}
_CELL = cell("A")
#: Largest sizes the experiment accepts.
MAX_STEPS, MAX_SIDE = 20_000, 64
#: Largest internal precision (decimal digits) the experiment may use.
MAX_WORK_DPS = 8_000


def work_dps(dps: int, steps: int) -> int:
    """Working digits of a run: ball radii grow by a roughly constant factor per step, so
    each step costs about 0.35 digits on top of the ``dps`` reported, plus a margin.

    >>> work_dps(50, 80), max_dps(80)
    (98, 7952)
    """
    return dps + math.ceil(0.35 * steps) + 20


def max_dps(steps: int) -> int:
    """The largest reported precision a run of ``steps`` can honour within
    :data:`MAX_WORK_DPS` (callers refuse a larger ``dps`` before any work)."""
    return MAX_WORK_DPS - math.ceil(0.35 * steps) - 20


#: The configurations of the report: σ_max(W) below and above 1/γ.
PRESETS: dict[str, dict[str, Any]] = {
    "tanh-below": {"activation": "tanh", "sigma_max": Fraction(9, 10)},
    "tanh-above": {"activation": "tanh", "sigma_max": Fraction(3, 2)},
    "sigmoid-below": {"activation": "sigmoid", "sigma_max": Fraction(18, 5)},
    "sigmoid-above": {"activation": "sigmoid", "sigma_max": Fraction(6)},
    # x_t = 0 for all t: D = I and ∂x_t/∂x_0 = W^t with ‖W^t‖ = (3/2)^t exactly
    "tanh-above-origin": {"activation": "tanh", "sigma_max": Fraction(3, 2),
                          "spread": Fraction(1), "x0": "zero", "input_scale": Fraction(0)},
}

_TINY = np.finfo(np.float64).tiny  # smallest positive normal float64


@dataclass(frozen=True)
class DecayResult:
    """Data of one run (columns indexed like ``lags = (1, ..., steps)``; k = 0).

    ``norms``: certified enclosures of ``‖∂x_t/∂x_0‖₂``; ``log10_norms``: their
    midpoints' log10 (floats, fine far below float64's range); ``rates``:
    ``ln‖·‖/(t−k)``; ``log10_bounds``: ``log10 η^{t−k}``; ``within_bound``: certified
    ``‖·‖ ≤ η^{t−k}`` (True/False, None if undecided); ``float64``: the float64 value of
    the norm; ``float64_rel_error``: its relative error against the certified midpoint;
    ``first_subnormal``/``first_zero``/``first_inf``: first lag where the float64 product
    is below the normal range / exactly 0 / overflows (None if never).
    """

    activation: str
    n: int
    steps: int
    sigma_max: Fraction
    gamma: Fraction
    eta: Fraction
    dps: int
    work_dps: int
    seed: int
    W: ExactMatrix = field(repr=False)
    lags: tuple[int, ...] = field(repr=False)
    norms: tuple[Enclosure, ...] = field(repr=False)
    log10_norms: tuple[float, ...] = field(repr=False)
    rates: tuple[float, ...] = field(repr=False)
    log10_bounds: tuple[float, ...] = field(repr=False)
    within_bound: tuple[bool | None, ...] = field(repr=False)
    float64: tuple[float, ...] = field(repr=False)
    float64_rel_error: tuple[float, ...] = field(repr=False)
    first_subnormal: int | None
    first_zero: int | None
    first_inf: int | None
    max_rel_width: float
    seconds: float
    method: Method = field(repr=False, default=Method(MethodKind.CERTIFIED))
    scope: Scope = field(repr=False, default=Scope())

    def to_dict(self) -> dict:
        """JSON-ready form (enclosures as ``[lo, hi]`` strings of 20 digits, floats as is).

        >>> d = decay_experiment(n=2, steps=3, dps=20).to_dict()
        >>> sorted(d)[:4], len(d["norms"]), d["method"]["kind"]
        (['activation', 'dps', 'eta', 'first_inf'], 3, 'certified')
        """
        return {
            "activation": self.activation, "n": self.n, "steps": self.steps,
            "sigma_max": str(self.sigma_max), "gamma": str(self.gamma), "eta": str(self.eta),
            "dps": self.dps, "work_dps": self.work_dps, "seed": self.seed,
            "lags": list(self.lags),
            "norms": [[_sci(e.lo, 20), _sci(e.hi, 20)] for e in self.norms],
            "log10_norms": list(self.log10_norms), "rates": list(self.rates),
            "log10_bounds": list(self.log10_bounds), "within_bound": list(self.within_bound),
            "float64": list(self.float64), "float64_rel_error": list(self.float64_rel_error),
            "first_subnormal": self.first_subnormal, "first_zero": self.first_zero,
            "first_inf": self.first_inf, "max_rel_width": self.max_rel_width,
            "seconds": self.seconds,
            "method": {"kind": self.method.kind.value, "detail": self.method.detail},
        }

    def summary(self) -> str:
        """One line for the report."""
        return (
            f"{self.activation}, n={self.n}, σ_max(W)={self.sigma_max}, η={self.eta}: "
            f"‖∂x_T/∂x_0‖ ≈ 10^{self.log10_norms[-1]:.1f} at T={self.steps}, rate "
            f"{self.rates[-1]:.4f}/step; float64 subnormal at {self.first_subnormal}, 0 at "
            f"{self.first_zero}, inf at {self.first_inf}; max rel. width "
            f"{self.max_rel_width:.1e}; {self.seconds:.2f} s"
        )


def _rng_fraction(rng: random.Random, lo: Fraction, hi: Fraction, den: int) -> Fraction:
    a, b = math.ceil(lo * den), math.floor(hi * den)
    return Fraction(rng.randint(a, b), den)


def _nonzero_fraction(rng: random.Random) -> Fraction:
    """A random entry of ``x_0``: in [−1, 1], denominator 100, never 0. A zero entry puts
    σ′ at its maximum γ, and with W a multiple of an orthogonal matrix the step-1 bound
    ‖W diag(σ′(x_0))‖₂ ≤ η is then attained exactly, which no enclosure can decide (about
    one seed in a hundred drew such an entry). Redrawn, the stream is unchanged for every
    seed that drew no zero.

    >>> rng = random.Random(0)
    >>> all(_nonzero_fraction(rng) != 0 for _ in range(2000))
    True
    """
    while True:
        value = _rng_fraction(rng, Fraction(-1), Fraction(1), 100)
        if value != 0:
            return value


def rational_orthogonal(n: int, rng: random.Random) -> ExactMatrix:
    """An exactly orthogonal rational matrix: the Cayley transform ``(I−S)(I+S)⁻¹`` of a
    random skew-symmetric rational ``S``.

    >>> Q = rational_orthogonal(3, random.Random(1))
    >>> from numeric.matrices import transpose, identity
    >>> matmul(transpose(Q), Q) == identity(3)
    True
    """
    S = [[Fraction(0)] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            v = Fraction(rng.randint(-3, 3), 4)
            S[i][j], S[j][i] = v, -v
    Ip = fmpq_mat([[fmpq(int(i == j)) + fmpq(S[i][j].numerator, S[i][j].denominator)
                    for j in range(n)] for i in range(n)])
    Im = fmpq_mat([[fmpq(int(i == j)) - fmpq(S[i][j].numerator, S[i][j].denominator)
                    for j in range(n)] for i in range(n)])
    Q = Im * Ip.inv()
    return tuple(
        tuple(Fraction(int(Q[i, j].p), int(Q[i, j].q)) for j in range(n)) for i in range(n)
    )


def matrix_with_sigma_max(
    n: int, sigma_max: Fraction, seed: int, spread: Fraction = Fraction(1, 10)
) -> ExactMatrix:
    """A seeded rational ``n×n`` matrix whose largest singular value is exactly
    ``sigma_max`` (the others uniform in ``[spread·sigma_max, sigma_max]``).

    >>> from numeric.linalg import spectral_norm
    >>> spectral_norm(matrix_with_sigma_max(3, Fraction(9, 10), 0)).contains("9/10")
    True
    """
    rng = random.Random(seed)
    s = [sigma_max] + [
        _rng_fraction(rng, spread * sigma_max, sigma_max, 100) if spread < 1 else sigma_max
        for _ in range(n - 1)
    ]
    Q1, Q2 = rational_orthogonal(n, rng), rational_orthogonal(n, rng)
    S = tuple(tuple(s[i] if i == j else Fraction(0) for j in range(n)) for i in range(n))
    return matmul(matmul(Q1, S), Q2)


def _arb_of(q: Fraction) -> arb:
    return arb(fmpq(q.numerator, q.denominator))


def ball_norm(P: arb_mat, dps: int = 50) -> Enclosure:
    """Certified enclosure of ``‖P‖₂`` for a python-flint ball matrix ``P`` (call it at
    the working precision ``P`` was computed at).

    >>> ball_norm(arb_mat([[3, 0], [4, 0]])).contains(5)
    True
    """
    lo, hi, _ = _norm_bracket(P, arb_mat([[1] for _ in range(P.ncols())]), dps)
    return Enclosure.hull(lo, hi)


def _norm_bracket(P: arb_mat, v: arb_mat, dps: int) -> tuple[arb, arb, arb_mat]:
    """Certified [lo, hi] of ‖P‖₂ and the updated power-iteration vector. ``PᵀP`` is
    formed at ``dps + 20`` digits (rounding is rigorous: it only widens the balls), so
    the eigen-refinement and the LDLᵀ certificate do not pay for the working precision."""
    with ctx.workprec(min(ctx.prec, prec_bits(dps + 20))):
        return _norm_bracket_at(P.transpose() * P, v, dps)


def _norm_bracket_at(M: arb_mat, v: arb_mat, dps: int) -> tuple[arb, arb, arb_mat]:
    n = M.nrows()
    target = arb(10) ** (-(dps + 6))
    theta = None
    # float64 eigenvector of the trace-scaled M, then Rayleigh-quotient (inverse)
    # iteration at working precision: cubic convergence, two steps suffice
    tr = sum((M[i, i] for i in range(n)), arb(0)).mid()
    if not tr.is_zero():
        Ms = (M * (1 / tr)).mid()
        F = np.array([[float(Ms[i, j]) for j in range(n)] for i in range(n)])
        vec0 = np.linalg.eigh((F + F.T) / 2)[1][:, -1]
        v = arb_mat([[arb(float(c))] for c in vec0])
        eye = arb_mat([[int(i == j) for j in range(n)] for i in range(n)])
        best = v
        for _ in range(3):
            theta_new = _rayleigh_lower(M, [v[i, 0] for i in range(n)]).mid()
            if theta is not None and theta_new <= theta:
                break  # no progress (Rayleigh quotients never exceed λ_max): keep the best
            best = v
            converged = theta is not None and abs(theta_new - theta) <= target * abs(theta_new)
            theta = theta_new
            if converged:
                break
            w = (M - eye * theta).mid().solve(v, nonstop=True)
            if not all(w[i, 0].is_finite() for i in range(n)):
                break
            w = w.mid()
            nw = sum((w[i, 0] * w[i, 0] for i in range(n)), arb(0)).sqrt()
            if nw.is_zero():
                break
            v = (w * (1 / nw)).mid()
        v = best
    vec = [v[i, 0] for i in range(n)]
    lam_lo = _rayleigh_lower(M, vec)
    lo = arb(0) if lam_lo.lower() <= 0 else lam_lo.lower().sqrt().lower()
    hi = None
    if theta is not None and theta > 0:
        for e in [dps + 3 - 3 * a for a in range(6)] + [12, 6, 2]:
            mu = (theta * (1 + arb(10) ** (-e))).mid()
            if _certified_pd(M, mu):
                hi = mu.sqrt().upper()
                break
    if hi is None:  # Frobenius norm: always an upper bound
        hi = sum((M[i, i] for i in range(n)), arb(0)).upper().sqrt().upper()
    return lo, hi, v


class _Setup(NamedTuple):
    """A validated run: the exact W, σ_max(W) (or its certified upper bound), γ, η, the
    seeded generator positioned after x_0's draws, x_0, the reported and working digits."""

    W: ExactMatrix
    sigma_max: Fraction
    gamma: Fraction
    eta: Fraction
    rng: random.Random
    x0: list
    input_scale: Fraction
    dps: int
    work: int


class _Config(NamedTuple):
    """A run's arguments, checked and exact: what a run depends on (the key of
    :func:`decay_bound`'s cache). ``sigma_max`` and ``spread`` are None when ``W`` is given."""

    activation: str
    n: int
    steps: int
    sigma_max: Fraction | None
    dps: int
    seed: int
    input_scale: Fraction
    spread: Fraction | None
    x0: str
    W: ExactMatrix | None


def _config(activation, n, steps, sigma_max, dps, seed, input_scale, spread, x0, W) -> _Config:
    """Check the arguments of a run (both routes take the same) and make them exact."""
    if not isinstance(activation, str) or activation not in GAMMA:
        raise InvalidInputError(
            f"activation={activation!r} is not allowed; use 'tanh' or 'sigmoid'")
    for name, value, hi in (("n", n, MAX_SIDE), ("steps", steps, MAX_STEPS)):
        check_size(name, value, hi, "the decay experiment's budget")
    dps = check_dps(dps)
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise InvalidInputError(f"seed={seed!r} is not allowed; use an integer")
    input_scale = exact_scalar(input_scale, "input_scale")
    if W is None:
        s = exact_scalar(sigma_max, "sigma_max")
        if s <= 0:
            raise InvalidInputError(f"sigma_max={sigma_max!r} is not allowed; use a number > 0")
        spread = exact_scalar(spread, "spread")
        if not 0 < spread <= 1:
            raise InvalidInputError(f"spread={spread} is not allowed; use 0 < spread <= 1")
        Wq = None
    else:
        Wq = as_exact(W, square=True)
        if len(Wq) != n:
            raise InvalidInputError(f"W is {len(Wq)}x{len(Wq)} but n={n}; give n={len(Wq)}")
        s = spread = None
    if not isinstance(x0, str) or x0 not in ("random", "zero"):
        raise InvalidInputError(f"x0={x0!r} is not allowed; use 'random' or 'zero'")
    work = work_dps(dps, steps)
    if work > MAX_WORK_DPS:
        raise SizeBudgetError(
            f"steps={steps} with dps={dps} needs {work} working digits; the budget is "
            f"{MAX_WORK_DPS}: use fewer steps or a lower dps"
        )
    return _Config(activation, int(n), int(steps), s, dps, int(seed), input_scale, spread, x0, Wq)


def _setup(c: _Config) -> _Setup:
    """Draw the network of a checked run (shared by both routes, so :func:`decay_bound`
    runs the very network and drive of :func:`decay_experiment`)."""
    if c.W is None:
        Wq, s = matrix_with_sigma_max(c.n, c.sigma_max, c.seed, c.spread), c.sigma_max
    else:
        # an exact σ_max when rational, else its certified upper bound (η stays a bound)
        Wq = c.W
        s = spectral_norm(Wq, dps=c.dps, exact=len(Wq) <= 8).hi
    gamma = GAMMA[c.activation]
    rng = random.Random(c.seed + 1)
    x0 = [_nonzero_fraction(rng) if c.x0 == "random" else Fraction(0) for _ in range(c.n)]
    return _Setup(Wq, s, gamma, gamma * s, rng, x0, c.input_scale, c.dps,
                  work_dps(c.dps, c.steps))


def decay_experiment(
    *,
    activation: str = "tanh",
    n: int = 8,
    steps: int = 2000,
    sigma_max: Any = Fraction(9, 10),
    dps: int = 50,
    seed: int = 0,
    input_scale: Any = Fraction(1, 2),
    spread: Any = Fraction(1, 10),
    x0: str = "random",
    W: Any = None,
) -> DecayResult:
    """Run the experiment and return its data (no plotting).

    ``sigma_max`` (exact rational, e.g. ``"9/10"``) is ``σ_max(W)`` of the seeded
    random ``W`` (or pass ``W`` itself, square ``n×n``); ``input_scale`` scales the random
    drive ``d_t`` (0 for an autonomous network). ``dps`` is the precision of the reported
    enclosures; the internal precision is higher (see the module docstring).

    >>> decay_experiment(activation="relu")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: activation='relu' is not allowed; use 'tanh' or 'sigmoid'
    """
    Wq, s, gamma, eta, rng, x0, input_scale, dps, work = _setup(_config(
        activation, n, steps, sigma_max, dps, seed, input_scale, spread, x0, W))
    norms: list[Enclosure] = []
    within: list[bool | None] = []
    f64: list[float] = []
    first_sub = first_zero = first_inf = None
    act = ACTIVATIONS[activation]
    seconds = 0.0
    # The certified run and the float64 run (not evidence: it shows where float64 fails)
    # advance together, and each step's drive is drawn when it is used: memory holds the
    # per-step results the plot needs, never the whole drive at the working precision
    # (n·steps balls of work_dps digits each would grow with the steps).
    fparams = {"W_rec": FLOAT64.matrix(Wq), "W_in": np.eye(n), "b": np.zeros(n)}
    fduals = DualArithmetic(FLOAT64)
    fcur = Dual(FLOAT64.vector(x0), np.eye(n))
    with ctx.workprec(prec_bits(work)), np.errstate(all="ignore"):
        # the form-A cell on dual numbers over balls (W_in = I, b = 0, input d_t): the
        # tangent of x_t seeded with I at x_0 is ∂x_t/∂x_0
        eta_a, bound = _arb_of(eta), arb(1)
        params = {"W_rec": BALLS.matrix(Wq), "W_in": BALLS.identity(n), "b": arb_mat(n, 1)}
        duals = DualArithmetic(BALLS)
        cur = Dual(BALLS.vector(x0), BALLS.identity(n))
        v = arb_mat([[1] for _ in range(n)])
        for t in range(1, steps + 1):
            row = [input_scale * _rng_fraction(rng, Fraction(-1), Fraction(1), 1000)
                   for _ in range(n)]
            t0 = time.perf_counter()
            cur = _CELL.step(duals, act, params, (cur,), BALLS.vector(row)).state
            lo, hi, v = _norm_bracket(cur.tan, v, dps)
            norms.append(Enclosure.hull(lo, hi))
            bound = bound * eta_a  # η^t as a ball; certified comparison with the bracket
            within.append(True if hi <= bound.lower() else (False if lo > bound.upper()
                                                             else None))
            seconds += time.perf_counter() - t0
            fcur = _CELL.step(fduals, act, fparams, (fcur,), FLOAT64.vector(row)).state
            Pf = fcur.tan
            if not np.all(np.isfinite(Pf)):
                f64.append(float("inf"))
                first_inf = first_inf or t
                continue
            big = float(np.max(np.abs(Pf)))
            f64.append(float(np.linalg.norm(Pf, 2)))
            if first_sub is None and 0 < big < _TINY:
                first_sub = t
            if first_zero is None and big == 0:
                first_zero = t
    log10s, rates, rel_err, bounds = [], [], [], []
    with mpmath.workdps(30):
        log10_eta = float(mpmath.log10(mpmath.mpf(eta.numerator) / eta.denominator))
        for lag, e, f in zip(range(1, steps + 1), norms, f64):
            m = mpmath.mpf(e.mid.numerator) / e.mid.denominator
            lg = float(mpmath.log10(m)) if m > 0 else float("-inf")
            log10s.append(lg)
            rates.append(lg * math.log(10) / lag)
            bounds.append(lag * log10_eta)
            rel_err.append(float(abs(mpmath.mpf(f) - m) / m) if m > 0 else float("nan"))
    return DecayResult(
        activation=activation, n=n, steps=steps, sigma_max=s, gamma=gamma, eta=eta, dps=dps,
        work_dps=work, seed=seed, W=Wq, lags=tuple(range(1, steps + 1)),
        norms=tuple(norms), log10_norms=tuple(log10s), rates=tuple(rates),
        log10_bounds=tuple(bounds), within_bound=tuple(within), float64=tuple(f64),
        float64_rel_error=tuple(rel_err), first_subnormal=first_sub, first_zero=first_zero,
        first_inf=first_inf, max_rel_width=max(e.rel_width() for e in norms),
        seconds=seconds,
        method=Method(MethodKind.CERTIFIED, (
            f"python-flint balls at {work} digits; per step Rayleigh lower bound and "
            f"LDLᵀ certificate of μI − PᵀP (upper bound); W = {to_text(Wq) if n <= 3 else '...'}"
        )),
        scope=Scope(spans=(Span("n", n, n), Span("t", 1, steps)), activations=(activation,),
                    forms=("A",), checked=steps),
    )



@dataclass(frozen=True)
class BoundRun:
    """Certified ``‖∂x_t/∂x_0‖₂`` against ``η^t`` at every step of one run (the network,
    drive and working precision :func:`decay_experiment` uses for the same arguments).

    ``within_bound[t − 1]``: True (certified ``‖∂x_t/∂x_0‖₂ < η^t``), False (certified
    ``>``), None (undecided); ``brackets``: ``(t, Enclosure of ‖∂x_t/∂x_0‖₂)`` for the steps
    the one-sided certificate did not settle and the two-sided bracket was computed.
    """

    activation: str
    n: int
    steps: int
    sigma_max: Fraction
    gamma: Fraction
    eta: Fraction
    dps: int
    work_dps: int
    seed: int
    W: ExactMatrix = field(repr=False)
    within_bound: tuple[bool | None, ...] = field(repr=False)
    brackets: tuple[tuple[int, Enclosure], ...] = field(repr=False)
    method: Method = field(repr=False, default=Method(MethodKind.CERTIFIED))
    scope: Scope = field(repr=False, default=Scope())

    def norm_at(self, t: int) -> Enclosure | None:
        """The certified enclosure of ``‖∂x_t/∂x_0‖₂`` when step ``t`` needed the bracket.

        >>> r = decay_bound(n=2, steps=3, dps=20, eta="1/100")
        >>> r.within_bound, r.norm_at(1).hi > Fraction(1, 100)
        ((False, False, False), True)
        """
        return dict(self.brackets).get(t)


def decay_bound(
    *,
    activation: str = "tanh",
    n: int = 8,
    steps: int = 2000,
    sigma_max: Any = Fraction(9, 10),
    dps: int = 50,
    seed: int = 0,
    input_scale: Any = Fraction(1, 2),
    spread: Any = Fraction(1, 10),
    x0: str = "random",
    W: Any = None,
    eta: Any = None,
) -> BoundRun:
    """The question the vanishing and exploding claims ask of the experiment: is
    ``‖∂x_t/∂x_0‖₂ ≤ η^t`` at each step ``t ≤ steps``, certified? Same arguments, network,
    drive and ball arithmetic as :func:`decay_experiment`; ``eta`` is the rate compared with
    (default the experiment's ``η = γ σ_max(W)``; another value asks about a candidate rate).

    Per step one certificate answers "below": ``μI − PᵀP`` positive definite by an LDLᵀ
    factorisation with provably positive pivots, for ``μ ≤ η^{2t}``, gives
    ``‖P‖₂ < η^t``. Only where it does not succeed is the two-sided bracket of
    :func:`decay_experiment` computed, and the step decided by the same rule (so every step
    the full experiment decides is decided here, identically). No float64 run and no
    plotted columns. Runs are kept (bounded cache): claims asking about the same
    configuration share one run.

    >>> r = decay_bound(n=3, steps=30, dps=20)
    >>> all(w is True for w in r.within_bound), r.brackets
    (True, ())
    >>> decay_bound(n=2, steps=3, dps=20, eta=0)
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: eta=0 is not allowed; use a number > 0
    """
    config = _config(activation, n, steps, sigma_max, dps, seed, input_scale, spread, x0, W)
    key_eta = None if eta is None else exact_scalar(eta, "eta")
    if key_eta is not None and key_eta <= 0:
        raise InvalidInputError(f"eta={eta!r} is not allowed; use a number > 0")
    return _decay_bound(config, key_eta)


@functools.lru_cache(maxsize=64)
def _decay_bound(config: _Config, eta) -> BoundRun:
    Wq, s, gamma, eta_exp, rng, x0v, input_scale, dps, work = _setup(config)
    activation, n, steps, seed = config.activation, config.n, config.steps, config.seed
    rate = eta_exp if eta is None else eta
    act = ACTIVATIONS[activation]
    within: list[bool | None] = []
    brackets: list[tuple[int, Enclosure]] = []
    with ctx.workprec(prec_bits(work)):
        rate_a, bound = _arb_of(rate), arb(1)
        params = {"W_rec": BALLS.matrix(Wq), "W_in": BALLS.identity(n), "b": arb_mat(n, 1)}
        duals = DualArithmetic(BALLS)
        cur = Dual(BALLS.vector(x0v), BALLS.identity(n))
        v = arb_mat([[1] for _ in range(n)])
        # the drive of decay_experiment, draw for draw: input_scale · k/1000 with k uniform
        # in [-1000, 1000], made a ball straight from the exact rational
        p, q = input_scale.numerator, input_scale.denominator * 1000
        for t in range(1, steps + 1):
            row = arb_mat([[arb(fmpq(rng.randint(-1000, 1000) * p, q))] for _ in range(n)])
            cur = _CELL.step(duals, act, params, (cur,), row).state
            bound = bound * rate_a
            low = bound.lower()
            P = cur.tan
            if low > 0:
                mu = (low * low).lower()  # a point ≤ η^{2t}
                with ctx.workprec(min(ctx.prec, prec_bits(dps + 20))):
                    if _certified_pd(P.transpose() * P, mu):
                        within.append(True)
                        continue
            lo, hi, v = _norm_bracket(P, v, dps)
            brackets.append((t, Enclosure.hull(lo, hi)))
            within.append(True if hi <= bound.lower() else (False if lo > bound.upper()
                                                             else None))
    return BoundRun(
        activation=activation, n=n, steps=steps, sigma_max=s, gamma=gamma, eta=rate,
        dps=dps, work_dps=work, seed=seed, W=Wq, within_bound=tuple(within),
        brackets=tuple(brackets),
        method=Method(MethodKind.CERTIFIED, (
            f"python-flint balls at {work} digits; per step an LDLᵀ certificate of "
            f"μI − PᵀP with μ ≤ η^(2t) (‖P‖₂ < η^t), the two-sided norm bracket where it "
            f"does not settle the step")),
        scope=Scope(spans=(Span("n", n, n), Span("t", 1, steps)), activations=(activation,),
                    forms=("A",), checked=steps),
    )

__all__ = [
    "DecayResult", "decay_experiment", "BoundRun", "decay_bound", "work_dps", "max_dps", "MAX_WORK_DPS", "ball_norm", "GAMMA", "DECAY_ACTIVATIONS", "PRESETS",
    "matrix_with_sigma_max",
    "rational_orthogonal",
]
