"""Tests of derive/formula.py: the whitelisted formula language."""
import ast
import builtins
import contextlib
from unittest import mock

import pytest
import sympy as sp
from hypothesis import example, given, settings

from derive.formula import (MAX_CHARS, MAX_COEFFICIENT_BITS, MAX_WORK_PER_PAIR, Formula,
                            as_formula, parse)
from derive.network import RNN
from rnncore.errors import FormulaError, InvalidInputError, SizeBudgetError
from tests.strategies import (FORMULA_TEXT, formula_trees, near_valid_formulas,
                              valid_formulas)


# ----------------------------------------------------------------------------- valid input
@pytest.mark.parametrize("text, canonical, one_step", [
    ("W.T * diag(dsigma(x[i-1]))", "W.T @ diag(dsigma(x[i - 1]))", True),
    ("W_rec @ D[j-1]", "W @ D[j - 1]", True),
    ("W @ D[t-1]", "W @ D[t - 1]", True),
    ("prod(i, t, k+1, W * diag(dsigma(x[i-1])))",
     "prod_down(i, t, k + 1, W @ diag(dsigma(x[i - 1])))", False),
    ("prod(i, k+1, t, W @ D[i-1])", "prod_up(i, k + 1, t, W @ D[i - 1])", False),
    ("prod_up(i, k+1, t, D[i-1] @ W.T)", "prod_up(i, k + 1, t, D[i - 1] @ W.T)", False),
    ("(1/2) * W + -W", "1/2 * W + -W", True),
    ("W / 2 - W/(-4)", "1/2 * W - -1/4 * W", True),
    ("-(W @ W) @ (-1) * W", "-(W @ W) * -1 @ W", True),
    ("W**3", "W**3", True),
    ("(W.T).T", "(W.T).T", True),
    ("a[i] .T.T", "(a[i].T).T", None),
])
def test_parse_canonical_text(text, canonical, one_step):
    if one_step is None:
        with pytest.raises(FormulaError, match="n×1"):
            parse(text)
        return
    f = parse(text)
    assert f.text() == canonical and str(f) == canonical
    assert f.one_step is one_step
    assert parse(f.text()).text() == canonical  # the printed text parses back


def test_latex():
    assert parse("prod_down(i, t, k+1, W @ D[i-1])").latex() == (
        "\\prod_{i=k + 1}^{t}\\left[W_{rec} D_{i - 1}\\right]_{\\text{largest index leftmost}}")
    assert parse("W.T @ diag(dsigma(x[i-1]))").latex() == (
        "W_{rec}^{T} \\operatorname{diag}\\left(\\sigma^{\\prime}\\left(x_{i - 1}\\right)\\right)")
    assert parse("1/2*W").latex() == "\\frac{1}{2} W_{rec}"


def test_candidate_form_a_and_b_meaning():
    # x in form A is the state; in form B it is the pre-activation, h = σ(x) in both
    A = RNN(2, 1, 3, form="A").with_base(1)
    B = RNN(2, 1, 3, form="B").with_base(1)
    assert parse("diag(x[2])").candidate()(A, 2, 1) == sp.diag(*A.state(2))
    assert parse("diag(h[2])").candidate()(A, 2, 1) == sp.diag(*A.sigma(A.state(2)))
    assert parse("diag(x[2])").candidate()(B, 2, 1) == sp.diag(*B.sigma_argument(2))
    assert parse("diag(a[2])").candidate()(B, 2, 1) == sp.diag(*B.sigma_argument(2))
    assert parse("diag(h[2])").candidate()(B, 2, 1) == sp.diag(*B.state(2))
    assert parse("D[2]").candidate()(B, 2, 1) == B.D(2)
    assert parse("diag(dsigma(x[2]))").candidate()(A, 2, 1) == A.D(2)


def test_products_order_and_empty_product():
    net = RNN(2, 1, 3).with_base(0)
    down = parse("prod_down(i, t, k+1, W @ D[i-1])").candidate()(net, 2, 0)
    up = parse("prod_up(i, k+1, t, W @ D[i-1])").candidate()(net, 2, 0)
    W = net.W_rec
    assert (down - W * net.D(1) * W * net.D(0)).expand() == sp.zeros(2)
    assert (up - W * net.D(0) * W * net.D(1)).expand() == sp.zeros(2)
    assert (down - up).expand() != sp.zeros(2)
    assert parse("prod_down(i, t-1, k+1, W)").candidate()(net, 1, 0) == sp.eye(2)
    assert parse("prod_up(i, t, k, W) + 0*D[k]").candidate()(net, 1, 0) == sp.eye(2)


