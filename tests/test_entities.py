"""Actors and places from text, with the real model and the real gazetteer."""
from __future__ import annotations

import pytest

# (text, entity key, class, label, surface forms that must be mentions)
ENTITIES = [
    pytest.param("Hamas refused to cooperate with the US.", "org/hamas", "ArmedGroup", "Hamas", {"Hamas"}, id="hamas"),
    pytest.param("Taliban fighters attacked a checkpost in the district.", "org/taliban", "ArmedGroup", "Taliban",
                 {"Taliban"}, id="taliban"),
    pytest.param("The force detained a Haqqani network facilitator.", "org/haqqani-network", "ArmedGroup",
                 "Haqqani network", {"Haqqani network"}, id="haqqani"),
    pytest.param("He was a commander of the Islamic Movement of Uzbekistan.", "org/islamic-movement-of-uzbekistan",
                 "ArmedGroup", "Islamic Movement of Uzbekistan", {"Islamic Movement of Uzbekistan"}, id="imu"),
    pytest.param("Fighting between the army and the Rapid Support Forces went on.", "org/rapid-support-forces",
                 "ArmedGroup", "Rapid Support Forces", {"Rapid Support Forces"}, id="rsf"),
    pytest.param("The US worked with Israel, Egypt, the UN and Qatar.", "org/united-nations", "Organization",
                 "United Nations", {"UN"}, id="un"),
    pytest.param("The US, the U.S. and the United States are one.", "country/US", "Country", "United States",
                 {"US", "U.S.", "the United States"}, id="united-states"),
    pytest.param("At least 33 Americans were killed.", "country/US", "Country", "United States", {"Americans"},
                 id="demonym-plural"),
    pytest.param("Israeli forces struck the camp.", "country/IL", "Country", "Israel", {"Israeli"}, id="demonym"),
    pytest.param("Qatari officials said the talks went on.", "country/QA", "Country", "Qatar", {"Qatari"},
                 id="demonym-qatari"),
    pytest.param("Hundreds of people are trapped in Gaza.", "place/gaza-strip", "Region", "Gaza Strip", {"Gaza"},
                 id="gaza"),
    pytest.param("Troops patrolled Nawa district in Helmand province.", "place/iso-AF-HEL", "Region", "Helmand",
                 {"Helmand province"}, id="province"),
    pytest.param("A Russian missile hit the city of Kharkiv on Tuesday.", "place/geonames-706483", "City", "Kharkiv",
                 {"Kharkiv"}, id="city"),
    pytest.param("KABUL, Afghanistan (Jan. 25, 2013)\nA force detained two men.", "place/geonames-1138958", "City",
                 "Kabul", {"KABUL"}, id="dateline"),
    pytest.param("Police said 27-year-old Tiffany Segule shot her husband.", "person/tiffany-segule", "Person",
                 "Tiffany Segule", {"Tiffany Segule"}, id="age-names-a-person"),
]

# (text, person key, role, affiliation key)
ROLES = [
    pytest.param("Secretary of State Antony Blinken spoke to reporters.", "person/antony-blinken",
                 "Secretary of State", None, id="title"),
    pytest.param("\u201cWe will work,\u201d State Department spokesman Matthew Miller said on Monday.",
                 "person/matthew-miller", "spokesman", "org/us-state-department", id="org-then-title"),
    pytest.param("Blinken met Qatar's Prime Minister and Minister of Foreign Affairs, Mohammed bin Abdulrahman bin "
                 "Jassim Al Thani, on Monday.", "person/mohammed-bin-abdulrahman-bin-jassim-al-thani",
                 "Prime Minister and Minister of Foreign Affairs", "country/QA", id="apposition-full-name"),
]


def facts_of(nlp, text):
    return nlp(text)._.facts


@pytest.mark.parametrize(("text", "key", "kind", "label", "forms"), ENTITIES)
def test_entity_has_key_class_label_and_mentions(nlp, text, key, kind, label, forms) -> None:
    entities = facts_of(nlp, text).entities
    assert key in entities, sorted(entities)
    entity = entities[key]
    assert entity.kinds == (kind,)
    assert entity.label == label
    assert forms <= {m.text for m in entity.mentions}
    for mention in entity.mentions:
        assert text[mention.begin:mention.end] == mention.text


@pytest.mark.parametrize(("text", "key", "role", "affiliation"), ROLES)
def test_title_gives_role_and_affiliation(nlp, text, key, role, affiliation) -> None:
    entities = facts_of(nlp, text).entities
    assert key in entities, sorted(entities)
    assert entities[key].role == role
    assert entities[key].affiliation == affiliation
    if affiliation:
        assert entities[affiliation].mentions, "an affiliation is an entity the document names"


