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

import hashlib
import json
import os
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar

import httpx
import pyoxigraph as ox

from kg import formats
from kg.batches import batches
from kg.namespaces import node
from kg.store import KGStore

UPDATE = "application/sparql-update; charset=utf-8"


@dataclass(frozen=True)
class PushedGraph:
    """A graph to put at a target: its IRI and its triples as N-Triples (`formats.LINES`)."""

    iri: str
    ntriples: bytes

    @property
    def triples(self) -> int:
        return self.ntriples.count(b"\n")


Requests = Iterator[tuple[httpx.Request, list[str]]]  # each request with the IRIs of the graphs it carries


@dataclass(frozen=True)
class Target(ABC):
    """Where a push goes, how to get in, and how it puts and deletes graphs there: a new kind of target is a
    subclass with a `name` and the two methods."""

    url: str
    token: str | None = None  # bearer token
    user: str | None = None
    password: str | None = None
    digest: bool = False  # HTTP digest instead of basic auth (Virtuoso's /sparql-graph-crud-auth)
    name: ClassVar[str]  # `kg push --via NAME`

    def client(self, timeout: float) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        auth: httpx.Auth | None = None
        if self.user is not None:
            credentials = (self.user, self.password or "")
            auth = httpx.DigestAuth(*credentials) if self.digest else httpx.BasicAuth(*credentials)
        return httpx.Client(headers=headers, auth=auth, timeout=timeout)

    @abstractmethod
    def put(self, client: httpx.Client, graphs: list[PushedGraph]) -> Requests:
        """The requests that make the target hold `graphs` as they are (replacing what it had under their IRIs)."""

    @abstractmethod
    def delete(self, client: httpx.Client, graphs: list[str]) -> Requests:
        """The requests that delete `graphs` at the target (a graph it does not have is no error)."""


@dataclass(frozen=True)
class GraphStore(Target):
    """SPARQL 1.1 Graph Store HTTP Protocol: `PUT ?graph=` and `DELETE ?graph=`, one request a graph."""

    name: ClassVar[str] = "gsp"

    def put(self, client: httpx.Client, graphs: list[PushedGraph]) -> Requests:
        content_type = f"{formats.RDF.row(formats.LINES_AS).media_type}; charset=utf-8"
        for graph in graphs:
            yield (
                client.build_request(
                    "PUT",
                    self.url,
                    params={"graph": graph.iri},
                    content=graph.ntriples,
                    headers={"Content-Type": content_type},
                ),
                [graph.iri],
            )

    def delete(self, client: httpx.Client, graphs: list[str]) -> Requests:
        for graph in graphs:
            yield client.build_request("DELETE", self.url, params={"graph": graph}), [graph]


@dataclass(frozen=True)
class SparqlUpdate(Target):
    """SPARQL 1.1 Update, for stores without the Graph Store Protocol: `DROP SILENT GRAPH` + `INSERT DATA`,
    every graph of a batch in one request."""

    name: ClassVar[str] = "update"

    def put(self, client: httpx.Client, graphs: list[PushedGraph]) -> Requests:
        if graphs:
            operations = [
                f"DROP SILENT GRAPH <{g.iri}> ;\nINSERT DATA {{ GRAPH <{g.iri}> {{\n{g.ntriples.decode()}}} }}"
                for g in graphs
            ]
            yield self._update(client, operations), [g.iri for g in graphs]

    def delete(self, client: httpx.Client, graphs: list[str]) -> Requests:
        if graphs:
            yield self._update(client, [f"DROP SILENT GRAPH <{graph}>" for graph in graphs]), graphs

    def _update(self, client: httpx.Client, operations: list[str]) -> httpx.Request:
        text = " ;\n".join(operations).encode("utf-8")
        return client.build_request("POST", self.url, content=text, headers={"Content-Type": UPDATE})


TARGETS: dict[str, type[Target]] = {kind.name: kind for kind in (GraphStore, SparqlUpdate)}


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
    lines = sorted(_graph(store, graph).ntriples.splitlines())
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


def _graph(store: KGStore, graph: str) -> PushedGraph:
    return PushedGraph(graph, store.ox.dump(format=formats.LINES, from_graph=node(graph)) or b"")


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

    `batch_size` graphs are read from the store and recorded at once; `SparqlUpdate` sends them in one
    request, `GraphStore` in one PUT each.
    """
    started = time.perf_counter()
    records = Records(store)
    todo, unchanged, gone = pending(store, records, target.url, force=force)
    report = PushReport(unchanged=unchanged)
    if progress:
        progress(0, len(todo))
    done = 0
    with target.client(timeout) as client:
        for batch in batches(todo, batch_size):
            arrived = []
            hashes = {item.graph: item for item in batch}
            payloads = [_graph(store, item.graph) for item in batch]
            triples = {graph.iri: graph.triples for graph in payloads}
            for request, graphs in target.put(client, payloads):
                try:
                    _send(client, request, retries, backoff)
                except SendError as exc:
                    report.failed.update(dict.fromkeys(graphs, str(exc)))
                else:
                    arrived += [hashes[graph] for graph in graphs]
                    report.triples += sum(triples[graph] for graph in graphs)
                done += len(graphs)
                if progress:
                    progress(done, len(todo))
            records.update(target.url, arrived=arrived)
            report.sent += [item.graph for item in arrived]
        for request, graphs in target.delete(client, gone):
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


__all__ = [
    "TARGETS",
    "GraphStore",
    "Pending",
    "PushReport",
    "PushedGraph",
    "Records",
    "SparqlUpdate",
    "Target",
    "graph_digest",
    "pending",
    "push",
]
