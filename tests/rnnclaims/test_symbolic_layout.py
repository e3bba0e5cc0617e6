"""Tests of rnnclaims/symbolic/layout.py: computed verdicts for the layout and transpose claims."""
import sympy as sp

from rnnclaims.symbolic import REGISTRY
from rnnclaims.symbolic.layout import (
    PAPER_DOWN,
    PAPER_FACTOR,
    holds_under,
    smallest_counterexample,
)
from derive.activations import dsigma
from derive.direct import direct_jacobian
from derive.formula import parse
from derive.network import RNN
from derive.prove import prove_equal, substitute
from rnncore.registry import Options

def test_added_ids_are_declared_with_their_parents_source():
    assert REGISTRY["paper.eq5.numerator"].source == REGISTRY["paper.eq5"].source
    assert REGISTRY["blog.note.any-layout.form-B"].reading


def _recheck_jacobian_cex(cex, text, layout, n=2, T=2):
    data = cex.data
    t, k = data["t"], data["k"]
    rnn = RNN(n, 1, T)
    J = direct_jacobian(rnn, t, k)
    J = J if layout == "numerator" else J.T
    C = parse(text).candidate()(rnn.with_base(k), t, k)
    i, j = data["entry"]
    assert substitute(J[i, j], data) == data["lhs"]
    assert substitute(C[i, j], data) == data["rhs"] != data["lhs"]


def test_paper_eq5_counterexamples_recheck():
    # Verifies: paper.eq5 — each (layout, order) reading refuted by a re-checkable point
    result = REGISTRY.run("paper.eq5", Options.quick_sizes())
    numerator, denominator = result.details[0], result.details[1]
    for reading, layout in ((numerator, "numerator"), (denominator, "denominator")):
        for sub, text in zip(reading.details, (PAPER_DOWN, "prod_up(i, k+1, t, W.T @ D[i-1])")):
            assert sub.verdict.value == "refuted"
            _recheck_jacobian_cex(sub.counterexample, text, layout)


def test_blog_eq10_order_counterexample_recheck():
    # Verifies: blog.eq10.order — reversed order differs, at a 2×2 rational point
    result = REGISTRY.run("blog.eq10.order", Options())
    _recheck_jacobian_cex(result.counterexample, "prod_up(i, k+1, t, W @ D[i-1])", "numerator")
    assert result.counterexample.data["t"] - result.counterexample.data["k"] >= 2


def test_smallest_counterexample_by_hand():
    # Verifies: blog.note.numerator and blog.note.any-layout — W_rec = [[0,1],[0,0]],
    # σ'(x_{i-1}) = (1, 2); recomputed here from the definition (∂y_i/∂x_j)
    c = smallest_counterexample()
    W = sp.Matrix([[0, 1], [0, 0]])
    D = sp.diag(1, 2)
    assert c["numerator"] == W * D == sp.Matrix([[0, 2], [0, 0]])
    assert c["denominator"] == (W * D).T
    assert c["paper"] == W.T * D
    assert len({tuple(c[key]) for key in ("numerator", "denominator", "paper")}) == 3
    # a concrete σ with these derivative values: σ(z) = z + z²/2 at x = (0, 1)
    z = sp.Symbol("z")
    s = z + z**2 / 2
    x1, x2 = sp.symbols("x1 x2")
    y = W * sp.Matrix([s.subs(z, x1), s.subs(z, x2)])
    J = y.jacobian([x1, x2]).subs({x1: 0, x2: 1})
    assert J == c["numerator"]


def test_smallest_size_is_two():
    # at n = 1 the paper's factor is the Jacobian (W_recᵀ = W_rec), so 2×2 is the smallest
    result = REGISTRY.run("blog.note.numerator", Options.quick_sizes())
    n1 = [d for d in result.details if d.scope.span("n") and d.scope.span("n").hi == 1]
    assert n1 and n1[0].verdict.value == "proved"


def test_difference_and_conditions():
    result = REGISTRY.run("blog.note.numerator", Options.quick_sizes())
    diff = result.data["difference"]  # W_recᵀ D − W_rec D, one step, n = 2
    rnn = RNN(2, 1, 1)
    w, x = rnn.W_rec, rnn.state_symbols(0)
    expected = sp.Matrix(2, 2, lambda i, j: (w[j, i] - w[i, j]) * dsigma(x[j]))
    assert prove_equal(diff, expected).verdict.value == "proved"
    assert diff[0, 0] == 0 and diff[0, 1] != 0
    other = REGISTRY.run("blog.note.any-layout.form-A", Options.quick_sizes()).data["difference"]
    expected = sp.Matrix(2, 2, lambda i, j: w[j, i] * (dsigma(x[j]) - dsigma(x[i])))
    assert prove_equal(other, expected).verdict.value == "proved"  # W_recᵀ D − D W_recᵀ
    # the printed formula is right under the conditions, in that direction (exact)
    assert holds_under(PAPER_FACTOR, "symmetric", n=3, T=2).verdict.value == "proved"
    assert holds_under(PAPER_DOWN, "symmetric", n=2, T=3).verdict.value == "proved"
    assert holds_under("prod_up(i, k+1, t, W.T @ D[i-1])", "diagonal",
                       layout="denominator", n=3, T=2).verdict.value == "proved"
    # and not without them
    assert holds_under(PAPER_FACTOR, "diagonal", layout="numerator", n=2, T=1).holds
    assert not holds_under("prod_up(i, k+1, t, W @ D[i-1])", "symmetric", n=2, T=2).holds


def test_diagnosis_claim_carries_the_diagnosis():
    # Verifies: paper.eq5.diagnosis — denominator-layout ∂h_i/∂h_{i-1} of form B, σ' at x_i
    result = REGISTRY.run("paper.eq5.diagnosis", Options.quick_sizes())
    d = result.data["diagnosis"]
    assert [c.form + c.layout for c in d.conventions] == ["Bdenominator"]
    assert [(x.convention.form, x.convention.layout) for x in d.nearest
            if x.convention.form == "B"] == [("B", "denominator")]
    assert all(sub.verdict.value == "proved" for sub in result.details)


def test_paper_eq5_form_b_readings_refuted_too():
    # Verifies: paper.eq5 — as printed (σ' at x_{i-1}) also no Jacobian of form B
    result = REGISTRY.run("paper.eq5", Options.quick_sizes())
    form_b = [d for d in result.details if d.scope.forms == ("B",)]
    assert len(form_b) == 4 and all(d.verdict.value == "refuted" for d in form_b)
