"""Safe to expose: no outbound request on a client's behalf, and limits answered with a clear status.

A canary HTTP reader on loopback records every request it gets. Each trick to make the endpoint
fetch it (SERVICE and LOAD in every disguise) must be refused with 400 while the canary hears
nothing; allow-listing the canary's host lets the same request through and the canary hears it,
which proves the canary would have caught a leak.
"""
from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.server.executor import evaluate
from kg.server.query_shape import shape_of
from kg.server.security import OutboundRefused, check_query, check_update
from tests.conftest import UPDATE_TOKEN, in_process

AUTH = {"Authorization": f"Bearer {UPDATE_TOKEN}"}
JSON = "application/sparql-results+json"
EMPTY_RESULTS = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://canary/s"}}]}}'
CANARY_TURTLE = b"<http://canary/s> <http://canary/p> <http://canary/o> ."

# {canary} is the canary's base URL (http://127.0.0.1:PORT/), {hostport} its authority
QUERY_TRICKS = [
    pytest.param("SELECT * WHERE { SERVICE <{canary}> { ?s ?p ?o } }", id="SERVICE <url>"),
    pytest.param("SELECT * WHERE { SERVICE SILENT <{canary}> { ?s ?p ?o } }", id="SERVICE SILENT"),
    pytest.param("select * where { service <{canary}> { ?s ?p ?o } }", id="lower case"),
    pytest.param("SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{canary}> { ?s ?p ?o } } } }", id="in a sub-query"),
    pytest.param("SELECT * WHERE { ?a ?b ?c FILTER EXISTS { SERVICE <{canary}> { ?s ?p ?o } } }", id="in EXISTS"),
    pytest.param("SELECT * WHERE { OPTIONAL { SERVICE <{canary}> { ?s ?p ?o } } }", id="in OPTIONAL"),
    pytest.param("SELECT * WHERE { {} UNION { GRAPH ?g { SERVICE <{canary}> { ?s ?p ?o } } } }", id="in UNION/GRAPH"),
    pytest.param("SELECT * WHERE { BIND(<{canary}> AS ?u) SERVICE ?u { ?s ?p ?o } }", id="SERVICE ?variable"),
    pytest.param("SELECT * WHERE { VALUES ?u { <{canary}> } SERVICE SILENT ?u { ?s ?p ?o } }", id="SERVICE VALUES"),
    pytest.param("PREFIX c: <{canary}> SELECT * WHERE { SERVICE c:sparql { ?s ?p ?o } }", id="prefixed name"),
    pytest.param("PREFIX : <{canary}> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }", id="keyword glued to :x"),
    pytest.param("BASE <{canary}> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }", id="BASE + relative IRI"),
    pytest.param("SELECT * WHERE { SERVICE <//{hostport}/> { ?s ?p ?o } }", id="scheme-relative IRI"),
    pytest.param("SELECT * WHERE { SERVICE <http://{hostport}\\u002Fsparql> { ?s ?p ?o } }", id="\\u escape in IRI"),
    pytest.param("SELECT * WHERE { # SERVICE in a comment, then for real\n SERVICE <{canary}> { ?s ?p ?o } }",
                 id="after a comment"),
    pytest.param('SELECT * WHERE { BIND("SERVICE" AS ?x) SERVICE <{canary}> { ?s ?p ?o } }', id="after a literal"),
    pytest.param("SELECT * WHERE { SERVICE <http://LOCALHOST:{port}/> { ?s ?p ?o } }", id="host name in capitals"),
    pytest.param("ASK { SERVICE <{canary}> { ?s ?p ?o } }", id="ASK"),
    pytest.param("CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{canary}> { ?s ?p ?o } }", id="CONSTRUCT"),
]
UPDATE_TRICKS = [
    pytest.param("LOAD <{canary}data.ttl>", id="LOAD <url>"),
    pytest.param("LOAD SILENT <{canary}data.ttl> INTO GRAPH <http://example.org/g>", id="LOAD SILENT INTO GRAPH"),
    pytest.param("PREFIX c: <{canary}> LOAD c:data.ttl", id="LOAD prefixed name"),
    pytest.param("BASE <{canary}> LOAD <data.ttl>", id="LOAD BASE + relative"),
    pytest.param("PREFIX : <{canary}> LOAD:data.ttl", id="LOAD glued to :x"),
    pytest.param("INSERT DATA { <http://e/a> <http://e/b> 1 } ; load <{canary}data.ttl>", id="second operation"),
    pytest.param("INSERT { ?s ?p ?o } WHERE { SERVICE <{canary}> { ?s ?p ?o } }", id="SERVICE in update WHERE"),
    pytest.param("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER EXISTS { SERVICE ?x { ?s ?p ?o } } }",
                 id="SERVICE ?var in update"),
]
SAFE = [
    pytest.param('SELECT * WHERE { BIND("please LOAD the SERVICE" AS ?x) }', id="words in a literal"),
    pytest.param("SELECT * WHERE { ?s <http://example.org/service> ?o }", id="word in an IRI"),
    pytest.param("SELECT ?service ?load WHERE { ?service ?load ?o } LIMIT 1", id="variables"),
    pytest.param("PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:serviceLoad ?o } LIMIT 1", id="local name"),
]


