"""kg.server.executor: the row limit cuts an answer without evaluating the query again, and an answer
under the limit is Oxigraph's own serialization, byte for byte."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg import formats
from kg.server import executor
from kg.server.query_shape import shape_of
from kg.sparql import results_csv, run_query

P = ox.NamedNode("http://example.org/p")
SOLUTIONS = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s"
TRIPLES = "CONSTRUCT { ?s <http://example.org/p> ?o } WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s"
ROWS = 3000  # enough bytes that the bound on the rows is a count of row marks, not the length


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i:05}"), P, ox.Literal(f"row {i}"), ox.DefaultGraph())
                 for i in range(ROWS))
    store.add(ox.Quad(ox.BlankNode("b0"), P, ox.Literal("a blank subject", language="en"), ox.DefaultGraph()))
    return store


@pytest.fixture
def evaluations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The queries the executor hands to Oxigraph, in order."""
    seen: list[str] = []

    def counted(store: ox.Store, text: str, **options: object):
        seen.append(text)
        return run_query(store, text, **options)

    monkeypatch.setattr(executor, "run_query", counted)
    return seen


def _evaluate(store: ox.Store, text: str, media: str, max_rows: int) -> executor.Answer:
    return executor.evaluate(store, text, shape_of(text), accept=media, max_rows=max_rows)


RESULT_MEDIA = {row.media_type: row.format for row in formats.RESULTS}
GRAPH_MEDIA = {row.media_type: row.format for row in formats.RDF.served()}


@pytest.mark.parametrize("media", RESULT_MEDIA)
def test_solutions_over_the_limit_are_cut_from_one_evaluation(store, evaluations, media: str) -> None:
    answer = _evaluate(store, SOLUTIONS, media, 10)
    assert answer.rows_cut and evaluations == [SOLUTIONS]
    first = list(run_query(store, SOLUTIONS))[:10]
    fmt = RESULT_MEDIA[media]
    if fmt == formats.CSV:
        assert answer.body == results_csv(run_query(store, SOLUTIONS).variables, first)
    else:
        assert [tuple(s) for s in ox.parse_query_results(answer.body, fmt)] == [tuple(s) for s in first]


@pytest.mark.parametrize("media", GRAPH_MEDIA)
def test_triples_over_the_limit_are_cut_from_one_evaluation(store, evaluations, media: str) -> None:
    answer = _evaluate(store, TRIPLES, media, 10)
    assert answer.rows_cut and evaluations == [TRIPLES]
    first = list(run_query(store, TRIPLES))[:10]
    assert answer.body == ox.serialize(first, format=GRAPH_MEDIA[media])


@pytest.mark.parametrize("media", [*RESULT_MEDIA, *GRAPH_MEDIA])
@pytest.mark.parametrize("max_rows", [0, ROWS + 1], ids=["no limit", "at the limit"])
def test_an_answer_under_the_limit_is_oxigraphs_own(store, evaluations, media: str, max_rows: int) -> None:
    graph = media in GRAPH_MEDIA
    text = TRIPLES if graph else SOLUTIONS
    answer = _evaluate(store, text, media, max_rows)
    result = run_query(store, text)
    fmt = (GRAPH_MEDIA if graph else RESULT_MEDIA)[media]
    expected = result.serialize(format=fmt) if fmt != formats.CSV else results_csv(result.variables, result)
    assert not answer.rows_cut and answer.body == expected and evaluations == [text]


def test_a_bound_that_literals_make_loose_cuts_nothing(evaluations) -> None:
    """Literals full of the JSON row mark put the bound over the limit; the rows, counted, are not."""
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), P, ox.Literal("},{" * 400), ox.DefaultGraph())
                 for i in range(3))
    answer = _evaluate(store, SOLUTIONS, "application/sparql-results+json", 3)
    assert not answer.rows_cut and answer.body == run_query(store, SOLUTIONS).serialize(format=ox.QueryResultsFormat.JSON)
    assert evaluations == [SOLUTIONS]
