"""The blog's remarks between its equations, each a claim with a computed verdict.

- "There are no other paths from x_t to x_k" (``blog.eq10.paths``): the cells of forms A and
  B read one past state, so the immediate partial of x_t with respect to x_{t-2} (x_{t-1}
  held fixed) is exactly 0; a cell with a skip connection (``blog.eq10.paths.skip``, not the
  blog's model) has ``U diag(σ'(x_{t-2}))`` there.
- "a linear and predictable relationship between each timestep": the derivatives compose,
  ``∂x_t/∂x_k = J_t ∂x_{t-1}/∂x_k`` (the author's sense: the sentence is about "taking the
  derivative of x_t in terms of x_k"; the eq. 13 induction), while x_t is not a linear
  function of x_{t-1} (``blog.eq10.linear.state``).
- Eq. 12's first line writes ``u_t`` for ``u_j``: the printed state is wrong when u_t ≠ u_j,
  harmless for the derivative.
- "We will use numerator layout notation but it does not really matter": not for the norms
  (the author's sense: the post's conclusions are norm bounds), but the formula changes —
  denominator layout gives ``(W_rec D)ᵀ = D W_recᵀ``.
- "u_t and b are irrelevant as they are not a function of θ (W)": b is the last column of W
  (eq. 2), and ∂⁺x_t/∂b = I.

>>> from rnncore.registry import Options
>>> check_paths(Options.quick_sizes()).verdict.value
'proved'
>>> check_paths_skip(Options.quick_sizes()).verdict.value
'refuted'
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp
from flint import arb, ctx

from derive.induction import checked_induction
from derive.norm_proofs import prove_claim
from rnncore.registry import Options
from rnncore.results import (Counterexample, Label, Location, Method, MethodKind, Result, Scope,
                             Span, Verdict)
from rnnmodel.activations import ACTIVATIONS
from rnnmodel.cells import CELLS, Cell, Step
from rnnmodel.exact import SYMPY

from . import REGISTRY

EXACT = Method(MethodKind.EXACT, "SymPy differentiation of the cell's step")


def _skip_step(ar, act, p, past, u) -> Step:
    """x_t = W_rec σ(x_{t−1}) + U σ(x_{t−2}) + W_in u_t + b: a cell that reads two states."""
    older, last = past
    z = ar.add(ar.matvec(p["W_rec"], ar.sigma(act, last)), ar.matvec(p["U"], ar.sigma(act, older)))
    return Step(ar.add(z, ar.affine(p["W_in"], u, p["b"])), last)


#: A cell outside the blog's model, with a skip connection from x_{t-2}.
SKIP = Cell("skip", "x_t = W_rec σ(x_{t-1}) + U σ(x_{t-2}) + W_in u_t + b",
            ("W_rec", "U", "W_in", "b"), 2, "x", _skip_step)


def older_partial(cell: Cell, n: int, activation: str = "tanh") -> sp.Matrix:
    """``∂⁺x_t/∂x_{t-2}`` of ``cell`` (x_{t-1} held fixed), symbolic parameters and states,
    n = m = ``n``: the step sees the last ``cell.reads`` states of (x_{t-2}, x_{t-1}).

    >>> older_partial(CELLS["A"], 2).is_zero_matrix
    True
    >>> older_partial(SKIP, 1)
    Matrix([[U_0_0*(1 - tanh(o_0)**2)]])
    """
    sym = lambda name, r, c: sp.Matrix(r, c, [sp.Symbol(f"{name}_{i}_{j}") for i in range(r) for j in range(c)])  # noqa: E731
    params = {"W_rec": sym("W", n, n), "U": sym("U", n, n), "W_in": sym("V", n, n),
              "b": sp.Matrix(sp.symbols(f"b:{n}"))}
    older = sp.Matrix(sp.symbols(f"o_:{n}"))
    last = sp.Matrix(sp.symbols(f"l_:{n}"))
    u = sp.Matrix(sp.symbols(f"u:{n}"))
    past = (older, last)[2 - cell.reads:]
    state = cell.step(SYMPY, ACTIVATIONS[activation], params, past, u).state
    return sp.Matrix(state).jacobian(older)


@REGISTRY.claim(
    "blog.eq10.paths", source="blog, before eq. 10", expect=Label.PROVED,
    statement="there are no other paths from x_t to x_k: x_t depends on x_{t-2} only through x_{t-1}",
    reading="forms A and B (eq. 2 and the NOTE's form): ∂⁺x_t/∂x_{t-2} = 0 with x_{t-1} held fixed",
)
def check_paths(options: Options) -> Result:
    """Forms A and B, tanh and sigmoid, every n ≤ options.n: the step's immediate partial
    with respect to x_{t-2} is the zero matrix (exact)."""
    cases = [(form, act, n) for form in ("A", "B") for act in ("tanh", "sigmoid")
             for n in range(1, options.n + 1)]
    for form, act, n in cases:
        J = older_partial(CELLS[form], n, act)
        if not J.is_zero_matrix:
            return Result(Verdict.REFUTED, EXACT, Scope(spans=(Span("n", n, n),), forms=(form,)),
                          f"form {form}: ∂⁺x_t/∂x_(t-2) = {J}",
                          counterexample=Counterexample((("form", form), ("n", str(n))),
                                                        lhs=str(J), rhs="0"))
    return Result(Verdict.PROVED, EXACT,
                  Scope(spans=(Span("n", 1, options.n),), forms=("A", "B"),
                        activations=("tanh", "sigmoid"), checked=len(cases),
                        note="every t: the step reads only x_(t-1)"),
                  f"∂⁺x_t/∂x_(t-2) is the zero matrix in {len(cases)} exact cases: the cells of "
                  f"forms A and B read one past state, so the only path from x_k to x_t is the "
                  f"chain x_k → x_(k+1) → … → x_t")


@REGISTRY.claim(
    "blog.eq10.paths.skip", source="blog, before eq. 10", expect=Verdict.REFUTED,
    statement="there are no other paths from x_t to x_k: x_t depends on x_{t-2} only through x_{t-1}",
    reading="a cell with a skip connection x_t = W_rec σ(x_{t-1}) + U σ(x_{t-2}) + W_in u_t + b "
            "(not the blog's model)",
    authors_reading=False,
)
def check_paths_skip(options: Options) -> Result:
    """Refuted for the skip cell: ``∂⁺x_t/∂x_{t-2} = U diag(σ'(x_{t-2}))``, which is 1 at n = 1,
    U = 1, x_{t-2} = 0 (tanh); then eq. 10's product misses a term."""
    J = older_partial(SKIP, 1)
    at = J.subs({sp.Symbol("U_0_0"): 1, sp.Symbol("o_0"): 0})
    if at[0, 0] != 1:  # pragma: no cover - exact arithmetic
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE), Scope(), f"got {at}")
    return Result(
        Verdict.REFUTED, EXACT, Scope(spans=(Span("n", 1, 1),), forms=("skip",), activations=("tanh",)),
        f"the skip cell's ∂⁺x_t/∂x_(t-2) = {J[0, 0]} is 1 at U = 1, x_(t-2) = 0: a second path",
        counterexample=Counterexample(
            (("cell", SKIP.equation), ("n", "1"), ("U", "1"), ("x_{t-2}", "0"), ("activation", "tanh")),
            lhs="∂⁺x_t/∂x_{t-2} = U tanh'(x_{t-2}) = 1", rhs="0 (no other path)",
            location=Location(note="the direct edge x_{t-2} → x_t")))


