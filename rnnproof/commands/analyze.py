"""``rnnproof analyze``: will gradients vanish or explode for these trained weights?

``rnnproof analyze WEIGHTS [--matrix NAME] [--activation tanh|sigmoid|relu]
[--input-range LO HI] [--json] [--plot FILE.png]`` reads the recurrent matrix from a
``.npy``, ``.npz`` or ``.safetensors`` file (never unpickling: ``allow_pickle=False``), runs
:func:`numeric.analyze.analyze` and prints the verdict with its certificate:
``vanishing`` (every trajectory; σ_max or a diagonal scaling), ``exploding-possible`` (a
realizable held state whose Jacobian product grows without bound) or ``undecided`` (the
bounds found).

The recurrent matrix is the array named ``W_rec``, ``W_hh`` or ``weight_hh_l0``, else the
only square 2-D array in the file (``--matrix NAME`` picks one). With ``--input-range``
the file must also hold the input matrix (``W_in``, ``W_ih`` or ``weight_ih_l0``) and may
hold a bias ``b``.

Exit codes: 0 a decided answer, 3 undecided, 2 bad input (one line on stderr). The
capability, a worked example and the lemmas: ``docs/analyze.md``.

>>> import argparse
>>> parser = argparse.ArgumentParser(); sub = parser.add_subparsers()
>>> add_parser(sub)
>>> args = parser.parse_args(["analyze", "missing.npz"])
>>> run(args)
Traceback (most recent call last):
...
rnncore.errors.InvalidInputError: cannot read 'missing.npz': no such file
"""
from __future__ import annotations

import argparse
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from numeric.analyze import UNDECIDED, Analysis, analyze, product_norms
from numeric.enclosure import Enclosure
from rnncore.errors import InvalidInputError, ShapeError

from ..io import atomic_open, check_output_path
from ..printers import method_text, scope_text

try:  # safetensors is a dependency; a broken install should not take the other formats down
    from safetensors.numpy import load_file as _load_safetensors
except ImportError:  # pragma: no cover - depends on the environment
    _load_safetensors = None

#: Array names of the recurrent matrix, the input matrix and the bias, in order of preference.
RECURRENT_NAMES = ("W_rec", "W_hh", "weight_hh_l0")
INPUT_NAMES = ("W_in", "W_ih", "weight_ih_l0")
BIAS_NAMES = ("b",)
#: Largest hidden size the command accepts (the certificates are n³ ball products).
MAX_N = 2048
#: Steps drawn in the plot.
PLOT_STEPS = 60
_SUFFIXES = (".npy", ".npz", ".safetensors")


def add_parser(subparsers) -> None:
    """Add the ``analyze`` subparser."""
    p = subparsers.add_parser(
        "analyze",
        help="certified vanishing / exploding verdict for trained recurrent weights",
        description="Read the recurrent matrix of a trained RNN (.npy, .npz, .safetensors) "
        "and decide, with certified enclosures, whether ‖∂x_t/∂x_k‖ vanishes on every "
        "trajectory, can explode on a realizable one, or neither is certified. "
        "Exit 0 decided, 3 undecided, 2 bad input. See docs/analyze.md.",
    )
    p.add_argument("weights", metavar="WEIGHTS", help="a .npy, .npz or .safetensors file")
    p.add_argument("--matrix", metavar="NAME", default=None,
                   help="name of the recurrent matrix in the file (default: W_rec, W_hh, "
                   "weight_hh_l0, else the only square 2-D array)")
    p.add_argument("--activation", choices=("tanh", "sigmoid", "relu"), default="tanh",
                   help="σ of x_t = W σ(x_{t-1}) + W_in u_t + b (default tanh)")
    p.add_argument("--input-range", nargs=2, metavar=("LO", "HI"), default=None,
                   help="every input coordinate lies in [LO, HI] (needs W_in in the file); "
                   "default: inputs can put the state anywhere (the worst case)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--plot", metavar="FILE.png", default=None,
                   help="draw ‖∂x_t/∂x_k‖ along the worst trajectory found against the bound")


