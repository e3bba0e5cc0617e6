"""The inductions behind "every T" for the gradient sums (blog eqs. 8, 9, 11, paper eq. 4),
each step computed at a symbolic t.

The derivative obeys ``G_t = P_t + J_t G_{t-1}``, ``G_0 = 0`` (eq. 7 with ``P_t = ∂⁺x_t/∂θ``,
``J_t = ∂x_t/∂x_{t-1}``; checked at a generic previous state elsewhere). The closed sums are
written with a *symbolic* t in SymPy: ``S_t = Σ_{k=1}^{t} Π(t,k) P_k`` with the ordered
product ``Π(t,k) = J_t ⋯ J_{k+1}`` a noncommutative function obeying its defining recursion
``Π(t,k) = J_t Π(t-1,k)`` (largest index leftmost), ``Π(t,t) = I``. Each step is a SymPy
computation on those objects — splitting the last term off a sum (``sum_combine``), pulling
the left factor ``J_t`` out of a sum of noncommutative terms (``factor_terms``), substituting
the induction hypothesis ``S_{t-1} = G_{t-1}`` as a generic noncommutative symbol ``H`` and
expanding — and its outcome is recorded. With the factors in ascending order the product's
recursion puts ``J_t`` on the right, it cannot be pulled out, and the step fails: the check
is real.

>>> pr = unrolling_induction_proof()
>>> pr.check().verdict.value, pr.scope.span("T").every
('proved', True)
>>> unrolling_induction_proof(order="ascending").check().verdict.value
'undecided'
>>> depth_induction_proof().check().verdict.value
'proved'
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp
from sympy.simplify.simplify import sum_combine

from rnncore.errors import InvalidInputError
from rnncore.results import Method, MethodKind, Result, Scope, Span

from .generic import Proof, ProofStep, eq13_induction_proof

t, k, d = sp.symbols("t k d", integer=True, positive=True)
#: The ordered product Π(t, k) = J_t ⋯ J_{k+1}, the immediate partials P_k, the one-step
#: Jacobians J_k and the derivative G_k: noncommutative (matrices of any size n).
Pi = sp.Function("Π", commutative=False)
P = sp.Function("P", commutative=False)
J = sp.Function("J", commutative=False)
G = sp.Function("G", commutative=False)
H = sp.Symbol("H", commutative=False)   # the induction hypothesis S_{t-1} = G_{t-1}

ORDERS = ("descending", "ascending")


def _closed(tt):
    """Eq. 9's sum ``Σ_{k=1}^{tt} Π(tt,k) P_k`` at a symbolic ``tt``."""
    return sp.Sum(Pi(tt, k) * P(k), (k, 1, tt))


def _product_step(order: str):
    """The defining recursion of the ordered product, as a rewrite of ``Π(t, k)``."""
    return J(t) * Pi(t - 1, k) if order == "descending" else Pi(t - 1, k) * J(t)


def _same(a, b) -> tuple[bool, str]:
    ok = sp.expand(a - b) == 0 or (isinstance(a, sp.Sum) and a.dummy_eq(b))
    return ok, (f"computed {sp.sstr(a)}" if ok else
                f"computed {sp.sstr(a)}, which differs from {sp.sstr(b)}")


def _rewrite_pair(expr, pair, by):
    """Replace the adjacent noncommutative factors ``pair`` by ``by`` in every term of a sum
    (``xreplace`` matches whole products only)."""
    terms = []
    for term in sp.Add.make_args(expr):
        comm, nc = term.args_cnc()
        out, i_ = [], 0
        while i_ < len(nc):
            if tuple(nc[i_:i_ + 2]) == pair:
                out.append(by)
                i_ += 2
            else:
                out.append(nc[i_])
                i_ += 1
        terms.append(sp.Mul(*comm) * sp.Mul(*out))
    return sp.Add(*terms)


