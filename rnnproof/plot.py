"""Plots: the decay experiment of :mod:`numeric.decay` drawn with matplotlib.

``plot_decay`` draws, on a log scale (ticks ``10^k``), the certified ``‖∂x_t/∂x_k‖₂``
against ``t − k`` for each run, the bound ``η^{t−k}`` of blog eq. 15 (over the curves, so
a curve on its bound never hides it), the float64 value of the same product, and marks
where float64 leaves the normal range and where it reaches exactly 0, each label placed
clear of the others. Values far below float64's range are plotted from their certified
log10, so the curve goes on where float64 stops; the y range fits the curves. PNG, PDF or
SVG by the output's suffix.

>>> from numeric.decay import decay_experiment
>>> runs = [decay_experiment(n=2, steps=20, dps=20)]
>>> fig = decay_figure(runs)
>>> len(fig.axes)
1
"""
from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path
from typing import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from matplotlib.ticker import FuncFormatter, MaxNLocator

from numeric.decay import MAX_WORK_DPS, PRESETS, decay_experiment
from rnncore.errors import InvalidInputError, SizeBudgetError
from rnncore.validate import check_dps, check_seed, check_size

from .io import atomic_open, check_output_path

#: Runs drawn by ``rnnproof plot decay`` (presets of :data:`numeric.decay.PRESETS`).
DEFAULT_PRESETS = ("tanh-below", "tanh-above", "sigmoid-below", "tanh-above-origin")
#: The plot's budget: hidden size, steps, and steps × n per run (the default is 2000 × 8;
#: the experiment's work per step grows like n³ and its precision with the steps).
MAX_PLOT_N, MAX_PLOT_STEPS, MAX_PLOT_STEPS_X_N = 64, 20_000, 40_000


def check_decay_budget(presets: Sequence[str], n: int, steps: int, dps: int, seed=0) -> None:
    """Refuse, before any run, a decay plot beyond the budget: unknown presets, ``n``,
    ``steps`` and ``steps × n`` (:data:`MAX_PLOT_STEPS_X_N`), the seed, and a precision the
    experiment cannot reach (it works at ``dps + ceil(0.35·steps) + 20`` digits, at most
    :data:`numeric.decay.MAX_WORK_DPS`).

    >>> check_decay_budget(["tanh-below"], n=64, steps=20000, dps=50)
    Traceback (most recent call last):
    ...
    rnncore.errors.SizeBudgetError: steps × n = 20000 × 64 = 1280000 is beyond the plot's budget of 40000; use fewer steps or a smaller n
    >>> check_decay_budget(["tanh-below"], n=2, steps=100, dps=7990)
    Traceback (most recent call last):
    ...
    rnncore.errors.SizeBudgetError: dps=7990 with steps=100 needs 8045 working digits; the experiment's budget is 8000: use dps <= 7945 or fewer steps
    """
    for name in presets:
        if name not in PRESETS:
            raise InvalidInputError(f"unknown preset {name!r}; use one of {', '.join(PRESETS)}")
    check_size("n", n, MAX_PLOT_N, "the plot's budget")
    check_size("steps", steps, MAX_PLOT_STEPS, "the plot's budget")
    check_seed(seed)
    check_dps(dps)
    if steps * n > MAX_PLOT_STEPS_X_N:
        raise SizeBudgetError(
            f"steps × n = {steps} × {n} = {steps * n} is beyond the plot's budget of "
            f"{MAX_PLOT_STEPS_X_N}; use fewer steps or a smaller n")
    extra = math.ceil(0.35 * steps) + 20
    if dps + extra > MAX_WORK_DPS:
        raise SizeBudgetError(
            f"dps={dps} with steps={steps} needs {dps + extra} working digits; the "
            f"experiment's budget is {MAX_WORK_DPS}: use dps <= {MAX_WORK_DPS - extra} or "
            "fewer steps")


def decay_runs(presets: Sequence[str] = DEFAULT_PRESETS, *, n: int = 8, steps: int = 2000,
               dps: int = 50, seed: int = 0) -> list:
    """Run the decay experiment for each preset name; return the results.

    >>> decay_runs(["nope"])
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown preset 'nope'; use one of tanh-below, tanh-above, sigmoid-below, sigmoid-above, tanh-above-origin
    """
    check_decay_budget(presets, n, steps, dps, seed)
    return [decay_experiment(n=n, steps=steps, dps=dps, seed=seed, **PRESETS[name])
            for name in presets]


