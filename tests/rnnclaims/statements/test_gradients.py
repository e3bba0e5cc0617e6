"""Gradient statements (rnnclaims.statements.check_gradient): right formulas proved, wrong
variants refuted with a counterexample, against direct differentiation of the network."""
import pytest

from rnnclaims.statements import check_gradient
from rnncore.errors import FormulaError, InvalidInputError

PROD = "prod_down(i, t, k+1, W @ D[i-1])"
PROD_B = "prod_down(i, t, k+1, D[i] @ W)"

# (formula, keyword arguments): each is the gradient in the stated convention
RIGHT = [
    (f"sum(k, 1, t, dE[t] @ {PROD} @ dplus[k])", {}),                      # blog eq. 11, vec-row
    (f"2 * sum(k, 1, t, dE[t] @ {PROD} @ dplus[k]) - sum(k, 1, t, dE[t] @ {PROD} @ dplus[k])", {}),
    (f"sum(k, 1, t, dE[t] @ {PROD} @ kron(I, h[k-1].T))", {}),             # ∂⁺x_k/∂W_rec spelled out
    (f"sum(k, 1, t, (dE[t] @ {PROD}).T @ h[k-1].T)", {"whole": "matrix"}),  # as a matrix
    (f"sum(k, 1, t, outer((dE[t] @ {PROD}).T, h[k-1]))", {}),
    (f"sum(k, 1, t, dE[t] @ {PROD} @ kron(h[k-1].T, I))", {"whole": "vec-col"}),
    (f"sum(k, 1, t, dE[t] @ {PROD} @ kron(I, u[k].T))", {"theta": "W_in"}),
    (f"sum(k, 1, t, dE[t] @ {PROD} @ kron(u[k].T, I))", {"theta": "W_in", "whole": "vec-col"}),
    (f"sum(k, 1, t, ({PROD}).T @ dE[t].T)", {"theta": "b", "whole": "matrix"}),
    (f"sum(k, 1, t, (dE[t] @ {PROD}).T @ z[k].T)", {"theta": "W", "whole": "matrix"}),
    (f"(sum(k, 1, t, (dE[t] @ {PROD}).T @ h[k-1].T))[1, 2]", {"entry": (1, 2)}),
    (f"sum(k, 1, t, dE[t] @ {PROD_B} @ D[k] @ kron(I, h[k-1].T))", {"form": "B"}),
    ("kron(I, h[k-1].T)", {"what": "immediate"}),
    (f"sum(k, 1, t, {PROD} @ dplus[k])", {"what": "state"}),
    (f"sum(t, 1, T, sum(k, 1, t, dE[t] @ {PROD} @ dplus[k]))", {"what": "sum"}),
    (f"sum(k, 0, t, dE[t] @ {PROD} @ dplus[k])", {}),                      # ∂⁺x_0/∂θ = 0
]

# (formula, keyword arguments, the mistake)
WRONG = [
    (f"sum(k, 1, t, dE[t] @ prod_down(i, t, k+1, W.T @ D[i-1]) @ dplus[k])", {}, "transposed W"),
    (f"sum(k, 1, t, dE[t] @ prod_up(i, k+1, t, W @ D[i-1]) @ dplus[k])", {}, "reversed product"),
    (f"sum(k, 1, t, dE[t] @ prod_down(i, t, k+1, W @ D[i]) @ dplus[k])", {}, "σ' at i, not i-1"),
    (f"sum(k, 2, t, dE[t] @ {PROD} @ dplus[k])", {}, "sum from 2 (off by one)"),
    (f"sum(k, 1, t - 1, dE[t] @ {PROD} @ dplus[k])", {}, "sum to t-1 (off by one)"),
    ("dE[t] @ dplus[t]", {}, "only the immediate term"),
    (f"sum(k, 1, t, (dE[t] @ {PROD}).T @ h[k].T)", {"whole": "matrix"}, "h_k for h_{k-1}"),
    (f"sum(k, 1, t, h[k-1] @ dE[t] @ {PROD})", {"whole": "matrix"}, "the outer product transposed"),
    (f"sum(k, 1, t, dE[t] @ {PROD} @ kron(I, h[k-1].T))", {"whole": "vec-col"}, "row-major vec under vec-col"),
    (f"sum(k, 1, t, dE[t] @ {PROD} @ kron(I, u[t].T))", {"theta": "W_in"}, "u_t for u_k"),
    (f"(sum(k, 1, t, (dE[t] @ {PROD}).T @ h[k-1].T))[2, 1]", {"entry": (1, 2)}, "entry swapped"),
    (f"sum(k, 1, t, dE[t] @ {PROD_B} @ kron(I, h[k-1].T))", {"form": "B"}, "form B without σ'(a_k)"),
    (f"sum(k, 1, t, dE[t] @ {PROD} @ dplus[k])", {"form": "B"}, "form A's Jacobian in form B"),
    ("kron(I, h[k].T)", {"what": "immediate"}, "immediate partial one step late"),
]


