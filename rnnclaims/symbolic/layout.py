"""Claims about layouts and the paper's transpose (blog Notes, paper eq. 5, blog eq. 10).

Each check computes its verdict from exact comparisons with the direct Jacobian
(:func:`derive.diagnosis.check_formula`, i.e. :func:`derive.jacobian.check_jacobian`),
and carries: the symbolic difference, the smallest concrete counterexample (2×2, rational
entries: ``W_rec = [[0, 1], [0, 0]]``, ``σ'(x_{i-1}) = (1, 2)``), and the condition
under which the printed formula happens to be right, proved in that direction.

Claims registered here: ``blog.note.numerator``, ``blog.note.any-layout`` (readings
``.form-A``, ``.form-B``), ``paper.eq5`` (readings ``.numerator``, ``.denominator``;
``.corrected``), ``paper.eq5.diagnosis``, ``blog.eq10.order`` (``.corrected``).

>>> from rnncore.registry import Options
>>> REGISTRY.run("blog.note.numerator", Options.quick_sizes()).verdict.value
'proved'
>>> REGISTRY.run("paper.eq5", Options.quick_sizes()).verdict.value
'refuted'
"""
from __future__ import annotations

import functools

import sympy as sp

from rnncore.registry import Options
from rnncore.results import (Counterexample, Location, Method, MethodKind, Result, Scope, Span,
                             Verdict, assignment_from)

from derive.activations import dsigma
from derive.diagnosis import Convention, check_formula, diagnose
from derive.formula import parse
from derive.formula_check import check_formula_quietly, polynomial_candidate
from derive.jacobian import check_jacobian
from derive.layout import in_layout, jacobian, sympy_matrixsymbol_one_step
from derive.network import RNN
from derive.prove import prove_equal, substitute
from . import REGISTRY
from .engine import located, methods_of

#: The paper's factor (eq. 5) and its products, in the formula language.
PAPER_FACTOR = "W.T @ D[i-1]"
PAPER_DOWN = "prod_down(i, t, k+1, W.T @ D[i-1])"
PAPER_UP = "prod_up(i, k+1, t, W.T @ D[i-1])"
#: The true Jacobians of form A (blog eqs. 12-13).
TRUE_FACTOR = "W @ D[i-1]"
TRUE_DOWN = "prod_down(i, t, k+1, W @ D[i-1])"
TRUE_UP = "prod_up(i, k+1, t, W @ D[i-1])"
DENOM_UP = "prod_up(i, k+1, t, D[i-1] @ W.T)"
#: Form B, denominator layout: the paper's factor with σ' moved to x_i.
FORM_B_FACTOR = "W.T @ D[i]"
FORM_B_UP = "prod_up(i, k+1, t, W.T @ D[i])"


# ----------------------------------------------------------------------------- helpers
EXACT = Method(MethodKind.EXACT, "comparison with the direct Jacobian")
#: The method of a claim that an identity fails: exact comparisons, each refutation at a
#: certified rational point.
NEGATIVE = Method(MethodKind.EXACT, "exact comparison; certified counterexamples")


def _scope(form: str, layout: str, n: int | tuple[int, int], T: int, note: str = "",
           layouts: tuple[str, ...] | None = None) -> Scope:
    lo, hi = (n, n) if isinstance(n, int) else n
    return Scope(spans=(Span("n", lo, hi), Span("T", 1, T)), activations=("generic",),
                 forms=(form,), layouts=layouts or (layout,), note=note)


@functools.lru_cache(maxsize=128)
def _formula(text: str, *, form: str, layout: str, n: int, T: int) -> Result:
    """:func:`check_formula` with the claim's structured scope (form, layout, n, T, the formula)
    and method. Memoised on those plain arguments: the claims of this module check the same
    formulas in the same conventions (paper eq. 5's readings, the Notes), and the exact
    result (an immutable :class:`Result`) depends on nothing else. The whole matrices at a
    counterexample's point (``display``) are not computed: no claim output shows them."""
    r = check_formula_quietly(text, form=form, layout=layout, n=n, T=T)
    return located(r, layout).with_(
                                     scope=_scope(form, layout, n, T, f"formula {text}"))


