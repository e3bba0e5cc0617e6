"""The randomized identity test (Schwartz–Zippel) with a stated error probability.

Both sides of an identity are evaluated at a random point of the ring
``GF(p_1) × … × GF(p_R)`` (:mod:`derive.modular_rnn`): R independent "trials", each with its
own prime drawn uniformly from the primes in ``[2^27, 2^28)`` and its own uniform values.
σ, σ' and the loss partials get independent uniform values at each distinct argument
value, so every evaluation is a genuine evaluation with *functions* σ, σ'. Equal sides as
polynomials in the flattened variables (symbols, one variable per distinct function
application) are equal for every σ, σ', L — for tanh, sigmoid and relu too — and always
pass; different sides pass with probability at most ε (:mod:`derive.certificate`, tracked
exactly from the degree and coefficient bounds of everything evaluated). A ``proved``
verdict has ε ≤ 2^-100 and carries it as ``Method.error_log2``.

The randomness comes from the operating system when the check starts (after the input is
fixed), unless a seed is passed to replay a run (:mod:`derive.seeds`); the seed used is in
``Result.data["seed"]`` and the whole certificate in ``Result.data["certificate"]``. A
random prime that divides a constant of the input is no verdict: other primes are drawn.

Jacobian checks compare ``rᵀ J(t, k) s`` with ``rᵀ C(t, k) s`` for random vectors r, s
(a nonzero matrix Δ gives a nonzero polynomial rᵀ Δ s), ``J(t, k) s`` from forward
differentiation of the unrolled network with tangent seed s and ``C(t, k) s`` from the
candidate's lazy matrix expression. A failing pair is evaluated in full to name the entry.

Differences: a trial where the sides differ proves they differ as formal expressions. For
generic functions that is a refutation (a smooth σ with the needed values at finitely many
distinct points exists): ``refuted`` with the ring point. With a concrete function
(tanh, relu, ...) it is not: ``undecided``. Either way ``Result.data["difference"]`` says
where (lhs: the direct side / first argument, rhs: the candidate / second argument), and
the decision policy (:mod:`derive.policy`) asks for a certified counterexample there.

>>> from derive.network import RNN
>>> from derive.closed_forms import eq13
>>> r = randomized_check_jacobian(RNN(4, 1, 6), eq13)
>>> r.verdict.value, r.method.kind.value, r.method.error_log2 <= -100, r.data["seed"] >= 0
('proved', 'randomized', True, True)
>>> bad = lambda net, t, k: eq13(net, t, k).T
>>> randomized_check_jacobian(RNN(4, 1, 6), bad).verdict.value
'refuted'
"""
from __future__ import annotations

import hashlib
import math
import time
from dataclasses import replace

import numpy as np
import sympy as sp

from rnncore.errors import InvalidInputError, ShapeError
from rnncore.results import Counterexample, Location, Method, MethodKind, Result, Scope, Span, Verdict

from .certificate import TARGET_LOG2, Certificate, error_bound_log2, trials_needed
from .modeval import ModEvaluator, NotWhitelisted, OverBudget, PrimeDividesConstant, RationalBound
from rnnmodel.ring import Field

from .bounds import Bound
from .modmatrix import ModMatrix
from .modular_rnn import MAX_TRIALS, ModularRNN
from .primes import random_primes
from .network import step_pairs
from .operands import as_operands, is_scalar
from .scopes import network_scope
from .seeds import resolve_seed

#: The technique, in every Result of this module.
DETAIL = "randomized identity test (Schwartz-Zippel mod random primes)"
#: The budget of one check, counted (deterministic: the same input gives the same verdict
#: on any machine, at any load): evaluation steps — for a Jacobian check, one cell step of
#: the forward-differentiation run per base step k and later step, plus one per pair
#: compared; for eq. 11, one per step of the direct run and one per term of the sums; for
#: two expressions, one per distinct subexpression evaluated. The largest check the CLI
#: accepts (n = 64, T = 128: 8256 steps + 8256 pairs) needs 16512; the modular network's
#: own limit T = 256 needs 65792.
STEP_BUDGET = 200_000
#: A hang guard only (seconds of wall-clock time): far beyond any check within
#: STEP_BUDGET, so that the machine's load never decides a verdict; its hit is undecided,
#: naming the guard.
TIME_BUDGET = 600.0
#: Draws of fresh primes when a prime divides a constant of the input (or a denominator
#: vanishes at the point) before the input is reported as not evaluable.
REDRAWS = 3


