"""Lookups, the queries `/sparql` evaluates on the event loop: which they are, and that they skip the thread."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pytest

from kg.server import executor
from kg.server.limits import Limits
from kg.server.query_shape import shape_of

LOOKUPS = [
    "SELECT ?p ?o WHERE { <https://example.org/s> ?p ?o }",
    "ASK { <s> <p> <o> }",
    "SELECT ?o { <s> nkg:label ?o.}",
    "select*{nkg:x a ?t}",
    "PREFIX nkg: <https://w3id.org/newskg/ontology#>\nBASE <http://b/>\nSELECT DISTINCT * FROM <g> FROM NAMED <h> "
    "WHERE { nkg:x a ?t . } ORDER BY ?t LIMIT 10 OFFSET 5",
    "# a comment with a brace {\nSELECT ?o { <s#x> nkg:label ?o } # and one after",
]
NOT_LOOKUPS = {
    "variable subject": "SELECT ?s WHERE { ?s ?p ?o }",
    "blank node subject": "SELECT ?o WHERE { _:b ?p ?o }",
    "two patterns": "SELECT ?o WHERE { <s> ?p ?o . ?o ?q ?r }",
    "object list": "SELECT ?o WHERE { <s> ?p ?o, ?q }",
    "predicate list": "SELECT ?o WHERE { <s> ?p ?o ; ?q ?r }",
    "sequence path": "SELECT ?o WHERE { <s> <p>/<q> ?o }",
    "closure path": "SELECT ?o WHERE { <s> <p>* ?o }",
    "inverse path": "SELECT ?o WHERE { <s> ^<p> ?o }",
    "aggregate": "SELECT (COUNT(*) AS ?n) WHERE { <s> ?p ?o }",
    "group by": "SELECT ?o WHERE { <s> ?p ?o } GROUP BY ?o",
    "order by an expression": "SELECT ?o WHERE { <s> ?p ?o } ORDER BY DESC(?o)",
    "values": "SELECT ?o WHERE { <s> ?p ?o } VALUES ?o { 1 }",
    "filter": "SELECT ?o WHERE { <s> ?p ?o FILTER(?o) }",
    "literal": 'SELECT ?p WHERE { <s> ?p "x" }',
    "nested group": "SELECT ?o WHERE { { <s> ?p ?o } }",
    "service": "SELECT ?o WHERE { SERVICE <http://x> { <s> ?p ?o } }",
    "construct": "CONSTRUCT WHERE { <s> ?p ?o }",
    "commented-out brace": "SELECT ?o WHERE { <s> ?p ?o # }\n . ?o ?q ?r }",
    "many sort keys": "SELECT ?o WHERE { <s> ?p ?o } ORDER BY ?p ?o ?z ?y",
    "many projected variables": "SELECT ?p ?o ?x ?y WHERE { <s> ?p ?o }",
    "many FROM clauses": "SELECT ?o " + "FROM <g> " * 9 + "WHERE { <s> ?p ?o }",
}


@pytest.mark.parametrize("text", LOOKUPS)
def test_lookups(text: str) -> None:
    assert shape_of(text).lookup


@pytest.mark.parametrize("text", NOT_LOOKUPS.values(), ids=NOT_LOOKUPS.keys())
def test_not_lookups(text: str) -> None:
    assert not shape_of(text).lookup


@pytest.mark.parametrize("text", ["SELECT " + "?a" * 20_000 + " x", "PREFIX a: <x> " * 5_000 + "#" * 10_000,
                                  "SELECT " + "?aWHERE" * 5_000 + "{"])
@pytest.mark.timeout(20)  # milliseconds when linear; a regular expression that backtracks hangs, and fails here
def test_the_check_stays_linear_on_long_text(text: str) -> None:
    assert not shape_of(text).lookup


def test_a_lookup_is_answered_without_a_thread_and_anything_else_needs_one() -> None:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"), ox.DefaultGraph()))
    threads = ThreadPoolExecutor(1)
    threads.shutdown()  # a query handed to these threads fails

    def run(text: str) -> bytes:
        return asyncio.run(executor.execute(store, text, shape_of(text), accept="text/csv", limits=Limits(5, threads))).body

    assert run("SELECT ?o WHERE { <urn:s> <urn:p> ?o }") == b"o\r\no\r\n"
    with pytest.raises(RuntimeError, match="shutdown"):
        run("SELECT ?o WHERE { ?s <urn:p> ?o }")
