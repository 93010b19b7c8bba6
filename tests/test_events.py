"""Events across documents (kg.events): hand-made incidents in a real Oxigraph store, and real ingests."""
from __future__ import annotations

import io
import random
import re
import sys
from datetime import date
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from kg import events, namespaces, queries
from kg.events import clusters, pairs
from kg.events.link import read_rows
from kg.config import Settings
from kg.ingestion import ingest
from kg.namespaces import DCTERMS, DEFAULT_BASE, GEO, NIF, NKG, PROV, RDF, RDFS
from kg.keys import doc_iri, event_iri
from kg.namespaces import entities_graph, events_graph
from kg.server import entity_view, event_view
from kg.server.app import create_app
from kg.store import KGStore
from kg.validate import rdflib_graph, validate_graph
from tests.conftest import SAMPLES, ox_triples, run_kg

B = DEFAULT_BASE
CHICAGO, HOUSTON, ILLINOIS = B + "place/geonames-4887398", B + "place/geonames-4699066", B + "place/geonames-4896861"
SPRINGFIELD_IL, SPRINGFIELD_MO = B + "place/geonames-4250542", B + "place/geonames-4409896"
KABUL, AFGHANISTAN, KANDAHAR_PROVINCE = B + "place/geonames-1138958", B + "country/AF", B + "place/iso-AF-KAN"
JABALIA, GAZA, US = B + "place/jabalia-refugee-camp", B + "place/gaza-strip", B + "country/US"
ISRAEL, HAMAS, TALIBAN, IDF = B + "country/IL", B + "org/hamas", B + "org/taliban", B + "org/israel-defense-forces"
TEXAS, MISSOURI, KABUL_PROVINCE, PALESTINE = B + "place/iso-US-TX", B + "place/iso-US-MO", B + "place/iso-AF-KAB", B + "country/PS"
LABELS = {CHICAGO: "Chicago", HOUSTON: "Houston", ILLINOIS: "Illinois", JABALIA: "Jabalia refugee camp",
          GAZA: "Gaza Strip", ISRAEL: "Israel", HAMAS: "Hamas", TALIBAN: "Taliban", IDF: "Israel Defense Forces",
          PALESTINE: "Palestine"}
# what the gazetteer says of these places, as extraction writes it in the entities graph: one step each
WITHIN = {CHICAGO: ILLINOIS, SPRINGFIELD_IL: ILLINOIS, ILLINOIS: US, HOUSTON: TEXAS, TEXAS: US,
          SPRINGFIELD_MO: MISSOURI, MISSOURI: US, KABUL: KABUL_PROVINCE, KABUL_PROVINCE: AFGHANISTAN,
          KANDAHAR_PROVINCE: AFGHANISTAN, JABALIA: GAZA, GAZA: PALESTINE}
AFFILIATIONS = {IDF: ISRAEL}  # as extraction writes it: in the document graph that names the member
COUNTRIES = {US: "US", AFGHANISTAN: "AF", ISRAEL: "IL", PALESTINE: "PS"}


def shared_facts() -> list[ox.Triple]:
    """The entities graph of the hand-made documents: labels, containment, countries' codes."""
    return ox_triples([*((URIRef(e), RDFS.label, Literal(label)) for e, label in LABELS.items()),
                       *((URIRef(a), GEO.sfWithin, URIRef(b)) for a, b in WITHIN.items()),
                       *((URIRef(c), NKG.isoCode, Literal(code)) for c, code in COUNTRIES.items())])


@dataclass
class Inc:
    """A hand-made incident in the shape of INCIDENT-SHAPE.md."""

    date: str | None = None
    places: tuple[str, ...] = ()
    perpetrators: tuple[str, ...] = ()
    tolls: dict[str, int] = field(default_factory=dict)  # casualty type -> minValue
    reported: bool = True
    victims: tuple[str, ...] = ()
    ages: dict[str, int] = field(default_factory=dict)  # person -> the age this document gives


def write_doc(store: KGStore, doc_id: str, published: str | None, *incidents: Inc) -> URIRef:
    doc = URIRef(doc_iri(B, doc_id).value)
    out = [(doc, RDF.type, NKG.Document), (doc, DCTERMS.identifier, Literal(doc_id))]
    if published:
        out.append((doc, DCTERMS.date, Literal(published, datatype=namespaces.XSD.date)))
    for n, inc in enumerate(incidents, 1):
        node = URIRef(f"{doc}#incident_{n}")
        out += [(node, RDF.type, NKG.Incident), (node, PROV.wasDerivedFrom, doc)]
        if inc.reported:
            out.append((doc, NKG.reports, node))
        if inc.reported and not any(i.reported for i in incidents[: n - 1]):
            out.append((doc, NKG.mainIncident, node))  # as extraction marks it: the first reported one
        if inc.date:
            out.append((node, NKG.date, Literal(inc.date, datatype=namespaces.XSD.date)))
        out += [(node, NKG.place, URIRef(p)) for p in inc.places]
        out += [(node, NKG.perpetrator, URIRef(p)) for p in inc.perpetrators]
        out += [(URIRef(p), NKG.affiliation, URIRef(AFFILIATIONS[p])) for p in inc.perpetrators if p in AFFILIATIONS]
        out += [(node, NKG.victim, URIRef(p)) for p in inc.victims]
        out += [(URIRef(p), NKG.age, Literal(age)) for p, age in inc.ages.items()]
        for kind, minimum in inc.tolls.items():
            toll = URIRef(f"{node}_{kind.lower()}")
            out += [(toll, RDF.type, NKG.Toll), (toll, NKG.incident, node), (toll, NKG.casualtyType, NKG[kind]),
                    (toll, NKG.minValue, Literal(minimum, datatype=namespaces.XSD.integer))]
    store.replace_graph(ox.NamedNode(doc), ox_triples(out))
    return doc


@pytest.fixture
def store() -> KGStore:
    kg = KGStore()
    kg.merge_shared(entities_graph(B), shared_facts())
    return kg


def event_of(store: KGStore) -> dict[str, str]:
    """Incident IRI -> event IRI, as the events graph says."""
    graph = events_graph(B)
    return {q.subject.value: q.object.value
            for q in store.ox.quads_for_pattern(None, ox.NamedNode(str(NKG.event)), None, graph)}


