"""Statements of the blog's linear-algebra precursor and of the paper's section 2.1 that the
first catalogue ids leave out, each decided exactly on a concrete matrix.

- the PSD step writes ``Σ_i (Ax)_i²`` for ``xᴴAᴴAx``: wrong for complex A (A = [[i]], x = [1]);
- "a singular value expresses the stretching factor in any direction": diag(2, 1) stretches
  (1, 1)/√2 by √10/2, no singular value;
- eq. 14's strict hypothesis ``‖D‖₂ < γ`` excludes tanh's bound γ = 1 at x = 0;
- the quoted analogy "a product of t − k real numbers can shrink to zero or explode … so does
  this product of matrices": as possibility (the author's sense) it holds (W = I/2 and 2I at
  the origin); read as "the product behaves like the product of the factors' sizes" it fails
  (nilpotent W with σ_max = 2: the product is exactly 0);
- the paper's "otherwise the long term components would vanish" at λ₁ = 1/γ (W = I, tanh,
  x = 0: norm 1 at every t), and the eigenvalue condition with a signed eigenvalue
  (W = −2I: largest eigenvalue −2 < 1, yet the product grows as 2^t).

At the origin with tanh and u = b = 0 the state stays 0, so every one-step Jacobian is
``W diag(tanh'(0)) = W`` and ``∂x_t/∂x_0 = W^t`` (exact).

>>> from rnncore.registry import Options
>>> check_psd_complex(Options()).verdict.value
'refuted'
"""
from __future__ import annotations

import sympy as sp

from rnncore.registry import Options
from rnncore.results import (Counterexample, Label, Location, Method, MethodKind, Result, Scope,
                             Span, Verdict)

from numeric.checks import ONE_STRUCTURED
from . import REGISTRY
from .exactly import limit_at_infinity, settled, vanishes

EXACT = Method(MethodKind.EXACT, "exact arithmetic (SymPy)")
t = sp.Symbol("t", integer=True, positive=True)


def _undecided(why: str) -> Result:
    return Result(Verdict.UNDECIDED, Method(MethodKind.NONE), Scope(), why)


def origin_product(W: sp.Matrix, route: str = "fast") -> sp.Matrix:
    """``∂x_t/∂x_0`` at the origin (tanh, u = b = 0) for a symbolic t: ``W^t`` times the
    factors ``diag(tanh'(0)) = I``, checked to be I; SymPy's power, simplified.

    ``route="sympy"`` simplifies every entry with SymPy (the reference); the default
    writes the entries SymPy's simplification is known to leave or to turn into a power
    of an integer (:func:`_settled_power`) directly, and simplifies only the others.

    >>> origin_product(sp.Matrix([[2, 0], [0, 2]]))
    Matrix([
    [2**t,    0],
    [   0, 2**t]])
    >>> origin_product(sp.eye(2) / 2) == origin_product(sp.eye(2) / 2, route="sympy")
    True
    """
    z = sp.Symbol("z")
    d0 = sp.diff(sp.tanh(z), z).subs(z, 0)
    if d0 != 1:  # pragma: no cover - exact arithmetic
        raise ArithmeticError(f"tanh'(0) = {d0}")
    P = (W * sp.eye(W.rows) * d0) ** t
    if route == "sympy":
        return sp.simplify(P)
    return P.applyfunc(_simplified_entry)


def _simplified_entry(e):
    settled_ = _settled_power(e)
    return settled_ if settled_ is not None else sp.simplify(e)


def _settled_power(e):
    """The simplification of an entry of ``W^t`` of these forms, or None: a rational (left
    as it is), ``c**t`` with c an integer (left), ``(1/q)**t`` with q an integer
    (``q**(-t)``), ``c·KroneckerDelta(i, t)`` with integers c, i (left: a nilpotent W's
    power).

    >>> _settled_power(sp.Rational(1, 3) ** t), _settled_power((-2) ** t), _settled_power(sp.sin(t))
    (3**(-t), (-2)**t, None)
    """
    if e.is_Rational:
        return e
    if e.is_Pow and e.exp == t and e.base.is_Rational:
        if e.base.is_Integer:
            return e
        if e.base.p == 1:
            return sp.Pow(e.base.q, -t)
        return None
    if e.is_Mul and len(e.args) == 2 and e.args[0].is_Integer and \
            isinstance(e.args[1], sp.KroneckerDelta) and \
            all(a.is_Integer or a == t for a in e.args[1].args):
        return e
    return None


