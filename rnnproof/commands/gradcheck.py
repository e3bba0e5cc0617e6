"""``rnnproof gradcheck``: is the gradient your code computed the gradient of your network?

``rnnproof gradcheck WEIGHTS GRADIENTS [--inputs FILE] [--form A|B] [--activation ...]
[--loss half-norm|squared-error|every-step] [--prec BITS] [--json]`` reads the network from
WEIGHTS (``.npy``/``.npz``/``.safetensors``, through the reader of ``rnnproof analyze``): the
recurrent matrix ``W_rec`` (or ``W_hh``, ``weight_hh_l0``), the input matrix ``W_in`` (or
``W_ih``, ``weight_ih_l0``), optionally ``b`` and ``x0``; the inputs ``u`` (T × m, one row per
step) and for ``squared-error`` the target ``y`` from ``--inputs FILE`` or else from WEIGHTS.
GRADIENTS holds the gradient to check, as arrays named ``W_rec``, ``W_in``, ``b``, ``x0`` (any
of them; float arrays, or string arrays of decimals for more digits than float64 has). With
``--cell LSTM`` (GRU, GRU-cho, A-stacked, A-skip) the arrays are the cell's parameters by name.

The true ∂E/∂θ is enclosed by backpropagation in Arb balls (:func:`numeric.gradcheck.gradcheck`);
the verdict is ``confirmed`` (every entry inside its enclosure, exit 0), ``refuted`` (an entry
outside: the entry and its certified gap, exit 1) or ``undecided`` (exit 3); bad input exits 2
with one line. No tolerance is involved. See ``docs/gradcheck.md``.

>>> import argparse
>>> parser = argparse.ArgumentParser(); sub = parser.add_subparsers()
>>> add_parser(sub)
>>> run(parser.parse_args(["gradcheck", "missing.npz", "g.npz"]))
Traceback (most recent call last):
...
rnncore.errors.InvalidInputError: cannot read 'missing.npz': no such file
"""
from __future__ import annotations

import argparse
import json

import numpy as np

from numeric.bptt import LOSSES, cell_network, network
from numeric.gradcheck import MAX_PREC, MIN_PREC, gradcheck
from rnncore.errors import InvalidInputError
from rnncore.results import Result, Verdict
from rnnmodel.cells import CELLS, FORMS, named

from ..printers import method_text, scope_text
from .analyze import INPUT_NAMES, RECURRENT_NAMES, load_arrays

_EXIT = {Verdict.CONFIRMED: 0, Verdict.PROVED: 0, Verdict.REFUTED: 1, Verdict.UNDECIDED: 3}


