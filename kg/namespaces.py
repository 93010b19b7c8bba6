"""Every IRI the package writes, in one place.

`NKG` mirrors `ontology/newskg.ttl` term for term (a test checks both directions);
`_fail = True` turns a typo into an AttributeError instead of a silently new IRI.

The store's terms are pyoxigraph `NamedNode`s: `node` makes one of a term here (`node(RDFS.label)`) or
of an IRI from outside (a graph a request names), and the named graphs are built here too.
"""

from __future__ import annotations

import uuid

import pyoxigraph as ox
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

__all__ = [
    "DCTERMS",
    "DEFAULT_BASE",
    "ENTAILMENT",
    "GEO",
    "GEONAMES",
    "NIF",
    "NKG",
    "ONTOLOGY_GRAPH",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SD",
    "SDO",
    "SF",
    "SKOS",
    "TEXT",
    "VOID",
    "XSD",
    "entities_graph",
    "events_graph",
    "new_graph",
    "node",
    "sparql_prefixes",
]


class NKG(DefinedNamespace):
    """The newskg ontology (ontology/newskg.ttl)."""

    _NS = Namespace("https://w3id.org/newskg/ontology#")
    _fail = True

    # classes
    Document: URIRef  # a news article as ingested
    Actor: URIRef  # anything that acts: a person, an organization, a state
    Person: URIRef
    Organization: URIRef
    ArmedGroup: URIRef  # an organization that fights
    Place: URIRef
    Country: URIRef  # both an Actor (its government) and a Place
    Region: URIRef
    City: URIRef
    Crossing: URIRef  # a border crossing, gate, checkpoint or bridge
    Mention: URIRef  # a span of a document's text (a nif:String)
    CasualtyCount: URIRef  # one number stated about people harmed or held
    CasualtyType: URIRef  # the SKOS concept scheme of casualty types
    Qualifier: URIRef  # the scheme of count qualifiers
    CrossingStatus: URIRef  # the scheme of crossing states
    Extraction: URIRef  # the prov:Activity that built a document's graph
    Incident: URIRef  # one happening that harmed or held people, as one document reports it
    Toll: URIRef  # how many of one type one incident harmed, derived from the counts
    Event: URIRef  # the real-world happening that incidents in several documents report

    # casualty types
    Killed: URIRef
    Injured: URIRef
    Hostage: URIRef
    Captured: URIRef
    Released: URIRef
    Missing: URIRef
    Trapped: URIRef
    Evacuated: URIRef
    Displaced: URIRef

    # qualifiers
    Exactly: URIRef
    AtLeast: URIRef
    MoreThan: URIRef
    Approximately: URIRef
    AtMost: URIRef
    FewerThan: URIRef

    # crossing states
    Open: URIRef
    Closed: URIRef

    # properties
    mention: URIRef
    casualtyType: URIRef
    value: URIRef
    qualifier: URIRef
    minValue: URIRef
    maxValue: URIRef
    perpetrator: URIRef
    victim: URIRef  # incident -> a named person it killed, wounded or held
    age: URIRef  # a person's age in years, as one document states it
    victimNationality: URIRef
    place: URIRef
    date: URIRef
    partOf: URIRef
    connects: URIRef
    status: URIRef
    blockedBy: URIRef
    operatedBy: URIRef
    role: URIRef
    affiliation: URIRef
    sentence: URIRef  # the mention of the sentence a fact was stated in
    isoCode: URIRef  # ISO 3166-1 alpha-2 code of a country
    contentHash: URIRef  # sha256 of the document text as ingested
    nameKey: URIRef  # in the events graph: a name a document's incidents are blocked by (kg.events.pairs)
    incident: URIRef  # a count's or toll's incident
    reports: URIRef  # document -> an incident it reports as news
    mainIncident: URIRef  # document -> the incident its headline and lead are about
    ofPerpetrators: URIRef  # a toll of the attackers' own dead or wounded
    event: URIRef  # incident -> the event it reports


NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
SF = Namespace("http://www.opengis.net/ont/sf#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
GEONAMES = Namespace("https://sws.geonames.org/")
TEXT = Namespace("https://w3id.org/newskg/text#")  # search inside SPARQL: text:query (kg.server.text_query)
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")  # the regimes a Service Description names

DEFAULT_BASE = "https://w3id.org/newskg/id/"

PREFIXES: dict[str, str] = {
    "nkg": str(NKG._NS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "schema": str(SDO),
    "nif": str(NIF),
    "geo": str(GEO),
    "sf": str(SF),
    "text": str(TEXT),
}


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, for canned and test queries."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def node(iri: str) -> ox.NamedNode:
    """`iri` as a term of the store: a term above (`node(RDFS.label)`) or an IRI from outside.

    :raises ValueError: `iri` is not an absolute IRI.
    """
    return ox.NamedNode(iri)


# The named graphs besides the documents' own (a document's graph has the document's IRI)
ONTOLOGY_GRAPH = node("https://w3id.org/newskg/ontology")  # the ontology file's triples (kg.ontology.quads)


def entities_graph(base: str) -> ox.NamedNode:
    """The graph holding facts shared by all documents: canonical labels, codes, coordinates."""
    return node(f"{base}graph/entities")


def events_graph(base: str) -> ox.NamedNode:
    """The graph of the events that incidents of several documents report (kg.events)."""
    return node(f"{base}graph/events")


def new_graph(container: str) -> ox.NamedNode:
    """A graph IRI no one used before, under `container` (the Graph Store Protocol's POST to the store)."""
    return node(f"{container.rstrip('/')}/{uuid.uuid4().hex}")
