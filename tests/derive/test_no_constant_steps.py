"""No proof step anywhere returns a constant instead of a computation.

The source of ``derive/`` and ``rnnclaims/`` is read with ``ast``: a ``lambda`` whose body is
a literal (``lambda: (True, "from steps 1-4")``), or a function whose body is only
``return <literal>`` with a boolean in it, is a step that claims without computing. A
checker given such a step would print "checked" for whatever it asserts.
"""
from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCES = sorted(p for pkg in ("derive", "rnnclaims") for p in (ROOT / pkg).rglob("*.py"))


def _literal(node: ast.AST) -> bool:
    """A value fixed in the source: constants, and tuples/lists/f-strings of them."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(_literal(e) for e in node.elts)
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) for v in node.values)
    return False


def _has_bool(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Constant) and isinstance(n.value, bool) for n in ast.walk(node))


def constant_steps(source: str) -> list[int]:
    """Line numbers of lambdas and one-line functions that return a literal verdict.

    >>> constant_steps('f = lambda: (True, "from steps 1-4")')
    [1]
    >>> constant_steps('f = lambda: (check(), "computed")')
    []
    """
    bad = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Lambda) and _literal(node.body) and _has_bool(node.body):
            bad.append(node.lineno)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = [s for s in node.body if not (isinstance(s, ast.Expr)
                                                 and isinstance(s.value, ast.Constant))]
            if (len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is not None
                    and isinstance(body[0].value, ast.Tuple) and _literal(body[0].value)
                    and _has_bool(body[0].value)):
                bad.append(node.lineno)
    return bad


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_no_step_returns_a_constant(path):
    assert constant_steps(path.read_text(encoding="utf-8")) == [], path


def test_the_detector_finds_the_forms_it_is_for():
    assert constant_steps("def step():\n    '''doc'''\n    return True, 'by hand'\n") == [1]
    assert constant_steps("s = ProofStep('x', 't', 'l', lambda: (False, 'no'))") == [1]
    assert constant_steps("s = ProofStep('x', 't', 'l', lambda: (ok(), 'no'))") == []
    assert constant_steps("def f():\n    return (1, 2)\n") == []
