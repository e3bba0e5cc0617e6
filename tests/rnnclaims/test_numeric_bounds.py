"""Eqs. 14–15 and paper eqs. 6–7, γ: verdicts computed; counterexamples re-checked
independently (SymPy exact, or balls); wrong variants refuted."""
from fractions import Fraction

import pytest
import sympy as sp
from flint import arb, arb_mat, ctx

from numeric.checks import CERTIFIED, confirm
from rnncore.results import Scope, Verdict
from rnnclaims.numeric import REGISTRY
from rnnclaims.numeric.bounds import submult_instances, submult_test
from numeric.rnn import Network
from rnncore.registry import Options

OPTS = [Options(), Options.quick_sizes()]


def _sympy_norm(M):
    M = sp.Matrix(M)
    return sp.sqrt(max((M.T * M).eigenvals()))


@pytest.mark.parametrize("options", OPTS)
def test_strict_submult_is_refuted_by_an_equality(options):
    # Verifies: blog.eq14.submult
    r = REGISTRY.run("blog.eq14.submult", options)
    assert r.verdict.value == "refuted"
    W, D = r.counterexample.data["W"], r.counterexample.data["D"]
    # independent: SymPy exact norms are equal, so '<' fails
    lhs = _sympy_norm(sp.Matrix(W) * sp.Matrix(D))
    rhs = _sympy_norm(W) * _sympy_norm(D)
    assert sp.simplify(lhs - rhs) == 0


@pytest.mark.parametrize("options", OPTS)
def test_submult_corrected_confirmed(options):
    # Verifies: blog.eq14.submult.corrected
    r = instance_part(REGISTRY.run("blog.eq14.submult.corrected", options))
    assert all(r.data["counts"][k] > 0 for k in ("random", "structured", "adversarial"))


def test_reversed_submult_is_refuted():
    # Verifies: blog.eq14.submult (wrong variant ‖WD‖ ≥ ‖W‖‖D‖ is rejected)
    r = confirm(submult_instances(Options()), submult_test(">=", 50), method=CERTIFIED,
                scope=Scope(), what="‖WD‖ ≥ ‖W‖‖D‖")
    assert r.verdict.value == "refuted"
    W, D = r.counterexample.data["W"], r.counterexample.data["D"]
    lhs = _sympy_norm(sp.Matrix(W) * sp.Matrix(D))
    rhs = _sympy_norm(W) * _sympy_norm(D)
    assert sp.N(rhs - lhs, 40) > 0


@pytest.mark.parametrize("cid", ["blog.eq14.step", "blog.eq14.eta", "paper.eq6.corrected",
                                 "paper.eq7", "blog.eq15.grouping.corrected",
                                 "blog.eq15.bound.corrected"])
@pytest.mark.parametrize("options", OPTS)
def test_true_bounds_proved_and_confirmed(cid, options):
    # Verifies: blog.eq14.step, blog.eq14.eta, paper.eq6, paper.eq7, blog.eq15
    instance_part(REGISTRY.run(cid, options))


def test_eta_pointwise_reading_refuted():
    # Verifies: blog.eq14.eta (reading: pointwise < 1 is not enough)
    r = REGISTRY.run("blog.eq14.eta.pointwise", Options())
    assert r.verdict.value == "refuted"
    x = sp.Symbol("x")
    for j in (1, 5, 100):
        xj = sp.atanh(1 / sp.sqrt(j + 1))
        d = sp.N((1 - sp.tanh(x) ** 2).subs(x, xj), 40)
        assert abs(d - sp.Rational(j, j + 1)) < 1e-35
        assert r.counterexample.data["norm_of_J"](j) == Fraction(j, j + 1) < 1


def test_grouping_refuted_exactly():
    # Verifies: blog.eq15.grouping
    r = REGISTRY.run("blog.eq15.grouping", Options())
    assert r.verdict.value == "refuted"
    a, B, c = (sp.Matrix(r.counterexample.data[k]) for k in "aBc")
    assert (a * c)[0] == 0 and (a * B * c)[0] == 1


