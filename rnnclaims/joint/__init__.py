"""Joint claims (need both derive/ and numeric/): one module per group, each registering its checks in ``REGISTRY``.

Every module of this package is imported (and so registered) when the package is.

>>> "blog.note.harmless" in REGISTRY or len(REGISTRY) >= 0
True
"""
from rnncore.registry import Registry, load_package

REGISTRY = Registry("joint")

load_package(__name__)

__all__ = ["REGISTRY"]
