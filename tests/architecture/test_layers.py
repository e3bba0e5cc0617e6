"""The import graph runs one way: foundation <- model <- engines <- claims <- application.

The graph is read with ``ast`` from the source (no import is executed), so a cycle or an
upward arrow fails here even where Python would tolerate it at run time. Imports inside
functions count too: hiding an import in a function body to dodge a cycle is the thing
this test exists to catch.
"""
from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

#: Each top-level package with its layer; a module may import its own package or a lower layer.
LAYERS = {
    "rnncore": 0,     # foundation: errors, results and verdicts, validation, registry
    "rnnmodel": 1,    # model: activations, arithmetics, cells
    "derive": 2,      # engines: exact and randomized
    "numeric": 2,     # engines: high precision and certified
    "rnnclaims": 3,   # claims
    "rnnproof": 4,    # application: report, CLI, printers
}
#: Engines of one layer never import each other.
SIBLINGS_APART = {("derive", "numeric"), ("numeric", "derive")}


def _modules() -> dict[str, pathlib.Path]:
    found = {}
    for pkg in LAYERS:
        base = ROOT / pkg
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(module: str, path: pathlib.Path, node: ast.ImportFrom) -> list[str]:
    if node.level:
        base = module.split(".")
        if path.name != "__init__.py":
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        stem = ".".join(base + ([node.module] if node.module else []))
    else:
        stem = node.module or ""
    out = []
    for alias in node.names:
        # ``from pkg import mod`` imports the submodule when there is one.
        candidate = f"{stem}.{alias.name}"
        out.append(candidate if candidate in MODULES else stem)
    return out


def imports_of(module: str) -> list[tuple[str, int, bool]]:
    """(imported project module, line, inside a function?) for every import in ``module``."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                targets = [a.name for a in child.names]
            elif isinstance(child, ast.ImportFrom):
                targets = _resolve(module, path, child)
            else:
                visit(child, inner)
                continue
            for target in targets:
                if target.split(".")[0] in LAYERS:
                    found.append((target, child.lineno, in_function))

    visit(tree, False)
    return found


def _package(module: str) -> str:
    return module.split(".")[0]


def test_the_graph_is_not_empty():
    assert len(MODULES) > 40
    assert any(imports_of(m) for m in MODULES)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module):
    bad = []
    for target, line, _ in imports_of(module):
        src, dst = _package(module), _package(target)
        if (src, dst) in SIBLINGS_APART:
            bad.append(f"{module}:{line} imports {target}: the two engines never import each other")
        elif LAYERS[dst] > LAYERS[src]:
            bad.append(f"{module}:{line} imports {target}, a higher layer")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_inside_a_function(module):
    inner = [f"{module}:{line} imports {t} inside a function" for t, line, f in imports_of(module) if f]
    assert not inner, "\n".join(inner)


def _edges() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        for target, _, _ in imports_of(module):
            # A package's __init__ importing its own submodules is its public front,
            # and a submodule importing its package's front is the usual registry idiom;
            # those edges are allowed, and neither hides a cycle between two modules.
            if target == module or target.startswith(module + ".") or module.startswith(target + "."):
                continue
            if target in graph:
                graph[module].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def test_no_cycle_between_modules():
    assert _cycles(_edges()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
