"""Fast certified spectral norm ``σ_max(A) = ‖A‖₂`` for large matrices.

An approximate eigendecomposition of the Gram matrix is computed in float64 (numpy); the
bounds are then made rigorous in ball arithmetic (python-flint ``arb_mat``), in the style
of Rump's verified singular-value bounds. Only three ball matrix products are needed, so
n = 256 takes well under a second, where the LDLᵀ certificate of
:func:`numeric.linalg.spectral_norm` grows like a Python-level n³ loop.

*Upper bound.* Let ``V`` be the float eigenvector matrix of ``AᵀA`` (an exact dyadic
matrix, nearly orthogonal). In ball arithmetic: ``E = VᵀV − I`` and
``ε ≥ ‖E‖₂`` (largest absolute row sum of the symmetric ``E``), and ``B = (AV)ᵀ(AV)``.
If ``ε < 1``, ``V`` is invertible and every ``x = Vy`` has ``‖x‖² = yᵀVᵀVy ≥ (1 − ε)‖y‖²``,
so ``‖Ax‖²/‖x‖² = yᵀBy/‖x‖² ≤ λ_max(B)/(1 − ε)``; Gershgorin bounds
``λ_max(B) ≤ max_i (B_ii + Σ_{j≠i} |B_ij|)``. Hence
``σ_max ≤ sqrt(max_i (B_ii + Σ_{j≠i}|B_ij|) / (1 − ε))``. ``B`` is nearly diagonal, so the
discs are tiny and the bound is tight (relative width about n·10⁻¹⁶).

*Lower bound.* For the float top eigenvector ``v``: ``σ_max ≥ ‖Av‖/‖v‖`` (every Rayleigh
quotient is at most the largest), evaluated in ball arithmetic.

Input: exact rationals (Fractions, integers, numeric strings: converted exactly by
:func:`numeric.matrices.as_exact`) or numpy arrays (a float64 entry *is* an exact dyadic
rational: the bound is about exactly those numbers). The result is an
:class:`~numeric.enclosure.Enclosure` with exact endpoints.

>>> e = sigma_max([[3, 4], [0, 0]])
>>> e.contains(5), e.rel_width() < 1e-12
(True, True)
>>> sigma_max([["1/2", "1/5"], ["1/5", "1/2"]]).contains("7/10")
True
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from flint import arb, arb_mat, ctx, fmpq

from rnncore.errors import InvalidInputError, NonFiniteError, ShapeError

from .enclosure import Enclosure
from .matrices import as_exact

#: Binary digits of the ball arithmetic (the float eigenvectors limit the width, not this).
PREC_BITS = 128
#: Largest side of a numpy array accepted (the products are n³ ball operations).
MAX_SIDE = 4096


@dataclass(frozen=True)
class BallMatrix:
    """A real matrix as python-flint balls (``ball``, certain to contain the exact matrix)
    together with a float64 approximation (``approx``) for the uncertified search steps.

    >>> m = ball_matrix([[1, "1/3"]])
    >>> m.shape, m.exact_dyadic
    ((1, 2), False)
    """

    ball: Any
    approx: np.ndarray
    exact_dyadic: bool

    @property
    def shape(self) -> tuple[int, int]:
        """Rows and columns."""
        return self.approx.shape


def _check_array(A: np.ndarray, where: str) -> np.ndarray:
    if A.ndim != 2:
        raise ShapeError(f"{where} must be a 2-D matrix; got an array of shape {A.shape}")
    r, c = A.shape
    if r == 0 or c == 0:
        raise ShapeError(f"{where} is empty (shape {r}x{c}); give at least one row and column")
    if r > MAX_SIDE or c > MAX_SIDE:
        raise ShapeError(f"{where} has shape {r}x{c}, too large; use at most {MAX_SIDE}x{MAX_SIDE}")
    kind = A.dtype.kind
    if kind == "c":
        raise InvalidInputError(f"{where} is complex ({A.dtype}); only real matrices are allowed")
    if kind == "f" and A.dtype.itemsize > 8:
        raise InvalidInputError(
            f"{where} has dtype {A.dtype}, wider than float64; convert it with .astype('float64')")
    if kind not in "fiub":
        raise InvalidInputError(
            f"{where} has dtype {A.dtype}; use a float or integer array")
    if kind == "f" and not np.isfinite(A).all():
        i, j = map(int, np.argwhere(~np.isfinite(A))[0])
        raise NonFiniteError(
            f"{where} entry ({i}, {j}) = {A[i, j]!r} is not finite; only finite numbers are allowed")
    return A


def ball_matrix(A: Any, where: str = "the matrix") -> BallMatrix:
    """``A`` as balls plus a float copy. Float and integer numpy arrays are taken exactly
    (float16/32/64 are dyadic; integers are exact arbitrary-size); everything else goes
    through the exact rational conversion of :func:`numeric.matrices.as_exact`.

    >>> ball_matrix(np.array([[0.1, 2.0]])).exact_dyadic
    True
    >>> ball_matrix(np.array([[np.nan]]))
    Traceback (most recent call last):
    ...
    rnncore.errors.NonFiniteError: the matrix entry (0, 0) = np.float64(nan) is not finite; only finite numbers are allowed
    """
    if isinstance(A, BallMatrix):
        return A
    if isinstance(A, np.ndarray):
        A = _check_array(A, where)
        if A.dtype.kind == "f":
            F = A.astype(np.float64)
            with ctx.workprec(PREC_BITS):
                return BallMatrix(arb_mat(F.tolist()), F, True)
        rows = A.astype(object).tolist()
        with ctx.workprec(PREC_BITS):
            ball = arb_mat([[arb(int(x)) for x in r] for r in rows])
        return BallMatrix(ball, A.astype(np.float64), True)
    Q = as_exact(A)
    try:
        F = np.array([[float(x) for x in r] for r in Q], dtype=np.float64)
    except OverflowError:
        raise InvalidInputError(
            f"{where} has an entry beyond the float64 range (|x| > 1.8e308); rescale it") from None
    dyadic = all(x.denominator & (x.denominator - 1) == 0 for r in Q for x in r)
    with ctx.workprec(PREC_BITS):
        ball = arb_mat([[arb(fmpq(x.numerator, x.denominator)) for x in r] for r in Q])
    return BallMatrix(ball, F, dyadic)


def _abs_row_sums(M, skip_diagonal: bool) -> list:
    """Upper balls of ``Σ_j |M_ij|`` (optionally without ``j = i``) for each row."""
    n = M.ncols()
    flat = M.entries()
    out = []
    for i in range(M.nrows()):
        s = arb(0)
        base = i * n
        for j in range(n):
            if skip_diagonal and j == i:
                continue
            s += abs(flat[base + j])
        out.append(s)
    return out


def _column(v: np.ndarray):
    return arb_mat([[float(x)] for x in v])


def _frobenius_upper(M) -> arb:
    return sum((x * x for x in M.entries()), arb(0)).sqrt()


def sigma_max(A: Any) -> Enclosure:
    """Certified enclosure of ``σ_max(A) = ‖A‖₂`` (see the module docstring for the method).

    The relative width is typically 1e-14 (it is limited by the float64 eigenvectors);
    read it with ``.rel_width()``. When the float step is too inaccurate for the
    certificate (``‖VᵀV − I‖ ≥ 1/2``), the upper end falls back to the Frobenius norm (still
    rigorous, just wider).

    >>> e = sigma_max(np.diag([2.0, -3.0, 0.5]))
    >>> e.contains(3), e.rel_width() < 1e-13
    (True, True)
    >>> sigma_max([[0, 0], [0, 0]])
    Enclosure(lo=Fraction(0, 1), hi=Fraction(0, 1), algebraic=None)
    """
    m = ball_matrix(A)
    F = m.approx
    if not F.any() and m.exact_dyadic:
        return Enclosure.exact(0)
    with ctx.workprec(PREC_BITS):
        Ab = m.ball
        if F.shape[1] > F.shape[0]:  # the smaller Gram matrix: ‖A‖ = ‖Aᵀ‖
            Ab, F = Ab.transpose(), F.T
        n = F.shape[1]
        # the float step works on A / 2^e (exact scaling, max entry near 1) so that AᵀA
        # neither overflows nor underflows; the certificate below uses A itself
        e = int(np.frexp(np.max(np.abs(F)))[1]) if F.any() else 0
        Fs = np.ldexp(F, -e)
        try:
            w, V = np.linalg.eigh(Fs.T @ Fs)
        except np.linalg.LinAlgError:  # pragma: no cover - LAPACK did not converge
            w, V = np.ones(n), np.eye(n)
        if not (np.isfinite(V).all() and np.isfinite(w).all()):
            w, V = np.ones(n), np.eye(n)
        v = V[:, int(np.argmax(w))]
        Av = Ab * _column(v)
        num = sum((x * x for x in Av.entries()), arb(0))
        den = sum((arb(float(x)) ** 2 for x in v), arb(0))
        ratio = num / den
        lo = arb(0) if not ratio.lower() > 0 else arb(ratio.lower()).sqrt().lower()
        Vb = arb_mat(V.tolist())
        E = Vb.transpose() * Vb
        for i in range(n):
            E[i, i] = E[i, i] - 1
        eps = max(_abs_row_sums(E, False), key=lambda x: x.upper()).upper()
        hi = None
        if eps < arb(1) / 2:
            C = Ab * Vb
            B = C.transpose() * C
            off = _abs_row_sums(B, True)
            gersh = max((B[i, i] + off[i]).upper() for i in range(n))
            lam = arb(gersh) / (1 - arb(eps))
            if lam.upper() >= 0:
                hi = arb(lam.upper()).sqrt().upper()
        if hi is None:
            hi = _frobenius_upper(Ab).upper()
        return Enclosure.hull(arb(lo), arb(hi))


__all__ = ["sigma_max", "ball_matrix", "BallMatrix", "PREC_BITS", "MAX_SIDE"]
