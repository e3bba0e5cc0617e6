"""Plots: the decay experiment of :mod:`numeric.decay` drawn with matplotlib.

``plot_decay`` draws, on a log scale, the certified ``‖∂x_t/∂x_k‖₂`` against ``t − k`` for
each run, the bound ``η^{t−k}`` of blog eq. 15, the float64 value of the same product, and
marks where float64 leaves the normal range and where it reaches exactly 0. Values far
below float64's range are plotted as log10 (computed from the certified enclosures), so
the curve goes on where float64 stops.

>>> from numeric.decay import decay_experiment
>>> runs = [decay_experiment(n=2, steps=20, dps=20)]
>>> fig = decay_figure(runs)
>>> len(fig.axes)
1
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Sequence

from matplotlib.figure import Figure

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


def decay_figure(runs: Sequence, labels: Sequence[str] | None = None):
    """A matplotlib figure of the runs (log10 scale on the y axis); ``labels`` name the
    runs in the legend (default: activation and σ_max(W)).

    >>> fig = decay_figure(decay_runs(["tanh-below"], n=2, steps=10, dps=20), ["below"])
    >>> fig.axes[0].get_lines()[0].get_label()
    'below: tanh, σ_max(W) = 9/10 (η = 9/10)'
    """
    fig = Figure(figsize=(11, 5.5))  # no pyplot: no global figure state, no backend switch
    ax = fig.subplots()
    bounds_drawn = set()
    for i, run in enumerate(runs):
        color = f"C{i}"
        name = f"{labels[i]}: " if labels else ""
        ax.plot(run.lags, run.log10_norms, color=color, lw=1.8,
                label=f"{name}{run.activation}, σ_max(W) = {run.sigma_max} (η = {run.eta})")
        f64 = [(lag, math.log10(v)) for lag, v in zip(run.lags, run.float64)
               if v > 0 and math.isfinite(v)]
        if f64:
            ax.plot(*zip(*f64), color="black", ls=":", lw=1.2, alpha=0.8,
                    label=None if i else "float64 value of the same product")
        if run.eta not in bounds_drawn:
            bounds_drawn.add(run.eta)
            ax.plot(run.lags, run.log10_bounds, color="grey", lw=1,
                    ls=("--", "-.", ":")[len(bounds_drawn) % 3],
                    label=f"bound η^(t−k) of eq. 15, η = {run.eta}")
        for lag, marker, text in ((run.first_subnormal, "v", "float64 subnormal"),
                                  (run.first_zero, "x", "float64 = 0")):
            if lag is not None:
                y = run.log10_norms[run.lags.index(lag)]
                ax.plot([lag], [y], marker=marker, color=color, ms=9, ls="none")
                ax.annotate(f"{text} at {lag}", (lag, y), textcoords="offset points",
                            xytext=(-110, 8) if marker == "v" else (8, -14), fontsize=8,
                            color=color)
    tiny = math.log10(2.2250738585072014e-308)
    ax.axhline(tiny, color="grey", lw=0.8, ls="-.")
    ax.text(0, tiny + 5, "smallest normal float64", fontsize=8, color="grey")
    ax.set_xlabel("t − k")
    ax.set_ylabel("log10 ‖∂x_t/∂x_k‖₂")
    ax.set_title("Decay and explosion of ∂x_t/∂x_k in form-A RNNs (blog eqs. 13–15)")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def check_output(path: Path | str) -> Path:
    """The figure's path, if a ``.png`` or ``.pdf`` file can be written there (see
    :func:`rnnproof.io.check_output_path`; run before the experiment).

    >>> check_output("decay.svg")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: -o decay.svg: the file name must end in .png or .pdf
    """
    return check_output_path(path, option="-o", suffixes=(".png", ".pdf"))


def plot_decay(path: Path | str, runs: Sequence, labels: Sequence[str] | None = None) -> Path:
    """Save the figure of ``runs`` to ``path`` (``.png`` or ``.pdf``, written atomically)
    and return it.

    >>> import os, tempfile
    >>> out = os.path.join(tempfile.mkdtemp(), "decay.png")
    >>> plot_decay(out, decay_runs(["tanh-below"], n=2, steps=10, dps=20)).stat().st_size > 0
    True
    """
    path = check_output(path)
    fig = decay_figure(runs, labels)
    with atomic_open(path) as fh:
        fig.savefig(fh, format=path.suffix.lower()[1:], dpi=130)
    return path


__all__ = ["decay_runs", "decay_figure", "plot_decay", "check_output", "check_decay_budget",
           "DEFAULT_PRESETS", "MAX_PLOT_N", "MAX_PLOT_STEPS", "MAX_PLOT_STEPS_X_N"]
