"""Size-generic proofs: eq. 12 for every n (index notation), eq. 13 for every T (induction).

A :class:`Proof` is a list of :class:`ProofStep` objects, each a statement (text and LaTeX)
and a check that SymPy carries out on index-notation expressions over a *symbolic* size
``n`` (``IndexedBase``, ``Sum``, ``KroneckerDelta``; no ``MatrixSymbol.diff``, which
answers in denominator layout and raises on nested elementwise functions). A proof prints
before it is checked (steps marked "unchecked") and after (each step "checked" or
"FAILED" with what SymPy returned); :meth:`Proof.check` returns a
:class:`rnncore.results.Result` whose scope says "all n" or "all T by induction" only
when every step checked.

Index conventions: free indices ``i, j`` range over ``1..n`` (n a symbolic positive
integer); bound indices ``l, q`` only occur inside sums over ``1..n``, so a
``Piecewise`` condition ``l <= n`` or ``j <= n`` that ``doit`` leaves is true by range
and is dropped (:func:`drop_range_conditions`).

>>> p = eq12_generic_proof("A")
>>> print(p.text().splitlines()[0])
Proof: blog eq. 12, form A, for every n (index notation with a symbolic n)
>>> r = p.check()
>>> r.verdict.value, r.scope.span("n").every, r.method.kind.value
('proved', True, 'exact')
>>> eq13_induction_proof("A").check().scope.span("T").every
True
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp
from sympy.core.basic import Atom, Basic
from sympy.core.function import AppliedUndef
from sympy.core.operations import AssocOp
from sympy.concrete.summations import _dummy_with_inherited_properties_concrete as _inherited_dummy
from sympy.concrete.summations import eval_sum

from rnncore.display import Displayable
from rnncore.errors import InvalidInputError
from rnncore.results import Method, MethodKind, Result, Scope, Span, Verdict

from .activations import dsigma, sigma

n = sp.Symbol("n", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
i, j, l, q, p_, r_ = sp.symbols("i j l q p r", integer=True, positive=True)
W = sp.IndexedBase("W")    # W_rec
V = sp.IndexedBase("V")    # W_in
x = sp.IndexedBase("x")    # the previous state x_{t-1} (form B: h_{t-1})
u = sp.IndexedBase("u")
b = sp.IndexedBase("b")
s = sp.Symbol("s")         # one entry x_{k,j} of the base state (chain-rule step)
g = sp.Function("g")       # x_{t-1,l} as an arbitrary function g(l, s) of that entry

#: The generic ``doit`` methods :func:`shared_doit` reproduces (arguments first, then the
#: node rebuilt), and that of an atom (itself).
_BASIC_DOIT, _ASSOC_DOIT, _ATOM_DOIT = Basic.doit, AssocOp.doit, Atom.doit
_PIECEWISE_DOIT = sp.Piecewise.doit
#: ``Sum.doit`` and ``eval_sum`` are replicated / reasoned about as SymPy 1.14 has them.
_SUM_DOIT_REPLICA = sp.__version__.startswith("1.14.")

#: Facts true for every index of the statements (free i, j; bound l, q).
RANGE_FACTS = tuple(
    fact for v in (i, j, l, q) for fact in (sp.Le(v, n), sp.Ge(v, 1), sp.Le(1, v), sp.Ge(n, v))
)


def drop_range_conditions(expr):
    """Replace index-range conditions (``j <= n``, ``1 <= l``, ...) by True, then evaluate
    the ``Piecewise`` they guard.

    >>> drop_range_conditions(sp.Piecewise((W[i, j], j <= n), (0, True)))
    W[i, j]
    """
    facts = {f: sp.true for f in RANGE_FACTS}
    out = expr.xreplace(facts)
    return out.replace(lambda e: isinstance(e, sp.Piecewise), lambda e: sp.piecewise_fold(e).doit()
                       if not e.args[0].cond == sp.true else e.args[0].expr)


def _into_sums(expr):
    """Move factors that do not depend on a sum's index inside it: c·Σ_l f_l → Σ_l c f_l
    (in each term of an Add), so that equal sums written differently compare equal."""
    terms = []
    for term in sp.Add.make_args(expr):
        factors = sp.Mul.make_args(term)
        sums = [f for f in factors if isinstance(f, sp.Sum)]
        if len(sums) == 1:
            (sm,) = sums
            bound = {lim[0] for lim in sm.limits}
            rest = [f for f in factors if f is not sm]
            if not any(f.free_symbols & bound for f in rest):
                term = sp.Sum(sp.expand(sp.Mul(*rest) * sm.function), *sm.limits)
        terms.append(term)
    return _alpha(sp.Add(*terms))


def _alpha(expr, depth: int = 0):
    """Rename bound summation indices by nesting depth (ι0, ι1, ...): alpha-equivalent
    sums become identical."""
    if isinstance(expr, sp.Sum) and len(expr.limits) == 1:
        v, lo, hi = expr.limits[0]
        new = sp.Symbol(f"ι{depth}", integer=True, positive=True)
        return sp.Sum(_alpha(expr.function.xreplace({v: new}), depth + 1), (new, lo, hi))
    if not expr.args or not isinstance(expr, sp.Expr):
        return expr
    return expr.func(*[_alpha(a, depth) for a in expr.args])


@functools.lru_cache(maxsize=256)
def _diff(expr, var):
    """``diff(expr, var)``, memoised (the proofs differentiate the same entries).

    >>> _diff(W[i, l] * sigma(x[l]), x[l]) == W[i, l] * dsigma(x[l])
    True
    """
    return sp.diff(expr, var)


@functools.lru_cache(maxsize=256)
def _doit(expr):
    """``expr.doit()``, memoised.

    >>> _doit(sp.Sum(sp.KroneckerDelta(l, j) * W[i, l], (l, 1, n))).has(sp.Sum)
    False
    """
    return shared_doit(expr)


def _opaque_in(expr, v) -> bool:
    """Whether ``expr`` depends on the index ``v`` only through entries and undefined
    functions at ``v`` itself: an ``Indexed`` (base free of v) each of whose indices is v or
    free of v, an undefined function (σ, σ', g: no evaluation, rewrite or expansion rule)
    or a ``Derivative`` of one, each argument v, free of v, or itself opaque in v.

    >>> _opaque_in(W[i, l] , l), _opaque_in(dsigma(x[l]), l), _opaque_in(l * x[l], l)
    (True, True, False)
    """
    if isinstance(expr, sp.Indexed):
        return not expr.base.has(v) and all(ix == v or not ix.has(v) for ix in expr.indices)
    if isinstance(expr, AppliedUndef) or type(expr) in (sigma, dsigma):
        return all(a == v or not a.has(v) or _opaque_in(a, v) for a in expr.args)
    if isinstance(expr, sp.Derivative):
        return _opaque_in(expr.expr, v) and not any(w.has(v) for w in expr.variables)
    return False


def _unsummable(summand, limit) -> bool:
    """Whether SymPy's ``Sum.doit`` provably leaves ``Σ summand`` over ``limit`` as it is: a
    symbolic range (no direct evaluation, no empty or reversed range, no renamed index), no
    delta or ``Piecewise``, and the expanded summand a product whose factors either do not
    contain the index or are opaque in it (:func:`_opaque_in`) — then linearity, ``apart``
    (not polynomial in the index), Faulhaber, the geometric pattern, Gosper and the
    hypergeometric route all find nothing (none of these entries has a rational term ratio).
    """
    limit = sp.Tuple(*limit)
    v, lo, hi = limit
    if (hi - lo).is_Integer or hi.has(sp.oo, -sp.oo) or lo.has(sp.oo, -sp.oo) \
            or (hi - lo).is_nonnegative is not True or _inherited_dummy(limit) is not None:
        return False
    if v not in summand.free_symbols or summand.has(sp.KroneckerDelta):
        return False
    if isinstance(summand, sp.Piecewise):
        # conditions on v: eval_sum gives up on a Piecewise; else it sums piece by piece
        # and gives up at the first piece it cannot sum
        return (any(v in c.free_symbols for _, c in summand.args)
                or _unsummable(summand.args[0].expr, limit))
    if summand.has(sp.Piecewise):
        return False
    factors = sp.Mul.make_args(summand.expand())
    return all(_opaque_in(f, v) if f.has(v) else not f.is_Number or f != 0 for f in factors) \
        and any(f.has(v) for f in factors)


@functools.lru_cache(maxsize=512)
def _sum_doit(expr):
    """``expr.doit()`` for a ``Sum``: SymPy 1.14's ``Sum.doit`` step for step (the summand's
    ``doit`` first, then ``eval_sum`` per limit, then the result's ``doit``), with the
    summand and the result through :func:`shared_doit` (so nested sums are shared too) and
    ``eval_sum`` skipped where it provably finds nothing (:func:`_unsummable`). Other SymPy
    versions, renamed indices and matrix summands: SymPy's own ``doit``."""
    if not _SUM_DOIT_REPLICA or expr.function.is_Matrix \
            or any(_inherited_dummy(limit) is not None for limit in expr.limits):
        return expr.doit()
    f = shared_doit(expr.function)
    for pos, (v, lo, hi) in enumerate(expr.limits):
        dif = hi - lo
        if dif == -1:
            return sp.S.Zero
        if dif.is_integer and dif.is_negative:
            lo, hi = hi + 1, lo - 1
            f = -f
        newf = None if _unsummable(f, (v, lo, hi)) else eval_sum(f, (v, lo, hi))
        if newf is None:
            if f == expr.function:
                zeta = expr.eval_zeta_function(f, (v, lo, hi))
                return expr if zeta is None else zeta
            return expr.func(f, *expr.limits[pos:])
        f = newf
    return f if isinstance(f, sp.Piecewise) else shared_doit(f)


def shared_doit(expr):
    """``expr.doit()``, computed the same way (each node's own ``doit``, its arguments
    first) except that every ``Sum`` met outside another sum is evaluated once per process:
    the proofs' sides share sums (``Σ_p V_ip u_p`` inside every pre-activation), and SymPy
    tries its symbolic summation algorithms on each unevaluable one at every ``doit``.
    ``Piecewise`` nodes as ``Piecewise.doit`` (pieces first); other nodes with a ``doit``
    of their own (``Derivative``, ...) call it whole.

    >>> e = sp.Sum(W[i, l] * sp.KroneckerDelta(l, j), (l, 1, n)) + sp.Sum(V[i, p_] * u[p_], (p_, 1, m))
    >>> shared_doit(e) == e.doit()
    True
    """
    if isinstance(expr, sp.Sum):
        return _sum_doit(expr)
    method = type(expr).doit
    if method is _ATOM_DOIT:
        return expr
    if method is _BASIC_DOIT:
        return expr.func(*[shared_doit(a) if isinstance(a, Basic) else a for a in expr.args])
    if method is _ASSOC_DOIT:
        return expr.func(*[shared_doit(a) for a in expr.args], evaluate=True)
    if method is _PIECEWISE_DOIT:  # Piecewise.doit, its pieces through shared_doit
        pieces = []
        for e, c in expr.args:
            if isinstance(e, Basic):
                done = shared_doit(e)
                if done != expr:
                    e = done
            if isinstance(c, Basic):
                c = shared_doit(c)
            pieces.append((e, c))
        return expr.func(*pieces)
    return expr.doit()


@functools.lru_cache(maxsize=256)
def _equal(lhs, rhs) -> tuple[bool, str]:
    """Whether ``lhs`` and ``rhs`` reduce to the same expression, and what they reduce to.
    Memoised on the two expressions: the proofs share steps (eq. 13's one-step step is eq.
    12's proof, eq. 10's steps are eq. 13's), and the outcome depends on nothing else.

    >>> _equal(sp.Sum(W[i, l] * sp.KroneckerDelta(l, j), (l, 1, n)), W[i, j])[0]
    True
    """
    a = drop_range_conditions(sp.expand(shared_doit(lhs)))
    c = drop_range_conditions(sp.expand(shared_doit(rhs)))
    diff = sp.expand(a - c)
    if diff != 0:  # pull factors free of the summation index into the sums, then compare
        diff = sp.expand(_into_sums(a) - _into_sums(c))
    if diff == 0:
        return True, f"both sides reduce to {sp.sstr(a)}"
    return False, f"the difference reduces to {sp.sstr(diff)} (lhs {sp.sstr(a)}, rhs {sp.sstr(c)})"


@dataclass
class ProofStep:
    """One step: a statement (text, LaTeX) and a check returning ``(ok, detail)``."""

    name: str
    text: str
    latex: str
    check: Callable[[], tuple[bool, str]]
    status: str = "unchecked"
    detail: str = ""

    def run(self) -> bool:
        """Carry out the check and record the outcome."""
        try:
            ok, detail = self.check()
        except Exception as exc:  # a failing SymPy call is a failed step, reported
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        self.status, self.detail = ("checked" if ok else "FAILED"), detail
        return ok


@dataclass
class Proof(Displayable):
    """A printable proof: title, conclusion, steps, and the scope a full check supports."""

    title: str
    conclusion_text: str
    conclusion_latex: str
    steps: list[ProofStep]
    scope: Scope
    method: Method
    notes: list[str] = field(default_factory=list)
    #: The title in LaTeX when the plain title has symbols pdflatex does not take as text.
    title_latex: str = ""

    def text(self) -> str:
        """Plain-text rendering (with each step's status)."""
        lines = [f"Proof: {self.title}", f"Claim: {self.conclusion_text}"]
        for k, st in enumerate(self.steps, 1):
            lines.append(f"  {k}. [{st.status}] {st.name}: {st.text}")
            if st.detail:
                lines.append(f"       {st.detail}")
        lines.extend(f"  Note: {nt}" for nt in self.notes)
        return "\n".join(lines)

    def latex(self) -> str:
        """LaTeX rendering (an enumerate environment)."""
        items = "\n".join(
            f"  \\item \\textbf{{{_tex_escape(st.name)}}} ({st.status}): ${st.latex}$" for st in self.steps
        )
        title = self.title_latex or _tex_escape(self.title)
        return (f"\\paragraph{{{title}}} Claim: ${self.conclusion_latex}$.\n"
                f"\\begin{{enumerate}}\n{items}\n\\end{{enumerate}}")

    def check(self) -> Result:
        """Check every step; ``proved`` with :attr:`scope` only if all of them check."""
        oks = [st.run() for st in self.steps]
        if all(oks):
            return Result(Verdict.PROVED, self.method, self.scope,
                          f"{len(self.steps)} steps checked: {self.title}")
        bad = [st for st, ok in zip(self.steps, oks) if not ok]
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, self.method.detail), Scope(),
                      f"step '{bad[0].name}' did not check: {bad[0].detail}")


