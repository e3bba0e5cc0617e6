"""The inequalities of blog eqs. 14–15 and paper eqs. 6–7, and the γ of section 2.1.

``D = diag(d)`` with rational ``d_i ∈ (0, γ]``: every such ``d_i`` is ``σ'(x)`` for some real
``x`` (tanh' and sigmoid' take every value in ``(0, γ]``), so matrix instances are
realisable Jacobian factors. Norm comparisons are certified; equalities are decided
exactly (rational values or algebraic identification, :mod:`numeric.enclosure`).

>>> from rnncore.registry import Options
>>> check_submult(Options.quick_sizes()).verdict.value
'refuted'
>>> check_gamma(Options.quick_sizes()).verdict.value
'proved'
"""
from __future__ import annotations

import functools
from dataclasses import replace
from fractions import Fraction

import numpy as np
import sympy as sp
from flint import arb, arb_mat, ctx, fmpq, fmpq_mat

from rnncore.registry import Options
from rnncore.results import Counterexample, Label, Location, Method, MethodKind, Result, Scope, Span, Verdict

from numeric.checks import ONE_STRUCTURED, confirm, matrix_cex, norm_holds
from numeric.decay import GAMMA, ball_norm
from numeric.enclosure import Enclosure, compare
from numeric.instances import (adversarial_search, random_diagonal, random_matrices,
                         structured_matrices)
from numeric.linalg import compare_norm, max_eigenvalue, prec_bits, spectral_norm
from numeric.matrices import diag, matmul, scale, transpose
from numeric.rnn import Network, jacobian_product, to_arb
from ..lemma_backed import from_lemmas
from . import REGISTRY
from .exactly import limit_at_infinity, settled, vanishes

F = Fraction


def _sizes(options: Options) -> range:
    return range(1 if options.quick else 2, options.n + 1)


def _count(options: Options) -> int:
    return 3 if options.quick else 20


def _scope(options: Options, note: str = "", activations: tuple[str, ...] = ()) -> Scope:
    """The sizes of the instances (n from 2, from 1 with ``quick``, to options.n) and what
    else they cover."""
    sizes = _sizes(options)
    return Scope(spans=(Span("n", sizes.start, options.n),), activations=activations, note=note)


def _certified(detail: str) -> Method:
    return Method(MethodKind.CERTIFIED, detail)


def _exact(detail: str) -> Method:
    return Method(MethodKind.EXACT, detail)


TANH_SIGMOID = ("tanh", "sigmoid")


def _norm2(M: np.ndarray) -> float:
    """float64 ``‖M‖₂`` for the adversarial objectives (uncertified: they only steer the
    search): the largest singular value, the very LAPACK result ``np.linalg.norm(M, 2)``
    returns, without its axis handling. A real float64 matrix goes straight to the
    singular-value kernel ``np.linalg.svd(M, compute_uv=False)`` calls (the same routine,
    the same bits, without the wrapper's type dispatch); anything else, or a value that
    is not finite (where the wrapper raises), through ``np.linalg.svd`` itself.

    >>> M = np.array([[0.3, 0.5], [0.1, -0.7]])
    >>> bool(_norm2(M) == np.linalg.svd(M, compute_uv=False)[0])
    True
    """
    if _SVD is not None and type(M) is np.ndarray and M.dtype == np.float64 and M.ndim == 2:
        s = _SVD(M, signature="d->d")
        if np.isfinite(s).all():
            return s[0]
    return np.linalg.svd(M, compute_uv=False)[0]


#: The singular-value gufunc behind ``np.linalg.svd(..., compute_uv=False)`` for real input
#: (None if this NumPy has it elsewhere: then the wrapper is called).
_SVD = getattr(getattr(np.linalg, "_umath_linalg", None), "svd", None)


def _fmpq(Q) -> fmpq_mat:
    """An exact matrix of Fractions as a python-flint rational matrix."""
    return fmpq_mat([[fmpq(x.numerator, x.denominator) for x in r] for r in Q])


def _cached_instances(build):
    """A builder of instance lists kept per options (bounded cache): a claim and its
    corrected reading, and the claims that share their instances, build them once."""
    cached = functools.lru_cache(maxsize=16)(
        lambda options, *args, **kw: tuple(build(options, *args, **kw)))

    @functools.wraps(build)
    def instances(options: Options, *args, **kw):
        return list(cached(options, *args, **kw))

    instances.cache_clear = cached.cache_clear
    return instances


