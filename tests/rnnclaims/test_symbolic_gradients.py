"""Tests of rnnclaims/symbolic/gradients.py: every gradient claim computes its verdict; the
refutations carry counterexamples that re-check by substitution."""
import pytest
import sympy as sp

from derive.backprop import eq9, eq11
from rnnclaims.symbolic import REGISTRY
from rnnclaims.symbolic.gradients import (
    _composed_cases,
    _local_cases,
    composed_nets,
    composed_sizes,
    decide,
    form_b_from_a,
)
from derive.gradients import loss_gradient
from derive.network import RNN
from derive.prove import substitute
from rnncore.registry import Options

QUICK = Options.quick_sizes()

PROVED = ["blog.eq2", "blog.eq4", "blog.eq5", "blog.eq7", "blog.eq8", "blog.eq9", "blog.eq11",
          "paper.eq4", "paper.eq4.row", "paper.eq4.row.formB", "paper.eq2.footnote"]
REFUTED = ["blog.eq7.total-derivative", "blog.eq9.total-derivative", "blog.eq11.total-derivative"]


# Verifies: blog.eq2, blog.eq4, blog.eq5, blog.eq7, blog.eq8, blog.eq9, blog.eq11, paper.eq4,
# paper.eq4.row, paper.eq2.footnote
@pytest.mark.parametrize("claim_id", PROVED)
def test_true_claims_are_proved_with_scope(claim_id):
    r = REGISTRY.run(claim_id, QUICK)
    assert r.verdict.value == "proved", r
    assert r.scope and r.evidence
    assert "identit" in r.evidence  # something was actually proved, and counted


@pytest.mark.parametrize("claim_id", ["blog.eq5", "blog.eq7", "blog.eq9", "blog.eq11", "paper.eq4"])
def test_all_T_scope_is_backed_by_the_local_proofs(claim_id):
    r = REGISTRY.run(claim_id, QUICK)
    assert r.scope.startswith("all T (induction on t")
    assert any("generic" in d.evidence and "previous state" in d.evidence or "generic state" in d.evidence
               for d in r.details)


# Verifies: blog.eq9 (∂x_k/∂g read as the total derivative double counts)
@pytest.mark.parametrize("claim_id", REFUTED)
def test_total_derivative_readings_are_refuted_and_recheck(claim_id):
    r = REGISTRY.run(claim_id, QUICK)
    assert r.verdict.value == "refuted"
    cex = r.counterexample
    assert cex.data["case"].startswith("n=1, m=1, generic, form A, t=2")
    assert cex.lhs != cex.rhs
    # re-check: rebuild both sides of the reported case and substitute the point
    theta = cex.data["case"].split("θ=")[1]
    net = RNN(1, 1, 2)
    if claim_id.startswith("blog.eq7"):
        from derive.backprop import eq7
        from derive.gradients import state_gradient
        lhs, rhs = state_gradient(net, 2, theta), eq7(net, 2, theta, partial="total")
    else:
        build = eq9 if "eq9" in claim_id else eq11
        lhs, rhs = loss_gradient(net, "generic", 2, theta), build(net, "generic", 2, theta, partial="total")
    i, j = cex.data["entry"]
    vl, vr = substitute(sp.Matrix(lhs)[i, j], cex.data), substitute(sp.Matrix(rhs)[i, j], cex.data)
    assert vl.is_Rational and vr.is_Rational and vl != vr
    assert (str(vl), str(vr)) == (cex.lhs, cex.rhs)


