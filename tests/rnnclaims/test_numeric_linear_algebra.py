"""Claims of the blog's linear algebra precursor: computed verdicts, wrong variants refuted."""
from fractions import Fraction

import pytest
import sympy as sp

from numeric.checks import CERTIFIED, confirm
from rnncore.results import Scope
from rnnclaims.numeric import REGISTRY
from rnnclaims.numeric.linear_algebra import jordan_wielandt, psd_exact, square_instances
from numeric.enclosure import compare
from numeric.linalg import spectral_norm, spectral_radius
from rnncore.registry import Options
from tests.rnnclaims.proved_parts import instance_part

OPTS = [Options(), Options.quick_sizes()]


@pytest.mark.parametrize("options", OPTS)
def test_sigma_max(options):
    # Verifies: blog.la.sigma-max
    r = instance_part(REGISTRY.run("blog.la.sigma-max", options))
    assert r.data["counts"]["random"] > 0 and r.data["counts"]["structured"] > 0


@pytest.mark.parametrize("options", OPTS)
def test_spectral_norm(options):
    # Verifies: blog.la.spectral-norm
    instance_part(REGISTRY.run("blog.la.spectral-norm", options))


@pytest.mark.parametrize("options", OPTS)
def test_psd_is_proved(options):
    # Verifies: blog.la.psd
    r = REGISTRY.run("blog.la.psd", options)
    assert r.verdict.value == "proved" and r.scope.span("n").every


def test_psd_exact_rejects_indefinite():
    assert psd_exact(((Fraction(2), Fraction(0)), (Fraction(0), Fraction(0))))
    assert not psd_exact(((Fraction(0), Fraction(1)), (Fraction(1), Fraction(0))))


@pytest.mark.parametrize("options", OPTS)
def test_radius_vs_norm(options):
    # Verifies: blog.la.radius-vs-norm
    r = instance_part(REGISTRY.run("blog.la.radius-vs-norm", options))
    assert r.data["strict"] > 0 and r.data["equal"] > 0
    assert r.data["counts"]["adversarial"] > 0


def test_reversed_radius_vs_norm_is_refuted():
    # Verifies: blog.la.radius-vs-norm (wrong variant σ_max ≤ ρ is rejected)
    def reversed_(A):
        s = spectral_norm(A, exact=True)
        r = spectral_radius(A, exact=True, candidate=s.lo if s.is_exact else None)
        ok = compare(s, r).holds("<=")
        return ok, "counterexample" if ok is False else ""

    res = confirm(square_instances(Options()), reversed_, method=CERTIFIED, scope=Scope(),
                  what="σ_max ≤ ρ")
    assert res.verdict.value == "refuted"
    # independent re-check with SymPy: the failing instance has σ_max > ρ
    label = res.data["label"]
    A = dict((lab, M) for _, lab, M in square_instances(Options()))[label]
    M = sp.Matrix(A)
    rho = max(abs(ev) for ev in M.eigenvals())
    smax = sp.sqrt(max((M.T * M).eigenvals()))
    assert sp.N(smax - rho, 30) > 0


def test_jordan_wielandt_eigenvalues_are_plus_minus_singular_values():
    A = sp.Matrix([[1, 2], [0, 1]])
    JW = sp.Matrix(jordan_wielandt(tuple(tuple(Fraction(int(x)) for x in A.row(i))
                                         for i in range(2))))
    ev = sorted(JW.eigenvals(), key=lambda e: sp.N(e))
    sv = sorted(sp.sqrt(e) for e in (A.T * A).eigenvals())
    assert sp.simplify(ev[-1] - sv[-1]) == 0
