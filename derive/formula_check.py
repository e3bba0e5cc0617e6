"""``check_formula``: is a formula the Jacobian ∂s_t/∂s_k in one form and layout?

Pairs where the formula reads only steps ``>= k`` go to
:func:`derive.jacobian.check_jacobian` (its decision policy: exact within budget, else
randomized, then a certified counterexample); pairs where it reads an earlier step (e.g.
form B's pre-activation ``x_k``) are compared along trajectories: the direct Jacobian with
``s_k`` replaced by its expression in the earliest step read. Pairs where the formula reads
outside the network, and trajectory pairs beyond the exact budget, are counted as skipped
(``Scope.skipped``): then the verdict cannot be ``proved`` (it is ``undecided``, naming
them). Counterexamples are restated in the user's layout (``Location.layout``; ``lhs``
the direct Jacobian's entry, ``rhs`` the formula's).

>>> check_formula("W @ D[i-1]").verdict.value
'proved'
>>> r = check_formula("W.T @ D[i-1]")
>>> r.verdict.value, r.counterexample.location.t, r.counterexample.location.k
('refuted', 1, 0)
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import sympy as sp

from rnncore.errors import FormulaError
from rnncore.results import Counterexample, Location, Method, MethodKind, Result, Scope, Span, Verdict

from rnnmodel.sympy_functions import step

from .canonical import is_generic_function
from .formula import MAX_TERM_FACTORS, Formula, as_formula, parse
from .jacobian import check_jacobian
from .randomized import STEP_BUDGET, TIME_BUDGET
from .layout import check_layout, in_layout, jacobian
from .network import RNN
from .prove import prove_equal, substitute

#: Pairs whose formula reads before the base step are compared by exact expansion of the
#: composed network; they are checked only while n^(t − earliest step) stays within this.
SHIFTED_BUDGET = 300
#: Exact checking of the formula's side is skipped (randomized identity test instead) when
#: it multiplies more matrices than the Jacobian does (2(t − k) factors) plus 2, and
#: ``n^(factors + 1)`` — the rough size of its expanded entries — exceeds this.
FORMULA_EXACT_BUDGET = 3000
#: Both whole matrices are shown at a counterexample only while n^(2(t − k) + 1) is within.
DISPLAY_BUDGET = 20000
#: Most matrices one term of a formula may multiply at a pair (beyond: rejected) — the
#: formula language's own budget, so that no true closed form the engine can decide is
#: refused (eq. 13 multiplies 2(t − k) <= 2T matrices; beyond the exact budget the
#: randomized test takes it at one matrix-vector product per factor).
MAX_FACTORS_PER_PAIR = MAX_TERM_FACTORS


@lru_cache(maxsize=512)
def parsed(text: str) -> Formula:
    """:func:`~derive.formula.parse` of ``text``, kept (a :class:`Formula` is immutable and
    parsing is pure: the claims and the diagnosis templates parse the same texts again);
    a text that does not parse raises each time, as ``parse`` does.

    >>> parsed("W @ D[i-1]") is parsed("W @ D[i-1]"), parsed("W @ D[i-1]") == parse("W @ D[i-1]")
    (True, True)
    """
    return parse(text)


def _as_formula(formula) -> Formula:
    """:func:`~derive.formula.as_formula`, text through :func:`parsed`."""
    return parsed(formula) if isinstance(formula, str) else as_formula(formula)


def _needed_base(f: Formula, form: str, t: int, k: int, T: int) -> int | None:
    """Smallest base step the formula's reads need at (t, k); None if a read is outside
    the network (before step 0, after T, an input outside 1..T)."""
    base = k
    for name, step in f.accesses(t, k):
        if name == "u":
            if not 1 <= step <= T:
                return None
            continue
        if step > T or step < 0:
            return None
        need = step - 1 if (form == "B" and name in ("x", "D")) else step
        if need < 0:
            return None
        base = min(base, need)
    return base


def _skipped_what(outside: list, over_budget: list) -> str:
    parts = []
    if outside:
        parts.append(f"{len(outside)} pair(s) where the formula reads outside the network "
                     f"(e.g. (t, k) = {outside[0]})")
    if over_budget:
        parts.append(f"{len(over_budget)} pair(s) reading before the base, beyond the exact "
                     f"budget (e.g. (t, k) = {over_budget[0]})")
    return "; ".join(parts)


def check_formula(formula: Formula | str, *, form: str = "A", layout: str = "numerator",
                  n: int = 2, m: int = 1, T: int = 3, activation: str = "generic",
                  method: str = "auto", seed: int | None = None,
                  time_budget: float = TIME_BUDGET, step_budget: int = STEP_BUDGET) -> Result:
    """Is the formula ``∂s_t/∂s_k`` (state ``s``: form A ``x``, form B ``h``) in ``layout``,
    for every pair it speaks about (one-step: ``t = k + 1``; else ``0 <= k < t <= T``)?

    ``method``, ``seed``, ``step_budget`` (evaluation steps of the randomized test) and
    ``time_budget`` (its hang guard, seconds) as in
    :func:`derive.jacobian.check_jacobian` (``seed=None``:
    fresh randomness for the randomized test; the seed used is in ``Result.data["seed"]``).
    A counterexample at a rational point also carries both whole matrices there
    (``data["jacobian_at_point"]``, ``data["formula_at_point"]``, shown by ``rnnproof
    check``); :func:`check_formula_quietly` is the same check without them.

    >>> r = check_formula("prod_down(i, t, k+1, W @ D[i-1]) + prod_down(i, t, k+2, W @ D[i+5]) - I")
    >>> r.verdict.value, r.scope.checked, r.scope.skipped
    ('undecided', 3, 3)
    """
    return _check_formula(formula, form=form, layout=layout, n=n, m=m, T=T,
                          activation=activation, method=method, seed=seed,
                          time_budget=time_budget, step_budget=step_budget, display=True)


def check_formula_quietly(formula: Formula | str, **options) -> Result:
    """:func:`check_formula` (the same keywords) without the whole matrices at a
    counterexample's point: for callers that print no counterexample data (the claims of
    :mod:`rnnclaims.symbolic.layout`); the verdict, the evidence and the certified entry
    are those of :func:`check_formula`.

    >>> r = check_formula_quietly("W.T @ D[i-1]")
    >>> r.verdict.value, "jacobian_at_point" in r.counterexample.data
    ('refuted', False)
    """
    return _check_formula(formula, **options, display=False)


def _check_formula(formula, *, form: str = "A", layout: str = "numerator", n: int = 2,
                   m: int = 1, T: int = 3, activation: str = "generic", method: str = "auto",
                   seed: int | None = None, time_budget: float = TIME_BUDGET,
                   step_budget: int = STEP_BUDGET, display: bool = True) -> Result:
    f = _as_formula(formula)
    check_layout(layout)
    f.check_budget(n, T)  # refused before any network is built or evaluated
    rnn = RNN(n, m, T, activation, form)
    candidate = in_layout(polynomial_candidate(f), layout)  # every pair costed just above
    if activation == "relu":
        candidate = _relu_reduced(candidate)
    normal, shifted, outside, over_budget = [], [], [], []
    heavy = False  # some pair's formula is far larger than its Jacobian
    for t, k in f.pairs(T):
        base = _needed_base(f, form, t, k, T)
        if base is None:
            outside.append((t, k))
            continue
        factors = f.factor_count(t, k)
        if factors > MAX_FACTORS_PER_PAIR:
            raise FormulaError(
                f"{f.text()} multiplies {factors} matrices in one term at (t, k) = ({t}, {k});"
                f" at most {MAX_FACTORS_PER_PAIR} are allowed (a Jacobian needs 2(t - k))")
        too_big = _too_big(n, factors, t, k)
        heavy = heavy or too_big
        if base == k:
            normal.append((t, k))
        elif n ** (t - base) > SHIFTED_BUDGET or too_big:
            over_budget.append((t, k))
        else:
            shifted.append((t, k, base))
    if not normal and not shifted and not over_budget:
        raise FormulaError(
            f"{f.text()} reads steps outside 0..T={T} at every pair (t, k); "
            "check the indices, or raise --T")
    skipped = len(outside) + len(over_budget)
    skipped_what = _skipped_what(outside, over_budget)
    shape = f"{'one-step ' if f.one_step else ''}pairs"
    scope = Scope(spans=(Span("n", n, n), Span("m", m, m), Span("T", T, T)),
                  activations=(activation,), forms=(form,), layouts=(layout,),
                  checked=len(normal) + len(shifted), skipped=skipped, skipped_what=skipped_what,
                  note=f"{len(normal) + len(shifted)} {shape}"
                  + (f", {len(shifted)} along trajectories from an earlier step" if shifted else ""))
    letter = "x" if form == "A" else "h"
    jac = f"the direct Jacobian ∂{letter}_t/∂{letter}_k"
    if not normal and not shifted:
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "exact expansion"), scope,
                      f"{f.text()} reads steps before the base state at every pair, and every "
                      "such comparison is beyond the exact budget; use a smaller n or T")
    results = []
    if normal:
        beyond = ("the formula multiplies far more matrices than the Jacobian, beyond the exact "
                  "budget" if heavy and method == "auto" else "")
        # tanh and sigmoid: σ' is tied to σ on the randomized path (never an independent
        # unknown), so tanh' = 1 − tanh² and sigmoid' = σ(1 − σ) are identities there too
        results.append(check_jacobian(rnn, candidate, method=method, pairs=normal, seed=seed,
                                      exact_beyond=beyond, time_budget=time_budget,
                                      step_budget=step_budget,
                                      tie=activation in ("tanh", "sigmoid")))
    for t, k, base in shifted:
        if results and results[-1].verdict is Verdict.REFUTED:
            break
        res = prove_equal(_direct_from(rnn, t, k, base), candidate(rnn.with_base(base), t, k),
                          method="exact", seed=seed)
        if res.verdict is Verdict.REFUTED:
            c = res.counterexample
            cex = Counterexample(c.point, c.lhs, c.rhs,
                                 location=Location(t=t, k=k, entry=c.location.entry,
                                                   layout="numerator"),
                                 note=f"lhs is the direct Jacobian's entry, rhs the formula's; "
                                 f"along a trajectory from step {base}; {c.note}",
                                 data={**(c.data or {}), "t": t, "k": k, "base": base})
            res = res.with_(counterexample=cex)
        results.append(res)
    combined = Result.combine(results)
    stopped = sum(r.scope.skipped for r in results)
    if stopped:
        # a part stopped by its budget names the cases it did not reach: the scope says so
        # too, instead of counting them as checked
        scope = replace(scope, checked=scope.checked - stopped, skipped=skipped + stopped,
                        skipped_what="; ".join(w for w in [skipped_what] + [
                            r.scope.skipped_what for r in results if r.scope.skipped] if w))
    data = {"seed": None}
    data.update({key: value for r in results if isinstance(r.data, dict)
                 for key, value in r.data.items()
                 if key in ("seed", "replay", "exact_stopped") and value is not None})
    cex = combined.counterexample
    if cex is not None:
        cex = _in_user_layout(cex, f, rnn, layout, display=display and not heavy)
    verdict, evidence = combined.verdict, ""
    if combined.holds and skipped:
        verdict = Verdict.UNDECIDED
        evidence = (f"{f.text()} equals {jac} at the {scope.checked} {shape} checked, but "
                    f"{skipped_what} were not checked; nothing is claimed for them")
    elif cex is not None:
        loc = cex.location
        evidence = (f"{f.text()} differs from {jac} at (t, k) = ({loc.t}, {loc.k})"
                    + (f", entry {loc.entry} in {layout} layout" if loc.entry else ""))
    else:
        verb = {"proved": "equals", "confirmed": "agrees with",
                "undecided": "was not decided against"}[verdict.value]
        evidence = f"{f.text()} {verb} {jac} ({layout} layout)" + (
            "" if verdict is Verdict.PROVED else f": {combined.evidence}")
    return Result(verdict, combined.method, scope, evidence, cex, tuple(results), data=data)


def polynomial_candidate(f: Formula):
    """The formula's candidate (costed by the caller), marked as one that may run on the
    exact check's polynomial network (:mod:`derive.poly_network`): a formula reads W, D and
    the identity through products, sums, scalars and transposes, each offered there; what
    it reads beyond (states, σ of a value, ...) makes the check use the SymPy matrix.

    >>> polynomial_candidate(parse("W @ D[i-1]")).polynomial
    True
    """
    candidate = f.candidate(costed=True)
    candidate.polynomial = True  # type: ignore[attr-defined]
    return candidate


def _relu_reduced(candidate):
    """The candidate with relu's exact identity step(z)^p = step(z) (p >= 1; relu' takes
    only the values 0 and 1) applied to its SymPy entries, so that diag(σ')² = diag(σ') is
    decided on the exact path; other backends' values pass unchanged.

    >>> from derive.network import RNN
    >>> f = parse("W @ D[i-1] @ D[i-1]").candidate()
    >>> _relu_reduced(f)(RNN(1, 1, 1, "relu").with_base(0), 1, 0)
    Matrix([[w_{1,1}*step(x_{0,1})]])
    """
    def reduced(net, t, k):
        value = candidate(net, t, k)
        if isinstance(value, sp.MatrixBase):
            return value.applyfunc(lambda e: e.replace(
                lambda a: a.is_Pow and isinstance(a.base, step) and a.exp.is_Integer
                and a.exp > 0, lambda a: a.base))
        return value

    return reduced


def _too_big(n: int, factors: int, t: int, k: int) -> bool:
    """True when the formula at (t, k) is much larger than the Jacobian and beyond the
    exact budget (see :data:`FORMULA_EXACT_BUDGET`).

    >>> _too_big(6, 9, 1, 0), _too_big(3, 8, 4, 0)
    (True, False)
    """
    return factors > 2 * (t - k) + 2 and n ** (factors + 1) > FORMULA_EXACT_BUDGET


def _direct_from(rnn: RNN, t: int, k: int, base: int):
    """The direct numerator Jacobian ∂s_t/∂s_k, with s_k written through the state at
    ``base <= k`` (so that a formula reading earlier steps can be compared)."""
    direct = jacobian(rnn, t, k, "numerator")
    if base == k:
        return direct
    at_k = rnn.with_base(k).state_symbols(k)
    return direct.xreplace(dict(zip(at_k, rnn.with_base(base).state(k))))


def _in_user_layout(cex: Counterexample, f: Formula, rnn: RNN, layout: str,
                    display: bool = True) -> Counterexample:
    """Restate a counterexample of :func:`check_formula` in the user's layout, with both
    whole matrices at the point (when ``display``, the point is rational and they evaluate
    to rationals there)."""
    data = dict(cex.data or {})
    t, k = cex.location.t, cex.location.k
    if t is None or k is None:
        return cex
    base = data.get("base", k)
    entry = cex.location.entry
    if entry is not None and layout == "denominator":
        entry = (entry[1], entry[0])
    if display and isinstance(data.get("subs"), dict) and data.get("kind") == "rational" \
            and rnn.n ** (2 * (t - base) + 1) <= DISPLAY_BUDGET:
        _display(data, f, rnn, layout, t, k, base)
    data.update({"entry": entry, "layout": layout})
    return Counterexample(cex.point, cex.lhs, cex.rhs, relation=cex.relation,
                          location=Location(t=t, k=k, entry=entry, layout=layout),
                          note=cex.note, data=data)


def _display(data: dict, f: Formula, rnn: RNN, layout: str, t: int, k: int, base: int) -> None:
    """Both whole matrices at a rational point, into ``data`` (when they are rational)."""
    jac = _direct_from(rnn, t, k, base)
    jac = jac if layout == "numerator" else jac.T
    mine = f.candidate()(rnn.with_base(base), t, k)
    point = {"subs": data.get("subs", {}), "function_values": dict(data.get("function_values", {}))}
    for _ in range(8):  # give the generic applications the certified entry did not need
        jac_at, mine_at = substitute(jac, point), substitute(mine, point)
        free = sorted({a for v in list(jac_at) + list(mine_at) for a in v.atoms(sp.Function)
                       if is_generic_function(a.func) and a.args[0].is_Rational},
                      key=sp.default_sort_key)
        if not free:
            break
        used = len(point["function_values"])
        point["function_values"].update({a: sp.Rational(used + i + 1, 2) for i, a in enumerate(free)})
    if all(v.is_Rational for v in list(jac_at) + list(mine_at)):
        data["jacobian_at_point"], data["formula_at_point"] = jac_at, mine_at
        data["function_values_full"] = point["function_values"]


__all__ = ["check_formula", "check_formula_quietly", "parsed", "polynomial_candidate", "SHIFTED_BUDGET", "FORMULA_EXACT_BUDGET", "MAX_FACTORS_PER_PAIR",
           "DISPLAY_BUDGET"]