def groups(store: KGStore) -> set[frozenset[str]]:
    """The events as sets of incident IRIs, shortened to `doc-id#incident_n`."""
    by_event: dict[str, set[str]] = {}
    for incident, event in event_of(store).items():
        by_event.setdefault(event, set()).add(incident.rsplit("/", 1)[-1])
    return {frozenset(members) for members in by_event.values()}


def events_quads(store: KGStore) -> set[ox.Quad]:
    return set(store.ox.quads_for_pattern(None, None, None, events_graph(B)))


STRIKE_EARLY = Inc("2023-11-01", (JABALIA,), (ISRAEL,), {"Killed": 20, "Injured": 100})
STRIKE_LATE = Inc(None, (JABALIA, GAZA), (IDF,), {"Killed": 31})  # no date of its own, published three days on


def test_a_later_report_of_the_same_strike_is_the_same_event(store: KGStore) -> None:
    write_doc(store, "early", "2023-11-01", STRIKE_EARLY)
    write_doc(store, "late", "2023-11-03", STRIKE_LATE)
    report = events.link(store.ox, B)
    assert (report.incidents, report.events, report.shared, report.changed) == (2, 1, 1, True)
    assert groups(store) == {frozenset({"early#incident_1", "late#incident_1"})}
    event = ox.NamedNode(next(iter(event_of(store).values())))
    assert event == event_iri(B, f"{B}doc/early#incident_1")
    assert event.value.startswith(B + "event/") and len(event.value.rsplit("/", 1)[1]) == 16
    graph = events_graph(B)
    summary = {(q.predicate.value, q.object.value) for q in store.ox.quads_for_pattern(event, None, None, graph)}
    assert (str(RDF.type), str(NKG.Event)) in summary
    assert (str(NKG.date), "2023-11-01") in summary
    assert (str(NKG.place), JABALIA) in summary
    # named by its place, the country it lies in and its day; the perpetrators are a field of their own
    assert (str(RDFS.label), "Jabalia refugee camp, Palestine, 2023-11-01") in summary
    assert {(str(NKG.perpetrator), ISRAEL), (str(NKG.perpetrator), IDF)} <= summary
    # the tolls stay the sources' claims, in their own graphs; the events graph holds no number
    assert not any(isinstance(q.object, ox.Literal) and q.object.datatype.value == str(namespaces.XSD.integer)
                   for q in events_quads(store))


def test_an_event_with_no_place_is_named_by_its_casualty_types_and_day(store: KGStore) -> None:
    write_doc(store, "nowhere", "2023-11-09", Inc("2023-11-08", (), (), {"Injured": 3, "Killed": 2}))
    events.link(store.ox, B)
    labels = {q.object.value for q in store.ox.quads_for_pattern(None, ox.NamedNode(str(RDFS.label)), None,
                                                                 events_graph(B))}
    assert labels == {"Killed and injured, 2023-11-08"}


@pytest.mark.parametrize("late", [
    pytest.param(Inc("2023-11-05", (JABALIA,), (ISRAEL,), {"Killed": 31}), id="four-days-later"),
    pytest.param(Inc("2023-11-01", (JABALIA,), (HAMAS,), {"Killed": 31}), id="other-perpetrator"),
    pytest.param(Inc("2023-11-01", (KABUL,), (ISRAEL,), {"Killed": 31}), id="other-country"),
    pytest.param(Inc("2023-11-01", (KABUL,), (), {"Killed": 31}), id="no-shared-place-or-perpetrator"),
    pytest.param(Inc(None, (JABALIA,), (ISRAEL,), {"Killed": 31}), id="no-date-but-published-a-week-later"),
    pytest.param(Inc("2023-11-01", (), (ISRAEL,), {"Killed": 31}), id="same-perpetrator-same-day-no-place"),
    pytest.param(Inc("2023-11-01", (B + "place/some-district",), (ISRAEL,), {"Killed": 31}),
                 id="same-perpetrator-in-a-place-the-gazetteer-does-not-know"),
])
def test_incidents_that_disagree_or_share_nothing_are_separate_events(store: KGStore, late: Inc) -> None:
    write_doc(store, "early", "2023-11-01", STRIKE_EARLY)
    write_doc(store, "late", "2023-11-08", late)
    report = events.link(store.ox, B)
    assert report.events == 2 and report.shared == 0


@pytest.mark.parametrize("late", [
    pytest.param(Inc("2023-11-01", (JABALIA,), (ISRAEL,), {"Captured": 31}), id="other-casualty-type"),
])
def test_what_differs_but_does_not_forbid_is_weighed(store: KGStore, late: Inc) -> None:
    """Casualty types are evidence, not bars: a report of the dead and one of the captured may be one raid."""
    write_doc(store, "early", "2023-11-01", STRIKE_EARLY)
    write_doc(store, "late", "2023-11-03", late)
    assert events.link(store.ox, B).shared == 1


@pytest.mark.parametrize("a, b, relation", [
    pytest.param((CHICAGO,), (ILLINOIS,), "nested", id="city-in-its-state"),
    pytest.param((CHICAGO, US), (CHICAGO,), "same", id="city-and-country-vs-city"),
    pytest.param((CHICAGO,), (SPRINGFIELD_IL,), None, id="two-cities-of-one-state-are-not-compared-by-place"),
    pytest.param((CHICAGO,), (HOUSTON,), None, id="two-cities"),
    pytest.param((HOUSTON,), (ILLINOIS,), None, id="city-outside-the-state"),
    pytest.param((SPRINGFIELD_IL,), (SPRINGFIELD_MO,), None, id="namesakes-in-two-states"),
    pytest.param((US,), (US,), None, id="only-the-country-joins-nothing"),
    pytest.param((KABUL,), (AFGHANISTAN,), None, id="only-the-country-joins-nothing-abroad"),
    pytest.param((KABUL,), (KABUL,), "same", id="same-city"),
    pytest.param((B + "place/unknown-street",), (B + "place/unknown-street",), "same", id="same-unknown-place"),
])
def test_places_nest(store: KGStore, a: tuple[str, ...], b: tuple[str, ...], relation: str | None) -> None:
    """Two reports a day apart are compared by place when one names a place below the country that the
    other names or lies in (two towns of one state are not: a state holds too many shootings a day),
    and the model is told how the places relate."""
    write_doc(store, "first", "2019-03-02", Inc(None, a, (), {"Killed": 1}))
    write_doc(store, "second", "2019-03-03", Inc(None, b, (), {"Killed": 2, "Injured": 1}))
    first, second = read_rows(store.ox, B)
    assert pairs.candidates(first, second) == (relation is not None)
    if relation is not None:
        assert f"place={relation}" in pairs.features(first, second)
    else:
        assert events.link(store.ox, B).shared == 0


