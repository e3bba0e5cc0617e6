"""Benchmark of the certified gradient check (not a test).

At n = 8, 32, 64 and T = 50 (form A, tanh, half-norm loss, Gaussian weights scaled to
spectral radius about 1), measures in one run:

* certified BPTT in Arb balls (:func:`numeric.bptt.enclosures`, 128 bits) and the whole
  :func:`numeric.gradcheck.gradcheck` of a 50-digit gradient;
* the alternatives: the same BPTT in mpmath at 40 digits (uncertified) and in float64, and
  float64 central finite differences of all n² entries of ∂E/∂W_rec (2n² forward passes),
  with the verdict gradcheck gives to those finite differences.

Then the other cells (LSTM, GRU, stacked, skip) at n = 32, T = 50: the certified check of a
float64 tape gradient against the same tape in mpmath and float64.

Prints Markdown tables. Run: ``python bench/bench_gradcheck.py [--sizes 8 32 64] [--T 50]``.
"""
from __future__ import annotations

import argparse
import time

import mpmath
import numpy as np

from numeric.bptt import bptt, cell_bptt, cell_network, enclosures, network
from numeric.gradcheck import gradcheck
from rnnmodel.cells import named
from rnnmodel.floats import FLOAT64, MPMATH


def _net(n: int, T: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(n, n)) / np.sqrt(n)
    return network(W, rng.normal(size=(n, 4)) * 0.5, rng.normal(size=n) * 0.1, rng.normal(size=(T, 4)),
                   x0=rng.normal(size=n))


def _timed(f):
    t = time.perf_counter()
    out = f()
    return out, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[8, 32, 64])
    ap.add_argument("--T", type=int, default=50)
    args = ap.parse_args()
    print("| n | T | BPTT in balls at 128 bits (not yet tight) | gradcheck of a 50-digit gradient (precision doubled until tight: the certified answer) | verdict | "
          "mpmath BPTT, 40 digits (uncertified) | float64 BPTT | float64 finite differences of W_rec | "
          "gradcheck on those differences |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        net = _net(n, args.T)
        enc, t_ball = _timed(lambda: enclosures(net))
        with mpmath.workdps(40):
            g_mp, t_mp = _timed(lambda: bptt(MPMATH, net))
        with mpmath.workdps(60):
            g_hp = bptt(MPMATH, net)
            given = {"W_rec": np.array([[mpmath.nstr(x, 50) for x in r] for r in g_hp["W_rec"]], dtype=object)}
        r, t_check = _timed(lambda: gradcheck(net, given))
        _, t_f64 = _timed(lambda: bptt(FLOAT64, net))
        W = np.array([[float(x) for x in row] for row in net.W_rec])
        V = np.array([[float(x) for x in row] for row in net.W_in])
        b, x0 = np.array([float(x) for x in net.b]), np.array([float(x) for x in net.x0])
        us = [np.array([float(x) for x in u]) for u in net.inputs]

        def loss(M):  # a plain numpy forward pass, as a finite-difference check would write it
            x = x0
            for u in us:
                x = M @ np.tanh(x) + V @ u + b
            return 0.5 * float(x @ x)

        def fd():
            h, out = 1e-6, np.zeros_like(W)
            for i in range(n):
                for j in range(n):
                    P, Q = W.copy(), W.copy()
                    P[i, j] += h
                    Q[i, j] -= h
                    out[i, j] = (loss(P) - loss(Q)) / (2 * h)
            return out

        fdg, t_fd = _timed(fd)
        rf = gradcheck(net, {"W_rec": fdg})
        worst = max(e.relative for e in rf.data.failing) if rf.data.failing else 0.0
        print(f"| {n} | {args.T} | {t_ball:.2f} s | {t_check:.2f} s | {r.label.value} | {t_mp:.2f} s | "
              f"{t_f64 * 1000:.1f} ms | {t_fd:.2f} s | {rf.label.value} ({len(rf.data.failing)}/{n * n} "
              f"entries out, worst relative gap {worst:.1e}) |")


def cells(n: int, T: int) -> None:
    """The other cells at (n, T): certified gradcheck of the float64 tape gradient of the first
    recurrent matrix (the precision doubles until tight, then the verdict), against the same
    tape in mpmath at 40 digits (uncertified) and in float64."""
    print()
    print("| cell | n | T | gradcheck of the float64 gradient (certified) | verdict, worst relative gap | "
          "mpmath tape, 40 digits (uncertified) | float64 tape |")
    print("|---|---|---|---|---|---|---|")
    for name in ("LSTM", "GRU", "A-stacked", "A-skip"):
        rng = np.random.default_rng(1)
        c = named(name)
        P = {k: (rng.normal(size=n) * 0.1 if k.startswith("b") else
                 rng.normal(size=(n, 4) if (k.startswith("U_") or k == "W_in") else (n, n)) / np.sqrt(n))
             for k in c.parameters}
        net = cell_network(name, P, rng.normal(size=(T, 4)))
        g, t_f = _timed(lambda: cell_bptt(FLOAT64, net))
        key = c.parameters[0]
        r, t_c = _timed(lambda: gradcheck(net, {key: g[key]}))
        with mpmath.workdps(40):
            _, t_mp = _timed(lambda: cell_bptt(MPMATH, net))
        worst = max((e.relative for e in r.data.failing), default=0.0)
        print(f"| {name} | {n} | {T} | {t_c:.2f} s | {r.label.value}, {worst:.1e} | {t_mp:.2f} s | {t_f * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
    cells(32, 50)