@REGISTRY.claim(
    "blog.eq10.linear", source="blog, before eq. 10", expect=Label.PROVED,
    statement="\"there is a linear and predictable relationship between each timestep\"",
    reading="the derivatives compose linearly: ∂x_t/∂x_k = J_t ∂x_{t-1}/∂x_k (the sentence is "
            "about the derivative of x_t in terms of x_k)",
)
def check_linear(options: Options) -> Result:
    """The eq. 13 induction (forms A and B, every n, every t): its recursion step is
    ``∂x_t/∂x_k = F_t ∂x_{t-1}/∂x_k``, linear in ``∂x_{t-1}/∂x_k``."""
    pairs = [checked_induction(name) for name in ("eq13.A", "eq13.B")]
    proofs = tuple(pr for pr, _ in pairs)
    parts = [r for _, r in pairs]
    res = Result.combine(parts, method=Method(MethodKind.EXACT, "induction at a symbolic t"),
                         scope=Scope(spans=(Span("n", 1, None), Span("T", 1, None)), forms=("A", "B")),
                         evidence="∂x_t/∂x_k = J_t ∂x_(t-1)/∂x_k, a linear recursion: "
                         + "; ".join(p.evidence for p in parts))
    return res.with_(proofs=proofs)


@REGISTRY.claim(
    "blog.eq10.linear.state", source="blog, before eq. 10", expect=Verdict.REFUTED,
    statement="\"there is a linear and predictable relationship between each timestep\"",
    reading="x_t is a linear function of x_{t-1}",
    authors_reading=False,
)
def check_linear_state(options: Options) -> Result:
    """Refuted: n = 1, W_rec = 1, u = b = 0, tanh: doubling x_{t-1} from 1 to 2 takes x_t from
    tanh 1 to tanh 2 < 2 tanh 1 (certified ball)."""
    with ctx.workprec(128):
        gap = 2 * arb(1).tanh() - arb(2).tanh()
        ok = bool(gap > 0)
        text = gap.str(10)
    if not ok:  # pragma: no cover
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "arb"), Scope(), "sign not certified")
    return Result(
        Verdict.REFUTED, Method(MethodKind.CERTIFIED, "a certified ball (python-flint)"),
        Scope(spans=(Span("n", 1, 1),), forms=("A",), activations=("tanh",)),
        f"x_t(2) = tanh 2 differs from 2·x_t(1) = 2 tanh 1 by {text}: x_t is not linear in "
        "x_(t-1); only the Jacobians compose linearly (blog.eq10.linear)",
        counterexample=Counterexample(
            (("n", "1"), ("W_rec", "1"), ("u, b", "0"), ("activation", "tanh")),
            lhs="x_t at x_{t-1} = 2: tanh 2", rhs="2 · (x_t at x_{t-1} = 1) = 2 tanh 1",
            relation="=", note=f"2 tanh 1 − tanh 2 ∈ {text} > 0"))


