"""Layouts of the Jacobian ``∂s_t/∂s_k``: numerator and denominator, forms A and B.

Numerator layout: ``(∂y/∂x)_{ij} = ∂y_i/∂x_j`` (rows follow the output); denominator
layout is its transpose, ``(∂y/∂x)_{ij} = ∂y_j/∂x_i``. The project's direct Jacobian
(:func:`derive.direct.direct_jacobian`, ``Matrix.jacobian`` of the composed network) is in
numerator layout; :func:`jacobian` gives either layout.

SymPy itself has one convention per API, and both agree with the project:

* ``Matrix.jacobian`` is numerator layout (:func:`sympy_jacobian_is_numerator` checks it
  entry by entry against ``diff(y_i, x_j)``);
* ``MatrixSymbol.diff`` answers in denominator layout. For one step it gives, for a
  symbolic ``n`` (so for every n), form A: ``diag(σ'(X)) Wᵀ`` and form B:
  ``Wᵀ diag(σ'(W X + W_in u + b))`` — the latter is the paper's factor ``W_recᵀ diag(σ'(x_i))``
  for form B. For two or more steps (σ nested in σ) SymPy 1.14 raises ``ValueError``, so
  :func:`sympy_matrixsymbol_one_step` covers exactly the one-step Jacobian.

The ``h = σ(x)`` view of form A (:func:`h_view_jacobian`): with ``h_j = σ(x_j)`` the form-A
recursion reads ``h_j = σ(W_rec h_{j-1} + W_in u_j + b)``, i.e. form B with pre-activation
``x_j``; its Jacobian ``∂h_t/∂h_k`` is built from fresh symbols ``h_k`` and equals form
B's.

>>> from derive.network import RNN
>>> net = RNN(2, 1, 2)
>>> jacobian(net, 1, 0, "denominator") == jacobian(net, 1, 0).T
True
>>> sympy_matrixsymbol_one_step(2, "B").verdict.value
'proved'
"""
from __future__ import annotations

import sympy as sp

from rnncore.errors import InvalidInputError
from rnncore.results import Method, MethodKind, Result, Scope, Span, Verdict
from rnncore.validate import check_size

from .activations import activation as named
from .activations import sigma
from .direct import direct_jacobian
from .network import RNN
from .prove import prove_equal

#: The two layouts.
LAYOUTS: tuple[str, ...] = ("numerator", "denominator")


def check_layout(layout) -> str:
    """Validate a layout name.

    >>> check_layout("denominator")
    'denominator'
    >>> check_layout("mixed")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown layout 'mixed'; use 'numerator' ((∂y/∂x)_ij = ∂y_i/∂x_j) or 'denominator' (its transpose)
    """
    if layout not in LAYOUTS:
        raise InvalidInputError(
            f"unknown layout {layout!r}; use 'numerator' ((∂y/∂x)_ij = ∂y_i/∂x_j) or "
            "'denominator' (its transpose)"
        )
    return layout


def to_layout(matrix, layout: str):
    """A numerator-layout matrix written in ``layout`` (the transpose for denominator).

    >>> to_layout(sp.Matrix([[1, 2], [3, 4]]), "denominator")
    Matrix([
    [1, 3],
    [2, 4]])
    """
    return matrix if check_layout(layout) == "numerator" else matrix.T


def jacobian(rnn: RNN, t: int, k: int, layout: str = "numerator") -> sp.Matrix:
    """``∂s_t/∂s_k`` of the state ``s`` (form A: ``x``, form B: ``h``) in ``layout``, by
    direct differentiation of the composed network (no chain rule assumed).

    >>> net = RNN(2, 1, 1)
    >>> jacobian(net, 1, 0)[0, 1]
    w_{1,2}*dsigma(x_{0,2})
    >>> jacobian(net, 1, 0, "denominator")[0, 1]
    w_{2,1}*dsigma(x_{0,1})
    """
    check_layout(layout)
    return to_layout(direct_jacobian(rnn, t, k), layout)


def in_layout(candidate, layout: str):
    """The candidate ``(net, t, k) -> matrix`` read in ``layout``, as the numerator-layout
    matrix it claims (transposed for denominator), ready for ``check_jacobian``.

    >>> c = in_layout(lambda net, t, k: net.W_rec * net.D(k), "denominator")
    >>> c(RNN(2).with_base(0), 1, 0) == (RNN(2).W_rec * RNN(2).D(0)).T
    True
    """
    check_layout(layout)
    if layout == "numerator":
        return candidate

    def transposed(net, t, k):
        return candidate(net, t, k).T

    transposed.__name__ = f"{getattr(candidate, '__name__', 'candidate')}(denominator)"
    # a transpose is offered on the polynomial network too (derive.poly_network)
    transposed.polynomial = getattr(candidate, "polynomial", False)  # type: ignore[attr-defined]
    return transposed


