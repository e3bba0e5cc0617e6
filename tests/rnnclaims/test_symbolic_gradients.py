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
from rnncore.results import Method, MethodKind, Scope, Verdict

EXACT = Method(MethodKind.EXACT, "expansion")

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
    assert r.method.kind is MethodKind.EXACT and r.evidence
    assert r.scope.checked > 0  # something was actually proved, and counted


@pytest.mark.parametrize("claim_id", ["blog.eq5", "blog.eq7", "blog.eq9", "blog.eq11", "paper.eq4"])
def test_all_T_scope_is_backed_by_the_local_proofs(claim_id):
    r = REGISTRY.run(claim_id, QUICK)
    assert r.scope.span("T").every and r.scope.span("n").hi == QUICK.n
    # the every-T scope rests on the local proofs at a generic (previous) state
    local = r.details[0]
    assert local.verdict is Verdict.PROVED and local.scope.span("T").every and local.scope.checked > 0


# Verifies: blog.eq9 (∂x_k/∂g read as the total derivative double counts)
@pytest.mark.parametrize("claim_id", REFUTED)
def test_total_derivative_readings_are_refuted_and_recheck(claim_id):
    r = REGISTRY.run(claim_id, QUICK)
    assert r.verdict.value == "refuted"
    cex = r.counterexample
    case = cex.data["case"]
    assert (case["n"], case["m"], case["activation"], case["form"], case["t"]) == (1, 1, "generic", "A", 2)
    assert cex.lhs != cex.rhs and cex.location.t == 2 and cex.location.entry == cex.data["entry"]
    # re-check: rebuild both sides of the reported case and substitute the point
    theta = case["θ"]
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
               method=EXACT, scope=Scope(), what="stop at t-1")
    assert r.verdict.value == "refuted"
    data = r.counterexample.data
    spec = data["case"]
    assert spec["t"] == 1 == r.counterexample.location.t  # the first case already misses its only term
    net = RNN(spec["n"], spec["m"], composed_sizes(QUICK)[2], "generic", "A")
    t, theta, loss = spec["t"], spec["θ"], spec["loss"]
    lhs = sp.Matrix(loss_gradient(net, loss, t, theta))[data["entry"]]
    rhs = sp.Matrix(eq11(net, loss, t, theta, stop=t - 1))[data["entry"]]
    assert substitute(lhs, data) != substitute(rhs, data)


def test_decide_accepts_a_sum_from_zero():
    # the k = 0 term holds ∂⁺x_0/∂θ = 0 (x_0 does not depend on θ)
    r = decide(_composed_cases(QUICK, lambda net, loss, t, th: eq9(net, loss, t, th, start=0)),
               method=EXACT, scope=Scope(), what="start at 0")
    assert r.verdict.value == "proved"


def test_local_cases_cover_every_size_and_form():
    nets = {(lab["n"], lab["m"], lab["activation"], lab["form"])
            for lab, _, _ in _local_cases(Options(n=2, m=2), "eq7")}
    assert (1, 2, "generic", "B") in nets and (2, 2, "relu", "A") in nets
    assert (1, 1, "tanh", "A") not in nets  # generic σ covers it


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


def test_decide_reports_the_failing_case_and_entry():
    a, b = sp.symbols("a b")
    good = ({"case": "first"}, sp.Matrix([[a, b]]), sp.Matrix([[a, b]]))
    bad = ({"case": "second"}, sp.Matrix([[a, 0], [b, a]]), sp.Matrix([[a, 0], [2 * b, a]]))
    r = decide([good, bad], method=EXACT, scope=Scope(), what="w", group=lambda label: 0)
    assert r.verdict.value == "refuted"
    assert r.counterexample.data["case"] == {"case": "second"}
    assert r.counterexample.data["entry"] == (1, 0) == r.counterexample.location.entry
    assert substitute(b, r.counterexample.data) != substitute(2 * b, r.counterexample.data)
    ok = decide([good, good], method=EXACT, scope=Scope(), what="w")
    assert ok.verdict.value == "proved" and ok.scope.checked == 2


def test_large_options_are_capped_and_the_scope_says_so():
    from rnnclaims.symbolic.gradients import MAX_M, MAX_N, capped
    big = Options(n=8, m=4, T=3, quick=True)
    assert (capped(big).n, capped(big).m) == (MAX_N, MAX_M)
    r = REGISTRY.run("paper.eq4.row", big)
    assert r.verdict.value == "proved"
    assert (r.scope.span("n").hi, r.scope.span("m").hi) == (MAX_N, MAX_M)


