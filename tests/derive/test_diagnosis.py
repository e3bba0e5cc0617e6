"""Tests of derive/formula_check.py and derive/diagnosis.py: checking formulas in a
convention, and diagnosing them.

WRONG and EQUIVALENT are shared with the CLI tests (tests/rnnproof/test_check_command.py).
"""
import pytest

from derive import formula_check
from derive.convention import CORRECT, Convention, Template, templates
from derive.diagnosis import diagnose
from derive.direct import direct_jacobian
from derive.formula import parse
from derive.formula_check import check_formula
from derive.network import RNN
from derive.prove import substitute
from rnncore.errors import FormulaError, InvalidInputError, SizeBudgetError
from rnncore.results import MethodKind

# (formula, form, layout): each is the Jacobian in that convention
EQUIVALENT = [
    ("W @ D[i-1]", "A", "numerator"),
    ("W_rec * diag(dsigma(x[i-1]))", "A", "numerator"),
    ("W @ diag(dsigma(x[t-1]))", "A", "numerator"),
    ("(D[i-1] @ W.T).T", "A", "numerator"),
    ("W.T.T @ D[j-1]", "A", "numerator"),
    ("2 * (W @ D[i-1]) - W @ D[i-1]", "A", "numerator"),
    ("D[i-1] @ W.T", "A", "denominator"),
    ("prod_down(i, t, k+1, W @ D[i-1])", "A", "numerator"),
    ("prod(i, t, k+1, W * diag(dsigma(x[i-1])))", "A", "numerator"),
    ("W @ D[t-1] @ prod_down(i, t-1, k+1, W @ D[i-1])", "A", "numerator"),
    ("prod_down(i, t, k+1, W @ D[i-1]) @ I", "A", "numerator"),
    ("(prod_up(i, k+1, t, D[i-1] @ W.T)).T", "A", "numerator"),
    ("prod_up(i, k+1, t, D[i-1] @ W.T)", "A", "denominator"),
    ("W.T @ D[i]", "B", "denominator"),
    ("W.T @ diag(dsigma(a[i]))", "B", "denominator"),
    ("diag(dsigma(W @ h[j-1] + W_in @ u[j] + b)) @ W", "B", "numerator"),
    ("D[i] @ W", "B", "numerator"),
    ("prod_down(i, t, k+1, D[i] @ W)", "B", "numerator"),
    ("prod_up(i, k+1, t, W.T @ D[i])", "B", "denominator"),
]

# (formula, form, layout, what is wrong)
WRONG = [
    ("W.T @ D[i-1]", "A", "numerator", "transposed W_rec (the paper's factor)"),
    ("W.T * diag(dsigma(x[i-1]))", "A", "denominator", "paper's factor, denominator"),
    ("D[i-1] @ W", "A", "numerator", "diag on the wrong side"),
    ("W @ D[i]", "A", "numerator", "σ' one step late"),
    ("W @ D[i-2]", "A", "numerator", "σ' two steps early"),
    ("W", "A", "numerator", "missing σ'"),
    ("D[i-1]", "A", "numerator", "missing W_rec"),
    ("W @ D[i-1] + I", "A", "numerator", "extra term"),
    ("2 * W @ D[i-1]", "A", "numerator", "scaled"),
    ("-W @ D[i-1]", "A", "numerator", "sign"),
    ("W @ diag(sigma(x[i-1]))", "A", "numerator", "σ in place of σ'"),
    ("W @ diag(dsigma(h[i-1]))", "A", "numerator", "σ' at h = σ(x)"),
    ("W**2 @ D[i-1]", "A", "numerator", "extra W_rec"),
    ("prod_up(i, k+1, t, W @ D[i-1])", "A", "numerator", "reversed order"),
    ("prod_down(i, t, k+2, W @ D[i-1])", "A", "numerator", "missing factor"),
    ("prod_down(i, t, k, W @ D[i-1])", "A", "numerator", "extra factor"),
    ("prod_down(i, t, k+1, W.T @ D[i-1])", "A", "numerator", "paper, largest leftmost"),
    ("prod_up(i, k+1, t, W.T @ D[i-1])", "A", "denominator", "paper, smallest leftmost"),
    ("prod_down(i, t, k+1, D[i-1] @ W.T)", "A", "denominator", "denominator, reversed"),
    ("prod_down(i, t, k+1, W @ D[i-1]).T", "A", "numerator", "transposed product"),
    ("W.T @ D[i-1]", "B", "denominator", "σ' one step early"),
    ("W.T @ D[i]", "B", "numerator", "layout mix-up"),
    ("D[i] @ W", "B", "denominator", "layout mix-up"),
    ("W @ D[i]", "B", "numerator", "diag on the wrong side"),
    ("prod_down(i, t, k+1, W.T @ D[i])", "B", "denominator", "reversed order"),
]


