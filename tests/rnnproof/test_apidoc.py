"""docs/api.md is the rendering of the packages' public fronts: it cannot drift."""
from pathlib import Path

from rnnproof.apidoc import MODULES, render

API_MD = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_api_page_is_current():
    assert API_MD.read_text(encoding="utf-8") == render(), (
        "docs/api.md is stale: run `python -m rnnproof.apidoc > docs/api.md`")


def test_every_public_name_is_documented():
    import importlib

    text = render()
    for name, _ in MODULES:
        for attr in importlib.import_module(name).__all__:
            assert f"`{name}.{attr}" in text
