"""The catalogue's order: where each claim id stands in the report.

A claim is declared once, beside its check (``@REGISTRY.claim(id, source=, statement=,
reading=, expect=)`` in ``rnnclaims``); its source, statement, reading and expected verdict
live there and nowhere else. What a declaration cannot say is where the claim stands among
the others: the report walks the author's texts in a fixed order (the derivation of the
gradient, blog then paper; then the bounds, blog then paper) that no field of a declaration
determines. :data:`ORDER` fixes that place for the catalogue ids — the ids only; the ids are
stable by policy (never renamed or dropped).

:func:`ordered` sorts declared ids into report order:

1. each id of :data:`ORDER`, in that order, followed by its added ids (``X.corrected``, one
   id per reading: every id whose longest dotted prefix in :data:`ORDER` is ``X``) in id
   order;
2. then any other declared id, in declaration order (the claim packages are loaded in the
   fixed order symbolic, numeric, joint, each package's modules in name order), so a new
   claim shows up in the report from its declaration alone.

>>> ordered(["blog.eq4", "blog.eq2.corrected", "new.claim", "blog.eq2"])
['blog.eq2', 'blog.eq2.corrected', 'blog.eq4', 'new.claim']
>>> ORDER[0], len(ORDER) == len(set(ORDER))
('blog.eq2', True)
"""
from __future__ import annotations

from typing import Iterable

#: The catalogue ids, in report order (see the module docstring).
ORDER: tuple[str, ...] = (
    # the gradient: blog eqs. 2-13, its notes, and the paper's eqs. 2-5
    "blog.eq2", "blog.eq4", "blog.eq5", "blog.eq7", "blog.eq8", "blog.eq9", "blog.eq10",
    "blog.eq10.order", "blog.eq11", "blog.eq12", "blog.eq13", "blog.formB",
    "blog.note.numerator", "blog.note.any-layout", "blog.note.harmless",
    "paper.eq2.footnote", "paper.eq4", "paper.eq4.row", "paper.eq5", "paper.eq5.diagnosis",
    # the bounds: the blog's linear algebra, eqs. 14-15, vanishing and exploding; the paper's
    "blog.la.sigma-max", "blog.la.spectral-norm", "blog.la.psd", "blog.la.radius-vs-norm",
    "blog.eq14.submult", "blog.eq14.step", "blog.eq14.eta",
    # eq. 15: the author's reading (θ = W whole) before the scalar reading
    "blog.eq15.grouping.whole-matrix", "blog.eq15.grouping",
    "blog.eq15.bound.whole-matrix", "blog.eq15.bound", "blog.vanishing", "blog.exploding",
    "paper.gamma", "paper.eq6", "paper.eq7", "paper.linear.vanishing",
    # explode in the paper's sense (exponential growth) before "unbounded"
    "paper.linear.exploding.exponential", "paper.linear.exploding", "paper.exploding",
    "paper.arxiv.eigenvalue",
    # beyond the blog's cell: LSTM, GRU, stacked and skip-connected form A (rnnclaims/cells)
    "cells.lstm.jacobian", "cells.lstm.cec", "cells.lstm.cec.total", "cells.lstm.cec.total.corrected",
    "cells.lstm.eq10", "cells.gru.jacobian", "cells.gates.gamma", "cells.stacked.jacobian",
    "cells.stacked.eq10", "cells.skip.jacobian", "cells.skip.eq10", "cells.skip.paths",
)


def parent_of(claim_id: str) -> str | None:
    """The catalogue id an id belongs to: the longest id of :data:`ORDER` that is ``claim_id``
    itself or a dotted prefix of it (None: a new top-level id).

    >>> parent_of("blog.eq14.submult.corrected")
    'blog.eq14.submult'
    >>> parent_of("paper.linear.exploding.exponential")
    'paper.linear.exploding.exponential'
    >>> parent_of("nothing.here") is None
    True
    """
    best = None
    for cid in ORDER:
        if claim_id == cid or claim_id.startswith(cid + "."):
            if best is None or len(cid) > len(best):
                best = cid
    return best


def ordered(claim_ids: Iterable[str]) -> list[str]:
    """``claim_ids`` (distinct, in declaration order) sorted into report order (see the
    module docstring)."""
    ids = list(claim_ids)
    children: dict[str | None, list[str]] = {}
    for cid in ids:
        parent = parent_of(cid)
        if parent != cid:
            children.setdefault(parent, []).append(cid)
    declared = set(ids)
    out: list[str] = []
    for cid in ORDER:
        if cid in declared:
            out.append(cid)
        out.extend(sorted(children.get(cid, [])))
    out.extend(children.get(None, []))
    return out


__all__ = ["ORDER", "parent_of", "ordered"]