# ---------------------------------------------------------------- eq. 14, submultiplicativity
@_cached_instances
def submult_instances(options: Options):
    """(kind, label, (W, d)) with d_i in (0, 1] (tanh) or (0, 1/4] (sigmoid)."""
    out, rand = [], []
    for n in _sizes(options):
        if n >= 2:
            # equality cases: D = I (x = 0 under tanh) for every W, and W = I with D = I/2
            # (equality away from x = 0: ‖I · I/2‖₂ = 1/2 = ‖I‖₂‖I/2‖₂)
            eye = tuple(tuple(F(int(r == c)) for c in range(n)) for r in range(n))
            out.append(("structured", "W = I, D = I/2 (equality away from x = 0)",
                        (eye, (F(1, 2),) * n)))
            for name, W in structured_matrices(n):
                out.append(("structured", f"{name}, D = I (x = 0, tanh)", (W, (F(1),) * n)))
                out.append(("structured", f"{name}, D = diag(1/4, ...)", (
                    W, tuple(F(1, 4) if j == 0 else F(1, 8 * (j + 1)) for j in range(n)))))
        Ws = random_matrices(n, _count(options), seed=options.seed)
        for i, (W, d) in enumerate(zip(Ws, random_diagonal(n, len(Ws), seed=options.seed))):
            rand.append(("random", f"random n={n} #{i}", (W, d)))
    out.extend(rand)
    n = min(2, options.n)

    def ratio(v):
        W = v[: n * n].reshape(n, n)
        d = np.clip(np.abs(v[n * n:]) / 2, 1 / 64, 1)
        den = _norm2(W) * d.max()
        return float(_norm2(W * d) / den) if den > 0 else 0.0

    for i, p in enumerate(adversarial_search(ratio, (n * n + n,), seed=options.seed,
                                             iters=80 if options.quick else 250)):
        W = tuple(tuple(p[r * n: r * n + n]) for r in range(n))
        d = tuple(min(max(abs(x) / 2, F(1, 64)), F(1)) for x in p[n * n:])
        out.append(("adversarial", f"adversarial max ‖WD‖/(‖W‖‖D‖) #{i}", (W, d)))
    return out


def _submult_sides(W, d, dps):
    """‖WD‖ and ‖W‖‖D‖ = ‖δW‖ (δ = max d_i), both exactly identified."""
    delta = max(abs(x) for x in d)
    lhs = spectral_norm(matmul(W, diag(d)), dps=dps, exact=True)
    rhs = spectral_norm(scale(W, delta), dps=dps, exact=True)
    return lhs, rhs


def submult_test(relation: str, dps: int):
    """A test of ``‖WD‖ relation ‖W‖‖D‖`` for :func:`~numeric.checks.confirm`."""

    def test(payload):
        W, d = payload
        ok, lhs, rhs = norm_holds(matmul(W, diag(d)), scale(W, max(abs(x) for x in d)),
                                  relation, dps)
        if ok is False:
            equal = relation == "<" and str(lhs) == str(rhs)
            what = (f"the strict inequality fails: ‖WD‖₂ = ‖W‖₂‖D‖₂ = {lhs}" if equal
                    else f"‖WD‖ {relation} ‖W‖‖D‖ fails")
            return False, matrix_cex(
                {"W": W, "D": diag(d)}, f"‖WD‖₂ = {lhs}", f"‖W‖₂‖D‖₂ = {rhs}",
                what, note=("exact rational W and D; " + what) if equal else "exact rational W and D",
                relation=relation,
            )
        return ok, "certified" if ok else "overlap"

    return test


@REGISTRY.claim(
    "blog.eq14.submult", source="blog eq. 14", expect=Verdict.REFUTED,
    statement=("‖W_rec diag(σ'(x_{j-1}))‖_2 < ‖W_rec‖_2 ‖diag(σ'(x_{j-1}))‖_2 as written "
               "(strict)"),
    reading="as written: strict <",
)
def check_submult(options: Options) -> Result:
    """The strict ``‖W D‖ < ‖W‖‖D‖`` of eq. 14 as written: refuted by equality, e.g. any W
    with ``x_{j-1} = 0`` under tanh (``D = I``): ``‖W I‖ = ‖W‖·1``."""
    return confirm(
        submult_instances(options), submult_test("<", options.dps),
        method=_certified("spectral norms with exact identification (python-flint)"),
        scope=_scope(options, "D = diag(σ') with entries in (0, 1]"),
        what="‖WD‖₂ < ‖W‖₂‖D‖₂ (strict)",
    )


@REGISTRY.claim(
    "blog.eq14.submult.corrected", source="blog eq. 14", expect=Label.PROVED_FROM_LEMMAS,
    statement=("‖W_rec diag(σ'(x_{j-1}))‖_2 ≤ ‖W_rec‖_2 ‖diag(σ'(x_{j-1}))‖_2 (non-strict; "
               "equality e.g. when D is a multiple of I)"),
)
@from_lemmas
def check_submult_corrected(options: Options) -> Result:
    """Submultiplicativity ``‖WD‖ ≤ ‖W‖‖D‖`` (‖WDx‖ ≤ ‖W‖‖Dx‖ ≤ ‖W‖‖D‖‖x‖), certified on
    every instance, equality decided exactly."""
    return confirm(
        submult_instances(options), submult_test("<=", options.dps),
        method=_certified("spectral norms with exact identification (python-flint)"),
        scope=_scope(options, "D = diag(σ') with entries in (0, 1]"),
        what="‖WD‖₂ ≤ ‖W‖₂‖D‖₂",
    )


# ---------------------------------------------------------------- eq. 14, one step < 1
def _scaled_below(W, bound: Fraction, dps: int):
    """``W`` scaled by a rational so that σ_max ≤ bound·(49/50) (certified), with the
    certified enclosure of its norm."""
    e = spectral_norm(W, dps=dps)
    if e.hi == 0:
        return W, e
    c = bound * F(49, 50) / e.hi
    c = F(int(c * 10**6), 10**6)  # keep entries small; still ≤ bound·49/50
    Ws = scale(W, c)
    return Ws, spectral_norm(Ws, dps=dps)


