"""Crash tests: `kg ingest` and `kg load` killed with SIGKILL, then run again, give the graph an
uninterrupted run gives, and `kg validate` still conforms; after an ingest, the full-text index too
holds what an uninterrupted run's holds (its sync is a write point of its own).

Two kinds of kill:
- between every pair of writes, on purpose: KG_KILL_AT_WRITE=N makes the store SIGKILL its own
  process just before its Nth write (kg.config.kill_at_write). N runs 1, 2, ... until a run finishes
  without reaching N, so every point between two writes is reached once. The ingest writer (kg.writer)
  writes a batch of documents in four writes: the documents listed as pending, their graphs and shared
  facts in bulk, their marks, the list dropped; the runs go with one batch and with batches of two documents (KG_WRITE_BATCH), so that a kill also
  falls between two batches;
- at random moments, from outside (a seeded random delay, and for `kg load`, the moment the bulk
  loader's first storage file appears).

A bulk write killed midway leaves any part of what it was given in the store: the state after such a
kill is made directly, from random parts of a batch's bulk write, and a run again must finish it too.

A store that exports the same quads as the reference also validates as it does (`kg validate` reads
nothing but the quads), so `kg validate` runs once on each reference, not after every kill.

The killed runs are forked, so that they inherit the loaded model, which keeps this quick: the process
they fork from has run one ingest into a store in memory first, so each run starts warm (a cold one
took 1.2 s against 0.25 s, most of it reading dateparser's data and geonames' cities for the events,
each on first use). They fork from a spawned
process that never opens a store on disk itself: a process forked from one where RocksDB runs may
deadlock. One test does the same through the real `kg` command.
"""
from __future__ import annotations

import gc
import io
import json
import multiprocessing as mp
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import config, search
from kg.ingestion import ingest
from kg.load import load
from kg.namespaces import DEFAULT_BASE, NKG, entities_graph, pending_graph
from kg.store import KGStore
from kg.validate import validate_store
from tests.conftest import KG, SAMPLES, run_kg

pytestmark = pytest.mark.heavy


class Runner:
    """A spawned process holding the model, which forks a child per run and reports how it ended."""

    def __init__(self, warm_up: Path) -> None:
        self.conn, child = mp.get_context("spawn").Pipe()
        self.process = mp.get_context("spawn").Process(target=_serve, args=(child, warm_up), daemon=True)
        self.process.start()

    def start(self, kind: str, args: tuple, kill_at: int | None = None, batch: int | None = None) -> int:
        """Start a run (killed before write `kill_at`, writing `batch` documents at once); returns its pid."""
        self.conn.send((kind, args, kill_at, batch))
        return self.conn.recv()

    def wait(self) -> int:
        """The exit code of the run started last: 0, or -9 when it was killed."""
        assert self.conn.poll(120), "the run did not end"
        return self.conn.recv()

    def run(self, kind: str, args: tuple, kill_at: int | None = None, batch: int | None = None) -> int:
        self.start(kind, args, kill_at, batch)
        return self.wait()

    def close(self) -> None:
        self.conn.send(None)
        self.process.join(30)


def _serve(conn, warm_up: Path) -> None:
    from kg import pipeline

    nlp = pipeline.load()
    ingest([warm_up], KGStore(), DEFAULT_BASE, nlp=nlp)  # in memory: no RocksDB threads in this process
    gc.freeze()  # a child's full collections would walk the model's objects, and copy their pages
    while (request := conn.recv()) is not None:
        kind, args, kill_at, batch = request
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                if kill_at is not None:
                    os.environ["KG_KILL_AT_WRITE"] = str(kill_at)
                if batch is not None:
                    os.environ["KG_WRITE_BATCH"] = str(batch)
                    config.reload()
                if kind == "ingest":
                    _ingest(*args, nlp=nlp)
                else:
                    store = KGStore(args[0])
                    load(store, args[1])
                    store.close()
                code = 0
            finally:
                os._exit(code)
        conn.send(pid)
        _, status = os.waitpid(pid, 0)
        conn.send(-os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))


