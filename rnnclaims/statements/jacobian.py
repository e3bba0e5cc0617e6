"""``check_jacobian``: a user's formula for the Jacobian ∂s_t/∂s_k, with its diagnosis.

A thin front over :func:`derive.formula_check.check_formula` (the decision policy: exact
within budget, randomized with its error probability, a certified counterexample) that
also attaches the convention diagnosis (:func:`derive.diagnosis.diagnose`: which form and
layout the formula is the Jacobian in, at n = 2, T = 3) as ``Result.data["diagnosis"]``.

>>> r = check_jacobian("W.T @ D[i-1]")
>>> r.label.value, r.data["diagnosis"] is not None
('refuted', True)
"""
from __future__ import annotations

from derive.diagnosis import diagnose
from derive.formula import as_formula
from derive.formula_check import check_formula
from derive.randomized import TIME_BUDGET
from rnncore.results import Result


def check_jacobian(text, *, form: str = "A", layout: str = "numerator",
                   activation: str = "generic", n: int = 2, T: int = 3, m: int = 1,
                   seed: int | None = None, method: str = "auto",
                   diagnosis: bool = True, time_budget: float = TIME_BUDGET) -> Result:
    """Is ``text`` ∂s_t/∂s_k in ``form`` and ``layout``? (``diagnosis=False``: skip the
    convention diagnosis; ``time_budget``: seconds of the randomized test.)

    >>> check_jacobian("prod_down(i, t, k+1, W @ D[i-1])", n=3, T=4, diagnosis=False).verdict.value
    'proved'
    """
    f = as_formula(text)
    result = check_formula(f, form=form, layout=layout, n=n, m=m, T=T, activation=activation,
                           method=method, seed=seed, time_budget=time_budget)
    data = dict(result.data) if isinstance(result.data, dict) else {}
    if diagnosis:
        f.check_budget(2, 3)
        data["diagnosis"] = diagnose(f, n=2, T=3, seed=seed)
    else:
        data["diagnosis"] = None
    return result.with_(data=data)


__all__ = ["check_jacobian"]
