"""blog.note.harmless: the transpose changes the factor and its norm, not the bounds."""
# Verifies: blog.note.harmless
import pytest
import sympy as sp

from rnnclaims.joint import REGISTRY
from rnnclaims.joint.harmless import (DIFFER_D, DIFFER_W, differing_products,
                                      symbolic_difference, transpose_norm_identity)
from rnncore.registry import Options
from tests.rnnclaims.proved_parts import instance_part


@pytest.mark.parametrize("options", [Options(), Options.quick_sizes()])
def test_verdict_is_proved_with_all_parts_confirmed(options):
    r = instance_part(REGISTRY.run("blog.note.harmless", options))
    assert [d.verdict.value for d in r.details] == ["proved", "confirmed", "proved", "confirmed"]


def test_factor_differs_symbolically():
    assert symbolic_difference(2) != sp.zeros(2, 2)


def test_norms_differ_exactly_sympy_recheck():
    W, D = sp.Matrix(DIFFER_W), sp.diag(*DIFFER_D)
    n1 = sp.sqrt(max(((W * D).T * (W * D)).eigenvals()))
    n2 = sp.sqrt(max(((W.T * D).T * (W.T * D)).eigenvals()))
    assert (n1, n2) == (sp.Rational(1, 2), 1)


def test_products_differ_in_norm():
    W, D1, D2, true, paper = differing_products()
    assert true.hi < paper.lo


def test_transpose_identity_symbolic():
    assert transpose_norm_identity(2) and transpose_norm_identity(3)
