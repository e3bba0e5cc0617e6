"""The shared engine: tallies per kind, first certified failure refutes, overlaps undecide."""
from hypothesis import example, given
from hypothesis import strategies as st

from numeric.checks import confirm, matrix_cex, norm_holds, norm_relation
from numeric.enclosure import Enclosure
from numeric.linalg import spectral_norm
from numeric.matrices import as_exact
from tests.strategies import rational_matrices
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


@given(rational_matrices(), st.sampled_from(["1/2", "1", "2", "5"]),
       st.sampled_from(["<", "<=", ">", ">=", "=="]))
@example([["3", "4"], ["0", "0"]], "5", "<")      # the tie: "<" fails, exactly
@example([["3", "4"], ["0", "0"]], "5", "<=")
def test_norm_holds_against_a_number_agrees_with_the_enclosure_route(A, c, relation):
    # the number route decides exactly; the enclosure route (c as an exact Enclosure) is
    # the reference: where it decides, the two agree
    A = as_exact(A)
    ok, a, b = norm_holds(A, c, relation)
    ref = norm_holds(A, Enclosure.exact(c), relation)[0]
    assert ok in (True, False)
    if ref is not None:
        assert ok == ref
    e = spectral_norm(A, dps=80)           # both enclose ‖A‖₂: they intersect
    assert a.lo <= e.hi and e.lo <= a.hi
    assert b == Enclosure.exact(c)