def _sizes(options: Options) -> tuple[int, int]:
    """(n, T) for proofs: the options' sizes (quick: n=2, T=3)."""
    return options.n, options.T


def smallest_counterexample() -> dict:
    """The hand-picked 2×2 rational instance: ``W_rec = [[0, 1], [0, 0]]`` and
    ``x_{i-1} = (0, 1)`` with ``σ'(0) = 1``, ``σ'(1) = 2`` (e.g. ``σ(z) = z + z²/2``). The
    numerator Jacobian, its transpose and the paper's factor are computed by substituting
    into the direct Jacobian and the formula (nothing typed in).

    >>> c = smallest_counterexample()
    >>> c["numerator"], c["paper"], c["denominator"]
    (Matrix([
    [0, 2],
    [0, 0]]), Matrix([
    [0, 0],
    [1, 0]]), Matrix([
    [0, 0],
    [2, 0]]))
    """
    subs, values, numerator, denominator, paper = _smallest_counterexample()
    return {
        "data": {"subs": dict(subs), "function_values": dict(values)},
        "numerator": sp.Matrix(numerator),
        "denominator": sp.Matrix(denominator),
        "paper": sp.Matrix(paper),
    }


@functools.lru_cache(maxsize=1)
def _smallest_counterexample() -> tuple:
    """The parts of :func:`smallest_counterexample`, computed once per process (three
    claims show it, each twice); the public function hands out fresh copies."""
    rnn = RNN(2, 1, 1)
    net = rnn.with_base(0)
    x0 = net.state_symbols(0)
    w = rnn.W_rec
    subs = {w[0, 0]: 0, w[0, 1]: 1, w[1, 0]: 0, w[1, 1]: 0, x0[0]: 0, x0[1]: 1}
    data = {"subs": subs, "function_values": {dsigma(0): 1, dsigma(1): 2}}
    numerator = jacobian(rnn, 1, 0, "numerator")
    paper = parse(PAPER_FACTOR).candidate()(net, 1, 0)
    return (tuple(subs.items()), tuple(data["function_values"].items()),
            sp.ImmutableMatrix(substitute(numerator, data)),
            sp.ImmutableMatrix(substitute(numerator.T, data)),
            sp.ImmutableMatrix(substitute(paper, data)))


def _explicit_cex(layout: str) -> Counterexample:
    """The hand-picked point as a counterexample: lhs the (direct) Jacobian in ``layout``, rhs
    the paper's factor."""
    c = smallest_counterexample()
    shown = {"W_rec": "[[0, 1], [0, 0]]", "x_{i-1}": "(0, 1)", "σ'(0)": "1", "σ'(1)": "2"}
    return Counterexample(
        assignment_from(shown), lhs=f"{layout} Jacobian = {c[layout].tolist()}",
        rhs=f"W_recᵀ diag(σ') = {c['paper'].tolist()}",
        location=Location(t=1, k=0, layout=layout, note="one step, n = 2"),
        note="σ(z) = z + z²/2 has σ'(0) = 1, σ'(1) = 2; the smallest size: n = 1 agrees",
        data={**c["data"], "lhs": c[layout], "rhs": c["paper"]},
    )


def _symmetric(rnn: RNN) -> dict:
    w = rnn.W_rec
    return {w[j, i]: w[i, j] for i in range(rnn.n) for j in range(i + 1, rnn.n)}


def _diagonal(rnn: RNN) -> dict:
    w = rnn.W_rec
    return {w[i, j]: 0 for i in range(rnn.n) for j in range(rnn.n) if i != j}


