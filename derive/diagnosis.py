"""Convention diagnosis of a Jacobian formula, and the check of a formula in one convention.

A *convention* is a choice among {form A, form B} × {numerator, denominator} × {σ' argument
at i−1, at i} × {product order: largest index leftmost, smallest leftmost}. Each names a
formula: the product over ``k < i <= t`` of the factor that the form and layout give —

=========  ==================  ====================
form       numerator           denominator
=========  ==================  ====================
A          ``W_rec D``         ``D W_recᵀ``
B          ``D W_rec``         ``W_recᵀ D``
=========  ==================  ====================

with ``D = diag(σ'(x_{i-1}))`` or ``diag(σ'(x_i))`` (``x`` the argument of σ: form A's state,
form B's pre-activation, ``h = σ(x)``) in the chosen order. Exactly one convention per
(form, layout) is the true Jacobian: A-numerator (σ' at i−1, largest leftmost — blog eq.
13), A-denominator (σ' at i−1, smallest leftmost), B-numerator (σ' at i, largest
leftmost), B-denominator (σ' at i, smallest leftmost).

:func:`diagnose` compares a candidate with every *template*: the conventions above plus
the factor shapes that are no layout of the form (``W_recᵀ D`` and ``D W_rec`` in form A;
``W_rec D`` and ``D W_recᵀ`` in form B). It lists every template the candidate equals
(each comparison an exact :func:`derive.prove.prove_equal`), the conventions among them,
where it is the true Jacobian, and otherwise the nearest true convention with the
differences ("transposed W_rec", "σ' one step late", "reversed product order", "diag(σ')
on the other side of W_rec").

:func:`check_formula` decides whether a formula is the Jacobian in one form and layout
(:func:`derive.jacobian.check_jacobian` against the direct Jacobian).

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
from typing import Iterable

from rnncore.errors import FormulaError, InvalidInputError
from rnncore.results import Counterexample, Result, Verdict

from .formula import Formula, parse
from .layout import LAYOUTS, check_layout, in_layout, jacobian
from .network import FORMS, RNN

SIGMA_AT = ("i-1", "i")
#: Pairs whose formula reads before the base step are compared by exact expansion of the
#: composed network; they are checked only while n^(t − earliest step) stays within this.
SHIFTED_BUDGET = 300
#: Exact checking of the formula's side is skipped (randomized identity test instead) when
#: it multiplies more matrices than the Jacobian does (2(t − k) factors) plus 2, and
#: ``n^(factors + 1)`` — the rough size of its expanded entries — exceeds this.
FORMULA_EXACT_BUDGET = 3000
#: Both whole matrices are shown at a counterexample only while n^(2(t − k) + 1) is within.
DISPLAY_BUDGET = 20000
#: Most matrices one term of a formula may multiply at a pair (beyond: rejected).
MAX_FACTORS_PER_PAIR = 96
#: Formulas multiplying more matrices than this (at the sample pairs) are not diagnosed.
MAX_DIAGNOSIS_FACTORS = 24
ORDERS = ("largest-left", "smallest-left")
#: The true Jacobian's (σ' argument, order) for each (form, layout).
CORRECT = {
    ("A", "numerator"): ("i-1", "largest-left"),
    ("A", "denominator"): ("i-1", "smallest-left"),
    ("B", "numerator"): ("i", "largest-left"),
    ("B", "denominator"): ("i", "smallest-left"),
}
#: The factor shape (W transposed?, diag on the left?) of each (form, layout).
SHAPES = {
    ("A", "numerator"): (False, False),
    ("A", "denominator"): (True, True),
    ("B", "numerator"): (False, True),
    ("B", "denominator"): (True, False),
}


@dataclass(frozen=True)
class Convention:
    """One of the 16 conventions (form, layout, σ' argument, product order).

    >>> Convention("A", "numerator", "i-1", "largest-left").correct
    True
    """

    form: str
    layout: str
    sigma_at: str
    order: str | None  # None: a one-step formula (order does not apply)

    @property
    def correct(self) -> bool:
        """True when this convention is the true Jacobian of its form and layout."""
        want = CORRECT[(self.form, self.layout)]
        return self.sigma_at == want[0] and (self.order is None or self.order == want[1])

    def __str__(self) -> str:
        order = {"largest-left": "largest index leftmost", "smallest-left": "smallest index "
                 "leftmost", None: "order n/a (one step)"}[self.order]
        return f"form {self.form}, {self.layout} layout, σ' at {self.sigma_at}, {order}"


@dataclass(frozen=True)
class Template:
    """A product of factors ``W_rec`` or ``W_recᵀ`` times ``D`` on the left or right, with
    σ' at ``i-1`` or ``i``, in one order (``None`` for a one-step factor).

    >>> Template("A", True, False, "i-1", None).text()
    'W.T @ D[i-1]'
    >>> Template("B", True, False, "i", "smallest-left").text()
    'prod_up(i, k+1, t, W.T @ D[i])'
    """

    form: str
    transposed: bool
    diag_left: bool
    sigma_at: str
    order: str | None

    def factor(self) -> str:
        """The one-step factor in the formula language.

        >>> Template("B", False, True, "i", None).factor()
        'D[i] @ W'
        """
        w = "W.T" if self.transposed else "W"
        d = f"D[{self.sigma_at}]"
        return f"{d} @ {w}" if self.diag_left else f"{w} @ {d}"

    def text(self) -> str:
        """The template as a formula (a product unless one-step).

        >>> Template("A", False, False, "i-1", "largest-left").text()
        'prod_down(i, t, k+1, W @ D[i-1])'
        """
        if self.order is None:
            return self.factor()
        if self.order == "largest-left":
            return f"prod_down(i, t, k+1, {self.factor()})"
        return f"prod_up(i, k+1, t, {self.factor()})"

    def formula(self) -> Formula:
        """The parsed template.

        >>> Template("A", False, False, "i-1", None).formula().one_step
        True
        """
        return parse(self.text())

    @property
    def layout(self) -> str | None:
        """The layout whose factor shape this is in its form, or None."""
        for layout in LAYOUTS:
            if SHAPES[(self.form, layout)] == (self.transposed, self.diag_left):
                return layout
        return None

    @property
    def convention(self) -> Convention | None:
        """The convention this template is, or None (no layout's factor shape)."""
        layout = self.layout
        return None if layout is None else Convention(self.form, layout, self.sigma_at, self.order)


@dataclass(frozen=True)
class Nearest:
    """A true convention near a matched template, and how the candidate differs from it."""

    template: Template
    convention: Convention
    differences: tuple[str, ...]

    def describe(self) -> str:
        """One line: the true convention and the differences.

        >>> Nearest(Template("A", True, False, "i-1", None),
        ...         Convention("A", "numerator", "i-1", None), ("transposed W_rec",)).describe()
        'form A, numerator layout: transposed W_rec'
        """
        return (f"form {self.convention.form}, {self.convention.layout} layout: "
                + ", ".join(self.differences))


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
            lines.extend(f"  - {near.describe()}  (true: {_true_text(near.convention)})"
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
                         "true_formula": _true_text(n.convention),
                         "differences": list(n.differences)} for n in self.nearest],
            "notes": list(self.notes),
            "scope": self.scope,
        }


