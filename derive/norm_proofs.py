"""Lemma-based proofs, for every n, of the norm claims of the blog and of Pascanu et al.

Each claim id maps to one or more :class:`~derive.lemma_proof.LemmaProof` parts (a claim
with two statements under different hypotheses, e.g. the σ_max and the linear eigenvalue
versions, has two), written as data: the assumptions, the chains of expressions and the
lemma cited at each link. :func:`prove_claim` checks them with
:func:`~derive.lemma_proof.check_proof`; nothing here decides a link.

Notation (numerator layout, matrices n × n unless said): ``W`` = W_rec (real);
``D_j = diag(s_j)`` with ``s_j = σ'(x_{j-1})``; ``J_j = ∂x_j/∂x_{j-1} = W D_j`` (eq. 12,
proved exactly elsewhere, an assumption here); ``B = ∏_{j=k+1}^{t} J_j = ∂x_t/∂x_k``
(eq. 10); ``η = γ σ_max(W)``; ``a = ∂E_t/∂x_t`` (1 × n), ``c_k = ∂⁺x_k/∂θ`` (n × p).
Index symbols (j, k, t) are arbitrary: a statement about them holds for every value in
the range the assumptions give. A "necessary" condition is proved as its contrapositive
(the negated condition is the assumption, boundedness the conclusion).

>>> r = prove_claim("blog.eq14.step")
>>> r.verdict.value, r.method.kind.value, r.scope.span("n").every
('proved', 'lemmas', True)
>>> "submultiplicativity" in r.method.detail
True
"""
from __future__ import annotations

from rnncore.errors import UnknownClaimError
from rnncore.results import Method, MethodKind, Result, Scope, Span

from .lemma_proof import (ALGEBRA, ASSUMPTION, Apply, Assumption, Chain, LemmaProof, Link,
                          check_proof)
from .norm_expr import (CT, Bounded, Diag, Mat, MatMul, MatPow, MatProd, MatSum, Mul, Norm2,
                        Num, Pow, Pred, ProdOver, Rho, SigmaMax, LambdaMax, Sqrt, SumOver, Sym,
                        Tends, Tr, Add, eq, inv, le, lt, sub)

W = Mat("W")
t, k, j = Sym("t"), Sym("k"), Sym("j")
g = Sym("γ")
ONE = Num(1)
s_j = Mat("s", "n", "1", sub=j)
D_j = Diag(s_j)
J_j = Mat("J", sub=j)
ETA = Mul(g, SigmaMax(W))
B_TK = MatProd(J_j, j, Add(k, ONE), t)
GAP = sub(t, k)
a_row = Mat("a", "1", "n")
c_k = Mat("c", "n", "p", sub=k)
G = Mat("G", "1", "p")
D_k = Diag(Mat("s", "n", "1", sub=k))

JACOBIAN = Assumption(eq(J_j, MatMul(W, D_j)),
                      "eq. 12: ∂x_j/∂x_{j-1} = W_rec diag(σ'(x_{j-1})), proved exactly for every n")
GAMMA_POS = Assumption(lt(Num(0), g), "γ > 0")
D_LE = Assumption(le(Norm2(D_j), g), "γ bounds ‖diag(σ'(x_{j-1}))‖₂ for every j")
D_LT = Assumption(lt(Norm2(D_j), g), "hypothesis of eq. 14: ‖diag(σ'(x_{j-1}))‖₂ < γ")
W_LT = Assumption(lt(SigmaMax(W), inv(g)), "hypothesis: σ_max(W_rec) < 1/γ")
W_LE = Assumption(le(SigmaMax(W), inv(g)),
                  "negation of the necessary condition σ_max(W_rec) > 1/γ (contrapositive)")
K_LE_T = Assumption(le(k, t), "k ≤ t")


def _eta_bound() -> Chain:
    """‖J_j‖₂ ≤ σ_max(W) γ (= η) for every j, from ‖D_j‖₂ ≤ γ."""
    return Chain(Norm2(J_j), (
        Link("=", Norm2(MatMul(W, D_j)), ASSUMPTION),
        Link("<=", Mul(Norm2(W), Norm2(D_j)), "submultiplicativity"),
        Link("=", Mul(SigmaMax(W), Norm2(D_j)), "spectral_norm_eq_sigma_max"),
        Link("<=", Mul(SigmaMax(W), g), ASSUMPTION),
    ))