def h_view_jacobian(rnn: RNN, t: int, k: int, layout: str = "numerator") -> sp.Matrix:
    """``∂h_t/∂h_k`` for ``h_j = σ(x_j)`` of a form-A network, built by composing
    ``x_{k+1} = W_rec h_k + W_in u_{k+1} + b`` and form A's steps from fresh symbols
    ``h_{k,i}``, then ``h_t = σ(x_t)`` — the same network as form B.

    >>> A, B = RNN(2, 1, 2, form="A"), RNN(2, 1, 2, form="B")
    >>> h_view_jacobian(A, 2, 0) == jacobian(B, 2, 0)
    True
    """
    if rnn.form != "A":
        raise InvalidInputError(
            f"h_view_jacobian takes a form-A network (got form {rnn.form!r}); a form-B "
            "network's state already is h: use jacobian()"
        )
    check_layout(layout)
    if isinstance(k, bool) or not isinstance(k, int) or isinstance(t, bool) or \
            not isinstance(t, int) or not 0 <= k <= t <= rnn.T:
        raise InvalidInputError(f"(t, k)=({t!r}, {k!r}) is not allowed; use 0 <= k <= t <= T={rnn.T}")
    h_k = sp.Matrix(rnn.n, 1, [sp.Symbol(f"h_{{{k},{i + 1}}}") for i in range(rnn.n)])
    if t == k:
        return sp.eye(rnn.n)
    x = rnn.W_rec * h_k + rnn.W_in * rnn.u(k + 1) + rnn.b
    for j in range(k + 2, t + 1):
        x = rnn.step(x, j)
    return to_layout(rnn.sigma(x).jacobian(h_k), layout)


def sympy_jacobian_is_numerator(rnn: RNN, t: int, k: int) -> Result:
    """Check that ``Matrix.jacobian`` is numerator layout: its entry ``(i, j)`` is
    ``diff(s_{t,i}, s_{k,j})``, compared exactly for every entry.

    >>> sympy_jacobian_is_numerator(RNN(2, 1, 2), 2, 0).verdict.value
    'proved'
    """
    net = rnn.with_base(k)
    y, x = net.state(t), net.state_symbols(k)
    by_entries = sp.Matrix(rnn.n, rnn.n, lambda i, j: sp.diff(y[i], x[j]))
    result = prove_equal(y.jacobian(x), by_entries, method="exact")
    return Result(
        result.verdict, Method(result.method.kind, "exact comparison with entrywise diff"),
        Scope(spans=(Span("n", rnn.n, rnn.n), Span("T", t, t)), activations=(rnn.activation,),
              forms=(rnn.form,), checked=rnn.n * rnn.n, note=f"(t, k) = ({t}, {k})"),
        "Matrix.jacobian(x)[i, j] == diff(y[i], x[j]) for every entry: numerator layout"
        if result.holds else f"Matrix.jacobian is not entrywise ∂y_i/∂x_j: {result.evidence}",
        counterexample=result.counterexample, details=(result,),
    )


#: Largest explicit size of the MatrixSymbol checks (SymPy expands n x n blocks).
MAX_MATRIXSYMBOL_N = 64


def matrix_size(n):
    """``n`` as a MatrixSymbol dimension: an integer 1..64 or a SymPy integer symbol. Anything
    else is refused before SymPy sees it (``MatrixSymbol`` would ``sympify`` text).

    >>> matrix_size(3), matrix_size(sp.Symbol("n", integer=True))
    (3, n)
    >>> matrix_size("__import__('os')")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: n="__import__('os')" is not allowed; use an integer 1 <= n <= 64 or a SymPy integer Symbol
    """
    if isinstance(n, sp.Symbol) and n.is_integer:
        return n
    if isinstance(n, bool) or not isinstance(n, int):
        raise InvalidInputError(
            f"n={n!r} is not allowed; use an integer 1 <= n <= {MAX_MATRIXSYMBOL_N} or a SymPy integer Symbol")
    return check_size("n", n, MAX_MATRIXSYMBOL_N, "the MatrixSymbol check's size budget")


def matrixsymbol_one_step(n, form: str = "A", activation: str = "generic"):
    """SymPy's own answer ``MatrixSymbol.diff`` for the one-step Jacobian (denominator
    layout), as a matrix expression; ``n`` may be an integer or a SymPy symbol.

    >>> matrixsymbol_one_step(sp.Symbol("n", integer=True, positive=True), "B")
    W.T*DiagMatrix(Lambda(_d, dsigma(_d)).(B + V*U + W*X))
    """
    n = matrix_size(n)
    fn = named(activation).function
    X = sp.MatrixSymbol("X", n, 1)
    W, V = sp.MatrixSymbol("W", n, n), sp.MatrixSymbol("V", n, 1)
    U, B = sp.MatrixSymbol("U", 1, 1), sp.MatrixSymbol("B", n, 1)
    if form == "A":
        y = W * X.applyfunc(fn) + V * U + B
    elif form == "B":
        y = (W * X + V * U + B).applyfunc(fn)
    else:
        raise InvalidInputError(f"unknown form {form!r}; use 'A' or 'B'")
    return y.diff(X)


