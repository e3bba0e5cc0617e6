"""A certified gradient check: is the caller's ∂E/∂θ the gradient of the network, entry by entry?

The true gradient is enclosed by backpropagation in Arb balls (:func:`numeric.bptt.enclosures`,
at ``prec`` bits, default 128). The caller's gradient is either

The network is the blog's form A or B (:func:`numeric.bptt.network`) or any cell of the model
(:func:`numeric.bptt.cell_network`: LSTM, GRU, stacked, skip-connected; reverse mode on a tape).

* **arrays** (numpy, lists; float64, ints, Fractions, decimal strings such as ``"0.1234…"``,
  mpmath numbers), converted exactly: each entry is the exact number it denotes; or
* **a callable** ``gradient(params) -> {name: array}``, run on numpy object arrays of Arb balls
  (``params`` holds ``W_rec``, ``W_in``, ``b``, ``x0``, ``inputs`` (T × m) and ``target``): code
  written with numpy operators (``@``, ``*``, ``np.tanh``, ``np.outer``, ``np.zeros_like``) runs
  unchanged and its result encloses what the caller's formula computes exactly.

Verdicts, with no tolerance anywhere:

* ``refuted``: some entry's caller ball and true ball are disjoint. The counterexample names the
  entry with the largest certified relative gap, and ``data.entries`` lists every failing entry
  with its certified gap (a lower bound on |caller − true|).
* ``confirmed``: every entry's caller value (or ball) meets its enclosure, and every enclosure
  is tight (radius ≤ 2^-100 of the parameter's largest entry: the precision is doubled, from
  ``prec`` up to 4096 bits, until it is — ball radii grow through the steps).
* ``undecided``: an enclosure could not be made (a relu argument at its kink), or an entry
  lies inside an enclosure that stayed wider than that.

Arrays hold a *number*, not a formula: float64 values computed by a correct BPTT carry rounding
errors (about 1e-16 relative), which a 128-bit enclosure (about 1e-36 wide) exposes — the verdict
is refuted with a gap that small, which says the numbers are off by their rounding only. To check
the *code* rather than its float64 rounding, pass it as a callable; to check numbers, give them
with the digits they have (decimal strings).

>>> from numeric.bptt import network
>>> net = network([[Fraction(1, 2)]], [[1]], [0], [[1]], x0=[Fraction(1, 4)])
>>> gradcheck(net, {"b": [1]}).verdict.value
'refuted'
>>> def mine(p):
...     x1 = p["W_rec"] @ np.tanh(p["x0"]) + p["W_in"] @ p["inputs"][0] + p["b"]
...     return {"b": x1}
>>> gradcheck(net, mine).verdict.value
'confirmed'
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping

import flint
import numpy as np

from rnncore.errors import InvalidInputError, PrecisionError, ShapeError
from rnncore.results import Counterexample, Location, Method, MethodKind, Result, Scope, Span, Verdict
from rnnmodel.arithmetic import KinkError
from rnnmodel.balls import to_arb

from .bptt import LOSSES, CellNetwork, Network, enclosures, exact_array

#: Precision bounds (bits) of the enclosures.
MIN_PREC, MAX_PREC = 53, 4096
#: An enclosure is tight when its radius is at most 2^-TIGHT_BITS times the largest |entry| of
#: its parameter's gradient; the precision is doubled until every enclosure is (ball radii grow
#: like ‖|W_rec|‖^T through the steps, so a long run needs more bits than its answer has).
TIGHT_BITS = 100


@dataclass(frozen=True)
class EntryGap:
    """One entry outside its enclosure: ``name``, ``index``, the caller's value (ball), the
    enclosure, and ``gap`` (a certified lower bound on |caller − true|) and ``relative``
    (gap / the enclosure's largest absolute value, as a float).

    >>> from numeric.bptt import network
    >>> gradcheck(network([[0]], [[0]], [1], [[0]]), {"b": [2]}).data.failing[0].relative
    1.0
    """

    name: str
    index: tuple[int, ...]
    given: flint.arb
    true: flint.arb
    gap: flint.arb
    relative: float


@dataclass(frozen=True)
class GradCheck:
    """What a check found: the enclosures (name → list of balls, row-major, with the shape),
    the entries checked, the failing entries (largest relative gap first), the widest
    enclosure radius relative to its parameter's largest entry, and whether the caller's side
    came from a callable.

    >>> from numeric.bptt import network
    >>> gradcheck(network([[0]], [[0]], [1], [[0]]), {"b": [1]}).data.checked
    1
    """

    enclosures: Mapping[str, tuple]
    shapes: Mapping[str, tuple]
    checked: int
    failing: tuple[EntryGap, ...]
    widest: float
    callable: bool
    loss: flint.arb


def check_prec(prec) -> int:
    """Validate a precision in bits.

    >>> check_prec(10)
    Traceback (most recent call last):
    ...
    rnncore.errors.PrecisionError: prec=10 is not allowed; use an integer 53 <= prec <= 4096 bits
    """
    if isinstance(prec, bool) or not isinstance(prec, int) or not MIN_PREC <= prec <= MAX_PREC:
        raise PrecisionError(f"prec={prec!r} is not allowed; use an integer {MIN_PREC} <= prec <= {MAX_PREC} bits")
    return prec


def _balls_of(M) -> np.ndarray:
    """An arb_mat (or a ball column) as a numpy object array of balls."""
    out = np.empty((M.nrows(), M.ncols()), dtype=object)
    for i in range(M.nrows()):
        for j in range(M.ncols()):
            out[i, j] = M[i, j]
    return out


def _true(enc: dict, name: str, shape: tuple) -> np.ndarray:
    a = _balls_of(enc[name])
    return a.reshape(shape)


def ball_params(net: Network) -> dict:
    """The network's numbers as numpy object arrays of exact balls, for a callable.

    >>> from numeric.bptt import network
    >>> ball_params(network([[1]], [[2]], [0], [[3]]))["inputs"].shape
    (1, 1)
    """
    def arr(rows):
        return np.array([[to_arb(x) for x in r] for r in rows], dtype=object)

    def vec(v):
        return None if v is None else np.array([to_arb(x) for x in v], dtype=object)

    if isinstance(net, CellNetwork):
        out = {k: (vec(v) if k.startswith("b") else arr(v)) for k, v in net.params}
        return {**out, "inputs": arr(net.inputs), "target": vec(net.target)}

    return {"W_rec": arr(net.W_rec), "W_in": arr(net.W_in), "b": vec(net.b), "x0": vec(net.x0),
            "inputs": arr(net.inputs), "target": vec(net.target)}


def _given_balls(net: Network, gradient, prec: int) -> tuple[dict, bool]:
    if callable(gradient):
        with flint.ctx.workprec(prec):
            try:
                out = gradient(ball_params(net))
            except (KinkError, InvalidInputError):
                raise
            except Exception as exc:  # the caller's code, run on balls: its failure is bad input
                raise InvalidInputError(
                    f"the gradient callable raised {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
                    "on numpy object arrays of Arb balls; write it with numpy operators, or pass arrays") from None
        if not isinstance(out, Mapping):
            raise InvalidInputError(f"the gradient callable returned {type(out).__name__}; return a dict name -> array")
        is_callable = True
    else:
        if not isinstance(gradient, Mapping):
            raise InvalidInputError(f"gradient is a {type(gradient).__name__}; give a dict name -> array or a callable")
        out, is_callable = gradient, False
    names = net.parameter_names
    unknown = [k for k in out if k not in names]
    if unknown:
        raise InvalidInputError(f"gradient has unknown array(s) {', '.join(map(repr, unknown))}; "
                                f"name them {', '.join(names)}")
    given = {k: v for k, v in out.items() if v is not None}
    if not given:
        raise InvalidInputError(f"gradient has no arrays; give at least one of {', '.join(names)}")
    balls = {}
    for name, value in given.items():
        shape = net.shape_of(name)
        a = np.asarray(value, dtype=object)
        if a.shape != shape and a.size == int(np.prod(shape)) and len(shape) == 1:
            a = a.reshape(shape)
        if a.shape != shape:
            raise ShapeError(f"gradient {name} has shape {a.shape}; the parameter has shape {shape}")
        if is_callable and all(isinstance(x, flint.arb) for x in a.ravel()):
            balls[name] = a
            continue
        exact = exact_array(a, f"gradient {name}", len(shape))
        with flint.ctx.workprec(prec):
            balls[name] = np.vectorize(to_arb, otypes=[object])(exact)
    return balls, is_callable


def gradcheck(net: Network | CellNetwork, gradient: Mapping[str, Any] | Callable, *, prec: int = 128) -> Result:
    """Check the caller's ``gradient`` of ``net``'s loss (see the module docstring).

    >>> from numeric.bptt import network
    >>> gradcheck(network([[1]], [[1]], [0], [[1]]), {"W": [[1]]})
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: gradient has unknown array(s) 'W'; name them W_rec, W_in, b, x0
    """
    check_prec(prec)
    scope_spans = (Span("n", net.n, net.n), Span("T", net.T, net.T))
    while True:
        given, is_callable = _given_balls(net, gradient, prec)
        try:
            enc = enclosures(net, prec)
        except KinkError as exc:
            return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "a relu argument at its kink"),
                          Scope(spans=scope_spans, activations=(net.activation,), forms=(net.form,),
                                losses=(net.loss,)),
                          f"no enclosure at a relu kink: {exc} (the derivative does not exist there)")
        failing, loose, checked, widest, encs, shapes = [], [], 0, 0.0, {}, {}
        with flint.ctx.workprec(prec):
            for name in net.parameter_names:
                shape = net.shape_of(name)
                true = _true(enc, name, shape)
                encs[name] = tuple(true.ravel())
                shapes[name] = shape
                if name not in given:
                    continue
                scale = max([abs(float(t.mid())) for t in true.ravel()] + [1e-300])
                for idx in np.ndindex(shape):
                    t, g = true[idx], given[name][idx]
                    checked += 1
                    widest = max(widest, float(t.rad()) / scale)
                    d = g - t
                    if not d.contains(0):
                        mag = max(abs(float(t.mid())), 1e-300)
                        gap = d.abs_lower()
                        failing.append(EntryGap(name, tuple(int(i) for i in idx), g, t, gap, float(gap) / mag))
                    elif max(float(t.rad()), float(g.rad())) > scale * 2.0 ** -TIGHT_BITS:
                        loose.append((name, tuple(int(i) for i in idx)))
        if not loose or prec * 2 > MAX_PREC:
            break
        prec *= 2
    method = Method(MethodKind.CERTIFIED, f"backpropagation through time in Arb balls at {prec} bits"
                    + ("; the caller's code run on balls" if is_callable else "; the caller's numbers exactly"))
    failing.sort(key=lambda e: -e.relative)
    data = GradCheck(encs, shapes, checked, tuple(failing), widest, is_callable, enc["loss"])
    scope = Scope(spans=scope_spans, activations=(net.activation,), forms=(net.form,), losses=(net.loss,),
                  checked=checked, note=f"loss {LOSSES[net.loss]}; arrays checked: {', '.join(given)}")
    if failing:
        e = failing[0]
        at = f"{e.name}[{', '.join(map(str, e.index))}]"
        cex = Counterexample(
            (("entry", at), ("given", str(e.given)), ("loss", net.loss)),
            lhs=f"∂E/∂{at} ∈ {e.true}", rhs=f"given {e.given}", relation="=",
            location=Location(entry=e.index, case=e.name, note=f"certified gap ≥ {float(e.gap):.3e} "
                              f"(relative {e.relative:.3e})"),
            note=f"{len(failing)} of {checked} entries outside their enclosures", data=data)
        return Result(Verdict.REFUTED, method, scope,
                      f"{len(failing)} of {checked} entries lie outside the certified enclosure; largest: "
                      f"{at}, gap ≥ {float(e.gap):.3e} (relative {e.relative:.3e})",
                      counterexample=cex, data=data)
    if loose:
        name, idx = loose[0]
        return Result(Verdict.UNDECIDED, method,
                      Scope(spans=scope_spans, activations=(net.activation,), forms=(net.form,),
                            losses=(net.loss,), checked=checked - len(loose), skipped=len(loose),
                            skipped_what="entries inside an enclosure not tight enough to decide",
                            note=scope.note),
                      f"{len(loose)} entries (first {name}[{', '.join(map(str, idx))}]) lie inside enclosures "
                      f"wider than 2^-{TIGHT_BITS} of their scale even at {prec} bits", data=data)
    return Result(Verdict.CONFIRMED, method, scope,
                  f"all {checked} entries lie inside their certified enclosures (widest relative radius "
                  f"{widest:.1e}, at {prec} bits)",
                  data=data)


__all__ = ["gradcheck", "GradCheck", "EntryGap", "ball_params", "check_prec", "MIN_PREC", "MAX_PREC"]