class Canary:
    """A loopback HTTP reader that answers anything and remembers each request line."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                canary.requests.append(f"{self.command} {self.path}")
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(length)
                turtle = self.path.endswith(".ttl")
                body = CANARY_TURTLE if turtle else EMPTY_RESULTS
                self.send_response(200)
                self.send_header("Content-Type", "text/turtle" if turtle else JSON)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def fill(self, template: str) -> str:
        return (template.replace("{canary}", self.url).replace("{hostport}", f"127.0.0.1:{self.port}")
                .replace("{port}", str(self.port)))


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    c = Canary()
    c.thread.start()
    yield c
    c.httpd.shutdown()


@pytest.fixture(scope="module")
def guarded(tmp_path_factory) -> Iterator[httpx.Client]:
    """A writable endpoint with no allow-list (the default)."""
    with in_process(tmp_path_factory.mktemp("guarded") / "store", update_token=UPDATE_TOKEN) as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def allowing(tmp_path_factory) -> Iterator[httpx.Client]:
    """A writable endpoint that allows outbound requests to 127.0.0.1 only."""
    settings = {"update_token": UPDATE_TOKEN, "service_allow": ("127.0.0.1",)}
    with in_process(tmp_path_factory.mktemp("allowing") / "store", **settings) as endpoint:
        yield endpoint


@pytest.mark.parametrize("template", QUERY_TRICKS)
def test_service_tricks_are_refused_and_the_canary_hears_nothing(guarded: httpx.Client, canary: Canary, template: str) -> None:
    before = len(canary.requests)
    for method in ("GET", "POST"):
        response = guarded.request(method, "/sparql", params={"query": canary.fill(template)}
                                 if method == "GET" else None, data={"query": canary.fill(template)}
                                 if method == "POST" else None, headers={"Accept": JSON})
        assert response.status_code == 400, response.text
        assert "refused" in response.text
    assert canary.requests[before:] == []


@pytest.mark.parametrize("template", UPDATE_TRICKS)
def test_load_tricks_are_refused_and_the_canary_hears_nothing(guarded: httpx.Client, canary: Canary, template: str) -> None:
    before = len(canary.requests)
    response = guarded.post("/sparql", data={"update": canary.fill(template)}, headers=AUTH)
    assert response.status_code == 400, response.text
    assert "refused" in response.text
    assert canary.requests[before:] == []
    # and the update did nothing, not even its harmless first operation
    assert guarded.get("/sparql", params={"query": "ASK { <http://e/a> ?p ?o }"},
                     headers={"Accept": JSON}).json()["boolean"] is False


@pytest.mark.parametrize(("query", "params"), [
    pytest.param("SELECT * FROM <{canary}> WHERE { ?s ?p ?o }", {}, id="FROM <url>"),
    pytest.param("SELECT * FROM NAMED <{canary}> WHERE { GRAPH ?g { ?s ?p ?o } }", {}, id="FROM NAMED <url>"),
    pytest.param("SELECT * WHERE { ?s ?p ?o }", {"default-graph-uri": "{canary}"}, id="default-graph-uri"),
    pytest.param("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", {"named-graph-uri": "{canary}"}, id="named-graph-uri"),
])
def test_dataset_iris_are_names_not_fetched(guarded: httpx.Client, canary: Canary, query: str, params: dict) -> None:
    """A dataset IRI names a graph of the store; the endpoint answers without dereferencing it."""
    before = len(canary.requests)
    response = guarded.get("/sparql", params={"query": canary.fill(query),
                                                      **{k: canary.fill(v) for k, v in params.items()}},
                         headers={"Accept": JSON})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"] == []
    assert canary.requests[before:] == []


def test_allow_listed_service_is_called(allowing: httpx.Client, canary: Canary) -> None:
    """The positive control: with the host allowed, the same SERVICE query reaches the canary."""
    before = len(canary.requests)
    response = allowing.get("/sparql", params={"query": canary.fill(
        "SELECT ?s WHERE { SERVICE <{canary}sparql> { ?s ?p ?o } }")}, headers={"Accept": JSON})
    assert response.status_code == 200, response.text
    assert [b["s"]["value"] for b in response.json()["results"]["bindings"]] == ["http://canary/s"]
    assert len(canary.requests) > before


def test_allow_listed_load_is_fetched(allowing: httpx.Client, canary: Canary) -> None:
    before = len(canary.requests)
    response = allowing.post("/sparql", data={"update": canary.fill(
        "LOAD <{canary}data.ttl> INTO GRAPH <http://example.org/loaded>")}, headers=AUTH)
    assert response.status_code == 204, response.text
    assert any(r.endswith("/data.ttl") for r in canary.requests[before:])
    assert allowing.get("/sparql", params={"query": "ASK { GRAPH <http://example.org/loaded> { "
                     "<http://canary/s> ?p ?o } }"}, headers={"Accept": JSON}).json()["boolean"] is True


def test_allow_list_is_per_host(allowing: httpx.Client, canary: Canary) -> None:
    """Allowing 127.0.0.1 does not allow localhost (another name, maybe another address)."""
    query = f"SELECT * WHERE {{ SERVICE <http://localhost:{canary.port}/> {{ ?s ?p ?o }} }}"
    response = allowing.get("/sparql", params={"query": query})
    assert response.status_code == 400 and "'localhost'" in response.text


@pytest.mark.parametrize("query", SAFE)
def test_the_words_alone_are_not_refused(reader: httpx.Client, query: str) -> None:
    """SERVICE and LOAD inside literals, IRIs, variables or local names are not outbound requests."""
    response = reader.get("/sparql", params={"query": query}, headers={"Accept": JSON})
    assert response.status_code == 200, response.text


def test_an_answer_the_guard_checked_is_freed_on_the_thread_that_made_it() -> None:
    """rdflib's parser, which the guard runs on a query that names SERVICE or LOAD, leaves reference cycles
    through the frames that called it. Query solutions held in those frames were freed by the next
    collection, on whatever thread ran it, which pyo3 refuses: it leaked them and reported "unsendable"."""
    query = "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:serviceLoad ?o } LIMIT 1"
    found: list[BaseException | None] = []
    hook, sys.unraisablehook = sys.unraisablehook, lambda raised: found.append(raised.exc_value)
    thread = ThreadPoolExecutor(1)
    gc.disable()  # no collection on the query's thread: the next one is here, on this thread
    try:
        answer = thread.submit(evaluate, ox.Store(), query, shape_of(query), accept=JSON).result()
        gc.enable()
        gc.collect()
    finally:
        gc.enable()
        sys.unraisablehook = hook
        thread.shutdown()
    assert answer.body.startswith(b'{"head"') and not found, found


@pytest.mark.parametrize("template", QUERY_TRICKS)
def test_guard_refuses_each_query_trick(canary: Canary, template: str) -> None:
    """The guard on its own, with the base IRI the endpoint passes (relative IRIs resolve against it)."""
    with pytest.raises(OutboundRefused):
        check_query(canary.fill(template), base_iri="http://127.0.0.1:8000/sparql", allow=("example.org",))


@pytest.mark.parametrize("template", UPDATE_TRICKS)
def test_guard_refuses_each_update_trick(canary: Canary, template: str) -> None:
    with pytest.raises(OutboundRefused):
        check_update(canary.fill(template), base_iri="http://127.0.0.1:8000/sparql", allow=("example.org",))


def test_unparseable_text_with_the_keyword_is_refused() -> None:
    """If rdflib cannot parse it, nobody can prove it safe: refused, with the parser's reason."""
    with pytest.raises(OutboundRefused, match="could not be checked"):
        check_query("SELECT * WHERE { SERVICE <http://a.example/> { ?s ?p ?o } ", base_iri=None, allow=())


