"""rnnclaims: every claim the report rules on, each declared beside its check.

``rnnclaims.symbolic`` holds the claims decided by ``derive`` (exact and randomized),
``rnnclaims.numeric`` those decided by ``numeric`` (high precision and certified), and
``rnnclaims.joint`` those that need both engines. :func:`rnnclaims.catalogue.catalogue`
lists every declared claim in report order. (This package module imports none of them, so
importing one layer's claims does not load the other engine.)
"""
