"""Every numeric claim reports its instance counts per kind, and a refutation carries data to
re-check (the verdicts themselves: tests/rnnclaims/test_declared_verdicts.py; the times:
bench/bench_claims.py)."""
from rnnclaims.numeric import REGISTRY
from rnncore.registry import Options
from rnncore.results import Verdict


def test_counts_and_counterexample_data_at_quick_sizes():
    for claim in REGISTRY:
        r = claim.run(Options.quick_sizes())
        assert sum(r.data["counts"].values()) >= 1, claim.id
        if r.verdict is Verdict.REFUTED:
            assert r.counterexample is not None and r.counterexample.data is not None, claim.id
