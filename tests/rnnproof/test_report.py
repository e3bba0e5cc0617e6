"""The report covers every declared claim, in catalogue order, with a computed verdict."""
import json

from rnncore.results import Label

import pytest

from rnnclaims.catalogue import catalogue
from rnncore.catalogue import ORDER
from rnncore.errors import UnknownClaimError
from rnncore.results import MethodKind, Verdict
from rnnproof.report import UNREGISTERED, all_claims, dumps, select


def test_every_catalogue_id_has_a_declared_check():
    missing = [c.id for c in all_claims() if c.layer == UNREGISTERED]
    assert not missing, f"no check declared for {missing}"


def test_report_order_is_catalogue_order_with_added_ids_after_parent():
    ids = [c.id for c in all_claims()]
    positions = [ids.index(cid) for cid in ORDER]
    assert positions == sorted(positions)
    for cid in ids:
        if cid.endswith(".corrected"):
            parent = cid[: -len(".corrected")]
            assert ids.index(parent) < ids.index(cid)
    assert ids == [c.id for c in catalogue()]


def test_select_unknown_id():
    with pytest.raises(UnknownClaimError, match=r"unknown claim id 'nope' \(rnnproof verify --list"):
        select(["nope"])
    with pytest.raises(UnknownClaimError, match="did you mean 'blog.eq2'"):
        select(["blog.eq2x"])


def test_quick_report_decides_every_claim(quick_report):
    undecided = [(r.id, r.result.evidence) for r in quick_report.rows if not r.result.decided]
    assert not undecided
    assert {r.id for r in quick_report.rows} >= set(ORDER)


def test_no_check_raises(quick_report):
    errors = [(r.id, r.result.evidence) for r in quick_report.rows
              if r.result.method.kind is MethodKind.ERROR]
    assert not errors


def test_refutations_carry_counterexamples(quick_report):
    for row in quick_report.rows:
        if row.result.verdict is Verdict.REFUTED:
            cex = row.result.counterexample
            assert cex is not None and (cex.point or cex.lhs != cex.rhs), row.id


def test_json_document_shape(quick_report):
    doc = json.loads(dumps(quick_report))
    assert doc["schema"] == 3 and set(doc) >= {"claims", "summary", "versions"}
    keys = {"id", "source", "statement", "reading", "verdict", "scope", "method", "evidence",
            "counterexample"}
    assert all(keys <= set(c) for c in doc["claims"])
    assert doc["summary"]["total"] == len(doc["claims"])
    labels = [label.value for label in Label]
    assert sum(doc["summary"][v] for v in labels) == len(doc["claims"])
    assert {c["verdict"] for c in doc["claims"]} <= set(labels)
    # A proof's kind is in the verdict itself: never a bare "proved" for a lemma chain.
    assert all(c["verdict"] == {"exact": "proved", "lemmas": "proved-from-lemmas",
                                "randomized": "proved-randomized"}[c["method"]["kind"]]
               for c in doc["claims"] if c["holds"] and c["verdict"] != "confirmed")
    kinds = {k.value for k in MethodKind}
    for c, row in zip(doc["claims"], quick_report.rows):
        assert c["method"]["kind"] in kinds and c["method"]["kind"] == row.result.method.kind.value
        assert c["scope"]["spans"] == [{"name": s.name, "lo": s.lo, "hi": s.hi}
                                       for s in row.result.scope.spans]
        if c["verdict"] == "refuted":
            assert set(c["counterexample"]["location"]) == {"t", "k", "entry", "layout", "case", "note"}


def test_json_without_timings_is_reproducible(quick_report):
    doc = json.loads(dumps(quick_report, timings=False))
    assert "seconds" not in doc["summary"] and all("seconds" not in c for c in doc["claims"])


def test_markdown_has_a_row_per_claim(quick_report):
    md = quick_report.markdown()
    for row in quick_report.rows:
        assert f"| `{row.id}` |" in md
