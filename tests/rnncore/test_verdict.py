"""Results and counterexamples: frozen values with the rules of the verdict vocabulary."""
import dataclasses

import pytest

from rnncore.errors import InternalError
from rnncore.results import (Counterexample, Location, Method, MethodKind, Result, Scope, Span,
                             Verdict, assignment_from)

CEX = Counterexample((("w", "2"),), lhs="1", rhs="2", location=Location(t=2, k=0))
EXACT = Method(MethodKind.EXACT, "expansion")


def test_result_is_frozen():
    r = Result(Verdict.PROVED, EXACT, Scope(), "e")
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.verdict = Verdict.REFUTED


def test_refuted_needs_counterexample():
    with pytest.raises(InternalError):
        Result(Verdict.REFUTED, EXACT, Scope(), "e")
    assert Result(Verdict.REFUTED, EXACT, Scope(), "e", CEX).counterexample is CEX


@pytest.mark.parametrize("verdicts, expected", [
    (["proved", "proved"], "proved"),
    (["proved", "confirmed"], "confirmed"),
    (["confirmed", "undecided", "proved"], "undecided"),
    (["undecided", "refuted", "proved"], "refuted"),
])
def test_combine_takes_the_weakest(verdicts, expected):
    results = [Result(Verdict(v), EXACT, Scope(spans=(Span("n", 1, i + 1),)), f"e{i}",
                      CEX if v == "refuted" else None)
               for i, v in enumerate(verdicts)]
    combined = Result.combine(results)
    assert combined.verdict.value == expected
    assert combined.details == tuple(results)
    assert (combined.counterexample is CEX) == (expected == "refuted")
    assert combined.scope.span("n").hi == len(verdicts)


def test_assignment_is_sorted_text():
    assert assignment_from({"b": 1, "a": 2}) == (("a", "2"), ("b", "1"))