def test_proved_batch_shortcut_agrees_with_prove_equal():
    """decide's shortcut (every entry pair expands to the zero polynomial) says yes exactly
    where prove_equal proves the pair, on the local cases of eq. 7 and on wrong pairings."""
    import sympy as sp
    from derive.prove import prove_equal
    from rnnclaims.symbolic import gradients as G
    from rnncore.registry import Options

    options = G.capped(Options.quick_sizes())
    cases = [(G._matrix(a), G._matrix(b)) for _, a, b in G._local_cases(options, "eq7")]
    wrong = [(a, b.T.T * 2) for a, b in cases[:4]] + [(cases[0][0], cases[1][1])]
    for a, b in cases + wrong:
        if a.shape != b.shape:
            continue
        quick = G._expands_to_zero(a.flat(), b.flat())
        assert quick == prove_equal(a, b, method="exact").holds
    assert all(G._expands_to_zero(a.flat(), b.flat()) for a, b in cases)


def test_shared_canonicaliser_agrees_with_a_fresh_one():
    """decide's shortcut over a network's shared canonicaliser (memo kept across batches and
    claims) says yes exactly where a fresh canonicaliser per batch does, on the local and
    composed cases of the claims and on wrong pairings; and the claims' results do not
    depend on the order in which they run."""
    from rnnclaims.symbolic import gradients as G
    from derive.backprop import eq7 as eq7_closed

    options = G.capped(Options.quick_sizes())
    cases = [(label, G._matrix(a), G._matrix(b)) for label, a, b in G._local_cases(options, "eq7")]
    cases += [(label, G._matrix(a), G._matrix(b)) for label, a, b in G._composed_cases(options, eq9)]
    cases += [(label, G._matrix(a), G._matrix(b)) for label, a, b in G._composed_eq7_cases(options)]
    wrong = [(label, a, b * 2) for label, a, b in cases[:6]]
    wrong += [(cases[0][0], cases[0][1], G._matrix(eq7_closed(RNN(1, 1, 2), 2, "b", partial="total")))]
    for label, a, b in cases + wrong:
        if a.shape != b.shape:
            continue
        fresh = G._expands_to_zero(a.flat(), b.flat())
        assert G._expands_to_zero(a.flat(), b.flat(), G._network_of(label)) == fresh, label
    first = [REGISTRY.run(c, Options.quick_sizes()).evidence for c in ("blog.eq11", "blog.eq9")]
    G._shared_canon_for.cache_clear()
    second = [REGISTRY.run(c, Options.quick_sizes()).evidence for c in ("blog.eq9", "blog.eq11")]
    assert first == second[::-1]


def test_local_parts_polynomial_route_agrees_with_decide():
    """The local parts of eqs. 7 and 11 decided in canonical polynomials give the same
    result (verdict, scope, evidence) as decide on the SymPy local steps (the reference),
    and each polynomial piece is the canonical form of the SymPy piece (both routes of
    derive.gradients), on every network and wrt of the claims."""
    from derive.canonical import Canonicalizer
    from derive.gradients import local_step, local_step_polynomials
    from rnnclaims.symbolic import gradients as G

    for sizes in (Options(n=2, m=1), Options(n=1, m=2)):
        for which in ("eq7", "state"):
            fast = G._local_part.__wrapped__(sizes.n, sizes.m, which)
            slow = G.decide(G._local_cases(sizes, which), method=G.EXACT,
                            what=G.LOCAL_WHAT[which], scope=G._local_scope(sizes))
            assert (fast.verdict, fast.scope, fast.evidence) == (slow.verdict, slow.scope, slow.evidence)
    canon = Canonicalizer()
    for n, m in ((1, 1), (2, 1), (2, 2)):
        for net in G._local_nets(Options(n=2, m=2), n, m):
            for wrt in ("W_rec", "W_in", "b", "state"):
                polys = local_step_polynomials(net, wrt, canon)
                for route in ("forward", "sympy"):
                    ls = local_step(net, wrt, route=route)
                    for piece, P in zip(("direct", "immediate", "jacobian", "previous"), polys):
                        S = getattr(ls, piece)
                        if P is None:
                            assert S.is_zero_matrix
                            continue
                        assert all((P[i][j] - canon.poly(S[i, j])).is_zero()
                                   for i in range(S.rows) for j in range(S.cols)), (net, wrt, piece, route)


def test_local_polynomial_route_refuses_a_wrong_identity(monkeypatch):
    """A local identity that does not hold in polynomials is left to decide (None)."""
    from derive import gradients as DG
    from rnnclaims.symbolic import gradients as G

    real = DG.local_step_polynomials

    def wrong(net, wrt, canon):
        direct, immediate, jacobian, previous = real(net, wrt, canon)
        return direct, immediate, tuple(tuple(p.scale(2) for p in r) for r in jacobian), previous

    monkeypatch.setattr(G, "local_step_polynomials", wrong)
    assert G._local_polynomial_count(Options(n=1, m=1), "eq7") is None