@pytest.fixture(scope="module")
def runner(corpus):
    running = Runner(corpus[0])
    yield running
    running.close()


def _sample_records(n: int) -> list[dict]:
    """The first `n` sample articles, each cut to its headline and first two paragraphs: what a run
    writes (documents, shared facts, events, the ontology) is all there, and it extracts quickly."""
    lines = (SAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines[:n]]
    return [dict(r, text="\n".join(r["text"].split("\n")[:3])) for r in records]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    """Two versions of three sample articles: the second shortens one, keeps one and replaces one,
    so that re-ingesting it rewrites graphs, leaves stale quads to remove and shared facts to prune."""
    work = tmp_path_factory.mktemp("crash-corpus")
    first = _sample_records(4)
    second = [dict(first[0], text=first[0]["text"][: len(first[0]["text"]) // 2]), first[1],
              dict(first[3], id=first[2]["id"])]
    paths = []
    for name, records in (("v1.jsonl", first[:3]), ("v2.jsonl", second)):
        path = work / name
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def _export(store_dir: Path) -> list[bytes]:
    store = KGStore(store_dir, create=False)
    out = io.BytesIO()
    store.export(out, "nquads")
    store.close()
    return sorted(out.getvalue().splitlines())


def _index(store_dir: Path) -> list[tuple]:
    """What the full-text index holds (kg.search): each document's title and text, each entity's label."""
    with closing(sqlite3.connect(search.index_of(store_dir))) as db:
        return sorted(db.execute("SELECT d.iri, d.published, t.title, t.body FROM documents d JOIN document_text t "
                                 "ON t.rowid = d.id").fetchall()) + sorted(db.execute(
            "SELECT e.iri, e.kind, t.label, t.aliases FROM entities e JOIN entity_text t ON t.rowid = e.id").fetchall())


def _conforms(store_dir: Path) -> bool:
    store = KGStore(store_dir, create=False)
    report = validate_store(store)
    store.close()
    return report.conforms and report.documents > 0


def _ingest(store_dir: Path, source: Path, force: bool = False, *, nlp) -> None:
    store = KGStore(store_dir)
    ingest([source], store, DEFAULT_BASE, nlp=nlp, force=force)
    store.close()


@pytest.fixture(scope="module")
def reference(corpus, nlp, tmp_path_factory) -> dict[str, list[bytes]]:
    """What uninterrupted runs give: v1 into an empty store; v1 then v2 with --force."""
    v1, v2 = corpus
    work = tmp_path_factory.mktemp("crash-reference")
    _ingest(work / "v1", v1, nlp=nlp)
    _ingest(work / "v2", v1, nlp=nlp)
    _ingest(work / "v2", v2, True, nlp=nlp)
    assert _conforms(work / "v1") and _conforms(work / "v2")  # so does every store that exports the same
    return {"v1": _export(work / "v1"), "v2": _export(work / "v2"),
            "v1 index": _index(work / "v1"), "v2 index": _index(work / "v2")}


@pytest.fixture(scope="module")
def older(corpus, nlp, tmp_path_factory) -> Path:
    """A store holding v1, closed: copied as the store that `--force` v2 goes over."""
    store_dir = tmp_path_factory.mktemp("crash-older") / "store"
    _ingest(store_dir, corpus[0], nlp=nlp)
    return store_dir


def _prepare(store_dir: Path, corpus, older: Path, scenario: str) -> tuple[Path, bool]:
    """The store before the run that gets killed, and that run's source and --force."""
    v1, v2 = corpus
    if scenario == "v1":
        return v1, False
    shutil.copytree(older, store_dir)
    return v2, True


@pytest.mark.parametrize(("scenario", "batch"), [pytest.param("v1", None, id="into-an-empty-store"),
                                               pytest.param("v1", 2, id="into-an-empty-store-two-batches"),
                                               pytest.param("v2", None, id="force-over-an-older-version")])
def test_ingest_killed_before_each_write_then_run_again_gives_the_same_graph(
        scenario, batch, corpus, reference, older, nlp, runner, tmp_path: Path) -> None:
    kill_at, killed = 0, 0
    while True:
        kill_at += 1
        store_dir = tmp_path / f"store-{kill_at}"
        source, force = _prepare(store_dir, corpus, older, scenario)
        exitcode = runner.run("ingest", (store_dir, source, force), kill_at, batch)
        if exitcode == 0:  # the run had fewer writes than kill_at: every point was reached
            break
        assert exitcode == -signal.SIGKILL, f"write {kill_at}: exit code {exitcode}"
        killed += 1
        _ingest(store_dir, source, nlp=nlp)  # the re-run, without --force
        assert _export(store_dir) == reference[scenario], f"killed before write {kill_at}"
        assert _index(store_dir) == reference[f"{scenario} index"], f"killed before write {kill_at}: the index"
    assert killed >= 4  # the documents, the shared graph's pruning, the ontology: several writes


@pytest.mark.parametrize("scenario", [pytest.param("v1", id="into-an-empty-store"),
                                      pytest.param("v2", id="force-over-an-older-version")])
def test_ingest_killed_at_random_moments_then_run_again_gives_the_same_graph(
        scenario, corpus, reference, older, nlp, runner, tmp_path: Path) -> None:
    chance = random.Random(f"10 {scenario}")
    started = time.perf_counter()
    assert runner.run("ingest", (tmp_path / "timed", corpus[1], False)) == 0  # how long a run takes here
    duration = time.perf_counter() - started
    for attempt in range(3):
        store_dir = tmp_path / f"store-{attempt}"
        source, force = _prepare(store_dir, corpus, older, scenario)
        pid = runner.start("ingest", (store_dir, source, force))
        time.sleep(chance.uniform(0, duration))
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it had finished already
        runner.wait()
        _ingest(store_dir, source, attempt % 2 == 1, nlp=nlp)  # re-run with and without --force
        assert _export(store_dir) == reference[scenario], f"attempt {attempt}"
        assert _index(store_dir) == reference[f"{scenario} index"], f"attempt {attempt}: the index"


@pytest.mark.parametrize("seed", range(4))
def test_a_bulk_write_killed_midway_then_run_again_gives_the_same_graph(
        seed, corpus, reference, nlp, tmp_path: Path) -> None:
    """What a kill inside the bulk loader leaves: a random part of the batch's documents' graphs (never
    their marks, which come after) and of their shared facts, and one of its storage files."""
    _ingest(tmp_path / "reference", corpus[0], nlp=nlp)
    reference_store = KGStore(tmp_path / "reference", create=False)
    documents = set(reference_store.documents())
    mark = ox.NamedNode(NKG.contentHash)
    bulk = [q for q in reference_store.ox
            if (q.graph_name.value in documents and q.predicate != mark) or q.graph_name == entities_graph(DEFAULT_BASE)]
    reference_store.close()
    chance = random.Random(seed)
    part = [q for q in bulk if chance.random() < 0.5]
    store_dir = tmp_path / "store"
    store = KGStore(store_dir)
    listed = [ox.Quad(ox.NamedNode(d), mark, ox.Literal(""), pending_graph(DEFAULT_BASE)) for d in documents]
    store.ox.extend([*listed, *part])  # the writer lists the batch's documents before its bulk write
    store.close()
    (store_dir / "bulk-0000000000.sst").write_bytes(b"half a storage file")
    _ingest(store_dir, corpus[0], nlp=nlp)
    assert _export(store_dir) == reference["v1"] and not _orphans(store_dir)
    assert _index(store_dir) == reference["v1 index"]


def test_kg_ingest_killed_midway_then_run_again_gives_the_same_graph(corpus, reference, tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    # batches of two documents, four writes each (listed, bulk, marks, list dropped): killed before the
    # second batch's bulk write (its documents listed), the first is done
    killed = subprocess.run(KG + ["ingest", str(corpus[0]), "--store", store], capture_output=True, text=True,
                            timeout=300, env={**os.environ, "KG_KILL_AT_WRITE": "6", "KG_WRITE_BATCH": "2"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    again = run_kg("ingest", corpus[0], "--store", store)  # the run again needs no process of its own
    assert again.returncode == 0 and "1 document ingested (2 unchanged)" in again.stderr, again.stderr
    exported = run_kg("export", "--store", store, text=False)
    assert sorted(exported.stdout.splitlines()) == reference["v1"]
    assert _index(tmp_path / "store") == reference["v1 index"]


# kg load ----------------------------------------------------------------------------------------------

def _dump(path: Path, quads: int, seed: int) -> Path:
    with path.open("w") as out:
        for i in range(quads):
            out.write(f'<http://example.com/s{seed}-{i}> <http://example.com/p{i % 7}> "value {i}" '
                      f"<http://example.com/g{i % 50}> .\n")
    return path


def _dumps(work: Path, big: int) -> list[Path]:
    small = work / "small.ttl"
    small.write_text("<http://example.com/a> <http://example.com/p> <http://example.com/b> .\n")
    return [_dump(work / "one.nq", 2000, 1), small, _dump(work / "two.nquads", big, 2)]


def _loaded(dumps: list[Path], store_dir: Path) -> list[bytes]:
    store = KGStore(store_dir)
    load(store, dumps)
    store.close()
    return _export(store_dir)


@pytest.fixture(scope="module")
def dumps(tmp_path_factory) -> list[Path]:
    """Three files, the last big enough that a kill from outside can land while it loads."""
    return _dumps(tmp_path_factory.mktemp("crash-dumps"), 50_000)


@pytest.fixture(scope="module")
def loaded(dumps, tmp_path_factory) -> list[bytes]:
    return _loaded(dumps, tmp_path_factory.mktemp("crash-load") / "store")


@pytest.fixture(scope="module")
def small_dumps(tmp_path_factory) -> list[Path]:
    """The same three files, smaller: the writes (one bulk load a file) do not depend on the size."""
    return _dumps(tmp_path_factory.mktemp("crash-small-dumps"), 3000)


@pytest.fixture(scope="module")
def small_loaded(small_dumps, tmp_path_factory) -> list[bytes]:
    return _loaded(small_dumps, tmp_path_factory.mktemp("crash-small-load") / "store")


def _orphans(store_dir: Path) -> list[Path]:
    return sorted(store_dir.glob("bulk-*"))


def test_load_killed_before_each_write_then_run_again_gives_the_same_graph(small_dumps, small_loaded, runner,
                                                                          tmp_path: Path) -> None:
    kill_at = 0
    while True:
        kill_at += 1
        store_dir = tmp_path / f"store-{kill_at}"
        exitcode = runner.run("load", (store_dir, small_dumps), kill_at)
        if exitcode == 0:
            break
        assert exitcode == -signal.SIGKILL
        store = KGStore(store_dir)
        load(store, small_dumps)
        store.close()
        assert _export(store_dir) == small_loaded and not _orphans(store_dir), f"killed before write {kill_at}"
    assert kill_at == len(small_dumps) + 1  # one bulk load per file


@pytest.mark.parametrize("moment", [pytest.param("first-storage-file", id="as-the-first-storage-file-appears"),
                                    pytest.param(0.5, id="random-delay")])
def test_kg_load_killed_midway_then_run_again_leaves_no_orphans(dumps, loaded, tmp_path: Path, moment) -> None:
    store_dir = tmp_path / "store"
    command = KG + ["load", *map(str, dumps), "--store", str(store_dir)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    if moment == "first-storage-file":
        while not _orphans(store_dir) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert process.poll() is None, "the load finished before a storage file could be seen"
    else:
        time.sleep(random.Random(str(moment)).uniform(0, 2 * float(moment)))
    process.send_signal(signal.SIGKILL)
    process.wait(60)
    again = run_kg(*command[len(KG):])
    assert again.returncode == 0, again.stderr
    assert not _orphans(store_dir)
    assert _export(store_dir) == loaded
