"""``rnnproof latex``: write the derivation of the blog's eqs. 2–15 as a LaTeX document.

The output path is checked before any claim runs (folder, not a directory, a file name TeX
can take); the ``.tex`` and, with ``--pdf``, the ``.pdf`` and the engine's ``.log`` are
written atomically (the log also when the build fails, to read why). The PDF is built in a
temporary folder that is removed afterwards, also on an interrupt.

The claims take a while (38-110 s on a shared 2-core machine), so the command says which
claim it is on: a progress line on stderr when stderr is a terminal, one line per claim
with ``--progress`` (e.g. in a log), nothing with ``--quiet`` or when piped.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, TextIO

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
                   help="also compile it with the TeX engine found on PATH (the log is kept "
                   "beside it as FILE.log)")
    shown_ = p.add_mutually_exclusive_group()
    shown_.add_argument("--progress", action="store_true",
                        help="a line per claim on stderr even when it is not a terminal")
    shown_.add_argument("--quiet", "-q", action="store_true",
                        help="no progress on stderr, also on a terminal")


def progress_printer(stream: TextIO, *, terminal: bool) -> Callable[[int, int, str], None]:
    """A ``progress(i, total, claim_id)`` callback: on a terminal one line redrawn in place
    (cut to the terminal's width, so it never wraps), else one line per claim.

    >>> import io
    >>> out = io.StringIO()
    >>> show = progress_printer(out, terminal=False)
    >>> show(0, 60, "blog.eq2"); show(1, 60, "blog.eq4")
    >>> print(out.getvalue(), end="")  # doctest: +ELLIPSIS
    rnnproof latex: claim 1/60 blog.eq2 (0 s)
    rnnproof latex: claim 2/60 blog.eq4 (... s)
    """
    start = time.monotonic()

    def show(i: int, total: int, claim_id: str) -> None:
        line = f"rnnproof latex: claim {i + 1}/{total} {claim_id} ({time.monotonic() - start:.0f} s)"
        if terminal:
            width = shutil.get_terminal_size((80, 24)).columns - 1
            stream.write("\r" + line[:width].ljust(width))
        else:
            stream.write(line + "\n")
        stream.flush()

    return show


def run(args: argparse.Namespace) -> int:
    """Write the document (and the PDF with ``--pdf``); return the exit code."""
    path = check_output_path(args.output, option="-o", suffixes=(".tex",), tex=True)
    if args.pdf:
        check_output_path(path.with_suffix(".pdf"), option="-o (its .pdf)", tex=True)
        check_output_path(path.with_suffix(".log"), option="-o (its .log)", tex=True)
    derivation = Derivation(form=args.form, n=args.n, T=args.T, activation=args.activation)
    terminal = sys.stderr.isatty()
    progress = None
    if not args.quiet and (terminal or args.progress):
        progress = progress_printer(sys.stderr, terminal=terminal and not args.progress)
    try:
        text = derivation.render(progress=progress)
    finally:
        if progress is not None and terminal and not args.progress:
            sys.stderr.write("\r" + " " * (shutil.get_terminal_size((80, 24)).columns - 1) + "\r")
            sys.stderr.flush()
    atomic_write(path, text)
    print(f"wrote {shown(path)}")
    if args.pdf:
        log = path.with_suffix(".log")
        try:
            pdf = _build_pdf(path, text)
        except TexEngineMissing as exc:
            print(f"rnnproof latex: {exc}", file=sys.stderr)
            return 2
        except RuntimeError as exc:
            print(f"rnnproof latex: {str(exc).splitlines()[0]}", file=sys.stderr)
            if log.exists():
                print(f"rnnproof latex: the log is {shown(log)}", file=sys.stderr)
            return EXIT_TEX_FAILED
        print(f"wrote {shown(pdf)}")
        print(f"wrote {shown(log)}")
    return 0


def _build_pdf(path: Path, text: str) -> Path:
    """Compile a copy of the document in a temporary folder; move the PDF next to ``path``
    atomically."""
    with tempfile.TemporaryDirectory(prefix="rnnproof-latex-") as tmp:
        tex = Path(tmp) / path.name
        tex.write_text(text, encoding="utf-8")
        try:
            built = compile_pdf(tex)
        finally:
            if tex.with_suffix(".log").exists():
                atomic_write(path.with_suffix(".log"), tex.with_suffix(".log").read_bytes())
        target = path.with_suffix(".pdf")
        with open(built, "rb") as fh:
            atomic_write(target, fh.read())
    return target
