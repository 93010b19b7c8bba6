"""The union default graph is a multiset: a triple held by n graphs matches n times (issue 10).

pyoxigraph (0.5.13) offers no union that holds a triple once, so every canned query is written to
be correct under it, and the README and the Service Description say so.
"""
from __future__ import annotations

from collections import Counter

import pytest

from kg import queries
from kg.sparql import run_query


@pytest.mark.parametrize("name", sorted(queries.all_queries()))
def test_no_canned_query_repeats_a_row(sample_store, name: str) -> None:
    result = run_query(sample_store.ox, queries.get(name).text)
    names = [variable.value for variable in result.variables]
    rows = Counter(tuple(str(solution[v]) for v in names) for solution in result)
    assert rows, f"{name} gives no rows on the samples: the test would prove nothing"
    assert {row: n for row, n in rows.items() if n > 1} == {}


def test_the_union_repeats_a_triple_held_by_several_graphs(sample_store) -> None:
    """What the README warns of: without DISTINCT a label comes once per document that states it."""
    query = ("PREFIX nkg: <https://w3id.org/newskg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "SELECT {} ?l WHERE {{ ?p a nkg:Person ; rdfs:label ?l }}")
    labels = [s["l"].value for s in run_query(sample_store.ox, query.format(""))]
    distinct = [s["l"].value for s in run_query(sample_store.ox, query.format("DISTINCT"))]
    assert labels.count("Antony Blinken") > 1 and distinct.count("Antony Blinken") == 1


def test_the_service_description_says_the_union_is_a_multiset(client) -> None:
    response = client.get("/sparql", headers={"Accept": "application/n-triples"})
    assert "sd:UnionDefaultGraph" in response.text or "UnionDefaultGraph" in response.text
    assert "once per graph that holds it" in response.text
