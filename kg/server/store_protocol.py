"""The SPARQL 1.1 Graph Store HTTP Protocol at /store (https://www.w3.org/TR/sparql11-http-rdf-update/).

`/store?graph=IRI` names a graph indirectly, `/store?default` the default graph, and any URL under
`/store/` names the graph of that IRI directly. GET and HEAD read (open, like queries); PUT
replaces, POST merges, DELETE drops (the bearer of KG_UPDATE_TOKEN only). PUT and POST answer 201
Created when they create the graph (for the default graph: when it was empty), 204 otherwise; GET
and DELETE of a missing graph, 404. A POST to /store itself makes a new graph and answers 201 with
its IRI in Location. A POST body may be multipart/form-data, one RDF document a part.

The write's work (`_load`, `_drop`) runs in a process of its own (kg.server.snapshots), so it
takes and returns only what pickles.
"""

from __future__ import annotations

import email.parser
import email.policy
from functools import partial
from typing import cast
from urllib.parse import urljoin

import pyoxigraph as ox
from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from kg.config import Settings
from kg.namespaces import new_graph, node
from kg.server import negotiation
from kg.server.auth import require_writer
from kg.server.dependencies import SettingsDep, snapshots
from kg.server.errors import BadRequest, NotFound, UnsupportedMediaType
from kg.server.protocol import media_type, read_body, request_iri
from kg.server.snapshots import Snapshots

Graph = ox.NamedNode | ox.DefaultGraph

_INPUT = {name: negotiation.GRAPHS.format(canonical) for name, canonical in negotiation.GRAPHS.lookup.items()}


Documents = list[tuple[str, bytes]]  # (media type, body): the write runs in another process, and formats do not pickle


def _names_a_graph(request: Request) -> bool:
    return "path" in request.path_params or "graph" in request.query_params or "default" in request.query_params


def target(request: Request) -> Graph:
    """The graph a request names: its own URL under /store/, or `?graph=IRI` or `?default`, exactly one."""
    params = request.query_params
    graphs = params.getlist("graph")
    if "path" in request.path_params:
        if graphs or "default" in params:
            raise BadRequest("A URL under /store/ names its graph itself; drop ?graph= and ?default.")
        iri = request_iri(request)
        try:
            return node(iri)
        except ValueError as exc:
            raise BadRequest(f"The URL {iri!r} is not an IRI, so it names no graph: {exc}.") from None
    if ("default" in params) == bool(graphs) or len(graphs) > 1:
        raise BadRequest("Name exactly one graph: ?graph=IRI or ?default.")
    if not graphs:
        return ox.DefaultGraph()
    try:  # a relative IRI is resolved against the request's own, like any IRI reference
        return node(urljoin(request_iri(request), graphs[0]))
    except ValueError as exc:
        raise BadRequest(f"graph {graphs[0]!r} is not an IRI: {exc}.") from None


def _exists(store: ox.Store, graph: Graph) -> bool:
    return isinstance(graph, ox.DefaultGraph) or store.contains_named_graph(graph)


def _has_content(store: ox.Store, graph: Graph) -> bool:
    """Whether a write to `graph` changes existing content rather than creating it."""
    if isinstance(graph, ox.DefaultGraph):
        return next(iter(store.quads_for_pattern(None, None, None, graph)), None) is not None
    return store.contains_named_graph(graph)


def _label(graph: Graph) -> str:
    return "the default graph" if isinstance(graph, ox.DefaultGraph) else f"graph <{graph.value}>"


async def read(request: Request, store: ox.Store) -> Response:
    """GET / HEAD: the graph in the negotiated RDF format."""
    graph = target(request)
    if not _exists(store, graph):
        raise NotFound(f"There is no {_label(graph)} in the store.")
    media, fmt = negotiation.choose(request.headers.get("accept"), negotiation.GRAPHS)
    if request.method == "HEAD":
        return Response(media_type=media)
    body = await run_in_threadpool(store.dump, format=fmt, from_graph=graph)
    return Response(body, media_type=media)


def _load(store: ox.Store, graph: Graph, documents: Documents, base_iri: str, replace: bool) -> bool:
    """Parse every document fully (a bad one changes nothing), then write them; True when that creates the graph."""
    quads = []
    for media, body in documents:
        fmt = _INPUT[media]
        try:
            quads += [
                ox.Quad(q.subject, q.predicate, q.object, graph)
                for q in ox.parse(body, fmt, base_iri=base_iri, without_named_graphs=True)
            ]
        except SyntaxError as exc:
            raise BadRequest(f"The {fmt.name} body does not parse: {exc}") from None
    created = not _has_content(store, graph)
    if replace and not created:
        store.clear_graph(graph)
    if isinstance(graph, ox.NamedNode):
        store.add_graph(graph)
    store.extend(quads)
    return created


def _format(media: str) -> str:
    """`media`, when it is an RDF format this store reads."""
    if media not in _INPUT:
        raise UnsupportedMediaType(
            f"Content-Type {media or '(none)'!r} is not an RDF format this store reads; "
            f"use one of {', '.join(negotiation.GRAPHS.formats)}."
        )
    return media


def _parts(content_type: str, body: bytes) -> Documents:
    """The RDF documents of a multipart/form-data body, one a part, each in the format its part declares."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise BadRequest("The multipart/form-data body has no parts (is its boundary right?).")
    return [
        (_format(part.get_content_type()), cast(bytes, part.get_payload(decode=True))) for part in message.iter_parts()
    ]


async def write(request: Request, store: Snapshots, settings: Settings) -> Response:
    """PUT (replace) or POST (merge) the graph with the request body; a POST to /store itself makes a new graph."""
    require_writer(request, settings.update_token)
    new = request.method == "POST" and not _names_a_graph(request)
    graph = new_graph(request_iri(request)) if new else target(request)
    header = request.headers.get("content-type", "")
    media, _ = media_type(header)
    if media == "multipart/form-data" and request.method == "POST":
        documents = _parts(header, await read_body(request, settings.max_body_bytes))
    else:
        documents = [(_format(media), await read_body(request, settings.max_body_bytes))]
    created = await store.write(
        partial(_load, graph=graph, documents=documents, base_iri=request_iri(request), replace=request.method == "PUT")
    )
    if new:
        assert isinstance(graph, ox.NamedNode)
        return Response(status_code=201, headers={"Location": graph.value})
    return Response(status_code=201 if created else 204)


def _drop(store: ox.Store, graph: Graph) -> None:
    if not _exists(store, graph):
        raise NotFound(f"There is no {_label(graph)} in the store.")
    if isinstance(graph, ox.DefaultGraph):
        store.clear_graph(graph)
    else:
        store.remove_graph(graph)


async def delete(request: Request, store: Snapshots, settings: Settings) -> Response:
    """DELETE: drop a named graph, or empty the default graph."""
    require_writer(request, settings.update_token)
    await store.write(partial(_drop, graph=target(request)))
    return Response(status_code=204)


router = APIRouter()
METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]


@router.api_route("/store", methods=METHODS, name="store")
@router.api_route("/store/{path:path}", methods=METHODS)
async def graph_store(request: Request, settings: SettingsDep) -> Response:
    store = snapshots(request)
    if request.method in ("GET", "HEAD"):
        return await read(request, store.ox)
    if request.method == "DELETE":
        return await delete(request, store, settings)
    return await write(request, store, settings)


__all__ = ["delete", "graph_store", "read", "router", "target", "write"]
