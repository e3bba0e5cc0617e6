r"""Norm links the inequality language does not state: eq. 15-style lines.

- **Congruence** (``‖a‖ = ‖b‖`` with ``a``, ``b`` gradient expressions, eq. 15's first two
  lines): the identity ``a = b`` inside is checked by the gradient checker (the machinery of
  eqs. 11 and 13), then ``norm_congr`` (:mod:`derive.lemmas`) is applied mechanically. The
  verdict is the inner one's; an inner refutation refutes the norms only with a certified
  witness that the norms differ (one side the zero matrix there, the other with a nonzero
  entry: ``‖A‖₂ ≥ |A_ij|``), else undecided.
- **The regrouping** (eq. 15's third line) ``‖Σ_k a B_k c_k‖ ≤ Σ_k ‖a c_k‖ ∏_j ‖J_j‖``,
  ruled per reading of θ: taken whole (the author's: ``blog.eq15.grouping.whole-matrix``,
  then ``norm_sum_le`` and ``norm_prod_le``), one entry (not the author's: refuted with the
  catalogue's counterexamples ``blog.eq15.bound`` and ``blog.eq15.grouping``).
- **The bound by η** (eq. 15's last line) ``Σ_k ‖a c_k‖ ∏_j ‖J_j‖ ≤ Σ_k ‖a c_k‖ η^{t−k}``
  under the front matter's ``‖J_j‖₂ ≤ η``: a lemma proof (the hypothesis inside the product,
  ``prod_const``).

Texts are those of :mod:`.translate` (``dE[t]`` = ∂E_t/∂x_t, ``dplus[k]`` = ∂⁺x_k/∂θ).

>>> shape = regrouping_shape(
...     "norm2(sum(k, 1, t, dE[t] @ prod_down(j, t, k + 1, W @ D[j - 1]) @ dplus[k]))",
...     "sum(k, 1, t, norm2(dE[t] @ dplus[k]) * prod_down(j, t, k + 1, norm2(W @ D[j - 1])))", "A")
>>> shape
True
>>> eta_exponent("sum(k, 1, t, norm2(dE[t] @ dplus[k]) * prod_down(j, t, k + 1, norm2(W @ D[j - 1])))",
...              "sum(k, 1, t, norm2(dE[t] @ dplus[k]) * eta**(-k + t))", "A")
'-k + t'
"""
from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

import sympy as sp

from derive.formula import parse_gradient
from derive.gradient_formula import GradientNet, direct_gradient
from derive.lemma_proof import ASSUMPTION, Assumption, Chain, LemmaProof, Link, check_proof
from derive.norm_expr import (Add, Mat, MatMul, MatProd, MatSum, Mul, Norm2, NormF, Num, Pow,
                              ProdOver, Sym, SumOver, eq, le, sub)
from rnnclaims.joint.readings import THETA_WHOLE, check_grouping_whole
from rnnclaims.numeric.bounds import check_eq15_bound, check_grouping
from rnnclaims.statements.gradient import _P, _THETA_SHAPES
from derive.network import RNN
from rnncore.errors import InvalidInputError
from rnncore.registry import Options
from rnncore.results import Counterexample, Method, MethodKind, Result, Scope, Verdict

_VARS = ("i", "j")
ONE = Num(1)
t, k, j = Sym("t"), Sym("k"), Sym("j")
ETA = Sym("η")
J_j = Mat("J", sub=j)
B_TK = MatProd(J_j, j, Add(k, ONE), t)
GAP = sub(t, k)
a_row = Mat("a", "1", "n")
C_k = Mat("C", "n", "q", sub=k)
N_AC = Norm2(MatMul(a_row, C_k))
PROD_NORMS = ProdOver(Norm2(J_j), j, Add(k, ONE), t)


def _step(form: str, v: str) -> str:
    return f"W @ D[{v} - 1]" if form == "A" else f"D[{v}] @ W"


# ---------------------------------------------------------------- congruence
@lru_cache(maxsize=4)
def congruence_proof(norm: str = "norm2") -> Result:
    """The congruence step ``G = H ⇒ ‖G‖ = ‖H‖`` as a checked lemma proof (``G``, ``H`` the
    two sides, ``1 × p``; the inner identity is its assumption).

    >>> congruence_proof().label.value
    'proved-from-lemmas'
    """
    G, H = Mat("G", "1", "p"), Mat("H", "1", "p")
    N, lemma = (Norm2, "norm_congr") if norm == "norm2" else (NormF, "frobenius_norm_congr")
    return check_proof(LemmaProof(
        "norm congruence", goals=(eq(N(G), N(H)),),
        assumptions=(Assumption(eq(G, H), "the identity inside the norms, checked by the "
                                          "gradient checker"),),
        steps=(Chain(N(G), (Link("=", N(H), lemma),)),),
        note="G and H are the two sides inside the norms."))


