"""The generated pages cannot drift: docs/api.md is what the code renders now, and
docs/report.md shows the declared claims, in report order, with their declared verdicts
(the computed verdicts equal the declared ones: tests/rnnclaims/test_declared_verdicts.py)."""
import importlib
import re

import pytest

from rnnclaims.catalogue import catalogue
from rnnproof.apidoc import MODULES, render
from rnnproof.docgen import PAGES, main, stale
from rnnproof.printers import md_cell


def test_api_page_is_current():
    assert stale(["api"]) == [], "docs/api.md is stale: run `python -m rnnproof.docgen`"


def test_every_public_name_is_documented():
    text = render()
    for name, _ in MODULES:
        for attr in importlib.import_module(name).__all__:
            assert f"`{name}.{attr}" in text


def test_report_page_shows_the_declarations():
    text = PAGES["report"][0].read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+(?:\\\|[^|]*)*) \| \*\*([\w-]+)\*\*(?: \(not the author's reading\))? \|", text, re.M)
    # The page shows the label (e.g. proved-from-lemmas): the declared one where a
    # declaration names it, else a label of the declared verdict.
    assert [(cid, verdict if c.expect_label else verdict.split("-")[0])
            for (cid, _, verdict), c in zip(rows, catalogue())] == [
        (c.id, (c.expect_label or c.expect).value) for c in catalogue()], (
        "docs/report.md is stale: run `python -m rnnproof.docgen`")
    for claim in catalogue():
        assert f"*{md_cell(claim.source)}.* {md_cell(claim.statement)}" in text, claim.id


def test_check_mode_names_the_stale_page(tmp_path, monkeypatch, capsys):
    page = tmp_path / "api.md"
    page.write_text("old", encoding="utf-8")
    monkeypatch.setitem(PAGES, "api", (page, PAGES["api"][1]))
    assert main(["--check", "--only", "api"]) == 1
    assert "api.md is stale" in capsys.readouterr().err
    assert main(["--only", "api"]) == 0 and stale(["api"]) == []


@pytest.mark.slow
def test_report_page_is_current():
    assert stale(["report"]) == [], "docs/report.md is stale: run `python -m rnnproof.docgen`"
