"""`rnnproof verify` as a user and a script meet it: streaming rows, wrapping, colour,
selection, --list, --full, worker processes, SIGINT, '-' for standard output, exit codes."""
import dataclasses
import fcntl
import json
import os
import pty
import re
import select as _select
import signal
import struct
import subprocess
import sys
import termios
import time
import uuid

import pytest

from rnnclaims.numeric import REGISTRY
from rnncore.results import Method, MethodKind, Result, Scope, Verdict
from rnnproof.cli import main

CHEAP = ["--quick", "--claim", "blog.eq12", "--claim", "paper.gamma", "--claim", "blog.eq14.submult"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _no_timings(doc):
    doc["summary"].pop("seconds")
    for c in doc["claims"]:
        c.pop("seconds")
    return doc


def test_each_row_is_written_before_the_next_claim_runs(monkeypatch, capsys):
    seen = {}

    def spy(options):
        seen["before"] = capsys.readouterr().out  # what was printed when this check began
        return Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(), "spy")

    monkeypatch.setitem(REGISTRY._claims, "paper.gamma",
                        dataclasses.replace(REGISTRY["paper.gamma"], check=spy))
    assert main(["verify", "--jobs", "1", *CHEAP]) == 0
    assert "blog.eq12" in seen["before"] and "blog.eq14.submult" in seen["before"]
    assert "paper.gamma" not in seen["before"]
    assert "3 claims:" in capsys.readouterr().out