def _linear(text: str, tv: int) -> int | None:
    """The value at ``t = tv`` of an index text such as ``t - 1`` or ``2`` (None if not)."""
    s = text.replace(" ", "")
    if not re.fullmatch(r"[-+]?(\d+|t)([-+](\d+|t))*", s):
        return None
    total = 0
    for sign, term in re.findall(r"([-+]?)(\d+|t)", s):
        val = tv if term == "t" else int(term)
        total += -val if sign == "-" else val
    return total


def empty_sum_at(text: str, tv: int) -> bool:
    """Is ``text`` one sum ``sum(v, lo, hi, F)`` whose range is empty at ``t = tv``?

    >>> empty_sum_at("sum(k, 2, t, dE[t] @ dplus[k])", 1), empty_sum_at("sum(k, 1, t, F)", 1)
    (True, False)
    """
    m = re.match(r"sum\((\w), ([^,()]+), ([^,()]+), ", text)
    if not m or not text.endswith(")"):
        return False
    depth = 0
    for i, ch in enumerate(text[3:], 3):  # the sum's bracket closes at the very end
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and i < len(text) - 1:
            return False
    lo, hi = _linear(m.group(2), tv), _linear(m.group(3), tv)
    return lo is not None and hi is not None and lo > hi


#: The generic functions of an activation- and loss-generic network (σ, σ′, ∂L/∂x_i).
_GENERIC = re.compile(r"sigma|dsigma|dL_\d+")


def _at_point(matrix, subs: dict, values: dict, chosen: dict):
    """``matrix`` with the symbols and the generic functions' values of a counterexample
    substituted, innermost application first; an application the counterexample does not
    list (an argument it gives no value at, so any value is consistent) gets 1, recorded in
    ``chosen``. None unless every entry becomes a rational."""
    given = {(a.func.__name__, a.args): v for a, v in values.items()}
    out = []
    for e in matrix:
        e = sp.sympify(e, strict=True).xreplace(subs)
        for _ in range(64):
            apps = [a for a in e.atoms(sp.Function) if _GENERIC.fullmatch(a.func.__name__)
                    and all(x.is_Rational for x in a.args)]
            if not apps:
                break
            swap = {}
            for a in apps:
                key = (a.func.__name__, a.args)
                if key not in given:
                    chosen.setdefault(key, (a, sp.Integer(1)))
                swap[a] = given[key] if key in given else chosen[key][1]
            e = e.xreplace(swap)
        if not e.is_Rational:
            return None
        out.append(e)
    return out


def norm_witness(model, theta: str, what: str, step: int, left: str | None, right: str,
                 data: dict):
    """Both sides of ``L = R`` (``left`` None: the gradient itself) evaluated whole, exactly, at
    a counterexample's point (``data``: its ``subs`` and ``function_values``) at step ``step``;
    ``(‖L‖², ‖R‖², chosen values)`` when both are rows or columns (‖·‖₂ = ‖·‖_F = the
    Euclidean norm there), else None.

    >>> from .frontmatter import Model
    >>> norm_witness(Model(activation="tanh"), "W_rec", "total", 1, None, "dE[t] @ dplus[t]", {})
    """
    if what not in ("total", "state") or model.activation != "generic":
        return None
    try:
        rf = parse_gradient(right, _P[theta])
        whole = "vec-row"
        if what == "total" and rf.shape == _THETA_SHAPES[theta]:
            whole = "matrix"
        rnn = RNN(model.n, 1, model.T, model.activation, model.form)
        net = GradientNet(rnn, theta, "generic", whole)
        env = {"t": step, "T": model.T}
        R = rf.evaluate(net, env)
        L = (direct_gradient(rnn, theta, what, step, loss="generic", whole=whole,
                             layout="numerator", entry=None) if left is None
             else parse_gradient(left, _P[theta]).evaluate(net, env))
    except (InvalidInputError, KeyError):
        return None
    if L.shape != R.shape or 1 not in L.shape:
        return None
    chosen: dict = {}
    lv = _at_point(L, data.get("subs", {}), data.get("function_values", {}), chosen)
    rv = _at_point(R, data.get("subs", {}), data.get("function_values", {}), chosen)
    if lv is None or rv is None:
        return None
    return sum(x * x for x in lv), sum(x * x for x in rv), chosen


