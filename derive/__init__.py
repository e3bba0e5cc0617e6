"""derive: exact symbolic derivations for unrolled RNNs (SymPy). Never imports numeric/.

>>> from derive import RNN, check_jacobian, eq13, prove_equal
>>> RNN(2, 1, 2).W_rec.shape
(2, 2)
>>> check_jacobian(RNN(2, 1, 2), eq13).verdict.value
'proved'
"""
from .activations import ACTIVATIONS, activation
from .closed_forms import (
    eq10,
    eq12,
    eq13,
    formB_one_step,
    formB_product,
    one_step_jacobian,
    one_step_pairs,
    ordered_product,
)
from .direct import ForwardJacobians, direct_jacobian
from .generic import Proof, eq10_induction_proof, eq12_generic_proof, eq13_induction_proof
from .jacobian import check_jacobian
from .network import FORMS, RNN
from .prove import prove_equal

__all__ = [
    "RNN", "FORMS", "ACTIVATIONS", "activation",
    "prove_equal",
    "direct_jacobian", "ForwardJacobians",
    "eq10", "eq12", "eq13", "formB_one_step", "formB_product", "one_step_jacobian",
    "ordered_product", "one_step_pairs",
    "check_jacobian",
    "Proof", "eq12_generic_proof", "eq13_induction_proof", "eq10_induction_proof",
]
