"""The pages people use: the query editor at `/`, the entity page at `/entity?iri=...` and the event page at
`/event?iri=...` (kg.server.event_view).

Both read the store through `kg.sparql.run_named` (the queries of kg/rq/: how many facts, mentions and
incidents a page shows is in them), the code path of `/sparql`; the query page runs
its queries by `fetch` against `/sparql` itself, so what a person sees is what a client gets.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from kg import formats, ontology, queries
from kg.namespaces import DCTERMS, GEO, NIF, NKG, OWL, PREFIXES, PROV, RDF, RDFS, SDO, SKOS, XSD, node
from kg.server import event_view
from kg.server.dependencies import SettingsDep, limits, snapshots
from kg.sparql import run_named, shorten

_HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=_HERE / "templates")
router = APIRouter()
router.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")

MAX_NEIGHBOURS = 24  # nodes drawn around the entity
MAX_LITERAL = 300  # characters of a literal shown in a fact (a document's full text is long)
CONTEXT = 240  # characters kept on each side of a mention when its sentence is longer
PLAIN_TYPES = {str(XSD.string), str(XSD.integer), str(XSD.decimal), str(XSD.double)}  # shown without a note

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z])|\n+")
_ABBREVIATION = re.compile(  # a full stop that ends none of our sentences
    r"(?:\b(?:[A-Z]\.)+|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.)$"
)

_POINT = re.compile(r"POINT\s*\(\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*\)", re.IGNORECASE)


def point_of(wkt: str | None) -> tuple[float, float] | None:
    """(longitude, latitude) of a GeoSPARQL WKT point, or None for anything else."""
    match = _POINT.search(wkt or "")
    return (float(match[1]), float(match[2])) if match else None


# A node's kind in the picture, from its classes of our ontology: the first of these it has.
_KINDS = [
    (NKG.Event, "event"),
    (NKG.Incident, "incident"),
    (NKG.Document, "document"),
    (NKG.CasualtyCount, "count"),
    (NKG.Toll, "count"),
    (NKG.Person, "person"),
    (NKG.Country, "place"),
    (NKG.Region, "place"),
    (NKG.City, "place"),
    (NKG.Crossing, "place"),
    (NKG.Place, "place"),
    (NKG.ArmedGroup, "group"),
    (NKG.Organization, "group"),
    (NKG.Actor, "group"),
]
# The kinds in the order they go round the picture, and as the legend names them.
KIND_NAMES = {
    "person": "person",
    "group": "group or organization",
    "place": "place",
    "event": "event",
    "incident": "incident",
    "count": "casualty count or toll",
    "document": "document",
    "": "other",
}
MAX_DOCUMENTS_DRAWN = 8  # of MAX_NEIGHBOURS: the rest go to what the entity is mentioned with
MAX_COUNTS_DRAWN = 6


# Names of the properties of other vocabularies shown on the entity page (ours have rdfs:label in the
# ontology), and how a fact reads from its object's side where "<label> of" would not.
def _by_iri(names: dict) -> dict[str, str]:
    """`names` keyed by the IRIs as plain strings (an rdflib term does not hash as its string)."""
    return {str(term): name for term, name in names.items()}


_LABELS = _by_iri(
    {
        PROV.wasDerivedFrom: "source",
        PROV.wasGeneratedBy: "made by",
        PROV.used: "used",
        DCTERMS.title: "title",
        DCTERMS.date: "date",
        DCTERMS.identifier: "identifier",
        DCTERMS.publisher: "publisher",
        DCTERMS.creator: "author",
        DCTERMS.source: "source",
        GEO.sfWithin: "within",
        GEO.hasGeometry: "geometry",
        GEO.asWKT: "coordinates",
        NIF.isString: "text",
        NIF.anchorOf: "text",
        NIF.beginIndex: "begins at",
        NIF.endIndex: "ends at",
        NIF.referenceContext: "document",
        SDO.url: "web address",
        OWL.sameAs: "same as",
        SKOS.exactMatch: "same as",
        RDFS.seeAlso: "see also",
        RDFS.comment: "comment",
        SKOS.definition: "definition",
    }
)
_INVERSES = _by_iri(
    {
        PROV.wasDerivedFrom: "source of",
        PROV.wasGeneratedBy: "made",
        PROV.used: "used by",
        GEO.sfWithin: "contains",
        NKG.connects: "connected by",
        NKG.blockedBy: "blocks",
        NKG.operatedBy: "operates",
        NKG.reports: "reported by",
        NKG.partOf: "has part",
    }
)


@cache
def _ontology_labels() -> dict[str, str]:
    label = node(RDFS.label)
    return {
        q.subject.value: q.object.value
        for q in ontology.quads()
        if q.predicate == label and isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal)
    }


def predicate_label(iri: str, names: dict[str, str], *, incoming: bool = False) -> str:
    """How the entity page names property `iri`: read from the subject's side, or from the object's
    ("source of", "perpetrator of") when `incoming`; its short name where it has no label."""
    if incoming and iri in _INVERSES:
        return _INVERSES[iri]
    label = _ontology_labels().get(iri) or _LABELS.get(iri)
    if label is None:
        return short(iri, names)
    return f"{label} of" if incoming else label


def kind_of(classes: str | None) -> str:
    """The picture's kind of a node with `classes` (IRIs separated by spaces): see `_KINDS`."""
    have = set((classes or "").split())
    return next((kind for term, kind in _KINDS if str(term) in have), "")


