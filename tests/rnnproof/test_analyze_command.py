"""Tests of ``rnnproof analyze`` (rnnproof/commands/analyze.py) through ``rnnproof.cli.main``."""
import json
import subprocess
import sys

import numpy as np
import pytest

from rnnproof.cli import main

W1 = np.array([[0.5, 4.0], [0.01, 0.5]])     # vanishing only through a diagonal scaling
W2 = np.array([[3.0, 1.5], [-4.0, -1.8]])    # ρ < 1, yet a held state explodes
ROTATION = np.array([[0.0, 1.0], [-1.0, 0.0]])  # neither certificate exists


def run_cli(capsys, *argv):
    code = main(["analyze", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_npz_with_w_rec_vanishes_through_the_scaling(tmp_path, capsys):
    f = tmp_path / "net.npz"
    np.savez(f, W_rec=W1, W_in=np.ones((2, 3)))
    code, out, err = run_cli(capsys, f, "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["verdict"] == "vanishing" and data["certificate"] == "diagonal-scaling"
    assert data["matrix"] == "W_rec" and data["inputs_anywhere"] is True
    assert data["scaling"]["s"] == ["1", "20"] and data["scaling"]["certifies"] is True
    # W1 holds 0.01 as a float64, so the scaled norm is near, not exactly, 0.7
    assert float(data["scaling"]["norm"]["lo"]) <= 0.7000001 and float(data["bound"]["rate"]) < 0.71
    assert float(data["sigma_max"]["lo"]) > 4  # σ_max alone would not decide


def test_npy_example_two_is_exploding_possible(tmp_path, capsys):
    f = tmp_path / "w.npy"
    np.save(f, W2)
    code, out, err = run_cli(capsys, f, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["verdict"] == "exploding-possible" and data["certificate"] == "fixed-state"
    g = data["growth"]
    assert float(g["rho_lower"]) > 1 and len(g["state"]) == 2 and g["inputs"] is None
    assert float(g["trace"]["lo"]) > 2  # |tr P^k| > n


def test_text_output(tmp_path, capsys):
    f = tmp_path / "w.npz"
    np.savez(f, W_hh=W1)
    code, out, _ = run_cli(capsys, f)
    assert code == 0
    assert "verdict:   vanishing" in out and "S = diag(1, 20)" in out and "κ(S) = 20" in out


def test_undecided_exits_3(tmp_path, capsys):
    f = tmp_path / "rot.npy"
    np.save(f, ROTATION)
    code, out, _ = run_cli(capsys, f, "--json")
    assert code == 3 and json.loads(out)["verdict"] == "undecided"


def test_input_range_uses_w_in_from_the_file(tmp_path, capsys):
    f = tmp_path / "net.npz"
    np.savez(f, W_rec=W2, W_in=np.eye(2))
    code, out, _ = run_cli(capsys, f, "--input-range", "-10", "10", "--json")
    data = json.loads(out)
    assert code == 0 and data["verdict"] == "exploding-possible"
    assert data["inputs_anywhere"] is False and len(data["growth"]["inputs"]) == 2
    code, out, _ = run_cli(capsys, f, "--input-range", "-1", "1", "--json")
    assert code == 3 and json.loads(out)["verdict"] == "undecided"


def test_safetensors(tmp_path, capsys):
    st = pytest.importorskip("safetensors.numpy")
    f = tmp_path / "model.safetensors"
    st.save_file({"W_hh": W2.astype(np.float32), "W_ih": np.eye(2, dtype=np.float32)}, str(f))
    code, out, _ = run_cli(capsys, f, "--json")
    assert code == 0 and json.loads(out)["matrix"] == "W_hh"


def test_plot_is_written(tmp_path, capsys):
    f = tmp_path / "w.npy"
    np.save(f, W2)
    png = tmp_path / "worst.png"
    code, _, _ = run_cli(capsys, f, "--plot", png)
    assert code == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".png"] == ["worst.png"]


def _bad(tmp_path, name, **arrays):
    f = tmp_path / name
    if name.endswith(".npz"):
        np.savez(f, **arrays)
    else:
        np.save(f, arrays["a"], allow_pickle=True)
    return f


@pytest.mark.parametrize("make, words", [
    (lambda p: _bad(p, "two.npz", A=np.eye(2), B=np.eye(3)), "A 2x2, B 3x3; name it with --matrix"),
    (lambda p: _bad(p, "nan.npy", a=np.array([[1.0, np.nan], [0, 1]])), "not finite"),
    (lambda p: _bad(p, "vec.npy", a=np.ones(3)), "cannot tell the recurrent matrix"),
    (lambda p: _bad(p, "rect.npz", W_rec=np.ones((2, 3))), "must be square"),
    (lambda p: _bad(p, "obj.npy", a=np.array([[1, "x"]], dtype=object)), "allow_pickle"),
    (lambda p: _bad(p, "3d.npz", W_rec=np.ones((2, 2, 2))), "2-D matrix is needed"),
    (lambda p: _bad(p, "big.npz", W_rec=np.zeros((2049, 2049), dtype=np.float16)), "at most 2048"),
    (lambda p: p / "missing.npz", "no such file"),
    (lambda p: (p / "w.txt").write_text("1 2") and p / "w.txt", "unknown suffix"),
    (lambda p: (p / "junk.npy").write_bytes(b"not numpy") and p / "junk.npy", "cannot read"),
    (lambda p: _bad(p, "noin.npz", W_rec=W2), None),  # --input-range without W_in: below
])
def test_bad_files_exit_2_with_one_line(tmp_path, capsys, make, words):
    f = make(tmp_path)
    extra = ["--input-range", "0", "1"] if words is None else []
    code, out, err = run_cli(capsys, f, *extra)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("rnnproof analyze: error:")
    assert (words or "needs the input matrix") in err


def test_matrix_option_names_the_array(tmp_path, capsys):
    f = tmp_path / "two.npz"
    np.savez(f, A=W1, B=np.eye(3))
    code, out, _ = run_cli(capsys, f, "--matrix", "A", "--json")
    assert code == 0 and json.loads(out)["matrix"] == "A"
    code, _, err = run_cli(capsys, f, "--matrix", "C")
    assert code == 2 and "'C' is not in the file" in err


def test_console_script_subprocess(tmp_path):
    f = tmp_path / "w.npz"
    np.savez(f, W_rec=W1)
    proc = subprocess.run([sys.executable, "-m", "rnnproof", "analyze", str(f), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["verdict"] == "vanishing"
