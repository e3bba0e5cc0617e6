"""derive/ stays exact: it never imports numeric/ (the report joins the two)."""
import subprocess
import sys


def test_derive_does_not_import_numeric():
    code = ("import sys, derive, derive.norm_proofs\n"
            "bad = [m for m in sys.modules if m == 'numeric' or m.startswith('numeric.')]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