def recheck(cex, text, form, layout, n=2, T=3):
    """Re-check a counterexample independently: substitute its values into the direct
    Jacobian (derive.direct) and into the formula, at its (t, k) and entry."""
    data = cex.data
    t, k = cex.location.t, cex.location.k
    assert cex.location.layout == layout
    base = data.get("base", k)
    rnn = RNN(n, 1, T, "generic", form)
    J = direct_jacobian(rnn, t, k)
    if base != k:
        J = J.xreplace(dict(zip(rnn.with_base(k).state_symbols(k), rnn.with_base(base).state(k))))
    if layout == "denominator":
        J = J.T
    C = parse(text).candidate()(rnn.with_base(base), t, k)
    i, j = cex.location.entry
    jv, cv = substitute(J[i, j], data), substitute(C[i, j], data)
    assert jv.is_Rational and cv.is_Rational and jv != cv
    assert jv == data["lhs"] and cv == data["rhs"]
    if "jacobian_at_point" in data:
        point = {"subs": data["subs"], "function_values": data["function_values_full"]}
        assert substitute(J, point) == data["jacobian_at_point"]
        assert substitute(C, point) == data["formula_at_point"]


@pytest.mark.parametrize("text, form, layout", EQUIVALENT)
def test_equivalent_formulas_are_proved(text, form, layout):
    result = check_formula(text, form=form, layout=layout, n=2, T=3)
    assert result.verdict.value == "proved", result.evidence
    assert result.counterexample is None


@pytest.mark.parametrize("text, form, layout, why", WRONG)
def test_wrong_formulas_are_refuted_with_a_counterexample(text, form, layout, why):
    result = check_formula(text, form=form, layout=layout, n=2, T=3)
    assert result.verdict.value == "refuted", (why, result.evidence)
    recheck(result.counterexample, text, form, layout)


def test_counts():
    assert len(EQUIVALENT) >= 10 and len(WRONG) >= 20


def test_check_formula_sizes_and_activations():
    # Verifies: blog eq. 13 at n=3, T=4 and a concrete activation
    r = check_formula("prod_down(i, t, k+1, W @ D[i-1])", n=3, T=4)
    assert r.verdict.value == "proved" and r.method.kind is MethodKind.EXACT  # not randomized
    assert r.scope.checked == 10 and r.scope.span("n").hi == 3 and r.scope.skipped == 0
    r = check_formula("W @ D[i-1]", n=2, T=2, activation="tanh")
    assert r.verdict.value == "proved" and r.scope.activations == ("tanh",)
    r = check_formula("W.T @ D[i-1]", n=2, T=2, activation="relu")
    assert r.verdict.value == "refuted"


def test_check_formula_bad_input():
    with pytest.raises(FormulaError, match="outside 0..T=1"):
        check_formula("W @ D[i+5]", T=1)
    with pytest.raises(InvalidInputError, match="unknown layout"):
        check_formula("W", layout="columns")
    with pytest.raises(InvalidInputError, match="unknown form"):
        check_formula("W", form="C")
    with pytest.raises(FormulaError):
        check_formula("W.__class__")


@pytest.mark.parametrize("form, layout", sorted(CORRECT))
def test_the_correct_table_is_computed(form, layout):
    # of the 4 (σ', order) conventions per (form, layout), exactly the CORRECT one holds
    for sigma_at in ("i-1", "i"):
        for order in ("largest-left", "smallest-left"):
            c = Convention(form, layout, sigma_at, order)
            t = next(tp for tp in templates(form, False) if tp.convention == c)
            verdict = check_formula(t.text(), form=form, layout=layout, n=2, T=3).verdict.value
            assert (verdict == "proved") == c.correct, (str(c), verdict)


def test_diagnosis_of_the_paper_factor():
    # Verifies: paper.eq5.diagnosis — W_recᵀ diag(σ'(x_{i-1})) is form B's denominator
    # convention with σ' one step early
    d = diagnose("W.T * diag(dsigma(x[i-1]))")
    assert d.holds_in == ()
    assert [str(c) for c in d.conventions] == [
        "form B, denominator layout, σ' at i-1, order n/a (one step)"]
    described = {n.describe() for n in d.nearest}
    assert described == {
        "form A, numerator layout: transposed W_rec",
        "form A, denominator layout: diag(σ') on the other side of W_rec",
        "form B, denominator layout: σ' one step early (at i-1, not i)",
    }
    fixed = diagnose("W.T * diag(dsigma(x[i]))")
    assert fixed.holds_in == (("B", "denominator"),)


