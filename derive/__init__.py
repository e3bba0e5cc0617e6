"""derive: exact symbolic derivations for unrolled RNNs (SymPy). Never imports numeric/.

>>> from derive import RNN
>>> RNN(2, 1, 2).W_rec.shape
(2, 2)
"""
from .activations import ACTIVATIONS, activation
from .network import FORMS, RNN

__all__ = ["RNN", "FORMS", "ACTIVATIONS", "activation"]