def _eta_vs_one(rel: str) -> Chain:
    """η = γ σ_max(W) rel γ (1/γ) = 1, rel from σ_max(W) rel 1/γ and γ > 0."""
    return Chain(ETA, (Link(rel, Mul(g, inv(g)), ASSUMPTION), Link("=", ONE, ALGEBRA)))


def _product_bound() -> Chain:
    """‖∂x_t/∂x_k‖₂ = ‖∏ J_j‖₂ ≤ ∏ ‖J_j‖₂ ≤ ∏ η = η^{t−k}."""
    return Chain(Norm2(B_TK), (
        Link("<=", ProdOver(Norm2(J_j), j, Add(k, ONE), t), "norm_prod_le"),
        Link("<=", ProdOver(ETA, j, Add(k, ONE), t), ASSUMPTION),
        Link("=", Pow(ETA, GAP), "prod_const"),
    ))


_UNIFORM = (JACOBIAN, GAMMA_POS, D_LE, W_LT)
_NECESSITY = (JACOBIAN, GAMMA_POS, D_LE, W_LE, K_LE_T)


def _printed_step(factor) -> Chain:
    """‖factor D_k‖₂ < 1 for factor W or Wᵀ under σ_max(W) < 1/γ and ‖D_k‖₂ ≤ γ."""
    links = [Link("<=", Mul(Norm2(factor), Norm2(D_k)), "submultiplicativity")]
    if factor != W:
        links += [Link("=", Mul(Norm2(CT(W)), Norm2(D_k)), "transpose_eq_conjTranspose_of_real"),
                  Link("=", Mul(Norm2(W), Norm2(D_k)), "l2_opNorm_conjTranspose")]
    links += [Link("=", Mul(SigmaMax(W), Norm2(D_k)), "spectral_norm_eq_sigma_max"),
              Link("<=", Mul(SigmaMax(W), g), ASSUMPTION),
              Link("<", Mul(inv(g), g), ASSUMPTION),
              Link("=", ONE, ALGEBRA)]
    return Chain(Norm2(MatMul(factor, D_k)), tuple(links))


def _vanishing_part(claim: str) -> LemmaProof:
    return LemmaProof(
        claim,
        goals=(le(Norm2(B_TK), Pow(ETA, GAP)), lt(ETA, ONE), Tends(Norm2(B_TK), t)),
        assumptions=_UNIFORM + (K_LE_T,),
        steps=(_eta_bound(), _eta_vs_one("<"), _product_bound(),
               Apply("pow_tendsto_zero", Tends(Pow(ETA, GAP), t)),
               Apply("squeeze_zero", Tends(Norm2(B_TK), t))),
        note="∂x_t/∂x_k = ∏_{j=k+1}^{t} J_j is eq. 10 (proved exactly); the limit is t → ∞ "
             "for fixed k.")


def _necessity_part(claim: str) -> LemmaProof:
    return LemmaProof(
        claim,
        goals=(le(Norm2(B_TK), ONE), Bounded(Norm2(B_TK), t)),
        assumptions=_NECESSITY,
        steps=(_eta_bound(), _eta_vs_one("<="), _product_bound(),
               Chain(Norm2(B_TK), (Link("<=", Pow(ETA, GAP), ASSUMPTION),
                                   Link("<=", ONE, "pow_le_one"))),
               Apply("bounded_of_le", Bounded(Norm2(B_TK), t))),
        note="contrapositive: with σ_max(W) ≤ 1/γ every ‖∂x_t/∂x_k‖₂ ≤ 1, so an unbounded "
             "(exploding) gradient needs σ_max(W) > 1/γ.")


def _linear_vanishing(claim: str) -> LemmaProof:
    return LemmaProof(
        claim, goals=(Tends(Norm2(MatPow(W, k)), k),),
        assumptions=(Assumption(lt(Rho(W), ONE), "linear case: ρ(W_rec) < 1"),),
        steps=(Apply("power_decay", Tends(Norm2(MatPow(W, k)), k)),),
        note="linear case: σ = id, so ∂x_{t}/∂x_{t-k} = W_rec^k.")