def test_one_step_and_pairs():
    f = parse("W @ D[j-1]")
    assert f.one_step and f.step_var == "j" and f.pairs(2) == [(1, 0), (2, 1)]
    with pytest.raises(InvalidInputError, match="t = k \\+ 1"):
        f.candidate()(RNN(2, T=3).with_base(0), 2, 0)
    g = parse("prod_down(i, t, k+1, W)")
    assert not g.one_step and g.pairs(2) == [(1, 0), (2, 0), (2, 1)]
    assert g.accesses(2, 0) == []


# ----------------------------------------------------------------------------- bad input
HOSTILE = [
    ("__import__('os').system('ls')", "character"),
    ("x.__class__.__bases__", "attribute '.__bases__'"),
    ("W.__class__", "attribute '.__class__'"),
    ("lambda: W", "character ':'"),
    ("[W for W in W]", "comprehension"),
    ("open(W)", "function 'open'"),
    ("eval(W)", "function 'eval'"),
    ("exec(W)", "function 'exec'"),
    ("getattr(W, T)", "function 'getattr'"),
    ("W.T.conjugate", "attribute '.conjugate'"),
    ("os", "name 'os'"),
    ("W ** 99", "exponent 99"),
    ("W ** 9999999", "exponent"),
    ("W ** k", "exponent 'k'"),
    ("W ** -1", "exponent"),
    ("9" * 40 + " * W", "too long"),
    ("(" * 200 + "W" + ")" * 200, "nested 200 deep"),
    ("-" * 50 + "W", "run of 50 signs"),
    ("W" + ".T" * 100, "nested more than"),
    ("W + " * 200 + "W", "nested more than"),
    ("W" * (MAX_CHARS + 1), "characters"),
    ("W" * 1_000_000, "1000000 characters"),
    ("W if W else W", "if-expression"),
    ("W == W", "character '='"),
    ("W and W", "boolean operator"),
    ("W[0]", "only the sequences"),
    ("x", "needs a step index"),
    ("t", "integer, not a matrix"),
    ("x[1.5]", "number '1.5'"),
    ("0x10 * W", "number '0x10'"),
    ("1_0 * W", "number '1_0'"),
    ("0b11 * W", "number '0b11'"),
    ("1e3 * W", "number '1e3'"),
    ("W * 1j", "number '1j'"),
    ("*".join(["(21614*10000+2517)"] * 10) + " * W", "too large"),
    ("1" + "/999999" * 14 + " * W", "too large"),
    ("W @ D[i-1] * (1).T", ".T needs a matrix"),
    ("W + (2).T.T * W", ".T needs a matrix"),
    ("x[t*k]", "integer only"),
    ("x[i].T @ W", "1×n"),
    ("W_in @ W", "cannot multiply n×m by n×n"),
    ("W + b", "cannot add n×n and n×1"),
    ("diag(W)", "diag(..) needs a vector"),
    ("prod(i, t, k+2, W)", "runs down for some"),
    ("prod(t, t, k, W)", "must be i or j"),
    ("prod(i, t, k)", "takes 4 arguments"),
    ("prod_down(i, t, k, prod_down(i, t, k, W))", "already bound"),
    ("prod_down(i, t, k, prod_down(j, t, k, prod_down(i, t, k, W)))", "already bound"),
    ("W @ D[i] @ D[t]", "one step index"),
    ("W @ D[i] @ D[k]", "not bound"),
    ("diag(dsigma(x[i]), W)", "takes one argument"),
    ("dsigma(x=W)", "character '='"),
    ("W / W", "divides by a number only"),
    ("W / (W @ W)", "divides by a number only"),
    ("W * (1/0)", "division by zero"),
    ("True * W", "constant True"),
    ("W @ @ W", "not a formula"),
    ("", "empty"),
    ("W\x00", "character"),
    ("Wé", "character"),
]


