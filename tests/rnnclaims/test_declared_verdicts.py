"""Every declared claim, run at the default options, gets the verdict its declaration states.

One test per claim (the registry is the table: nothing here is typed in twice). The expected
verdict is part of the claim's declaration beside its check; this test is what keeps the
declaration honest — a check whose computed verdict drifts fails here, naming the claim.
"""
import re
from pathlib import Path

import pytest

from rnnclaims.catalogue import catalogue
from rnncore.catalogue import ORDER
from rnncore.registry import Options
from rnncore.results import MethodKind, Verdict

CLAIMS = catalogue()
REPORT_MD = Path(__file__).resolve().parents[2] / "docs" / "report.md"


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_computed_verdict_is_the_declared_one(claim):
    result = claim.run(Options())
    assert result.verdict is claim.expect, (claim.id, result.evidence)
    if claim.expect_label is not None:
        assert result.label is claim.expect_label, (claim.id, result.label, result.evidence)
    assert result.method.kind is not MethodKind.ERROR, claim.id
    if result.verdict is Verdict.REFUTED:
        cex = result.counterexample
        assert cex.point or cex.lhs != cex.rhs, claim.id
    if result.verdict is Verdict.PROVED:
        assert result.method.kind in (MethodKind.EXACT, MethodKind.LEMMAS, MethodKind.RANDOMIZED), claim.id
    if result.method.kind is MethodKind.RANDOMIZED:
        assert result.method.error_log2 is not None and result.method.error_log2 <= -100, claim.id


def test_every_catalogue_id_is_declared():
    declared = {c.id for c in CLAIMS}
    assert [cid for cid in ORDER if cid not in declared] == []


def test_every_id_of_the_report_page_is_still_declared():
    # ids are stable by policy: one that the committed report page shows is never dropped
    documented = re.findall(r"^\| `([^`]+)` \|", REPORT_MD.read_text(encoding="utf-8"), re.M)
    assert documented, "docs/report.md lists no claim"
    declared = {c.id for c in CLAIMS}
    assert [cid for cid in documented if cid not in declared] == []


def test_every_false_claim_has_a_checked_companion():
    # a refuted claim comes with what the text should have said (.corrected) or another reading
    ids = [c.id for c in CLAIMS]
    for claim in CLAIMS:
        if claim.expect is Verdict.REFUTED:
            root = claim.id.rsplit(".", 1)[0] if claim.id.count(".") > 1 else claim.id
            companions = [i for i in ids if i != claim.id and (
                i.startswith(claim.id + ".") or i.startswith(root + ".") or claim.id.startswith(i + "."))]
            assert companions, f"{claim.id} has no corrected/reading companion"