def _method(seed: int, replay: bool, error_log2: float | None = None) -> Method:
    return Method(MethodKind.RANDOMIZED, DETAIL + (f"; replayed from seed {seed}" if replay else ""),
                  error_log2=error_log2)


def _data(seed: int, replay: bool, **more) -> dict:
    return {"seed": seed, "replay": replay, "difference": None, **more}


def _primes(R: int, seed: int, draw: int) -> tuple[int, ...]:
    # draw 0 is the seed's own stream (the one ModularRNN uses), later draws fresh streams
    rng = np.random.default_rng([seed, 9] if draw == 0 else [seed, 9, draw])
    return random_primes(R, rng)


def _check_trials(trials) -> None:
    if trials is not None and (isinstance(trials, bool) or not isinstance(trials, int)
                               or not 1 <= trials <= MAX_TRIALS):
        raise InvalidInputError(f"trials={trials!r} is not allowed; use 1 <= trials <= {MAX_TRIALS}")


def _check_budget(time_budget, step_budget=1) -> None:
    if isinstance(time_budget, bool) or not isinstance(time_budget, (int, float)) or not time_budget > 0:
        raise InvalidInputError(f"time_budget={time_budget!r} is not allowed; use seconds > 0")
    if isinstance(step_budget, bool) or not isinstance(step_budget, int) or step_budget < 1:
        raise InvalidInputError(f"step_budget={step_budget!r} is not allowed; use an integer >= 1")


def _over_steps(step_budget: int, done: int, total: int, what: str) -> str:
    return (f"the step budget of {step_budget} evaluation steps ran out after {done} of {total} "
            f"{what}; nothing is claimed (raise step_budget / --step-budget, or check fewer)")


def _over_time(time_budget: float, done: int, total: int, what: str) -> str:
    return (f"the wall-clock hang guard (time budget) of {time_budget:g} s stopped the test after "
            f"{done} of {total} {what}; nothing is claimed (raise time_budget / --time-budget)")


def _stopped(scope: Scope, done: int, total: int, what: str) -> Scope:
    """``scope`` of a test a budget stopped after ``done`` of ``total`` cases: those are
    what was compared, the rest named as skipped (so no printer reads the stated scope as
    checked).

    >>> s = _stopped(Scope(checked=10), 3, 10, "pairs")
    >>> s.checked, s.skipped, s.skipped_what
    (3, 7, 'pairs past the budget')
    """
    return replace(scope, checked=done, skipped=total - done, skipped_what=f"{what} past the budget")


def _check_network(rnn) -> None:
    for name in ("n", "m", "T", "activation", "form"):
        if not hasattr(rnn, name):
            raise InvalidInputError(f"rnn={rnn!r} is not a network; pass a derive.network.RNN")


# --------------------------------------------------------------------------- Jacobians
def _sites(net: ModularRNN) -> list[tuple[int, int, float]]:
    return [(tab.calls, tab.arg_bound.deg, tab.arg_bound.h + tab.arg_bound.den)
            for tab in net.tables() if tab.calls]


def as_mod(value, net: ModularRNN, t: int, k: int) -> ModMatrix:
    """The candidate's value at (t, k) as a matrix of the modular network (or an error).

    >>> from derive.network import RNN
    >>> net = ModularRNN.from_rnn(RNN(2, 1, 2), seed=0, trials=1)
    >>> as_mod(net.W_rec, net, 1, 0).shape
    (2, 2)
    """
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