def unrolling_induction_proof(order: str = "descending") -> Proof:
    """Eq. 9 (and eq. 11 / paper eq. 4, whose ∂x_t/∂x_k is the product ``Π(t,k)`` by the
    eq. 13 induction) for every t: ``Σ_{k=1}^{t} Π(t,k) P_k = G_t``, by induction on t with
    every step computed at a symbolic t (see the module docstring).

    >>> [st.name for st in unrolling_induction_proof().steps][:2]
    ['base case t = 1', 'split off the last term']
    """
    if order not in ORDERS:
        raise InvalidInputError(f"order={order!r} is not allowed; use one of {ORDERS}")
    one = sp.Integer(1)

    def base():
        # G_1 = P_1 + J_1 G_0 with G_0 = 0; S_1 = Π(1,1) P_1 with the empty product Π(1,1) = I
        g1 = P(1) + J(1) * 0
        s1 = _closed(one).doit().xreplace({Pi(1, 1): one})
        return _same(s1, g1)

    def split():
        parts = [sp.Sum(Pi(t, k) * P(k), (k, 1, t - 1)), sp.Sum(Pi(t, k) * P(k), (k, t, t))]
        combined = sum_combine(parts)
        ok = isinstance(combined, sp.Sum) and combined.dummy_eq(_closed(t))
        return ok, f"sum_combine gives {sp.sstr(combined)}"

    def last():
        term = sp.Sum(Pi(t, k) * P(k), (k, t, t)).doit().xreplace({Pi(t, t): one})
        return _same(term, P(t))

    def pull():
        rest = sp.Sum(Pi(t, k) * P(k), (k, 1, t - 1)).xreplace({Pi(t, k): _product_step(order)})
        return _same(sp.factor_terms(rest), J(t) * _closed(t - 1))

    def step():
        rest = sp.Sum(Pi(t, k) * P(k), (k, 1, t - 1)).xreplace({Pi(t, k): _product_step(order)})
        s_t = sp.factor_terms(rest) + P(t)
        s_t = s_t.xreplace({_closed(t - 1): H})
        return _same(s_t, P(t) + J(t) * H)

    prod_txt = "J_t Π(t-1,k)" if order == "descending" else "Π(t-1,k) J_t"
    steps = [
        ProofStep("base case t = 1", "S_1 = Π(1,1) P_1 = P_1 (empty product I) = P_1 + J_1 G_0 = G_1",
                  r"S_1 = \Pi(1,1)P_1 = P_1 = P_1 + J_1 G_0 = G_1", base),
        ProofStep("split off the last term", "Σ_{k=1}^{t-1} Π(t,k)P_k + Σ_{k=t}^{t} Π(t,k)P_k = S_t (symbolic t)",
                  r"\sum_{k=1}^{t-1}\Pi(t,k)P_k + \sum_{k=t}^{t}\Pi(t,k)P_k = S_t", split),
        ProofStep("last term", "Π(t,t) P_t = P_t (the empty product is I)",
                  r"\Pi(t,t)P_t = P_t", last),
        ProofStep("pull out J_t", f"with Π(t,k) = {prod_txt} (the product's recursion), "
                  "Σ_{k=1}^{t-1} Π(t,k) P_k = J_t S_{t-1}",
                  r"\sum_{k=1}^{t-1}\Pi(t,k)P_k = J_t S_{t-1}", pull),
        ProofStep("induction step", "with the hypothesis S_{t-1} = G_{t-1} =: H (a generic matrix), "
                  "S_t = P_t + J_t H = G_t, the recursion of eq. 7",
                  r"S_{t-1} = G_{t-1} =: H \implies S_t = P_t + J_t H = G_t", step),
    ]
    return Proof(
        title=f"blog eq. 9 for every t (induction on t, symbolic t; product order {order})",
        conclusion_text="Σ_{k=1}^{t} (J_t ⋯ J_{k+1}) P_k = G_t for every t ≥ 1, G_t = P_t + J_t G_{t-1}, G_0 = 0",
        conclusion_latex=r"\sum_{k=1}^{t}\Big(\prod_{j=k+1}^{t}J_j\Big)P_k = G_t\ \forall t\ge 1",
        steps=steps,
        scope=Scope(spans=(Span("n", 1, None), Span("T", 1, None)),
                    note="symbolic t, noncommutative factors (every size n)"),
        method=Method(MethodKind.EXACT, "induction on t with each step a SymPy computation at "
                      "a symbolic t (sum_combine, factor_terms, expansion)"),
    )


