"""Tests of derive/closed_forms.py: eqs. 10, 12, 13 and form B against the direct Jacobian."""
import pytest
import sympy as sp
from hypothesis import given

from derive.closed_forms import (
    all_pairs, eq10, eq12, eq13, formB_one_step, formB_product, matmul, one_step_jacobian,
    one_step_pairs, ordered_product,
)
from derive.direct import direct_jacobian
from derive.jacobian import check_jacobian
from derive.network import RNN
from derive.prove import prove_equal
from rnncore.errors import InvalidInputError, ShapeError
from tests.strategies import ACTIVATION_NAMES, JACOBIAN_NETWORKS


# Verifies: blog eq. 12 (one step, form A), every activation
@given(ACTIVATION_NAMES)
def test_eq12_one_step(act):
    rnn = RNN(3, 2, 3, act)
    assert check_jacobian(rnn, eq12, pairs=one_step_pairs(3)).verdict.value == "proved"


# Verifies: blog eq. 12 — the transposed factor is not the numerator-layout Jacobian
def test_eq12_transposed_refuted():
    rnn = RNN(2, 1, 1)
    r = check_jacobian(rnn, lambda net, t, k: net.W_rec.T * net.D(t - 1), pairs=[(1, 0)])
    assert r.verdict.value == "refuted"
    i, j = r.counterexample.data["entry"]
    assert i != j  # diagonal entries agree; an off-diagonal one differs


# Verifies: blog eq. 10 and eq. 13 (form A), blog.formB (form B)
@given(JACOBIAN_NETWORKS)
def test_products(d):
    rnn = RNN(d["n"], d["m"], d["T"], d["activation"], d["form"])
    assert check_jacobian(rnn, eq10).verdict.value == "proved"
    own = eq13 if d["form"] == "A" else formB_product
    assert check_jacobian(rnn, own).verdict.value == "proved"


# Verifies: blog.formB — form A's factor is not form B's Jacobian (n >= 1, any activation)
def test_form_A_factor_wrong_for_form_B():
    rnn = RNN(2, 1, 2, "tanh", "B")
    r = check_jacobian(rnn, lambda net, t, k: net.W_rec * sp.diag(*net.dsigma(net.state(t - 1))),
                       pairs=one_step_pairs(2))
    assert r.verdict.value == "refuted"
    r2 = check_jacobian(rnn, formB_one_step, pairs=one_step_pairs(2))
    assert r2.verdict.value == "proved"


def test_eq10_factor_is_the_differentiated_step():
    net = RNN(2, 1, 3).with_base(0)
    J2 = one_step_jacobian(net, 2)
    assert prove_equal(J2, net.W_rec * net.D(1)).verdict.value == "proved"
    assert prove_equal(eq10(net, 3, 1), eq13(net, 3, 1)).verdict.value == "proved"


def test_product_order_and_identity():
    net = RNN(2, 1, 3).with_base(0)
    F = lambda nt, j: sp.Matrix([[j, 1], [0, 1]])  # noqa: E731
    # F_3 F_2 F_1, largest leftmost
    assert ordered_product(net, 3, 0, F) == F(net, 3) * F(net, 2) * F(net, 1)
    assert ordered_product(net, 3, 0, F) != F(net, 1) * F(net, 2) * F(net, 3)
    assert ordered_product(net, 2, 2, F) == sp.eye(2)
    assert eq13(net, 1, 1) == sp.eye(2) and formB_product(RNN(2, form="B").with_base(0), 0, 0) == sp.eye(2)


def test_pairs_helpers():
    assert all_pairs(3) == [(1, 0), (2, 1), (2, 0), (3, 2), (3, 1), (3, 0)]
    assert one_step_pairs(2) == [(1, 0), (2, 1)]


def test_bad_input():
    net = RNN(2, 1, 3).with_base(0)
    with pytest.raises(InvalidInputError, match="t = k \\+ 1"):
        eq12(net, 3, 0)
    with pytest.raises(InvalidInputError, match="k=2 > t=1"):
        eq13(net, 1, 2)
    with pytest.raises(InvalidInputError, match="t=9"):
        formB_product(net, 9, 0)
    with pytest.raises(ShapeError, match="2x2 by a 3x1"):
        matmul(sp.eye(2), sp.ones(3, 1))


def test_closed_forms_agree_with_direct_at_a_pair():
    rnn = RNN(2, 2, 3, "sigmoid")
    J = direct_jacobian(rnn, 3, 1)
    assert prove_equal(J, eq13(rnn.with_base(1), 3, 1)).verdict.value == "proved"
