"""SPARQL 1.1 Protocol at /sparql, in process (the app a `kg serve` worker runs): every MUST and SHOULD, and
the W3C suite.

Each test quotes the Recommendation (https://www.w3.org/TR/sparql11-protocol/) in its docstring or
its pytest.param id. The second half replays the W3C protocol manifest
(w3c/rdf-tests sparql/sparql11/protocol/manifest.ttl), request by request, on a store of its own.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.namespaces import DEFAULT_BASE, PREFIXES
from tests.conftest import SAMPLE_DOCS, UPDATE_TOKEN, in_process

ID = DEFAULT_BASE
DOC1, DOC2 = SAMPLE_DOCS
NKG = PREFIXES["nkg"]
ASK_DOC1 = f"ASK {{ <{DOC1}> a <{NKG}Document> }}"
ASK_BOTH = f"ASK {{ <{DOC1}> a <{NKG}Document> . <{DOC2}> a <{NKG}Document> }}"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
SELECT = f"SELECT ?type WHERE {{ GRAPH <{DOC1}> {{ <{DOC1}> a ?type }} }} ORDER BY ?type"
CONSTRUCT = f"CONSTRUCT {{ <{DOC1}> ?p ?o }} WHERE {{ GRAPH <{DOC1}> {{ <{DOC1}> ?p ?o }} }}"
DESCRIBE = f"DESCRIBE <{DOC1}>"
JSON = "application/sparql-results+json"

RESULT_TYPES = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV}
GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "application/n-quads": ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG,
               "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML}
MALFORMED = ["", "SELECT", "ASK {", "}{", "SELECT * WHERE { ?s ?p }", "SELECT ?x WHERE { ?x <not an iri> 1 }",
             "PREFIX : <x> SELECT * { :a :b :c } LIMIT -1", "SELECT * { ?s ?p ?o } GROUP BY", "\x00", "🙂" * 50,
             "CONSTRUCT { ?s ?p } WHERE { ?s ?p ?o }", "SELECT (COUNT(*) AS ?n) (COUNT(*) AS ?n) {}",
             "INSERT DATA { <a> <b> <c> }", "DESCRIBE", "ASK {} ASK {}",
             "SELECT (<http://example.org/no-such-function>(1) AS ?x) {}"]


def via(method: str, base: httpx.Client, query: str, params: dict | list | None = None, **headers: str) -> httpx.Response:
    """One query request by one of the protocol's three ways."""
    params = list(params.items()) if isinstance(params, dict) else list(params or [])
    if method == "GET":
        return base.get("/sparql", params=[("query", query), *params], headers=headers)
    if method == "POST form":
        return base.post("/sparql", data={"query": query, **_grouped(params)}, headers=headers)
    return base.post("/sparql", params=params, content=query.encode(),
                      headers={"Content-Type": "application/sparql-query", **headers})