def short_names(base: str) -> dict[str, str]:
    """The prefixes terms are shown with, `id:` for the data's own IRIs under `base` (KG_BASE). For
    display only; titles and links carry the full IRI."""
    return {**PREFIXES, "id": base}


def short(iri: str, names: dict[str, str]) -> str:
    """`nkg:Person` for a term of a known namespace of `names`, else the IRI itself."""
    return shorten(iri, names)


@dataclass(frozen=True)
class Term:
    """An RDF term as shown: IRIs link to their entity page; literals are text."""

    value: str
    label: str
    is_iri: bool
    note: str = ""  # a literal's language or datatype
    kind: str = ""  # a node's CSS class in the picture: document, count or none


@dataclass(frozen=True)
class Fact:
    predicate: str  # full IRI
    other: Term  # the object of an outgoing fact, the subject of an incoming one
    outgoing: bool
    predicate_label: str  # the predicate, short


@dataclass(frozen=True)
class Passage:
    """A sentence that mentions the entity, in pieces of text; the mentions are the pieces marked True."""

    doc: Term
    pieces: list[tuple[str, bool]]


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Neighbour:
    term: Term
    at: Point
    label_at: Point
    anchor: str  # SVG text-anchor for the node's label
    edge: tuple[Point, Point]  # drawn from start to end, so the arrow shows the direction
    predicates: str
    edge_label_at: Point
    edge_label_angle: float  # degrees: the label runs along its edge, never upside down
    mentioned_with: bool = False  # no fact joins them: they are mentioned in the same documents


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    centre: Point
    neighbours: list[Neighbour]
    left_out: int  # neighbours not drawn
    legend: list[tuple[str, str]] = field(default_factory=list)  # (kind, its name) of each kind drawn


@dataclass
class EntityView:
    iri: str
    label: str
    types: list[Term] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    outgoing: list[Fact] = field(default_factory=list)
    incoming: list[Fact] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    picture: Picture | None = None
    incidents: list[event_view.EventGroup] = field(default_factory=list)  # where it is a place, perpetrator or victim
    is_event: bool = False
    point: str = ""  # "longitude latitude" of a place with coordinates: its map


def _term(
    term: ox.NamedNode | ox.BlankNode | ox.Literal,
    names: dict[str, str],
    label: ox.Literal | None = None,
    kinds: ox.Literal | None = None,
) -> Term:
    if isinstance(term, ox.Literal):
        text = term.value if len(term.value) <= MAX_LITERAL else term.value[:MAX_LITERAL] + "…"
        if term.language:
            return Term(term.value, text, False, f"@{term.language}")
        datatype = term.datatype.value
        return Term(term.value, text, False, "" if datatype in PLAIN_TYPES else short(datatype, names))
    if isinstance(term, ox.BlankNode):
        return Term(str(term), str(term), False)
    return Term(
        term.value,
        label.value if label is not None else short(term.value, names),
        True,
        kind=kind_of(kinds.value if kinds is not None else None),
    )


