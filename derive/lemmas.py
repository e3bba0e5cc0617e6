"""The table of lemmas a proof over a symbolic size n may cite, one declaration each.

A :class:`Lemma` has a ``statement`` over pattern variables (``Var``: matrices ``A``, ``B``,
scalars ``x``, ``q``, indices ``k``, ...), its ``hypotheses`` (side conditions, themselves
statements: ``A`` square, ``0 ≤ q``, ``ρ(A) < 1``), the relation it yields, a textbook
``reference`` and the ``mathlib`` name where there is one, and ``instances``: concrete
rational matrices on which :func:`cross_check` evaluates hypotheses and statement exactly
(:mod:`derive.exact_values`), so that a wrong lemma in the table fails a test. A limit
statement is tested through its finite ``check`` (e.g. ``‖A^K‖₂ < 1/2`` at ``K = 60``).
Order-theoretic lemmas with no matrix in them (``squeeze_zero``) have no instance.

References: R. A. Horn and C. R. Johnson, *Matrix Analysis*, 2nd ed., Cambridge 2013
("H&J"); mathlib names as of 2025. :data:`MATHLIB_SOURCES` says, for each matrix-specific
name, where it was confirmed in the mathlib4 sources (the file path) or that it was not;
the general order and big-operator names (``norm_add_le``, ``Finset.prod_const``,
``squeeze_zero``, ``mul_nonneg`` …) are cited as mathlib's standard names, not looked up
one by one.

>>> LEMMA["submultiplicativity"].relation, LEMMA["submultiplicativity"].mathlib
('<=', 'Matrix.l2_opNorm_mul')
>>> print(LEMMA["submultiplicativity"].statement.text())
‖A B‖₂ ≤ ‖A‖₂ ‖B‖₂
>>> all(c.outcome == "holds" for c in cross_check(LEMMA["spectral_radius_le_norm"]))
True
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from rnncore.errors import InvalidInputError

from .exact_values import holds_on, rational_matrix
from .norm_expr import (CT, Abs, Bounded, Diag, Expr, LambdaMax, Mat, MatAdd, MatMul, MatPow,
                        MatProd, MatSum, MaxAbs, Mul, Norm2, NormF, Num, Pow, Pred, ProdOver,
                        Rel, Rho, SigmaMax, Sqrt, SumOver, Sym, Tends, Tr, Var, Add, eq, inv, le,
                        lt, sub)

A, B, X = Var("A", "mat"), Var("B", "mat"), Var("X", "mat")
v, w = Var("v", "mat"), Var("w", "mat")
x, y, q, c, f, g = (Var(s, "scalar") for s in "xyqcfg")
e, k, lo, hi = Var("e", "scalar"), Var("k", "scalar"), Var("lo", "scalar"), Var("hi", "scalar")
ZERO, ONE = Num(0), Num(1)


@dataclass(frozen=True)
class Instance:
    """One concrete assignment of the lemma's variables (matrices of rationals, numbers)."""

    label: str
    env: dict

    def __hash__(self) -> int:
        return hash(self.label)


