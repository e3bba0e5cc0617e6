"""``rnnproof check FILE``: compiler-style text, JSON, exit statuses, unreadable files."""
import json
import pathlib

import pytest

from rnnproof.cli import main

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "examples" / "derivation.md"


def run_cli(capsys, *argv):
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def example_json():
    from rnnclaims.derivation import check_file
    from rnnproof.printers.derivation import derivation_dict
    return derivation_dict(check_file(str(EXAMPLE)))


def test_example_file_verdicts(example_json):
    verdicts = [(l["line"], l["verdict"]) for l in example_json["links"]]
    assert verdicts == [(16, "proved"), (21, "proved"), (22, "proved"), (27, "refuted"),
                        (29, "refuted"), (33, "refuted"), (37, "proved"),
                        (41, "proved-from-lemmas"), (41, "refuted"), (41, "refuted")]
    kinds = [l["kind"] for l in example_json["links"]]
    assert kinds == ["jacobian"] * 6 + ["gradient"] + ["inequality"] * 3
    assert example_json["links"][-1]["conclusion"]
    transposed = example_json["links"][3]
    assert transposed["holds_in_layout"] == "denominator" and transposed["counterexample"]
    assert example_json["exit_code"] == 1 and example_json["model"]["form"] == "B"


def test_json_shape_and_exit(capsys, tmp_path):
    f = tmp_path / "d.md"
    f.write_text("$$\\frac{\\partial x_t}{\\partial x_{t-1}} = W_{rec} "
                 "\\operatorname{diag}(\\sigma'(x_{t-1}))$$\n\n$$x_t = F(x_{t-1})$$\n")
    code, out, err = run_cli(capsys, str(f), "--json")
    data = json.loads(out)
    assert data["file"] == str(f) and err == ""
    assert [(l["line"], l["verdict"]) for l in data["links"]] == [(1, "proved"), (3, "unsupported")]
    assert data["links"][1]["reason"] and code == 3


def test_text_points_at_file_and_line(capsys, tmp_path):
    f = tmp_path / "d.tex"
    f.write_text("% ---\n% layout: denominator\n% ---\n\\begin{equation}\n"
                 "\\frac{\\partial x_t}{\\partial x_{t-1}} = W_{rec} "
                 "\\operatorname{diag}(\\sigma'(x_{t-1}))\n\\end{equation}\n")
    code, out, err = run_cli(capsys, str(f))
    assert out.startswith(f"{f}:5: refuted") and "holds in numerator layout" in out
    assert code == 1


@pytest.mark.parametrize("content, message", [
    (b"$$x\x00$$", "binary"),
    ("$$\u00e9$$".encode("latin-1"), "not UTF-8"),
    (b"---\nform: C\n---\n", "form 'C' is not one of A, B"),
])
def test_unreadable_files_exit_2(capsys, tmp_path, content, message):
    f = tmp_path / "bad.md"
    f.write_bytes(content)
    code, out, err = run_cli(capsys, str(f))
    assert code == 2 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_missing_file_exit_2_json(capsys, tmp_path):
    code, out, err = run_cli(capsys, str(tmp_path / "nope.md"), "--json")
    assert code == 2 and "no such file" in err
    assert "error" in json.loads(out)


def test_file_and_statement_together_exit_2(capsys, tmp_path):
    f = tmp_path / "d.md"
    f.write_text("$$x$$")
    code, out, err = run_cli(capsys, str(f), "--jacobian", "W")
    assert code == 2 and "not both" in err


def test_eq15_example_file(capsys):
    # Verifies: blog eq. 15
    code, out, _ = run_cli(capsys, str(EXAMPLE.parent / "eq15.md"), "--json")
    data = json.loads(out)
    assert code == 1  # the variant with the sum from k = 2 is refuted
    links = data["links"]
    assert [(l["relation"], l["verdict"]) for l in links] == [
        ("=", "proved"), ("=", "proved"), ("<=", "proved-from-lemmas"),
        ("<=", "proved-from-lemmas"), ("=", "refuted")]
    assert [l["via"] for l in links[:2]] == ["congruence", "congruence"]
    whole, scalar = links[2]["notes"]  # both readings of θ, the author's first
    assert "the author's reading" in whole and "not the author's reading): refuted" in scalar
    assert "empty sum" in links[4]["counterexample"]["rhs"]
    code, out, _ = run_cli(capsys, str(EXAMPLE.parent / "eq15.md"))
    assert "eq15.md:21: proved-from-lemmas — norm link (<=)" in out
