"""Tests of ``rnnproof check`` (rnnproof/commands/check.py), in-process through
``rnnproof.cli.main`` and, twice, as a real subprocess of the console script."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rnnproof.cli import main
from tests.derive.test_diagnosis import EQUIVALENT, WRONG


def run_cli(capsys, *argv):
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("text, form, layout", EQUIVALENT)
def test_equivalent_formulas_exit_0(capsys, text, form, layout):
    code, out, err = run_cli(capsys, "--jacobian", text, "--form", form, "--layout", layout,
                             "--no-diagnosis")
    assert code == 0, out + err
    assert "verdict:  proved" in out and err == ""


@pytest.mark.parametrize("text, form, layout, why", WRONG)
def test_wrong_formulas_exit_1_with_counterexample(capsys, text, form, layout, why):
    code, out, err = run_cli(capsys, "--jacobian", text, "--form", form, "--layout", layout,
                             "--json", "--no-diagnosis")
    assert code == 1, (why, out, err)
    data = json.loads(out)
    assert data["verdict"] == "refuted" and data["exit_code"] == 1
    cex = data["counterexample"]
    assert cex["lhs"] != cex["rhs"] and cex["assignment"] and "(t, k) = (" in cex["where"]


def test_text_output_has_verdict_counterexample_and_diagnosis(capsys):
    code, out, _ = run_cli(capsys, "--jacobian", "W.T * diag(dsigma(x[i-1]))")
    assert code == 1
    assert "verdict:  refuted" in out
    assert "counterexample at (t, k) = (1, 0)" in out
    assert "Jacobian there:" in out and "formula there:" in out
    assert "form B, denominator layout, σ' at i-1" in out
    assert "σ' one step early (at i-1, not i)" in out
    assert "form A, numerator layout: transposed W_rec" in out


def test_json_output(capsys):
    code, out, _ = run_cli(capsys, "--jacobian", "prod_up(i, k+1, t, W.T @ D[i])", "--form", "B",
                           "--layout", "denominator", "--n", "3", "--T", "4", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["verdict"] == "proved" and data["counterexample"] is None
    assert data["n"] == 3 and data["T"] == 4 and "10 pairs" in data["scope"]
    assert data["diagnosis"]["holds_in"] == [{"form": "B", "layout": "denominator"}]
    assert data["canonical"] == "prod_up(i, k + 1, t, W.T @ D[i])"


@pytest.mark.parametrize("argv, message", [
    (["--jacobian", "__import__('os').system('true')"], "character"),
    (["--jacobian", "W.__class__"], "attribute '.__class__'"),
    (["--jacobian", "W ** 99"], "exponent 99"),
    (["--jacobian", "(" * 200 + "W" + ")" * 200], "nested"),
    (["--jacobian", "W" * 2_000_000], "characters"),
    (["--jacobian", "W", "--n", "0"], "n=0 is not allowed; use an integer 1 <= n <= 64"),
    (["--jacobian", "W", "--T", "999"], "T=999 is beyond"),
    (["--jacobian", "W", "--seed", "-1"], "seed=-1 is not allowed"),
    (["--jacobian", "W", "--seed", "1.5"], "invalid int value"),
    (["--jacobian", "prod_down(i, 511, 0, prod_down(j, 511, 0, I**0))"], "at most 256 allowed"),
    (["--jacobian", "prod_down(i, 99, 0, prod_down(j, 99, 0, I**0))"], "matrix operations"),
    (["--jacobian", "W @ D[i-1]" + " @ W*(21614*10000+2517)" * 10], "beyond 2^256"),
    (["--jacobian", "0x10 * W"], "number '0x10'"),
    (["--jacobian", "W @ D[i-1] * (1).T"], ".T needs a matrix"),
    (["--jacobian", "W @ D[i+9]"], "outside 0..T"),
    (["--jacobian", "W", "--form", "C"], "invalid choice"),
    (["--jacobian", "W", "--layout", "rows"], "invalid choice"),
    (["--form", "A"], "give a statement"),
])
def test_bad_input_exit_2_without_traceback(capsys, argv, message):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    assert message in err and "Traceback" not in err and out == ""
    assert err.count("\n") == 1  # one line, also for argparse's usage errors


@pytest.mark.parametrize("argv", [["--jacobian", "-W"], ["--jacobian=-W"],
                                  ["--jacobian", "-(W @ D[i-1])"]])
def test_formula_starting_with_minus(capsys, argv):
    code, out, err = run_cli(capsys, *argv, "--no-diagnosis", "--json")
    assert code == 1 and err == ""
    assert json.loads(out)["canonical"].startswith("-")


def test_json_error_object(capsys):
    code, out, err = run_cli(capsys, "--jacobian", "W ** 99", "--json")
    assert code == 2 and "exponent 99" in err
    doc = json.loads(out)
    assert doc["error"]["kind"] == "input" and doc["error"]["exit_code"] == 2


def test_activation_option(capsys):
    code, out, _ = run_cli(capsys, "--jacobian", "W @ D[i-1]", "--activation", "tanh",
                           "--no-diagnosis")
    assert code == 0 and "tanh" in out


def _console():
    """The installed console script (beside this interpreter, or on PATH)."""
    beside = Path(sys.executable).parent / "rnnproof"
    exe = str(beside) if beside.exists() else shutil.which("rnnproof")
    return [exe] if exe else [sys.executable, "-c", "from rnnproof.cli import main; "
                              "import sys; sys.exit(main())"]


@pytest.mark.parametrize("formula, code", [
    ("W.T * diag(dsigma(x[i-1]))", 1),
    ("prod_down(i, t, k+1, W @ D[i-1])", 0),
])
def test_real_subprocess(formula, code):
    proc = subprocess.run([*_console(), "check", "--jacobian", formula, "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == code, proc.stderr
    assert json.loads(proc.stdout)["verdict"] == ("refuted" if code else "proved")


def test_a_jacobian_check_does_not_load_the_other_engines():
    import subprocess
    import sys
    code = ("import sys; from rnnproof.cli import main; "
            "main(['check', '--jacobian', 'W @ D[i-1]', '--no-diagnosis']); "
            "print(sorted(m for m in ('rnnclaims.statements.inequality', 'rnnclaims.derivation', "
            "'derive.lemmas', 'derive.generic', 'derive.norm_expr', 'numeric') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_step_budget_option_gives_undecided_naming_it(capsys):
    code = main(["check", "--jacobian", "prod_down(i, t, k+1, W @ D[i-1])", "--n", "8", "--T",
                 "12", "--no-diagnosis", "--step-budget", "10", "--seed", "1"])
    out = capsys.readouterr().out
    assert code == 3 and "verdict:  undecided" in out and "step budget of 10" in out


def test_step_budget_option_bad_value_exit_2(capsys):
    code = main(["check", "--jacobian", "W @ D[i-1]", "--step-budget", "0"])
    assert code == 2 and "--step-budget" in capsys.readouterr().err
