"""What the endpoint says about itself: the service description (GET /sparql without a query), VoID at
/.well-known/void and the ontology at /ontology, in any RDF format (kg.server.describe builds them).

A description counts the whole store, which takes seconds on a large one: it is built once per
snapshot, in a query thread under the query timeout, and kept (`DESCRIPTIONS_KEPT` of them).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pyoxigraph as ox
from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from kg.config import Settings
from kg.server import describe, protocol
from kg.server.dependencies import limits, snapshots

DESCRIPTIONS_KEPT = 16  # per worker; a key is the description, the endpoint IRI it names and the snapshot

router = APIRouter()


async def _described(request: Request, key: tuple[str, ...], build: Callable[[ox.Store], list[ox.Triple]]):
    """`build(store)`, once per snapshot of the store and `key`."""
    store = snapshots(request)
    newest = store.ox  # opens the newest generation, if it changed
    kept: dict[tuple[str | None, ...], list[ox.Triple]] = request.app.state.descriptions
    full = (*key, store.generation)
    if full not in kept:
        triples = await limits(request).run(partial(build, newest))
        if len(kept) >= DESCRIPTIONS_KEPT:  # Host headers name as many endpoints as a client likes
            kept.clear()
        kept[full] = triples
    return kept[full]


async def service_description(request: Request, settings: Settings) -> Response:
    """The SPARQL 1.1 Service Description of the endpoint at the request's IRI."""
    endpoint = protocol.request_iri(request)
    triples = await _described(
        request,
        ("service", endpoint),
        partial(
            describe.service_description,
            endpoint=endpoint,
            union=settings.union_default_graph,
            updates=settings.update_token is not None,
        ),
    )
    media, body = describe.render(triples, request.headers.get("accept"))
    return Response(body, media_type=media, headers={"Vary": "Accept"})


@router.api_route("/.well-known/void", methods=["GET", "HEAD"], name="void")
async def void(request: Request) -> Response:
    endpoint = str(request.url_for("sparql"))
    dataset = protocol.request_iri(request) + "#dataset"
    triples = await _described(
        request, ("void", dataset, endpoint), partial(describe.void, dataset_iri=dataset, endpoint=endpoint)
    )
    media, body = describe.render(triples, request.headers.get("accept"))
    return Response(body, media_type=media, headers={"Vary": "Accept"})


@router.api_route("/ontology", methods=["GET", "HEAD"], name="ontology")
async def ontology(request: Request) -> Response:
    media, body = describe.ontology(request.headers.get("accept"))
    return Response(body, media_type=media, headers={"Vary": "Accept"})


__all__ = ["DESCRIPTIONS_KEPT", "router", "service_description"]