def _frac_tex(value) -> str:
    """A fraction as mathtext: ``9/10`` → ``\\frac{9}{10}`` (an integer as it is)."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return rf"{sign}\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def _power_of_ten(y: float, _pos=None) -> str:
    """Tick label of a log10 value: ``$10^{-300}$``."""
    return rf"$10^{{{int(round(y))}}}$"


#: float64's smallest normal number, log10.
_LOG10_TINY = math.log10(2.2250738585072014e-308)


def underflow_text(run, name: str = "") -> str:
    """What float64 did on a run, in words: where it left the normal range and where it
    reached 0 or overflowed, or that it stayed normal.

    >>> run = decay_runs(["tanh-below"], n=2, steps=10, dps=20)[0]
    >>> underflow_text(run, "tanh-below")
    'tanh-below: float64 stays in the normal range for all 10 steps'
    """
    head = f"{name}: " if name else ""
    events = []
    if run.first_subnormal is not None:
        events.append(f"leaves the normal range (subnormal) at t − k = {run.first_subnormal}")
    if run.first_zero is not None:
        events.append(f"reaches 0 at t − k = {run.first_zero}")
    if run.first_inf is not None:
        events.append(f"overflows to inf at t − k = {run.first_inf}")
    if not events:
        return f"{head}float64 stays in the normal range for all {run.steps} steps"
    return f"{head}float64 " + " and ".join(events)


def decay_figure(runs: Sequence, labels: Sequence[str] | None = None):
    r"""A matplotlib figure of the runs: the certified ``‖∂x_t/∂x_k‖₂`` on a logarithmic y
    axis (ticks :math:`10^k`; values below float64's range are drawn from the certified
    log10, so the curve goes on where float64 stops), the bounds :math:`\eta^{t-k}` of blog
    eq. 15 above the curves, the float64 values, and labelled markers where float64
    underflows (placed so that no two labels overlap). ``labels`` name the runs in the
    legend (default: activation and σ_max(W)).

    >>> fig = decay_figure(decay_runs(["tanh-below"], n=2, steps=10, dps=20), ["below"])
    >>> fig.axes[0].get_lines()[0].get_label()
    'below: tanh, $\\sigma_{\\max}(W) = \\frac{9}{10}$, $\\eta = \\frac{9}{10}$'
    """
    fig = Figure(figsize=(11, 5.5))  # no pyplot: no global figure state, no backend switch
    FigureCanvasAgg(fig)  # a renderer, to measure the labels
    ax = fig.subplots()
    bounds_drawn: dict = {}
    notes = []
    lo, hi = math.inf, -math.inf
    for i, run in enumerate(runs):
        color = f"C{i}"
        name = f"{labels[i]}: " if labels else ""
        ax.plot(run.lags, run.log10_norms, color=color, lw=2.0, zorder=2,
                label=(rf"{name}{run.activation}, $\sigma_{{\max}}(W) = {_frac_tex(run.sigma_max)}$"
                       rf", $\eta = {_frac_tex(run.eta)}$"))
        finite = [y for y in run.log10_norms if math.isfinite(y)]
        lo, hi = min(lo, *finite), max(hi, *finite)
        f64 = [(lag, math.log10(v)) for lag, v in zip(run.lags, run.float64)
               if v > 0 and math.isfinite(v)]
        if f64:
            ax.plot(*zip(*f64), color="black", ls=":", lw=1.1, alpha=0.7, zorder=3,
                    label=None if i else "float64 value of the same product")
        if run.eta not in bounds_drawn:
            style = ("--", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)))[len(bounds_drawn) % 4]
            bounds_drawn[run.eta] = style
            # the bounds are drawn over the curves (a curve on its bound must not hide it)
            ax.plot(run.lags, run.log10_bounds, color="0.25", lw=1.3, ls=style, zorder=4,
                    label=rf"bound $\eta^{{t-k}}$ of eq. 15, $\eta = {_frac_tex(run.eta)}$")
        for lag, marker, text in ((run.first_subnormal, "v", "float64 subnormal"),
                                  (run.first_zero, "x", "float64 = 0"),
                                  (run.first_inf, "^", "float64 = inf")):
            if lag is not None:
                y = run.log10_norms[run.lags.index(lag)]
                ax.plot([lag], [y], marker=marker, color=color, ms=9, ls="none", zorder=5)
                notes.append((lag, y, f"{text} at {lag}", color))
    if not math.isfinite(lo):
        lo, hi = -1.0, 1.0
    # the y range fits the curves (a bound far below them does not stretch it)
    span = max(hi - lo, 1.0)
    ax.set_ylim(lo - 0.08 * span, hi + 0.08 * span)
    if lo - 0.08 * span < _LOG10_TINY < hi + 0.08 * span:
        ax.axhline(_LOG10_TINY, color="grey", lw=0.8, ls="-.", zorder=1)
        ax.annotate("smallest normal float64", (0, _LOG10_TINY), xytext=(2, 3),
                    textcoords="offset points", fontsize=8, color="grey")
    ax.yaxis.set_major_locator(MaxNLocator(nbins=8, integer=True, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))
    ax.set_xlabel(r"$t-k$")
    ax.set_ylabel(r"$\Vert\partial x_t/\partial x_k\Vert_2$ (log scale)")
    ax.set_title(r"Decay and explosion of $\partial x_t/\partial x_k$ in form-A RNNs "
                 r"(blog eqs. 13–15)")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    _place_notes(fig, ax, notes)
    return fig


def _place_notes(fig, ax, notes) -> None:
    """Annotate each underflow marker. Each label tries offsets around its marker (right,
    left, above, below, then farther out) and takes the first that stays inside the axes
    and overlaps no label or marker already there; a thin leader line joins it to its
    marker."""
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    markers = []
    for lag, y, _text, _color in notes:
        px, py = ax.transData.transform((lag, y))
        markers.append(Bbox.from_extents(px - 6, py - 6, px + 6, py + 6))
    candidates = [(dx, dy) for step in range(8) for dy in (10 + 14 * step, -18 - 14 * step)
                  for dx in (10, -10)]
    placed: list = []
    for lag, y, text, color in sorted(notes):
        ann = ax.annotate(text, (lag, y), textcoords="offset points", xytext=(10, 10),
                          fontsize=8, color=color, zorder=6,
                          arrowprops=dict(arrowstyle="-", color=color, lw=0.6, alpha=0.7))
        for dx, dy in candidates:
            ann.xyann = (dx, dy)
            ann.set_horizontalalignment("left" if dx > 0 else "right")
            box = _text_box(ann, renderer)
            inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
                      and box.y1 <= frame.y1)
            if inside and not any(box.overlaps(o) for o in placed + markers):
                break
        placed.append(_text_box(ann, renderer))


def _text_box(ann, renderer):
    """The window extent of an annotation's text alone (not its leader line)."""
    ann.update_positions(renderer)
    return Text.get_window_extent(ann, renderer)


