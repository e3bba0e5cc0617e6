"""Benchmark of the LaTeX document's typesetting (not a test).

Measures, in one run on the same report (every claim at n = 2, m = 1, T = 3, run once):
the typesetting of every statement, reading and evidence line by
:func:`rnnproof.printers.mathtext.to_latex` against the escaping it replaces
(:func:`rnnproof.texprint.tex_text`, text with ``\\_`` and ``\\ensuremath``), the whole
document (:meth:`rnnproof.latex.Derivation.render` for forms A and B, n = 1..3, with the
engine's induction proofs checked when the results do not carry them), and the pdflatex
build (two passes). The claims' own run is timed once for scale. Prints a Markdown table.

Run: ``python bench/bench_latex.py [--repeat 20]``.
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from rnncore.registry import Options
from rnnproof.latex import Derivation, compile_pdf, write_latex
from rnnproof.printers.mathtext import to_latex
from rnnproof.report import run_report
from rnnproof.texprint import tex_text


def _best(f, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    t = time.perf_counter()
    report = run_report(None, Options(n=2, m=1, T=3))
    claims_s = time.perf_counter() - t
    lines = [s for row in report.rows for s in (row.claim.statement, row.claim.reading,
                                                 row.result.evidence) if s]
    new = _best(lambda: [to_latex(s) for s in lines], args.repeat)
    old = _best(lambda: [tex_text(s) for s in lines], args.repeat)
    print(f"| step | seconds |\n|---|---|")
    print(f"| run every claim (n = 2, m = 1, T = 3), once | {claims_s:.1f} |")
    print(f"| escape {len(lines)} lines as text (`tex_text`, before) | {old:.4f} |")
    print(f"| typeset {len(lines)} lines as mathematics (`to_latex`) | {new:.4f} |")
    for form in "AB":
        for n in (1, 2, 3):
            s = _best(lambda: Derivation(form=form, n=n, T=3).render(report), 1)
            print(f"| render the document, form {form}, n = {n} | {s:.2f} |")
    if shutil.which("pdflatex"):
        with tempfile.TemporaryDirectory() as tmp:
            tex = write_latex(Path(tmp) / "d.tex", Derivation(form="B", n=3, T=3), report)
            t = time.perf_counter()
            compile_pdf(tex)
            print(f"| pdflatex, two passes (form B, n = 3) | {time.perf_counter() - t:.2f} |")


if __name__ == "__main__":
    main()
