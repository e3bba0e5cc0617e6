"""Readings of eq. 15 and of the exploding condition that the catalogue's first ids do not
rule on.

- **Eq. 15, θ = W whole** (the author's reading: the blog optimises "θ (W)", blog eq. 6 makes
  g(W) = W the whole matrix [W_rec, W_in, b]). Then ``c_k = ∂⁺x_k/∂W = I ⊗ z_kᵀ`` with
  ``z_k = [σ(x_{k-1}); u_k; 1]``, for which ``‖a B c_k‖₂ = ‖aB‖₂‖z_k‖₂`` and
  ``‖a c_k‖₂ = ‖a‖₂‖z_k‖₂`` (index notation, every n: :func:`derive.generic.kron_row_proof`),
  so eq. 15's grouping ``‖a c‖ ‖B‖`` bounds ``‖a B c‖`` and the whole of eq. 15 holds (lemma
  proofs of :mod:`derive.norm_proofs`). The scalar reading (θ one entry) is refuted in
  :mod:`rnnclaims.numeric.bounds` and is not the author's.
- **The exploding condition with γ a free constant** (not the author's reading, whose γ is
  the bound of eq. 14's hypothesis: ``blog.exploding``): "for every j ‖D_j‖ > γ" is refuted
  by n = 1, W = 3, tanh, states alternating between 0 and artanh(√3/2) (inputs chosen to
  hold them there): ``|∂x_60/∂x_0| = (9/4)^30`` and growing as ``(9/4)^{t/2}``, while the
  condition needs ``1/3 < γ < 1/4``; "for some j" holds for every n (lemma proof of the
  contrapositive).

>>> from rnncore.registry import Options
>>> check_free_gamma_every_j(Options.quick_sizes()).verdict.value
'refuted'
"""
from __future__ import annotations

import functools
from fractions import Fraction

import sympy as sp

from derive.generic import kron_row_proof
from derive.norm_proofs import prove_claim
from rnncore.registry import Options
from rnncore.results import (Counterexample, Label, Location, Method, MethodKind, Result, Scope,
                             Span, Verdict)

from rnnclaims.numeric.exactly import settled, vanishes
from . import REGISTRY

F = Fraction

THETA_WHOLE = ("θ = W = [W_rec, W_in, b] taken whole (blog eq. 6: g(W) = W), so "
               "c_k = ∂⁺x_k/∂W = I ⊗ z_kᵀ")


@functools.lru_cache(maxsize=1)
def _index_proof():
    """The index-notation proof of the two norm identities and its check (the same proof
    for both whole-matrix claims: checked once per process)."""
    index = kron_row_proof()
    return index, index.check()


def _with_index_proof(claim_id: str) -> Result:
    """The claim's lemma proof, joined with the index-notation proof of the two norm
    identities it assumes; proved only if both check."""
    index, idx = _index_proof()
    lem = prove_claim(claim_id)
    if not (idx.holds and lem.holds):
        bad = idx if not idx.holds else lem
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "proof rejected"), Scope(),
                      f"not established: {bad.evidence}", proofs=(index,) + lem.proofs)
    return Result(
        Verdict.PROVED, lem.method,
        Scope(spans=(Span("n", 1, None),), note="symbolic n; θ = W whole"),
        f"for every n: the norms of I ⊗ z_kᵀ products in index notation ({idx.evidence}); "
        f"then a chain of lemma applications ({lem.evidence})",
        details=(idx, lem), data=lem.data, proofs=(index,) + lem.proofs)


@REGISTRY.claim(
    "blog.eq15.grouping.whole-matrix", source="blog eq. 15", expect=Label.PROVED_FROM_LEMMAS,
    statement=("the third line of (15): ‖a B c‖ ≤ ‖a c‖ ‖B‖ with a = ∂E_t/∂x_t, B = ∂x_t/∂x_k,"
               " c = ∂⁺x_k/∂θ"),
    reading=THETA_WHOLE,
)
def check_grouping_whole(options: Options) -> Result:
    """With θ = W whole, ``‖a B (I ⊗ zᵀ)‖ = ‖aB‖‖z‖ ≤ ‖a‖‖B‖‖z‖ = ‖a (I ⊗ zᵀ)‖ ‖B‖``.

    >>> check_grouping_whole(Options()).label.value
    'proved-from-lemmas'
    """
    return _with_index_proof("blog.eq15.grouping.whole-matrix")


