"""``check_jacobian``: a candidate formula for ∂x_t/∂x_k against the direct Jacobian.

Candidate protocol (shared with ``derive.identity`` and ``derive.formula``): a callable
``candidate(net, t, k) -> matrix`` where ``net`` is ``rnn.with_base(k)`` (exact) or a
randomized evaluation of the same network; it may use ``net.n .m .T .form .activation
.W_rec .W_in .b .u(t) .state(j) .sigma_argument(j) .D(j) .sigma(z) .dsigma(z)
.identity()`` and the matrix operations ``*``/``@``, ``.T``, ``+``, ``-`` and scalar
multiplication.

Exact method: for each base k, the direct Jacobians ``∂x_t/∂x_k`` of the composed network
come from memoised forward differentiation (:class:`derive.direct.ForwardJacobians`,
entry by entry, no matrix chain rule) as canonical polynomials in the symbols and the
function applications (:class:`derive.prove.Canonicalizer`); the candidate's matrix is
converted into the same canonical form, memoised over its DAG, and the two are compared
term by term. Equal canonical polynomials are equal functions (the proof); for the first
failing ``(t, k)`` (pairs in the order t ascending, then k descending — shortest products
first) a certified counterexample is searched as in :func:`derive.prove.prove_equal`.
Nothing is expanded as a SymPy expression, so n = 4, T = 6 with all 21 pairs takes well
under a second (see ``bench/bench_eq13.py`` and ``docs/derive.md``).

>>> from derive.network import RNN
>>> from derive.closed_forms import eq13
>>> check_jacobian(RNN(2, 1, 3), eq13).verdict.value
'proved'
>>> r = check_jacobian(RNN(2, 1, 3), lambda net, t, k: eq13(net, t, k).T)
>>> r.verdict.value, r.counterexample.data["t"], r.counterexample.data["k"]
('refuted', 1, 0)
"""
from __future__ import annotations

import random
from fractions import Fraction

import flint
import sympy as sp

from rnncore.errors import InvalidInputError, ShapeError
from rnncore.results import Result, Verdict

from .direct import ForwardJacobians
from .network import RNN, step_pairs
from .prove import (
    _ARB_PREC,
    COUNTEREXAMPLE_TRIES,
    BudgetExceeded,
    Canonicalizer,
    Evaluator,
    PointFailed,
    Unsupported,
    _arb,
    certified_difference,
    counterexample_from,
    random_point,
)

#: Methods accepted by :func:`check_jacobian`.
METHODS: tuple[str, ...] = ("auto", "exact")
#: Exact budget: estimated terms of the largest direct Jacobian (all n² entries).
EXACT_JACOBIAN_BUDGET = 300_000


def estimated_terms(rnn: RNN, d: int) -> int:
    """Estimated number of terms of ``∂x_{k+d}/∂x_k`` once canonical (all n² entries):
    ``n^(d+1)`` path products, times ``2^d`` for tanh/sigmoid (σ' has two terms).

    >>> estimated_terms(RNN(4, 1, 6), 6)
    16384
    """
    per = rnn.n ** (d + 1)
    if rnn.activation in ("tanh", "sigmoid"):
        per *= 2 ** d
    return per


def _as_candidate_matrix(value, rnn: RNN, t: int, k: int) -> sp.MatrixBase:
    if not isinstance(value, sp.MatrixBase):
        raise InvalidInputError(
            f"the candidate returned a {type(value).__name__} ({str(value)[:60]!r}) at "
            f"(t, k) = ({t}, {k}); it must return an n x n sympy Matrix (n={rnn.n})"
        )
    if value.shape != (rnn.n, rnn.n):
        raise ShapeError(
            f"the candidate returned a {value.rows}x{value.cols} matrix at (t, k) = ({t}, {k}); "
            f"∂x_t/∂x_k is n x n = {rnn.n}x{rnn.n}"
        )
    return value


def _scope(rnn: RNN, pairs, all_pairs: bool) -> str:
    which = (f"all {len(pairs)} pairs 0<=k<t<=T" if all_pairs
             else f"{len(pairs)} pair(s) {', '.join(map(str, pairs[:6]))}{'...' if len(pairs) > 6 else ''}")
    return (f"n={rnn.n}, m={rnn.m}, T={rnn.T}, activation={rnn.activation}, form={rnn.form}; "
            f"{which}")


def _dispatch(rnn, candidate, pairs, seed, reason) -> Result:
    try:
        from derive.identity import randomized_check_jacobian  # noqa: PLC0415 (D2's, optional)
    except ImportError:
        return Result(Verdict.UNDECIDED, "exact (forward Jacobians, canonical polynomials)", "none",
                      f"{reason}; beyond the exact budget and no randomized backend "
                      f"(derive.identity) is available")
    return randomized_check_jacobian(rnn, candidate, pairs=pairs, seed=seed)


def _poly_value(poly, canon: Canonicalizer, ev: Evaluator):
    """The value of a canonical polynomial at the evaluator's point (Fraction or arb)."""
    exact, ball = Fraction(0), None
    values: dict = {}
    for exps, c in poly.monomials():
        term = Fraction(c)
        for i, e in exps.items():
            v = values.get(i)
            if v is None:
                v = values[i] = ev.value(canon.exprs[i])
            if isinstance(v, flint.arb) or isinstance(term, flint.arb):
                term = _arb(term) * _arb(v) ** e
            else:
                term = term * v ** e
        if isinstance(term, flint.arb):
            ball = term if ball is None else ball + term
        else:
            exact += term
    return exact if ball is None else ball + _arb(exact)