@pytest.mark.parametrize("text, nearest", [
    ("prod_down(i, t, k+1, W.T @ D[i-1])", {"form A, numerator layout: transposed W_rec"}),
    ("prod_up(i, k+1, t, W @ D[i-1])", {"form A, numerator layout: reversed product order"}),
    ("D[i-1] @ W", {"form A, numerator layout: diag(σ') on the other side of W_rec",
                    "form A, denominator layout: W_rec where W_recᵀ is needed",
                    "form B, numerator layout: σ' one step early (at i-1, not i)"}),
    ("W @ D[i]", {"form A, numerator layout: σ' one step late (at i, not i-1)",
                  "form B, numerator layout: diag(σ') on the other side of W_rec",
                  "form B, denominator layout: W_rec where W_recᵀ is needed"}),
    ("prod_down(i, t, k+1, W.T @ D[i])", {"form B, denominator layout: reversed product order"}),
])
def test_nearest_convention(text, nearest):
    d = diagnose(text)
    assert d.holds_in == ()
    assert {n.describe() for n in d.nearest} == nearest


@pytest.mark.parametrize("text, form, layout", [e for e in EQUIVALENT if "u[" not in e[0]])
def test_diagnosis_agrees_with_check(text, form, layout):
    assert (form, layout) in diagnose(text).holds_in


def test_diagnosis_of_unrelated_formulas():
    d = diagnose("W @ W")
    assert d.matches == () and d.nearest == () and "no nearest" in d.notes[0]
    d = diagnose("prod_down(i, t, k+2, W @ D[i-1])")
    assert d.matches == () and "not even for one step" in d.notes[0]
    # right for one step, a factor missing for longer products
    d = diagnose("W @ D[t-1] @ prod_down(i, t-1, k+2, W @ D[i-1])")
    assert d.matches == ()
    assert d.notes[0].startswith("for t = k+1 it equals form A: W @ D[i-1]")
    assert "not over several steps" in d.notes[0]
    with pytest.raises(InvalidInputError, match="T=2 is too small"):
        diagnose("prod_down(i, t, k+1, W)", T=2)


def test_templates_and_conventions():
    assert len(templates("A", True)) == 8 and len(templates("B", False)) == 16
    conventions = {t.convention for f in "AB" for t in templates(f, False)} - {None}
    assert len(conventions) == 16  # {A, B} × {num, den} × {i-1, i} × {2 orders}
    assert sum(c.correct for c in conventions) == 4
    assert Template("A", True, False, "i-1", None).layout is None  # the paper's shape
    assert Template("B", True, False, "i-1", None).layout == "denominator"


def test_diagnosis_text_and_dict():
    d = diagnose("W.T @ D[i-1]")
    text = d.text()
    assert "nearest true convention" in text and "σ' one step early" in text
    data = d.to_dict()
    assert data["conventions"][0]["layout"] == "denominator"
    assert data["conventions"][0]["true_jacobian"] is False


def test_reads_before_the_base_beyond_budget_is_undecided(monkeypatch):
    monkeypatch.setattr(formula_check, "SHIFTED_BUDGET", 2)
    r = check_formula("W @ D[i-1] + 0*D[i-2]", n=2, T=3)
    assert r.verdict.value == "undecided" and "beyond the exact budget" in r.evidence
    monkeypatch.setattr(formula_check, "SHIFTED_BUDGET", 4)
    r = check_formula("prod_down(i, t, k+1, W @ D[i-1]) + 0*D[k-1]", n=2, T=3)
    assert r.verdict.value == "undecided" and r.scope.skipped == 4 and r.scope.checked == 2
    assert "beyond the exact" in r.scope.skipped_what
    r = check_formula("prod_down(i, t, k+1, W.T @ D[i-1]) + 0*D[k-1]", n=2, T=3)
    assert r.verdict.value == "refuted"  # a refutation stands whatever was not checked


def test_large_sizes_go_to_the_randomized_test_and_keep_its_scope():
    r = check_formula("prod_down(i, t, k+1, W @ D[i-1])", n=6, T=8)
    assert r.verdict.value == "proved"
    assert r.method.kind is MethodKind.RANDOMIZED and r.method.error_log2 <= -100
    assert r.scope.checked == 36 and r.data["seed"] >= 0