@pytest.mark.parametrize("text, message", HOSTILE, ids=[h[0][:30] for h in HOSTILE])
def test_hostile_input_rejected(text, message):
    with pytest.raises(FormulaError) as info:
        parse(text)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_non_string_rejected():
    with pytest.raises(FormulaError, match="must be a string"):
        parse(b"W")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- fuzzing
@contextlib.contextmanager
def nothing_evaluated():
    """eval/exec raise; compile may only build syntax trees (ast.parse); sympify of text
    raises — the parser must need none of them."""
    import sympy.parsing.sympy_parser as sympy_parser

    def forbidden(*args, **kwargs):
        raise AssertionError("user text was evaluated")

    real_compile = builtins.compile

    def ast_only(source, filename, mode, flags=0, *args, **kwargs):
        if not flags & ast.PyCF_ONLY_AST:
            raise AssertionError("user text was compiled to code")
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    with mock.patch.object(builtins, "eval", forbidden), \
            mock.patch.object(builtins, "exec", forbidden), \
            mock.patch.object(builtins, "compile", ast_only), \
            mock.patch.object(sympy_parser, "parse_expr", forbidden):
        yield


def _parse_or_error(text):
    try:
        out = parse(text)
    except FormulaError as exc:
        out = exc
    assert isinstance(out, (Formula, FormulaError))
    if isinstance(out, FormulaError):
        assert str(out)  # a message, never empty
    return out


def test_guard_catches_evaluation():
    with nothing_evaluated():
        with pytest.raises(AssertionError):
            builtins.eval("1")
        with pytest.raises(AssertionError):
            builtins.compile("1", "<x>", "eval")
        with pytest.raises(AssertionError):
            sp.sympify("x + 1")
        assert isinstance(parse("W"), Formula)  # ast.parse still works


@settings(max_examples=200)
@given(FORMULA_TEXT)
@example("W.T * diag(dsigma(x[i-1]))")
@example("__import__('os')")
@example("(" * 1000)
def test_fuzz_arbitrary_text(text):
    with nothing_evaluated():
        _parse_or_error(text)


@settings(max_examples=200)
@given(near_valid_formulas())
@example("W.T.__class__")
@example("D[i-1]**99")
@example("W" + ".T" * 70)
def test_fuzz_near_valid(text):
    with nothing_evaluated():
        _parse_or_error(text)


@settings(max_examples=60)
@given(valid_formulas())
@example("((W @ D[i]) - (W.T)**2)")
@example("-((W * W))")
@example("(W * (1/1) * W)")
def test_valid_formulas_parse_print_and_evaluate(text):
    with nothing_evaluated():
        f = _parse_or_error(text)
    assert isinstance(f, Formula), text
    again = parse(f.text())
    assert again == f and again.text() == f.text()
    net = RNN(2, 1, 3).with_base(0)
    t, k = (1, 0) if f.one_step else (2, 0)
    if all(step >= 0 for _, step in f.accesses(t, k)):
        value = f.candidate()(net, t, k)
        assert value.shape == (2, 2)


# ----------------------------------------------------------------------------- round trip
@settings(max_examples=300)
@given(formula_trees())
@example("100*100000*W")
@example("W * 100 * 100000")
@example("-(3 * 1000000 + 5)/7 * W")
@example("1/(2 * 1000000 + 1) * W")
@example("W * -2 - -W")
def test_text_round_trips(text):
    f = parse(text)
    assert parse(f.text()) == f, (text, f.text())
    assert parse(f.text()).text() == f.text()


@pytest.mark.parametrize("text, latex", [
    ("W*(-2)", "-2 W_{rec}"),
    ("W*2*3", "6 W_{rec}"),
    ("2*W*3", "6 W_{rec}"),
    ("W*(-1)", "-W_{rec}"),
    ("W + W*(-2)", "W_{rec} + \\left(-2 W_{rec}\\right)"),
    ("W - -W", "W_{rec} - \\left(-W_{rec}\\right)"),
    ("W @ -W", "W_{rec} \\left(-W_{rec}\\right)"),
    ("100*100000*W", "10000000 W_{rec}"),
    ("W/2*3", "\\frac{3}{2} W_{rec}"),
])
def test_latex_scalars_first_and_signs_bracketed(text, latex):
    assert parse(text).latex() == latex


