"""Tests of derive/backprop.py: the closed forms of the gradient equations, their wrong
variants (rejected with a counterexample re-checked here by substitution) and equivalent
rewrites (accepted)."""
import pytest
import sympy as sp
from hypothesis import example, given, settings

from derive.backprop import (
    CLOSED_FORMS,
    bptt,
    eq4,
    eq5,
    eq7,
    eq8,
    eq9,
    eq11,
    immediate_closed,
    jacobian_product,
    lazy_add,
    lazy_matmul,
    paper_eq4,
    row_block,
    stacked_step,
    unrolling_identity,
)
from derive.gradients import immediate_gradient, loss_gradient, state_gradient, total_gradient
from derive.network import RNN
from derive.prove import prove_equal, substitute
from rnncore.errors import InvalidInputError, ShapeError
from tests.strategies import GRADIENT_NETWORKS, GRADIENT_WRONG, LOSS_NAMES, THETA_NAMES


def assert_proved(a, b):
    r = prove_equal(a, b)
    assert r.verdict.value == "proved", r


def assert_refuted(direct, closed):
    """Refuted, and the counterexample re-checks: substituting its point into both sides
    gives two different exact values, the ones it reports."""
    r = prove_equal(direct, closed, method="exact")
    assert r.verdict.value == "refuted", r
    data = r.counterexample.data
    i, j = data["entry"]
    lhs = substitute(sp.Matrix(direct)[i, j], data)
    rhs = substitute(sp.Matrix(closed)[i, j], data)
    assert lhs.is_Rational and rhs.is_Rational, (lhs, rhs)
    assert lhs != rhs
    assert (lhs, rhs) == (data["lhs"], data["rhs"])
    return r


# A network where every wrong reading shows: n = 2 (matrices do not commute), t = 3 (a
# product of two Jacobians, so the order matters), generic σ and L (exact counterexamples).
NET = RNN(2, 1, 3)
NET_B = RNN(2, 1, 3, form="B")


def eq12(net, j):
    """The correct one-step Jacobian (form A: W_rec D_{j-1}; form B: D_j W_rec)."""
    return net.W_rec * net.D(j - 1) if net.form == "A" else net.D(j) * net.W_rec


WRONG_STEPS = {
    "missing-dsigma": lambda net, j: net.W_rec,
    "transposed": lambda net, j: net.W_rec.T * net.D(j - 1),
    "dsigma-late": lambda net, j: net.W_rec * net.D(j),
}


def wrong_eq9(net, variant, t=3, theta="W_rec", loss="generic"):
    if variant == "total-partial":
        return eq9(net, loss, t, theta, partial="total")
    if variant == "stop-early":
        return eq9(net, loss, t, theta, stop=t - 1)
    if variant == "reversed":
        return eq9(net, loss, t, theta, order="ascending")
    return eq9(net, loss, t, theta, step_jacobian=WRONG_STEPS[variant])


# Verifies: blog.eq9 — each wrong reading is refuted with a re-checked counterexample
@pytest.mark.parametrize("variant", ["total-partial", "stop-early", "missing-dsigma", "transposed",
                                     "reversed", "dsigma-late"])
def test_wrong_readings_of_eq9_are_refuted(variant):
    assert_refuted(loss_gradient(NET, "generic", 3, "W_rec"), wrong_eq9(NET, variant))


# Verifies: blog.eq9 — the readings that fail at every size fail on random networks too
@settings(max_examples=6)
@given(spec=GRADIENT_NETWORKS, variant=GRADIENT_WRONG, loss=LOSS_NAMES, theta=THETA_NAMES)
@example(spec=dict(n=1, m=1, T=2, activation="relu", form="B"), variant="total-partial",
         loss="squared", theta="b")
