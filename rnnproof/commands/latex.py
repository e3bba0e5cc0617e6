"""``rnnproof latex``: write the derivation of the blog's eqs. 2–15 as a LaTeX document."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..latex import Derivation, TexEngineMissing, compile_pdf, write_latex


def add_parser(subparsers) -> None:
    """Add the ``latex`` subparser."""
    p = subparsers.add_parser(
        "latex",
        help="write a standalone LaTeX derivation of the blog's eqs. 2-15 with verdicts",
        description="Write a standalone LaTeX (amsmath) document that walks the derivation of "
        "the blog's eqs. 2-15 for the chosen network, with the verifier's verdict beside each "
        "step and the counterexample of each refuted step.",
    )
    p.add_argument("--form", choices=["A", "B"], default="A", help="network form (default A)")
    p.add_argument("--n", type=int, default=2, help="hidden size (1..6, default 2)")
    p.add_argument("--T", type=int, default=3, help="steps (2..8, default 3)")
    p.add_argument("--activation", choices=["generic", "tanh", "sigmoid", "relu"],
                   default="generic", help="activation (default generic σ)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.tex",
                   help="the .tex file to write")
    p.add_argument("--pdf", action="store_true",
                   help="also compile it with the TeX engine found on PATH")


def run(args: argparse.Namespace) -> int:
    """Write the document (and the PDF with ``--pdf``); return the exit code."""
    derivation = Derivation(form=args.form, n=args.n, T=args.T, activation=args.activation)
    path = write_latex(args.output, derivation)
    print(f"wrote {path}")
    if args.pdf:
        try:
            pdf = compile_pdf(path)
        except TexEngineMissing as exc:
            print(f"rnnproof latex: {exc}", file=sys.stderr)
            return 1
        except RuntimeError as exc:
            print(f"rnnproof latex: {exc}", file=sys.stderr)
            return 1
        print(f"wrote {pdf}")
    return 0
