"""The exact check of a Jacobian candidate against the direct ∂x_t/∂x_k.

For each base k, the direct Jacobians ``∂x_t/∂x_k`` of the composed network come from
memoised forward differentiation (:class:`derive.direct.ForwardJacobians`, entry by entry,
no matrix chain rule) as canonical polynomials in the symbols and the function
applications (:class:`derive.canonical.Canonicalizer`); the candidate's matrix is
converted into the same canonical form, memoised over its DAG, and the two are compared
term by term. Equal canonical polynomials are equal functions (the proof); for the first
failing ``(t, k)`` (t ascending, then k descending — shortest products first) a certified
counterexample is searched (:func:`derive.counterexample.find_counterexample`). Nothing
is expanded as a SymPy expression, so n = 4, T = 6 with all 21 pairs takes well under a
second (``bench/bench_eq13.py``). Beyond :data:`EXACT_JACOBIAN_BUDGET` it returns
:class:`derive.policy.Beyond`.

>>> from derive.network import RNN
>>> from derive.closed_forms import eq13
>>> exact_check_jacobian(RNN(2, 1, 3), eq13).verdict.value
'proved'
"""
from __future__ import annotations

import functools

import sympy as sp

from rnncore.errors import InvalidInputError, ShapeError
from rnncore.results import Location, Method, MethodKind, Result, Verdict

from .canonical import EXACT_NODE_BUDGET, BudgetExceeded, Canonicalizer, Unsupported
from .counterexample import COUNTEREXAMPLE_TRIES, counterexample_from, find_counterexample, poly_value
from .direct import ForwardJacobians, PolyForwardJacobians
from .network import RNN, step_pairs
from .policy import Beyond
from .poly_network import PolyMatrix, PolyNetwork
from .scopes import network_scope

#: Exact budget: estimated terms of the largest direct Jacobian (all n² entries).
EXACT_JACOBIAN_BUDGET = 300_000
#: The technique, in every result of this module.
DETAIL = "forward Jacobians as canonical polynomials"
#: The polynomial route's direct Jacobians: values in canonical polynomials
#: (:class:`derive.direct.PolyForwardJacobians`); False: SymPy values
#: (:class:`derive.direct.ForwardJacobians`, the reference the tests and
#: ``bench/bench_speed_jacobians.py`` compare with).
POLY_VALUES = True


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


def as_candidate_matrix(value, rnn: RNN, t: int, k: int) -> sp.MatrixBase:
    """The candidate's value at (t, k), checked to be an n x n SymPy matrix.

    >>> as_candidate_matrix(0, RNN(2), 1, 0)
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: the candidate returned a int ('0') at (t, k) = (1, 0); it must return an n x n sympy Matrix (n=2)
    """
    if not isinstance(value, sp.MatrixBase):
        raise InvalidInputError(
            f"the candidate returned a {type(value).__name__} ({str(value)[:60]!r}) at "
            f"(t, k) = ({t}, {k}); it must return an n x n sympy Matrix (n={rnn.n})")
    if value.shape != (rnn.n, rnn.n):
        raise ShapeError(
            f"the candidate returned a {value.rows}x{value.cols} matrix at (t, k) = ({t}, {k}); "
            f"∂x_t/∂x_k is n x n = {rnn.n}x{rnn.n}")
    return value


def exact_check_jacobian(rnn: RNN, candidate, pairs=None, *, seed: int = 0) -> "Result | Beyond":
    """Check ``candidate(net, t, k)`` against the direct ``∂x_t/∂x_k`` exactly, for every
    pair (or the given ``pairs``): a Result, or :class:`Beyond` past the budget. A
    refutation's counterexample has ``location`` (t, k, entry) and ``data`` = ``{"t", "k",
    "entry", "subs", "function_values", "lhs", "rhs"}`` (lhs: the direct Jacobian's entry,
    rhs: the candidate's).

    >>> from derive.closed_forms import eq13
    >>> r = exact_check_jacobian(RNN(2, 1, 2, "relu"), lambda net, t, k: eq13(net, t, k).T)
    >>> r.verdict.value, r.counterexample.location.t, r.counterexample.location.entry
    ('refuted', 1, (0, 1))
    """
    all_pairs = pairs is None
    plist = step_pairs(rnn, pairs)
    scope = network_scope(rnn, plist, all_pairs)
    biggest = max(t - k for t, k in plist)
    estimate = estimated_terms(rnn, biggest)
    if estimate > EXACT_JACOBIAN_BUDGET:
        return Beyond(f"the largest Jacobian (t - k = {biggest}) has about {estimate} terms, "
                      f"beyond the exact budget of {EXACT_JACOBIAN_BUDGET}", DETAIL, scope)
    if getattr(candidate, "polynomial", False) is True:
        try:
            if _polynomial_route(rnn, candidate, plist):
                return Result(Verdict.PROVED, Method(MethodKind.EXACT, DETAIL), scope,
                              f"candidate = direct ∂x_t/∂x_k as canonical polynomials for "
                              f"{len(plist)} pair(s)")
        except (BudgetExceeded, Unsupported):
            pass  # the SymPy route decides, with its own budget and message
    # the SymPy candidate, canonicalised: also the route of every difference the polynomial
    # route finds, so that a refutation (its pair, point and values) is the same on both
    canon = Canonicalizer()
    forward: dict[int, ForwardJacobians] = {}
    try:
        for t, k in plist:
            fw = forward.get(k)
            if fw is None:
                fw = forward[k] = ForwardJacobians(rnn, k, canon)
            C = as_candidate_matrix(candidate(fw.net, t, k), rnn, t, k)
            J = fw.jacobian(t)
            bad = [(i, j) for i in range(rnn.n) for j in range(rnn.n)
                   if not (J[i][j] - canon.poly(C[i, j])).is_zero()]
            if bad:
                return _refute(canon, t, k, J, C, bad, scope, seed)
    except BudgetExceeded as exc:
        return Beyond(f"exact comparison stopped: {exc}", DETAIL, scope)
    except Unsupported as exc:
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, DETAIL), scope, f"not decided: {exc}")
    return Result(Verdict.PROVED, Method(MethodKind.EXACT, DETAIL), scope,
                  f"candidate = direct ∂x_t/∂x_k as canonical polynomials for {len(plist)} pair(s) "
                  f"({len(canon.exprs)} generators)")


