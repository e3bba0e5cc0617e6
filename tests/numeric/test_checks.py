"""The shared engine: tallies per kind, first certified failure refutes, overlaps undecide."""
from numeric.checks import confirm, matrix_cex, norm_relation
from numeric.enclosure import Enclosure
from rnncore.results import Method, MethodKind, Scope


def test_refuted_at_first_failure_with_counterexample():
    inst = [("random", "a", 1), ("structured", "b", -1), ("adversarial", "c", -2)]
    r = confirm(inst, lambda x: (x > 0, matrix_cex({"M": ((x,),)}, x, 0, "here")),
                method=Method(MethodKind.CERTIFIED, "m"), scope=Scope(), what="x > 0")
    assert r.verdict.value == "refuted" and r.data["label"] == "b"
    assert r.counterexample.data["M"] == ((-1,),)


def test_undecided_when_any_instance_is_undecided():
    r = confirm([("random", "a", 1), ("random", "b", 0)],
                lambda x: (True, "") if x else (None, "overlap"), method=Method(MethodKind.CERTIFIED, "m"), scope=Scope(),
                what="w")
    assert r.verdict.value == "undecided" and "overlap" in r.evidence


def test_norm_relation():
    one, wide = Enclosure.exact(1), Enclosure(0, 2)
    assert norm_relation(one, one, "<=") is True
    assert norm_relation(one, one, "<") is False
    assert norm_relation(one, wide, "<=") is None
