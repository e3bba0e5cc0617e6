"""Claims about ∂x_t/∂x_k: blog eqs. 10, 12, 13 and the NOTE's form B.

Each check compares closed forms (:mod:`derive.closed_forms`) with the direct Jacobian of
the composed network (:func:`derive.jacobian.check_jacobian`) for every activation
(generic, tanh, sigmoid, relu), every n = 1..options.n, with m = options.m and
T = options.T (every pair 0 <= k < t <= T, which covers every smaller T and m: those
networks are specialisations of this one), and adds the size-generic proofs of
:mod:`derive.generic`, which alone justify "all n" / "all T" in the scope.

>>> from rnncore.registry import Options
>>> r = REGISTRY.run("blog.eq13", Options.quick_sizes())
>>> r.verdict.value, "all T by induction" in r.scope
('proved', True)
"""
from __future__ import annotations

from rnncore.registry import Options
from rnncore.results import Result, Verdict

from derive.activations import ACTIVATIONS
from derive.closed_forms import eq10, eq12, eq13, formB_one_step, formB_product, one_step_pairs
from derive.generic import eq10_induction_proof, eq12_generic_proof, eq13_induction_proof
from derive.jacobian import check_jacobian, estimated_terms
from derive.network import RNN
from . import REGISTRY


#: Exact budget (estimated terms) of the eq. 10 size checks, whose differentiated factors
#: need the exact backend; beyond it only the shorter pairs are checked (said in the scope),
#: and the induction proof covers every T.
EQ10_BUDGET = 30_000


def _ns(options: Options) -> list[int]:
    """Hidden sizes to check: every n up to options.n (beyond 4: 1, 2 and options.n)."""
    return list(range(1, options.n + 1)) if options.n <= 4 else [1, 2, options.n]


def _sized(options: Options, candidate, form: str, one_step: bool,
           exact_only: bool = False) -> list[Result]:
    """One check per activation and n. ``exact_only`` (a candidate that needs the exact
    backend, like eq. 10's differentiated factors): keep the pairs within
    :data:`EQ10_BUDGET` (the scope of each sub-result lists them)."""
    out = []
    for act in ACTIVATIONS:
        for n in _ns(options):
            rnn = RNN(n, options.m, options.T, act, form)
            pairs = one_step_pairs(options.T) if one_step else None
            if exact_only and pairs is None:
                pairs = [(t, k) for t in range(1, options.T + 1) for k in range(t - 1, -1, -1)
                         if estimated_terms(rnn, t - k) <= EQ10_BUDGET]
                if len(pairs) == options.T * (options.T + 1) // 2:
                    pairs = None
            out.append(check_jacobian(rnn, candidate, pairs=pairs, seed=options.seed,
                                      method="exact" if exact_only else "auto"))
    return out


def _sizes_text(options: Options, form: str, one_step: bool) -> str:
    ns = _ns(options)
    nt = f"n={ns[0]}..{ns[-1]}" if ns == list(range(1, options.n + 1)) else f"n in {ns}"
    which = "pairs (t, t-1)" if one_step else "all pairs 0<=k<t<=T"
    return (f"form {form}; activations {', '.join(ACTIVATIONS)}; {nt}, m<={options.m}, "
            f"T<={options.T} ({which})")


def _combine(sized: list[Result], proofs: list[Result], sizes: str, generic_scope: str,
             evidence: str) -> Result:
    res = Result.combine(sized + proofs)
    if res.verdict is Verdict.REFUTED:
        first = next(r for r in sized + proofs if r.verdict is Verdict.REFUTED)
        return Result.combine(sized + proofs, scope=first.scope, evidence=first.evidence)
    proved_generic = all(p.verdict is Verdict.PROVED for p in proofs)
    methods = sorted({r.method for r in sized}) + [p.method for p in proofs]
    scope = sizes + (f"; {generic_scope}" if proved_generic else "")
    randomized = [r for r in sized if "randomized" in r.method]
    partial = [r for r in sized if "pair(s)" in r.scope and "pairs (t, t-1)" not in sizes]
    if randomized:
        scope += (f"; {len(randomized)} of {len(sized)} size checks by randomized identity test "
                  f"(e.g. {randomized[0].scope})")
    if partial:
        scope += (f"; {len(partial)} of {len(sized)} size checks limited to the pairs within the "
                  f"exact budget (e.g. {partial[0].scope})")
    if res.verdict is Verdict.UNDECIDED:
        bad = next(r for r in sized + proofs if r.verdict is Verdict.UNDECIDED)
        return Result.combine(sized + proofs, scope=scope, evidence=f"not decided: {bad.evidence}")
    return Result.combine(sized + proofs, method="; ".join(dict.fromkeys(methods)), scope=scope,
                          evidence=evidence)