def test_bare_surname_is_a_mention_of_the_full_name(nlp) -> None:
    text = "State Department spokesman Matthew Miller said on Monday. Miller said that talks went on."
    entities = facts_of(nlp, text).entities
    assert "person/miller" not in entities
    assert {m.text for m in entities["person/matthew-miller"].mentions} == {"Matthew Miller", "Miller"}


@pytest.mark.parametrize("text", [
    pytest.param("Hamas is blocking the Rafah crossing into Egypt.", id="crossing"),
    pytest.param("Hamas does not operate their side of the Rafah gate.", id="gate"),
    pytest.param("Airstrikes hit Rafah and Khan Younis in southern Gaza, officials said.", id="town"),
])
def test_rafah_is_never_a_person(nlp, text) -> None:
    entities = facts_of(nlp, text).entities
    assert not [e for e in entities.values() if "Person" in e.kinds and "Rafah" in e.label]
    assert [e for e in entities.values() if "Rafah" in e.label], sorted(entities)


def test_the_same_entity_has_the_same_key_in_two_documents(nlp) -> None:
    first = facts_of(nlp, "Hamas said the Taliban and the U.S. agreed.").entities
    second = facts_of(nlp, "The United States said HAMAS and Taliban fighters left.").entities
    assert {"org/hamas", "org/taliban", "country/US"} <= first.keys() & second.keys()


def test_weak_alias_loses_to_a_person_name(nlp) -> None:
    entities = facts_of(nlp, "Wagner fighters left the town. Richard Wagner wrote operas.").entities
    assert {m.text for m in entities["org/wagner-group"].mentions} == {"Wagner"}
    assert entities["person/richard-wagner"].kinds == ("Person",)


def test_acronym_in_a_capitalized_headline_is_no_organization(nlp) -> None:
    text = "MAN WHO SHOT NEIGHBOR ARRESTED\nThe WHO said hospitals were full."
    mentions = nlp(text)._.facts.entities["org/world-health-organization"].mentions
    assert [(m.begin, m.text) for m in mentions] == [(text.index("The WHO") + 4, "WHO")]


@pytest.mark.parametrize(("text", "key", "form"), [
    pytest.param("Troops detained two men in Sar-e Pul district, Sar-e Pul province, yesterday.", "place/iso-AF-SAR",
                 "Sar-e Pul province", id="cut-name"),
    pytest.param("An operation in Tarin Kowt district, Uruzgan province killed a leader.", "place/iso-AF-URU",
                 "Uruzgan province", id="tagged-as-nationality"),
    pytest.param("An operation in Tarin Kowt district, Uruzgan province killed a leader.",
                 "place/tarin-kowt-district", "Tarin Kowt district", id="district"),
])
def test_province_and_district_names(nlp, text, key, form) -> None:
    entities = facts_of(nlp, text).entities
    assert key in entities, sorted(entities)
    assert entities[key].kinds == ("Region",)
    assert form in {m.text for m in entities[key].mentions}


def test_a_nationality_before_province_is_no_region(nlp) -> None:
    entities = facts_of(nlp, "Fighting went on in the Afghan province for a week.").entities
    assert not [e for e in entities.values() if "Region" in e.kinds]


def test_a_place_before_a_word_for_its_people_is_a_place(nlp) -> None:
    entities = facts_of(nlp, "Augusta man shot while fleeing gunman\nThe man was taken to a hospital.").entities
    [augusta] = [e for e in entities.values() if e.label == "Augusta"]
    assert augusta.kinds == ("City",) and augusta.geonames_id is not None


def test_the_dateline_city_is_the_city_of_that_name_in_the_text(nlp) -> None:
    text = "Lafayette man found shot in road | Fox 59LAFAYETTE, Ind. (Jan. 5) Police said a man was shot."
    [lafayette] = [e for e in facts_of(nlp, text).entities.values() if e.label == "Lafayette"]
    assert {m.text for m in lafayette.mentions} == {"Lafayette", "LAFAYETTE"}
    assert lafayette.key == "place/geonames-4922462"  # Lafayette, Indiana


KHAN_YOUNIS = ("KHAN YOUNIS, Gaza Strip (Oct. 24, 2023) - An Israeli airstrike on a residential neighbourhood in "
               "Khan Younis killed 52 people. The wounded were taken to Nasser Hospital, Palestinian health officials "
               "said.")


def test_rafah_alone_is_the_town(nlp) -> None:
    entities = facts_of(nlp, "Many of them gathered near the crossing in the town of Rafah early on Monday.").entities
    assert entities["place/geonames-281102"].kinds == ("City",)
    assert "crossing/rafah" not in entities


def test_a_place_the_model_calls_a_person_is_a_place(nlp) -> None:
    entities = facts_of(nlp, KHAN_YOUNIS).entities
    assert {m.text for m in entities["place/geonames-281124"].mentions} == {"KHAN YOUNIS", "Khan Younis"}
    assert entities["place/nasser-hospital"].kinds == ("Place",)
    assert not [e for e in entities.values() if "Person" in e.kinds]
