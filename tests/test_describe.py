"""The endpoint describing itself: Service Description at GET /sparql, VoID at /.well-known/void, /ontology."""
from __future__ import annotations

from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.queries import resource_dir
from tests.conftest import in_process

FORMATS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
           "application/n-quads": ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG,
           "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML}
PREFIXES = """PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX formats: <http://www.w3.org/ns/formats/>
PREFIX nkg: <https://w3id.org/newskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
TEXT_QUERY = "https://w3id.org/newskg/text#query"
JSON = "application/sparql-results+json"


def graph_of(response: httpx.Response) -> ox.Store:
    assert response.status_code == 200, response.text
    store = ox.Store()
    store.load(response.content, FORMATS[response.headers["content-type"].split(";")[0]])
    return store


def values(store: ox.Store, query: str) -> list[str]:
    return sorted(s[0].value for s in store.query(PREFIXES + query))


def origin(client: httpx.Client) -> str:
    """The URL the in-process app sees itself at (TestClient's http://testserver)."""
    return str(client.base_url).rstrip("/")


def remote(base: httpx.Client, query: str) -> list[dict]:
    response = base.get("/sparql", params={"query": PREFIXES + query}, headers={"Accept": JSON})
    return response.json()["results"]["bindings"]


# ---------------------------------------------------------------------------------- service description
def test_service_description_is_turtle_by_default(reader: httpx.Client) -> None:
    """'SPARQL services made available via the SPARQL Protocol SHOULD return a service description document at the
    service endpoint when dereferenced using the HTTP GET operation without any query parameter strings'."""
    response = reader.get("/sparql")
    assert response.headers["content-type"].startswith("text/turtle")
    sd = graph_of(response)
    assert values(sd, "SELECT ?e { ?s a sd:Service ; sd:endpoint ?e }") == [origin(reader) + "/sparql"]


@pytest.mark.parametrize("media", list(FORMATS))
def test_service_description_in_each_rdf_format(reader: httpx.Client, media: str) -> None:
    sd = graph_of(reader.get("/sparql", headers={"Accept": media}))
    assert values(sd, "SELECT ?l { ?s sd:supportedLanguage ?l }") == [
        "http://www.w3.org/ns/sparql-service-description#SPARQL11Query"]
    formats = values(sd, "SELECT ?f { ?s sd:resultFormat ?f }")
    assert {"http://www.w3.org/ns/formats/SPARQL_Results_JSON", "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
            "http://www.w3.org/ns/formats/Turtle", "http://www.w3.org/ns/formats/RDF_XML"} <= set(formats)


def test_default_dataset_lists_every_named_graph(reader: httpx.Client) -> None:
    sd = graph_of(reader.get("/sparql"))
    listed = values(sd, "SELECT ?g { ?s sd:defaultDataset/sd:namedGraph/sd:name ?g }")
    actual = [b["g"]["value"] for b in remote(reader, "SELECT DISTINCT ?g { GRAPH ?g {} }")]
    assert listed == sorted(actual) and len(listed) >= 8
    assert values(sd, "SELECT ?f { ?s sd:feature ?f }") == [
        "http://www.w3.org/ns/sparql-service-description#UnionDefaultGraph", TEXT_QUERY]


def test_service_description_documents_text_query(reader: httpx.Client) -> None:
    """Search inside SPARQL is an sd:Feature of the service, with how to write it and where its search page is."""
    sd = graph_of(reader.get("/sparql"))
    [(comment, see)] = [(r[0].value, r[1].value) for r in sd.query(
        PREFIXES + f"SELECT ?c ?see {{ ?s sd:feature <{TEXT_QUERY}> . <{TEXT_QUERY}> a sd:Feature ; "
        "rdfs:comment ?c ; rdfs:seeAlso ?see }")]
    assert "text:query (\"words\" 20)" in comment and "BM25" in comment
    assert see == origin(reader) + "/search"


def test_service_description_follows_the_settings(tmp_path: Path) -> None:
    """No union default graph: no sd:UnionDefaultGraph; writes on: SPARQL 1.1 Update is a supported language."""
    with in_process(tmp_path / "store", union_default_graph=False, update_token="t") as endpoint:
        sd = graph_of(endpoint.get("/sparql"))
    assert values(sd, "SELECT ?f { ?s sd:feature ?f }") == [TEXT_QUERY]
    assert "http://www.w3.org/ns/sparql-service-description#SPARQL11Update" in values(
        sd, "SELECT ?l { ?s sd:supportedLanguage ?l }")


def test_service_description_406(reader: httpx.Client) -> None:
    assert reader.get("/sparql", headers={"Accept": "application/sparql-results+json"}).status_code == 406


# ---------------------------------------------------------------------------------- VoID
def test_void_counts_match_the_store(reader: httpx.Client) -> None:
    void = graph_of(reader.get("/.well-known/void", headers={"Accept": "application/n-triples"}))
    (dataset,) = values(void, "SELECT ?d { ?d a void:Dataset ; void:sparqlEndpoint ?e }")
    assert dataset == origin(reader) + "/.well-known/void#dataset"
    assert values(void, "SELECT ?e { ?d void:sparqlEndpoint ?e }") == [origin(reader) + "/sparql"]
    (triples,) = values(void, "SELECT ?n { ?d void:sparqlEndpoint ?e ; void:triples ?n }")
    # the sample store writes named graphs only, so every triple of the store is in some GRAPH ?g
    (quads,) = remote(reader, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
    assert int(triples) == int(quads["n"]["value"]) > 0
    partition = {s["c"].value: int(s["n"].value) for s in void.query(
        PREFIXES + "SELECT ?c ?n { ?d void:classPartition [ void:class ?c ; void:entities ?n ] }")}
    people = remote(reader, "SELECT (COUNT(DISTINCT ?e) AS ?n) { GRAPH ?g { ?e a nkg:Person } }")[0]["n"]["value"]
    assert partition["https://w3id.org/newskg/ontology#Person"] == int(people) > 0
    (entities,) = values(void, "SELECT ?n { ?d void:sparqlEndpoint ?e ; void:entities ?n }")
    assert int(entities) >= max(partition.values())


def test_void_lists_the_graphs_as_subsets(reader: httpx.Client) -> None:
    void = graph_of(reader.get("/.well-known/void"))
    subsets = values(void, "SELECT ?g { ?d void:subset/sd:name ?g }")
    assert subsets == sorted(b["g"]["value"] for b in remote(reader, "SELECT DISTINCT ?g { GRAPH ?g {} }"))


# ---------------------------------------------------------------------------------- the ontology
def test_ontology_is_served_as_stored(reader: httpx.Client) -> None:
    response = reader.get("/ontology")
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.content == (resource_dir("ontology") / "newskg.ttl").read_bytes()


@pytest.mark.parametrize("media", list(FORMATS))
def test_ontology_in_each_rdf_format(reader: httpx.Client, media: str) -> None:
    expected = len(list(ox.parse(path=resource_dir("ontology") / "newskg.ttl", format=ox.RdfFormat.TURTLE)))
    ontology = graph_of(reader.get("/ontology", headers={"Accept": media}))
    assert len(ontology) == expected
    assert "https://w3id.org/newskg/ontology#Person" in values(
        ontology, "SELECT ?c { ?c a <http://www.w3.org/2002/07/owl#Class> }")