def _grouped(params: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key, value in params:
        grouped.setdefault(key, []).append(value)
    return grouped


def boolean(response: httpx.Response) -> bool:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(JSON)
    return response.json()["boolean"]


def column(response: httpx.Response, var: str) -> list[str]:
    assert response.status_code == 200, response.text
    return [b[var]["value"] for b in response.json()["results"]["bindings"]]


METHODS = [pytest.param("GET", id="2.1.1 query via GET"),
           pytest.param("POST form", id="2.1.2 query via POST with URL-encoded parameters"),
           pytest.param("POST direct", id="2.1.3 query via POST directly")]


# ---------------------------------------------------------------------------------- the query operation
@pytest.mark.parametrize("method", METHODS)
def test_query_by_each_of_the_three_ways(reader: httpx.Client, method: str) -> None:
    """'the query operation MUST be invoked with either the HTTP GET or HTTP POST method' in one of three ways."""
    assert boolean(via(method, reader, ASK_DOC1, Accept=JSON)) is True
    assert boolean(via(method, reader, ASK_DOC1.replace("Document", "Person"), Accept=JSON)) is False


@pytest.mark.parametrize("method", METHODS)
def test_default_graph_uri_sets_the_default_graph(reader: httpx.Client, method: str) -> None:
    """'default-graph-uri (0 or more)': the default graph is the RDF merge of the graphs named."""
    assert boolean(via(method, reader, ASK_DOC1, {"default-graph-uri": DOC1}, Accept=JSON)) is True
    assert boolean(via(method, reader, ASK_DOC1, {"default-graph-uri": DOC2}, Accept=JSON)) is False
    merged = [("default-graph-uri", DOC1), ("default-graph-uri", DOC2)]
    assert boolean(via(method, reader, ASK_BOTH, merged, Accept=JSON)) is True


@pytest.mark.parametrize("method", METHODS)
def test_named_graph_uri_sets_the_named_graphs(reader: httpx.Client, method: str) -> None:
    """'named-graph-uri (0 or more)': only the graphs named are visible to GRAPH."""
    response = via(method, reader, GRAPHS, [("named-graph-uri", DOC1), ("named-graph-uri", DOC2)], Accept=JSON)
    assert column(response, "g") == sorted([DOC1, DOC2])


@pytest.mark.parametrize("method", METHODS)
def test_protocol_dataset_wins_over_from(reader: httpx.Client, method: str) -> None:
    """'If an RDF Dataset is specified in both the protocol request and in the SPARQL query string, then the
    SPARQL service MUST execute the query using the RDF Dataset given in the protocol request.'"""
    query = ASK_DOC1.replace("ASK", f"ASK FROM <{DOC2}>")
    assert boolean(via(method, reader, query, Accept=JSON)) is False
    assert boolean(via(method, reader, query, {"default-graph-uri": DOC1}, Accept=JSON)) is True


def test_union_of_all_graphs_is_the_default_graph(reader: httpx.Client) -> None:
    """Without a dataset in the request or the query, the default graph is the union of all graphs."""
    assert boolean(via("GET", reader, ASK_BOTH, Accept=JSON)) is True
    # the word FROM in a literal or an IRI is not a FROM clause
    assert boolean(via("GET", reader, ASK_BOTH.replace("}", 'FILTER("from" != <http://example.org/from>) }'),
                       Accept=JSON)) is True
    description = reader.get("/sparql", headers={"Accept": "application/n-triples"}).text
    assert "<http://www.w3.org/ns/sparql-service-description#UnionDefaultGraph>" in description


# ---------------------------------------------------------------------------------- content negotiation
@pytest.mark.parametrize("media", list(RESULT_TYPES))
@pytest.mark.parametrize("method", METHODS)
def test_select_in_each_results_format(reader: httpx.Client, method: str, media: str) -> None:
    """'The content type of the response to a successful query operation MUST be the media type defined for the
    format of the response body' (SELECT: XML, JSON, CSV, TSV)."""
    response = via(method, reader, SELECT, Accept=media)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    if media == "text/csv":  # lossy: Oxigraph does not read it back
        types = {row["type"] for row in csv.DictReader(io.StringIO(response.text))}
    else:
        types = {s["type"].value for s in ox.parse_query_results(response.content, RESULT_TYPES[media])}
    assert NKG + "Document" in types


@pytest.mark.parametrize("media", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask_in_each_boolean_format(reader: httpx.Client, media: str) -> None:
    """ASK answers are SPARQL results documents (XML or JSON) of media type `media`."""
    response = via("GET", reader, ASK_DOC1, Accept=media)
    assert response.headers["content-type"].split(";")[0] == media
    assert bool(ox.parse_query_results(response.content, RESULT_TYPES[media])) is True


@pytest.mark.parametrize("media", list(GRAPH_TYPES))
@pytest.mark.parametrize("query", [pytest.param(CONSTRUCT, id="CONSTRUCT"), pytest.param(DESCRIBE, id="DESCRIBE")])
def test_graph_results_in_each_rdf_format(reader: httpx.Client, query: str, media: str) -> None:
    """CONSTRUCT and DESCRIBE answer 'an RDF graph serialized' in Turtle, N-Triples, N-Quads, TriG, JSON-LD or
    RDF/XML, labelled with that media type."""
    response = via("POST direct", reader, query, Accept=media)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    quads = list(ox.parse(response.content, GRAPH_TYPES[media]))
    assert ox.NamedNode(DOC1) in {q.subject for q in quads} and len(quads) >= 5


@pytest.mark.parametrize(("accept", "query", "expected"), [
    pytest.param("application/sparql-results+xml;q=0.5, text/csv", SELECT, "text/csv", id="higher q wins"),
    pytest.param("text/csv;q=0, */*;q=0.1", SELECT, JSON, id="q=0 means not acceptable"),
    pytest.param("text/*", SELECT, "text/csv", id="type wildcard"),
    pytest.param("application/json", SELECT, JSON, id="application/json alias"),
    pytest.param("text/html, application/xhtml+xml, */*;q=0.8", SELECT, JSON, id="browser Accept"),
    pytest.param(None, SELECT, JSON, id="no Accept: JSON for results"),
    pytest.param(None, CONSTRUCT, "text/turtle", id="no Accept: Turtle for graphs"),
    pytest.param("application/rdf+xml;q=0.9, text/turtle;q=0.2", CONSTRUCT, "application/rdf+xml", id="graph q"),
    pytest.param("application/sparql-results+xml, application/sparql-results+json", SELECT,
                 "application/sparql-results+xml", id="equal q: client's order"),
])
def test_accept_with_q_values(reader: httpx.Client, accept: str | None, query: str, expected: str) -> None:
    """'Content negotiation SHOULD be used': the answer has the best type the Accept header allows."""
    headers = {"Accept": accept} if accept else {}
    response = reader.get("/sparql", params={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == expected


@pytest.mark.parametrize(("accept", "query"), [
    pytest.param("text/turtle", SELECT, id="SELECT as Turtle"),
    pytest.param(JSON, CONSTRUCT, id="CONSTRUCT as SPARQL JSON"),
    pytest.param("image/png", ASK_DOC1, id="ASK as PNG"),
    pytest.param("text/csv;q=0", SELECT, id="only type refused"),
])
def test_unacceptable_accept_is_406(reader: httpx.Client, accept: str, query: str) -> None:
    """No format fits the Accept header: 406 Not Acceptable, naming what is available."""
    response = reader.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406
    assert accept.split(";")[0] in response.text and "available" in response.text


# ---------------------------------------------------------------------------------- failures
@pytest.mark.parametrize("method", METHODS)
def test_syntax_error_is_400_with_the_parser_message(reader: httpx.Client, method: str) -> None:
    """'400 if the SPARQL query supplied in the request is not a legal sequence of characters in the language
    defined by the SPARQL grammar'; the body SHOULD say what is wrong."""
    response = via(method, reader, "SELECT * WHERE { ?s ?p ?o ")
    assert response.status_code == 400
    assert "syntax error" in response.text and "error at 1:" in response.text


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_query_is_never_a_500(reader: httpx.Client, query: str) -> None:
    """A malformed query is the client's error: 400, whatever the input."""
    assert via("POST direct", reader, query).status_code == 400
    assert via("GET", reader, query).status_code == 400


@pytest.mark.parametrize(("request_kwargs", "message"), [
    pytest.param({"method": "GET", "params": [("query", "ASK {}"), ("query", "ASK {}")]}, "exactly one",
                 id="'exactly one SPARQL query string' (two by GET)"),
    pytest.param({"method": "POST", "data": {"query": ["ASK {}", "ASK {}"]}}, "exactly one",
                 id="'exactly one SPARQL query string' (two by form)"),
    pytest.param({"method": "POST", "data": {"query": "ASK {}", "update": "CLEAR ALL"}}, "both",
                 id="query and update mixed"),
    pytest.param({"method": "POST", "data": {"default-graph-uri": ID}}, "no 'query'", id="form without query"),
    pytest.param({"method": "GET", "params": {"query": "ASK {}", "default-graph-uri": "not an iri"}},
                 "not an absolute IRI", id="default-graph-uri not an IRI"),
    pytest.param({"method": "GET", "params": {"update": "CLEAR ALL"}}, "POST",
                 id="'The update operation MUST be invoked using the HTTP POST method'"),
    pytest.param({"method": "POST", "params": {"query": "ASK {}"}, "content": b"ASK {}",
                  "headers": {"Content-Type": "application/sparql-query"}}, "must not carry",
                 id="'the SPARQL query string, unencoded, and nothing else' (query in URL too)"),
])
def test_bad_requests_are_400(reader: httpx.Client, request_kwargs: dict, message: str) -> None:
    response = reader.request(url="/sparql", **request_kwargs)
    assert response.status_code == 400
    assert message in response.text


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(reader: httpx.Client, method: str) -> None:
    """'the query operation MUST be invoked with either the HTTP GET or HTTP POST method'; others get 405."""
    response = reader.request(method, "/sparql", params={"query": "ASK {}"})
    assert response.status_code == 405
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["allow"].split(",")}


@pytest.mark.parametrize(("headers", "content"), [
    pytest.param({}, b"ASK {}", id="no Content-Type"),
    pytest.param({"Content-Type": "text/plain"}, b"ASK {}", id="text/plain"),
    pytest.param({"Content-Type": "application/json"}, b'{"query": "ASK {}"}', id="JSON"),
    pytest.param({"Content-Type": "application/sparql-query; charset=UTF-16"}, "ASK {}".encode("utf-16"),
                 id="'UTF-8 is the only valid charset here' (UTF-16 declared)"),
    pytest.param({"Content-Type": "application/sparql-query"}, "ASK { FILTER(\"é\") }".encode("latin-1"),
                 id="body not UTF-8"),
    pytest.param({"Content-Type": "application/x-www-form-urlencoded"}, b"query=ASK%20%7B%E9%7D",
                 id="form value not UTF-8"),
])
def test_wrong_or_missing_content_type_is_415(reader: httpx.Client, headers: dict, content: bytes) -> None:
    """'Clients must set the content type header of the HTTP request to application/sparql-query' (or form)."""
    response = reader.post("/sparql", headers=headers, content=content)
    assert response.status_code == 415
    assert response.text.strip()


# ---------------------------------------------------------------------------------- CORS
def test_cors_preflight_allows_a_post_with_authorization(reader: httpx.Client) -> None:
    """A browser on another origin may POST with Authorization (configurable by KG_CORS_ORIGINS)."""
    response = reader.options("/sparql", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in ("*", "https://yasgui.example")
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "authorization" in response.headers["access-control-allow-headers"].lower()
    simple = reader.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"})
    assert simple.headers["access-control-allow-origin"] in ("*", "https://yasgui.example")
    assert "x-result-truncated" in simple.headers["access-control-expose-headers"].lower()


def test_cors_origins_are_configurable(tmp_path: Path) -> None:
    with in_process(tmp_path / "store", cors_origins=("https://allowed.example",)) as endpoint:
        allowed = endpoint.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://allowed.example"})
        other = endpoint.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://other.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://allowed.example"
    assert "access-control-allow-origin" not in other.headers


# ---------------------------------------------------------------------------------- the W3C protocol suite
W3C = "http://kasei.us/2009/09/sparql/data/"
W3C_DATA = " ".join(f"GRAPH <{W3C}data{i}.rdf> {{ <{W3C}data{i}.rdf> a <http://xmlns.com/foaf/0.1/Document> }}"
                    for i in (1, 2, 3))
FORM, QUERY, UPDATE = ("application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update")
D = "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2F"
PREFIXES = "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
BIB = "<http://purl.org/dc/terms/BibliographicResource>"


def _update_dataset(test: str, where: str) -> str:
    return (PREFIXES + f"DROP ALL ; INSERT DATA {{ {W3C_DATA} }} ;\n"
            f"INSERT {{ GRAPH <http://example.org/{test}/> {{ ?s a dc:BibliographicResource }} }} WHERE {{ {where} }}")


def _check_dataset(test: str, present: tuple[int, ...], absent: int) -> str:
    triples = " ".join(f"<{W3C}data{i}.rdf> a {BIB} ." for i in present)
    return (f"ASK {{ GRAPH <http://example.org/{test}/> {{ {triples} }} FILTER NOT EXISTS {{ "
            f"GRAPH <http://example.org/{test}/> {{ <{W3C}data{absent}.rdf> a {BIB} }} }} }}")


# (manifest entry, [(method, path and query string, content type, body, expected)]);
# expected: True/False (boolean answer), "tabular", "rdf", "2xx" or "4xx"
W3C_TESTS: list[tuple[str, list[tuple[str, str, str | None, bytes, object]]]] = [
    ("query_post_form", [("POST", f"?default-graph-uri={D}data0.rdf", FORM, b"query=ASK%20%7B%7D", True)]),
    ("query_dataset_default_graphs_get", [("GET", "?" + str(httpx.QueryParams([
        ("query", f"ASK {{ <{W3C}data1.rdf> a ?type . <{W3C}data2.rdf> a ?type . }}"),
        ("default-graph-uri", f"{W3C}data1.rdf"), ("default-graph-uri", f"{W3C}data2.rdf")])), None, b"", True)]),
    ("query_dataset_default_graphs_post", [("POST", f"?default-graph-uri={D}data1.rdf&default-graph-uri={D}data2.rdf",
                                            QUERY, f"ASK {{ <{W3C}data1.rdf> a ?type . <{W3C}data2.rdf> a ?type . }}"
                                            .encode(), True)]),
    ("query_dataset_named_graphs_post", [("POST", f"?named-graph-uri={D}data1.rdf&named-graph-uri={D}data2.rdf", QUERY,
                                          f"ASK {{ GRAPH ?g1 {{ <{W3C}data1.rdf> a ?type }} "
                                          f"GRAPH ?g2 {{ <{W3C}data2.rdf> a ?type }} }}".encode(), True)]),
    ("query_dataset_named_graphs_get", [("GET", "?" + str(httpx.QueryParams([
        ("query", f"ASK {{ GRAPH ?g1 {{ <{W3C}data1.rdf> a ?type }} GRAPH ?g2 {{ <{W3C}data2.rdf> a ?type }} }}"),
        ("named-graph-uri", f"{W3C}data1.rdf"), ("named-graph-uri", f"{W3C}data2.rdf")])), None, b"", True)]),
    ("query_dataset_full", [("POST", f"?default-graph-uri={D}data3.rdf&named-graph-uri={D}data1.rdf"
                             f"&named-graph-uri={D}data2.rdf", QUERY,
                             f"ASK {{ <{W3C}data3.rdf> a ?type GRAPH ?g1 {{ <{W3C}data1.rdf> a ?type }} "
                             f"GRAPH ?g2 {{ <{W3C}data2.rdf> a ?type }} }}".encode(), True)]),
    # the manifest percent-encodes the '&' between the two named-graph-uri parameters (a known defect of the
    # suite); sent here as the two parameters it means
    ("query_multiple_dataset", [("POST", f"?named-graph-uri={D}data1.rdf&named-graph-uri={D}data2.rdf", QUERY,
                                 f"ASK FROM <{W3C}data3.rdf> {{ GRAPH ?g1 {{ <{W3C}data1.rdf> a ?type }} "
                                 f"GRAPH ?g2 {{ <{W3C}data2.rdf> a ?type }} }}".encode(), True)]),
    ("query_get", [("GET", f"?query=ASK%20%7B%7D&default-graph-uri={D}data0.rdf", None, b"", True)]),
    ("query_content_type_select", [("POST", f"?default-graph-uri={D}data0.rdf", QUERY, b"SELECT (1 AS ?value) {}",
                                    "tabular")]),
    ("query_content_type_ask", [("POST", f"?default-graph-uri={D}data0.rdf", QUERY, b"ASK {}", True)]),
    ("query_content_type_describe", [("POST", f"?default-graph-uri={D}data0.rdf", QUERY,
                                      b"DESCRIBE <http://example.org/>", "rdf")]),
    ("query_content_type_construct", [("POST", f"?default-graph-uri={D}data0.rdf", QUERY,
                                       b"CONSTRUCT { <s> <p> 1 } WHERE {}", "rdf")]),
    ("update_dataset_default_graph", [
        ("POST", f"?using-graph-uri={D}data1.rdf", UPDATE, _update_dataset(
            "protocol-update-dataset-test", "?s a foaf:Document").encode(), "2xx"),
        ("POST", "", QUERY, _check_dataset("protocol-update-dataset-test", (1,), 2).encode(), True)]),
    ("update_dataset_default_graphs", [
        ("POST", f"?using-graph-uri={D}data1.rdf&using-graph-uri={D}data2.rdf", UPDATE, _update_dataset(
            "protocol-update-dataset-graphs-test", "?s a foaf:Document").encode(), "2xx"),
        ("POST", "", QUERY, _check_dataset("protocol-update-dataset-graphs-test", (1, 2), 3).encode(), True)]),
    ("update_dataset_named_graphs", [
        ("POST", f"?using-named-graph-uri={D}data1.rdf&using-named-graph-uri={D}data2.rdf", UPDATE, _update_dataset(
            "protocol-update-dataset-named-graphs-test", "GRAPH ?g { ?s a foaf:Document }").encode(), "2xx"),
        ("POST", "", QUERY, _check_dataset("protocol-update-dataset-named-graphs-test", (1, 2), 3).encode(), True)]),
    ("update_dataset_full", [
        ("POST", f"?using-graph-uri={D}data1.rdf&using-named-graph-uri={D}data2.rdf", UPDATE, (
            PREFIXES + f"DROP ALL ; INSERT DATA {{ {W3C_DATA} }} ;\nINSERT {{ GRAPH "
            "<http://example.org/protocol-update-dataset-full-test/> { ?s <http://example.org/in> ?in } } WHERE { "
            "{ GRAPH ?g { ?s a foaf:Document } BIND(?g AS ?in) } UNION "
            "{ ?s a foaf:Document . BIND(\"default\" AS ?in) } }").encode(), "2xx"),
        ("POST", "", QUERY, (
            "ASK { GRAPH <http://example.org/protocol-update-dataset-full-test/> { "
            f"<{W3C}data1.rdf> <http://example.org/in> \"default\" . "
            f"<{W3C}data2.rdf> <http://example.org/in> <{W3C}data2.rdf> . }} FILTER NOT EXISTS {{ GRAPH "
            f"<http://example.org/protocol-update-dataset-full-test/> {{ <{W3C}data3.rdf> ?p ?o }} }} }}").encode(),
         True)]),
    ("update_post_form", [("POST", "", FORM, b"update=CLEAR+ALL", "2xx")]),
    ("update_post_direct", [("POST", "", UPDATE, b"CLEAR ALL", "2xx")]),
    ("update_base_uri", [
        ("POST", "", UPDATE, b"CLEAR GRAPH <http://example.org/protocol-base-test/> ;\nINSERT DATA { GRAPH "
         b"<http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> <test> } }", "2xx"),
        ("POST", "", QUERY, b"SELECT ?o WHERE { GRAPH <http://example.org/protocol-base-test/> { "
         b"<http://example.org/s> <http://example.org/p> ?o } }", "base")]),
    ("query_post_direct", [("POST", "", QUERY, b"ASK {}", True)]),
    ("bad_query_method", [("PUT", f"?query=ASK%20%7B%7D&default-graph-uri={D}data0.rdf", FORM, b"", "4xx")]),
    ("bad_multiple_queries", [("GET", "?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", None, b"", "4xx")]),
    ("bad_query_wrong_media_type", [("POST", "", "text/plain", b"ASK {}", "4xx")]),
    ("bad_query_missing_form_type", [("POST", "", None, b"query=ASK%20%7B%7D", "4xx")]),
    ("bad_query_missing_direct_type", [("POST", "", None, b"ASK {}", "4xx")]),
    ("bad_query_non_utf8", [("POST", "", QUERY + "; charset=UTF-16", "ASK {}".encode("utf-16"), "4xx")]),
    ("bad_query_syntax", [("GET", "?query=ASK%20%7B", None, b"", "4xx")]),
    ("bad_update_get", [("GET", "?update=CLEAR%20ALL", None, b"", "4xx")]),
    ("bad_multiple_updates", [("POST", "", FORM, b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", "4xx")]),
    ("bad_update_wrong_media_type", [("POST", "", "text/plain", b"CLEAR NAMED", "4xx")]),
    ("bad_update_missing_form_type", [("POST", "", None, b"update=CLEAR%20NAMED", "4xx")]),
    ("bad_update_non_utf8", [("POST", "", UPDATE + "; charset=UTF-16", "CLEAR NAMED".encode("utf-16"), "4xx")]),
    ("bad_update_syntax", [("POST", "", FORM, b"update=CLEAR%20XYZ", "4xx")]),
    ("bad_update_dataset_conflict", [("POST", "?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople", UPDATE, (
        "PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\nDELETE { ?person foaf:givenName "
        "'Bill' }\nINSERT { ?person foaf:givenName 'William' }\nWHERE {\n    ?person foaf:givenName 'Bill'\n}"
        ).encode(),
        "4xx")]),
]


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory) -> Iterator[httpx.Client]:
    """A writable endpoint over an empty store holding the suite's data graphs data1.rdf .. data3.rdf."""
    with in_process(tmp_path_factory.mktemp("w3c") / "store", update_token=UPDATE_TOKEN) as endpoint:
        yield endpoint


@pytest.mark.parametrize(("name", "steps"), [pytest.param(n, s, id=n) for n, s in W3C_TESTS])
def test_w3c_protocol_suite(w3c_server: httpx.Client, name: str, steps: list) -> None:
    """Every entry of the W3C SPARQL 1.1 protocol manifest, with its expected status and answer."""
    auth = {"Authorization": f"Bearer {UPDATE_TOKEN}"}
    # Oxigraph records empty graphs, so CLEAR GRAPH of a graph never created is an error (SPARQL 1.1 Update 3.2.2);
    # update_base_uri clears <http://example.org/protocol-base-test/> first: the setup creates it.
    setup = w3c_server.post("/sparql", content=f"DROP ALL ; INSERT DATA {{ {W3C_DATA} }} ; "
                       "CREATE GRAPH <http://example.org/protocol-base-test/>".encode(),
                       headers={"Content-Type": UPDATE, **auth})
    assert setup.status_code == 204, setup.text
    for method, query_string, content_type, body, expected in steps:
        headers = {**auth, "Accept": f"{JSON}, text/turtle;q=0.9"}
        if content_type:
            headers["Content-Type"] = content_type
        response = w3c_server.request(method, "/sparql" + query_string, content=body, headers=headers)
        if expected == "4xx":
            assert 400 <= response.status_code < 500, (name, response.status_code, response.text)
            continue
        assert 200 <= response.status_code < 400, (name, response.status_code, response.text)
        if isinstance(expected, bool):
            assert response.json()["boolean"] is expected, name
        elif expected == "tabular":
            assert response.headers["content-type"].startswith(JSON) and response.json()["head"]["vars"] == ["value"]
        elif expected == "rdf":
            assert response.headers["content-type"].startswith("text/turtle")
            list(ox.parse(response.content, ox.RdfFormat.TURTLE))
        elif expected == "base":
            (value,) = [b["o"] for b in response.json()["results"]["bindings"]]
            assert value["type"] == "uri" and value["value"] != "test" and value["value"].endswith("/test")


def test_w3c_data_graphs_are_isolated_from_the_sample_store(w3c_server: httpx.Client, reader: httpx.Client) -> None:
    """The suite's DROP ALL ran on its own store: the sample endpoint still has its documents."""
    assert boolean(via("GET", reader, ASK_DOC1, Accept=JSON)) is True
    graphs = column(via("GET", w3c_server, GRAPHS, Accept=JSON), "g")
    assert all(g.startswith(("http://kasei.us/", "http://example.org/")) for g in graphs)


def test_service_description_is_json_ld_too(reader: httpx.Client) -> None:
    """Kept here for the protocol: a GET with no query answers the service description (see test_describe)."""
    response = reader.get("/sparql", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/ld+json")
    assert json.loads(response.text)
