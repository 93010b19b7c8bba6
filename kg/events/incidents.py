"""What linking knows of an incident: one `IncidentRow`, read from its document's graph.

There is one reader, `Reader.add_graph`, over the quads of one document graph. An ingest into an empty
store hands it each graph as it writes it; every other run reads the graphs it needs back from the
store (`Reader.add_document`). Either way `Reader.done` turns what was read into rows with the facts the
shared entities graph holds about their places (`kg.events.places`) and people (their names, `People`),
looked up once per IRI.
"""

from __future__ import annotations

import contextlib
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pyoxigraph as ox

from kg.events.memory import Interner
from kg.events.places import Places
from kg.namespaces import dcterms, nif, nkg, node, rdf, rdfs

REPORT_LAG = 2  # days: a report without a date of its own may come this long after the happening
SKETCH = 48  # words of a report's title and lead kept to compare two reports (a bottom-k sketch)
LEAD = 600  # characters of the text that make its lead

_TYPE, _LABEL, _INCIDENT_CLASS, _TOLL_CLASS, _PERSON = rdf.type, rdfs.label, nkg.Incident, nkg.Toll, nkg.Person
_DATE, _PLACE, _PERPETRATOR, _VICTIM, _HASH = nkg.date, nkg.place, nkg.perpetrator, nkg.victim, nkg.contentHash
_PUBLISHED, _TITLE, _TEXT, _REPORTS, _MAIN = dcterms.date, dcterms.title, nif.isString, nkg.reports, nkg.mainIncident
_INCIDENT, _CASUALTY_TYPE, _OF_PERPETRATORS = nkg.incident, nkg.casualtyType, nkg.ofPerpetrators
_ROLE, _AFFILIATION, _AGE = nkg.role, nkg.affiliation, nkg.age
_TRUE = ox.Literal(True)
_NOTHING: frozenset[str] = frozenset()

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]{3,}")
# words every crime report uses: they say nothing of which happening it is
_COMMON = frozenset(
    """
that this with from have were said says police officers officer according told about after before their there
they them when where which while would could should will been being into over under than then also shot shooting
shootings killed killing dead death died injured wounded wounding hospital victim victims suspect suspects
man woman year years old people person family friday monday tuesday wednesday thursday saturday sunday night
morning evening afternoon news report reported reports says county city department sheriff street avenue road
""".split()
)


@dataclass(frozen=True, slots=True)
class Person:
    """A person an incident names as victim or perpetrator: the IRI, and the key of the name's last word
    with its first letter ("carroll t"), which two spellings of one name share ("T. Carroll")."""

    iri: str
    key: str | None
    age: int | None = None
    name: str | None = None  # the full name as linking compares it (`full_name`): "jacob stahl"


@dataclass(slots=True)
class IncidentRow:
    """One incident, as linking compares it with others."""

    iri: str
    doc: str
    start: date | None  # the happening lies in [start, end]: its own day, else up to REPORT_LAG before
    end: date | None  # the document's publication (for an incident it reports as news)
    own_date: bool
    published: date | None
    main: bool  # the incident the document's headline and lead are about
    places: frozenset[str] = _NOTHING  # the places it names
    within: frozenset[str] = _NOTHING  # those below the country, and every place below the country containing them
    containers: frozenset[str] = _NOTHING  # every place containing one of its places, countries too
    countries: frozenset[str] = _NOTHING  # the countries it names or lies in
    victims: tuple[Person, ...] = ()
    actors: frozenset[str] = _NOTHING  # the perpetrators it names
    perpetrators: frozenset[str] = _NOTHING  # those and the groups they belong to
    culprits: tuple[Person, ...] = ()  # the perpetrators that are people
    people: frozenset[str] = _NOTHING  # the full names (`full_name`) of the people its document names, officials aside
    types: frozenset[str] = _NOTHING  # casualty types of its victims' tolls
    sketch: tuple[int, ...] = ()  # the smallest hashes of its document's title and lead words
    groups: frozenset[str] = _NOTHING  # the perpetrators that are not people, and the groups they belong to

    def key(self) -> tuple[str, str]:
        return (self.iri, self.doc)


@dataclass(slots=True)
class _Raw:
    """What one document graph says of one incident, before the shared graph is asked."""

    iri: str
    doc: str
    day: date | None
    published: date | None
    reported: bool
    main: bool
    places: list[str] = field(default_factory=list)
    victims: list[str] = field(default_factory=list)
    perpetrators: list[str] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    people: frozenset[str] = _NOTHING
    persons: frozenset[str] = _NOTHING  # officials too
    ages: dict[str, int] = field(default_factory=dict)
    sketch: tuple[int, ...] = ()
    affiliations: dict[str, set[str]] = field(default_factory=dict)


