"""kg.server.snapshots, limits, worker and supervisor: snapshots that make writes visible to every worker, the
timeout, and the worker supervisor."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox
import pytest

from kg.errors import StoreError
from kg.server.limits import bounded
from kg.server.snapshots import Snapshots
from kg.server.errors import BadRequest, QueryTimedOut
from kg.store import KGStore
from tests.conftest import HTTP, KG, UPDATE_TOKEN, start_server, worker_pids

S, P = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
FIRST = ox.Quad(S, P, ox.Literal("first"), ox.DefaultGraph())
SECOND = ox.Quad(S, P, ox.Literal("second"), ox.DefaultGraph())
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
AUTH = {"Authorization": f"Bearer {UPDATE_TOKEN}"}
READS = 24  # fresh connections after a write: the kernel spreads them over both workers


def count(store: ox.Store) -> int:
    return int(next(iter(store.query(COUNT)))["n"].value)


def generations(snapshots: Snapshots) -> list[str]:
    return sorted(path.name for path in snapshots.root.glob("gen-*"))


@pytest.fixture
def snapshots(tmp_path: Path) -> Snapshots:
    snapshots = Snapshots(tmp_path / "store", grace=3600)
    snapshots.publish()
    return snapshots


def test_publish_creates_the_store_and_its_first_generation(snapshots: Snapshots) -> None:
    assert snapshots.store.is_dir() and snapshots.published
    assert len(generations(snapshots)) == 1
    assert count(snapshots.ox) == 0


def test_a_write_is_seen_by_every_reader(snapshots: Snapshots) -> None:
    other_worker = Snapshots(snapshots.store, grace=3600)
    assert count(other_worker.ox) == 0
    asyncio.run(snapshots.write(lambda store: store.add(FIRST)))
    assert count(snapshots.ox) == 1 and count(other_worker.ox) == 1
    asyncio.run(other_worker.write(lambda store: store.add(SECOND)))
    assert count(snapshots.ox) == 2 and count(other_worker.ox) == 2
    assert len(generations(snapshots)) == 3


def test_a_reader_keeps_its_snapshot_until_a_write(snapshots: Snapshots) -> None:
    first = snapshots.ox
    assert snapshots.ox is first
    asyncio.run(snapshots.write(lambda store: store.add(FIRST)))
    assert snapshots.ox is not first and count(first) == 0


def test_a_failed_write_changes_nothing_and_frees_the_store(snapshots: Snapshots) -> None:
    def broken(store: ox.Store) -> None:
        raise BadRequest("the body does not parse")

    with pytest.raises(BadRequest, match="does not parse"):
        asyncio.run(snapshots.write(broken))
    assert len(generations(snapshots)) == 1
    # the store was closed although the traceback held it: the next writer can open it
    asyncio.run(snapshots.write(lambda store: store.add(FIRST)))
    assert count(snapshots.ox) == 1


def test_a_write_returns_what_the_change_returns(snapshots: Snapshots) -> None:
    assert asyncio.run(snapshots.write(lambda store: store.contains_named_graph(S))) is False


def test_out_of_date_generations_are_deleted_after_the_grace_period(tmp_path: Path) -> None:
    snapshots = Snapshots(tmp_path / "store", grace=0)
    for _ in range(3):
        snapshots.publish()
    assert len(generations(snapshots)) == 1
    assert count(snapshots.ox) == 0


def test_reading_before_anything_is_published_names_the_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="No snapshot of '.*store' is published"):
        Snapshots(tmp_path / "store", grace=0).ox


def test_bounded_returns_the_answer() -> None:
    assert asyncio.run(bounded(lambda: 42, timeout=5)) == 42


def test_bounded_times_out_with_a_clear_error() -> None:
    release = threading.Event()

    async def runaway() -> bool:
        with pytest.raises(QueryTimedOut, match=r"Query timed out after 0.2 s and was aborted"):
            await bounded(lambda: release.wait(60), timeout=0.2)
        still_running = not release.is_set()
        release.set()
        return still_running

    assert asyncio.run(runaway())  # the error came while the call was still blocked, not after it
    assert QueryTimedOut.status == 503


def test_bounded_gives_up_a_call_still_waiting_for_a_thread_and_it_never_starts() -> None:
    ran: list[str] = []

    holding, release = threading.Event(), threading.Event()

    def hold() -> bool:
        holding.set()
        return release.wait(60)

    async def queued() -> None:
        with ThreadPoolExecutor(1) as threads:  # the one thread is held until `waiting` has timed out
            busy = asyncio.ensure_future(bounded(hold, timeout=60, threads=threads))
            while not holding.is_set():
                await asyncio.sleep(0.01)
            with pytest.raises(QueryTimedOut):
                await bounded(lambda: ran.append("waiting"), timeout=0.1, threads=threads)
            release.set()
            assert await busy is True

    asyncio.run(queued())
    assert ran == []  # the thread came free after the timeout, and did not run it


def test_a_worker_that_dies_is_replaced_and_sigterm_stops_them_all(tmp_path: Path) -> None:
    proc, url = start_server(tmp_path / "store")
    try:
        first = worker_pids(proc)
        assert len(first) == 2
        killed = first.pop()
        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while len(worker_pids(proc) - {killed}) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = worker_pids(proc)
        assert killed not in workers and len(workers) == 2
        assert all(HTTP.get(url + "/sparql", params={"query": "ASK {}"}).status_code == 200 for _ in range(8))
    finally:
        proc.terminate()
        assert proc.wait(15) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


@pytest.fixture
def live(writable_served) -> tuple[subprocess.Popen, str]:
    """The session's `kg serve` that takes writes (conftest.writable_served): (the process, its URL)."""
    return writable_served[:2]


