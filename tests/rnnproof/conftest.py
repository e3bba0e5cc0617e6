"""Fixtures for the joining layer: reports computed once per test session."""
import pytest

from rnncore.registry import Options
from rnnproof.report import run_report


@pytest.fixture(scope="session")
def quick_report():
    """Every claim at the quick sizes (n=2, m=1, T=3)."""
    return run_report(None, Options.quick_sizes())


@pytest.fixture(scope="session")
def default_report():
    """Every claim at the default sizes (n=3, m=2, T=4): what `rnnproof verify` runs."""
    return run_report(None, Options())
