"""One-step Jacobians of the cells beyond the blog's RNN: direct (dual numbers), closed forms,
the product rule and the sum over paths, written once over an arithmetic.

The **direct** side runs the cell's step function (:mod:`rnnmodel.cells`) on dual numbers
(:mod:`rnnmodel.dual`) seeded on one component of the past state at a time: no matrix chain
rule is assumed. The **closed forms** are the hand derivations, as matrices built from the
forward pass's gate values. Both run in any arithmetic: in SymPy (symbolic weights, states and
inputs; the activation generic or tanh) an exact difference of zero is a proof, and at an exact
rational point in Arb balls (:data:`rnnmodel.balls.BALLS`) a difference whose ball excludes 0
is a certified counterexample.

A Jacobian is a dict of blocks ``{(output, input): matrix}`` named by the state's components
(:data:`COMPONENTS`): LSTM ``("h", "c")``; the stacked cell ``("x1", "x2")``; the skip
connection's inputs are the two past states ``"x[t-1]"`` and ``"x[t-2]"``.

Closed forms (σ the candidate/output activation, s(·) the gate sigmoid, D(z) = diag(σ'(z)),
⊙ elementwise, diag(v) M scales the rows of M):

* LSTM, with a_q the pre-activations and c = c_{t−1}:
  ``∂c_t/∂c_{t−1} = diag(f)``,
  ``∂c_t/∂h_{t−1} = diag(c ⊙ f(1−f)) W_f + diag(g ⊙ i(1−i)) W_i + diag(i ⊙ σ'(a_g)) W_g``,
  ``∂h_t/∂c_{t−1} = diag(o ⊙ σ'(c_t) ⊙ f)``,
  ``∂h_t/∂h_{t−1} = diag(σ(c_t) ⊙ o(1−o)) W_o + diag(o ⊙ σ'(c_t)) ∂c_t/∂h_{t−1}``;
* GRU (h_t = (1−z) ⊙ h + z ⊙ h̃), with A = W_h diag(r) + W_h diag(h ⊙ r(1−r)) W_r:
  ``∂h_t/∂h = diag(1−z) + diag((h̃ − h) ⊙ z(1−z)) W_z + diag(z ⊙ σ'(a_h)) A``;
  GRU-cho (h_t = z ⊙ h + (1−z) ⊙ h̃): ``diag(z) + diag((h − h̃) ⊙ z(1−z)) W_z +
  diag((1−z) ⊙ σ'(a_h)) A``;
* stacked form A: ``[[W_rec D(x¹), 0], [W_in2 D(x¹_t) W_rec D(x¹), W_rec2 D(x²)]]``;
* skip connection: ``∂x_t/∂x_{t−1} = W_rec D(x_{t−1})``, ``∂x_t/∂x_{t−2} = U D(x_{t−2})``
  (partials), and over many steps the sum over paths
  ``J_{t,k} = W_rec D(x_{t−1}) J_{t−1,k} + U D(x_{t−2}) J_{t−2,k}``, J_{k,k} = I, J_{k−1,k} = 0.

>>> pt = symbolic_point("A-skip", 1)
>>> d = direct_blocks(SYMPY, pt)
>>> d[("x", "x[t-2]")]
Matrix([[U_{1,1}*dsigma(x[t-2]_{1})]])
>>> exact_difference(SYMPY, pt, CLOSED_FORMS["A-skip"]) is None
True
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, Callable, Mapping

import flint
import numpy as np
import sympy as sp

from rnncore.errors import InvalidInputError
from rnncore.validate import check_size
from rnnmodel.activations import ACTIVATIONS, Activation, activation
from rnnmodel.balls import BALLS
from rnnmodel.cells import Cell, named
from rnnmodel.dual import Dual, DualArithmetic, seed
from rnnmodel.exact import SYMPY

from .sympy_lists import LISTS, Entries, entries

#: The components of each cell's state (outputs), and of the past it reads (inputs).
COMPONENTS: dict[str, tuple[str, ...]] = {
    "A": ("x",), "B": ("h",), "LSTM": ("h", "c"), "GRU": ("h",), "GRU-cho": ("h",),
    "A-stacked": ("x1", "x2"), "A-skip": ("x",),
}
#: Largest hidden size of an exact one-step proof (the expressions grow like n² per entry).
MAX_N = 4
_SIG = ACTIVATIONS["sigmoid"]


def inputs_of(name: str) -> tuple[str, ...]:
    """The input components of a cell's one-step Jacobian (one per past state and part).

    >>> inputs_of("A-skip"), inputs_of("LSTM")
    (('x[t-1]', 'x[t-2]'), ('h', 'c'))
    """
    c = named(name)
    if c.reads == 2:
        return ("x[t-1]", "x[t-2]")
    return COMPONENTS[name]


@dataclass(frozen=True)
class CellPoint:
    """A cell with its parameters, past states and input, in one arithmetic's values
    (``exact``: the same point as rationals, None for a symbolic point).

    >>> symbolic_point("GRU", 1).params["W_z"]
    Matrix([[W_z_{1,1}]])
    """

    cell: Cell
    act: Activation
    n: int
    params: Mapping[str, Any]
    past: tuple
    u: Any
    exact: Mapping[str, Any] | None = None


def _shape(name: str, p: str, n: int, m: int) -> tuple[int, int]:
    if p.startswith("U_") or p in ("W_in",):
        return (n, m)
    if p.startswith("b"):
        return (n, 1)
    return (n, n)


def _check(name: str, n: int, act: str) -> tuple[Cell, Activation]:
    c = named(name)
    check_size("n", n, MAX_N, "the size budget of a one-step cell Jacobian")
    return c, activation(act, ("generic", "tanh", "sigmoid", "identity"))


def _structure(c: Cell, vectors: Callable[[str], Any]) -> tuple:
    """The past states of ``c`` built from ``vectors(component name)``."""
    comps = COMPONENTS[c.name]
    if c.reads == 2:
        return (vectors("x[t-2]"), vectors("x[t-1]"))
    if len(comps) == 1:
        return (vectors(comps[0]),)
    return (tuple(vectors(k) for k in comps),)


def symbolic_point(name: str, n: int, m: int = 1, act: str = "generic") -> CellPoint:
    """The cell ``name`` at symbolic weights, past states and input (SymPy).

    >>> symbolic_point("LSTM", 1).past[0][1]
    Matrix([[c_{1}]])
    """
    return _symbolic_point(name, n, m, act, _matrix_of)


def _matrix_of(rows: int, cols: int, f) -> sp.Matrix:
    # entries from Python ints: SymPy's lambda form passes Integers, and formatting those
    # into symbol names goes through the printer (the same symbols, four times slower)
    return sp.Matrix(rows, cols, [f(i, j) for i in range(rows) for j in range(cols)])


def _symbolic_point(name: str, n: int, m: int, act: str, make) -> CellPoint:
    """:func:`symbolic_point` with its matrices built by ``make(rows, cols, f)`` (a SymPy
    matrix, or :func:`_entries_of`)."""
    c, a = _check(name, n, act)
    params = {p: make(*_shape(name, p, n, m),
                      lambda i, j, p=p: sp.Symbol(f"{p}_{{{i + 1}}}" if p.startswith("b")
                                                  else f"{p}_{{{i + 1},{j + 1}}}"))
              for p in c.parameters}
    past = _structure(c, lambda k: make(n, 1, lambda i, _: sp.Symbol(f"{k}_{{{i + 1}}}")))
    u = make(m, 1, lambda i, _: sp.Symbol(f"u_{{{i + 1}}}"))
    return CellPoint(c, a, n, params, past, u)


def _entries_of(rows: int, cols: int, f) -> Entries:
    return Entries(rows, cols, tuple(f(i, j) for i in range(rows) for j in range(cols)))


def listed_point(name: str, n: int, m: int = 1, act: str = "generic") -> CellPoint:
    """``listed(symbolic_point(name, n, m, act))``, built without the SymPy matrices.

    >>> listed_point("GRU", 2) == listed(symbolic_point("GRU", 2))
    True
    """
    return _symbolic_point(name, n, m, act, _entries_of)


def listed(pt: CellPoint) -> CellPoint:
    """A symbolic point with its matrices as :class:`~derive.sympy_lists.Entries`, for the
    arithmetic :data:`~derive.sympy_lists.LISTS` (the same entries; every expression built
    on it is the one :data:`~rnnmodel.exact.SYMPY` builds, without a SymPy matrix per
    operation).

    >>> pt = symbolic_point("A", 2)
    >>> exact_difference(LISTS, listed(pt), form_a_closed) is None
    True
    >>> direct_blocks(LISTS, listed(pt))[("x", "x")] == direct_blocks(SYMPY, pt)[("x", "x")]
    True
    """
    def conv(v):
        if isinstance(v, tuple):
            return tuple(conv(x) for x in v)
        return entries(v) if isinstance(v, sp.MatrixBase) else v
    return replace(pt, params={k: conv(v) for k, v in pt.params.items()}, past=conv(pt.past),
                   u=conv(pt.u))


def rational_point(name: str, n: int, m: int = 1, act: str = "tanh", seed_: int = 0,
                   den: int = 8) -> dict:
    """An exact dyadic rational point: ``{"params": {name: rows}, "past": [...], "u": [...]}``
    (entries in [−1, 1] with denominator ``den``; a state vector is a list of rationals).

    >>> rational_point("A", 1)["params"]["W_rec"]
    [[Fraction(7, 8)]]
    """
    c, _ = _check(name, n, act)
    rng = np.random.default_rng([seed_, 12])

    def q():
        return Fraction(int(rng.integers(-den, den + 1)), den)

    params = {p: [[q() for _ in range(_shape(name, p, n, m)[1])] for _ in range(_shape(name, p, n, m)[0])]
              for p in c.parameters}
    comps = {k: [q() for _ in range(n)] for k in (*COMPONENTS[name], "x[t-1]", "x[t-2]")}
    return {"name": name, "act": act, "n": n, "params": params,
            "past": _structure(c, lambda k: comps[k] if c.reads == 1 else comps[k]),
            "u": [q() for _ in range(m)]}


def _vec(ctx, v):
    return tuple(_vec(ctx, x) for x in v) if isinstance(v, tuple) else ctx.vector(v)


def at(ctx, point: dict) -> CellPoint:
    """A :func:`rational_point` in the arithmetic ``ctx`` (e.g. :data:`rnnmodel.balls.BALLS`).

    >>> at(BALLS, rational_point("A", 1)).params["W_rec"].nrows()
    1
    """
    c = named(point["name"])
    params = {}
    for p, rows in point["params"].items():
        params[p] = ctx.vector([r[0] for r in rows]) if p.startswith("b") else ctx.matrix(rows)
    return CellPoint(c, ACTIVATIONS[point["act"]], point["n"], params,
                     tuple(_vec(ctx, s) for s in point["past"]), ctx.vector(point["u"]), point)


def _zero(ctx, n: int):
    return ctx.matrix([[0] * n for _ in range(n)])


def _seeded(ctx, past: tuple, target: str, name: str, n: int) -> tuple:
    """``past`` with the component ``target`` seeded (tangent I), everything else constant."""
    if named(name).reads == 2:
        idx = {"x[t-2]": 0, "x[t-1]": 1}[target]
        return tuple(seed(ctx, s) if i == idx else s for i, s in enumerate(past))
    comps = COMPONENTS[name]
    if len(comps) == 1:
        return (seed(ctx, past[0]),)
    return (tuple(seed(ctx, s) if k == target else s for k, s in zip(comps, past[0])),)


def _outputs(name: str, state) -> dict:
    comps = COMPONENTS[name]
    return {comps[0]: state} if len(comps) == 1 else dict(zip(comps, state))


def direct_blocks(ctx, pt: CellPoint) -> dict:
    """The one-step Jacobian by dual numbers: block (output, input) is the tangent of the
    output component when only the input component is seeded (0 where it does not depend).

    >>> b = direct_blocks(SYMPY, symbolic_point("LSTM", 1))
    >>> sorted(b)
    [('c', 'c'), ('c', 'h'), ('h', 'c'), ('h', 'h')]
    """
    D = DualArithmetic(ctx)
    out = {}
    for target in inputs_of(pt.cell.name):
        past = _seeded(ctx, pt.past, target, pt.cell.name, pt.n)
        state = pt.cell.step(D, pt.act, pt.params, past, pt.u).state
        for comp, v in _outputs(pt.cell.name, state).items():
            tan = v.tan if type(v) is Dual else None
            out[(comp, target)] = _zero(ctx, pt.n) if tan is None else tan
    return out


def transpose(M):
    """The transpose of a matrix of any of the arithmetics (SymPy, arb_mat, numpy).

    >>> transpose(sp.Matrix([[1, 2]])).shape
    (2, 1)
    """
    if isinstance(M, flint.arb_mat):
        return M.transpose()
    return M.T


def _diag(ctx, d, n):
    return ctx.rowscale(d, ctx.identity(n))


def _gate_slope(ctx, s):
    return ctx.mul(s, ctx.sub(1, s))


# -- closed forms: (ctx, point, variant) -> blocks. The variants are wrong derivations.
def lstm_closed(ctx, pt: CellPoint, variant: str = "") -> dict:
    """The LSTM's one-step Jacobian blocks (module docstring). ``variant``: ``"transposed"``
    (W_qᵀ in place of every gate's W_q), ``"cec-total"`` (∂h/∂c and ∂c/∂h dropped: the state
    Jacobian as if diag(f) were the whole of it) — wrong derivations, for the tests.

    >>> sorted(lstm_closed(SYMPY, symbolic_point("LSTM", 1)))
    [('c', 'c'), ('c', 'h'), ('h', 'c'), ('h', 'h')]
    """
    n, p = pt.n, pt.params
    st = pt.cell.step(ctx, pt.act, p, pt.past, pt.u)
    g, pre = st.parts, st.sigma_argument
    _, c = pt.past[-1]
    W = {q: (transpose(p["W_" + q]) if variant == "transposed" else p["W_" + q]) for q in "ifog"}
    dcc = _diag(ctx, g["f"], n)
    dch = ctx.add(ctx.add(ctx.rowscale(ctx.mul(c, _gate_slope(ctx, g["f"])), W["f"]),
                          ctx.rowscale(ctx.mul(g["g"], _gate_slope(ctx, g["i"])), W["i"])),
                  ctx.rowscale(ctx.mul(g["i"], ctx.dsigma(pt.act, pre["g"])), W["g"]))
    ds = ctx.dsigma(pt.act, g["c"])
    dhc = _diag(ctx, ctx.mul(ctx.mul(g["o"], ds), g["f"]), n)
    dhh = ctx.add(ctx.rowscale(ctx.mul(g["tanh_c"], _gate_slope(ctx, g["o"])), W["o"]),
                  ctx.rowscale(ctx.mul(g["o"], ds), dch))
    if variant == "cec-total":
        return {("h", "h"): dhh, ("h", "c"): _zero(ctx, n), ("c", "h"): _zero(ctx, n), ("c", "c"): dcc}
    return {("h", "h"): dhh, ("h", "c"): dhc, ("c", "h"): dch, ("c", "c"): dcc}


def _gru_closed(keep_old_with_z: bool):
    def closed(ctx, pt: CellPoint, variant: str = "") -> dict:
        n, p = pt.n, pt.params
        st = pt.cell.step(ctx, pt.act, p, pt.past, pt.u)
        g, pre = st.parts, st.sigma_argument
        h = pt.past[-1]
        W = {q: (transpose(p["W_" + q]) if variant == "transposed" else p["W_" + q]) for q in "zrh"}
        A = ctx.matmul(W["h"], _diag(ctx, g["r"], n))
        if variant != "no-reset-path":
            A = ctx.add(A, ctx.matmul(W["h"], ctx.rowscale(ctx.mul(h, _gate_slope(ctx, g["r"])), W["r"])))
        dz = _gate_slope(ctx, g["z"])
        dcand = ctx.dsigma(pt.act, pre["h"])
        if keep_old_with_z:
            keep, gap, write = g["z"], ctx.sub(h, g["cand"]), ctx.sub(1, g["z"])
        else:
            keep, gap, write = ctx.sub(1, g["z"]), ctx.sub(g["cand"], h), g["z"]
        J = ctx.add(ctx.add(_diag(ctx, keep, n), ctx.rowscale(ctx.mul(gap, dz), W["z"])),
                    ctx.rowscale(ctx.mul(write, dcand), A))
        return {("h", "h"): J}
    closed.__doc__ = "The GRU's one-step Jacobian (module docstring); variants: transposed, no-reset-path."
    return closed


def stacked_closed(ctx, pt: CellPoint, variant: str = "") -> dict:
    """The stacked form A's one-step blocks; ``variant="no-cross"``: the cross-layer block
    taken as W_in2 D(x¹_t) alone (the layer-1 step dropped), for the tests.

    >>> stacked_closed(SYMPY, symbolic_point("A-stacked", 1))[("x1", "x2")]
    Matrix([[0]])
    """
    n, p = pt.n, pt.params
    x1, x2 = pt.past[-1]
    new1 = pt.cell.step(ctx, pt.act, p, pt.past, pt.u).state[0]
    J11 = ctx.matmul(p["W_rec"], _diag(ctx, ctx.dsigma(pt.act, x1), n))
    up = ctx.matmul(p["W_in2"], _diag(ctx, ctx.dsigma(pt.act, new1), n))
    J21 = up if variant == "no-cross" else ctx.matmul(up, J11)
    J22 = ctx.matmul(p["W_rec2"], _diag(ctx, ctx.dsigma(pt.act, x2), n))
    return {("x1", "x1"): J11, ("x1", "x2"): _zero(ctx, n), ("x2", "x1"): J21, ("x2", "x2"): J22}


def skip_closed(ctx, pt: CellPoint, variant: str = "") -> dict:
    """The skip connection's one-step partials; ``variant="no-skip"``: ∂x_t/∂x_{t−2} = 0
    (the skip path missed), for the tests.

    >>> skip_closed(SYMPY, symbolic_point("A-skip", 1), "no-skip")[("x", "x[t-2]")]
    Matrix([[0]])
    """
    n, p = pt.n, pt.params
    x2, x1 = pt.past
    J1 = ctx.matmul(p["W_rec"], _diag(ctx, ctx.dsigma(pt.act, x1), n))
    J2 = _zero(ctx, n) if variant == "no-skip" else ctx.matmul(p["U"], _diag(ctx, ctx.dsigma(pt.act, x2), n))
    return {("x", "x[t-1]"): J1, ("x", "x[t-2]"): J2}


def form_a_closed(ctx, pt: CellPoint, variant: str = "") -> dict:
    """Form A: ``W_rec D(x_{t−1})`` (blog eq. 10's factor); ``"transposed"``: W_recᵀ D.

    >>> form_a_closed(SYMPY, symbolic_point("A", 1))[("x", "x")]
    Matrix([[W_rec_{1,1}*dsigma(x_{1})]])
    """
    W = transpose(pt.params["W_rec"]) if variant == "transposed" else pt.params["W_rec"]
    return {("x", "x"): ctx.matmul(W, _diag(ctx, ctx.dsigma(pt.act, pt.past[-1]), pt.n))}


def form_b_closed(ctx, pt: CellPoint, variant: str = "") -> dict:
    """Form B: ``D(a_t) W_rec``; ``"transposed"``: D(a_t) W_recᵀ.

    >>> form_b_closed(SYMPY, symbolic_point("B", 1))[("h", "h")][0, 0].args[0]
    W_rec_{1,1}
    """
    a = pt.cell.step(ctx, pt.act, pt.params, pt.past, pt.u).sigma_argument
    W = transpose(pt.params["W_rec"]) if variant == "transposed" else pt.params["W_rec"]
    return {("h", "h"): ctx.rowscale(ctx.dsigma(pt.act, a), W)}


#: The closed form of each cell's one-step Jacobian (a function (ctx, point, variant) -> blocks).
CLOSED_FORMS: dict[str, Callable[..., dict]] = {
    "A": form_a_closed, "B": form_b_closed, "LSTM": lstm_closed,
    "GRU": _gru_closed(False), "GRU-cho": _gru_closed(True),
    "A-stacked": stacked_closed, "A-skip": skip_closed,
}


class _NotPolynomial(Exception):
    """The expression has a node the polynomial reading does not take (a float, a negative
    or symbolic power)."""


def vanishes_as_polynomial(e: sp.Expr) -> bool:
    """True when ``e`` is the zero polynomial in its symbols and its function applications,
    each distinct application (``σ(a)``, ``σ'(a)``, ``tanh(a)``, … with its argument as
    written) taken as one more independent variable; then ``e`` is identically zero, for
    every value of the symbols and every function. False says only "not shown this way"
    (an identity between applications, a float, a non-polynomial node): the caller expands.
    The arithmetic is exact (python-flint multivariate polynomials over ℚ).

    >>> x, y = sp.symbols("x y")
    >>> f = sp.Function("f")
    >>> vanishes_as_polynomial((x + f(y)) ** 2 - x**2 - 2 * x * f(y) - f(y) ** 2)
    True
    >>> vanishes_as_polynomial(f(x + y) - f(y + x)), vanishes_as_polynomial(x - y)
    (True, False)
    >>> vanishes_as_polynomial(sp.tanh(x) ** 2 + 1 / sp.cosh(x) ** 2 - 1)  # true, not shown
    False
    """
    leaves: dict = {}

    def collect(node):
        if node.is_Add or node.is_Mul:
            for a in node.args:
                collect(a)
        elif node.is_Pow:
            if not (node.exp.is_Integer and node.exp >= 0):
                raise _NotPolynomial
            collect(node.base)
        elif node.is_Rational:
            return
        elif node.is_Symbol or node.is_Function:
            leaves.setdefault(node, len(leaves))
        else:
            raise _NotPolynomial

    try:
        collect(e)
    except _NotPolynomial:
        return False
    if not leaves:
        return e == 0
    gens = flint.fmpq_mpoly_ctx.get(tuple(f"v{k}" for k in range(len(leaves)))).gens()
    memo: dict = {}

    def value(node):
        if node in memo:
            return memo[node]
        if node.is_Add:
            out = 0
            for a in node.args:
                out = out + value(a)
        elif node.is_Mul:
            out = 1
            for a in node.args:
                out = out * value(a)
        elif node.is_Pow:
            out = value(node.base) ** int(node.exp)
        elif node.is_Rational:
            out = flint.fmpq(int(node.p), int(node.q))
        else:
            out = gens[leaves[node]]
        memo[node] = out
        return out

    return value(e) == 0


def matrix_vanishes(M: sp.Matrix) -> bool:
    """Every entry of the SymPy matrix ``M`` identically 0: each as an exact polynomial in
    its symbols and function applications first (:func:`vanishes_as_polynomial`); an entry
    not shown so is expanded by SymPy, inside the arguments too (the answer is the same as
    ``M.applyfunc(sp.expand) == 0``, found faster).

    >>> x = sp.Symbol("x")
    >>> matrix_vanishes(sp.Matrix([[x * (x + 1) - x**2 - x, 0]])), matrix_vanishes(sp.Matrix([[x]]))
    (True, False)
    """
    return all(vanishes_as_polynomial(e) or sp.expand(e) == 0 for e in M)


def exact_difference(ctx, pt: CellPoint, closed: Callable, variant: str = ""):
    """None when direct and closed blocks agree identically after expansion (SymPy), else
    the first differing ``(block, (i, j), difference)``.

    >>> exact_difference(SYMPY, symbolic_point("A", 2), form_a_closed, "transposed")[:2]
    (('x', 'x'), (0, 1))
    """
    direct, cand = direct_blocks(ctx, pt), closed(ctx, pt, variant)
    for key in direct:
        d = direct[key] - cand[key]
        for i in range(d.rows):
            for j in range(d.cols):
                # function applications as atoms first (zero then is an identity already):
                # exactly, as a polynomial over ℚ in the symbols and the applications; only
                # a nonzero residue is expanded by SymPy, inside the arguments too
                if vanishes_as_polynomial(d[i, j]):
                    continue
                if sp.expand(d[i, j], deep=False) == 0:
                    continue
                e = sp.expand(d[i, j])
                if e != 0:
                    return key, (i, j), e
    return None


def certified_difference(pt: CellPoint, closed: Callable, variant: str = ""):
    """At a ball point: the first entry whose direct and closed balls are disjoint, as
    ``(block, (i, j), direct ball, closed ball)``; None when no entry is certified apart.

    >>> pt = at(BALLS, rational_point("A", 2, seed_=1))
    >>> certified_difference(pt, form_a_closed, "transposed")[:2]
    (('x', 'x'), (0, 1))
    """
    direct, cand = direct_blocks(BALLS, pt), closed(BALLS, pt, variant)
    for key in direct:
        a, b = direct[key], cand[key]
        for i in range(a.nrows()):
            for j in range(a.ncols()):
                if not a[i, j].overlaps(b[i, j]):
                    return key, (i, j), a[i, j], b[i, j]
    return None


def certified_agreement(pt: CellPoint, closed: Callable, variant: str = "") -> bool:
    """True when every direct ball overlaps its closed-form ball (consistent, not a proof).

    >>> certified_agreement(at(BALLS, rational_point("LSTM", 2)), lstm_closed)
    True
    """
    return certified_difference(pt, closed, variant) is None


# -- many steps: the product rule (eq. 10) and the skip connection's sum over paths
def unrolled_jacobian(ctx, pt: CellPoint, inputs: list, target: str) -> list:
    """``∂state_j/∂(component target of the past)`` for j = 1..len(inputs), by duals through
    the unrolled cell (the other past components held); a list of block dicts.

    >>> pt = symbolic_point("A", 1)
    >>> len(unrolled_jacobian(SYMPY, pt, [pt.u, pt.u], "x"))
    2
    """
    D = DualArithmetic(ctx)
    past = _seeded(ctx, pt.past, target, pt.cell.name, pt.n)
    out = []
    for u in inputs:
        s = pt.cell.step(D, pt.act, pt.params, past, u)
        past = past[1:] + (s.state,)
        blocks = {}
        for comp, v in _outputs(pt.cell.name, s.state).items():
            blocks[comp] = _zero(ctx, pt.n) if type(v) is not Dual or v.tan is None else v.tan
        out.append(blocks)
    return out


def _values(v):
    if isinstance(v, tuple):
        return tuple(_values(x) for x in v)
    return v.val if type(v) is Dual else v


def skip_paths(ctx, pt: CellPoint, inputs: list, variant: str = "") -> list:
    """The skip connection's sum over paths: ``J_j = W_rec D(x_{j−1}) J_{j−1} + U D(x_{j−2})
    J_{j−2}`` from J = I at the seeded state and 0 before it (``variant="eq10"``: the
    product rule, the U path dropped); matrices for j = 1..len(inputs).

    >>> pt = symbolic_point("A-skip", 1, act="generic")
    >>> skip_paths(SYMPY, pt, [pt.u])[0]
    Matrix([[W_rec_{1,1}*dsigma(x[t-1]_{1})]])
    """
    n, p = pt.n, pt.params
    states = list(pt.past)
    prev2, prev1 = _zero(ctx, n), ctx.identity(n)
    out = []
    for u in inputs:
        x2, x1 = states[-2], states[-1]
        J = ctx.matmul(ctx.matmul(p["W_rec"], _diag(ctx, ctx.dsigma(pt.act, x1), n)), prev1)
        if variant != "eq10":
            J = ctx.add(J, ctx.matmul(ctx.matmul(p["U"], _diag(ctx, ctx.dsigma(pt.act, x2), n)), prev2))
        states.append(pt.cell.step(ctx, pt.act, p, tuple(states[-2:]), u).state)
        prev2, prev1 = prev1, J
        out.append(J)
    return out


def stacked_paths(ctx, pt: CellPoint, inputs: list) -> list:
    """The stacked cell over many steps from x¹ at the start: ``∂x²_t/∂x¹_0 = Σ_j
    (∏_{l>j} W_rec2 D(x²_{l−1})) W_in2 D(x¹_j) (∏_{l≤j} W_rec D(x¹_{l−1}))`` — the sum over
    the step j at which the path crosses to layer 2; matrices for t = 1..len(inputs).

    >>> pt = symbolic_point("A-stacked", 1)
    >>> len(stacked_paths(SYMPY, pt, [pt.u, pt.u]))
    2
    """
    n, p = pt.n, pt.params
    states = [pt.past[-1]]
    for u in inputs:
        states.append(pt.cell.step(ctx, pt.act, p, (states[-1],), u).state)

    def A1(j):  # ∂x¹_j/∂x¹_{j−1}
        return ctx.matmul(p["W_rec"], _diag(ctx, ctx.dsigma(pt.act, states[j - 1][0]), n))

    def A2(j):
        return ctx.matmul(p["W_rec2"], _diag(ctx, ctx.dsigma(pt.act, states[j - 1][1]), n))

    out = []
    for t in range(1, len(inputs) + 1):
        total = _zero(ctx, n)
        for j in range(1, t + 1):
            left = ctx.identity(n)
            for l in range(t, j, -1):
                left = ctx.matmul(left, A2(l))
            right = ctx.identity(n)
            for l in range(j, 0, -1):
                right = ctx.matmul(right, A1(l))
            cross = ctx.matmul(p["W_in2"], _diag(ctx, ctx.dsigma(pt.act, states[j][0]), n))
            total = ctx.add(total, ctx.matmul(ctx.matmul(left, cross), right))
        out.append(total)
    return out


def _block_product(ctx, A: dict, B: dict, comps: tuple) -> dict:
    out = {}
    for a in comps:
        for b in comps:
            total = None
            for k in comps:
                term = ctx.matmul(A[(a, k)], B[(k, b)])
                total = term if total is None else ctx.add(total, term)
            out[(a, b)] = total
    return out


def product_rule(ctx, pt: CellPoint, inputs: list) -> list:
    """Eq. 10's product for a cell whose state is its whole past (reads 1): the one-step
    closed-form blocks at each step of the trajectory, multiplied, J_t ⋯ J_1, for
    t = 1..len(inputs) (block dicts).

    >>> pt = symbolic_point("A", 1)
    >>> product_rule(SYMPY, pt, [pt.u])[0][("x", "x")]
    Matrix([[W_rec_{1,1}*dsigma(x_{1})]])
    """
    if pt.cell.reads != 1:
        raise InvalidInputError(f"cell {pt.cell.name} reads {pt.cell.reads} past states; "
                                "its Jacobians follow the sum over paths, not a product")
    comps = COMPONENTS[pt.cell.name]
    past, acc, out = pt.past, None, []
    for u in inputs:
        here = replace(pt, past=past, u=u)
        J = CLOSED_FORMS[pt.cell.name](ctx, here)
        acc = J if acc is None else _block_product(ctx, J, acc, comps)
        out.append(acc)
        past = (pt.cell.step(ctx, pt.act, pt.params, past, u).state,)
    return out


def symbolic_inputs(pt: CellPoint, T: int) -> list:
    """T symbolic inputs u_1..u_T for a symbolic point (same size as its u).

    >>> symbolic_inputs(symbolic_point("A", 1), 2)[1]
    Matrix([[u_{2,1}]])
    """
    m = pt.u.rows
    out = [sp.Matrix(m, 1, [sp.Symbol(f"u_{{{t},{i + 1}}}") for i in range(m)]) for t in range(1, T + 1)]
    return [entries(u) for u in out] if isinstance(pt.u, Entries) else out


def lstm_total_cec(ctx, pt: CellPoint, o_prev) -> tuple:
    """``(dc_t/dc_{t−1}, f_t)`` for the LSTM where h_{t−1} = o_{t−1} ⊙ σ(c_{t−1}) moves with
    c_{t−1} (o_{t−1} held: it depends on h_{t−2} and u_{t−1} only): c_{t−1} is seeded, h_{t−1}
    is computed from it on duals, then one step; the total derivative is the tangent of c_t.

    >>> pt = at(BALLS, rational_point("LSTM", 1))
    >>> total, f = lstm_total_cec(BALLS, pt, BALLS.vector([Fraction(1, 2)]))
    >>> total.nrows(), f.nrows()
    (1, 1)
    """
    if pt.cell.name != "LSTM":
        raise InvalidInputError(f"the carousel is the LSTM's; got cell {pt.cell.name!r}")
    D = DualArithmetic(ctx)
    _, c = pt.past[-1]
    c_seeded = seed(ctx, c)
    h = D.mul(o_prev, D.sigma(pt.act, c_seeded))
    s = pt.cell.step(D, pt.act, pt.params, ((h, c_seeded),), pt.u)
    return s.state[1].tan, _diag(ctx, _values(s.parts["f"]), pt.n)


__all__ = [
    "COMPONENTS", "CLOSED_FORMS", "CellPoint", "symbolic_point", "listed", "listed_point",
    "rational_point", "at",
    "inputs_of", "direct_blocks", "transpose", "lstm_closed", "stacked_closed", "skip_closed",
    "form_a_closed", "form_b_closed", "exact_difference", "vanishes_as_polynomial",
    "matrix_vanishes", "certified_difference",
    "certified_agreement", "unrolled_jacobian", "skip_paths", "stacked_paths",
    "symbolic_inputs", "lstm_total_cec", "product_rule",
]
