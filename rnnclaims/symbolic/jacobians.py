"""Claims about ∂x_t/∂x_k: blog eqs. 10, 12, 13 and the NOTE's form B.

Each check compares closed forms (:mod:`derive.closed_forms`) with the direct Jacobian of
the composed network (:func:`derive.jacobian.check_jacobian`) for every activation
(generic, tanh, sigmoid, relu), every n = 1..options.n, with m = options.m and
T = options.T (every pair 0 <= k < t <= T, which covers every smaller T and m: those
networks are specialisations of this one), and adds the size-generic proofs of
:mod:`derive.generic`, which alone justify "all n" / "all T" in the scope.

>>> from rnncore.registry import Options
>>> r = REGISTRY.run("blog.eq13", Options.quick_sizes())
>>> r.verdict.value, r.scope.span("T").every, r.scope.activations
('proved', True, ('generic', 'tanh', 'sigmoid', 'relu'))
"""
from __future__ import annotations

import sympy as sp

from rnncore.registry import Options
from rnncore.results import Label, MethodKind, Result, Scope, Span, Verdict

from derive.activations import ACTIVATIONS
from derive.closed_forms import eq10, eq12, eq13, formB_one_step, formB_product, one_step_pairs
from derive.generic import eq10_induction_proof, eq12_generic_proof, eq13_induction_proof
from derive.jacobian import check_jacobian, estimated_terms
from derive.network import RNN
from . import REGISTRY
from .engine import located, methods_of


#: Exact budget (estimated terms) of the eq. 10 size checks, whose differentiated factors
#: need the exact backend; beyond it only the shorter pairs are checked (said in the scope),
#: and the induction proof covers every T.
EQ10_BUDGET = 30_000


def _ns(options: Options) -> list[int]:
    """Hidden sizes to check: every n up to options.n (beyond 4: 1, 2 and options.n)."""
    return list(range(1, options.n + 1)) if options.n <= 4 else [1, 2, options.n]


def _sized(options: Options, candidate, form: str, one_step: bool,
           exact_only: bool = False) -> list[Result]:
    """One check per activation and n, each with its own scope (n, m, T, activation, form,
    the pairs compared). ``exact_only`` (a candidate that needs the exact backend, like eq.
    10's differentiated factors): keep the pairs within :data:`EQ10_BUDGET` (the sub-result's
    scope lists them)."""
    out = []
    T = options.T
    for act in ACTIVATIONS:
        for n in _ns(options):
            rnn = RNN(n, options.m, T, act, form)
            pairs = one_step_pairs(T) if one_step else None
            if exact_only and pairs is None:
                pairs = [(t, k) for t in range(1, T + 1) for k in range(t - 1, -1, -1)
                         if estimated_terms(rnn, t - k) <= EQ10_BUDGET]
                if len(pairs) == T * (T + 1) // 2:
                    pairs = None
            r = check_jacobian(rnn, candidate, pairs=pairs, seed=options.seed,
                               method="exact" if exact_only else "auto")
            if pairs is None:
                which, count = "all pairs 0 <= k < t <= T", T * (T + 1) // 2
            elif one_step:
                which, count = "pairs (t, t-1)", len(pairs)
            else:
                which, count = f"the pairs within the exact budget: {pairs}", len(pairs)
            scope = Scope(spans=(Span("n", n, n), Span("m", options.m, options.m), Span("T", 1, T)),
                          activations=(act,), forms=(form,), layouts=("numerator",),
                          checked=count if r.holds else None, note=which)
            out.append(located(r, "numerator").with_(scope=scope))
    return out


def _size_scope(options: Options, forms: tuple[str, ...], one_step: bool, generic: Scope | None,
                sized: list[Result]) -> Scope:
    """The claim's scope: every n (and T) when the generic proofs hold, else the sizes
    checked; the sizes checked directly, and which of them were randomized or limited, in
    the note."""
    ns = _ns(options)
    n_span = Span("n", 1, options.n) if ns == list(range(1, options.n + 1)) else None
    which = "pairs (t, t-1)" if one_step else "all pairs 0 <= k < t <= T"
    note = (f"checked directly at n in {ns}, m = {options.m}, T <= {options.T} ({which})")
    randomized = [r for r in sized if r.method.kind is MethodKind.RANDOMIZED]
    partial = [r for r in sized if r.scope.note.startswith("the pairs within")]
    if randomized:
        note += f"; {len(randomized)} of {len(sized)} size checks by randomized identity test"
    if partial:
        note += (f"; {len(partial)} of {len(sized)} size checks limited to the pairs within the "
                 f"exact budget")
    if generic is not None:
        return Scope(spans=generic.spans, activations=tuple(ACTIVATIONS), forms=forms,
                     layouts=("numerator",), checked=len(sized),
                     note=f"{generic.note}; {note}")
    spans = tuple(s for s in (n_span, Span("m", options.m, options.m), Span("T", 1, options.T)) if s)
    return Scope(spans=spans, activations=tuple(ACTIVATIONS), forms=forms, layouts=("numerator",),
                 checked=len(sized), note=note)