def test_composed_polynomial_route_agrees_with_decide():
    """The composed cases of eqs. 4, 5, 7, 8, 9, 11 and paper eq. 4 in canonical polynomials
    (PolyPieces: the same formulas over the polynomial forward network): each direct side and
    closed form is the canonical form of its SymPy counterpart, and the result is decide's
    on the SymPy cases (verdict, scope, evidence)."""
    from derive.backprop import PolyPieces, eq4, eq5, eq7, eq8, paper_eq4
    from derive.canonical import Canonicalizer
    from derive.forward_gradients import PolyForwardNetwork
    from derive.gradients import state_gradient, total_gradient
    from rnnclaims.symbolic import gradients as G

    options = G.capped(Options.quick_sizes())
    for build in (eq5, eq9, eq11, paper_eq4):
        fast = G._decide_fast(G._composed_pairs(options, build), G._composed_cases(options, build),
                              method=G.EXACT, what="w", scope=Scope())
        slow = G.decide(G._composed_cases(options, build), method=G.EXACT, what="w", scope=Scope())
        assert (fast.verdict, fast.scope, fast.evidence) == (slow.verdict, slow.scope, slow.evidence)
        assert G._polynomial_count(G._composed_pairs(options, build)) == slow.scope.checked
    for net in G.composed_nets(Options()):  # the default sizes: T = 3, every activation
        canon = Canonicalizer()
        P = PolyPieces(PolyForwardNetwork((net.n, net.m, net.activation, net.form), canon))

        def same(poly, sym):
            assert poly.shape == sym.shape
            assert all((poly[i, j] - canon.poly(sym[i, j])).is_zero()
                       for i in range(sym.rows) for j in range(sym.cols))

        for theta in ("W_rec", "W_in", "b"):
            for loss in ("generic", "squared"):
                same(P.total_gradient(net, loss, theta), total_gradient(net, loss, theta))
                same(eq4(net, loss, theta, pieces=P), eq4(net, loss, theta))
                for t in range(1, net.T + 1):
                    same(P.loss_gradient(net, loss, t, theta), loss_gradient(net, loss, t, theta))
                    for build in (eq5, eq9, eq11):
                        same(build(net, loss, t, theta, pieces=P), build(net, loss, t, theta))
                    for d in range(t):
                        same(eq8(net, loss, t, theta, depth=d, pieces=P), eq8(net, loss, t, theta, depth=d))
            for t in range(1, net.T + 1):
                same(P.state_gradient(net, t, theta), state_gradient(net, t, theta))
                same(eq7(net, t, theta, pieces=P), eq7(net, t, theta))


def test_composed_polynomial_route_leaves_a_wrong_reading_to_decide():
    """A closed form that differs (the total-derivative reading of eq. 9) is not counted:
    decide refutes it on the SymPy cases, with its counterexample."""
    from rnnclaims.symbolic import gradients as G

    options = G.capped(Options.quick_sizes())

    def wrong(net, loss, t, theta, pieces=None):
        kw = {} if pieces is None else {"pieces": pieces}
        return eq9(net, loss, t, theta, partial="total", **kw)

    assert G._polynomial_count(G._composed_pairs(options, wrong)) is None
    r = G._decide_fast(G._composed_pairs(options, wrong), G._composed_cases(options, wrong),
                       method=G.EXACT, what="w", scope=Scope())
    assert r.verdict is Verdict.REFUTED and r.counterexample is not None


@pytest.mark.parametrize("options", [Options.quick_sizes(), Options(n=2, m=1, T=3)])
def test_footnote_polynomial_route_gives_decides_result(monkeypatch, options):
    """paper.eq2.footnote with its cases decided in canonical polynomials = with decide on
    the SymPy cases (quick and default sizes: every activation), and the polynomial
    gradients are the SymPy ones canonicalised."""
    from derive.canonical import Canonicalizer
    from derive.direct import PolyValues
    from derive.forward_gradients import PolyForwardNetwork
    from rnnclaims.symbolic import gradients as G

    fast = G.check_footnote(options)
    monkeypatch.setattr(G, "_footnote_step_count", lambda options: None)
    monkeypatch.setattr(G, "_footnote_gradient_count", lambda *a: None)
    slow = G.check_footnote(options)
    assert (fast.verdict, fast.scope, fast.evidence) == (slow.verdict, slow.scope, slow.evidence)
    canon = Canonicalizer()
    for activation in ("generic", "tanh", "sigmoid", "relu"):
        fa = PolyForwardNetwork((2, 1, activation, "A"), canon)
        fb = PolyForwardNetwork((2, 1, activation, "B"), canon,
                                initial=PolyValues(canon).sigma(fa.net.act, fa.state(0).val))
        net = RNN(2, 1, 2, activation, "A")
        for loss in ("generic", "squared"):
            for t in (1, 2):
                for theta in ("W_rec", "W_in", "b"):
                    side_a, side_b = G.footnote_gradients(net, loss, t, theta, route="sympy")
                    for P, S in ((fa.sigma_loss_gradient(loss, t, theta), side_a),
                                 (fb.loss_gradient(loss, t, theta), side_b)):
                        assert all((P[0, j] - canon.poly(S[0, j])).is_zero() for j in range(S.cols))
