"""Linking: the incidents of the store into events, all at once or only where documents changed.

`link(store, base)` computes every event: the candidate pairs by block (`pairs.keys`), their scores,
the components of the likely pairs and the events inside each (`clusters`). `link(..., full=False)`
re-links only the components that changed since the events graph was computed: those of the
documents whose content hash differs from the one the events graph recorded (new, changed, or gone)
and those of incidents no event holds, found by anti-joins inside the store. It finds their
candidates through the store's indexes (the documents that name the same people, as the events
graph records them; the incidents that name their places, by day), follows likely pairs to the
whole of each component, and rewrites those components' events. Since a pair's score depends on its
two incidents alone and a component's events on the component alone, both ways give the same graph.
"""

from __future__ import annotations

import contextlib
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import pyoxigraph as ox

from kg.events import clusters
from kg.events.clusters import Pair
from kg.events.graph import event_lines, hash_lines, lines_of, name_lines, replace, update
from kg.events.incidents import REPORT_LAG, IncidentRow, Reader
from kg.events.memory import Interner
from kg.events.pairs import WINDOWS, PairModel, anchor, candidate_pairs, candidates, keys, model, names
from kg.events.places import Places
from kg.namespaces import NKG, dcterms, entities_graph, events_graph, nkg, node, rdf

_TYPE, _INCIDENT_CLASS, _HASH, _EVENT, _NAME_KEY = rdf.type, nkg.Incident, nkg.contentHash, nkg.event, nkg.nameKey
_DATE, _PUBLISHED, _PLACE, _DOCUMENT = nkg.date, dcterms.date, nkg.place, nkg.Document


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
    graph, entities = events_graph(base), entities_graph(base)
    if gathered is None and not full:
        report = _relink(store, base, graph, entities, model())
    else:
        reader = gathered if gathered is not None else _read_all(store, graph)
        hashes = dict(reader.hashes)
        rows = reader.done(store, entities)
        events = _events(rows, model())
        report = LinkReport(len(rows), len(events), sum(len({i.doc for i in e}) > 1 for e in events))
        lines = sorted({*event_lines(store, base, events), *hash_lines(hashes), *name_lines(rows)})
        del rows, events
        report.changed = replace(store, graph, lines)
    report.seconds = time.perf_counter() - started
    return report


def read_rows(store: ox.Store, base: str) -> list[IncidentRow]:
    """The row of every incident in `store`, in IRI order."""
    return _read_all(store, events_graph(base)).done(store, entities_graph(base))


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


def _events(rows: list[IncidentRow], m: PairModel) -> list[list[IncidentRow]]:
    """Every event of `rows`: blocks, scores, components, average linkage in each."""
    return clusters.events(rows, _scored(rows, m), m)


def _scored(rows: list[IncidentRow], m: PairModel) -> dict[Pair, float]:
    """The score of every candidate pair of `rows`."""
    scores: dict[Pair, float] = {}
    for a, b in candidate_pairs(rows):
        scores[(a.iri, b.iri)] = m.score(a, b)
    return scores


def _score(a: IncidentRow, b: IncidentRow, scores: dict[Pair, float], m: PairModel) -> None:
    pair = (a.iri, b.iri) if a.iri < b.iri else (b.iri, a.iri)
    if pair not in scores and a.iri != b.iri and candidates(a, b):
        scores[pair] = m.score(a, b)


# incremental ------------------------------------------------------------------------------------
def _relink(store: ox.Store, base: str, graph: ox.NamedNode, entities: ox.NamedNode, m: PairModel) -> LinkReport:
    changes = _Changes(store, graph)
    changed, stale_events = changes.documents, changes.stale_events
    if not changed and not stale_events:
        return LinkReport(full=False)
    present = _Present(store)
    seeds = {i for doc in changed for i in present.incidents_of(doc)}
    seeds |= {i for e in stale_events for i in changes.members(e) if present.doc_of(i)}
    # the whole of each component the seeds are in, by the likely pairs of the store as it is now
    finder = _Finder(store, entities, graph, present)
    finder.pending(finder.rows(seeds).values())
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
    stale_events |= {e for i in touched if (e := changes.event_of(i))}
    group = [touched[i] for i in sorted(touched)]
    events = clusters.events(group, {p: s for p, s in scores.items() if p[0] in touched and p[1] in touched}, m)
    now = {d: h for d in changed if (h := present.hash_of(d)) is not None}
    named = finder.rows({i for d in now for i in present.incidents_of(d)}).values()
    new = {*event_lines(store, base, events), *hash_lines(now), *name_lines(named)}
    stale = lines_of(store, graph, stale_events, changed)
    report = LinkReport(len(group), len(events), sum(len({i.doc for i in e}) > 1 for e in events), full=False)
    report.changed = update(store, graph, stale, new)
    return report


