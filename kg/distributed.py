"""Ingest on a Dask cluster: chunks of articles extracted on the workers into N-Quads shards.

The driver reads the inputs as a stream (`kg.ingestion.plan`) and cuts them into chunks of consecutive
records, whatever reader yields them. Each chunk is a task: the worker loads the pipeline once
(`pipeline.load`, cached per process; a local cluster's workers are forked holding it), runs it over the
chunk and writes one shard,
`{chunk digest}-{extractor fingerprint}.nq`, holding the chunk's document graphs, beside it
`shared/{name}.nq` with the facts each document proposes for the shared graph. Both are written to a
temporary name and renamed, the shard last, so a shard that exists is complete: a re-run skips it, and
a task lost with its worker is simply run again by Dask.

The driver takes the shards in input order and stores them as a local ingest does
(`kg.ingestion.write`, `kg.ingestion.derive`), so the graph is the one a single machine builds. With
`shards_only` there is no store: the driver writes the shared graph (`entities.nq`), the ontology
(`ontology.nq`) and the events (`events.nq`) beside the shards, and `MANIFEST`, the files of the run,
for another store's bulk loader.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pyoxigraph as ox

from kg import events, formats, ontology, pipeline, rdf
from kg.documents import Article, ReadOptions
from kg.errors import InputError, RecordError
from kg.ingestion import Encoded, Report, derive, extract_safely, gather, start, write
from kg.namespaces import entities_graph, events_graph, node
from kg.store import KGStore, encode_graph, trim_freed_memory
from kg.writer import Writer

# the graphs derived from all documents, written beside the shards for another store's bulk loader
ENTITIES, ONTOLOGY, EVENTS = (f"{name}.{formats.WIRE.file_extension}" for name in ("entities", "ontology", "events"))

# Every Dask comm keeps its last messages for debugging (`distributed.admin.low-level-log-length`, 1,000
# batches). A client's messages carry the pickled chunks, and a local cluster's scheduler, which runs in
# this process, sends each worker its tasks' articles unpickled: the driver grew by the articles of every
# task until a comm had sent 1,000 batches (85 KB a task, 130 MB at 50,000 documents). A few are enough.
CLIENT = {"distributed.admin.low-level-log-length": 16}

# A local cluster's settings: its workers forked (also when restarted), and its diagnostics for a
# dashboard it does not start slowed to what a cluster that shares its cores with the extraction can spare:
# the statistical profiler off (every thread's stack every 10 ms), the event loops' health ticks, system
# and memory monitors at a second, not every 20, 500 and 100 ms.
LOCAL_CLUSTER = {
    **CLIENT,
    "distributed.worker.multiprocessing-method": "fork",
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "1s",
    "distributed.admin.system-monitor.disk": False,
    "distributed.worker.memory.monitor-interval": "1s",
}

CHUNK_SIZE = 32  # articles per task: enough for nlp.pipe's batches, small enough to keep workers busy


def shard_name(articles: list[Article], base: str, fingerprint: str) -> str:
    """`{digest of the chunk's content}-{fingerprint}.nq`: the same chunk extracted by the same code
    has the same name, so a shard that exists need not be made again."""
    digest = hashlib.sha256(base.encode())
    for article in articles:
        digest.update(rdf.content_hash(article, fingerprint).encode())
    return f"{digest.hexdigest()[:24]}-{fingerprint}.{formats.WIRE.file_extension}"


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def run_chunk(
    articles: list[Article], base: str, fingerprint: str, model: str | None, shards: str, name: str
) -> list[RecordError]:
    """A task: extract `articles` and write their shard. Returns the articles that failed."""
    # pipeline.load keeps the model per process: a worker loads it for its first task only
    graphs, errors = extract_safely(pipeline.load(model), articles, base, fingerprint)
    directory = Path(shards)
    shared = b"".join(encode_graph(graph.iri, graph.shared) for graph in graphs)
    _write_atomically(directory / "shared" / name, shared)
    _write_atomically(directory / name, b"".join(graph.nquads for graph in graphs))
    return errors


def read_shard(shards: Path, name: str) -> list[Encoded]:
    """The document graphs of a shard, in the order they were extracted, with their shared facts.

    A shard is its graphs' N-Quads one after the other, one quad a line, the graph IRI last (IRIs hold
    no spaces): the lines are grouped by it without parsing, and the writer parses each graph once."""
    by_graph: dict[bytes, list[bytes]] = {}
    for line in (shards / name).read_bytes().splitlines(keepends=True):
        if line.strip():
            by_graph.setdefault(line[line.rindex(b" <") + 2 : line.rindex(b">")], []).append(line)
    proposed: dict[str, list[rdf.Triple]] = {}
    for quad in ox.parse(path=shards / "shared" / name, format=formats.WIRE):
        proposed.setdefault(quad.graph_name.value, []).append(quad.triple)
    return [
        Encoded(node(iri.decode()), b"".join(lines), proposed.get(iri.decode(), [])) for iri, lines in by_graph.items()
    ]


@contextmanager
def client_for(cluster: str, model: str | None = None) -> Iterator:
    """A Dask client: `local:N` starts a LocalCluster of N single-threaded worker processes,
    `tcp://HOST:PORT` connects to a running scheduler.

    A local cluster's workers are forked from this process once it holds the pipeline, as a local
    ingest's are: each starts with the model in memory. Spawned, each imported everything and loaded the
    model again: 11 s before the first task on two workers, against 0.2 s."""
    import dask
    from dask.distributed import Client, LocalCluster

    if cluster.startswith("local:"):
        try:
            workers = int(cluster.removeprefix("local:"))
        except ValueError:
            raise InputError(f"Cluster {cluster!r}: local:N needs a number of workers.") from None
        pipeline.load(model)
        with (
            dask.config.set(LOCAL_CLUSTER),
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as local,
            Client(local) as client,
        ):
            yield client
    elif "://" in cluster:
        try:
            with dask.config.set(CLIENT):
                client = Client(cluster, timeout="30s")
        except OSError as exc:
            raise InputError(f"Cannot reach the Dask scheduler at {cluster!r}: {exc}") from None
        with client:
            yield client
    else:
        raise InputError(f"Cluster {cluster!r} is neither local:N nor a scheduler address (tcp://HOST:8786).")


def ingest_on_cluster(
    paths: list[Path],
    store: KGStore | None,
    base: str,
    *,
    cluster: str,
    shards: Path,
    model: str | None = None,
    force: bool = False,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int, int], None] | None = None,
    read_options: ReadOptions | None = None,
) -> Report:
    """Ingest `paths` on `cluster` through shards in `shards`; into `store`, or only the shards if None."""
    started = time.perf_counter()
    # with a store, what a killed run left unfinished goes first; else the shared graph is computed here
    writer = Writer.open(store, base) if store is not None else Writer(KGStore(), base)
    stored = store.content_hashes() if store is not None and not force else {}
    incidents = gather(store, base) if store is not None else None
    report, fingerprint, todo = start(paths, stored, base, model, read_options)
    (shards / "shared").mkdir(parents=True, exist_ok=True)
    total, done = len(todo.keep), 0
    names: list[str] = []  # this run's shards: a directory may also hold older ones
    if progress:
        progress(0, total)
    with ExitStack() as stack:
        window: deque = deque()
        clients: list = []  # the cluster starts with the first shard to make: a re-run may need none
        limit = 8

        def submit(chunk: list[Article], name: str):
            nonlocal limit
            if not clients:
                clients.append(stack.enter_context(client_for(cluster, model)))
                limit = 4 * max(1, len(clients[0].scheduler_info().get("workers", {})))  # tasks in flight
            return clients[0].submit(
                run_chunk,
                chunk,
                base,
                fingerprint,
                model,
                str(shards.resolve()),
                name,
                key=f"kg-chunk-{name}",
                retries=3,
            )

        def finish() -> None:
            nonlocal done
            chunk, name, future = window.popleft()
            if future is not None:
                report.errors.extend(future.result())
            graphs = read_shard(shards, name)
            if store is not None:
                write(writer, graphs, report, incidents)
            else:
                for graph in graphs:  # the shared facts alone, into the writer's store in memory
                    writer.add(graph.iri, b"", graph.shared)
                    report.documents += 1
                    report.triples += graph.nquads.count(b"\n")
            done += len(chunk)
            if progress:
                progress(done, total)

        size = max(1, min(chunk_size, total // 16))  # at least a few tasks a worker on a small corpus
        for chunk in todo.chunks(size) if todo.keep else ():
            name = shard_name(chunk, base, fingerprint)
            names.append(name)
            window.append((chunk, name, None if (shards / name).is_file() else submit(chunk, name)))
            if len(window) >= limit:
                finish()
        while window:
            finish()
    # A local cluster's scheduler and comms ran on threads of this process, and what they freed stays in
    # their arenas, which linking, on this thread, never reuses: the driver of a 50,000-document ingest
    # held 452 MB as the workers stopped, and linking took it to 520 MB. Trimmed first: 397, then 472 MB.
    writer.flush()
    trim_freed_memory()
    if store is not None:
        derive(store, base, incidents)
        store.flush()
    else:
        _write_shared(shards, writer.store, base, names)
    report.seconds = time.perf_counter() - started
    return report


def _write_shared(shards: Path, shared_graph: KGStore, base: str, names: list[str]) -> None:
    """entities.nq, ontology.nq and events.nq beside the shards: the graphs an ingest derives from all
    documents; and MANIFEST, the files of this run, one a line (the directory may hold shards of older
    runs). The events are linked over this run's shards, in a temporary store that is gone afterwards."""
    out = io.BytesIO()
    shared_graph.export(out, formats.WIRE, entities_graph(base))
    _write_atomically(shards / ENTITIES, out.getvalue())
    _write_atomically(shards / ONTOLOGY, ox.serialize(ontology.quads(), format=formats.WIRE) or b"")
    with tempfile.TemporaryDirectory(prefix="kg-events-") as work:
        store = KGStore(Path(work) / "store")
        for name in names:
            store.bulk_load(shards / name, formats.WIRE)
        store.bulk_load(shards / ENTITIES, formats.WIRE)
        events.link(store.ox, base)
        _write_atomically(
            shards / EVENTS,
            ox.serialize(store.ox.quads_for_pattern(None, None, None, events_graph(base)), format=formats.WIRE) or b"",
        )
        store.close()
    files = [*names, ENTITIES, ONTOLOGY, EVENTS]
    _write_atomically(shards / "MANIFEST", "".join(f"{shards / name}\n" for name in files).encode())


__all__ = ["CHUNK_SIZE", "client_for", "ingest_on_cluster", "read_shard", "run_chunk", "shard_name"]
