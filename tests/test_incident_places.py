"""Where an incident happened: its most specific place, and places nested with geo:sfWithin in the
shared entities graph (the gazetteer's states and countries, and what the text says: "Andar
district, Ghazni province", "Puyallup, Wash."), so that one query over geo:sfWithin* finds every
incident in Ohio. Real model, real store."""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import pipeline, queries
from kg.ingestion import ingest
from kg.namespaces import DEFAULT_BASE, GEO, RDFS, entities_graph
from kg.sparql import run_query
from kg.store import KGStore

B = DEFAULT_BASE
OHIO, WASHINGTON, GHAZNI, US, AF = (B + "place/geonames-5165418", B + "place/geonames-5815135",
                                    B + "place/iso-AF-GHA", B + "country/US", B + "country/AF")
ARTICLES = [
    {"id": "dayton", "title": "Man killed in Dayton shooting", "date": "2016-03-10",
     "text": "DAYTON, Ohio (AP) — A man was shot and killed Monday night on Main Street, police said."},
    {"id": "andar", "title": "Two wounded in Ghazni", "date": "2011-01-17",
     "text": "KABUL, Afghanistan — Two civilians were wounded when insurgents attacked a checkpoint in Andar "
             "district, Ghazni province, on Sunday."},
    {"id": "puyallup", "title": "Teen shot", "date": "2016-03-10",
     "text": "A 16-year-old boy was wounded in a shooting Tuesday in Puyallup, Wash., police said."},
    {"id": "smallville", "title": "Woman killed at home", "date": "2016-03-10",
     "text": "SMALLVILLE, Ohio — A woman was shot and killed at her home on Elm Street on Tuesday, police said."},
    {"id": "columbus", "title": "Man shot in Columbus, Georgia", "date": "2016-03-10",
     "text": "A man was shot and killed Tuesday in Columbus, Ga., police said."},  # not the Ohio one
]


@pytest.fixture(scope="module")
def store(tmp_path_factory, nlp) -> KGStore:
    folder = tmp_path_factory.mktemp("places")
    path = folder / "articles.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    kg = KGStore(folder / "store")
    ingest([path], kg, B, nlp=nlp)
    return kg


def within(store: KGStore, place: str) -> set[str]:
    graph = entities_graph(B)
    return {q.object.value for q in store.ox.quads_for_pattern(ox.NamedNode(place), ox.NamedNode(GEO.sfWithin), None, graph)}


def main_places(store: KGStore, doc_id: str) -> list[str]:
    rows = run_query(store.ox, f"""PREFIX nkg: <https://w3id.org/newskg/ontology#>
        SELECT ?p WHERE {{ GRAPH <{B}doc/{doc_id}> {{ ?d nkg:mainIncident ?i . ?i nkg:place ?p }} }}""")
    return sorted(r["p"].value for r in rows)


def test_every_incident_in_ohio_is_one_query(store: KGStore) -> None:
    rows = run_query(store.ox, queries.get("incidents-in-region").text)
    found = sorted((r["document"].value, sorted(r["place"].value.split(", "))) for r in rows)
    # one row an incident: its town, and the street in it that the text names
    assert found == [("dayton", ["Dayton", "Main Street"]), ("smallville", ["Elm Street", "Smallville"])]


def test_the_gazetteer_nests_a_town_in_its_state_and_country(store: KGStore) -> None:
    (dayton,) = [p for p in main_places(store, "dayton") if p.rsplit("/", 1)[-1].removeprefix("geonames-").isdigit()]
    assert within(store, dayton) == {OHIO, US}
    assert within(store, OHIO) == {US}
    label = next(store.ox.quads_for_pattern(ox.NamedNode(OHIO), ox.NamedNode(RDFS.label), None, entities_graph(B)))
    assert label.object.value == "Ohio"  # a container no document names keeps its label in the shared graph


def test_the_text_nests_a_district_in_its_province(store: KGStore) -> None:
    assert main_places(store, "andar") == [B + "place/andar-district"]  # not KABUL, the dateline
    assert within(store, B + "place/andar-district") == {GHAZNI, AF}