def _tex_escape(text: str) -> str:
    return text.replace("&", r"\&").replace("%", r"\%").replace("_", r"\_").replace("#", r"\#")


def _state_entry_A(row):
    """x_{t,row} = Σ_l W[row,l] σ(x_{t-1,l}) + Σ_p V[row,p] u_p + b_row (form A)."""
    return sp.Sum(W[row, l] * sigma(x[l]), (l, 1, n)) + sp.Sum(V[row, p_] * u[p_], (p_, 1, m)) + b[row]


def _preact_B(row, bound):
    """a_{t,row} = Σ W[row,bound] h_{t-1,bound} + Σ_p V[row,p] u_p + b_row (form B)."""
    return sp.Sum(W[row, bound] * x[bound], (bound, 1, n)) + sp.Sum(V[row, p_] * u[p_], (p_, 1, m)) + b[row]


def _check_form(form: str) -> None:
    if form not in ("A", "B"):
        raise InvalidInputError(f"form={form!r} is not allowed; use 'A' or 'B'")


def eq12_generic_proof(form: str = "A", closed_form: Callable | None = None) -> Proof:
    """Eq. 12 for every n: ``(∂x_t/∂x_{t-1})_{ij} = (W_rec diag(σ'(x_{t-1})))_{ij}`` (form A),
    ``(∂h_t/∂h_{t-1})_{ij} = (diag(σ'(a_t)) W_rec)_{ij}`` (form B), numerator layout.

    ``closed_form(i, j)`` replaces the closed form's (i, j) entry in index notation (to
    check a variant, e.g. a transposed W_rec); a wrong one leaves the proof unchecked:

    >>> print(eq12_generic_proof("B").text().splitlines()[1])
    Claim: (∂h_t/∂h_{t-1})_{ij} = (diag(σ'(a_t)) W_rec)_{ij} for all 1 <= i, j <= n, every n
    >>> wrong = lambda r, c: sp.Sum(W[l, r] * sp.KroneckerDelta(l, c) * dsigma(x[l]), (l, 1, n))
    >>> eq12_generic_proof("A", closed_form=wrong).check().verdict.value
    'undecided'
    """
    _check_form(form)
    if form == "A":
        lhs = lambda: _diff(_state_entry_A(i), x[j])  # noqa: E731
        rhs = (lambda: closed_form(i, j)) if closed_form else (  # noqa: E731
            lambda: sp.Sum(W[i, l] * sp.KroneckerDelta(l, j) * dsigma(x[l]), (l, 1, n)))
        claim = "(∂x_t/∂x_{t-1})_{ij} = (W_rec diag(σ'(x_{t-1})))_{ij} for all 1 <= i, j <= n, every n"
        claim_tex = (r"\left(\frac{\partial x_t}{\partial x_{t-1}}\right)_{ij} = "
                     r"\left(W_{rec}\,\mathrm{diag}(\sigma'(x_{t-1}))\right)_{ij}")
        s1 = ProofStep(
            "direct derivative",
            "∂/∂x_{t-1,j} of x_{t,i} = Σ_l W_il σ(x_{t-1,l}) + Σ_p V_ip u_p + b_i is Σ_l W_il σ'(x_{t-1,l}) δ_lj = W_ij σ'(x_{t-1,j})",
            r"\frac{\partial}{\partial x_{t-1,j}}\Big(\sum_{l=1}^n W_{il}\sigma(x_{t-1,l}) + \sum_p V_{ip}u_p + b_i\Big) = W_{ij}\sigma'(x_{t-1,j})",
            lambda: _equal(lhs(), W[i, j] * dsigma(x[j])))
        s2 = ProofStep(
            "closed form entry",
            "(W_rec diag(σ'(x_{t-1})))_{ij} = Σ_l W_il δ_lj σ'(x_{t-1,l}) = W_ij σ'(x_{t-1,j})",
            r"\sum_{l=1}^n W_{il}\,\delta_{lj}\,\sigma'(x_{t-1,l}) = W_{ij}\sigma'(x_{t-1,j})",
            lambda: _equal(rhs(), W[i, j] * dsigma(x[j])))
    else:
        a_i = _preact_B(i, l)
        lhs = lambda: _diff(sigma(a_i), x[j])  # noqa: E731
        rhs = (lambda: closed_form(i, j)) if closed_form else (  # noqa: E731
            lambda: sp.Sum(sp.KroneckerDelta(i, q) * dsigma(_preact_B(q, l)) * W[q, j], (q, 1, n)))
        claim = "(∂h_t/∂h_{t-1})_{ij} = (diag(σ'(a_t)) W_rec)_{ij} for all 1 <= i, j <= n, every n"
        claim_tex = (r"\left(\frac{\partial h_t}{\partial h_{t-1}}\right)_{ij} = "
                     r"\left(\mathrm{diag}(\sigma'(a_t))\,W_{rec}\right)_{ij}")
        s1 = ProofStep(
            "direct derivative",
            "∂/∂h_{t-1,j} of h_{t,i} = σ(a_{t,i}), a_{t,i} = Σ_l W_il h_{t-1,l} + Σ_p V_ip u_p + b_i, is σ'(a_{t,i}) W_ij",
            r"\frac{\partial}{\partial h_{t-1,j}}\sigma\Big(\sum_{l=1}^n W_{il}h_{t-1,l} + \sum_p V_{ip}u_p + b_i\Big) = \sigma'(a_{t,i})W_{ij}",
            lambda: _equal(lhs(), dsigma(a_i) * W[i, j]))
        s2 = ProofStep(
            "closed form entry",
            "(diag(σ'(a_t)) W_rec)_{ij} = Σ_q δ_iq σ'(a_{t,q}) W_qj = σ'(a_{t,i}) W_ij",
            r"\sum_{q=1}^n \delta_{iq}\,\sigma'(a_{t,q})\,W_{qj} = \sigma'(a_{t,i})W_{ij}",
            lambda: _equal(rhs(), dsigma(a_i) * W[i, j]))
    s3 = ProofStep("conclusion", "both entries equal the same expression, for symbolic n, i, j",
                   r"\text{steps 1 and 2}", lambda: _equal(lhs(), rhs()))
    return Proof(
        title=f"blog eq. 12, form {form}, for every n (index notation with a symbolic n)",
        conclusion_text=claim, conclusion_latex=claim_tex, steps=[s1, s2, s3],
        scope=Scope(spans=(Span("n", 1, None), Span("m", 1, None)), activations=("generic",),
                    forms=(form,), note="symbolic n, index notation"),
        method=Method(MethodKind.EXACT, "index-notation proof over a symbolic n (sums of indexed "
                      "entries and Kronecker deltas)"),
        notes=["generic σ covers every differentiable activation: σ' is whatever derivative the "
               "activation has (for relu: the step convention, away from the kink)"],
    )


