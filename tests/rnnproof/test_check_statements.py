"""``rnnproof check --gradient`` and ``--inequality``: exit statuses 0/1/2/3/70, JSON."""
import json

import pytest

import rnnproof.commands.check as check_command
from rnnproof.cli import main

EQ11 = "sum(k, 1, t, dE[t] @ prod_down(i, t, k+1, W @ D[i-1]) @ dplus[k])"


def run_cli(capsys, *argv):
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv, code, label", [
    (["--gradient", EQ11], 0, "proved"),
    (["--gradient", EQ11.replace("W @", "W.T @")], 1, "refuted"),
    (["--gradient", EQ11 + " + 0 * dE[t+1] @ dplus[1]"], 3, "undecided"),
    (["--gradient", EQ11.replace("dplus[k]", "kron(I, u[k].T)"), "--theta", "W_in"], 0, "proved"),
    (["--inequality", "norm2(W @ D[j]) <= smax(W) * gamma", "--given", "norm2(D[j]) <= gamma"],
     0, "proved-from-lemmas"),
    (["--inequality", "norm2(W @ D[j]) < norm2(W) * norm2(D[j])"], 1, "refuted"),
])
def test_exit_status_and_label(capsys, argv, code, label):
    got, out, err = run_cli(capsys, *argv, "--json")
    assert got == code, err
    doc = json.loads(out)
    assert doc["verdict"] == label and doc["exit_code"] == code


def test_skipped_jacobian_pairs_exit_undecided(capsys):
    # issue 10: D[i+5] beyond T was skipped, yet the verdict was "proved"
    f = "prod_down(i, t, k+1, W @ D[i-1]) + prod_down(i, t, k+2, W @ D[i+5]) - I"
    code, out, _ = run_cli(capsys, "--jacobian", f, "--T", "3", "--no-diagnosis")
    assert code == 3 and "verdict:  undecided" in out


@pytest.mark.parametrize("argv, message", [
    (["--gradient", "dE[t]", "--inequality", "1 < 2"], "not allowed with argument"),
    (["--gradient", EQ11, "--n", "9"], "n=9 is beyond"),
    (["--gradient", "dE[t] @ dplus[t]", "--entry", "0", "1"], "is not an entry"),
    (["--inequality", "norm2(W)"], "compares nothing"),
    (["--theta", "b"], "give a statement"),
])
def test_bad_input_exit_2(capsys, argv, message):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_internal_error_is_70_not_a_verdict(capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(check_command, "check_inequality", broken)
    code, out, err = run_cli(capsys, "--inequality", "1 < 2", "--json")
    assert code == 70 and "internal error" in err
    assert json.loads(out)["error"]["exit_code"] == 70


def test_a_randomized_check_prints_its_fresh_seed_and_replays_it(capsys):
    # An error bound holds only for randomness drawn after the input is read: the seed is
    # drawn fresh, printed and in the JSON, and --seed replays that very run.
    argv = ["check", "--jacobian", "prod_down(i, t, k+1, W @ D[i-1])", "--n", "20", "--T", "6",
            "--no-diagnosis"]
    assert main(argv + ["--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["verdict"] == "proved-randomized" and first["seed_drawn"] is True
    assert main(argv + ["--seed", str(first["seed"])]) == 0
    out = capsys.readouterr().out
    assert f"seed:     {first['seed']} (given: a replay)" in out
