"""Every numeric claim reports its instance counts per kind, and a refutation carries data to
re-check (the verdicts themselves: tests/rnnclaims/test_declared_verdicts.py; the times:
bench/bench_claims.py)."""
from rnnclaims.numeric import REGISTRY
from rnncore.registry import Options
from rnncore.results import MethodKind, Verdict
from tests.rnnclaims.proved_parts import instance_part


def test_counts_and_counterexample_data_at_quick_sizes():
    for claim in REGISTRY:
        r = claim.run(Options.quick_sizes())
        if r.method.kind is MethodKind.LEMMAS:
            r = instance_part(r)
        assert sum(r.data["counts"].values()) >= 1, claim.id
        if r.verdict is Verdict.REFUTED:
            assert r.counterexample is not None and r.counterexample.data is not None, claim.id