def eq13_induction_proof(form: str = "A") -> Proof:
    """Eq. 13 (form A) or its form-B analogue for every T, by induction on t − k:
    ``J(k,k) = I = C(k,k)`` and both ``J(t,k) = ∂x_t/∂x_k`` and the product ``C(t,k)`` obey
    ``X(t,k) = F_t X(t-1,k)`` with ``F_t = W_rec diag(σ'(x_{t-1}))`` (form B:
    ``diag(σ'(a_t)) W_rec``); the one-step fact and the recursion are proved for every n.

    >>> pr = eq13_induction_proof("B")
    >>> [st.status for st in pr.steps][:2]
    ['unchecked', 'unchecked']
    >>> pr.check().verdict.value, pr.steps[0].status
    ('proved', 'checked')
    """
    _check_form(form)
    one = eq12_generic_proof(form)
    if form == "A":
        factor_txt, factor_tex = "W_rec diag(σ'(x_{t-1}))", r"W_{rec}\,\mathrm{diag}(\sigma'(x_{t-1}))"
        # x_{t,i} as a function of s = x_{k,j} through x_{t-1,l} = g(l, s)
        lhs = lambda: _diff(sp.Sum(W[i, l] * sigma(g(l, s)), (l, 1, n))  # noqa: E731
                              + sp.Sum(V[i, p_] * u[p_], (p_, 1, m)) + b[i], s)
        fac = lambda row, col: sp.Sum(W[row, q] * sp.KroneckerDelta(q, col) * dsigma(g(q, s)), (q, 1, n))  # noqa: E731
        letter = "x"
    else:
        factor_txt, factor_tex = "diag(σ'(a_t)) W_rec", r"\mathrm{diag}(\sigma'(a_t))\,W_{rec}"
        pre = lambda row, bound: (sp.Sum(W[row, bound] * g(bound, s), (bound, 1, n))  # noqa: E731
                                  + sp.Sum(V[row, p_] * u[p_], (p_, 1, m)) + b[row])
        lhs = lambda: _diff(sigma(pre(i, r_)), s)  # noqa: E731
        fac = lambda row, col: sp.Sum(sp.KroneckerDelta(row, q) * dsigma(pre(q, r_))  # noqa: E731
                                      * W[q, col], (q, 1, n))
        letter = "h"
    rhs = lambda: sp.Sum(_doit(fac(i, l)) * sp.Derivative(g(l, s), s), (l, 1, n))  # noqa: E731

    def base_case():
        return _equal(sp.diff(x[i], x[j]), sp.KroneckerDelta(i, j))

    def product_recursion():
        # C(t,k) := F_t C(t-1,k), C(k,k) = I defines the ordered product with the largest
        # index leftmost; checked against the explicit product F_t F_{t-1} ⋯ F_{k+1} of
        # non-commuting symbols for all 0 <= k < t <= 6 (the definition, not the induction)
        F = sp.symbols("F1:7", commutative=False)
        def explicit(t, k):
            out = sp.Integer(1)
            for jj in range(t, k, -1):
                out = out * F[jj - 1]
            return out
        rec = {}
        for k in range(0, 7):
            rec[(k, k)] = sp.Integer(1)
            for t in range(k + 1, 7):
                rec[(t, k)] = F[t - 1] * rec[(t - 1, k)]
        bad = [(t, k) for (t, k), v in rec.items() if sp.expand(v - explicit(t, k)) != 0]
        return not bad, ("the recursion C(t,k) = F_t C(t-1,k), C(k,k) = I gives F_t F_{t-1} ⋯ "
                         f"F_(k+1) for all {len(rec)} pairs 0 <= k <= t <= 6" if not bad else
                         f"differs from the explicit product at (t, k) = {bad[0]}")

    def one_step():
        res = one.check()
        return res.verdict is Verdict.PROVED, res.evidence

    Hyp = sp.IndexedBase("H")   # the hypothesis J(t-1,k) = C(t-1,k), a generic n×n matrix

    def induction_step():
        # J(t,k)_ij from the chain-rule step with ∂x_{t-1,l}/∂x_{k,j} := H_lj (the hypothesis)
        true_t = rhs().xreplace({sp.Derivative(g(l, s), s): Hyp[l, j]})
        # C(t,k)_ij = Σ_l (F_t)_il C(t-1,k)_lj with C(t-1,k) := H (the same hypothesis)
        prod_t = sp.Sum(_doit(fac(i, l)) * Hyp[l, j], (l, 1, n))
        return _equal(true_t, prod_t)

    steps = [
        ProofStep("base case", f"∂{letter}_k/∂{letter}_k = I: ∂{letter}_{{k,i}}/∂{letter}_{{k,j}} = δ_ij, and the empty product is I",
                  rf"\frac{{\partial {letter}_{{k,i}}}}{{\partial {letter}_{{k,j}}}} = \delta_{{ij}}", base_case),
        ProofStep("one step (eq. 12, every n)", f"J_t = ∂{letter}_t/∂{letter}_{{t-1}} = {factor_txt}",
                  rf"J_t = {factor_tex}", one_step),
        ProofStep("recursion of the true derivative (every n)",
                  f"with {letter}_{{t-1,l}} = g_l({letter}_k) any differentiable function, "
                  f"(∂{letter}_t/∂{letter}_k)_ij = Σ_l (F_t)_il (∂{letter}_{{t-1}}/∂{letter}_k)_lj, F_t = {factor_txt}",
                  rf"\frac{{\partial {letter}_t}}{{\partial {letter}_k}} = \Big({factor_tex}\Big)\frac{{\partial {letter}_{{t-1}}}}{{\partial {letter}_k}}",
                  lambda: _equal(lhs(), rhs())),
        ProofStep("recursion of the product", "C(t,k) = ∏_{j=k+1}^t F_j = F_t C(t-1,k), C(k,k) = I",
                  r"C(t,k) = F_t\, C(t-1,k),\quad C(k,k) = I", product_recursion),
        ProofStep("induction step (symbolic t, every n)",
                  f"with the hypothesis ∂{letter}_{{t-1}}/∂{letter}_k = C(t-1,k) =: H (a generic n×n matrix), "
                  f"step 3 gives (∂{letter}_t/∂{letter}_k)_ij = Σ_l (F_t)_il H_lj and step 4 gives "
                  "C(t,k)_ij = Σ_l (F_t)_il H_lj: equal, so J(t,k) = C(t,k) for all t >= k",
                  r"J(t-1,k) = C(t-1,k) =: H \implies J(t,k)_{ij} = \sum_l (F_t)_{il} H_{lj} = C(t,k)_{ij}",
                  induction_step),
    ]
    return Proof(
        title=f"blog eq. 13, form {form}, for every T (induction on t - k)",
        conclusion_text=f"∂{letter}_t/∂{letter}_k = ∏_{{j=k+1}}^t F_j with F_j = " + factor_txt.replace("t", "j")
        + " (largest index leftmost), for all n and 0 <= k <= t",
        conclusion_latex=rf"\frac{{\partial {letter}_t}}{{\partial {letter}_k}} = \prod_{{j=k+1}}^{{t}} F_j",
        steps=steps,
        scope=Scope(spans=(Span("n", 1, None), Span("T", 1, None)), activations=("generic",),
                    forms=(form,), note="every 0 <= k <= t <= T (induction on t - k)"),
        method=Method(MethodKind.EXACT, "T-generic induction with n-generic steps (SymPy index "
                      "notation)"),
    )


