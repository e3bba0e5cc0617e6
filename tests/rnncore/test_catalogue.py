"""The project's catalogue is a faithful copy of the shared claim list."""
import re
from pathlib import Path

import pytest

from rnncore.catalogue import CATALOGUE, entry, parent_of
from rnncore.errors import UnknownClaimError

CLAIMS_MD = Path(__file__).resolve().parents[2].parent / "shared" / "claims.md"


def _shared_ids():
    text = CLAIMS_MD.read_text(encoding="utf-8")
    ids = []
    for line in text.splitlines():
        m = re.match(r"\|\s*([a-z][a-zA-Z0-9.\-]+)\s*\|", line)
        if m and m.group(1) not in ("id", "verdict"):
            if "." in m.group(1):
                ids.append(m.group(1))
    return ids


@pytest.mark.skipif(not CLAIMS_MD.exists(), reason=f"{CLAIMS_MD} not present")
def test_catalogue_ids_match_shared_list_in_order():
    assert [e.id for e in CATALOGUE] == _shared_ids()


def test_ids_unique_and_layers_known():
    ids = [e.id for e in CATALOGUE]
    assert len(ids) == len(set(ids))
    assert {e.layer for e in CATALOGUE} == {"symbolic", "numeric", "joint"}


def test_unknown_id_lists_known_ones():
    with pytest.raises(UnknownClaimError) as info:
        entry("blog.eq3")
    assert "'blog.eq3'" in str(info.value) and "blog.eq2" in str(info.value)


@pytest.mark.parametrize("cid, parent", [
    ("blog.eq14.submult.corrected", "blog.eq14.submult"),
    ("paper.linear.exploding.exponential", "paper.linear.exploding.exponential"),
    ("paper.linear.exploding.corrected", "paper.linear.exploding"),
    ("blog.eq10.order.reading-1", "blog.eq10.order"),
])
def test_parent_is_longest_dotted_prefix(cid, parent):
    assert parent_of(cid).id == parent
