"""Claims of the blog's "Linear Algebra Precursor": σ_max, spectral norm, A*A PSD, ρ ≤ σ_max.

Real matrices throughout (``A* = Aᵀ``). Instances: random (seeded ``k/8`` entries),
structured (identity, scalar, diagonal, rank-1, orthogonal, symmetric, nilpotent, Jordan,
zero, permutation) and adversarial (a hill-climb pushing ``ρ(A)/σ_max(A)`` toward 1).

>>> from rnncore.registry import Options
>>> check_radius_vs_norm(Options.quick_sizes()).verdict.value
'confirmed'
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp
from flint import fmpq_poly

from rnncore.registry import Options
from rnncore.results import Label, Method, MethodKind, Result, Scope, Span, Verdict

from numeric.checks import confirm, matrix_cex
from numeric.enclosure import compare
from numeric.instances import adversarial_search, random_matrices, structured_matrices
from numeric.linalg import _exact_gram, _fmpq_mat, max_eigenvalue, spectral_norm, spectral_radius
from numeric.matrices import ExactMatrix, transpose
from ..lemma_backed import from_lemmas
from . import REGISTRY


def _sizes(options: Options) -> range:
    return range(1 if options.quick else 2, options.n + 1)


def _scope(options: Options, note: str = "real square A") -> Scope:
    """Square instances of every size checked (from 2, from 1 with ``quick``, to options.n)."""
    return Scope(spans=(Span("n", _sizes(options).start, options.n),), note=note)


def _certified(detail: str) -> Method:
    return Method(MethodKind.CERTIFIED, detail)


def square_instances(options: Options, adversarial=None):
    """Random, structured (and optionally adversarial) square instances, as
    ``(kind, label, matrix)``."""
    count = 3 if options.quick else 20
    out = []
    for n in _sizes(options):
        for i, A in enumerate(random_matrices(n, count, seed=options.seed)):
            out.append(("random", f"random {n}x{n} #{i}", A))
        if n >= 2:
            out.extend(("structured", f"{name} {n}x{n}", A) for name, A in structured_matrices(n))
    if adversarial is not None:
        for i, A in enumerate(adversarial(options)):
            out.append(("adversarial", f"adversarial #{i}", A))
    return out


def jordan_wielandt(A: ExactMatrix) -> ExactMatrix:
    """The symmetric matrix ``[[0, A], [Aᵀ, 0]]`` whose eigenvalues are ``±σ_i(A)``.

    >>> jordan_wielandt(((Fraction(2),),))
    ((Fraction(0, 1), Fraction(2, 1)), (Fraction(2, 1), Fraction(0, 1)))
    """
    n, m = len(A), len(A[0])
    Z = Fraction(0)
    top = [tuple([Z] * n) + tuple(A[i]) for i in range(n)]
    At = transpose(A)
    bottom = [tuple(At[j]) + tuple([Z] * m) for j in range(m)]
    return tuple(top + bottom)


def _charpoly_identity(A: ExactMatrix) -> bool:
    """Exact: det(yI − JW) == det(y²I − AᵀA) for square A."""
    pj = _fmpq_mat(jordan_wielandt(A)).charpoly()
    pg = _fmpq_mat(_exact_gram(A)).charpoly()
    coeffs = []
    for c in pg.coeffs():
        coeffs.extend([c, 0])
    return pj == fmpq_poly(coeffs[:-1])


def psd_exact(G: ExactMatrix) -> bool:
    """Exact test that a symmetric rational matrix is positive semi-definite: its
    characteristic polynomial (all roots real) has coefficients alternating in sign
    (Descartes' rule on ``p(−x)``: no negative root).

    >>> psd_exact(((Fraction(1), Fraction(2)), (Fraction(2), Fraction(1))))
    False
    """
    p = _fmpq_mat(G).charpoly()
    n = p.degree()
    return all((c * (-1) ** (n - k)) >= 0 for k, c in enumerate(p.coeffs()))


@REGISTRY.claim(
    "blog.la.sigma-max", source="blog, linear algebra precursor", expect=Label.PROVED_FROM_LEMMAS,
    statement="σ_max(A) = sqrt(λ_max(A*A))",
)
@from_lemmas
def check_sigma_max(options: Options) -> Result:
    """σ_max(A) = sqrt(λ_max(AᵀA)): σ_max from the Jordan–Wielandt matrix (eigenvalues
    ±σ_i), the right side from the Gram matrix; per instance the exact identity
    ``det(yI − JW) = det(y²I − AᵀA)`` and an exact (algebraic) equality of the two values."""

    def test(A):
        if not _charpoly_identity(A):
            return False, matrix_cex({"A": A}, "det(yI-JW)", "det(y^2 I - A^T A)", "charpoly", relation="=")
        lhs = max_eigenvalue(jordan_wielandt(A), dps=options.dps, exact=True)
        rhs = spectral_norm(A, dps=options.dps, exact=True)
        c = linalg_compare(lhs, rhs)
        if c == "equal":
            return True, "exact"
        if c in ("less", "greater"):
            return False, matrix_cex({"A": A}, lhs, rhs, "σ_max(JW) vs sqrt(λ_max(AᵀA))", relation="=")
        return None, "enclosures overlap, no exact identification"

    return confirm(
        square_instances(options), test,
        method=_certified("exact charpoly identity det(yI−[[0,A],[Aᵀ,0]]) = det(y²I−AᵀA) + "
                          "algebraic identification of both values (python-flint)"),
        scope=_scope(options), what="σ_max(A) = sqrt(λ_max(AᵀA))",
    )


def linalg_compare(a, b) -> str:
    """``"equal"``, ``"less"``, ``"greater"`` or ``"undecided"`` for two enclosures.

    >>> from numeric.enclosure import Enclosure
    >>> linalg_compare(Enclosure.exact(1), Enclosure.exact(2))
    'less'
    """
    return compare(a, b).outcome


@REGISTRY.claim(
    "blog.la.spectral-norm", source="blog, linear algebra precursor", expect=Label.PROVED_FROM_LEMMAS,
    statement="‖A‖_2 = σ_max(A) = sqrt(ρ(A*A))",
)
@from_lemmas
def check_spectral_norm(options: Options) -> Result:
    """‖A‖₂ = σ_max(A) = sqrt(ρ(AᵀA)). ‖A‖₂ = sup ‖Ax‖/‖x‖ is enclosed by a vector
    (lower) and a positive-definiteness certificate of μI − AᵀA (upper: ‖Ax‖² < μ‖x‖²
    for all x); σ_max by the Jordan–Wielandt eigenvalue; ρ(AᵀA) = λ_max(AᵀA) exactly
    because AᵀA is PSD (exact sign test). Equality of the sup with σ_max is the
    Courant–Fischer theorem: enclosures can only show consistency (to 10^-(dps-5))."""
    tol = Fraction(1, 10 ** (options.dps - 5))

    def test(A):
        op = spectral_norm(A, dps=options.dps)
        sm = max_eigenvalue(jordan_wielandt(A), dps=options.dps)
        if not psd_exact(_exact_gram(A)):
            return False, matrix_cex({"A": A}, "AᵀA has a negative eigenvalue", "PSD", "", relation="=")
        if not op.overlaps(sm):
            return False, matrix_cex({"A": A}, op, sm, "‖A‖₂ vs σ_max(A) (disjoint)", relation="=")
        scale = max(abs(op.hi), Fraction(1))
        if op.width > tol * scale or sm.width > tol * scale:
            return None, "enclosures too wide"
        return True, "consistent"

    return confirm(
        square_instances(options), test,
        method=_certified("operator-norm certificate (Rayleigh vector + LDLᵀ of μI−AᵀA) vs "
                          "Jordan–Wielandt eigenvalue; exact PSD test of AᵀA"),
        scope=_scope(options, f"real square A; equality shown consistent to 10^-{options.dps - 5} "
                              f"relative (Courant–Fischer gives it exactly)"),
        what="‖A‖₂ = σ_max(A) = sqrt(ρ(AᵀA))",
    )


def _psd_symbolic() -> Result:
    """What is checked symbolically, and only that: ``(AᴴA)ᴴ = AᴴA`` and
    ``xᴴ(AᴴA)x = (Ax)ᴴ(Ax)`` as MatrixSymbol identities over a symbolic n, and for the
    entries ``y_i = a_i + i b_i`` of ``y = Ax`` (a_i, b_i real) that each term
    ``conj(y_i) y_i`` expands to ``a_i² + b_i²``, which SymPy finds non-negative; the sum of
    the n non-negative terms is then ≥ 0 (``sum_nonneg``)."""
    n = sp.Symbol("n", integer=True, positive=True)
    A = sp.MatrixSymbol("A", n, n)
    x = sp.MatrixSymbol("x", n, 1)
    G = sp.adjoint(A) * A
    herm = sp.adjoint(G).doit() == G
    quad = (sp.adjoint(A * x) * (A * x)).doit() == sp.adjoint(x) * G * x
    i = sp.Symbol("i", integer=True, positive=True)
    a, b = sp.IndexedBase("a", real=True), sp.IndexedBase("b", real=True)
    y = a[i] + sp.I * b[i]
    term = sp.expand(sp.conjugate(y) * y)
    squares = sp.expand(term - (a[i] ** 2 + b[i] ** 2)) == 0 and term.is_nonnegative is True
    ok = herm and quad and squares
    return Result(
        Verdict.PROVED if ok else Verdict.UNDECIDED,
        Method(MethodKind.EXACT, "matrix-symbol identities over a symbolic n and an entrywise "
                                 "expansion"),
        Scope(spans=(Span("n", 1, None),), note="complex A"),
        "checked symbolically: (AᴴA)ᴴ = AᴴA and xᴴ(AᴴA)x = (Ax)ᴴ(Ax) (MatrixSymbol, symbolic n); "
        "each term conj(y_i) y_i of (Ax)ᴴ(Ax) = Σ_i conj(y_i) y_i expands to Re(y_i)² + Im(y_i)² "
        "≥ 0, so the sum is ≥ 0 (a sum of non-negative terms). The blog's Σ_i (Ax)_i² is a "
        "different sum for complex A (blog.la.psd.complex)"
        if ok else "SymPy did not confirm the identities",
    )


@REGISTRY.claim(
    "blog.la.psd", source="blog, linear algebra precursor", expect=Verdict.PROVED,
    statement="A*A is Hermitian and positive semi-definite",
)
def check_psd(options: Options) -> Result:
    """AᵀA is Hermitian (symmetric) and PSD: symbolic proof for all n, plus exact checks
    on instances (symmetry by exact arithmetic, PSD by the sign pattern of the exact
    characteristic polynomial)."""
    symbolic = _psd_symbolic()

    def test(A):
        G = _exact_gram(A)
        if G != transpose(G):
            return False, matrix_cex({"A": A}, "AᵀA", "(AᵀA)ᵀ", "symmetry", relation="=")
        return (True, "exact") if psd_exact(G) else (
            False, matrix_cex({"A": A}, "AᵀA not PSD", "PSD", "", relation="="))

    inst = confirm(square_instances(options), test,
                   method=Method(MethodKind.EXACT, "rational arithmetic on instances"),
                   scope=_scope(options), what="AᵀA symmetric and PSD")
    if symbolic.verdict is Verdict.PROVED and inst.verdict is Verdict.CONFIRMED:
        return Result(
            Verdict.PROVED, symbolic.method, symbolic.scope,
            symbolic.evidence + "; " + inst.evidence, details=(symbolic, inst),
            data=inst.data,
        )
    return Result.combine([symbolic, inst])


def _adversarial_ratio(options: Options) -> list[ExactMatrix]:
    def ratio(v):
        A = v.reshape(2, 2)
        s = np.linalg.norm(A, 2)
        return float(max(abs(np.linalg.eigvals(A))) / s) if s > 0 else 0.0

    pts = adversarial_search(ratio, (4,), seed=options.seed,
                             iters=60 if options.quick else 200)
    return [((p[0], p[1]), (p[2], p[3])) for p in pts]


@REGISTRY.claim(
    "blog.la.radius-vs-norm", source="blog, linear algebra precursor", expect=Label.PROVED_FROM_LEMMAS,
    statement=("eigenvalues measure stretch only along eigenvectors, singular values in any "
               "direction: ρ(A) ≤ σ_max(A), and when it is strict"),
)
@from_lemmas
def check_radius_vs_norm(options: Options) -> Result:
    """ρ(A) ≤ σ_max(A) on every instance (certified comparison, exact equality via
    algebraic identification), and when it is strict: equality on the normal instances
    (identity, scalar, diagonal, symmetric, orthogonal, permutation), strict on some
    non-normal ones (nilpotent, Jordan blocks: e.g. ρ = 0 < 1 = σ_max for [[0,1],[0,0]]);
    non-normality alone does not make it strict (diag(2) ⊕ [[0,1],[0,0]] has ρ = σ_max = 2)."""
    strict, equal = [], []

    def test(A):
        s = spectral_norm(A, dps=options.dps, exact=True)
        r = spectral_radius(A, dps=options.dps, exact=True,
                            candidate=s.lo if s.is_exact else None)
        c = compare(r, s)
        if c.outcome == "greater":
            return False, matrix_cex({"A": A}, f"ρ(A) ∈ {r}", f"σ_max(A) ∈ {s}", "ρ > σ_max")
        if c.outcome == "undecided":
            return None, "ρ and σ_max enclosures overlap without exact identification"
        (strict if c.outcome == "less" else equal).append(A)
        return True, c.outcome

    res = confirm(
        square_instances(options, _adversarial_ratio), test,
        method=_certified("ρ (exact charpoly roots) vs σ_max; equality by algebraic identification"),
        scope=_scope(options), what="ρ(A) ≤ σ_max(A)",
    )
    if res.verdict is Verdict.CONFIRMED:
        return Result(
            res.verdict, res.method, res.scope,
            res.evidence + f"; strict on {len(strict)}, equal (exactly) on {len(equal)}; "
            "equality iff some eigenvalue has modulus ‖A‖₂ (every normal A; also some "
            "non-normal ones), strict e.g. for Jordan blocks and nilpotent A",
            data={**res.data, "strict": len(strict), "equal": len(equal)},
        )
    return res


__all__ = ["check_sigma_max", "check_spectral_norm", "check_psd", "check_radius_vs_norm",
           "jordan_wielandt", "psd_exact", "square_instances"]
