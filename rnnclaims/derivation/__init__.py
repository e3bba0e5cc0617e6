"""Derivation files: the display math of a Markdown or LaTeX file, checked link by link.

``check_file(path)`` reads the front matter (:mod:`.frontmatter`), finds the display math
(:mod:`.blocks`), parses each row with the lark grammar ``latex.lark`` (:mod:`.reader`),
translates each link into the formula language (:mod:`.translate`) and checks it
(:mod:`.dispatch`), returning a :class:`Derivation` of :class:`Link` records (data; the
words are made by ``rnnproof.printers.derivation``). Guide: docs/check.md, "Derivation files".
"""
from .frontmatter import Model, read_front_matter
from .links import (MAX_FILE_BYTES, MAX_LINKS, UNSUPPORTED, Derivation, Link, check_file,
                    check_text, read_file)
from .reader import normalise, parse_row

__all__ = ["Model", "read_front_matter", "Derivation", "Link", "check_file", "check_text",
           "read_file", "normalise", "parse_row", "MAX_FILE_BYTES", "MAX_LINKS", "UNSUPPORTED"]
