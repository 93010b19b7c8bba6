"""What the protocol layer costs per request, in-process, against bare pyoxigraph in the same run.

    .venv/bin/python bench/protocol.py [--triples N] [--repeat R]

Builds an in-memory store shaped like ours (one named graph per document), then times, per request:
- the reference: `store.query(...)` + `serialize(JSON)`, nothing else;
- `executor.evaluate` with the query's shape (`query_shape.shape_of`: form, FROM, SERVICE/LOAD, lookup,
  in one pass; dataset options, Accept negotiation, Oxigraph serialization, the row-limit bound) and
  the protocol parsing of a GET (`protocol.read_get`);
- the row-limit slow path: a result over `max_rows`, counted and cut, against the same result uncut, for a
  plain scan and for a costly query (a join, a regex FILTER, ORDER BY), whose evaluation dominates;
- the SERVICE guard when the word is present (rdflib parse), the only per-request Python parsing.
Prints a Markdown table for bench/README.md.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
from starlette.requests import Request

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.config import Settings  # noqa: E402
from kg.server import executor, protocol, security  # noqa: E402
from kg.server.query_shape import shape_of  # noqa: E402

BASE = "https://w3id.org/newskg/id/"
NKG = "https://w3id.org/newskg/ontology#"
POINT = f"SELECT ?o WHERE {{ <{BASE}entity/17> ?p ?o }}"
BIG = f"SELECT ?s ?o WHERE {{ ?s <{NKG}value> ?o }}"
COSTLY = (f"SELECT ?s ?o ?l WHERE {{ ?s <{NKG}value> ?o . ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l "
          'FILTER(REGEX(?l, "[0-9]{2}$")) } ORDER BY DESC(?l)')
SERVICE = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
ACCEPT = "application/sparql-results+json,*/*;q=0.9"


def build(triples: int) -> ox.Store:
    store = ox.Store()
    quads = []
    for i in range(triples // 4):
        graph = ox.NamedNode(f"{BASE}doc/{i // 50}")
        entity = ox.NamedNode(f"{BASE}entity/{i}")
        quads += [ox.Quad(entity, ox.NamedNode(NKG + "value"), ox.Literal(str(i), datatype=ox.NamedNode(
                      "http://www.w3.org/2001/XMLSchema#integer")), graph),
                  ox.Quad(entity, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                          ox.NamedNode(NKG + "Person"), graph),
                  ox.Quad(entity, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                          ox.Literal(f"Person {i}"), graph),
                  ox.Quad(entity, ox.NamedNode(NKG + "mention"), ox.NamedNode(f"{BASE}doc/{i // 50}#offset_0_5"),
                          graph)]
    store.bulk_extend(quads)
    return store


def get_request(query: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/sparql", "root_path": "", "scheme": "http",
                    "query_string": urlencode({"query": query}).encode(), "server": ("127.0.0.1", 8000),
                    "headers": [(b"host", b"127.0.0.1:8000"), (b"accept", ACCEPT.encode())]})


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median microseconds of `fn` over `repeat` calls (after one warm-up call)."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--triples", type=int, default=400_000)
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    store = build(args.triples)
    settings = Settings(store=Path("unused"))
    big_rows = args.triples // 4
    limit = big_rows // 2
    costly_rows = sum(1 for _ in store.query(COSTLY, use_default_graph_as_union=True))

    def bare(query: str) -> Callable[[], object]:
        return lambda: store.query(query, use_default_graph_as_union=True).serialize(
            format=ox.QueryResultsFormat.JSON)

    def ours(query: str, max_rows: int) -> Callable[[], object]:
        def run() -> object:
            request = protocol.read_get(get_request(query), settings)
            return executor.evaluate(store, request.text, shape_of(request.text), accept=ACCEPT,
                                     dataset=request.dataset, union=True, base_iri="http://127.0.0.1:8000/sparql",
                                     max_rows=max_rows)
        return run

    rows = [
        ("point query, bare pyoxigraph (reference)", timed(bare(POINT), args.repeat)),
        ("point query, read_get + evaluate", timed(ours(POINT, 100_000), args.repeat)),
        ("read_get alone", timed(lambda: protocol.read_get(get_request(POINT), settings), args.repeat)),
        ("query shape (one pass), SERVICE/LOAD absent", timed(lambda: shape_of(POINT), args.repeat)),
        ("SERVICE guard, word present (rdflib parse)", timed(lambda: _refused(SERVICE), 200)),
        (f"{big_rows} rows, bare pyoxigraph (reference)", timed(bare(BIG), 5)),
        (f"{big_rows} rows, evaluate, limit {big_rows + 1} (not cut)", timed(ours(BIG, big_rows + 1), 5)),
        (f"{big_rows} rows, evaluate, limit {limit} (cut)", timed(ours(BIG, limit), 5)),
        (f"{costly_rows} rows of a costly query, bare pyoxigraph (reference)", timed(bare(COSTLY), 5)),
        (f"{costly_rows} rows of a costly query, evaluate, limit {costly_rows + 1} (not cut)",
         timed(ours(COSTLY, costly_rows + 1), 5)),
        (f"{costly_rows} rows of a costly query, evaluate, limit {costly_rows // 2} (cut)",
         timed(ours(COSTLY, costly_rows // 2), 5)),
    ]
    print(f"| {args.triples} triples, in-process | µs per request (median) | × reference |")
    print("|---|---:|---:|")
    for name, micros in rows:
        if "(reference)" in name:
            reference = micros
        print(f"| {name} | {micros:,.1f} | {micros / reference:.2f} |")


def _refused(query: str) -> None:
    try:
        security.check_query(query, base_iri=None, allow=())
    except security.OutboundRefused:
        pass


if __name__ == "__main__":
    main()
