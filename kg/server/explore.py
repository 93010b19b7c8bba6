"""The pages to find things from: `/search?q=` (a page, or JSON), the lists of events, incidents and
entities, and the map.

Search reads the index in the store (kg.search); the lists and the map read the graph through
the queries of kg/rq/, like every other page. Every row links to its entity or event page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import Annotated
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from kg import queries, search
from kg.namespaces import NKG, PREFIXES, XSD, node
from kg.server.dependencies import SettingsDep, limits, snapshots
from kg.server.entity_view import point_of
from kg.server.errors import BadRequest
from kg.server.pages import templates
from kg.sparql import run_named, run_query

router = APIRouter()

PAGE = 20  # rows of a page unless `limit` says
MAX_PAGE = 200


def _whole(value: str, name: str, default: int, *, most: int | None = None) -> int:
    """A whole-number parameter, or a 400 that says what it takes."""
    if value == "":
        return default
    least = 1 if most is not None else 0
    if not value.isdigit() or not least <= int(value) <= (most if most is not None else int(value)):
        bound = f" from 1 to {most}" if most is not None else " (0 or more)"
        raise BadRequest(f"'{name}' takes a whole number{bound}, not {value!r}.")
    return int(value)


def wants_json(request: Request, format: str) -> bool:
    """JSON for `format=json`, or an Accept that puts JSON before HTML."""
    if format:
        if format not in ("json", "html"):
            raise BadRequest(f"'format' is json or html, not {format!r}.")
        return format == "json"
    accept = request.headers.get("accept", "")
    return "json" in accept and ("text/html" not in accept or accept.find("json") < accept.find("text/html"))


def link_of(iri: str, kind: str) -> str:
    """The page of an entity or event."""
    return ("event?iri=" if kind == "event" else "entity?iri=") + quote(iri, safe="")


@router.get("/search", response_model=None)
async def search_page(
    request: Request, settings: SettingsDep, q: str = "", limit: str = "", offset: str = "", format: str = ""
) -> Response:
    """Documents that match `q`, best first, and the entities and events whose labels match."""
    as_json = wants_json(request, format)
    size, start = _whole(limit, "limit", PAGE, most=MAX_PAGE), _whole(offset, "offset", 0)
    if not q.strip():
        if as_json:
            raise BadRequest('Give the words to search for: /search?q=words (a "quoted phrase", word*, OR).')
        return templates.TemplateResponse(request, "search.html", {"q": "", "results": None, "error": ""})
    run = partial(search.search, search.index_of(settings.store), q, limit=size, offset=start, entities=8)
    try:
        results = await limits(request).run(run)
    except search.SearchError as exc:
        if as_json:
            raise BadRequest(str(exc)) from None
        return templates.TemplateResponse(
            request, "search.html", {"q": q, "results": None, "error": str(exc)}, status_code=400
        )
    events = await limits(request).run(partial(events_of, snapshots(request).ox, [h.iri for h in results.hits]))
    if as_json:
        answer = search.as_json(results)
        for doc in answer["documents"]:
            doc["events"] = events.get(doc["iri"], [])
        return JSONResponse(answer)
    pages = {
        "previous": max(start - size, 0) if start > 0 else None,
        "next": start + size if start + size < results.total else None,
    }
    return templates.TemplateResponse(
        request,
        "search.html",
        {
            "q": q,
            "results": results,
            "error": "",
            "size": size,
            "start": start,
            "pages": pages,
            "link_of": link_of,
            "events": events,
        },
    )


def events_of(store: ox.Store, docs: list[str]) -> dict[str, list[dict]]:
    """Document IRI -> the events its incidents report ({iri, label}), its main incident's first."""
    if not docs:
        return {}
    values = " ".join(str(node(doc)) for doc in docs)
    text = queries.own("document-events").replace("VALUES ?doc { }", f"VALUES ?doc {{ {values} }}", 1)
    out: dict[str, list[dict]] = {}
    for s in run_query(store, text, prefixes=PREFIXES):
        label = s["label"].value if s["label"] is not None else s["event"].value
        out.setdefault(s["doc"].value, []).append({"iri": s["event"].value, "label": label})
    return out


# The lists ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Listing:
    """A list page: its path and template (`page`), its query (kg/rq/), its sort keys (name -> ORDER BY,
    descending first) and the default one."""

    page: str
    title: str
    query: str
    sorts: dict[str, str]
    default: str


