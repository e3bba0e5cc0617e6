"""The claim catalogue: every id the report must cover, in catalogue order.

A copy of the project's claim list (ids are stable: never renamed or dropped), so that
rnnproof needs no file outside itself at run time. Each entry: id, source, statement,
and the layer that checks it (``symbolic`` = derive/, ``numeric`` = numeric/, ``joint``
= both, joined in rnnproof/).

>>> CATALOGUE[0].id, CATALOGUE[0].source
('blog.eq2', 'blog eq. 2')
>>> len(CATALOGUE)
39
>>> entry("paper.eq5").layer
'symbolic'
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import UnknownClaimError


@dataclass(frozen=True)
class CatalogueEntry:
    """One catalogue row: ``id``, ``source`` (blog or paper, equation), ``statement``."""

    id: str
    source: str
    statement: str
    layer: str


_S, _N, _J = "symbolic", "numeric", "joint"

CATALOGUE: tuple[CatalogueEntry, ...] = tuple(
    CatalogueEntry(*row)
    for row in [
        ("blog.eq2", "blog eq. 2",
         "W [σ(x_{t-1}); u_t; 1] = W_rec σ(x_{t-1}) + W_in u_t + b with W = [W_rec W_in b]", _S),
        ("blog.eq4", "blog eq. 4",
         "∂E/∂θ = Σ_t ∂E_t/∂θ for E = Σ_t E_t, E_t = L(x_t)", _S),
        ("blog.eq5", "blog eq. 5",
         "∂E_t/∂θ = ∂E_t/∂x_t · ∂x_t/∂θ (total derivative)", _S),
        ("blog.eq7", "blog eq. 7",
         "∂x_t/∂θ = ∂⁺x_t/∂θ + ∂x_t/∂x_{t-1} · ∂x_{t-1}/∂θ, with ∂⁺ the immediate partial "
         "(x_{t-1} held constant)", _S),
        ("blog.eq8", "blog eq. 8",
         "the expansion (8.1)/(8.2) of ∂E_t/∂θ obtained by substituting (7) into itself", _S),
        ("blog.eq9", "blog eq. 9",
         "∂E_t/∂θ = Σ_{k=1}^{t} ∂E_t/∂x_t · (∏_{j=k+1}^{t} ∂x_j/∂x_{j-1}) · ∂⁺x_k/∂θ", _S),
        ("blog.eq10", "blog eq. 10",
         "∂x_t/∂x_k = J_t J_{t-1} ⋯ J_{k+1} with J_j = ∂x_j/∂x_{j-1}, the factor of largest "
         "index leftmost", _S),
        ("blog.eq10.order", "blog eq. 10",
         "the product ∏_{j=k+1}^{t} J_j equals ∂x_t/∂x_k whichever order its factors are "
         "multiplied in", _S),
        ("blog.eq11", "blog eq. 11",
         "∂E_t/∂θ = Σ_{k=1}^{t} ∂E_t/∂x_t · ∂x_t/∂x_k · ∂⁺x_k/∂θ", _S),
        ("blog.eq12", "blog eq. 12",
         "∂x_j/∂x_{j-1} = W_rec diag(σ'(x_{j-1})) (numerator layout), for every n", _S),
        ("blog.eq13", "blog eq. 13",
         "∂x_t/∂x_k = ∏_{j=k+1}^{t} W_rec diag(σ'(x_{j-1}))", _S),
        ("blog.formB", "blog NOTE (form B)",
         "the NOTE's form B: its one-step Jacobian and the product (13) for form B", _S),
        ("blog.note.numerator", "blog Notes",
         "the paper's W_rec^T diag(σ'(x_{i-1})) is not the numerator-layout Jacobian", _S),
        ("blog.note.any-layout", "blog Notes",
         "\"even if we decide to not use numerator layout notation, the outcome is still "
         "different\"", _S),
        ("blog.note.harmless", "blog Notes",
         "the transpose \"does not cause any fundamental error in the findings\" (the bounds "
         "survive)", _J),
        ("paper.eq2.footnote", "paper eq. 2, footnote 1",
         "form A and form B are equivalent after redefining E_t := E_t(σ(x_t))", _S),
        ("paper.eq4", "paper eq. 4", "eq. (4) with immediate partials", _S),
        ("paper.eq4.row", "paper eq. 4 (text)",
         "\"any row i of ∂⁺x_k/∂W_rec is just σ(x_{k-1})\", read as "
         "∂⁺x_{k,i}/∂(W_rec)_{i,·} = σ(x_{k-1})^T and zero for the other rows of W_rec", _S),
        ("paper.eq5", "paper eq. 5",
         "∂x_t/∂x_k = ∏_{t≥i>k} W_rec^T diag(σ'(x_{i-1})) holds in some layout (numerator or "
         "denominator) with some order of the factors", _S),
        ("paper.eq5.diagnosis", "paper eq. 5",
         "with the σ' argument moved one step, W_rec^T diag(σ'(x_i)) is the denominator-layout "
         "Jacobian ∂h_i/∂h_{i-1} of form B's state h = σ(x)", _S),
        ("blog.la.sigma-max", "blog, linear algebra precursor",
         "σ_max(A) = sqrt(λ_max(A*A))", _N),
        ("blog.la.spectral-norm", "blog, linear algebra precursor",
         "‖A‖_2 = σ_max(A) = sqrt(ρ(A*A))", _N),
        ("blog.la.psd", "blog, linear algebra precursor",
         "A*A is Hermitian and positive semi-definite", _N),
        ("blog.la.radius-vs-norm", "blog, linear algebra precursor",
         "eigenvalues measure stretch only along eigenvectors, singular values in any "
         "direction: ρ(A) ≤ σ_max(A), and when it is strict", _N),
        ("blog.eq14.submult", "blog eq. 14",
         "‖W_rec diag(σ'(x_{j-1}))‖_2 < ‖W_rec‖_2 ‖diag(σ'(x_{j-1}))‖_2 as written (strict)", _N),
        ("blog.eq14.step", "blog eq. 14",
         "if ‖diag(σ')‖_2 < γ and σ_max(W_rec) < 1/γ then ‖∂x_j/∂x_{j-1}‖_2 < 1", _N),
        ("blog.eq14.eta", "blog eq. 14",
         "a uniform η < 1 with ‖∂x_j/∂x_{j-1}‖_2 ≤ η for all j exists under those conditions", _N),
        ("blog.eq15.grouping", "blog eq. 15",
         "the third line of (15): ‖a B c‖ ≤ ‖a c‖ ‖B‖ with a = ∂E_t/∂x_t, B = ∂x_t/∂x_k, "
         "c = ∂⁺x_k/∂θ", _N),
        ("blog.eq15.bound", "blog eq. 15",
         "‖∂E_t/∂θ‖ ≤ Σ_k (…) η^{t-k}, so terms with large t-k go to 0", _N),
        ("blog.vanishing", "blog, vanishing gradients",
         "σ_max(W_rec) < 1/γ is sufficient for long-term components to vanish", _N),
        ("blog.exploding", "blog, exploding gradients",
         "exploding needs σ_max(W_rec) > 1/γ \"with ‖diag(σ'(x_{j-1}))‖_2 > γ\", γ being the "
         "bound of (14)", _N),
        ("paper.gamma", "paper section 2.1",
         "γ = 1 for tanh and γ = 1/4 for sigmoid bound ‖diag(σ')‖, and both are sharp", _N),
        ("paper.eq6", "paper eq. 6",
         "‖∂x_{k+1}/∂x_k‖ ≤ ‖W_rec^T‖ ‖diag(σ'(x_k))‖ < (1/γ)γ < 1 as printed", _N),
        ("paper.eq7", "paper eq. 7",
         "‖∂E_t/∂x_t (∏_{i=k}^{t-1} ∂x_{i+1}/∂x_i)‖ ≤ η^{t-k} ‖∂E_t/∂x_t‖", _N),
        ("paper.linear.vanishing", "paper section 2.1",
         "linear case: spectral radius ρ(W_rec) < 1 is sufficient for long-term components "
         "to vanish", _N),
        ("paper.linear.exploding", "paper section 2.1",
         "linear case: ρ(W_rec) > 1 is necessary for ‖W_rec^k‖ to grow without bound", _N),
        ("paper.linear.exploding.exponential", "paper section 2.1",
         "linear case: ρ(W_rec) > 1 is necessary for ‖W_rec^k‖ to grow exponentially", _N),
        ("paper.exploding", "paper section 2.1",
         "λ_1 > 1/γ (largest singular value) is necessary for exploding gradients", _N),
        ("paper.arxiv.eigenvalue", "paper (arXiv v1 wording)",
         "the arXiv wording: |largest eigenvalue of W_rec| < 1/γ is sufficient for vanishing", _N),
    ]
)

_BY_ID = {e.id: e for e in CATALOGUE}


def entry(claim_id: str) -> CatalogueEntry:
    """The catalogue entry of ``claim_id``; an unknown id raises and lists the known ones.

    >>> entry("blog.eq99")
    Traceback (most recent call last):
    ...
    rnncore.errors.UnknownClaimError: unknown claim id 'blog.eq99'; known ids: blog.eq2, ...
    """
    try:
        return _BY_ID[claim_id]
    except KeyError:
        raise UnknownClaimError(
            f"unknown claim id {claim_id!r}; known ids: {', '.join(_BY_ID)}"
        ) from None


def parent_of(claim_id: str) -> CatalogueEntry | None:
    """The catalogue entry an added id (``X.corrected``, ``X.reading-2``) belongs to: the
    longest catalogue id that is a dotted prefix of it.

    >>> parent_of("blog.eq14.submult.corrected").id
    'blog.eq14.submult'
    >>> parent_of("nothing.here") is None
    True
    """
    best = None
    for e in CATALOGUE:
        if claim_id == e.id or claim_id.startswith(e.id + "."):
            if best is None or len(e.id) > len(best.id):
                best = e
    return best


__all__ = ["CatalogueEntry", "CATALOGUE", "entry", "parent_of"]