@functools.lru_cache(maxsize=16)
def _step_search(n: int, gamma: Fraction, seed: int, iters: int) -> tuple:
    """The adversarial points of :func:`step_instances` (the same search for strict and
    non-strict D: only the clipping of d differs afterwards)."""

    def obj(v, gamma=float(gamma)):
        W = v[: n * n].reshape(n, n)
        s = _norm2(W)
        if s == 0:
            return 0.0
        d = np.clip(np.abs(v[n * n:]) / 2, 1 / 64, 1) * gamma
        return float(_norm2((W / s / gamma) @ np.diag(d)))

    return tuple(adversarial_search(obj, (n * n + n,), seed=seed, iters=iters, keep=2))


@_cached_instances
def step_instances(options: Options, strict_d: bool = True):
    """(kind, label, (activation, W, d)) with σ_max(W) < 1/γ and ‖D‖ < γ (≤ γ if not
    strict_d)."""
    out = []
    for act, gamma in GAMMA.items():
        for n in _sizes(options):
            Ws = random_matrices(n, _count(options) // 2 + 1, seed=options.seed + 3)
            ds = random_diagonal(n, len(Ws), seed=options.seed + 3, top=gamma, strict=strict_d)
            for i, (W, d) in enumerate(zip(Ws, ds)):
                Ws_, _ = _scaled_below(W, 1 / gamma, options.dps)
                out.append(("random", f"{act} random n={n} #{i}", (act, Ws_, d)))
            eps = F(1, 10**6)
            top = gamma * (1 - eps) if strict_d else gamma
            Q = structured_matrices(n)[4][1]  # orthogonal
            out.append(("structured", f"{act} (1/γ)(1-1e-6)·orthogonal, D ≈ γI",
                        (act, scale(Q, (1 - eps) / gamma), (top,) * n)))
            out.append(("structured", f"{act} (1/γ)(1-1e-6)·I, D ≈ γI",
                        (act, scale(structured_matrices(n)[0][1], (1 - eps) / gamma),
                         (top,) * n)))
            J = structured_matrices(n)[7][1]  # Jordan with big off-diagonal
            Js, _ = _scaled_below(J, 1 / gamma, options.dps)
            out.append(("structured", f"{act} scaled Jordan block", (act, Js, (top,) * n)))
        # adversarial: maximise ‖WD‖ with W pushed to norm 1/γ·(1-1e-6), D ≈ γ
        n = min(2, options.n)
        for i, p in enumerate(_step_search(n, gamma, options.seed, 60 if options.quick else 200)):
            W = tuple(tuple(p[r * n: r * n + n]) for r in range(n))
            Ws_, _ = _scaled_below(W, 1 / gamma, options.dps)
            d = tuple(gamma * min(max(abs(x) / 2, F(1, 64)),
                                  F(99, 100) if strict_d else F(1)) for x in p[n * n:])
            out.append(("adversarial", f"{act} adversarial max ‖WD‖ #{i}", (act, Ws_, d)))
    return out


@REGISTRY.claim(
    "blog.eq14.step", source="blog eq. 14", expect=Label.PROVED_FROM_LEMMAS,
    statement="if ‖diag(σ')‖_2 < γ and σ_max(W_rec) < 1/γ then ‖∂x_j/∂x_{j-1}‖_2 < 1",
)
@from_lemmas
def check_step(options: Options) -> Result:
    """If ``‖D‖ < γ`` and ``σ_max(W) < 1/γ`` then ``‖WD‖ < 1``: hypotheses and conclusion
    certified on every instance (tanh γ=1, sigmoid γ=1/4)."""

    def test(payload):
        act, W, d = payload
        gamma = GAMMA[act]
        if not (max(d) < gamma and norm_holds(W, 1 / gamma, "<", options.dps)[0]):
            return None, "hypotheses not certified"
        ok, j, _ = norm_holds(matmul(W, diag(d)), 1, "<", options.dps)
        if ok is False:
            return False, matrix_cex({"W": W, "D": diag(d)}, j, 1, relation="<")
        return ok, "certified"

    return confirm(
        step_instances(options), test,
        method=_certified("‖W‖₂ < 1/γ certified, ‖D‖ < γ exact, ‖WD‖₂ < 1 certified"),
        scope=_scope(options, activations=TANH_SIGMOID), what="‖∂x_j/∂x_{j-1}‖₂ < 1",
    )


@REGISTRY.claim(
    "blog.eq14.eta", source="blog eq. 14", expect=Label.PROVED_FROM_LEMMAS,
    statement=("a uniform η < 1 with ‖∂x_j/∂x_{j-1}‖_2 ≤ η for all j exists under those "
               "conditions"),
)
@from_lemmas
def check_eta(options: Options) -> Result:
    """A uniform ``η < 1``: ``η = γ σ_max(W) < 1`` works for all j because
    ``‖J_j‖ ≤ ‖W‖‖D_j‖ ≤ γ‖W‖`` — strictness comes from ``σ_max(W) < 1/γ``, even when
    ``‖D_j‖ → γ``. Certified along sequences ``d_j = γ(1 − 1/(j+1))`` and random ones."""
    steps = 6 if options.quick else 15

    def test(payload):
        act, W, d = payload
        gamma = GAMMA[act]
        sw = spectral_norm(W, dps=options.dps)
        eta = sw.hi * gamma
        if not eta < 1:
            return None, "η not certified < 1"
        # D_j = diag(d_j) with d_j = s_j·d, s_j = γ j/((j+1) max d): J_j = s_j·(W diag(d)),
        # formed in exact rationals (python-flint) and compared with η exactly
        WD = _fmpq(matmul(W, diag(d)))
        for j in range(1, steps + 1):
            s_j = F(j, j + 1) / max(d) * gamma
            if compare_norm(WD * fmpq(s_j.numerator, s_j.denominator), eta) != "greater":
                continue
            dj = tuple(x * s_j for x in d)
            ok, nj, _ = norm_holds(matmul(W, diag(dj)), eta, "<=", options.dps)
            if ok is False:
                return False, matrix_cex({"W": W, "D_j": diag(dj)}, nj, eta, Location(t=j, k=j - 1))
            if ok is None:
                return None, f"j = {j} undecided"
        return True, "certified"

    return confirm(
        step_instances(options, strict_d=False), test,
        method=_certified(f"η = γ·(certified upper bound of σ_max(W)); ‖J_j‖ ≤ η certified for "
                          f"{steps} steps with ‖D_j‖ → γ"),
        scope=replace(_scope(options, "σ_max(W) < 1/γ", TANH_SIGMOID),
                      spans=_scope(options).spans + (Span("j", 1, steps),)),
        what="‖∂x_j/∂x_{j-1}‖₂ ≤ η = γσ_max(W) < 1 for all j",
    )


@REGISTRY.claim(
    "blog.eq14.eta.pointwise", source="blog eq. 14", expect=Verdict.REFUTED,
    statement=("reading: from ‖∂x_j/∂x_{j-1}‖_2 < 1 for every j alone (eq. 14's conclusion), a"
               " uniform η < 1 with ‖∂x_j/∂x_{j-1}‖_2 ≤ η follows"),
    reading="η from eq. 14's conclusion ‖∂x_j/∂x_{j-1}‖_2 < 1 alone",
)
def check_eta_pointwise(options: Options) -> Result:
    """Refuted: tanh, n = 1, W = [[1]], states with ``tanh'(x_{j-1}) = j/(j+1)`` (i.e.
    ``x_{j-1} = artanh(1/sqrt(j+1))``): each ``‖J_j‖ = j/(j+1) < 1`` but ``sup_j = 1``.
    (Here σ_max(W) = 1/γ: the strict hypothesis on W is what gives a uniform η.)"""
    x = sp.Symbol("x", real=True)
    j = sp.Symbol("j", positive=True, integer=True)
    xj = sp.atanh(1 / sp.sqrt(j + 1))
    dj = (1 - sp.tanh(x) ** 2).subs(x, xj)
    ok = vanishes(dj - j / (j + 1)) and limit_at_infinity(dj, j) == 1
    if not ok:  # pragma: no cover - SymPy regression
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "SymPy"), Scope(spans=(Span("n", 1, 1),)),
                      "could not simplify tanh'(x_j)")
    cex = Counterexample(
        (("W", "[[1]]"), ("x_{j-1}", "artanh(1/sqrt(j+1))"), ("activation", "tanh")),
        lhs="‖J_j‖ = j/(j+1) < 1 for every j", rhs="sup_j ‖J_j‖ = 1: no η < 1 bounds all",
        location=Location(note="every j ≥ 1"),
        note="exact: tanh'(artanh(1/sqrt(j+1))) = j/(j+1)",
        data={"W": ((F(1),),), "norm_of_J": lambda jj: F(jj, jj + 1)},
    )
    return Result(Verdict.REFUTED, _exact("SymPy simplification and limit"),
                  Scope(spans=(Span("n", 1, 1), Span("j", 1, None)), activations=("tanh",)),
                  "‖J_j‖ = j/(j+1) < 1 for all j, sup = 1", counterexample=cex,
                  data=ONE_STRUCTURED)