def test_where_places_lie(store: KGStore) -> None:
    """Containment is read from the entities graph (geo:sfWithin, one step at a time), never from IRIs."""
    write_doc(store, "a", "2019-03-02", Inc(None, (CHICAGO,), (), {"Killed": 1}))
    write_doc(store, "b", "2011-01-17", Inc(None, (KABUL, B + "place/nowhere-known"), (), {"Killed": 1}))
    chicago, kabul = read_rows(store.ox, B)
    assert (chicago.within, chicago.containers, chicago.countries) == ({CHICAGO, ILLINOIS}, {ILLINOIS, US}, {US})
    assert kabul.within == {KABUL, KABUL_PROVINCE, B + "place/nowhere-known"}
    assert kabul.countries == {AFGHANISTAN}


def test_one_document_never_reports_one_event_twice(store: KGStore) -> None:
    """A third report that fits both incidents of one document joins one of them, never both."""
    write_doc(store, "a", "2023-11-01", Inc("2023-11-01", (JABALIA,), (ISRAEL,), {"Killed": 20}),
              Inc("2023-11-01", (JABALIA,), (ISRAEL,), {"Killed": 5}))
    write_doc(store, "b", "2023-11-01", Inc("2023-11-01", (JABALIA,), (ISRAEL,), {"Killed": 22}))
    events.link(store.ox, B)
    assert groups(store) == {frozenset({"a#incident_1", "b#incident_1"}), frozenset({"a#incident_2"})}


def test_a_background_mention_links_to_the_earlier_attack(store: KGStore) -> None:
    write_doc(store, "attack", "2023-10-07", Inc("2023-10-07", (GAZA,), (HAMAS,), {"Killed": 1400}))
    write_doc(store, "later", "2023-10-08",  # the next day's report, of a release, looks back
              Inc("2023-10-08", (GAZA,), (HAMAS,), {"Released": 2}),
              Inc("2023-10-07", (GAZA,), (HAMAS,), {"Killed": 1400}, reported=False),  # background, dated
              Inc(None, (GAZA,), (HAMAS,), {"Hostage": 200}, reported=False),  # background without a date: no event
              Inc("2023-10-07", (), (HAMAS,), {"Killed": 1400}, reported=False))  # no place: nothing joins it
    report = events.link(store.ox, B)
    assert groups(store) == {frozenset({"attack#incident_1", "later#incident_2"}), frozenset({"later#incident_1"}),
                             frozenset({"later#incident_3"}), frozenset({"later#incident_4"})}
    assert (report.incidents, report.events, report.shared) == (5, 4, 1)


def test_chains_do_not_drift(store: KGStore) -> None:
    """Average linkage: a report between two others that are unlikely one joins only one of them."""
    write_doc(store, "d1", "2019-03-01", Inc("2019-03-01", (CHICAGO,), (), {"Killed": 1}))
    write_doc(store, "d2", "2019-03-01", Inc("2019-03-01", (CHICAGO,), (), {"Killed": 1}))
    write_doc(store, "d3", "2019-03-01", Inc("2019-03-01", (CHICAGO,), (), {"Killed": 1}))
    a, b, c = read_rows(store.ox, B)
    scores = {(a.iri, b.iri): 0.9, (b.iri, c.iri): 0.8, (a.iri, c.iri): 0.1}
    found = clusters.events([a, b, c], scores, pairs.PairModel({}, edge=0.5, merge=0.5))
    assert [[r.doc.rsplit("/", 1)[1] for r in e] for e in found] == [["d1", "d2"], ["d3"]]
    found = clusters.events([a, b, c], {**scores, (a.iri, c.iri): 0.4}, pairs.PairModel({}, edge=0.5, merge=0.5))
    assert len(found) == 1  # on average likely enough: one event


def test_the_events_graph_depends_only_on_the_documents(store: KGStore) -> None:
    docs = [("early", "2023-11-01", STRIKE_EARLY), ("late", "2023-11-03", STRIKE_LATE),
            ("chicago", "2019-03-02", Inc(None, (CHICAGO,), (), {"Killed": 1})),
            ("illinois", "2019-03-03", Inc(None, (CHICAGO, ILLINOIS), (), {"Killed": 1}))]
    for doc in docs:
        write_doc(store, *doc)
        events.link(store.ox, B)  # after every document, as one ingest per article would
    forward = events_quads(store)
    other = KGStore()
    other.merge_shared(entities_graph(B), shared_facts())
    for doc in reversed(docs):
        write_doc(other, *doc)
    events.link(other.ox, B)
    assert events_quads(other) == forward
    assert len(groups(store)) == 2
    assert events.link(store.ox, B).changed is False  # a second run finds nothing to change


def test_removing_or_changing_a_document_updates_its_events(store: KGStore) -> None:
    write_doc(store, "early", "2023-11-01", STRIKE_EARLY)
    write_doc(store, "late", "2023-11-03", STRIKE_LATE)
    events.link(store.ox, B)
    store.ox.remove_graph(ox.NamedNode(f"{B}doc/early"))
    assert events.link(store.ox, B).events == 1
    assert groups(store) == {frozenset({"late#incident_1"})}
    assert set(event_of(store).values()) == {event_iri(B, f"{B}doc/late#incident_1").value}
    write_doc(store, "early", "2023-11-01", STRIKE_EARLY)
    events.link(store.ox, B)
    assert groups(store) == {frozenset({"early#incident_1", "late#incident_1"})}
    write_doc(store, "late", "2023-11-03", Inc("2023-11-03", (HOUSTON,), (), {"Killed": 31}))  # re-ingested
    events.link(store.ox, B)
    assert groups(store) == {frozenset({"early#incident_1"}), frozenset({"late#incident_1"})}
    assert set(event_of(store).values()) == {event_iri(B, f"{B}doc/{d}#incident_1").value
                                             for d in ("early", "late")}



