"""`rnnproof verify` as a user meets it: exit codes, JSON, Markdown, determinism."""
import dataclasses
import json
import subprocess
import sys

import pytest

from rnnproof.cli import main

CHEAP = ["--claim", "blog.eq12", "--claim", "paper.gamma", "--claim", "blog.eq14.submult"]


def test_unknown_claim_exits_2_with_the_closest_id(capsys):
    assert main(["verify", "--claim", "blog.eq99"]) == 2
    err = capsys.readouterr().err
    assert "'blog.eq99'; did you mean 'blog.eq9'?" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "blog.eq12" not in err  # no list of every id


@pytest.mark.parametrize("argv, fragment", [
    (["verify", "--n", "0"], "n=0"),
    (["verify", "--T", "500"], "T=500"),
    (["verify", "--dps", "5"], "dps=5"),
    (["verify", "--n", "two"], "invalid int value"),
    (["verify", "--bogus"], "unrecognized arguments"),
    ([], "COMMAND"),
])
def test_usage_errors_exit_2(argv, fragment, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert fragment in captured.err and "Traceback" not in captured.err


def test_json_is_valid_and_deterministic(capsys):
    # --seed replays: two runs with the same seed give the same document
    assert main(["verify", "--json", "--quick", "--seed", "5", *CHEAP]) in (0, 3)
    first = json.loads(capsys.readouterr().out)
    main(["verify", "--json", "--quick", "--seed", "5", *CHEAP])
    second = json.loads(capsys.readouterr().out)
    assert first["options"]["seed"] == 5 and first["options"]["seed_drawn"] is False
    for doc in (first, second):
        doc["summary"].pop("seconds")
        for c in doc["claims"]:
            c.pop("seconds")
    assert first == second
    ids = [c["id"] for c in first["claims"]]
    assert ids[0] == "blog.eq12" and ids.index("blog.eq14.submult") < ids.index("paper.gamma")


def test_exit_code_follows_undecided(capsys):
    code = main(["verify", "--json", "--quick", *CHEAP])
    doc = json.loads(capsys.readouterr().out)
    assert code == (3 if doc["summary"]["undecided"] else 0)


def test_markdown_file_written(tmp_path, capsys):
    out = tmp_path / "report.md"
    main(["verify", "--quick", "--markdown", str(out), *CHEAP])
    text = out.read_text(encoding="utf-8")
    assert "| `blog.eq12` |" in text and "| `paper.gamma` |" in text
    assert "blog.eq12" in capsys.readouterr().out


def test_console_script_runs():
    proc = subprocess.run([sys.executable, "-m", "rnnproof", "verify", "--quick", "--claim",
                           "paper.gamma", "--json"], capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 3), proc.stderr
    assert json.loads(proc.stdout)["claims"][0]["id"] == "paper.gamma"


@pytest.mark.slow
def test_whole_report_is_deterministic_across_processes():
    """Two runs of every claim, in fresh interpreters with different hash seeds, give the
    same JSON apart from timings."""
    import os

    docs = []
    for hashseed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hashseed}
        proc = subprocess.run([sys.executable, "-m", "rnnproof", "verify", "--quick", "--json", "--seed", "0"],
                              capture_output=True, text=True, timeout=600, env=env)
        assert proc.returncode == 0, proc.stderr
        doc = json.loads(proc.stdout)
        doc["summary"].pop("seconds")
        for c in doc["claims"]:
            c.pop("seconds")
        docs.append(doc)
    assert docs[0] == docs[1]


def test_a_check_that_raises_is_an_internal_error_not_a_verdict(capsys, monkeypatch):
    # The report still prints every row, but the status is 70 (a bug), never 0 or 1.
    from rnnclaims.numeric import REGISTRY

    def broken(options):
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(REGISTRY._claims, "paper.gamma",
                        dataclasses.replace(REGISTRY["paper.gamma"], check=broken))
    assert main(["verify", "--claim", "paper.gamma", "--json"]) == 70
    out, err = capsys.readouterr()
    report, end = json.JSONDecoder().raw_decode(out)
    row = report["claims"][0]
    assert json.loads(out[end:])["error"]  # and the error itself, as JSON
    assert row["verdict"] == "error" and row["method"]["kind"] == "error"
    assert "paper.gamma" in err and len(err.strip().splitlines()) == 1


def test_verify_draws_a_fresh_seed_says_so_and_replays_it(capsys):
    # Randomized identity tests need randomness drawn after the input is fixed: without
    # --seed each run draws its own from the OS, records it, and --seed replays it.
    argv = ["verify", "--json", "--claim", "blog.eq13.scale", "--quick"]
    main(argv)
    first = json.loads(capsys.readouterr().out)
    main(argv)
    second = json.loads(capsys.readouterr().out)
    seeds = [d["options"]["seed"] for d in (first, second)]
    assert first["options"]["seed_drawn"] and seeds[0] != seeds[1]
    method = first["claims"][0]["method"]["detail"]
    assert f"fresh seed {seeds[0]} from the operating system" in method
    main(argv + ["--seed", str(seeds[0])])
    replay = json.loads(capsys.readouterr().out)
    assert replay["options"] == {**first["options"], "seed_drawn": False}
    assert replay["claims"][0]["verdict"] == first["claims"][0]["verdict"] == "proved-randomized"
    assert f"replayed from seed {seeds[0]}" in replay["claims"][0]["method"]["detail"]
    main(["verify", "--claim", "blog.eq13.scale", "--quick", "--seed", "11"])
    assert "seed 11 (given: a replay)" in capsys.readouterr().out