def sentence_bounds(text: str, begin: int, end: int) -> tuple[int, int]:
    """The sentence of `text` holding [begin, end), found by its end punctuation or a line break."""
    ends = [
        m for m in _SENTENCE_END.finditer(text) if not _ABBREVIATION.search(text[max(0, m.start() - 16) : m.start()])
    ]
    start = max((m.end() for m in ends if m.end() <= begin), default=0)
    return start, min((m.start() for m in ends if m.start() >= end), default=len(text))


def _passages(store: ox.Store, entity: ox.NamedNode, names: dict[str, str]) -> list[Passage]:
    mentions = list(run_named(store, "entity-mentions", e=entity))
    texts = {}
    for doc in dict.fromkeys(m["doc"] for m in mentions):
        for s in run_named(store, "document-text", doc=doc):
            texts[s["doc"]] = (s["text"].value, s["title"])
    sentences: dict[tuple[ox.NamedNode, int, int], list[tuple[int, int]]] = {}
    for m in mentions:
        if m["doc"] not in texts:
            continue
        begin, end = int(m["begin"].value), int(m["end"].value)
        if m["sentenceBegin"] is not None and m["sentenceEnd"] is not None:
            start, stop = int(m["sentenceBegin"].value), int(m["sentenceEnd"].value)
        else:
            start, stop = sentence_bounds(texts[m["doc"]][0], begin, end)
        sentences.setdefault((m["doc"], start, stop), []).append((begin, end))
    return [
        Passage(_term(doc, names, texts[doc][1]), pieces(texts[doc][0], start, stop, spans))
        for (doc, start, stop), spans in sentences.items()
    ]