# ---------------------------------------------------------------- eq. 15
def _vec_norm_sq(v) -> Fraction:
    return sum((x * x for x in v), F(0))


@REGISTRY.claim(
    "blog.eq15.grouping", source="blog eq. 15", expect=Verdict.REFUTED,
    statement=("the third line of (15): ‖a B c‖ ≤ ‖a c‖ ‖B‖ with a = ∂E_t/∂x_t, B = ∂x_t/∂x_k,"
               " c = ∂⁺x_k/∂θ"),
    reading="θ one entry of W_rec (a scalar): a = ∂E_t/∂x_t, B = ∂x_t/∂x_k, c = ∂⁺x_k/∂θ a column",
    authors_reading=False,
)
def check_grouping(options: Options) -> Result:
    """``‖a B c‖ ≤ ‖a c‖ ‖B‖`` (third line of eq. 15): refuted when ``a c = 0`` but
    ``a B c ≠ 0``: a = [1, 0], B = [[0, 1], [0, 0]], c = [0, 1]ᵀ gives 1 ≤ 0. Realisable:
    a = ∂E_t/∂x_t for E_t = x_t¹, c = ∂⁺x_k/∂θ for θ = W_rec[2][1] (a multiple of e₂)."""
    a, B, c = ((F(1), F(0)),), ((F(0), F(1)), (F(0), F(0))), ((F(0),), (F(1),))
    aBc = matmul(matmul(a, B), c)[0][0]
    ac = matmul(a, c)[0][0]
    lhs, rhs = abs(aBc), abs(ac) * spectral_norm(B, exact=True).lo
    if lhs <= rhs:  # pragma: no cover - exact arithmetic
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE), Scope(spans=(Span("n", 2, 2),)),
                      "counterexample did not fail")
    return Result(
        Verdict.REFUTED, _exact("rational arithmetic"), Scope(spans=(Span("n", 2, 2),)),
        f"‖aBc‖ = {lhs} > ‖ac‖‖B‖ = {rhs}: the grouping drops B between a and c",
        counterexample=matrix_cex({"a": a, "B": B, "c": c}, f"‖aBc‖ = {lhs}",
                                  f"‖ac‖‖B‖ = {rhs}", "a c = 0, a B c = 1"),
        data=ONE_STRUCTURED,
    )


