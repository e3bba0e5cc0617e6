"""rnnclaims: every claim the report rules on, each declared beside its check.

``rnnclaims.symbolic`` holds the claims decided by ``derive`` (exact and randomized),
``rnnclaims.numeric`` those decided by ``numeric`` (high precision and certified), and
``rnnclaims.joint`` those that need both engines.
"""
