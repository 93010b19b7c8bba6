"""Shared fixtures: the real spaCy model, a real Oxigraph store, a live `kg serve` on loopback."""
from __future__ import annotations

import gc
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, settings

# Property tests: bounded so `make test` stays quick; HYPOTHESIS_PROFILE=long runs 25 times as many examples.
_FUZZ = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                     HealthCheck.data_too_large]}
settings.register_profile("default", max_examples=200, **_FUZZ)
settings.register_profile("long", max_examples=5000, **_FUZZ)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

from kg import pipeline
from kg.ingestion import ingest
from kg.namespaces import DEFAULT_BASE
from kg.store import KGStore, is_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED_DATA = ROOT.parent / "shared" / "data"
KG = [sys.executable, "-m", "kg.cli"]
SAMPLE_ACTORS = ("Hamas", "Antony Blinken")  # labels any extraction of samples/ must find
SAMPLE_DOCS = (DEFAULT_BASE + "doc/gaza-hostages-freed-1124", DEFAULT_BASE + "doc/sudan-argeen-crossing-1108")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files marked heavy first (their order kept): `make test` hands files to its processes in
    this order, and a long one handed out last would leave the others idle while it runs."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)


# One HTTP client for the live servers of the whole session (it is thread-safe): `httpx.get` builds a
# client, and with it an SSL context that loads every CA certificate, at each call (20 s of a run).
HTTP = httpx.Client(timeout=30)


@pytest.fixture(scope="session")
def nlp():
    """The pipeline, loaded once per test process, and then, with everything imported so far, out of the
    garbage collector's reach: its full collections walked the model's 300,000 objects each time
    (78 collections, 17 s of a run of the suite)."""
    loaded = pipeline.load()
    gc.freeze()
    return loaded


def shared_file(name: str) -> Path:
    """A file of ../shared/data (never committed here): skipped where it is absent, except in CI."""
    path = SHARED_DATA / name
    if not path.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing; CI runs beside shared/")
        pytest.skip(f"{path} is not on this machine")
    return path


@pytest.fixture(scope="session")
def seed_article() -> Path:
    """The article this project was started from (../shared/data/seed-article.jsonl)."""
    return shared_file("seed-article.jsonl")


@pytest.fixture(scope="session")
def sample_store_dir(tmp_path_factory, nlp) -> Path:
    """A store built from the bundled sample articles, closed again so other processes may open it."""
    path = tmp_path_factory.mktemp("samples") / "store"
    store = KGStore(path)
    report = ingest([SAMPLES], store, DEFAULT_BASE, nlp=nlp)
    assert report.documents >= 5 and not report.errors
    store.close()
    return path


@pytest.fixture(scope="session")
def sample_store(sample_store_dir, tmp_path_factory) -> KGStore:
    """The sample graph, opened in this process (a copy, so a live server may hold the original)."""
    copy = tmp_path_factory.mktemp("samples-copy") / "store"
    shutil.copytree(sample_store_dir, copy)
    return KGStore(copy)


def ox_triples(triples) -> list[ox.Triple]:
    """Triples of rdflib terms, as the store takes them: pyoxigraph's."""
    from rdflib import BNode, Literal

    def term(t):
        if isinstance(t, Literal):
            if t.language:
                return ox.Literal(str(t), language=t.language)
            return ox.Literal(str(t), datatype=ox.NamedNode(t.datatype) if t.datatype else None)
        return ox.BlankNode(str(t)) if isinstance(t, BNode) else ox.NamedNode(str(t))

    return [ox.Triple(term(s), term(p), term(o)) for s, p, o in triples]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def numbered_store(path: Path, triples: int) -> None:
    """A store at `path` of `triples` triples <urn:sN> <urn:p> N: join it with itself for a runaway query."""
    store = ox.Store(str(path))
    store.extend(ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(i), ox.DefaultGraph())
                 for i in range(triples))
    store.flush()
    del store