def _some_j_part(claim: str) -> LemmaProof:
    """Contrapositive of "exploding needs σ_max(W)‖D_j‖₂ > 1 for some j": if
    σ_max(W)‖D_j‖₂ ≤ 1 for every j, every ‖∂x_t/∂x_k‖₂ ≤ 1 (bounded)."""
    one_j = Assumption(le(Mul(SigmaMax(W), Norm2(D_j)), ONE),
                       "negation: σ_max(W_rec)‖diag(σ'(x_{j-1}))‖₂ ≤ 1 for every j")
    return LemmaProof(
        claim, goals=(le(Norm2(B_TK), ONE), Bounded(Norm2(B_TK), t)),
        assumptions=(JACOBIAN, one_j, K_LE_T),
        steps=(Chain(Norm2(J_j), (
                   Link("=", Norm2(MatMul(W, D_j)), ASSUMPTION),
                   Link("<=", Mul(Norm2(W), Norm2(D_j)), "submultiplicativity"),
                   Link("=", Mul(SigmaMax(W), Norm2(D_j)), "spectral_norm_eq_sigma_max"),
                   Link("<=", ONE, ASSUMPTION))),
               Chain(Norm2(B_TK), (
                   Link("<=", ProdOver(Norm2(J_j), j, Add(k, ONE), t), "norm_prod_le"),
                   Link("<=", ProdOver(ONE, j, Add(k, ONE), t), ASSUMPTION),
                   Link("=", Pow(ONE, GAP), "prod_const"),
                   Link("<=", ONE, "pow_le_one"))),
               Apply("bounded_of_le", Bounded(Norm2(B_TK), t))),
        note="contrapositive: if σ_max(W)‖D_j‖₂ ≤ 1 at every j the product stays ≤ 1, so "
             "explosion needs some j with ‖D_j‖₂ > 1/σ_max(W); any γ strictly between "
             "1/σ_max(W) and that ‖D_j‖₂ then gives σ_max(W) > 1/γ and ‖D_j‖₂ > γ.")


Z_k = Mat("z", "r", "1", sub=k)
C_k = Mat("C", "n", "q", sub=k)


def _whole_matrix_bound(claim: str) -> LemmaProof:
    """Eq. 15 with θ = W whole: c_k = ∂⁺x_k/∂W = I ⊗ z_kᵀ (z_k = [σ(x_{k-1}); u_k; 1]), for
    which ‖a B c_k‖₂ = ‖a B‖₂‖z_k‖₂ and ‖a c_k‖₂ = ‖a‖₂‖z_k‖₂ (index-notation identities
    proved for every n, :mod:`rnnclaims.joint.readings`)."""
    grouped = Assumption(eq(Norm2(MatMul(a_row, B_TK, C_k)), Mul(Norm2(MatMul(a_row, B_TK)), Norm2(Z_k))),
                         "c_k = I ⊗ z_kᵀ: ‖a B c_k‖₂ = ‖a B‖₂ ‖z_k‖₂ (proved in index notation)")
    plain = Assumption(eq(Mul(Norm2(a_row), Norm2(Z_k)), Norm2(MatMul(a_row, C_k))),
                       "c_k = I ⊗ z_kᵀ: ‖a‖₂ ‖z_k‖₂ = ‖a c_k‖₂ (proved in index notation)")
    return LemmaProof(
        claim,
        goals=(le(Norm2(G), SumOver(Mul(Norm2(MatMul(a_row, C_k)), Pow(ETA, GAP)), k, ONE, t)),
               lt(ETA, ONE), Tends(Pow(ETA, GAP), t)),
        assumptions=_UNIFORM + (K_LE_T, grouped, plain, Assumption(
            eq(G, MatSum(MatMul(a_row, B_TK, C_k), k, ONE, t)),
            "eq. 11: ∂E_t/∂W = Σ_k ∂E_t/∂x_t ∂x_t/∂x_k ∂⁺x_k/∂W, with eq. 10 for ∂x_t/∂x_k")),
        steps=(_eta_bound(), _eta_vs_one("<"), _product_bound(),
               Chain(Norm2(G), (
                   Link("=", Norm2(MatSum(MatMul(a_row, B_TK, C_k), k, ONE, t)), ASSUMPTION),
                   Link("<=", SumOver(Norm2(MatMul(a_row, B_TK, C_k)), k, ONE, t), "norm_sum_le"),
                   Link("=", SumOver(Mul(Norm2(MatMul(a_row, B_TK)), Norm2(Z_k)), k, ONE, t),
                        ASSUMPTION),
                   Link("<=", SumOver(Mul(Norm2(a_row), Norm2(B_TK), Norm2(Z_k)), k, ONE, t),
                        "submultiplicativity"),
                   Link("<=", SumOver(Mul(Norm2(a_row), Pow(ETA, GAP), Norm2(Z_k)), k, ONE, t),
                        ASSUMPTION),
                   Link("=", SumOver(Mul(Mul(Norm2(a_row), Norm2(Z_k)), Pow(ETA, GAP)), k, ONE, t),
                        ALGEBRA),
                   Link("=", SumOver(Mul(Norm2(MatMul(a_row, C_k)), Pow(ETA, GAP)), k, ONE, t),
                        ASSUMPTION))),
               Apply("pow_tendsto_zero", Tends(Pow(ETA, GAP), t))),
        note="θ = W = [W_rec, W_in, b] taken whole, as the blog optimises it; eq. 15's grouping "
             "‖∂E_t/∂x_t ∂x_k/∂g‖ is then exact, since ∂⁺x_k/∂W = I ⊗ z_kᵀ.")