@_cached_instances
def grouping_instances(options: Options):
    out = []
    for n in _sizes(options):
        Bs = random_matrices(n, _count(options), seed=options.seed + 5)
        vs = random_matrices(2, len(Bs), seed=options.seed + 6, cols=n)
        for i, (B, (a, c)) in enumerate(zip(Bs, vs)):
            out.append(("random", f"random n={n} #{i}", ((a,), B, tuple((x,) for x in c))))
        e1 = tuple(F(int(k == 0)) for k in range(n))
        for name, B in structured_matrices(n):
            out.append(("structured", f"{name}, a = e1ᵀ, c = e1",
                        ((e1,), B, tuple((x,) for x in e1))))
        D = diag([F(3)] + [F(1)] * (n - 1))
        out.append(("structured", "aligned singular vectors (equality)",
                    ((e1,), D, tuple((x,) for x in e1))))
    n = min(2, options.n)

    def ratio(v):
        a, B, c = v[:n], v[n:n + n * n].reshape(n, n), v[n + n * n:]
        den = np.linalg.norm(a) * _norm2(B) * np.linalg.norm(c)
        return float(abs(a @ B @ c) / den) if den > 0 else 0.0

    for i, p in enumerate(adversarial_search(ratio, (2 * n + n * n,), seed=options.seed,
                                             iters=80 if options.quick else 250)):
        a, B, c = p[:n], p[n:n + n * n], p[n + n * n:]
        out.append(("adversarial", f"adversarial #{i}", (
            (tuple(a),), tuple(tuple(B[r * n:r * n + n]) for r in range(n)),
            tuple((x,) for x in c))))
    return out


@REGISTRY.claim(
    "blog.eq15.grouping.corrected", source="blog eq. 15", expect=Label.PROVED_FROM_LEMMAS,
    statement=("‖a B c‖ ≤ ‖a‖ ‖B‖ ‖c‖ with a = ∂E_t/∂x_t (row), B = ∂x_t/∂x_k, c = ∂⁺x_k/∂θ "
               "(column, θ a scalar parameter)"),
)
@from_lemmas
def check_grouping_corrected(options: Options) -> Result:
    """Squared and exact: ``(aBc)² ≤ ‖a‖²‖c‖² λ_max(BᵀB)`` — the left side and ``‖a‖²‖c‖²``
    are rationals, ``λ_max(BᵀB)`` is identified exactly, so equality is decided exactly."""

    def test(payload):
        a, B, c = payload
        lhs = matmul(matmul(a, B), c)[0][0] ** 2
        k = _vec_norm_sq(a[0]) * _vec_norm_sq([r[0] for r in c])
        lam = max_eigenvalue(matmul(transpose(B), B), dps=options.dps, exact=True)
        ok = compare(Enclosure.exact(lhs), lam * k).holds("<=")
        if ok is False:
            return False, matrix_cex({"a": a, "B": B, "c": c}, f"‖aBc‖² = {lhs}",
                                     f"‖a‖²‖B‖²‖c‖² = {lam * k}", "")
        return ok, "certified"

    return confirm(grouping_instances(options), test,
                   method=_certified("exact rationals + exact identification of λ_max(BᵀB)"),
                   scope=_scope(options, "θ a scalar parameter"), what="‖aBc‖ ≤ ‖a‖‖B‖‖c‖")


def _eq15_network():
    """The exact counterexample network of :func:`check_eq15_bound` (SymPy)."""
    th = sp.Symbol("theta")
    W = sp.Matrix([[0, sp.Rational(1, 2)], [th, 0]])
    x0 = sp.Matrix([1, 0])
    x1 = W * x0.applyfunc(sp.tanh)
    x2 = W * x1.applyfunc(sp.tanh)
    E2 = x2[0]
    grad = sp.diff(E2, th).subs(th, 0)
    # immediate partials c_k = ∂⁺x_k/∂θ (x_{k-1} held fixed) and a = ∂E_2/∂x_2 = [1, 0]
    c1 = sp.diff(W, th) * x0.applyfunc(sp.tanh)
    c2 = (sp.diff(W, th) * x1.applyfunc(sp.tanh)).subs(th, 0)
    a = sp.Matrix([[1, 0]])
    return grad, [settled((a * c)[0]) for c in (c1, c2)], W.subs(th, 0)


