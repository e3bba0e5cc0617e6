"""Recurrent cells: one step function each, written once over an arithmetic.

A :class:`Cell` is one declaration: its name, its equation, the parameters it reads, how
many past states it reads (``reads``), and ``step(ctx, act, params, past, u)`` returning a
:class:`Step` — the new state and the argument σ was applied to (whose σ' makes
``D = diag(σ'(z))``). The same function runs in SymPy, in a prime field, in Arb balls, in
mpmath and in float64, and on dual numbers over any of them (:mod:`rnnmodel.dual`).

* form A (blog eq. 2, paper eq. 2): ``x_t = W_rec σ(x_{t−1}) + W_in u_t + b``, z = x_{t−1};
* form B (the blog's NOTE, paper footnote 1): ``h_t = σ(W_rec h_{t−1} + W_in u_t + b)``,
  z = the pre-activation ``a_t``.

Beyond the blog's two forms (:data:`FORMS`, what :func:`cell` accepts), :data:`CELLS` holds
(:func:`named` gives any of them): ``LSTM`` (gates i, f, o sigmoid; g and the output σ, tanh in
the standard LSTM; state (h, c)), ``GRU`` (h_t = (1 − z) ⊙ h_{t−1} + z ⊙ h̃, Chung et al. 2014)
and ``GRU-cho`` (h_t = z ⊙ h_{t−1} + (1 − z) ⊙ h̃, Cho et al. 2014 and PyTorch; both with the
reset gate inside the product, W_h (r ⊙ h)), ``A-stacked`` (two layers of form A, state (x¹, x²))
and ``A-skip`` (form A with a skip connection). A gated cell's step gives its pre-activations
by gate as ``sigma_argument`` and its gate values in ``Step.parts``.

A new cell is one more entry of :data:`CELLS`. A state may be any value of the arithmetic
(a tuple for a cell with two state vectors, as an LSTM's (h, c)), and ``past`` holds the
last ``reads`` states, oldest first, so a skip connection
``x_t = W_rec σ(x_{t−1}) + U σ(x_{t−2}) + W_in u_t + b`` reads two.

>>> from rnnmodel.activations import ACTIVATIONS
>>> from rnnmodel.floats import FLOAT64 as F
>>> params = {"W_rec": F.matrix([[2]]), "W_in": F.matrix([[1]]), "b": F.vector([0])}
>>> CELLS["A"].step(F, ACTIVATIONS["relu"], params, (F.vector([3]),), F.vector([1])).state.tolist()
[7.0]
>>> [s.state.tolist() for s in CELLS["B"].unroll(F, ACTIVATIONS["relu"], params, (F.vector([-1]),),
...                                              [F.vector([1])] * 2)]
[[0.0], [1.0]]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from rnncore.errors import InvalidInputError

from .activations import ACTIVATIONS

_SIGMOID = ACTIVATIONS["sigmoid"]


@dataclass(frozen=True)
class Step:
    """One step's result: the new ``state`` and ``sigma_argument`` z (D = diag(σ'(z))); a
    gated cell gives its pre-activations by gate there and its gate values in ``parts``."""

    state: Any
    sigma_argument: Any
    parts: Mapping[str, Any] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Cell:
    """A recurrent cell: one step function over an arithmetic.

    >>> CELLS["B"].equation
    'h_t = σ(W_rec h_{t-1} + W_in u_t + b)'
    """

    name: str
    equation: str
    parameters: tuple[str, ...]
    reads: int
    state_letter: str
    step: Callable[[Any, Any, Mapping[str, Any], tuple, Any], Step]

    def unroll(self, ctx, act, params: Mapping[str, Any], initial: tuple, inputs: Sequence[Any]) -> list[Step]:
        """The steps from the states ``initial`` (the last ``reads`` of them) driven by
        ``inputs`` u_1, u_2, …: one :class:`Step` per input.

        >>> from rnnmodel.floats import FLOAT64 as F
        >>> CELLS["A"].unroll(F, None, {}, (), [])
        Traceback (most recent call last):
        ...
        rnncore.errors.InvalidInputError: cell A reads 1 past state(s); got 0 initial states
        """
        past = tuple(initial)
        if len(past) < self.reads:
            raise InvalidInputError(
                f"cell {self.name} reads {self.reads} past state(s); got {len(past)} initial states")
        past = past[len(past) - self.reads:]
        out = []
        for u in inputs:
            s = self.step(ctx, act, params, past, u)
            out.append(s)
            past = past[1:] + (s.state,)
        return out


def _form_a(ctx, act, p, past, u) -> Step:
    z = past[-1]
    return Step(ctx.add(ctx.matvec(p["W_rec"], ctx.sigma(act, z)), ctx.affine(p["W_in"], u, p["b"])), z)


def _form_b(ctx, act, p, past, u) -> Step:
    a = ctx.add(ctx.matvec(p["W_rec"], past[-1]), ctx.affine(p["W_in"], u, p["b"]))
    return Step(ctx.sigma(act, a), a)


def _gate(ctx, act, p, q, h, u):
    """``act(W_q h + U_q u + b_q)`` and its pre-activation, for the gate ``q``."""
    a = ctx.add(ctx.matvec(p["W_" + q], h), ctx.affine(p["U_" + q], u, p["b_" + q]))
    return ctx.sigma(act, a), a


def _lstm(ctx, act, p, past, u) -> Step:
    # gates i, f, o are sigmoids whatever ``act`` is; ``act`` (tanh by default) is the
    # activation of the candidate g and of the output, as in the standard LSTM
    h, c = past[-1]
    gates, pre = {}, {}
    for q in "ifo":
        gates[q], pre[q] = _gate(ctx, _SIGMOID, p, q, h, u)
    gates["g"], pre["g"] = _gate(ctx, act, p, "g", h, u)
    c_new = ctx.add(ctx.mul(gates["f"], c), ctx.mul(gates["i"], gates["g"]))
    s = ctx.sigma(act, c_new)
    return Step((ctx.mul(gates["o"], s), c_new), pre, {**gates, "tanh_c": s, "c": c_new})


def _gru(keep_old_with_z: bool):
    # reset gate inside the recurrent product, h~ = act(W_h (r ⊙ h) + U_h u + b_h)
    # (Cho et al. 2014, eq. 8; PyTorch applies r after the product instead)
    def step(ctx, act, p, past, u) -> Step:
        h = past[-1]
        z, az = _gate(ctx, _SIGMOID, p, "z", h, u)
        r, ar = _gate(ctx, _SIGMOID, p, "r", h, u)
        cand, ah = _gate(ctx, act, p, "h", ctx.mul(r, h), u)
        keep, write = (z, ctx.sub(1, z)) if keep_old_with_z else (ctx.sub(1, z), z)
        new = ctx.add(ctx.mul(keep, h), ctx.mul(write, cand))
        return Step(new, {"z": az, "r": ar, "h": ah}, {"z": z, "r": r, "cand": cand})
    return step


def _stacked_a(ctx, act, p, past, u) -> Step:
    x1, x2 = past[-1]
    new1 = ctx.add(ctx.matvec(p["W_rec"], ctx.sigma(act, x1)), ctx.affine(p["W_in"], u, p["b"]))
    new2 = ctx.add(ctx.matvec(p["W_rec2"], ctx.sigma(act, x2)),
                   ctx.affine(p["W_in2"], ctx.sigma(act, new1), p["b2"]))
    return Step((new1, new2), (x1, x2, new1))


def _skip_a(ctx, act, p, past, u) -> Step:
    x2, x1 = past[-2], past[-1]
    rec = ctx.add(ctx.matvec(p["W_rec"], ctx.sigma(act, x1)), ctx.matvec(p["U"], ctx.sigma(act, x2)))
    return Step(ctx.add(rec, ctx.affine(p["W_in"], u, p["b"])), (x1, x2))


_GATES = ("W_{q}", "U_{q}", "b_{q}")


def _gate_params(gates: str) -> tuple[str, ...]:
    return tuple(f.format(q=q) for q in gates for f in _GATES)


#: The cells of the model, by name: the blog's forms A and B, then the cells beyond it.
CELLS: dict[str, Cell] = {c.name: c for c in (
    Cell("A", "x_t = W_rec σ(x_{t-1}) + W_in u_t + b", ("W_rec", "W_in", "b"), 1, "x", _form_a),
    Cell("B", "h_t = σ(W_rec h_{t-1} + W_in u_t + b)", ("W_rec", "W_in", "b"), 1, "h", _form_b),
    Cell("LSTM", "q_t = sigmoid(W_q h_{t-1} + U_q u_t + b_q) for q = i, f, o; "
         "g_t = σ(W_g h_{t-1} + U_g u_t + b_g); c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t; "
         "h_t = o_t ⊙ σ(c_t) (σ = tanh in the standard LSTM); state (h, c)",
         _gate_params("ifog"), 1, "(h, c)", _lstm),
    Cell("GRU", "z_t = sigmoid(W_z h + U_z u_t + b_z), r_t = sigmoid(W_r h + U_r u_t + b_r), "
         "h~_t = σ(W_h (r_t ⊙ h) + U_h u_t + b_h), h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h~_t "
         "(z writes the new value: Chung et al. 2014)",
         _gate_params("zrh"), 1, "h", _gru(False)),
    Cell("GRU-cho", "as GRU but h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h~_t "
         "(z keeps the old value: Cho et al. 2014, PyTorch)",
         _gate_params("zrh"), 1, "h", _gru(True)),
    Cell("A-stacked", "x¹_t = W_rec σ(x¹_{t-1}) + W_in u_t + b; "
         "x²_t = W_rec2 σ(x²_{t-1}) + W_in2 σ(x¹_t) + b2; state (x¹, x²)",
         ("W_rec", "W_in", "b", "W_rec2", "W_in2", "b2"), 1, "(x¹, x²)", _stacked_a),
    Cell("A-skip", "x_t = W_rec σ(x_{t-1}) + U σ(x_{t-2}) + W_in u_t + b",
         ("W_rec", "U", "W_in", "b"), 2, "x", _skip_a),
)}

#: The blog's forms, in order (the cells a form letter names).
FORMS: tuple[str, ...] = ("A", "B")


def cell(form: str) -> Cell:
    """The cell of the blog's ``form`` (A or B; :func:`named` gives any cell).

    >>> cell("C")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown form 'C'; use 'A' (x_t = W_rec σ(x_{t-1}) + W_in u_t + b) or 'B' (h_t = σ(W_rec h_{t-1} + W_in u_t + b))
    """
    if not isinstance(form, str) or form not in FORMS:
        raise InvalidInputError(
            f"unknown form {form!r}; use " + " or ".join(f"'{CELLS[f].name}' ({CELLS[f].equation})"
                                                          for f in FORMS))
    return CELLS[form]


def named(name: str) -> Cell:
    """Any cell of :data:`CELLS` by its name.

    >>> named("LSTM").reads, named("A-skip").reads
    (1, 2)
    >>> named("lstm")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown cell 'lstm'; use one of A, B, LSTM, GRU, GRU-cho, A-stacked, A-skip
    """
    if not isinstance(name, str) or name not in CELLS:
        raise InvalidInputError(f"unknown cell {name!r}; use one of {', '.join(CELLS)}")
    return CELLS[name]


__all__ = ["Cell", "Step", "CELLS", "FORMS", "cell", "named"]