class Reader:
    """Gathers incidents from document graphs; `done(store)` gives their rows."""

    def __init__(self) -> None:
        self._raw: dict[str, _Raw] = {}
        self._intern = Interner()
        self.hashes: dict[str, str] = {}  # document IRI -> its content hash ("" for a graph without one)

    def __len__(self) -> int:
        return len(self._raw)

    def add_document(self, store: ox.Store, doc: str) -> None:
        """The incidents of the document graph `doc` in `store`."""
        graph = node(doc)
        self.add_graph(graph, store.quads_for_pattern(None, None, None, graph))

    def add_graph(self, doc: ox.NamedNode, quads: Iterable[ox.Quad]) -> None:
        """The incidents of one document graph, from its quads (all in graph `doc`)."""
        typed: dict[object, ox.NamedNode] = {}
        dates: dict[object, list[date]] = {}
        published: date | None = None
        reported: set[object] = set()
        main: object = None
        links: list[tuple[object, ox.NamedNode, object]] = []
        tolls: dict[object, dict[ox.NamedNode, list[object]]] = {}
        persons: set[str] = set()
        officials: set[str] = set()
        ages: dict[str, int] = {}
        affiliations: dict[str, set[str]] = {}
        title, text, digest = "", "", ""
        for quad in quads:
            subject, predicate, obj = quad.subject, quad.predicate, quad.object
            if predicate == _TYPE:
                if obj in (_INCIDENT_CLASS, _TOLL_CLASS):
                    typed[subject] = obj  # type: ignore[assignment]
                elif obj == _PERSON and isinstance(subject, ox.NamedNode):
                    persons.add(subject.value)
            elif predicate == _DATE and isinstance(obj, ox.Literal):
                day = _day(obj)
                if day is not None:
                    dates.setdefault(subject, []).append(day)
            elif subject == doc and isinstance(obj, ox.Literal) and predicate in (_PUBLISHED, _TITLE, _TEXT, _HASH):
                if predicate == _HASH:
                    digest = obj.value
                elif predicate == _PUBLISHED:
                    published = _day(obj)
                elif predicate == _TITLE:
                    title = obj.value
                else:
                    text = obj.value
            elif predicate == _REPORTS and subject == doc:
                reported.add(obj)
            elif predicate == _MAIN and subject == doc:
                main = obj
            elif predicate in (_PLACE, _PERPETRATOR, _VICTIM):
                links.append((subject, predicate, obj))
            elif predicate in (_INCIDENT, _CASUALTY_TYPE, _OF_PERPETRATORS):
                tolls.setdefault(subject, {}).setdefault(predicate, []).append(obj)
            elif predicate == _AFFILIATION and isinstance(subject, ox.NamedNode) and isinstance(obj, ox.NamedNode):
                affiliations.setdefault(subject.value, set()).add(obj.value)
            elif predicate == _ROLE and isinstance(subject, ox.NamedNode):
                officials.add(subject.value)
            elif predicate == _AGE and isinstance(subject, ox.NamedNode) and isinstance(obj, ox.Literal):
                with contextlib.suppress(ValueError):
                    ages[subject.value] = int(obj.value)
        intern = self._intern
        doc_iri = intern(doc.value)
        self.hashes[doc_iri] = digest
        everyone = intern(frozenset(persons))
        people = intern(frozenset(persons - officials))  # a sheriff or a spokesman speaks of many happenings
        sketch = _sketch(title + "\n" + text[:LEAD])
        found: dict[object, _Raw] = {}
        for incident, kind in typed.items():
            if kind != _INCIDENT_CLASS or not isinstance(incident, ox.NamedNode):
                continue
            own = sorted(dates.get(incident, ()))
            found[incident] = _Raw(
                incident.value,
                doc_iri,
                own[0] if own else None,
                intern(published) if published else None,
                incident in reported,
                incident == main,
                people=people,
                persons=everyone,
                ages=ages,
                sketch=sketch,
                affiliations=affiliations,
            )
        for source, link, target in links:
            raw = found.get(source)
            if raw is None or not isinstance(target, ox.NamedNode):
                continue
            held = raw.places if link == _PLACE else raw.victims if link == _VICTIM else raw.perpetrators
            if target.value not in held:
                held.append(target.value)
        for toll, said in tolls.items():
            if typed.get(toll) != _TOLL_CLASS or _TRUE in said.get(_OF_PERPETRATORS, ()):
                continue
            for incident in said.get(_INCIDENT, ()):
                raw = found.get(incident)
                if raw is None:
                    continue
                for type_ in said.get(_CASUALTY_TYPE, ()):
                    if isinstance(type_, ox.NamedNode):
                        raw.types.add(type_.value)
        for raw in found.values():
            self._raw[raw.iri] = raw

    def done(self, store: ox.Store, entities: ox.NamedNode) -> list[IncidentRow]:
        """The rows of every incident read, in IRI order, with what `entities` (the shared graph of
        `store`) says of their places and people. Once: what was read goes with it."""
        geography, people = Places(store, entities, self._intern), People(store, entities, self._intern)
        rows = []
        for raw in sorted(self._raw.values(), key=lambda r: r.iri):
            start: date | None
            end: date | None
            if raw.day is not None:
                start, end = raw.day, raw.day
            elif raw.published is not None and raw.reported:
                start, end = raw.published - timedelta(days=REPORT_LAG), raw.published
            else:
                start = end = None
            places = frozenset(raw.places)
            within, containers = geography.within(places)
            countries = self._intern(frozenset(p for p in places | containers if geography.country(p)))
            groups = set(raw.perpetrators)
            for actor in raw.perpetrators:
                groups |= raw.affiliations.get(actor, set())
            rows.append(
                IncidentRow(
                    raw.iri,
                    raw.doc,
                    self._intern(start) if start else None,
                    self._intern(end) if end else None,
                    raw.day is not None,
                    raw.published,
                    raw.main,
                    self._intern(places),
                    within,
                    containers,
                    countries,
                    tuple(people.person(p, raw.ages.get(p)) for p in sorted(raw.victims)),
                    self._intern(frozenset(raw.perpetrators)),
                    self._intern(frozenset(groups)),
                    tuple(people.person(p, raw.ages.get(p)) for p in sorted(raw.perpetrators) if p in raw.persons),
                    self._intern(frozenset(n for p in raw.people if (n := people.name(p)) is not None)),
                    self._intern(frozenset(raw.types)),
                    raw.sketch,
                    self._intern(frozenset(g for g in groups if g not in raw.persons)),
                )
            )
        self._raw.clear()
        return rows