@dataclass(frozen=True)
class Lemma:
    """One lemma: statement, hypotheses, references and exact instances (see module doc)."""

    name: str
    statement: Expr
    hypotheses: tuple[Expr, ...] = ()
    reference: str = ""
    mathlib: str = ""
    instances: tuple[Instance, ...] = ()
    #: The finite statement evaluated on instances when ``statement`` is a limit.
    check: Expr | None = None
    #: Offered to the inequality search as a link (False for congruence: an equality inside
    #: a norm is already used through its context, so the lemma would only spend budget).
    searched: bool = True

    @property
    def relation(self) -> str:
        """``=``, ``<`` or ``<=`` for an (in)equality; ``tends``, ``bounded`` or
        ``predicate`` otherwise.

        >>> LEMMA["power_decay"].relation, LEMMA["gram_psd"].relation
        ('tends', 'predicate')
        """
        s = self.statement
        if isinstance(s, Rel):
            return s.op
        return {Tends: "tends", Bounded: "bounded"}.get(type(s), "predicate")

    def cite(self) -> str:
        """The lemma's name with its references, as a proof prints it.

        >>> LEMMA["norm_add_le"].cite()
        'norm_add_le (H&J 5.1.1, triangle inequality; mathlib norm_add_le)'
        """
        where = MATHLIB_SOURCES.get(self.mathlib, "")
        cited = self.mathlib and (f"mathlib {self.mathlib}" + (f", {where}" if where else ""))
        refs = "; ".join(r for r in (self.reference, cited) if r)
        return f"{self.name} ({refs})" if refs else self.name

    def text(self) -> str:
        """The lemma as one line: hypotheses ⇒ statement.

        >>> LEMMA["spectral_radius_le_norm"].text()
        'A is square ⇒ ρ(A) ≤ ‖A‖₂'
        """
        hyps = ", ".join(h.text() for h in self.hypotheses)
        return f"{hyps} ⇒ {self.statement.text()}" if hyps else self.statement.text()


M = rational_matrix
#: Small exact matrices that probe the boundary: equality, Jordan, nilpotent, rank one.
GENERAL = M([[1, 2], [3, 4]])
NILPOTENT = M([[0, 1], [0, 0]])
JORDAN_HALF = M([["1/2", 1], [0, "1/2"]])
JORDAN_ONE = M([[1, 1], [0, 1]])
ROTATION = M([["3/5", "-4/5"], ["4/5", "3/5"]])
SYMMETRIC = M([[2, 1], [1, 2]])
RANK_ONE = M([[1, 2], [2, 4]])
NON_NORMAL_3 = M([[2, 0, 0], [0, 0, 1], [0, 0, 0]])
GENERAL_3 = M([[1, 0, 2], [-1, "1/2", 0], [0, 3, 1]])
HALF_I = M([["1/2", 0], [0, "1/2"]])
ROW = M([[1, -2]])
COL = M([[3], [1]])
ONE_BY_ONE = M([["-3/2"]])


def _squares(*named):
    return tuple(Instance(label, {"A": m}) for label, m in named)


_SQUARES = _squares(("general 2×2", GENERAL), ("nilpotent", NILPOTENT),
                    ("Jordan block at 1/2", JORDAN_HALF), ("rotation", ROTATION),
                    ("rank one", RANK_ONE), ("non-normal 3×3 with ρ = ‖A‖₂", NON_NORMAL_3),
                    ("general 3×3", GENERAL_3), ("1×1", ONE_BY_ONE))

_PAIRS = (
    Instance("W, I/2 (equality)", {"A": GENERAL, "B": HALF_I}),
    Instance("nilpotent, its transpose", {"A": NILPOTENT, "B": NILPOTENT.T}),
    Instance("row, matrix", {"A": ROW, "B": GENERAL}),
    Instance("matrix, column", {"A": JORDAN_HALF, "B": COL}),
    Instance("3×3 pair", {"A": GENERAL_3, "B": NON_NORMAL_3}),
)

_SCALARS = tuple(Instance(f"x={a}, y={b}", {"x": Fraction(a), "y": Fraction(b), "e": 3})
                 for a, b in (("0", "0"), ("1/3", "2"), ("5", "0")))
_POS_SCALARS = tuple(Instance(f"x={a}, y={b}", {"x": Fraction(a), "y": Fraction(b), "e": -2})
                     for a, b in (("1/3", "2"), ("7", "1/5")))
#: 0 ≤ x ≤ y (the first equal, the others strict).
_ORDERED = tuple(Instance(f"x={a}, y={b}", {"x": Fraction(a), "y": Fraction(b)})
                 for a, b in (("2", "2"), ("0", "1/2"), ("1/3", "2")))