def test_a_new_events_graph_is_loaded_in_batches_and_comes_out_whole(store: KGStore, monkeypatch) -> None:
    """A big events graph is written in several transactions (one holds all it writes in memory); the
    graph is the same as one transaction writes."""
    write_doc(store, "early", "2023-11-01", STRIKE_EARLY)
    write_doc(store, "late", "2023-11-03", STRIKE_LATE)
    write_doc(store, "chicago", "2019-03-02", Inc(None, (CHICAGO,), (), {"Killed": 1}))
    assert events.link(store.ox, B).changed is True
    whole = events_quads(store)
    store.ox.remove_graph(events_graph(B))
    loads: list[int] = []
    load = store.ox.load

    class Counting:  # pyoxigraph's Store cannot be patched, so link gets a store that counts its loads
        def __getattr__(self, name: str):
            return getattr(store.ox, name)

        def load(self, data: bytes, *args, **kwargs) -> None:
            loads.append(data.count(b"\n") + 1)
            load(data, *args, **kwargs)

    monkeypatch.setattr(sys.modules["kg.events.graph"], "LOAD_BATCH", 4)
    assert events.link(Counting(), B).changed is True  # type: ignore[arg-type]
    assert events_quads(store) == whole
    assert sum(loads) == len(whole) and max(loads) == 4 and len(loads) == -(-len(whole) // 4)


def test_an_events_graph_edited_in_the_store_is_written_again(store: KGStore) -> None:
    """link compares digests of the graph's lines, not its size: one label changed in place (as many
    triples as before) is found, and the graph comes back as it was."""
    write_doc(store, "early", "2023-11-01", STRIKE_EARLY)
    write_doc(store, "late", "2023-11-03", STRIKE_LATE)
    assert events.link(store.ox, B).changed is True
    before = events_quads(store)
    label = next(q for q in before if q.predicate == ox.NamedNode(RDFS.label))
    store.ox.remove(label)
    store.ox.add(ox.Quad(label.subject, label.predicate, ox.Literal("Edited by hand"), label.graph_name))
    assert len(events_quads(store)) == len(before) and events_quads(store) != before
    assert events.link(store.ox, B).changed is True
    assert events_quads(store) == before
    assert events.link(store.ox, B).changed is False


def test_a_blank_node_in_the_events_graph_is_written_over(store: KGStore) -> None:
    """A stale triple that DELETE DATA cannot name (a blank node, say from `kg load`) still goes."""
    write_doc(store, "early", "2023-11-01", STRIKE_EARLY)
    events.link(store.ox, B)
    before = events_quads(store)
    store.ox.add(ox.Quad(ox.BlankNode(), ox.NamedNode(RDFS.comment), ox.Literal("stray"), events_graph(B)))
    assert events.link(store.ox, B).changed is True
    assert events_quads(store) == before

# the event page and the entity pages -----------------------------------------------------------
EARLY_TEXT = ("Strike on camp. An Israeli airstrike on <script>alert('early')</script> Jabalia camp killed at least "
              "20 people, officials said. More than 100 were wounded.")
LATE_TEXT = "Toll rises. The toll of the strike on Jabalia camp rose to more than 30 killed, medics said <b>today</b>."


def write_article(store: KGStore, doc_id: str, published: str, title: str, text: str, inc: Inc,
                  phrases: dict[str, str]) -> URIRef:
    """A document with a text, whose tolls each rest on one count: `phrases[type]`, in its sentence."""
    doc = write_doc(store, doc_id, published, inc)
    node = URIRef(f"{doc}#incident_1")
    extra = [(doc, NIF.isString, Literal(text)), (doc, DCTERMS.title, Literal(title))]
    for kind, phrase in phrases.items():
        begin = text.index(phrase)
        start = text.rfind(". ", 0, begin) + 2
        stop = text.find(".", begin) + 1
        count, mention, sentence = (URIRef(f"{doc}#{kind.lower()}_{begin}_{begin + len(phrase)}"),
                                    URIRef(f"{doc}#offset_{begin}_{begin + len(phrase)}"),
                                    URIRef(f"{doc}#offset_{start}_{stop}"))
        extra += [(count, RDF.type, NKG.CasualtyCount), (count, NKG.casualtyType, NKG[kind]),
                  (count, NKG.incident, node), (count, NKG.mention, mention), (count, NKG.sentence, sentence),
                  (URIRef(f"{node}_{kind.lower()}"), PROV.wasDerivedFrom, count)]
        for m, b, e in ((mention, begin, begin + len(phrase)), (sentence, start, stop)):
            extra += [(m, NIF.beginIndex, Literal(b)), (m, NIF.endIndex, Literal(e)),
                      (m, NIF.anchorOf, Literal(text[b:e])), (m, NIF.referenceContext, doc)]
    store.ox.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(doc)) for t in ox_triples(extra))
    return doc


@pytest.fixture(scope="module")
def page_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("events") / "store"
    kg = KGStore(path)
    kg.merge_shared(entities_graph(B), shared_facts())
    write_article(kg, "early", "2023-11-01", "Strike on camp <i>kills</i> 20", EARLY_TEXT,
                  Inc("2023-11-01", (JABALIA,), (ISRAEL,), {"Killed": 20, "Injured": 101}),
                  {"Killed": "killed at least 20 people", "Injured": "More than 100 were wounded"})
    write_article(kg, "late", "2023-11-03", "Toll rises", LATE_TEXT,
                  Inc(None, (JABALIA,), (ISRAEL,), {"Killed": 31}), {"Killed": "more than 30 killed"})
    kg.ox.update(f"""PREFIX nkg: <{NKG}> INSERT DATA {{ GRAPH <{B}doc/late> {{
        <{B}doc/late#incident_1_killed> nkg:value 30 ; nkg:qualifier nkg:MoreThan }} }}""")
    assert events.link(kg.ox, B).shared == 1
    kg.close()
    return path


@pytest.fixture(scope="module")
def client(page_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=page_store))) as test_client:
        yield test_client


def _between(html: str, start: str, end: str) -> str:
    begin = html.index(start)
    return html[begin:html.index(end, begin)]


