"""``rnnproof plot decay``: the decay experiment as a figure."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..plot import DEFAULT_PRESETS, check_output, decay_runs, plot_decay


def add_parser(subparsers) -> None:
    """Add the ``plot`` subparser."""
    p = subparsers.add_parser(
        "plot", help="draw figures (decay: ‖∂x_t/∂x_k‖₂ against t − k)",
        description="Run the decay experiment (form A, tanh and sigmoid, σ_max(W_rec) below and "
        "above 1/γ) and plot log-scale ‖∂x_t/∂x_k‖₂ against t − k with the bound η^(t−k) and the "
        "float64 underflow point.",
    )
    p.add_argument("figure", choices=["decay"], help="which figure")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.png|FILE.pdf")
    p.add_argument("--steps", type=int, default=2000, help="t − k up to this (default 2000)")
    p.add_argument("--n", type=int, default=8, help="hidden size (default 8)")
    p.add_argument("--dps", type=int, default=50, help="digits of the enclosures (default 50)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--preset", action="append", default=None, metavar="NAME",
                   help=f"runs to draw (repeatable; default: {', '.join(DEFAULT_PRESETS)})")


def run(args: argparse.Namespace) -> int:
    """Run the experiment, save the figure; return 0."""
    check_output(args.output)  # before the experiment, which takes seconds
    presets = args.preset or list(DEFAULT_PRESETS)
    runs = decay_runs(presets, n=args.n, steps=args.steps, dps=args.dps, seed=args.seed)
    path = plot_decay(args.output, runs, presets)
    for r in runs:
        print(r.summary())
    print(f"wrote {path}")
    return 0
