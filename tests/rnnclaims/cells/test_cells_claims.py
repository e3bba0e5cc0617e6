"""The cell claims: computed verdicts, and the verifier fed wrong closed forms (each refuted
with a certified counterexample) and equivalent rewrites (accepted)."""
import flint
import pytest
import sympy as sp
from hypothesis import example, given, settings

from derive.cells import (CLOSED_FORMS, matrix_vanishes, vanishes_as_polynomial, at, certified_difference, direct_blocks, exact_difference, lstm_total_cec,
                          rational_point, skip_paths, symbolic_inputs, symbolic_point, unrolled_jacobian)
from rnnclaims.cells import REGISTRY
from rnnclaims.cells.carousel import CEC_O_PREV, CEC_POINT, total_closed
from rnnclaims.cells.common import certified_refutation, one_step_proof
from rnnclaims.cells.paths import skip_eq10_refutation, skip_path_cases
from rnncore.registry import Options
from rnncore.results import MethodKind, Verdict
from rnnmodel.balls import BALLS
from rnnmodel.exact import SYMPY
from tests.strategies import polynomial_expressions

WRONG = [("LSTM", "transposed"), ("LSTM", "cec-total"), ("GRU", "transposed"), ("GRU", "no-reset-path"),
         ("GRU-cho", "transposed"), ("A-stacked", "no-cross"), ("A-skip", "no-skip"), ("A", "transposed"),
         ("B", "transposed")]


# Verifies: cells.lstm.jacobian, cells.gru.jacobian, cells.stacked.jacobian, cells.skip.jacobian
@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
def test_every_cells_closed_form_is_proved_exactly(name):
    r = one_step_proof(name, Options(n=2))
    assert r.verdict is Verdict.PROVED and r.method.kind is MethodKind.EXACT
    assert r.scope.span("n").hi == 2 and r.scope.checked == 3  # σ generic n = 1, 2; tanh n = 1


@pytest.mark.parametrize("name,variant", WRONG)
def test_a_wrong_closed_form_is_refuted_with_disjoint_balls(name, variant):
    r = certified_refutation(name, variant, "wrong")
    assert r.verdict is Verdict.REFUTED
    block, (i, j) = r.counterexample.data["block"], r.counterexample.location.entry
    pt = at(BALLS, r.counterexample.data["point"])
    with flint.ctx.workprec(128):
        found = certified_difference(pt, CLOSED_FORMS[name], variant)
    assert found[0] == block and found[1] == (i, j) and not found[2].overlaps(found[3])


@pytest.mark.parametrize("name,variant", [w for w in WRONG if w[0] != "A-skip"])
def test_a_wrong_closed_form_also_differs_symbolically(name, variant):
    assert exact_difference(SYMPY, symbolic_point(name, 2), CLOSED_FORMS[name], variant) is not None


def test_an_equivalent_rewrite_is_accepted():
    """The LSTM's ∂c_t/∂h_{t−1} with the sigmoid slope written σ'(a) = e^{−a}/(1+e^{−a})² is
    the same closed form: the difference still expands (after rewriting) to zero."""
    pt = symbolic_point("LSTM", 1, act="tanh")
    d = direct_blocks(SYMPY, pt)[("c", "h")][0, 0]
    st = pt.cell.step(SYMPY, pt.act, pt.params, pt.past, pt.u)
    a = st.sigma_argument
    slope = lambda z: sp.exp(-z) / (1 + sp.exp(-z)) ** 2  # noqa: E731
    W = pt.params
    alt = (pt.past[0][1][0] * slope(a["f"][0]) * W["W_f"][0, 0]
           + sp.tanh(a["g"][0]) * slope(a["i"][0]) * W["W_i"][0, 0]
           + 1 / (1 + sp.exp(-a["i"][0])) * (1 - sp.tanh(a["g"][0]) ** 2) * W["W_g"][0, 0])
    diff = (d - alt).rewrite(sp.exp)
    assert sp.simplify(diff) == 0


# Verifies: cells.lstm.cec.total
def test_the_carousel_as_a_total_derivative_is_refuted_at_the_certified_instance():
    r = REGISTRY["cells.lstm.cec.total"].run(Options())
    assert r.verdict is Verdict.REFUTED
    total, f = r.counterexample.data["total"], r.counterexample.data["f"]
    assert total > 1 and f < 1 and not total.overlaps(f)
    assert REGISTRY["cells.lstm.cec.total"].authors_reading is False
    # the corrected total encloses the same number at the instance
    with flint.ctx.workprec(128):
        ball = total_closed(BALLS, at(BALLS, CEC_POINT), BALLS.vector(CEC_O_PREV))[0, 0]
    assert ball.overlaps(total)