def _true_text(c: Convention) -> str:
    sigma_at, order = CORRECT[(c.form, c.layout)]
    t, d = SHAPES[(c.form, c.layout)]
    return Template(c.form, t, d, sigma_at, None if c.order is None else order).text()


def templates(form: str, one_step: bool) -> list[Template]:
    """Every template of ``form`` (8 one-step factors, or 16 products).

    >>> len(templates("A", True)), len(templates("B", False))
    (8, 16)
    """
    orders: Iterable = (None,) if one_step else ORDERS
    return [Template(form, tr, dl, s, o) for tr in (False, True) for dl in (False, True)
            for s in SIGMA_AT for o in orders]


def _differences(t: Template, c: Convention) -> tuple[str, ...]:
    want_t, want_d = SHAPES[(c.form, c.layout)]
    want_s, want_o = CORRECT[(c.form, c.layout)]
    out = []
    if t.transposed != want_t:
        out.append("transposed W_rec" if t.transposed else "W_rec where W_recᵀ is needed")
    if t.diag_left != want_d:
        out.append("diag(σ') on the other side of W_rec")
    if t.sigma_at != want_s:
        out.append("σ' one step late (at i, not i-1)" if t.sigma_at == "i"
                   else "σ' one step early (at i-1, not i)")
    if t.order is not None and t.order != want_o:
        out.append("reversed product order")
    return tuple(out)


