"""The lemma checker's shortcut: a pair of expressions shown different at an exact point
(``_differ``) is one :func:`~derive.norm_expr.exact_equal` calls different, and every proof
of the table checks the same with the shortcut as without it (the reference route)."""
from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

import derive.lemma_proof as lp
from derive.lemma_proof import _differ, _equal, check
from derive.norm_expr import Add, Mat, Mul, Norm2, Num, Pow, Sym, exact_equal, sub
from derive.norm_proofs import PROOFS
from tests.strategies import norm_scalars

t, k, g = Sym("t"), Sym("k"), Sym("γ")


@settings(max_examples=150, deadline=None)
@given(norm_scalars(), norm_scalars())
@example(Pow(Mul(g, Norm2(Mat("W"))), sub(t, k)), Num(1))
@example(Pow(Sym("γ"), Num(Fraction(1, 2))), Pow(Sym("γ"), Num(Fraction(1, 2))))
def test_shown_different_is_never_equal(a, b):
    if _differ(a, b):
        assert not exact_equal(a, b)
    assert _equal(a, b) == exact_equal(a, b)


@settings(max_examples=60, deadline=None)
@given(norm_scalars())
def test_a_rewrite_of_the_same_expression_is_not_shown_different(a):
    for same in (Add(a, Num(0)), Mul(Num(1), a), Add(Mul(Num(2), a), Mul(Num(-1), a))):
        assert not _differ(a, same)
        assert _equal(a, same) == exact_equal(a, same)


def test_the_symbolic_power_against_one_is_decided_without_simplify(monkeypatch):
    import derive.norm_expr as ne

    def refuse(*_):
        raise AssertionError("simplify reached")
    monkeypatch.setattr(ne.sp, "simplify", refuse)
    # a fresh pair (the caches of exact_equal and _differ know nothing of it)
    assert not _equal(Pow(Mul(Sym("γ₉"), Norm2(Mat("W₉"))), sub(t, k)), Num(1))


def test_every_proof_checks_the_same_as_on_the_reference_route(monkeypatch):
    fast = {cid: [check(p) for p in parts] for cid, parts in PROOFS.items()}
    monkeypatch.setattr(lp, "_differ", lambda a, b: False)
    for cid, parts in PROOFS.items():
        ref = [check(p) for p in parts]
        assert [c.text() for c in fast[cid]] == [c.text() for c in ref], cid
        assert [(c.ok, c.reason, c.lemmas_used) for c in fast[cid]] == \
            [(c.ok, c.reason, c.lemmas_used) for c in ref], cid


@settings(max_examples=200, deadline=None)
@given(norm_scalars(), norm_scalars())
@example(Add(Mul(Num(2), t), Mul(Num(-1), Add(t, t))), Num(0))
@example(Pow(g, sub(t, k)), Mul(Pow(g, t), Pow(g, Mul(Num(-1), k))))
def test_values_that_differ_at_the_two_points_mean_no_rational_expansion(a, b):
    import sympy as sp
    from derive.norm_expr import le, to_sympy
    try:
        d = to_sympy(b) - to_sympy(a)
    except Exception:  # a matrix among the drawn scalars: no linear gap
        return
    at = lp._gap_at_points(le(a, b))
    if at is not None and at[0] != at[1]:
        assert not sp.expand(d).is_Rational
    if at is not None and sp.expand(d).is_Rational:
        assert at[0] == at[1] == sp.expand(d)


def test_linear_arithmetic_answers_as_the_reference_route_in_every_proof(monkeypatch):
    calls = []
    original = lp._arithmetic

    def recording(stmt, facts, route="fast"):
        out = original(stmt, facts, route)
        calls.append((stmt, list(facts), out))
        return out
    monkeypatch.setattr(lp, "_arithmetic", recording)
    fast = {cid: [check(p) for p in parts] for cid, parts in PROOFS.items()}
    assert calls
    for stmt, facts, out in calls:
        assert original(stmt, facts, "reference") == out, stmt.text()
    monkeypatch.setattr(lp, "_arithmetic", lambda s, f: original(s, f, "reference"))
    for cid, parts in PROOFS.items():
        ref = [check(p) for p in parts]
        assert [c.text() for c in fast[cid]] == [c.text() for c in ref], cid
        assert [(c.ok, c.reason, c.lemmas_used) for c in fast[cid]] == \
            [(c.ok, c.reason, c.lemmas_used) for c in ref], cid