def explicit(expr) -> sp.Matrix:
    """The explicit matrix of a matrix expression of explicit size, built node by node
    (products, sums, transposes, diagonal matrices of a vector, elementwise functions,
    symbols); other nodes through SymPy's own ``as_explicit``. The same entries as
    ``as_explicit`` on the whole, which writes each entry of a product as a sum over an
    index and evaluates it.

    >>> W, X = sp.MatrixSymbol("W", 2, 2), sp.MatrixSymbol("X", 2, 1)
    >>> e = W.T * sp.DiagMatrix(X)
    >>> explicit(e) == sp.Matrix(e.as_explicit())
    True
    """
    M = sp.matrices.expressions
    if isinstance(expr, M.MatMul):
        scalars = [a for a in expr.args if not getattr(a, "is_Matrix", False)]
        mats = [explicit(a) for a in expr.args if getattr(a, "is_Matrix", False)]
        out = mats[0]
        for a in mats[1:]:
            out = out * a
        return out * sp.Mul(*scalars) if scalars else out
    if isinstance(expr, M.MatAdd):
        out = explicit(expr.args[0])
        for a in expr.args[1:]:
            out = out + explicit(a)
        return out
    if isinstance(expr, M.Transpose):
        return explicit(expr.arg).T
    if isinstance(expr, M.DiagMatrix):
        return sp.diag(*explicit(expr.args[0]))
    if isinstance(expr, M.applyfunc.ElementwiseApplyFunction):
        return explicit(expr.expr).applyfunc(expr.function)
    return sp.Matrix(expr.as_explicit())


def _one_step_scope(n: int, form: str, activation: str) -> Scope:
    return Scope(spans=(Span("n", n, n), Span("T", 1, 1)), activations=(activation,),
                 forms=(form,), layouts=("denominator",), checked=n * n, note="one step")


def sympy_matrixsymbol_one_step(n: int, form: str = "A", activation: str = "generic") -> Result:
    """Check that SymPy's ``MatrixSymbol.diff`` (one step) equals the project's
    denominator-layout Jacobian ``jacobian(net, 1, 0, "denominator")`` for size ``n``
    (input size 1), exactly after substituting the network's symbols.

    >>> sympy_matrixsymbol_one_step(2, "A").verdict.value
    'proved'
    """
    net = RNN(n, 1, 1, activation, form)
    ours = jacobian(net, 1, 0, "denominator")
    try:
        theirs = explicit(matrixsymbol_one_step(n, form, activation))
    except Exception as exc:  # noqa: BLE001 - SymPy's own failure is the finding
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "exact comparison"),
                      _one_step_scope(n, form, activation),
                      f"SymPy's MatrixSymbol.diff failed here ({type(exc).__name__}: {exc}); "
                      "nothing to compare")
    X, W = sp.MatrixSymbol("X", n, 1), sp.MatrixSymbol("W", n, n)
    V, U, B = sp.MatrixSymbol("V", n, 1), sp.MatrixSymbol("U", 1, 1), sp.MatrixSymbol("B", n, 1)
    x0 = net.state_symbols(0)
    subs = {U[0, 0]: net.u(1)[0]}
    for i in range(n):
        subs[X[i, 0]] = x0[i]
        subs[V[i, 0]] = net.W_in[i, 0]
        subs[B[i, 0]] = net.b[i]
        for j in range(n):
            subs[W[i, j]] = net.W_rec[i, j]
    theirs = theirs.xreplace(subs)
    result = prove_equal(theirs, ours, method="exact")
    return Result(
        result.verdict, Method(result.method.kind, "exact comparison"),
        _one_step_scope(n, form, activation),
        ("MatrixSymbol.diff equals the denominator-layout Jacobian (the transpose of "
         "Matrix.jacobian)" if result.holds else
         f"MatrixSymbol.diff differs from the denominator-layout Jacobian: {result.evidence}"),
        counterexample=result.counterexample, details=(result,),
    )


def sympy_matrixsymbol_two_steps_raises(n: int = 2) -> str:
    """The limitation of SymPy 1.14 this module works around: ``MatrixSymbol.diff`` of two
    composed steps (σ nested in σ) raises. Returns the error text (empty if it worked).

    >>> "index" in sympy_matrixsymbol_two_steps_raises()
    True
    """
    n = matrix_size(n)
    X, W = sp.MatrixSymbol("X", n, 1), sp.MatrixSymbol("W", n, n)
    try:
        (W * (W * X.applyfunc(sigma)).applyfunc(sigma)).diff(X)
    except Exception as exc:  # noqa: BLE001 - we report SymPy's own failure
        return f"{type(exc).__name__}: {exc}"
    return ""


__all__ = [
    "LAYOUTS", "check_layout", "to_layout", "jacobian", "in_layout", "h_view_jacobian",
    "sympy_jacobian_is_numerator", "matrixsymbol_one_step", "sympy_matrixsymbol_one_step",
    "sympy_matrixsymbol_two_steps_raises",
]
