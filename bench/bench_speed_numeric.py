"""Benchmark: the numeric, joint and cells claims' workloads, new route against the old one
(the reference implementation, kept) in the same run.

Each row times one workload the claims run, both ways, on the claims' own instances at the
default sizes, and checks that both routes give the same answers (a row whose answers differ
is marked and the script exits 1). Seconds are CPU seconds of this process
(``time.process_time``: the machine is shared), best of ``--repeat`` runs, caches cleared
before each run (SymPy's too) so the first computation is what is timed. The "fresh
process" rows run their workload in a new interpreter each time (a first call there pays
what a ``verify`` worker pays: SymPy's ``simplify`` imports ``sympy.physics.units``), the
old route switched on by the reference switches of the modules.

    python bench/bench_speed_numeric.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from fractions import Fraction

import numpy as np
import sympy as sp
from sympy.core.cache import clear_cache

from derive.cells import CLOSED_FORMS, direct_blocks, symbolic_point, vanishes_as_polynomial
from numeric.decay import _decay_bound, decay_bound, decay_experiment
from numeric.enclosure import compare
from numeric.linalg import _exact_norm, _norm_enclosure, compare_norm, spectral_norm
from numeric.matrices import diag, matmul, transpose
from rnnclaims.numeric.bounds import (_norm2, _step_search, grouping_instances, step_instances,
                                      submult_instances)
from rnnclaims.numeric.conditions import _network_instances, _vanishes, DECAY_STEPS
from rnncore.registry import Options
from rnnmodel.exact import SYMPY

F = Fraction
OPTS = Options()


def _clear() -> None:
    for f in (_decay_bound, _norm_enclosure, _exact_norm, submult_instances, step_instances,
              grouping_instances, _step_search):
        f.cache_clear()
    clear_cache()  # SymPy's own cache: an expansion seen before would cost nothing


def _best(fn, repeat: int):
    out, best = None, float("inf")
    for _ in range(repeat):
        _clear()
        t = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t)
    return best, out


# ---------------------------------------------------------------- workloads
def _decay_configs():
    out = []
    for factor, boundary in ((F(9, 10), False), (F(1), True)):
        out += [cfg for _, _, cfg in _network_instances(OPTS, factor, boundary)]
    return out


def decay_old():
    """The decay claims' question answered by the full experiment (its within_bound)."""
    return [decay_experiment(n=OPTS.n, steps=DECAY_STEPS[False], dps=OPTS.dps, **c).within_bound
            for c in _decay_configs()]


def decay_new():
    return [decay_bound(n=OPTS.n, steps=DECAY_STEPS[False], dps=OPTS.dps, **c).within_bound
            for c in _decay_configs()]


def decay_four_claims_old():
    """The four decay claims run one after the other: each reruns the experiment."""
    return [decay_old() for _ in range(2)]


def decay_four_claims_new():
    # a claim and its twin (blog.vanishing / paper.arxiv.eigenvalue.corrected, paper.exploding
    # / blog.exploding.corrected) ask about the same runs: the second finds them cached
    out = []
    for _ in range(2):
        out.append([decay_bound(n=OPTS.n, steps=DECAY_STEPS[False], dps=OPTS.dps, **c).within_bound
                    for c in _decay_configs()])
    return out


def _number_pairs():
    """(matrix, rational) pairs the step, η and eq. 6 checks compare: ‖W‖ < 1/γ, ‖WD‖ < 1."""
    pairs = []
    for act, W, d in (p for _, _, p in step_instances(OPTS)):
        gamma = F(1) if act == "tanh" else F(1, 4)
        pairs += [(W, 1 / gamma), (matmul(W, diag(d)), F(1))]
    return pairs


def number_old(pairs):
    # the former norm_holds against a number: fast enclosure, exact identification on overlap
    out = []
    for M, c in pairs:
        r = compare(spectral_norm(M, dps=OPTS.dps), c)
        if not r.decided:
            r = compare(spectral_norm(M, dps=OPTS.dps, exact=True), c)
        out.append(r.outcome)
    return out


