"""``rnnproof latex``: write the derivation of the blog's eqs. 2–15 as a LaTeX document.

The output path is checked before any claim runs (folder, not a directory, a file name TeX
can take); the ``.tex`` and, with ``--pdf``, the ``.pdf`` are written atomically. The PDF is
built in a temporary folder that is removed afterwards, also on an interrupt.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from ..io import atomic_write, check_output_path, shown
from ..latex import Derivation, TexEngineMissing, compile_pdf

#: Exit status when the TeX engine fails on the document (the .tex is written).
EXIT_TEX_FAILED = 4


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
                   help="the .tex file to write (its folder must exist)")
    p.add_argument("--pdf", action="store_true",
                   help="also compile it with the TeX engine found on PATH")


def run(args: argparse.Namespace) -> int:
    """Write the document (and the PDF with ``--pdf``); return the exit code."""
    path = check_output_path(args.output, option="-o", suffixes=(".tex",), tex=True)
    if args.pdf:
        check_output_path(path.with_suffix(".pdf"), option="-o (its .pdf)", tex=True)
    derivation = Derivation(form=args.form, n=args.n, T=args.T, activation=args.activation)
    text = derivation.render()
    atomic_write(path, text)
    print(f"wrote {shown(path)}")
    if args.pdf:
        try:
            pdf = _build_pdf(path, text)
        except TexEngineMissing as exc:
            print(f"rnnproof latex: {exc}", file=sys.stderr)
            return 2
        except RuntimeError as exc:
            print(f"rnnproof latex: {str(exc).splitlines()[0]}", file=sys.stderr)
            return EXIT_TEX_FAILED
        print(f"wrote {shown(pdf)}")
    return 0


def _build_pdf(path: Path, text: str) -> Path:
    """Compile a copy of the document in a temporary folder; move the PDF next to ``path``
    atomically."""
    with tempfile.TemporaryDirectory(prefix="rnnproof-latex-") as tmp:
        tex = Path(tmp) / path.name
        tex.write_text(text, encoding="utf-8")
        built = compile_pdf(tex)
        target = path.with_suffix(".pdf")
        with open(built, "rb") as fh:
            atomic_write(target, fh.read())
    return target
