"""The gradient claims on the forward route: the same cases, the same verdicts, and the
same counts as on the SymPy reference route; wrong candidates still refuted; the memoised
parts are the parts.

# Verifies: blog eq. 4, blog eq. 5, blog eq. 7, blog eq. 11, paper footnote 1
"""
import pytest
import sympy as sp

from derive import gradients as G
from derive.backprop import eq7, eq11
from derive.induction import checked_induction
from derive.network import RNN
from derive.prove import Canonicalizer
from rnncore.registry import Options
from rnncore.results import Scope, Verdict
from rnnclaims.symbolic import gradients as claims
from rnnclaims.symbolic.gradients import (EXACT, decide, footnote_gradients, generic_sum_sides,
                                          local_part)

QUICK = Options.quick_sizes()


def _same(a, b):
    canon = Canonicalizer()
    return a.shape == b.shape and all((canon.poly(x) - canon.poly(y)).is_zero() for x, y in zip(a, b))


@pytest.mark.parametrize("which", ["eq5", "eq7", "state"])
def test_local_parts_decide_alike_on_both_routes(which):
    forward = local_part(QUICK, which)
    reference = decide(claims._local_cases(QUICK, which, route="sympy"), method=EXACT,
                       what=claims.LOCAL_WHAT[which], scope=claims._local_scope(QUICK))
    assert forward.verdict is reference.verdict is Verdict.PROVED
    assert forward.scope.checked == reference.scope.checked > 0
    assert forward.evidence == reference.evidence
    assert local_part(QUICK, which) is forward  # memoised per (n, m, which)


def test_composed_eq7_cases_prove_against_the_reference_direct_side():
    cases = [(label, G.state_gradient(net, t, theta, route="sympy"), eq7(net, t, theta))
             for net in claims.composed_nets(QUICK) for t in range(1, net.T + 1)
             for theta in G.THETAS
             for label in [claims._label(net, t=t, θ=theta)]]
    r = decide(cases, method=EXACT, scope=Scope(), what="reference")
    assert r.verdict is Verdict.PROVED and r.scope.checked == len(cases)


def test_a_sum_ending_at_t_minus_one_is_refuted_with_its_case():
    cases = claims._composed_cases(QUICK, lambda net, loss, t, th: eq11(net, loss, t, th, stop=t - 1))
    r = decide(cases, method=EXACT, scope=Scope(), what="eq. 11 ending at t-1")
    assert r.verdict is Verdict.REFUTED
    cex = r.counterexample
    assert cex.location.t == 1 and cex.data["case"]["t"] == 1
    assert "subs" in cex.data  # a checkable point


@pytest.mark.parametrize("activation", ["generic", "tanh", "sigmoid", "relu"])
def test_footnote_gradients_equal_the_reference(activation):
    for n in (1, 2):
        net = RNN(n, 1, 2, activation, "A")
        for loss in ("generic", "squared"):
            for t in (1, 2):
                for theta in G.THETAS:
                    fa, fb = footnote_gradients(net, loss, t, theta)
                    ra, rb = footnote_gradients(net, loss, t, theta, route="sympy")
                    assert _same(fa, ra) and _same(fb, rb)


def test_footnote_without_sigma_on_form_a_is_refuted():
    net = RNN(1, 1, 2, "tanh", "A")
    from derive.gradients import loss_gradient
    _, form_b = footnote_gradients(net, "squared", 2, "W_rec")
    r = decide([({"t": 2}, loss_gradient(net, "squared", 2, "W_rec"), form_b)], method=EXACT,
               scope=Scope(), what="E_t(x_t) for E_t(σ(x_t))")
    assert r.verdict is Verdict.REFUTED


@pytest.mark.parametrize("route", ["forward", "sympy"])
def test_generic_summands_prove_and_a_dropped_summand_is_refuted(route):
    v = list(sp.symbols("a b c"))
    whole, summed = generic_sum_sides(v, 3, route=route)
    assert decide([({"T": 3}, whole, summed)], method=EXACT, scope=Scope(), what="w").verdict is Verdict.PROVED
    _, fewer = generic_sum_sides(v, 2, route=route)
    r = decide([({"T": 3}, whole, fewer)], method=EXACT, scope=Scope(), what="w")
    assert r.verdict is not Verdict.PROVED
    if route == "forward":  # jet symbols take rational values; SymPy's Derivative nodes do not
        assert r.verdict is Verdict.REFUTED and r.counterexample is not None


def test_checked_inductions_are_memoised_and_proved():
    for name in ("unrolling", "depth", "eq13.A", "eq13.B"):
        proof, result = checked_induction(name)
        assert result.verdict is Verdict.PROVED
        assert checked_induction(name)[0] is proof


def test_claims_keep_their_counts_across_sizes():
    # the memoised parts serve later claims at the same sizes only
    a = claims.check_eq8(QUICK)
    b = claims.check_eq9(Options(n=1, m=1, T=3, quick=True))
    assert a.verdict is b.verdict is Verdict.PROVED
    assert a.scope.checked != b.scope.checked