def test_a_town_before_an_ap_state_lies_in_that_state(store: KGStore) -> None:
    (puyallup,) = main_places(store, "puyallup")
    assert within(store, puyallup) == {WASHINGTON, US}


def test_a_town_no_gazetteer_lists_is_a_place_within_the_state_the_dateline_gives(store: KGStore) -> None:
    town = B + "place/smallville-oh"
    assert town in main_places(store, "smallville")  # the dateline's town, beside the street
    assert within(store, town) == {OHIO, US}


@pytest.mark.parametrize(("text", "place"), [
    pytest.param("A man was shot on Elm Street on Tuesday in Toledo, police said.", "Toledo", id="in-x"),
    pytest.param("TOLEDO, Ohio — A man was shot on Elm Street on Tuesday, police said.", "Toledo", id="dateline"),
    pytest.param("KABUL, Afghanistan — Insurgents killed two civilians in Gomal district of Paktika province.",
                 "Gomal district", id="district-not-the-dateline"),
    pytest.param("Toledo police said a man was shot and killed Tuesday.", "Toledo", id="named-in-the-lead"),
    pytest.param("KINGSPORT, Tenn. — A man was charged after his son was shot Tuesday. He was indicted in federal "
                 "court in Greeneville.", "Kingsport", id="not-the-court-it-was-tried-in"),
    pytest.param("Two people were arrested Tuesday after a toddler shot herself in the hand, according to Sanford "
                 "Police.", "Sanford", id="the-towns-police-not-a-person"),
    pytest.param("PITTSBURGH (KDKA) — A French exchange student was shot and killed Tuesday, police said.",
                 "Pittsburgh", id="us-local-news-that-names-another-country"),
    pytest.param("A teenager was shot and killed on Tuesday. He died at the scene. Witnesses heard six shots, and "
                 "Waco police said the teen knew the shooter.", "Waco", id="the-town-whose-police-speak"),
    pytest.param("A teenage girl was taken to a hospital after she accidentally shot herself.\n\nWaco Police Sgt. "
                 "Patrick Swanton said the girl found the gun.", "Waco", id="the-towns-police-in-capitals"),
    pytest.param("A man was shot Tuesday evening, said Christopher Wilburn, an Indianapolis Metropolitan Police "
                 "Department spokesman.", "Indianapolis", id="the-city-a-metropolitan-police-is-named-after"),
    pytest.param("Denver police have arrested a 32-year-old man in Tulsa, Okla., in connection with a triple "
                 "homicide Friday night.", "Denver", id="not-where-the-suspect-was-found"),
])
def test_the_main_incident_gets_the_most_specific_place_tied_to_it(nlp, text: str, place: str) -> None:
    import datetime as dt

    doc = next(pipeline.process(nlp, [(text, dt.date(2016, 3, 10))]))
    facts = doc._.facts
    incident = facts.incidents[facts.main_incident]
    assert place in [facts.entities[k].label for k in incident.places]


@pytest.mark.parametrize("text", [
    pytest.param("KERRVILLE, Texas — A 7-year-old girl was shot Saturday night and was flown to University Trauma "
                 "Center in San Antonio.", id="a-trauma-center"),
    pytest.param("KERRVILLE, Texas — A 7-year-old girl was shot Saturday night and was taken to a hospital in San "
                 "Antonio.", id="a-hospital"),
])
def test_the_town_of_the_hospital_is_not_where_it_happened(nlp, text: str) -> None:
    import datetime as dt

    facts = next(pipeline.process(nlp, [(text, dt.date(2016, 3, 10))]))._.facts
    labels = [(facts.entities.get(k) or facts.containers[k]).label for k in facts.incidents[facts.main_incident].places]
    assert "Kerrville" in labels and "San Antonio" not in labels


def test_a_street_in_a_town_lies_in_that_town_and_is_that_towns_street(nlp) -> None:
    """"on Elm Street in Toledo" and "on Elm Street in Dayton" are two streets, each in its town."""
    import datetime as dt

    streets = {}
    for town in ("Toledo", "Dayton"):
        facts = next(pipeline.process(nlp, [(f"A man was shot on Elm Street in {town} on Tuesday, police said.",
                                             dt.date(2016, 3, 10))]))._.facts
        (street,) = [e for e in facts.entities.values() if e.label == "Elm Street"]
        (city,) = [e for e in facts.entities.values() if e.label == town]
        assert city.key in street.within and OHIO.removeprefix(B) in street.within
        streets[town] = street.key
    assert streets["Toledo"] != streets["Dayton"]