JACOBIAN_B = Assumption(eq(J_j, MatMul(D_j, W)),
                        "form B: ∂h_j/∂h_{j-1} = diag(σ'(a_j)) W_rec, proved exactly for every n")


def _form_b_part(claim: str) -> LemmaProof:
    """Eqs. 14-15 for form B: ‖D_j W‖₂ ≤ γ σ_max(W) = η < 1 and ‖∂h_t/∂h_k‖₂ ≤ η^{t−k} → 0."""
    return LemmaProof(
        claim,
        goals=(le(Norm2(J_j), ETA), lt(ETA, ONE), le(Norm2(B_TK), Pow(ETA, GAP)),
               Tends(Norm2(B_TK), t)),
        assumptions=(JACOBIAN_B, GAMMA_POS, Assumption(le(Norm2(D_j), g),
                                                       "γ bounds ‖diag(σ'(a_j))‖₂ for every j"),
                     W_LT, K_LE_T),
        steps=(Chain(Norm2(J_j), (
                   Link("=", Norm2(MatMul(D_j, W)), ASSUMPTION),
                   Link("<=", Mul(Norm2(D_j), Norm2(W)), "submultiplicativity"),
                   Link("=", Mul(Norm2(D_j), SigmaMax(W)), "spectral_norm_eq_sigma_max"),
                   Link("<=", Mul(g, SigmaMax(W)), ASSUMPTION))),
               _eta_vs_one("<"), _product_bound(),
               Apply("pow_tendsto_zero", Tends(Pow(ETA, GAP), t)),
               Apply("squeeze_zero", Tends(Norm2(B_TK), t))),
        note="form B (h_t = σ(W_rec h_{t-1} + W_in u_t + b)): the factor is diag(σ'(a_j)) W_rec, "
             "on the other side, with the same bound.")


A_GEN = Mat("A", "m", "n", real=False)
A_SQ = Mat("A", real=False)
GRAM = MatMul(CT(A_GEN), A_GEN)


