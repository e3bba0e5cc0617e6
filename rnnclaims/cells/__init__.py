"""Claims about the cells beyond the blog's RNN (LSTM, GRU, stacked and skip-connected form
A): one module per group, each declaring its claims in ``REGISTRY``.

The blog's NOTE after eq. 2 says "all findings can be applied to different implementations
of RNN models" and "we could have multiple" layers; popular LSTM explanations state the
constant error carousel ∂c_t/∂c_{t−1} = diag(f_t). These claims rule on those statements
cell by cell: each one-step Jacobian's closed form (exact, against dual numbers), the
product rule of eq. 10 and where it fails, the carousel read as a partial and as a total
derivative, and the γ bounds of the gates. The cells are :data:`rnnmodel.cells.CELLS`.

>>> REGISTRY["cells.lstm.jacobian"].layer
'cells'
"""
from rnncore.registry import Registry, load_package

REGISTRY = Registry("cells")

load_package(__name__)

__all__ = ["REGISTRY"]