def _jacobian_run(rnn, candidate, pairs, seed, primes, tie, deadline, reuse: bool = True,
                  step_budget: int = STEP_BUDGET):
    """One run: ('ok', net, bound), ('differ', net, t, k, C), ('budget', done),
    ('steps', done) or ('protocol', why). ``step_budget``: evaluation steps (one per cell
    step of each base's run, one per pair), checked before each is taken. ``reuse``:
    ``C(t, k) s`` reuses the products with s of the subexpressions met at earlier pairs of
    the same k (:meth:`ModMatrix.apply_shared`), and
    the view's states come from the forward-differentiation run
    (:meth:`ModularRNN.adopt_states`); ``reuse=False`` is the reference route, each pair
    applied in full and the states computed again (same values, same table charges)."""
    net = ModularRNN.from_rnn(rnn, seed=seed, primes=primes, tie=tie)
    net = net if net.base == 0 else net.with_base(0)
    F = net.field
    rng = np.random.default_rng([seed, 5])
    r, s = F.random(rng, (net.n,)), F.random(rng, (net.n,))
    by_k: dict[int, list[int]] = {}
    for t, k in pairs:
        by_k.setdefault(k, []).append(t)
    worst = Bound(0)
    done = steps = 0
    for k in sorted(by_k):
        if time.monotonic() > deadline:
            return ("budget", done)
        steps += net.T - k
        if steps > step_budget:
            return ("steps", done)
        view = net.with_base(k)
        duals = view.jvp(k, s[:, :, None])
        if reuse:  # the candidate's states x_j from the run just made (form A)
            view.adopt_states(duals)
        memo: dict = {}
        for t in by_k[k]:
            if time.monotonic() > deadline:
                return ("budget", done)
            steps += 1
            if steps > step_budget:
                return ("steps", done)
            try:
                C = candidate(view, t, k)
            except AttributeError as exc:
                return ("protocol", str(exc))
            C = as_mod(C, net, t, k)
            d = duals[t]
            cv = _dot(F, r, C.apply_shared(s, memo) if reuse else C.apply(s))
            dv = _dot(F, r, d.tan[:, :, 0])
            diff = C.bound.plus(d.tb)
            worst = Bound(max(worst.deg, diff.deg), max(worst.h, diff.h), 0.0)
            done += 1
            if (cv != dv).any():
                return ("differ", net, t, k, C)
    return ("ok", net, worst)


def _redrawn(run, R: int, seed: int):
    """``run(primes)`` with the seed's primes; if a prime divides a constant of the input
    (the modular field refuses it) or a denominator vanishes, again with fresh primes."""
    last: Exception | None = None
    for draw in range(REDRAWS):
        try:
            return run(_primes(R, seed, draw)), draw
        except ShapeError:
            raise
        except (InvalidInputError, ZeroDivisionError, PrimeDividesConstant) as exc:
            if isinstance(exc, InvalidInputError) and "prime" not in str(exc):
                raise
            last = exc
    if isinstance(last, InvalidInputError):
        raise last
    return None, REDRAWS


