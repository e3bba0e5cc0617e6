"""derive: exact symbolic derivations for unrolled RNNs (SymPy). Never imports numeric/.

>>> from derive import RNN, check_jacobian, eq13, prove_equal
>>> RNN(2, 1, 2).W_rec.shape
(2, 2)
>>> check_jacobian(RNN(2, 1, 2), eq13).verdict.value
'proved'
>>> check_formula("prod_down(i, t, k+1, W.T @ diag(dsigma(x[i-1])))", n=2, T=2).verdict.value
'refuted'
"""
import importlib

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
from .jacobian import check_jacobian
from .layout import LAYOUTS, in_layout
from .loss import LOSSES, loss
from .modular_rnn import ModularRNN
from .network import FORMS, RNN
from .policy import METHODS
from .prove import prove_equal
from .randomized import randomized_check_eq11, randomized_check_jacobian, randomized_prove_equal

#: Names of the front loaded at their first use (``derive.X`` or ``from derive import X``),
#: so that a command that never needs the proofs of the blog's equations, the gradients or
#: the lemma library does not import them at start-up.
_LAZY = {
    "Proof": "generic", "eq10_induction_proof": "generic", "eq12_generic_proof": "generic",
    "eq13_induction_proof": "generic",
    "immediate_gradient": "gradients", "loss_gradient": "gradients",
    "state_gradient": "gradients", "total_gradient": "gradients",
    "check_proof": "lemma_proof", "LEMMAS": "lemmas",
    "PROVED_CLAIMS": "norm_proofs", "proof_latex": "norm_proofs", "proof_text": "norm_proofs",
    "prove_claim": "norm_proofs",
}


def __getattr__(name: str):
    """A lazily loaded name of the front (see ``_LAZY``), imported at its first use.

    >>> import derive
    >>> derive.LEMMAS is importlib.import_module("derive.lemmas").LEMMAS
    True
    """
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'derive' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
