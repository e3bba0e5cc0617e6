"""Convention diagnosis of a Jacobian formula (:func:`diagnose`).

:func:`diagnose` compares a candidate with every template of :mod:`derive.convention`. It
lists every template the candidate equals (each comparison an exact
:func:`derive.prove.prove_equal`), the conventions among them, where it is the true
Jacobian, and otherwise the nearest true convention with the differences ("transposed
W_rec", "σ' one step late", "reversed product order", "diag(σ') on the other side of
W_rec"). Checking a formula in one convention is :func:`derive.formula_check.check_formula`
(also importable from here).

>>> d = diagnose("W.T * diag(dsigma(x[i-1]))")
>>> [str(c) for c in d.conventions]
["form B, denominator layout, σ' at i-1, order n/a (one step)"]
>>> d.holds_in
()
>>> for near in d.nearest: print(near.describe())
form A, numerator layout: transposed W_rec
form A, denominator layout: diag(σ') on the other side of W_rec
form B, denominator layout: σ' one step early (at i-1, not i)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from rnncore.errors import FormulaError, InvalidInputError
from rnncore.results import Result
from rnncore.validate import check_size

from .canonical import BudgetExceeded, Canonicalizer, Unsupported
from .convention import CORRECT, Convention, Nearest, Template, differences, templates, true_text
from .formula import Formula, as_formula, parse
# check_formula is imported from here by callers of the older single module.
from .formula_check import check_formula, parsed
from .layout import LAYOUTS
from .network import FORMS, RNN
from .prove import prove_equal

#: Formulas multiplying more matrices than this (at the sample pairs) are not diagnosed.
MAX_DIAGNOSIS_FACTORS = 24


@dataclass(frozen=True)
class Diagnosis:
    """What :func:`diagnose` found (see the module doc)."""

    formula: str
    one_step: bool
    matches: tuple[Template, ...]
    holds_in: tuple[tuple[str, str], ...]
    nearest: tuple[Nearest, ...]
    notes: tuple[str, ...]
    scope: str
    results: tuple[Result, ...] = field(default=(), compare=False, repr=False)

    @property
    def conventions(self) -> tuple[Convention, ...]:
        """The matched templates that are conventions (a layout's factor shape).

        >>> [str(c) for c in diagnose("D[i-1] @ W.T").conventions]
        ["form A, denominator layout, σ' at i-1, order n/a (one step)"]
        """
        return tuple(t.convention for t in self.matches if t.convention is not None)

    def text(self) -> str:
        """A readable multi-line account.

        >>> print(diagnose("W @ D[i-1]").text().splitlines()[1])
        is the Jacobian in: form A, numerator layout
        """
        lines = [f"formula: {self.formula}" + ("  (one-step Jacobian)" if self.one_step else "")]
        if self.holds_in:
            lines.append("is the Jacobian in: " + "; ".join(
                f"form {f}, {lay} layout" for f, lay in self.holds_in))
        else:
            lines.append("is the Jacobian in: none of form A/B × numerator/denominator")
        if self.conventions:
            lines.append("matches the conventions:")
            lines.extend(f"  - {c}" + ("  [true Jacobian]" if c.correct else "  [not a Jacobian]")
                         for c in self.conventions)
        else:
            lines.append("matches the conventions: none")
        others = [t for t in self.matches if t.convention is None]
        if others:
            lines.append("also equals (a factor shape that is no layout of its form): " + "; ".join(
                f"form {t.form}: {t.text()}" for t in others))
        if self.nearest and not self.holds_in:
            lines.append("nearest true convention(s):")
            lines.extend(f"  - {near.describe()}  (true: {true_text(near.convention)})"
                         for near in self.nearest)
        lines.extend(f"note: {note}" for note in self.notes)
        lines.append(f"scope: {self.scope}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """JSON-ready form.

        >>> diagnose("W @ D[i-1]").to_dict()["holds_in"]
        [{'form': 'A', 'layout': 'numerator'}]
        """
        return {
            "formula": self.formula,
            "one_step": self.one_step,
            "holds_in": [{"form": f, "layout": lay} for f, lay in self.holds_in],
            "conventions": [{"form": c.form, "layout": c.layout, "sigma_at": c.sigma_at,
                             "order": c.order, "true_jacobian": c.correct}
                            for c in self.conventions],
            "templates": [{"form": t.form, "formula": t.text()} for t in self.matches],
            "nearest": [{"form": n.convention.form, "layout": n.convention.layout,
                         "true_formula": true_text(n.convention),
                         "differences": list(n.differences)} for n in self.nearest],
            "notes": list(self.notes),
            "scope": self.scope,
        }



#: Largest size and horizon of a diagnosis (exact comparisons against every template).
MAX_DIAGNOSIS_N, MAX_DIAGNOSIS_T = 3, 5

def _sample_pairs(one_step: bool, T: int) -> list[tuple[int, int]]:
    if one_step:
        return [(t, t - 1) for t in range(2, T + 1)]
    return [(t, k) for t in range(2, T + 1) for k in range(1, t)]


def _evaluate(formula: Formula, rnn: RNN, t: int, k: int, base: int, nets: dict | None = None):
    """The formula's matrix at (t, k) on the network based at ``base``, or a reason.
    ``nets``: the networks of earlier calls by base (one per base keeps its composed
    states, so the templates compared at a pair share them)."""
    if nets is None:
        net = rnn.with_base(base)
    else:
        net = nets.get(base)
        if net is None:
            net = nets[base] = rnn.with_base(base)
    try:
        return formula.candidate()(net, t, k), None
    except (InvalidInputError, FormulaError) as exc:
        return None, str(exc)


def shown_unequal(a, b) -> bool:
    """True only when ``prove_equal(a, b, method="exact")`` does not hold: ``a`` and ``b``
    are explicit matrices of one shape and some entry's canonical polynomials
    (:class:`~derive.canonical.Canonicalizer`, function applications as independent atoms)
    differ. That exact comparison proves an identity exactly when every difference is the
    zero polynomial, so a nonzero one leaves it refuted or undecided: either way not a
    match, and its counterexample search is not needed here. False says only "not shown"
    (then :func:`~derive.prove.prove_equal` decides).

    >>> W = sp.Matrix(2, 2, sp.symbols("w1:5"))
    >>> shown_unequal(W.T, W), shown_unequal(W.T.T, W), shown_unequal(W, sp.eye(3))
    (True, False, False)
    """
    if not (isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase)) or a.shape != b.shape:
        return False
    canon = Canonicalizer()
    try:
        return any(not (canon.poly(x) - canon.poly(y)).is_zero() for x, y in zip(a, b))
    except (BudgetExceeded, Unsupported, RecursionError):
        return False


def diagnose(formula: Formula | str, *, n: int = 2, T: int = 3, activation: str = "generic",
             seed: int = 0) -> Diagnosis:
    """Diagnose a formula: every template and convention it matches, where it is the true
    Jacobian, and the nearest true conventions with the differences.

    Comparisons are exact (:func:`derive.prove.prove_equal`) at size ``n`` over the pairs
    ``1 <= k < t <= T`` (one-step formulas: ``t = k + 1``), both sides evaluated on the
    network based at step ``k − 1`` (so that ``x_{k}`` of form B, the pre-activation before
    the base, is defined: equality along every trajectory). A template is passed over at
    the first pair :func:`shown_unequal` separates (no counterexample search for a
    template that does not match); :func:`diagnose_by_reference` runs :func:`prove_equal`
    at every comparison. The same matches either way; ``results`` holds the proofs run.

    >>> d = diagnose("prod_down(i, t, k+1, W @ D[i-1])")
    >>> d.holds_in
    (('A', 'numerator'),)
    >>> diagnose("prod_up(i, k+1, t, W @ D[i-1])").nearest[0].describe()
    'form A, numerator layout: reversed product order'
    """
    return _diagnose(formula, n=n, T=T, activation=activation, seed=seed, fast=True)


def diagnose_by_reference(formula: Formula | str, *, n: int = 2, T: int = 3,
                          activation: str = "generic", seed: int = 0) -> Diagnosis:
    """The reference route of :func:`diagnose`: :func:`~derive.prove.prove_equal` at every
    comparison (the tests check that both find the same).

    >>> diagnose_by_reference("W.T @ D[i]") == diagnose("W.T @ D[i]")
    True
    """
    return _diagnose(formula, n=n, T=T, activation=activation, seed=seed, fast=False)


def _diagnose(formula, *, n: int, T: int, activation: str, seed: int, fast: bool) -> Diagnosis:
    f = parsed(formula) if isinstance(formula, str) else as_formula(formula)
    need_T = 2 if f.one_step else 3
    if isinstance(T, bool) or not isinstance(T, int):
        raise InvalidInputError(f"T={T!r} is not allowed; T must be an integer {need_T} <= T <= {MAX_DIAGNOSIS_T}")
    if T < need_T:
        raise InvalidInputError(f"T={T!r} is too small for a diagnosis; use T >= {need_T}")
    # Exact comparisons against every template grow like n^T: refused before any work.
    check_size("n", n, MAX_DIAGNOSIS_N, "the diagnosis budget (exact comparisons)")
    check_size("T", T, MAX_DIAGNOSIS_T, "the diagnosis budget (exact comparisons)")
    f.check_budget(n, T)
    pairs = _sample_pairs(f.one_step, T)
    matches: list[Template] = []
    notes: list[str] = []
    results: list[Result] = []
    heaviest = max(f.factor_count(t, k) for t, k in pairs)
    scope = (f"exact comparisons at n={n}, {activation} σ, pairs "
             f"{', '.join(f'({t},{k})' for t, k in pairs)}, along trajectories from step k−1")
    if heaviest > MAX_DIAGNOSIS_FACTORS:
        return Diagnosis(f.text(), f.one_step, (), (), (), (
            f"not diagnosed: the formula multiplies {heaviest} matrices in one term, the "
            f"templates at most {2 * T}; it can match none of them",), scope)
    for form in FORMS:
        rnn = RNN(n, 1, T, activation, form)
        nets: dict = {}  # one network per base step, shared by the formula and the templates
        values = {}
        for t, k in pairs:
            value, reason = _evaluate(f, rnn, t, k, k - 1, nets)
            if value is None:
                notes.append(f"form {form}: the formula cannot be evaluated at (t, k)=({t}, {k}):"
                             f" {reason}")
                break
            values[(t, k)] = value
        else:
            for tpl in templates(form, f.one_step):
                tf = tpl.formula()
                ok = True
                res = None
                for t, k in pairs:
                    other, _ = _evaluate(tf, rnn, t, k, k - 1, nets)
                    if fast and shown_unequal(values[(t, k)], other):
                        ok = False  # prove_equal would not hold: no match
                        break
                    res = prove_equal(values[(t, k)], other, method="exact", seed=seed)
                    if not res.holds:
                        ok = False
                        break
                if res is not None:
                    results.append(res)
                if ok:
                    matches.append(tpl)
    holds_in = tuple((t.form, t.layout) for t in matches
                     if t.convention is not None and t.convention.correct)
    nearest: list[Nearest] = []
    if not holds_in and matches:
        options = []
        for tpl in matches:
            for layout in LAYOUTS:
                c = Convention(tpl.form, layout, *CORRECT[(tpl.form, layout)])
                if f.one_step:
                    c = Convention(tpl.form, layout, c.sigma_at, None)
                options.append(Nearest(tpl, c, differences(tpl, c)))
        best = min(len(o.differences) for o in options)
        nearest = [o for o in options if len(o.differences) == best]
    if not matches and not f.one_step:
        notes.append(_partial(f, n, activation, seed))
    elif not matches:
        notes.append("the formula equals no product of W_rec or W_recᵀ with diag(σ') in any "
                     "form; no nearest convention")
    return Diagnosis(f.text(), f.one_step, tuple(matches), holds_in, tuple(nearest),
                     tuple(notes), scope, tuple(results))


def _partial(f: Formula, n: int, activation: str, seed: int) -> str:
    """For a product formula matching no template: does its one-step case match one?"""
    found = []
    for form in FORMS:
        rnn = RNN(n, 1, 2, activation, form)
        value, reason = _evaluate(f, rnn, 2, 1, 0)
        if value is None:
            continue
        for tpl in templates(form, True):
            other, _ = _evaluate(tpl.formula(), rnn, 2, 1, 0)
            if prove_equal(value, other, method="exact", seed=seed).holds:
                found.append(f"form {form}: {tpl.text()}")
    if found:
        return ("for t = k+1 it equals " + "; ".join(found) + ", but not over several steps "
                "(a missing or extra factor, or wrong product bounds?)")
    return ("the formula equals no product of W_rec or W_recᵀ with diag(σ') in any form, not "
            "even for one step; no nearest convention")


__all__ = ["Diagnosis", "diagnose", "diagnose_by_reference", "shown_unequal", "check_formula", "MAX_DIAGNOSIS_FACTORS"]