def check_jacobian(rnn: RNN, candidate, *, method: str = "auto", pairs=None, seed: int = 0) -> Result:
    """Check ``candidate(net, t, k)`` against the direct ``∂x_t/∂x_k`` for every
    ``0 <= k < t <= T`` (or the given ``pairs``).

    ``proved`` when every pair's canonical polynomials agree (method "exact"); ``refuted``
    with the first failing pair, whose counterexample has ``where`` = "(t, k) = (..), entry
    (i, j)" and ``data`` = ``{"t", "k", "entry", "subs", "function_values", "lhs", "rhs"}``
    (lhs: the direct Jacobian's entry, rhs: the candidate's); ``undecided`` with the reason.
    ``method="auto"`` uses the exact method within :data:`EXACT_JACOBIAN_BUDGET` and
    otherwise ``derive.identity.randomized_check_jacobian`` (if present).

    >>> from derive.closed_forms import eq13
    >>> net = RNN(2, 1, 2, "relu")
    >>> check_jacobian(net, eq13, pairs=[(2, 0)]).scope
    'n=2, m=1, T=2, activation=relu, form=A; 1 pair(s) (2, 0)'
    >>> check_jacobian(net, lambda nt, t, k: 0)
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: the candidate returned a int ('0') at (t, k) = (1, 0); it must return an n x n sympy Matrix (n=2)
    """
    if not isinstance(rnn, RNN):
        raise InvalidInputError(f"rnn={rnn!r} is not a derive.network.RNN; build one with RNN(n, m, T)")
    if not callable(candidate):
        raise InvalidInputError(f"candidate={candidate!r} is not callable; give candidate(net, t, k) -> Matrix")
    if method not in METHODS:
        raise InvalidInputError(f"method={method!r} is not allowed; use one of {', '.join(METHODS)}")
    all_pairs = pairs is None
    plist = step_pairs(rnn, pairs)
    scope = _scope(rnn, plist, all_pairs)
    name = "exact (forward Jacobians, canonical polynomials)"
    biggest = max(t - k for t, k in plist)
    estimate = estimated_terms(rnn, biggest)
    if estimate > EXACT_JACOBIAN_BUDGET:
        reason = (f"the largest Jacobian (t - k = {biggest}) has about {estimate} terms, beyond the "
                  f"exact budget of {EXACT_JACOBIAN_BUDGET}")
        if method == "auto":
            return _dispatch(rnn, candidate, pairs, seed, reason)
        return Result(Verdict.UNDECIDED, name, scope, reason)
    canon = Canonicalizer()
    forward: dict[int, ForwardJacobians] = {}
    try:
        for t, k in plist:
            fw = forward.get(k)
            if fw is None:
                fw = forward[k] = ForwardJacobians(rnn, k, canon)
            C = _as_candidate_matrix(candidate(fw.net, t, k), rnn, t, k)
            J = fw.jacobian(t)
            bad = [(i, j) for i in range(rnn.n) for j in range(rnn.n)
                   if not (J[i][j] - canon.poly(C[i, j])).is_zero()]
            if bad:
                return _refute(rnn, canon, fw, t, k, J, C, bad, scope, name, seed)
    except BudgetExceeded as exc:
        reason = f"exact comparison stopped: {exc}"
        if method == "auto":
            return _dispatch(rnn, candidate, pairs, seed, reason)
        return Result(Verdict.UNDECIDED, name, scope, reason)
    except Unsupported as exc:
        return Result(Verdict.UNDECIDED, name, scope, f"not decided: {exc}")
    return Result(Verdict.PROVED, name, scope,
                  f"candidate = direct ∂x_t/∂x_k as canonical polynomials for {len(plist)} pair(s) "
                  f"({len(canon.exprs)} generators)")


def _refute(rnn, canon, fw, t, k, J, C, bad, scope, name, seed) -> Result:
    symbols = [e for e in canon.exprs if isinstance(e, sp.Symbol)]
    symbols += sorted(C.free_symbols - set(symbols), key=sp.default_sort_key)
    with flint.ctx.workprec(_ARB_PREC):
        for attempt in range(COUNTEREXAMPLE_TRIES):
            rng = random.Random(f"{seed}:{t}:{k}:{attempt}")
            ev = Evaluator(random_point(symbols, rng), rng)
            try:
                for i, j in bad:
                    vj = _poly_value(J[i][j], canon, ev)
                    vc = ev.value(C[i, j])
                    if certified_difference(vj, vc):
                        where = f"(t, k) = ({t}, {k}), entry ({i}, {j})"
                        cex = counterexample_from(
                            ev, vj, vc, where=where,
                            note=f"lhs is the direct ∂x_{t}/∂x_{k} entry, rhs the candidate's",
                            extra={"t": t, "k": k, "entry": (i, j)})
                        return Result(Verdict.REFUTED, name + " and a certified point", scope,
                                      f"the candidate differs from the direct Jacobian at {where}",
                                      counterexample=cex)
            except (PointFailed, ZeroDivisionError):
                continue
    return Result(Verdict.UNDECIDED, name, scope,
                  f"at (t, k) = ({t}, {k}) the candidate and the direct Jacobian are different "
                  f"polynomials in independent function values, but no certified counterexample "
                  f"was found in {COUNTEREXAMPLE_TRIES} points (a concrete σ may satisfy it)")


__all__ = ["check_jacobian", "estimated_terms", "METHODS", "EXACT_JACOBIAN_BUDGET"]
