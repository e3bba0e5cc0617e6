"""Joint claims (need both derive/ and numeric/): one module per group, each declaring its claims in ``REGISTRY``.

Every module of this package is imported (and so declares its claims) when the package is.

>>> REGISTRY["blog.note.harmless"].layer
'joint'
"""
from rnncore.registry import Registry, load_package

REGISTRY = Registry("joint")

load_package(__name__)

__all__ = ["REGISTRY"]