_PREFIXES = f"PREFIX nkg: <{NKG}>\n"


class _Changes:
    """What changed since the events graph was computed, found by anti-joins inside the store (never
    by reading every document's hash into Python): `documents`, those whose content hash differs from
    the one the events graph recorded (new, changed or gone), and those with an incident that no event
    holds; `stale_events`, the events of a member that is gone or in one of those documents."""

    def __init__(self, store: ox.Store, graph: ox.NamedNode) -> None:
        self.store, self.graph = store, graph

        def select(where: str) -> list[ox.QuerySolution]:
            return list(store.query(f"{_PREFIXES}SELECT * WHERE {{ {where} }}"))  # type: ignore[arg-type]

        stored = "GRAPH ?doc { ?doc nkg:contentHash ?hash }"
        recorded = f"GRAPH {graph} {{ ?doc nkg:contentHash ?hash }}"
        documents = {str(r["doc"].value) for r in select(f"{stored} MINUS {{ {recorded} }}")}
        documents |= {str(r["doc"].value) for r in select(f"{recorded} MINUS {{ {stored} }}")}
        # a document graph without a hash (loaded, not ingested) is recorded with "" (`hash_lines`)
        for r in select(f"GRAPH ?doc {{ ?doc a nkg:Document }} MINUS {{ {stored} }}"):
            doc = r["doc"]
            seen = [str(q.object.value) for q in store.quads_for_pattern(doc, _HASH, None, graph)]  # type: ignore[union-attr]
            if seen == [""]:
                documents.discard(doc.value)
            else:
                documents.add(doc.value)
        for r in select(
            f"GRAPH ?doc {{ ?incident a nkg:Incident }} MINUS {{ GRAPH {graph} {{ ?incident nkg:event ?e }} }}"
        ):
            documents.add(str(r["doc"].value))
        gone = f"GRAPH {graph} {{ ?incident nkg:event ?event }} MINUS {{ GRAPH ?g {{ ?incident a nkg:Incident }} }}"
        self.stale_events = {str(r["event"].value) for r in select(gone)}
        for doc in documents:
            for q in store.quads_for_pattern(None, _TYPE, _INCIDENT_CLASS, node(doc)):
                if (event := self.event_of(q.subject.value)) is not None:  # type: ignore[union-attr]
                    self.stale_events.add(event)
        self.documents = documents

    def event_of(self, incident: str) -> str | None:
        for q in self.store.quads_for_pattern(node(incident), _EVENT, None, self.graph):
            return q.object.value  # type: ignore[union-attr]
        return None

    def members(self, event: str) -> set[str]:
        return _named(q.subject for q in self.store.quads_for_pattern(None, _EVENT, node(event), self.graph))