def _spectral_norm(M: sp.Matrix):
    """Exact ‖M‖₂ = √λ_max(MᵀM) for a real matrix with exactly computable eigenvalues."""
    return sp.sqrt(max(sp.Matrix(M.T * M).eigenvals(), key=lambda v: sp.N(v, 30)))


@REGISTRY.claim(
    "blog.la.psd.complex", source="blog, linear algebra precursor", expect=Verdict.REFUTED,
    statement="xᴴAᴴAx = (Ax)ᴴ(Ax) = Σ_i (Ax)_i² ≥ 0",
    reading="A and x complex, as the precursor's Aᴴ allows",
)
def check_psd_complex(options: Options) -> Result:
    """Refuted: A = [[i]], x = [1]: (Ax)ᴴ(Ax) = 1 but Σ_i (Ax)_i² = i² = −1 < 0; the sum
    must be Σ_i |(Ax)_i|²."""
    A, x = sp.Matrix([[sp.I]]), sp.Matrix([1])
    Ax = A * x
    herm = settled((Ax.H * Ax)[0])
    squares = settled(sum(v ** 2 for v in Ax))
    if not (herm == 1 and squares == -1):  # pragma: no cover
        return _undecided(f"got {herm}, {squares}")
    return Result(
        Verdict.REFUTED, EXACT, Scope(spans=(Span("n", 1, 1),), note="complex A"),
        "for complex A the step Σ_i (Ax)_i² is not (Ax)ᴴ(Ax): A = [[i]], x = [1] gives −1 "
        "against 1, and −1 ≥ 0 fails; Σ_i |(Ax)_i|² is right",
        counterexample=Counterexample(
            (("A", "[[i]]"), ("x", "[1]")), lhs=f"(Ax)ᴴ(Ax) = {herm}",
            rhs=f"Σ_i (Ax)_i² = {squares}", relation="=",
            note="the square of a complex entry is not its squared modulus",
            data={"A": A, "x": x, "hermitian": herm, "squares": squares}),
        data=ONE_STRUCTURED)


@REGISTRY.claim(
    "blog.la.sigma-max.any-direction", source="blog, linear algebra precursor",
    expect=Verdict.REFUTED,
    statement="a singular value of A expresses the stretching factor in any direction",
)
def check_any_direction(options: Options) -> Result:
    """Refuted: A = diag(2, 1), v = (1, 1)/√2: ‖Av‖ = √10/2, while the singular values are
    2 and 1. σ_max is the *largest* stretch (blog.la.sigma-max), σ_min the smallest."""
    A = sp.diag(2, 1)
    v = sp.Matrix([1, 1]) / sp.sqrt(2)
    stretch = sp.sqrt(settled((A * v).dot(A * v)))
    singular = sorted(sp.sqrt(e) for e in (A.T * A).eigenvals())
    if not (vanishes(stretch - sp.sqrt(10) / 2) and stretch not in singular):  # pragma: no cover
        return _undecided(f"stretch {stretch}, singular values {singular}")
    return Result(
        Verdict.REFUTED, EXACT, Scope(spans=(Span("n", 2, 2),)),
        f"diag(2, 1) stretches (1, 1)/√2 by √10/2, which is none of its singular values "
        f"{singular}: a singular value is the stretch along its own singular vector; σ_max is "
        "the largest stretch over all directions",
        counterexample=Counterexample(
            (("A", "diag(2, 1)"), ("v", "(1, 1)/√2")), lhs="‖Av‖ / ‖v‖ = √10/2",
            rhs="a singular value of A ∈ {1, 2}", relation="=",
            data={"A": A, "v": v, "stretch": stretch, "singular_values": singular}),
        data=ONE_STRUCTURED)