# ---------------------------------------------------------------- eq. 12's first line
def _printed_and_true(n: int):
    """x_j as eq. 12 prints it (with u_t) and as eq. 2 gives it (with u_j), symbolic."""
    W = sp.Matrix(n, n, [sp.Symbol(f"W_{i}_{j}") for i in range(n) for j in range(n)])
    V = sp.Matrix(n, n, [sp.Symbol(f"V_{i}_{j}") for i in range(n) for j in range(n)])
    b = sp.Matrix(sp.symbols(f"b:{n}"))
    x = sp.Matrix(sp.symbols(f"x:{n}"))
    u_t, u_j = sp.Matrix(sp.symbols(f"ut:{n}")), sp.Matrix(sp.symbols(f"uj:{n}"))
    s = x.applyfunc(sp.tanh)
    return W * s + V * u_t + b, W * s + V * u_j + b, x, (W, V, b, u_t, u_j)


@REGISTRY.claim(
    "blog.eq12.input-index", source="blog eq. 12, first line", expect=Verdict.REFUTED,
    statement="x_j = W [σ(x_{j-1}); u_t; 1]",
)
def check_input_index(options: Options) -> Result:
    """Refuted: the printed state uses u_t for u_j; n = 1, W = [1, 1, 0], x_{j-1} = 0,
    u_j = 0, u_t = 1 gives 1 for x_j = 0 (exact)."""
    printed, true, x, (W, V, b, u_t, u_j) = _printed_and_true(1)
    at = {W[0, 0]: 1, V[0, 0]: 1, b[0]: 0, x[0]: 0, u_t[0]: 1, u_j[0]: 0}
    lhs, rhs = true.subs(at)[0], printed.subs(at)[0]
    if lhs == rhs:  # pragma: no cover
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE), Scope(), "no difference")
    return Result(
        Verdict.REFUTED, Method(MethodKind.EXACT, "substitution"), Scope(spans=(Span("n", 1, 1),)),
        f"with u_t ≠ u_j the printed state {rhs} is not x_j = {lhs}: the input index should be j",
        counterexample=Counterexample(
            (("W_rec", "1"), ("W_in", "1"), ("b", "0"), ("x_{j-1}", "0"), ("u_j", "0"), ("u_t", "1")),
            lhs=f"x_j = W_rec σ(x_(j-1)) + W_in u_j + b = {lhs}",
            rhs=f"W [σ(x_(j-1)); u_t; 1] = {rhs}", relation="="))


