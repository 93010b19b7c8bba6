"""What the entity page (`/entity?iri=...`) shows: the entity's label, types and aliases, its facts both
ways, the sentences that mention it, its picture (kg.server.picture), the incidents it takes part in
(as place, perpetrator or victim, grouped by their events: `incidents_of`) and, for a place, its point
on the map.

Everything is read through `kg.sparql.run_named`, the queries of kg/rq/: how many facts, mentions and
incidents the page shows is in them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox

from kg import ontology
from kg.keys import last_part
from kg.namespaces import DCTERMS, GEO, NIF, NKG, OWL, PREFIXES, PROV, RDFS, SDO, SKOS, XSD, nkg, rdf, rdfs, skos
from kg.server import event_view
from kg.server.event_view import text_of
from kg.server.picture import Fact, Picture, Term, kind_of, picture
from kg.sparql import run_named, shorten

MAX_LITERAL = 300  # characters of a literal shown in a fact (a document's full text is long)
CONTEXT = 240  # characters kept on each side of a mention when its sentence is longer (or unknown)
PLAIN_TYPES = {str(XSD.string), str(XSD.integer), str(XSD.decimal), str(XSD.double)}  # shown without a note

_POINT = re.compile(r"POINT\s*\(\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*\)", re.IGNORECASE)


def point_of(wkt: str | None) -> tuple[float, float] | None:
    """(longitude, latitude) of a GeoSPARQL WKT point, or None for anything else."""
    match = _POINT.search(wkt or "")
    return (float(match[1]), float(match[2])) if match else None


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
    label = rdfs.label
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


def short_names(base: str) -> dict[str, str]:
    """The prefixes terms are shown with, `id:` for the data's own IRIs under `base` (KG_BASE). For
    display only; titles and links carry the full IRI."""
    return {**PREFIXES, "id": base}


def short(iri: str, names: dict[str, str]) -> str:
    """`nkg:Person` for a term of a known namespace of `names`, else the IRI itself."""
    return shorten(iri, names)


@dataclass(frozen=True)
class Passage:
    """A sentence that mentions the entity, in pieces of text; the mentions are the pieces marked True."""

    doc: Term
    pieces: list[tuple[str, bool]]


ROLES = {nkg.place: "place", nkg.perpetrator: "perpetrator", nkg.victim: "victim"}  # an incident's, of an entity


@dataclass
class IncidentView:
    """An incident that names an entity as its place, perpetrator or victim, for the entity page."""

    iri: str
    doc: event_view.Named
    published: str
    date: str
    role: str  # "place", "perpetrator", "victim", or two of them: "perpetrator and place"
    tolls: str  # "Killed 20, Injured 100"


@dataclass
class EventGroup:
    event: event_view.Named | None  # None: incidents that belong to no event (they have no date)
    incidents: list[IncidentView]
    date: str = ""  # the event's nkg:date

    @property
    def dated(self) -> bool:
        """Whether the page should add the date: the label of a linked event usually ends with it."""
        return bool(self.date and self.event and self.date not in self.event.label)


def incidents_of(store: ox.Store, entity: ox.NamedNode) -> list[EventGroup]:
    """The incidents that have `entity` as their place, perpetrator or victim, grouped by their events."""
    groups: dict[str, EventGroup] = {}
    for row in run_named(store, "entity-incidents", e=entity):
        key = text_of(row["event"])
        if key not in groups:
            event = event_view.Named(key, text_of(row["eventLabel"]) or last_part(key)) if key else None
            groups[key] = EventGroup(event, [], text_of(row["eventDate"]))
        role = ROLES[row["role"]]
        same = [i for i in groups[key].incidents if i.iri == row["incident"].value]
        if same:  # the entity is two of them at once: place and perpetrator ("Israel")
            same[0].role = " and ".join(sorted({*same[0].role.split(" and "), role}))
            continue
        doc = event_view.Named(row["doc"].value, text_of(row["title"]) or last_part(row["doc"].value))
        tolls = ", ".join(sorted(t for t in text_of(row["tolls"]).split(", ") if t))
        groups[key].incidents.append(
            IncidentView(row["incident"].value, doc, text_of(row["published"]), text_of(row["date"]), role, tolls)
        )
    return sorted(groups.values(), key=lambda g: (g.event is None, g.event.label if g.event else ""))


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
    incidents: list[EventGroup] = field(default_factory=list)  # where it is a place, perpetrator or victim
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


def _passages(store: ox.Store, entity: ox.NamedNode, names: dict[str, str]) -> list[Passage]:
    mentions = list(run_named(store, "entity-mentions", e=entity))
    texts = {}
    for doc in dict.fromkeys(m["doc"] for m in mentions):
        for s in run_named(store, "document-text", doc=doc):
            texts[s["doc"]] = (s["text"].value, s["title"])
    sentences: dict[tuple[ox.NamedNode, int, int], list[tuple[int, int]]] = {}
    windows = set()  # passages that are no sentence: a mention in the text around it
    for m in mentions:
        if m["doc"] not in texts:
            continue
        begin, end = int(m["begin"].value), int(m["end"].value)
        if m["sentenceBegin"] is not None and m["sentenceEnd"] is not None:
            start, stop = int(m["sentenceBegin"].value), int(m["sentenceEnd"].value)
        else:  # a graph stored without its sentences (extracted elsewhere, or before they were stored)
            start, stop = max(0, begin - CONTEXT), min(len(texts[m["doc"]][0]), end + CONTEXT)
            windows.add((m["doc"], start, stop))
        sentences.setdefault((m["doc"], start, stop), []).append((begin, end))
    passages = []
    for key, spans in sentences.items():
        doc, start, stop = key
        text, title = texts[doc]
        bounds = (0, len(text)) if key in windows else (start, stop)
        passages.append(Passage(_term(doc, names, title), pieces(text, *bounds, spans)))
    return passages


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


def load_entity(store: ox.Store, entity: ox.NamedNode, names: dict[str, str]) -> EntityView | None:
    """Everything the entity page shows (terms shortened with `names`), or None when the IRI is in no
    triple of the graph."""
    if not run_named(store, "entity-exists", e=entity):
        return None
    label = next(iter(run_named(store, "entity-label", e=entity)))["label"]
    view = EntityView(entity.value, label.value if label is not None else short(entity.value, names))
    for s in run_named(store, "entity-facts-out", e=entity):
        term, obj = s["p"], s["x"]
        predicate = term.value
        if term == rdf.type:
            view.types.append(_term(obj, names, s["label"]))
        elif term == skos.altLabel and isinstance(obj, ox.Literal):
            view.aliases.append(obj.value)
        elif term != rdfs.label:
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
    view.incidents = incidents_of(store, entity)
    view.is_event = any(t.value == event_view.EVENT for t in view.types)
    for s in run_named(store, "entity-point", e=entity):
        point = point_of(s["wkt"].value)
        if point is not None:
            view.point = f"{point[0]} {point[1]}"
    return view


__all__ = [
    "CONTEXT",
    "PLAIN_TYPES",
    "EntityView",
    "EventGroup",
    "IncidentView",
    "Passage",
    "incidents_of",
    "load_entity",
    "pieces",
    "point_of",
    "predicate_label",
    "short",
    "short_names",
]
