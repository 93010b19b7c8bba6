"""KGStore's write paths: replacing a document graph, merging and pruning the shared graph."""
from __future__ import annotations

import pyoxigraph as ox
from rdflib import Literal, URIRef

from kg.namespaces import GEO, NKG, RDF, RDFS, SKOS
from kg.store import KGStore
from tests.conftest import ox_triples

SHARED = URIRef("https://w3id.org/newskg/id/graph/entities")
DOC = URIRef("https://w3id.org/newskg/id/doc/a")
HAMAS = URIRef("https://w3id.org/newskg/id/org/hamas")
GAZA = URIRef("https://w3id.org/newskg/id/place/gaza")
GONE = URIRef("https://w3id.org/newskg/id/person/rafah")


def labels(store: KGStore, entity: URIRef) -> set[tuple[str, str]]:
    return {(q.predicate.value, q.object.value) for q in store.ox.quads_for_pattern(ox.NamedNode(str(entity)), None, None)
            if q.predicate.value in (str(RDFS.label), str(SKOS.altLabel))}


def test_replace_graph_holds_exactly_the_new_triples() -> None:
    store = KGStore()
    store.replace_graph(ox.NamedNode(DOC), ox_triples([(HAMAS, RDF.type, NKG.ArmedGroup), (GONE, RDF.type, NKG.Person)]))
    assert store.replace_graph(ox.NamedNode(DOC), ox_triples([(HAMAS, RDF.type, NKG.ArmedGroup)])) == 1
    assert len(store) == 1


def test_a_second_different_label_becomes_an_alt_label() -> None:
    store = KGStore()
    store.merge_shared(ox.NamedNode(SHARED), ox_triples([(HAMAS, RDFS.label, Literal("Hamas"))]))
    store.merge_shared(ox.NamedNode(SHARED), ox_triples([(HAMAS, RDFS.label, Literal("HAMAS")),
                                                      (HAMAS, RDFS.label, Literal("Hamas"))]))
    assert labels(store, HAMAS) == {(str(RDFS.label), "Hamas"), (str(SKOS.altLabel), "HAMAS")}


def test_prune_drops_entities_no_document_has_and_keeps_live_geometry() -> None:
    store = KGStore()
    geometry = URIRef(f"{GAZA}/geometry")
    store.replace_graph(ox.NamedNode(DOC), ox_triples([(HAMAS, RDF.type, NKG.ArmedGroup), (GAZA, RDF.type, NKG.Region)]))
    store.merge_shared(ox.NamedNode(SHARED), ox_triples([
        (HAMAS, RDFS.label, Literal("Hamas")), (GONE, RDFS.label, Literal("Rafah")),
        (GAZA, RDFS.label, Literal("Gaza Strip")), (GAZA, GEO.hasGeometry, geometry),
        (geometry, GEO.asWKT, Literal("POINT(34.4 31.4)", datatype=GEO.wktLiteral))]))
    store.prune_shared(ox.NamedNode(SHARED))
    subjects = {q.subject.value for q in store.ox.quads_for_pattern(None, None, None, ox.NamedNode(str(SHARED)))}
    assert subjects == {str(HAMAS), str(GAZA), str(geometry)}
