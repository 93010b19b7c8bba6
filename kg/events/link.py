"""Linking: the incidents of the store into events, all at once or only where documents changed.

`link(store, base)` computes every event: the candidate pairs by block (`pairs.keys`), their scores,
the components of the likely pairs and the events inside each (`clusters`). `link(..., full=False)`
re-links only the components that changed since the events graph was computed: those of the
documents whose content hash differs from the one the events graph recorded (new, changed, or gone)
and those of incidents no event holds. It finds their candidates through the store's indexes (the
people they name; the days around theirs), follows likely pairs to the whole of each component, and
rewrites those components' events. Since a pair's score depends on its two incidents alone and a
component's events on the component alone, both ways give the same graph.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import pyoxigraph as ox

from kg.events import clusters
from kg.events.clusters import Pair
from kg.events.graph import event_lines, events_graph, hash_lines, lines_of, linked, replace, update
from kg.events.pairs import WINDOWS, Model, anchor, candidate_pairs, candidates, keys, model
from kg.events.rows import REPORT_LAG, IncidentRow, Pool, Reader, Shared
from kg.namespaces import DCTERMS, NKG, RDF, XSD

_XSD_DATE = ox.NamedNode(str(XSD.date))
_TYPE, _INCIDENT_CLASS, _PERSON, _HASH = (
    ox.NamedNode(str(RDF.type)),
    ox.NamedNode(str(NKG.Incident)),
    ox.NamedNode(str(NKG.Person)),
    ox.NamedNode(str(NKG.contentHash)),
)
_DATE, _PUBLISHED, _PLACE, _VICTIM, _PERPETRATOR, _DOCUMENT = (
    ox.NamedNode(str(NKG.date)),
    ox.NamedNode(str(DCTERMS.date)),
    ox.NamedNode(str(NKG.place)),
    ox.NamedNode(str(NKG.victim)),
    ox.NamedNode(str(NKG.perpetrator)),
    ox.NamedNode(str(NKG.Document)),
)


@dataclass
class LinkReport:
    incidents: int = 0  # incidents linked this run (all of them, when full)
    events: int = 0  # events written this run
    shared: int = 0  # of those, events that more than one document reports
    changed: bool = False
    seconds: float = 0.0
    full: bool = True


def link(store: ox.Store, base: str, gathered: Reader | None = None, *, full: bool = True) -> LinkReport:
    """Bring the events graph up to date with the incidents in `store`: all recomputed (`full`, or
    from `gathered` when an ingest into an empty store read every graph as it wrote it), or only the
    components that changed."""
    started = time.perf_counter()
    graph, entities = events_graph(base), ox.NamedNode(f"{base}graph/entities")
    if gathered is None and not full:
        report = _relink(store, base, graph, entities, model())
    else:
        reader = gathered if gathered is not None else _read_all(store, graph)
        hashes = dict(reader.hashes)
        rows = reader.done(store, entities)
        events = _events(rows, model())
        report = LinkReport(len(rows), len(events), sum(len({i.doc for i in e}) > 1 for e in events))
        lines = sorted({*event_lines(store, base, events), *hash_lines(hashes)})
        del rows, events
        report.changed = replace(store, graph, lines)
    report.seconds = time.perf_counter() - started
    return report


def read_rows(store: ox.Store, base: str) -> list[IncidentRow]:
    """The row of every incident in `store`, in IRI order."""
    return _read_all(store, events_graph(base)).done(store, ox.NamedNode(f"{base}graph/entities"))


def _read_all(store: ox.Store, graph: ox.NamedNode) -> Reader:
    reader = Reader()
    for doc in _documents(store, graph):
        reader.add_document(store, doc)
    return reader


def _documents(store: ox.Store, graph: ox.NamedNode) -> list[str]:
    """Every document graph: a graph that types its own name nkg:Document."""
    return sorted(
        q.subject.value
        for q in store.quads_for_pattern(None, _TYPE, _DOCUMENT, None)
        if q.subject == q.graph_name and isinstance(q.subject, ox.NamedNode)
    )


def _events(rows: list[IncidentRow], m: Model) -> list[list[IncidentRow]]:
    """Every event of `rows`: blocks, scores, components, average linkage in each."""
    return clusters.events(rows, _scored(rows, m), m)


def _scored(rows: list[IncidentRow], m: Model) -> dict[Pair, float]:
    """The score of every candidate pair of `rows`."""
    scores: dict[Pair, float] = {}
    for a, b in candidate_pairs(rows):
        scores[(a.iri, b.iri)] = m.score(a, b)
    return scores


def _score(a: IncidentRow, b: IncidentRow, scores: dict[Pair, float], m: Model) -> None:
    pair = (a.iri, b.iri) if a.iri < b.iri else (b.iri, a.iri)
    if pair not in scores and a.iri != b.iri and candidates(a, b):
        scores[pair] = m.score(a, b)


# incremental ------------------------------------------------------------------------------------
def _relink(store: ox.Store, base: str, graph: ox.NamedNode, entities: ox.NamedNode, m: Model) -> LinkReport:
    event_of, recorded = linked(store, graph)
    present = {
        q.subject.value: q.graph_name.value
        for q in store.quads_for_pattern(None, _TYPE, _INCIDENT_CLASS, None)
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.graph_name, ox.NamedNode)
    }
    now = _hashes(store)
    changed = {d for d in now.keys() | recorded.keys() if now.get(d) != recorded.get(d)}
    changed |= {doc for incident, doc in present.items() if incident not in event_of}
    stale_events = {e for i, e in event_of.items() if i not in present or present[i] in changed}
    if not changed and not stale_events:
        return LinkReport(full=False)
    members: dict[str, list[str]] = {}
    for incident, event in event_of.items():
        members.setdefault(event, []).append(incident)
    seeds = {i for i, doc in present.items() if doc in changed}
    seeds |= {i for e in stale_events for i in members.get(e, ()) if i in present}
    # the whole of each component the seeds are in, by the likely pairs of the store as it is now
    finder = _Finder(store, entities, present)
    scores: dict[Pair, float] = {}
    touched: dict[str, IncidentRow] = {}
    frontier = sorted(seeds)
    while frontier:
        reached: set[str] = set()
        for iri, row in finder.rows(frontier).items():
            touched[iri] = row
            for other in finder.rows(finder.around(row)).values():
                _score(row, other, scores, m)
                pair = (row.iri, other.iri) if row.iri < other.iri else (other.iri, row.iri)
                if scores.get(pair, 0.0) >= m.edge and other.iri not in touched:
                    reached.add(other.iri)
        frontier = sorted(reached - touched.keys())
    stale_events |= {event_of[i] for i in touched if i in event_of}
    group = [touched[i] for i in sorted(touched)]
    events = clusters.events(group, {p: s for p, s in scores.items() if p[0] in touched and p[1] in touched}, m)
    new = {*event_lines(store, base, events), *hash_lines({d: now[d] for d in changed if d in now})}
    stale = lines_of(store, graph, stale_events, changed)
    report = LinkReport(len(group), len(events), sum(len({i.doc for i in e}) > 1 for e in events), full=False)
    report.changed = update(store, graph, stale, new)
    return report


def _hashes(store: ox.Store) -> dict[str, str]:
    """Document IRI -> its content hash ("" for a document graph without one)."""
    out = {
        q.subject.value: ""
        for q in store.quads_for_pattern(None, _TYPE, _DOCUMENT, None)
        if isinstance(q.subject, ox.NamedNode) and q.subject == q.graph_name
    }
    for q in store.quads_for_pattern(None, _HASH, None, None):
        if isinstance(q.subject, ox.NamedNode) and q.subject == q.graph_name and isinstance(q.object, ox.Literal):
            out[q.subject.value] = q.object.value
    return out


def _named(terms: Iterable[object]) -> set[str]:
    """The IRIs among `terms`."""
    return {t.value for t in terms if isinstance(t, ox.NamedNode)}


class _Finder:
    """Rows of incidents read from the store on demand, and the incidents that may pair with a row.

    `around` answers from the store's indexes: the documents that name one of the row's people
    (kept only when published inside the key's window), and the incidents dated or published on the
    days around the row's in one of its places."""

    def __init__(self, store: ox.Store, entities: ox.NamedNode, present: dict[str, str]) -> None:
        self.store, self.entities, self.present = store, entities, present
        self._rows: dict[str, IncidentRow] = {}
        self._places: dict[str, set[str]] = {}
        self._published: dict[str, date | None] = {}
        self._incidents: dict[str, set[str]] = {}  # document -> its incidents
        for incident, doc in present.items():
            self._incidents.setdefault(doc, set()).add(incident)
        self._naming: dict[str, set[str]] = {}
        self._days: dict[date, dict[str, set[str]]] = {}
        self._shared = Shared(store, entities, Pool())

    def rows(self, iris: Iterable[str]) -> dict[str, IncidentRow]:
        wanted = [i for i in iris if i in self.present]
        missing = sorted({self.present[i] for i in wanted if i not in self._rows})
        if missing:
            reader = Reader()
            for doc in missing:
                reader.add_document(self.store, doc)
            for row in reader.done(self.store, self.entities):
                self._rows[row.iri] = row
        return {i: self._rows[i] for i in wanted if i in self._rows}

    def around(self, row: IncidentRow) -> set[str]:
        """Incidents that share a key with `row` inside its window (a superset of its candidates)."""
        out: set[str] = set()
        mine = anchor(row)
        for kind, key in set(keys(row)):
            if kind == "r":
                continue
            for doc in self._docs_naming(key):
                day = self._published_of(doc)
                if day is None or mine is None or abs((day - mine).days) <= WINDOWS[kind]:
                    out |= self._incidents_of(doc)
        if row.start is not None and row.end is not None and row.within:
            first = row.start - timedelta(days=WINDOWS["r"])
            last = row.end + timedelta(days=WINDOWS["r"] + REPORT_LAG)
            for n in range((last - first).days + 1):
                at = self._on(first + timedelta(days=n))
                for place in row.within:
                    out |= at.get(place, set())
        out.discard(row.iri)
        return out

    def _on(self, day: date) -> dict[str, set[str]]:
        """Place -> the incidents in it (or in a place it contains) dated `day`, or reported by a
        document published that day."""
        if day not in self._days:
            literal = ox.Literal(day.isoformat(), datatype=_XSD_DATE)
            found = _named(q.subject for q in self.store.quads_for_pattern(None, _DATE, literal, None))
            for doc in _named(q.subject for q in self.store.quads_for_pattern(None, _PUBLISHED, literal, None)):
                found |= self._incidents_of(doc)
            by_place: dict[str, set[str]] = {}
            for incident in found:
                if incident in self.present:
                    for place in self._places_of(incident):
                        by_place.setdefault(place, set()).add(incident)
            self._days[day] = by_place
        return self._days[day]

    def _docs_naming(self, person: str) -> set[str]:
        """The documents whose graphs name `person`."""
        if person not in self._naming:
            node = ox.NamedNode(person)
            docs = _named(q.graph_name for q in self.store.quads_for_pattern(node, _TYPE, _PERSON, None))
            for predicate in (_VICTIM, _PERPETRATOR):
                docs |= _named(q.graph_name for q in self.store.quads_for_pattern(None, predicate, node, None))
            self._naming[person] = docs
        return self._naming[person]

    def _published_of(self, doc: str) -> date | None:
        if doc not in self._published:
            node = ox.NamedNode(doc)
            found = None
            for q in self.store.quads_for_pattern(node, _PUBLISHED, None, node):
                with contextlib.suppress(ValueError):
                    found = date.fromisoformat(q.object.value[:10]) if isinstance(q.object, ox.Literal) else None
            self._published[doc] = found
        return self._published[doc]

    def _incidents_of(self, doc: str) -> set[str]:
        return self._incidents.get(doc, set())

    def _places_of(self, incident: str) -> set[str]:
        """The places an incident names and every place that contains them (a superset of its row's
        `within`)."""
        if incident not in self._places:
            graph = ox.NamedNode(self.present[incident])
            named = _named(q.object for q in self.store.quads_for_pattern(ox.NamedNode(incident), _PLACE, None, graph))
            self._places[incident] = named.union(*(self._shared.above(p) for p in named))
        return self._places[incident]


__all__ = ["LinkReport", "link", "read_rows"]
