"""Soak: a live `kg serve` under 60 s of mixed load, with its throughput, errors and memory over time.

    .venv/bin/python bench/soak.py [--store PATH] [--duration 60] [--connections 16] [--interval 5]

Starts `kg serve` (2 workers) on loopback over `--store`, or over a store of the bundled sample
articles made in a temporary directory, and drives it from `--connections` keep-alive connections
(asyncio streams, one request at a time on each) with a mix of:

    point      45%  SELECT ?p ?o WHERE { <person> ?p ?o }              200
    aggregate  10%  queries/casualties-by-type.rq                      200
    entity     15%  /entity?iri=<person> (the HTML page)               200
    errors     30%  406 (Accept: x/y after a full query), 400 (syntax, undeclared prefix, nesting past
                    KG_MAX_QUERY_DEPTH), 404 (an entity not in the graph)

An error is an answer with another status than its kind expects, or a connection that fails. Every
`--interval` seconds it prints a Markdown row: requests/second by kind, errors, and the memory of
the server's process tree (the sum of VmRSS over the supervisor and its workers, and each worker's).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg import queries
from kg.namespaces import DEFAULT_BASE

KG = [sys.executable, "-m", "kg.cli"]
PERSON = DEFAULT_BASE + "person/antony-blinken"


def _get(path: str, params: dict[str, str] | None = None, accept: str = "*/*") -> bytes:
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in (params or {}).items())
    return f"GET {path}{'?' + query if query else ''} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: {accept}\r\n\r\n".encode()


def mix(person: str) -> list[tuple[str, float, bytes, int]]:
    """(kind, weight, request, expected status)."""
    deep = "SELECT * WHERE " + "{" * 40 + "}" * 40
    return [
        ("point", 45, _get("/sparql", {"query": f"SELECT ?p ?o WHERE {{ <{person}> ?p ?o }}"},
                           "application/sparql-results+json"), 200),
        ("aggregate", 10, _get("/sparql", {"query": queries.get("casualties-by-type").text},
                               "application/sparql-results+json"), 200),
        ("entity", 15, _get("/entity", {"iri": person}, "text/html"), 200),
        ("406", 10, _get("/sparql", {"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"}, "x/y"), 406),
        ("400 syntax", 5, _get("/sparql", {"query": "SELECT * WHERE { ?s ?p }"}), 400),
        ("400 prefix", 5, _get("/sparql", {"query": "SELECT * WHERE { ?s a nkg:Person }"}), 400),
        ("400 depth", 5, _get("/sparql", {"query": deep}), 400),
        ("404 entity", 5, _get("/entity", {"iri": "urn:not-in-the-graph"}, "text/html"), 404),
    ]


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    if headers.get("connection", "").lower() == "close":
        raise ConnectionResetError("closed by the server")  # expected after a timeout: count and reconnect
    return int(lines[0].split()[1])


class Tally:
    def __init__(self) -> None:
        self.done: dict[str, int] = {}
        self.errors: dict[str, int] = {}

    def take(self) -> tuple[dict[str, int], dict[str, int]]:
        done, errors = self.done, self.errors
        self.done, self.errors = {}, {}
        return done, errors


async def client(port: int, requests: list, weights: list[float], tally: Tally, stop: float, seed: int) -> None:
    rng = random.Random(seed)
    reader = writer = None
    while time.monotonic() < stop:
        kind, _, request, expected = rng.choices(requests, weights)[0]
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            status = await asyncio.wait_for(read_response(reader), 60)
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
            tally.errors[f"{kind}: {type(exc).__name__}"] = tally.errors.get(f"{kind}: {type(exc).__name__}", 0) + 1
            if writer is not None:
                writer.close()
            reader = writer = None
            continue
        tally.done[kind] = tally.done.get(kind, 0) + 1
        if status != expected:
            tally.errors[f"{kind}: {status}"] = tally.errors.get(f"{kind}: {status}", 0) + 1
    if writer is not None:
        writer.close()


def tree(pid: int) -> list[int]:
    pids = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        pids += tree(int(child))
    return pids


def rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(store: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(KG + ["serve", "--store", str(store), "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                time.sleep(1)
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("kg serve did not come up in 60 s")


async def soak(port: int, server: subprocess.Popen, args: argparse.Namespace, person: str) -> None:
    requests = mix(person)
    weights = [w for _, w, _, _ in requests]
    tally = Tally()
    began = time.monotonic()
    stop = began + args.duration
    clients = [asyncio.create_task(client(port, requests, weights, tally, stop, seed))
               for seed in range(args.connections)]
    kinds = [kind for kind, *_ in requests]
    print(f"| s | req/s | {' | '.join(kinds)} | errors | RSS MB (tree) | workers MB |")
    print(f"|---:|---:|{'---:|' * len(kinds)}---|---:|---|")
    totals: dict[str, int] = {}
    errors_total: dict[str, int] = {}
    last = began
    while time.monotonic() < stop:
        await asyncio.sleep(min(args.interval, max(stop - time.monotonic(), 0.1)))
        now = time.monotonic()
        done, errors = tally.take()
        for k, n in done.items():
            totals[k] = totals.get(k, 0) + n
        for k, n in errors.items():
            errors_total[k] = errors_total.get(k, 0) + n
        pids = tree(server.pid)
        workers = [rss_mb(p) for p in pids[1:]]
        span = now - last
        last = now
        print(f"| {now - began:.0f} | {sum(done.values()) / span:,.0f} | "
              + " | ".join(f"{done.get(k, 0) / span:,.0f}" for k in kinds)
              + f" | {sum(errors.values())} | {sum(rss_mb(p) for p in pids):.0f} | "
              + ", ".join(f"{w:.0f}" for w in workers) + " |", flush=True)
    await asyncio.gather(*clients)
    seconds = time.monotonic() - began
    print(f"\n{sum(totals.values()):,} requests in {seconds:.0f} s ({sum(totals.values()) / seconds:,.0f}/s), "
          f"{sum(errors_total.values())} errors" + (f": {errors_total}" if errors_total else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, help="store to serve (default: the sample articles, ingested anew)")
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--person", default=PERSON, help="IRI of the point query and the entity page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="soak-") as scratch:
        store = args.store
        if store is None:
            store = Path(scratch) / "store"
            subprocess.run(KG + ["ingest", str(ROOT / "samples"), "--store", str(store)], check=True,
                           stderr=subprocess.DEVNULL)
        port = free_port()
        server = start(store, port)
        try:
            print(f"kg serve on {store} (pid {server.pid}), {args.connections} connections, {args.duration:.0f} s, "
                  f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n")
            asyncio.run(soak(port, server, args, args.person))
        finally:
            server.terminate()
            server.wait(15)


if __name__ == "__main__":
    main()