@REGISTRY.claim(
    "blog.eq15.bound.whole-matrix", source="blog eq. 15", expect=Label.PROVED_FROM_LEMMAS,
    statement="‖∂E_t/∂θ‖ ≤ Σ_k (…) η^{t-k}, so terms with large t-k go to 0",
    reading=THETA_WHOLE + "; (…) = ‖∂E_t/∂x_t · ∂⁺x_k/∂θ‖, as eq. 15 groups it",
)
def check_bound_whole(options: Options) -> Result:
    """Eq. 15 as written, θ = W whole: ``‖∂E_t/∂W‖ ≤ Σ_k ‖a c_k‖ η^{t−k}`` with
    ``η = γσ_max(W_rec) < 1`` and ``η^{t−k} → 0``.

    >>> check_bound_whole(Options()).scope.span("n").every
    True
    """
    return _with_index_proof("blog.eq15.bound.whole-matrix")


# ---------------------------------------------------------------- exploding, γ a free constant
def _period(a, W, route: str):
    """The states 0, a, 0 and the inputs between them: on the reference route each
    simplified by SymPy; on the fast route as SymPy builds them, and all simplified as on
    the reference route when the period does not close exactly as built."""
    for r in ((route,) if route == "sympy" else ("fast", "sympy")):
        states, inputs = [sp.Integer(0)], []
        for target in (a, sp.Integer(0)):
            u = target - W * sp.tanh(states[-1])
            u = sp.simplify(u) if r == "sympy" else u
            inputs.append(u)
            x = W * sp.tanh(states[-1]) + u
            states.append(sp.simplify(x) if r == "sympy" else x)
        if r == "sympy" or (states[2] == states[0] and states[1] == a):
            return states, inputs
    raise AssertionError("unreachable")  # pragma: no cover


def alternating_example(steps: int = 60, route: str = "fast"):
    """n = 1, W = 3, tanh: inputs u that keep the state alternating 0, a, 0, a, … with
    a = artanh(√3/2); the one-step factors ``σ'(x_{j-1})`` of the first ``steps`` steps
    (exact) and the product of the ``W σ'(x_{j-1})``. One period is computed exactly (the
    state returns to x_0 = 0 after two steps, checked), so the trajectory repeats.

    >>> d, prod, inputs = alternating_example(4)
    >>> d, prod
    ([Fraction(1, 1), Fraction(1, 4), Fraction(1, 1), Fraction(1, 4)], Fraction(81, 16))
    >>> alternating_example(4, route="sympy") == (d, prod, inputs)
    True

    ``route="sympy"`` simplifies every state, input and factor with SymPy (the reference);
    the default takes them as SymPy builds them (each already in its simplest form here:
    the period closes exactly, the factors are rationals), simplifying only what is not.
    """
    x = sp.Symbol("x")
    a = sp.atanh(sp.sqrt(3) / 2)
    W = sp.Integer(3)
    dsig = sp.diff(sp.tanh(x), x)
    # inputs: 0 -> a needs u = a; a -> 0 needs u = -3 tanh(a) = -3√3/2
    states, inputs = _period(a, W, route)
    if states[2] != states[0] or not vanishes(states[1] - a, route):
        raise ArithmeticError(f"the period-2 trajectory did not close: {states}")
    period = []
    for s_ in states[:2]:
        v = sp.nsimplify(settled(dsig.subs(x, s_), route))
        num, den = sp.fraction(v)
        period.append(F(int(num), int(den)))
    fr = [period[step % 2] for step in range(steps)]
    prod = F(1)
    for v in fr:
        prod *= 3 * v
    return fr, prod, inputs


