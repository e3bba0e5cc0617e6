"""``rnnproof plot decay``: the decay experiment as a figure.

The output path and the budget (sizes, steps × n, precision, seed) are checked before the
experiment runs; the figure is written atomically.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..io import shown
from ..plot import (DEFAULT_PRESETS, MAX_PLOT_STEPS_X_N, check_decay_budget, check_output,
                    decay_runs, plot_decay, underflow_text)


def add_parser(subparsers) -> None:
    """Add the ``plot`` subparser."""
    p = subparsers.add_parser(
        "plot", help="draw figures (decay: ‖∂x_t/∂x_k‖₂ against t − k)",
        description="Run the decay experiment (form A, tanh and sigmoid, σ_max(W_rec) below and "
        "above 1/γ) and plot log-scale ‖∂x_t/∂x_k‖₂ against t − k with the bound η^(t−k) and the "
        f"float64 underflow point. Budget: steps × n <= {MAX_PLOT_STEPS_X_N}.",
    )
    p.add_argument("figure", choices=["decay"], help="which figure")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.png|.pdf|.svg",
                   help="the figure to write, its format by the suffix (its folder must exist)")
    p.add_argument("--steps", type=int, default=2000, help="t − k up to this (default 2000)")
    p.add_argument("--n", type=int, default=8, help="hidden size (default 8)")
    p.add_argument("--dps", type=int, default=50, help="digits of the enclosures (default 50)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random networks (default 0)")
    p.add_argument("--preset", action="append", default=None, metavar="NAME",
                   help=f"runs to draw (repeatable; default: {', '.join(DEFAULT_PRESETS)})")


def run(args: argparse.Namespace) -> int:
    """Check the path and the budget, run the experiment, save the figure; return 0."""
    path = check_output(args.output)  # before the experiment, which takes seconds
    presets = args.preset or list(DEFAULT_PRESETS)
    check_decay_budget(presets, args.n, args.steps, args.dps, args.seed)
    runs = decay_runs(presets, n=args.n, steps=args.steps, dps=args.dps, seed=args.seed)
    plot_decay(path, runs, presets)
    for name, r in zip(presets, runs):
        print(f"{name}: {r.activation}, n={r.n}, σ_max(W)={r.sigma_max}, η={r.eta}: "
              f"‖∂x_T/∂x_0‖₂ ≈ 10^{r.log10_norms[-1]:.1f} at T={r.steps}")
        print("    " + underflow_text(r))
    print(f"wrote {shown(path)}")
    return 0
