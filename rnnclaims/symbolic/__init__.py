"""Symbolic claims: one module per group, each declaring its claims in ``REGISTRY``.

Every module of this package is imported (and so declares its claims) when the package is.

>>> REGISTRY["blog.eq12"].layer
'symbolic'
"""
from rnncore.registry import Registry, load_package

REGISTRY = Registry("symbolic")

#: Modules whose claims reuse one another's memoised work (the direct Jacobians and the
#: local parts of the same small networks): ``verify`` runs each tuple's claims in one
#: worker so that work is done once. Measured in fresh processes at ``--quick`` sizes, the
#: remarks' claims took 0.35 s alone and 0.14 s after the gradient claims, the Jacobian
#: claims 0.35 s alone and 0.27 s after both (``bench/bench_verify.py``).
SHARED_WORK = (("gradients", "remarks", "jacobians"),)

load_package(__name__)

__all__ = ["REGISTRY"]