@REGISTRY.claim(
    "blog.exploding.free-gamma", source="blog, exploding gradients", expect=Verdict.REFUTED,
    statement=("exploding needs some γ > 0 with σ_max(W_rec) > 1/γ and ‖diag(σ'(x_{j-1}))‖_2 > γ"
               " for every j"),
    reading="γ a free constant (not the bound of eq. 14); the condition on ‖D_j‖ for every j",
    authors_reading=False,
)
def check_free_gamma_every_j(options: Options) -> Result:
    """Refuted: the alternating example explodes (``(9/4)^{t/2}``) although no γ satisfies
    both ``3 > 1/γ`` (γ > 1/3) and ``min_j ‖D_j‖ = 1/4 > γ``."""
    ds, prod, inputs = alternating_example(60)
    lo = min(ds)
    sigma = F(3)
    # the set of admissible γ: 1/σ_max < γ < min_j ‖D_j‖ (exact rationals)
    empty = not (1 / sigma < lo)
    if not (empty and prod == F(9, 4) ** 30 and set(ds) == {F(1), F(1, 4)}):
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "exact"), Scope(),
                      f"example not reproduced: factors {sorted(set(ds))}, product {prod}")
    cex = Counterexample(
        (("n", "1"), ("W_rec", "[[3]]"), ("activation", "tanh"), ("x_0", "0"),
         ("u_t", "artanh(√3/2) for odd t, −3√3/2 for even t"), ("t", "60")),
        lhs=f"|∂x_60/∂x_0| = (9/4)^30 = {prod} (and (9/4)^(t/2) → ∞)",
        rhs="no γ: σ_max(W) = 3 > 1/γ needs γ > 1/3, while min_j ‖D_j‖ = 1/4 > γ needs γ < 1/4",
        location=Location(t=60, k=0, note="states alternate 0, artanh(√3/2); ‖D_j‖ = 1, 1/4"),
        note="for some j (‖D_j‖ = 1) the condition can hold: blog.exploding.free-gamma.some-j",
        data={"factors": tuple(ds), "product": prod, "inputs": tuple(str(u) for u in inputs)},
    )
    return Result(Verdict.REFUTED, Method(MethodKind.EXACT, "exact states and derivatives (SymPy), "
                                          "rational product"),
                  Scope(spans=(Span("n", 1, 1), Span("t", 60, 60)), activations=("tanh",)),
                  "the product explodes as (9/4)^(t/2) while every γ with σ_max(W) > 1/γ exceeds "
                  "min_j ‖D_j‖ = 1/4: the condition 'for every j' is not necessary",
                  counterexample=cex)


@REGISTRY.claim(
    "blog.exploding.free-gamma.some-j", source="blog, exploding gradients",
    expect=Label.PROVED_FROM_LEMMAS,
    statement=("exploding needs some γ > 0 with σ_max(W_rec) > 1/γ and ‖diag(σ'(x_{j-1}))‖_2 > γ"
               " for some j"),
    reading="γ a free constant; the condition on ‖D_j‖ for some j",
    authors_reading=False,
)
def check_free_gamma_some_j(options: Options) -> Result:
    """For every n (contrapositive, lemma proof): if σ_max(W)‖D_j‖ ≤ 1 at every j the
    product stays ≤ 1; so explosion gives a j with ‖D_j‖ > 1/σ_max(W), and any γ strictly
    between works. The alternating example meets it (‖D_0‖ = 1, γ = 1/2)."""
    proof = prove_claim("blog.exploding.free-gamma.some-j")
    ds, _, _ = alternating_example(4)
    meets = max(ds) > F(1, 2) and F(3) > 2
    if not (proof.holds and meets):
        return proof.with_(evidence=f"not established: {proof.evidence}")
    return proof.with_(evidence=f"{proof.evidence}; the alternating example (W = 3, tanh) meets it "
                                f"with γ = 1/2 at j = 1 (‖D_1‖ = {max(ds)})")


__all__ = ["check_grouping_whole", "check_bound_whole", "check_free_gamma_every_j",
           "check_free_gamma_some_j", "alternating_example"]
