"""Notebook display: the hook table that gives objects of every layer their rich reprs.

IPython and Jupyter show an object through its ``_repr_latex_`` and ``_repr_html_``
methods. A class of any layer gets them by inheriting :class:`Displayable`; the words and
formulas are made by printers of the application layer, which :func:`register` themselves
here by the class's dotted name when ``rnnproof`` is imported (so this module imports no
layer above the foundation). Without a registered printer the fallback is plain: an
object with a ``latex()`` method shows that (a formula in math mode), anything else its
escaped ``repr`` — nothing breaks when ``rnnproof`` is not imported.

>>> class Thing(Displayable):
...     def __repr__(self): return "Thing<1 & 2>"
>>> Thing()._repr_html_()
'<pre>Thing&lt;1 &amp; 2&gt;</pre>'
>>> register(f"{__name__}.Thing", latex=lambda t: "$t$", html=lambda t: "<b>t</b>")
>>> Thing()._repr_latex_(), Thing()._repr_html_()
('$t$', '<b>t</b>')
>>> unregister(f"{__name__}.Thing")
"""
from __future__ import annotations

import html
from typing import Any, Callable

Printer = Callable[[Any], str]

_LATEX: dict[str, Printer] = {}
_HTML: dict[str, Printer] = {}


def _names(obj: Any) -> list[str]:
    return [f"{c.__module__}.{c.__qualname__}" for c in type(obj).__mro__]


def register(dotted: str, *, latex: Printer | None = None, html: Printer | None = None) -> None:
    """Use ``latex(obj)`` / ``html(obj)`` for objects of the class named ``dotted``
    (``module.QualName``) and its subclasses."""
    if latex is not None:
        _LATEX[dotted] = latex
    if html is not None:
        _HTML[dotted] = html


def unregister(dotted: str) -> None:
    """Forget the printers of the class named ``dotted``."""
    _LATEX.pop(dotted, None)
    _HTML.pop(dotted, None)


def latex_of(obj: Any) -> str | None:
    """The LaTeX of ``obj``: its registered printer, else its ``latex()`` (math mode when
    it is a formula), else None (the front end then shows the text repr).

    >>> latex_of(3) is None
    True
    """
    for name in _names(obj):
        if name in _LATEX:
            return _LATEX[name](obj)
    method = getattr(obj, "latex", None)
    if callable(method):
        text = method()
        return text if "\\begin" in text or "\\paragraph" in text else f"${text}$"
    return None


def html_of(obj: Any) -> str:
    """The HTML of ``obj``: its registered printer, else its escaped repr in ``<pre>``.

    >>> html_of(3.5)
    '<pre>3.5</pre>'
    """
    for name in _names(obj):
        if name in _HTML:
            return _HTML[name](obj)
    text = obj.text() if callable(getattr(obj, "text", None)) else repr(obj)
    return "<pre>" + html.escape(text) + "</pre>"


class Displayable:
    """Mixin: ``_repr_latex_`` and ``_repr_html_`` through the table of this module."""

    __slots__ = ()

    def _repr_latex_(self) -> str | None:
        return latex_of(self)

    def _repr_html_(self) -> str:
        return html_of(self)


__all__ = ["Displayable", "register", "unregister", "latex_of", "html_of"]
