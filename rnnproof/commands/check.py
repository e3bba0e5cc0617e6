"""``rnnproof check``: a user's own statement — a Jacobian formula, a gradient formula, or
an inequality between norms — decided and printed.

``rnnproof check --jacobian F | --gradient F --theta NAME [--entry I J] | --inequality F
[--given H ...]`` (exactly one; each with ``--json``). Text goes through the project's own
parsers (:mod:`derive.formula`; never eval); the checks are those of
:mod:`rnnclaims.statements` (Jacobians: exact within budget, randomized beyond it with its
error probability, certified counterexamples; gradients: against direct differentiation of
the unrolled network; inequalities: a lemma proof for every n or a certified counterexample).

Exit codes, for every form: 0 holds (the printed label says at which strength: proved,
proved-from-lemmas, proved-randomized, confirmed), 1 refuted, 2 bad input (one line on
stderr), 3 undecided, 70 internal error. The language and examples: ``docs/check.md``.

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
import importlib
import json

from derive.diagnosis import check_formula, diagnose
from derive.formula import MAX_FORMULA_N, MAX_FORMULA_T, parse, parse_gradient
from derive.randomized import STEP_BUDGET, TIME_BUDGET
from derive.gradient_formula import GRADIENT_THETAS, MAX_GRADIENT_N, MAX_GRADIENT_T, WHATS, WHOLES
from rnncore.errors import InvalidInputError
from rnncore.results import Verdict
from rnncore.validate import MAX_INEQUALITY_N, check_seed, check_size

from ..printers import counterexample_dict, location_text, method_text, scope_text

def _statements():
    """:mod:`rnnclaims.statements`, imported at the first --gradient or --inequality check
    (a --jacobian check needs only :mod:`derive`)."""
    return importlib.import_module("rnnclaims.statements")


def check_gradient(*args, **kwargs):
    """:func:`rnnclaims.statements.check_gradient` (imported at the first call).

    >>> check_gradient("sum(k, 1, t, dE[t] @ prod_down(i, t, k+1, W @ D[i-1]) @ dplus[k])",
    ...                theta="W_in").label.value
    'proved'
    """
    return _statements().check_gradient(*args, **kwargs)


def check_inequality(*args, **kwargs):
    """:func:`rnnclaims.statements.check_inequality` (imported at the first call).

    >>> check_inequality("norm2(W @ D[j]) <= norm2(W) * norm2(D[j])").label.value
    'proved-from-lemmas'
    """
    return _statements().check_inequality(*args, **kwargs)


#: Size limits of the Jacobian check: exact within the engine's budget, the randomized
#: identity test beyond it (its error probability stated), up to the formula budget.
MAX_N, MAX_T = MAX_FORMULA_N, MAX_FORMULA_T
_EXIT = {Verdict.PROVED: 0, Verdict.CONFIRMED: 0, Verdict.REFUTED: 1, Verdict.UNDECIDED: 3}


def add_parser(subparsers) -> None:
    """Add the ``check`` subparser."""
    p = subparsers.add_parser(
        "check",
        help="check your own Jacobian or gradient formula, or an inequality between norms",
        description="Decide a statement of your own: --jacobian F (is F ∂x_t/∂x_k?), "
        "--gradient F --theta NAME (is F ∂E_t/∂θ?), --inequality F [--given H ...] (does the "
        "inequality hold under the hypotheses?). Language: docs/check.md. Exit 0 holds (the "
        "label says how: proved, proved-from-lemmas, proved-randomized, confirmed), 1 refuted, "
        "2 bad input, 3 undecided, 70 internal error.",
    )
    p.add_argument("file", nargs="?", metavar="FILE",
                   help="a derivation file (.md or .tex) to check link by link (docs/check.md)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--jacobian", metavar="FORMULA",
                      help='e.g. "W.T * diag(dsigma(x[i-1]))" or "prod_down(i, t, k+1, W @ D[i-1])"')
    what.add_argument("--gradient", metavar="FORMULA",
                      help='e.g. "sum(k, 1, t, dE[t] @ prod_down(i, t, k+1, W @ D[i-1]) @ dplus[k])"')
    what.add_argument("--inequality", metavar="STATEMENT",
                      help='e.g. "norm2(W @ D[j]) <= smax(W) * gamma"')
    p.add_argument("--theta", choices=GRADIENT_THETAS, default="W_rec",
                   help="--gradient: the parameter (W = [W_rec W_in b]; default W_rec)")
    p.add_argument("--entry", nargs=2, type=int, metavar=("I", "J"), default=None,
                   help="--gradient: one entry (i, j) of θ, 1-based")
    p.add_argument("--whole", choices=WHOLES, default=None,
                   help="--gradient: θ as a matrix, or flattened row by row (vec-row) or column "
                   "by column (vec-col); default: read off the formula's shape")
    p.add_argument("--what", choices=WHATS, default="total",
                   help="--gradient: total ∂E_t/∂θ (default), sum ∂E/∂θ, immediate ∂⁺x_k/∂θ, "
                   "state ∂x_t/∂θ")
    p.add_argument("--loss", choices=("generic", "squared"), default="generic",
                   help="--gradient: the loss E_t = L(x_t) (default: generic L)")
    p.add_argument("--given", action="append", default=[], metavar="HYPOTHESIS",
                   help='--inequality: a hypothesis, e.g. "norm2(D[j]) <= gamma" (repeatable)')
    p.add_argument("--form", choices=("A", "B"), default="A",
                   help="A: x_t = W σ(x_{t-1}) + W_in u_t + b; B: h_t = σ(W h_{t-1} + W_in u_t + b)")
    p.add_argument("--layout", choices=("numerator", "denominator"), default="numerator",
                   help="numerator: (∂y/∂x)_ij = ∂y_i/∂x_j; denominator: the transpose")
    p.add_argument("--n", type=int, default=None,
                   help=f"hidden size (default 2; --jacobian up to {MAX_N}, --gradient up to "
                   f"{MAX_GRADIENT_N}; --inequality: default every n, or one n up to "
                   f"{MAX_INEQUALITY_N} for the counterexample search)")
    p.add_argument("--T", type=int, default=3,
                   help=f"steps (default 3; --jacobian up to {MAX_T}, --gradient up to "
                   f"{MAX_GRADIENT_T})")
    p.add_argument("--activation", choices=("generic", "tanh", "sigmoid", "relu"),
                   default="generic", help="σ (default: generic, an arbitrary function)")
    p.add_argument("--seed", type=int, default=None,
                   help="replay a randomized run with this seed (default: fresh randomness)")
    p.add_argument("--time-budget", type=float, default=TIME_BUDGET, metavar="SECONDS",
                   help=f"--jacobian: a hang guard, seconds of wall-clock time for the randomized "
                   f"identity test (default {TIME_BUDGET:g}; past it: undecided, naming the guard)")
    p.add_argument("--step-budget", type=int, default=STEP_BUDGET, metavar="STEPS",
                   help=f"--jacobian: evaluation steps of the randomized identity test, counted "
                   f"(default {STEP_BUDGET}, far above n = {MAX_N}, T = {MAX_T}; past it: "
                   f"undecided, naming the budget)")
    p.add_argument("--no-diagnosis", action="store_true", help="skip the convention diagnosis")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    """Dispatch on the statement's kind; return the exit code."""
    if args.file is not None:
        return importlib.import_module(f"{__package__}._check_file").run(args)
    if args.gradient is not None:
        return _run_gradient(args)
    if args.inequality is not None:
        return _run_inequality(args)
    if args.jacobian is None:
        raise InvalidInputError("give a statement: --jacobian FORMULA, --gradient FORMULA "
                                "--theta NAME, or --inequality STATEMENT (see rnnproof check --help)")
    return _run_jacobian(args)


