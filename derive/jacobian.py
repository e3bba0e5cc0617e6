"""``check_jacobian``: a candidate formula for ∂x_t/∂x_k against the direct Jacobian.

Candidate protocol (shared by the exact and the randomized backends and by
``derive.formula``): a callable ``candidate(net, t, k) -> matrix`` where ``net`` is
``rnn.with_base(k)`` (exact) or a randomized evaluation of the same network; it may use
``net.n .m .T .form .activation .W_rec .W_in .b .u(t) .state(j) .sigma_argument(j) .D(j)
.sigma(z) .dsigma(z) .identity()`` and the matrix operations ``*``/``@``, ``.T``, ``+``,
``-`` and scalar multiplication.

The decision follows the one policy (:mod:`derive.policy`): the exact comparison
(:mod:`derive.exact_jacobian`) within its budget, else the randomized identity test
(:mod:`derive.randomized`); a difference the randomized test finds is made a certified
counterexample where possible — the exact comparison at that pair at small sizes (a
rational point), a real point with disjoint enclosures for tanh/sigmoid/relu
(:func:`derive.counterexample.real_counterexample`).

>>> from derive.network import RNN
>>> from derive.closed_forms import eq13
>>> check_jacobian(RNN(2, 1, 3), eq13).verdict.value
'proved'
>>> r = check_jacobian(RNN(2, 1, 3), lambda net, t, k: eq13(net, t, k).T)
>>> r.verdict.value, r.counterexample.location.t, r.counterexample.location.k
('refuted', 1, 0)
"""
from __future__ import annotations

from rnncore.errors import InvalidInputError
from rnncore.results import Method, MethodKind, Result, Verdict

from .counterexample import real_counterexample
from .exact_jacobian import EXACT_JACOBIAN_BUDGET, estimated_terms, exact_check_jacobian
from .network import RNN
from .policy import METHODS, Beyond, check_method, decide
from .randomized import STEP_BUDGET, TIME_BUDGET, randomized_check_jacobian
from .seeds import search_seed

#: Sizes at which a randomized difference is also handed to the exact comparison (for a
#: rational counterexample): n at most this, t − k at most that.
EXACT_COUNTEREXAMPLE_N, EXACT_COUNTEREXAMPLE_STEPS = 3, 4


def _counterexample(rnn: RNN, candidate, seed, exact_ok: bool):
    """The policy's counterexample step for a difference at one pair (t, k)."""

    def step(res: Result) -> Result | None:
        d = res.data["difference"]
        t, k = d["t"], d["k"]
        if exact_ok and rnn.n <= EXACT_COUNTEREXAMPLE_N and t - k <= EXACT_COUNTEREXAMPLE_STEPS:
            try:
                ex = exact_check_jacobian(rnn, candidate, [(t, k)], seed=search_seed(seed))
            except (InvalidInputError, AttributeError, TypeError):
                ex = None  # the candidate runs on the randomized network only
            if isinstance(ex, Result) and ex.verdict is Verdict.REFUTED:
                return Result(Verdict.REFUTED,
                              Method(MethodKind.EXACT, "randomized identity test, then the exact "
                                     "comparison at the failing pair"),
                              res.scope, ex.evidence, counterexample=ex.counterexample, details=(ex,))
        if rnn.activation != "generic":
            real = real_counterexample(rnn, candidate, t, k, seed=search_seed(seed))
            if real is not None:
                return Result(Verdict.REFUTED,
                              Method(MethodKind.CERTIFIED, "randomized identity test, then a "
                                     "certified real point"), res.scope,
                              f"the sides differ at (t, k) = ({t}, {k}), entry {real.location.entry}: "
                              f"at an exact rational point with the real {rnn.activation} the "
                              f"enclosures of the two entries are disjoint", counterexample=real)
        return None

    return step


def check_jacobian(rnn: RNN, candidate, *, method: str = "auto", pairs=None, seed: int | None = None,
                   time_budget: float = TIME_BUDGET, exact_beyond: str = "",
                   tie: bool = False, step_budget: int = STEP_BUDGET) -> Result:
    """Check ``candidate(net, t, k)`` against the direct ``∂x_t/∂x_k`` for every
    ``0 <= k < t <= T`` (or the given ``pairs``).

    ``method``: "auto" (the policy), "exact" (never randomized) or "randomized".
    ``seed``: None (fresh randomness for the randomized test) or an integer (a replay).
    ``exact_beyond``: the caller's reason why the exact method is out of reach (then the
    policy goes straight to its next step). ``tie``: the randomized test ties σ' to σ for
    tanh (1 − σ²) and sigmoid (σ(1 − σ)), so their identities are decided there too. A refutation's counterexample has ``location``
    (t, k, entry) and ``lhs`` the direct Jacobian's entry, ``rhs`` the candidate's.

    >>> from derive.closed_forms import eq13
    >>> net = RNN(2, 1, 2, "relu")
    >>> r = check_jacobian(net, eq13, pairs=[(2, 0)])
    >>> r.scope.checked, r.scope.activations, r.method.kind.value
    (1, ('relu',), 'exact')
    >>> check_jacobian(net, lambda nt, t, k: 0)
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: the candidate returned a int ('0') at (t, k) = (1, 0); it must return an n x n sympy Matrix (n=2)
    """
    if not isinstance(rnn, RNN):
        raise InvalidInputError(f"rnn={rnn!r} is not a derive.network.RNN; build one with RNN(n, m, T)")
    if not callable(candidate):
        raise InvalidInputError(f"candidate={candidate!r} is not callable; give candidate(net, t, k) -> Matrix")
    method = check_method(method)

    def exact():
        if exact_beyond:
            return Beyond(exact_beyond)
        return exact_check_jacobian(rnn, candidate, pairs, seed=search_seed(seed))

    return decide(method, exact,
                  lambda: randomized_check_jacobian(rnn, candidate, pairs=pairs, seed=seed,
                                                    time_budget=time_budget, tie=tie,
                                                    step_budget=step_budget),
                  _counterexample(rnn, candidate, seed, exact_ok=not exact_beyond))


__all__ = ["check_jacobian", "estimated_terms", "METHODS", "EXACT_JACOBIAN_BUDGET"]