@functools.lru_cache(maxsize=64)
def holds_under(text: str, condition: str, *, form: str = "A", layout: str = "numerator",
                n: int = 2, T: int = 2) -> Result:
    """Prove that ``text`` is the Jacobian (``form``, ``layout``) for every pair when
    ``W_rec`` satisfies ``condition`` (``"symmetric"`` or ``"diagonal"``, substituted into
    both sides before the exact comparison). Memoised on the plain arguments (several claims
    ask the same).

    >>> holds_under(PAPER_FACTOR, "symmetric").verdict.value
    'proved'
    """
    f = parse(text)
    rnn = RNN(n, 1, T, "generic", form)
    subs = {"symmetric": _symmetric, "diagonal": _diagonal}[condition](rnn)
    # the network whose W_rec satisfies the condition: its direct Jacobian and the formula
    # on it are both sides with the condition substituted (W_rec's entries are not
    # differentiated, so substituting commutes with the derivative)
    rnn.W_rec = rnn.W_rec.xreplace(subs)
    candidate = in_layout(polynomial_candidate(f), layout)
    results = [check_jacobian(rnn, candidate, method="exact", pairs=f.pairs(T))]
    return Result.combine(
        results, method=Method(MethodKind.EXACT, "expansion under the condition"),
        scope=_scope(form, layout, n, T, f"W_rec {condition}"),
        evidence=f"with W_rec {condition}, {f.text()} equals the {layout} Jacobian at every pair",
    )


def holds_under_by_substitution(text: str, condition: str, *, form: str = "A",
                                layout: str = "numerator", n: int = 2, T: int = 2) -> Result:
    """The reference route of :func:`holds_under`: the condition substituted into both
    SymPy sides (the formula, and the direct Jacobian by ``Matrix.jacobian``) at every
    pair, each pair an exact identity; the tests check both routes agree.

    >>> holds_under_by_substitution(PAPER_FACTOR, "symmetric").verdict.value
    'proved'
    """
    f = parse(text)
    rnn = RNN(n, 1, T, "generic", form)
    subs = {"symmetric": _symmetric, "diagonal": _diagonal}[condition](rnn)
    candidate = in_layout(f.candidate(), layout)
    results = []
    for t, k in f.pairs(T):
        lhs = candidate(rnn.with_base(k), t, k).xreplace(subs)
        rhs = jacobian(rnn, t, k, "numerator").xreplace(subs)
        results.append(prove_equal(lhs, rhs, method="exact"))
    return Result.combine(
        results, method=Method(MethodKind.EXACT, "expansion under the condition"),
        scope=_scope(form, layout, n, T, f"W_rec {condition}"),
        evidence=f"with W_rec {condition}, {f.text()} equals the {layout} Jacobian at every pair",
    )


def _difference_one_step(n: int, layout: str = "numerator") -> tuple[sp.Matrix, Result]:
    """The paper's factor minus the one-step Jacobian in ``layout``, and the exact proof of
    its entries: numerator ``(w_{j,i} − w_{i,j}) σ'(x_j)`` (zero for every σ' iff W_rec is
    symmetric); denominator ``w_{j,i} (σ'(x_j) − σ'(x_i))`` (zero iff W_rec commutes with
    diag(σ'), e.g. W_rec diagonal or σ' equal across coordinates). Memoised (a claim and
    the one combining it ask the same); the matrix is a fresh copy each time."""
    diff, proof = _difference_one_step_cached(n, layout)
    return sp.Matrix(diff), proof


@functools.lru_cache(maxsize=8)
def _difference_one_step_cached(n: int, layout: str) -> tuple[sp.ImmutableMatrix, Result]:
    rnn = RNN(n, 1, 1)
    net = rnn.with_base(0)
    diff = parse(PAPER_FACTOR).candidate()(net, 1, 0) - jacobian(rnn, 1, 0, layout)
    w, x = rnn.W_rec, net.state_symbols(0)
    if layout == "numerator":
        expected = sp.Matrix(n, n, lambda i, j: (w[j, i] - w[i, j]) * dsigma(x[j]))
    else:
        expected = sp.Matrix(n, n, lambda i, j: w[j, i] * (dsigma(x[j]) - dsigma(x[i])))
    return sp.ImmutableMatrix(diff), prove_equal(diff, expected, method="exact")


