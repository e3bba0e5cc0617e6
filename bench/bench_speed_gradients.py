"""Benchmark: the gradient claims' direct derivatives, forward route vs the SymPy reference.

For each workload of the gradient claims (at the default sizes, or ``--quick``) the direct
side is built twice in the same run — by forward differentiation of the composed network
(dual numbers, the default route of :mod:`derive.gradients`) and by SymPy's ``diff`` of the
composed expression (``route="sympy"``, the reference) — each from cold caches, then both
are compared entry by entry as canonical polynomials (a mismatch is printed and the script
exits 1). Prints a Markdown table: seconds per route, the speed-up, the entries compared.

    python bench/bench_speed_gradients.py [--quick] [--repeat N]
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time

from derive import forward_gradients as fwd
from derive import gradients as G
from derive.network import cached_rnn
from derive.prove import Canonicalizer
from rnnclaims.symbolic import gradients as claims
from rnncore.registry import Options

_CACHED = (G._fw_state_gradient, G._fw_immediate_gradient, G._fw_loss_gradient, G._fw_total_gradient,
           G._fw_loss_state_gradient, G._fw_local_step, G._fw_local_jacobian, G._fw_local_loss,
           G._state_gradient,
           G._immediate_gradient, G._state_jacobian, G._loss_gradient, G._total_gradient,
           G._local_step, G._local_loss, fwd._all_parameters, fwd.forward_network, fwd.state_jacobian,
           claims._footnote_networks, claims._footnote_rows, cached_rnn)


def cold() -> None:
    """Empty every memo the two routes use (each timing starts from nothing)."""
    for fn in _CACHED:
        fn.cache_clear()


def workloads(options: Options):
    """``(name, build(route) -> list of matrices)`` for the claims' direct sides."""
    options = claims.capped(options)
    nets = claims.composed_nets(options)
    sizes = list(claims._sizes(options))

    def local_steps(route):
        return [getattr(G.local_step(net, wrt, route=route), piece)
                for n, m in sizes for net in claims._local_nets(options, n, m)
                for wrt in G.THETAS + ("state",) for piece in ("direct", "immediate", "jacobian")]

    def local_losses(route):
        return [getattr(G.local_loss(cached_rnn(n, m, 1), loss, theta, route=route), piece)
                for n, m in sizes for loss in ("generic", "squared") for theta in G.THETAS
                for piece in ("direct", "state")]

    def states(route):
        return [f(net, t, theta, route=route) for net in nets for t in range(1, net.T + 1)
                for theta in G.THETAS for f in (G.state_gradient, G.immediate_gradient)]

    def jacobians(route):
        return [G.state_jacobian(net, t, k, route=route) for net in nets
                for t in range(1, net.T + 1) for k in range(t)]

    def losses(route):
        return [G.loss_gradient(net, loss, t, theta, route=route) for net in nets
                for loss in ("generic", "squared") for t in range(1, net.T + 1) for theta in G.THETAS]

    def totals(route):
        n_max, m, T = claims.composed_sizes(options)
        return [G.total_gradient(cached_rnn(n, m, T, "generic", form), loss, theta, route=route)
                for n in range(1, n_max + 1) for form in ("A", "B")
                for loss in ("generic", "squared") for theta in G.THETAS]

    def footnote(route):
        n_max, m, T = claims.composed_sizes(options)
        acts = ("generic",) if options.quick else ("generic", "tanh", "sigmoid", "relu")
        return [side for n in range(1, n_max + 1) for a in acts for loss in ("generic", "squared")
                for t in range(1, min(T, 2) + 1) for theta in G.THETAS
                for side in claims.footnote_gradients(cached_rnn(n, m, 2, a, "A"), loss, t, theta,
                                                      route=route)]

    return [("local steps (eqs. 7, 11: generic previous state)", local_steps),
            ("local losses (eq. 5: generic state)", local_losses),
            ("composed ∂x_t/∂θ and ∂⁺x_t/∂θ", states),
            ("composed ∂x_t/∂x_k", jacobians),
            ("composed ∂E_t/∂θ", losses),
            ("composed ∂E/∂θ (eq. 4)", totals),
            ("footnote 1: ∂E_t(σ(x_t))/∂θ, ∂E_t^B(h_t)/∂θ", footnote)]


def _timed(build, route: str, repeat: int):
    best, out = None, None
    for _ in range(repeat):
        cold()
        start = time.perf_counter()
        out = build(route)
        spent = time.perf_counter() - start
        best = spent if best is None else min(best, spent)
    return best, out


def _entries_agree(a_list, b_list) -> int:
    canon = Canonicalizer()
    count = 0
    for a, b in zip(a_list, b_list, strict=True):
        if a.shape != b.shape:
            raise SystemExit(f"shape mismatch {a.shape} vs {b.shape}")
        for x, y in zip(a, b):
            if not (canon.poly(x) - canon.poly(y)).is_zero():
                raise SystemExit(f"the routes differ: {x} vs {y}")
            count += 1
    return count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the --quick sizes")
    parser.add_argument("--repeat", type=int, default=1, help="best of N cold runs per route")
    args = parser.parse_args(argv)
    options = Options.quick_sizes() if args.quick else Options()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Python {platform.python_version()}, {platform.machine()}; one process; load average "
          f"{load:.2f}; sizes {'--quick' if args.quick else 'default'}; cold caches per timing.\n")
    print("| workload | forward (s) | SymPy diff (s) | speed-up | entries equal |")
    print("|---|---:|---:|---:|---:|")
    totals = [0.0, 0.0]
    for name, build in workloads(options):
        t_fw, fw = _timed(build, "forward", args.repeat)
        t_ref, ref = _timed(build, "sympy", args.repeat)
        count = _entries_agree(fw, ref)
        totals[0] += t_fw
        totals[1] += t_ref
        print(f"| {name} | {t_fw:.2f} | {t_ref:.2f} | {t_ref / max(t_fw, 1e-9):.1f}× | {count} |", flush=True)
    print(f"| total | {totals[0]:.2f} | {totals[1]:.2f} | {totals[1] / max(totals[0], 1e-9):.1f}× | |")
    _shortcut_table(options, args.repeat)


