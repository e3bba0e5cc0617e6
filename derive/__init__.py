"""derive: exact symbolic derivations for unrolled RNNs (SymPy). Never imports numeric/.

>>> from derive import RNN, check_jacobian, eq13, prove_equal
>>> RNN(2, 1, 2).W_rec.shape
(2, 2)
>>> check_jacobian(RNN(2, 1, 2), eq13).verdict.value
'proved'
>>> check_formula("prod_down(i, t, k+1, W.T @ diag(dsigma(x[i-1])))", n=2, T=2).verdict.value
'refuted'
"""
from .activations import ACTIVATIONS, activation
from .certificate import Certificate
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
from .diagnosis import Diagnosis, diagnose
from .direct import ForwardJacobians, direct_jacobian
from .formula import Formula, parse
from .formula_check import check_formula
from .generic import Proof, eq10_induction_proof, eq12_generic_proof, eq13_induction_proof
from .gradients import immediate_gradient, loss_gradient, state_gradient, total_gradient
from .jacobian import check_jacobian
from .layout import LAYOUTS, in_layout
from .lemma_proof import check_proof
from .lemmas import LEMMAS
from .loss import LOSSES, loss
from .modular_rnn import ModularRNN
from .network import FORMS, RNN
from .norm_proofs import PROVED_CLAIMS, proof_latex, proof_text, prove_claim
from .policy import METHODS
from .prove import prove_equal
from .randomized import randomized_check_eq11, randomized_check_jacobian, randomized_prove_equal

__all__ = [
    "RNN", "FORMS", "ACTIVATIONS", "activation",
    "prove_equal", "METHODS",
    "direct_jacobian", "ForwardJacobians",
    "eq10", "eq12", "eq13", "formB_one_step", "formB_product", "one_step_jacobian",
    "ordered_product", "one_step_pairs",
    "check_jacobian",
    "Proof", "eq12_generic_proof", "eq13_induction_proof", "eq10_induction_proof",
    "randomized_check_jacobian", "randomized_prove_equal", "randomized_check_eq11",
    "Certificate", "ModularRNN",
    "LOSSES", "loss", "state_gradient", "immediate_gradient", "loss_gradient", "total_gradient",
    "LAYOUTS", "in_layout", "parse", "Formula", "check_formula", "diagnose", "Diagnosis",
    "LEMMAS", "check_proof", "prove_claim", "proof_text", "proof_latex", "PROVED_CLAIMS",
]
