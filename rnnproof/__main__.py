"""``python -m rnnproof``: the command line."""
from .launch import run

run()
