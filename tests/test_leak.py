"""Requests that end in a 4xx leave a worker's memory flat (issue 10, defect 1).

A query whose answer failed after evaluation (406 from `Accept: x/y`) kept its query solutions
alive in the exception's traceback, which was freed on another thread than the one that made
them: pyo3 leaks such an object (and logs "PyQuerySolutions is unsendable"), about 10-18 KB a
request. The requests here are pipelined on a few keep-alive connections to one worker, so thousands
take seconds; at that rate 6,000 would add 60 MB to a worker of about 150.
"""
from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from urllib.parse import quote

from tests.conftest import start_server, worker_pids

REQUESTS = 6_000
WARM_UP = 2_000
CONNECTIONS = 8
BATCH = 50  # requests written at once on a connection before its answers are read
# the runs through the query threads (not a lookup), the one through the fast path, and plain refusals
FAILING = [
    ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", "x/y"),  # 406 after evaluation, in a query thread
    ("SELECT ?p ?o WHERE { <urn:x> ?p ?o }", "x/y"),  # 406, a lookup (evaluated on the event loop)
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2", "application/sparql-results+json"),  # 406
    ("SELECT * WHERE { ?s ?p }", "*/*"),  # 400, syntax error
    ("SELECT * WHERE { ?s ?p ?o FILTER(nkg:f(?o)) }", "*/*"),  # 400, unknown prefix
]


def _request(query: str, accept: str) -> bytes:
    return (f"GET /sparql?query={quote(query)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: {accept}\r\n\r\n").encode()


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:"))
    await reader.readexactly(length)
    return int(lines[0].split()[1])


async def _pipelined(port: int, count: int) -> dict[int, int]:
    """`count` failing requests over CONNECTIONS pipelined connections: how many got each status."""
    statuses: dict[int, int] = {}
    requests = [_request(*FAILING[i % len(FAILING)]) for i in range(BATCH)]

    async def connection(share: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for start in range(0, share, BATCH):
                batch = requests[:min(BATCH, share - start)]
                writer.write(b"".join(batch))
                await writer.drain()
                for _ in batch:
                    status = await _read_response(reader)
                    statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    await asyncio.wait_for(asyncio.gather(*(connection(count // CONNECTIONS) for _ in range(CONNECTIONS))), 240)
    return statuses


def _rss_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0])


def test_requests_that_end_in_4xx_leave_worker_memory_flat(sample_store_dir: Path) -> None:
    proc, url = start_server(sample_store_dir, workers=1)
    output: list[bytes] = []  # read all along: a worker that logs a traceback a request would fill the pipe
    drain = threading.Thread(target=lambda: output.extend(iter(proc.stdout.readline, b"")), daemon=True)
    drain.start()
    try:
        port = int(url.rsplit(":", 1)[1])
        workers = sorted(worker_pids(proc))
        warm = asyncio.run(_pipelined(port, WARM_UP))
        before = {pid: _rss_kb(pid) for pid in workers}
        statuses = asyncio.run(_pipelined(port, REQUESTS))
        after = {pid: _rss_kb(pid) for pid in workers}
        assert sorted(worker_pids(proc)) == workers  # no worker died or was replaced meanwhile
    finally:
        proc.terminate()
        proc.wait(10)
        drain.join(10)
    log = b"".join(output).decode(errors="replace")
    assert set(warm) <= {400, 406} and set(statuses) == {400, 406}
    assert sum(statuses.values()) == REQUESTS
    total_before, total_after = sum(before.values()), sum(after.values())
    print(f"worker RSS after {WARM_UP} warm-up requests: {before} KB; after {REQUESTS} more: {after} KB")
    assert total_after <= total_before * 1.10, (before, after)
    assert "unsendable" not in log and "Traceback" not in log, log[-2000:]
