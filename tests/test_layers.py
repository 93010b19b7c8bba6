"""The package's imports flow one way: no import circle in kg/, not even through an import deferred into a
function, and the bottom of the server (snapshots, limits) loads nothing of the web side."""
from __future__ import annotations

import ast
import graphlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kg"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, modules: set[str]) -> set[str]:
    """The kg modules `path` imports anywhere in it (top level or inside a function)."""
    found = set()
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package of this module
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            while name and name not in modules:  # `from kg.server import app` names a module; `from kg.x import f` not
                name = name.rpartition(".")[0]
            # a module's own packages are imported before it anyway (kg.readers.feeds names kg.readers for types)
            if name and not (me == name or me.startswith(name + ".")):
                found.add(name)
    return found


def graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports(p, modules) - {"kg"} for p in paths}


def test_the_import_graph_has_no_circle() -> None:
    order = list(graphlib.TopologicalSorter(graph()).static_order())  # raises CycleError, naming the circle
    assert order.index("kg.server.snapshots") < order.index("kg.server.app") < order.index("kg.server.worker")


def test_the_graph_sees_imports_deferred_into_functions() -> None:
    """The check above would miss a circle closed inside a function if it saw only top-level imports."""
    edges = graph()
    assert "kg.server.coalesce" in edges["kg.server.supervisor"]  # imported inside supervisor.work
    assert "kg.server.worker" in edges["kg.cli"]  # imported inside the serve command


@pytest.mark.parametrize("layer", ["kg.server.snapshots", "kg.server.limits"])
def test_the_bottom_of_the_server_loads_no_web_framework(layer: str) -> None:
    code = (f"import sys, {layer}\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'starlette', 'uvicorn')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_every_server_module_imports_bottom_up_in_a_fresh_interpreter() -> None:
    """Each module of kg.server imports after only the modules below it: the order of the graph works."""
    edges = graph()
    order = [m for m in graphlib.TopologicalSorter(edges).static_order() if m.startswith("kg.server.")]
    code = "import importlib\nfor name in %r:\n    importlib.import_module(name)\n" % order
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
