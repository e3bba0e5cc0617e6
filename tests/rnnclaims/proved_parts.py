"""Reading a claim proved from lemmas: its proof part and its certified instance part."""
from rnncore.results import MethodKind, Verdict


def instance_part(r):
    """The certified-instance sub-result of a lemma-backed claim, after checking the proof."""
    assert r.verdict is Verdict.PROVED, r.evidence
    assert r.method.kind is MethodKind.LEMMAS and r.scope.span("n").every
    proof, instances = r.details
    assert proof.verdict is Verdict.PROVED and proof.method.kind is MethodKind.LEMMAS
    assert instances.verdict is Verdict.CONFIRMED, instances.evidence
    assert instances.method.kind in (MethodKind.CERTIFIED, MethodKind.EXACT)
    return instances
