"""The endpoint describing itself: SPARQL 1.1 Service Description, VoID, and the ontology.

https://www.w3.org/TR/sparql11-service-description/ and https://www.w3.org/TR/void/; the
descriptions are built as Oxigraph triples and serialized by Oxigraph in the negotiated format.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg import formats
from kg.namespaces import DCTERMS, ENTAILMENT, NKG, PREFIXES, RDF, RDFS, SD, TEXT, VOID, XSD, node
from kg.ontology import ontology_file
from kg.server import negotiation
from kg.server.errors import NotFound
from kg.sparql import store_stats

DESCRIPTION_PREFIXES = {
    "sd": str(SD),
    "void": str(VOID),
    "formats": "http://www.w3.org/ns/formats/",
    "nkg": PREFIXES["nkg"],
    "dcterms": PREFIXES["dcterms"],
    "xsd": PREFIXES["xsd"],
    "text": str(TEXT),
    "rdfs": str(RDFS),
}

Triples = list[ox.Triple]
UNION_NOTE = (
    "The default graph is the union of all named graphs as Oxigraph evaluates it: a triple matches once "
    "per graph that holds it, not once as in an RDF merge. Use DISTINCT (or GRAPH ?g) where that matters."
)
TEXT_QUERY_NOTE = (
    'Full-text search of the documents\' titles and texts (BM25; words, "a phrase", word*, OR), as a '
    'magic property in the style of Jena\'s: (?doc ?score ?snippet) text:query ("words" 20) . The subject '
    "lists a variable for the document and, optionally, ones for its score (xsd:double, higher is better) "
    "and a snippet; the object is the search, or a list of it and a limit (1000 without one). The "
    "matching documents join the rest of the query like any other solutions."
)


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=node(XSD.integer))


def render(triples: Iterable[ox.Triple], accept: str | None) -> tuple[str, bytes]:
    """`triples` in the RDF format `accept` asks for (Turtle by default)."""
    media, fmt = negotiation.choose(accept, negotiation.GRAPHS)
    return media, ox.serialize(triples, format=fmt, prefixes=DESCRIPTION_PREFIXES) or b""


def service_description(store: ox.Store, endpoint: str, *, union: bool, updates: bool) -> Triples:
    """An sd:Service for `endpoint`, with its languages, result formats, features and default dataset."""
    service, dataset, default = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    a = node(RDF.type)
    triples = [
        ox.Triple(service, a, node(SD.Service)),
        ox.Triple(service, node(SD.endpoint), node(endpoint)),
        ox.Triple(service, node(SD.supportedLanguage), node(SD.SPARQL11Query)),
        ox.Triple(service, node(SD.defaultEntailmentRegime), node(ENTAILMENT.Simple)),
        ox.Triple(service, node(SD.defaultDataset), dataset),
        ox.Triple(dataset, a, node(SD.Dataset)),
        ox.Triple(dataset, node(SD.defaultGraph), default),
        ox.Triple(default, a, node(SD.Graph)),
    ]
    # what a query can answer in, and what the Graph Store takes: the formats the endpoint serves, by W3C IRI
    answers = [row for table in (formats.RESULTS, formats.RDF) for row in table.served()]
    triples += [ox.Triple(service, node(SD.resultFormat), node(r.iri)) for r in answers]
    triples += [ox.Triple(service, node(SD.inputFormat), node(r.iri)) for r in formats.RDF.served()]
    if updates:
        triples.append(ox.Triple(service, node(SD.supportedLanguage), node(SD.SPARQL11Update)))
    text_query = node(TEXT.query)  # kg.server.text_query
    triples += [
        ox.Triple(service, node(SD.feature), text_query),
        ox.Triple(text_query, a, node(SD.Feature)),
        ox.Triple(text_query, node(RDFS.label), ox.Literal("text:query")),
        ox.Triple(text_query, node(RDFS.comment), ox.Literal(TEXT_QUERY_NOTE, language="en")),
        ox.Triple(text_query, node(RDFS.seeAlso), node(endpoint.rsplit("/", 1)[0] + "/search")),
    ]
    if union:
        triples.append(ox.Triple(service, node(SD.feature), node(SD.UnionDefaultGraph)))
        triples.append(ox.Triple(default, node(RDFS.comment), ox.Literal(UNION_NOTE, language="en")))
    for graph in sorted(store.named_graphs(), key=str):
        named = ox.BlankNode()
        triples += [
            ox.Triple(dataset, node(SD.namedGraph), named),
            ox.Triple(named, a, node(SD.NamedGraph)),
            ox.Triple(named, node(SD.name), graph),
        ]
    return triples


def void(store: ox.Store, dataset_iri: str, endpoint: str) -> Triples:
    """A void:Dataset: triples, entities, a class partition with entity counts, the graphs as subsets."""
    stats = store_stats(store)
    dataset, a = node(dataset_iri), node(RDF.type)
    triples = [
        ox.Triple(dataset, a, node(VOID.Dataset)),
        ox.Triple(dataset, node(DCTERMS.title), ox.Literal("newskg: a knowledge graph of crisis news")),
        ox.Triple(dataset, node(VOID.sparqlEndpoint), node(endpoint)),
        ox.Triple(dataset, node(VOID.vocabulary), node(NKG._NS)),
        ox.Triple(dataset, node(VOID.triples), _integer(stats["triples"])),
        ox.Triple(dataset, node(VOID.entities), _integer(stats["entity_total"])),
        ox.Triple(dataset, node(VOID.documents), _integer(stats["documents"])),
    ]
    for name, count in stats["entities"]:
        partition = ox.BlankNode()
        triples += [
            ox.Triple(dataset, node(VOID.classPartition), partition),
            ox.Triple(partition, node(VOID["class"]), node(name.replace("nkg:", str(NKG._NS), 1))),
            ox.Triple(partition, node(VOID.entities), _integer(count)),
        ]
    for graph in sorted(store.named_graphs(), key=str):
        subset = ox.BlankNode()
        triples += [
            ox.Triple(dataset, node(VOID.subset), subset),
            ox.Triple(subset, a, node(VOID.Dataset)),
            ox.Triple(subset, a, node(SD.NamedGraph)),
            ox.Triple(subset, node(SD.name), graph),
        ]
    return triples


def ontology(accept: str | None) -> tuple[str, bytes]:
    """The ontology as stored (Turtle), or converted by Oxigraph to the format `accept` asks for."""
    media, fmt = negotiation.choose(accept, negotiation.GRAPHS)
    path = ontology_file()
    if not path.is_file():
        raise NotFound(f"The ontology file {str(path)!r} does not exist.")
    data = path.read_bytes()
    stored = formats.file_format(path)
    if fmt == stored:
        return media, data
    return media, ox.serialize(ox.parse(data, stored), format=fmt, prefixes=DESCRIPTION_PREFIXES) or b""


__all__ = ["ontology", "render", "service_description", "void"]
