"""The model layer: what a network is, written once for every arithmetic.

* :mod:`rnnmodel.activations` — each activation one table entry (σ, σ', γ, the identity);
* :mod:`rnnmodel.arithmetic` — the context interface and the activation policy;
  :mod:`rnnmodel.exact` (SymPy), :mod:`rnnmodel.ring` (prime fields),
  :mod:`rnnmodel.balls` (Arb balls), :mod:`rnnmodel.floats` (mpmath, float64);
* :mod:`rnnmodel.dual` — forward-mode derivatives over any arithmetic;
* :mod:`rnnmodel.cells` — the cells (form A, form B), one step function each.

It imports only the foundation (``rnncore``) and third-party libraries.

>>> from rnnmodel.cells import FORMS
>>> FORMS
('A', 'B')
"""
