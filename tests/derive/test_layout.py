"""Tests of derive/layout.py: numerator/denominator Jacobians and SymPy's own conventions."""
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.activations import sigma
from derive.layout import (
    LAYOUTS,
    check_layout,
    h_view_jacobian,
    in_layout,
    jacobian,
    matrixsymbol_one_step,
    sympy_jacobian_is_numerator,
    sympy_matrixsymbol_one_step,
    sympy_matrixsymbol_two_steps_raises,
    to_layout,
)
from derive.network import RNN
from rnncore.results import MethodKind
from derive.prove import prove_equal
from rnncore.errors import InvalidInputError
from tests.strategies import ACTIVATION_NAMES, FORM_NAMES


@pytest.mark.parametrize("form", ["A", "B"])
def test_numerator_is_entrywise_definition(form):
    # (∂y/∂x)_ij = ∂y_i/∂x_j, written out with scalar diff only
    rnn = RNN(2, 1, 2, form=form)
    net = rnn.with_base(0)
    y, x = net.state(2), net.state_symbols(0)
    J = jacobian(rnn, 2, 0)
    for i in range(2):
        for j in range(2):
            assert prove_equal(J[i, j], sp.diff(y[i], x[j])).holds
    assert jacobian(rnn, 2, 0, "denominator") == J.T


def test_one_step_closed_forms_per_layout():
    # Verifies: blog eq. 12 (numerator) and its transpose; form B's factors
    A = RNN(2, 1, 1, form="A")
    net = A.with_base(0)
    assert prove_equal(jacobian(A, 1, 0), A.W_rec * net.D(0)).holds
    assert prove_equal(jacobian(A, 1, 0, "denominator"), net.D(0) * A.W_rec.T).holds
    B = RNN(2, 1, 1, form="B")
    netb = B.with_base(0)
    assert prove_equal(jacobian(B, 1, 0), netb.D(1) * B.W_rec).holds
    assert prove_equal(jacobian(B, 1, 0, "denominator"), B.W_rec.T * netb.D(1)).holds
    # and the paper's W_recᵀ D(x_{i-1}) is neither layout of form A
    assert prove_equal(jacobian(A, 1, 0), A.W_rec.T * net.D(0)).verdict.value == "refuted"
    assert prove_equal(jacobian(A, 1, 0, "denominator"),
                       A.W_rec.T * net.D(0)).verdict.value == "refuted"


@settings(max_examples=8)
@given(ACTIVATION_NAMES, FORM_NAMES, st.integers(1, 2), st.integers(1, 2))
def test_matrix_jacobian_is_numerator(activation, form, n, T):
    result = sympy_jacobian_is_numerator(RNN(n, 1, T, activation, form), T, 0)
    assert result.verdict.value == "proved" and result.method.kind is MethodKind.EXACT
    assert result.scope.span("n").hi == n and result.scope.forms == (form,)
    assert result.scope.activations == (activation,) and result.scope.checked == n * n


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("form", ["A", "B"])
@pytest.mark.parametrize("activation", ["generic", "tanh"])
def test_matrixsymbol_diff_is_denominator_one_step(n, form, activation):
    result = sympy_matrixsymbol_one_step(n, form, activation)
    if n == 1 and form == "A":  # SymPy 1.14 raises NotImplementedError on this 1×1 MatMul
        assert result.verdict.value in ("proved", "undecided")
        assert result.verdict.value == "proved" or "SymPy" in result.evidence
        return
    assert result.verdict.value == "proved", result.evidence
    assert result.scope.layouts == ("denominator",) and result.scope.span("T").hi == 1


def test_matrixsymbol_diff_symbolic_n():
    # for a symbolic n, SymPy's own answer has the denominator-layout shape, for every n
    n = sp.Symbol("n", integer=True, positive=True)
    a = str(matrixsymbol_one_step(n, "A"))
    b = str(matrixsymbol_one_step(n, "B"))
    assert a.startswith("DiagMatrix(") and a.endswith("*W.T")
    assert b.startswith("W.T*DiagMatrix(")  # the paper's factor W_recᵀ diag(σ'(x_i)), form B
    with pytest.raises(InvalidInputError):
        matrixsymbol_one_step(2, "C")


def test_matrixsymbol_two_steps_is_sympy_limitation():
    # documents why the MatrixSymbol comparison covers one step only (SymPy 1.14)
    if sp.__version__.startswith("1.14"):
        assert sympy_matrixsymbol_two_steps_raises(2) != ""


@pytest.mark.parametrize("t, k", [(1, 0), (2, 0), (3, 1), (3, 0), (2, 2)])
def test_h_view_of_form_a_is_form_b(t, k):
    # Verifies: the h = σ(x) view of form A is form B (paper footnote 1's change of variables)
    A, B = RNN(2, 1, 3, form="A"), RNN(2, 1, 3, form="B")
    for layout in LAYOUTS:
        assert prove_equal(h_view_jacobian(A, t, k, layout), jacobian(B, t, k, layout)).holds


def test_h_view_bad_input():
    with pytest.raises(InvalidInputError, match="form-A network"):
        h_view_jacobian(RNN(2, form="B"), 1, 0)
    with pytest.raises(InvalidInputError, match="0 <= k <= t <= T=3"):
        h_view_jacobian(RNN(2), 1, 2)


def test_layout_helpers():
    assert check_layout("numerator") == "numerator"
    with pytest.raises(InvalidInputError, match="unknown layout 'row'"):
        check_layout("row")
    M = sp.Matrix([[1, 2], [3, 4]])
    assert to_layout(M, "numerator") == M and to_layout(M, "denominator") == M.T
    cand = in_layout(lambda net, t, k: net.W_rec, "denominator")
    net = RNN(2).with_base(0)
    assert cand(net, 1, 0) == net.W_rec.T
    assert in_layout(sigma, "numerator") is sigma