PROOFS: dict[str, tuple[LemmaProof, ...]] = {
    "blog.la.sigma-max": (LemmaProof(
        "blog.la.sigma-max", goals=(eq(SigmaMax(A_GEN), Sqrt(LambdaMax(GRAM))),),
        steps=(Chain(SigmaMax(A_GEN), (
            Link("=", Norm2(A_GEN), "spectral_norm_eq_sigma_max"),
            Link("=", Sqrt(LambdaMax(GRAM)), "rayleigh_spectral_norm"))),),
        note="A is any complex m × n matrix."),),
    "blog.la.spectral-norm": (LemmaProof(
        "blog.la.spectral-norm",
        goals=(eq(Norm2(A_GEN), SigmaMax(A_GEN)), eq(SigmaMax(A_GEN), Sqrt(Rho(GRAM)))),
        steps=(Chain(Norm2(A_GEN), (Link("=", SigmaMax(A_GEN), "spectral_norm_eq_sigma_max"),)),
               Chain(SigmaMax(A_GEN), (
                   Link("=", Norm2(A_GEN), "spectral_norm_eq_sigma_max"),
                   Link("=", Sqrt(LambdaMax(GRAM)), "rayleigh_spectral_norm"),
                   Link("=", Sqrt(Rho(GRAM)), "radius_eq_lambda_max_of_psd")))),
        note="A is any complex m × n matrix; AᴴA is positive semidefinite (gram_psd)."),),
    "blog.la.radius-vs-norm": (LemmaProof(
        "blog.la.radius-vs-norm", goals=(le(Rho(A_SQ), SigmaMax(A_SQ)),),
        steps=(Chain(Rho(A_SQ), (Link("<=", Norm2(A_SQ), "spectral_radius_le_norm"),
                                 Link("=", SigmaMax(A_SQ), "spectral_norm_eq_sigma_max"))),),
        note="A is any complex n × n matrix (equality is possible for non-normal A, "
             "e.g. [[2,0,0],[0,0,1],[0,0,0]])."),),
    "blog.eq14.submult.corrected": (LemmaProof(
        "blog.eq14.submult.corrected",
        goals=(le(Norm2(MatMul(W, D_j)), Mul(Norm2(W), Norm2(D_j))),),
        steps=(Chain(Norm2(MatMul(W, D_j)), (
            Link("<=", Mul(Norm2(W), Norm2(D_j)), "submultiplicativity"),)),)),),
    "blog.eq14.step": (LemmaProof(
        "blog.eq14.step", goals=(lt(Norm2(J_j), ONE),),
        assumptions=(JACOBIAN, GAMMA_POS, D_LT, W_LT),
        steps=(Chain(Norm2(J_j), (
            Link("=", Norm2(MatMul(W, D_j)), ASSUMPTION),
            Link("<=", Mul(Norm2(W), Norm2(D_j)), "submultiplicativity"),
            Link("=", Mul(SigmaMax(W), Norm2(D_j)), "spectral_norm_eq_sigma_max"),
            Link("<=", Mul(SigmaMax(W), g), ASSUMPTION),
            Link("<", Mul(g, inv(g)), ASSUMPTION),
            Link("=", ONE, ALGEBRA))),)),),
    "blog.eq14.eta": (LemmaProof(
        "blog.eq14.eta", goals=(le(Norm2(J_j), ETA), lt(ETA, ONE), Pred("indep", ETA, j)),
        assumptions=_UNIFORM, steps=(_eta_bound(), _eta_vs_one("<")),
        note="η = γ σ_max(W) does not depend on j, so one η serves every j."),),
    "blog.eq15.grouping.corrected": (LemmaProof(
        "blog.eq15.grouping.corrected",
        goals=(le(Norm2(MatMul(a_row, Mat("B"), Mat("c", "n", "p"))),
                  Mul(Norm2(a_row), Norm2(Mat("B")), Norm2(Mat("c", "n", "p")))),),
        steps=(Chain(Norm2(MatMul(a_row, Mat("B"), Mat("c", "n", "p"))), (
            Link("<=", Mul(Norm2(a_row), Norm2(MatMul(Mat("B"), Mat("c", "n", "p")))),
                 "submultiplicativity"),
            Link("<=", Mul(Norm2(a_row), Norm2(Mat("B")), Norm2(Mat("c", "n", "p"))),
                 "submultiplicativity"))),),
        note="a is 1 × n, B is n × n, c is n × p (p = 1: θ a scalar; any p: θ a block)."),),
    "blog.eq15.bound.corrected": (LemmaProof(
        "blog.eq15.bound.corrected",
        goals=(le(Norm2(G), SumOver(Mul(Norm2(a_row), Norm2(c_k), Pow(ETA, GAP)), k, ONE, t)),
               lt(ETA, ONE), Tends(Pow(ETA, GAP), t)),
        assumptions=_UNIFORM + (K_LE_T, Assumption(
            eq(G, MatSum(MatMul(a_row, B_TK, c_k), k, ONE, t)),
            "eq. 11: ∂E_t/∂θ = Σ_k ∂E_t/∂x_t ∂x_t/∂x_k ∂⁺x_k/∂θ, with eq. 10 for ∂x_t/∂x_k")),
        steps=(_eta_bound(), _eta_vs_one("<"), _product_bound(),
               Chain(Norm2(G), (
                   Link("=", Norm2(MatSum(MatMul(a_row, B_TK, c_k), k, ONE, t)), ASSUMPTION),
                   Link("<=", SumOver(Norm2(MatMul(a_row, B_TK, c_k)), k, ONE, t), "norm_sum_le"),
                   Link("<=", SumOver(Mul(Norm2(a_row), Norm2(MatMul(B_TK, c_k))), k, ONE, t),
                        "submultiplicativity"),
                   Link("<=", SumOver(Mul(Norm2(a_row), Norm2(B_TK), Norm2(c_k)), k, ONE, t),
                        "submultiplicativity"),
                   Link("<=", SumOver(Mul(Norm2(a_row), Pow(ETA, GAP), Norm2(c_k)), k, ONE, t),
                        ASSUMPTION))),
               Apply("pow_tendsto_zero", Tends(Pow(ETA, GAP), t))),
        note="the sum's index k runs over 1..t, inside the range k ≤ t of the product bound."),),
    "blog.vanishing": (_vanishing_part("blog.vanishing"),),
    "blog.exploding.corrected": (_necessity_part("blog.exploding.corrected"),),
    "paper.eq6.corrected": (LemmaProof(
        "paper.eq6.corrected",
        goals=(lt(Norm2(MatMul(Tr(W), D_k)), ONE), lt(Norm2(MatMul(W, D_k)), ONE)),
        assumptions=(GAMMA_POS, W_LT, Assumption(le(Norm2(D_k), g),
                                                 "γ bounds ‖diag(σ'(x_k))‖₂")),
        steps=(_printed_step(Tr(W)), _printed_step(W)),
        note="the paper's λ_1 is the largest singular value σ_max(W_rec); first the printed "
             "factor W_recᵀ diag(σ'(x_k)), then the true Jacobian W_rec diag(σ'(x_k))."),),
    "paper.eq7": (LemmaProof(
        "paper.eq7", goals=(le(Norm2(MatMul(a_row, B_TK)), Mul(Pow(ETA, GAP), Norm2(a_row))),),
        assumptions=_UNIFORM + (K_LE_T,),
        steps=(_eta_bound(), _eta_vs_one("<"), _product_bound(),
               Chain(Norm2(MatMul(a_row, B_TK)), (
                   Link("<=", Mul(Norm2(a_row), Norm2(B_TK)), "submultiplicativity"),
                   Link("<=", Mul(Norm2(a_row), Pow(ETA, GAP)), ASSUMPTION),
                   Link("=", Mul(Pow(ETA, GAP), Norm2(a_row)), ALGEBRA)))),
        note="∏_{i=k}^{t-1} ∂x_{i+1}/∂x_i is ∏_{j=k+1}^{t} J_j with j = i + 1."),),
    "paper.linear.vanishing": (_linear_vanishing("paper.linear.vanishing"),),
    "paper.linear.exploding.corrected": (LemmaProof(
        "paper.linear.exploding.corrected", goals=(Bounded(Norm2(MatPow(W, k)), k),),
        assumptions=(Assumption(lt(Rho(W), ONE),
                                "negation of the necessary condition ρ(W_rec) ≥ 1 (contrapositive)"),),
        steps=(Apply("power_decay", Tends(Norm2(MatPow(W, k)), k)),
               Apply("bounded_of_tendsto", Bounded(Norm2(MatPow(W, k)), k))),
        note="contrapositive: ρ(W) < 1 keeps ‖W^k‖₂ bounded, so unbounded growth needs ρ ≥ 1."),),
    "paper.linear.exploding.exponential": (LemmaProof(
        "paper.linear.exploding.exponential",
        goals=(Tends(Mul(Norm2(MatPow(W, k)), Pow(Sym("c"), Mul(Num(-1), k))), k),),
        assumptions=(Assumption(le(Rho(W), ONE),
                                "negation of the necessary condition ρ(W_rec) > 1 (contrapositive)"),
                     Assumption(lt(ONE, Sym("c")), "any growth rate c > 1")),
        steps=(Chain(Rho(W), (Link("<=", ONE, ASSUMPTION), Link("<", Sym("c"), ASSUMPTION))),
               Apply("gelfand_subexponential",
                     Tends(Mul(Norm2(MatPow(W, k)), Pow(Sym("c"), Mul(Num(-1), k))), k))),
        note="contrapositive: with ρ(W) ≤ 1, ‖W^k‖₂ / c^k → 0 for every c > 1, so no "
             "exponential growth ‖W^k‖₂ ≥ C c^k; exponential growth needs ρ > 1."),),
    "paper.exploding": (_necessity_part("paper.exploding"),),
    "blog.exploding.free-gamma.some-j": (_some_j_part("blog.exploding.free-gamma.some-j"),),
    "blog.formB.bounds": (_form_b_part("blog.formB.bounds"),),
    "blog.eq12.layout": (LemmaProof(
        "blog.eq12.layout", goals=(eq(Norm2(Tr(MatMul(W, D_j))), Norm2(MatMul(W, D_j))),),
        steps=(Chain(Norm2(Tr(MatMul(W, D_j))), (
            Link("=", Norm2(CT(MatMul(W, D_j))), "transpose_eq_conjTranspose_of_real"),
            Link("=", Norm2(MatMul(W, D_j)), "l2_opNorm_conjTranspose"))),),
        note="the denominator-layout Jacobian is the transpose (W_rec D)ᵀ of the numerator one; "
             "W_rec and D are real."),),
    "blog.eq15.grouping.whole-matrix": (LemmaProof(
        "blog.eq15.grouping.whole-matrix",
        goals=(le(Norm2(MatMul(a_row, Mat("B"), C_k)), Mul(Norm2(MatMul(a_row, C_k)), Norm2(Mat("B")))),),
        assumptions=(Assumption(eq(Norm2(MatMul(a_row, Mat("B"), C_k)),
                                   Mul(Norm2(MatMul(a_row, Mat("B"))), Norm2(Z_k))),
                                "c_k = I ⊗ z_kᵀ: ‖a B c_k‖₂ = ‖a B‖₂ ‖z_k‖₂ (proved in index notation)"),
                     Assumption(eq(Mul(Norm2(a_row), Norm2(Z_k)), Norm2(MatMul(a_row, C_k))),
                                "c_k = I ⊗ z_kᵀ: ‖a‖₂ ‖z_k‖₂ = ‖a c_k‖₂ (proved in index notation)")),
        steps=(Chain(Norm2(MatMul(a_row, Mat("B"), C_k)), (
            Link("=", Mul(Norm2(MatMul(a_row, Mat("B"))), Norm2(Z_k)), ASSUMPTION),
            Link("<=", Mul(Norm2(a_row), Norm2(Mat("B")), Norm2(Z_k)), "submultiplicativity"),
            Link("=", Mul(Mul(Norm2(a_row), Norm2(Z_k)), Norm2(Mat("B"))), ALGEBRA),
            Link("=", Mul(Norm2(MatMul(a_row, C_k)), Norm2(Mat("B"))), ASSUMPTION))),),
        note="θ = W whole: the blog's grouping ‖a c‖ ‖B‖ bounds ‖a B c‖."),),
    "blog.eq15.bound.whole-matrix": (_whole_matrix_bound("blog.eq15.bound.whole-matrix"),),
    "paper.arxiv.eigenvalue.corrected": (
        _vanishing_part("paper.arxiv.eigenvalue.corrected"),
        _linear_vanishing("paper.arxiv.eigenvalue.corrected"),
    ),
    "blog.note.harmless": (
        LemmaProof("blog.note.harmless", goals=(eq(Norm2(Tr(W)), Norm2(W)),),
                   steps=(Chain(Norm2(Tr(W)), (
                       Link("=", Norm2(CT(W)), "transpose_eq_conjTranspose_of_real"),
                       Link("=", Norm2(W), "l2_opNorm_conjTranspose"))),),
                   note="W_rec is real."),
        LemmaProof("blog.note.harmless", goals=(le(Norm2(MatMul(Tr(W), D_j)), ETA),),
                   assumptions=(GAMMA_POS, D_LE),
                   steps=(Chain(Norm2(MatMul(Tr(W), D_j)), (
                       Link("<=", Mul(Norm2(Tr(W)), Norm2(D_j)), "submultiplicativity"),
                       Link("=", Mul(Norm2(CT(W)), Norm2(D_j)), "transpose_eq_conjTranspose_of_real"),
                       Link("=", Mul(Norm2(W), Norm2(D_j)), "l2_opNorm_conjTranspose"),
                       Link("=", Mul(SigmaMax(W), Norm2(D_j)), "spectral_norm_eq_sigma_max"),
                       Link("<=", Mul(SigmaMax(W), g), ASSUMPTION))),),
                   note="the printed factor W_recᵀ diag(σ') obeys the same bound η as the true "
                        "Jacobian, so every bound of eqs. 14–15 built on it survives."),
    ),
}

