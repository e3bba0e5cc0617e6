"""Numeric claims: one module per group, each declaring its claims in ``REGISTRY``.

Every module of this package is imported (and so declares its claims) when the package is.

>>> REGISTRY["paper.gamma"].layer
'numeric'
"""
from rnncore.registry import Registry, load_package

REGISTRY = Registry("numeric")

load_package(__name__)

__all__ = ["REGISTRY"]