def test_the_total_carousel_equals_the_partial_when_the_output_gate_is_closed():
    """o_{t−1} = 0: h_{t−1} does not move with c_{t−1}, so total = partial = f_t (exact)."""
    pt = symbolic_point("LSTM", 2)
    total, f = lstm_total_cec(SYMPY, pt, sp.zeros(2, 1))
    assert (total - f).applyfunc(sp.expand) == sp.zeros(2, 2)


# Verifies: cells.skip.eq10, cells.skip.paths
def test_the_skip_connection_needs_both_paths():
    r = skip_eq10_refutation(Options())
    assert r.verdict is Verdict.REFUTED and r.counterexample.location.t == 2
    assert all(ok for *_, ok in skip_path_cases(2, 3))
    # dropping the U path from the recursion is the product rule: it differs symbolically at T = 2
    pt = symbolic_point("A-skip", 1)
    ins = symbolic_inputs(pt, 2)
    direct = unrolled_jacobian(SYMPY, pt, ins, "x[t-1]")[-1]["x"]
    assert sp.expand(direct[0, 0] - skip_paths(SYMPY, pt, ins, "eq10")[-1][0, 0]) != 0


@pytest.mark.parametrize("claim", [c for c in REGISTRY], ids=[c.id for c in REGISTRY])
def test_each_cell_claim_at_quick_sizes_keeps_its_verdict(claim):
    r = claim.run(Options.quick_sizes())
    assert r.verdict is claim.expect, (claim.id, r.evidence)


# ---------------------------------------------------------------- the exact zero test's fast route
# vanishes_as_polynomial reads an entry as a polynomial over ℚ in its symbols and function
# applications; SymPy's full expansion is the reference route. A True must always be an
# expansion to 0, and an expression that expands to something nonzero must never pass.
@settings(max_examples=150, deadline=None)
@given(polynomial_expressions(), polynomial_expressions())
@example(sp.Symbol("x") * (sp.Symbol("x") + 1), sp.Symbol("x") ** 2)
def test_vanishes_as_polynomial_agrees_with_expansion(a, b):
    x = sp.Symbol("x")
    for e in (a - b, a - sp.expand(a), (a + b) ** 2 - a**2 - 2 * a * b - b**2, a - b + x):
        fast = vanishes_as_polynomial(e)
        ref = sp.expand(e) == 0
        assert not fast or ref, e                   # never a false "identically zero"
        # the applications' arguments (x + y, x, y) are already expanded, so here the
        # polynomial reading and the full expansion see the same atoms: the same answer
        assert fast == ref, e


def _old_exact_difference(pt, closed, variant=""):
    """The former zero test of exact_difference: SymPy expansion of every entry."""
    direct, cand = direct_blocks(SYMPY, pt), closed(SYMPY, pt, variant)
    for key in direct:
        d = direct[key] - cand[key]
        for i in range(d.rows):
            for j in range(d.cols):
                if sp.expand(d[i, j]) != 0:
                    return key, (i, j)
    return None


@pytest.mark.parametrize("name,variant", [(n, "") for n in CLOSED_FORMS] + list(WRONG))
def test_exact_difference_decides_as_the_expansion_did(name, variant):
    for n in (1, 2):
        for act in ("generic", "tanh"):
            pt = symbolic_point(name, n, act=act)
            new = exact_difference(SYMPY, pt, CLOSED_FORMS[name], variant)
            old = _old_exact_difference(pt, CLOSED_FORMS[name], variant)
            assert (new is None) == (old is None), (name, variant, n, act)
            if new is not None:
                assert new[:2] == old and sp.expand(new[2]) != 0


def test_matrix_vanishes_is_the_expansion_test():
    x, y = sp.symbols("x y")
    f = sp.Function("f")
    M = sp.Matrix([[f(x) * (y + 1) - y * f(x) - f(x), 0], [sp.tanh(x) ** 2 - sp.tanh(x) ** 2, 0]])
    assert matrix_vanishes(M) and M.applyfunc(sp.expand) == sp.zeros(2, 2)
    assert not matrix_vanishes(M + sp.Matrix([[0, 0], [0, f(x + y) - f(y)]]))
    # an identity between applications is not a polynomial identity: expansion decides it
    assert matrix_vanishes(sp.Matrix([[sp.exp(x) * sp.exp(y) - sp.exp(x + y)]])) == (
        sp.expand(sp.exp(x) * sp.exp(y) - sp.exp(x + y)) == 0)
