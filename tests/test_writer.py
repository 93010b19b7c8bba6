"""The batched writer (kg.writer): the graph it writes is the one that one transaction a document
(`KGStore.write_document`) writes, labels and re-ingests included; a document without its mark (what a
killed writer leaves) is removed before a run writes it again. Its crash safety is tests/test_crash.py's."""
from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from kg import formats, pipeline
from kg.documents import read_sources
from kg.ingestion import Encoded, extract_safely
from kg.namespaces import DEFAULT_BASE, NKG, RDFS, SKOS, entities_graph, pending_graph
from kg.store import KGStore
from kg.writer import Writer, unfinished
from tests.conftest import SAMPLES, ox_triples

SHARED = entities_graph(DEFAULT_BASE)
HAMAS = URIRef("https://w3id.org/newskg/id/org/hamas")


def _doc(name: str) -> ox.NamedNode:
    return ox.NamedNode(f"{DEFAULT_BASE}doc/{name}")


def _graph(name: str, digest: str = "1", extra: int = 0) -> list[ox.Quad]:
    doc = _doc(name)
    quads = [ox.Quad(doc, ox.NamedNode(str(NKG.contentHash)), ox.Literal(digest), doc)]
    return quads + [ox.Quad(doc, ox.NamedNode(str(RDFS.comment)), ox.Literal(f"{name} {i}"), doc) for i in range(extra)]


def _nq(quads: list[ox.Quad]) -> bytes:
    return ox.serialize(quads, format=formats.WIRE) or b""


def _nquads(store: KGStore) -> list[bytes]:
    out = io.BytesIO()
    store.export(out, "nquads")
    return sorted(out.getvalue().splitlines())


def _labels(store: KGStore) -> set[tuple[str, str]]:
    return {(q.predicate.value, q.object.value) for q in store.ox.quads_for_pattern(ox.NamedNode(str(HAMAS)), None, None)}


def test_the_first_label_wins_within_a_batch_as_one_document_at_a_time() -> None:
    proposals = [("a", "Hamas"), ("b", "HAMAS"), ("c", "Hamas"), ("d", "the Hamas movement")]
    alone, batched = KGStore(), KGStore()
    with Writer(batched, DEFAULT_BASE, batch_size=10) as writer:
        for name, label in proposals:
            writer.add(_doc(name), _nq(_graph(name)), ox_triples([(HAMAS, RDFS.label, Literal(label))]))
        assert len(batched) == 0  # all in one batch, not written yet
    for name, label in proposals:
        alone.write_document(_doc(name), _graph(name), SHARED, ox_triples([(HAMAS, RDFS.label, Literal(label))]))
    assert _labels(batched) == _labels(alone) == {
        (str(RDFS.label), "Hamas"), (str(SKOS.altLabel), "HAMAS"), (str(SKOS.altLabel), "the Hamas movement")}
    assert _nquads(batched) == _nquads(alone)


def test_a_label_stored_before_the_batch_wins() -> None:
    store = KGStore()
    store.merge_shared(SHARED, ox_triples([(HAMAS, RDFS.label, Literal("HAMAS"))]))
    with Writer(store, DEFAULT_BASE) as writer:
        writer.add(_doc("a"), _nq(_graph("a")), ox_triples([(HAMAS, RDFS.label, Literal("Hamas"))]))
    assert _labels(store) == {(str(RDFS.label), "HAMAS"), (str(SKOS.altLabel), "Hamas")}


def test_a_document_stored_before_loses_its_stale_quads_after_the_batch_before_it() -> None:
    store = KGStore()
    with Writer(store, DEFAULT_BASE) as writer:
        writer.add(_doc("a"), _nq(_graph("a", "1", extra=3)), [])
    with Writer(store, DEFAULT_BASE) as writer:
        writer.add(_doc("b"), _nq(_graph("b")), ox_triples([(HAMAS, RDFS.label, Literal("Hamas"))]))
        writer.add(_doc("a"), _nq(_graph("a", "2", extra=1)), ox_triples([(HAMAS, RDFS.label, Literal("HAMAS"))]))
    assert set(store.ox.quads_for_pattern(None, None, None, _doc("a"))) == set(_graph("a", "2", extra=1))
    assert _labels(store) == {(str(RDFS.label), "Hamas"), (str(SKOS.altLabel), "HAMAS")}  # b came first
    assert store.content_hashes() == {_doc("a").value: "2", _doc("b").value: "1"}