def _negative(claim: str, refutations: list[Result], extras: list[Result], scope: Scope,
              evidence: str) -> Result:
    """A claim that an identity FAILS: proved iff every identity in ``refutations`` is
    refuted (each with a certified counterexample); extras must hold."""
    if all(r.verdict is Verdict.REFUTED for r in refutations) and all(e.holds for e in extras):
        return Result(Verdict.PROVED, NEGATIVE, scope, evidence,
                      details=tuple(refutations) + tuple(extras))
    bad = next((r for r in refutations if r.verdict is not Verdict.REFUTED), None)
    if bad is not None and bad.holds:
        return Result(Verdict.REFUTED, NEGATIVE, scope,
                      f"{claim}: the identity holds after all ({bad.evidence})",
                      counterexample=Counterexample((), "identity", "holds",
                                                    note="the claimed difference is absent"),
                      details=tuple(refutations) + tuple(extras))
    return Result(Verdict.UNDECIDED, NEGATIVE, scope,
                  f"{claim}: not every comparison was decided",
                  details=tuple(refutations) + tuple(extras))


# ----------------------------------------------------------------------------- claims
@REGISTRY.claim(
    "blog.note.numerator", source="blog Notes", expect=Verdict.PROVED,
    statement="the paper's W_rec^T diag(σ'(x_{i-1})) is not the numerator-layout Jacobian",
    reading="numerator layout, one step and products in both orders",
)
def check_note_numerator(options: Options) -> Result:
    """``W_recᵀ diag(σ'(x_{i-1}))`` is not the numerator-layout Jacobian (blog Notes).

    Proved by certified counterexamples at every n from 2 to options.n (one step) and for
    the products in both orders; n = 1 agrees (so 2×2 is the smallest size); the
    difference is ``(w_{j,i} − w_{i,j}) σ'(x_j)``, so the printed factor is right exactly
    when W_rec is symmetric (proved in that direction, one step and products)."""
    n_max, T = _sizes(options)
    refutations = [_formula(PAPER_FACTOR, form="A", layout="numerator", n=n, T=1)
                   for n in range(2, max(n_max, 2) + 1)]
    refutations += [_formula(text, form="A", layout="numerator", n=2, T=2)
                    for text in (PAPER_DOWN, PAPER_UP)]
    n1 = _formula(PAPER_FACTOR, form="A", layout="numerator", n=1, T=1)
    diff, diff_proof = _difference_one_step(2)
    symmetric = holds_under(PAPER_DOWN, "symmetric", n=min(n_max, 3), T=min(T, 3))
    result = _negative(
        "blog.note.numerator", refutations, [n1, diff_proof, symmetric],
        _scope("A", "numerator", (2, max(n_max, 2)), 2,
               f"one step for n = 2..{max(n_max, 2)}; products in both orders at n = 2, T = 2; "
               f"the symmetric condition proved at n <= {min(n_max, 3)}, T <= {min(T, 3)}"),
        "W_recᵀ D − W_rec D has entries (w_{j,i} − w_{i,j}) σ'(x_j) (exact); e.g. W_rec = "
        "[[0,1],[0,0]], σ'(x_{i-1}) = (1,2): numerator Jacobian [[0,2],[0,0]] vs paper "
        "[[0,0],[1,0]]; n = 1 agrees; the printed formula is right when W_rec is symmetric",
    )
    return Result(result.verdict, result.method, result.scope, result.evidence,
                  result.counterexample, result.details + (_cex_result("numerator"),),
                  data={"difference": diff, "counterexample": _explicit_cex("numerator")})


def _cex_result(layout: str) -> Result:
    """The hand-picked 2×2 counterexample as a refuted sub-result (re-checkable)."""
    c = _explicit_cex(layout)
    verdict = Verdict.REFUTED if c.data["lhs"] != c.data["rhs"] else Verdict.UNDECIDED
    return Result(verdict, Method(MethodKind.EXACT, "substitution"),
                  _scope("A", layout, 2, 1, "one step at W_rec = [[0,1],[0,0]]"),
                  f"the paper's factor differs from the {layout}-layout Jacobian at this point",
                  counterexample=c if verdict is Verdict.REFUTED else None)


