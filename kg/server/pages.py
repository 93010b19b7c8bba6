"""The pages people use: the query editor at `/`, the entity page at `/entity?iri=...` (what it shows:
kg.server.entity_view) and the event page at `/event?iri=...` (kg.server.event_view).

The entity and event pages read the store through `kg.sparql.run_named`, the code path of `/sparql`,
in a query thread under the timeout; the query page runs its queries by `fetch` against `/sparql`
itself, so what a person sees is what a client gets.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from kg import formats, queries
from kg.namespaces import node
from kg.server import event_view
from kg.server.dependencies import SettingsDep, limits, snapshots
from kg.server.entity_view import PLAIN_TYPES, load_entity, short_names

_HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=_HERE / "templates")
router = APIRouter()
router.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")


def _error(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return templates.TemplateResponse(request, "error.html", {"title": title, "message": message}, status_code=status)


@router.get("/", response_class=HTMLResponse)
async def query_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    canned = list(queries.all_queries().values())
    return templates.TemplateResponse(
        request,
        "index.html",
        {
            "queries": canned,
            "data": {
                "queries": {q.name: q.text for q in canned},
                "prefixes": short_names(settings.base),
                "plainTypes": sorted(PLAIN_TYPES),
                "formats": {  # what the page asks for, and the downloads it offers: the one format table's
                    "solutions": formats.RESULTS.row(formats.PAGE_SOLUTIONS).media_type,
                    "graph": formats.RDF.row(formats.PAGE_GRAPHS).media_type,
                    "results": formats.offers(formats.RESULTS),
                    "graphs": formats.offers(formats.RDF),
                },
            },
            "example": canned[0].text if canned else "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
        },
    )


@router.get("/entity", response_class=HTMLResponse)
async def entity_page(request: Request, settings: SettingsDep, iri: str = "") -> HTMLResponse:
    load = partial(load_entity, names=short_names(settings.base))
    return await _view_page(
        request, iri, "entity", load, "Not in the graph", f"No triple in the graph mentions <{iri}>."
    )


@router.get("/event", response_class=HTMLResponse)
async def event_page(request: Request, iri: str = "") -> HTMLResponse:
    return await _view_page(
        request, iri, "event", event_view.load_event, "Not an event", f"<{iri}> is no nkg:Event of the graph."
    )


async def _view_page(
    request: Request,
    iri: str,
    page: str,
    load: Callable[[ox.Store, ox.NamedNode], Any],
    missing: str,
    missing_detail: str,
) -> HTMLResponse:
    """`{page}.html` of what `load` finds about `iri`; 400 for no IRI or a bad one, 404 when there is nothing.
    Its queries run like any other: in a query thread, under the timeout."""
    if not iri:
        return _error(request, 400, "No IRI", f"The {page} page needs an 'iri' parameter: /{page}?iri=...")
    try:
        term = node(iri)
    except ValueError as exc:
        return _error(request, 400, "Not an IRI", f"{iri!r} is not a valid IRI: {exc}.")
    view = await limits(request).run(partial(load, snapshots(request).ox, term))
    if view is None:
        return _error(request, 404, missing, missing_detail)
    return templates.TemplateResponse(request, f"{page}.html", {"e": view})


__all__ = ["entity_page", "event_page", "query_page", "router", "templates"]