def randomized_check_jacobian(rnn, candidate, *, pairs=None, seed: int | None = None,
                              trials: int | None = None, tie: bool = False,
                              time_budget: float = TIME_BUDGET, reuse: bool = True,
                              step_budget: int = STEP_BUDGET) -> Result:
    """Check a candidate ``∂x_t/∂x_k`` against forward differentiation of the unrolled
    network, for every ``0 <= k < t <= T`` (or ``pairs``), by the randomized identity test
    (module docstring: what the verdict means and its error bound).

    ``candidate(net, t, k)`` follows the shared protocol and is called with ``net`` the
    modular network with base k. ``seed``: None draws fresh randomness from the operating
    system, an integer replays a run; ``trials``: number of components (default: chosen
    from the degree bound); ``tie``: σ' = 1 − σ² (tanh) / σ(1 − σ) (sigmoid);
    ``step_budget``: evaluation steps (:data:`STEP_BUDGET`), past it ``undecided`` naming
    it; ``time_budget``: seconds, a hang guard only (:data:`TIME_BUDGET`), past it
    ``undecided`` naming it; ``reuse``: for each base k the vectors
    ``C(t, k) s`` reuse the products with s met at earlier t (the same values; ``False``
    is the reference route, each pair applied in full).

    >>> from derive.network import RNN
    >>> from derive.closed_forms import eq13
    >>> same = lambda net, t, k: eq13(net, t, k) * 2 - eq13(net, t, k)   # == eq13: accepted
    >>> randomized_check_jacobian(RNN(3, 1, 4), same, seed=3).data["certificate"].seed
    3
    >>> r = randomized_check_jacobian(RNN(3, 1, 4), lambda net, t, k: net.W_rec)
    >>> r.verdict.value, (r.counterexample.location.t, r.counterexample.location.k)
    ('refuted', (1, 0))
    """
    _check_network(rnn)
    if not callable(candidate):
        raise InvalidInputError(f"candidate={candidate!r} is not callable; pass (net, t, k) -> matrix")
    _check_budget(time_budget, step_budget)
    _check_trials(trials)
    seed, replay = resolve_seed(seed)
    all_pairs = pairs is None
    pairs = step_pairs(rnn, pairs)
    start = time.monotonic()
    deadline = start + time_budget
    n, T = rnn.n, rnn.T
    scope = network_scope(rnn, pairs, all_pairs)
    # a-priori estimate: degree of the direct side ≤ 3T + 2, coefficients ≤ n^T, sites ≤ 4 n (T+1)^2
    est_sites = [(4 * n * (T + 1) ** 2 + 64, 3, math.log2(n + rnn.m + 2) + 2)] * 2
    R = trials or trials_needed(4 * T + 8, T * (math.log2(n) + 4) + 16, est_sites)
    tie = bool(tie)
    eps = math.inf
    for attempt in range(2):
        out, draw = _redrawn(lambda primes: _jacobian_run(rnn, candidate, pairs, seed, primes, tie,
                                                          deadline, reuse, step_budget), R, seed)
        if out is None:
            return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, DETAIL), scope,
                          f"the candidate could not be evaluated modulo {REDRAWS} draws of random "
                          f"primes (a vanishing denominator)", data=_data(seed, replay))
        if out[0] in ("budget", "steps"):
            why = (_over_time(time_budget, out[1], len(pairs), "pairs") if out[0] == "budget"
                   else _over_steps(step_budget, out[1], len(pairs), "pairs"))
            return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, DETAIL),
                          _stopped(scope, out[1], len(pairs), "pairs"), why,
                          data=_data(seed, replay))
        if out[0] == "protocol":
            return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, DETAIL), scope,
                          f"the candidate uses something the modular network does not offer "
                          f"({out[1]}); it runs on the exact backend only", data=_data(seed, replay))
        if out[0] == "differ":
            return _differ_jacobian(rnn, out, scope, seed, replay, tie)
        _, net, worst = out
        degree = worst.deg + 2  # rᵀ Δ s
        height = worst.h + 2 * math.log2(n) + 1
        sites = _sites(net)
        eps = error_bound_log2(net.primes, degree, height, sites)
        if eps <= TARGET_LOG2:
            cert = Certificate(seed, net.primes, net.field.R, degree, height,
                               tuple((tab.name, tab.calls) for tab in net.tables() if tab.calls),
                               eps, net.digest(), f"{len(pairs)} pairs", replay)
            what = ("σ' = 1 − σ² (tied)" if tie and rnn.activation == "tanh" else
                    "σ' = σ(1 − σ) (tied)" if tie else "σ, σ' independent generic functions")
            if rnn.activation == "relu":
                what += " (so it holds for relu with σ' = step, step(0) = 0)"
            elif rnn.activation in ("tanh", "sigmoid") and not tie:
                what += f" (so it holds for {rnn.activation} with its derivative)"
            return Result(Verdict.PROVED, _method(seed, replay, eps),
                          network_scope(rnn, pairs, all_pairs, note=what),
                          f"rᵀ (∂x_t/∂x_k) s = rᵀ C(t, k) s in all {net.field.R} trials for every "
                          f"pair (direct side by forward differentiation); difference degree ≤ "
                          f"{degree}; {time.monotonic() - start:.2f} s",
                          data=_data(seed, replay, certificate=cert, redraws=draw))
        if trials is not None or attempt == 1:
            break
        R = trials_needed(degree, height, sites)
    return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, DETAIL), scope,
                  f"the sides agreed, but with the measured degree bound the error bound "
                  f"2^{eps:.1f} exceeds 2^{TARGET_LOG2:g} at {R} trials; rerun with more trials",
                  data=_data(seed, replay))


