"""Users' own statements, checked: Jacobian and gradient formulas, and inequalities.

Each entry point parses the user's text with the project's own parser
(:mod:`derive.formula`; never eval) and returns a :class:`~rnncore.results.Result`:

* :func:`check_jacobian` — a formula for ∂s_t/∂s_k (:func:`derive.formula_check.check_formula`
  with its convention diagnosis);
* :func:`check_gradient` — a formula for ∂E_t/∂θ, ∂E/∂θ, ∂⁺x_k/∂θ or ∂x_t/∂θ against direct
  differentiation of the unrolled network (:mod:`derive.gradient_formula`);
* :func:`check_inequality` — norms compared, under hypotheses: a lemma proof for every n,
  or a certified counterexample (:mod:`rnnclaims.statements.inequality`).

>>> check_jacobian("W @ D[i-1]").label.value
'proved'
>>> check_gradient("sum(k, 1, t, dE[t] @ prod_down(i, t, k+1, W @ D[i-1]) @ dplus[k])").label.value
'proved'
>>> check_inequality("norm2(W @ D[j]) <= norm2(W) * norm2(D[j])").label.value
'proved-from-lemmas'
"""
from .gradient import check_gradient
from .inequality import check_inequality
from .jacobian import check_jacobian

__all__ = ["check_jacobian", "check_gradient", "check_inequality"]