def _sample_pairs(one_step: bool, T: int) -> list[tuple[int, int]]:
    if one_step:
        return [(t, t - 1) for t in range(2, T + 1)]
    return [(t, k) for t in range(2, T + 1) for k in range(1, t)]


def _evaluate(formula: Formula, rnn: RNN, t: int, k: int, base: int):
    """The formula's matrix at (t, k) on the network based at ``base``, or a reason."""
    net = rnn.with_base(base)
    try:
        return formula.candidate()(net, t, k), None
    except (InvalidInputError, FormulaError) as exc:
        return None, str(exc)


def diagnose(formula: Formula | str, *, n: int = 2, T: int = 3, activation: str = "generic",
             seed: int = 0) -> Diagnosis:
    """Diagnose a formula: every template and convention it matches, where it is the true
    Jacobian, and the nearest true conventions with the differences.

    Comparisons are exact (:func:`derive.prove.prove_equal`) at size ``n`` over the pairs
    ``1 <= k < t <= T`` (one-step formulas: ``t = k + 1``), both sides evaluated on the
    network based at step ``k − 1`` (so that ``x_{k}`` of form B, the pre-activation before
    the base, is defined: equality along every trajectory).

    >>> d = diagnose("prod_down(i, t, k+1, W @ D[i-1])")
    >>> d.holds_in
    (('A', 'numerator'),)
    >>> diagnose("prod_up(i, k+1, t, W @ D[i-1])").nearest[0].describe()
    'form A, numerator layout: reversed product order'
    """
    from .prove import prove_equal  # noqa: PLC0415

    f = parse(formula) if isinstance(formula, str) else formula
    if not isinstance(f, Formula):
        raise InvalidInputError(f"diagnose takes a formula (text or Formula), got {type(f).__name__}")
    need_T = 2 if f.one_step else 3
    if isinstance(T, bool) or not isinstance(T, int) or T < need_T:
        raise InvalidInputError(f"T={T!r} is too small for a diagnosis; use T >= {need_T}")
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
        values = {}
        for t, k in pairs:
            value, reason = _evaluate(f, rnn, t, k, k - 1)
            if value is None:
                notes.append(f"form {form}: the formula cannot be evaluated at (t, k)=({t}, {k}):"
                             f" {reason}")
                break
            values[(t, k)] = value
        else:
            for tpl in templates(form, f.one_step):
                tf = tpl.formula()
                ok = True
                for t, k in pairs:
                    other, _ = _evaluate(tf, rnn, t, k, k - 1)
                    res = prove_equal(values[(t, k)], other, method="exact", seed=seed)
                    if not res.holds:
                        ok = False
                        break
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
                options.append(Nearest(tpl, c, _differences(tpl, c)))
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
    from .prove import prove_equal  # noqa: PLC0415

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


# --------------------------------------------------------------------------------------
# Checking a formula in one convention
# --------------------------------------------------------------------------------------
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