def the_event(client: TestClient) -> str:
    rows = client.post("/sparql", data={"query": f"SELECT ?e WHERE {{ ?e a <{NKG.Event}> }}"},
                       headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    assert len(rows) == 1
    return rows[0]["e"]["value"]


def test_event_page_shows_each_sources_toll_over_time(client: TestClient) -> None:
    event = the_event(client)
    response = client.get("/event", params={"iri": event})
    assert response.status_code == 200, response.text
    html = response.text
    assert "Jabalia refugee camp, Palestine, 2023-11-01" in html
    svg = _between(html, '<svg id="timeline"', "</svg>")
    assert svg.count('<a class="mark"') == 3  # Killed by two sources, Injured by one
    assert 'data-series="Killed"' in svg and 'data-series="Injured"' in svg
    # the killed have the strongest colour (series-0), though "Injured" comes first by name
    assert 'class="series series-0" data-series="Killed"' in svg
    assert 'class="series series-1" data-series="Injured"' in svg
    assert svg.count("<path ") == 1  # only the Killed series has two marks to join
    for date_label in ("2023-11-01", "2023-11-03"):
        assert date_label in svg
    killed = f"entity?iri={quote(B + 'doc/late#killed_', safe='/')}"
    assert killed in svg  # each mark links to the count its toll rests on
    table = _between(html, '<table id="tolls"', "</table>")
    assert "at least 20" in table and "more than 30" in table and "sources disagree" in table
    assert "<mark>more than 30 killed</mark>" in table
    assert table.count('class="toll conflict"') == 2  # the two Killed rows; Injured has one source
    assert "<script>" not in html and "&lt;script&gt;" in html  # the article's markup stays text
    assert "<i>kills</i>" not in html and "&lt;i&gt;kills&lt;/i&gt;" in html


@pytest.mark.parametrize("params, status, message", [
    pytest.param({}, 400, "needs an &#39;iri&#39; parameter", id="missing"),
    pytest.param({"iri": "not an iri <script>"}, 400, "is not a valid IRI", id="malformed"),
    pytest.param({"iri": B + "event/0000000000000000"}, 404, "is no nkg:Event", id="unknown"),
    pytest.param({"iri": B + "country/IL"}, 404, "is no nkg:Event", id="not-an-event"),
])
def test_event_page_errors(client: TestClient, params: dict, status: int, message: str) -> None:
    response = client.get("/event", params=params)
    assert response.status_code == status
    assert message in response.text
    assert "<script>" not in response.text


def test_entity_pages_list_their_incidents_and_events(client: TestClient) -> None:
    event = the_event(client)
    for entity in (JABALIA, ISRAEL):
        html = client.get("/entity", params={"iri": entity}).text
        section = _between(html, '<ol id="incidents"', "</ol>")
        assert f'href="event?iri={quote(event, safe="/")}"' in section
        assert "Strike on camp &lt;i&gt;kills&lt;/i&gt; 20" in section and "Toll rises" in section
        assert ("(place" if entity == JABALIA else "(perpetrator") in section
        assert "Killed 20" in section and "Killed 31" in section
    html = client.get("/entity", params={"iri": event}).text
    assert f'id="event-page" href="event?iri={quote(event, safe="/")}"' in html


def test_event_tolls_query_gives_each_source_once(client: TestClient, page_store: Path) -> None:
    rows = client.post("/sparql", data={"query": queries.get("event-tolls").text},
                       headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    got = sorted((r["type"]["value"].rsplit("#", 1)[1], r["doc"]["value"].rsplit("/", 1)[1], r["minValue"]["value"],
                  r["published"]["value"]) for r in rows)
    assert got == [("Injured", "early", "101", "2023-11-01"), ("Killed", "early", "20", "2023-11-01"),
                   ("Killed", "late", "31", "2023-11-03")]
    late = next(r for r in rows if r["doc"]["value"].endswith("late"))
    assert late["sentences"]["value"] == "The toll of the strike on Jabalia camp rose to more than 30 killed, medics said <b>today</b>."
    assert late["eventLabel"]["value"] == "Jabalia refugee camp, Palestine, 2023-11-01"


# the people of an event: victims and suspects, as two local reports of one shooting name them ----------
CARROLL, REYES, LEE = B + "person/terrance-carroll", B + "person/dana-reyes", B + "person/marcus-lee"
FINCH, CREW, AKRON = B + "person/jo-finch", B + "org/eastside-crew", B + "place/geonames-5145476"
SHOOTING, OTHER_SHOOTING = B + "event/5ee0000000000001", B + "event/5ee0000000000002"
PEOPLE = {CARROLL: ("Terrance Carroll", NKG.Person), REYES: ("Dana Reyes", NKG.Person),
          LEE: ("Marcus Lee", NKG.Person), FINCH: ("Jo Finch", NKG.Person),
          CREW: ("Eastside Crew", NKG.ArmedGroup), AKRON: ("Akron", NKG.City)}


@pytest.fixture(scope="module")
def people_store(tmp_path_factory) -> Path:
    """Two reports of one shooting, the second two weeks on (an arrest) with another age for the victim,
    and a third document's shooting, another event. The events graph is written by hand as kg.events
    writes it (the event; each incident's nkg:event), so the pages do not depend on how incidents join."""
    path = tmp_path_factory.mktemp("people") / "store"
    kg = KGStore(path)
    kg.merge_shared(entities_graph(B), ox_triples(
        [(URIRef(e), RDFS.label, Literal(label)) for e, (label, _) in PEOPLE.items()]
        + [(URIRef(e), RDF.type, kind) for e, (_, kind) in PEOPLE.items()]))
    first = write_doc(kg, "shooting", "2017-02-06", Inc("2017-02-05", (AKRON,), (LEE, CREW), {"Killed": 1, "Injured": 1},
                                                      victims=(CARROLL, REYES), ages={CARROLL: 21}))
    arrest = write_doc(kg, "arrest", "2017-02-20", Inc("2017-02-05", (AKRON,), (LEE,), {"Killed": 1},
                                                     victims=(CARROLL,), ages={CARROLL: 22, LEE: 30}))
    other = write_doc(kg, "elsewhere", "2017-02-07", Inc("2017-02-06", (AKRON,), (), {"Injured": 1},
                                                       victims=(FINCH,), ages={FINCH: 40}))
    shooting, other_shooting, day = URIRef(SHOOTING), URIRef(OTHER_SHOOTING), namespaces.XSD.date
    kg.replace_graph(events_graph(B), ox_triples([
        (shooting, RDF.type, NKG.Event), (shooting, RDFS.label, Literal("Eastside Crew and Marcus Lee: Akron, 2017-02-05")),
        (shooting, NKG.date, Literal("2017-02-05", datatype=day)), (shooting, NKG.place, URIRef(AKRON)),
        (shooting, NKG.perpetrator, URIRef(LEE)), (shooting, NKG.perpetrator, URIRef(CREW)),
        (URIRef(f"{first}#incident_1"), NKG.event, shooting), (URIRef(f"{arrest}#incident_1"), NKG.event, shooting),
        (other_shooting, RDF.type, NKG.Event), (other_shooting, NKG.date, Literal("2017-02-06", datatype=day)),
        (URIRef(f"{other}#incident_1"), NKG.event, other_shooting),  # an event without a label
    ]))
    kg.close()
    return path


@pytest.fixture(scope="module")
def people_client(people_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=people_store))) as test_client:
        yield test_client