@pytest.mark.parametrize(("text", "place", "city"), [
    pytest.param("ENGLEWOOD — Two men were shot Thursday in Englewood, according to Chicago Police.",
                 "Englewood", "Chicago", id="the-states-town-of-the-name-a-section-of-its-city"),
    pytest.param("Three teens were shot Friday in Austin on the West Side, Chicago police said.",
                 "Austin", "Chicago", id="a-town-of-another-state-is-a-part-of-the-city"),
    pytest.param("A girl was shot in the head in Boyle Heights on Friday, according to Los Angeles police.",
                 "Boyle Heights", "Los Angeles", id="a-section-the-gazetteer-lists-as-a-town"),
    pytest.param("PITTSBURGH — A teenager was fatally shot in Sheraden on Tuesday, police said.",
                 "Sheraden", "Pittsburgh", id="a-spot-no-gazetteer-knows"),
])
def test_a_section_of_the_storys_city_lies_in_it(nlp, text: str, place: str, city: str) -> None:
    """US local news names its city's sections as if they were towns, and its state's towns without
    the state: each lies in the story's city, whatever town of another state shares its name."""
    import datetime as dt

    facts = next(pipeline.process(nlp, [(text, dt.date(2016, 3, 10))]))._.facts
    incident = facts.incidents[facts.main_incident]
    (section,) = [facts.entities[k] for k in incident.places if facts.entities[k].label == place]
    (town,) = [e for e in facts.entities.values() if e.label == city]
    assert section.within[0] == town.key and set(town.within) <= set(section.within)


@pytest.mark.parametrize(("text", "places"), [
    pytest.param("SPOKANE, Wash. — A man was shot and killed Tuesday at his home, Spokane County sheriff's "
                 "deputies said.", ["Spokane", "Spokane County"], id="the-county-whose-deputies-speak"),
    pytest.param("HENDERSON COUNTY, Tenn. — Deputies say a man was killed in a shooting Sunday on Middleburg Road.",
                 ["Henderson County"], id="the-datelines-county"),
    pytest.param("TACOMA, Wash. — A man was shot and killed Tuesday, the Pierce County Sheriff's Department said. "
                 "Pierce County has seen four shootings this year.", ["Tacoma", "Pierce County"],
                 id="the-county-in-the-agencys-name"),
    pytest.param("TACOMA, Wash. — A man was shot and killed Tuesday. The suspect was booked by Multnomah County, "
                 "Ore., deputies.", ["Tacoma"], id="not-a-county-of-another-state"),
])
def test_the_main_incident_lies_in_the_county_whose_officers_speak(nlp, text: str, places: list[str]) -> None:
    """A sheriff, a coroner or a prosecutor work in their county: the happening they speak of lies in it."""
    import datetime as dt

    facts = next(pipeline.process(nlp, [(text, dt.date(2016, 3, 10))]))._.facts
    incident = facts.incidents[facts.main_incident]
    labels = [(facts.entities.get(k) or facts.containers[k]).label for k in incident.places]
    assert [label.title() for label in labels if label.title() in places] == places


def test_a_county_no_gazetteer_knows_lies_in_the_storys_state(nlp) -> None:
    import datetime as dt

    text = "TACOMA, Wash. — A 16-year-old boy was wounded in a shooting Tuesday in Pierce County, deputies said."
    facts = next(pipeline.process(nlp, [(text, dt.date(2016, 3, 10))]))._.facts
    (county,) = [e for e in facts.entities.values() if e.label == "Pierce County"]
    assert county.key == "place/pierce-county-wa" and county.within == [WASHINGTON.removeprefix(B), "country/US"]