def pieces(text: str, start: int, stop: int, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """text[start:stop] cut to CONTEXT characters around the spans, in pieces; the spans are marked True."""
    spans = sorted(spans, key=lambda span: (span[0], -span[1]))  # the longer of two spans at one place first
    cut_start, cut_stop = max(start, spans[0][0] - CONTEXT), min(stop, max(e for _, e in spans) + CONTEXT)
    out: list[tuple[str, bool]] = []
    at = cut_start
    for begin, end in spans:
        if begin >= at:  # a span inside the previous one is already marked
            out += [(text[at:begin], False), (text[begin:end], True)]
            at = end
    out.append((text[at:cut_stop], False))
    if cut_start > start:
        out[0] = ("…" + out[0][0], False)
    if cut_stop < stop:
        out[-1] = (out[-1][0] + "…", False)
    return [(piece, marked) for piece, marked in out if piece]


def _chosen(edges: list[tuple[Term, list[str], set[bool]]]) -> list[tuple[Term, list[str], set[bool]]]:
    """At most MAX_NEIGHBOURS of `edges`, taken from each kind in turn (each kind's first first), so that
    a hundred source documents do not crowd out the people and places; in the picture's order."""
    order = list(KIND_NAMES)
    queues: dict[str, list] = {}
    for edge in edges:
        queues.setdefault(edge[0].kind, []).append(edge)
    caps = {"document": MAX_DOCUMENTS_DRAWN, "count": MAX_COUNTS_DRAWN}
    pending = [queues[k][: caps.get(k, MAX_NEIGHBOURS)] for k in sorted(queues, key=order.index)]
    chosen: list = []
    while len(chosen) < MAX_NEIGHBOURS and any(pending):
        for queue in pending:
            if queue and len(chosen) < MAX_NEIGHBOURS:
                chosen.append(queue.pop(0))
    return sorted(chosen, key=lambda edge: (order.index(edge[0].kind), edge[0].label.casefold()))


def picture(
    facts: list[Fact], related: Sequence[tuple[Term, int]] = (), *, width: int = 900, height: int = 520
) -> Picture:
    """A radial layout: the entity in the middle, around it on an ellipse each IRI it shares a fact with
    and, by a dashed line, the people, groups and places `related` to it (each with the number of documents
    that mention both), grouped by kind."""
    edges: dict[str, tuple[Term, list[str], set[bool]]] = {}
    for fact in facts:
        if fact.other.is_iri:
            term, predicates, directions = edges.setdefault(fact.other.value, (fact.other, [], set()))
            predicates.append(fact.predicate_label)
            directions.add(fact.outgoing)
    for term, documents in related:
        if term.value not in edges:
            edges[term.value] = (term, [f"in {documents} of its documents"], set())
    drawn = _chosen(list(edges.values()))
    centre = Point(width / 2, height / 2)
    rx, ry = width / 2 - 215, height / 2 - 60  # room for the labels beside and above the nodes
    node, hub, gap = 14.0, 22.0, 5.0
    neighbours = []
    for i, (term, predicates, directions) in enumerate(drawn):
        angle = -math.pi / 2 + 2 * math.pi * i / len(drawn)
        at = Point(centre.x + rx * math.cos(angle), centre.y + ry * math.sin(angle))
        length = math.hypot(at.x - centre.x, at.y - centre.y)
        ux, uy = (at.x - centre.x) / length, (at.y - centre.y) / length
        near = Point(centre.x + (hub + gap) * ux, centre.y + (hub + gap) * uy)
        far = Point(at.x - (node + gap) * ux, at.y - (node + gap) * uy)
        if abs(ux) < 0.2:
            anchor, label_at = "middle", Point(at.x, at.y + (node + 14 if uy > 0 else -node - 6))
        else:
            anchor, label_at = ("start" if ux > 0 else "end"), Point(at.x + (node + 5) * math.copysign(1, ux), at.y + 4)
        middle = Point(centre.x + 0.55 * (at.x - centre.x), centre.y + 0.55 * (at.y - centre.y))
        slope = math.degrees(math.atan2(uy, ux))
        neighbours.append(
            Neighbour(
                term,
                at,
                label_at,
                anchor,
                (near, far) if True in directions else (far, near),
                ", ".join(dict.fromkeys(predicates)),
                middle,
                slope - 180 if slope > 90 else slope + 180 if slope < -90 else slope,
                mentioned_with=not directions,
            )
        )
    kinds = [k for k in KIND_NAMES if any(n.term.kind == k for n in neighbours)]
    return Picture(width, height, centre, neighbours, len(edges) - len(drawn), [(k, KIND_NAMES[k]) for k in kinds])


def load_entity(store: ox.Store, entity: ox.NamedNode, names: dict[str, str]) -> EntityView | None:
    """Everything the entity page shows (terms shortened with `names`), or None when the IRI is in no
    triple of the graph."""
    if not run_named(store, "entity-exists", e=entity):
        return None
    label = next(iter(run_named(store, "entity-label", e=entity)))["label"]
    view = EntityView(entity.value, label.value if label is not None else short(entity.value, names))
    for s in run_named(store, "entity-facts-out", e=entity):
        predicate, obj = s["p"].value, s["x"]
        if predicate == str(RDF.type):
            view.types.append(_term(obj, names, s["label"]))
        elif predicate == str(SKOS.altLabel) and isinstance(obj, ox.Literal):
            view.aliases.append(obj.value)
        elif predicate != str(RDFS.label):
            view.outgoing.append(
                Fact(predicate, _term(obj, names, s["label"], s["kinds"]), True, predicate_label(predicate, names))
            )
    for s in run_named(store, "entity-facts-in", e=entity):
        predicate = s["p"].value
        view.incoming.append(
            Fact(
                predicate,
                _term(s["x"], names, s["label"], s["kinds"]),
                False,
                predicate_label(predicate, names, incoming=True),
            )
        )
    view.aliases = sorted(set(view.aliases) - {view.label})
    view.passages = _passages(store, entity, names)
    related = [
        (_term(s["x"], names, s["label"], s["kinds"]), int(s["docs"].value))
        for s in run_named(store, "entity-related", e=entity)
    ]
    view.picture = picture(view.outgoing + view.incoming, related)
    view.incidents = event_view.incidents_of(store, entity)
    view.is_event = any(t.value == event_view.EVENT for t in view.types)
    for s in run_named(store, "entity-point", e=entity):
        point = point_of(s["wkt"].value)
        if point is not None:
            view.point = f"{point[0]} {point[1]}"
    return view


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


__all__ = [
    "event_page",
    "load_entity",
    "picture",
    "pieces",
    "point_of",
    "router",
    "sentence_bounds",
    "short",
    "short_names",
]