def test_literal_text_beyond_seven_digits_parses_back():
    f = parse("100*100000*W")
    assert f.text() == "(10 * 1000000 + 0) * W" and parse(f.text()) == f


def test_equal_formulas_ignore_spelling():
    assert parse("W_rec*(D[t-1])") == parse("W @ D[t - 1]")
    assert parse("W @ D[t-1]") != parse("W @ D[t-2]")


def test_as_formula():
    f = parse("W")
    assert as_formula(f) is f and as_formula("W") == f
    for bad in (123, None, b"W", ["W"]):
        with pytest.raises(FormulaError, match="must be a string or a parsed Formula"):
            as_formula(bad)


# ----------------------------------------------------------------------------- budgets
def test_nested_products_of_empty_powers_counted_honestly():
    with pytest.raises(FormulaError, match="expands to 512 factors here; at most 256"):
        parse("prod_down(i, 511, 0, prod_down(j, 511, 0, I**0))").check_budget(2, 3)
    f = parse("prod_down(i, 99, 0, prod_down(j, 99, 0, I**0))")
    with pytest.raises(FormulaError, match=f"budget is {MAX_WORK_PER_PAIR} per pair"):
        f.check_budget(2, 3)
    with pytest.raises(FormulaError, match="matrix operations"):
        f.candidate()(RNN(2, 1, 3).with_base(0), 1, 0)  # the API path is guarded too
    assert parse("prod_down(i, t, k+1, I**0)").factor_count(3, 0) == 3  # I**0 is a factor
    with pytest.raises(FormulaError, match="a term of 321 matrix factors"):
        parse("prod_down(i, 159, 0, W) @ prod_down(i, 159, 0, W) @ W").check_budget(2, 3)


def test_scattered_constants_are_bounded():
    big = " @ W * (21614*10000+2517)" * 10
    f = parse("W @ D[i-1]" + big)
    with pytest.raises(FormulaError, match=f"beyond 2\\^{MAX_COEFFICIENT_BITS}"):
        f.check_budget(2, 3)
    g = parse("prod_down(i, t, k+1, 100 * W @ D[i-1])")
    g.check_budget(2, 8)  # 100^8 fits
    with pytest.raises(FormulaError, match="builds coefficients"):
        g.check_budget(2, 64)


def test_size_budget():
    with pytest.raises(SizeBudgetError, match="n=65 is beyond"):
        parse("W @ D[i-1]").check_budget(65, 128)
    with pytest.raises(SizeBudgetError, match="T=129 is beyond"):
        parse("W @ D[i-1]").check_budget(64, 129)


def test_eq13_at_long_spans_is_within_the_factor_budget():
    # issue 14/10: the true closed form was refused at T >= 49 ("more than 96 matrices")
    f = parse("prod_down(i, t, k+1, W @ D[i-1])")
    assert f.check_budget(64, 128) > 0
    assert f.factor_count(128, 0) == 256
    with pytest.raises(InvalidInputError, match="T=2.0 is not allowed"):
        parse("W @ D[i-1]").check_budget(2, 2.0)


def test_cost_is_remembered_per_pair_and_a_count_never_hides_a_refusal():
    from derive.formula import MAX_TERM_FACTORS, MAX_WORK_PER_PAIR, _cost
    f = parse("prod_down(i, t, k+1, W @ D[i-1]) + W**3")
    for t in range(1, 7):
        for k in range(t):
            fresh = _cost(f.expr, f.env(t, k), MAX_WORK_PER_PAIR, None)
            assert f.cost(t, k) == f.cost(t, k, count_only=True) == fresh == f.cost(t, k)
    g = parse("prod_down(i, t, 0, W**3 @ D[i])")
    assert g.factor_count(120, 0) == 484 > MAX_TERM_FACTORS  # counted, cached as a count ...
    with pytest.raises(FormulaError, match="484 matrix factors"):
        g.cost(120, 0)  # ... and still refused as a cost
    assert g == parse("prod_down(i, t, 0, W**3 @ D[i])")  # the memo is not part of the value