def number_new(pairs):
    return [compare_norm(M, c) for M, c in pairs]


def _product_pairs():
    out = []
    for _, _, (W, d) in submult_instances(OPTS):
        out += [(W, diag(d)), (transpose(W), diag(d)), (W, W)]
    return out


def matmul_old(pairs):
    return [tuple(tuple(sum((a * b for a, b in zip(r, c)), F(0)) for c in zip(*Q)) for r in P)
            for P, Q in pairs]


def matmul_new(pairs):
    return [matmul(P, Q) for P, Q in pairs]


def instances_old():
    # each of the six claims built its list (adversarial search included)
    out = []
    for build, kw in ((step_instances, {}), (step_instances, {"strict_d": False}),
                      (step_instances, {"strict_d": False}), (submult_instances, {}),
                      (submult_instances, {}), (submult_instances, {})):
        out.append(build(OPTS, **kw))
        _clear()
    return out


def instances_new():
    return [build(OPTS, **kw) for build, kw in (
        (step_instances, {}), (step_instances, {"strict_d": False}),
        (step_instances, {"strict_d": False}), (submult_instances, {}),
        (submult_instances, {}), (submult_instances, {}))]


def _cell_entries():
    out = []
    for name in ("LSTM", "GRU", "GRU-cho", "A-stacked", "A-skip"):
        for n in (1, 2, 3):
            pt = symbolic_point(name, n)
            d, c = direct_blocks(SYMPY, pt), CLOSED_FORMS[name](SYMPY, pt)
            for k in d:
                out += list(d[k] - c[k])
    return out


def cells_old(entries):
    return [sp.expand(e, deep=False) == 0 or sp.expand(e) == 0 for e in entries]


def cells_new(entries):
    return [vanishes_as_polynomial(e) or sp.expand(e) == 0 for e in entries]


def _objective_inputs():
    rng = np.random.default_rng(0)
    return [rng.integers(-64, 65, 6) / 64 for _ in range(2000)]


def objective_old(vs):
    return [np.linalg.norm(v[:4].reshape(2, 2), 2) for v in vs]


def objective_new(vs):
    return [_norm2(v[:4].reshape(2, 2)) for v in vs]


def _arxiv_entries():
    t2 = sp.tanh(2)
    W = sp.Matrix([[2, 2], [-2, -2]])
    J = W * sp.diag(1, 1 - t2**2)
    return [J * J - J.trace() * J, sp.Matrix([J.trace() - 2 * t2**2])]


def arxiv_old():
    return [sp.simplify(M) == sp.zeros(*M.shape) for M in _arxiv_entries()]


def arxiv_new():
    return [_vanishes(M) for M in _arxiv_entries()]


# ---------------------------------------------------------------- this round: fresh processes
#: The old routes of this round's shortcuts, switched on in a child process: the lemma
#: checker without its exact-point inequality test, the numeric/joint claims with SymPy's
#: simplify and limit at every site (rnnclaims/numeric/exactly.py's reference route).
_OLD_LEMMAS = "import derive.lemma_proof as lp; lp._differ = lambda a, b: False\n"
_OLD_IDENTITIES = (
    "import rnnclaims.numeric.exactly as ex, rnnclaims.numeric.precursor as pr, "
    "rnnclaims.joint.readings as rd\n"
    "ex._route = lambda route: False; pr._settled_power = lambda e: None\n"
    "_period = rd._period; rd._period = lambda a, W, route: _period(a, W, 'sympy')\n")
_LEMMAS = ("from derive.norm_proofs import PROOFS\nfrom derive.lemma_proof import check\n",
           "out = [check(p).text() for parts in PROOFS.values() for p in parts]")