_J = Mat("J", sub=Sym("j"))
_PRODUCT_ENV = {"X": _J, "lo": 1, "hi": 3, "J_1": GENERAL, "J_2": NILPOTENT, "J_3": ROTATION}

LEMMAS: tuple[Lemma, ...] = (
    # ------------------------------------------------------------ norms of products and sums
    Lemma("submultiplicativity", le(Norm2(MatMul(A, B)), Mul(Norm2(A), Norm2(B))),
          reference="H&J 5.6.2 (induced norms are submultiplicative)",
          mathlib="Matrix.l2_opNorm_mul", instances=_PAIRS),
    Lemma("submultiplicativity_frobenius", le(NormF(MatMul(A, B)), Mul(NormF(A), NormF(B))),
          reference="H&J 5.6.0 (the Frobenius norm is a matrix norm)",
          mathlib="Matrix.frobenius_norm_mul", instances=_PAIRS),
    Lemma("norm_prod_le",
          le(Norm2(MatProd(X, k, lo, hi)), ProdOver(Norm2(X), k, lo, hi)),
          reference="H&J 5.6.2 applied hi − lo times (induction on the number of factors)",
          mathlib="List.norm_prod_le'",
          instances=(Instance("J_3 J_2 J_1", {**_PRODUCT_ENV, "k": Sym("j")}),
                     Instance("J_2 J_1", {**_PRODUCT_ENV, "hi": 2, "k": Sym("j")}))),
    Lemma("norm_sum_le",
          le(Norm2(MatSum(X, k, lo, hi)), SumOver(Norm2(X), k, lo, hi)),
          reference="H&J 5.1.1 (triangle inequality, by induction on the number of terms)",
          mathlib="norm_sum_le",
          instances=(Instance("J_1 + J_2 + J_3", {**_PRODUCT_ENV, "k": Sym("j")}),)),
    Lemma("norm_add_le", le(Norm2(MatAdd(A, B)), Add(Norm2(A), Norm2(B))),
          reference="H&J 5.1.1, triangle inequality", mathlib="norm_add_le",
          instances=tuple(i for i in _PAIRS if i.env["A"].shape == i.env["B"].shape)
          + (Instance("A, −A", {"A": GENERAL, "B": -GENERAL}),)),
    Lemma("cauchy_schwarz", le(Norm2(MatMul(CT(v), w)), Mul(Norm2(v), Norm2(w))),
          hypotheses=(Pred("column", v), Pred("column", w)),
          reference="H&J 5.1.4 (Cauchy–Schwarz inequality)", mathlib="norm_inner_le_norm",
          instances=(Instance("parallel", {"v": COL, "w": 2 * COL}),
                     Instance("general", {"v": COL, "w": M([[-1], [5]])}),
                     Instance("orthogonal", {"v": COL, "w": M([[1], [-3]])}))),
    # congruence: equal arguments have equal norms (what makes ‖a‖ = ‖b‖ follow from a
    # proved identity a = b, whatever checked it); the hypothesis is matched, never searched
    Lemma("norm_congr", eq(Norm2(A), Norm2(B)), hypotheses=(eq(A, B),),
          reference="a norm is a function: equal arguments, equal values", mathlib="congrArg",
          instances=(Instance("A = B", {"A": GENERAL, "B": GENERAL}),
                     Instance("row", {"A": ROW, "B": ROW})), searched=False),
    Lemma("frobenius_norm_congr", eq(NormF(A), NormF(B)), hypotheses=(eq(A, B),),
          reference="a norm is a function: equal arguments, equal values", mathlib="congrArg",
          instances=(Instance("A = B", {"A": GENERAL, "B": GENERAL}),), searched=False),
    # ------------------------------------------------------------ the spectral norm
    Lemma("spectral_norm_eq_sigma_max", eq(Norm2(A), SigmaMax(A)),
          reference="H&J 5.6.6 (the spectral norm is the largest singular value)",
          instances=_SQUARES + (Instance("row", {"A": ROW}), Instance("column", {"A": COL}))),
    Lemma("rayleigh_spectral_norm", eq(Norm2(A), Sqrt(LambdaMax(MatMul(CT(A), A)))),
          reference="H&J 4.2.2 (Rayleigh–Ritz: max ‖Ax‖²/‖x‖² = λ_max(AᴴA)) and 5.6.6",
          mathlib="Matrix.l2_opNorm_conjTranspose_mul_self",
          instances=_SQUARES + (Instance("row", {"A": ROW}),)),
    Lemma("gram_psd", Pred("psd", MatMul(CT(A), A)),
          reference="H&J 7.1.10 (a Gram matrix AᴴA is positive semidefinite)",
          mathlib="Matrix.posSemidef_conjTranspose_mul_self",
          instances=_SQUARES + (Instance("row", {"A": ROW}),)),
    Lemma("radius_eq_lambda_max_of_psd", eq(Rho(A), LambdaMax(A)),
          hypotheses=(Pred("psd", A),),
          reference="H&J 7.2.1 (the eigenvalues of a positive semidefinite matrix are ≥ 0)",
          instances=(Instance("Gram of a general 2×2", {"A": GENERAL.T * GENERAL}),
                     Instance("Gram of a nilpotent", {"A": NILPOTENT.T * NILPOTENT}),
                     Instance("Gram of a 3×3", {"A": GENERAL_3.T * GENERAL_3}),
                     Instance("zero", {"A": M([[0, 0], [0, 0]])}))),
    Lemma("spectral_radius_le_norm", le(Rho(A), Norm2(A)), hypotheses=(Pred("square", A),),
          reference="H&J 5.6.9 (ρ(A) ≤ ‖A‖ for every matrix norm)",
          mathlib="spectrum.spectralRadius_le_nnnorm", instances=_SQUARES),
    Lemma("l2_opNorm_conjTranspose", eq(Norm2(CT(A)), Norm2(A)),
          reference="H&J 5.6.6 (A and Aᴴ have the same singular values)",
          mathlib="Matrix.l2_opNorm_conjTranspose",
          instances=_SQUARES + (Instance("row", {"A": ROW}),)),
    Lemma("transpose_eq_conjTranspose_of_real", eq(Tr(A), CT(A)), hypotheses=(Pred("real", A),),
          reference="definition of Aᴴ (conjugation is trivial on real entries)",
          mathlib="Matrix.conjTranspose_eq_transpose_of_trivial", instances=_SQUARES[:4]),
    Lemma("l2_opNorm_diagonal", eq(Norm2(Diag(v)), MaxAbs(v)), hypotheses=(Pred("column", v),),
          reference="H&J 5.6.6 with the singular values |v_i| of diag(v)",
          mathlib="Matrix.l2_opNorm_diagonal",
          instances=(Instance("mixed signs", {"v": M([["-3/4"], ["1/2"]])}),
                     Instance("tanh' at 0 and 1", {"v": M([[1], ["1/4"], [0]])}))),
    # ------------------------------------------------------------ powers and limits
    Lemma("power_decay", Tends(Norm2(MatPow(A, k)), k),
          hypotheses=(Pred("square", A), lt(Rho(A), ONE)),
          reference="H&J 5.6.12 (ρ(A) < 1 ⇔ A^k → 0, proved with the Jordan form 3.1.11)",
          mathlib="spectrum.gelfand_formula with tendsto_pow_atTop_nhds_zero_of_lt_one",
          check=lt(Norm2(MatPow(A, k)), Num(Fraction(1, 2))),
          instances=tuple(Instance(label, {"A": m, "k": 60}) for label, m in (
              ("Jordan block at 1/2", JORDAN_HALF), ("nilpotent", NILPOTENT),
              ("rotation scaled by 9/10", ROTATION * sp.Rational(9, 10)),
              ("1×1", M([["-9/10"]]))))),
    Lemma("gelfand_subexponential", Tends(Mul(Norm2(MatPow(A, k)), Pow(c, Mul(Num(-1), k))), k),
          hypotheses=(Pred("square", A), lt(Rho(A), c)),
          reference="H&J 5.6.14 (Gelfand: ‖A^k‖^{1/k} → ρ(A)), or 5.6.12 applied to A/c",
          mathlib="spectrum.gelfand_formula",
          check=lt(Mul(Norm2(MatPow(A, k)), Pow(c, Mul(Num(-1), k))), Num(Fraction(1, 2))),
          instances=(Instance("Jordan block at 1, c = 11/10", {"A": JORDAN_ONE, "c": Fraction(11, 10), "k": 80}),
                     Instance("rotation, c = 6/5", {"A": ROTATION, "c": Fraction(6, 5), "k": 40}))),
    Lemma("pow_tendsto_zero", Tends(Pow(q, e), k),
          hypotheses=(le(ZERO, q), lt(q, ONE), Pred("to_infinity", e, k)),
          reference="geometric sequences: q^m → 0 for 0 ≤ q < 1",
          mathlib="tendsto_pow_atTop_nhds_zero_of_lt_one",
          check=lt(Pow(q, e), Num(Fraction(1, 2))),
          instances=tuple(Instance(f"q = {a}", {"q": Fraction(a), "e": 60, "k": 60})
                          for a in ("0", "1/2", "9/10"))),
    Lemma("pow_le_one", le(Pow(q, e), ONE), hypotheses=(le(ZERO, q), le(q, ONE), le(ZERO, e)),
          reference="monotonicity of powers", mathlib="pow_le_one₀",
          instances=tuple(Instance(f"q = {a}, e = {b}", {"q": Fraction(a), "e": b})
                          for a, b in (("0", 0), ("1", 7), ("2/3", 5)))),
    Lemma("prod_const", eq(ProdOver(c, k, lo, hi), Pow(c, Add(hi, Mul(Num(-1), lo), ONE))),
          hypotheses=(Pred("indep", c, k), le(sub(lo, ONE), hi)),
          reference="a product of hi − lo + 1 equal factors", mathlib="Finset.prod_const",
          instances=(Instance("c = 2/3 over 2..5", {"c": Fraction(2, 3), "k": Sym("j"), "lo": 2, "hi": 5}),
                     Instance("empty range", {"c": Fraction(5), "k": Sym("j"), "lo": 3, "hi": 2}))),
    Lemma("squeeze_zero", Tends(f, k), hypotheses=(le(f, g), le(ZERO, f), Tends(g, k)),
          reference="the sandwich theorem for limits", mathlib="squeeze_zero"),
    Lemma("bounded_of_le", Bounded(f, k), hypotheses=(le(f, c), Pred("indep", c, k)),
          reference="a sequence below a constant is bounded above", mathlib="bddAbove_def"),
    Lemma("bounded_of_tendsto", Bounded(f, k), hypotheses=(Tends(f, k),),
          reference="a convergent sequence is bounded",
          mathlib="Filter.Tendsto.bddAbove_range_of_cofinite"),
    # ------------------------------------------------------------ signs (side conditions)
    Lemma("norm_nonneg", le(ZERO, Norm2(A)), reference="norm axiom (H&J 5.1.1)",
          mathlib="norm_nonneg", instances=_SQUARES[:3]),
    Lemma("frobenius_norm_nonneg", le(ZERO, NormF(A)), reference="norm axiom (H&J 5.1.1)",
          mathlib="norm_nonneg", instances=_SQUARES[:3]),
    Lemma("sigma_max_nonneg", le(ZERO, SigmaMax(A)),
          reference="singular values are ≥ 0 (H&J 2.6.3)", instances=_SQUARES[:3]),
    Lemma("spectral_radius_nonneg", le(ZERO, Rho(A)), reference="ρ(A) = max |λ_i| ≥ 0",
          mathlib="spectralRadius (valued in ℝ≥0∞)", instances=_SQUARES[:3]),
    Lemma("max_abs_nonneg", le(ZERO, MaxAbs(v)), reference="|v_i| ≥ 0",
          mathlib="norm_nonneg", instances=(Instance("column", {"v": COL}),)),
    Lemma("abs_nonneg", le(ZERO, Abs(x)), mathlib="abs_nonneg", instances=_SCALARS),
    Lemma("sqrt_nonneg", le(ZERO, Sqrt(x)), mathlib="Real.sqrt_nonneg", instances=_SCALARS),
    Lemma("mul_nonneg", le(ZERO, Mul(x, y)), hypotheses=(le(ZERO, x), le(ZERO, y)),
          mathlib="mul_nonneg", instances=_SCALARS),
    Lemma("mul_pos", lt(ZERO, Mul(x, y)), hypotheses=(lt(ZERO, x), lt(ZERO, y)),
          mathlib="mul_pos", instances=_POS_SCALARS),
    # a strict (or weak) upper bound of something nonnegative is positive (nonnegative); x
    # is bound by matching the first hypothesis against the facts, so the prover never
    # searches for it
    Lemma("pos_of_gt_nonneg", lt(ZERO, y), hypotheses=(lt(x, y), le(ZERO, x)),
          reference="transitivity of the order: 0 ≤ x < y", mathlib="lt_of_le_of_lt",
          instances=_ORDERED[1:]),
    Lemma("nonneg_of_ge_nonneg", le(ZERO, y), hypotheses=(le(x, y), le(ZERO, x)),
          reference="transitivity of the order: 0 ≤ x ≤ y", mathlib="le_trans",
          instances=_ORDERED),
    Lemma("add_nonneg", le(ZERO, Add(x, y)), hypotheses=(le(ZERO, x), le(ZERO, y)),
          mathlib="add_nonneg", instances=_SCALARS),
    Lemma("pow_nonneg", le(ZERO, Pow(x, e)), hypotheses=(le(ZERO, x),),
          mathlib="Real.rpow_nonneg", instances=_SCALARS),
    Lemma("pow_pos", lt(ZERO, Pow(x, e)), hypotheses=(lt(ZERO, x),),
          mathlib="Real.rpow_pos_of_pos", instances=_POS_SCALARS),
    Lemma("sum_nonneg", le(ZERO, SumOver(f, k, lo, hi)), hypotheses=(le(ZERO, f),),
          mathlib="Finset.sum_nonneg"),
    Lemma("prod_nonneg", le(ZERO, ProdOver(f, k, lo, hi)), hypotheses=(le(ZERO, f),),
          mathlib="Finset.prod_nonneg"),
    Lemma("prod_pos", lt(ZERO, ProdOver(f, k, lo, hi)), hypotheses=(lt(ZERO, f),),
          mathlib="Finset.prod_pos"),
)


