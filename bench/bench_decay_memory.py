"""Peak memory of the decay experiment as the number of steps grows (not a test).

The per-step results the plot needs (an enclosure, a few floats) are kept; the drive and
the working-precision balls are not, so the peak should grow only slowly with the steps.
With ``--against REV`` the same runs are made with the module of an earlier commit
(checked out into a temporary directory) in the same run, for the comparison table.

    python bench/bench_decay_memory.py [--n 16] [--steps 250 500 1000] [--against d7c796f]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from numeric.decay import decay_experiment
n, steps = int(sys.argv[2]), int(sys.argv[3])
t = time.perf_counter()
r = decay_experiment(n=n, steps=steps, dps=30)
print(json.dumps({"rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "seconds": time.perf_counter() - t, "last": r.log10_norms[-1]}))
"""


def run(tree: Path, n: int, steps: int) -> dict:
    """One experiment in a fresh interpreter, so peak RSS is its own."""
    out = subprocess.run([sys.executable, "-c", _CHILD, str(tree), str(n), str(steps)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=16)
    ap.add_argument("--steps", type=int, nargs="+", default=[250, 500, 1000, 2000])
    ap.add_argument("--against", default=None, help="an earlier commit to compare with")
    args = ap.parse_args()
    trees = {"this tree": ROOT}
    tmp = None
    if args.against:
        tmp = tempfile.TemporaryDirectory()
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", tmp.name,
                        args.against], check=True, capture_output=True)
        trees[args.against] = Path(tmp.name)
    try:
        print(f"| steps | " + " | ".join(f"{k}: peak RSS (MiB) | {k}: s" for k in trees) + " |")
        print("|---|" + "---|---|" * len(trees))
        for steps in args.steps:
            cells = []
            for tree in trees.values():
                r = run(tree, args.n, steps)
                cells += [f"{r['rss_mib']:.0f}", f"{r['seconds']:.1f}"]
            print(f"| {steps} | " + " | ".join(cells) + " |")
    finally:
        if tmp is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", tmp.name],
                           capture_output=True)
            tmp.cleanup()


if __name__ == "__main__":
    main()