def check_formula(formula: Formula | str, *, form: str = "A", layout: str = "numerator",
                  n: int = 2, m: int = 1, T: int = 3, activation: str = "generic",
                  method: str = "auto", seed: int = 0) -> Result:
    """Is the formula ``∂s_t/∂s_k`` (state ``s``: form A ``x``, form B ``h``) in ``layout``,
    for every pair it speaks about (one-step: ``t = k + 1``; else ``0 <= k < t <= T``)?

    Pairs where the formula reads only steps ``>= k`` go to
    :func:`derive.jacobian.check_jacobian` (method ``method``); pairs where it reads an
    earlier step (e.g. form B's pre-activation ``x_k``) are compared along trajectories:
    the direct Jacobian with ``s_k`` replaced by its expression in the earliest step read.

    >>> check_formula("W @ D[i-1]").verdict.value
    'proved'
    >>> r = check_formula("W.T @ D[i-1]")
    >>> r.verdict.value, r.counterexample.data["t"], r.counterexample.data["k"]
    ('refuted', 1, 0)
    """
    from .jacobian import check_jacobian  # noqa: PLC0415 (D1a's module)
    from .prove import prove_equal  # noqa: PLC0415

    f = parse(formula) if isinstance(formula, str) else formula
    check_layout(layout)
    rnn = RNN(n, m, T, activation, form)
    candidate = in_layout(f.candidate(), layout)
    normal, shifted, skipped, over_budget = [], [], [], []
    heavy = False  # some pair's formula is far larger than its Jacobian
    for t, k in f.pairs(T):
        base = _needed_base(f, form, t, k, T)
        if base is None:
            skipped.append((t, k))
            continue
        factors = f.factor_count(t, k)
        if factors > MAX_FACTORS_PER_PAIR:
            raise FormulaError(
                f"{f.text()} multiplies {factors} matrices in one term at (t, k) = ({t}, {k});"
                f" at most {MAX_FACTORS_PER_PAIR} are allowed (a Jacobian needs 2(t - k))"
            )
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
            "check the indices, or raise --T"
        )
    budget_note = (f"; {len(over_budget)} pair(s) reading before the base not checked "
                   "(beyond the exact budget)" if over_budget else "")
    if not normal and not shifted:
        return Result(Verdict.UNDECIDED, "exact expansion",
                      f"form {form}, {layout} layout, n={n}, m={m}, T={T}{budget_note}",
                      f"{f.text()} reads steps before the base state at every pair, and every "
                      "such comparison is beyond the exact budget; use a smaller n or T")
    results = []
    if normal and method == "auto" and heavy:
        results.append(_randomized(rnn, candidate, normal, seed))
    elif normal:
        results.append(check_jacobian(rnn, candidate, method=method, pairs=normal, seed=seed))
    for t, k, base in shifted:
        if results and results[-1].verdict is Verdict.REFUTED:
            break
        net = rnn.with_base(base)
        direct = _direct_from(rnn, t, k, base)
        res = prove_equal(direct, candidate(net, t, k), method="exact", seed=seed)
        if res.verdict is Verdict.REFUTED:
            c = res.counterexample
            cex = Counterexample(c.assignment, c.lhs, c.rhs,
                                 where=f"(t, k) = ({t}, {k}), {c.where}".rstrip(", "),
                                 note=f"lhs is the direct Jacobian's entry, rhs the formula's; "
                                 f"along a trajectory from step {base}; {c.note}",
                                 data={**(c.data or {}), "t": t, "k": k, "base": base})
            res = Result(res.verdict, res.method, res.scope, res.evidence, cex)
        results.append(res)
    combined = Result.combine(results)
    if over_budget and combined.holds:
        combined = Result(Verdict.UNDECIDED, combined.method, combined.scope,
                          f"equal at the {len(normal) + len(shifted)} pair(s) checked, but "
                          f"{len(over_budget)} pair(s) reading before the base are beyond the "
                          "exact budget; use a smaller n or T to decide every pair",
                          details=combined.details)
    shape = f"{'one-step ' if f.one_step else ''}pairs"
    scope = (f"form {form}, {layout} layout, n={n}, m={m}, T={T}, {activation} σ; "
             f"{len(normal) + len(shifted)} {shape} checked"
             + (f" ({len(shifted)} along trajectories from an earlier step)" if shifted else "")
             + (f"; {len(skipped)} pair(s) skipped (reads outside 0..T)" if skipped else "")
             + budget_note
             + (f"; {combined.scope}" if "randomized" in combined.method else ""))
    verb = {"proved": "equals", "refuted": "differs from", "confirmed": "agrees with",
            "undecided": "was not decided against"}[combined.verdict.value]
    letter = "x" if form == "A" else "h"
    cex = combined.counterexample
    if cex is not None:
        cex = _in_user_layout(cex, f, rnn, layout,
                              display=not heavy)
    detail = "" if combined.verdict in (Verdict.PROVED, Verdict.REFUTED) else combined.evidence
    jac = f"the direct Jacobian ∂{letter}_t/∂{letter}_k"
    if cex is not None:
        evidence = f"{f.text()} {verb} {jac} at {cex.where}"
    else:
        evidence = f"{f.text()} {verb} {jac} ({layout} layout)" + (f": {detail}" if detail else "")
    return Result(combined.verdict, combined.method, scope, evidence, cex, tuple(results))