def add_parser(subparsers) -> None:
    """Add the ``gradcheck`` subparser."""
    p = subparsers.add_parser(
        "gradcheck", help="certified check of a gradient your code computed (no tolerance)",
        description="Enclose ∂E/∂θ of the network in WEIGHTS by backpropagation in ball arithmetic "
        "and check every entry of GRADIENTS against it. Exit 0 confirmed, 1 refuted, 3 undecided, "
        "2 bad input. See docs/gradcheck.md.")
    p.add_argument("weights", metavar="WEIGHTS", help="W_rec, W_in (b, x0, u, y optional) in .npz/.npy/.safetensors")
    p.add_argument("gradients", metavar="GRADIENTS", help="arrays named W_rec, W_in, b, x0 (any of them)")
    p.add_argument("--inputs", metavar="FILE", default=None,
                   help="file with u (T x m) and optionally y and x0 (default: read them from WEIGHTS)")
    p.add_argument("--form", choices=("A", "B"), default="A",
                   help="A: x_t = W_rec σ(x_{t-1}) + W_in u_t + b; B: h_t = σ(W_rec h_{t-1} + W_in u_t + b)")
    p.add_argument("--cell", choices=tuple(c for c in CELLS if c not in FORMS), default=None,
                   help="a cell beyond the blog's forms; WEIGHTS then holds its parameters by name "
                   "(LSTM: W_i U_i b_i W_f U_f b_f W_o U_o b_o W_g U_g b_g; see docs/cells.md); the "
                   "initial state is 0 and the loss reads the cell's output (LSTM h, stacked x²)")
    p.add_argument("--activation", choices=("tanh", "sigmoid", "relu", "identity"), default="tanh")
    p.add_argument("--loss", choices=tuple(LOSSES), default="half-norm",
                   help="; ".join(f"{k}: {v}" for k, v in LOSSES.items()) + " (default half-norm)")
    p.add_argument("--prec", type=int, default=128, metavar="BITS",
                   help=f"working precision of the enclosures, {MIN_PREC}..{MAX_PREC} bits (default 128)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def _pick(arrays: dict, names, what: str, path: str, required: bool = True):
    for k in names:  # first present name wins
        if k in arrays:
            return arrays[k]
    if required:
        listing = ", ".join(arrays) or "no arrays"
        raise InvalidInputError(f"{path} has no {what} (an array named {' or '.join(names)}); it has {listing}")
    return None


def _numbers(a, name: str):
    """Float, integer or decimal-string arrays; anything else is refused (never unpickled)."""
    a = np.asarray(a)
    if a.dtype.kind in "fiu":
        return a
    if a.dtype.kind == "U":
        return a.astype(object)
    raise InvalidInputError(f"array {name!r} has dtype {a.dtype}; use a float, integer or decimal-string array")


def load_network(args: argparse.Namespace):
    """The network of the files named by ``args``: a :class:`numeric.bptt.Network` (form A
    or B), or with ``--cell`` a :class:`numeric.bptt.CellNetwork`."""
    w = load_arrays(args.weights)
    src = load_arrays(args.inputs) if args.inputs else w
    where = args.inputs or args.weights
    get = lambda arrays, names, what, path, req=True: (  # noqa: E731
        None if (v := _pick(arrays, names, what, path, req)) is None else _numbers(v, names[0]))
    if getattr(args, "cell", None):
        c = named(args.cell)
        params = {k: get(w, (k,), f"parameter {k} of cell {c.name}", args.weights) for k in c.parameters}
        return cell_network(c.name, params, get(src, ("u",), "inputs", where),
                            target=get(src, ("y", "target"), "target", where, args.loss == "squared-error"),
                            activation_name=args.activation, loss=args.loss)
    x0 = get(src, ("x0",), "x0", where, False)
    if x0 is None:
        x0 = get(w, ("x0",), "x0", args.weights, False)
    return network(get(w, RECURRENT_NAMES, "recurrent matrix", args.weights),
                   get(w, INPUT_NAMES, "input matrix", args.weights),
                   get(w, ("b",), "bias", args.weights, False),
                   get(src, ("u",), "inputs", where),
                   x0=x0, target=get(src, ("y", "target"), "target", where, args.loss == "squared-error"),
                   form=args.form, activation_name=args.activation, loss=args.loss)


def run(args: argparse.Namespace) -> int:
    """Load, check, print; return the exit code."""
    net = load_network(args)
    raw = load_arrays(args.gradients)
    unknown = [k for k in raw if k not in net.parameter_names]
    if unknown:
        raise InvalidInputError(f"{args.gradients} has array(s) {', '.join(unknown)}; name the gradient "
                                f"arrays {', '.join(net.parameter_names)}")
    result = gradcheck(net, {k: _numbers(v, k) for k, v in raw.items()}, prec=args.prec)
    code = _EXIT[result.verdict]
    if args.json:
        print(json.dumps(as_json(result, code), indent=2, ensure_ascii=False))
    else:
        print(as_text(result))
    return code


def _entry(e) -> dict:
    return {"entry": f"{e.name}[{', '.join(map(str, e.index))}]", "given": e.given.str(25),
            "enclosure": e.true.str(25), "gap_at_least": f"{float(e.gap):.6e}", "relative": e.relative}


def as_json(r: Result, code: int) -> dict:
    """The check as a JSON-ready dict.

    >>> from numeric.bptt import network
    >>> from numeric.gradcheck import gradcheck
    >>> as_json(gradcheck(network([[0]], [[0]], [1], [[0]]), {"b": [2]}), 1)["failing"][0]["entry"]
    'b[0]'
    """
    d = r.data
    out = {"verdict": r.label.value, "holds": r.holds, "evidence": r.evidence,
           "method": method_text(r.method), "scope": scope_text(r.scope), "exit_code": code}
    if d is not None:
        out.update({"checked": d.checked, "failing": [_entry(e) for e in d.failing[:100]],
                    "failing_count": len(d.failing), "widest_radius": d.widest,
                    "loss_enclosure": d.loss.str(25)})
    return out


def as_text(r: Result) -> str:
    """The check for people.

    >>> from numeric.bptt import network
    >>> from numeric.gradcheck import gradcheck
    >>> print(as_text(gradcheck(network([[0]], [[0]], [1], [[0]]), {"b": [1]})).splitlines()[0])
    verdict:  confirmed
    """
    lines = [f"verdict:  {r.label.value}", f"because:  {r.evidence}", f"method:   {method_text(r.method)}",
             f"scope:    {scope_text(r.scope)}"]
    if r.data is not None:
        lines.append(f"loss E ∈  {r.data.loss.str(25)}")
        for e in r.data.failing[:10]:
            x = _entry(e)
            lines.append(f"  {x['entry']}: given {x['given']}, true ∈ {x['enclosure']}, "
                         f"gap ≥ {x['gap_at_least']} (relative {e.relative:.3e})")
        if len(r.data.failing) > 10:
            lines.append(f"  … and {len(r.data.failing) - 10} more (--json lists up to 100)")
    return "\n".join(lines)


__all__ = ["add_parser", "run", "load_network", "as_json", "as_text"]
