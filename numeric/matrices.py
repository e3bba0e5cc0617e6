"""Matrix input for numeric/: validation and conversion to exact rationals.

Every matrix a numeric function accepts is first turned into an exact matrix of
:class:`fractions.Fraction` (a tuple of row tuples). A float is a dyadic rational, so the
conversion is exact; the certified routines then enclose the value of *that* rational
matrix. Accepted: lists (or tuples) of rows of ``int``, ``Fraction``, ``float``, numeric
strings such as ``"1/3"``, ``"-2.5"`` or ``"1e-3"`` (parsed by :class:`Fraction`, never
``eval``); numpy arrays; SymPy matrices with rational entries; mpmath matrices.

>>> as_exact([[1, "1/3"], [0.5, 2]])
((Fraction(1, 1), Fraction(1, 3)), (Fraction(1, 2), Fraction(2, 1)))
>>> as_exact([[1, 2]], square=True)
Traceback (most recent call last):
...
rnncore.errors.ShapeError: a square matrix is needed here; got shape 1x2
>>> check_dps(10)
Traceback (most recent call last):
...
rnncore.errors.PrecisionError: dps=10 is not allowed; use an integer 15 <= dps <= 10000
"""
from __future__ import annotations

import math
import re
from fractions import Fraction
from numbers import Integral, Rational
from typing import Any

from flint import fmpq, fmpq_mat

from rnncore.errors import InvalidInputError, NonFiniteError, ShapeError
from rnncore.validate import check_dps  # re-exported: the one precision check of every layer

#: An exact matrix: rows of Fractions.
ExactMatrix = tuple[tuple[Fraction, ...], ...]

#: Largest matrix side accepted by the certified routines.
MAX_SIZE = 512
#: Numeric strings: integer, fraction, or decimal with a bounded exponent.
_NUMBER = re.compile(r"\s*[+-]?(\d+(/\d+)?|(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,4})?)\s*")
_MAX_TEXT = 2000
_MAX_BINARY_EXPONENT = 100_000


def exact_scalar(value: Any, where: str = "entry") -> Fraction:
    """One number as an exact Fraction (ints, Fractions, floats, numeric strings,
    SymPy rationals, mpmath mpf); NaN/inf raise :class:`NonFiniteError`.

    >>> exact_scalar("-3/4"), exact_scalar(0.25)
    (Fraction(-3, 4), Fraction(1, 4))
    >>> exact_scalar(float("nan"))
    Traceback (most recent call last):
    ...
    rnncore.errors.NonFiniteError: entry nan is not finite; only finite real numbers are allowed
    """
    if isinstance(value, bool):
        return Fraction(int(value))
    if isinstance(value, (Integral, Rational)):
        return Fraction(int(value.numerator), int(value.denominator))
    if isinstance(value, float) or type(value).__name__ in ("float64", "float32", "float16"):
        value = float(value)
        if not math.isfinite(value):
            raise NonFiniteError(
                f"{where} {value!r} is not finite; only finite real numbers are allowed"
            )
        return Fraction(value)
    if isinstance(value, str):
        if len(value) > _MAX_TEXT or not _NUMBER.fullmatch(value):
            shown = value if len(value) <= 40 else value[:40] + "..."
            if shown.strip().lower().lstrip("+-") in ("nan", "inf", "infinity"):
                raise NonFiniteError(
                    f"{where} {shown!r} is not finite; only finite real numbers are allowed"
                )
            raise InvalidInputError(
                f"{where} {shown!r} is not a number; use an integer, a fraction like '1/3' "
                "or a decimal like '-2.5e-3' (exponent at most 4 digits)"
            )
        try:
            return Fraction(value.strip())
        except ZeroDivisionError:
            raise InvalidInputError(f"{where} {value!r} divides by zero") from None
    # SymPy numbers
    mod = type(value).__module__ or ""
    if mod.startswith("sympy"):
        if getattr(value, "is_Rational", False):
            return Fraction(int(value.p), int(value.q))
        if getattr(value, "is_finite", None) is False or str(value) in ("nan", "zoo", "oo", "-oo"):
            raise NonFiniteError(
                f"{where} {value} is not finite; only finite real numbers are allowed"
            )
        if getattr(value, "is_Float", False):
            return exact_scalar(float(value) if value._prec <= 53 else value._mpf_, where)
        raise InvalidInputError(
            f"{where} {value} is not a rational number; SymPy entries must be Rational/Integer"
        )
    if mod.startswith("mpmath"):
        import mpmath

        if isinstance(value, mpmath.mpf):
            if not mpmath.isfinite(value):
                raise NonFiniteError(
                    f"{where} {value} is not finite; only finite real numbers are allowed"
                )
            return exact_scalar(value._mpf_, where)
        raise InvalidInputError(f"{where} {value} is not real; only real matrices are allowed")
    if isinstance(value, tuple) and len(value) == 4:  # an mpmath _mpf_ tuple
        sign, man, exp, _ = value
        if abs(int(exp)) > _MAX_BINARY_EXPONENT:
            raise InvalidInputError(
                f"{where} has binary exponent {exp}; allowed |exponent| <= {_MAX_BINARY_EXPONENT}"
            )
        return (-1) ** sign * Fraction(int(man)) * Fraction(2) ** int(exp)
    if isinstance(value, complex) or "complex" in type(value).__name__:
        raise InvalidInputError(f"{where} {value!r} is complex; only real matrices are allowed")
    raise InvalidInputError(
        f"{where} {value!r} of type {type(value).__name__} is not a number; use int, "
        "Fraction, float or a numeric string"
    )


