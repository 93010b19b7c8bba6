"""ontology/newskg.ttl against kg.namespaces.NKG, its alignments, and its graph in the store."""
from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Namespace, URIRef

from kg import ontology
from kg import namespaces as ns
from kg.namespaces import GEO, NIF, NKG, OWL, PROV, RDF, RDFS, SKOS, sparql_prefixes

NS = str(NKG._NS)
# (subject, property, object): the alignments users rely on
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
ALIGNMENTS = [
    pytest.param(NKG.Document, RDFS.subClassOf, ns.SDO.NewsArticle, id="document-news-article"),
    pytest.param(NKG.Document, RDFS.subClassOf, PROV.Entity, id="document-prov-entity"),
    pytest.param(NKG.Person, RDFS.subClassOf, ns.SDO.Person, id="person-schema"),
    pytest.param(NKG.Actor, RDFS.subClassOf, PROV.Agent, id="actor-prov-agent"),
    pytest.param(NKG.Place, RDFS.subClassOf, GEO.Feature, id="place-geo-feature"),
    pytest.param(NKG.Place, RDFS.subClassOf, ns.SDO.Place, id="place-schema"),
    pytest.param(NKG.Mention, RDFS.subClassOf, NIF.String, id="mention-nif-string"),
    pytest.param(NKG.Country, RDFS.subClassOf, NKG.Actor, id="country-actor"),
    pytest.param(NKG.Country, RDFS.subClassOf, NKG.Place, id="country-place"),
    pytest.param(NKG.Crossing, RDFS.subClassOf, NKG.Place, id="crossing-place"),
    pytest.param(NKG.ArmedGroup, RDFS.subClassOf, NKG.Organization, id="armed-group-organization"),
    pytest.param(NKG.Organization, RDFS.subClassOf, NKG.Actor, id="organization-actor"),
    pytest.param(NKG.CasualtyType, RDF.type, SKOS.ConceptScheme, id="casualty-scheme"),
    pytest.param(NKG.Killed, SKOS.inScheme, NKG.CasualtyType, id="killed-in-scheme"),
    pytest.param(NKG.AtLeast, SKOS.inScheme, NKG.Qualifier, id="at-least-in-scheme"),
    pytest.param(NKG.Closed, SKOS.inScheme, NKG.CrossingStatus, id="closed-in-scheme"),
    pytest.param(NKG.Incident, RDFS.subClassOf, SEM.Event, id="incident-sem-event"),
    pytest.param(NKG.Incident, RDFS.subClassOf, ns.SDO.Event, id="incident-schema-event"),
    pytest.param(NKG.Event, RDFS.subClassOf, SEM.Event, id="event-sem-event"),
    pytest.param(NKG.Event, RDFS.subClassOf, ns.SDO.Event, id="event-schema-event"),
    pytest.param(NKG.Toll, RDFS.subClassOf, PROV.Entity, id="toll-prov-entity"),
    pytest.param(NKG.mainIncident, RDFS.subPropertyOf, NKG.reports, id="main-incident-is-reported"),
]


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ontology.ontology_file(), format="turtle")


def terms_in(graph: Graph) -> set[str]:
    return {str(node)[len(NS):] for triple in graph for node in triple
            if isinstance(node, URIRef) and str(node).startswith(NS)}


def test_ontology_and_namespace_name_the_same_terms(onto) -> None:
    in_file, in_code = terms_in(onto), set(NKG.__annotations__)
    assert in_file - in_code == set(), "in newskg.ttl but not in kg.namespaces.NKG"
    assert in_code - in_file == set(), "in kg.namespaces.NKG but not in newskg.ttl"


@pytest.mark.parametrize("term", sorted(NKG.__annotations__))
def test_every_term_is_declared_labelled_and_defined(onto, term) -> None:
    iri = NKG[term]
    assert (iri, RDF.type, None) in onto
    assert onto.value(iri, RDFS.label) is not None
    assert onto.value(iri, SKOS.definition) is not None or onto.value(iri, RDFS.comment) is not None


@pytest.mark.parametrize(("s", "p", "o"), ALIGNMENTS)
def test_alignment(onto, s, p, o) -> None:
    assert (s, p, o) in onto


def test_ontology_is_owl(onto) -> None:
    assert (URIRef(ns.ONTOLOGY_GRAPH.value), RDF.type, OWL.Ontology) in onto


def test_ingest_puts_the_schemes_in_their_own_graph(sample_store) -> None:
    query = sparql_prefixes() + f"""
    SELECT ?concept WHERE {{ GRAPH {ns.ONTOLOGY_GRAPH} {{ ?concept skos:inScheme nkg:CasualtyType }} }}"""
    found = {s["concept"].value[len(NS):] for s in sample_store.ox.query(query)}
    assert found == {"Killed", "Injured", "Hostage", "Captured", "Released", "Missing", "Trapped", "Evacuated",
                     "Displaced"}


def test_kind_sets_come_from_the_ontology() -> None:
    from kg.extractors import vocabulary
    assert vocabulary.ACTOR_KINDS == {"Actor", "Person", "Organization", "ArmedGroup", "Country"}
    assert vocabulary.PLACE_KINDS == {"Place", "Country", "Region", "City", "Crossing"}
    assert "Killed" in vocabulary.CASUALTY_TYPES and len(vocabulary.CASUALTY_TYPES) == 9


def test_shared_properties_do_not_type_incidents_as_counts(onto) -> None:
    """nkg:date, nkg:place and nkg:perpetrator describe incidents too: no domain makes one a count."""
    for prop in (NKG.date, NKG.place, NKG.perpetrator, NKG.minValue, NKG.casualtyType):
        assert (prop, RDFS.domain, NKG.CasualtyCount) not in onto


def test_the_ontology_has_no_blank_nodes() -> None:
    """A push by SPARQL Update cannot send blank nodes (Virtuoso refuses them in INSERT DATA), and each
    load would mint new ones, so the ontology graph would differ after every ingest."""
    graph = Graph().parse(ontology.ontology_file())
    blank = [t for t in graph if any(isinstance(term, BNode) for term in t)]
    assert not blank, blank[:3]


def test_the_store_terms_are_the_ontology_terms_both_ways(onto) -> None:
    """`ns.nkg` (pyoxigraph terms) holds a NamedNode for every term of newskg.ttl and nothing else; a
    term the ontology does not declare is an AttributeError, not a new IRI."""
    in_file = terms_in(onto)
    in_terms = {name for name, term in vars(ns.nkg).items() if not name.startswith("_")}
    assert in_terms == in_file
    assert all(getattr(ns.nkg, name).value == NS + name for name in in_file)
    assert ns.nkg["Killed"] == ns.node(NS + "Killed")
    with pytest.raises(AttributeError):
        ns.nkg.Kiled  # noqa: B018
    with pytest.raises(AttributeError):
        ns.rdfs.lable  # noqa: B018
