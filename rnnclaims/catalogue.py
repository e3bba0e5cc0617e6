"""The catalogue, derived from the declarations: every declared claim, in report order.

Each claim is one declaration (``@REGISTRY.claim(id, source=, statement=, reading=,
expect=)``) on its check in ``rnnclaims.symbolic``, ``rnnclaims.numeric`` or
``rnnclaims.joint``; :func:`catalogue` loads the three registries (in that fixed order) and
lists their claims in report order (:func:`rnncore.catalogue.ordered`).

>>> claims = catalogue()
>>> claims[0].id, claims[0].source, claims[0].expect.value
('blog.eq2', 'blog eq. 2', 'proved')
>>> all(c.statement and c.source and c.expect for c in claims)
True
"""
from __future__ import annotations

from rnncore.catalogue import ordered
from rnncore.registry import Claim, Registry

from .cells import REGISTRY as _cells
from .joint import REGISTRY as _joint
from .numeric import REGISTRY as _numeric
from .symbolic import REGISTRY as _symbolic


def registries() -> list[Registry]:
    """The claim registries, loaded, in their fixed order: symbolic, numeric, joint, cells.

    >>> [r.layer for r in registries()]
    ['symbolic', 'numeric', 'joint', 'cells']
    """
    return [_symbolic, _numeric, _joint, _cells]


def catalogue() -> tuple[Claim, ...]:
    """Every declared claim, in report order; an id declared in two layers is a bug.

    >>> [c.id for c in catalogue()].index("blog.eq10.order.corrected") - [c.id for c in catalogue()].index("blog.eq10.order")
    1
    """
    declared: dict[str, Claim] = {}
    for reg in registries():
        for claim in reg:
            if claim.id in declared:
                raise RuntimeError(f"claim id {claim.id!r} is declared in two layers "
                                   f"({declared[claim.id].layer}, {claim.layer})")
            declared[claim.id] = claim
    return tuple(declared[cid] for cid in ordered(declared))


__all__ = ["catalogue", "registries"]
