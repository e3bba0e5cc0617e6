"""Results and counterexamples: frozen values with the rules of the verdict vocabulary."""
import dataclasses

import pytest

from rnncore.errors import InvalidInputError
from rnncore.results import Counterexample, Result, Verdict, assignment_from

CEX = Counterexample((("w", "2"),), lhs="1", rhs="2", where="(t, k) = (2, 0)")


def test_result_is_frozen():
    r = Result(Verdict.PROVED, "m", "s", "e")
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.verdict = Verdict.REFUTED


def test_refuted_needs_counterexample():
    with pytest.raises(InvalidInputError):
        Result(Verdict.REFUTED, "m", "s", "e")
    assert Result(Verdict.REFUTED, "m", "s", "e", CEX).counterexample is CEX


@pytest.mark.parametrize("verdicts, expected", [
    (["proved", "proved"], "proved"),
    (["proved", "confirmed"], "confirmed"),
    (["confirmed", "undecided", "proved"], "undecided"),
    (["undecided", "refuted", "proved"], "refuted"),
])
def test_combine_takes_the_weakest(verdicts, expected):
    results = [Result(Verdict(v), "m", f"s{i}", f"e{i}", CEX if v == "refuted" else None)
               for i, v in enumerate(verdicts)]
    combined = Result.combine(results)
    assert combined.verdict.value == expected
    assert combined.details == tuple(results)
    assert (combined.counterexample is CEX) == (expected == "refuted")


def test_to_dict_is_plain_data():
    d = Result(Verdict.REFUTED, "m", "s", "e", CEX).to_dict()
    assert d["counterexample"] == {"assignment": {"w": "2"}, "lhs": "1", "rhs": "2",
                                   "where": "(t, k) = (2, 0)", "note": ""}
    assert assignment_from({"b": 1, "a": 2}) == (("a", "2"), ("b", "1"))
