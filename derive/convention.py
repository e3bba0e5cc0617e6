"""Conventions of a Jacobian formula: the table of them, and the templates they name.

A *convention* is a choice among {form A, form B} × {numerator, denominator} × {σ' argument
at i−1, at i} × {product order: largest index leftmost, smallest leftmost}. Each names a
formula: the product over ``k < i <= t`` of the factor that the form and layout give —

=========  ==================  ====================
form       numerator           denominator
=========  ==================  ====================
A          ``W_rec D``         ``D W_recᵀ``
B          ``D W_rec``         ``W_recᵀ D``
=========  ==================  ====================

with ``D = diag(σ'(x_{i-1}))`` or ``diag(σ'(x_i))`` (``x`` the argument of σ: form A's state,
form B's pre-activation, ``h = σ(x)``) in the chosen order. Exactly one convention per
(form, layout) is the true Jacobian (:data:`CORRECT`): A-numerator (σ' at i−1, largest
leftmost — blog eq. 13), A-denominator (σ' at i−1, smallest leftmost), B-numerator (σ' at
i, largest leftmost), B-denominator (σ' at i, smallest leftmost). A *template* is any
product of ``W_rec`` or ``W_recᵀ`` with ``D`` on either side — the conventions, plus the
factor shapes that are no layout of the form.

>>> [t.text() for t in templates("A", True)][:2]
['W @ D[i-1]', 'W @ D[i]']
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .formula import Formula
from .formula_check import parsed
from .layout import LAYOUTS

SIGMA_AT = ("i-1", "i")
ORDERS = ("largest-left", "smallest-left")
#: The true Jacobian's (σ' argument, order) for each (form, layout).
CORRECT = {
    ("A", "numerator"): ("i-1", "largest-left"),
    ("A", "denominator"): ("i-1", "smallest-left"),
    ("B", "numerator"): ("i", "largest-left"),
    ("B", "denominator"): ("i", "smallest-left"),
}
#: The factor shape (W transposed?, diag on the left?) of each (form, layout).
SHAPES = {
    ("A", "numerator"): (False, False),
    ("A", "denominator"): (True, True),
    ("B", "numerator"): (False, True),
    ("B", "denominator"): (True, False),
}


@dataclass(frozen=True)
class Convention:
    """One of the 16 conventions (form, layout, σ' argument, product order).

    >>> Convention("A", "numerator", "i-1", "largest-left").correct
    True
    """

    form: str
    layout: str
    sigma_at: str
    order: str | None  # None: a one-step formula (order does not apply)

    @property
    def correct(self) -> bool:
        """True when this convention is the true Jacobian of its form and layout."""
        want = CORRECT[(self.form, self.layout)]
        return self.sigma_at == want[0] and (self.order is None or self.order == want[1])

    def __str__(self) -> str:
        order = {"largest-left": "largest index leftmost", "smallest-left": "smallest index "
                 "leftmost", None: "order n/a (one step)"}[self.order]
        return f"form {self.form}, {self.layout} layout, σ' at {self.sigma_at}, {order}"


@dataclass(frozen=True)
class Template:
    """A product of factors ``W_rec`` or ``W_recᵀ`` times ``D`` on the left or right, with
    σ' at ``i-1`` or ``i``, in one order (``None`` for a one-step factor).

    >>> Template("A", True, False, "i-1", None).text()
    'W.T @ D[i-1]'
    >>> Template("B", True, False, "i", "smallest-left").text()
    'prod_up(i, k+1, t, W.T @ D[i])'
    """

    form: str
    transposed: bool
    diag_left: bool
    sigma_at: str
    order: str | None

    def factor(self) -> str:
        """The one-step factor in the formula language.

        >>> Template("B", False, True, "i", None).factor()
        'D[i] @ W'
        """
        w = "W.T" if self.transposed else "W"
        d = f"D[{self.sigma_at}]"
        return f"{d} @ {w}" if self.diag_left else f"{w} @ {d}"

    def text(self) -> str:
        """The template as a formula (a product unless one-step).

        >>> Template("A", False, False, "i-1", "largest-left").text()
        'prod_down(i, t, k+1, W @ D[i-1])'
        """
        if self.order is None:
            return self.factor()
        if self.order == "largest-left":
            return f"prod_down(i, t, k+1, {self.factor()})"
        return f"prod_up(i, k+1, t, {self.factor()})"

    def formula(self) -> Formula:
        """The parsed template.

        >>> Template("A", False, False, "i-1", None).formula().one_step
        True
        """
        return parsed(self.text())  # parsed once per text (the diagnosis asks often)

    @property
    def layout(self) -> str | None:
        """The layout whose factor shape this is in its form, or None."""
        for layout in LAYOUTS:
            if SHAPES[(self.form, layout)] == (self.transposed, self.diag_left):
                return layout
        return None

    @property
    def convention(self) -> Convention | None:
        """The convention this template is, or None (no layout's factor shape)."""
        layout = self.layout
        return None if layout is None else Convention(self.form, layout, self.sigma_at, self.order)


@dataclass(frozen=True)
class Nearest:
    """A true convention near a matched template, and how the candidate differs from it."""

    template: Template
    convention: Convention
    differences: tuple[str, ...]

    def describe(self) -> str:
        """One line: the true convention and the differences.

        >>> Nearest(Template("A", True, False, "i-1", None),
        ...         Convention("A", "numerator", "i-1", None), ("transposed W_rec",)).describe()
        'form A, numerator layout: transposed W_rec'
        """
        return (f"form {self.convention.form}, {self.convention.layout} layout: "
                + ", ".join(self.differences))



def true_text(c: Convention) -> str:
    sigma_at, order = CORRECT[(c.form, c.layout)]
    t, d = SHAPES[(c.form, c.layout)]
    return Template(c.form, t, d, sigma_at, None if c.order is None else order).text()


def templates(form: str, one_step: bool) -> list[Template]:
    """Every template of ``form`` (8 one-step factors, or 16 products).

    >>> len(templates("A", True)), len(templates("B", False))
    (8, 16)
    """
    orders: Iterable = (None,) if one_step else ORDERS
    return [Template(form, tr, dl, s, o) for tr in (False, True) for dl in (False, True)
            for s in SIGMA_AT for o in orders]


def differences(t: Template, c: Convention) -> tuple[str, ...]:
    want_t, want_d = SHAPES[(c.form, c.layout)]
    want_s, want_o = CORRECT[(c.form, c.layout)]
    out = []
    if t.transposed != want_t:
        out.append("transposed W_rec" if t.transposed else "W_rec where W_recᵀ is needed")
    if t.diag_left != want_d:
        out.append("diag(σ') on the other side of W_rec")
    if t.sigma_at != want_s:
        out.append("σ' one step late (at i, not i-1)" if t.sigma_at == "i"
                   else "σ' one step early (at i-1, not i)")
    if t.order is not None and t.order != want_o:
        out.append("reversed product order")
    return tuple(out)



__all__ = ["Convention", "Template", "Nearest", "CORRECT", "SHAPES", "SIGMA_AT", "ORDERS",
           "templates", "differences", "true_text"]