def _run_jacobian(args: argparse.Namespace) -> int:
    """Parse, check the budgets, check, diagnose, print; return the exit code."""
    args.n = 2 if args.n is None else args.n
    n = check_size("n", args.n, MAX_N, "the check command's budget")
    T = check_size("T", args.T, MAX_T, "the check command's budget")
    check_seed(args.seed)
    formula = parse(args.jacobian)
    # check_formula costs every pair before any of it is evaluated; the diagnosis runs at
    # n = 2, T = 3, costed here first
    if not args.no_diagnosis:
        formula.check_budget(2, 3)
    if not (args.time_budget > 0 and args.time_budget <= 86400):  # also rejects nan
        raise InvalidInputError(f"--time-budget {args.time_budget!r} is not allowed; give "
                                "seconds, 0 < s <= 86400")
    if not 1 <= args.step_budget <= 10**9:
        raise InvalidInputError(f"--step-budget {args.step_budget!r} is not allowed; give a "
                                "count, 1 <= steps <= 10^9")
    result = check_formula(formula, form=args.form, layout=args.layout, n=n, m=1, T=T,
                           activation=args.activation, seed=args.seed,
                           time_budget=args.time_budget, step_budget=args.step_budget)
    diagnosis = None if args.no_diagnosis else diagnose(formula, n=2, T=3, seed=args.seed)
    if args.json:
        print(json.dumps(_as_json(args, formula, result, diagnosis), indent=2, ensure_ascii=False))
    else:
        print(_as_text(args, formula, result, diagnosis))
    return _EXIT[result.verdict]


