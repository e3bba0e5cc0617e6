"""``check_gradient_formula``: is a user's formula the gradient ∂E_t/∂θ (or ∂⁺x_k/∂θ, ∂x_t/∂θ, ∂E/∂θ)?

The formula (language: :func:`derive.formula.parse_gradient`) is evaluated on a
:class:`GradientNet` — the symbolic network of :mod:`derive.network` plus the gradient
names ``dE[t]`` (∂E_t/∂x_t, the loss differentiated at the composed state), ``dplus[k]``
(the immediate partial ∂⁺x_k/∂θ) and ``z[k]`` (the column ``[W_rec W_in b]`` multiplies).
The other side is DIRECT differentiation of the composed network (:mod:`derive.gradients`:
SymPy ``diff`` of E_t as a function of the entries of θ, no chain rule assumed). The two
are compared by :func:`derive.prove.prove_equal` — the one decision policy
(:mod:`derive.policy`): exact within budget, then randomized with its error probability,
then a certified counterexample.

What is compared (``what``):

* ``total``: ∂E_t/∂θ for every 1 <= t <= T (the formula may use t);
* ``sum``: ∂E/∂θ with E = Σ_t E_t (the formula may use T, not t);
* ``immediate``: ∂⁺x_k/∂θ for every 1 <= k <= T (the formula uses k);
* ``state``: ∂x_t/∂θ for every 1 <= t <= T.

θ is ``W_rec``, ``W_in``, ``b`` or ``W`` = [W_rec W_in b] (n × (n+m+1)), taken ``whole``:
``matrix`` (the gradient as a matrix of θ's shape, entry (i, j) = ∂E/∂θ_ij: total and sum
only), ``vec-row`` (θ flattened row by row) or ``vec-col`` (column by column, the usual
vec), in ``layout`` numerator (∂E/∂vec θ a 1 × p row; ∂x/∂vec θ n × p) or denominator (the
transpose); or one ``entry`` (i, j), 1-based (a 1×1, or an n×1 column for immediate/state).

>>> r = check_gradient_formula("sum(k, 1, t, dE[t] @ prod_down(i, t, k+1, W @ D[i-1]) @ dplus[k])")
>>> r.verdict.value
'proved'
>>> check_gradient_formula("sum(k, 1, t, (dE[t] @ prod_down(i, t, k+1, W @ D[i-1])).T @ h[k-1].T)",
...                        whole="matrix").verdict.value
'proved'
>>> check_gradient_formula("sum(k, 1, t, (dE[t] @ prod_down(i, t, k+1, W @ D[i-1])).T @ h[k].T)",
...                        whole="matrix").verdict.value
'refuted'
"""
from __future__ import annotations

import sympy as sp

from rnncore.errors import FormulaError, InvalidInputError
from rnncore.results import Counterexample, Location, Method, MethodKind, Result, Scope, Span, Verdict
from rnncore.validate import check_seed, check_size

from .formula import GradientFormula, parse_gradient
from .gradients import (as_loss, immediate_gradient, loss_gradient, loss_state_gradient,
                        state_gradient, total_gradient)
from .network import RNN
from .prove import prove_equal

#: The parameters a gradient formula may be about (``W`` is the stacked [W_rec W_in b]).
GRADIENT_THETAS = ("W_rec", "W_in", "b", "W")
#: What is differentiated (see the module docstring).
WHATS = ("total", "sum", "immediate", "state")
#: How θ is taken whole.
WHOLES = ("matrix", "vec-row", "vec-col")
#: Largest sizes of a gradient check: the direct side differentiates the composed network
#: symbolically (every entry of θ through every step), which grows like n^T.
MAX_GRADIENT_N, MAX_GRADIENT_T = 4, 8

_SHAPES = {"W_rec": ("n", "n"), "W_in": ("n", "m"), "b": ("n", "1"), "W": ("n", "q")}
_P = {"W_rec": "n*n", "W_in": "m*n", "b": "n", "W": "n*q"}


def _choice(name: str, value, allowed) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise InvalidInputError(f"{name}={value!r} is not allowed; use one of {', '.join(allowed)}")
    return value