def test_wrong_readings_on_random_networks(spec, variant, loss, theta):
    # exact counterexamples: generic σ or relu (rational at rational points)
    spec = dict(spec, activation="relu" if spec["activation"] == "relu" else "generic",
                T=max(spec["T"], 2))
    net = RNN(**spec)
    closed = wrong_eq9(net, variant, t=net.T, theta=theta, loss=loss)
    direct = loss_gradient(net, loss, net.T, theta)
    if variant in ("total-partial", "stop-early"):
        assert_refuted(direct, closed)
    else:  # order, transpose, σ' index may be invisible at n = 1 or t = 2: never a false refutation
        r = prove_equal(direct, closed)
        if r.verdict.value == "refuted":
            assert_refuted(direct, closed)
        elif variant == "reversed":
            assert net.n == 1 or net.T == 2


# Verifies: blog.eq11 — ∂ in place of ∂⁺ double counts; a sum ending at t−1 misses k = t
@pytest.mark.parametrize("variant", [dict(partial="total"), dict(stop=2)])
def test_wrong_readings_of_eq11_are_refuted(variant):
    assert_refuted(loss_gradient(NET, "generic", 3, "b"), eq11(NET, "generic", 3, "b", **variant))


# Verifies: paper.eq4 — the same sum; form B with the form-A one-step Jacobian order is refuted
def test_form_b_needs_its_own_step_order():
    direct = loss_gradient(NET_B, "generic", 3, "W_in")
    assert_proved(direct, eq9(NET_B, "generic", 3, "W_in", step_jacobian=eq12))
    assert_refuted(direct, eq9(NET_B, "generic", 3, "W_in",
                               step_jacobian=lambda net, j: net.W_rec * net.D(j)))
    assert_proved(direct, paper_eq4(NET_B, "generic", 3, "W_in"))


# Verifies: blog.eq9 (a sum starting at k = 0 is accepted)
def test_sum_starting_at_zero_is_accepted():
    # x_0 does not depend on θ, so the k = 0 term holds ∂⁺x_0/∂θ = 0 and adds nothing:
    # an off-by-one at the start is harmless (unlike ending at t − 1).
    direct = loss_gradient(NET, "squared", 3, "W_rec")
    assert_proved(direct, eq9(NET, "squared", 3, "W_rec", start=0))
    assert_proved(direct, eq11(NET, "squared", 3, "W_rec", start=0))
    assert immediate_gradient(NET, 0, "W_rec") == sp.zeros(2, 4)


# Verifies: blog.eq9, blog.eq11 — equivalent rewrites are accepted
def test_equivalent_rewrites_are_accepted():
    direct = loss_gradient(NET, "generic", 3, "W_in")
    assert_proved(direct, eq9(NET, "generic", 3, "W_in", step_jacobian=eq12))
    # transpose of a transpose
    assert_proved(direct, eq9(NET, "generic", 3, "W_in",
                              step_jacobian=lambda net, j: (net.D(j - 1) * net.W_rec.T).T))
    # ∂x_t/∂x_k given as a re-associated product (J_t (J_{t-1} ⋯))
    def right_assoc(net, t, k):
        out = sp.eye(net.n)
        for j in range(k + 1, t + 1):
            out = eq12(net, j) * out
        return out
    assert_proved(direct, eq11(NET, "generic", 3, "W_in", jacobian=right_assoc))
    # the fully closed BPTT sum: eq. 12 products and the closed ∂⁺ (I ⊗ u_k^T for W_in)
    from derive.gradients import loss_state_gradient
    a = sp.Matrix(loss_state_gradient(NET, "generic", 3))
    closed = sp.zeros(1, 2)
    for k in range(1, 4):
        closed += a * sp.Matrix(jacobian_product(NET, 3, k, step_jacobian=eq12)) * immediate_closed(NET, k, "W_in")
    assert_proved(direct, closed)


def test_closed_immediate_partial_matches_the_direct_one():
    for net in (NET, NET_B, RNN(2, 2, 2, "tanh", "B"), RNN(3, 1, 2, "relu", "A")):
        for theta in ("W_rec", "W_in", "b"):
            for k in range(1, net.T + 1):
                assert_proved(immediate_gradient(net, k, theta), immediate_closed(net, k, theta))


