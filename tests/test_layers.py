"""The package's imports flow one way: every kg module sits in a layer of `LAYERS`, and no import, not
even one deferred into a function, goes up a layer (extract -> graph -> store -> server, and the
server's own layers bottom to top); there is no import circle; and the bottom of the server (snapshots,
limits) loads nothing of the web side."""
from __future__ import annotations

import ast
import fnmatch
import graphlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The layers, bottom first: a module imports from its own layer and those before it, never from one after.
# Each entry is a module or a pattern of modules; a module no entry names fails the test until it is placed.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    # what every layer uses: errors, IRIs, settings, the format table, the package's files (queries, ontology)
    ("base", ("kg.errors", "kg.namespaces", "kg.keys", "kg.config", "kg.formats", "kg.queries", "kg.ontology", "kg.batches")),
    ("input", ("kg.documents", "kg.readers", "kg.readers.*")),  # files to articles
    ("extract", ("kg.pipeline", "kg.extractors", "kg.extractors.*")),  # articles to facts, with spaCy
    ("graph", ("kg.rdf", "kg.events", "kg.events.*")),  # facts to triples, incidents to events
    # the Oxigraph store, its search index, and the ways in and out of it
    ("store", ("kg.store", "kg.writer", "kg.search", "kg.search.*", "kg.sparql", "kg.ingestion", "kg.distributed", "kg.load",
               "kg.push", "kg.validate")),
    # the server, in its own layers (ARCHITECTURE.md): no web framework; a request read; the routers; the app;
    # the worker processes
    ("server: bottom", ("kg.server", "kg.server.errors", "kg.server.snapshots", "kg.server.limits", "kg.server.lexer",
                        "kg.server.query_shape", "kg.server.security", "kg.server.negotiation", "kg.server.describe",
                        "kg.server.event_view", "kg.server.entity_view", "kg.server.picture", "kg.server.text_query")),
    ("server: requests", ("kg.server.protocol", "kg.server.auth", "kg.server.executor", "kg.server.dependencies")),
    ("server: routers", ("kg.server.sparql_endpoint", "kg.server.store_protocol", "kg.server.self_description",
                         "kg.server.pages", "kg.server.explore")),
    ("server: app", ("kg.server.app",)),
    ("server: worker", ("kg.server.worker", "kg.server.supervisor", "kg.server.coalesce")),
    ("edges", ("kg", "kg.api", "kg.cli", "kg.cli.*")),  # the Python API (`import kg`) and the `kg` command
]


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, modules: set[str], root: Path = ROOT) -> set[str]:
    """The kg modules `path` imports anywhere in it (top level or inside a function)."""
    found = set()
    me = module_name(path, root)
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


def graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the kg modules it imports, for the package under `root`."""
    paths = sorted((root / "kg").rglob("*.py"))
    modules = {module_name(p, root) for p in paths}
    return {module_name(p, root): imports(p, modules, root) - {"kg"} for p in paths}


def layer_of(module: str) -> int:
    """The place of `module`'s layer in LAYERS, bottom first.

    :raises LookupError: no layer names the module.
    """
    for rank, (_, names) in enumerate(LAYERS):
        if any(fnmatch.fnmatchcase(module, name) for name in names):
            return rank
    raise LookupError(f"{module} is in no layer of tests/test_layers.py LAYERS: place it there.")


def upward(edges: dict[str, set[str]]) -> list[str]:
    """Every import of `edges` that goes up a layer, as 'importer (layer) -> imported (layer)'."""
    return sorted(
        f"{module} ({LAYERS[layer_of(module)][0]}) -> {target} ({LAYERS[layer_of(target)][0]})"
        for module, targets in edges.items()
        for target in targets
        if layer_of(target) > layer_of(module)
    )


def test_every_module_is_in_exactly_one_layer() -> None:
    for module in graph():
        assert sum(any(fnmatch.fnmatchcase(module, name) for name in names) for _, names in LAYERS) == 1, module


def test_no_import_goes_up_a_layer() -> None:
    assert upward(graph()) == []


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        pytest.param("kg.extractors.counts", "kg.rdf", id="extract imports graph"),
        pytest.param("kg.events.link", "kg.store", id="graph imports store"),
        pytest.param("kg.ingestion", "kg.server.snapshots", id="store imports server"),
        pytest.param("kg.server.snapshots", "kg.server.app", id="server bottom imports the app"),
        pytest.param("kg.namespaces", "kg.cli", id="base imports edges"),
    ],
)
def test_an_upward_import_is_reported(importer: str, imported: str) -> None:
    edges = graph()
    assert imported not in edges[importer]
    edges[importer].add(imported)
    assert upward(edges) == [
        f"{importer} ({LAYERS[layer_of(importer)][0]}) -> {imported} ({LAYERS[layer_of(imported)][0]})"
    ]


@pytest.mark.parametrize(("importer", "imported"), [("kg.server.app", "kg.rdf"), ("kg.config", "kg.errors")])
def test_an_import_down_or_within_a_layer_is_not(importer: str, imported: str) -> None:
    edges = graph()
    edges[importer].add(imported)
    assert upward(edges) == []


def test_an_upward_import_written_into_a_function_fails_the_check(tmp_path: Path) -> None:
    """The whole way, from the source: a copy of the package with `import kg.server.app` deferred into a
    function of an extractor is read, and the check names that import."""
    for path in (ROOT / "kg").rglob("*.py"):
        copy = tmp_path / path.relative_to(ROOT)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    counts = tmp_path / "kg" / "extractors" / "counts.py"
    counts.write_text(counts.read_text(encoding="utf-8") + "\n\ndef _upward():\n    import kg.server.app\n",
                      encoding="utf-8")
    assert upward(graph(tmp_path)) == ["kg.extractors.counts (extract) -> kg.server.app (server: app)"]


def test_a_module_in_no_layer_is_named() -> None:
    with pytest.raises(LookupError, match="kg.newcomer is in no layer"):
        upward({"kg.newcomer": {"kg.errors"}})


def test_the_import_graph_has_no_circle() -> None:
    order = list(graphlib.TopologicalSorter(graph()).static_order())  # raises CycleError, naming the circle
    assert order.index("kg.server.snapshots") < order.index("kg.server.app") < order.index("kg.server.worker")


def test_the_graph_sees_imports_deferred_into_functions() -> None:
    """The checks above would miss an import written inside a function if they saw only top-level imports."""
    edges = graph()
    assert "kg.server.coalesce" in edges["kg.server.supervisor"]  # imported inside supervisor.work
    assert "kg.server.worker" in edges["kg.cli.serve"]  # imported inside the serve command


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
