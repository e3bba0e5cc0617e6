"""Joint claim ``blog.note.harmless``: the paper's transpose "does not cause any fundamental
error in the findings" — read as "the bounds of eqs. 14–15 survive".

Evidence, in four parts (derive/ for the symbolic Jacobian, numeric/ for the norms):

1. the paper's factor ``W_recᵀ D`` is not the Jacobian ``W_rec D`` (symbolic difference of
   the derive/ Jacobian, n = 2);
2. the norms differ in general: ``W = [[0, 1], [0, 0]]``, ``D = diag(1, 1/2)`` gives
   ``‖WD‖ = 1/2`` but ``‖WᵀD‖ = 1`` (exact), and products of such factors differ in norm;
3. yet both obey the same bound ``‖W^{(T)} D‖ ≤ ‖W^{(T)}‖‖D‖ = ‖W‖‖D‖`` because
   ``‖Wᵀ‖ = ‖W‖`` (WᵀW and WWᵀ have the same characteristic polynomial — proved exactly
   for generic n ≤ 3 here — and ‖A‖₂² = λ_max(AᵀA)) and submultiplicativity
   (``‖ABx‖ ≤ ‖A‖‖Bx‖ ≤ ‖A‖‖B‖‖x‖``);
4. both confirmed on certified instances, for single factors and products.

The verdict is that of the reading "the bounds survive": confirmed (a numeric check can
confirm, not prove, the submultiplicative part on all matrices).

>>> from rnncore.registry import Options
>>> check_harmless(Options.quick_sizes()).verdict.value
'confirmed'
"""
from __future__ import annotations

from fractions import Fraction

import sympy as sp

from derive import RNN, one_step_jacobian
from rnnclaims.numeric.bounds import submult_instances
from numeric.checks import matrix_cex, norm_holds
from numeric.enclosure import Enclosure, compare
from numeric.instances import random_diagonal, random_matrices, structured_matrices
from numeric.linalg import spectral_norm
from numeric.matrices import diag, matmul, scale, to_text, transpose
from rnncore.registry import Options
from rnncore.results import Label, Method, MethodKind, Result, Scope, Span, Verdict

from ..lemma_backed import from_lemmas
from . import REGISTRY

F = Fraction
CERTIFIED = Method(MethodKind.CERTIFIED, "certified norms")

#: The smallest certified example where the two one-step norms differ (exact values).
DIFFER_W = ((F(0), F(1)), (F(0), F(0)))
DIFFER_D = (F(1), F(1, 2))


def symbolic_difference(n: int = 2) -> sp.Matrix:
    """``J − W_recᵀ D`` for the derive/ Jacobian ``J = ∂x_1/∂x_0`` (form A, numerator layout).

    >>> symbolic_difference(2)[0, 1]
    (w_{1,2} - w_{2,1})*dsigma(x_{0,2})
    """
    net = RNN(n, 1, 2).with_base(0)
    J = one_step_jacobian(net, 1)
    return (J - net.W_rec.T * net.D(0)).applyfunc(sp.factor)


def transpose_norm_identity(n: int) -> bool:
    """Exact for generic real n×n W (symbols): ``det(λI − WᵀW) = det(λI − WWᵀ)``, so
    ``‖Wᵀ‖₂ = ‖W‖₂``.

    >>> transpose_norm_identity(2)
    True
    """
    W = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"w{i}{j}", real=True))
    lam = sp.Symbol("lambda")
    p1 = (W.T * W).charpoly(lam).as_expr()
    p2 = (W * W.T).charpoly(lam).as_expr()
    return sp.expand(p1 - p2) == 0


def _norm(M, dps):
    return spectral_norm(M, dps=dps, exact=True)


def differing_products(dps: int = 50):
    """A product of two factors whose norms differ: ``(W D₂)(W D₁)`` vs ``(WᵀD₂)(WᵀD₁)``
    with ``W = [[1, 1], [0, 1/2]]``, ``D₁ = diag(1, 1/2)``, ``D₂ = diag(1/2, 1)``."""
    W = ((F(1), F(1)), (F(0), F(1, 2)))
    D1, D2 = diag([1, "1/2"]), diag(["1/2", 1])
    true = matmul(matmul(W, D2), matmul(W, D1))
    paper = matmul(matmul(transpose(W), D2), matmul(transpose(W), D1))
    return W, D1, D2, _norm(true, dps), _norm(paper, dps)