def test_the_event_page_lists_victims_and_suspects_with_their_ages(people_client: TestClient) -> None:
    response = people_client.get("/event", params={"iri": SHOOTING})
    assert response.status_code == 200, response.text
    victims = _between(response.text, '<dd id="victims">', "</dd>")
    assert victims.count('<li class="person">') == 2 and "Jo Finch" not in victims  # not the other shooting's
    assert victims.index("Dana Reyes") < victims.index("Terrance Carroll")  # each once, by name
    assert '<span class="age">21 or 22</span>' in victims  # the two sources disagree, and the page says so
    assert f'href="entity?iri={quote(CARROLL, safe="/")}"' in victims
    carroll = _between(victims, "Terrance Carroll", "</li>")
    assert "named by shooting; arrest" in carroll
    assert 'class="age"' not in _between(victims, "Dana Reyes", "</li>")  # no source gives her age
    suspects = _between(response.text, '<dd id="suspects">', "</dd>")
    assert suspects.count('<li class="person">') == 1
    assert "Marcus Lee</a>, <span class=\"age\">30</span>" in suspects
    by = _between(response.text, "<dt>By</dt>", "</dd>")
    assert "Eastside Crew" in by and "Marcus Lee" not in by  # a group stays a perpetrator; a person is a suspect


def test_the_event_page_gives_each_source_its_date_and_tolls(people_client: TestClient) -> None:
    table = _between(people_client.get("/event", params={"iri": SHOOTING}).text, '<table id="sources"', "</table>")
    rows = [" ".join(re.sub(r"<[^>]+>", " ", row).split()).replace(" ;", ";")
            for row in table.split('<tr class="source">')[1:]]
    assert rows == ["shooting 2017-02-06 Injured: at least 1; Killed: at least 1",
                    "arrest 2017-02-20 Killed: at least 1"]  # by publication date, each with its own tolls


def test_an_event_without_victims_or_suspects_lists_none(client: TestClient) -> None:
    html = client.get("/event", params={"iri": the_event(client)}).text
    assert 'id="victims"' not in html and 'id="suspects"' not in html
    assert "<dt>By</dt>" in html and ">Israel</a>" in _between(html, "<dt>By</dt>", "</dd>")


def test_a_persons_page_lists_the_events_they_are_part_of(people_client: TestClient) -> None:
    for person, role in ((CARROLL, "(victim"), (LEE, "(perpetrator")):
        html = people_client.get("/entity", params={"iri": person}).text
        section = _between(html, '<ol id="incidents"', "</ol>")
        assert f'<a class="event" href="event?iri={quote(SHOOTING, safe="/")}">Eastside Crew and Marcus Lee: Akron, 2017-02-05</a>' in section
        assert 'class="muted event-date"' not in section  # its label already ends with the date
        assert section.count(role) == 2 and "shooting" in section and "arrest" in section
        assert OTHER_SHOOTING not in section
    section = _between(people_client.get("/entity", params={"iri": FINCH}).text, '<ol id="incidents"', "</ol>")
    assert f'href="event?iri={quote(OTHER_SHOOTING, safe="/")}"' in section and SHOOTING not in section
    assert '<span class="muted event-date">2017-02-06</span>' in section  # no label: the date says which


# real ingests of the sample articles ------------------------------------------------------------
PAIRS = {"jabalia": ("jabalia-strike-1101", "jabalia-strike-toll-1104"),
         "dnipro": ("dnipro-strike-1202", "dnipro-strike-toll-1204")}