# ---------------------------------------------------------------------------------- limits
@pytest.fixture(scope="module")
def limited(sample_store_dir, tmp_path_factory) -> Iterator[httpx.Client]:
    """The sample store behind small limits: 2000-byte bodies, 300-character queries, 3 rows."""
    import shutil

    copy = tmp_path_factory.mktemp("limited") / "store"
    shutil.copytree(sample_store_dir, copy)
    with in_process(copy, max_body_bytes=2000, max_query_length=300, max_rows=3) as endpoint:
        yield endpoint


ROWS = "SELECT ?s WHERE { ?s a ?type } ORDER BY ?s"
FEW = "SELECT ?s WHERE { ?s a ?type } ORDER BY ?s LIMIT 2"
TRIPLES = "CONSTRUCT { ?s a ?type } WHERE { ?s a ?type }"


def test_body_over_the_limit_is_413(limited: httpx.Client) -> None:
    response = limited.post("/sparql", content=b"#" * 2001 + b"\nASK {}",
                          headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413 and "2000" in response.text


def test_chunked_body_over_the_limit_is_413(limited: httpx.Client) -> None:
    """No Content-Length to trust: the body is counted as it arrives."""
    chunks = iter([b"#" * 1500 + b"\n", b"#" * 1500 + b"\n", b"ASK {}"])
    response = limited.post("/sparql", content=chunks, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413


@pytest.mark.parametrize(("method", "status"), [pytest.param("GET", 414, id="GET: 414 URI Too Long"),
                                                pytest.param("POST", 400, id="POST: 400")])
def test_query_over_the_length_limit(limited: httpx.Client, method: str, status: int) -> None:
    query = "ASK {}" + " " * 300
    if method == "GET":
        response = limited.get("/sparql", params={"query": query})
    else:
        response = limited.post("/sparql", data={"query": query})
    assert response.status_code == status
    assert "300" in response.text and "KG_MAX_QUERY_LENGTH" in response.text


@pytest.mark.parametrize("media", [JSON, "application/sparql-results+xml", "text/tab-separated-values", "text/csv"])
def test_rows_over_the_limit_are_cut_and_flagged(limited: httpx.Client, media: str) -> None:
    response = limited.get("/sparql", params={"query": ROWS}, headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["x-result-truncated"] == "true"
    assert response.headers["x-result-rows-limit"] == "3"
    if media == "text/csv":
        assert len(response.text.strip().splitlines()) == 1 + 3
    else:
        fmt = {JSON: ox.QueryResultsFormat.JSON, "application/sparql-results+xml": ox.QueryResultsFormat.XML,
               "text/tab-separated-values": ox.QueryResultsFormat.TSV}[media]
        assert len(list(ox.parse_query_results(response.content, fmt))) == 3


def test_cut_keeps_the_first_rows_in_order(limited: httpx.Client, reader: httpx.Client) -> None:
    full = reader.get("/sparql", params={"query": ROWS}, headers={"Accept": JSON}).json()
    cut = limited.get("/sparql", params={"query": ROWS}, headers={"Accept": JSON}).json()
    assert cut["results"]["bindings"] == full["results"]["bindings"][:3]
    assert cut["head"] == full["head"]


def test_rows_under_the_limit_are_not_flagged(limited: httpx.Client) -> None:
    response = limited.get("/sparql", params={"query": FEW}, headers={"Accept": JSON})
    assert len(response.json()["results"]["bindings"]) == 2
    assert "x-result-truncated" not in response.headers


def test_construct_triples_over_the_limit_are_cut(limited: httpx.Client) -> None:
    response = limited.get("/sparql", params={"query": TRIPLES}, headers={"Accept": "text/turtle"})
    assert response.headers["x-result-truncated"] == "true"
    assert len(list(ox.parse(response.content, ox.RdfFormat.TURTLE))) == 3


def test_limits_are_read_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """KG_MAX_QUERY_LENGTH=2000 refuses a 3000-byte query that the default (100,000) lets through.
    (The live servers of test_timeout and test_runtime show the workers of `kg serve` get the variables.)"""
    def ask(endpoint: httpx.Client, size: int) -> httpx.Response:
        return endpoint.post("/sparql", content=b"#" * size + b"\nASK {}",
                             headers={"Content-Type": "application/sparql-query"})

    monkeypatch.delenv("KG_MAX_QUERY_LENGTH", raising=False)
    with in_process(tmp_path / "store") as endpoint:
        assert ask(endpoint, 3000).status_code == 200
    monkeypatch.setenv("KG_MAX_QUERY_LENGTH", "2000")
    with in_process(tmp_path / "store") as endpoint:
        small, large = ask(endpoint, 1000), ask(endpoint, 3000)
    assert small.status_code == 200
    assert 400 <= large.status_code < 500 and "KG_MAX_QUERY_LENGTH" in large.text
