"""``check_gradient``: a user's formula for a gradient ∂E_t/∂θ (and its relatives).

A front over :func:`derive.gradient_formula.check_gradient_formula` with the statement's
vocabulary: ``theta`` in W_rec, W_in, b, W (= [W_rec W_in b]); ``entry`` (i, j), 1-based,
or ``whole`` = matrix / vec-row / vec-col; ``what`` = total (∂E_t/∂θ, every t),
sum (∂E/∂θ, E = Σ_t E_t), immediate (∂⁺x_k/∂θ), state (∂x_t/∂θ).

>>> check_gradient("sum(k, 1, t, dE[t] @ prod_down(i, t, k+1, W @ D[i-1]) @ dplus[k])",
...                theta="W_in").label.value
'proved'
>>> check_gradient("(sum(k, 1, t, (dE[t] @ prod_down(i, t, k+1, W @ D[i-1])).T @ h[k-1].T))[1, 2]",
...                entry=(1, 2)).label.value
'proved'
"""
from __future__ import annotations

from derive.formula import GradientFormula, parse_gradient
from derive.gradient_formula import check_gradient_formula

_THETA_SHAPES = {"W_rec": ("n", "n"), "W_in": ("n", "m"), "b": ("n", "1"), "W": ("n", "q")}
from rnncore.errors import InvalidInputError
from rnncore.results import Result


def check_gradient(text, *, theta: str = "W_rec", entry=None, whole: str | None = None,
                   what: str = "total", form: str = "A", activation: str = "generic",
                   loss: str = "generic", layout: str = "numerator", n: int = 2, m: int = 1,
                   T: int = 3, seed: int | None = None, method: str = "auto") -> Result:
    """Decide the gradient formula ``text`` (see the module doc). ``whole=None``: read off
    the formula's shape — ``matrix`` when it has θ's shape, else ``vec-row`` (the
    engine's convention, named in the evidence).

    >>> check_gradient("sum(k, 1, t, (dE[t] @ prod_down(i, t, k+1, W @ D[i-1])).T @ h[k-1].T)").label.value
    'proved'
    """
    if entry is not None:
        if not isinstance(entry, (tuple, list)) or len(entry) != 2:
            raise InvalidInputError(f"entry={entry!r} is not (i, j); give two 1-based indices")
        entry = tuple(entry)
    f = text if isinstance(text, GradientFormula) else parse_gradient(text)
    if whole is None:
        whole = "vec-row"
        if entry is None and what in ("total", "sum") and theta in _THETA_SHAPES \
                and f.shape == _THETA_SHAPES[theta]:
            whole = "matrix"
    text = f
    return check_gradient_formula(text, theta=theta, what=what, whole=whole, entry=entry,
                                  layout=layout, form=form, activation=activation, loss=loss,
                                  n=n, m=m, T=T, method=method, seed=seed)


__all__ = ["check_gradient"]
