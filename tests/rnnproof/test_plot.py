"""`rnnproof plot decay`: the figure is drawn from the certified decay data."""
import pytest

from rnnproof.cli import main
from rnncore.errors import InvalidInputError
import math

from rnnproof.plot import decay_figure, decay_runs, note_boxes, plot_decay, underflow_text


def test_plot_writes_png_and_pdf(tmp_path, capsys):
    for suffix, magic in ((".png", b"\x89PNG"), (".pdf", b"%PDF"), (".svg", b"<?xm")):
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
    assert any(r"bound $\eta^{t-k}$" in lbl for lbl in labels)
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
        plot_decay(tmp_path / "f.gif", [])


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


def _fake_run(activation, eta, lags, log10_norms, subnormal=None, zero=None, inf=None):
    """A decay run with chosen values (the figure reads only these fields)."""
    from fractions import Fraction
    from types import SimpleNamespace
    return SimpleNamespace(
        activation=activation, n=2, steps=len(lags), sigma_max=Fraction(eta), eta=Fraction(eta),
        lags=tuple(lags), log10_norms=tuple(log10_norms),
        log10_bounds=tuple(lag * math.log10(Fraction(eta)) for lag in lags),
        float64=tuple(10.0 ** y if y > -300 else 0.0 for y in log10_norms),
        first_subnormal=subnormal, first_zero=zero, first_inf=inf)


def test_underflow_labels_never_overlap():
    import math as m
    lags = list(range(1, 1001))
    # four runs whose underflow points crowd one corner of the plot
    runs = [_fake_run("tanh", "9/10", lags, [-0.35 * (1 + i / 50) * t for t in lags],
                      subnormal=800 + 5 * i, zero=810 + 5 * i) for i in range(4)]
    fig = decay_figure(runs, [f"r{i}" for i in range(4)])
    boxes = note_boxes(fig)
    assert len(boxes) == 8
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), (a, b)
    frame = fig.axes[0].get_window_extent(fig.canvas.get_renderer())
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 for b in boxes)
    assert m.isfinite(boxes[0].x0)


def test_y_range_fits_the_data_and_ticks_are_powers_of_ten():
    runs = decay_runs(["tanh-below"], n=2, steps=50, dps=20)
    fig = decay_figure(runs)
    ax = fig.axes[0]
    lo, hi = ax.get_ylim()
    assert lo > min(runs[0].log10_norms) - 10 and lo > -300  # --steps 50 does not reach -308
    assert hi < max(runs[0].log10_norms) + 10
    assert not any(t.get_text() == "smallest normal float64" for t in ax.texts)
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert ticks and all(t.startswith("$10^{") for t in ticks)
    assert ax.get_xlabel() == "$t-k$"
    assert "$" in ax.get_ylabel()  # mathtext, not underscores as text


def test_bounds_drawn_over_the_curves():
    runs = decay_runs(["tanh-above", "tanh-above-origin"], n=2, steps=20, dps=20)
    ax = decay_figure(runs).axes[0]
    curves = [ln for ln in ax.get_lines() if ln.get_label().startswith("tanh")]
    bounds = [ln for ln in ax.get_lines() if ln.get_label().startswith("bound")]
    assert bounds and min(b.get_zorder() for b in bounds) > max(c.get_zorder() for c in curves)
    assert len({str(b.get_linestyle()) for b in bounds}) == len(bounds)


def test_command_says_where_float64_underflows_or_that_it_does_not(tmp_path, capsys):
    assert main(["plot", "decay", "-o", str(tmp_path / "d.png"), "--steps", "30", "--n", "2",
                 "--preset", "tanh-below"]) == 0
    out = capsys.readouterr().out
    assert "None" not in out
    assert "float64 stays in the normal range for all 30 steps" in out
    run = _fake_run("tanh", "9/10", [1, 2, 3], [-1, -2, -400], subnormal=3, zero=3)
    assert underflow_text(run) == ("float64 leaves the normal range (subnormal) at t − k = 3 "
                                   "and reaches 0 at t − k = 3")