def _differ_jacobian(rnn, out, scope: Scope, seed: int, replay: bool, tie: bool) -> Result:
    _, net, t, k, C = out
    Cd = C.value()
    Jd = net.direct_jacobian(t, k).value()
    comp, a, b = (int(x) for x in np.argwhere(Cd != Jd)[0])
    p = net.primes[comp]
    lhs, rhs = int(Jd[comp, a, b]), int(Cd[comp, a, b])
    R = net.field.R
    data = {"t": t, "k": k, "entry": (a, b), "component": comp, "prime": p, "lhs": lhs, "rhs": rhs,
            "seed": seed, "trials": R, "primes": net.primes, "tie": tie,
            "point": net.point_data(), "kind": "modular"}
    pd = data["point"]
    letter = "x" if rnn.form == "A" else "h"
    point = (("ring", f"GF(p_1) x ... x GF(p_{R})"), ("primes", str(net.primes)),
             ("seed", str(seed)), ("trial", str(comp)), ("prime", str(p)),
             ("W_rec (this trial)", str(pd["W_rec"][comp])),
             (f"{letter}_{k} (this trial)", str(pd["bases"][k][comp]) if k in pd["bases"] else "?"))
    location = Location(t=t, k=k, entry=(a, b), layout="numerator")
    cex = Counterexample(point, lhs=f"{lhs} (mod {p})", rhs=f"{rhs} (mod {p})", location=location,
                         note=("lhs: ∂x_t/∂x_k by forward differentiation, rhs: the candidate; σ, σ' "
                               "take independent random values at each distinct argument value (a "
                               "function on the ring); the whole point is in data['point'] and "
                               "recheck_jacobian re-evaluates it"), data=data)
    diff = {"t": t, "k": k, "entry": (a, b), "counterexample": cex}
    if rnn.activation == "generic":
        return Result(Verdict.REFUTED, _method(seed, replay), scope,
                      f"the candidate differs from ∂x_t/∂x_k at (t, k) = ({t}, {k}), entry "
                      f"({a}, {b}): {lhs} != {rhs} mod {p}", counterexample=cex,
                      data=_data(seed, replay, difference=diff))
    return Result(Verdict.UNDECIDED, _method(seed, replay), scope,
                  f"the sides differ as formal expressions at (t, k) = ({t}, {k}), entry ({a}, {b}) "
                  f"({lhs} != {rhs} mod {p}, σ, σ' generic); for {rnn.activation} this does not by "
                  f"itself refute the claim", data=_data(seed, replay, difference=diff))


def recheck_jacobian(rnn, candidate, counterexample) -> bool:
    """Re-evaluate a modular refutation from its data: rebuild the point from the seed and
    primes, recompute the forward-differentiated entry (lhs) and the candidate's (rhs), and
    confirm they differ with the recorded values. ``counterexample`` may also be the Result
    (its ring point is in ``data["difference"]`` when a rational one replaced it).

    >>> from derive.network import RNN
    >>> rnn = RNN(3, 1, 4)
    >>> bad = lambda net, t, k: net.W_rec
    >>> recheck_jacobian(rnn, bad, randomized_check_jacobian(rnn, bad))
    True
    """
    if isinstance(counterexample, Result):
        diff = (counterexample.data or {}).get("difference") if isinstance(counterexample.data, dict) else None
        counterexample = diff["counterexample"] if diff else counterexample.counterexample
    d = getattr(counterexample, "data", None)
    if not isinstance(d, dict) or d.get("kind") != "modular":
        raise InvalidInputError("this counterexample has no modular point data to re-check")
    net = ModularRNN.from_rnn(rnn, seed=d["seed"], primes=d["primes"], tie=d["tie"])
    net = net if net.base == 0 else net.with_base(0)
    t, k, (a, b), c = d["t"], d["k"], d["entry"], d["component"]
    C = as_mod(candidate(net.with_base(k), t, k), net, t, k).value()[c, a, b]
    J = net.direct_jacobian(t, k).value()[c, a, b]
    return (int(J) == d["lhs"] and int(C) == d["rhs"] and C != J
            and net.point_data()["W_rec"] == d["point"]["W_rec"])