def _rows_of(A: Any) -> list[list[Any]]:
    mod = type(A).__module__ or ""
    if mod.startswith("numpy"):
        if A.ndim != 2:
            raise ShapeError(f"a 2-D matrix is needed; got a numpy array of shape {A.shape}")
        return A.tolist()
    if mod.startswith("sympy"):
        if not hasattr(A, "rows"):
            raise ShapeError(f"a matrix is needed; got {type(A).__name__}")
        return [[A[i, j] for j in range(A.cols)] for i in range(A.rows)]
    if mod.startswith("mpmath"):
        if hasattr(A, "rows") and hasattr(A, "cols"):
            return [[A[i, j] for j in range(A.cols)] for i in range(A.rows)]
    if isinstance(A, (list, tuple)):
        if not all(isinstance(r, (list, tuple)) or type(r).__module__.startswith("numpy")
                   for r in A):
            raise ShapeError(
                "a matrix is a list of rows (lists); got a list whose items are not all rows"
            )
        return [list(r) for r in A]
    raise ShapeError(
        f"a matrix is needed; got {type(A).__name__}. Use a list of rows, a numpy array, a "
        "SymPy or an mpmath matrix"
    )


def as_exact(A: Any, *, square: bool = False) -> ExactMatrix:
    """Validate ``A`` and return it as an exact matrix of Fractions.

    Raises :class:`ShapeError` (empty, ragged, non-square when ``square``, side > 512),
    :class:`NonFiniteError` (NaN, inf) or :class:`InvalidInputError` (not a number).

    >>> as_exact([])
    Traceback (most recent call last):
    ...
    rnncore.errors.ShapeError: the matrix is empty (shape 0x0); give at least one row and one column
    """
    if isinstance(A, tuple) and A and all(
        isinstance(r, tuple) and all(type(x) is Fraction for x in r) for r in A
    ):
        rows = A  # already exact
        exact = True
    else:
        rows = _rows_of(A)
        exact = False
    nr = len(rows)
    nc = len(rows[0]) if nr else 0
    if nr == 0 or nc == 0:
        raise ShapeError(
            f"the matrix is empty (shape {nr}x{nc}); give at least one row and one column"
        )
    if any(len(r) != nc for r in rows):
        raise ShapeError(
            f"the rows have different lengths {[len(r) for r in rows]}; all rows need {nc}"
        )
    if nr > MAX_SIZE or nc > MAX_SIZE:
        raise ShapeError(f"shape {nr}x{nc} is too large; use at most {MAX_SIZE}x{MAX_SIZE}")
    if square and nr != nc:
        raise ShapeError(f"a square matrix is needed here; got shape {nr}x{nc}")
    if exact:
        return rows
    return tuple(
        tuple(exact_scalar(x, f"entry ({i}, {j})") for j, x in enumerate(r))
        for i, r in enumerate(rows)
    )


