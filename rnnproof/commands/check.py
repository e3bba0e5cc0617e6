"""``rnnproof check``: is a user's formula the Jacobian ∂x_t/∂x_k, and in which convention?

``rnnproof check --jacobian "FORMULA" [--form A|B] [--layout numerator|denominator]
[--n N] [--T T] [--activation NAME] [--json]`` parses the formula with the whitelisted
parser of :mod:`derive.formula` (never ``eval``), decides it exactly against the direct
Jacobian (:func:`derive.diagnosis.check_formula`), prints the verdict, a counterexample
when it is refuted, and the convention diagnosis (:func:`derive.diagnosis.diagnose`).

Exit codes: 0 the formula holds (proved), 1 refuted, 2 bad input (one line on stderr),
3 undecided. The language and examples: ``docs/check.md``.

>>> import argparse
>>> parser = argparse.ArgumentParser(); sub = parser.add_subparsers()
>>> add_parser(sub)
>>> args = parser.parse_args(["check", "--jacobian", "W @ D[i-1]", "--no-diagnosis"])
>>> run(args)  # doctest: +ELLIPSIS
formula:  W @ D[i - 1]   (one-step Jacobian ∂x_i/∂x_{i-1})
...
verdict:  proved
...
0
"""
from __future__ import annotations

import argparse
import json

from derive.diagnosis import check_formula, diagnose
from derive.formula import parse
from rnncore.errors import InvalidInputError
from rnncore.results import Verdict
from rnncore.validate import check_seed, check_size

from . import _check_file
from ..printers import counterexample_dict, location_text, method_text, scope_text

#: Size limits of the command (exact symbolic work grows fast with n and T).
MAX_N, MAX_T = 6, 8
_EXIT = {Verdict.PROVED: 0, Verdict.CONFIRMED: 0, Verdict.REFUTED: 1, Verdict.UNDECIDED: 3}


def add_parser(subparsers) -> None:
    """Add the ``check`` subparser."""
    p = subparsers.add_parser(
        "check",
        help="check a Jacobian formula and diagnose its convention",
        description="Decide whether FORMULA is the Jacobian ∂x_t/∂x_k (form A) or ∂h_t/∂h_k "
        "(form B) in the given layout, exactly; print the verdict, a counterexample and the "
        "conventions it matches. Formula language: docs/check.md. Exit 0 holds, 1 refuted, "
        "2 bad input, 3 undecided.",
    )
    p.add_argument("file", nargs="?", metavar="FILE",
                   help="a derivation file (.md or .tex) to check link by link (docs/check.md)")
    p.add_argument("--jacobian", metavar="FORMULA",
                   help='e.g. "W.T * diag(dsigma(x[i-1]))" or "prod_down(i, t, k+1, W @ D[i-1])"')
    p.add_argument("--form", choices=("A", "B"), default="A",
                   help="A: x_t = W σ(x_{t-1}) + W_in u_t + b; B: h_t = σ(W h_{t-1} + W_in u_t + b)")
    p.add_argument("--layout", choices=("numerator", "denominator"), default="numerator",
                   help="numerator: (∂y/∂x)_ij = ∂y_i/∂x_j; denominator: the transpose")
    p.add_argument("--n", type=int, default=2, help=f"hidden size, 1..{MAX_N} (default 2)")
    p.add_argument("--T", type=int, default=3, help=f"steps, 1..{MAX_T} (default 3)")
    p.add_argument("--activation", choices=("generic", "tanh", "sigmoid", "relu"),
                   default="generic", help="σ (default: generic, an arbitrary function)")
    p.add_argument("--seed", type=int, default=None,
                   help="replay a randomized run with this seed (default: fresh randomness)")
    p.add_argument("--no-diagnosis", action="store_true", help="skip the convention diagnosis")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    """Parse, check the budgets, check, diagnose, print; return the exit code."""
    if args.file is not None:
        return _check_file.run(args)
    if args.jacobian is None:
        raise InvalidInputError("--jacobian FORMULA or a derivation FILE is required")
    n = check_size("n", args.n, MAX_N, "the check command's exact budget")
    T = check_size("T", args.T, MAX_T, "the check command's exact budget")
    check_seed(args.seed)
    formula = parse(args.jacobian)
    # the cost of evaluating the formula, for every pair, before any of it is evaluated
    formula.check_budget(n, T)
    if not args.no_diagnosis:
        formula.check_budget(2, 3)
    result = check_formula(formula, form=args.form, layout=args.layout, n=n, m=1, T=T,
                           activation=args.activation, seed=args.seed)
    diagnosis = None if args.no_diagnosis else diagnose(formula, n=2, T=3, seed=args.seed)
    if args.json:
        print(json.dumps(_as_json(args, formula, result, diagnosis), indent=2, ensure_ascii=False))
    else:
        print(_as_text(args, formula, result, diagnosis))
    return _EXIT[result.verdict]


