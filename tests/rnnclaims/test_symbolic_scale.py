"""Tests of rnnclaims/symbolic/scale.py: eqs. 13 and 11 at training sizes (randomized identity test)."""
import re

from rnnclaims.symbolic import REGISTRY
from rnncore.registry import Options
from rnncore.results import Verdict


def test_scale_claims_are_registered_under_their_catalogue_parents():
    assert REGISTRY["blog.eq13.scale"].source == REGISTRY["blog.eq13"].source
    assert REGISTRY["blog.eq11.scale"].source == "blog eq. 11"


def test_eq13_scale_is_proved_with_a_stated_error_probability():
    # Verifies: blog eq. 13 (and form B) at n=8, T=16, every pair
    r = REGISTRY.run("blog.eq13.scale", Options.quick_sizes())
    assert r.verdict is Verdict.PROVED and r.method == "randomized identity test"
    assert "all 136 pairs" in r.scope and "form=A" in r.scope and "form=B" in r.scope
    exps = [int(e) for e in re.findall(r"error probability ≤ 2\^(-\d+)", r.scope)]
    assert len(exps) == 3 and max(exps) <= -100  # the head and each form
    assert all(d.data.digest for d in r.details)


def test_eq11_scale_is_proved_for_both_losses():
    # Verifies: blog eq. 11 (θ = W_rec) at n=8, T=16, every t, generic and squared loss
    r = REGISTRY.run("blog.eq11.scale", Options.quick_sizes())
    assert r.verdict is Verdict.PROVED
    assert "loss=generic" in r.scope and "loss=squared" in r.scope
