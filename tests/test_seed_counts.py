"""The seed article through the real pipeline into a real store, its counts asked for in SPARQL."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.ingestion import ingest
from kg.namespaces import DEFAULT_BASE, sparql_prefixes
from kg.store import KGStore

DOC = f"<{DEFAULT_BASE}doc/seed-gaza-americans>"

COUNTS = sparql_prefixes() + """
SELECT ?count ?phrase ?type ?qualifier ?value ?min ?date ?perpetrator ?nationality ?place ?whole WHERE {
  GRAPH %(doc)s {
    ?count a nkg:CasualtyCount ; nkg:casualtyType ?type ; nkg:qualifier ?qualifier ;
           nkg:mention/nif:anchorOf ?phrase .
    OPTIONAL { ?count nkg:value ?value } OPTIONAL { ?count nkg:minValue ?min } OPTIONAL { ?count nkg:date ?date }
    OPTIONAL { ?count nkg:partOf ?whole }
  }
  OPTIONAL { GRAPH %(doc)s { ?count nkg:perpetrator ?p } GRAPH ?g1 { ?p rdfs:label ?perpetrator } }
  OPTIONAL { GRAPH %(doc)s { ?count nkg:victimNationality ?n } GRAPH ?g2 { ?n rdfs:label ?nationality } }
  OPTIONAL { GRAPH %(doc)s { ?count nkg:place ?pl } GRAPH ?g3 { ?pl rdfs:label ?place } }
}""" % {"doc": DOC}

# phrase -> (type, qualifier, value, minValue, date, perpetrator label, nationality label, place label)
EXPECTED = {
    "more than 1,400": ("Killed", "MoreThan", 1400, 1401, "2023-10-07", "Hamas", None, None),
    "at least 33": ("Killed", "AtLeast", 33, 33, "2023-10-07", "Hamas", "United States", None),
    "about 200": ("Hostage", "Approximately", 200, None, None, "Hamas", None, None),
    "two": ("Released", "Exactly", 2, 2, "2023-10-20", None, "United States", None),
    "Hundreds": ("Trapped", "Approximately", None, 200, None, "Hamas", "United States", "Gaza Strip"),
}


@pytest.fixture(scope="module")
def seed_counts(nlp, tmp_path_factory, seed_article: Path) -> dict[str, dict]:
    store = KGStore(tmp_path_factory.mktemp("seed") / "store")
    report = ingest([seed_article], store, DEFAULT_BASE, nlp=nlp)
    assert report.documents == 1 and not report.errors
    rows: dict[str, dict] = {}
    for solution in store.ox.query(COUNTS):
        row = {name: (None if solution[name] is None else solution[name].value)
               for name in ("count", "phrase", "type", "qualifier", "value", "min", "date", "perpetrator",
                            "nationality", "place", "whole")}
        rows.setdefault(row["phrase"] + "@" + row["count"], row)
    return rows


def _one(rows: dict[str, dict], phrase: str, kind: str) -> dict:
    found = [r for r in rows.values() if r["phrase"] == phrase and r["type"].endswith("#" + kind)]
    assert found, f"no {kind} count {phrase!r} among {sorted({r['phrase'] for r in rows.values()})}"
    return found[-1]


@pytest.mark.parametrize("phrase", list(EXPECTED))
def test_seed_count(seed_counts, phrase) -> None:
    kind, qualifier, value, low, date, perpetrator, nationality, place = EXPECTED[phrase]
    row = _one(seed_counts, phrase, kind)
    assert row["qualifier"].endswith("#" + qualifier)
    assert row["value"] == (None if value is None else str(value))
    assert row["min"] == (None if low is None else str(low))
    if date is not None:
        assert row["date"] == date
    assert row["perpetrator"] == perpetrator
    assert row["nationality"] == nationality
    if place is not None:
        assert row["place"] == place


def test_the_33_americans_are_part_of_the_1400(seed_counts) -> None:
    part = _one(seed_counts, "at least 33", "Killed")
    whole = _one(seed_counts, "more than 1,400", "Killed")
    assert part["whole"] == whole["count"]


def test_dates_are_not_counts(seed_counts) -> None:
    phrases = {r["phrase"] for r in seed_counts.values()}
    assert not {p for p in phrases if "Oct" in p or p in ("7", "20")}
