"""The report covers every catalogue id, in order, with a computed verdict."""
import json

import pytest

from rnncore.catalogue import CATALOGUE
from rnncore.errors import UnknownClaimError
from rnnproof.report import all_claims, dumps, select


def test_every_catalogue_id_has_a_registered_check():
    from rnnproof.report import UNREGISTERED

    missing = [c.id for c in all_claims() if c.layer == UNREGISTERED]
    assert not missing, f"no check registered for {missing}"


def test_report_order_is_catalogue_order_with_added_ids_after_parent():
    ids = [c.id for c in all_claims()]
    positions = [ids.index(e.id) for e in CATALOGUE]
    assert positions == sorted(positions)
    for cid in ids:
        if cid.endswith(".corrected"):
            parent = cid[: -len(".corrected")]
            assert ids.index(parent) < ids.index(cid)


def test_select_unknown_id():
    with pytest.raises(UnknownClaimError, match="'nope'.*blog.eq2"):
        select(["nope"])


def test_quick_report_decides_every_claim(quick_report):
    undecided = [(r.id, r.result.evidence) for r in quick_report.rows if not r.result.decided]
    assert not undecided
    assert {r.id for r in quick_report.rows} >= {e.id for e in CATALOGUE}


def test_no_check_raises(quick_report):
    errors = [(r.id, r.result.evidence) for r in quick_report.rows if r.result.method == "error"]
    assert not errors


def test_refutations_carry_counterexamples(quick_report):
    for row in quick_report.rows:
        if row.result.verdict.value == "refuted":
            cex = row.result.counterexample
            assert cex is not None and (cex.assignment or cex.lhs != cex.rhs), row.id


def test_json_document_shape(quick_report):
    doc = json.loads(dumps(quick_report))
    assert set(doc) >= {"claims", "summary", "versions"}
    keys = {"id", "source", "statement", "verdict", "scope", "method", "evidence", "counterexample"}
    assert all(keys <= set(c) for c in doc["claims"])
    assert doc["summary"]["total"] == len(doc["claims"])
    assert sum(doc["summary"][v] for v in ("proved", "confirmed", "refuted", "undecided")) == len(doc["claims"])


def test_markdown_has_a_row_per_claim(quick_report):
    md = quick_report.markdown()
    for row in quick_report.rows:
        assert f"| `{row.id}` |" in md


def test_docs_report_matches_computed_verdicts(default_report):
    """docs/report.md is the output of `rnnproof verify --markdown`: its verdicts must be the
    ones the code computes now (regenerate it when a verdict changes)."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "report.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| `([^`]+)` \| [^|]+ \| \*\*(\w+)\*\* \|", text, re.M))
    computed = {row.id: row.result.verdict.value for row in default_report.rows}
    assert documented == computed
