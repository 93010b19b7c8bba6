"""The same graph whatever runs it: one process, two worker processes, a two-worker Dask LocalCluster.

The Dask run is real (worker processes, forked holding the model); its shards are then taken again
by `--shards-only` without a cluster (every shard exists), and those shards loaded into a fresh store
give the same graph once more.
"""
from __future__ import annotations

import gc
import io
import json
from pathlib import Path

from kg.distributed import ingest_on_cluster
from kg.documents import Article
from kg.ingestion import ingest
from kg.load import load
from kg.namespaces import DEFAULT_BASE
from kg.store import KGStore
from tests.conftest import SAMPLES


def _nquads(store: KGStore) -> list[bytes]:
    out = io.BytesIO()
    store.export(out, "nquads")
    return sorted(out.getvalue().splitlines())


def test_one_worker_two_workers_and_a_dask_cluster_build_the_same_graph(sample_store, nlp, tmp_path: Path) -> None:
    one = _nquads(sample_store)  # ingested in this process, one worker (tests/conftest.py)
    samples = len(sample_store.documents())
    two = KGStore(tmp_path / "two")
    assert ingest([SAMPLES], two, DEFAULT_BASE, nlp=nlp, workers=2).documents == samples
    assert _nquads(two) == one

    on_dask = KGStore(tmp_path / "dask")
    report = ingest_on_cluster([SAMPLES], on_dask, DEFAULT_BASE, cluster="local:2", shards=tmp_path / "shards")
    assert report.documents == samples and not report.errors
    assert _nquads(on_dask) == one
    shards = sorted((tmp_path / "shards").glob("*.nq"))
    assert len(shards) >= 2  # the corpus went out as several tasks

    # every shard exists: no cluster is needed, nothing is extracted again
    before = {path: path.stat().st_mtime_ns for path in shards}
    only = ingest_on_cluster([SAMPLES], None, DEFAULT_BASE, cluster="tcp://127.0.0.1:1", shards=tmp_path / "shards")
    assert only.documents == samples and {path: path.stat().st_mtime_ns for path in shards} == before
    loaded = KGStore(tmp_path / "loaded")
    load(loaded, [Path(line) for line in (tmp_path / "shards" / "MANIFEST").read_text().splitlines()])
    assert _nquads(loaded) == one


def test_the_driver_lets_go_of_the_articles_it_sent(tmp_path: Path) -> None:
    """Every Dask comm keeps its recent messages. With Dask's default (1,000 batches) the driver of a local
    cluster, whose scheduler runs in it, held a copy of every task's articles until the ingest ended."""
    total = 120
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w") as out:
        for n in range(total):
            record = {
                "id": f"d{n}",
                "title": f"{n % 7 + 2} killed in Kandahar",
                "date": "2024-01-12",
                "url": f"https://example.org/news/{n}",
                "text": f"Gunmen killed {n % 7 + 2} people in Kandahar on Monday, police said. " * 4,
            }
            out.write(json.dumps(record) + "\n")
    alive: list[int] = []

    def progress(done: int, of: int) -> None:
        if done == of:  # the cluster is still up, and every task has been sent and answered
            gc.collect()
            alive.append(sum(type(obj) is Article for obj in gc.get_objects()))

    store = KGStore(tmp_path / "store")
    report = ingest_on_cluster(
        [corpus], store, DEFAULT_BASE, cluster="local:2", shards=tmp_path / "shards", chunk_size=1, progress=progress
    )
    assert report.documents == total and not report.errors
    # the plan holds each article once (a small corpus is not read twice), the comms the last few tasks'
    assert alive and alive[0] < total * 3 // 2, alive  # a copy of every article: 2 * total
