"""``rnnproof check FILE``: check a derivation file (Markdown or LaTeX) link by link.

Exit status: 1 if a link is refuted, else 3 if one is undecided or unsupported, else 0;
2 for a file it cannot read (one line). ``--no-diagnosis`` skips the convention diagnosis
of refuted Jacobian links. Guide: docs/check.md, "Derivation files".
"""
from __future__ import annotations

import argparse
import json

from rnnclaims.derivation import check_file
from rnncore.errors import InvalidInputError

from ..printers.derivation import derivation_dict, derivation_text


def run(args: argparse.Namespace) -> int:
    """Check ``args.file``, print the report (text or ``--json``), return the exit status."""
    given = [opt for opt in ("jacobian", "gradient", "inequality") if getattr(args, opt, None)]
    if given:
        raise InvalidInputError(f"give a derivation FILE or --{given[0]}, not both "
                                f"(got {args.file!r} and --{given[0]})")
    rep = check_file(args.file, diagnosis=not getattr(args, "no_diagnosis", False))
    if getattr(args, "json", False):
        print(json.dumps(derivation_dict(rep), indent=2, ensure_ascii=False))
    else:
        print(derivation_text(rep))
    return rep.exit_status


__all__ = ["run"]