@REGISTRY.claim(
    "blog.eq12.input-index.harmless", source="blog eq. 12, first line", expect=Label.PROVED,
    statement="with u_t for u_j, ∂x_j/∂x_{j-1} is still W_rec diag(σ'(x_{j-1}))",
)
def check_input_index_harmless(options: Options) -> Result:
    """Both states have the same Jacobian with respect to x_{j-1} (exact, tanh, n ≤ options.n):
    the inputs do not depend on x_{j-1}."""
    for n in range(1, options.n + 1):
        printed, true, x, _ = _printed_and_true(n)
        diff = (printed.jacobian(x) - true.jacobian(x)).applyfunc(sp.expand)
        if not diff.is_zero_matrix:  # pragma: no cover - exact arithmetic
            return Result(Verdict.UNDECIDED, Method(MethodKind.NONE), Scope(), f"n={n}: {diff}")
    return Result(Verdict.PROVED, Method(MethodKind.EXACT, "SymPy Jacobians"),
                  Scope(spans=(Span("n", 1, options.n),), activations=("tanh",), checked=options.n),
                  f"∂/∂x_(j-1) of W_rec σ(x_(j-1)) + W_in u + b does not involve u: the Jacobians "
                  f"agree exactly for n = 1..{options.n}")


# ---------------------------------------------------------------- "it does not really matter"
@REGISTRY.claim(
    "blog.eq12.layout", source="blog, before eq. 12", expect=Label.PROVED_FROM_LEMMAS,
    statement="\"we will use numerator layout notation but it does not really matter\"",
    reading="for the norms of eqs. 14-15 (the post's conclusions): ‖(W_rec D)ᵀ‖₂ = ‖W_rec D‖₂",
)
def check_layout_norms(options: Options) -> Result:
    """The denominator-layout Jacobian is the transpose, with the same spectral norm (lemma
    proof, every n)."""
    return prove_claim("blog.eq12.layout")


@REGISTRY.claim(
    "blog.eq12.layout.formula", source="blog, before eq. 12", expect=Verdict.REFUTED,
    statement="\"we will use numerator layout notation but it does not really matter\"",
    reading="for the formula: eq. 12 and 13 hold as printed in denominator layout too",
    authors_reading=False,
)
def check_layout_formula(options: Options) -> Result:
    """Refuted: in denominator layout ∂x_j/∂x_{j-1} = (W_rec D)ᵀ = D W_recᵀ, and the product
    of eq. 13 reverses its order; W_rec = [[0, 1], [0, 0]], D = I: [[0, 0], [1, 0]] ≠ W_rec D."""
    W = sp.Matrix([[0, 1], [0, 0]])
    x = sp.Matrix(sp.symbols("x:2"))
    state = W * x.applyfunc(sp.tanh)
    numerator = state.jacobian(x).subs({x[0]: 0, x[1]: 0})
    denominator = numerator.T
    if denominator == W:  # pragma: no cover
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE), Scope(), "layouts agree")
    return Result(
        Verdict.REFUTED, Method(MethodKind.EXACT, "SymPy Jacobian"), Scope(spans=(Span("n", 2, 2),)),
        f"denominator layout gives {denominator.tolist()} = D W_recᵀ, not W_rec D = "
        f"{numerator.tolist()}; the norms agree (blog.eq12.layout)",
        counterexample=Counterexample(
            (("W_rec", "[[0, 1], [0, 0]]"), ("x_{j-1}", "(0, 0)"), ("activation", "tanh")),
            lhs=f"∂x_j/∂x_(j-1) in denominator layout = {denominator.tolist()}",
            rhs=f"W_rec diag(σ'(x_(j-1))) = {numerator.tolist()}", relation="=",
            location=Location(layout="denominator")))


# ---------------------------------------------------------------- "u_t and b are irrelevant"
def _immediate(n: int, m: int):
    """∂⁺x_t/∂vec(W) for W = [W_rec, W_in, b] (row-major), x_{t-1}, u_t symbolic."""
    cols = n + m + 1
    W = sp.Matrix(n, cols, [sp.Symbol(f"w_{i}_{j}") for i in range(n) for j in range(cols)])
    z = sp.Matrix(list(sp.Matrix(sp.symbols(f"x:{n}")).applyfunc(sp.tanh))
                  + list(sp.symbols(f"u:{m}")) + [1])
    return (W * z).jacobian(list(W)), z


