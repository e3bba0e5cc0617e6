"""The randomized identity test's public names, gathered in one place.

The test itself is :mod:`derive.randomized` (with its certificate and error bound in
:mod:`derive.certificate`, ring evaluation of SymPy expressions in :mod:`derive.modeval`);
certified counterexamples for real activations are in :mod:`derive.counterexample`.

>>> sorted(__all__)[:3]
['Certificate', 'DETAIL', 'ModEvaluator']
"""
from __future__ import annotations

from .certificate import TARGET_LOG2, Certificate, error_bound_log2
from .counterexample import real_counterexample
from .modeval import ModEvaluator
from .randomized import (
    DETAIL,
    STEP_BUDGET,
    TIME_BUDGET,
    randomized_check_eq11,
    randomized_check_jacobian,
    randomized_prove_equal,
    recheck_jacobian,
)

__all__ = [
    "DETAIL", "TARGET_LOG2", "STEP_BUDGET", "TIME_BUDGET", "Certificate", "error_bound_log2",
    "randomized_check_jacobian", "recheck_jacobian", "randomized_check_eq11", "real_counterexample",
    "randomized_prove_equal", "ModEvaluator",
]
