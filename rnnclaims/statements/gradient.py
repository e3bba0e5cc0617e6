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

_P = {"W_rec": "n*n", "W_in": "m*n", "b": "n", "W": "n*q"}
_THETA_SHAPES = {"W_rec": ("n", "n"), "W_in": ("n", "m"), "b": ("n", "1"), "W": ("n", "q")}
from rnncore.errors import InvalidInputError
from rnncore.results import Result, Verdict


def check_gradient(text, *, theta: str = "W_rec", entry=None, whole: str | None = None,
                   what: str = "total", form: str = "A", activation: str = "generic",
                   loss: str = "generic", layout: str = "numerator", n: int = 2, m: int = 1,
                   T: int = 3, seed: int | None = None, method: str = "auto",
                   diagnose: bool = True) -> Result:
    """Decide the gradient formula ``text`` (see the module doc). ``whole=None``: read off
    the formula's shape — ``matrix`` when it has θ's shape, else ``vec-row`` (the
    engine's convention, named in the evidence). A refuted formula is also tried in the
    other form and vec convention (``diagnose``); where it holds is in ``data["holds_in"]``
    and the evidence.

    >>> r = check_gradient("sum(k, 1, t, dE[t] @ prod_down(i, t, k+1, W @ D[i-1]) @ kron(h[k-1].T, I))")
    >>> r.label.value, r.data["holds_in"]
    ('refuted', [{'form': 'A', 'whole': 'vec-col'}])

    >>> check_gradient("sum(k, 1, t, (dE[t] @ prod_down(i, t, k+1, W @ D[i-1])).T @ h[k-1].T)").label.value
    'proved'
    """
    if entry is not None:
        if not isinstance(entry, (tuple, list)) or len(entry) != 2:
            raise InvalidInputError(f"entry={entry!r} is not (i, j); give two 1-based indices")
        entry = tuple(entry)
    f = text if isinstance(text, GradientFormula) else parse_gradient(text, _P.get(theta, "p"))
    if whole is None:
        whole = "vec-row"
        if entry is None and what in ("total", "sum") and theta in _THETA_SHAPES \
                and f.shape == _THETA_SHAPES[theta]:
            whole = "matrix"
    text = f
    result = check_gradient_formula(text, theta=theta, what=what, whole=whole, entry=entry,
                                    layout=layout, form=form, activation=activation, loss=loss,
                                    n=n, m=m, T=T, method=method, seed=seed)
    if result.verdict is not Verdict.REFUTED or not diagnose:
        return result
    # a refuted formula may be right in another convention: name it (never instead of the
    # verdict on the convention asked for)
    holds_in = []
    for alt_form, alt_whole in _alternatives(form, whole, entry):
        try:
            alt = check_gradient_formula(text, theta=theta, what=what, whole=alt_whole,
                                         entry=entry, layout=layout, form=alt_form,
                                         activation=activation, loss=loss, n=n, m=m, T=T,
                                         method=method, seed=seed)
        except InvalidInputError:
            continue
        if alt.holds:
            holds_in.append({"form": alt_form, "whole": alt_whole})
    data = {**(result.data if isinstance(result.data, dict) else {}), "holds_in": holds_in}
    evidence = result.evidence
    if holds_in:
        evidence += "; it holds in " + ", ".join(
            f"form {h['form']} ({h['whole']})" for h in holds_in)
    return result.with_(evidence=evidence, data=data)


def _alternatives(form: str, whole: str, entry) -> list:
    """The other (form, whole) conventions a refuted formula is tried in."""
    wholes = [whole] if entry is not None or whole == "matrix" else ["vec-row", "vec-col"]
    return [(f, w) for f in ("A", "B") for w in wholes if (f, w) != (form, whole)]


__all__ = ["check_gradient"]
