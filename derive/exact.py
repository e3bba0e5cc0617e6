"""The exact identity decision for SymPy expressions and explicit matrices.

Both sides are expanded into canonical polynomials (:mod:`derive.canonical`), function
applications as independent atoms. A zero difference is the proof for every value of the
atoms, hence for every function (``proved``, :attr:`MethodKind.EXACT`). A nonzero
difference may still vanish for a particular concrete function (``tanh`` obeys identities
the atoms do not know), so a refutation is only claimed from a certified point
(:mod:`derive.counterexample`); none found: ``undecided``. Beyond the budget the backend
returns :class:`derive.policy.Beyond` and the caller's policy decides what follows.

>>> import sympy as sp
>>> from derive.activations import sigma
>>> a, b = sp.symbols("a b")
>>> A, B = sp.ImmutableMatrix([[sigma(a + b)]]), sp.ImmutableMatrix([[sigma(b + a)]])
>>> exact_equal(A, B).verdict.value
'proved'
"""
from __future__ import annotations

import sympy as sp

from rnncore.results import Location, Method, MethodKind, Result, Scope, Verdict

from .canonical import BudgetExceeded, Canonicalizer, Unsupported, is_generic_function
from .counterexample import COUNTEREXAMPLE_TRIES, counterexample_from, find_counterexample
from .policy import Beyond

#: The technique, in every result of this module.
DETAIL = "expansion into canonical polynomials"


def _symbols_and_functions(*ms) -> tuple[set, list]:
    """The free symbols and the function classes of the entries of ``ms``, each distinct
    sub-expression visited once: SymPy's ``atoms`` and ``free_symbols`` walk the tree, and
    an unrolled network shares its sub-expressions, so the tree is exponentially larger than
    the set of distinct nodes.

    >>> x = sp.Symbol("x")
    >>> e = sp.tanh(x) + x
    >>> _symbols_and_functions(sp.Matrix([[e, e * e]]))
    ({x}, [tanh])
    >>> z, a = sp.symbols("z a")
    >>> _symbols_and_functions(sp.Matrix([[sp.Subs(sp.Derivative(sp.Function("f")(z), z), z, a)]]))
    ({a}, [f])
    """
    symbols, classes, seen = set(), set(), set()
    stack = [e for m in ms for e in m]
    while stack:
        e = stack.pop()
        if not isinstance(e, sp.Basic) or e in seen:
            continue
        seen.add(e)
        if isinstance(e, (sp.Derivative, sp.Subs)):  # bound variables are not free
            symbols |= e.free_symbols
            classes |= {f.func for f in e.atoms(sp.Function)}
            continue
        if e.is_Symbol:
            symbols.add(e)
        elif isinstance(e, sp.Function):
            classes.add(e.func)
        stack.extend(e.args)
    return symbols, sorted(classes, key=str)


def expression_scope(A, B) -> Scope:
    """What an identity of ``A`` and ``B`` covers: every entry, every value of the free
    symbols, generic functions arbitrary, concrete ones as themselves.

    >>> x = sp.Symbol("x")
    >>> expression_scope(sp.Matrix([[x]]), sp.Matrix([[sp.tanh(x)]])).note
    'all values of the 1 free symbol(s); tanh as themselves'
    """
    syms, funcs = _symbols_and_functions(A, B)
    generic = [str(f) for f in funcs if is_generic_function(f)]
    concrete = [str(f) for f in funcs if not is_generic_function(f)]
    note = (f"all values of the {len(syms)} free symbol(s)"
            + (f"; {', '.join(generic)} arbitrary functions" if generic else "")
            + (f"; {', '.join(concrete)} as themselves" if concrete else ""))
    return Scope(checked=A.rows * A.cols, note=note)


def exact_equal(A, B, *, scalar: bool = False, seed: int = 0) -> "Result | Beyond":
    """Decide ``A == B`` (immutable matrices of one shape) exactly, or :class:`Beyond`.
    ``scalar``: report no entry (a 1x1 comparison of expressions); ``seed``: of the
    counterexample search."""
    method = Method(MethodKind.EXACT, DETAIL)
    canon = Canonicalizer()
    nonzero = []
    try:
        for i in range(A.rows):
            for j in range(A.cols):
                if not (canon.poly(A[i, j]) - canon.poly(B[i, j])).is_zero():
                    nonzero.append((i, j))
    except BudgetExceeded as exc:
        return Beyond(f"exact expansion stopped: {exc}", DETAIL, expression_scope(A, B))
    except Unsupported as exc:
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, DETAIL), expression_scope(A, B),
                      f"not decided: {exc}")
    except RecursionError:
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, DETAIL), expression_scope(A, B),
                      "not decided: the expression is nested too deeply for the exact expansion")
    scope = expression_scope(A, B)
    shape = "" if scalar else f" ({A.rows}x{A.cols} matrices, entrywise)"
    if not nonzero:
        return Result(Verdict.PROVED, method, scope,
                      f"a - b expands to the zero polynomial{shape} in {len(canon.exprs)} "
                      f"generators (symbols and function applications)")
    labels = [((i, j), A[i, j], B[i, j]) for i, j in nonzero]
    found = find_counterexample(labels, _symbols_and_functions(A, B)[0], seed=seed)
    if found is None:
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, DETAIL), scope,
                      f"a - b is a nonzero polynomial in {len(nonzero)} entr"
                      f"{'y' if len(nonzero) == 1 else 'ies'} when function applications are "
                      f"independent, but no certified counterexample was found in "
                      f"{COUNTEREXAMPLE_TRIES} random points (a concrete function may satisfy it)")
    (i, j), ev, va, vb = found
    entry = None if scalar else (i, j)
    cex = counterexample_from(ev, va, vb, location=Location(entry=entry),
                              extra={"entry": entry})
    return Result(Verdict.REFUTED, Method(MethodKind.EXACT, f"{DETAIL} and a certified point"),
                  scope, f"a - b is nonzero{shape}; it differs at a rational point"
                  + (f" in entry {entry}" if entry else ""), counterexample=cex)


__all__ = ["DETAIL", "exact_equal", "expression_scope"]
