"""The README's two commands are true: CI runs the README's test command verbatim."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _readme_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```\n(python3 -m venv[^\n]+)\n```", text)


def test_readme_has_main_job_and_test_commands():
    main, tests = _readme_commands()[:2]
    assert main.endswith("rnnproof verify")
    assert "pytest" in tests and "[test]" in tests


def test_ci_runs_the_readme_test_command():
    tests = _readme_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()
