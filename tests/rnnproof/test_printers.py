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


# ------------------------------------------------------------------ the terminal rows
from types import SimpleNamespace  # noqa: E402

from rnncore.registry import Claim  # noqa: E402
from rnncore.results import Label  # noqa: E402
from rnnproof.printers import row_lines, summary_text  # noqa: E402
from rnnproof.printers.text import LABEL_COLOUR, NOT_AUTHORS, wrap  # noqa: E402


def _row(result, authors_reading=True):
    claim = Claim("blog.x", "blog eq. 1", "x = y", None, "symbolic", reading="r" if not
                  authors_reading else "", authors_reading=authors_reading)
    return SimpleNamespace(claim=claim, result=result, seconds=1.25, id="blog.x")


def test_a_reading_not_the_authors_is_marked_beside_its_verdict():
    assert NOT_AUTHORS in row_lines(_row(R, authors_reading=False))[0]
    assert NOT_AUTHORS not in "\n".join(row_lines(_row(R)))


def test_rows_wrap_without_cutting_and_without_width_stay_whole():
    long = Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(), "word " * 60 + "END")
    wrapped = row_lines(_row(long), width=50)
    assert all(len(line) <= 50 for line in wrapped) and wrapped[-1].endswith("END")
    assert " ".join(" ".join(wrapped[1:]).split()) == " ".join(long.evidence.split())
    whole = row_lines(_row(long), width=None)
    assert whole[1].strip() == " ".join(long.evidence.split())
    assert "…" not in "".join(wrapped + whole)
    assert wrap("a " + "9" * 70, 40) == ["a", "9" * 70]  # a long number stays whole


def test_colour_by_label_on_request_only():
    for verdict, kind, label in [(Verdict.PROVED, MethodKind.EXACT, Label.PROVED),
                                 (Verdict.UNDECIDED, MethodKind.NONE, Label.UNDECIDED)]:
        r = Result(verdict, Method(kind), Scope(), "e")
        assert f"\x1b[{LABEL_COLOUR[label]}m{label.value}\x1b[0m" in row_lines(_row(r), colour=True)[0]
        assert "\x1b" not in "".join(row_lines(_row(r)))
    assert "counterexample: 1 ≠ 2" in "\n".join(row_lines(_row(R)))


def test_summary_grammar():
    assert summary_text({"total": 1, "proved": 1, "refuted": 0, "undecided": 0}) == \
        "1 claim: 1 proved, 0 refuted, 0 undecided"
    assert summary_text({"total": 2, "proved": 0, "refuted": 2, "undecided": 0}).startswith("2 claims: 2 refuted")
