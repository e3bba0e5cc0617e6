"""Benchmark: proofs beyond toy sizes (issue 6) — eq. 13 all pairs and eq. 11 for θ = W_rec.

For (n, T) in {(4, 6), (8, 16), (16, 32), (32, 64)} (generic σ, form A, m = 1) it times, in
one run:

* eq. 13, all pairs 0 <= k < t <= T: ``derive.jacobian.check_jacobian(method="auto")`` (exact
  within its budget, else the randomized identity test) and
  ``derive.identity.randomized_check_jacobian`` directly;
* eq. 11 for θ = W_rec, every t = 1..T, generic loss L: ``randomized_check_eq11``;
* the naive SymPy baseline of each (build the composite, differentiate, ``expand(J − C) == 0``;
  for eq. 11: differentiate E_t = L(x_t) by every entry of W_rec and expand against the sum),
  in a subprocess with a 60 s limit. Once a size exceeds the limit the larger sizes are not
  run for that claim (they are strictly larger computations) unless ``--full-baseline``.

A reference row (n, T) = (3, 4), where the baseline finishes, shows the ratio.
Times are in-process wall seconds (median of 3 when under 5 s). Prints a Markdown table;
``--write docs/performance.md`` writes the page.

    python bench/bench_scale.py --write docs/performance.md
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

SIZES = [(4, 6), (8, 16), (16, 32), (32, 64)]
#: A reference size where the naive baseline finishes, to show the ratio.
REFERENCE = [(3, 4)]
TIMEOUT = 60.0


# ----------------------------------------------------------------------------- naive baselines
def baseline_eq13(n: int, T: int) -> bool:
    """All pairs: J = jacobian of the composed x_t, C = ∏ W_rec diag(σ'(x_{j-1})), expand."""
    import sympy as sp

    from derive.network import RNN

    rnn = RNN(n, 1, T)
    for t in range(1, T + 1):
        for k in range(t - 1, -1, -1):
            net = rnn.with_base(k)
            J = net.state(t).jacobian(net.state_symbols(k))
            C = sp.eye(n)
            for j in range(t, k, -1):
                C = C * (net.W_rec * net.D(j - 1))
            if not all(sp.expand(e) == 0 for e in (J - C)):
                return False
    return True


def baseline_eq11(n: int, T: int) -> bool:
    """Every t: ∂E_t/∂w_ac by diff of E_t = L(x_t) vs Σ_k ∂E_t/∂x_t ∂x_t/∂x_k ∂⁺x_k/∂w_ac, expand."""
    import sympy as sp

    from derive.loss import loss
    from derive.network import RNN

    rnn = RNN(n, 1, T)
    L = loss("generic")
    for t in range(1, T + 1):
        E = L.value(rnn, t)
        g = L.state_gradient(rnn, t)  # 1 x n
        for a in range(n):
            for c in range(n):
                direct = sp.diff(E, rnn.W_rec[a, c])
                side = 0
                for k in range(1, t + 1):
                    net = rnn.with_base(0)
                    P = sp.eye(n)
                    for j in range(t, k, -1):
                        P = P * (net.W_rec * net.D(j - 1))
                    immediate = sp.zeros(n, 1)
                    immediate[a, 0] = net.sigma(net.state(k - 1)[c])
                    side += (g * P * immediate)[0, 0]
                if sp.expand(direct - side) != 0:
                    return False
    return True


def run_baseline(which: str, n: int, T: int, timeout: float) -> str:
    cmd = [sys.executable, __file__, "--baseline", which, str(n), str(T)]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PYTHONPATH": os.getcwd()})
    except subprocess.TimeoutExpired:
        return f"> {timeout:g} s"
    elapsed = time.perf_counter() - start
    if proc.returncode != 0 or proc.stdout.strip() != "True":
        return f"failed ({proc.stdout.strip()[:40]} {proc.stderr.strip()[-80:]})"
    return f"{elapsed:.2f} s (incl. start-up)"


# ----------------------------------------------------------------------------- our methods
def timed(fn, repeat: int = 3):
    start = time.perf_counter()
    result = fn()
    first = time.perf_counter() - start
    times = [first]
    if first < 5.0:
        for _ in range(repeat - 1):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def eps_of(result) -> str:
    data = getattr(result, "data", None)
    cert = data.get("certificate") if isinstance(data, dict) else None
    if cert is None or not hasattr(cert, "error_log2"):
        return "–"
    return f"2^-{int(-cert.error_log2)} ({cert.trials} trials)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", help="also write the Markdown page to this file")
    ap.add_argument("--full-baseline", action="store_true",
                    help="run the naive baseline at every size even after a smaller one timed out")
    ap.add_argument("--timeout", type=float, default=TIMEOUT)
    ap.add_argument("--baseline", nargs=3, metavar=("WHICH", "N", "T"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.baseline:
        which, n, T = args.baseline[0], int(args.baseline[1]), int(args.baseline[2])
        print({"eq13": baseline_eq13, "eq11": baseline_eq11}[which](n, T))
        return

    from derive.closed_forms import eq13
    from derive.identity import randomized_check_eq11, randomized_check_jacobian
    from derive.jacobian import check_jacobian
    from derive.network import RNN

    rows13, rows11 = [], []
    timed_out = {"eq13": False, "eq11": False}
    for n, T in REFERENCE + SIZES:
        rnn = RNN(n, 1, T)
        pairs = T * (T + 1) // 2
        auto, t_auto = timed(lambda: check_jacobian(rnn, eq13))
        rand, t_rand = timed(lambda: randomized_check_jacobian(rnn, eq13))
        if timed_out["eq13"] and not args.full_baseline and (n, T) not in REFERENCE:
            base13 = f"not run (> {args.timeout:g} s at a smaller size)"
        else:
            base13 = run_baseline("eq13", n, T, args.timeout)
            timed_out["eq13"] = base13.startswith(">")
        rows13.append(f"| {n} | {T} | {pairs} | {auto.method} | {auto.verdict} | {t_auto:.3g} s | "
                      f"{rand.verdict} | {eps_of(rand)} | {t_rand:.3g} s | {base13} |")
        e11, t_e11 = timed(lambda: randomized_check_eq11(rnn))
        if timed_out["eq11"] and not args.full_baseline and (n, T) not in REFERENCE:
            base11 = f"not run (> {args.timeout:g} s at a smaller size)"
        else:
            base11 = run_baseline("eq11", n, T, args.timeout)
            timed_out["eq11"] = base11.startswith(">")
        rows11.append(f"| {n} | {T} | {T * n * n} | {e11.method} | {e11.verdict} | {eps_of(e11)} | "
                      f"{t_e11:.3g} s | {base11} |")
        print(rows13[-1], file=sys.stderr)
        print(rows11[-1], file=sys.stderr)

    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    table13 = "\n".join([
        "| n | T | pairs | check_jacobian(auto): method | verdict | time | randomized: verdict | "
        "error probability ≤ | time | naive SymPy baseline |",
        "|---|---|---|---|---|---|---|---|---|---|", *rows13])
    table11 = "\n".join([
        "| n | T | entries (t, w_ac) | method | verdict | error probability ≤ | time | "
        "naive SymPy baseline |",
        "|---|---|---|---|---|---|---|---|", *rows11])
    print("### eq. 13, all pairs 0 <= k < t <= T (generic σ, form A, m = 1)\n")
    print(table13)
    print("\n### eq. 11, θ = W_rec, every t = 1..T (generic σ and loss L, form A, m = 1)\n")
    print(table11)
    if args.write:
        with open(args.write, "w", encoding="utf-8") as fh:
            fh.write(PAGE.format(machine=machine, table13=table13, table11=table11,
                                 timeout=f"{args.timeout:g}",
                                 when=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))


PAGE = """# Performance: proofs beyond toy sizes

Produced by `python bench/bench_scale.py --write docs/performance.md` ({when}; {machine};
the machine is shared, so times vary by tens of percent). In-process wall seconds, median
of 3 runs when under 5 s. The naive SymPy baseline runs in a subprocess (start-up
included) with a {timeout} s limit. The first row, (n, T) = (3, 4), is a reference size
where the baseline finishes; once it exceeds the limit at one size the larger sizes
are not run for that claim (each is a strictly larger computation of the same kind).

## eq. 13, all pairs

`∂x_t/∂x_k = ∏_{{j=k+1}}^{{t}} W_rec diag(σ'(x_{{j−1}}))` for every `0 <= k < t <= T`.
`check_jacobian(method="auto")` is the exact path within its budget and hands larger
sizes to the randomized identity test; the "randomized" columns call
`randomized_check_jacobian` directly at every size.

{table13}

## eq. 11, θ = W_rec

`∂E_t/∂W_rec = Σ_{{k=1}}^{{t}} ∂E_t/∂x_t · ∂x_t/∂x_k · ∂⁺x_k/∂W_rec` (∂x_t/∂x_k from eq. 13)
against `∂E_t/∂W_rec` by forward differentiation with tangents seeded on the n² entries of
W_rec, for every t; all n² entries compared (`randomized_check_eq11`).

{table11}

## What the randomized verdict means

Both sides are evaluated at a random point of `GF(p_1) × … × GF(p_R)`, each `p_i` a prime
drawn uniformly from `[2^27, 2^28)`; σ, σ' and the loss partials take independent values at
each distinct argument. The direct side is forward differentiation (dual numbers) of the
unrolled network — no chain-rule formula. For Jacobians the test compares `rᵀ C s` with
`rᵀ J s` for random vectors r, s (a failing pair is then evaluated entry by entry). Degrees
and coefficient sizes are tracked with the values, and the stated error probability is
`Π_i (D/p_i + ρ(H)) + Σ_f C(N_f, 2) Π_i (d_f/p_i + ρ(h_f))` (Schwartz–Zippel; ρ: chance
that the random prime divides every coefficient; the second term: two different σ
arguments colliding), at most 2^-100 for every `proved`. See `derive/identity.py`.

A trial where the sides differ proves they differ as formal expressions: for generic σ
that is the refutation (the ring point and both values are in the counterexample, and
`recheck_jacobian` re-evaluates it); for tanh, sigmoid and relu the failing pair is
re-evaluated at exact rational points with the real activation in certified ball
arithmetic, and disjoint enclosures are the refutation (else `undecided`).
"""


if __name__ == "__main__":
    main()
