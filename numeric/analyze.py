"""Certified answers about a user's own recurrent weights: vanishing, exploding possible, or
undecided.

For ``x_t = W σ(x_{t−1}) + W_in u_t + b`` the Jacobian product is
``∂x_t/∂x_k = ∏_{i=k+1}^{t} W diag(σ′(x_{i−1}))`` (the other form ``h_t = σ(W h_{t−1} + …)``
has ``∏ diag(σ′(a_i)) W``; every bound below holds for both, since ``ρ(WD) = ρ(DW)`` and the
scaling lemma is symmetric). :func:`analyze` returns one of three verdicts:

* ``vanishing`` — for **every** trajectory, ``‖∂x_t/∂x_k‖₂ ≤ κ · r^{t−k}`` with a certified
  ``r < 1``: either ``r = γ σ_max(W)`` (κ = 1, Pascanu's condition), or a diagonal scaling
  ``S`` with ``r = γ ‖S W S⁻¹‖₂`` and ``κ = κ(S)`` (the lemma of :mod:`numeric.scaling`).
  ``γ = sup |σ′|``: tanh 1, sigmoid 1/4, relu 1.
* ``exploding-possible`` — a **realizable** trajectory along which the product grows
  without bound: a state ``x*`` held fixed (by the inputs), whose one-step Jacobian
  ``P = W diag(d)``, ``d = σ′(x*)``, has certified spectral radius ``ρ(P) > 1``; then
  ``‖∂x_t/∂x_k‖₂ = ‖P^{t−k}‖₂ ≥ ρ(P)^{t−k} → ∞``. The certificate of ``ρ(P) > 1`` is a trace:
  ``|tr(P^k)| = |Σ λ_i^k| ≤ n ρ(P)^k``, so a ball enclosure of ``tr(P^k)`` with modulus above
  ``n`` proves ``ρ(P) ≥ (|tr P^k| / n)^{1/k} > 1`` (``P^k`` by repeated squaring in ball
  arithmetic; no eigenvalue has to be isolated). ``d`` is an exact rational in the range of
  ``σ′`` (tanh ``(0, 1]``, sigmoid ``(0, 1/4]``, relu ``{0, 1}``), so ``x*`` exists; it is
  returned as enclosures. **Without** ``W_in`` and an input range the inputs are assumed to
  put the state anywhere (every such ``x*`` is realizable: the worst case), and the result
  says so. **With** them, the constant input ``u`` that holds ``x*``
  (``W_in u = x* − W σ(x*) − b``) and the one that reaches ``x*`` from ``x_0 = 0`` are enclosed
  in ball arithmetic and must lie inside the range.
* ``undecided`` — neither certificate was found; the bounds found are returned.

The searches (scaling, growing state) are floating point; only re-checked certificates
decide. The growth search covers states held fixed (period 1); growth that needs a
changing state is not searched, and such a case comes out undecided.

>>> a = analyze([["1/2", 4], ["1/100", "1/2"]])
>>> a.verdict, a.certificate, a.scaling.s
('vanishing', 'diagonal-scaling', (Fraction(1, 1), Fraction(20, 1)))
>>> b = analyze([[3, "3/2"], [-4, "-9/5"]])
>>> b.verdict, b.certificate, b.growth.rho_lower > 1
('exploding-possible', 'fixed-state', True)
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from flint import arb, arb_mat, ctx, fmpq

from rnncore.errors import InvalidInputError, ShapeError
from rnncore.results import Method, MethodKind, Scope, Span
from rnnmodel.activations import ACTIVATIONS

from .enclosure import Enclosure
from .matrices import exact_scalar
from .scaling import ScalingCertificate, find_scaling, scaled_norm_estimate, search_scaling
from .svd import PREC_BITS, BallMatrix, ball_matrix, sigma_max

VANISHING, EXPLODING, UNDECIDED = "vanishing", "exploding-possible", "undecided"
#: A float ρ(W diag(d)) at which the growth search stops and hands over to the certificate.
ENOUGH_GROWTH = 1.05
#: Smallest power of the trace test when a larger one is in float range: the certified
#: lower bound ``ρ / n^{1/k}`` is then within a factor ``n^{1/16}`` of ``ρ``.
MIN_POWER = 16


@dataclass(frozen=True)
class DerivativeRange:
    """The values ``σ′`` takes on the reals: ``(floor, gamma]`` (``floor`` the smallest value
    the search uses, itself attained) or, when ``discrete``, exactly ``{0, gamma}``."""

    gamma: Fraction
    floor: Fraction
    discrete: bool = False


#: σ′(ℝ) for each activation, γ from the model's table; ``floor`` is the search's own choice.
DERIVATIVES = {
    "tanh": DerivativeRange(ACTIVATIONS["tanh"].gamma, Fraction(1, 2 ** 20)),        # (0, 1]
    "sigmoid": DerivativeRange(ACTIVATIONS["sigmoid"].gamma, Fraction(1, 2 ** 22)),  # (0, 1/4]
    "relu": DerivativeRange(ACTIVATIONS["relu"].gamma, Fraction(0), discrete=True),  # {0, 1}
}


@dataclass(frozen=True)
class GrowthCertificate:
    """A held state ``x*`` whose one-step Jacobian ``P = W diag(d)`` has ``ρ(P) > 1``.

    ``diagonal``: ``d = σ′(x*)`` (exact); ``state``: enclosures of one such ``x*``;
    ``power``: the ``k`` of the trace test; ``trace``: enclosure of ``tr(P^k)``;
    ``rho_lower``: the certified ``(|tr P^k| / n)^{1/k}`` (a lower bound of ``ρ(P)``);
    ``inputs``: enclosures of the constant input that holds ``x*`` (None: inputs assumed
    free); ``reach_inputs``: the input that reaches ``x*`` from ``x_0 = 0`` (or None).
    """

    diagonal: tuple[Fraction, ...]
    state: tuple[Enclosure, ...]
    power: int
    trace: Enclosure
    rho_lower: Fraction
    inputs: tuple[Enclosure, ...] | None = None
    reach_inputs: tuple[Enclosure, ...] | None = None

    def lower(self, steps: int) -> Fraction:
        """Certified lower bound ``ρ_lower^steps`` of ``‖∂x_t/∂x_k‖₂`` along the held state."""
        return self.rho_lower ** steps


@dataclass(frozen=True)
class Analysis:
    """What :func:`analyze` found: the ``verdict``, the ``certificate`` kind
    (``spectral-norm``, ``diagonal-scaling``, ``fixed-state`` or ``none``), the numbers
    (``sigma_max``, ``scaling``, ``growth``), the worst state found by the search
    (``worst_diagonal``, its float ``rho_estimate``, **uncertified**), ``inputs_anywhere``
    (the worst-case assumption on the inputs), the structured ``method`` and ``scope``,
    and a one-line ``reason``.
    """

    verdict: str
    certificate: str
    activation: str
    gamma: Fraction
    n: int
    sigma_max: Enclosure
    scaling: ScalingCertificate | None
    growth: GrowthCertificate | None
    worst_diagonal: tuple[float, ...]
    rho_estimate: float
    inputs_anywhere: bool
    method: Method
    scope: Scope
    reason: str

    @property
    def decided(self) -> bool:
        """True for ``vanishing`` and ``exploding-possible``."""
        return self.verdict != UNDECIDED

    @property
    def rate(self) -> Fraction:
        """The certified per-step factor ``r`` of :meth:`bound` (the better of γσ_max and the
        scaling's)."""
        base = self.gamma * self.sigma_max.hi
        if self.scaling is not None and self.scaling.certifies and self.scaling.rate < base:
            return self.scaling.rate
        return base

    @property
    def kappa(self) -> Fraction:
        """The constant ``κ`` of :meth:`bound`."""
        base = self.gamma * self.sigma_max.hi
        if self.scaling is not None and self.scaling.certifies and self.scaling.rate < base:
            return self.scaling.kappa
        return Fraction(1)

    def bound(self, steps: int) -> Fraction:
        """Certified ``κ r^steps ≥ ‖∂x_t/∂x_k‖₂`` for ``t − k = steps`` on every trajectory.

        >>> analyze([["1/2", 0], [0, "1/2"]]).bound(3)
        Fraction(1, 8)
        """
        return self.kappa * self.rate ** steps


def upper_text(x: Fraction, digits: int = 6) -> str:
    """``x`` rounded **up** to ``digits`` significant digits (a printed upper bound stays one).

    >>> upper_text(Fraction(7, 10) + Fraction(1, 10**17)), upper_text(Fraction(-1, 3))
    ('0.700001', '-0.333333')
    """
    if x == 0:
        return "0"
    e = math.floor(math.log10(abs(float(x))))
    scale = Fraction(10) ** (digits - 1 - e)
    m = -((-x * scale).__floor__())
    return f"{float(Fraction(m) / scale):.{digits}g}"


def lower_text(x: Fraction, digits: int = 6) -> str:
    """``x`` rounded **down** to ``digits`` significant digits.

    >>> lower_text(Fraction(2999, 1000) - Fraction(1, 10**9))
    '2.99899'
    """
    if x == 0:
        return "0"
    return upper_text(-x, digits)[1:] if x > 0 else "-" + upper_text(-x, digits)


def _range_of(activation: str) -> DerivativeRange:
    if activation not in DERIVATIVES:
        raise InvalidInputError(
            f"activation {activation!r} is not supported; use one of {', '.join(DERIVATIVES)}")
    return DERIVATIVES[activation]


def _dominant(M: np.ndarray) -> tuple[complex, np.ndarray, np.ndarray]:
    """Dominant eigenvalue with right and left eigenvectors (float; the left one is the row
    of R⁻¹, cheaper than a second eigendecomposition)."""
    vals, R = np.linalg.eig(M)
    i = int(np.argmax(np.abs(vals)))
    try:
        y = np.linalg.solve(R.T, np.eye(len(vals))[:, i])
    except np.linalg.LinAlgError:
        valsL, L = np.linalg.eig(M.T)
        y = L[:, int(np.argmin(np.abs(valsL - vals[i])))]
    return vals[i], R[:, i], y


def _rho(M: np.ndarray) -> float:
    return float(np.max(np.abs(np.linalg.eigvals(M))))


def search_growth(W: np.ndarray, activation: str = "tanh", *, iterations: int = 8
                  ) -> tuple[np.ndarray, float]:
    """A float diagonal ``d`` in the range of ``σ′`` that makes ``ρ(W diag(d))`` large (no
    certificate): projected gradient ascent (``∂λ/∂d_k = (yᵀW)_k x_k / (yᵀx)`` for the
    dominant eigenpair) and the vertex its gradient's signs point to.

    >>> d, rho = search_growth(np.array([[3, 1.5], [-4, -1.8]]))
    >>> bool(rho > 2.9), float(d[0])
    (True, 1.0)
    """
    W = np.asarray(W, dtype=np.float64)
    rng_ = _range_of(activation)
    g, lo = float(rng_.gamma), float(rng_.floor)
    n = W.shape[0]
    # Starts: every unit at the largest slope; the units with the largest self-weights
    # |W_ii| active and the others saturated (then ρ ≈ ρ of that principal submatrix);
    # a few random vertices.
    order = np.argsort(-np.abs(np.diag(W)))
    starts = [np.full(n, g)]
    k = 1
    while k < n:
        v = np.full(n, lo)
        v[order[:k]] = g
        starts.append(v)
        k *= 2
    rand = np.random.default_rng(0)
    starts += [np.where(rand.random(n) < 0.5, g, lo) for _ in range(2)]
    best_d, best = starts[0], -1.0
    for v in starts:
        r = _rho(W * v[None, :])
        if r > best:
            best_d, best = v, r
        if best > ENOUGH_GROWTH:
            return best_d, best
    d = best_d
    step = 0.5 * g
    for _ in range(iterations):
        lam, x, y = _dominant(W * d[None, :])
        den = y @ x
        if abs(lam) == 0 or den == 0:
            break
        dlam = (y @ W) * x / den
        grad = np.real(np.conj(lam) * dlam) / abs(lam)
        cands = [np.where(grad > 0, g, lo)]
        if not rng_.discrete:
            gn = np.linalg.norm(grad)
            if gn > 0:
                cands.append(np.clip(d + step * grad / gn, lo, g))
        improved = False
        for c in cands:
            r = _rho(W * c[None, :])
            if r > best * (1 + 1e-12):
                best_d, best, improved = c, r, True
        if not improved:
            step *= 0.5
            if step < 1e-6 * g:
                break
        d = best_d
        if best > ENOUGH_GROWTH:
            break
    return best_d, best


def _ball_column_scaled(Wb, d: tuple[Fraction, ...]):
    n = Wb.nrows()
    flat = Wb.entries()
    db = [arb(fmpq(x.numerator, x.denominator)) for x in d]
    out = arb_mat(n, n)
    for i in range(n):
        for j in range(n):
            if d[j] != 0:
                out[i, j] = flat[i * n + j] * db[j]
    return out


def _trace_of_product(A, B) -> arb:
    n = A.nrows()
    fa, fb = A.entries(), B.entries()
    return sum((fa[a * n + b] * fb[b * n + a] for a in range(n) for b in range(n)), arb(0))


def _choose_power(eigs: np.ndarray, n: int, max_log2: int) -> tuple[int, int] | None:
    """``(i, j)`` with ``k = 2^i + 2^j`` (``i == j`` means ``k = 2^i``) whose float trace
    ``Σ λ^k`` is predicted to exceed ``4n`` in modulus; smallest ``k`` first."""
    rho = float(np.max(np.abs(eigs)))
    if rho <= 1:
        return None
    cands = sorted({(max(i, j), min(i, j)) for i in range(max_log2 + 1) for j in range(i + 1)},
                   key=lambda p: (2 ** p[0] + (2 ** p[1] if p[0] != p[1] else 0)))
    scale = eigs / rho
    fallback = None
    for i, j in cands:
        k = 2 ** i + (2 ** j if i != j else 0)
        if k * math.log(rho) > 700:  # beyond the float range of the prediction
            break
        t = abs(np.sum(scale.astype(complex) ** k)) * rho ** k
        if t > 4 * n:
            if k >= MIN_POWER:
                return i, j
            fallback = fallback or (i, j)
    return fallback


def certify_growth(W: Any, diagonal, *, max_log2: int = 14) -> tuple[int, Enclosure, Fraction] | None:
    """Certify ``ρ(W diag(d)) > 1`` by the trace test (module docstring); returns
    ``(k, enclosure of tr(P^k), certified lower bound of ρ)`` or None.

    >>> k, tr, rho = certify_growth([[3, "3/2"], [-4, "-9/5"]], [1, "1/100"])
    >>> k, rho > 2
    (16, True)
    >>> certify_growth([["1/2", 0], [0, "1/2"]], [1, 1]) is None
    True
    """
    m = ball_matrix(W, "W")
    n = m.shape[0]
    d = tuple(exact_scalar(x, f"diagonal entry {i}") for i, x in enumerate(diagonal))
    if len(d) != n:
        raise ShapeError(f"the diagonal has {len(d)} entries; W needs {n}")
    P_f = m.approx * np.array([float(x) for x in d])[None, :]
    choice = _choose_power(np.linalg.eigvals(P_f), n, max_log2)
    if choice is None:
        return None
    i, j = choice
    k = 2 ** i + (2 ** j if i != j else 0)
    for bits in (PREC_BITS, 2 * PREC_BITS + 64):
        with ctx.workprec(bits):
            P = _ball_column_scaled(m.ball, d)
            squares = [P]
            for _ in range(i):
                squares.append(squares[-1] * squares[-1])
            if i == j:
                tr = sum((squares[i][a, a] for a in range(n)), arb(0))
            else:
                tr = _trace_of_product(squares[i], squares[j])
            if not tr.is_finite():
                continue
            mag = abs(tr).lower()
            if mag > n:
                rho = (arb(mag / n).log() / k).exp().lower()
                return k, Enclosure.from_arb(tr), Enclosure.from_arb(arb(rho)).lo
    return None


def _state_of(d: Fraction, rng_: DerivativeRange, activation: str, sign: int):
    """(x*, σ(x*)) as balls with ``σ′(x*) = d``."""
    q = arb(fmpq(d.numerator, d.denominator))
    if activation == "tanh":
        t = (1 - q).sqrt() * sign  # tanh(x*) = t exactly
        return t.atanh(), t
    if activation == "sigmoid":
        s = (1 + sign * (1 - 4 * q).sqrt()) / 2  # s(1 − s) = d
        return (s / (1 - s)).log(), s
    x = arb(1) if d == 1 else arb(-1)  # relu: any positive / negative state
    return x, (x if d == 1 else arb(0))


def _solve_inputs(W_in, r):
    """The minimum-norm ``u`` with ``W_in u = r`` (``W_in`` of full row rank), as balls."""
    n, m_ = W_in.nrows(), W_in.ncols()
    if m_ == n:
        return W_in.solve(r)
    Wt = W_in.transpose()
    return Wt * (W_in * Wt).solve(r)


def _inputs_for(m: BallMatrix, d, activation, rng_, W_in, b, lo, hi):
    """Certified inputs holding a state with ``σ′ = d`` (and reaching it from 0), or None."""
    n = m.shape[0]
    nin = W_in.shape[1]
    if nin < n:
        return None
    signs_list = [np.ones(n), -np.ones(n)] + [np.where(np.random.default_rng(s).random(n) < .5, 1, -1)
                                              for s in range(6)]
    for signs in signs_list:
        try:
            with ctx.workprec(PREC_BITS):
                pairs = [_state_of(x, rng_, activation, int(sg)) for x, sg in zip(d, signs)]
                xs = arb_mat([[p[0]] for p in pairs])
                sx = arb_mat([[p[1]] for p in pairs])
                bb = b.ball if b is not None else arb_mat(n, 1)
                s0 = arb(1) / 2 if activation == "sigmoid" else arb(0)
                hold = _solve_inputs(W_in.ball, xs - m.ball * sx - bb)
                reach = _solve_inputs(W_in.ball, xs - m.ball * arb_mat([[s0]] * n) - bb)
        except (ZeroDivisionError, ValueError):
            return None  # W_in W_inᵀ not certified invertible
        lb, hb = arb(fmpq(lo.numerator, lo.denominator)), arb(fmpq(hi.numerator, hi.denominator))
        ok = all(lb < hold[i, 0] and hold[i, 0] < hb and lb < reach[i, 0] and reach[i, 0] < hb
                 for i in range(nin))
        if ok:
            return (tuple(Enclosure.from_arb(p[0]) for p in pairs),
                    tuple(Enclosure.from_arb(hold[i, 0]) for i in range(nin)),
                    tuple(Enclosure.from_arb(reach[i, 0]) for i in range(nin)))
    return None


def _diagonals_to_try(W: np.ndarray, d_f: np.ndarray, rng_: DerivativeRange, anywhere: bool):
    """Exact rational diagonals to certify: the search's, and (when the inputs are bounded)
    less saturated ones that still grow, since a less saturated state needs smaller inputs."""
    g = rng_.gamma
    out = []
    floors = [None] if anywhere or rng_.discrete else [None, 1e-4, 1e-3, 1e-2, 0.05, 0.1, 0.3, 0.6]
    for f in floors:
        v = d_f if f is None else np.maximum(d_f, f * float(g))
        if f is not None and _rho(W * v[None, :]) <= 1:
            break
        if rng_.discrete:
            out.append(tuple(g if x > 0 else Fraction(0) for x in v))
        else:
            out.append(tuple(min(max(Fraction(float(x)), rng_.floor), g) for x in v))
    return out


def _to_column(b: Any, n: int) -> BallMatrix:
    arr = np.asarray(b)
    if arr.dtype.kind in "fiub":
        arr = arr.reshape(-1, 1) if arr.ndim == 1 else arr
        if arr.shape != (n, 1):
            raise ShapeError(f"the bias b has shape {np.shape(b)}; it needs {n} entries")
        return ball_matrix(arr, "b")
    return ball_matrix([[x] for x in b], "b")


def analyze(W: Any, activation: str = "tanh", W_in: Any = None, input_range: Any = None, *,
            b: Any = None, search_iterations: int = 8,
            scaling_iterations: int = 200) -> Analysis:
    """Decide whether the Jacobian products of the recurrent matrix ``W`` vanish along every
    trajectory, can grow without bound along a realizable one, or neither is certified
    (module docstring). ``input_range = (lo, hi)`` bounds every input coordinate (then
    ``W_in`` is required, ``b`` optional).

    >>> a = analyze([["1/2", 0], [0, "1/2"]], activation="sigmoid")
    >>> a.verdict, a.certificate, a.rate
    ('vanishing', 'spectral-norm', Fraction(1, 8))
    >>> analyze([[1, 0], [0, 1]], input_range=(0, 1))
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: an input range needs W_in (the input matrix); give W_in too
    """
    rng_ = _range_of(activation)
    m = ball_matrix(W, "W")
    n, c = m.shape
    if n != c:
        raise ShapeError(f"the recurrent matrix must be square; got shape {n}x{c}")
    lo_hi = None
    Win = bb = None
    if input_range is not None:
        if W_in is None:
            raise InvalidInputError("an input range needs W_in (the input matrix); give W_in too")
        lo, hi = (exact_scalar(x, "input range end") for x in input_range)
        if not lo < hi:
            raise InvalidInputError(f"the input range [{lo}, {hi}] is empty; give LO < HI")
        lo_hi = (lo, hi)
        Win = ball_matrix(W_in, "W_in")
        if Win.shape[0] != n:
            raise ShapeError(f"W_in has shape {Win.shape[0]}x{Win.shape[1]}; it needs {n} rows")
        bb = _to_column(b, n) if b is not None else None
    anywhere = lo_hi is None
    g = rng_.gamma
    forms = ("A", "B") if anywhere else ("A",)
    note = ("inputs assumed to put the state anywhere (worst case)" if anywhere
            else f"inputs in [{lo_hi[0]}, {lo_hi[1]}] through W_in, x_0 = 0")
    scope = Scope(spans=(Span("n", n, n), Span("T", 1, None)), activations=(activation,),
                  forms=forms, note=note)
    sig = sigma_max(m)

    def result(verdict, cert, method, reason, scaling=None, growth=None,
               worst=(float(g),) * n, rho_est=float("nan")):
        return Analysis(verdict, cert, activation, g, n, sig, scaling, growth,
                        tuple(float(x) for x in worst), rho_est, anywhere, method, scope, reason)

    if g * sig.hi < 1:
        return result(VANISHING, "spectral-norm",
                      Method(MethodKind.CERTIFIED, "γ·σ_max(W) < 1, σ_max enclosed in ball arithmetic"),
                      f"γ·σ_max(W) ≤ {upper_text(g * sig.hi)} < 1")
    # The float search first: a scaling that looks certifying is checked before the growth
    # search (the two verdicts exclude each other, so the order only saves time).
    s_f = search_scaling(m.approx, iterations=scaling_iterations)
    scaling = None
    if g * scaled_norm_estimate(m.approx, s_f) < 1:
        scaling = find_scaling(m, g, start=s_f, identity=False)
        if scaling.certifies:
            return result(VANISHING, "diagonal-scaling",
                          Method(MethodKind.CERTIFIED, "diagonal scaling S rational, "
                                 "γ‖SWS⁻¹‖₂ < 1 re-checked in ball arithmetic"),
                          f"γ‖SWS⁻¹‖₂ ≤ {upper_text(scaling.rate)} < 1 with κ(S) = "
                          f"{scaling.kappa}", scaling=scaling)
    d_f, rho_est = search_growth(m.approx, activation, iterations=search_iterations)
    none = Method(MethodKind.NONE, "no certificate found")
    reason = f"no growing held state found (largest ρ(W diag(σ′)) ≈ {rho_est:.9g})"
    # float ρ within rounding noise of 1 (an orthogonal W) is no evidence worth certifying
    for d in _diagonals_to_try(m.approx, d_f, rng_, anywhere) if rho_est > 1 + 1e-9 else ():
        proof = certify_growth(m, d)
        reason = f"the growing state found (ρ ≈ {rho_est:.6g}) could not be certified"
        if proof is not None:
            k, tr, rho_lo = proof
            held = _inputs_for(m, d, activation, rng_, Win, bb, *lo_hi) if lo_hi else None
            if anywhere or held is not None:
                if anywhere:
                    with ctx.workprec(PREC_BITS):
                        state = tuple(Enclosure.from_arb(_state_of(x, rng_, activation, 1)[0])
                                      for x in d)
                    inputs = reach = None
                else:
                    state, inputs, reach = held
                growth = GrowthCertificate(d, state, k, tr, rho_lo, inputs, reach)
                return result(EXPLODING, "fixed-state",
                              Method(MethodKind.CERTIFIED,
                                     "held state with ρ(W diag(σ′)) > 1 by a ball trace of P^k"),
                              f"ρ(W diag(σ′(x*))) ≥ {lower_text(rho_lo)} > 1 (|tr P^{k}| > n)",
                              scaling=scaling, growth=growth, worst=d, rho_est=rho_est)
            reason = ("the growing states found need inputs outside the range"
                      if Win.shape[1] >= n else
                      f"W_in has {Win.shape[1]} columns < n = {n}: held states are not searched")
    if scaling is None:
        scaling = find_scaling(m, g, start=s_f, identity=False, max_checks=1)
    return result(UNDECIDED, "none", none,
                  f"γσ_max ≤ {upper_text(g * sig.hi, 9)}, best scaling γ‖SWS⁻¹‖₂ ≤ "
                  f"{upper_text(scaling.rate, 9)}; {reason}",
                  scaling=scaling, worst=d_f, rho_est=rho_est)


def product_norms(W: Any, diagonal, steps: int) -> list[float]:
    """Float ``‖(W diag(d))^m‖₂`` for ``m = 1..steps`` (for plots; **not** certified).

    >>> [round(x, 3) for x in product_norms([[2, 0], [0, 1]], [1, 1], 3)]
    [2.0, 4.0, 8.0]
    """
    m = ball_matrix(W, "W")
    P = m.approx * np.array([float(x) for x in diagonal])[None, :]
    out, Q = [], np.eye(P.shape[0])
    for _ in range(steps):
        Q = P @ Q
        out.append(float(np.linalg.norm(Q, 2)))
    return out


__all__ = ["analyze", "Analysis", "GrowthCertificate", "DerivativeRange", "DERIVATIVES",
           "search_growth", "certify_growth", "product_norms", "VANISHING", "EXPLODING",
           "UNDECIDED"]