def network_key(rnn: RNN) -> tuple:
    """A plain tuple identifying the network's function: sizes, activation, form and the
    parameter matrices' entries (a network whose W_rec was constrained is another key).

    >>> network_key(RNN(1, 1, 2))[:5]
    (1, 1, 2, 'generic', 'A')
    """
    return (rnn.n, rnn.m, rnn.T, rnn.activation, rnn.form, type(rnn).__name__,
            tuple(rnn.W_rec), tuple(rnn.W_in), tuple(rnn.b))


@functools.lru_cache(maxsize=64)
def _shared(key: tuple) -> dict:
    """The direct Jacobians of one network, shared by the polynomial checks of every
    candidate on it (claims check several closed forms on the same networks): one
    canonicaliser, the forward Jacobians and the polynomial network per base. Only values
    of the network itself enter it (a candidate that reads anything else leaves the
    polynomial route): equal canonical polynomials are equal whatever else the memo holds,
    so no result depends on which checks ran before."""
    return {"canon": Canonicalizer(), "forward": {}, "poly": {}}


def _polynomial_route(rnn: RNN, candidate, plist) -> bool:
    """True when the candidate, evaluated on the polynomial network, equals the direct
    Jacobian at every pair (raises ``BudgetExceeded``); False at the first pair where it
    differs or cannot be evaluated there."""
    key = network_key(rnn)
    shared = _shared(key)
    if shared["canon"].nodes > EXACT_NODE_BUDGET // 2:  # keep the shared memo far from the budget
        _shared.cache_clear()
        shared = _shared(key)
    canon, forward, polynets = shared["canon"], shared["forward"], shared["poly"]
    for t, k in plist:
        fw = forward.get((k, POLY_VALUES))
        if fw is None:
            # values in polynomials too: no SymPy state is built on this route, which only
            # proves (a difference is decided again on SymPy values below)
            kind = PolyForwardJacobians if POLY_VALUES else ForwardJacobians
            fw = forward[(k, POLY_VALUES)] = kind(rnn, k, canon)
        J = fw.jacobian(t)
        net = polynets.get((k, POLY_VALUES))
        if net is None:
            net = polynets[(k, POLY_VALUES)] = PolyNetwork(fw.net, canon, forward=fw)
        if not _equal_polynomials(candidate, net, t, k, J, rnn.n):
            return False
    return True


def _equal_polynomials(candidate, net: PolyNetwork, t: int, k: int, J, n: int) -> bool:
    """True when the candidate, evaluated on the polynomial network, is an n × n matrix
    equal to ``J`` entry by entry. False when it differs, or when it cannot be evaluated
    there (any failure: the SymPy route then decides, with its own errors and budgets)."""
    try:
        C = candidate(net, t, k)
    except Exception:  # noqa: BLE001 - the SymPy route is the reference and reports it
        return False
    if not isinstance(C, PolyMatrix) or C.shape != (n, n):
        return False
    return all((J[i][j] - C[i, j]).is_zero() for i in range(n) for j in range(n))


def _refute(canon, t, k, J, C, bad, scope, seed) -> Result:
    symbols = {e for e in canon.exprs if isinstance(e, sp.Symbol)} | C.free_symbols
    sides = [((i, j), (lambda ev, p=J[i][j]: poly_value(p, canon, ev)), C[i, j]) for i, j in bad]
    found = find_counterexample(sides, symbols, seed=seed)
    if found is None:
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, DETAIL), scope,
                      f"at (t, k) = ({t}, {k}) the candidate and the direct Jacobian are different "
                      f"polynomials in independent function values, but no certified counterexample "
                      f"was found in {COUNTEREXAMPLE_TRIES} points (a concrete σ may satisfy it)")
    (i, j), ev, vj, vc = found
    cex = counterexample_from(
        ev, vj, vc, location=Location(t=t, k=k, entry=(i, j), layout="numerator"),
        note=f"lhs is the direct ∂x_{t}/∂x_{k} entry, rhs the candidate's",
        extra={"t": t, "k": k, "entry": (i, j)})
    return Result(Verdict.REFUTED, Method(MethodKind.EXACT, f"{DETAIL} and a certified point"), scope,
                  f"the candidate differs from the direct Jacobian at (t, k) = ({t}, {k}), entry "
                  f"({i}, {j})", counterexample=cex)


__all__ = ["exact_check_jacobian", "network_key", "estimated_terms", "as_candidate_matrix",
           "EXACT_JACOBIAN_BUDGET", "DETAIL"]