@REGISTRY.claim(
    "blog.note.any-layout.form-A", source="blog Notes", expect=Verdict.PROVED,
    statement=("W_recᵀ diag(σ'(x_{i-1})) is not the denominator-layout Jacobian of eq. 2's x "
               "either (that is diag(σ'(x_{i-1})) W_recᵀ), one step or as a product in either "
               "order"),
    reading="the denominator layout of eq. 2's state x",
)
def check_any_layout_form_a(options: Options) -> Result:
    """Reading 1 of the blog's "even if we decide to not use numerator layout": the
    denominator-layout Jacobian of form A is ``D W_recᵀ`` (and ``∏ D W_recᵀ`` smallest index
    leftmost), not ``W_recᵀ D``. Equal when diag(σ') commutes with W_rec: proved for W_rec
    diagonal (and trivially for σ' constant across coordinates)."""
    n_max, T = _sizes(options)
    refutations = [_formula(PAPER_FACTOR, form="A", layout="denominator", n=n, T=1)
                   for n in range(2, max(n_max, 2) + 1)]
    refutations += [_formula(text, form="A", layout="denominator", n=2, T=2)
                    for text in (PAPER_DOWN, PAPER_UP)]
    truth = _formula(DENOM_UP, form="A", layout="denominator", n=min(n_max, 3), T=min(T, 3))
    diagonal = holds_under(PAPER_UP, "diagonal", layout="denominator", n=min(n_max, 3),
                           T=min(T, 3))
    diff, diff_proof = _difference_one_step(2, "denominator")
    result = _negative(
        "blog.note.any-layout.form-A", refutations, [truth, diagonal, diff_proof],
        _scope("A", "denominator", (2, max(n_max, 2)), 2,
               f"one step for n = 2..{max(n_max, 2)}; products at n = 2, T = 2"),
        "W_recᵀ D − D W_recᵀ has entries w_{j,i} (σ'(x_j) − σ'(x_i)) (exact), so the denominator "
        "Jacobian D W_recᵀ ≠ W_recᵀ D (certified counterexamples); W_rec = [[0,1],[0,0]], "
        "σ' = (1,2): [[0,0],[2,0]] vs [[0,0],[1,0]]; equal when W_rec commutes with diag(σ'), "
        "e.g. W_rec diagonal (proved)",
    )
    return Result(result.verdict, result.method, result.scope, result.evidence,
                  result.counterexample, result.details + (_cex_result("denominator"),),
                  data={"difference": diff, "counterexample": _explicit_cex("denominator")})


@REGISTRY.claim(
    "blog.note.any-layout.form-B", source="blog Notes", expect=Verdict.PROVED,
    statement=("as printed (σ' at x_{i-1}), W_recᵀ diag(σ'(x_{i-1})) is not a Jacobian "
               "∂h_i/∂h_{i-1} of form B's state h = σ(x) in either layout"),
    reading="a Jacobian ∂h_i/∂h_{i-1} of form B's state h = σ(x), either layout",
)
def check_any_layout_form_b(options: Options) -> Result:
    """Reading 2: allow the other network form too. With σ' at ``x_{i-1}`` the factor is no
    Jacobian of form B in either layout (compared along trajectories: x_{i-1} is the
    pre-activation before the base state h_{i-1})."""
    refutations = [_formula(PAPER_FACTOR, form="B", layout=lay, n=2, T=2)
                   for lay in ("numerator", "denominator")]
    return _negative(
        "blog.note.any-layout.form-B", refutations, [],
        _scope("B", "", 2, 2, "along trajectories", layouts=("numerator", "denominator")),
        "with σ' at x_{i-1}, W_recᵀ diag(σ') is neither diag(σ'(x_i)) W_rec (numerator) nor "
        "W_recᵀ diag(σ'(x_i)) (denominator) of form B: certified counterexamples",
    )


