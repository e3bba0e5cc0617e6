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