@dataclass
class ListParams:
    """The query parameters every list takes (FastAPI reads them from the URL: `Depends()`)."""

    sort: str = ""
    order: str = ""
    limit: str = ""
    offset: str = ""
    format: str = ""


TOLL_ORDER = "DESC(COALESCE(?killed,-1)) DESC(COALESCE(?injured,-1)) DESC(?date)"
EVENTS = Listing(
    "events",
    "Events",
    "list-events",
    {
        "date": "DESC(?date) DESC(?sources) ?event",
        "toll": f"{TOLL_ORDER} ?event",
        "sources": "DESC(?sources) DESC(?date) ?event",
    },
    "date",
)
INCIDENTS = Listing(
    "incidents",
    "Incidents",
    "list-incidents",
    {"date": "DESC(COALESCE(?date,?published)) ?incident", "toll": f"{TOLL_ORDER} ?incident"},
    "date",
)
ENTITIES = Listing(
    "entities",
    "People, places, groups",
    "list-entities",
    {"documents": "DESC(?documents) LCASE(STR(?label)) ?e", "name": "LCASE(STR(?label)) ?e"},
    "documents",
)
ENTITY_CLASSES = {"people": NKG.Person, "places": NKG.Place, "groups": NKG.Organization}


def _flipped(order: str) -> str:
    """`order` the other way round: DESC(x) becomes ASC(x) and the reverse (plain keys stay as tie-breaks)."""
    return " ".join(
        "ASC" + key[4:] if key.startswith("DESC(") else "DESC" + key[3:] if key.startswith("ASC(") else key
        for key in order.split(" ")
    )


def _rows(store: ox.Store, name: str, order: str, size: int, start: int, **values: ox.NamedNode) -> list[dict]:
    """One page of the rows of list query `name` (each row: its projected variables), and one more: the
    page after has rows when it is there."""
    text = f"{queries.own(name)}\nORDER BY {order}\nLIMIT {size + 1} OFFSET {start}"
    substitutions = {ox.Variable(variable): value for variable, value in values.items()}
    solutions = run_query(store, text, prefixes=PREFIXES, substitutions=substitutions)
    columns = [variable.value for variable in solutions.variables]
    return [{column: _plain(solution[column]) for column in columns} for solution in solutions]


_WHOLE = {str(t) for t in (XSD.integer, XSD.nonNegativeInteger, XSD.long, XSD.int)}  # read as a Python int


def _plain(term: object) -> str | int | bool | None:
    if term is None:
        return None
    assert isinstance(term, (ox.NamedNode, ox.Literal, ox.BlankNode))
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _WHOLE:
            return int(term.value)
        if datatype == str(XSD.boolean):
            return term.value == "true"
    return term.value


def _sort(listing: Listing, sort: str, order: str) -> tuple[str, str, str]:
    """The sort key's name, its ORDER BY, and the order (desc or asc) asked for."""
    sort = sort or listing.default
    if sort not in listing.sorts:
        raise BadRequest(f"'sort' is one of {', '.join(listing.sorts)}, not {sort!r}.")
    if order not in ("", "desc", "asc"):
        raise BadRequest(f"'order' is desc or asc, not {order!r}.")
    keys = listing.sorts[sort]
    return sort, keys if order != "asc" else _flipped(keys), order or "desc"


async def _list_page(
    request: Request,
    listing: Listing,
    params: ListParams,
    *,
    title: str = "",
    values: dict[str, ox.NamedNode] | None = None,
    keep: dict[str, str] | None = None,
    extra: dict | None = None,
) -> Response:
    """One page of `listing` (its query's `values` substituted), as JSON or HTML; `keep`: parameters that
    its links carry on."""
    as_json = wants_json(request, params.format)
    size, start = _whole(params.limit, "limit", PAGE * 2, most=MAX_PAGE), _whole(params.offset, "offset", 0)
    sort, order_by, order = _sort(listing, params.sort, params.order)
    run = partial(_rows, snapshots(request).ox, listing.query, order_by, size, start, **(values or {}))
    rows = await limits(request).run(run)
    more, rows = len(rows) > size, rows[:size]
    if as_json:
        return JSONResponse({"offset": start, "limit": size, "sort": sort, "order": order, "more": more, "rows": rows})

    def url(**change: object) -> str:
        state = {**(keep or {}), "sort": sort, "order": order, "limit": size, "offset": start, **change}
        return f"{listing.page}?{urlencode({k: v for k, v in state.items() if v not in ('', None)})}"

    return templates.TemplateResponse(
        request,
        f"{listing.page}.html",
        {
            "title": title or listing.title,
            "page": listing.page,
            "rows": rows,
            "sort": sort,
            "order": order,
            "sorts": list(listing.sorts),
            "start": start,
            "size": size,
            "url": url,
            "previous": max(start - size, 0) if start else None,
            "next": start + size if more else None,
            "link_of": link_of,
            **(extra or {}),
        },
    )