@REGISTRY.claim(
    "blog.note.any-layout", source="blog Notes", expect=Verdict.PROVED,
    statement=("\"even if we decide to not use numerator layout notation, the outcome is still "
               "different\""),
    reading="both readings: .form-A and .form-B",
)
def check_any_layout(options: Options) -> Result:
    """Both readings: the paper's factor is no denominator-layout Jacobian of form A, and
    as printed no Jacobian of form B."""
    parts = [check_any_layout_form_a(options), check_any_layout_form_b(options)]
    combined = Result.combine(parts)
    if combined.verdict is not Verdict.PROVED:
        bad = next(p for p in parts if p.verdict is combined.verdict)
        return Result.combine(parts, evidence=bad.evidence)
    return Result.combine(parts, evidence="as printed, W_recᵀ diag(σ'(x_{i-1})) is the Jacobian "
                          "in no layout of either form: not form A's denominator-layout D W_recᵀ, "
                          "and with σ' at x_{i-1} no Jacobian of form B (certified counterexamples)")


def _eq5_reading(layout: str, options: Options) -> Result:
    results = [_formula(text, form="A", layout=layout, n=2, T=2)
               for text in (PAPER_DOWN, PAPER_UP)]
    combined = Result.combine(results)
    return Result(
        combined.verdict, methods_of(results, EXACT.detail),
        _scope("A", layout, 2, 2, "the paper's eq. 2; both product orders"),
        (f"neither order of ∏ W_recᵀ diag(σ'(x_{{i-1}})) is ∂x_t/∂x_k in {layout} layout"
         if combined.verdict is Verdict.REFUTED else combined.evidence),
        combined.counterexample, tuple(results),
    )


@REGISTRY.claim(
    "paper.eq5.numerator", source="paper eq. 5", expect=Verdict.REFUTED,
    statement=("∂x_t/∂x_k = ∏_{t≥i>k} W_recᵀ diag(σ'(x_{i-1})) in numerator layout, in some "
               "order of the factors"),
    reading="numerator layout, either order of the factors",
)
def check_eq5_numerator(options: Options) -> Result:
    """Reading: numerator layout (the paper multiplies ∂E_t/∂x_t from the left)."""
    return _eq5_reading("numerator", options)


@REGISTRY.claim(
    "paper.eq5.denominator", source="paper eq. 5", expect=Verdict.REFUTED,
    statement=("∂x_t/∂x_k = ∏_{t≥i>k} W_recᵀ diag(σ'(x_{i-1})) in denominator layout, in some "
               "order of the factors"),
    reading="denominator layout, either order of the factors",
)
def check_eq5_denominator(options: Options) -> Result:
    """Reading: denominator layout."""
    return _eq5_reading("denominator", options)


@REGISTRY.claim(
    "paper.eq5", source="paper eq. 5", expect=Verdict.REFUTED,
    statement=("∂x_t/∂x_k = ∏_{t≥i>k} W_rec^T diag(σ'(x_{i-1})) holds in some layout "
               "(numerator or denominator) with some order of the factors"),
    reading="in some layout (numerator or denominator), with some order of the factors",
)
def check_eq5(options: Options) -> Result:
    """"Holds in some layout with some order": refuted only if every (layout, order)
    reading is refuted; the printed product is right when W_rec is symmetric (proved)."""
    readings = [check_eq5_numerator(options), check_eq5_denominator(options)]
    # as printed, also for form B's state h = σ(x) (x its pre-activation), both layouts/orders
    form_b = [_formula(text, form="B", layout=lay, n=2, T=3)
              for lay in ("numerator", "denominator") for text in (PAPER_DOWN, PAPER_UP)]
    n_max, T = _sizes(options)
    symmetric = holds_under(PAPER_DOWN, "symmetric", n=min(n_max, 3), T=min(T, 3))
    everything = readings + form_b
    if any(r.holds for r in everything):
        verdict = Verdict.PROVED
        evidence = "one reading holds: " + next(r.evidence for r in everything if r.holds)
    elif all(r.verdict is Verdict.REFUTED for r in everything):
        verdict = Verdict.REFUTED
        evidence = ("no layout and no order makes ∏ W_recᵀ diag(σ'(x_{i-1})) the Jacobian of "
                    "eq. 2 (4 readings refuted), nor, as printed, of form B's h = σ(x) (4 more); "
                    "it is right when W_rec is symmetric" + (" (proved)" if symmetric.holds else "")
                    + "; see paper.eq5.corrected and paper.eq5.diagnosis")
    else:
        verdict = Verdict.UNDECIDED
        evidence = "not every (layout, order) reading was decided"
    cex = next((r.counterexample for r in readings if r.counterexample), None)
    scope = Scope(spans=(Span("n", 2, 2), Span("T", 1, 3)), activations=("generic",),
                  forms=("A", "B"), layouts=("numerator", "denominator"),
                  note="form A (eq. 2): both layouts and orders at T = 2; form B as printed at "
                       "T = 3 along trajectories")
    return Result(verdict, methods_of(everything, EXACT.detail), scope,
                  evidence, cex if verdict is Verdict.REFUTED else None,
                  tuple(readings) + tuple(form_b) + (symmetric,))