@REGISTRY.claim(
    "blog.eq15.bound", source="blog eq. 15", expect=Verdict.REFUTED,
    statement="‖∂E_t/∂θ‖ ≤ Σ_k (…) η^{t-k}, so terms with large t-k go to 0",
    reading="θ one entry of W_rec (a scalar); (…) = ‖∂E_t/∂x_t · ∂⁺x_k/∂θ‖, as eq. 15 groups it",
    authors_reading=False,
)
def check_eq15_bound(options: Options) -> Result:
    """``‖∂E_t/∂θ‖ ≤ Σ_k ‖∂E_t/∂x_t ∂⁺x_k/∂θ‖ η^{t−k}`` (eq. 15 as written): refuted by an
    exact tanh network (n = 2, t = 2, θ = W_rec[2][1] at 0, W_rec = [[0, 1/2], [0, 0]],
    x_0 = (1, 0), no input, E_t = x_t¹): every ``a c_k = 0`` so the right side is 0, while
    ``∂E_2/∂θ = tanh(1)/2 > 0`` (SymPy derivative of the composed network, sign certified
    with a ball). σ_max(W_rec) = 1/2 < 1, so η = 1/2 < 1 is a valid η."""
    grad, acs, W0 = _eq15_network()
    with ctx.workprec(prec_bits(options.dps)):
        g = arb(1).tanh() / 2
        exact_grad = vanishes(grad - sp.tanh(1) / 2)
        if not (exact_grad and all(v == 0 for v in acs) and g > 0):
            return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "SymPy + arb"),
                          Scope(spans=(Span("n", 2, 2), Span("t", 2, 2))),
                          f"expected gradient tanh(1)/2, got {grad}")
        enc = Enclosure.from_arb(g)
    cex = Counterexample(
        (("W_rec", "[[0, 1/2], [θ, 0]] at θ = 0"), ("x_0", "(1, 0)"), ("u, b", "0"),
         ("E_t", "x_t^1"), ("θ", "W_rec[2][1]"), ("t", "2")),
        lhs=f"‖∂E_2/∂θ‖ = tanh(1)/2 ∈ {enc}", rhs="Σ_k ‖∂E_2/∂x_2 ∂⁺x_k/∂θ‖ η^{2−k} = 0",
        location=Location(t=2, note="k = 1, 2: ∂E_2/∂x_2 ∂⁺x_k/∂θ = 0"),
        note="the dropped B = ∂x_2/∂x_1 carries it",
        data={"gradient": grad, "a_c": acs, "W": W0, "enclosure": enc},
    )
    return Result(Verdict.REFUTED, _exact("differentiation (SymPy) and a certified sign"),
                  Scope(spans=(Span("n", 2, 2), Span("t", 2, 2)), activations=("tanh",)),
                  "with (…) = ‖∂E_t/∂x_t · ∂⁺x_k/∂θ‖ as in the blog's eq. 15 the right side is "
                  "0 < left side tanh(1)/2 (the corrected grouping ‖a‖‖c_k‖ restores the bound)",
                  counterexample=cex, data=ONE_STRUCTURED)


@REGISTRY.claim(
    "blog.eq15.bound.corrected", source="blog eq. 15", expect=Label.PROVED_FROM_LEMMAS,
    statement=("‖∂E_t/∂θ‖ ≤ Σ_k ‖∂E_t/∂x_t‖ ‖∂⁺x_k/∂θ‖ η^{t-k} with η = γσ_max(W_rec) < 1, so "
               "each term with large t-k goes to 0"),
    reading="θ = one entry of W_rec; E_t = a·x_t",
)
@from_lemmas
def check_eq15_bound_corrected(options: Options) -> Result:
    """Forward-mode gradients of random tanh/sigmoid networks in balls (θ = each entry
    of W_rec, E_t = a·x_t with random a) against the corrected bound."""
    T = options.T
    bits = prec_bits(options.dps)
    insts = []
    for act, gamma in GAMMA.items():
        for n in _sizes(options):
            # a zero W attains the bound exactly (only the k = t term is left, on both
            # sides): a tie no enclosure decides, so such draws are passed over
            count = 2 if options.quick else 3
            drawn = [W for W in random_matrices(n, count + 8, seed=options.seed + 9)
                     if any(x != 0 for row in W for x in row)][:count]
            for i, W in enumerate(drawn):
                insts.append(("random", f"{act} n={n} #{i}", (act, W, gamma, i)))
            insts.append(("structured", f"{act} n={n} orthogonal·(1/γ)(1-1e-6)", (
                act, scale(structured_matrices(n)[4][1], (1 - F(1, 10**6)) / gamma), gamma,
                99)))

    def test(payload):
        act, W, gamma, i = payload
        n = len(W)
        if i != 99:
            W, _ = _scaled_below(W, 1 / gamma, options.dps)
        eta = spectral_norm(W, dps=options.dps).hi * gamma
        vs = random_matrices(T + 2, 1, seed=options.seed + i, cols=n)[0]
        x0, a, drives = vs[0], vs[1], [tuple(x / 4 for x in r) for r in vs[2:]]
        with ctx.workprec(bits):
            every = Network(W, act).all_gradients(x0, drives)  # one pass, all n² entries
            for p in range(n):
                for q in range(n):
                    grads, cs, xs, ds = every.entry(p, q)
                    av = arb_mat([list(map(to_arb, a))])
                    lhs = Enclosure.from_arb(abs((av * grads[T])[0, 0]))
                    na = sum((to_arb(x) * to_arb(x) for x in a), arb(0)).sqrt()
                    rhs = arb(0)
                    for k in range(1, T + 1):
                        nc = sum((cs[k][r, 0] * cs[k][r, 0] for r in range(n)),
                                 arb(0)).sqrt()
                        rhs += na * nc * to_arb(eta) ** (T - k)
                    ok = compare(lhs, Enclosure.from_arb(rhs)).holds("<=")
                    if ok is False:
                        return False, matrix_cex({"W": W}, lhs, rhs, Location(t=T, entry=(p, q),
                                                                             note="θ = W_rec entry"))
                    if ok is None:
                        return None, f"θ = W[{p}][{q}] undecided"
        return True, "certified"

    return confirm(insts, test, method=_certified("forward-mode gradient in python-flint balls"),
                   scope=replace(_scope(options, "every θ = W_rec entry", TANH_SIGMOID),
                                 spans=_scope(options).spans + (Span("t", T, T),)),
                   what="‖∂E_t/∂θ‖ ≤ Σ_k ‖a‖‖c_k‖η^{t−k}")


