"""The verdict table of docs/guide.md and README's "Verdicts:" list say what each Label means,
in the words of ``Label.meaning`` (the source), one entry per label and no other."""
import re
from pathlib import Path

from rnncore.results import Label

ROOT = Path(__file__).resolve().parents[2]


def test_the_guide_has_one_row_per_label_with_its_meaning():
    text = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    section = text.split("## The verdicts", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z-]+)` \| ([^|]+) \|", section, re.M)
    assert [name for name, _ in rows] == [label.value for label in Label]
    for name, meaning in rows:
        assert meaning.strip() == Label(name).meaning, name


def test_the_readme_lists_every_label_with_its_meaning():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("Verdicts (", 1)[1].split("\n\n## ", 1)[0]
    items = re.findall(r"^- \*\*([a-z-]+)\*\*: (.+)\.$", block, re.M)
    assert [name for name, _ in items] == [label.value for label in Label]
    for name, meaning in items:
        assert meaning == Label(name).meaning, name
