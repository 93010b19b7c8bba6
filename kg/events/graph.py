"""The events graph `{base}graph/events`: its triples for a set of events, and writing them.

Each event is `{base}event/{16 hex of sha256 of its smallest member incident IRI}` with a label, a date,
its places, perpetrators and victims; each member links to it with nkg:event. The graph also keeps,
for each document it was computed from, that document's nkg:contentHash: what the next ingest compares
to find the documents that changed since (`kg.events.link`), and the names its incidents are blocked
by (nkg:nameKey), by which the next ingest finds the reports that name the same people. The sources'
tolls stay in their documents' graphs: an event does not average them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from urllib.parse import unquote

import pyoxigraph as ox

from kg.batches import batches
from kg.events.incidents import IncidentRow
from kg.events.pairs import names
from kg.keys import event_iri, last_part
from kg.namespaces import nkg, node, rdf, rdfs, xsd

LOAD_BATCH = 10_000  # lines of a new events graph a transaction writes (see `replace`)

_TYPE, _LABEL, _XSD_DATE = rdf.type, rdfs.label, xsd.date
_EVENT, _EVENT_CLASS, _HASH, _NAME_KEY = nkg.event, nkg.Event, nkg.contentHash, nkg.nameKey
_DATE, _PLACE, _PERPETRATOR, _VICTIM = nkg.date, nkg.place, nkg.perpetrator, nkg.victim


def event_lines(store: ox.Store, base: str, events: list[list[IncidentRow]]) -> Iterator[str]:
    """The N-Triples lines of `events` (each a list of incidents, the smallest IRI first)."""
    labels = _labels(store, {p for e in events for i in e for p in (*i.places, *i.countries)})
    for members in events:
        event = event_iri(base, members[0].iri)
        yield f"{event} {_TYPE} {_EVENT_CLASS} ."
        own = [i.start for i in members if i.own_date and i.start is not None]
        if own:
            yield f"{event} {_DATE} {ox.Literal(min(own).isoformat(), datatype=_XSD_DATE)} ."
        named = {p for i in members for p in i.places}
        places = sorted(named - {c for i in members for c in i.containers})
        actors = sorted({a for i in members for a in i.actors})
        victims = sorted({v.iri for i in members for v in i.victims})
        for p in places:
            yield f"{event} {_PLACE} {node(p)} ."
        for a in actors:
            yield f"{event} {_PERPETRATOR} {node(a)} ."
        for v in victims:
            yield f"{event} {_VICTIM} {node(v)} ."
        if own:
            when = min(own).isoformat()
        else:
            reported = [i.end for i in members if i.end is not None]
            when = f"reported {min(reported).isoformat()}" if reported else ""
        countries = sorted({c for i in members for c in i.containers & i.countries} - set(places))
        types = {t for i in members for t in i.types}
        yield f"{event} {_LABEL} {ox.Literal(_label(when, places, countries, types, labels))} ."
        for i in members:
            yield f"{node(i.iri)} {_EVENT} {event} ."


def hash_lines(hashes: dict[str, str]) -> Iterator[str]:
    """The lines that record which version of each document the events were computed from."""
    for doc, digest in sorted(hashes.items()):
        yield f"{node(doc)} {_HASH} {ox.Literal(digest)} ."


def name_lines(rows: Iterable[IncidentRow]) -> Iterator[str]:
    """The lines that record the names each document's incidents are blocked by (`pairs.names`), by
    which a later re-link finds, through the store's index, the reports that name them."""
    for row in rows:
        for name in names(row):
            yield f"{node(row.doc)} {_NAME_KEY} {ox.Literal(name)} ."


def lines_of(store: ox.Store, graph: ox.NamedNode, events: Iterable[str], docs: Iterable[str]) -> set[str]:
    """The lines the events graph holds now about `events` (and their members' links) and `docs`."""
    out: set[str] = set()
    for iri in events:
        event = node(iri)
        for q in (
            *store.quads_for_pattern(event, None, None, graph),
            *store.quads_for_pattern(None, None, event, graph),
        ):
            out.add(f"{q.subject} {q.predicate} {q.object} .")
    for doc in docs:
        for predicate in (_HASH, _NAME_KEY):
            for q in store.quads_for_pattern(node(doc), predicate, None, graph):
                out.add(f"{q.subject} {q.predicate} {q.object} .")
    return out


