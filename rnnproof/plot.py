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

from rnncore.errors import InvalidInputError

#: Runs drawn by ``rnnproof plot decay`` (presets of :data:`numeric.decay.PRESETS`).
DEFAULT_PRESETS = ("tanh-below", "tanh-above", "sigmoid-below", "tanh-above-origin")


def decay_runs(presets: Sequence[str] = DEFAULT_PRESETS, *, n: int = 8, steps: int = 2000,
               dps: int = 50, seed: int = 0) -> list:
    """Run the decay experiment for each preset name; return the results.

    >>> decay_runs(["nope"])
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown preset 'nope'; use one of tanh-below, tanh-above, sigmoid-below, sigmoid-above, tanh-above-origin
    """
    from numeric.decay import PRESETS, decay_experiment

    for name in presets:
        if name not in PRESETS:
            raise InvalidInputError(f"unknown preset {name!r}; use one of {', '.join(PRESETS)}")
    return [decay_experiment(n=n, steps=steps, dps=dps, seed=seed, **PRESETS[name])
            for name in presets]


def decay_figure(runs: Sequence, labels: Sequence[str] | None = None):
    """A matplotlib figure of the runs (log10 scale on the y axis); ``labels`` name the
    runs in the legend (default: activation and σ_max(W)).

    >>> fig = decay_figure(decay_runs(["tanh-below"], n=2, steps=10, dps=20), ["below"])
    >>> fig.axes[0].get_lines()[0].get_label()
    'below: tanh, σ_max(W) = 9/10 (η = 9/10)'
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(11, 5.5))
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
    """The figure's path, if it ends in ``.png`` or ``.pdf``.

    >>> check_output("decay.svg")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: output file 'decay.svg' must end in .png or .pdf
    """
    path = Path(path)
    if path.suffix.lower() not in (".png", ".pdf"):
        raise InvalidInputError(f"output file {str(path)!r} must end in .png or .pdf")
    return path


def plot_decay(path: Path | str, runs: Sequence, labels: Sequence[str] | None = None) -> Path:
    """Save the figure of ``runs`` to ``path`` (``.png`` or ``.pdf``) and return it.

    >>> import os, tempfile
    >>> out = os.path.join(tempfile.mkdtemp(), "decay.png")
    >>> plot_decay(out, decay_runs(["tanh-below"], n=2, steps=10, dps=20)).stat().st_size > 0
    True
    """
    path = check_output(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig = decay_figure(runs, labels)
    fig.savefig(path, dpi=130)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


__all__ = ["decay_runs", "decay_figure", "plot_decay", "check_output", "DEFAULT_PRESETS"]
