"""``rnnproof gradcheck``: exit codes 0 / 1 / 2 / 3 and one-line errors, on files written here."""
import json

import mpmath
import numpy as np
import pytest

from numeric.bptt import bptt, cell_bptt, cell_network, network
from rnnmodel.cells import named
from rnnmodel.floats import FLOAT64, MPMATH
from rnnproof.cli import main


@pytest.fixture()
def files(tmp_path):
    rng = np.random.default_rng(3)
    W, V, b, u = rng.normal(size=(3, 3)) * 0.5, rng.normal(size=(3, 2)), rng.normal(size=3), rng.normal(size=(4, 2))
    np.savez(tmp_path / "net.npz", W_rec=W, W_in=V, b=b, u=u)
    net = network(W, V, b, u)
    with mpmath.workdps(60):
        g = bptt(MPMATH, net)
        good = {"W_rec": np.array([[mpmath.nstr(x, 50) for x in r] for r in g["W_rec"]]),
                "b": np.array([mpmath.nstr(x, 50) for x in g["b"]])}
        bad = dict(good)
        w = good["W_rec"].copy()
        w[0, 1] = mpmath.nstr(mpmath.mpf(w[0, 1]) * (1 + mpmath.mpf(10) ** -11), 50)
        bad["W_rec"] = w
    np.savez(tmp_path / "good.npz", **good)
    np.savez(tmp_path / "bad.npz", **bad)
    np.savez(tmp_path / "f64.npz", W_rec=bptt(FLOAT64, net)["W_rec"])
    np.savez(tmp_path / "nan.npz", W_rec=np.full((3, 3), np.nan))
    np.savez(tmp_path / "wrong.npz", W_rec=np.zeros((2, 3)))
    np.savez(tmp_path / "names.npz", grad=np.zeros((3, 3)))
    return tmp_path


def test_correct_gradient_exits_0_and_prints_json(files, capsys):
    assert main(["gradcheck", str(files / "net.npz"), str(files / "good.npz"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "confirmed" and out["checked"] == 12 and out["failing"] == []


def test_changed_12th_digit_exits_1_naming_the_entry(files, capsys):
    assert main(["gradcheck", str(files / "net.npz"), str(files / "bad.npz"), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "refuted" and out["failing_count"] == 1
    assert out["failing"][0]["entry"] == "W_rec[0, 1]" and 0.9e-11 < out["failing"][0]["relative"] < 1.1e-11


def test_float64_numbers_are_refuted_not_accepted(files, capsys):
    assert main(["gradcheck", str(files / "net.npz"), str(files / "f64.npz")]) == 1
    assert "verdict:  refuted" in capsys.readouterr().out


@pytest.mark.parametrize("grad,args,match", [
    ("nan.npz", [], "not finite"),
    ("wrong.npz", [], "shape"),
    ("names.npz", [], "name the gradient arrays"),
    ("good.npz", ["--loss", "squared-error"], "no target"),
    ("good.npz", ["--prec", "9"], "prec=9"),
    ("missing.npz", [], "no such file"),
])
def test_bad_input_exits_2_with_one_line(files, capsys, grad, args, match):
    assert main(["gradcheck", str(files / "net.npz"), str(files / grad), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert match in err and len(err.splitlines()) == 1


def test_an_lstm_gradient_through_the_command(tmp_path, capsys):
    rng = np.random.default_rng(5)
    P = {k: rng.normal(size=2) * 0.5 if k.startswith("b") else rng.normal(size=(2, 1) if k.startswith("U_") else (2, 2)) * 0.5
         for k in named("LSTM").parameters}
    u = rng.normal(size=(3, 1))
    np.savez(tmp_path / "lstm.npz", u=u, **P)
    with mpmath.workdps(60):
        g = cell_bptt(MPMATH, cell_network("LSTM", P, u))
        good = {"W_f": np.array([[mpmath.nstr(x, 50) for x in r] for r in g["W_f"]])}
    np.savez(tmp_path / "g.npz", **good)
    assert main(["gradcheck", str(tmp_path / "lstm.npz"), str(tmp_path / "g.npz"), "--cell", "LSTM"]) == 0
    assert "verdict:  confirmed" in capsys.readouterr().out
    good["W_f"][1, 0] = mpmath.nstr(mpmath.mpf(good["W_f"][1, 0]) * (1 + mpmath.mpf(10) ** -11), 50)
    np.savez(tmp_path / "bad.npz", **good)
    assert main(["gradcheck", str(tmp_path / "lstm.npz"), str(tmp_path / "bad.npz"), "--cell", "LSTM", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["failing"][0]["entry"] == "W_f[1, 0]"
    np.savez(tmp_path / "partial.npz", u=u, W_i=P["W_i"])
    assert main(["gradcheck", str(tmp_path / "partial.npz"), str(tmp_path / "g.npz"), "--cell", "LSTM"]) == 2
    assert "parameter U_i of cell LSTM" in capsys.readouterr().err