# ---------------------------------------------------------------- paper: γ, eq. 6, eq. 7
@REGISTRY.claim(
    "paper.gamma", source="paper section 2.1", expect=Verdict.PROVED,
    statement="γ = 1 for tanh and γ = 1/4 for sigmoid bound ‖diag(σ')‖, and both are sharp",
)
def check_gamma(options: Options) -> Result:
    """Exact algebra (SymPy): ``tanh' = 1 − tanh²`` so ``1 − tanh'(x) = tanh(x)² ≥ 0`` with
    equality at x = 0; ``sigmoid' = s(1 − s)`` so ``1/4 − sigmoid'(x) = (s − 1/2)² ≥ 0`` with
    equality at x = 0; and ``‖diag(v)‖₂ = max|v_i|``. Hence γ = 1 and 1/4 bound
    ‖diag(σ')‖ and are attained (sharp), for every n."""
    x = sp.Symbol("x", real=True)
    t = sp.tanh(x)
    s = 1 / (1 + sp.exp(-x))
    dt, ds = sp.diff(t, x), sp.diff(s, x)
    ok_t = vanishes(dt - (1 - t**2)) and sp.expand((1 - (1 - t**2)) - t**2) == 0
    ok_t = ok_t and dt.subs(x, 0) == 1
    ok_s = vanishes(ds - s * (1 - s))
    y = sp.Symbol("y")
    ok_s = ok_s and sp.expand(sp.Rational(1, 4) - y * (1 - y) - (y - sp.Rational(1, 2))**2) == 0
    ok_s = ok_s and settled(ds.subs(x, 0)) == sp.Rational(1, 4)
    # ‖diag(v)‖ = max|v_i|: exact on a sample (diagonal Gram matrix)
    ok_d = spectral_norm(diag([F(1, 4), F(-1, 3), F(1, 5)]), exact=True) == Enclosure.exact(
        F(1, 3))
    if ok_t and ok_s and ok_d:
        return Result(
            Verdict.PROVED, _exact("algebra (SymPy)"),
            Scope(spans=(Span("n", 1, None),), activations=TANH_SIGMOID, note="every real x"),
            "1 − tanh' = tanh² ≥ 0 (= 0 at x = 0); 1/4 − sigmoid' = (s − 1/2)² ≥ 0 "
            "(= 0 at x = 0); ‖diag(σ')‖₂ = max|σ'| — so γ = 1 (tanh), 1/4 (sigmoid), attained",
            data={"counts": {"random": 0, "structured": 2, "adversarial": 0}},
        )
    return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "SymPy"), Scope(activations=TANH_SIGMOID),
                  "an identity did not simplify")


@REGISTRY.claim(
    "paper.eq6", source="paper eq. 6", expect=Verdict.REFUTED,
    statement="‖∂x_{k+1}/∂x_k‖ ≤ ‖W_rec^T‖ ‖diag(σ'(x_k))‖ < (1/γ)γ < 1 as printed",
    reading="as printed: the chain ends '(1/γ)γ < 1'",
)
def check_eq6(options: Options) -> Result:
    """As printed the chain ends with ``(1/γ)γ < 1``, i.e. ``1 < 1`` — false for every γ > 0
    (exact: SymPy simplifies (1/γ)γ to 1)."""
    g = sp.Symbol("gamma", positive=True)
    value = settled((1 / g) * g)
    if value != 1:  # pragma: no cover
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "SymPy"), Scope(note="every γ > 0"),
                      f"(1/γ)γ = {value}")
    cex = Counterexample(
        (("γ", "1 (tanh)"),), lhs="(1/γ)·γ = 1", rhs="1", relation="<",
        location=Location(note="last link '(1/γ)γ < 1'"),
        note="the strict inequality fails: (1/γ)·γ = 1 for every γ > 0; the chain should end "
             "'< (1/γ)γ = 1'",
        data={"gamma": F(1), "value": F(1)},
    )
    return Result(Verdict.REFUTED, _exact("SymPy simplification"), Scope(note="every γ > 0"),
                  "the strict inequality fails: the last link (1/γ)γ < 1 reads 1 < 1, since "
                  "(1/γ)·γ = 1 for every γ > 0", counterexample=cex, data=ONE_STRUCTURED)