# Verifies: blog.eq11 (a sum ending at t − 1 is rejected by the claim machinery)
def test_decide_locates_a_wrong_sum_and_the_point_rechecks():
    r = decide(_composed_cases(QUICK, lambda net, loss, t, th: eq11(net, loss, t, th, stop=t - 1)),
               method="m", scope="s", what="stop at t-1")
    assert r.verdict.value == "refuted"
    data = r.counterexample.data
    where = data["case"]
    assert "t=1" in where  # the first case already misses its only term
    spec = dict(part.split("=") for part in where.split(", ") if "=" in part)
    net = RNN(int(spec["n"]), int(spec["m"]), composed_sizes(QUICK)[2], "generic", "A")
    t, theta, loss = int(spec["t"]), spec["θ"], spec["loss"]
    lhs = sp.Matrix(loss_gradient(net, loss, t, theta))[data["entry"]]
    rhs = sp.Matrix(eq11(net, loss, t, theta, stop=t - 1))[data["entry"]]
    assert substitute(lhs, data) != substitute(rhs, data)


def test_decide_accepts_a_sum_from_zero():
    # the k = 0 term holds ∂⁺x_0/∂θ = 0 (x_0 does not depend on θ)
    r = decide(_composed_cases(QUICK, lambda net, loss, t, th: eq9(net, loss, t, th, start=0)),
               method="m", scope="s", what="start at 0")
    assert r.verdict.value == "proved"


def test_local_cases_cover_every_size_and_form():
    labels = [where for where, _, _ in _local_cases(Options(n=2, m=2), "eq7")]
    assert any(label.startswith("n=1, m=2, generic, form B") for label in labels)
    assert any(label.startswith("n=2, m=2, relu, form A") for label in labels)
    assert not any(label.startswith("n=1, m=1, tanh") for label in labels)  # generic σ covers it


def test_composed_networks():
    assert composed_sizes(Options()) == (2, 1, 3)
    nets = composed_nets(Options())
    assert {net.activation for net in nets} == {"generic", "tanh", "sigmoid", "relu"}
    assert {net.activation for net in composed_nets(QUICK)} == {"generic"}


# Verifies: paper.eq2.footnote (the redefinition E_t := E_t(σ(x_t)) is needed)
def test_footnote_needs_the_redefined_loss():
    from derive.loss import loss
    from derive.prove import prove_equal
    net = RNN(1, 1, 2)
    h2 = form_b_from_a(net, 2)
    assert prove_equal(h2, net.sigma(net.state(2))).verdict.value == "proved"
    v = list(net.W_rec)
    without = sp.Matrix([[loss("generic").at(net.state(2), 2)]]).jacobian(v)
    form_b = sp.Matrix([[loss("generic").at(h2, 2)]]).jacobian(v)
    assert prove_equal(without, form_b).verdict.value == "refuted"


@pytest.mark.slow
@pytest.mark.parametrize("claim_id", PROVED + REFUTED)
def test_claims_at_default_sizes(claim_id):
    r = REGISTRY.run(claim_id, Options())
    assert r.verdict.value == ("refuted" if claim_id in REFUTED else "proved")


def test_decide_reports_the_failing_case_and_entry():
    a, b = sp.symbols("a b")
    good = ("first", sp.Matrix([[a, b]]), sp.Matrix([[a, b]]))
    bad = ("second", sp.Matrix([[a, 0], [b, a]]), sp.Matrix([[a, 0], [2 * b, a]]))
    r = decide([good, bad], method="m", scope="s", what="w", group=lambda where: 0)
    assert r.verdict.value == "refuted"
    assert r.counterexample.data["case"] == "second"
    assert r.counterexample.data["entry"] == (1, 0)
    assert substitute(b, r.counterexample.data) != substitute(2 * b, r.counterexample.data)
    ok = decide([good, good], method="m", scope="s", what="w")
    assert ok.verdict.value == "proved" and "2 identities" in ok.evidence


def test_large_options_are_capped_and_the_scope_says_so():
    from rnnclaims.symbolic.gradients import MAX_M, MAX_N, capped
    big = Options(n=8, m=4, T=3, quick=True)
    assert (capped(big).n, capped(big).m) == (MAX_N, MAX_M)
    r = REGISTRY.run("paper.eq4.row", big)
    assert r.verdict.value == "proved"
    assert f"n <= {MAX_N}, m <= {MAX_M}" in r.scope and "n <= 8" not in r.scope