def eq10_induction_proof(form: str = "A") -> Proof:
    """Eq. 10 for every T: ``∂x_t/∂x_k = J_t J_{t-1} ⋯ J_{k+1}`` with ``J_j = ∂x_j/∂x_{j-1}``.
    The steps are those of :func:`eq13_induction_proof`: the true derivative obeys
    ``J(t,k) = F_t J(t-1,k)`` (chain-rule step, every n) with ``F_t = J_t`` (eq. 12, every
    n), and so does the product of the J_j; same base case, hence equal.

    >>> eq10_induction_proof("A").check().verdict.value
    'proved'
    """
    pr = eq13_induction_proof(form)
    letter = "x" if form == "A" else "h"
    pr.title = f"blog eq. 10, form {form}, for every T (induction on t - k)"
    pr.conclusion_text = (f"∂{letter}_t/∂{letter}_k = J_t J_{{t-1}} ⋯ J_{{k+1}}, "
                          f"J_j = ∂{letter}_j/∂{letter}_{{j-1}}, for all n and 0 <= k <= t")
    pr.conclusion_latex = (rf"\frac{{\partial {letter}_t}}{{\partial {letter}_k}} = "
                           rf"\prod_{{j=k+1}}^{{t}} \frac{{\partial {letter}_j}}{{\partial {letter}_{{j-1}}}}")
    return pr


