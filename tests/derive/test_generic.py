"""Tests of derive/generic.py: the n-generic proof of eq. 12 and the induction for eq. 13."""
import pytest
import sympy as sp

from derive.activations import dsigma
from derive.generic import (
    W, eq10_induction_proof, eq12_generic_proof, eq13_induction_proof, l, n, x,
)
from rnncore.errors import InvalidInputError
from rnncore.results import MethodKind


# Verifies: blog eq. 12, every n (forms A and B)
@pytest.mark.parametrize("form", ["A", "B"])
def test_eq12_every_n(form):
    p = eq12_generic_proof(form)
    before = p.text()
    assert "[unchecked]" in before and "[checked]" not in before
    r = p.check()
    assert r.verdict.value == "proved" and r.scope.span("n").every and r.scope.span("n").lo == 1
    assert r.method.kind is MethodKind.EXACT and r.scope.forms == (form,)
    after = p.text()
    assert "[unchecked]" not in after and after.count("[checked]") == len(p.steps)
    assert "\\begin{enumerate}" in p.latex() and "(checked)" in p.latex()


# Verifies: blog eq. 12 — a transposed W_rec or σ' at the wrong index fails the generic proof
@pytest.mark.parametrize("wrong", [
    lambda r, c: sp.Sum(W[l, r] * sp.KroneckerDelta(l, c) * dsigma(x[l]), (l, 1, n)),  # W^T
    lambda r, c: sp.Sum(W[r, l] * sp.KroneckerDelta(l, c) * dsigma(x[r]), (l, 1, n)),  # σ'(x_i)
    lambda r, c: sp.Sum(W[r, l] * sp.KroneckerDelta(l, c), (l, 1, n)),                 # no σ'
])
def test_eq12_wrong_closed_forms_fail(wrong):
    p = eq12_generic_proof("A", closed_form=wrong)
    r = p.check()
    assert r.verdict.value == "undecided" and r.method.kind is MethodKind.NONE
    assert "FAILED" in p.text()


# Verifies: blog eq. 13 and eq. 10, every T by induction (forms A and B)
@pytest.mark.parametrize("make", [eq13_induction_proof, eq10_induction_proof])
@pytest.mark.parametrize("form", ["A", "B"])
def test_induction(make, form):
    p = make(form)
    assert all(st.status == "unchecked" for st in p.steps)
    r = p.check()
    assert r.verdict.value == "proved", r.evidence
    assert r.scope.span("T").every and r.scope.span("n").every
    assert r.method.kind is MethodKind.EXACT and "induction" in r.method.detail
    assert all(st.status == "checked" for st in p.steps)
    assert "base case" in p.text() and "\\prod" in p.latex()


def test_bad_form():
    with pytest.raises(InvalidInputError, match="form='C'"):
        eq12_generic_proof("C")
    with pytest.raises(InvalidInputError, match="form='x'"):
        eq13_induction_proof("x")


# --------------------------------------------------------------------------- shared doit
def test_shared_doit_agrees_with_sympy_on_every_sum_the_proofs_meet(monkeypatch):
    """The fast route (``generic.shared_doit``: shared sums, and sums SymPy provably cannot
    evaluate left as they are) against SymPy's own ``doit``, on every sum the generic proofs
    evaluate: the reduced expressions, and so every step's text, are the same."""
    import sympy as sp
    from derive import generic as G

    met = []
    original = G._sum_doit.__wrapped__

    def recording(expr):
        met.append(expr)
        return original(expr)

    monkeypatch.setattr(G, "_sum_doit", recording)
    G._equal.cache_clear()
    G._doit.cache_clear()
    for form in "AB":
        assert G.eq13_induction_proof(form).check().verdict.value == "proved"
        assert G.eq12_generic_proof(form).check().verdict.value == "proved"
    G._equal.cache_clear()
    G._doit.cache_clear()
    assert met
    skipped = 0
    for expr in met:
        assert original(expr) == expr.doit(), expr
        if len(expr.limits) == 1 and G._unsummable(G.shared_doit(expr.function), expr.limits[0]):
            skipped += 1
    assert skipped >= 5     # the route is exercised


def test_unsummable_is_conservative():
    """Sums SymPy does evaluate are never taken for unsummable."""
    import sympy as sp
    from derive.generic import W, _unsummable, b, dsigma, l, n, x

    for summand in (sp.KroneckerDelta(l, 2) * W[1, l], l * x[l], b[1], l ** 2,
                    sp.Integer(2) ** l, sp.Piecewise((W[1, l], sp.Eq(n, 3)), (0, True)) * l):
        assert not _unsummable(summand, (l, 1, n)), summand
    q = sp.Symbol("q", integer=True, positive=True)
    outer = dsigma(b[1] + sp.Sum(W[1, q] * x[q], (q, 1, n)))
    for summand in (W[1, l] * x[l], dsigma(x[l]) * W[2, l], outer * W[1, l] * x[l],
                    sp.Piecewise((W[1, l] * x[l], l <= n), (0, True)),
                    sp.Piecewise((outer * x[l], n >= 2), (0, True))):
        assert _unsummable(summand, (l, 1, n))
        assert sp.Sum(summand, (l, 1, n)).doit() == sp.Sum(summand, (l, 1, n))
    assert not _unsummable(W[1, l] * x[l], (l, 1, 3))       # a definite range: summed directly