@REGISTRY.claim(
    "paper.eq5.corrected", source="paper eq. 5", expect=Verdict.PROVED,
    statement=("∂x_t/∂x_k = ∏_{t≥i>k} W_rec diag(σ'(x_{i-1})) with the factor of largest index"
               " leftmost (numerator layout); in denominator layout ∏ diag(σ'(x_{i-1})) W_recᵀ"
               " with the smallest index leftmost"),
)
def check_eq5_corrected(options: Options) -> Result:
    """The corrected eq. 5, proved against the direct Jacobian in both layouts."""
    n, T = _sizes(options)
    results = [_formula(TRUE_DOWN, form="A", layout="numerator", n=n, T=T),
               _formula(DENOM_UP, form="A", layout="denominator", n=n, T=T)]
    return Result.combine(results, method=methods_of(results, EXACT.detail),
                          scope=_scope("A", "", n, T, "all pairs 0 <= k < t <= T",
                                       layouts=("numerator", "denominator")),
                          evidence="W_rec diag(σ'(x_{i-1})) largest-leftmost (numerator) and "
                          "diag(σ'(x_{i-1})) W_recᵀ smallest-leftmost (denominator) equal the "
                          "direct Jacobian at every pair")


@REGISTRY.claim(
    "paper.eq5.diagnosis", source="paper eq. 5", expect=Verdict.PROVED,
    statement=("with the σ' argument moved one step, W_rec^T diag(σ'(x_i)) is the denominator-"
               "layout Jacobian ∂h_i/∂h_{i-1} of form B's state h = σ(x)"),
)
def check_eq5_diagnosis(options: Options) -> Result:
    """With σ' moved to x_i, ``W_recᵀ diag(σ'(x_i))`` is the denominator-layout Jacobian
    ``∂h_i/∂h_{i-1}`` of form B (h = σ(x), x the pre-activation), and the product with the
    smallest index leftmost is ``∂h_t/∂h_k``; the diagnosis of the paper's literal factor
    finds exactly this convention with σ' one step early; SymPy's own ``MatrixSymbol.diff``
    gives the same factor."""
    n, T = _sizes(options)
    results = [_formula(FORM_B_FACTOR, form="B", layout="denominator", n=n, T=T),
               _formula(FORM_B_UP, form="B", layout="denominator", n=n, T=T),
               sympy_matrixsymbol_one_step(n, "B")]
    method = methods_of(results, EXACT.detail + "; SymPy's MatrixSymbol.diff; convention diagnosis")
    scope = _scope("B", "denominator", n, T, "all pairs")
    combined = Result.combine(results, method=method, scope=scope)
    diag = diagnose(PAPER_FACTOR, n=2, T=3)
    # the printed factor is form B's denominator convention with σ' one step early
    conventions = tuple(diag.conventions)
    near = [x for x in diag.nearest if (x.convention.form, x.convention.layout) == ("B", "denominator")]
    diagnosed = (conventions == (Convention("B", "denominator", "i-1", None),)
                 and len(near) == 1 and near[0].template.sigma_at == "i-1"
                 and near[0].convention.sigma_at == "i")
    found = [str(c) for c in conventions]
    early = [x.describe() for x in near]
    if combined.verdict is Verdict.PROVED and not diagnosed:
        return Result(Verdict.UNDECIDED, combined.method, combined.scope,
                      f"the Jacobian was proved but the diagnosis found {found}, {early}",
                      details=results)
    evidence = (f"W_recᵀ diag(σ'(x_i)) = ∂h_i/∂h_{{i-1}} (denominator) and ∏ smallest-leftmost "
                f"= ∂h_t/∂h_k, n={n}, T={T}; SymPy's MatrixSymbol.diff gives W.T*diag(σ'(W X + "
                f"..)); diagnosis of the printed factor: matches {found[0] if found else 'none'}, "
                f"nearest: {early[0] if early else 'none'}")
    return Result(combined.verdict, method, scope,
                  evidence if combined.verdict is Verdict.PROVED else combined.evidence,
                  combined.counterexample, tuple(results), data={"diagnosis": diag})