def theta_entries(theta: str, n: int, m: int, whole: str = "vec-row") -> list[tuple[int, int]]:
    """The entries (i, j) of θ (0-based) in the order of the vec convention.

    >>> theta_entries("W_rec", 2, 1), theta_entries("W_rec", 2, 1, "vec-col")
    ([(0, 0), (0, 1), (1, 0), (1, 1)], [(0, 0), (1, 0), (0, 1), (1, 1)])
    """
    rows, cols = n, {"W_rec": n, "W_in": m, "b": 1, "W": n + m + 1}[theta]
    if whole == "vec-col":
        return [(i, j) for j in range(cols) for i in range(rows)]
    return [(i, j) for i in range(rows) for j in range(cols)]


def _block(theta: str, j: int, n: int, m: int) -> tuple[str, int, int]:
    """The parameter block, its width and the column within it of θ's column j."""
    if theta != "W":
        return theta, {"W_rec": n, "W_in": m, "b": 1}[theta], j
    if j < n:
        return "W_rec", n, j
    if j < n + m:
        return "W_in", m, j - n
    return "b", 1, 0


def _reorder(blocks: dict, theta: str, n: int, m: int, whole: str) -> sp.Matrix:
    """Columns of the direct derivative (per block, row-major vec) in the entries' order."""
    cols = []
    for i, j in theta_entries(theta, n, m, whole):
        name, width, c = _block(theta, j, n, m)
        cols.append(blocks[name][:, i * width + c])
    return sp.Matrix.hstack(*cols)


class GradientNet:
    """The symbolic network with the names of gradient formulas (``dims``, ``dE``,
    ``dplus``, ``z``); everything else is the :class:`derive.network.RNN`'s.

    >>> g = GradientNet(RNN(2, 1, 2), "b", "generic", "vec-row")
    >>> g.dplus(1)
    Matrix([
    [1, 0],
    [0, 1]])
    >>> g.z(1).shape, g.dims["q"]
    ((4, 1), 4)
    """

    def __init__(self, rnn: RNN, theta: str, loss, whole: str) -> None:
        self._rnn, self.theta, self.loss, self.whole = rnn, theta, as_loss(loss), whole
        n, m = rnn.n, rnn.m
        self.dims = {"n": n, "m": m, "q": n + m + 1, "1": 1}
        self.dims["p"] = len(theta_entries(theta, n, m))

    def __getattr__(self, name):
        return getattr(self._rnn, name)

    def dE(self, t: int) -> sp.Matrix:
        """∂E_t/∂x_t (1 × n), the loss differentiated at the composed state."""
        return sp.Matrix(loss_state_gradient(self._rnn, self.loss, t))

    def dplus(self, k: int) -> sp.Matrix:
        """∂⁺x_k/∂θ (n × p, columns in the vec convention; the matrix layout reads vec-row)."""
        whole = "vec-row" if self.whole == "matrix" else self.whole
        return _reorder(_blocks(self._rnn, self.theta, "immediate", k), self.theta, self.n,
                        self.m, whole)

    def z(self, k: int) -> sp.Matrix:
        """[σ(x_{k−1}); u_k; 1] (form B: [h_{k−1}; u_k; 1])."""
        prev = self._rnn.state(k - 1)
        h = prev if self.form == "B" else self._rnn.sigma(prev)
        return h.col_join(self._rnn.u(k)).col_join(sp.Matrix([[1]]))


def _blocks(net: RNN, theta: str, what: str, step: int | None, loss: str = "generic") -> dict:
    names = ("W_rec", "W_in", "b") if theta == "W" else (theta,)
    out = {}
    for name in names:
        if what == "total":
            out[name] = loss_gradient(net, loss, step, name)
        elif what == "sum":
            out[name] = total_gradient(net, loss, name)
        elif what == "immediate":
            out[name] = immediate_gradient(net, step, name)
        else:
            out[name] = state_gradient(net, step, name)
    return out


def direct_gradient(net: RNN, theta: str, what: str, step: int | None, *, loss="generic",
                    whole: str = "vec-row", layout: str = "numerator",
                    entry: tuple[int, int] | None = None) -> sp.Matrix:
    """The direct derivative in the statement's convention (module docstring).

    >>> direct_gradient(RNN(1, 1, 1), "b", "total", 1)
    Matrix([[dL_1(b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x_{0,1}))]])
    """
    blocks = _blocks(net, theta, what, step, as_loss(loss).name)
    n, m = net.n, net.m
    if entry is not None:
        i, j = entry
        name, width, c = _block(theta, j, n, m)
        out = blocks[name][:, i * width + c]
        return out if layout == "numerator" or out.shape == (1, 1) else out.T
    if whole == "matrix":
        rows, cols = n, {"W_rec": n, "W_in": m, "b": 1, "W": n + m + 1}[theta]
        row = _reorder(blocks, theta, n, m, "vec-row")
        return sp.Matrix(rows, cols, list(row))
    out = _reorder(blocks, theta, n, m, whole)
    return out if layout == "numerator" else out.T