def load_arrays(path: str) -> dict[str, np.ndarray]:
    """The named arrays of a ``.npy`` (one array, named ``array``), ``.npz`` or ``.safetensors``
    file, never unpickling; a missing or unreadable file is one :class:`InvalidInputError`.

    >>> load_arrays("weights.txt")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: cannot read 'weights.txt': no such file
    """
    p = Path(path)
    if not p.is_file():
        raise InvalidInputError(f"cannot read {path!r}: no such file")
    suffix = p.suffix.lower()
    if suffix not in _SUFFIXES:
        raise InvalidInputError(
            f"cannot read {path!r}: unknown suffix {p.suffix!r}; use {', '.join(_SUFFIXES)}")
    try:
        if suffix == ".npy":
            return {"array": np.load(p, allow_pickle=False)}
        if suffix == ".npz":
            with np.load(p, allow_pickle=False) as z:
                return {k: z[k] for k in z.files}
        if _load_safetensors is None:  # pragma: no cover - depends on the environment
            raise InvalidInputError("reading .safetensors needs the safetensors package; "
                                    "pip install safetensors")
        return dict(_load_safetensors(str(p)))
    except InvalidInputError:
        raise
    except Exception as exc:  # any failure to parse the file is a bad file, said in one line
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidInputError(f"cannot read {path!r} as {suffix}: {msg}") from None


def _listing(arrays: dict[str, np.ndarray]) -> str:
    return ", ".join(f"{k} {'x'.join(map(str, v.shape)) or 'scalar'}" for k, v in arrays.items())


def select_recurrent(arrays: dict[str, np.ndarray], name: str | None = None) -> tuple[str, np.ndarray]:
    """The recurrent matrix of a file's arrays: ``name`` if given, else a standard name,
    else the only square 2-D array.

    >>> select_recurrent({"W_hh": np.eye(2), "W_in": np.eye(2)})[0]
    'W_hh'
    >>> select_recurrent({"A": np.eye(2), "B": np.eye(3)})
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: cannot tell the recurrent matrix among the arrays A 2x2, B 3x3; name it with --matrix NAME or save it as W_rec
    """
    if name is not None:
        if name not in arrays:
            raise InvalidInputError(
                f"--matrix {name!r} is not in the file; it has {_listing(arrays)}")
        return name, arrays[name]
    for key in RECURRENT_NAMES:
        if key in arrays:
            return key, arrays[key]
    square = [k for k, v in arrays.items() if v.ndim == 2 and v.shape[0] == v.shape[1]]
    if len(square) == 1:
        return square[0], arrays[square[0]]
    raise InvalidInputError(
        f"cannot tell the recurrent matrix among the arrays {_listing(arrays)}; "
        "name it with --matrix NAME or save it as W_rec")


def _check_matrix(name: str, A: np.ndarray, square: bool) -> np.ndarray:
    if A.dtype.kind not in "fiub":
        raise InvalidInputError(f"array {name!r} has dtype {A.dtype}; use a float or integer array")
    if A.ndim != 2:
        raise ShapeError(f"array {name!r} has shape {A.shape}; a 2-D matrix is needed")
    if square and A.shape[0] != A.shape[1]:
        raise ShapeError(f"array {name!r} has shape {A.shape[0]}x{A.shape[1]}; the recurrent "
                         "matrix must be square")
    if max(A.shape) > MAX_N:
        raise ShapeError(f"array {name!r} has shape {A.shape[0]}x{A.shape[1]}; at most "
                         f"{MAX_N} per side is supported")
    if A.size == 0:
        raise ShapeError(f"array {name!r} is empty (shape {A.shape}); give a non-empty matrix")
    if A.dtype.kind == "f" and not np.isfinite(A).all():
        i, j = map(int, np.argwhere(~np.isfinite(A))[0])
        raise InvalidInputError(f"array {name!r} entry ({i}, {j}) = {A[i, j]} is not finite; "
                                "the weights must be finite numbers")
    return A


def _number(text: str, what: str) -> Fraction:
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise InvalidInputError(f"{what} {text!r} is not a number; use e.g. -1, 0.5 or 1/2") from None