def _is_rational(v) -> bool:
    """An exact rational (the only entries whose sign and difference are read off here)."""
    if isinstance(v, (int, Fraction)) and not isinstance(v, bool):
        return True
    return isinstance(v, sp.Basic) and bool(v.is_Rational)


def congruence_result(inner: Result, norm: str, sides: tuple, via: str, whole=None) -> Result:
    """The verdict on ``‖L‖ = ‖R‖`` from the verdict ``inner`` on ``L = R`` (``sides``: L and
    R in the formula language; ``via``: ``""`` when R alone was checked against the gradient,
    ``difference`` when ``R - L + C`` was).

    >>> from rnncore.results import Method, MethodKind, Scope
    >>> ok = Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(), "equal")
    >>> r = congruence_result(ok, "norm2", ("", "F"), "")
    >>> r.label.value, r.evidence.startswith("‖L‖ = ‖R‖ by norm_congr")
    ('proved', True)
    """
    sym = "‖·‖₂" if norm == "norm2" else "‖·‖_F"
    if inner.holds:
        cong = congruence_proof(norm)
        if not cong.holds:  # pragma: no cover - the table's lemma
            return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "proof rejected"), Scope(),
                          f"the congruence step was rejected: {cong.evidence}")
        return Result(inner.verdict, inner.method, inner.scope,
                      f"‖L‖ = ‖R‖ by norm_congr from L = R, which the gradient checker decided: "
                      f"{inner.evidence}", details=(inner, cong),
                      proofs=(cong.data,) + tuple(inner.proofs))
    if inner.verdict is not Verdict.REFUTED:
        return Result(Verdict.UNDECIDED, inner.method, inner.scope,
                      f"the identity inside the norms is not decided: {inner.evidence}",
                      details=(inner,))
    cex = inner.counterexample
    loc = cex.location
    witness = None
    if loc is not None and loc.t is not None and isinstance(cex.data, dict) \
            and cex.data.get("kind") == "rational" \
            and all(_is_rational(cex.data.get(s)) for s in ("lhs", "rhs")):
        direct, formula = cex.data["lhs"], cex.data["rhs"]
        left, right = sides
        if via == "" and empty_sum_at(right, loc.t) and direct != 0:
            witness = ("left", abs(direct), right)
        elif via == "difference" and len(inner.details) > 1 \
                and all(d.holds for d in inner.details[1:]):
            # R - L at the point: C (the BPTT formula, proved the gradient at these sizes: the
            # details after the first) equals the direct derivative there
            gap = formula - direct
            if empty_sum_at(right, loc.t) and gap != 0:
                witness = ("left", abs(gap), right)
            elif empty_sum_at(left, loc.t) and gap != 0:
                witness = ("right", abs(gap), left)
    if witness is None and whole is not None and isinstance(cex.data, dict) \
            and loc is not None and loc.t is not None \
            and (via == "" or (len(inner.details) > 1 and all(d.holds for d in inner.details[1:]))):
        model, theta, what = whole
        left, right = sides
        got = norm_witness(model, theta, what, loc.t, None if via == "" else left, right,
                           cex.data)
        if got is not None and got[0] != got[1]:
            ln, rn, chosen = got
            point = tuple(cex.point) + tuple((str(a), str(v)) for a, v in chosen.values())
            extra = (f"; the applications the counterexample leaves free take the value 1 "
                     f"({len(chosen)} of them)" if chosen else "")
            witness_cex = Counterexample(
                point, lhs=f"{sym}² of the left side = {ln} (both sides evaluated whole, exactly)",
                rhs=f"{sym}² of the right side = {rn}", relation="=", location=loc,
                note="the inner identity's counterexample, every entry computed; " + cex.note + extra,
                data={**cex.data, "norms_squared": (ln, rn)})
            return Result(Verdict.REFUTED, inner.method, inner.scope,
                          f"the norms differ at t = {loc.t}: squared, {ln} ≠ {rn}, every entry "
                          f"exact at the inner counterexample ({inner.evidence})",
                          counterexample=witness_cex, details=(inner,))
    if witness is None:
        return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "no norm comparison"),
                      inner.scope,
                      f"the identity inside the norms is refuted ({inner.evidence}), but the "
                      "norms at that point are not compared: a ≠ b does not make ‖a‖ ≠ ‖b‖",
                      details=(inner,))
    big, value, empty = witness
    entry = f" {loc.entry}" if loc.entry else ""
    nonzero = f"{sym} of the {big} side ≥ |its entry{entry}| = {value} > 0 (‖A‖ ≥ |A_ij|)"
    zero = f"{sym} of the {'right' if big == 'left' else 'left'} side = 0: {empty} is an empty sum"
    lhs, rhs = (nonzero, zero) if big == "left" else (zero, nonzero)
    witness_cex = Counterexample(cex.point, lhs=lhs, rhs=rhs, relation="=", location=loc,
                                 note="the inner identity's counterexample; " + cex.note,
                                 data=cex.data)
    return Result(Verdict.REFUTED, inner.method, inner.scope,
                  f"the norms differ at t = {loc.t}: one side is an empty sum (0) there, the other "
                  f"has the nonzero entry {value} ({inner.evidence})", counterexample=witness_cex,
                  details=(inner,))