ListDep = Annotated[ListParams, Depends()]


@router.get("/events", response_class=HTMLResponse, response_model=None)
async def events_page(request: Request, params: ListDep) -> Response:
    """Every event, newest first (or by toll, or by sources): its place, date, sources and tolls."""
    return await _list_page(request, EVENTS, params)


@router.get("/incidents", response_class=HTMLResponse, response_model=None)
async def incidents_page(request: Request, params: ListDep) -> Response:
    """Every incident as its document reports it, newest first (or by toll)."""
    return await _list_page(request, INCIDENTS, params)


@router.get("/entities", response_class=HTMLResponse, response_model=None)
async def entities_page(request: Request, params: ListDep, type: str = "people") -> Response:
    """The people, places or groups (`type`), those most documents mention first (or by name)."""
    if type not in ENTITY_CLASSES:
        raise BadRequest(f"'type' is one of {', '.join(ENTITY_CLASSES)}, not {type!r}.")
    return await _list_page(
        request,
        ENTITIES,
        params,
        title=type.capitalize(),
        values={"class": node(ENTITY_CLASSES[type])},
        keep={"type": type},
        extra={"type": type, "types": list(ENTITY_CLASSES)},
    )


# The map -----------------------------------------------------------------------------------------
MAP_EVENTS = 5000  # events drawn at most, the highest tolls first
_TOLL = re.compile(r"(\w+) (\d+)")
_TYPE_ORDER = ["Killed", "Injured", "Hostage", "Captured", "Missing", "Trapped", "Released", "Evacuated", "Displaced"]


def map_data(store: ox.Store) -> dict:
    """The events at the most specific of their places that has a point, with their tolls by type; and
    the events of which no place has one."""
    rows = _rows(store, EVENTS.query, EVENTS.sorts["toll"], MAP_EVENTS, 0)[:MAP_EVENTS]
    best: dict[str, tuple[int, float, float, str]] = {}
    for s in run_named(store, "map-places"):
        point = point_of(s["wkt"].value if s["wkt"] is not None else None)
        if point is None:
            continue
        event, rank = s["event"].value, int(s["contains"].value)  # a place no other of its places lies in first
        if event not in best or rank < best[event][0]:
            best[event] = (rank, *point, s["label"].value if s["label"] is not None else "")
    events, unplaced = [], []
    for row in rows:
        tolls = {kind: int(n) for kind, n in _TOLL.findall(str(row["tolls"] or ""))}
        if row["event"] in best:
            _, lon, lat, place = best[str(row["event"])]
            events.append(
                {
                    "iri": row["event"],
                    "label": row["label"],
                    "date": row["date"],
                    "place": place,
                    "lon": lon,
                    "lat": lat,
                    "tolls": tolls,
                    "sources": row["sources"],
                }
            )
        else:
            unplaced.append({"iri": row["event"], "label": row["label"], "date": row["date"], "places": row["places"]})
    seen = {kind for e in events for kind in e["tolls"]}
    types = sorted(seen, key=lambda kind: (_TYPE_ORDER.index(kind) if kind in _TYPE_ORDER else 99, kind))
    return {"events": events, "unplaced": unplaced, "types": types}


@router.get("/map", response_class=HTMLResponse, response_model=None)
async def map_page(request: Request, format: str = "") -> Response:
    """The events on a world map drawn offline, filterable by date and casualty type; also as JSON."""
    as_json = wants_json(request, format)
    data = await limits(request).run(partial(map_data, snapshots(request).ox))
    if as_json:
        return JSONResponse(data)
    return templates.TemplateResponse(
        request,
        "map.html",
        {"data": {"events": data["events"]}, "unplaced": data["unplaced"], "types": data["types"], "link_of": link_of},
    )


__all__ = [
    "ENTITIES",
    "EVENTS",
    "INCIDENTS",
    "entities_page",
    "events_page",
    "incidents_page",
    "map_data",
    "map_page",
    "router",
    "search_page",
    "wants_json",
]
