"""Benchmark: wall time of each claim's check, at the default and the --quick sizes.

Prints a Markdown table (one row per claim, report order): the verdict and the seconds at
each size, slowest first marked. The budget of a numeric check is about 2 s at the default
sizes; the table is where a slow check shows (tests assert no times: they would fail
under load, not because of the code).

    python bench/bench_claims.py [--layer numeric] [--claim ID ...]
"""
from __future__ import annotations

import argparse
import platform
import time

from rnnclaims.catalogue import catalogue
from rnncore.registry import Options


def time_claim(claim, options: Options) -> tuple[str, float]:
    """The verdict of ``claim`` at ``options`` and the seconds its check took."""
    start = time.perf_counter()
    result = claim.run(options)
    return result.verdict.value, time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layer", choices=("symbolic", "numeric", "joint"))
    parser.add_argument("--claim", nargs="*", default=None)
    args = parser.parse_args(argv)
    claims = [c for c in catalogue()
              if (args.layer is None or c.layer == args.layer)
              and (not args.claim or c.id in args.claim)]
    print(f"Python {platform.python_version()}, {platform.machine()}; one process, one core.\n")
    print("| claim | layer | verdict | default (s) | --quick (s) |")
    print("|---|---|---|---:|---:|")
    totals = [0.0, 0.0]
    for claim in claims:
        verdict, t_default = time_claim(claim, Options())
        _, t_quick = time_claim(claim, Options.quick_sizes())
        totals[0] += t_default
        totals[1] += t_quick
        print(f"| `{claim.id}` | {claim.layer} | {verdict} | {t_default:.2f} | {t_quick:.2f} |",
              flush=True)
    print(f"| total | | | {totals[0]:.1f} | {totals[1]:.1f} |")


if __name__ == "__main__":
    main()