# ---------------------------------------------------------------- eq. 15's third line
def _sum_terms(form: str):
    """(left texts, right texts) of the regrouping, over the names a product's variable takes."""
    lefts, rights = set(), set()
    for v in _VARS:
        lefts.add(f"norm2(sum(k, 1, t, dE[t] @ prod_down({v}, t, k + 1, {_step(form, v)}) @ dplus[k]))")
        prod = f"prod_down({v}, t, k + 1, norm2({_step(form, v)}))"
        rights.add(f"sum(k, 1, t, norm2(dE[t] @ dplus[k]) * {prod})")
        rights.add(f"sum(k, 1, t, {prod} * norm2(dE[t] @ dplus[k]))")
    return lefts, rights


def regrouping_shape(left: str, right: str, form: str) -> bool:
    """Is ``left <= right`` eq. 15's regrouping ‖Σ_k a B_k c_k‖ ≤ Σ_k ‖a c_k‖ ∏_j ‖J_j‖?

    >>> regrouping_shape("norm2(sum(k, 1, t, dE[t] @ dplus[k]))", "0", "A")
    False
    """
    lefts, rights = _sum_terms(form)
    return left in lefts and right in rights


@lru_cache(maxsize=1)
def regrouping_chain() -> Result:
    """The lemma chain of the regrouping with θ taken whole, from the catalogue's grouping
    ``‖a B c_k‖ ≤ ‖a c_k‖ ‖B‖`` at ``B = ∂x_t/∂x_k`` (an assumption here: the caller joins
    the catalogue's proof of it).

    >>> regrouping_chain().label.value
    'proved-from-lemmas'
    """
    grouped = Assumption(le(Norm2(MatMul(a_row, B_TK, C_k)), Mul(N_AC, Norm2(B_TK))),
                         "blog.eq15.grouping.whole-matrix at B = ∂x_t/∂x_k = ∏ J_j (c_k = "
                         "I ⊗ z_kᵀ; proved for every n, joined below)")
    start = Norm2(MatSum(MatMul(a_row, B_TK, C_k), k, ONE, t))
    goal = SumOver(Mul(N_AC, PROD_NORMS), k, ONE, t)
    return check_proof(LemmaProof(
        "eq. 15, third line (θ whole)", goals=(le(start, goal),), assumptions=(grouped,),
        steps=(Chain(start, (
            Link("<=", SumOver(Norm2(MatMul(a_row, B_TK, C_k)), k, ONE, t), "norm_sum_le"),
            Link("<=", SumOver(Mul(N_AC, Norm2(B_TK)), k, ONE, t), ASSUMPTION),
            Link("<=", goal, "norm_prod_le"))),),
        note="a = ∂E_t/∂x_t, c_k = ∂⁺x_k/∂θ, J_j = ∂x_j/∂x_{j-1}."))