@REGISTRY.claim(
    "blog.eq14.step.strict-gamma", source="blog eq. 14", expect=Verdict.REFUTED,
    statement="tanh meets eq. 14's hypothesis ‖diag(σ'(x_{j-1}))‖₂ < γ with its bound γ = 1",
    reading="γ = 1 = sup tanh' (the paper's γ for tanh), with eq. 14's strict <",
    authors_reading=False,
)
def check_strict_gamma(options: Options) -> Result:
    """Refuted at x_{j-1} = 0: tanh'(0) = 1, so the strict inequality fails:
    ‖diag(σ'(0))‖₂ = γ = 1. With ≤ (the paper's hypothesis) γ = 1 serves (paper.gamma)."""
    z = sp.Symbol("z")
    d = sp.diff(sp.tanh(z), z).subs(z, 0)
    if d != 1:  # pragma: no cover
        return _undecided(f"tanh'(0) = {d}")
    return Result(
        Verdict.REFUTED, EXACT, Scope(spans=(Span("n", 1, None),), activations=("tanh",),
                                      note="at x_{j-1} = 0, any n"),
        "the strict inequality fails: ‖diag(tanh'(0))‖₂ = γ = 1; eq. 14 needs a γ > 1 for tanh "
        "or the non-strict hypothesis ‖D‖₂ ≤ γ of the paper",
        counterexample=Counterexample(
            (("activation", "tanh"), ("x_{j-1}", "0"), ("γ", "1")),
            lhs="‖diag(tanh'(0))‖₂ = 1", rhs="γ = 1", relation="<",
            note="the strict inequality ‖D‖₂ < γ fails: ‖D‖₂ = γ = 1",
            data={"tanh_prime_at_0": d, "gamma": 1}),
        data=ONE_STRUCTURED)


@REGISTRY.claim(
    "blog.eq13.real-analogy", source="blog, quoting Pascanu et al.", expect=Label.PROVED,
    statement=("\"in the same way a product of t − k real numbers can shrink to zero or explode "
               "to infinity, so does this product of matrices\""),
    reading="a possibility: the product of Jacobians can shrink to 0 and can explode",
)
def check_product_possible(options: Options) -> Result:
    """Proved by witnesses, exact for every t: tanh at the origin, W = I/2 gives
    ‖∂x_t/∂x_0‖₂ = 2^{−t} → 0 and W = 2I gives 2^t → ∞."""
    half, double = origin_product(sp.eye(2) / 2), origin_product(2 * sp.eye(2))
    shrink = limit_at_infinity(half[0, 0], t) == 0 and half == sp.eye(2) * 2 ** (-t)
    grow = limit_at_infinity(double[0, 0], t) == sp.oo and double == sp.eye(2) * 2 ** t
    if not (shrink and grow):  # pragma: no cover
        return _undecided(f"got {half}, {double}")
    return Result(Verdict.PROVED, Method(MethodKind.EXACT, "exact powers for a symbolic t, limits"),
                  Scope(spans=(Span("n", 2, 2), Span("t", 1, None)), activations=("tanh",),
                        note="two witnesses at the origin (an existential statement)"),
                  "tanh at x = 0: W = I/2 gives ∂x_t/∂x_0 = 2^(-t) I → 0, W = 2I gives 2^t I → ∞, "
                  "exact for every t", data={"counts": {"random": 0, "structured": 2, "adversarial": 0}})


@REGISTRY.claim(
    "blog.eq13.real-analogy.by-size", source="blog, quoting Pascanu et al.", expect=Verdict.REFUTED,
    statement=("\"in the same way a product of t − k real numbers can shrink to zero or explode "
               "to infinity, so does this product of matrices\""),
    reading="the product behaves like the product of the factors' sizes σ_max(J_j)",
    authors_reading=False,
)
def check_product_by_size(options: Options) -> Result:
    """Refuted: W = [[0, 2], [0, 0]] (σ_max = 2, nilpotent), tanh at the origin: J_j = W and
    J_2 J_1 = W² = 0 exactly, while the real numbers σ_max(J_j) multiply to 4."""
    W = sp.Matrix([[0, 2], [0, 0]])
    smax = _spectral_norm(W)
    prod = W * W
    if not (smax == 2 and prod.is_zero_matrix and origin_product(W).subs(t, 2).is_zero_matrix):  # pragma: no cover
        return _undecided(f"σ_max {smax}, W² {prod}")
    return Result(
        Verdict.REFUTED, EXACT, Scope(spans=(Span("n", 2, 2), Span("t", 2, None)), activations=("tanh",)),
        "W = [[0, 2], [0, 0]] has σ_max = 2 but ∂x_t/∂x_0 = W^t = 0 exactly from t = 2: the "
        "factors' sizes multiply to 2^t, the matrices to 0; only ‖∏ J_j‖ ≤ ∏ ‖J_j‖ holds",
        counterexample=Counterexample(
            (("W_rec", "[[0, 2], [0, 0]]"), ("x_0", "(0, 0)"), ("u, b", "0"), ("activation", "tanh")),
            lhs="‖∂x_2/∂x_0‖₂ = ‖W²‖₂ = 0", rhs="σ_max(J_2) σ_max(J_1) = 4", relation="=",
            location=Location(t=2, k=0), data={"W": W, "sigma_max": smax, "W^2": prod}),
        data=ONE_STRUCTURED)