def _claim_cases(options: Options) -> list:
    """The (label, a, b) cases of the gradient claims' local and composed batches, built
    once (the builds are not timed: both canonicalisers get the same matrices)."""
    from derive.backprop import eq5, eq9, eq11
    options = claims.capped(options)
    out = []
    for which in ("eq5", "eq7", "state"):
        out += claims._local_cases(options, which)
    out += claims._composed_eq7_cases(options)
    for build in (eq5, eq9, eq11):
        out += claims._composed_cases(options, build)
    return [(label, claims._matrix(a), claims._matrix(b)) for label, a, b in out]


def _shortcut_table(options: Options, repeat: int) -> None:
    """decide's zero-expansion shortcut on the claims' cases, grouped as decide groups them:
    a fresh canonicaliser per batch (old) vs the network's shared one (new)."""
    from itertools import groupby
    cases = _claim_cases(options)
    batches = [list(b) for _, b in groupby(cases, key=lambda c: claims.by_case(c[0]))]

    def run(shared: bool):
        claims._shared_canon_for.cache_clear()
        return [claims._expands_to_zero([e for _, a, _ in b for e in a.flat()],
                                        [e for _, _, c in b for e in c.flat()],
                                        claims._network_of(b[0][0]) if shared else None)
                for b in batches]

    times = {}
    for shared in (False, True):
        best = None
        for _ in range(repeat):
            start = time.perf_counter()
            answers = run(shared)
            spent = time.perf_counter() - start
            best = spent if best is None else min(best, spent)
        times[shared] = (best, answers)
    if times[False][1] != times[True][1]:
        raise SystemExit("the shared canonicaliser answers differently")
    old, new = times[False][0], times[True][0]
    print(f"\n| decide shortcut ({len(batches)} batches of the claims) | fresh canonicaliser (s) | "
          f"shared per network (s) | speed-up | all zero |")
    print("|---|---:|---:|---:|---:|")
    print(f"| local + composed cases, eqs. 5, 7, 9, 11 | {old:.3f} | {new:.3f} | "
          f"{old / max(new, 1e-9):.1f}× | {all(times[True][1])} |")
    _local_parts_table(options, repeat)


def _local_parts_table(options: Options, repeat: int) -> None:
    """The local parts of eqs. 7 and 11 (one step at a generic previous state): decide on
    the SymPy local steps (old) vs the same forward runs in canonical polynomials (new)."""
    sizes = claims.capped(options)

    def slow():
        return [claims.decide(claims._local_cases(sizes, which), method=claims.EXACT, what="",
                              scope=claims._local_scope(sizes)).scope.checked
                for which in ("eq7", "state")]

    def fast():
        return [claims._local_polynomial_count(sizes, which) for which in ("eq7", "state")]

    rows = [_best_cold(build, repeat) for build in (slow, fast)]
    if rows[0][1] != rows[1][1]:
        raise SystemExit(f"the local routes count differently: {rows[0][1]} vs {rows[1][1]}")
    print("\n| local parts (eqs. 7, 11) | SymPy local steps + decide (s) | polynomials (s) | "
          "speed-up | cases |")
    print("|---|---:|---:|---:|---:|")
    print(f"| generic previous state, every activation and form | {rows[0][0]:.3f} | "
          f"{rows[1][0]:.3f} | {rows[0][0] / max(rows[1][0], 1e-9):.1f}× | {sum(rows[1][1])} |")
    _composed_table(options, repeat)


def _best_cold(build, repeat: int):
    """(best seconds over ``repeat`` runs, the last run's value) of ``build()``, every memo
    of the gradient claims cleared before each run."""
    best = None
    for _ in range(repeat):
        cold()
        claims._shared_canon_for.cache_clear()
        claims._POLY_PIECES.clear()
        start = time.perf_counter()
        value = build()
        spent = time.perf_counter() - start
        best = spent if best is None else min(best, spent)
    return best, value


def _composed_table(options: Options, repeat: int) -> None:
    """The composed cases of eqs. 5, 9, 11: decide on the SymPy closed forms and direct
    derivatives (old) vs the same formulas over the polynomial forward network (new)."""
    from derive.backprop import eq5, eq9, eq11
    sizes = claims.capped(options)
    builds = (eq5, eq9, eq11)

    def slow():
        return [claims.decide(claims._composed_cases(sizes, b), method=claims.EXACT, what="",
                              scope=claims._composed_scope(sizes)).scope.checked for b in builds]

    def fast():
        return [claims._polynomial_count(claims._composed_pairs(sizes, b)) for b in builds]

    rows = [_best_cold(build, repeat) for build in (slow, fast)]
    if rows[0][1] != rows[1][1]:
        raise SystemExit(f"the composed routes count differently: {rows[0][1]} vs {rows[1][1]}")
    print("\n| composed cases | SymPy closed forms + decide (s) | polynomials (s) | speed-up | cases |")
    print("|---|---:|---:|---:|---:|")
    print(f"| eqs. 5, 9, 11 on the composed networks | {rows[0][0]:.3f} | {rows[1][0]:.3f} | "
          f"{rows[0][0] / max(rows[1][0], 1e-9):.1f}× | {sum(rows[1][1])} |")


if __name__ == "__main__":
    sys.exit(main())