def test_heavy_formulas_are_bounded():
    # W**8 at n=6 is far beyond exact expansion: the randomized test decides it
    r = check_formula("W**8 @ D[i-1]", n=6, T=8)
    assert r.verdict.value == "refuted" and r.method.kind is MethodKind.RANDOMIZED
    cex = r.counterexample
    assert cex.location.t == cex.location.k + 1 and cex.location.layout == "numerator"
    # lhs is always the Jacobian (forward differentiation), rhs the formula
    assert int(cex.lhs.split()[0]) == cex.data["lhs"] and int(cex.rhs.split()[0]) == cex.data["rhs"]
    assert "lhs: ∂x_t/∂x_k by forward differentiation" in cex.note
    with pytest.raises(FormulaError, match="a term of 324 matrix factors, more than 320"):
        check_formula("prod_down(i, t, k+1, prod_down(j, t, k+1, W**8 @ D[j]))", n=2, T=8)
    r = check_formula("W**4 @ D[i-1] - W**4 @ D[i-1] + W @ D[i-1]", n=6, T=8)
    assert r.verdict.value == "proved" and r.method.error_log2 <= -100


def test_skipped_pairs_are_never_proved():
    # the second product reads D beyond T at every pair with t >= k + 2: those pairs are
    # skipped, so the three one-step pairs checked cannot stand for "proved"
    r = check_formula("prod_down(i, t, k+1, W @ D[i-1]) + prod_down(i, t, k+2, W @ D[i+5]) - I", T=3)
    assert r.verdict.value == "undecided"
    assert (r.scope.checked, r.scope.skipped) == (3, 3)
    assert "outside the network" in r.scope.skipped_what and "not checked" in r.evidence
    assert [d.verdict.value for d in r.details] == ["proved"]


def test_heavy_formula_is_not_diagnosed():
    d = diagnose("prod_down(i, t, k+1, prod_down(j, t, k+1, W**8 @ D[j]))")
    assert d.matches == () and d.notes[0].startswith("not diagnosed: the formula multiplies 36")


def test_api_budgets_are_checked_before_any_work():
    # Verifies: a formula check or diagnosis beyond its budget is refused upfront, naming it
    with pytest.raises(FormulaError, match="must be a string or a parsed Formula"):
        check_formula(123)
    with pytest.raises(InvalidInputError, match="T must be an integer"):
        diagnose("W @ D[i-1]", T=2.0)
    with pytest.raises(SizeBudgetError, match="n=65 is beyond the budget of a formula check"):
        check_formula("W @ D[i-1]", n=65, T=128)
    with pytest.raises(SizeBudgetError, match="n=6 is beyond the diagnosis budget"):
        diagnose("W @ D[i-1]", n=6, T=8)


@pytest.mark.parametrize("text", sorted({e[0] for e in EQUIVALENT + WRONG if "u[" not in e[0]}
                                        | {"W @ W", "prod_down(i, t, k+2, W @ D[i-1])",
                                           "prod_up(i, k+1, t, W.T @ D[i])"}))
def test_the_fast_diagnosis_finds_what_the_reference_route_finds(text):
    from derive.diagnosis import diagnose_by_reference
    fast, ref = diagnose(text), diagnose_by_reference(text)
    assert fast == ref and fast.text() == ref.text() and fast.to_dict() == ref.to_dict()
    # the fast route runs the proofs of the matches only; each holds
    assert all(r.holds for r in fast.results)


def test_shown_unequal_never_separates_what_prove_equal_proves():
    from derive.diagnosis import shown_unequal
    from derive.network import RNN
    from derive.prove import prove_equal
    for form in ("A", "B"):
        rnn = RNN(2, 1, 3, "generic", form)
        net = rnn.with_base(1)
        for tpl in templates(form, True):
            for other in templates(form, True):
                a = tpl.formula().candidate()(net, 3, 2)
                b = other.formula().candidate()(net, 3, 2)
                assert shown_unequal(a, b) == (not prove_equal(a, b, method="exact").holds)


@pytest.mark.parametrize("text, form, layout", [w[:3] for w in WRONG if "u[" not in w[0]][:8]
                         + [("W.T @ D[i-1]", "B", "denominator"), ("prod_up(i, k+1, t, W @ D[i-1])", "A", "numerator")])
def test_the_quiet_check_is_the_check_without_the_whole_matrices(text, form, layout):
    from derive.formula_check import check_formula_quietly
    from rnnproof.printers.json import result_dict
    loud = check_formula(text, form=form, layout=layout, n=2, T=2)
    quiet = check_formula_quietly(text, form=form, layout=layout, n=2, T=2)
    assert result_dict(loud) == result_dict(quiet)
    if quiet.counterexample is not None:
        assert "jacobian_at_point" not in quiet.counterexample.data
        extra = ("jacobian_at_point", "formula_at_point", "function_values_full")
        assert {k: v for k, v in loud.counterexample.data.items() if k not in extra} == \
            quiet.counterexample.data
