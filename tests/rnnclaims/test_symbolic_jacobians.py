"""Tests of rnnclaims/symbolic/jacobians.py: blog.eq10, blog.eq12, blog.eq13, blog.formB."""
import pytest

from derive.activations import ACTIVATIONS
from rnnclaims.symbolic import REGISTRY
from rnncore.registry import Options
from rnncore.results import MethodKind, Verdict


# Verifies: blog.eq10, blog.eq12, blog.eq13, blog.formB (computed verdicts and scopes)
@pytest.mark.parametrize("cid, every", [
    ("blog.eq12", ("n",)),
    ("blog.eq13", ("n", "T")),
    ("blog.eq10", ("n", "T")),
    ("blog.formB", ("n", "T")),
])
def test_claims_quick(cid, every):
    quick = Options.quick_sizes()
    r = REGISTRY.run(cid, quick)
    assert r.verdict is Verdict.PROVED, r.evidence
    assert all(r.scope.span(name).every for name in every)
    assert r.scope.activations == tuple(ACTIVATIONS)
    assert all(d.verdict is Verdict.PROVED for d in r.details)
    sized = [d for d in r.details if d.scope.span("n") is not None and not d.scope.span("n").every]
    assert {d.scope.span("n").hi for d in sized} == {1, 2}
    assert {d.scope.span("T").hi for d in sized} == {quick.T}
    assert {a for d in sized for a in d.scope.activations} == set(ACTIVATIONS)


def test_formB_records_the_literal_factor_refuted():
    r = REGISTRY.run("blog.formB", Options.quick_sizes())
    literal = r.data["form_a_factor"]
    assert literal.verdict is Verdict.REFUTED and (literal.counterexample.location.t, literal.counterexample.location.k) == (1, 0)


def test_eq13_default_sizes():
    r = REGISTRY.run("blog.eq13", Options())
    assert r.verdict is Verdict.PROVED and r.method.kind in (MethodKind.EXACT, MethodKind.RANDOMIZED)
    # one exact check per activation and n, plus the induction proof
    assert len(r.details) == 4 * 3 + 1
    sized = r.details[:-1]
    assert {d.scope.span("n").hi for d in sized} == {1, 2, 3} and {d.scope.span("T").hi for d in sized} == {4}