def table(lemmas) -> dict[str, Lemma]:
    """A lemma table by name; a repeated name is an error.

    >>> sorted(table(LEMMAS[:2]))
    ['submultiplicativity', 'submultiplicativity_frobenius']
    """
    out: dict[str, Lemma] = {}
    for lem in lemmas:
        if lem.name in out:
            raise InvalidInputError(f"lemma name {lem.name!r} is declared twice")
        out[lem.name] = lem
    return out


LEMMA = table(LEMMAS)

#: Where each matrix-specific mathlib name of the table was looked up in the mathlib4 sources:
#: the file that states it, or why it is not confirmed.
MATHLIB_SOURCES: dict[str, str] = {
    "Matrix.l2_opNorm_mul": "Mathlib/Analysis/CStarAlgebra/Matrix.lean (confirmed)",
    "Matrix.l2_opNorm_conjTranspose": "Mathlib/Analysis/CStarAlgebra/Matrix.lean (confirmed)",
    "Matrix.l2_opNorm_conjTranspose_mul_self":
        "Mathlib/Analysis/CStarAlgebra/Matrix.lean (confirmed: ‖AᴴA‖ = ‖A‖‖A‖; with ‖AᴴA‖₂ = "
        "λ_max(AᴴA) for the PSD AᴴA this is the Rayleigh form)",
    "Matrix.l2_opNorm_diagonal":
        "not in Mathlib/Analysis/CStarAlgebra/Matrix.lean at the stored version (its TODO lists "
        "‖diagonal v‖ = ‖v‖); a lemma of this name, ‖diagonal d‖ = ‖d‖ (sup norm), is used by "
        "later mathlib-based code — file path not confirmed",
    "spectrum.gelfand_formula":
        "alias of spectrum.pow_nnnorm_pow_one_div_tendsto_nhds_spectralRadius; "
        "Mathlib/Analysis/Normed/Algebra/GelfandFormula.lean per the header of "
        "Mathlib/Analysis/Normed/Algebra/Spectrum.lean (the alias line seen in a copy, the "
        "file itself not read)",
    "spectrum.gelfand_formula with tendsto_pow_atTop_nhds_zero_of_lt_one":
        "spectrum.gelfand_formula: see its entry; tendsto_pow_atTop_nhds_zero_of_lt_one is a "
        "standard name, not looked up",
    "spectrum.spectralRadius_le_nnnorm":
        "Mathlib/Analysis/Normed/Algebra/Spectrum.lean (confirmed; needs NormOneClass, true "
        "for the L2 operator norm)",
    "Matrix.frobenius_norm_mul": "Mathlib/Analysis/Matrix/Normed.lean (name confirmed in copies of "
                                 "mathlib's matrix-norm file; path from the stored tree)",
    "Matrix.posSemidef_conjTranspose_mul_self": "name confirmed (used across mathlib-based code); "
                                                "file path not confirmed",
    "Matrix.conjTranspose_eq_transpose_of_trivial": "name confirmed (used across mathlib-based "
                                                    "code); file path not confirmed",
    "List.norm_prod_le'": "name confirmed in copies of mathlib's normed-ring file (a non-empty "
                          "list; List.norm_prod_le needs NormOneClass); path not confirmed",
    "CStarRing.norm_star_mul_self": "not used: replaced by Matrix.l2_opNorm_conjTranspose_mul_self",
}


