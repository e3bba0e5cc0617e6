"""`rnnproof verify --html`: one self-contained page, mathematics as MathML, filterable; opened
in a real headless browser (Debian's chromium; skipped with the reason where it is missing)."""
import dataclasses
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest

from rnncore.registry import Claim, Options
from rnncore.results import Counterexample, Label, Method, MethodKind, Result, Scope, Verdict
from rnnproof.printers import inline_html, math_ml, report_html
from rnnproof.printers.html import LABEL_RGB
from rnnproof.report import run_report

IDS = ["blog.eq12", "blog.eq14*", "paper.eq5*", "paper.gamma", "blog.eq7.total-derivative"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium); .ci/run installs it")
MATH = re.compile(r"<math>.*?</math>", re.S)


@pytest.fixture(scope="module")
def report():
    return run_report(IDS, Options.quick_sizes(), jobs=2)


@pytest.fixture(scope="module")
def page(report, tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(report.html(), encoding="utf-8")
    return path


def test_page_is_self_contained(page):
    text = page.read_text(encoding="utf-8")
    assert "<style>" in text and "<script>" in text
    assert not re.search(r"""(src|href)\s*=|<link|@import|url\(|https?://""", text)


def test_every_claim_is_a_section_with_its_evidence(report, page):
    text = page.read_text(encoding="utf-8")
    for row in report.rows:
        assert f'data-id="{row.id}" data-label="{row.result.label.value}"' in text
    assert text.count('<section class="claim"') == len(report.rows)
    assert '<dt>counterexample</dt>' in text and '<pre class="proof">' in text


def test_every_math_fragment_is_well_formed(page):
    fragments = MATH.findall(page.read_text(encoding="utf-8"))
    assert len(fragments) > 50
    for fragment in fragments:
        ET.fromstring(fragment)  # raises on a tag left open or a bad escape


@pytest.mark.parametrize("text, fragment", [
    ("x_{t-1}", "<msub><mi>x</mi><mrow><mi>t</mi><mo>−</mo><mn>1</mn></mrow></msub>"),
    ("W_rec", "<msub><mi>W</mi><mi>rec</mi></msub>"),
    ("σ′(x)", "<msup><mi>σ</mi><mo>′</mo></msup>"),
    ("σ'(x)", "<msup><mi>σ</mi><mo>′</mo></msup>"),
    ("‖W‖₂", "<msub><mo>‖</mo><mn>2</mn></msub>"),
    ("∂⁺x_k/∂θ", "<msup><mo>∂</mo><mo>+</mo></msup><msub><mi>x</mi><mi>k</mi></msub>"),
    ("W_recᵀ", "<msubsup><mi>W</mi><mi>rec</mi><mi>T</mi></msubsup>"),
    ("Σ_{k=1}^{t}", "<msubsup><mi>Σ</mi><mrow><mi>k</mi><mo>=</mo><mn>1</mn></mrow>"),
    ("0 <= k", "<mo>≤</mo>"),
])
def test_notation_to_mathml(text, fragment):
    assert fragment in math_ml(text)


@pytest.mark.parametrize("text, inside, outside", [
    ("W_in*u + b | explicit entries", "<mo>·</mo>", "<mo>|</mo>"),     # product; a separator
    ("σ_max(A) = sqrt(λ_max(A*A))", "<mi>A</mi><mo lspace=\"0\" rspace=\"0\">)</mo><mo>=</mo>",
     "</math>(A)"),
    ("form A, t = 2, θ = W_rec", "<mi>t</mi><mo>=</mo><mn>2</mn>", "<mi>A</mi>"),
    ("4 case(s) checked, eq. 13", "", "<math>"),
])
def test_mixed_sentences(text, inside, outside):
    out = inline_html(text)
    assert inside in out and outside not in out, out


def test_prose_stays_text_and_hostile_text_is_escaped():
    assert inline_html("form A and form B are equivalent") == "form A and form B are equivalent"
    out = inline_html('<script>alert("x")</script> & x_t')
    tags = set(re.findall(r"</?([a-z]+)", out))
    assert tags <= {"math", "mi", "mo", "mn", "msub", "msup", "msubsup", "mrow"}, tags
    assert "alert" in out and "&amp;" in out and "&lt;" in out
    assert "<msub><mi>x</mi><mi>t</mi></msub>" in out


def test_a_reading_not_the_authors_is_marked():
    claim = Claim("a.b", "blog eq. 1", "x = y", None, "symbolic", reading="r",
                  authors_reading=False)
    cex = Counterexample((("w", "1/2"),), "1", "2")
    row = SimpleNamespace(claim=claim, seconds=0.1, id="a.b", result=Result(
        Verdict.REFUTED, Method(MethodKind.EXACT), Scope(), "e", cex))
    page = report_html(SimpleNamespace(rows=(row,), options=Options(), seconds=0.1,
                                       summary={"total": 1, "refuted": 1}), "0", {})
    assert "(not the author&#x27;s reading)" in page


# ------------------------------------------------------------------ in a real browser
def _chromium(*args, tmp_path):
    sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []
    proc = subprocess.run([CHROMIUM, "--headless", "--disable-gpu", *sandbox,
                           f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars", *args],
                          capture_output=True, timeout=180)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    return proc.stdout.decode("utf-8")


def _shown(dom):
    sections = re.findall(r'<section class="claim"[^>]*>', dom)
    return [re.search(r'data-id="([^"]+)"', s).group(1) for s in sections if "hidden" not in s]


@needs_chromium
def test_browser_shows_every_row(report, page, tmp_path):
    dom = _chromium("--dump-dom", page.as_uri(), tmp_path=tmp_path)
    assert _shown(dom) == [row.id for row in report.rows]
    assert f'data-shown="{len(report.rows)}"' in dom
    assert f"{len(report.rows)} of {len(report.rows)} shown" in dom  # the script ran


@needs_chromium
@pytest.mark.parametrize("query, expect", [
    ("?label=refuted", lambda row: row.result.label is Label.REFUTED),
    ("?label=proved,proved-from-lemmas&id=blog.eq14",
     lambda row: row.id.startswith("blog.eq14.") and row.result.label in (
         Label.PROVED, Label.PROVED_FROM_LEMMAS)),
    ("#id=paper.eq5*", lambda row: row.id.startswith("paper.eq5")),
])
def test_browser_filter_applies(query, expect, report, page, tmp_path):
    dom = _chromium("--dump-dom", page.as_uri() + query, tmp_path=tmp_path)
    want = [row.id for row in report.rows if expect(row)]
    assert want and len(want) < len(report.rows)
    assert _shown(dom) == want and f'data-shown="{len(want)}"' in dom


@needs_chromium
def test_screenshot_shows_the_report(page, tmp_path):
    from PIL import Image

    shot = tmp_path / "shot.png"
    _chromium("--window-size=1280,900", f"--screenshot={shot}", page.as_uri(), tmp_path=tmp_path)
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 900)
    counts = {}
    for count, rgb in image.getcolors(maxcolors=1 << 20):
        counts[rgb] = count
    assert len(counts) > 100  # text, badges, borders: not a blank page
    white = counts.get((255, 255, 255), 0)
    assert 0.3 < white / (1280 * 900) < 0.97
    for label, rgb in LABEL_RGB.items():  # every verdict's colour, from its filter chip
        assert counts.get(rgb, 0) > 200, label
