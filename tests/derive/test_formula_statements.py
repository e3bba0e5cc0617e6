"""The statement and gradient parsers of derive/formula.py: a parsed result or the documented
one-line error (FormulaError), for any text; never eval."""
from hypothesis import example, given, settings

from derive.formula import parse_gradient, parse_statement
from rnncore.errors import InvalidInputError
from tests.strategies import FORMULA_TEXT, near_valid_statements


def _parsed_or_documented_error(parse, text):
    try:
        parse(text)
    except InvalidInputError as exc:  # FormulaError, SizeBudgetError: one line, naming the fix
        assert "\n" not in str(exc) and str(exc)


@settings(max_examples=300, deadline=None)
@given(near_valid_statements())
@example("norm2(W) <= __import__('os')")
@example("norm2(W) < < 1")
@example("(norm2(W) < 1) < 2")
@example("dE[t] @ dplus")
def test_statement_and_gradient_parsers_fuzz(text):
    _parsed_or_documented_error(parse_statement, text)
    _parsed_or_documented_error(parse_gradient, text)


@settings(max_examples=200, deadline=None)
@given(FORMULA_TEXT)
def test_parsers_on_arbitrary_text(text):
    _parsed_or_documented_error(parse_statement, text)
    _parsed_or_documented_error(parse_gradient, text)


def test_gradient_language_round_trips():
    for text in ["sum(k, 1, t, dE[t] @ prod_down(i, t, k+1, W @ D[i-1]) @ dplus[k])",
                 "kron(I, h[k-1].T)", "(dE[t] @ D[t])[1, 2] * W", "outer(h[k], z[k])"]:
        g = parse_gradient(text)
        assert parse_gradient(g.text()) == g


def test_statement_chain_is_split_into_links():
    s = parse_statement("norm2(W @ D[j]) <= smax(W) * gamma < 1")
    assert [op for _, op, _ in s.links] == ["<=", "<"]