def _combine(sized: list[Result], proofs: list[Result], forms: tuple[str, ...], one_step: bool,
             options: Options, generic: Scope, evidence: str) -> Result:
    """The claim's result: refuted at the first refuted part (its counterexample), undecided
    if a part is, else proved; ``generic``: the scope the generic proofs stand for."""
    parts = sized + proofs
    proved_generic = all(p.verdict is Verdict.PROVED for p in proofs)
    scope = _size_scope(options, forms, one_step, generic if proved_generic else None, sized)
    method = methods_of(parts, "forward Jacobians vs closed form (canonical polynomials or "
                               "randomized identity test); generic proofs (index notation, induction)")
    res = Result.combine(parts, method=method, scope=scope)
    if res.verdict is Verdict.REFUTED:
        first = next(r for r in parts if r.verdict is Verdict.REFUTED)
        return Result.combine(parts, method=method, scope=first.scope, evidence=first.evidence)
    if res.verdict is Verdict.UNDECIDED:
        bad = next(r for r in parts if r.verdict is Verdict.UNDECIDED)
        return Result.combine(parts, method=method, scope=scope, evidence=f"not decided: {bad.evidence}")
    return Result.combine(parts, method=method, scope=scope, evidence=evidence)


ALL_N = Scope(spans=(Span("n", 1, None),), note="every n: index-notation proof over a symbolic n")
ALL_N_T = Scope(spans=(Span("n", 1, None), Span("T", 1, None)),
                note="every n and T: induction on t - k (n-generic one-step fact and recursion)")


@REGISTRY.claim(
    "blog.eq12", source="blog eq. 12", expect=Label.PROVED,
    statement="∂x_j/∂x_{j-1} = W_rec diag(σ'(x_{j-1})) (numerator layout), for every n",
    reading="numerator layout",
)
def check_eq12(options: Options) -> Result:
    """Blog eq. 12: ``∂x_j/∂x_{j-1} = W_rec diag(σ'(x_{j-1}))`` (numerator layout), every n.

    >>> check_eq12(Options.quick_sizes()).verdict.value
    'proved'
    """
    sized = _sized(options, eq12, "A", one_step=True)
    generic = eq12_generic_proof("A")
    return _combine(sized, [generic.check()], ("A",), True, options, ALL_N,
                    f"the direct one-step Jacobian equals W_rec diag(σ'(x_{{j-1}})) in "
                    f"{len(sized)} size checks, and entrywise for a symbolic n"
                    ).with_(proofs=(generic,))


@REGISTRY.claim(
    "blog.eq13", source="blog eq. 13", expect=Label.PROVED,
    statement="∂x_t/∂x_k = ∏_{j=k+1}^{t} W_rec diag(σ'(x_{j-1}))",
    reading="numerator layout; the factor of largest j leftmost",
)
def check_eq13(options: Options) -> Result:
    """Blog eq. 13: ``∂x_t/∂x_k = ∏_{j=k+1}^{t} W_rec diag(σ'(x_{j-1}))``, largest j leftmost.

    >>> check_eq13(Options.quick_sizes()).verdict.value
    'proved'
    """
    sized = _sized(options, eq13, "A", one_step=False)
    induction = eq13_induction_proof("A")
    return _combine(sized, [induction.check()], ("A",), False, options, ALL_N_T,
                    f"the product equals the direct ∂x_t/∂x_k for every pair in {len(sized)} "
                    f"size checks; by induction for every n and T").with_(proofs=(induction,))


@REGISTRY.claim(
    "blog.eq10", source="blog eq. 10", expect=Label.PROVED,
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
    inductions = (eq10_induction_proof("A"), eq10_induction_proof("B"))
    proofs = [pr.check() for pr in inductions]
    generic = Scope(spans=ALL_N_T.spans,
                    note="every n and T: induction on t - k (n-generic chain-rule step)")
    return _combine(sized, proofs, ("A", "B"), False, options, generic,
                    f"the product of the differentiated one-step Jacobians equals the direct "
                    f"∂x_t/∂x_k in {len(sized)} exact size checks; by induction for every n and T"
                    ).with_(proofs=inductions)


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
    >>> r.verdict.value, r.scope.forms
    ('proved', ('B',))
    """
    sized = (_sized(options, formB_one_step, "B", one_step=True)
             + _sized(options, formB_product, "B", one_step=False))
    generic_proofs = (eq12_generic_proof("B"), eq13_induction_proof("B"))
    proofs = [pr.check() for pr in generic_proofs]
    literal = located(check_jacobian(RNN(2, 1, 1, "generic", "B"),
                                     lambda net, t, k: net.W_rec * _diag_of(net, net.state(t - 1)),
                                     pairs=[(1, 0)]), "numerator")
    where = literal.counterexample.location if literal.counterexample else None
    note = (f"; eq. 12's form-A factor W_rec diag(σ'(h_{{j-1}})) used for form B is "
            f"{literal.verdict.value}" + (f" (at (t, k) = ({where.t}, {where.k}), entry {where.entry})"
                                          if where is not None and where.t is not None else ""))
    generic = Scope(spans=ALL_N_T.spans, note="every n (one step) and every T by induction")
    result = _combine(sized, proofs, ("B",), False, options, generic,
                      f"form B's one-step Jacobian and product equal the direct ∂h_t/∂h_k in "
                      f"{len(sized)} size checks; for every n and T by the generic proofs" + note)
    return result.with_(data={"form_a_factor": literal}, proofs=generic_proofs)


def _diag_of(net, z):
    """``diag(σ'(z))`` as a full matrix (entry (i, i) = σ'(z_i))."""
    return sp.diag(*net.dsigma(z))


__all__ = ["check_eq10", "check_eq12", "check_eq13", "check_formB"]