def start_server(store: Path, env: dict[str, str] | None = None, workers: int = 2) -> tuple[subprocess.Popen, str]:
    """A live `kg serve` of `store` (2 workers, as by default; 1 where the test is about one worker)."""
    if not is_store(store):  # `kg serve` serves a store that exists; some tests start from an empty one
        KGStore(store).close()
    port = free_port()
    proc = subprocess.Popen(KG + ["serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port),
                                  "--workers", str(workers)],
                            env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"kg serve exited: {proc.stdout.read().decode()}")
        try:
            if HTTP.get(url + "/sparql?query=ASK{}", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("kg serve did not come up in 60 s")


@pytest.fixture(scope="session")
def server(sample_store_dir) -> Iterator[str]:
    """Base URL of a live `kg serve` over the sample store."""
    proc, url = start_server(sample_store_dir)
    yield url
    proc.terminate()
    proc.wait(10)


def worker_pids(server: subprocess.Popen) -> set[int]:
    """The worker processes of a `kg serve` (the children of its supervisor)."""
    pid = server.pid
    workers = set()
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            if b"--worker" in Path(f"/proc/{child}/cmdline").read_bytes():
                workers.add(int(child))
        except OSError:  # it exited in between
            continue
    return workers


UPDATE_TOKEN = "test-update-token-7f3a"


@contextmanager
def running_server(store: Path, env: dict[str, str] | None = None, workers: int = 2) -> Iterator[str]:
    """`start_server`, stopped again on exit."""
    proc, url = start_server(store, env, workers)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="session")
def writable_served(sample_store_dir, tmp_path_factory) -> Iterator[tuple[subprocess.Popen, str, Path]]:
    """A live `kg serve` that takes writes with UPDATE_TOKEN, over its own copy of the sample store:
    (the process, its URL, the store)."""
    copy = tmp_path_factory.mktemp("writable") / "store"
    shutil.copytree(sample_store_dir, copy)
    proc, url = start_server(copy, {"KG_UPDATE_TOKEN": UPDATE_TOKEN})
    yield proc, url, copy
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def writable_server(writable_served) -> str:
    """The URL of `writable_served`."""
    return writable_served[1]


@contextmanager
def in_process(store: Path, **settings: object) -> Iterator:
    """A Starlette TestClient on the app a `kg serve` worker runs (fast path included), over `store`."""
    import warnings

    with warnings.catch_warnings():  # Starlette would have us install httpx2; the TestClient works on httpx
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from kg.config import Settings
    from kg.server.app import create_app
    from kg.server.worker import FastQuery

    app = create_app(Settings(store=store, **settings))  # type: ignore[arg-type]
    with TestClient(FastQuery(app), raise_server_exceptions=False) as client:
        yield client


def _on_a_copy(sample_store_dir: Path, tmp_path_factory, name: str, **settings: object) -> Iterator:
    """`in_process` over a copy of the sample store of its own (writes in one never show in another)."""
    copy = tmp_path_factory.mktemp(name) / "store"
    shutil.copytree(sample_store_dir, copy)
    with in_process(copy, **settings) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def client(sample_store_dir, tmp_path_factory) -> Iterator:
    """The sample store in process, taking writes with UPDATE_TOKEN."""
    yield from _on_a_copy(sample_store_dir, tmp_path_factory, "in-process", update_token=UPDATE_TOKEN)


@pytest.fixture(scope="session")
def reader(sample_store_dir, tmp_path_factory) -> Iterator:
    """The sample store in process, with writes off (no update token)."""
    yield from _on_a_copy(sample_store_dir, tmp_path_factory, "reader")


@pytest.fixture(scope="session")
def writer(sample_store_dir, tmp_path_factory) -> Iterator:
    """The sample store in process, taking writes with UPDATE_TOKEN, apart from `client`'s copy."""
    yield from _on_a_copy(sample_store_dir, tmp_path_factory, "writer", update_token=UPDATE_TOKEN)


def run_kg(*args: object, env: dict[str, str] | None = None, text: bool = True) -> subprocess.CompletedProcess:
    """`kg ARGS` run in this process, through `kg.cli.main` as the console script runs it, with its own
    stdin, stdout, stderr and `env` on top of os.environ: what `subprocess.run(KG + ARGS)` gives, without
    a new Python and a new spaCy model each time. Keep `KG` in a subprocess where the test is about the
    process itself (a kill, a fork, a server)."""
    import gc

    from click.testing import CliRunner

    from kg import cli

    argv = ["kg", *map(str, args)]
    with CliRunner().isolation(env=env) as (out, err, _):
        saved, sys.argv = sys.argv, argv
        try:
            cli.main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.argv = saved
            sys.stdout.flush()
            sys.stderr.flush()
        stdout, stderr = out.getvalue(), err.getvalue()
    gc.collect()  # a command may leave its store to the process's exit: free its lock, as that exit would
    if text:
        return subprocess.CompletedProcess(argv, code, stdout.decode(), stderr.decode())
    return subprocess.CompletedProcess(argv, code, stdout, stderr)