# Verifies: blog.eq7, blog.eq8
def test_eq7_and_eq8_every_depth():
    for theta in ("W_rec", "b"):
        for t in range(1, 4):
            assert_proved(state_gradient(NET, t, theta), eq7(NET, t, theta))
            for d in range(t):
                assert_proved(loss_gradient(NET, "generic", t, theta), eq8(NET, "generic", t, theta, d))
    assert_refuted(state_gradient(NET, 2, "W_rec"), eq7(NET, 2, "W_rec", partial="total"))


# Verifies: blog.eq5, blog.eq4
def test_eq5_and_eq4():
    for theta in ("W_rec", "W_in", "b"):
        assert_proved(loss_gradient(NET_B, "squared", 3, theta), eq5(NET_B, "squared", 3, theta))
        assert_proved(total_gradient(RNN(2, 1, 2), "generic", theta), eq4(RNN(2, 1, 2), "generic", theta))
    # a sum that forgets the last step is refuted
    net = RNN(1, 1, 2)
    assert_refuted(total_gradient(net, "generic", "b"), loss_gradient(net, "generic", 1, "b"))


# Verifies: blog.eq2
def test_eq2_stacked_parameters():
    for net in (RNN(2, 3, 1), RNN(3, 1, 1, "tanh", "B")):
        prev = net.state_symbols(0)
        assert_proved(stacked_step(net, prev, 1), net.step(prev, 1))
    # a wrong stacking ([σ(x); 1; u]) is refuted
    net = RNN(2, 1, 1)
    wrong = net.W * net.sigma(net.state_symbols(0)).col_join(sp.Matrix([[1]])).col_join(net.u(1))
    assert_refuted(net.step(net.state_symbols(0), 1), wrong)


# Verifies: paper.eq4.row
def test_row_block_of_the_immediate_partial():
    net = RNN(3, 1, 2)
    part = immediate_gradient(net, 2, "W_rec")
    s = net.sigma(net.state(1))
    for i in range(3):
        block = row_block(part, net, i)
        assert block.row(i) == s.T
        assert all(block[p, q] == 0 for p in range(3) for q in range(3) if p != i)


# Verifies: blog.eq9 (the unrolling algebra: order matters, start at 0 harmless)
def test_unrolling_identity():
    for t in range(1, 6):
        closed, recursive = unrolling_identity(t)
        assert sp.expand(closed - recursive) == 0
        closed, recursive = unrolling_identity(t, start=0)
        assert sp.expand(closed - recursive) == 0
        for d in range(t):
            closed, recursive = unrolling_identity(t, d)
            assert sp.expand(closed - recursive) == 0
    closed, recursive = unrolling_identity(3, order="ascending")
    assert sp.expand(closed - recursive) != 0
    closed, recursive = unrolling_identity(3, stop=2)
    assert sp.expand(closed - recursive) != 0


# Verifies: blog.eq8, blog.eq9 (the word route the claims use agrees with the SymPy expansion)
def test_unrolling_words_match_the_sympy_expansion():
    from derive.backprop import unrolling_words, words_of
    for t in range(1, 7):
        for order in ("descending", "ascending"):
            for kw in [{}, {"start": 0}, {"stop": max(1, t - 1)}] + [{"depth": d} for d in range(t)]:
                closed, recursive = unrolling_identity(t, order=order, **kw)
                w_closed, w_recursive = unrolling_words(t, order=order, **kw)
                assert words_of(closed) == w_closed and words_of(recursive) == w_recursive
                assert (w_closed == w_recursive) == (sp.expand(closed - recursive) == 0)
    with pytest.raises(InvalidInputError):
        unrolling_words(0)
    with pytest.raises(InvalidInputError):
        unrolling_words(2, 2)


# Verifies: blog.eq11 with blog.eq12/13 and the paper's row remark: fully explicit BPTT
@settings(max_examples=6)
@given(spec=GRADIENT_NETWORKS, loss=LOSS_NAMES, theta=THETA_NAMES)
@example(spec=dict(n=2, m=1, T=3, activation="generic", form="B"), loss="generic", theta="W_rec")
def test_explicit_bptt(spec, loss, theta):
    net = RNN(**spec)
    assert_proved(loss_gradient(net, loss, net.T, theta), bptt(net, loss, net.T, theta))


