"""rnnproof: a verifier for the mathematics of vanishing and exploding gradients in RNNs.

The packages: ``derive`` (exact symbolic work, SymPy), ``numeric`` (high-precision and
certified numerics, mpmath and python-flint), and ``rnnproof`` (the foundation shared by
both — errors, verdicts, the claim catalogue and registry — and the thin layer that joins
them: report, CLI, LaTeX, plots).

>>> from rnnproof import Verdict
>>> Verdict.PROVED.value
'proved'
"""
from rnncore.errors import InvalidInputError, RnnproofError, UnknownClaimError
from rnncore.registry import Options, Registry
from rnncore.results import Counterexample, Result, Verdict

__version__ = "0.1.0"

from . import display  # noqa: E402,F401  (registers the notebook reprs of results, proofs, networks)

__all__ = [
    "Counterexample", "Result", "Verdict", "Options", "Registry",
    "RnnproofError", "InvalidInputError", "UnknownClaimError", "__version__",
]
