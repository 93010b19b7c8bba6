"""`kg export` writes what other stores load as it is: every quad format round-trips.

Export, load into a fresh store, export again: the same canonical sorted N-Quads. The graph
exported is the sample plus a TriG file with blank nodes, which go out as skolem IRIs.
"""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from kg.load import load
from kg.namespaces import DEFAULT_BASE
from kg.store import KGStore
from tests.conftest import run_kg

# blank nodes in a named graph and one triple in the default graph
BLANK_NODES_TRIG = """@prefix ex: <http://example.com/> .
ex:g { ex:report ex:source [ ex:name "wire service" ; ex:via [ ex:name "agency" ] ] . }
ex:default-fact ex:p "in the default graph" .
"""
SUFFIX = {"nquads": "nq", "trig": "trig", "jsonld": "jsonld"}


def _nquads(store: KGStore) -> list[bytes]:
    out = io.BytesIO()
    store.export(out, "nquads")
    return sorted(out.getvalue().splitlines())


@pytest.fixture(scope="module")
def exported(sample_store_dir: Path, tmp_path_factory) -> KGStore:
    """The sample graph plus blank nodes and a default-graph triple."""
    work = tmp_path_factory.mktemp("export")
    shutil.copytree(sample_store_dir, work / "store")
    (work / "blank.trig").write_text(BLANK_NODES_TRIG)
    store = KGStore(work / "store")
    load(store, [work / "blank.trig"])
    return store


@pytest.mark.parametrize("fmt", [pytest.param(f, id=f) for f in SUFFIX])
def test_export_load_export_gives_the_same_quads(exported: KGStore, fmt: str, tmp_path: Path) -> None:
    dump = tmp_path / f"dump.{SUFFIX[fmt]}"
    with dump.open("wb") as out:
        exported.export(out, fmt)
    fresh = KGStore(tmp_path / "fresh")
    load(fresh, [dump])
    original = _nquads(exported)
    assert any(isinstance(q.subject, ox.BlankNode) for q in exported.ox)
    assert not any(b"_:" in line for line in original)
    assert any(line.startswith(f"<{DEFAULT_BASE}genid/".encode()) for line in original)
    assert _nquads(fresh) == original
    load(fresh, [dump])  # a second load of the same dump adds no node
    assert _nquads(fresh) == original


def test_export_of_one_graph_keeps_its_name_in_quad_formats(exported: KGStore) -> None:
    doc = exported.documents()[0]
    out = io.BytesIO()
    exported.export(out, "nquads", ox.NamedNode(doc))
    quads = list(ox.parse(out.getvalue(), ox.RdfFormat.N_QUADS))
    assert quads and {q.graph_name for q in quads} == {ox.NamedNode(doc)}
    assert len(quads) == len(list(exported.ox.quads_for_pattern(None, None, None, ox.NamedNode(doc))))


@pytest.mark.parametrize("default_graph, expected", [
    pytest.param("union", "distinct triples of all graphs", id="union"),
    pytest.param("none", "the default graph only", id="none"),
])
def test_triples_only_export_gets_what_default_graph_says(exported: KGStore, tmp_path: Path, default_graph: str,
                                                          expected: str) -> None:
    store_dir = tmp_path / "store"
    shutil.copytree(exported.path, store_dir)
    out = tmp_path / "out.ttl"
    done = run_kg("export", "--store", store_dir, "--format", "turtle", "--output", out,
                  "--default-graph", default_graph)
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    triples = {q.triple for q in ox.parse(text, ox.RdfFormat.TURTLE)}
    everything = {_skolem(q.triple) for q in exported.ox}
    default = {q.triple for q in exported.ox.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    if expected == "the default graph only":
        assert triples == default and len(default) == 1
    else:
        assert triples == everything
        assert "@prefix nkg: <https://w3id.org/newskg/ontology#> ." in text


def _skolem(triple: ox.Triple) -> ox.Triple:
    def term(t):
        return ox.NamedNode(f"{DEFAULT_BASE}genid/{t.value}") if isinstance(t, ox.BlankNode) else t
    return ox.Triple(term(triple.subject), triple.predicate, term(triple.object))
