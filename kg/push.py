"""Sending the graph to another triple store, graph by graph, and remembering what went where.

Each document's named graph is replaced at the target with the SPARQL 1.1 Graph Store HTTP
Protocol (`PUT {url}?graph={doc}`), or with SPARQL 1.1 Update (`DROP SILENT GRAPH` + `INSERT DATA`)
for stores without it. The shared graphs (canonical entity labels, the ontology when loaded) go too.
The default graph never goes: at the target it belongs to the user.

What arrived is recorded beside the store, in `<store>.pushes.json` (`Records`): for each target
URL, each graph sent with its hash. A document is pending while its `nkg:contentHash` differs from
the one recorded for the target; a shared graph, while the digest of its content does. A failed
graph is not recorded, so the next run sends exactly the failed ones. A graph recorded for the
target that the store no longer has is deleted there (`DELETE ?graph=`, or `DROP SILENT GRAPH`).
The records are not in the store: the store is what `kg serve` and `kg export` publish, and a
target's URL (its host, perhaps its credentials) is not for them.
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import httpx
import pyoxigraph as ox

from kg import formats
from kg.store import KGStore

UPDATE = "application/sparql-update; charset=utf-8"


class Via(str, enum.Enum):
    gsp = "gsp"  # SPARQL 1.1 Graph Store HTTP Protocol: PUT ?graph=
    update = "update"  # SPARQL 1.1 Update: DROP SILENT GRAPH + INSERT DATA


@dataclass(frozen=True)
class Target:
    """Where a push goes and how to get in."""

    url: str
    via: Via = Via.gsp
    token: str | None = None  # bearer token
    user: str | None = None
    password: str | None = None
    digest: bool = False  # HTTP digest instead of basic auth (Virtuoso's /sparql-graph-crud-auth)

    def client(self, timeout: float) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        auth: httpx.Auth | None = None
        if self.user is not None:
            credentials = (self.user, self.password or "")
            auth = httpx.DigestAuth(*credentials) if self.digest else httpx.BasicAuth(*credentials)
        return httpx.Client(headers=headers, auth=auth, timeout=timeout)


@dataclass(frozen=True)
class Pending:
    graph: str
    hash: str


@dataclass
class PushReport:
    sent: list[str] = field(default_factory=list)  # graph IRIs that arrived
    unchanged: int = 0  # graphs the target already holds as they are
    deleted: list[str] = field(default_factory=list)  # graph IRIs sent before, gone from the store, deleted there
    failed: dict[str, str] = field(default_factory=dict)  # graph IRI -> why it did not arrive (or go)
    triples: int = 0
    seconds: float = 0.0


class SendError(Exception):
    """A request the target did not accept, after the retries."""


class Records:
    """What went where: for each target URL, the graphs sent there and the hash each had.

    In `<store>.pushes.json`, beside the store, written whole and replaced at once after each batch.
    A store in memory keeps no records: each push to it sends everything.
    """

    def __init__(self, store: KGStore) -> None:
        self.path = store.path.with_name(store.path.name + ".pushes.json") if store.path is not None else None
        self.targets: dict[str, dict[str, str]] = {}
        if self.path is not None and self.path.exists():
            self.targets = json.loads(self.path.read_text(encoding="utf-8"))["targets"]

    def sent(self, url: str) -> dict[str, str]:
        """Graph IRI -> the hash last sent to `url`."""
        return dict(self.targets.get(url, {}))

    def update(self, url: str, arrived: Iterable[Pending] = (), gone: Iterable[str] = ()) -> None:
        graphs = self.targets.setdefault(url, {})
        graphs.update((item.graph, item.hash) for item in arrived)
        for graph in gone:
            graphs.pop(graph, None)
        if self.path is not None:
            staged = self.path.with_name(self.path.name + f".{os.getpid()}")
            staged.write_text(json.dumps({"targets": self.targets}, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(staged, self.path)


def graph_digest(store: KGStore, graph: str) -> str:
    """sha256 of a graph's sorted N-Triples: equal for equal content, whatever the order."""
    lines = sorted(store.ox.dump(format=formats.LINES, from_graph=ox.NamedNode(graph)).splitlines())
    return hashlib.sha256(b"\n".join(lines)).hexdigest()


def current(store: KGStore) -> list[Pending]:
    """Every graph a push sends, with the hash that says whether it changed: documents first."""
    documents = store.content_hashes()
    shared = sorted(
        g.value for g in store.ox.named_graphs() if isinstance(g, ox.NamedNode) and g.value not in documents
    )
    return [Pending(doc, documents[doc]) for doc in sorted(documents)] + [
        Pending(graph, graph_digest(store, graph)) for graph in shared
    ]


def pending(store: KGStore, records: Records, url: str, *, force: bool = False) -> tuple[list[Pending], int, list[str]]:
    """The graphs `url` does not hold as they are now, how many it does, and the graphs sent there
    before that the store no longer has."""
    everything = current(store)
    sent = records.sent(url)
    gone = sorted(set(sent) - {item.graph for item in everything})
    if force:
        sent = {}
    todo = [item for item in everything if sent.get(item.graph) != item.hash]
    return todo, len(everything) - len(todo), gone