@REGISTRY.claim(
    "blog.eq7.u-and-b", source="blog, before eq. 6", expect=Verdict.REFUTED,
    statement="\"u_t and b are irrelevant as they are not a function of θ (W)\"",
)
def check_u_and_b(options: Options) -> Result:
    """Refuted for b: b is the last column of W in eq. 2, so it is part of θ = W, and
    ∂⁺x_t/∂b = I ≠ 0 (n = 1, m = 1: the b-entry of ∂⁺x_t/∂W is 1)."""
    G, _ = _immediate(1, 1)
    if G[0, 2] != 1:  # pragma: no cover
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE), Scope(), f"got {G}")
    return Result(
        Verdict.REFUTED, Method(MethodKind.EXACT, "SymPy Jacobian"), Scope(spans=(Span("n", 1, 1),)),
        "b is the last column of W = [W_rec, W_in, b] (eq. 2): ∂⁺x_t/∂b = 1 ≠ 0, so b is a "
        "parameter the gradient covers; u_t indeed is data (blog.eq7.u-and-b.corrected)",
        counterexample=Counterexample(
            (("n", "1"), ("m", "1"), ("θ", "W = [W_rec, W_in, b]")),
            lhs=f"∂⁺x_t/∂W = {G.tolist()} (last entry: ∂⁺x_t/∂b)", rhs="∂⁺x_t/∂b = 0 (irrelevant)",
            relation="="))


@REGISTRY.claim(
    "blog.eq7.u-and-b.corrected", source="blog, before eq. 6", expect=Label.PROVED,
    statement=("u_t is data, not a function of θ; b is part of θ = W (its last column), with "
               "∂⁺x_t/∂W = I ⊗ [σ(x_{t-1}); u_t; 1]ᵀ"),
)
def check_u_and_b_corrected(options: Options) -> Result:
    """Exact for n ≤ 2, m ≤ options.m: the immediate partial with respect to the whole W is
    ``I ⊗ zᵀ``; its b-columns are ``I`` and u_t enters as a value, never differentiated."""
    count = 0
    for n in range(1, min(options.n, 2) + 1):
        for m in range(1, options.m + 1):
            G, z = _immediate(n, m)
            if G != sp.kronecker_product(sp.eye(n), z.T):  # pragma: no cover
                return Result(Verdict.UNDECIDED, Method(MethodKind.NONE), Scope(), f"n={n}: {G}")
            count += 1
    return Result(Verdict.PROVED, Method(MethodKind.EXACT, "SymPy Jacobians"),
                  Scope(spans=(Span("n", 1, min(options.n, 2)), Span("m", 1, options.m)), checked=count,
                        note="every n by the index proof of derive.generic.kron_row_proof's c = I ⊗ zᵀ"),
                  f"∂⁺x_t/∂W = I ⊗ [σ(x_(t-1)); u_t; 1]ᵀ exactly in {count} cases: the b-block is I "
                  "(b is a parameter), u_t a value")





# ---------------------------------------------------------------- "all findings apply"
@REGISTRY.claim(
    "blog.formB.bounds", source="blog NOTE (form B)", expect=Label.PROVED_FROM_LEMMAS,
    statement=("\"all findings can be applied to different implementations\": for form B, "
               "‖diag(σ'(a_j)) W_rec‖₂ ≤ γ σ_max(W_rec) = η < 1 and ‖∂h_t/∂h_k‖₂ ≤ η^{t-k} → 0"),
    reading="the findings of eqs. 14-15 (the vanishing bound) for form B",
)
def check_form_b_bounds(options: Options) -> Result:
    """Lemma proof for every n: the form-B factor diag(σ'(a_j)) W_rec (eq. 12's analogue,
    proved in ``blog.formB``) obeys the same bound with the factors on the other side.
    The lemma proof does not depend on the options: it is checked once per process."""
    return _form_b_bounds()


@lru_cache(maxsize=1)
def _form_b_bounds() -> Result:
    return prove_claim("blog.formB.bounds")


__all__ = ["SKIP", "older_partial", "check_paths", "check_paths_skip", "check_linear",
           "check_linear_state", "check_input_index", "check_input_index_harmless",
           "check_layout_norms", "check_layout_formula", "check_u_and_b", "check_u_and_b_corrected",
           "check_form_b_bounds"]