def note_boxes(fig) -> list:
    """The window extents of the figure's underflow labels (for checks that none overlap).

    >>> fig = decay_figure(decay_runs(["tanh-below"], n=2, steps=10, dps=20))
    >>> note_boxes(fig)
    []
    """
    renderer = fig.canvas.get_renderer()
    return [_text_box(t, renderer) for t in fig.axes[0].texts
            if t.get_text().startswith("float64")]


#: The figure formats, by the output's suffix.
FORMATS = (".png", ".pdf", ".svg")


def check_output(path: Path | str) -> Path:
    """The figure's path, if a ``.png``, ``.pdf`` or ``.svg`` file can be written there (see
    :func:`rnnproof.io.check_output_path`; run before the experiment).

    >>> check_output("decay.gif")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: -o decay.gif: the file name must end in .png or .pdf or .svg
    """
    return check_output_path(path, option="-o", suffixes=FORMATS)


def plot_decay(path: Path | str, runs: Sequence, labels: Sequence[str] | None = None) -> Path:
    """Save the figure of ``runs`` to ``path`` (``.png``, ``.pdf`` or ``.svg`` by its suffix,
    written atomically) and return it.

    >>> import os, tempfile
    >>> out = os.path.join(tempfile.mkdtemp(), "decay.svg")
    >>> plot_decay(out, decay_runs(["tanh-below"], n=2, steps=10, dps=20)).read_bytes()[:5]
    b'<?xml'
    """
    path = check_output(path)
    fig = decay_figure(runs, labels)
    with atomic_open(path) as fh:
        fig.savefig(fh, format=path.suffix.lower()[1:], dpi=130)
    return path


__all__ = ["decay_runs", "decay_figure", "plot_decay", "check_output", "check_decay_budget",
           "underflow_text", "note_boxes", "FORMATS",
           "DEFAULT_PRESETS", "MAX_PLOT_N", "MAX_PLOT_STEPS", "MAX_PLOT_STEPS_X_N"]
