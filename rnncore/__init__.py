"""rnncore: the foundation every other layer stands on.

Errors (one module of exception classes), results and verdicts, input validation and the
claim registry. It imports nothing of the project; everything else may import it.

>>> from rnncore import Verdict
>>> Verdict("proved") is Verdict.PROVED
True
"""
from .errors import InvalidInputError, RnnproofError, UnknownClaimError
from .registry import Claim, Options, Registry
from .results import Counterexample, Label, Result, Verdict

__all__ = [
    "Claim", "Counterexample", "Label", "Result", "Verdict", "Options", "Registry",
    "RnnproofError", "InvalidInputError", "UnknownClaimError",
]
