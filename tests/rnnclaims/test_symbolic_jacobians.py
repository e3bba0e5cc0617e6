"""Tests of rnnclaims/symbolic/jacobians.py: blog.eq10, blog.eq12, blog.eq13, blog.formB."""
import pytest

from rnnclaims.symbolic import REGISTRY
from rnncore.registry import Options


# Verifies: blog.eq10, blog.eq12, blog.eq13, blog.formB (computed verdicts and scopes)
@pytest.mark.parametrize("cid, generic", [
    ("blog.eq12", "all n"),
    ("blog.eq13", "all T by induction"),
    ("blog.eq10", "all T by induction"),
    ("blog.formB", "all T by induction"),
])
def test_claims_quick(cid, generic):
    r = REGISTRY.run(cid, Options.quick_sizes())
    assert r.verdict.value == "proved", r.evidence
    assert generic in r.scope
    for act in ("generic", "tanh", "sigmoid", "relu"):
        assert act in r.scope
    assert "n=1..2" in r.scope and "T<=3" in r.scope
    assert all(d.verdict.value == "proved" for d in r.details)


def test_formB_records_the_literal_factor_refuted():
    r = REGISTRY.run("blog.formB", Options.quick_sizes())
    assert "refuted" in r.evidence


def test_eq13_default_sizes():
    r = REGISTRY.run("blog.eq13", Options())
    assert r.verdict.value == "proved" and "n=1..3" in r.scope and "T<=4" in r.scope
    # one exact check per activation and n, plus the induction proof
    assert len(r.details) == 4 * 3 + 1
