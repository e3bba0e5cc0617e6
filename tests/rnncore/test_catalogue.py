"""The catalogue's order: the project's claim list, in its order; added ids after their parent."""
import re
from pathlib import Path

import pytest

from rnncore.catalogue import ORDER, ordered, parent_of

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
def test_order_is_the_shared_list_in_order():
    # Every id of the project's list, in its order; ORDER may add ids the list does not have
    # (a reading the author holds, placed before its parent, or a new family such as cells)
    shared = _shared_ids()
    assert set(shared) <= set(ORDER)
    pos = {cid: i for i, cid in enumerate(ORDER)}
    # the list's order is kept, except that the author's reading may come before the id it
    # refines (paper.linear.exploding.exponential before paper.linear.exploding)
    swapped = [(a, b) for i, a in enumerate(shared) for b in shared[i + 1:] if pos[b] < pos[a]]
    assert all(b.startswith(a + ".") for a, b in swapped), swapped
    extra = [cid for cid in ORDER if cid not in shared]
    assert all(cid.rsplit(".", 1)[0] in shared or cid.startswith("cells.") for cid in extra), extra


def test_ids_unique():
    assert len(ORDER) == len(set(ORDER))


@pytest.mark.parametrize("cid, parent", [
    ("blog.eq14.submult.corrected", "blog.eq14.submult"),
    ("paper.linear.exploding.exponential", "paper.linear.exploding.exponential"),
    ("paper.linear.exploding.corrected", "paper.linear.exploding"),
    ("blog.eq10.order.reading-1", "blog.eq10.order"),
    ("blog.eq10x", None),
])
def test_parent_is_longest_dotted_prefix(cid, parent):
    assert parent_of(cid) == parent


def test_ordered_places_added_ids_after_parent_and_new_ids_last():
    declared = ["new.b", "paper.eq5.numerator", "blog.eq4", "paper.eq5", "new.a",
                "paper.eq5.corrected", "blog.eq2"]
    assert ordered(declared) == ["blog.eq2", "blog.eq4", "paper.eq5", "paper.eq5.corrected",
                                 "paper.eq5.numerator", "new.b", "new.a"]