# --------------------------------------------------------------------------- eq. 11
def randomized_check_eq11(rnn, *, loss: str = "generic", seed: int | None = None,
                          trials: int | None = None, first: int = 1, last_offset: int = 0,
                          time_budget: float = TIME_BUDGET, step_budget: int = STEP_BUDGET) -> Result:
    """Blog eq. 11 for θ = W_rec at every t = 1..T: ``∂E_t/∂W_rec`` by forward
    differentiation (tangents seeded on the n² entries of W_rec; ``lhs``) against
    ``Σ_{k=first}^{t−last_offset} ∂E_t/∂x_t · ∂x_t/∂x_k · ∂⁺x_k/∂W_rec`` with ∂x_t/∂x_k from
    eq. 13 (:meth:`derive.modular_rnn.ModularRNN.eq11_gradient`; ``rhs``); all n² entries
    compared. ``last_offset=1`` is the wrong variant "sum ending at t − 1".
    ``step_budget`` (evaluation steps) and ``time_budget`` (a hang guard, seconds) as in
    :func:`randomized_check_jacobian`.

    >>> from derive.network import RNN
    >>> r = randomized_check_eq11(RNN(3, 1, 4))
    >>> r.verdict.value, r.method.error_log2 <= -100
    ('proved', True)
    >>> r = randomized_check_eq11(RNN(3, 1, 4), last_offset=1)
    >>> r.verdict.value, r.counterexample.location.t
    ('refuted', 1)
    """
    _check_network(rnn)
    if isinstance(last_offset, bool) or not isinstance(last_offset, int) or last_offset < 0:
        raise InvalidInputError(f"last_offset={last_offset!r} is not allowed; use an integer >= 0")
    if isinstance(first, bool) or not isinstance(first, int) or first < 1:
        raise InvalidInputError(f"first={first!r} is not allowed; use an integer >= 1 (the k = 0 term is 0)")
    _check_trials(trials)
    _check_budget(time_budget, step_budget)
    seed, replay = resolve_seed(seed)
    start = time.monotonic()
    n, T = rnn.n, rnn.T
    scope = Scope(spans=(Span("n", n, n), Span("m", rnn.m, rnn.m), Span("T", T, T)),
                  activations=(rnn.activation,), forms=(rnn.form,), losses=(loss,), checked=T,
                  note=f"θ = W_rec, every t = 1..{T}, all {n * n} entries")
    none = Method(MethodKind.NONE, DETAIL)
    est_sites = [(4 * n * (T + 1) + 64, 3, math.log2(n + rnn.m + 2) + 2)] * 3
    R = trials or trials_needed(4 * T + 8, T * (math.log2(n) + 4) + 16, est_sites)
    eps = math.inf
    for attempt in range(2):
        net = ModularRNN.from_rnn(rnn, seed=seed, trials=R, loss=loss)
        net = net if net.base == 0 else net.with_base(0)
        if T > step_budget:
            return Result(Verdict.UNDECIDED, none, _stopped(scope, 0, T, "steps t"),
                          _over_steps(step_budget, 0, T, "steps t"), data=_data(seed, replay))
        direct = net.direct_gradient()
        worst = Bound(0)
        steps = T
        for t in range(1, T + 1):
            if time.monotonic() - start > time_budget:
                return Result(Verdict.UNDECIDED, none, _stopped(scope, t - 1, T, "steps t"),
                              _over_time(time_budget, t - 1, T, "steps t"),
                              data=_data(seed, replay))
            last = t - last_offset
            steps += max(last - first + 1, 0)
            if steps > step_budget:
                return Result(Verdict.UNDECIDED, none, _stopped(scope, t - 1, T, "steps t"),
                              _over_steps(step_budget, t - 1, T, "steps t"),
                              data=_data(seed, replay))
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
                    (("primes", str(net.primes)), ("seed", str(seed)), ("trial", str(c)),
                     ("prime", str(p))),
                    lhs=f"{int(Dv[c, a, b])} (mod {p})", rhs=f"{int(G[c, a, b])} (mod {p})",
                    location=Location(t=t, entry=(a, b), note="∂E_t/∂W_rec"),
                    note="lhs: ∂E_t/∂W_rec by forward differentiation, rhs: the eq. 11 sum",
                    data={"t": t, "entry": (a, b), "component": c, "prime": p, "seed": seed,
                          "primes": net.primes, "point": net.point_data(), "kind": "modular-eq11"})
                diff = {"t": t, "entry": (a, b), "counterexample": cex}
                if rnn.activation == "generic":
                    return Result(Verdict.REFUTED, _method(seed, replay), scope,
                                  f"the sides differ at t = {t}, entry ({a}, {b})",
                                  counterexample=cex, data=_data(seed, replay, difference=diff))
                return Result(Verdict.UNDECIDED, _method(seed, replay), scope,
                              f"the sides differ as formal expressions at t = {t}, entry ({a}, {b}); "
                              f"for {rnn.activation} that does not by itself refute eq. 11",
                              data=_data(seed, replay, difference=diff))
        eps = error_bound_log2(net.primes, worst.deg, worst.h + 1, _sites(net))
        if eps <= TARGET_LOG2:
            cert = Certificate(seed, net.primes, R, worst.deg, worst.h + 1,
                               tuple((tab.name, tab.calls) for tab in net.tables() if tab.calls),
                               eps, net.digest(), f"t = 1..{T}, all {n * n} entries", replay)
            return Result(Verdict.PROVED, _method(seed, replay, eps), scope,
                          f"∂E_t/∂W_rec (forward differentiation) = eq. 11 with eq. 13 in all "
                          f"{R} trials; {time.monotonic() - start:.2f} s",
                          data=_data(seed, replay, certificate=cert))
        if trials is not None or attempt == 1:
            break
        R = trials_needed(worst.deg, worst.h + 1, _sites(net))
    return Result(Verdict.UNDECIDED, none, scope,
                  f"error bound 2^{eps:.1f} above 2^{TARGET_LOG2:g} at {R} trials",
                  data=_data(seed, replay))