def expected_shape(theta: str, what: str, whole: str, layout: str, entry) -> tuple:
    """The symbolic shape the formula must have.

    >>> expected_shape("W_in", "total", "vec-col", "numerator", None)
    ('1', 'm*n')
    """
    row = what in ("total", "sum")
    if entry is not None:
        shape = ("1", "1") if row else ("n", "1")
    elif whole == "matrix":
        shape = _SHAPES[theta]
    else:
        shape = ("1" if row else "n", _P[theta])
    return shape if layout == "numerator" or whole == "matrix" else shape[::-1]


def _shape_text(shape) -> str:
    return f"{shape[0]}×{shape[1]}"


def check_gradient_formula(formula: "GradientFormula | str", *, theta: str = "W_rec",
                           what: str = "total", whole: str = "vec-row",
                           entry: tuple[int, int] | None = None, layout: str = "numerator",
                           form: str = "A", activation: str = "generic", loss="generic",
                           n: int = 2, m: int = 1, T: int = 3, method: str = "auto",
                           seed: int | None = None) -> Result:
    """Decide a gradient formula against direct differentiation (module docstring).

    ``entry``: (i, j), 1-based. Steps where the formula reads outside the network are
    skipped and named; then the verdict is never "holds" (undecided).

    >>> r = check_gradient_formula("dE[t] @ dplus[t]")   # only the k = t term of eq. 11
    >>> r.verdict.value, r.counterexample.location.t
    ('refuted', 2)
    >>> check_gradient_formula("kron(I, h[k-1].T)", what="immediate").verdict.value
    'proved'
    """
    theta = _choice("theta", theta, GRADIENT_THETAS)
    what = _choice("what", what, WHATS)
    whole = _choice("whole", whole, WHOLES)
    layout = _choice("layout", layout, ("numerator", "denominator"))
    form = _choice("form", form, ("A", "B"))
    n = check_size("n", n, MAX_GRADIENT_N, "the budget of a gradient check (symbolic "
                   "differentiation of the composed network)")
    T = check_size("T", T, MAX_GRADIENT_T, "the budget of a gradient check (symbolic "
                   "differentiation of the composed network)")
    m = check_size("m", m, 4, "the budget of a gradient check")
    check_seed(seed)
    loss_name = as_loss(loss).name
    if whole == "matrix" and what in ("immediate", "state") and entry is None:
        raise InvalidInputError(
            f"∂x/∂θ ({what}) is not a matrix of θ's shape; use whole='vec-row' or 'vec-col', "
            "or one entry")
    rows, cols = n, {"W_rec": n, "W_in": m, "b": 1, "W": n + m + 1}[theta]
    if entry is not None:
        if (not isinstance(entry, (tuple, list)) or len(entry) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) for v in entry)
                or not (1 <= entry[0] <= rows and 1 <= entry[1] <= cols)):
            raise InvalidInputError(
                f"entry={entry!r} is not an entry of {theta} ({rows}×{cols} at n={n}, m={m}); "
                f"give (i, j) with 1 <= i <= {rows}, 1 <= j <= {cols}")
    f = formula if isinstance(formula, GradientFormula) else parse_gradient(formula, _P[theta])
    want = expected_shape(theta, what, whole, layout, entry)
    got = tuple(_subst_p(d, _P[theta]) for d in f.shape)
    if got != want and not (want == ("1", "1") and got == ()):
        conv = f"entry {entry}" if entry else f"whole={whole}, layout={layout}"
        raise FormulaError(
            f"{f.text()} is {_shape_text(got)}, but {_statement(theta, what, form)} ({conv}) is "
            f"{_shape_text(want)}; check the transposes or pass the convention you mean")
    var = {"total": "t", "state": "t", "immediate": "k", "sum": None}[what]
    allowed = {var, "T"} - {None}
    bad = sorted(f.free - allowed)
    if bad:
        raise FormulaError(
            f"index {bad[0]!r} is not bound in {f.text()}; {_statement(theta, what, form)} may use "
            f"{', '.join(sorted(allowed))} (bind others with sum(..) or prod_down(..))")
    rnn = RNN(n, m, T, activation, form)
    gnet = GradientNet(rnn, theta, loss_name, whole)
    steps = [None] if var is None else list(range(1, T + 1))
    results, skipped, where = [], [], []
    ent = None if entry is None else (entry[0] - 1, entry[1] - 1)
    for step in steps:
        env = {"T": T} if step is None else {var: step, "T": T}
        try:
            cand = f.evaluate(gnet, env)
        except InvalidInputError as exc:
            if isinstance(exc, FormulaError) and "needs" in str(exc):
                raise
            skipped.append(step)
            where.append(str(exc).split(";")[0])
            continue
        direct = direct_gradient(rnn, theta, what, step, loss=loss_name, whole=whole,
                                 layout=layout, entry=ent)
        res = prove_equal(direct, cand, method=method, seed=seed)
        if res.verdict is Verdict.REFUTED and res.counterexample is not None:
            c = res.counterexample
            res = res.with_(counterexample=Counterexample(
                c.point, c.lhs, c.rhs, relation=c.relation,
                location=Location(t=step if var in ("t", None) else None,
                                  k=step if var == "k" else None, entry=c.location.entry,
                                  layout=layout),
                note=f"lhs is the direct derivative's entry, rhs the formula's; {c.note}".strip("; "),
                data={**(c.data or {}), var or "t": step}))
        results.append((step, res))
        if res.verdict is Verdict.REFUTED:
            break
    letter = "x" if form == "A" else "h"
    checked = len(results)
    scope = Scope(spans=(Span("n", n, n), Span("m", m, m), Span("T", T, T)),
                  activations=(activation,), forms=(form,), layouts=(layout,), losses=(loss_name,),
                  checked=checked, skipped=len(skipped),
                  skipped_what=(f"{len(skipped)} step(s) {var} = {', '.join(map(str, skipped))} where "
                                f"the formula reads outside the network ({where[0]})" if skipped else ""),
                  note=f"{checked} step(s) {'' if var is None else var + ' '}checked")
    if not results:
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "direct differentiation"), scope,
                      f"{f.text()} reads outside the network at every step ({where[0]}); nothing "
                      "was checked — check the indices or raise T")
    combined = Result.combine([r for _, r in results])
    stmt = _statement(theta, what, form)
    conv = f"entry {entry}" if entry else (f"as a matrix" if whole == "matrix" else
                                           f"{whole}, {layout} layout")
    if combined.verdict is Verdict.REFUTED:
        cex = combined.counterexample
        step = next(s for s, r in results if r.verdict is Verdict.REFUTED)
        at = "" if step is None else f" at {var} = {step}"
        ev = (f"{f.text()} differs from {stmt} ({conv}){at}"
              + (f", entry {cex.location.entry}" if cex is not None and cex.location.entry else ""))
        return Result(Verdict.REFUTED, combined.method, scope, ev, cex,
                      tuple(r for _, r in results), data={"seed": seed})
    if combined.holds and skipped:
        return Result(Verdict.UNDECIDED, combined.method, scope,
                      f"{f.text()} equals {stmt} ({conv}) at the {checked} step(s) checked, but "
                      f"{scope.skipped_what} were not checked; nothing is claimed for them",
                      details=tuple(r for _, r in results), data={"seed": seed})
    verb = {"proved": "equals", "confirmed": "agrees with", "undecided": "was not decided against"}[
        combined.verdict.value]
    ev = f"{f.text()} {verb} {stmt} ({conv}), direct differentiation of the unrolled network"
    if combined.verdict is not Verdict.PROVED:
        ev += f": {combined.evidence}"
    return Result(combined.verdict, combined.method, scope, ev, None,
                  tuple(r for _, r in results), data={"seed": seed})


def _subst_p(dim: str, p: str) -> str:
    factors = []
    for f in dim.split("*"):
        factors.extend(p.split("*") if f == "p" else [f])
    factors = sorted(x for x in factors if x != "1")
    return "*".join(factors) if factors else "1"


def _statement(theta: str, what: str, form: str) -> str:
    s = "x" if form == "A" else "h"
    th = "[W_rec W_in b]" if theta == "W" else theta
    return {"total": f"∂E_t/∂{th}", "sum": f"∂E/∂{th}", "immediate": f"∂⁺{s}_k/∂{th}",
            "state": f"∂{s}_t/∂{th}"}[what]


__all__ = ["check_gradient_formula", "direct_gradient", "GradientNet", "theta_entries",
           "expected_shape", "GRADIENT_THETAS", "WHATS", "WHOLES", "MAX_GRADIENT_N",
           "MAX_GRADIENT_T"]