def depth_induction_proof() -> Proof:
    """Eq. 8 at every depth d: ``E_d = Σ_{k=t-d}^{t} Π(t,k) P_k + Π(t,t-d-1) G_{t-d-1}`` equals
    ``G_t``, by induction on d with a symbolic d and t: ``E_0 = P_t + J_t G_{t-1} = G_t`` and
    ``E_d = E_{d+1}`` after one substitution of eq. 7 (``G_s = P_s + J_s G_{s-1}``) and the
    product's recursion on the right, ``Π(t,s) J_s = Π(t,s-1)``.

    >>> depth_induction_proof().steps[-1].name
    'induction step d -> d + 1'
    """
    s = t - d - 1

    def E(dd):
        return sp.Sum(Pi(t, k) * P(k), (k, t - dd, t)) + Pi(t, t - dd - 1) * G(t - dd - 1)

    def base():
        e0 = E(sp.Integer(0)).doit().xreplace({Pi(t, t): 1, Pi(t, t - 1): J(t)})
        return _same(e0, P(t) + J(t) * G(t - 1))

    def step():
        e = sp.expand(E(d).xreplace({G(s): P(s) + J(s) * G(s - 1)}))
        e = _rewrite_pair(e, (Pi(t, s), J(s)), Pi(t, s - 1))
        sums = [a for a in sp.Add.make_args(e) if isinstance(a, sp.Sum)]
        rest = [a for a in sp.Add.make_args(e) if not isinstance(a, sp.Sum)]
        lone = [a for a in rest if a == Pi(t, s) * P(s)]
        others = [a for a in rest if a not in lone]
        if len(sums) != 1 or len(lone) != 1:
            return False, f"after substitution: {sp.sstr(e)}"
        merged = sum_combine([sp.Sum(Pi(t, k) * P(k), (k, s, s))] + sums)
        target_sum = sp.Sum(Pi(t, k) * P(k), (k, t - (d + 1), t))   # the sum of E_{d+1}
        ok = (isinstance(merged, sp.Sum) and merged.dummy_eq(target_sum)
              and sp.expand(sp.Add(*others) - Pi(t, t - d - 2) * G(t - d - 2)) == 0)
        return ok, f"E_d rewrites to {sp.sstr(merged)} + {sp.sstr(sp.Add(*others))} = E_(d+1)"

    steps = [
        ProofStep("base case d = 0", "E_0 = Π(t,t)P_t + Π(t,t-1)G_{t-1} = P_t + J_t G_{t-1} = G_t",
                  r"E_0 = P_t + J_t G_{t-1} = G_t", base),
        ProofStep("induction step d -> d + 1",
                  "substitute G_{t-d-1} = P_{t-d-1} + J_{t-d-1}G_{t-d-2} in E_d, use Π(t,s)J_s = Π(t,s-1), "
                  "and merge Π(t,t-d-1)P_{t-d-1} into the sum: E_d = E_{d+1} (symbolic d, t)",
                  r"E_d = E_{d+1}", step),
    ]
    return Proof(
        title="blog eq. 8 at every depth d (induction on d, symbolic d and t)",
        conclusion_text="Σ_{k=t-d}^{t} Π(t,k)P_k + Π(t,t-d-1)G_{t-d-1} = G_t for every 0 <= d <= t-1",
        conclusion_latex=r"\sum_{k=t-d}^{t}\Pi(t,k)P_k + \Pi(t,t-d-1)G_{t-d-1} = G_t",
        steps=steps,
        scope=Scope(spans=(Span("n", 1, None), Span("T", 1, None)),
                    note="symbolic d and t, noncommutative factors (every size n)"),
        method=Method(MethodKind.EXACT, "induction on the depth d, each step a SymPy computation"),
    )


#: The inductions :func:`checked_induction` knows, by name.
INDUCTIONS = {
    "unrolling": unrolling_induction_proof,
    "depth": depth_induction_proof,
    "eq13.A": lambda: eq13_induction_proof("A"),
    "eq13.B": lambda: eq13_induction_proof("B"),
}


@lru_cache(maxsize=8)
def checked_induction(name: str) -> tuple[Proof, Result]:
    """The induction proof called ``name`` (a key of :data:`INDUCTIONS`) and the result of
    checking it, computed once per process (several claims rest on the same induction; the
    proof builds the same objects every time, so the memo changes no result).

    >>> proof, result = checked_induction("unrolling")
    >>> result.verdict.value, checked_induction("unrolling")[1] is result
    ('proved', True)
    >>> checked_induction("eq99")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown induction 'eq99'; use one of unrolling, depth, eq13.A, eq13.B
    """
    if name not in INDUCTIONS:
        raise InvalidInputError(f"unknown induction {name!r}; use one of {', '.join(INDUCTIONS)}")
    proof = INDUCTIONS[name]()
    return proof, proof.check()


__all__ = ["unrolling_induction_proof", "depth_induction_proof", "ORDERS", "INDUCTIONS",
           "checked_induction"]
