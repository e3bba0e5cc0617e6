"""Identity of SymPy expressions (or matrices): :func:`prove_equal`, and :func:`substitute`.

Two expressions are compared as functions of their free symbols, with σ, σ', L (any
undefined function) generic. The decision follows the one policy (:mod:`derive.policy`):
the exact expansion into canonical polynomials (:mod:`derive.exact`) within its budget —
``proved`` when ``a − b`` is the zero polynomial, ``refuted`` from a certified point —
then, beyond it, the randomized identity test (:mod:`derive.randomized`), whose
differences are turned into a certified counterexample where one is found
(:mod:`derive.counterexample`). :func:`substitute` re-checks a counterexample.

>>> import sympy as sp
>>> from derive.activations import sigma, dsigma
>>> a, b, w = sp.symbols("a b w")
>>> prove_equal(w * dsigma(a + b) * (a - b), w*a*dsigma(b + a) - w*b*dsigma(a + b)).verdict.value
'proved'
>>> r = prove_equal(sigma(a) * sigma(b), sigma(a) ** 2)
>>> r.verdict.value, r.counterexample.location.entry
('refuted', None)
>>> len(r.counterexample.data["function_values"])  # one value per distinct argument
2
>>> v = substitute(sigma(a) * sigma(b) - sigma(a) ** 2, r.counterexample.data)
>>> v.is_Rational and v != 0
True
"""
from __future__ import annotations

import flint
import sympy as sp

from rnncore.convert import to_sympy, to_sympy_mapping
from rnncore.errors import InvalidInputError
from rnncore.results import Location, Method, MethodKind, Result, Verdict

# Canonicalizer, Poly and Unsupported are imported from here by derive.direct.
from .canonical import Canonicalizer, Poly, Unsupported
from .counterexample import counterexample_from, find_counterexample
from .exact import exact_equal, expression_scope
from .operands import as_operands, is_scalar
from .policy import METHODS, check_method, decide
from .randomized import TIME_BUDGET, randomized_prove_equal
from .seeds import search_seed


def _certified(A, B, seed):
    """The counterexample step: a certified point at the entry the randomized test found."""

    def step(res: Result) -> Result | None:
        diff = res.data["difference"]
        i, j = diff["entry"] or (0, 0)
        found = find_counterexample([((i, j), A[i, j], B[i, j])], A.free_symbols | B.free_symbols,
                                    seed=search_seed(seed))
        if found is None:
            return None
        _, ev, va, vb = found
        enclosed = isinstance(va, flint.arb) or isinstance(vb, flint.arb)
        cex = counterexample_from(ev, va, vb, location=Location(entry=diff["entry"]),
                                  extra={"entry": diff["entry"]})
        kind = MethodKind.CERTIFIED if enclosed else MethodKind.EXACT
        return Result(Verdict.REFUTED, Method(kind, "randomized identity test, then a certified point"),
                      expression_scope(A, B),
                      "a - b is nonzero; it differs at a rational point"
                      + (f" in entry {diff['entry']}" if diff["entry"] else ""), counterexample=cex)

    return step


def prove_equal(a, b, *, method: str = "auto", seed: int | None = None,
                time_budget: float = TIME_BUDGET) -> Result:
    """Decide whether ``a`` and ``b`` (expressions or matrices) are identical as functions
    of their free symbols, with σ, σ', L (any undefined function) generic.

    ``method``: "auto" (the policy of :mod:`derive.policy`), "exact" (never randomized:
    beyond the budget ``undecided``) or "randomized". ``seed``: None (fresh randomness for
    the randomized test), or an integer to replay it (it also seeds the counterexample
    search). A refutation's ``Counterexample.data`` holds ``subs`` (symbol → rational),
    ``function_values`` (generic application at rational arguments → rational), ``entry``
    and both values (``lhs`` from ``a``, ``rhs`` from ``b``).

    >>> from derive.activations import dsigma
    >>> W = sp.Matrix(2, 2, sp.symbols("w1:5")); x = sp.Matrix(sp.symbols("x1:3"))
    >>> D = sp.diag(*x.applyfunc(dsigma))
    >>> prove_equal((W * D).T.T, W * D).method.kind.value
    'exact'
    >>> r = prove_equal(W.T * D, W * D)
    >>> r.verdict.value, r.counterexample.location.entry
    ('refuted', (0, 1))
    >>> prove_equal(W, x)
    Traceback (most recent call last):
    ...
    rnncore.errors.ShapeError: shapes differ: a is 2x2, b is 2x1; compare equal shapes
    """
    method = check_method(method)
    A, B = as_operands(a, b)
    scalar = A.shape == (1, 1) and is_scalar(a)
    return decide(method,
                  lambda: exact_equal(A, B, scalar=scalar, seed=search_seed(seed)),
                  lambda: randomized_prove_equal(a, b, seed=seed, time_budget=time_budget),
                  _certified(A, B, seed))


def _no_text(value, where: str = "value"):
    """SymPy form of a number or SymPy object through the foundation's whitelist converter:
    text anywhere (also nested in tuples or lists) is refused, since sympify on text is eval."""
    return to_sympy(value, where)


def substitute(expr, data: dict):
    """Re-check helper: substitute a counterexample's ``subs`` and ``function_values``
    into ``expr`` (repeatedly, for nested applications). Every key and value passes
    :func:`rnncore.convert.to_sympy`: text is refused wherever it hides.

    >>> from derive.activations import sigma
    >>> x = sp.Symbol("x")
    >>> substitute(sigma(2 * sigma(x)), {"subs": {x: 1}, "function_values": {sigma(1): 3, sigma(6): 5}})
    5
    >>> substitute(x, {"subs": {x: ("__import__('os').getpid()",)}})
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: subs[x][0] is text ("__import__('os').getpid()"); text is never evaluated: give an integer, a Fraction or a SymPy object
    """
    if not isinstance(data, dict) or "subs" not in data:
        raise InvalidInputError(
            f"substitute takes a dict with 'subs' (and 'function_values'), got {type(data).__name__}")
    subs = to_sympy_mapping(data["subs"], "subs")
    fv = to_sympy_mapping(data.get("function_values", {}), "function_values")
    out = _no_text(expr, "expr").xreplace(subs)
    for _ in range(10_000):
        new = out.xreplace(fv)
        if new == out:
            return out
        out = new
    return out


__all__ = ["prove_equal", "substitute", "METHODS", "Canonicalizer", "Poly", "Unsupported"]
