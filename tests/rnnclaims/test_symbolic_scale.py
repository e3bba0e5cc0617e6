"""Tests of rnnclaims/symbolic/scale.py: eqs. 13 and 11 at training sizes (randomized identity test)."""
from rnnclaims.symbolic import REGISTRY
from rnncore.registry import Options
from rnncore.results import MethodKind, Verdict


def test_scale_claims_are_declared_under_their_catalogue_parents():
    assert REGISTRY["blog.eq13.scale"].source == REGISTRY["blog.eq13"].source
    assert REGISTRY["blog.eq11.scale"].source == "blog eq. 11"


def test_eq13_scale_is_proved_with_a_stated_error_probability():
    # Verifies: blog eq. 13 (and form B) at n=8, T=16, every pair
    r = REGISTRY.run("blog.eq13.scale", Options.quick_sizes())
    assert r.verdict is Verdict.PROVED and r.method.kind is MethodKind.RANDOMIZED
    assert r.method.error_log2 <= -100
    assert (r.scope.span("n").hi, r.scope.span("T").hi, r.scope.forms) == (8, 16, ("A", "B"))
    assert r.scope.checked == 2 * 136
    assert all(d.data.error_log2 <= r.method.error_log2 for d in r.details)
    assert all(d.data.digest for d in r.details)


def test_eq11_scale_is_proved_for_both_losses():
    # Verifies: blog eq. 11 (θ = W_rec) at n=8, T=16, every t, generic and squared loss
    r = REGISTRY.run("blog.eq11.scale", Options.quick_sizes())
    assert r.verdict is Verdict.PROVED and r.method.kind is MethodKind.RANDOMIZED
    assert r.scope.losses == ("generic", "squared") and r.method.error_log2 <= -100