def _ntriples(store: KGStore, graph: str) -> bytes:
    return store.ox.dump(format=formats.LINES, from_graph=ox.NamedNode(graph))


def _requests(
    client: httpx.Client, store: KGStore, target: Target, batch: list[Pending]
) -> Iterator[tuple[httpx.Request, int]]:
    """The HTTP requests that put `batch` at the target, each with the triples it carries."""
    if target.via is Via.gsp:
        for item in batch:
            body = _ntriples(store, item.graph)
            yield (
                client.build_request(
                    "PUT",
                    target.url,
                    params={"graph": item.graph},
                    content=body,
                    headers={"Content-Type": f"{formats.RDF.row(formats.LINES_AS).media_type}; charset=utf-8"},
                ),
                body.count(b"\n"),
            )
        return
    parts, triples = [], 0
    for item in batch:
        body = _ntriples(store, item.graph)
        triples += body.count(b"\n")
        parts.append(
            f"DROP SILENT GRAPH <{item.graph}> ;\nINSERT DATA {{ GRAPH <{item.graph}> {{\n{body.decode('utf-8')}}} }}"
        )
    yield (
        client.build_request(
            "POST", target.url, content=" ;\n".join(parts).encode("utf-8"), headers={"Content-Type": UPDATE}
        ),
        triples,
    )


def _deletions(client: httpx.Client, target: Target, graphs: list[str]) -> Iterator[tuple[httpx.Request, list[str]]]:
    """The HTTP requests that delete `graphs` at the target, each with the graphs it deletes."""
    if target.via is Via.gsp:
        for graph in graphs:
            yield client.build_request("DELETE", target.url, params={"graph": graph}), [graph]
        return
    if not graphs:
        return
    text = " ;\n".join(f"DROP SILENT GRAPH <{graph}>" for graph in graphs)
    yield (
        client.build_request("POST", target.url, content=text.encode("utf-8"), headers={"Content-Type": UPDATE}),
        graphs,
    )


def _send(client: httpx.Client, request: httpx.Request, retries: int, backoff: float) -> None:
    """Send, retrying connection errors and 5xx with exponential backoff; a 4xx fails at once."""
    problem = ""
    for attempt in range(retries + 1):
        try:
            response = client.send(request)
        except httpx.TransportError as exc:
            problem = f"{type(exc).__name__}: {exc or 'no answer'}"
        else:
            if response.is_success or (request.method == "DELETE" and response.status_code == 404):
                return  # a graph to delete that is not there is what was wanted
            problem = f"HTTP {response.status_code} from {request.url}: {response.text.strip()[:300]}"
            if response.status_code < 500:
                break
        if attempt < retries:
            time.sleep(backoff * 2**attempt)
    raise SendError(problem)


def _batches(items: list[Pending], size: int) -> Iterator[list[Pending]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def push(
    store: KGStore,
    target: Target,
    base: str,
    *,
    batch_size: int = 16,
    retries: int = 4,
    backoff: float = 0.5,
    timeout: float = 60.0,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> PushReport:
    """Send every graph `target` does not hold as it is now; record each one that arrived. Delete there
    the graphs sent before that the store no longer has.

    With `Via.update`, `batch_size` graphs go in one request; with the Graph Store Protocol each
    graph is its own PUT and `batch_size` is how many are recorded at once.
    """
    started = time.perf_counter()
    legacy = ox.NamedNode(f"{base}graph/pushes")  # where the records were kept before they left the store
    if store.ox.contains_named_graph(legacy):
        store.ox.remove_graph(legacy)
    records = Records(store)
    todo, unchanged, gone = pending(store, records, target.url, force=force)
    report = PushReport(unchanged=unchanged)
    if progress:
        progress(0, len(todo))
    done = 0
    with target.client(timeout) as client:
        for batch in _batches(todo, batch_size):
            arrived = []
            requests = _requests(client, store, target, batch)
            items = [[item] for item in batch] if target.via is Via.gsp else [batch]
            for group, (request, triples) in zip(items, requests):
                try:
                    _send(client, request, retries, backoff)
                except SendError as exc:
                    report.failed.update({item.graph: str(exc) for item in group})
                else:
                    arrived += group
                    report.triples += triples
                done += len(group)
                if progress:
                    progress(done, len(todo))
            records.update(target.url, arrived=arrived)
            report.sent += [item.graph for item in arrived]
        for request, graphs in _deletions(client, target, gone):
            try:
                _send(client, request, retries, backoff)
            except SendError as exc:
                report.failed.update(dict.fromkeys(graphs, str(exc)))
            else:
                records.update(target.url, gone=graphs)
                report.deleted += graphs
    store.flush()
    report.seconds = time.perf_counter() - started
    return report


__all__ = ["Pending", "PushReport", "Records", "Target", "Via", "graph_digest", "pending", "push"]