def test_a_town_larger_than_the_storys_city_is_no_part_of_it(nlp) -> None:
    import datetime as dt

    text = "A man was shot and killed Tuesday in Brooklyn after a fight that began at a bar in Houston, police said."
    facts = next(pipeline.process(nlp, [(text, dt.date(2016, 3, 10))]))._.facts
    (brooklyn,) = [e for e in facts.entities.values() if e.label == "Brooklyn"]
    assert "City" in brooklyn.kinds and "Houston" not in [facts.entities[k].label for k in brooklyn.within
                                                          if k in facts.entities]


def test_a_town_of_another_state_given_with_its_state_stays_there(nlp) -> None:
    import datetime as dt

    facts = next(pipeline.process(nlp, [("Chicago police said the man shot Friday had moved from Austin, Texas.",
                                         dt.date(2016, 3, 10))]))._.facts
    (austin,) = [e for e in facts.entities.values() if e.label == "Austin"]
    assert "Texas" in [(facts.entities.get(k) or facts.containers[k]).label for k in austin.within]


def test_a_state_abbreviation_is_the_state_not_a_country(nlp) -> None:
    import datetime as dt

    doc = next(pipeline.process(nlp, [("A man was shot in St. Louis, MO on Tuesday, police in the US said.",
                                        dt.date(2016, 3, 10))]))
    assert "country/MO" not in doc._.facts.entities  # Macao


@pytest.mark.parametrize(("text", "place", "inside"), [
    pytest.param("TAUNTON (CBS) — A man died and three others were hurt in a Taunton shooting on Saturday, the "
                 "Taunton Police Department said.", "place/geonames-4952629", "country/US", id="police-department"),
    pytest.param("A man was charged with killing his mother inside a Bristol, TN home on Monday.",
                 "place/geonames-4608657", "place/geonames-4662168", id="town-and-state-code"),
    pytest.param("A former officer was found shot dead Sunday night in Georgia, the Butts County Sheriff's Office said.",
                 "place/geonames-4197000", "country/US", id="state-named-like-a-country"),
])
def test_a_text_naming_no_country_is_read_as_us_local_news_by_its_cues(nlp, text: str, place: str, inside: str) -> None:
    """Taunton, Massachusetts, not Somerset; Bristol, Tennessee, not England; Georgia the state."""
    import datetime as dt

    facts = next(pipeline.process(nlp, [(text, dt.date(2015, 6, 27))]))._.facts
    assert place in facts.entities
    assert inside in facts.entities[place].within
    assert not {k for k in facts.entities if k.startswith("country/") and k != "country/US"}


def test_a_country_named_in_the_text_is_not_overruled_by_us_cues(nlp) -> None:
    import datetime as dt

    text = "Russian troops shelled Gori, Georgia, on Sunday, killing five people, the Interior Ministry said."
    facts = next(pipeline.process(nlp, [(text, dt.date(2015, 6, 27))]))._.facts
    assert "country/GE" in facts.entities


def test_the_headline_a_body_does_not_repeat_names_the_place(nlp) -> None:
    """Most scraped pages give the title apart; a body of menus still has its headline read."""
    import datetime as dt

    doc = next(pipeline.process(nlp, [("Already a subscriber? Click on the button below to log in.",
                                       dt.date(2016, 3, 10), "Teen shot and killed in Dayton")]))
    facts = doc._.facts
    assert doc.text.startswith("Teen shot and killed in Dayton\n\n") and facts.text == doc.text
    assert facts.main_incident is not None
    assert OHIO.removeprefix(B) in facts.entities[facts.incidents[facts.main_incident].places[0]].within


def test_containers_live_while_a_place_inside_them_does(store: KGStore, tmp_path: Path, nlp) -> None:
    kg = KGStore(tmp_path / "store")
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(ARTICLES[0]) + "\n", encoding="utf-8")
    ingest([path], kg, B, nlp=nlp)
    assert within(kg, OHIO) == {US}
    path.write_text(json.dumps({**ARTICLES[0], "title": "Man killed",
                                "text": "A man was shot and killed Monday night, police said."}) + "\n", encoding="utf-8")
    ingest([path], kg, B, nlp=nlp)  # re-ingested without Dayton: Ohio goes with it
    assert within(kg, OHIO) == set()
