"""Printers: text, JSON, Markdown and LaTeX made from structured results (data in, words out)."""
import json

from rnncore.results import Counterexample, Location, Method, MethodKind, Result, Scope, Span, Verdict
from rnnproof.printers import (SCHEMA_VERSION, counterexample_text, method_text, result_dict,
                               scope_text)

CEX = Counterexample((("w", "2"),), lhs="1", rhs="2",
                     location=Location(t=2, k=0, entry=(0, 1), layout="numerator"))
R = Result(Verdict.REFUTED, Method(MethodKind.RANDOMIZED, "mod primes", error_log2=-101.5),
           Scope(spans=(Span("n", 1, 3), Span("T", 1, None)), forms=("A",), checked=4), "e", CEX)


def test_dict_is_plain_data_with_the_structure_kept():
    d = result_dict(R)
    assert json.loads(json.dumps(d)) == d
    assert d["method"] == {"kind": "randomized", "detail": "mod primes", "error_log2": -101.5,
                           "text": method_text(R.method)}
    assert d["scope"]["spans"] == [{"name": "n", "lo": 1, "hi": 3}, {"name": "T", "lo": 1, "hi": None}]
    assert d["scope"]["checked"] == 4 and d["scope"]["text"] == scope_text(R.scope)
    cex = d["counterexample"]
    assert cex["assignment"] == {"w": "2"} and (cex["lhs"], cex["rhs"]) == ("1", "2")
    assert cex["location"] == {"t": 2, "k": 0, "entry": [0, 1], "layout": "numerator",
                               "case": "", "note": ""}
    assert SCHEMA_VERSION == 3


def test_text_names_every_field():
    assert scope_text(R.scope) == "n = 1..3, every T; forms A; 4 case(s) checked"
    assert method_text(R.method) == "randomized: mod primes (error probability ≤ 2^-101)"
    assert counterexample_text(CEX) == "1 ≠ 2 at (t, k) = (2, 0), entry (0, 1), numerator layout with w=2"