# --------------------------------------------------------------------------- SymPy expressions
def randomized_prove_equal(a, b, *, seed: int | None = None, trials: int | None = None,
                           time_budget: float = TIME_BUDGET,
                           step_budget: int = STEP_BUDGET) -> Result:
    """Decide whether two SymPy expressions or explicit matrices are identical as functions
    of their free symbols (σ, σ', L and any undefined function generic) by the randomized
    identity test: ``proved`` with ε ≤ 2^-100 (``Method.error_log2``); ``refuted`` with the
    ring point when only generic functions occur; ``undecided`` for interpreted functions
    (tanh, relu, exp … are free atoms here, which proves but cannot refute; the difference
    is in ``data["difference"]``), nodes outside the whitelist, or the budget: at most
    ``step_budget`` distinct subexpressions evaluated per draw, ``time_budget`` seconds a
    hang guard (as in :func:`randomized_check_jacobian`).

    >>> from derive.activations import sigma, dsigma
    >>> x, y = sp.symbols("x y")
    >>> r = randomized_prove_equal((x + y) ** 2, x**2 + 2*x*y + y**2)
    >>> r.verdict.value, r.method.error_log2 <= -100
    ('proved', True)
    >>> r = randomized_prove_equal(sigma(x) * dsigma(y), sigma(y) * dsigma(x))
    >>> r.verdict.value, r.counterexample.location.entry
    ('refuted', None)
    >>> randomized_prove_equal(sp.tanh(x) ** 2, 1 - sp.tanh(x) ** 2).verdict.value
    'undecided'
    """
    A, B = as_operands(a, b)
    scalar = is_scalar(a) and is_scalar(b)
    _check_trials(trials)
    _check_budget(time_budget, step_budget)
    seed, replay = resolve_seed(seed)
    start = time.monotonic()
    R = trials or 8
    scope = Scope(checked=A.rows * A.cols, note="all values of the free symbols; every function "
                  "application an arbitrary function of its argument")
    none = Method(MethodKind.NONE, DETAIL)
    eps = math.inf
    for attempt in range(2):
        for draw in range(REDRAWS + 1):
            if draw == REDRAWS:
                return Result(Verdict.UNDECIDED, none, scope,
                              f"not decided: {REDRAWS} draws of random primes each divided a "
                              f"constant or a vanishing denominator", data=_data(seed, replay))
            F = Field(_primes(R, seed, draw))
            ev = ModEvaluator(F, np.random.default_rng([seed, 0] if draw == 0 else [seed, 0, draw]),
                              deadline=start + time_budget, salt=f"rnnproof-expr-{seed}-{draw}".encode(),
                              budget=step_budget)
            worst = RationalBound(0, 0, 0.0, 0.0)
            try:
                for i in range(A.rows):
                    for j in range(A.cols):
                        va, ba = ev.value(A[i, j])
                        vb, bb = ev.value(B[i, j])
                        d = ba.add(bb)
                        worst = RationalBound(max(worst.dn, d.dn), 0, max(worst.hn, d.hn), 0.0)
                        if (va != vb).any():
                            return _differ_expr(ev, F, seed, replay, None if scalar else (i, j),
                                                va, vb, scope)
            except (PrimeDividesConstant, ZeroDivisionError):
                continue
            except OverBudget as exc:
                why = (f"the step budget of {step_budget} distinct subexpressions ran out while "
                       f"evaluating; nothing is claimed (raise step_budget)" if exc.counted else
                       f"the wall-clock hang guard (time budget) of {time_budget:g} s stopped "
                       f"the evaluation; nothing is claimed (raise time_budget)")
                return Result(Verdict.UNDECIDED, none, _stopped(scope, 0, scope.checked, "entries"),
                              why, data=_data(seed, replay))
            except NotWhitelisted as exc:
                return Result(Verdict.UNDECIDED, none, scope, f"not decided: {exc}",
                              data=_data(seed, replay))
            except RecursionError:
                return Result(Verdict.UNDECIDED, none, scope,
                              "not decided: the expression is nested too deeply",
                              data=_data(seed, replay))
            break
        sites = [(tab.calls, tab.arg_bound.deg, tab.arg_bound.h) for tab in ev.tables.values() if tab.calls]
        eps = error_bound_log2(F.primes, worst.dn, worst.hn, sites)
        if eps <= TARGET_LOG2:
            cert = Certificate(seed, F.primes, R, worst.dn, worst.hn,
                               tuple((tab.name, tab.calls) for tab in ev.tables.values() if tab.calls),
                               eps, _expr_digest(seed, F, ev), f"{A.rows * A.cols} entries", replay)
            return Result(Verdict.PROVED, _method(seed, replay, eps), scope,
                          f"a − b vanished in all {R} trials; degree of the difference ≤ {worst.dn}",
                          data=_data(seed, replay, certificate=cert))
        if trials is not None or attempt == 1:
            break
        R = trials_needed(worst.dn, worst.hn, sites)
    return Result(Verdict.UNDECIDED, none, scope,
                  f"the sides agreed, but the error bound 2^{eps:.1f} exceeds 2^{TARGET_LOG2:g} "
                  f"at {R} trials", data=_data(seed, replay))


