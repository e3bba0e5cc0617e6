"""Subcommands of the ``rnnproof`` CLI: each module exports ``add_parser`` and ``run``."""
