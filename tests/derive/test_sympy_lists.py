"""The entry-list SymPy arithmetic builds the very expressions of the SymPy-matrix one: every
cell's direct blocks, closed forms, unrolled Jacobians and path sums are entry for entry the
same SymPy trees, and the exact differences agree (the reference route)."""
import pytest
import sympy as sp

from derive.cells import (CLOSED_FORMS, COMPONENTS, direct_blocks, exact_difference, listed,
                          lstm_total_cec, product_rule, skip_paths, stacked_paths,
                          symbolic_inputs, symbolic_point, unrolled_jacobian)
from derive.sympy_lists import LISTS, Entries, entries, matrix
from rnnmodel.exact import SYMPY


def same(a, b):
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            same(a[k], b[k])
        return
    assert isinstance(a, Entries) and isinstance(b, sp.MatrixBase)
    assert a.shape == b.shape and a.flat == tuple(b), (a, b)


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
@pytest.mark.parametrize("n,act", [(1, "generic"), (2, "generic"), (1, "tanh")])
def test_one_step_blocks_are_the_same_expressions(name, n, act):
    pt = symbolic_point(name, n, act=act)
    same(direct_blocks(LISTS, listed(pt)), direct_blocks(SYMPY, pt))
    for variant in ("", "transposed", "no-skip", "no-cross", "no-reset-path", "cec-total"):
        same(CLOSED_FORMS[name](LISTS, listed(pt), variant), CLOSED_FORMS[name](SYMPY, pt, variant))
        a = exact_difference(LISTS, listed(pt), CLOSED_FORMS[name], variant)
        b = exact_difference(SYMPY, pt, CLOSED_FORMS[name], variant)
        assert a == b


@pytest.mark.parametrize("name", ["A", "B", "LSTM", "A-stacked", "GRU"])
def test_products_and_unrolled_jacobians_are_the_same(name):
    pt = symbolic_point(name, 2 if name != "LSTM" else 1)
    lp = listed(pt)
    ins, lins = symbolic_inputs(pt, 2), symbolic_inputs(lp, 2)
    assert [matrix(u) for u in lins] == ins
    for a, b in zip(product_rule(LISTS, lp, lins), product_rule(SYMPY, pt, ins)):
        same(a, b)
    for target in COMPONENTS[name]:
        for a, b in zip(unrolled_jacobian(LISTS, lp, lins, target), unrolled_jacobian(SYMPY, pt, ins, target)):
            same(a, b)


def test_path_sums_and_the_carousel_total_are_the_same():
    for cell, paths in (("A-skip", skip_paths), ("A-stacked", stacked_paths)):
        pt = symbolic_point(cell, 2)
        for a, b in zip(paths(LISTS, listed(pt), symbolic_inputs(listed(pt), 3)),
                        paths(SYMPY, pt, symbolic_inputs(pt, 3))):
            same(a, b)
    pt = symbolic_point("LSTM", 2)
    o = sp.Matrix([sp.Symbol("o1"), sp.Symbol("o2")])
    for a, b in zip(lstm_total_cec(LISTS, listed(pt), entries(o)), lstm_total_cec(SYMPY, pt, o)):
        same(a, b)


def test_entries_behave_as_the_matrix():
    M = sp.Matrix([[sp.Symbol("a"), 2], [3, sp.Symbol("b")]])
    E = entries(M)
    assert matrix(E.T) == M.T and matrix(E - M) == sp.zeros(2, 2) and E == M
    assert [E[i, j] for i in range(2) for j in range(2)] == list(M) and E[3] == M[3]
    with pytest.raises(ValueError):
        E - sp.Matrix([[1, 2]])


from hypothesis import example, given, settings  # noqa: E402

from derive.sympy_lists import never_infinite, times  # noqa: E402
from tests.strategies import polynomial_expressions  # noqa: E402


@settings(max_examples=80, deadline=None)
@given(polynomial_expressions())
@example(sp.oo)
@example(1 / sp.Symbol("z", zero=True) + sp.Symbol("x"))
@example(sp.Symbol("w", infinite=True))
@example(sp.Function("g", finite=False)(sp.Symbol("x")))
def test_a_zero_factor_is_answered_as_sympy_answers(e):
    if never_infinite(e):
        assert e.is_finite is not False
    for x, y in ((sp.S.Zero, e), (e, sp.S.Zero), (e, sp.Integer(2)), (sp.S.Zero, sp.S.Zero)):
        assert times(x, y) == x * y
