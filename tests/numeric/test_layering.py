"""numeric/ never imports derive/, and leaves no global precision changed."""
import subprocess
import sys

import flint
import mpmath


def test_numeric_does_not_import_derive():
    # The engine itself; the claims above it may use both engines.
    code = ("import sys, numeric, numeric.analyze, numeric.scaling, numeric.svd\n"
            "bad = [m for m in sys.modules if m == 'derive' or m.startswith('derive.')]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_claims_and_experiment_leave_global_precision_alone():
    from numeric import decay_experiment
    from rnnclaims.numeric import REGISTRY
    from rnncore.registry import Options

    before = (mpmath.mp.dps, flint.ctx.prec)
    decay_experiment(n=2, steps=10, dps=40)
    for cid in ("blog.la.radius-vs-norm", "paper.arxiv.eigenvalue", "blog.eq14.step"):
        REGISTRY.run(cid, Options.quick_sizes(dps=80))
    assert (mpmath.mp.dps, flint.ctx.prec) == before