def kron_row_proof() -> Proof:
    """Eq. 15 with θ = W whole: ``c = ∂⁺x_k/∂W = I_n ⊗ z_kᵀ`` (``z_k = [σ(x_{k-1}); u_k; 1]``,
    of any length r), and for every row ``a`` (1 × n) and n × n matrix ``B``:
    ``‖a B c‖₂ = ‖a B‖₂ ‖z_k‖₂`` and ``‖a c‖₂ = ‖a‖₂ ‖z_k‖₂``, in index notation over symbolic
    n and r (a 1 × N matrix's ‖·‖₂ is the Euclidean norm of its entries).

    >>> kron_row_proof().check().verdict.value
    'proved'
    """
    r = sp.Symbol("r", integer=True, positive=True)
    a_, B_, z_, v_ = (sp.IndexedBase(name) for name in ("a", "B", "z", "v"))
    c_entry = lambda row, col, qq: sp.KroneckerDelta(row, col) * z_[qq]  # noqa: E731  (I ⊗ zᵀ)
    aB = lambda col: sp.Sum(a_[q] * B_[q, col], (q, 1, n))  # noqa: E731

    def entry_aBc():
        return _equal(sp.Sum(aB(l) * c_entry(l, i, j), (l, 1, n)), aB(i) * z_[j])

    def entry_ac():
        return _equal(sp.Sum(a_[l] * c_entry(l, i, j), (l, 1, n)), a_[i] * z_[j])

    def factorises():
        inner = sp.factor_terms(sp.Sum(v_[i] ** 2 * z_[j] ** 2, (j, 1, r)))
        outer = sp.factor_terms(sp.Sum(inner, (i, 1, n)))
        target = sp.Sum(v_[i] ** 2, (i, 1, n)) * sp.Sum(z_[j] ** 2, (j, 1, r))
        ok = sp.expand(outer - target) == 0
        return ok, f"Σ_i Σ_q v_i² z_q² = {sp.sstr(outer)}"

    steps = [
        ProofStep("entries of a B c", "(a B (I ⊗ zᵀ))_{(i,q)} = Σ_l (aB)_l δ_li z_q = (aB)_i z_q",
                  r"\big(aB(I\otimes z^T)\big)_{(i,q)} = \sum_l (aB)_l\,\delta_{li}\,z_q = (aB)_i z_q",
                  entry_aBc),
        ProofStep("entries of a c", "(a (I ⊗ zᵀ))_{(i,q)} = Σ_l a_l δ_li z_q = a_i z_q",
                  r"\big(a(I\otimes z^T)\big)_{(i,q)} = a_i z_q", entry_ac),
        ProofStep("the norm of a Kronecker row", "Σ_{i,q} (v_i z_q)² = (Σ_i v_i²)(Σ_q z_q²), so ‖v ⊗ zᵀ‖₂ = ‖v‖₂‖z‖₂ "
                  "(v = aB, then v = a)",
                  r"\sum_{i,q} v_i^2 z_q^2 = \Big(\sum_i v_i^2\Big)\Big(\sum_q z_q^2\Big)", factorises),
    ]
    return Proof(
        title="eq. 15 with θ = W whole: ∂⁺x_k/∂W = I ⊗ z_kᵀ, for every n and r",
        title_latex=(r"eq.~15 with $\theta = W$ whole: $\partial^+ x_k/\partial W = I \otimes "
                     r"z_k^T$, for every $n$ and $r$"),
        conclusion_text="‖a B (I ⊗ zᵀ)‖₂ = ‖aB‖₂‖z‖₂ and ‖a (I ⊗ zᵀ)‖₂ = ‖a‖₂‖z‖₂",
        conclusion_latex=r"\|aB(I\otimes z^T)\|_2 = \|aB\|_2\|z\|_2,\ \|a(I\otimes z^T)\|_2 = \|a\|_2\|z\|_2",
        steps=steps,
        scope=Scope(spans=(Span("n", 1, None),), note="symbolic n and r, index notation"),
        method=Method(MethodKind.EXACT, "index notation over symbolic n, r (SymPy)"),
    )


__all__ = ["Proof", "ProofStep", "eq12_generic_proof", "eq13_induction_proof", "eq10_induction_proof",
           "kron_row_proof", "drop_range_conditions"]
