"""SPARQL 1.1 Update over the protocol: off unless KG_UPDATE_TOKEN is set, then only with the bearer token.

https://www.w3.org/TR/sparql11-protocol/#update-operation, in process (the app a `kg serve` worker runs).
"""
from __future__ import annotations

import uuid

import httpx
import pytest

from kg.namespaces import PREFIXES
from kg.server.errors import BadRequest
from kg.server.protocol import RequestDataset, UpdateOperation, with_using
from tests.conftest import SAMPLE_DOCS, UPDATE_TOKEN

DOC1, DOC2 = SAMPLE_DOCS
NKG = PREFIXES["nkg"]
JSON = "application/sparql-results+json"
AUTH = {"Authorization": f"Bearer {UPDATE_TOKEN}"}
SPARQL_UPDATE = "application/sparql-update"


def fresh() -> str:
    """A graph IRI no other test uses."""
    return f"http://example.org/test/{uuid.uuid4()}"


def ask(base: httpx.Client, query: str) -> bool:
    response = base.get("/sparql", params={"query": query}, headers={"Accept": JSON})
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def subjects(base: httpx.Client, graph: str) -> list[str]:
    response = base.get("/sparql", params={"query": f"SELECT DISTINCT ?s {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} "
                                                            "ORDER BY ?s"}, headers={"Accept": JSON})
    return [b["s"]["value"] for b in response.json()["results"]["bindings"]]


def insert(graph: str) -> str:
    return f"INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/s> <http://example.org/p> 1 }} }}"


@pytest.mark.parametrize("how", [pytest.param("form", id="2.2.1 update via POST with URL-encoded parameters"),
                                 pytest.param("direct", id="2.2.2 update via POST directly")])
def test_update_by_both_ways_with_the_token(writer: httpx.Client, how: str) -> None:
    graph = fresh()
    if how == "form":
        response = writer.post("/sparql", data={"update": insert(graph)}, headers=AUTH)
    else:
        response = writer.post("/sparql", content=insert(graph).encode(),
                              headers={"Content-Type": SPARQL_UPDATE, **AUTH})
    assert response.status_code == 204, response.text
    assert subjects(writer, graph) == ["http://example.org/s"]


def test_writes_are_off_without_a_configured_token(reader: httpx.Client) -> None:
    """Without KG_UPDATE_TOKEN every write is 403 and changes nothing, whatever the request carries."""
    graph = fresh()
    for headers in ({}, AUTH):
        response = reader.post("/sparql", data={"update": insert(graph)}, headers=headers)
        assert response.status_code == 403
        assert "KG_UPDATE_TOKEN" in response.text
    assert subjects(reader, graph) == []


@pytest.mark.parametrize("authorization", [
    pytest.param(None, id="no Authorization"),
    pytest.param(f"Bearer {UPDATE_TOKEN}x", id="wrong token"),
    pytest.param(f"Bearer {UPDATE_TOKEN[:-1]}", id="token prefix"),
    pytest.param("Bearer", id="scheme without token"),
    pytest.param(f"Basic {UPDATE_TOKEN}", id="other scheme"),
])
def test_bad_credentials_are_401_and_change_nothing(writer: httpx.Client, authorization: str | None) -> None:
    graph = fresh()
    headers = {"Authorization": authorization} if authorization else {}
    response = writer.post("/sparql", content=insert(graph).encode(),
                          headers={"Content-Type": SPARQL_UPDATE, **headers})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert subjects(writer, graph) == []


def test_queries_need_no_token(writer: httpx.Client) -> None:
    assert ask(writer, f"ASK {{ <{DOC1}> a <{NKG}Document> }}") is True


def test_using_graph_uri_is_the_default_graph_of_the_where(writer: httpx.Client) -> None:
    """'using-graph-uri (0 or more)': the WHERE clause sees the named graphs merged as its default graph."""
    out = fresh()
    update = f"INSERT {{ GRAPH <{out}> {{ ?d a <{NKG}Document> }} }} WHERE {{ ?d a <{NKG}Document> }}"
    response = writer.post("/sparql", data={"update": update, "using-graph-uri": DOC1}, headers=AUTH)
    assert response.status_code == 204, response.text
    assert subjects(writer, out) == [DOC1]


def test_using_named_graph_uri_limits_graph(writer: httpx.Client) -> None:
    """'using-named-graph-uri (0 or more)': GRAPH ?g in the WHERE clause ranges over those graphs only."""
    out = fresh()
    update = f"INSERT {{ GRAPH <{out}> {{ ?g a <{NKG}Document> }} }} WHERE {{ GRAPH ?g {{ ?g a <{NKG}Document> }} }}"
    response = writer.post("/sparql", params=[("using-named-graph-uri", DOC1),
                          ("using-named-graph-uri", DOC2)], content=update.encode(),
                          headers={"Content-Type": SPARQL_UPDATE, **AUTH})
    assert response.status_code == 204, response.text
    assert subjects(writer, out) == sorted([DOC1, DOC2])