def update(store: ox.Store, graph: ox.NamedNode, stale: set[str], new: set[str]) -> bool:
    """Take `stale` out of `graph` and put `new` in, in one update; False when that changes nothing."""
    stale, new = stale - new, new - stale
    if not stale and not new:
        return False
    parts = []
    if stale:
        parts.append(f"DELETE DATA {{ GRAPH {graph} {{\n" + "\n".join(sorted(stale)) + "\n} }")
    if new:
        parts.append(f"INSERT DATA {{ GRAPH {graph} {{\n" + "\n".join(sorted(new)) + "\n} }")
    store.update(" ;\n".join(parts))
    return True


def replace(store: ox.Store, graph: ox.NamedNode, lines: list[str]) -> bool:
    """Make `graph` hold exactly the triples of `lines` (N-Triples); False when it holds them already.
    The stored graph streams out of the store against the lines (never held), and only the difference
    is written. Nothing stale (the first run, or a store that grew) is new lines only, loaded in
    transactions of LOAD_BATCH lines: one transaction holds all it writes in memory, and a reader sees
    events arrive as it sees documents arrive. Otherwise one update deletes the stale triples and
    inserts the new ones, so a reader never sees a mix (dropping the graph first when a stale triple
    holds a blank node, which DELETE DATA cannot name). A run killed midway leaves a graph that the
    next run completes."""
    new = set(lines)
    stale: list[str] = []
    blank = False
    for q in store.quads_for_pattern(None, None, None, graph):
        line = f"{q.subject} {q.predicate} {q.object} ."
        if line in new:
            new.remove(line)
        else:
            stale.append(line)
            blank = blank or isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
    if not stale and not new:
        return False
    if not stale:
        for batch in batches((line for line in lines if line in new), LOAD_BATCH):
            store.load("\n".join(batch).encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=graph)
            store.flush()  # RocksDB's write buffers would otherwise hold the whole graph
        return True
    delete = (
        f"DROP SILENT GRAPH {graph}" if blank else f"DELETE DATA {{ GRAPH {graph} {{\n" + "\n".join(stale) + "\n} }"
    )
    insert = lines if blank else [line for line in lines if line in new]
    store.update(f"{delete} ;\nINSERT DATA {{ GRAPH {graph} {{\n" + "\n".join(insert) + "\n} }")
    return True


def _labels(store: ox.Store, iris: set[str]) -> dict[str, str]:
    """The least of each IRI's rdfs:labels in any named graph, by the store's index."""
    found: dict[str, str] = {}
    for iri in iris:
        names = [
            q.object.value
            for q in store.quads_for_pattern(node(iri), _LABEL, None, None)
            if isinstance(q.object, ox.Literal) and not isinstance(q.graph_name, ox.DefaultGraph)
        ]
        if names:
            found[iri] = min(names)
    return found


# casualty types in the order an event's name gives them
_TYPES = ("Killed", "Injured", "Missing", "Hostage", "Captured", "Released", "Trapped", "Evacuated", "Displaced")


def _label(when: str, places: list[str], countries: list[str], types: set[str], labels: dict[str, str]) -> str:
    """ "Dnipro, Ukraine, 2023-12-02": the places and the country they lie in, then the day; without a
    place, the casualty types ("Killed and injured, 2023-11-08"). The perpetrators are a field of their
    own (nkg:perpetrator), not part of the name. Names the store has no label for show their IRI's
    last part."""

    def name(iri: str) -> str:
        return labels.get(iri, unquote(last_part(iri)))

    where = [name(p) for p in places[:2]] + (["…"] if len(places) > 2 else []) + [name(c) for c in countries[:1]]
    if not where:
        named = [t.lower() for t in _TYPES if nkg[t].value in types]
        what = " and ".join(named) if len(named) <= 2 else ", ".join(named[:-1]) + " and " + named[-1]
        where = [what.capitalize() or "Casualties"]
    return ", ".join([*where, *([when] if when else [])])


__all__ = ["LOAD_BATCH", "event_lines", "hash_lines", "name_lines", "replace", "update"]
