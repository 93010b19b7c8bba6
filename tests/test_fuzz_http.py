"""HTTP fuzz of /sparql, /store, /entity and /.well-known/void: random and malformed methods, headers,
parameters and bodies get an answer, never a 500, and no answer shows a traceback (issue 10).

In-process (TestClient on the app a worker runs, the fast path included), over a copy of the
sample store that takes writes. 200 examples an endpoint; HYPOTHESIS_PROFILE=long for 5,000.
A live server gets a shorter run of raw, malformed requests on sockets, where a dropped
connection would show.
"""
from __future__ import annotations

import shutil
import socket
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import UPDATE_TOKEN, in_process

METHODS = st.one_of(st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"]),
                    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ-_", min_size=1, max_size=12))
SPARQL_BITS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "INSERT", "DELETE", "DATA", "WHERE", "GRAPH", "SERVICE",
               "LOAD", "CLEAR", "DROP", "ALL", "PREFIX", "BASE", "FROM", "NAMED", "USING", "WITH", "FILTER",
               "OPTIONAL", "UNION", "LIMIT", "{", "}", "(", ")", "[", "]", "<", ">", "?s", "?p", "?o", "*", ".",
               ";", ",", '"', "'", "#", "nkg:", "rdfs:label", "<urn:x>", "<http://127.0.0.1/>", '"\\u0000"', "1e999",
               "\\", "%", "\u0000", "\ufffd", "\U0001f600", "a", "COUNT(*)", "AS", "GROUP BY", "VALUES", "\n"]
SPARQL = st.lists(st.sampled_from(SPARQL_BITS), max_size=30).map(" ".join)
TEXT = st.one_of(SPARQL, st.text(max_size=60))
PARAM_NAMES = ["query", "update", "default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri",
               "graph", "default", "iri"]
PARAMS = st.lists(st.tuples(st.one_of(st.sampled_from(PARAM_NAMES), st.text(max_size=8)), TEXT), max_size=4)
LATIN1 = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=80)
MEDIA = ["application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded",
         "text/turtle", "application/n-triples", "application/n-quads", "application/ld+json", "application/rdf+xml",
         "application/trig", "multipart/form-data; boundary=x", "multipart/form-data", "text/plain",
         "application/sparql-results+json", "text/csv", "*/*", "x/y", "", ";;;", "text/turtle; charset=latin-1",
         "application/sparql-query; charset=utf-16", "text/html;q=0.5, */*;q=0", "application/json;q=abc"]
HEADER_VALUE = st.one_of(st.sampled_from(MEDIA), LATIN1)
HEADERS = st.fixed_dictionaries({}, optional={
    "Accept": HEADER_VALUE, "Content-Type": HEADER_VALUE, "Origin": st.sampled_from(["http://a.example", "null"]),
    "Authorization": st.one_of(st.just(f"Bearer {UPDATE_TOKEN}"), LATIN1),
    "Content-Encoding": st.sampled_from(["gzip", "x"]), "Range": LATIN1})
BODY = st.one_of(st.binary(max_size=300), TEXT.map(str.encode),
                 st.sampled_from([b"<urn:a> <urn:b> <urn:c> .", b"query=ASK%7B%7D", b"update=CLEAR%20ALL",
                                  b"--x\r\nContent-Type: text/turtle\r\n\r\n<a> <b> <c> .\r\n--x--\r\n",
                                  b"\xff\xfe\x00", b"%ZZ=%ZZ"]))
STORE_PATHS = st.one_of(st.just("/store"), st.text(max_size=20).map(lambda p: "/store/" + quote(p, safe="")),
                        st.sampled_from(["/store/%22", "/store/%ZZ", "/store/a|b", "/store/..%2F..%2Fetc",
                                         "/store/%00", "/store/a b", "/store//x"]))


@pytest.fixture(scope="module")
def fuzzed(sample_store_dir: Path, tmp_path_factory):
    copy = tmp_path_factory.mktemp("fuzz") / "store"
    shutil.copytree(sample_store_dir, copy)
    with in_process(copy, update_token=UPDATE_TOKEN, query_timeout=10.0) as client:
        yield client


def check(client, method: str, path: str, params: list, headers: dict, body: bytes) -> None:
    raw_headers = {name: value.encode("latin-1") for name, value in headers.items()}
    response = client.request(method, path, params=params, headers=raw_headers, content=body if body else None)
    assert response.status_code != 500 and response.status_code < 600, (response.status_code, response.text)
    if response.status_code == 503:  # only a timeout or a busy store may refuse that way
        assert "timed out" in response.text or "being written" in response.text, response.text
    assert "Traceback" not in response.text and 'File "' not in response.text, response.text


@given(method=METHODS, params=PARAMS, headers=HEADERS, body=BODY)
def test_sparql(fuzzed, method: str, params: list, headers: dict, body: bytes) -> None:
    check(fuzzed, method, "/sparql", params, headers, body)


@given(method=METHODS, path=STORE_PATHS, params=PARAMS, headers=HEADERS, body=BODY)
def test_store(fuzzed, method: str, path: str, params: list, headers: dict, body: bytes) -> None:
    check(fuzzed, method, path, params, headers, body)


@given(method=METHODS, iri=st.one_of(TEXT, st.sampled_from(["https://w3id.org/newskg/id/person/antony-blinken",
                                                            "urn:x", "http://a b", "", "<urn:x>"])),
       params=PARAMS, headers=HEADERS, body=BODY)
def test_entity(fuzzed, method: str, iri: str, params: list, headers: dict, body: bytes) -> None:
    check(fuzzed, method, "/entity", [("iri", iri), *params], headers, body)


@given(method=METHODS, params=PARAMS, headers=HEADERS, body=BODY,
       host=st.one_of(st.just("127.0.0.1"), st.text("abcdefghijklmnopqrstuvwxyz0123456789.-:[]%@", max_size=30)))
def test_void(fuzzed, method: str, params: list, headers: dict, body: bytes, host: str) -> None:
    check(fuzzed, method, "/.well-known/void", params, {**headers, "Host": host}, body)


RAW = [
    b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nAccept: \xff\xfe\r\n\r\n",
    b"GET /sparql?query=%ZZ HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /sparql?query=%C3%28 HTTP/1.1\r\nHost: x\r\n\r\n",  # not UTF-8 once decoded
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 3\r\n\r\nASK",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: 6\r\n\r\nquery=",
    b"GET /store/%22 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /entity?iri=%00 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /.well-known/void HTTP/1.1\r\nHost: [::1\r\n\r\n",
    b"GET /.well-known/void HTTP/1.1\r\nHost: \r\n\r\n",
    b"GET /sparql?" + b"query=" + b"%7B" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
]


@pytest.mark.parametrize("request_bytes", RAW, ids=range(len(RAW)))
def test_raw_requests_to_a_live_server_get_an_answer(server: str, request_bytes: bytes) -> None:
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(request_bytes)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            assert chunk, f"connection dropped without an answer to {request_bytes[:80]!r}"
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    assert status != 500 and status < 600, answer[:300]
    assert b"Traceback" not in answer