def answer(url: str, graph: str, client: httpx.Client = HTTP) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    response = client.get(url + "/sparql", params={"query": query}, headers={"Accept": "text/csv"}, timeout=60)
    assert response.status_code == 200, response.text
    return int(response.text.split()[-1])


def test_kg_serve_runs_two_workers_by_default(live) -> None:
    proc, _ = live
    assert len(worker_pids(proc)) == 2


def test_the_next_read_on_any_worker_sees_a_write(live) -> None:
    _, url = live
    graph = f"urn:test:{uuid.uuid4()}"
    for n, quad in enumerate((FIRST, SECOND), start=1):
        update = f"INSERT DATA {{ GRAPH <{graph}> {{ {quad.subject} {quad.predicate} {quad.object} }} }}"
        response = HTTP.post(url + "/sparql", content=update,
                              headers={"Content-Type": "application/sparql-update", **AUTH}, timeout=60)
        assert response.status_code == 204, response.text
        assert [answer(url, graph) for _ in range(READS)] == [n] * READS


def void_triples(url: str) -> int:
    response = HTTP.get(url + "/.well-known/void", headers={"Accept": "application/n-triples"}, timeout=60)
    assert response.status_code == 200, response.text
    (line,) = [line for line in response.text.splitlines() if "<http://rdfs.org/ns/void#triples>" in line]
    return int(line.split('"')[1])


def test_void_is_counted_again_after_a_write_on_every_worker(live) -> None:
    _, url = live
    before = {void_triples(url) for _ in range(READS)}  # each worker counts once, then answers from memory
    assert len(before) == 1
    update = f"INSERT DATA {{ GRAPH <urn:test:{uuid.uuid4()}> {{ <urn:a> <urn:b> <urn:c> }} }}"
    response = HTTP.post(url + "/sparql", content=update,
                          headers={"Content-Type": "application/sparql-update", **AUTH}, timeout=60)
    assert response.status_code == 204, response.text
    assert {void_triples(url) for _ in range(READS)} == {before.pop() + 1}


