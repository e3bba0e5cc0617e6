"""Recurrent cells: one step function each, written once over an arithmetic.

A :class:`Cell` is one declaration: its name, its equation, the parameters it reads, how
many past states it reads (``reads``), and ``step(ctx, act, params, past, u)`` returning a
:class:`Step` — the new state and the argument σ was applied to (whose σ' makes
``D = diag(σ'(z))``). The same function runs in SymPy, in a prime field, in Arb balls, in
mpmath and in float64, and on dual numbers over any of them (:mod:`rnnmodel.dual`).

* form A (blog eq. 2, paper eq. 2): ``x_t = W_rec σ(x_{t−1}) + W_in u_t + b``, z = x_{t−1};
* form B (the blog's NOTE, paper footnote 1): ``h_t = σ(W_rec h_{t−1} + W_in u_t + b)``,
  z = the pre-activation ``a_t``.

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

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from rnncore.errors import InvalidInputError


@dataclass(frozen=True)
class Step:
    """One step's result: the new ``state`` and ``sigma_argument`` z (D = diag(σ'(z)))."""

    state: Any
    sigma_argument: Any


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


#: The cells of the model, by name.
CELLS: dict[str, Cell] = {c.name: c for c in (
    Cell("A", "x_t = W_rec σ(x_{t-1}) + W_in u_t + b", ("W_rec", "W_in", "b"), 1, "x", _form_a),
    Cell("B", "h_t = σ(W_rec h_{t-1} + W_in u_t + b)", ("W_rec", "W_in", "b"), 1, "h", _form_b),
)}

#: The forms, in order.
FORMS: tuple[str, ...] = tuple(CELLS)


def cell(form: str) -> Cell:
    """The cell of ``form``.

    >>> cell("C")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown form 'C'; use 'A' (x_t = W_rec σ(x_{t-1}) + W_in u_t + b) or 'B' (h_t = σ(W_rec h_{t-1} + W_in u_t + b))
    """
    if not isinstance(form, str) or form not in CELLS:
        raise InvalidInputError(
            f"unknown form {form!r}; use " + " or ".join(f"'{c.name}' ({c.equation})" for c in CELLS.values()))
    return CELLS[form]


__all__ = ["Cell", "Step", "CELLS", "FORMS", "cell"]