def _too_big(n: int, factors: int, t: int, k: int) -> bool:
    """True when the formula at (t, k) is much larger than the Jacobian and beyond the
    exact budget (see :data:`FORMULA_EXACT_BUDGET`).

    >>> _too_big(6, 9, 1, 0), _too_big(3, 8, 4, 0)
    (True, False)
    """
    return factors > 2 * (t - k) + 2 and n ** (factors + 1) > FORMULA_EXACT_BUDGET


def _randomized(rnn: RNN, candidate, pairs, seed: int) -> Result:
    """The randomized identity test for a formula too large to expand exactly."""
    try:
        from .identity import randomized_check_jacobian  # noqa: PLC0415 (D2's module)
    except ImportError:
        return Result(Verdict.UNDECIDED, "exact expansion", "none",
                      "the formula is beyond the exact budget and no randomized backend "
                      "(derive.identity) is available")
    return randomized_check_jacobian(rnn, candidate, pairs=pairs, seed=seed, exact_fallback=False)


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
    import sympy as sp  # noqa: PLC0415

    from .prove import is_generic_function, substitute  # noqa: PLC0415

    data = dict(cex.data or {})
    t, k = data.get("t"), data.get("k")
    if t is None or k is None:
        return cex
    base = data.get("base", k)
    entry = data.get("entry")
    if entry is not None and layout == "denominator":
        entry = (entry[1], entry[0])
    where = f"(t, k) = ({t}, {k})" + (f", entry {entry} in {layout} layout" if entry else "")
    try:
        if not display or not isinstance(data.get("subs"), dict) or \
                rnn.n ** (2 * (t - base) + 1) > DISPLAY_BUDGET:
            raise LookupError("no display")
        jac = _direct_from(rnn, t, k, base)
        jac = jac if layout == "numerator" else jac.T
        mine = f.candidate()(rnn.with_base(base), t, k)
        point = {"subs": data.get("subs", {}),
                 "function_values": dict(data.get("function_values", {}))}
        for _ in range(8):  # give the generic applications the certified entry did not need
            jac_at, mine_at = substitute(jac, point), substitute(mine, point)
            free = sorted({a for v in list(jac_at) + list(mine_at)
                           for a in v.atoms(sp.Function)
                           if is_generic_function(a.func) and a.args[0].is_Rational},
                          key=sp.default_sort_key)
            if not free:
                break
            used = len(point["function_values"])
            point["function_values"].update(
                {a: sp.Rational(used + i + 1, 2) for i, a in enumerate(free)})
        if all(v.is_Rational for v in list(jac_at) + list(mine_at)):
            data["jacobian_at_point"], data["formula_at_point"] = jac_at, mine_at
            data["function_values_full"] = point["function_values"]
    except Exception:  # noqa: BLE001 - the display is optional; the certified entry stands
        pass
    lhs, rhs = cex.lhs, cex.rhs
    if data.get("kind") == "modular":  # the randomized test lists the candidate first
        lhs, rhs = rhs, lhs
        data["lhs"], data["rhs"] = data.get("rhs"), data.get("lhs")
    data.update({"entry": entry, "layout": layout})
    return Counterexample(cex.assignment, lhs, rhs, where=where, note=cex.note, data=data)


__all__ = [
    "Convention", "Template", "Nearest", "Diagnosis", "CORRECT", "SHAPES", "SHIFTED_BUDGET",
    "FORMULA_EXACT_BUDGET", "MAX_FACTORS_PER_PAIR",
    "templates", "diagnose", "check_formula",
]