def _run_gradient(args: argparse.Namespace) -> int:
    n = check_size("n", 2 if args.n is None else args.n, MAX_GRADIENT_N,
                   "the budget of a gradient check")
    T = check_size("T", args.T, MAX_GRADIENT_T, "the budget of a gradient check")
    check_seed(args.seed)
    formula = parse_gradient(args.gradient)  # for the printout; checked with θ's size below
    entry = None if args.entry is None else tuple(args.entry)
    result = check_gradient(args.gradient, theta=args.theta, entry=entry, whole=args.whole,
                            what=args.what, form=args.form, activation=args.activation,
                            loss=args.loss, layout=args.layout, n=n, T=T, seed=args.seed)
    head = [f"gradient: {formula.text()}",
            f"latex:    {formula.latex()}",
            f"theta:    {args.theta}" + (f", entry {entry}" if entry else "")
            + f"; {args.what}"]
    return _finish(args, result, head, {"kind": "gradient", "formula": args.gradient,
                                        "canonical": formula.text(), "latex": formula.latex(),
                                        "theta": args.theta, "entry": list(entry) if entry else None,
                                        "what": args.what, "whole": args.whole, "n": n, "T": T})


def _run_inequality(args: argparse.Namespace) -> int:
    n = None if args.n is None else check_size("n", args.n, MAX_INEQUALITY_N,
                                               "the counterexample search of an inequality")
    result = check_inequality(args.inequality, hypotheses=tuple(args.given), form=args.form,
                              activation=args.activation, n=n, seed=args.seed)
    head = [f"inequality: {args.inequality}"] + [f"given:      {h}" for h in args.given]
    return _finish(args, result, head, {"kind": "inequality", "statement": args.inequality,
                                        "given": list(args.given), "n": n})


def seed_of(result) -> dict:
    """The seed a randomized verdict drew (``{"seed": S, "seed_drawn": bool}``, printed so
    ``--seed S`` replays the run), or ``{}`` when no randomness decided it.

    >>> from rnncore.results import Method, MethodKind, Result, Scope, Verdict
    >>> seed_of(Result(Verdict.PROVED, Method(MethodKind.RANDOMIZED, error_log2=-100.0), Scope(),
    ...                "e", data={"seed": 9, "replay": False}))
    {'seed': 9, 'seed_drawn': True}
    >>> seed_of(Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(), "e", data={"seed": None}))
    {}
    """
    data = result.data if isinstance(result.data, dict) else {}
    if data.get("seed") is None:
        return {}
    return {"seed": data["seed"], "seed_drawn": not data.get("replay", False)}


def _seed_lines(result) -> list[str]:
    s = seed_of(result)
    if not s:
        return []
    how = (f"fresh from the operating system; --seed {s['seed']} replays this run"
           if s["seed_drawn"] else "given: a replay")
    return [f"seed:     {s['seed']} ({how})"]


def _finish(args, result, head: list, extra: dict) -> int:
    """Print a gradient or inequality result (text or JSON); return the exit code."""
    code = _EXIT[result.verdict]
    if args.json:
        out = {**extra, "form": args.form, "activation": args.activation,
               "verdict": result.label.value, "holds": result.holds,
               "method": method_text(result.method), "scope": scope_text(result.scope),
               "evidence": result.evidence,
               "counterexample": None if result.counterexample is None
               else counterexample_dict(result.counterexample),
               "proofs": [p.text() for p in result.proofs], **seed_of(result),
               "exit_code": code}
        print(json.dumps(out, indent=2, ensure_ascii=False, default=str))
        return code
    lines = head + [f"checked:  {scope_text(result.scope)}",
                    f"verdict:  {result.label.value}   ({result.label.meaning})",
                    f"evidence: {result.evidence}",
                    f"method:   {method_text(result.method)}"] + _seed_lines(result)
    cex = result.counterexample
    if cex is not None:
        lines.append(f"counterexample at {location_text(cex)}: lhs {cex.lhs}, rhs {cex.rhs}")
        lines.append("  with " + ", ".join(f"{k}={v}" for k, v in cex.point))
        if cex.note:
            lines.append(f"  ({cex.note})")
    for proof in result.proofs:
        lines.extend("  " + line for line in proof.text().splitlines())
    print("\n".join(lines))
    return code


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
        f"verdict:  {result.label.value}",
        f"evidence: {result.evidence}",
        f"method:   {method_text(result.method)}",
        *_seed_lines(result),
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
        "verdict": result.label.value,
        "method": method_text(result.method),
        "scope": scope_text(result.scope),
        "evidence": result.evidence,
        "counterexample": None,
        "diagnosis": None if diagnosis is None else diagnosis.to_dict(),
        **seed_of(result),
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
