"""The lists to browse from: events, incidents, and people, places and groups; paged, sortable, linked."""
from __future__ import annotations

import re

import pytest


def test_the_home_page_reaches_search_the_lists_and_the_map(reader) -> None:
    home = reader.get("/").text
    for target in ('action="search"', 'href="events"', 'href="incidents"', 'href="entities"', 'href="map"'):
        assert target in home, target


def test_events_newest_first_with_place_sources_and_tolls(reader) -> None:
    rows = reader.get("/events", params={"format": "json", "limit": "200"}).json()["rows"]
    dates = [r["date"] for r in rows if r["date"]]
    assert len(rows) >= 5 and dates == sorted(dates, reverse=True)
    dnipro = next(r for r in rows if r["label"] == "Dnipro, Ukraine, 2023-12-02")
    assert dnipro["sources"] == 2 and dnipro["killed"] >= 30 and "Killed" in dnipro["tolls"]
    by_toll = reader.get("/events", params={"format": "json", "sort": "toll"}).json()["rows"]
    killed = [r["killed"] if r["killed"] is not None else -1 for r in by_toll]
    assert killed == sorted(killed, reverse=True)
    page = reader.get("/events").text
    assert 'href="event?iri=' in page and "Dnipro, Ukraine, 2023-12-02" in page


def test_lists_are_paged(reader) -> None:
    every = reader.get("/incidents", params={"format": "json", "limit": "200"}).json()["rows"]
    first = reader.get("/incidents", params={"format": "json", "limit": "3"}).json()
    after = reader.get("/incidents", params={"format": "json", "limit": "3", "offset": "3"}).json()
    assert first["more"] and [r["incident"] for r in first["rows"] + after["rows"]] == [r["incident"] for r in every[:6]]
    page = reader.get("/incidents", params={"limit": "3"}).text
    assert re.search(r'rel="next" href="incidents\?[^"]*offset=3', page)


@pytest.mark.parametrize("kind, label", [("people", None), ("places", "Dnipro"), ("groups", "Hamas")])
def test_entities_by_kind_with_their_documents(reader, kind: str, label: str | None) -> None:
    rows = reader.get("/entities", params={"type": kind, "format": "json", "limit": "200"}).json()["rows"]
    counts = [r["documents"] for r in rows]
    assert counts == sorted(counts, reverse=True) and all(c >= 1 for c in counts)
    if label:
        assert label in {r["label"] for r in rows}
    by_name = reader.get("/entities", params={"type": kind, "format": "json", "sort": "name", "limit": "200"}).json()
    names = [r["label"].lower() for r in by_name["rows"] if r["label"]]
    assert names == sorted(names)


@pytest.mark.parametrize("url, words", [("/events?sort=size", "'sort'"), ("/events?order=up", "'order'"),
                                        ("/entities?type=cars", "'type'"), ("/incidents?limit=x", "'limit'")])
def test_a_bad_list_parameter_is_a_400_that_says_what_it_takes(reader, url: str, words: str) -> None:
    answer = reader.get(url)
    assert answer.status_code == 400 and words in answer.text