@lru_cache(maxsize=1)
def regrouping_readings() -> tuple:
    """The regrouping per reading of θ, the author's first: ``[(reading, authors, Result)]``.

    >>> [(r[1], r[2].label.value) for r in regrouping_readings()]
    [(True, 'proved-from-lemmas'), (False, 'refuted')]
    """
    opts = Options.quick_sizes()
    grouping = check_grouping_whole(opts)
    chain = regrouping_chain()
    if grouping.holds and chain.holds:
        whole = Result(Verdict.PROVED, chain.method, grouping.scope,
                       "‖Σ_k a B_k c_k‖ ≤ Σ_k ‖a B_k c_k‖ (norm_sum_le) ≤ Σ_k ‖a c_k‖ ‖B_k‖ "
                       "(blog.eq15.grouping.whole-matrix: " + grouping.evidence + ") ≤ Σ_k ‖a c_k‖"
                       " ∏_j ‖J_j‖ (norm_prod_le, ‖a c_k‖ ≥ 0)", details=(grouping, chain),
                       proofs=tuple(grouping.proofs) + (chain.data,))
    else:
        bad = grouping if not grouping.holds else chain
        whole = Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "proof rejected"), Scope(),
                       f"not established: {bad.evidence}", details=(grouping, chain))
    bound, term = check_eq15_bound(opts), check_grouping(opts)
    scalar = Result.combine(
        [bound, term],
        evidence="the catalogue's network (blog.eq15.bound) makes every ‖a c_k‖ = 0, so the "
                 "right side is 0, while the left side is |∂E_2/∂θ| (eq. 11) = tanh(1)/2 > 0; "
                 f"term by term: {term.evidence} (blog.eq15.grouping)")
    return ((THETA_WHOLE + " (the author's reading)", True, whole),
            ("θ one entry of W_rec, a scalar (not the author's reading)", False, scalar))


# ---------------------------------------------------------------- eq. 15's last line
_ETA_RIGHT = re.compile(r"sum\(k, 1, t, (?:norm2\(dE\[t\] @ dplus\[k\]\) \* eta\*\*\((?P<a>[^()]+)\)"
                        r"|eta\*\*\((?P<b>[^()]+)\) \* norm2\(dE\[t\] @ dplus\[k\]\))\)")


def eta_exponent(left: str, right: str, form: str) -> str | None:
    """The exponent ``e`` when ``left <= right`` reads Σ_k ‖a c_k‖ ∏_j ‖J_j‖ ≤ Σ_k ‖a c_k‖ η^e.

    >>> eta_exponent("eta", "eta", "A") is None
    True
    """
    _, products = _sum_terms(form)
    if left not in products:
        return None
    m = _ETA_RIGHT.fullmatch(right)
    if not m:
        return None
    return m.group("a") or m.group("b")


def eta_hypothesis(hypotheses, form: str) -> str | None:
    """The front matter's ``‖∂x_j/∂x_{j-1}‖₂ ≤ η`` (or ``<``) among ``hypotheses``, or None.

    >>> eta_hypothesis(("norm2(W @ D[j - 1]) <= eta",), "A")
    'norm2(W @ D[j - 1]) <= eta'
    """
    for h in hypotheses:
        for v in ("i", "j", "k", "t"):
            if h in (f"norm2({_step(form, v)}) <= eta", f"norm2({_step(form, v)}) < eta"):
                return h
    return None


@lru_cache(maxsize=1)
def eta_bound_proof() -> Result:
    """Σ_k ‖a c_k‖ ∏_{j=k+1}^t ‖J_j‖ ≤ Σ_k ‖a c_k‖ η^{t−k} from ‖J_j‖₂ ≤ η for every j.

    >>> eta_bound_proof().label.value
    'proved-from-lemmas'
    """
    start = SumOver(Mul(N_AC, PROD_NORMS), k, ONE, t)
    goal = SumOver(Mul(N_AC, Pow(ETA, GAP)), k, ONE, t)
    return _with_proof(check_proof(LemmaProof(
        "eq. 15, last line", goals=(le(start, goal),),
        assumptions=(Assumption(le(Norm2(J_j), ETA), "front matter: ‖∂x_j/∂x_{j-1}‖₂ ≤ η for "
                                                     "every j"),
                     Assumption(le(k, t), "k ≤ t (the sum's index runs over 1..t)")),
        steps=(Chain(start, (
            Link("<=", SumOver(Mul(N_AC, ProdOver(ETA, j, Add(k, ONE), t)), k, ONE, t),
                 ASSUMPTION),
            Link("=", goal, "prod_const"))),),
        note="each of the t − k factors ‖J_j‖₂ ≥ 0 is ≤ η; ‖a c_k‖₂ ≥ 0 multiplies it.")))


def _with_proof(res: Result) -> Result:
    """A checked lemma proof's result carrying the proof itself (for the printers)."""
    return res.with_(proofs=(res.data,)) if res.holds else res


__all__ = ["congruence_proof", "congruence_result", "empty_sum_at", "norm_witness", "regrouping_shape",
           "regrouping_chain", "regrouping_readings", "eta_exponent", "eta_hypothesis",
           "eta_bound_proof"]