@dataclass(frozen=True)
class InstanceCheck:
    """One instance of a lemma's cross-check: ``outcome`` is ``holds``, ``fails``,
    ``undecided`` or ``invalid`` (a hypothesis does not hold there: a bad instance)."""

    lemma: str
    label: str
    outcome: str
    detail: str = ""


def cross_check(lemma: Lemma) -> tuple[InstanceCheck, ...]:
    """Evaluate the lemma's hypotheses and statement (or finite ``check``) exactly on each
    of its instances.

    >>> [c.outcome for c in cross_check(LEMMA["l2_opNorm_diagonal"])]
    ['holds', 'holds']
    >>> bad = Lemma("norm_le_radius", le(Norm2(A), Rho(A)), instances=_SQUARES[1:2])
    >>> cross_check(bad)[0].outcome
    'fails'
    """
    out = []
    target = lemma.check if lemma.check is not None else lemma.statement
    for inst in lemma.instances:
        bad = [h.text() for h in lemma.hypotheses if holds_on(h, inst.env) not in ("holds", "n/a")]
        if bad:
            out.append(InstanceCheck(lemma.name, inst.label, "invalid",
                                     "hypothesis not met on the instance: " + "; ".join(bad)))
            continue
        outcome = holds_on(target, inst.env)
        if outcome == "n/a":
            raise InvalidInputError(f"lemma {lemma.name}: {target.text()} cannot be evaluated on "
                                    "an instance; give a finite check")
        out.append(InstanceCheck(lemma.name, inst.label, outcome, target.text()))
    return tuple(out)


__all__ = ["Lemma", "Instance", "InstanceCheck", "LEMMAS", "LEMMA", "table", "cross_check"]