def _expr_digest(seed, F, ev) -> str:
    h = hashlib.sha256(repr((seed, F.primes)).encode())
    for s in sorted(ev.symbols, key=str):
        h.update(str(s).encode() + np.asarray(ev.symbols[s]).tobytes())
    for key in sorted(ev.tables, key=str):
        h.update(repr(ev.tables[key].digest_items()).encode())
    return h.hexdigest()


def _differ_expr(ev, F, seed, replay, entry, va, vb, scope) -> Result:
    comp = int(np.argwhere(va != vb)[0][0])
    p = F.primes[comp]
    point = tuple(sorted((str(s), str(int(np.asarray(v)[comp]))) for s, v in ev.symbols.items()))
    data = {"entry": entry, "component": comp, "prime": p, "primes": F.primes, "seed": seed,
            "subs": {s: np.asarray(v).tolist() for s, v in ev.symbols.items()},
            "function_values": {str(k): dict(t.values) for k, t in ev.tables.items()},
            "lhs": int(va[comp]), "rhs": int(vb[comp]), "kind": "modular-expr"}
    cex = Counterexample(point, lhs=f"{int(va[comp])} (mod {p})", rhs=f"{int(vb[comp])} (mod {p})",
                         location=Location(entry=entry),
                         note=(f"values in trial {comp} (p = {p}); function applications take "
                               f"independent random values per distinct argument (see data)"),
                         data=data)
    diff = {"entry": entry, "counterexample": cex}
    if ev.interpreted:
        return Result(Verdict.UNDECIDED, _method(seed, replay), scope,
                      f"the sides differ{'' if entry is None else f' at entry {entry}'} with "
                      f"{', '.join(sorted(ev.interpreted))} treated as free functions; that does "
                      f"not refute the identity for the real functions",
                      data=_data(seed, replay, difference=diff))
    return Result(Verdict.REFUTED, _method(seed, replay), scope,
                  "a − b is nonzero at a ring point" + ("" if entry is None else f" in entry {entry}"),
                  counterexample=cex, data=_data(seed, replay, difference=diff))


__all__ = [
    "DETAIL", "STEP_BUDGET", "TIME_BUDGET", "randomized_check_jacobian", "recheck_jacobian",
    "randomized_check_eq11", "randomized_prove_equal", "as_mod",
]
