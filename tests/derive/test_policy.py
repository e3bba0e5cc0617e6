"""Tests of derive/policy.py: one decision order, used by every front; backends apart."""
import ast
import pathlib

import pytest
import sympy as sp

from derive.closed_forms import eq13
from derive.jacobian import check_jacobian
from derive.network import RNN
from derive.policy import Beyond, decide
from derive.prove import prove_equal
from derive.seeds import resolve_seed, search_seed
from rnncore.errors import InvalidInputError
from rnncore.results import Counterexample, Method, MethodKind, Result, Scope, Verdict

DERIVE = pathlib.Path(__file__).resolve().parents[2] / "derive"
#: The exact backends and the randomized ones: neither side imports the other.
EXACT = {"canonical", "exact", "exact_jacobian"}
RANDOMIZED = {"randomized", "modeval", "certificate"}


def _imports(name):
    tree = ast.parse((DERIVE / f"{name}.py").read_text(encoding="utf-8"))
    return {node.module for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module}


@pytest.mark.parametrize("name", sorted(EXACT | RANDOMIZED))
def test_backends_never_import_each_other(name):
    other = RANDOMIZED if name in EXACT else EXACT | {"counterexample"}
    fronts = {"prove", "jacobian", "formula_check", "identity"}
    assert not _imports(name) & (other | fronts)


def test_the_fronts_leave_the_order_to_the_policy():
    for front in ("prove", "jacobian"):
        assert "decide" in _imports_names(front, "policy")


def _imports_names(name, module):
    tree = ast.parse((DERIVE / f"{name}.py").read_text(encoding="utf-8"))
    return {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and node.module == module for a in node.names}


def _result(verdict, kind=MethodKind.RANDOMIZED, **data):
    cex = Counterexample((("x", "1"),), "1", "2") if verdict is Verdict.REFUTED else None
    return Result(verdict, Method(kind), Scope(), "e", cex, data={"seed": 5, "difference": None, **data})


def test_decide_order():
    calls = []

    def exact():
        calls.append("exact")
        return Beyond("too big")

    def randomized():
        calls.append("randomized")
        return _result(Verdict.UNDECIDED, difference={"t": 1})

    def certify(res):
        calls.append("counterexample")
        assert res.data["difference"] == {"t": 1}
        return _result(Verdict.REFUTED, MethodKind.CERTIFIED)

    r = decide("auto", exact, randomized, certify)
    assert calls == ["exact", "randomized", "counterexample"]
    assert r.verdict is Verdict.REFUTED and r.method.kind is MethodKind.CERTIFIED
    assert r.data["exact_stopped"] == "too big" and r.data["seed"] == 5
    # an exact verdict stands: nothing else runs
    calls.clear()
    done = Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(), "expanded")
    r = decide("auto", lambda: done, randomized, certify)
    assert r == done and r.data == {"seed": None} and calls == []
    # exact only: beyond the budget is undecided, no randomized step
    r = decide("exact", exact, randomized, certify)
    assert r.verdict is Verdict.UNDECIDED and calls == ["exact"]
    # randomized only: no exact step; no difference, no counterexample step
    calls.clear()
    r = decide("randomized", exact, lambda: _result(Verdict.PROVED), certify)
    assert r.verdict is Verdict.PROVED and calls == []


def test_the_fronts_accept_the_three_methods_and_refuse_others():
    x = sp.Symbol("x")
    for method in ("auto", "exact", "randomized"):
        assert prove_equal((x + 1) ** 2, x**2 + 2 * x + 1, method=method).verdict is Verdict.PROVED
        assert check_jacobian(RNN(2, 1, 2), eq13, method=method).verdict is Verdict.PROVED
    with pytest.raises(InvalidInputError, match="method='fast' is not allowed"):
        check_jacobian(RNN(2, 1, 2), eq13, method="fast")


def test_one_orientation_exact_and_randomized():
    # lhs is the direct Jacobian's entry, rhs the candidate's, whichever backend found it
    wrong = lambda net, t, k: eq13(net, t, k) * 2  # noqa: E731
    exact = check_jacobian(RNN(2, 1, 2), wrong, method="exact").counterexample
    ring = check_jacobian(RNN(6, 1, 3), wrong, method="randomized").counterexample
    assert sp.Rational(exact.rhs) == 2 * sp.Rational(exact.lhs)
    p = ring.data["prime"]
    assert ring.data["rhs"] == 2 * ring.data["lhs"] % p


def test_seeds():
    assert resolve_seed(3) == (3, True) and search_seed(None) == 0
    with pytest.raises(InvalidInputError, match="seed=2.5 is not allowed"):
        resolve_seed(2.5)