@REGISTRY.claim(
    "blog.eq12", source="blog eq. 12", expect=Verdict.PROVED,
    statement="∂x_j/∂x_{j-1} = W_rec diag(σ'(x_{j-1})) (numerator layout), for every n",
    reading="numerator layout",
)
def check_eq12(options: Options) -> Result:
    """Blog eq. 12: ``∂x_j/∂x_{j-1} = W_rec diag(σ'(x_{j-1}))`` (numerator layout), every n.

    >>> check_eq12(Options.quick_sizes()).verdict.value
    'proved'
    """
    sized = _sized(options, eq12, "A", one_step=True)
    proof = eq12_generic_proof("A").check()
    return _combine(sized, [proof], _sizes_text(options, "A", True),
                    "all n (index-notation proof over a symbolic n)",
                    f"the direct one-step Jacobian equals W_rec diag(σ'(x_{{j-1}})) in "
                    f"{len(sized)} size checks, and entrywise for a symbolic n")


@REGISTRY.claim(
    "blog.eq13", source="blog eq. 13", expect=Verdict.PROVED,
    statement="∂x_t/∂x_k = ∏_{j=k+1}^{t} W_rec diag(σ'(x_{j-1}))",
    reading="numerator layout; the factor of largest j leftmost",
)
def check_eq13(options: Options) -> Result:
    """Blog eq. 13: ``∂x_t/∂x_k = ∏_{j=k+1}^{t} W_rec diag(σ'(x_{j-1}))``, largest j leftmost.

    >>> check_eq13(Options.quick_sizes()).verdict.value
    'proved'
    """
    sized = _sized(options, eq13, "A", one_step=False)
    proof = eq13_induction_proof("A").check()
    return _combine(sized, [proof], _sizes_text(options, "A", False),
                    "all n and all T by induction on t - k (n-generic one-step fact and recursion)",
                    f"the product equals the direct ∂x_t/∂x_k for every pair in {len(sized)} "
                    f"size checks; by induction for every n and T")


@REGISTRY.claim(
    "blog.eq10", source="blog eq. 10", expect=Verdict.PROVED,
    statement=("∂x_t/∂x_k = J_t J_{t-1} ⋯ J_{k+1} with J_j = ∂x_j/∂x_{j-1}, the factor of "
               "largest index leftmost"),
    reading="J_j the differentiated one-step Jacobians; forms A and B",
)
def check_eq10(options: Options) -> Result:
    """Blog eq. 10: ``∂x_t/∂x_k = J_t J_{t-1} ⋯ J_{k+1}`` with ``J_j = ∂x_j/∂x_{j-1}`` (the true
    one-step Jacobians, differentiated), largest index leftmost; forms A and B.

    >>> check_eq10(Options.quick_sizes()).verdict.value
    'proved'
    """
    sized = (_sized(options, eq10, "A", one_step=False, exact_only=True)
             + _sized(options, eq10, "B", one_step=False, exact_only=True))
    proofs = [eq10_induction_proof("A").check(), eq10_induction_proof("B").check()]
    sizes = _sizes_text(options, "A and B", False)
    return _combine(sized, proofs, sizes,
                    "all n and all T by induction on t - k (n-generic chain-rule step)",
                    f"the product of the differentiated one-step Jacobians equals the direct "
                    f"∂x_t/∂x_k in {len(sized)} exact size checks; by induction for every n and T")


@REGISTRY.claim(
    "blog.formB", source="blog NOTE (form B)", expect=Verdict.PROVED,
    statement="the NOTE's form B: its one-step Jacobian and the product (13) for form B",
)
def check_formB(options: Options) -> Result:
    """Blog NOTE, form B ``h_t = σ(W_rec h_{t-1} + W_in u_t + b)``: one step
    ``∂h_j/∂h_{j-1} = diag(σ'(a_j)) W_rec`` and the product ``∏_{j=k+1}^{t} diag(σ'(a_j)) W_rec``
    (largest j leftmost), ``a_j`` the pre-activation. The evidence also records, computed,
    that eq. 12's printed form-A factor is not form B's Jacobian.

    >>> r = check_formB(Options.quick_sizes())
    >>> r.verdict.value, "refuted" in r.evidence
    ('proved', True)
    """
    sized = (_sized(options, formB_one_step, "B", one_step=True)
             + _sized(options, formB_product, "B", one_step=False))
    proofs = [eq12_generic_proof("B").check(), eq13_induction_proof("B").check()]
    literal = check_jacobian(RNN(2, 1, 1, "generic", "B"),
                             lambda net, t, k: net.W_rec * _diag_of(net, net.state(t - 1)),
                             pairs=[(1, 0)])
    note = (f"; eq. 12's form-A factor W_rec diag(σ'(h_{{j-1}})) used for form B is "
            f"{literal.verdict.value}" + (f" ({literal.counterexample.where})"
                                          if literal.counterexample else ""))
    return _combine(sized, proofs, _sizes_text(options, "B", False),
                    "all n (one step) and all T by induction",
                    f"form B's one-step Jacobian and product equal the direct ∂h_t/∂h_k in "
                    f"{len(sized)} size checks; for every n and T by the generic proofs" + note)


def _diag_of(net, z):
    """``diag(σ'(z))`` as a full matrix (entry (i, i) = σ'(z_i))."""
    import sympy as sp  # noqa: PLC0415

    return sp.diag(*net.dsigma(z))


__all__ = ["check_eq10", "check_eq12", "check_eq13", "check_formB"]