@pytest.mark.parametrize("text, kw", RIGHT)
def test_right_gradient_formulas_are_proved(text, kw):
    # Verifies: blog eq. 11 (and its rewrites) against direct differentiation
    r = check_gradient(text, **kw)
    assert r.label.value == "proved", r.evidence
    assert r.scope.skipped == 0 and r.scope.checked >= 1


@pytest.mark.parametrize("text, kw, why", WRONG)
def test_wrong_gradient_formulas_are_refuted(text, kw, why):
    # Verifies: blog eq. 11 — each mistake is refuted with a checkable counterexample
    r = check_gradient(text, **kw)
    assert r.verdict.value == "refuted", (why, r.evidence)
    cex = r.counterexample
    assert cex is not None and cex.lhs != cex.rhs and cex.point


def test_gradient_reading_outside_the_network_is_undecided_not_proved():
    # the t = T step reads dE[T + 1]: skipped, so never "holds"
    r = check_gradient(f"sum(k, 1, t, dE[t] @ {PROD} @ dplus[k]) + 0 * dE[t+1] @ dplus[1]")
    assert r.verdict.value == "undecided" and r.scope.skipped == 1
    assert "t = 3" in r.scope.skipped_what and "nothing is claimed" in r.evidence


def test_tanh_gradient_uses_the_activation():
    # tanh' = 1 - tanh^2 written out: proved on the exact path
    text = (f"sum(k, 1, t, dE[t] @ prod_down(i, t, k+1, W @ (I - diag(sigma(x[i-1]))**2))"
            " @ kron(I, h[k-1].T))")
    assert check_gradient(text, activation="tanh").verdict.value == "proved"


@pytest.mark.parametrize("text, kw, message", [
    ("dE[t] @ dplus[t]", {"whole": "matrix"}, "is 1×n*n, but"),
    ("dE[t] @ dplus[k]", {}, "index 'k' is not bound"),
    ("dE[t] @ dplus[t]", {"theta": "U"}, "theta='U' is not allowed"),
    ("dE[t] @ dplus[t]", {"n": 9}, "n=9 is beyond"),
    ("dE[t] @ dplus[t]", {"entry": (0, 1)}, "entry=(0, 1) is not an entry"),
    ("dE[t].__class__", {}, "attribute"),
    ("kron(I)", {}, "two arguments"),
])
def test_bad_gradient_input_one_line_error(text, kw, message):
    with pytest.raises(InvalidInputError) as info:
        check_gradient(text, **kw)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_gradient_names_are_not_jacobian_names():
    from rnnclaims.statements import check_jacobian
    with pytest.raises(FormulaError, match="belongs to gradient formulas"):
        check_jacobian("dE[t].T @ dE[t]")


def test_dplus_adds_to_its_spelled_out_form():
    # dplus[k] has θ's size p = n*n for W_rec, so it adds to kron(I, h[k-1].T)
    same = check_gradient("2 * dplus[k] - kron(I, h[k-1].T)", what="immediate")
    assert same.verdict.value == "proved"
    assert check_gradient("dplus[k] - kron(I, h[k-1].T)", what="immediate").verdict.value == "refuted"


def test_refuted_formula_names_the_convention_it_holds_in():
    # column-major vec written, row-major (the default) asked: refuted, and the vec-col
    # reading is named — never presented as proof of the formula as asked
    text = f"sum(k, 1, t, dE[t] @ {PROD} @ kron(h[k-1].T, I))"
    r = check_gradient(text)
    assert r.verdict.value == "refuted"
    assert r.data["holds_in"] == [{"form": "A", "whole": "vec-col"}]
    assert "it holds in form A (vec-col)" in r.evidence