def _state(form: str) -> str:
    return "x" if form == "A" else "h"


def _what(formula, form: str) -> str:
    s = _state(form)
    if formula.one_step:
        i = formula.step_var
        return f"one-step Jacobian ∂{s}_{i}/∂{s}_{{{i}-1}}"
    return f"∂{s}_t/∂{s}_k for every 0 <= k < t <= T"


def _as_text(args, formula, result, diagnosis) -> str:
    lines = [
        f"formula:  {formula.text()}   ({_what(formula, args.form)})",
        f"latex:    {formula.latex()}",
        f"checked:  {scope_text(result.scope)}",
        f"verdict:  {result.verdict.value}",
        f"evidence: {result.evidence}",
        f"method:   {method_text(result.method)}",
    ]
    cex = result.counterexample
    if cex is not None:
        lines.append(f"counterexample at {location_text(cex)}: Jacobian entry {cex.lhs}, formula gives "
                     f"{cex.rhs}")
        lines.append("  with " + ", ".join(f"{k}={v}" for k, v in cex.point))
        data = cex.data or {}
        if "jacobian_at_point" in data:
            extra = {k: v for k, v in data.get("function_values_full", {}).items()
                     if k not in data.get("function_values", {})}
            if extra:
                lines.append("  and, for the whole matrices, " + ", ".join(
                    f"{k}={v}" for k, v in extra.items()))
            lines.append(f"  Jacobian there: {data['jacobian_at_point'].tolist()}")
            lines.append(f"  formula there:  {data['formula_at_point'].tolist()}")
        if cex.note:
            lines.append(f"  ({cex.note})")
    if diagnosis is not None:
        lines.append("diagnosis (exact, n=2, T=3, generic σ):")
        lines.extend("  " + line for line in diagnosis.text().splitlines()[1:])
    return "\n".join(lines)


def _as_json(args, formula, result, diagnosis) -> dict:
    out = {
        "formula": args.jacobian,
        "canonical": formula.text(),
        "latex": formula.latex(),
        "one_step": formula.one_step,
        "form": args.form,
        "layout": args.layout,
        "n": args.n,
        "T": args.T,
        "activation": args.activation,
        "verdict": result.verdict.value,
        "method": method_text(result.method),
        "scope": scope_text(result.scope),
        "evidence": result.evidence,
        "counterexample": None,
        "diagnosis": None if diagnosis is None else diagnosis.to_dict(),
        "exit_code": _EXIT[result.verdict],
    }
    cex = result.counterexample
    if cex is not None:
        out["counterexample"] = counterexample_dict(cex)
        data = cex.data or {}
        if "jacobian_at_point" in data:
            out["counterexample"]["jacobian_at_point"] = [[str(v) for v in row] for row in
                                                          data["jacobian_at_point"].tolist()]
            out["counterexample"]["formula_at_point"] = [[str(v) for v in row] for row in
                                                         data["formula_at_point"].tolist()]
    return out


__all__ = ["add_parser", "run"]