@REGISTRY.claim(
    "blog.eq10.order", source="blog eq. 10", expect=Verdict.REFUTED,
    statement=("the product ∏_{j=k+1}^{t} J_j equals ∂x_t/∂x_k whichever order its factors are"
               " multiplied in"),
)
def check_eq10_order(options: Options) -> Result:
    """"Whichever order": refuted by the smallest-index-leftmost order (n=2, T=2); n = 1
    agrees (scalars commute)."""
    reversed_ = _formula(TRUE_UP, form="A", layout="numerator", n=2, T=2)
    n1 = _formula(TRUE_UP, form="A", layout="numerator", n=1, T=min(options.T, 3))
    if reversed_.verdict is Verdict.REFUTED:
        return Result(Verdict.REFUTED, reversed_.method, reversed_.scope, "J_{k+1} ⋯ J_t (smallest index leftmost) differs from "
                      "∂x_t/∂x_k; order matters for n >= 2 (n = 1 agrees"
                      + (", proved" if n1.holds else "") + ")",
                      reversed_.counterexample, (reversed_, n1))
    return Result(reversed_.verdict, reversed_.method, reversed_.scope, reversed_.evidence,
                  reversed_.counterexample, (reversed_, n1))


@REGISTRY.claim(
    "blog.eq10.order.corrected", source="blog eq. 10", expect=Verdict.PROVED,
    statement=("∏_{j=k+1}^{t} J_j equals ∂x_t/∂x_k with the factor of largest index leftmost "
               "(numerator layout); the reversed order equals it when the factors commute (n ="
               " 1, or W_rec diagonal)"),
)
def check_eq10_order_corrected(options: Options) -> Result:
    """Largest-leftmost proved for all pairs; the reversed order proved equal under the
    commuting conditions n = 1 and W_rec diagonal."""
    n, T = _sizes(options)
    results = [_formula(TRUE_DOWN, form="A", layout="numerator", n=n, T=T),
               _formula(TRUE_UP, form="A", layout="numerator", n=1, T=T),
               holds_under(TRUE_UP, "diagonal", n=min(n, 3), T=min(T, 3))]
    return Result.combine(results, method=methods_of(results, EXACT.detail),
                          scope=_scope("A", "numerator", n, T,
                                       "the reversed order at n = 1 and for W_rec diagonal"),
                          evidence="J_t ⋯ J_{k+1} = ∂x_t/∂x_k at every pair; J_{k+1} ⋯ J_t too "
                          "when n = 1 or W_rec is diagonal")


__all__ = ["smallest_counterexample", "holds_under", "holds_under_by_substitution", "PAPER_FACTOR", "PAPER_DOWN", "PAPER_UP"]