#: The claim ids with a lemma-based proof, in the order of the table.
PROVED_CLAIMS: tuple[str, ...] = tuple(PROOFS)


def claim_proofs(claim_id: str) -> tuple[LemmaProof, ...]:
    """The proof parts of ``claim_id``; an id without a lemma proof raises and lists them.

    >>> len(claim_proofs("paper.arxiv.eigenvalue.corrected"))
    2
    >>> claim_proofs("blog.eq14.submult")
    Traceback (most recent call last):
    ...
    rnncore.errors.UnknownClaimError: no lemma-based proof for 'blog.eq14.submult'; proofs exist for blog.la.sigma-max, ...
    """
    if claim_id not in PROOFS:
        raise UnknownClaimError(f"no lemma-based proof for {claim_id!r}; proofs exist for "
                                + ", ".join(PROOFS))
    return PROOFS[claim_id]


def prove_claim(claim_id: str) -> Result:
    """Check every part of the claim's proof; ``proved`` (method ``lemmas``, every n) when
    all check, else ``undecided`` with the first rejected part's reason. ``data`` is the
    tuple of :class:`~derive.lemma_proof.CheckedProof` (``text()``, ``latex()``).

    >>> r = prove_claim("paper.linear.vanishing")
    >>> r.verdict.value, r.method.detail
    ('proved', 'power_decay')
    """
    parts = [check_proof(p) for p in claim_proofs(claim_id)]
    names = []
    for r in parts:
        names += r.data.lemmas_used
    proved = all(r.holds for r in parts)
    combined = Result.combine(
        parts,
        method=Method(MethodKind.LEMMAS, ", ".join(dict.fromkeys(names)))
        if proved else Method(MethodKind.NONE, "lemma proof rejected"),
        scope=Scope(spans=(Span("n", 1, None),),
                    note="symbolic n; every link matched against the lemma table") if proved
        else Scope(note="a part of the proof over a symbolic n was rejected; nothing is claimed"),
    )
    checked = tuple(r.data for r in parts)
    return combined.with_(data=checked, proofs=checked)


def proof_text(claim_id: str) -> str:
    """The checked proof of ``claim_id`` step by step, in text.

    >>> print(proof_text("blog.la.radius-vs-norm").splitlines()[2])
          ρ(A)
    """
    return "\n\n".join(c.text() for c in prove_claim(claim_id).data)


def proof_latex(claim_id: str) -> str:
    """The checked proof of ``claim_id`` in LaTeX.

    >>> r"\\le" in proof_latex("blog.eq14.submult.corrected")
    True
    """
    return "\n\n".join(c.latex() for c in prove_claim(claim_id).data)


__all__ = ["PROOFS", "PROVED_CLAIMS", "claim_proofs", "prove_claim", "proof_text", "proof_latex"]
