"""Vanishing/exploding conditions: computed verdicts, counterexamples re-checked with balls."""
from fractions import Fraction

import pytest

from flint import arb, arb_mat, ctx

from rnnclaims.numeric import REGISTRY
from numeric.decay import ball_norm
from numeric.matrices import matpow
from rnncore.registry import Options
from rnncore.results import Verdict
from tests.rnnclaims.proved_parts import instance_part

OPTS = [Options(), Options.quick_sizes()]


@pytest.mark.parametrize("cid", ["blog.vanishing", "paper.arxiv.eigenvalue.corrected",
                                 "paper.exploding", "blog.exploding.corrected",
                                 "paper.linear.vanishing", "paper.linear.exploding.corrected",
                                 "paper.linear.exploding.exponential"])
@pytest.mark.parametrize("options", OPTS)
def test_true_conditions_proved_and_confirmed(cid, options):
    # Verifies: blog.vanishing, paper.exploding, paper.linear.*
    r = instance_part(REGISTRY.run(cid, options))
    assert sum(r.data["counts"].values()) > 0


def test_blog_exploding_refuted_by_explosion_with_D_equal_gamma():
    # Verifies: blog.exploding
    r = REGISTRY.run("blog.exploding", Options())
    assert r.verdict.value == "refuted"
    W = r.counterexample.data["W"]
    for t in (3, 20):
        P = matpow(W, t)   # x_t = 0 keeps D = I, so ∂x_t/∂x_0 = W^t
        assert P[0][0] == P[1][1] == 2**t and P[0][1] == 0


def test_sufficient_reading_refuted_by_vanishing_above_threshold():
    # Verifies: blog.exploding.sufficient — iterate the network itself in balls
    r = REGISTRY.run("blog.exploding.sufficient", Options())
    assert r.verdict.value == "refuted"
    with ctx.workprec(300):
        x, g = arb(2), arb(1)
        for _ in range(100):
            g *= 2 * (1 - x.tanh() * x.tanh())
            x = 2 * x.tanh()
        assert abs(g) < arb(4) ** -100


def test_linear_exploding_refuted_by_jordan_block():
    # Verifies: paper.linear.exploding
    r = REGISTRY.run("paper.linear.exploding", Options())
    assert r.verdict.value == "refuted"
    W = r.counterexample.data["W"]
    assert matpow(W, 1000)[0][1] == 1000    # ‖W^k‖ ≥ k, with ρ = 1


def test_eigenvalue_in_place_of_singular_value_refuted():
    # Verifies: paper.arxiv.eigenvalue — the network run in balls explodes
    r = REGISTRY.run("paper.arxiv.eigenvalue", Options())
    assert r.verdict.value == "refuted"
    with ctx.workprec(400):
        W = arb_mat([[2, 2], [-2, -2]])
        t2 = arb(2).tanh()
        b = [-2 * t2, 2 + 2 * t2]
        x = [arb(0), arb(2)]
        P = arb_mat([[1, 0], [0, 1]])
        for _ in range(60):
            t0, t1 = x[0].tanh(), x[1].tanh()
            D = arb_mat([[1 - t0 * t0, 0], [0, 1 - t1 * t1]])
            P = W * D * P
            s = W * arb_mat([[x[0].tanh()], [x[1].tanh()]])
            x = [s[0, 0] + b[0], s[1, 0] + b[1]]
        assert (W * W) == arb_mat(2, 2)                       # ρ(W) = 0
        assert ball_norm(P, 30).lo > Fraction(10) ** 15     # exploded


def test_the_arxiv_checks_are_exact_zero_tests_that_reject_a_wrong_identity():
    # the four checks of the counterexample expand to 0; a wrong trace or a perturbed
    # fixed point does not (SymPy simplification agrees on each)
    import sympy as sp
    from rnnclaims.numeric.conditions import _vanishes, arxiv_counterexample
    checks, tr = arxiv_counterexample()
    assert all(checks.values()) and tr.lo > 1
    t2 = sp.tanh(2)
    J = sp.Matrix([[2, 2 - 2 * t2**2], [-2, -2 + 2 * t2**2]])
    assert _vanishes(J * J - J.trace() * J)
    for wrong in (sp.Matrix([J.trace() - 3 * t2**2]), J * J - 2 * J, sp.Matrix([t2 - 1])):
        assert not _vanishes(wrong) and sp.simplify(wrong) != sp.zeros(*wrong.shape)


# A seed `verify` drew that made x_0 start with a zero entry: the step-1 bound was then
# attained exactly (W a multiple of an orthogonal matrix, σ′(0) = γ), and the certified
# enclosures left four claims undecided at the quick sizes.
@pytest.mark.parametrize("claim", ["blog.vanishing", "paper.exploding"])
def test_decay_claims_decided_at_a_seed_that_drew_a_zero_start(claim):
    # Verifies: blog, vanishing gradients; paper section 2.1
    result = REGISTRY.run(claim, Options.quick_sizes(seed=7321594033187051628))
    assert result.verdict is Verdict.PROVED, result.evidence


def test_the_powers_normed_on_demand_are_those_of_the_full_run():
    from rnncore.registry import Options
    from rnnclaims.numeric.conditions import _power_norms, _powers, _radius_below_one
    for _, _, W in _radius_below_one(Options.quick_sizes(seed=7)):
        full = _powers(W, 50)
        assert [(K, str(e)) for K, e in _powers(W, 50, only=(1024, 4096))] == \
            [(K, str(e)) for K, e in full if K in (1024, 4096)]
        # the decay test stops at the first power below 1: the same one the full list has
        first = next((K for K, e in full if e.hi < 1), None)
        lazily = next((K for K, e in _power_norms(W, 50) if e.hi < 1), None)
        assert first == lazily
