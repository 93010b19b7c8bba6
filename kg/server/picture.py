"""The entity page's picture: the terms and facts it draws, the kind of each node, and the radial layout
of the entity's neighbours around it (kg.server.entity_view gives it the facts)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.namespaces import NKG

MAX_NEIGHBOURS = 24  # nodes drawn around the entity

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


def kind_of(classes: str | None) -> str:
    """The picture's kind of a node with `classes` (IRIs separated by spaces): see `_KINDS`."""
    have = set((classes or "").split())
    return next((kind for term, kind in _KINDS if str(term) in have), "")


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


__all__ = ["KIND_NAMES", "Fact", "Neighbour", "Picture", "Point", "Term", "kind_of", "picture"]