def run(args: argparse.Namespace) -> int:
    """Load, analyze, print (and plot); return the exit code."""
    if args.plot:
        check_output_path(args.plot, option="--plot", suffixes=(".png",))  # before any work
    arrays = load_arrays(args.weights)
    name, W = select_recurrent(arrays, args.matrix)
    W = _check_matrix(name, W, square=True)
    W_in = b = rng = None
    if args.input_range is not None:
        lo, hi = (_number(x, "--input-range end") for x in args.input_range)
        rng = (lo, hi)
        in_name = next((k for k in INPUT_NAMES if k in arrays), None)
        if in_name is None:
            raise InvalidInputError(
                f"--input-range needs the input matrix in the file (an array named "
                f"{', '.join(INPUT_NAMES)}); it has {_listing(arrays)}")
        W_in = _check_matrix(in_name, arrays[in_name], square=False)
        b_name = next((k for k in BIAS_NAMES if k in arrays), None)
        if b_name is not None:
            b = np.asarray(arrays[b_name])
            if b.dtype.kind == "f" and not np.isfinite(b).all():
                raise InvalidInputError(f"array {b_name!r} has an entry that is not finite")
    result = analyze(W, args.activation, W_in=W_in, input_range=rng, b=b)
    code = 3 if result.verdict == UNDECIDED else 0
    if args.plot:
        write_plot(result, W, args.plot)
    data = as_json(result, name, code)
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(as_text(result, name))
    return code