def test_the_marks_are_not_in_the_bulk_write() -> None:
    store = KGStore()
    writer = Writer(store, DEFAULT_BASE)
    writer.add(_doc("a"), _nq(_graph("a", extra=5)), ox_triples([(HAMAS, RDFS.label, Literal("Hamas"))]))
    store.extend = lambda quads: None  # type: ignore[method-assign]  # killed before the marks' transaction
    writer.flush()
    assert len(list(store.ox.quads_for_pattern(None, None, None, _doc("a")))) == 5
    assert store.content_hashes() == {} and _labels(store) == {(str(RDFS.label), "Hamas")}


def test_a_pending_document_without_its_mark_is_removed_and_no_other_graph(tmp_path: Path) -> None:
    """"half" was listed and bulk-loaded in part, "done" listed and marked (killed before the list was
    dropped); "posted" is a graph under the documents' IRIs that no writer listed (a user's PUT)."""
    store = KGStore(tmp_path / "store")
    done, half = _graph("done", extra=2), _graph("half", extra=2)[1:]  # "half": its graph in part, no mark
    posted = _graph("posted", extra=2)[1:]
    other = ox.Quad(HAMAS_NODE := ox.NamedNode(str(HAMAS)), ox.NamedNode(str(RDFS.label)), ox.Literal("Hamas"),
                    ox.NamedNode("http://example.com/posted"))
    listed = [ox.Quad(_doc(d), ox.NamedNode(str(NKG.contentHash)), ox.Literal(""), pending_graph(DEFAULT_BASE))
              for d in ("done", "half")]
    store.ox.extend([*done, *half, *posted, *listed, other, ox.Quad(HAMAS_NODE, other.predicate, other.object, SHARED)])
    (tmp_path / "store" / "bulk-12.sst").write_bytes(b"")
    assert unfinished(store, DEFAULT_BASE) == [_doc("half")]
    assert set(store.ox) == {*done, *posted, other, ox.Quad(HAMAS_NODE, other.predicate, other.object, SHARED)}
    assert not list((tmp_path / "store").glob("bulk-*"))


def test_no_pending_list_outlives_a_write(tmp_path: Path) -> None:
    store = KGStore(tmp_path / "store")
    with Writer(store, DEFAULT_BASE, batch_size=1) as writer:
        writer.add(_doc("a"), _nq(_graph("a", extra=2)), [])
        writer.add(_doc("b"), _nq(_graph("b", extra=2)), [])
    assert pending_graph(DEFAULT_BASE) not in set(store.ox.named_graphs())
    assert set(store.content_hashes()) == {_doc("a").value, _doc("b").value}


@pytest.fixture(scope="module")
def sample_graphs(nlp) -> list[Encoded]:
    articles = list(read_sources([SAMPLES], []))
    graphs, errors = extract_safely(nlp, articles, DEFAULT_BASE, pipeline.fingerprint(None))
    assert not errors and len(graphs) == len(articles)
    return graphs


def _shouted(graph: Encoded) -> Encoded:
    """The graph again as another document's, its labels for the shared graph in capitals."""
    label, iri = ox.NamedNode(str(RDFS.label)), graph.iri.value
    shared = [ox.Triple(t.subject, t.predicate, ox.Literal(t.object.value.upper()))
              if t.predicate == label and isinstance(t.object, ox.Literal) else t for t in graph.shared]
    return Encoded(ox.NamedNode(iri + "-shouted"), graph.nquads.replace(f"<{iri}".encode(), f"<{iri}-shouted".encode()),
                   shared)


@pytest.mark.parametrize("batch", [1, 3, 1000])
def test_the_samples_make_the_graph_that_one_transaction_a_document_makes(sample_graphs, batch) -> None:
    """Each sample, then again with its labels in capitals, which the first labels beat."""
    graphs = [g for graph in sample_graphs for g in (graph, _shouted(graph))]
    alone, batched = KGStore(), KGStore()
    with Writer(batched, DEFAULT_BASE, batch_size=batch) as writer:
        for graph in graphs:
            writer.add(graph.iri, graph.nquads, graph.shared)
    for graph in graphs:
        alone.write_document(graph.iri, list(ox.parse(graph.nquads, formats.WIRE)), SHARED, graph.shared)
    assert _nquads(batched) == _nquads(alone)
    assert any(q.predicate.value == str(SKOS.altLabel) for q in batched.ox.quads_for_pattern(None, None, None, SHARED))
