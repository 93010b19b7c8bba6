"""The endpoint describing itself: SPARQL 1.1 Service Description, VoID, and the ontology.

https://www.w3.org/TR/sparql11-service-description/ and https://www.w3.org/TR/void/; the
descriptions are built as Oxigraph triples and serialized by Oxigraph in the negotiated format.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg import formats
from kg import namespaces as ns
from kg.namespaces import ENTAILMENT, NKG, PREFIXES, RDFS, SD, TEXT, VOID, dcterms, node, rdf, rdfs, xsd
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
    return ox.Literal(str(n), datatype=xsd.integer)


def render(triples: Iterable[ox.Triple], accept: str | None) -> tuple[str, bytes]:
    """`triples` in the RDF format `accept` asks for (Turtle by default)."""
    media, fmt = negotiation.choose(accept, negotiation.GRAPHS)
    return media, ox.serialize(triples, format=fmt, prefixes=DESCRIPTION_PREFIXES) or b""


def service_description(store: ox.Store, endpoint: str, *, union: bool, updates: bool) -> Triples:
    """An sd:Service for `endpoint`, with its languages, result formats, features and default dataset."""
    service, dataset, default = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    a = rdf.type
    triples = [
        ox.Triple(service, a, ns.sd.Service),
        ox.Triple(service, ns.sd.endpoint, node(endpoint)),
        ox.Triple(service, ns.sd.supportedLanguage, ns.sd.SPARQL11Query),
        ox.Triple(service, ns.sd.defaultEntailmentRegime, node(ENTAILMENT.Simple)),
        ox.Triple(service, ns.sd.defaultDataset, dataset),
        ox.Triple(dataset, a, ns.sd.Dataset),
        ox.Triple(dataset, ns.sd.defaultGraph, default),
        ox.Triple(default, a, ns.sd.Graph),
    ]
    # what a query can answer in, and what the Graph Store takes: the formats the endpoint serves, by W3C IRI
    answers = [row for table in (formats.RESULTS, formats.RDF) for row in table.served()]
    triples += [ox.Triple(service, ns.sd.resultFormat, node(r.iri)) for r in answers]
    triples += [ox.Triple(service, ns.sd.inputFormat, node(r.iri)) for r in formats.RDF.served()]
    if updates:
        triples.append(ox.Triple(service, ns.sd.supportedLanguage, ns.sd.SPARQL11Update))
    text_query = node(TEXT.query)  # kg.server.text_query
    triples += [
        ox.Triple(service, ns.sd.feature, text_query),
        ox.Triple(text_query, a, ns.sd.Feature),
        ox.Triple(text_query, rdfs.label, ox.Literal("text:query")),
        ox.Triple(text_query, rdfs.comment, ox.Literal(TEXT_QUERY_NOTE, language="en")),
        ox.Triple(text_query, rdfs.seeAlso, node(endpoint.rsplit("/", 1)[0] + "/search")),
    ]
    if union:
        triples.append(ox.Triple(service, ns.sd.feature, ns.sd.UnionDefaultGraph))
        triples.append(ox.Triple(default, rdfs.comment, ox.Literal(UNION_NOTE, language="en")))
    for graph in sorted(store.named_graphs(), key=str):
        named = ox.BlankNode()
        triples += [
            ox.Triple(dataset, ns.sd.namedGraph, named),
            ox.Triple(named, a, ns.sd.NamedGraph),
            ox.Triple(named, ns.sd.name, graph),
        ]
    return triples


def void(store: ox.Store, dataset_iri: str, endpoint: str) -> Triples:
    """A void:Dataset: triples, entities, a class partition with entity counts, the graphs as subsets."""
    stats = store_stats(store)
    dataset, a = node(dataset_iri), rdf.type
    triples = [
        ox.Triple(dataset, a, ns.void.Dataset),
        ox.Triple(dataset, dcterms.title, ox.Literal("newskg: a knowledge graph of crisis news")),
        ox.Triple(dataset, ns.void.sparqlEndpoint, node(endpoint)),
        ox.Triple(dataset, ns.void.vocabulary, node(NKG._NS)),
        ox.Triple(dataset, ns.void.triples, _integer(stats["triples"])),
        ox.Triple(dataset, ns.void.entities, _integer(stats["entity_total"])),
        ox.Triple(dataset, ns.void.documents, _integer(stats["documents"])),
    ]
    for name, count in stats["entities"]:
        partition = ox.BlankNode()
        triples += [
            ox.Triple(dataset, ns.void.classPartition, partition),
            ox.Triple(partition, ns.void["class"], node(name.replace("nkg:", str(NKG._NS), 1))),
            ox.Triple(partition, ns.void.entities, _integer(count)),
        ]
    for graph in sorted(store.named_graphs(), key=str):
        subset = ox.BlankNode()
        triples += [
            ox.Triple(dataset, ns.void.subset, subset),
            ox.Triple(subset, a, ns.void.Dataset),
            ox.Triple(subset, a, ns.sd.NamedGraph),
            ox.Triple(subset, ns.sd.name, graph),
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