@REGISTRY.claim(
    "paper.exploding.otherwise-vanish", source="paper section 2.1", expect=Verdict.REFUTED,
    statement=("λ_1 > 1/γ is necessary for exploding \"since otherwise the long term components "
               "would vanish\""),
    reading="'otherwise' = λ_1 ≤ 1/γ, the boundary λ_1 = 1/γ included",
)
def check_otherwise_vanish(options: Options) -> Result:
    """Refuted at the boundary: W = I (λ_1 = 1 = 1/γ for tanh), tanh at the origin:
    ‖∂x_t/∂x_0‖₂ = 1 for every t — bounded, but it does not vanish."""
    P = origin_product(sp.eye(2))
    if P != sp.eye(2):  # pragma: no cover
        return _undecided(f"got {P}")
    return Result(
        Verdict.REFUTED, EXACT, Scope(spans=(Span("n", 2, 2), Span("t", 1, None)), activations=("tanh",)),
        "at λ_1 = 1/γ (W = I, tanh, x = 0) ∂x_t/∂x_0 = I for every t: norm 1, neither vanishing "
        "nor exploding; λ_1 ≤ 1/γ gives boundedness only (paper.exploding)",
        counterexample=Counterexample(
            (("W_rec", "I_2"), ("x_0", "(0, 0)"), ("u, b", "0"), ("activation", "tanh")),
            lhs="‖∂x_t/∂x_0‖₂ = 1 for every t", rhs="0 (vanishing)", relation="→",
            location=Location(note="every t"), data={"W": sp.eye(2), "product": P}),
        data=ONE_STRUCTURED)


@REGISTRY.claim(
    "paper.arxiv.eigenvalue.signed", source="paper section 2.1 (arXiv v1)", expect=Verdict.REFUTED,
    statement="λ_1 < 1/γ is sufficient for the long term components to vanish",
    reading="λ_1 the largest eigenvalue of W_rec, signed (not its modulus)",
    authors_reading=False,
)
def check_signed_eigenvalue(options: Options) -> Result:
    """Refuted: W = −2I has largest eigenvalue −2 < 1 = 1/γ (tanh), yet at the origin
    ∂x_t/∂x_0 = (−2)^t I grows as 2^t."""
    W = -2 * sp.eye(2)
    lam = max(W.eigenvals())
    P = origin_product(W)
    if not (lam == -2 and P == sp.eye(2) * (-2) ** t):  # pragma: no cover
        return _undecided(f"λ {lam}, product {P}")
    return Result(
        Verdict.REFUTED, EXACT, Scope(spans=(Span("n", 2, 2), Span("t", 1, None)), activations=("tanh",)),
        "W = −2I: the largest eigenvalue −2 is < 1/γ = 1, yet ∂x_t/∂x_0 = (−2)^t I, norm 2^t → ∞; "
        "the condition needs the modulus (the arXiv text says 'absolute value')",
        counterexample=Counterexample(
            (("W_rec", "-2 I_2"), ("x_0", "(0, 0)"), ("u, b", "0"), ("activation", "tanh")),
            lhs="‖∂x_t/∂x_0‖₂ = 2^t", rhs="0 (vanishing)", relation="→",
            location=Location(note="every t"), data={"W": W, "largest_eigenvalue": lam, "product": P}),
        data=ONE_STRUCTURED)


__all__ = ["origin_product", "check_psd_complex", "check_any_direction", "check_strict_gamma",
           "check_product_possible", "check_product_by_size", "check_otherwise_vanish",
           "check_signed_eigenvalue"]