def shape(Q: ExactMatrix) -> tuple[int, int]:
    """Rows and columns of an exact matrix.

    >>> shape(as_exact([[1, 2, 3]]))
    (1, 3)
    """
    return len(Q), len(Q[0])


def transpose(Q: ExactMatrix) -> ExactMatrix:
    """Exact transpose.

    >>> transpose(as_exact([[1, 2]]))
    ((Fraction(1, 1),), (Fraction(2, 1),))
    """
    return tuple(zip(*Q))


def matmul(P: ExactMatrix, Q: ExactMatrix) -> ExactMatrix:
    """Exact product (inner sizes must agree).

    >>> matmul(as_exact([[1, 2]]), as_exact([[3], [4]]))
    ((Fraction(11, 1),),)
    """
    if len(P[0]) != len(Q):
        raise ShapeError(f"cannot multiply {len(P)}x{len(P[0])} by {len(Q)}x{len(Q[0])}")
    if not all(type(x) in (Fraction, int) for M in (P, Q) for r in M for x in r):
        cols = list(zip(*Q))
        return tuple(tuple(sum((a * b for a, b in zip(r, c)), Fraction(0)) for c in cols)
                     for r in P)
    # the product of python-flint rational matrices: the same exact sums of products as a
    # loop over Fractions, about three times faster at the sizes of the claims
    R = _fmpq_mat(P) * _fmpq_mat(Q)
    return tuple(tuple(Fraction(int(R[i, j].p), int(R[i, j].q)) for j in range(R.ncols()))
                 for i in range(R.nrows()))


def _fmpq_mat(Q) -> fmpq_mat:
    return fmpq_mat([[fmpq(x.numerator, x.denominator) for x in r] for r in Q])


def diag(values) -> ExactMatrix:
    """Exact diagonal matrix.

    >>> diag([1, "1/2"])[1]
    (Fraction(0, 1), Fraction(1, 2))
    """
    v = [exact_scalar(x) for x in values]
    if not v:
        raise ShapeError("diag needs at least one value (got none)")
    return tuple(tuple(v[i] if i == j else Fraction(0) for j in range(len(v))) for i in range(len(v)))


def identity(n: int) -> ExactMatrix:
    """Exact identity of side ``n``.

    >>> identity(2)[0]
    (Fraction(1, 1), Fraction(0, 1))
    """
    return diag([1] * n)


def scale(Q: ExactMatrix, c) -> ExactMatrix:
    """Exact ``c * Q``.

    >>> scale(identity(1), "1/2")
    ((Fraction(1, 2),),)
    """
    c = exact_scalar(c)
    return tuple(tuple(c * x for x in r) for r in Q)


def matpow(Q: ExactMatrix, k: int) -> ExactMatrix:
    """Exact power ``Q^k`` (k >= 0) by repeated squaring.

    >>> matpow(as_exact([[1, 1], [0, 1]]), 5)[0]
    (Fraction(1, 1), Fraction(5, 1))
    """
    n = len(Q)
    result, base = identity(n), Q
    while k:
        if k & 1:
            result = matmul(result, base)
        base = matmul(base, base)
        k >>= 1
    return result


def to_text(Q: ExactMatrix) -> str:
    """Compact text of an exact matrix, e.g. ``[[1, 1/2], [0, 1]]``.

    >>> to_text(as_exact([[1, "1/2"]]))
    '[[1, 1/2]]'
    """
    return "[" + ", ".join("[" + ", ".join(str(x) for x in r) + "]" for r in Q) + "]"


__all__ = [
    "ExactMatrix", "MAX_SIZE", "check_dps", "exact_scalar", "as_exact", "shape", "transpose",
    "matmul", "diag", "identity", "scale", "matpow", "to_text",
]