def sample_lines() -> list[str]:
    return [line for line in (SAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def nquads(store: KGStore) -> list[str]:
    """The sorted N-Quads export, as `kg export --format nquads` writes it."""
    out = io.BytesIO()
    store.export(out, "nquads")
    return sorted(out.getvalue().decode("utf-8").splitlines())


def main_event(store: KGStore, doc_id: str) -> str | None:
    rows = list(store.ox.query(f"""PREFIX nkg: <{NKG}> SELECT ?event WHERE {{
        GRAPH <{B}doc/{doc_id}> {{ <{B}doc/{doc_id}> nkg:mainIncident ?incident }} ?incident nkg:event ?event }}""",
                               use_default_graph_as_union=True))
    return rows[0]["event"].value if rows else None


def killed_tolls(store: KGStore, event: str) -> dict[str, int]:
    """Document id -> its Killed toll of `event` (victims)."""
    rows = store.ox.query(f"""PREFIX nkg: <{NKG}> SELECT ?doc ?min WHERE {{ ?incident nkg:event <{event}> .
        GRAPH ?doc {{ ?toll nkg:incident ?incident ; nkg:casualtyType nkg:Killed ; nkg:minValue ?min
                      FILTER NOT EXISTS {{ ?toll nkg:ofPerpetrators true }} }} }}""", use_default_graph_as_union=True)
    return {r["doc"].value.rsplit("/", 1)[1]: int(r["min"].value) for r in rows}


@pytest.fixture(scope="module")
def in_order(tmp_path_factory, nlp) -> KGStore:
    folder = tmp_path_factory.mktemp("in-order")
    store = KGStore(folder / "store")
    ingest([write_jsonl(folder / "articles.jsonl", sample_lines())], store, B, nlp=nlp)
    return store


@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_two_reports_of_one_strike_are_one_event_with_two_tolls(in_order: KGStore, pair: str) -> None:
    early, late = PAIRS[pair]
    event = main_event(in_order, early)
    assert event is not None and event == main_event(in_order, late)
    tolls = killed_tolls(in_order, event)
    assert set(tolls) == {early, late} and tolls[early] < tolls[late]  # the early toll and the revised one


def test_the_graph_does_not_depend_on_ingest_order_or_workers(in_order: KGStore, tmp_path: Path, nlp) -> None:
    lines = sample_lines()
    later = [line for line in lines if any(f'"{pair[1]}"' in line for pair in PAIRS.values())]
    backwards = KGStore(tmp_path / "backwards")  # the later reports first, then everything in reverse
    ingest([write_jsonl(tmp_path / "later.jsonl", later)], backwards, B, nlp=nlp)
    ingest([write_jsonl(tmp_path / "reversed.jsonl", lines[::-1])], backwards, B, nlp=nlp)
    two = KGStore(tmp_path / "two-workers")
    ingest([write_jsonl(tmp_path / "all.jsonl", lines)], two, B, nlp=nlp, workers=2)
    expected = nquads(in_order)
    assert any(f"<{B}graph/events>" in quad for quad in expected)
    assert nquads(backwards) == expected
    assert nquads(two) == expected


def test_reingesting_or_removing_a_document_updates_its_events(tmp_path: Path, nlp) -> None:
    early, late = PAIRS["dnipro"]
    lines = [line for line in sample_lines() if f'"{early}"' in line or f'"{late}"' in line]
    store = KGStore(tmp_path / "store")
    ingest([write_jsonl(tmp_path / "pair.jsonl", lines)], store, B, nlp=nlp)
    assert main_event(store, early) == main_event(store, late) is not None
    # the later report turns out to be about a strike on another city, a week later
    moved = [line.replace("Dnipro", "Odesa").replace("Dec. 4", "Dec. 11").replace("2023-12-04", "2023-12-11")
             if f'"{late}"' in line else line for line in lines]
    ingest([write_jsonl(tmp_path / "moved.jsonl", moved)], store, B, nlp=nlp)
    assert None is not main_event(store, early) != main_event(store, late) is not None
    assert killed_tolls(store, main_event(store, early)) == {early: 20}
    ingest([write_jsonl(tmp_path / "pair.jsonl", lines)], store, B, nlp=nlp)  # and back
    assert main_event(store, early) == main_event(store, late) is not None
    store.ox.remove_graph(ox.NamedNode(f"{B}doc/{early}"))  # as a DELETE of the Graph Store Protocol would
    ingest([write_jsonl(tmp_path / "none.jsonl", [])], store, B, nlp=nlp)  # nothing new: the events still follow
    event = main_event(store, late)
    assert event == event_iri(B, f"{B}doc/{late}#incident_1").value
    assert killed_tolls(store, event) == {late: killed_tolls(store, event)[late]}


def test_kg_load_and_kg_events_recompute_the_events(tmp_path: Path) -> None:
    """Graphs loaded by `kg load`, or changed behind the store's back (the server's Graph Store
    Protocol), get their events from `kg load` itself and from `kg events`."""
    source = KGStore()
    write_doc(source, "early", "2023-11-01", STRIKE_EARLY)
    write_doc(source, "late", "2023-11-03", Inc("2023-11-01", (JABALIA,), (ISRAEL,), {"Killed": 31}))
    dump = tmp_path / "docs.nq"
    with dump.open("wb") as out:
        source.export(out, "nquads")
    path = tmp_path / "store"
    loaded = run_kg("load", dump, "--store", path)
    assert loaded.returncode == 0, loaded.stderr
    store = KGStore(path)
    assert groups(store) == {frozenset({"early#incident_1", "late#incident_1"})}
    store.ox.remove_graph(ox.NamedNode(f"{B}doc/early"))
    store.close()
    relinked = run_kg("events", "--store", path)
    assert relinked.returncode == 0, relinked.stderr
    assert "1 incidents with a date in 1 events, 0 of them reported by several documents; changed" in " ".join(
        relinked.stderr.split())
    assert groups(KGStore(path)) == {frozenset({"late#incident_1"})}


def test_the_events_graph_conforms_to_the_shapes(in_order: KGStore) -> None:
    data = rdflib_graph(q.triple for q in in_order.ox.quads_for_pattern(None, None, None, events_graph(B)))
    assert len(set(data.subjects(RDF.type, NKG.Event))) >= 2
    assert validate_graph(data) == []


def test_an_entity_that_is_place_and_perpetrator_lists_its_incident_once(store: KGStore) -> None:
    write_doc(store, "raid", "2023-11-24", Inc("2023-11-24", (ISRAEL,), (ISRAEL,), {"Killed": 1, "Captured": 25}))
    events.link(store.ox, B)
    (group,) = entity_view.incidents_of(store.ox, ox.NamedNode(ISRAEL))
    (row,) = group.incidents
    assert (row.role, row.tolls, row.date) == ("perpetrator and place", "Captured 25, Killed 1", "2023-11-24")
    assert group.event is not None and group.event.label == "Israel, 2023-11-24"


@pytest.mark.parametrize("b, same", [
    pytest.param((KANDAHAR_PROVINCE,), True, id="the-same-province"),
    pytest.param((KABUL,), False, id="a-city-in-another-province"),
    pytest.param((AFGHANISTAN,), False, id="the-country-joins-nothing"),
])
def test_one_perpetrator_in_one_country(store: KGStore, b: tuple[str, ...], same: bool) -> None:
    write_doc(store, "first", "2011-01-17", Inc("2011-01-17", (KANDAHAR_PROVINCE,), (TALIBAN,), {"Killed": 3}))
    write_doc(store, "second", "2011-01-17", Inc("2011-01-17", b, (TALIBAN,), {"Killed": 4}))
    assert events.link(store.ox, B).shared == (1 if same else 0)


def _gathered(store: KGStore) -> list[events.IncidentRow]:
    """What an ingest into an empty store gathers: each document graph as it is written."""
    gathered = events.Reader()
    for graph in sorted(store.ox.named_graphs(), key=str):
        if graph.value.startswith(f"{B}doc/"):
            gathered.add_graph(graph, store.ox.quads_for_pattern(None, None, None, graph))  # type: ignore[arg-type]
    return gathered.done(store.ox, entities_graph(B))


def test_incidents_gathered_as_graphs_are_written_are_those_read_from_the_store(store: KGStore) -> None:
    write_doc(store, "early", "2023-11-01", STRIKE_EARLY, Inc(None, (CHICAGO,), (HAMAS,), reported=False))
    write_doc(store, "late", "2023-11-04", STRIKE_LATE, Inc("2019-03-02", (CHICAGO, ILLINOIS), (), {"Killed": 1}))
    write_doc(store, "undated", None, Inc(None, (KABUL,), (TALIBAN,), {"Injured": 3}))
    doc = write_doc(store, "two-dates", "2023-11-02", Inc("2023-11-02", (JABALIA,), (IDF,), {"Killed": 2}))
    node = ox.NamedNode(f"{doc}#incident_1")
    store.ox.extend([  # a second date, and a toll of the perpetrators, which gives no casualty type
        ox.Quad(node, ox.NamedNode(str(NKG.date)), ox.Literal("2023-11-01", datatype=ox.NamedNode(str(namespaces.XSD.date))),
                ox.NamedNode(doc)),
        ox.Quad(ox.NamedNode(f"{node.value}_killed"), ox.NamedNode(str(NKG.ofPerpetrators)), ox.Literal(True),
                ox.NamedNode(doc)),
        ox.Quad(ox.NamedNode(f"{node.value}_arrested"), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(NKG.Toll)),
                ox.NamedNode(doc)),
    ])
    read = read_rows(store.ox, B)
    assert {i.iri.rsplit("/", 1)[-1] for i in read} == {"early#incident_1", "early#incident_2", "late#incident_1",
                                                        "late#incident_2", "two-dates#incident_1",
                                                        "undated#incident_1"}
    two_dates = next(i for i in read if i.iri == node.value)
    assert (two_dates.start, two_dates.types, two_dates.perpetrators) == (date(2023, 11, 1), frozenset(),
                                                                         frozenset({IDF, ISRAEL}))
    assert _gathered(store) == read


def test_an_ingest_into_an_empty_store_links_what_reading_the_store_back_would(nlp) -> None:
    store = KGStore()
    ingest([SAMPLES], store, B, nlp=nlp)  # the events from the incidents gathered as the graphs went in
    assert _gathered(store) == read_rows(store.ox, B)
    assert events.link(store.ox, B).changed is False  # read back from the store: the same events
    assert events.link(store.ox, B, full=False).changed is False


def test_a_victim_named_with_and_without_a_middle_initial_joins_two_reports(store: KGStore) -> None:
    """"Jacob A. Stahl" in the first report and "Jacob Stahl" in the funeral notice a week on, placed in
    towns that do not nest: one full name, so the two are candidates and their victims are the same."""
    full, short = B + "person/jacob-a-stahl", B + "person/jacob-stahl"
    store.merge_shared(entities_graph(B), ox_triples([(URIRef(full), RDFS.label, Literal("Jacob A. Stahl")),
                                                      (URIRef(short), RDFS.label, Literal("Jacob Stahl"))]))
    write_doc(store, "first", "2014-10-17", Inc("2014-10-17", (CHICAGO,), (), {"Killed": 1}, victims=(full,)))
    write_doc(store, "funeral", "2014-10-24", Inc(None, (HOUSTON,), (), {"Killed": 1}, victims=(short,)))
    rows = {r.doc.rsplit("/", 1)[-1]: r for r in read_rows(store.ox, B)}
    assert [p.name for p in rows["first"].victims] == [p.name for p in rows["funeral"].victims] == ["jacob stahl"]
    assert pairs.candidates(rows["first"], rows["funeral"])
    assert "victims=iri" in pairs.features(rows["first"], rows["funeral"])


@pytest.mark.parametrize(("name", "full"), [
    ("Jacob A. Stahl", "jacob stahl"), ("Rodney Patrick Jr.", "rodney patrick"), ("Ethan Hunter Payne", "ethan payne"),
    ("Carroll", None), ("J. Carroll", None),
])
def test_full_name(name: str, full: str | None) -> None:
    from kg.events.incidents import full_name

    assert full_name(name) == full


def test_incremental_links_give_the_full_recompute(tmp_path: Path) -> None:
    """Made-up local news (bench/events.py's world): written in four rounds in shuffled order, each
    followed by an incremental link, then a document removed and one changed; after each step the
    events graph is the one a full recompute gives."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import events as world  # bench/events.py

    records = world.make_world(400, seed=7)
    rng = random.Random(3)
    rng.shuffle(records)
    incremental = ox.Store()

    def full_of(store: ox.Store) -> set[ox.Quad]:
        other = ox.Store()
        other.extend(q for q in store if q.graph_name != events_graph(B))
        events.link(other, B)
        return set(other.quads_for_pattern(None, None, None, events_graph(B)))

    for n in range(4):
        world.write(records[n::4], tmp_path / f"round-{n}.nq", B)
        incremental.load(path=str(tmp_path / f"round-{n}.nq"), format=ox.RdfFormat.N_QUADS)
        report = events.link(incremental, B, full=False)
        assert not report.full and report.changed
        assert set(incremental.quads_for_pattern(None, None, None, events_graph(B))) == full_of(incremental)
    assert events.link(incremental, B).shared > 50  # the world has reports that are one happening
    incremental.remove_graph(ox.NamedNode(doc_iri(B, records[0]["id"]).value))
    assert events.link(incremental, B, full=False).changed
    assert set(incremental.quads_for_pattern(None, None, None, events_graph(B))) == full_of(incremental)
    assert events.link(incremental, B, full=False).changed is False


def test_timeline_labels_at_one_date_do_not_overlap() -> None:
    """"at least 24" (Missing) just above "at least 20" (Killed) on one day: the lower label moves down."""
    marks = [event_view.Mark(64.0, 187.8, None), event_view.Mark(64.0, 183.0, None), event_view.Mark(300.0, 90.0, None)]
    event_view._spread_labels(marks)
    ys = sorted(m.label_y for m in marks[:2])
    assert ys[1] - ys[0] >= event_view.LABEL_GAP
    assert marks[1].label_y == 183.0 - 8 and marks[2].label_y == 90.0 - 8  # the top one and a lone one stay above