@REGISTRY.claim(
    "blog.note.harmless", source="blog Notes", expect=Label.PROVED_FROM_LEMMAS,
    statement=("the transpose \"does not cause any fundamental error in the findings\" (the "
               "bounds survive)"),
    reading="the bounds of eqs. 14-15 survive the transpose",
)
@from_lemmas
def check_harmless(options: Options) -> Result:
    """See the module docstring."""
    dps = options.dps
    diff = symbolic_difference(2)
    sym = Result(
        Verdict.PROVED if diff != sp.zeros(2, 2) else Verdict.UNDECIDED,
        Method(MethodKind.EXACT, "derive/ Jacobian (SymPy)"),
        Scope(spans=(Span("n", 2, 2),), forms=("A",)),
        f"J − W_recᵀ D ≠ 0, entry (1, 2): {diff[0, 1]}",
    )
    a = _norm(matmul(DIFFER_W, diag(DIFFER_D)), dps)
    b = _norm(matmul(transpose(DIFFER_W), diag(DIFFER_D)), dps)
    W, D1, D2, pt, pp = differing_products(dps)
    c1, c2 = compare(a, b), compare(pt, pp)
    differ = Result(
        Verdict.CONFIRMED if (c1.decided and not c1.equal and c2.decided and not c2.equal)
        else Verdict.UNDECIDED,
        CERTIFIED, Scope(spans=(Span("n", 2, 2),)),
        f"‖WD‖ = {a} vs ‖WᵀD‖ = {b} for W = {to_text(DIFFER_W)}, D = diag(1, 1/2); "
        f"products: ‖(WD₂)(WD₁)‖ ∈ {pt} vs ‖(WᵀD₂)(WᵀD₁)‖ ∈ {pp} for W = {to_text(W)}",
        data={"one_step": (a, b), "products": (pt, pp)},
    )
    tr = [transpose_norm_identity(n) for n in range(2, min(options.n, 3) + 1)]
    transp = Result(
        Verdict.PROVED if all(tr) else Verdict.UNDECIDED,
        Method(MethodKind.EXACT, "charpoly identity (SymPy, symbolic entries)"),
        Scope(spans=(Span("n", 2, min(options.n, 3)),), note="real W"),
        "det(λI − WᵀW) = det(λI − WWᵀ), hence ‖Wᵀ‖₂ = ‖W‖₂",
    )

    # bounds on instances: one factor and products of up to 3 factors
    counts, undecided, total = {"random": 0, "structured": 0, "adversarial": 0}, [], 0
    for kind, label, (Wi, d) in submult_instances(options):
        for M in (Wi, transpose(Wi)):
            total += 1
            # fast enclosures first, exact identification only where they overlap
            ok = norm_holds(matmul(M, diag(d)), scale(Wi, max(d)), "<=", dps)[0]
            if ok is False:
                return Result(Verdict.REFUTED, CERTIFIED, Scope(note=label),
                              "‖WᵀD‖ ≤ ‖W‖‖D‖ fails", counterexample=_cex(Wi, d))
            if ok is None:
                undecided.append(label)
            else:
                counts[kind] += 1
    n = options.n
    for i, Wi in enumerate(random_matrices(n, 3 if options.quick else 6, seed=options.seed + 21)
                           + [m for _, m in structured_matrices(n)][:3]):
        ds = random_diagonal(n, 3, seed=options.seed + i)
        for M in (Wi, transpose(Wi)):
            P = matmul(matmul(M, diag(ds[2])), matmul(matmul(M, diag(ds[1])),
                                                      matmul(M, diag(ds[0]))))
            total += 1

            def holds(exact: bool) -> bool | None:
                bound = spectral_norm(Wi, dps=dps, exact=exact)
                bound = bound * bound * bound * Enclosure.exact(
                    max(ds[0]) * max(ds[1]) * max(ds[2]))
                return compare(spectral_norm(P, dps=dps, exact=exact), bound).holds("<=")

            # fast enclosures first, exact identification only where they overlap
            ok = holds(False)
            if ok is None:
                ok = holds(True)
            if ok is False:
                return Result(Verdict.REFUTED, CERTIFIED, Scope(note="3-factor products"),
                              "‖∏ WᵀD_j‖ ≤ ∏ ‖W‖‖D_j‖ fails", counterexample=_cex(Wi, ds[0]))
            if ok is None:
                undecided.append(f"product #{i}")
            else:
                counts["random" if i < (3 if options.quick else 6) else "structured"] += 1
    tally = ", ".join(f"{v} {k}" for k, v in counts.items())
    bounds = Result(
        Verdict.UNDECIDED if undecided else Verdict.CONFIRMED,
        Method(MethodKind.CERTIFIED, "spectral norms with exact identification"),
        Scope(spans=(Span("n", 1, options.n),), checked=total - len(undecided),
              skipped=len(undecided), skipped_what="cases the enclosures did not decide"),
        f"‖WD‖, ‖WᵀD‖ ≤ ‖W‖‖D‖ and 3-factor products ≤ ∏‖W‖‖D_j‖ on {total - len(undecided)}"
        f"/{total} certified cases ({tally})" + (f"; undecided: {undecided[:3]}" if undecided
                                                  else ""),
        data={"counts": counts},
    )
    parts = (sym, differ, transp, bounds)
    verdict = Verdict.CONFIRMED if all(p.holds for p in parts) else Verdict.UNDECIDED
    return Result(
        verdict,
        Method(MethodKind.CERTIFIED, "derive/ symbolic Jacobian + numeric/ certified norms + "
                                     "exact charpoly identity"),
        Scope(spans=(Span("n", 1, options.n),), forms=("A",), checked=bounds.scope.checked,
              skipped=bounds.scope.skipped, skipped_what=bounds.scope.skipped_what),
        "the transposed factor differs (symbolically and in norm: "
        f"‖WD‖ = {a}, ‖WᵀD‖ = {b}), yet ‖WᵀD‖ ≤ ‖Wᵀ‖‖D‖ = ‖W‖‖D‖ "
        f"(‖Wᵀ‖ = ‖W‖ proved exactly for n ≤ {min(options.n, 3)}; submultiplicativity) — "
        + bounds.evidence,
        details=parts, data={"counts": counts},
    )


def _cex(W, d):
    return matrix_cex({"W": W, "D": diag(d)}, "‖WᵀD‖", "‖W‖‖D‖", "bound fails")


__all__ = ["check_harmless", "symbolic_difference", "transpose_norm_identity",
           "differing_products", "DIFFER_W", "DIFFER_D"]
