"""Choosing claims: exact ids, dotted prefixes, globs, and the one-line "did you mean"."""
import pytest

from rnncore.errors import UnknownClaimError
from rnnproof.report import all_claims, select
from rnnproof.select import matches, select_ids, suggestion

IDS = [c.id for c in all_claims()]


def test_prefix_selects_the_family_at_a_dot_boundary():
    family = select_ids(IDS, ["blog.eq14"])
    assert family and all(i == "blog.eq14" or i.startswith("blog.eq14.") for i in family)
    assert "blog.eq14.submult" in family and "blog.eq14.step" in family
    assert select_ids(["blog.eq1", "blog.eq14.x"], ["blog.eq1"]) == ["blog.eq1"]


def test_glob_selects_the_eq14_family():
    assert select_ids(IDS, ["blog.eq14*"]) == select_ids(IDS, ["blog.eq14"])
    assert set(select_ids(IDS, ["paper.*exploding*"])) == {i for i in IDS if
                                                           i.startswith("paper.") and "exploding" in i}


def test_several_patterns_keep_report_order_and_each_claim_once():
    got = select_ids(IDS, ["paper.gamma", "blog.eq12", "blog.eq12"])
    assert got == [i for i in IDS if i in ("blog.eq12", "paper.gamma")]
    assert [c.id for c in select(["paper.gamma", "blog.eq12"])] == got


@pytest.mark.parametrize("pattern, near", [
    ("blog.eq99", "blog.eq9"), ("paper.gama", "paper.gamma"), ("blog.eq14.submul", "blog.eq14.submult"),
])
def test_unknown_id_names_the_closest_in_one_line(pattern, near):
    with pytest.raises(UnknownClaimError) as info:
        select_ids(IDS, [pattern])
    message = str(info.value)
    assert f"unknown claim id {pattern!r}; did you mean {near!r}?" in message
    assert "\n" not in message and message.count("blog.") <= 2  # not a dump of every id


def test_a_glob_that_matches_nothing_says_so():
    with pytest.raises(UnknownClaimError, match="no claim id matches 'nothing.*'"):
        select_ids(IDS, ["nothing.*"])


def test_matches_is_case_sensitive_and_exact_at_dots():
    assert not matches("blog.eq12", "Blog.eq12") and not matches("blog.eq140", "blog.eq14")
    assert suggestion("zzzz", IDS) is None
