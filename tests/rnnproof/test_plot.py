"""`rnnproof plot decay`: the figure is drawn from the certified decay data."""
import pytest

from rnnproof.cli import main
from rnncore.errors import InvalidInputError
from rnnproof.plot import decay_figure, decay_runs, plot_decay


def test_plot_writes_png_and_pdf(tmp_path, capsys):
    for suffix, magic in ((".png", b"\x89PNG"), (".pdf", b"%PDF")):
        out = tmp_path / f"decay{suffix}"
        assert main(["plot", "decay", "-o", str(out), "--steps", "40", "--n", "2",
                     "--preset", "tanh-below", "--preset", "tanh-above-origin"]) == 0
        assert out.read_bytes()[:4] == magic
    assert "wrote" in capsys.readouterr().out


def test_figure_has_curve_bound_and_float64_per_run():
    runs = decay_runs(["tanh-below", "sigmoid-below"], n=2, steps=30, dps=20)
    ax = decay_figure(runs, ["a", "b"]).axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert any(lbl.startswith("a: tanh") for lbl in labels)
    assert any(lbl.startswith("b: sigmoid") for lbl in labels)
    assert any("bound η^(t−k)" in lbl for lbl in labels)
    # the certified curve is the run's log10 norms, point for point
    curve = next(line for line in ax.get_lines() if line.get_label().startswith("a: tanh"))
    assert list(curve.get_ydata()) == list(runs[0].log10_norms)


@pytest.mark.parametrize("argv, fragment", [
    (["plot", "decay", "-o", "x.txt"], "must end in .png or .pdf"),
    (["plot", "decay", "-o", "x.png", "--preset", "nope"], "unknown preset 'nope'"),
    (["plot", "decay", "-o", "x.png", "--steps", "0"], "steps=0"),
    (["plot", "spiral", "-o", "x.png"], "invalid choice"),
])
def test_bad_input_exits_2(argv, fragment, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err


def test_plot_decay_rejects_suffix(tmp_path):
    with pytest.raises(InvalidInputError):
        plot_decay(tmp_path / "f.svg", [])


@pytest.mark.parametrize("argv, fragment", [
    (["--n", "64", "--steps", "20000"], "steps × n = 20000 × 64 = 1280000 is beyond the plot's budget"),
    (["--dps", "7990", "--steps", "100"], "needs 8045 working digits"),
    (["--dps", "10001"], "dps=10001 is not allowed"),
    (["--n", "65"], "n=65 is beyond the plot's budget"),
    (["--seed", "-1"], "seed=-1 is not allowed"),
])
def test_budget_refused_before_any_run(argv, fragment, capsys, tmp_path, monkeypatch):
    """Refused upfront: the experiment is never called (it would take minutes)."""
    def never(*args, **kwargs):
        raise AssertionError("the experiment ran before the budget was checked")

    monkeypatch.setattr("rnnproof.plot.decay_experiment", never)
    assert main(["plot", "decay", "-o", str(tmp_path / "d.png"), *argv]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err and err.count("\n") == 1
    assert not (tmp_path / "d.png").exists()


def test_output_checked_before_any_run(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("rnnproof.plot.decay_experiment",
                        lambda *a, **k: pytest.fail("ran before the path was checked"))
    (tmp_path / "dir.png").mkdir()
    (tmp_path / "file").write_text("x")
    for target, fragment in ((tmp_path / "dir.png", "is a directory"),
                             (tmp_path / "file" / "d.png", "is not a folder"),
                             (tmp_path / "missing" / "d.png", "does not exist"),
                             ("/proc/d.png", "cannot write in the folder")):
        assert main(["plot", "decay", "-o", str(target)]) == 2
        err = capsys.readouterr().err
        assert fragment in err and err.count("\n") == 1, err
