"""The vocabulary: every IRI the package writes, in one place.

`NKG` mirrors `ontology/newskg.ttl` term for term (a test checks both directions);
`_fail = True` turns a typo into an AttributeError instead of a silently new IRI.

Each namespace is here twice: in upper case as rdflib declares it (`NKG.date`, a URIRef: for rdflib
graphs and for text), in lower case as the store's pyoxigraph terms (`nkg.date`, a NamedNode, made
once), named like the SPARQL prefixes. `node` makes the term of any other IRI (a graph a request
names, an entity's); the named graphs are built here too. No other module calls `NamedNode(` but
kg/store.py.
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
    "Terms",
    "dcterms",
    "entities_graph",
    "events_graph",
    "geo",
    "new_graph",
    "nif",
    "nkg",
    "node",
    "owl",
    "pending_graph",
    "prov",
    "rdf",
    "rdfs",
    "schema",
    "sd",
    "skos",
    "sparql_prefixes",
    "void",
    "xsd",
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
    """`iri` as a term of the store: an IRI from outside (a graph a request names), an entity's (kg.keys).
    A term of a namespace above is its `Terms`' (`rdfs.label`), made once.

    :raises ValueError: `iri` is not an absolute IRI.
    """
    return ox.NamedNode(iri)


class Terms:
    """The pyoxigraph terms of one namespace, each made once: `nkg.date` is `node(NKG.date)`, and
    `nkg["Killed"]` names a term by a string. A namespace that declares its terms (`_fail`: NKG, RDF,
    RDFS, OWL, SKOS, DCTERMS, PROV) has them all made here, and a name it does not declare raises
    AttributeError as it does."""

    def __init__(self, namespace: Namespace | type[DefinedNamespace]) -> None:
        self._namespace = namespace
        if isinstance(namespace, type) and namespace._fail:
            for name in namespace.__annotations__:
                setattr(self, name, node(namespace[name]))

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        term = node(self._namespace[name])  # AttributeError from a namespace that declares its terms
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> ox.NamedNode:
        return getattr(self, name)


nkg, rdf, rdfs, owl, xsd = Terms(NKG), Terms(RDF), Terms(RDFS), Terms(OWL), Terms(XSD)
skos, dcterms, prov, schema = Terms(SKOS), Terms(DCTERMS), Terms(PROV), Terms(SDO)
nif, geo, sd, void = Terms(NIF), Terms(GEO), Terms(SD), Terms(VOID)


# The named graphs besides the documents' own (a document's graph has the document's IRI)
ONTOLOGY_GRAPH = node("https://w3id.org/newskg/ontology")  # the ontology file's triples (kg.ontology.quads)


def entities_graph(base: str) -> ox.NamedNode:
    """The graph holding facts shared by all documents: canonical labels, codes, coordinates."""
    return node(f"{base}graph/entities")


def pending_graph(base: str) -> ox.NamedNode:
    """The documents a writer is bulk-loading (kg.writer): each listed before its graph goes in, the
    list dropped once their marks are in. Empty between writes."""
    return node(f"{base}graph/pending")


def events_graph(base: str) -> ox.NamedNode:
    """The graph of the events that incidents of several documents report (kg.events)."""
    return node(f"{base}graph/events")


def new_graph(container: str) -> ox.NamedNode:
    """A graph IRI no one used before, under `container` (the Graph Store Protocol's POST to the store)."""
    return node(f"{container.rstrip('/')}/{uuid.uuid4().hex}")