def test_piped_output_has_whole_lines(capsys):
    assert main(["verify", "--json", *CHEAP]) == 0
    doc = json.loads(capsys.readouterr().out)
    proc = subprocess.run([sys.executable, "-m", "rnnproof", "verify", *CHEAP],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "40"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "\x1b" not in proc.stdout  # no colour into a pipe
    for claim in doc["claims"]:
        assert any(" ".join(claim["evidence"].split()) in line for line in lines), claim["id"]
        if claim["counterexample"]:
            assert any(claim["counterexample"]["text"] in line for line in lines)
    assert lines[-2].startswith("3 claims: ") and lines[-1].startswith("seed ")


def _run_in_terminal(argv, columns=80, env=None, timeout=300):
    """Run rnnproof with its stdout on a pseudo-terminal of ``columns`` columns."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    base = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    proc = subprocess.Popen([sys.executable, "-m", "rnnproof", *argv], stdout=slave,
                            stderr=subprocess.PIPE, env={**base, "TERM": "xterm", **(env or {})})
    os.close(slave)
    chunks, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = _select.select([master], [], [], 1)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(master)
    proc.wait(timeout=60)
    return proc.returncode, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_terminal_rows_wrap_to_the_width_are_coloured_and_never_cut(capsys):
    assert main(["verify", "--json", *CHEAP]) == 0
    doc = json.loads(capsys.readouterr().out)
    code, out = _run_in_terminal(["verify", *CHEAP], columns=60)
    assert code == 0
    assert "\x1b[31mrefuted\x1b[0m" in out and "\x1b[32mproved" in out
    plain = ANSI.sub("", out)
    lines = plain.splitlines()
    for line in lines:  # a word longer than the width (a long value) may stand alone
        assert len(line) <= 60 or " " not in line.strip(), line
    flat = " ".join(plain.split())
    for claim in doc["claims"]:
        assert " ".join(claim["evidence"].split()) in flat
    assert "…" not in plain


def test_no_color_turns_colour_off_on_a_terminal():
    code, out = _run_in_terminal(["verify", *CHEAP], env={"NO_COLOR": ""})
    assert code == 0 and "\x1b[" not in out and "refuted" in out


def test_list_prints_ids_and_statements_and_runs_nothing(capsys, monkeypatch):
    monkeypatch.setattr("rnnproof.report.run_claim", lambda *a: pytest.fail("a check ran"))
    assert main(["verify", "--list", "--claim", "blog.eq14"]) == 0
    out = capsys.readouterr().out
    assert "blog.eq14.submult  (blog eq. 14)" in out and "‖W_rec diag(σ'(x_{j-1}))‖_2 <" in out
    assert "paper.gamma" not in out and out.rstrip().endswith("claims")
    assert main(["verify", "--list", "--json", "--claim", "paper.gamma"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["id"] == "paper.gamma" and entry["statement"].startswith("γ = 1 for tanh")


def test_unknown_id_is_one_line_with_did_you_mean(capsys):
    assert main(["verify", "--claim", "paper.gama"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == ("rnnproof verify: error: unknown claim id 'paper.gama'; did you mean "
                           "'paper.gamma'? (rnnproof verify --list shows every id)")


def test_full_shows_the_proof_steps_and_the_parts(capsys):
    assert main(["verify", "--quick", "--full", "--claim", "blog.eq14.submult.corrected"]) == 0
    out = capsys.readouterr().out
    assert "statement: " in out and "method: lemmas" in out and "proof:" in out
    assert "Step 1: ‖W diag(s_j)‖₂ ≤ ‖W‖₂ ‖diag(s_j)‖₂" in out and "parts:" in out


def test_jobs_2_gives_the_json_of_jobs_1(capsys):
    docs = []
    for jobs in ("1", "2"):
        assert main(["verify", "--json", "--jobs", jobs, "--seed", "3", *CHEAP, "--claim", "blog.la.psd"]) == 0
        docs.append(_no_timings(json.loads(capsys.readouterr().out)))
    assert docs[0] == docs[1] and len(docs[0]["claims"]) == 4


def test_a_check_that_raises_in_a_worker_is_an_error_row_and_status_70(capsys, monkeypatch):
    def broken(options):
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(REGISTRY._claims, "paper.gamma",
                        dataclasses.replace(REGISTRY["paper.gamma"], check=broken))
    assert main(["verify", "--jobs", "2", "--json", *CHEAP]) == 70
    out, err = capsys.readouterr()
    report, end = json.JSONDecoder().raw_decode(out)
    row = next(c for c in report["claims"] if c["id"] == "paper.gamma")
    assert row["verdict"] == "error" and "ZeroDivisionError: boom" in row["evidence"]
    assert json.loads(out[end:])["error"]["exit_code"] == 70
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize("flag, code", [([], 0), (["--fail-on-refuted"], 1)])
def test_fail_on_refuted(flag, code, capsys):
    assert main(["verify", *flag, *CHEAP]) == code  # blog.eq14.submult is refuted
    assert "1 refuted" in capsys.readouterr().out


def test_undecided_exits_3(capsys, monkeypatch):
    monkeypatch.setitem(REGISTRY._claims, "paper.gamma", dataclasses.replace(
        REGISTRY["paper.gamma"],
        check=lambda o: Result(Verdict.UNDECIDED, Method(MethodKind.NONE), Scope(), "budget")))
    assert main(["verify", "--fail-on-refuted", "--quick", "--claim", "paper.gamma"]) == 3
    assert "1 claim: 1 undecided" in capsys.readouterr().out.replace("0 refuted, ", "")


@pytest.mark.parametrize("option, start", [("--markdown", "# rnnproof verification report"),
                                           ("--html", "<!DOCTYPE html>")])
def test_dash_is_standard_output(option, start, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["verify", option, "-", *CHEAP]) == 0
    out = capsys.readouterr().out
    assert out.startswith(start) and "paper.gamma" in out and "3 claims:" in out
    assert list(tmp_path.iterdir()) == []  # no file named "-"


def test_two_documents_on_standard_output_are_refused(capsys, monkeypatch):
    monkeypatch.setattr("rnnproof.commands.verify.run_report", lambda *a, **k: pytest.fail("ran"))
    assert main(["verify", "--json", "--html", "-", *CHEAP]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out)["error"]["kind"] == "input" and "standard output" in err


@pytest.mark.parametrize("argv", [
    ["check", "--jacobian", "W", "--form", "C", "--json"],       # argparse's complaint
    ["check", "--jacobian", "W(", "--json"],                      # a bad formula
    ["check", "--jacobian", "W", "--n", "0", "--json"],           # a bad size
    ["verify", "--claim", "nope", "--json"],
    ["verify", "--jobs", "0", "--json"],
])
def test_json_errors_are_json_on_every_command(argv, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert doc["error"]["exit_code"] == 2 and doc["error"]["kind"] == "input"
    assert len(err.strip().splitlines()) == 1


def _marked_processes(mark):
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as fh:
                if mark.encode() in fh.read():
                    found.append(int(pid))
        except OSError:
            continue
    return found


def test_sigint_with_workers_exits_130_in_one_line_and_leaves_no_process():
    mark = f"RNNPROOF_TEST_MARK={uuid.uuid4().hex}"
    env = {**os.environ, mark.split("=")[0]: mark.split("=")[1]}
    proc = subprocess.Popen([sys.executable, "-m", "rnnproof", "verify", "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    first = proc.stdout.readline()  # the first row: the workers are busy now
    assert first.startswith(b"blog.eq2")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert err.decode().strip() == "rnnproof verify: interrupted"
    for _ in range(50):  # the workers are ended before the parent exits; allow reaping
        if not _marked_processes(mark):
            break
        time.sleep(0.1)
    assert _marked_processes(mark) == []