# Verifies: blog.eq11 / paper.eq4 on random small networks, losses and parameters
@settings(max_examples=8)
@given(spec=GRADIENT_NETWORKS, loss=LOSS_NAMES, theta=THETA_NAMES)
@example(spec=dict(n=2, m=2, T=3, activation="tanh", form="B"), loss="squared", theta="W_rec")
def test_eq11_on_random_networks(spec, loss, theta):
    net = RNN(**spec)
    t = net.T
    assert_proved(loss_gradient(net, loss, t, theta), eq11(net, loss, t, theta))


def test_lazy_products_match_sympy():
    a, b, c = sp.symbols("a b c")
    A, B = sp.Matrix([[a, 1], [0, b]]), sp.Matrix([[c, a], [b, 0]])
    assert_proved(lazy_matmul(A, B, A), A * B * A)
    assert_proved(lazy_add(A, B, -A), B)
    with pytest.raises(ShapeError):
        lazy_matmul(A, sp.Matrix([[a]]))
    with pytest.raises(ShapeError):
        lazy_add(A, sp.Matrix([[a]]))


def test_closed_forms_print_their_equations():
    assert str(CLOSED_FORMS["blog.eq11"]).startswith("blog eq. 11: ∂E_t/∂θ = Σ_{k=1}^{t}")
    assert CLOSED_FORMS["paper.eq4"](NET, "generic", 1, "b") == paper_eq4(NET, "generic", 1, "b")


def test_bad_input_is_rejected():
    with pytest.raises(InvalidInputError, match="stop=4"):
        eq9(NET, "generic", 3, "b", stop=4)
    with pytest.raises(InvalidInputError, match="partial='full'"):
        eq11(NET, "generic", 3, "b", partial="full")
    with pytest.raises(InvalidInputError, match="order='left'"):
        eq9(NET, "generic", 3, "b", order="left")
    with pytest.raises(InvalidInputError, match="depth=3"):
        eq8(NET, "generic", 3, "b", depth=3)
    with pytest.raises(InvalidInputError, match="t=4"):
        eq11(NET, "generic", 4, "b")
    with pytest.raises(InvalidInputError, match="unknown parameter"):
        eq9(NET, "generic", 3, "V")
    with pytest.raises(InvalidInputError, match="k=3"):
        jacobian_product(NET, 2, 3)
    with pytest.raises(ShapeError, match="step_jacobian"):
        eq9(NET, "generic", 3, "b", step_jacobian=lambda net, j: net.W_in)
    with pytest.raises(ShapeError, match="not a SymPy matrix"):
        eq11(NET, "generic", 3, "b", jacobian=lambda net, t, k: 1)
    with pytest.raises(InvalidInputError, match="row i=2"):
        row_block(immediate_gradient(RNN(2, 1, 1), 1, "W_rec"), RNN(2, 1, 1), 2)
    with pytest.raises(InvalidInputError, match="not a derive.network.RNN"):
        eq5("net", "generic", 1, "b")
    with pytest.raises(InvalidInputError, match="t=0"):
        unrolling_identity(0)


# Verifies: blog eq. 2 (the entrywise stacked product = SymPy's matrix product, the same
# expressions, for every activation, form and size the claim checks)
@pytest.mark.parametrize("form", ["A", "B"])
@pytest.mark.parametrize("activation", ["generic", "tanh", "sigmoid", "relu"])
@pytest.mark.parametrize("n, m", [(1, 1), (2, 1), (2, 2), (3, 2)])
def test_stacked_step_same_expressions_as_matrix_product(n, m, activation, form):
    net = RNN(n, m, 2, activation, form)
    for t in (1, 2):
        prev = net.with_base(t - 1).state_symbols(t - 1)
        head = net.sigma(prev) if form == "A" else prev
        product = net.W * head.col_join(net.u(t)).col_join(sp.Matrix([[1]]))
        reference = product if form == "A" else net.sigma(product)
        assert list(stacked_step(net, None, t)) == list(reference)
