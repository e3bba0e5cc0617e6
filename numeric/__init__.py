"""numeric: high-precision and certified linear algebra (mpmath, python-flint).

Public front:

* :class:`Enclosure` — certified interval ``[lo, hi]`` with exact rational endpoints
  (``Fraction``); :class:`Comparison` and :func:`compare` (less / equal / greater /
  undecided, equality only from exact arithmetic).
* certified: :func:`spectral_norm`, :func:`singular_values`, :func:`spectral_radius`,
  :func:`max_eigenvalue`; uncertified (mpmath, scoped precision):
  :func:`mp_spectral_norm`, :func:`mp_singular_values`, :func:`mp_spectral_radius`.
* :func:`decay_experiment` → :class:`DecayResult` (and ``DECAY_PRESETS``).
* a user's weights: :func:`sigma_max` (certified σ_max at n in the hundreds),
  :func:`find_scaling` / :func:`check_scaling` (diagonal-scaling certificates),
  :func:`analyze` → :class:`Analysis` (vanishing / exploding-possible / undecided).
* a user's gradient: :func:`network` → :class:`Network`, :func:`bptt` (BPTT over any
  arithmetic), :func:`enclosures` (certified ∂E/∂θ in balls), :func:`gradcheck` (is the
  caller's gradient inside every enclosure?) with ``GRADIENT_LOSSES``; any cell of the model
  (LSTM, GRU, stacked, skip) through :func:`cell_network` and :func:`cell_bptt` (a tape).

Matrices: lists of rows (ints, Fractions, floats, strings like ``"1/3"``), numpy arrays,
SymPy matrices with rational entries, mpmath matrices — all converted exactly to rationals.

>>> import numeric
>>> str(numeric.compare(numeric.spectral_norm([[0, 1], [0, 0]]), numeric.spectral_radius([[0, 1], [0, 0]])))
'greater'
>>> numeric.spectral_norm([[1, 2]], dps=5)
Traceback (most recent call last):
...
rnncore.errors.PrecisionError: dps=5 is not allowed; use an integer 15 <= dps <= 10000
"""
from .analyze import Analysis, GrowthCertificate, analyze
from .bptt import LOSSES as GRADIENT_LOSSES
from .bptt import CellNetwork, Network, bptt, cell_bptt, cell_network, enclosures, network
from .decay import PRESETS as DECAY_PRESETS
from .decay import DecayResult, decay_experiment
from .enclosure import Comparison, Enclosure, compare
from .linalg import (max_eigenvalue, mp_singular_values, mp_spectral_norm, mp_spectral_radius,
                     singular_values, spectral_norm, spectral_radius)
from .matrices import as_exact
from .scaling import ScalingCertificate, check_scaling, find_scaling
from .gradcheck import EntryGap, GradCheck, gradcheck
from .svd import sigma_max

__all__ = [
    "Enclosure", "Comparison", "compare",
    "spectral_norm", "singular_values", "spectral_radius", "max_eigenvalue",
    "mp_spectral_norm", "mp_singular_values", "mp_spectral_radius",
    "decay_experiment", "DecayResult", "DECAY_PRESETS", "as_exact",
    "sigma_max", "ScalingCertificate", "check_scaling", "find_scaling",
    "analyze", "Analysis", "GrowthCertificate",
    "network", "Network", "bptt", "enclosures", "cell_network", "CellNetwork", "cell_bptt", "GRADIENT_LOSSES", "gradcheck", "GradCheck", "EntryGap",
]
