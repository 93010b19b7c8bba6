"""Sending the graph to another triple store, graph by graph, and remembering what went where.

Each document's named graph is replaced at the target with the SPARQL 1.1 Graph Store HTTP
Protocol (`PUT {url}?graph={doc}`), or with SPARQL 1.1 Update (`DROP SILENT GRAPH` + `INSERT DATA`)
for stores without it. The shared graphs (canonical entity labels, the ontology when loaded) go too.
The default graph never goes: at the target it belongs to the user.

What arrived is recorded in the store itself, in the named graph `{base}graph/pushes`: one node per
(target, graph) with the content hash that was sent. A document is pending while its
`nkg:contentHash` differs from the one recorded for the target; a shared graph, while the digest of
its content does. A failed graph is not recorded, so the next run sends exactly the failed ones.
"""
from __future__ import annotations

import datetime as dt
import enum
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pyoxigraph as ox

from kg.namespaces import NKG, PROV, XSD
from kg.store import KGStore

NTRIPLES = ox.RdfFormat.N_TRIPLES
_ALTERNATE_OF = ox.NamedNode(str(PROV.alternateOf))
_AT_LOCATION = ox.NamedNode(str(PROV.atLocation))
_GENERATED = ox.NamedNode(str(PROV.generatedAtTime))
_HASH = ox.NamedNode(str(NKG.contentHash))


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
    failed: dict[str, str] = field(default_factory=dict)  # graph IRI -> why it did not arrive
    triples: int = 0
    seconds: float = 0.0


class SendError(Exception):
    """A request the target did not accept, after the retries."""


def pushes_graph(base: str) -> ox.NamedNode:
    return ox.NamedNode(f"{base}graph/pushes")


def _record_node(base: str, url: str, graph: str) -> ox.NamedNode:
    key = hashlib.sha256(f"{url}\x1f{graph}".encode()).hexdigest()[:32]
    return ox.NamedNode(f"{base}push/{key}")


def pushed_hashes(store: KGStore, base: str, url: str) -> dict[str, str]:
    """Graph IRI -> the hash last sent to `url`."""
    record, location = pushes_graph(base), ox.NamedNode(url)
    nodes = {q.subject for q in store.ox.quads_for_pattern(None, _AT_LOCATION, location, record)}
    hashes = {}
    for node in nodes:
        graph = next(iter(store.ox.quads_for_pattern(node, _ALTERNATE_OF, None, record)), None)
        sent = next(iter(store.ox.quads_for_pattern(node, _HASH, None, record)), None)
        if graph is not None and sent is not None:
            hashes[graph.object.value] = sent.object.value
    return hashes


def _record(store: KGStore, base: str, url: str, done: list[Pending]) -> None:
    record = pushes_graph(base)
    now = ox.Literal(dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                     datatype=ox.NamedNode(str(XSD.dateTime)))
    quads = []
    for item in done:
        node = _record_node(base, url, item.graph)
        for old in list(store.ox.quads_for_pattern(node, None, None, record)):
            store.ox.remove(old)
        quads += [ox.Quad(node, _ALTERNATE_OF, ox.NamedNode(item.graph), record),
                  ox.Quad(node, _AT_LOCATION, ox.NamedNode(url), record),
                  ox.Quad(node, _HASH, ox.Literal(item.hash), record),
                  ox.Quad(node, _GENERATED, now, record)]
    store.ox.extend(quads)


def graph_digest(store: KGStore, graph: str) -> str:
    """sha256 of a graph's sorted N-Triples: equal for equal content, whatever the order."""
    lines = sorted(store.ox.dump(format=NTRIPLES, from_graph=ox.NamedNode(graph)).splitlines())
    return hashlib.sha256(b"\n".join(lines)).hexdigest()


def current(store: KGStore, base: str) -> list[Pending]:
    """Every graph a push sends, with the hash that says whether it changed: documents first."""
    documents = store.content_hashes()
    skip = {pushes_graph(base).value, *documents}
    shared = sorted(g.value for g in store.ox.named_graphs() if isinstance(g, ox.NamedNode) and g.value not in skip)
    return ([Pending(doc, documents[doc]) for doc in sorted(documents)]
            + [Pending(graph, graph_digest(store, graph)) for graph in shared])


def pending(store: KGStore, base: str, url: str, *, force: bool = False) -> tuple[list[Pending], int]:
    """The graphs `url` does not hold as they are now, and how many it does."""
    everything = current(store, base)
    sent = {} if force else pushed_hashes(store, base, url)
    todo = [item for item in everything if sent.get(item.graph) != item.hash]
    return todo, len(everything) - len(todo)


def _ntriples(store: KGStore, graph: str) -> bytes:
    return store.ox.dump(format=NTRIPLES, from_graph=ox.NamedNode(graph))


def _requests(client: httpx.Client, store: KGStore, target: Target,
              batch: list[Pending]) -> Iterator[tuple[httpx.Request, int]]:
    """The HTTP requests that put `batch` at the target, each with the triples it carries."""
    if target.via is Via.gsp:
        for item in batch:
            body = _ntriples(store, item.graph)
            yield (client.build_request("PUT", target.url, params={"graph": item.graph}, content=body,
                                 headers={"Content-Type": "text/turtle; charset=utf-8"}), body.count(b"\n"))
        return
    parts, triples = [], 0
    for item in batch:
        body = _ntriples(store, item.graph)
        triples += body.count(b"\n")
        parts.append(f"DROP SILENT GRAPH <{item.graph}> ;\nINSERT DATA {{ GRAPH <{item.graph}> {{\n"
                     f"{body.decode('utf-8')}}} }}")
    yield (client.build_request("POST", target.url, content=" ;\n".join(parts).encode("utf-8"),
                         headers={"Content-Type": "application/sparql-update; charset=utf-8"}), triples)


def _send(client: httpx.Client, request: httpx.Request, retries: int, backoff: float) -> None:
    """Send, retrying connection errors and 5xx with exponential backoff; a 4xx fails at once."""
    problem = ""
    for attempt in range(retries + 1):
        try:
            response = client.send(request)
        except httpx.TransportError as exc:
            problem = f"{type(exc).__name__}: {exc or 'no answer'}"
        else:
            if response.is_success:
                return
            problem = f"HTTP {response.status_code} from {request.url}: {response.text.strip()[:300]}"
            if response.status_code < 500:
                break
        if attempt < retries:
            time.sleep(backoff * 2 ** attempt)
    raise SendError(problem)


def _batches(items: list[Pending], size: int) -> Iterator[list[Pending]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


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
    """Send every graph `target` does not hold as it is now; record each one that arrived.

    With `Via.update`, `batch_size` graphs go in one request; with the Graph Store Protocol each
    graph is its own PUT and `batch_size` is how many are recorded at once.
    """
    started = time.perf_counter()
    todo, unchanged = pending(store, base, target.url, force=force)
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
            _record(store, base, target.url, arrived)
            report.sent += [item.graph for item in arrived]
    store.flush()
    report.seconds = time.perf_counter() - started
    return report


__all__ = ["Via", "Target", "Pending", "PushReport", "push", "pending", "pushed_hashes", "pushes_graph",
           "graph_digest"]