class _Present:
    """The incidents of the store as it is now, and their documents: one scan of the incidents' types
    (cheaper than a lookup for each of the many that linking asks about)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._doc: dict[str, str] = {}
        self._incidents: dict[str, set[str]] = {}
        for q in store.quads_for_pattern(None, _TYPE, _INCIDENT_CLASS, None):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.graph_name, ox.NamedNode):
                self._doc[q.subject.value] = q.graph_name.value
                self._incidents.setdefault(q.graph_name.value, set()).add(q.subject.value)

    def doc_of(self, incident: str) -> str | None:
        """The document graph that holds `incident`, or None when no graph does."""
        return self._doc.get(incident)

    def incidents_of(self, doc: str) -> set[str]:
        return self._incidents.get(doc, set())

    def hash_of(self, doc: str) -> str | None:
        """The content hash of document graph `doc` ("" without one); None when it is gone."""
        graph = node(doc)
        for q in self.store.quads_for_pattern(graph, _HASH, None, graph):
            return q.object.value  # type: ignore[union-attr]
        return "" if any(True for _ in self.store.quads_for_pattern(graph, _TYPE, _DOCUMENT, graph)) else None


def _date(term: object) -> date | None:
    if isinstance(term, ox.Literal):
        with contextlib.suppress(ValueError):
            return date.fromisoformat(term.value[:10])
    return None


def _named(terms: Iterable[object]) -> set[str]:
    """The IRIs among `terms`."""
    return {t.value for t in terms if isinstance(t, ox.NamedNode)}


class _Days:
    """Incidents by day: those with days of their own by each of them, the others by their document's
    publication (a superset of `pairs.gap`'s test: such a report may come REPORT_LAG days after)."""

    def __init__(self) -> None:
        self.own: list[tuple[date, str]] = []
        self.published: list[tuple[date, str]] = []

    def add(self, incident: str, own: list[date], published: date | None) -> None:
        if own:
            self.own += [(d, incident) for d in own]
        elif published is not None:
            self.published.append((published, incident))

    def sorted(self) -> _Days:
        self.own.sort()
        self.published.sort()
        return self

    def between(self, first: date, last: date) -> set[str]:
        """The incidents that may lie in [first, last]."""
        out = {i for _, i in self.own[bisect_left(self.own, (first, "")) : bisect_right(self.own, (last, "\uffff"))]}
        late = last + timedelta(days=REPORT_LAG)
        pub = self.published
        return out | {i for _, i in pub[bisect_left(pub, (first, "")) : bisect_right(pub, (late, "\uffff"))]}


class _Finder:
    """Rows of incidents read from the store on demand, and the incidents that may pair with a row.

    `around` answers from the store's indexes: the documents that name one of the row's people
    (kept only when published inside the key's window), and the incidents that name one of the row's
    places, a region of them or a place inside them, dated or published on the days around the row's."""

    def __init__(self, store: ox.Store, entities: ox.NamedNode, graph: ox.NamedNode, present: _Present) -> None:
        self.store, self.entities, self.graph, self.present = store, entities, graph, present
        self._pending: dict[str, set[str]] = {}
        self._rows: dict[str, IncidentRow] = {}
        self._published: dict[str, date | None] = {}
        self._naming: dict[str, set[str]] = {}
        self._naming_place: dict[str, _Days] = {}
        self._places = Places(store, entities, Interner())

    def rows(self, iris: Iterable[str]) -> dict[str, IncidentRow]:
        docs = {i: doc for i in iris if (doc := self.present.doc_of(i)) is not None}
        wanted = list(docs)
        missing = sorted({docs[i] for i in wanted if i not in self._rows})
        if missing:
            reader = Reader()
            for doc in missing:
                reader.add_document(self.store, doc)
            for row in reader.done(self.store, self.entities):
                self._rows[row.iri] = row
        return {i: self._rows[i] for i in wanted if i in self._rows}

    def pending(self, rows: Iterable[IncidentRow]) -> None:
        """The names of the changed documents' `rows`, which the events graph has not recorded yet."""
        for row in rows:
            for name in names(row):
                self._pending.setdefault(name, set()).add(row.doc)

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
                    out |= self.present.incidents_of(doc)
        if row.start is not None and row.end is not None and row.within:
            # in one of its places or their regions, or in a place inside one of its places (`pairs.nested`)
            first = row.start - timedelta(days=WINDOWS["r"])
            last = row.end + timedelta(days=WINDOWS["r"])
            inside = set().union(*(self._places.below(p) for p in row.places & row.within))
            for place in row.within | inside:
                out |= self._at(place).between(first, last)
        out.discard(row.iri)
        return out

    def _at(self, place: str) -> _Days:
        """The incidents that name `place`, by their days."""
        if place not in self._naming_place:
            days = _Days()
            for q in self.store.quads_for_pattern(None, _PLACE, node(place), None):
                incident, doc = q.subject, q.graph_name
                if (
                    isinstance(incident, ox.NamedNode)
                    and isinstance(doc, ox.NamedNode)
                    and self.present.doc_of(incident.value) == doc.value
                ):
                    said = [_date(d.object) for d in self.store.quads_for_pattern(incident, _DATE, None, doc)]
                    days.add(incident.value, [d for d in said if d is not None], self._published_of(doc.value))
            self._naming_place[place] = days.sorted()
        return self._naming_place[place]

    def _docs_naming(self, name: str) -> set[str]:
        """The documents that name a person of full name `name`: recorded in the events graph, or
        changed since."""
        if name not in self._naming:
            recorded = self.store.quads_for_pattern(None, _NAME_KEY, ox.Literal(name), self.graph)
            self._naming[name] = _named(q.subject for q in recorded) | self._pending.get(name, set())
        return self._naming[name]

    def _published_of(self, doc: str) -> date | None:
        if doc not in self._published:
            graph = node(doc)
            found = None
            for q in self.store.quads_for_pattern(graph, _PUBLISHED, None, graph):
                found = _date(q.object)
            self._published[doc] = found
        return self._published[doc]


__all__ = ["LinkReport", "link", "read_rows"]
