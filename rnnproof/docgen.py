"""Regenerate the generated documentation: ``python -m rnnproof.docgen``.

Two pages are made by the program, never by hand:

- ``docs/report.md``: the report of every declared claim at the default options
  (:meth:`rnnproof.report.Report.markdown`), so its ids, sources, statements and verdicts
  are those of the declarations and of the checks;
- ``docs/api.md``: the public front of each package (:func:`rnnproof.apidoc.render`).

``--check`` writes nothing and exits 1 naming each stale page (what a test or CI runs);
``--only api`` (or ``report``) limits the work to one page (the report takes ~40 s).

>>> sorted(PAGES)
['api', 'report']
>>> PAGES["api"][0].name
'api.md'
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from rnncore.registry import Options

from .apidoc import render as render_api
from .report import run_report

DOCS = Path(__file__).resolve().parents[1] / "docs"


def render_report() -> str:
    """The text of docs/report.md: the Markdown report at the default options."""
    return run_report(None, Options()).markdown() + "\n"


#: Each generated page: its path and the function that renders it.
PAGES: dict[str, tuple[Path, Callable[[], str]]] = {
    "report": (DOCS / "report.md", render_report),
    "api": (DOCS / "api.md", render_api),
}


def stale(names: list[str] | None = None) -> list[str]:
    """The names of the generated pages whose file differs from what the code renders now."""
    out = []
    for name in names or list(PAGES):
        path, render = PAGES[name]
        if not path.exists() or path.read_text(encoding="utf-8") != render():
            out.append(name)
    return out


def write(names: list[str] | None = None) -> list[Path]:
    """Render and write the named pages (default: all); return the paths written."""
    written = []
    for name in names or list(PAGES):
        path, render = PAGES[name]
        path.write_text(render(), encoding="utf-8")
        written.append(path)
    return written


__all__ = ["PAGES", "render_report", "stale", "write", "main"]


def main(argv: list[str] | None = None) -> int:
    """The command line: write the pages, or with ``--check`` report the stale ones."""
    parser = argparse.ArgumentParser(prog="python -m rnnproof.docgen",
                                     description="Regenerate docs/report.md and docs/api.md.")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a page is stale")
    parser.add_argument("--only", choices=sorted(PAGES), action="append",
                        help="only this page (repeatable)")
    args = parser.parse_args(argv)
    if args.check:
        bad = stale(args.only)
        for name in bad:
            print(f"{PAGES[name][0]} is stale: run `python -m rnnproof.docgen`", file=sys.stderr)
        return 1 if bad else 0
    for path in write(args.only):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
