"""Every canned query runs on the production store over the sample articles and answers something."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import queries
from kg.errors import QueryNotFound
from kg.sparql import run_query

# query name -> a value that must appear among its answers on the sample articles
EXPECTED = {
    "top-actors": "Hamas",
    "counts-with-sentences": "https://w3id.org/newskg/id/doc/jabalia-strike-1101",
    "documents": "gaza-hostages-1010",
    "people": "Antony Blinken",
    "places": "Egypt",
    "casualties-by-type": "https://w3id.org/newskg/ontology#Killed",
    "conflicting-counts": "https://w3id.org/newskg/id/doc/jabalia-strike-toll-1104",
    "event-tolls": "https://w3id.org/newskg/id/doc/dnipro-strike-toll-1204",
    "incidents": "jabalia-strike-1101",
    "incidents-in-region": "dayton-shooting-1205",
}


@pytest.mark.parametrize("name", sorted(queries.all_queries()))
def test_canned_query_answers_on_the_sample_graph(name: str, sample_store) -> None:
    query = queries.get(name)
    assert query.title and not query.title.startswith("PREFIX"), "every query starts with a comment header"
    result = run_query(sample_store.ox, query.text)
    assert isinstance(result, ox.QuerySolutions)
    values = {term.value for solution in result for term in solution if term is not None}
    assert name in EXPECTED, f"add the expected answer of {name} to EXPECTED"
    assert EXPECTED[name] in values


def test_conflicting_counts_pairs_the_early_and_the_revised_toll(sample_store) -> None:
    rows = [{k: s[k].value for k in ("doc", "phrase", "date", "perpetratorLabel", "type")}
            for s in run_query(sample_store.ox, queries.get("conflicting-counts").text)]
    jabalia = {(r["doc"].rsplit("/", 1)[-1], r["phrase"]) for r in rows
               if r["date"] == "2023-11-01" and r["type"].endswith("#Killed") and r["perpetratorLabel"] == "Israel"}
    assert ("jabalia-strike-1101", "At least 200") in jabalia
    assert ("jabalia-strike-toll-1104", "more than 300") in jabalia


def test_unknown_query_name_is_an_error_that_names_it() -> None:
    with pytest.raises(QueryNotFound, match="'nope'"):
        queries.get("nope")


OWN = sorted(p.stem for p in (Path(queries.__file__).parent / "rq").glob("*.rq"))


@pytest.mark.parametrize("name", OWN)
def test_the_packages_own_queries_parse_with_the_namespaces_and_their_variable_substituted(name: str) -> None:
    from kg.sparql import run_named

    text = queries.own(name)
    assert text.startswith("#"), "every query starts with a comment saying what it is for"
    names = {"document-text": ("doc",)}.get(name, ("e",) if name.startswith(("entity-", "event-")) else ())
    values = {v: ox.NamedNode("http://example.com/x") for v in names}
    run_named(ox.Store(), name, **values)  # a missing prefix, or a substituted variable not projected, raises


def test_an_own_query_that_is_not_there_is_named() -> None:
    with pytest.raises(QueryNotFound, match="'nope'"):
        queries.own("nope")


def test_the_entity_page_queries_find_an_entity_and_not_an_iri_of_no_triple(sample_store) -> None:
    from kg.server.entity_view import load_entity, short_names

    names = short_names("https://w3id.org/newskg/id/")
    assert load_entity(sample_store.ox, ox.NamedNode("http://example.com/nowhere"), names) is None
    view = load_entity(sample_store.ox, ox.NamedNode("https://w3id.org/newskg/id/country/EG"), names)
    assert view is not None and view.label == "Egypt" and view.passages
