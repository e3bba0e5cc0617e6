"""The one-step Jacobian of each cell, in closed form, proved exactly against dual numbers.

The closed forms are those of :mod:`derive.cells` (its module docstring writes them out); the
direct side is the cell's step function on dual numbers over SymPy, so no chain rule for
matrices is assumed. The wrong derivations (transposed gate Jacobians, a dropped path) are
refuted in the tests (``tests/rnnclaims/cells``).

>>> from rnncore.registry import Options
>>> check_lstm_jacobian(Options.quick_sizes()).scope.span("n").hi
2
"""
from __future__ import annotations

from rnncore.registry import Options
from rnncore.results import Result, Verdict

from . import REGISTRY
from .common import one_step_proof

_DIFFERENT = "blog NOTE after eq. 2: \"all findings can be applied to different implementations of RNN models\""


@REGISTRY.claim(
    "cells.lstm.jacobian", source="LSTM (standard gates); " + _DIFFERENT, expect=Verdict.PROVED,
    statement=("one LSTM step (h, c) ↦ (h_t, c_t) has Jacobian blocks ∂c_t/∂c = diag(f), "
               "∂c_t/∂h = diag(c⊙f(1−f))W_f + diag(g⊙i(1−i))W_i + diag(i⊙σ'(a_g))W_g, "
               "∂h_t/∂c = diag(o⊙σ'(c_t)⊙f), ∂h_t/∂h = diag(σ(c_t)⊙o(1−o))W_o + diag(o⊙σ'(c_t)) ∂c_t/∂h"),
    reading="the full state is (h, c); numerator layout; gates i, f, o sigmoid, g and the output σ (tanh)",
)
def check_lstm_jacobian(options: Options) -> Result:
    """The LSTM's four blocks, n ≤ 3 (σ generic), n = 1 with tanh."""
    return one_step_proof("LSTM", options)


@REGISTRY.claim(
    "cells.gru.jacobian", source="GRU (Chung et al. 2014; Cho et al. 2014); " + _DIFFERENT,
    expect=Verdict.PROVED,
    statement=("one GRU step has ∂h_t/∂h = diag(1−z) + diag((h̃−h)⊙z(1−z))W_z + diag(z⊙σ'(a_h))A "
               "with A = W_h diag(r) + W_h diag(h⊙r(1−r))W_r; with z keeping the old value "
               "(h_t = z⊙h + (1−z)⊙h̃): diag(z) + diag((h−h̃)⊙z(1−z))W_z + diag((1−z)⊙σ'(a_h))A"),
    reading="both conventions of z; the reset gate inside the product, h̃ = σ(W_h(r⊙h) + U_h u + b_h)",
)
def check_gru_jacobian(options: Options) -> Result:
    """Both GRU conventions, n ≤ 3 (σ generic), n = 1 with tanh."""
    return Result.combine([one_step_proof("GRU", options), one_step_proof("GRU-cho", options)],
                          evidence="both conventions: direct − closed form = 0 in every case")


@REGISTRY.claim(
    "cells.stacked.jacobian", source="blog NOTE after eq. 2: \"we could have multiple\" layers",
    expect=Verdict.PROVED,
    statement=("a 2-layer stacked form A, state (x¹, x²), has the one-step Jacobian "
               "[[W_rec D(x¹), 0], [W_in2 D(x¹_t) W_rec D(x¹), W_rec2 D(x²)]]"),
    reading="layer 2 reads σ(x¹_t) of the same step: x²_t = W_rec2 σ(x²_{t−1}) + W_in2 σ(x¹_t) + b2",
)
def check_stacked_jacobian(options: Options) -> Result:
    """The stacked cell's four blocks, n ≤ 3 per layer."""
    return one_step_proof("A-stacked", options)


@REGISTRY.claim(
    "cells.skip.jacobian", source=_DIFFERENT, expect=Verdict.PROVED,
    statement=("form A with a skip connection x_t = W_rec σ(x_{t−1}) + U σ(x_{t−2}) + W_in u_t + b "
               "has partials ∂x_t/∂x_{t−1} = W_rec D(x_{t−1}) and ∂x_t/∂x_{t−2} = U D(x_{t−2})"),
    reading="partial derivatives: the other past state held",
)
def check_skip_jacobian(options: Options) -> Result:
    """The two partials of the skip connection, n ≤ 3."""
    return one_step_proof("A-skip", options)


__all__ = ["check_lstm_jacobian", "check_gru_jacobian", "check_stacked_jacobian", "check_skip_jacobian"]