def test_kg_load_into_a_served_store_is_seen_without_a_restart(writable_served, tmp_path: Path) -> None:
    _, url, store = writable_served
    graph = f"urn:test:loaded-{uuid.uuid4()}"
    assert answer(url, graph) == 0
    data = tmp_path / "one.nt"
    data.write_text("<urn:a> <urn:b> <urn:c> .\n")
    done = subprocess.run(KG + ["load", str(data), "--store", str(store), "--graph", graph],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "published to kg serve" in done.stderr
    assert [answer(url, graph) for _ in range(READS)] == [1] * READS

    held = ox.Store(str(store))  # as `kg ingest` holds it while it runs
    try:
        update = f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> <urn:d> }} }}"
        response = HTTP.post(url + "/sparql", content=update,
                              headers={"Content-Type": "application/sparql-update", **AUTH}, timeout=60)
    finally:
        del held
    assert response.status_code == 503
    assert "being written by another process" in response.text
    assert response.headers["retry-after"] == "10"
    assert answer(url, graph) == 1


@pytest.mark.parametrize("headers", [pytest.param({}, id="fast-path"),
                                     pytest.param({"Origin": "https://elsewhere.example"}, id="cors")])
def test_a_query_gets_the_same_answer_with_and_without_an_origin(live, headers: dict[str, str]) -> None:
    _, url = live
    response = HTTP.get(url + "/sparql", params={"query": "ASK {}"},
                         headers={"Accept": "application/sparql-results+json", **headers})
    assert response.status_code == 200
    assert response.json() == {"head": {}, "boolean": True}
    assert response.headers["vary"].startswith("Accept")
    assert ("access-control-allow-origin" in response.headers) == bool(headers)


@pytest.mark.parametrize("headers", [pytest.param({}, id="fast-path"),
                                     pytest.param({"Origin": "https://elsewhere.example"}, id="cors")])
def test_a_refused_query_gets_the_same_error_with_and_without_an_origin(live, headers: dict[str, str]) -> None:
    _, url = live
    response = HTTP.get(url + "/sparql", params={"query": "SELECT WHERE {"}, headers=headers)
    assert response.status_code == 400
    assert response.text.startswith("SPARQL syntax error")


def test_a_worker_that_exits_is_replaced(live) -> None:
    proc, url = live
    before = worker_pids(proc)
    victim = min(before)
    os.kill(victim, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (victim in worker_pids(proc) or len(worker_pids(proc)) < 2):
        # the other worker answers meanwhile. Each question on a new connection: a connection kept
        # alive to the stopping worker is closed once idle, and a request sent as it closes is reset
        # (RFC 9112, 9.3.1: the client retries it), which says nothing of the workers
        with httpx.Client() as fresh:
            assert answer(url, "urn:test:none", fresh) == 0
        time.sleep(0.05)
    after = worker_pids(proc)
    assert victim not in after and len(after) == 2 and before - {victim} <= after


def test_a_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    KGStore(tmp_path / "store").close()  # kg serve serves only a store that exists
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(KG + ["serve", "--store", str(tmp_path / "store"), "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"Cannot listen on 127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr


def _exchange(url: str, raw: bytes) -> bytes:
    """Send `raw` on one fresh connection and read until the server closes it."""
    host, port = urlsplit(url).hostname, urlsplit(url).port
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(raw)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_pipelined_requests_get_whole_answers_in_order_and_close_sends_everything(server: str) -> None:
    # the worker gathers the writes of each turn of its event loop (kg.server.coalesce): heads, bodies
    # and the answer sent just before the connection closes must all arrive, in order
    ask = "GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\n\r\n"
    count = ("GET /sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20%7B%3Fs%20%3Fp%20%3Fo%7D HTTP/1.1\r\nHost: x\r\n"
             "Accept: text/csv\r\nConnection: close\r\n\r\n")
    reply = _exchange(server, (ask + ask + count).encode())
    answers = reply.split(b"HTTP/1.1 ")[1:]
    assert [a.split(b"\r\n", 1)[0] for a in answers] == [b"200 OK"] * 3
    assert [a.split(b"\r\n\r\n", 1)[1] for a in answers[:2]] == [b"true", b"true"]
    assert answers[2].split(b"\r\n\r\n", 1)[1].startswith(b"n\r\n") and int(answers[2].split()[-1]) > 1000
