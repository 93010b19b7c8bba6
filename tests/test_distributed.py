"""The same graph whatever runs it: one process, two worker processes, a two-worker Dask LocalCluster.

The Dask run is real (worker processes, forked holding the model); its shards are then taken again
by `--shards-only` without a cluster (every shard exists), and those shards loaded into a fresh store
give the same graph once more.
"""
from __future__ import annotations

import io
from pathlib import Path

from kg.distributed import ingest_on_cluster
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