_IDENTITY_CLAIMS = (
    "from rnnclaims.catalogue import catalogue\nfrom rnncore.registry import Options\n"
    "from rnnproof.printers.json import result_dict\nfrom rnnproof.report import family\n"
    "fams = ('rnnclaims.numeric.precursor', 'rnnclaims.numeric.bounds', "
    "'rnnclaims.numeric.conditions', 'rnnclaims.joint.readings')\n"
    "claims = [c for c in catalogue() if family(c) in fams]\n",
    "out = [result_dict(c.run(Options.quick_sizes())) for c in claims]")


def _fresh(setup: str, work: str, old: str = ""):
    """CPU seconds of ``work`` in a fresh interpreter (after ``setup`` and the old route's
    switches ``old``; the first calls are what is timed) and ``out``'s repr."""
    import subprocess
    code = (setup + old + "import time\nt = time.process_time()\n" + work +
            "\nprint(time.process_time() - t)\nprint(repr(out))\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True)
    seconds, answer = res.stdout.split("\n", 1)
    return float(seconds), answer


def _best_fresh(setup: str, work: str, old: str, repeat: int):
    runs = [_fresh(setup, work, old) for _ in range(repeat)]
    return min(t for t, _ in runs), runs[0][1]


def _cells_workload(ctx_name: str):
    """The cells claims' exact SymPy work at the --quick sizes: the one-step proofs of the
    five cells (σ generic n ≤ 2, tanh n = 1), eq. 10's joint products (LSTM n = 1, stacked
    n ≤ 2, T ≤ 2) and the path sums (skip n ≤ 2, T ≤ 3)."""
    from derive.cells import (COMPONENTS, exact_difference, listed_point, matrix_vanishes,
                              product_rule, skip_paths, symbolic_inputs, unrolled_jacobian)
    from derive.sympy_lists import LISTS
    ctx, point = (LISTS, listed_point) if ctx_name == "lists" else (SYMPY, symbolic_point)
    out = []
    for name in ("LSTM", "GRU", "GRU-cho", "A-stacked", "A-skip"):
        for n, act in ((1, "generic"), (2, "generic"), (1, "tanh")):
            out.append(exact_difference(ctx, point(name, n, act=act), CLOSED_FORMS[name]) is None)
    for name, n_max in (("LSTM", 1), ("A-stacked", 2)):
        for n in range(1, n_max + 1):
            pt = point(name, n)
            ins = symbolic_inputs(pt, 2)
            prods = product_rule(ctx, pt, ins)
            for target in COMPONENTS[name]:
                direct = unrolled_jacobian(ctx, pt, ins, target)
                out += [matrix_vanishes(direct[T][c] - prods[T][(c, target)])
                        for T in range(2) for c in COMPONENTS[name]]
    for n in (1, 2):
        pt = point("A-skip", n)
        ins = symbolic_inputs(pt, 3)
        direct, summed = unrolled_jacobian(ctx, pt, ins, "x[t-1]"), skip_paths(ctx, pt, ins)
        out += [matrix_vanishes(direct[T]["x"] - summed[T]) for T in range(3)]
    return out


def joint_per_T():
    """Eq. 10's joint product for the stacked cell as the claim ran it: a fresh unrolled
    run per T (n ≤ 2, T ≤ 2)."""
    from derive.cells import COMPONENTS, matrix_vanishes, product_rule, symbolic_inputs, unrolled_jacobian
    out, comps = [], COMPONENTS["A-stacked"]
    for n in (1, 2):
        for T in (1, 2):
            pt = symbolic_point("A-stacked", n)
            ins = symbolic_inputs(pt, T)
            prod = product_rule(SYMPY, pt, ins)[-1]
            out.append((n, T, all(matrix_vanishes(unrolled_jacobian(SYMPY, pt, ins, tg)[-1][c] - prod[(c, tg)])
                                  for tg in comps for c in comps)))
    return out


def joint_once():
    from rnnclaims.cells.paths import joint_product_cases
    return joint_product_cases("A-stacked", 2, 2)


def _flat(z) -> list:
    """The step answers of nested lists/tuples of runs, in order."""
    return [w for x in z for w in _flat(x)] if isinstance(z, (list, tuple)) else [z]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    entries = _cell_entries()
    vs = _objective_inputs()
    numbers, products = _number_pairs(), _product_pairs()
    rows = [
        ("decay claims' question, 28 runs × 80 steps, n = 3 (full experiment → one-sided "
         "certificate per step, bracket where it does not settle)", decay_old, decay_new),
        ("the four decay claims in a row (twins share the runs: cache)",
         decay_four_claims_old, decay_four_claims_new),
        (f"‖M‖₂ against a rational, {len(numbers)} step-instance checks (enclosure + "
         "exact identification → exact characteristic-polynomial signs)",
         lambda: number_old(numbers), lambda: number_new(numbers)),
        (f"exact products, {len(products)} of the submultiplicativity instances "
         "(Fraction loops → fmpq_mat)", lambda: matmul_old(products), lambda: matmul_new(products)),
        ("instance lists of eq. 14 (step, η, eq. 6) and eq. 14's submultiplicativity "
         "(submult, its correction, the transpose note): built per claim → once",
         instances_old, instances_new),
        (f"cell Jacobian zero test, {len(entries)} entries, 5 cells, n ≤ 3 (SymPy expansion → "
         "polynomial over ℚ in the applications)",
         lambda: cells_old(entries), lambda: cells_new(entries)),
        ("adversarial objective, 2000 float ‖·‖₂ of 2×2 (np.linalg.norm → its SVD)",
         lambda: objective_old(vs), lambda: objective_new(vs)),
        ("arXiv counterexample's identities (simplify → expand)", arxiv_old, arxiv_new),
        ("cells' exact SymPy work at --quick (5 cells' one-step proofs, eq. 10 joint products, "
         "skip path sums): a SymPy Matrix per operation → entry lists (the same expressions)",
         lambda: _cells_workload("sympy"), lambda: _cells_workload("lists")),
        ("stacked cell's eq. 10 joint product, n ≤ 2, T ≤ 2 (an unrolled run per T → one run "
         "over T_max; the old route on SymPy matrices)", joint_per_T, joint_once),
    ]
    fresh = [
        ("fresh process: the 25 lemma proofs of the table (facts against goals by SymPy's "
         "simplify → shown different at an exact point first)", _LEMMAS, _OLD_LEMMAS),
        ("fresh process: the 35 precursor, bounds, conditions and readings claims at --quick "
         "(SymPy simplify/limit → expansion, cancellation, leading terms first)",
         _IDENTITY_CLAIMS, _OLD_IDENTITIES + _OLD_LEMMAS),
    ]
    print(f"Python {platform.python_version()}, {platform.machine()}, load average "
          f"{os.getloadavg()[0]:.1f}; CPU seconds, best of {args.repeat}.\n")
    print("| workload | old (s) | new (s) | speed-up | same answers |")
    print("|---|---:|---:|---:|---|")
    bad = 0
    for what, old, new in rows:
        t_old, a = _best(old, args.repeat)
        t_new, b = _best(new, args.repeat)
        if what.startswith("adversarial"):
            same = all(x == y for x, y in zip(a, b))  # bit for bit
        elif what.startswith("decay"):
            # the one-sided certificate may settle a step the bracket leaves open, never
            # the other way, and never differently
            fa, fb = _flat(a), _flat(b)
            same = len(fa) == len(fb) and all(y == x if x is not None else y in (None, True)
                                              for x, y in zip(fa, fb))
        else:
            same = a == b
        bad += not same
        print(f"| {what} | {t_old:.3f} | {t_new:.3f} | {t_old / t_new:.1f}× | "
              f"{'yes' if same else 'NO'} |", flush=True)
    for what, (setup, work), old in fresh:
        t_old, a = _best_fresh(setup, work, old, args.repeat)
        t_new, b = _best_fresh(setup, work, "", args.repeat)
        same = a == b
        bad += not same
        print(f"| {what} | {t_old:.3f} | {t_new:.3f} | {t_old / t_new:.1f}× | "
              f"{'yes' if same else 'NO'} |", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
