"""Real SPARQL clients against a live `kg serve`: SPARQLWrapper and rdflib's SPARQLStore / SPARQLUpdateStore."""
from __future__ import annotations

import uuid

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import GET, JSON, POST, POSTDIRECTLY, TURTLE, URLENCODED, XML, SPARQLWrapper

from kg.namespaces import PREFIXES
from tests.conftest import SAMPLE_ACTORS, SAMPLE_DOCS, UPDATE_TOKEN

DOC1 = SAMPLE_DOCS[0]
NKG = PREFIXES["nkg"]
PEOPLE = f"""SELECT ?label WHERE {{ ?p a <{NKG}Person> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label }}
ORDER BY ?label"""
EXPECTED_PEOPLE = {SAMPLE_ACTORS[1]}  # a person every extraction of samples/ finds
CONSTRUCT = f"CONSTRUCT {{ <{DOC1}> ?p ?o }} WHERE {{ GRAPH <{DOC1}> {{ <{DOC1}> ?p ?o }} }}"


def wrapper(endpoint: str, method: str = GET, request: str = URLENCODED) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setMethod(method)
    client.setRequestMethod(request)
    return client


@pytest.mark.parametrize(("method", "request_method"), [
    pytest.param(GET, URLENCODED, id="GET"), pytest.param(POST, URLENCODED, id="POST form"),
    pytest.param(POST, POSTDIRECTLY, id="POST direct")])
def test_sparqlwrapper_select(server: str, method: str, request_method: str) -> None:
    client = wrapper(server + "/sparql", method, request_method)
    client.setQuery(PEOPLE)
    client.setReturnFormat(JSON)
    labels = {b["label"]["value"] for b in client.queryAndConvert()["results"]["bindings"]}
    assert EXPECTED_PEOPLE <= labels


def test_sparqlwrapper_select_xml(server: str) -> None:
    client = wrapper(server + "/sparql")
    client.setQuery(PEOPLE)
    client.setReturnFormat(XML)
    document = client.queryAndConvert()
    labels = {node.firstChild.data for node in document.getElementsByTagName("literal")}
    assert EXPECTED_PEOPLE <= labels


@pytest.mark.parametrize(("query", "expected"), [
    pytest.param(f"ASK {{ <{DOC1}> a <{NKG}Document> }}", True, id="true"),
    pytest.param(f"ASK {{ <{DOC1}> a <{NKG}Person> }}", False, id="false")])
def test_sparqlwrapper_ask(server: str, query: str, expected: bool) -> None:
    client = wrapper(server + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is expected


def test_sparqlwrapper_construct(server: str) -> None:
    client = wrapper(server + "/sparql")
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert (URIRef(DOC1), RDF.type, URIRef(NKG + "Document")) in graph


def test_sparqlwrapper_update_with_the_token(writable_server: str) -> None:
    graph = f"http://example.org/clients/{uuid.uuid4()}"
    client = wrapper(writable_server + "/sparql", POST)
    client.addCustomHttpHeader("Authorization", f"Bearer {UPDATE_TOKEN}")
    client.setQuery(f"INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/s> <http://example.org/p> 'wrapped' }} }}")
    client.query()
    check = wrapper(writable_server + "/sparql")
    check.setQuery(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    check.setReturnFormat(JSON)
    assert [b["o"]["value"] for b in check.queryAndConvert()["results"]["bindings"]] == ["wrapped"]


def test_sparqlwrapper_update_without_the_token_fails(writable_server: str) -> None:
    from SPARQLWrapper.SPARQLExceptions import Unauthorized

    client = wrapper(writable_server + "/sparql", POST)
    client.setQuery("CLEAR ALL")
    with pytest.raises(Unauthorized):
        client.query()


@pytest.mark.parametrize("return_format", ["xml", "json"])
def test_rdflib_sparqlstore_select_and_ask(server: str, return_format: str) -> None:
    graph = Graph(store=SPARQLStore(server + "/sparql", returnFormat=return_format))
    labels = {str(row.label) for row in graph.query(PEOPLE)}
    assert EXPECTED_PEOPLE <= labels
    assert bool(graph.query(f"ASK {{ <{DOC1}> a <{NKG}Document> }}")) is True


def test_rdflib_sparqlstore_construct(server: str) -> None:
    """rdflib's default Accept ('application/rdf+xml, application/sparql-results+xml') fits every query form.
    (With returnFormat='json' it accepts only SPARQL JSON, so a CONSTRUCT gets 406.)"""
    graph = Graph(store=SPARQLStore(server + "/sparql"))
    assert (URIRef(DOC1), RDF.type, URIRef(NKG + "Document")) in set(graph.query(CONSTRUCT))


def test_rdflib_sparqlstore_triples_pattern(server: str) -> None:
    """rdflib's Graph API (triples with a pattern) turns into SELECT queries on the endpoint."""
    graph = Graph(store=SPARQLStore(server + "/sparql"))
    assert URIRef(NKG + "Document") in set(graph.objects(URIRef(DOC1), RDF.type))


def test_rdflib_sparqlupdatestore_add_and_remove(writable_server: str) -> None:
    endpoint = writable_server + "/sparql"
    store = SPARQLUpdateStore(endpoint, endpoint, headers={"Authorization": f"Bearer {UPDATE_TOKEN}"})
    name = URIRef(f"http://example.org/clients/{uuid.uuid4()}")
    graph = Graph(store=store, identifier=name)
    triple = (URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("via rdflib"))
    graph.add(triple)
    assert triple in graph
    assert len(graph) == 1
    graph.remove(triple)
    assert triple not in graph
    store.close()