class People:
    """What the shared entities graph says of people (their names), asked once per IRI."""

    def __init__(self, store: ox.Store, graph: ox.NamedNode, intern: Interner) -> None:
        self.store, self.graph, self.intern = store, graph, intern
        self._names: dict[str, tuple[str | None, str | None]] = {}

    def person(self, iri: str, age: int | None) -> Person:
        key, name = self._label_keys(iri)
        return self.intern(Person(iri, key, age, name))

    def name(self, iri: str) -> str | None:
        """The full name (`full_name`) of the person `iri`, from its label."""
        return self._label_keys(iri)[1]

    def _label_keys(self, iri: str) -> tuple[str | None, str | None]:
        if iri not in self._names:
            labels = [
                q.object.value
                for q in self.store.quads_for_pattern(node(iri), _LABEL, None, self.graph)
                if isinstance(q.object, ox.Literal)
            ]
            label = min(labels) if labels else None
            self._names[iri] = (name_key(label), full_name(label)) if label else (None, None)
        return self._names[iri]


_SUFFIXES = ("jr", "sr", "ii", "iii", "iv")


def full_name(name: str) -> str | None:
    """'Jacob A. Stahl' -> 'jacob stahl': the first and the last word, without initials and without
    "Jr." (reports give a middle name or leave it out); a name of one word has none."""
    words = [w for w in re.split(r"[\s.,]+", name.lower()) if len(w) > 1 and w not in _SUFFIXES]
    return f"{words[0]} {words[-1]}" if len(words) >= 2 else None


def name_key(name: str) -> str | None:
    """'Terrance Carroll' -> 'carroll t'; a name of one word has no key (too many people share it)."""
    words = [w for w in re.split(r"[\s.]+", name.lower()) if w and w not in ("jr", "sr", "ii", "iii")]
    if len(words) < 2:
        return None
    return f"{words[-1]} {words[0][0]}"


def _sketch(text: str) -> tuple[int, ...]:
    """The SKETCH smallest CRC-32s of the distinct uncommon words of `text` (stable across processes,
    unlike `hash`): two reports of one happening share many of them."""
    words = {w.lower() for w in _WORD.findall(text)} - _COMMON
    return tuple(sorted(zlib.crc32(w.encode("utf-8")) for w in words)[:SKETCH])


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The Jaccard similarity of two word sets, estimated from their bottom-k sketches."""
    if not a or not b:
        return 0.0
    k = min(SKETCH, len(set(a) | set(b)))
    union = sorted(set(a) | set(b))[:k]
    both = set(a) & set(b)
    return sum(h in both for h in union) / len(union)


def _day(term: ox.Literal) -> date | None:
    try:
        return date.fromisoformat(term.value[:10])
    except ValueError:
        return None


__all__ = ["REPORT_LAG", "IncidentRow", "People", "Person", "Reader", "full_name", "name_key", "similarity"]