def test_eq15_bound_refuted_and_rechecked_with_balls():
    # Verifies: blog.eq15.bound — recomputed by forward-mode in balls (not SymPy)
    r = REGISTRY.run("blog.eq15.bound", Options())
    assert r.verdict.value == "refuted"
    with ctx.workprec(200):
        net = Network([[0, "1/2"], [0, 0]], "tanh")
        grads, cs, _, _ = net.gradient([1, 0], [[0, 0], [0, 0]], p=1, q=0)
        a = arb_mat([[1, 0]])
        assert all((a * c)[0, 0] == 0 for c in cs)          # right side of eq. 15 is 0
        g = (a * grads[2])[0, 0]
        assert g > 0 and g.overlaps(arb(1).tanh() / 2)      # left side tanh(1)/2 > 0


def test_gamma_proved():
    # Verifies: paper.gamma
    r = REGISTRY.run("paper.gamma", Options())
    assert r.verdict.value == "proved"
    x = sp.Symbol("x", real=True)
    assert sp.diff(sp.tanh(x), x).subs(x, 0) == 1


def test_eq6_as_printed_refuted():
    # Verifies: paper.eq6
    r = REGISTRY.run("paper.eq6", Options())
    assert r.verdict.value == "refuted"
    g = r.counterexample.data["gamma"]
    assert not ((1 / g) * g < 1)


def test_non_strict_hypotheses_of_eq14_step_fail():
    # Verifies: blog.eq14.step (wrong variant: ‖D‖ ≤ γ and σ_max(W) ≤ 1/γ do not give < 1)
    from numeric.enclosure import compare
    from numeric.linalg import spectral_norm
    from numeric.matrices import diag, identity, matmul

    W, D = identity(2), diag([1, 1])            # tanh at x = 0: D = I, γ = 1, σ_max(W) = 1
    assert compare(spectral_norm(W, exact=True), 1).equal
    assert compare(spectral_norm(matmul(W, D), exact=True), 1).holds("<") is False


def test_sufficient_condition_with_too_large_norm_is_rejected_by_the_step_check():
    # Verifies: blog.eq14.step (the check never certifies '< 1' when it is false)
    from numeric.linalg import spectral_norm
    from numeric.matrices import diag, matmul

    W = ((Fraction(3, 2), Fraction(0)), (Fraction(0), Fraction(1, 2)))   # σ_max = 3/2 > 1/γ
    J = spectral_norm(matmul(W, diag(["9/10", "9/10"])), exact=True)
    assert J.lo == Fraction(27, 20) > 1


# --- hypothesis: adversarial search in the tests ----------------------------------------
from hypothesis import example, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from numeric.checks import norm_holds  # noqa: E402
from rnnclaims.numeric.bounds import _scaled_below  # noqa: E402
from numeric.matrices import as_exact, diag, matmul  # noqa: E402
from tests.strategies import rational_matrices  # noqa: E402
from tests.rnnclaims.proved_parts import instance_part


@given(rational_matrices(min_side=2, max_side=3, square=True),
       st.lists(st.integers(1, 99), min_size=3, max_size=3),
       st.sampled_from(["tanh", "sigmoid"]))
@example([["4/4", "0/4"], ["0/4", "4/4"]], [99, 99, 99], "tanh")   # W ≈ (1/γ)I, D ≈ γI
def test_eq14_step_property(W, ds, act):
    # Verifies: blog.eq14.step (hypothesis: ‖D‖ < γ, σ_max(W) < 1/γ ⇒ ‖WD‖ < 1)
    gamma = Fraction(1) if act == "tanh" else Fraction(1, 4)
    Ws, _ = _scaled_below(as_exact(W), 1 / gamma, 50)
    d = [gamma * Fraction(k, 100) for k in ds[:len(Ws)]]
    assert norm_holds(Ws, 1 / gamma, "<", 50)[0] is True
    assert norm_holds(matmul(Ws, diag(d)), 1, "<", 50)[0] is True


