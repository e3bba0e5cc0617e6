"""Benchmark: ``rnnproof check FILE`` on a 20-link derivation file, against checking the
same links one CLI call each (``rnnproof check --jacobian/--gradient/--inequality``).

The file is written to a temporary directory: 20 links (12 Jacobian, 4 gradient, 4 norm
statements; 14 right, 6 wrong) at the default sizes (n = 2, T = 3). Both columns are wall
time of fresh processes, start-up included; the per-link column passes each link's formula
(as the derivation reader translated it) to its own CLI call, with ``--no-diagnosis`` for
Jacobians so that both sides do the same work. Prints a Markdown table.

    /tmp/venv/bin/python bench/bench_derivation.py [--repeat R]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

FILE = r"""---
form: A
layout: numerator
---

# Twenty links

$$\frac{\partial x_t}{\partial x_{t-1}} = W_{rec} \operatorname{diag}(\sigma'(x_{t-1}))$$

\begin{align}
\frac{\partial x_t}{\partial x_k}
  &= \frac{\partial x_t}{\partial x_{t-1}} \frac{\partial x_{t-1}}{\partial x_k} \\
  &= \frac{\partial x_t}{\partial x_{k+1}} \frac{\partial x_{k+1}}{\partial x_k} \\
  &= \prod_{j=k+1}^{t} \frac{\partial x_j}{\partial x_{j-1}} \\
  &= \prod_{j=k+1}^{t} W_{rec} \operatorname{diag}(\sigma'(x_{j-1}))
\end{align}

$$\frac{\partial x_t}{\partial x_k} = \prod_{j=k}^{t-1} W_{rec} \operatorname{diag}(\sigma'(x_j))$$

$$\left(\frac{\partial x_t}{\partial x_{t-1}}\right)^\top = \operatorname{diag}(\sigma'(x_{t-1})) W_{rec}^\top$$

$$\frac{\partial x_t}{\partial x_{t-1}} = W_{rec}^T \operatorname{diag}(\sigma'(x_{t-1}))$$

$$\frac{\partial x_t}{\partial x_{t-1}} = \operatorname{diag}(\sigma'(x_{t-1})) W_{rec}$$

$$\frac{\partial x_t}{\partial x_k} = \prod_{j=k+1}^{t-1} W_{rec} \operatorname{diag}(\sigma'(x_{j-1}))$$

$$\frac{\partial x_t}{\partial x_k} = \frac{\partial x_{t-1}}{\partial x_k} \frac{\partial x_t}{\partial x_{t-1}}$$

$$\frac{\partial x_t}{\partial x_{t-1}} = W_{rec} \operatorname{diag}(\sigma'(x_t))$$

$$\frac{\partial E_t}{\partial \theta} = \sum_{k=1}^{t} \frac{\partial E_t}{\partial x_t} \frac{\partial x_t}{\partial x_k} \frac{\partial^+ x_k}{\partial \theta}$$

$$\frac{\partial E_t}{\partial \theta} = \sum_{k=1}^{t} \frac{\partial E_t}{\partial x_t} \left[\prod_{j=k+1}^{t} \frac{\partial x_j}{\partial x_{j-1}}\right] \frac{\partial x_k}{\partial g}$$

$$\frac{\partial E_t}{\partial \theta} = \sum_{k=1}^{t-1} \frac{\partial E_t}{\partial x_t} \frac{\partial x_t}{\partial x_k} \frac{\partial^+ x_k}{\partial \theta}$$

$$\frac{\partial E_t}{\partial \theta} = \sum_{k=1}^{t} \frac{\partial E_t}{\partial x_t} \prod_{j=k+1}^{t} W_{rec} \operatorname{diag}(\sigma'(x_{j-1})) \frac{\partial^+ x_k}{\partial \theta}$$

$$\rho(W_{rec}) \leq \|W_{rec}\|_2$$

$$\|W_{rec} \operatorname{diag}(\sigma'(x_{t-1}))\|_2 \leq \|W_{rec}\|_2 \|\operatorname{diag}(\sigma'(x_{t-1}))\|_2$$

$$\sigma_{max}(W_{rec}) = \|W_{rec}\|_2$$

$$\|W_{rec}^\top\|_2 = \|W_{rec}\|_2$$
"""


def _cli() -> list[str]:
    exe = shutil.which("rnnproof", path=os.path.dirname(sys.executable))
    return [exe] if exe else [sys.executable, "-m", "rnnproof.cli"]


_CPU = [0.0]  # CPU seconds of the last call's process


def _wall(argv: list[str]) -> tuple[float, int, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(argv, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    _CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, p.returncode, p.stdout


def per_link_argv(link: dict) -> list[str] | None:
    """The single CLI call that checks the same statement as ``link``."""
    text = link["checked"]
    if link["kind"] == "jacobian":
        return ["check", "--jacobian", text, "--no-diagnosis"]
    if link["kind"] == "gradient":
        return ["check", "--gradient", text, "--theta", "W_rec"]
    if link["kind"] == "inequality":
        return ["check", "--inequality", text]
    return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    cli = _cli()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "twenty.md")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(FILE)
        file_times, fast_times, per_times = [], [], []
        file_cpu, fast_cpu, per_cpu = [], [], []
        for _ in range(args.repeat):
            fast_times.append(_wall(cli + ["check", path, "--json", "--no-diagnosis"])[0])
            fast_cpu.append(_CPU[0])
            wall, code, out = _wall(cli + ["check", path, "--json"])
            file_times.append(wall)
            file_cpu.append(_CPU[0])
            data = json.loads(out)
            links = data["links"]
            per = cpu = 0.0
            agree = 0
            for link in links:
                argv = per_link_argv(link)
                if argv is None:
                    continue
                w, c, o = _wall(cli + argv + ["--json"])
                per += w
                cpu += _CPU[0]
                verdict = json.loads(o).get("verdict") if o.strip().startswith("{") else None
                agree += verdict == link["verdict"] or (verdict == "proved" and link["verdict"] == "proved")
            per_times.append(per)
            per_cpu.append(cpu)
    counts = data["counts"]
    print(f"links: {len(links)} ({', '.join(f'{v} {k}' for k, v in sorted(counts.items()))}); "
          f"exit {code}; per-link calls agreeing with the file's verdict: {agree}/{len(links)}")
    print()
    # --version loads no command: the start-up of check is a trivial check
    start = _wall(cli + ["check", "--jacobian", "W @ D[i-1]", "--n", "1", "--T", "1",
                         "--no-diagnosis"])[0]
    print(f"start-up (`rnnproof check` of one step at n = T = 1): {start:.1f} s wall, "
          f"{_CPU[0]:.1f} s CPU; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print()
    print("| workload | wall (s) | CPU (s) |")
    print("|---|---|---|")
    print(f"| `rnnproof check FILE` (20 links, one process, with diagnoses) | {min(file_times):.1f} "
          f"| {min(file_cpu):.1f} |")
    print(f"| `rnnproof check FILE --no-diagnosis` | {min(fast_times):.1f} | {min(fast_cpu):.1f} |")
    print(f"| the same 20 statements, one `rnnproof check --…` call each | {min(per_times):.1f} "
          f"| {min(per_cpu):.1f} |")


if __name__ == "__main__":
    main()