def eq6_test(options: Options, transpose_w: bool):
    def test(payload):
        act, W, d = payload
        gamma = GAMMA[act]
        if not norm_holds(W, 1 / gamma, "<", options.dps)[0]:
            return None, "λ_1 < 1/γ not certified"
        Wt = transpose(W)
        J = matmul(Wt if transpose_w else W, diag(d))
        Wd = scale(Wt, max(d))  # ‖Wᵀ‖‖D‖ = ‖max(d)·Wᵀ‖
        a, lhs, mid = norm_holds(J, Wd, "<=", options.dps)
        b = norm_holds(Wd, 1, "<", options.dps)[0]
        if a is False or b is False:
            return False, matrix_cex({"W": W, "D": diag(d)}, lhs, mid, "chain of eq. 6")
        return (True, "certified") if a and b else (None, "undecided link")

    return test


@REGISTRY.claim(
    "paper.eq6.corrected", source="paper eq. 6", expect=Label.PROVED_FROM_LEMMAS,
    statement=("‖∂x_{k+1}/∂x_k‖ ≤ ‖W_rec^T‖ ‖diag(σ'(x_k))‖ < (1/γ)γ = 1 when λ_1 < 1/γ (for "
               "the true Jacobian W_rec diag(σ') and the printed W_rec^T diag(σ'))"),
)
@from_lemmas
def check_eq6_corrected(options: Options) -> Result:
    """Both Jacobians (true ``W D`` and printed ``WᵀD``): certified chain on instances."""
    insts = step_instances(options, strict_d=False)
    method = _certified("norms")
    r1 = confirm(insts, eq6_test(options, False), method=method,
                 scope=_scope(options, "J = W_rec D", TANH_SIGMOID), what="eq. 6 chain (J = W D)")
    r2 = confirm(insts, eq6_test(options, True), method=method,
                 scope=_scope(options, "J = W_recᵀ D", TANH_SIGMOID), what="eq. 6 chain (J = WᵀD)")
    res = Result.combine([r1, r2], method=method,
                         scope=replace(_scope(options, "J = W_rec D and J = W_recᵀ D", TANH_SIGMOID),
                                       checked=(r1.scope.checked or 0) + (r2.scope.checked or 0)),
                         evidence=r1.evidence + "; " + r2.evidence)
    if r1.data and r2.data and "counts" in r1.data and "counts" in r2.data:
        counts = {k: r1.data["counts"][k] + r2.data["counts"][k] for k in r1.data["counts"]}
        return Result(res.verdict, res.method, res.scope, res.evidence, res.counterexample,
                      res.details, data={"counts": counts})
    return res


@REGISTRY.claim(
    "paper.eq7", source="paper eq. 7", expect=Label.PROVED_FROM_LEMMAS,
    statement="‖∂E_t/∂x_t (∏_{i=k}^{t-1} ∂x_{i+1}/∂x_i)‖ ≤ η^{t-k} ‖∂E_t/∂x_t‖",
)
@from_lemmas
def check_eq7(options: Options) -> Result:
    """``‖a ∏ J‖ ≤ η^{t−k}‖a‖`` on ball-arithmetic products of random tanh/sigmoid networks
    with ``η = γ σ_max(W) < 1`` (certified), t − k = 1..T."""
    T = options.T
    bits = prec_bits(options.dps)
    insts = []
    for act, gamma in GAMMA.items():
        for n in _sizes(options):
            for i, W in enumerate(random_matrices(n, 2 if options.quick else 4,
                                                  seed=options.seed + 11)):
                insts.append(("random", f"{act} n={n} #{i}", (act, gamma, W, i)))
            Q = structured_matrices(n)[4][1]
            insts.append(("structured", f"{act} n={n} orthogonal·(1/γ)(1-1e-6)",
                          (act, gamma, scale(Q, (1 - F(1, 10**6)) / gamma), -1)))

    def test(payload):
        act, gamma, W, i = payload
        n = len(W)
        if i >= 0:
            W, _ = _scaled_below(W, 1 / gamma, options.dps)
        eta = spectral_norm(W, dps=options.dps).hi * gamma
        vs = random_matrices(T + 2, 1, seed=options.seed + 13 + i, cols=n)[0]
        x0, a, drives = vs[0], vs[1], [tuple(x / 4 for x in r) for r in vs[2:]]
        with ctx.workprec(bits):
            net = Network(W, act)
            _, ds = net.run(x0, drives)
            av = arb_mat([list(map(to_arb, a))])
            na = Enclosure.from_arb(sum((to_arb(x) * to_arb(x) for x in a), arb(0)).sqrt())
            for k in range(0, T):
                P = jacobian_product(net.W, ds, T, k)
                lhs = ball_norm(av * P, options.dps)
                rhs = na * Enclosure.exact(eta ** (T - k))
                ok = compare(lhs, rhs).holds("<=")
                if ok is not True:
                    return ok, matrix_cex({"W": W}, lhs, rhs, Location(t=T, k=k))
        return True, "certified"

    return confirm(insts, test, method=_certified("python-flint ball products, certified norms"),
                   scope=replace(_scope(options, activations=TANH_SIGMOID),
                                 spans=_scope(options).spans + (Span("t", T, T), Span("k", 0, T - 1))),
                   what="‖∂E_t/∂x_t ∏ J‖ ≤ η^{t−k}‖∂E_t/∂x_t‖")


__all__ = [
    "check_submult", "check_submult_corrected", "check_step", "check_eta",
    "check_eta_pointwise", "check_grouping", "check_grouping_corrected",
    "check_eq15_bound", "check_eq15_bound_corrected", "check_gamma", "check_eq6",
    "check_eq6_corrected", "check_eq7", "submult_instances", "submult_test",
    "step_instances",
]