def test_delete_where_takes_using_named_graph_uri(writer: httpx.Client) -> None:
    """DELETE WHERE has no USING clause of its own; the parameters still restrict what it matches."""
    one, two = fresh(), fresh()
    for graph in (one, two):
        assert writer.post("/sparql", data={"update": insert(graph)}, headers=AUTH).status_code == 204
    update = "DELETE WHERE { GRAPH ?g { <http://example.org/s> ?p ?o } }"
    response = writer.post("/sparql", data={"update": update, "using-named-graph-uri": one},
                          headers=AUTH)
    assert response.status_code == 204, response.text
    assert subjects(writer, one) == [] and subjects(writer, two) == ["http://example.org/s"]


@pytest.mark.parametrize("update", [
    pytest.param("WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", id="WITH"),
    pytest.param("DELETE { ?s ?p ?o } USING <http://example.org/g> WHERE { ?s ?p ?o }", id="USING"),
    pytest.param("INSERT { ?s ?p ?o } USING NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
                 id="USING NAMED"),
])
def test_using_parameters_conflict_with_using_or_with_in_the_update(writer: httpx.Client, update: str) -> None:
    """'It is an error to supply the using-graph-uri or using-named-graph-uri parameters when also using the
    USING, USING NAMED, or WITH clause' (400)."""
    response = writer.post("/sparql", data={"update": update, "using-graph-uri": DOC1}, headers=AUTH)
    assert response.status_code == 400
    assert "its own" in response.text


@pytest.mark.parametrize(("update", "message"), [
    pytest.param("INSERT DATA { <a> }", "syntax error", id="syntax error"),
    pytest.param("CLEAR GRAPH <http://example.org/never-created>", "does not exist", id="CLEAR a missing graph"),
])
def test_failed_update_is_400_with_the_reason(writer: httpx.Client, update: str, message: str) -> None:
    response = writer.post("/sparql", data={"update": update}, headers=AUTH)
    assert response.status_code == 400
    assert message in response.text


def test_a_failing_request_changes_nothing(writer: httpx.Client) -> None:
    """Updates are applied all or nothing: the first operation is undone when the second fails."""
    graph = fresh()
    update = insert(graph) + " ; CLEAR GRAPH <http://example.org/never-created>"
    response = writer.post("/sparql", data={"update": update}, headers=AUTH)
    assert response.status_code == 400
    assert subjects(writer, graph) == []


def test_relative_iris_resolve_against_the_endpoint(writer: httpx.Client) -> None:
    """The service-defined base IRI (W3C update_base_uri) is the endpoint's own URL."""
    graph = fresh()
    update = f"INSERT DATA {{ GRAPH <{graph}> {{ <relative> <http://example.org/p> 1 }} }}"
    assert writer.post("/sparql", data={"update": update}, headers=AUTH).status_code == 204
    assert subjects(writer, graph) == [str(writer.base_url).rstrip("/") + "/relative"]


# ---------------------------------------------------------------------------------- the USING rewrite itself
@pytest.mark.parametrize(("text", "dataset", "expected"), [
    pytest.param("INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }", RequestDataset(("http://g/1",)),
                 "INSERT { ?s ?p ?o } USING <http://g/1> WHERE { ?s ?p ?o }", id="INSERT WHERE"),
    pytest.param("DELETE { ?s ?p ?o } INSERT { ?s ?p 2 } WHERE { ?s ?p ?o }", RequestDataset((), ("http://g/n",)),
                 "DELETE { ?s ?p ?o } INSERT { ?s ?p 2 } USING NAMED <http://g/n> WHERE { ?s ?p ?o }",
                 id="DELETE INSERT WHERE"),
    pytest.param("DELETE WHERE { ?s ?p ?o }", RequestDataset(("http://g/1",)),
                 "DELETE { ?s ?p ?o } USING <http://g/1> WHERE { ?s ?p ?o }", id="DELETE WHERE"),
    pytest.param("INSERT DATA { <a> <b> 'WHERE' } ; DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", RequestDataset(("http://g/1",)),
                 "INSERT DATA { <a> <b> 'WHERE' } ; DELETE { ?s ?p ?o } USING <http://g/1> WHERE { ?s ?p ?o }",
                 id="only top-level WHERE keywords"),
    pytest.param("CLEAR ALL", RequestDataset(("http://g/1",)), "CLEAR ALL", id="nothing to apply to"),
    pytest.param("INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }", RequestDataset(), "INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                 id="no parameters"),
])
def test_with_using_writes_the_clauses_in(text: str, dataset: RequestDataset, expected: str) -> None:
    assert with_using(UpdateOperation(text, dataset)) == expected


def test_with_using_refuses_with_clause() -> None:
    with pytest.raises(BadRequest, match="WITH"):
        with_using(UpdateOperation("WITH <http://g/x> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", RequestDataset(("http://g/1",))))