@given(rational_matrices(min_side=2, max_side=3, square=True), st.data())
@example([["1/4", "0/4"], ["0/4", "-3/4"]], None)
def test_eq15_grouping_corrected_property(B, data):
    # Verifies: blog.eq15.grouping.corrected (‖aBc‖ ≤ ‖a‖‖B‖‖c‖), exact decision
    from rnnclaims.numeric.bounds import check_grouping_corrected  # noqa: F401
    from numeric.enclosure import Enclosure, compare
    from numeric.linalg import max_eigenvalue
    from numeric.matrices import transpose

    n = len(B)
    vec = st.lists(st.integers(-8, 8), min_size=n, max_size=n)
    a = data.draw(vec) if data is not None else [1] * n
    c = data.draw(vec) if data is not None else [1] * n
    Bq = as_exact(B)
    lhs = sum(a[i] * Bq[i][j] * c[j] for i in range(n) for j in range(n)) ** 2
    k = sum(x * x for x in a) * sum(x * x for x in c)
    lam = max_eigenvalue(matmul(transpose(Bq), Bq), exact=True)
    assert compare(Enclosure.exact(lhs), lam * k).holds("<=") is True


def test_instance_caches_return_what_a_fresh_build_returns():
    # the instance builders keep their lists per options; a cached list is the list a
    # fresh build gives, and a caller's change to it never reaches the next caller
    from rnnclaims.numeric.bounds import grouping_instances, step_instances
    opts = Options.quick_sizes()
    for build, kw in ((submult_instances, {}), (step_instances, {"strict_d": False}),
                      (grouping_instances, {})):
        first = build(opts, **kw)
        first.clear()
        cached = build(opts, **kw)
        build.cache_clear()
        assert cached == build(opts, **kw) and len(cached) > 0


def test_spectral_norm_cache_gives_the_uncached_enclosures():
    from numeric.linalg import _exact_norm, _norm_enclosure, spectral_norm
    F = Fraction
    Ws = [((F(1), F(2)), (F(3), F(4))), ((F(3), F(4)), (F(0), F(0))), ((F(1), F(1)), (F(0), F(1)))]
    before = [(spectral_norm(W), spectral_norm(W, exact=True)) for W in Ws]
    _norm_enclosure.cache_clear()
    _exact_norm.cache_clear()
    assert before == [(spectral_norm(W), spectral_norm(W, exact=True)) for W in Ws]
    assert str(before[1][1]) == "5" and before[2][1].algebraic is not None


# Seeds `verify` drew whose random W at n = 1 was 0: the corrected eq. 15 bound is then
# attained exactly, and the enclosures left the claim undecided at the quick sizes.
@pytest.mark.parametrize("seed", [3595351650018309042, 7018504109141657769])
def test_eq15_bound_corrected_decided_at_seeds_that_drew_a_zero_W(seed):
    # Verifies: blog eq. 15
    result = REGISTRY.run("blog.eq15.bound.corrected", Options.quick_sizes(seed=seed))
    assert result.verdict is Verdict.PROVED, result.evidence


def test_the_direct_singular_value_kernel_gives_the_instances_of_the_wrapper(monkeypatch):
    import numpy as np

    import rnnclaims.numeric.bounds as b
    from rnnclaims.numeric.bounds import grouping_instances, step_instances
    builders = (submult_instances, step_instances, grouping_instances)

    def build():
        for f in builders:
            f.cache_clear()
        b._step_search.cache_clear()
        return [f(Options.quick_sizes(seed=7)) for f in builders]
    fast = build()
    monkeypatch.setattr(b, "_norm2", lambda M: np.linalg.svd(M, compute_uv=False)[0])
    assert build() == fast
    for f in builders:
        f.cache_clear()
    b._step_search.cache_clear()
    rng = np.random.default_rng(3)
    for shape in ((1, 1), (2, 2), (3, 3), (2, 3)):
        for _ in range(50):
            M = rng.normal(size=shape)
            assert b._SVD is None or b._norm2(M) == np.linalg.svd(M, compute_uv=False)[0]
