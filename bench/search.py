"""Full-text search: what the index costs an ingest, and how fast it answers on a 10k-document store.

    .venv/bin/python bench/search.py [DATA.jsonl] [--limit 300] [--runs 3] [--documents 10000] [--queries 200]

1. Indexing cost. `kg ingest` in-process (one model, loaded once) of `--limit` real articles into a
   fresh store, with the index (as it ships) and with `kg.search.sync` made a no-op, run in turn
   `--runs` times so that the machine's load hits both alike; best of each, wall and CPU. The ratio
   of the two is the cost; beside it, the seconds `sync` itself took inside the indexed runs.
2. The index on a 10k-document store. The documents are bench/events.py's made-up local news (each
   a title, a text of some 300 words, incidents, victims, officials), bulk-loaded as an ingest would
   leave them. Measured: the index built from nothing, against the bulk load of the same quads; a
   re-sync after 100 new documents, against a sync with nothing new (what every ingest pays).
3. Search latency on that store, per kind of query (a word every report uses, a word of one
   happening alone, a phrase, a prefix, two words OR'd), `--queries` of each: `kg.search.search`
   (20 hits), `/search?q=&format=json` and a SPARQL `text:query` joined with the graph over HTTP, both
   in-process on the app `kg serve` runs (Starlette's TestClient). p50 and p99 in milliseconds.

Prints Markdown tables; bench/README.md "Search" keeps them.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from kg import ingestion, pipeline, search  # noqa: E402
from kg.namespaces import DEFAULT_BASE  # noqa: E402
from kg.store import KGStore  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "gva-dev.jsonl"


def _world():
    """bench/events.py, for its made-up documents."""
    spec = importlib.util.spec_from_file_location("bench_events", ROOT / "bench" / "events.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def indexing_cost(data: Path, limit: int, runs: int, work: Path) -> None:
    lines = [line for line in open(data, encoding="utf-8") if line.strip()][:limit]
    source = work / "docs.jsonl"
    source.write_text("".join(lines), encoding="utf-8")
    nlp = pipeline.load()
    real_sync = search.sync
    in_sync: list[float] = []

    def timed_sync(*args, **kwargs):
        start = time.perf_counter()
        try:
            return real_sync(*args, **kwargs)
        finally:
            in_sync.append(time.perf_counter() - start)

    def run(indexed: bool) -> tuple[float, float]:
        shutil.rmtree(work / "store", ignore_errors=True)
        search.sync = timed_sync if indexed else (lambda *a, **k: search.SyncReport())
        try:
            start, start_cpu = time.perf_counter(), time.process_time()
            ingestion.ingest([source], KGStore(work / "store"), DEFAULT_BASE, nlp=nlp)
            return time.perf_counter() - start, time.process_time() - start_cpu
        finally:
            search.sync = real_sync

    run(True)  # warm: the model's first documents, the gazetteer's tables
    in_sync.clear()
    with_index, without = [], []
    for _ in range(runs):
        with_index.append(run(True))
        without.append(run(False))
    (w_wall, w_cpu), (o_wall, o_cpu) = map(lambda r: (min(x for x, _ in r), min(y for _, y in r)), (with_index, without))
    run(True)
    size = (work / "store" / "search.sqlite").stat().st_size
    print(f"### Indexing cost: `kg ingest` of {len(lines)} articles from {data.name}, best of {runs}, "
          f"model {pipeline.model_name()}, {os.cpu_count()} cores\n")
    print("| ingest | wall s | CPU s | documents/s |")
    print("|---|---:|---:|---:|")
    print(f"| without the index | {o_wall:.2f} | {o_cpu:.2f} | {len(lines) / o_wall:.1f} |")
    print(f"| with the index | {w_wall:.2f} | {w_cpu:.2f} | {len(lines) / w_wall:.1f} |")
    print(f"\nwith / without: **{w_wall / o_wall:.3f}x** wall, **{w_cpu / o_cpu:.3f}x** CPU; "
          f"`search.sync` itself took {min(in_sync):.3f} s (median {statistics.median(in_sync):.3f} s) of each "
          f"indexed ingest: {min(in_sync) / w_wall:.1%}; index {size / 1e6:.1f} MB\n")


def _store(world, records: list[dict], path: Path, work: Path) -> float:
    """A store of `records` on disk, bulk-loaded; the seconds the load took."""
    nq = work / "docs.nq"
    world.write(records, nq, DEFAULT_BASE)
    shutil.rmtree(path, ignore_errors=True)
    store = ox.Store(str(path))
    start = time.perf_counter()
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    store.flush()
    return time.perf_counter() - start


def _queries(records: list[dict], n: int, rng: random.Random) -> dict[str, list[str]]:
    common = sorted({w for r in records for w in r["words"][:10]})
    picks = [rng.choice(records) for _ in range(n)]
    return {
        "a common word": [rng.choice(common) for _ in range(n)],
        "a rare word": [r["words"][10 + rng.randrange(15)] for r in picks],
        '"a phrase"': ['"' + " ".join(r["words"][i : i + 2]) + '"' for r in picks for i in [rng.randrange(24)]],
        "prefix*": [r["words"][12][:4] + "*" for r in picks],
        "two words OR'd": [f"{r['words'][11]} OR {r['words'][13]}" for r in picks],
    }


def _percentiles(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    return ordered[len(ordered) // 2] * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


SPARQL = """PREFIX text: <https://w3id.org/newskg/text#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX nkg: <https://w3id.org/newskg/ontology#>
SELECT ?doc ?score ?title ?place WHERE {{
  (?doc ?score) text:query ({query!r} 20) .
  ?doc dcterms:title ?title .
  OPTIONAL {{ GRAPH ?doc {{ ?doc nkg:mainIncident ?i . ?i nkg:place ?place }} }}
}} ORDER BY DESC(?score)"""


def latency(documents: int, n: int, work: Path) -> None:
    world = _world()
    records = world.make_world(documents + 100, seed=documents)
    old, new = records[:documents], records[documents:]
    path = work / "store10k"
    load_s = _store(world, old, path, work)
    store = ox.Store(str(path))
    index = search.index_of(path)
    start = time.perf_counter()
    report = search.sync(store, index)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    search.sync(store, index)
    idle_s = time.perf_counter() - start
    nq = work / "new.nq"
    world.write(new, nq, DEFAULT_BASE)
    store.load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    start = time.perf_counter()
    added = search.sync(store, index)
    new_s = time.perf_counter() - start
    store.flush()
    quads = len(store)
    del store
    print(f"### The index on {documents:,} documents ({quads:,} quads; bench/events.py's made-up local news)\n")
    print("| step | seconds | vs the store's bulk load |")
    print("|---|---:|---:|")
    print(f"| bulk load of the quads (reference) | {load_s:.2f} | 1.00x |")
    print(f"| index built from nothing ({report.indexed:,} documents, {report.entities:,} entities) | "
          f"{build_s:.2f} | {build_s / load_s:.2f}x |")
    print(f"| sync with nothing new (every ingest pays it) | {idle_s:.2f} | {idle_s / load_s:.2f}x |")
    print(f"| sync after {added.indexed} new documents | {new_s:.2f} | {new_s / load_s:.2f}x |")
    print(f"\nindex {index.stat().st_size / 1e6:.1f} MB\n")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from kg.config import Settings
    from kg.server.app import create_app
    from kg.server.worker import FastQuery

    kinds = _queries(records, n, random.Random(7))
    rows = []
    with TestClient(FastQuery(create_app(Settings(store=path)))) as client:
        for kind, queries in kinds.items():
            lib, http, sparql, found = [], [], [], []
            for q in queries:
                start = time.perf_counter()
                found.append(search.search(index, q, limit=20).total)
                lib.append(time.perf_counter() - start)
                start = time.perf_counter()
                response = client.get("/search", params={"q": q, "format": "json"})
                http.append(time.perf_counter() - start)
                assert response.status_code == 200, response.text
                start = time.perf_counter()
                response = client.post("/sparql", data={"query": SPARQL.format(query=q)},
                                       headers={"Accept": "application/sparql-results+json"})
                sparql.append(time.perf_counter() - start)
                assert response.status_code == 200, response.text
            rows.append((kind, statistics.median(found), _percentiles(lib), _percentiles(http), _percentiles(sparql)))
    print(f"### Search latency on {documents:,} documents, {n} queries of each kind, in ms\n")
    print("| query | median matches | `search.search` p50 | p99 | `/search` JSON p50 | p99 | SPARQL `text:query` p50 | p99 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind, matches, (lp50, lp99), (hp50, hp99), (sp50, sp99) in rows:
        print(f"| {kind} | {matches:,.0f} | {lp50:.2f} | {lp99:.2f} | {hp50:.2f} | {hp99:.2f} | {sp50:.2f} | {sp99:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-ingest", action="store_true", help="Only the 10k store and its latency.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-search-") as work:
        if not args.skip_ingest:
            indexing_cost(args.data, args.limit, args.runs, Path(work))
        latency(args.documents, args.queries, Path(work))


if __name__ == "__main__":
    main()