def _outward(x: Fraction, up: bool, digits: int = 17) -> str:
    """``x`` rounded outward (down for a lower end, up for an upper end) to ``digits``
    significant decimal digits, as a decimal string: the rounded interval still encloses."""
    if x == 0:
        return "0"
    e = len(str(abs(x.numerator) // abs(x.denominator))) if abs(x) >= 1 else -len(
        str(abs(x.denominator) // abs(x.numerator))) + 1
    shift = digits - e
    scaled = x * Fraction(10) ** shift
    m = -((-scaled.numerator) // scaled.denominator) if up else scaled.numerator // scaled.denominator
    d = Decimal(m).scaleb(-shift).normalize()
    return format(d, "f") if -30 < e < 30 else str(d)


def enclosure_json(e: Enclosure) -> dict:
    """An enclosure as outward-rounded decimal strings plus a float midpoint.

    >>> enclosure_json(Enclosure(Fraction(1, 3), Fraction(1, 2)))
    {'lo': '0.33333333333333333', 'hi': '0.5', 'approx': 0.4166666666666667}
    """
    return {"lo": _outward(e.lo, False), "hi": _outward(e.hi, True), "approx": float(e.mid)}


def as_json(a: Analysis, name: str, code: int) -> dict:
    """The analysis as a JSON-ready dict (certificates included)."""
    out = {
        "verdict": a.verdict,
        "certificate": a.certificate,
        "matrix": name,
        "n": a.n,
        "activation": a.activation,
        "gamma": str(a.gamma),
        "inputs_anywhere": a.inputs_anywhere,
        "assumption": a.scope.note,
        "reason": a.reason,
        "method": method_text(a.method),
        "scope": scope_text(a.scope),
        "sigma_max": enclosure_json(a.sigma_max),
        "bound": {"kappa": str(a.kappa), "rate": _outward(a.rate, True),
                  "statement": "‖∂x_t/∂x_k‖₂ ≤ kappa · rate^(t−k) on every trajectory"},
        "scaling": None,
        "growth": None,
        "rho_estimate_uncertified": None if a.rho_estimate != a.rho_estimate else a.rho_estimate,
        "exit_code": code,
    }
    if a.scaling is not None:
        s = a.scaling
        out["scaling"] = {"s": [str(x) for x in s.s], "norm": enclosure_json(s.norm),
                          "kappa": str(s.kappa), "rate": _outward(s.rate, True),
                          "certifies": s.certifies}
    if a.growth is not None:
        g = a.growth
        out["growth"] = {
            "diagonal": [str(x) for x in g.diagonal],
            "state": [enclosure_json(x) for x in g.state],
            "power": g.power, "trace": enclosure_json(g.trace),
            "rho_lower": _outward(g.rho_lower, False),
            "inputs": None if g.inputs is None else [enclosure_json(x) for x in g.inputs],
            "reach_inputs": None if g.reach_inputs is None else [
                enclosure_json(x) for x in g.reach_inputs],
            "statement": "‖∂x_t/∂x_k‖₂ ≥ rho_lower^(t−k) while the state is held",
        }
    return out


def as_text(a: Analysis, name: str) -> str:
    """The analysis for people."""
    lines = [
        f"matrix:    {name} ({a.n}x{a.n}), activation {a.activation} (γ = {a.gamma})",
        f"inputs:    {a.scope.note}",
        f"verdict:   {a.verdict}",
        f"because:   {a.reason}",
        f"method:    {method_text(a.method)}",
        f"σ_max(W):  [{_outward(a.sigma_max.lo, False)}, {_outward(a.sigma_max.hi, True)}]",
        f"bound:     ‖∂x_t/∂x_k‖₂ ≤ {a.kappa} · {_outward(a.rate, True, 8)}^(t−k) on every trajectory",
    ]
    if a.scaling is not None:
        s = a.scaling
        shown = ", ".join(str(x) for x in s.s[:8]) + (", …" if len(s.s) > 8 else "")
        lines.append(f"scaling:   S = diag({shown}), ‖SWS⁻¹‖₂ ≤ {_outward(s.norm.hi, True, 8)}, "
                     f"κ(S) = {s.kappa}")
    if a.growth is not None:
        g = a.growth
        state = ", ".join(f"{float(x.mid):.6g}" for x in g.state[:8]) + (
            ", …" if len(g.state) > 8 else "")
        lines.append(f"growth:    held state x* ≈ ({state}), ρ(W diag(σ′(x*))) ≥ "
                     f"{_outward(g.rho_lower, False, 8)} (|tr P^{g.power}| > n)")
    return "\n".join(lines)


def _clipped(x: Fraction) -> float:
    """A positive exact number as a float inside the plot's range (1e-300 .. 1e300)."""
    if x > Fraction(10) ** 300:
        return 1e300
    return max(float(x), 1e-300)


def write_plot(a: Analysis, W: np.ndarray, path: str, steps: int = PLOT_STEPS) -> None:
    """Draw ‖∂x_t/∂x_k‖₂ (float64) along the worst held state found, the certified upper
    bound for every trajectory and, for a growth certificate, its certified lower bound;
    written atomically (:func:`rnnproof.io.atomic_open`: no half-written file)."""
    target = check_output_path(path, option="--plot", suffixes=(".png",))
    ts = list(range(1, steps + 1))
    diag = a.growth.diagonal if a.growth is not None else a.worst_diagonal
    fig = Figure(figsize=(8, 4.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.semilogy(ts, [min(max(x, 1e-300), 1e300) for x in product_norms(W, diag, steps)], "o-", ms=3,
                label="‖∂x_t/∂x_k‖₂ along the worst held state found (float64)")
    ax.semilogy(ts, [_clipped(a.bound(t)) for t in ts], "--",
                label=f"certified upper bound {a.kappa}·{float(a.rate):.4g}^(t−k), every trajectory")
    if a.growth is not None:
        ax.semilogy(ts, [_clipped(a.growth.lower(t)) for t in ts], ":",
                    label=f"certified lower bound {float(a.growth.rho_lower):.4g}^(t−k)")
    ax.set_xlabel("t − k")
    ax.set_ylabel("‖∂x_t/∂x_k‖₂")
    ax.set_title(f"{a.activation}, n = {a.n}: {a.verdict}")
    ax.legend(fontsize=8)
    with atomic_open(target) as fh:
        fig.savefig(fh, format="png", dpi=110)


__all__ = ["add_parser", "run", "load_arrays", "select_recurrent", "as_json", "as_text", "write_plot",
           "enclosure_json"]
