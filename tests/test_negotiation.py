"""Accept headers with q-values against the formats of kg.server.negotiation."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.server.errors import NotAcceptable
from kg.server.negotiation import GRAPHS, RESULTS, choose


@pytest.mark.parametrize(("accept", "offers", "expected"), [
    pytest.param(None, RESULTS, ("application/sparql-results+json", ox.QueryResultsFormat.JSON), id="none: JSON"),
    pytest.param("*/*", GRAPHS, ("text/turtle", ox.RdfFormat.TURTLE), id="anything: Turtle"),
    pytest.param("text/csv;q=0.4, application/sparql-results+xml;q=0.5", RESULTS,
                 ("application/sparql-results+xml", ox.QueryResultsFormat.XML), id="q decides"),
    pytest.param("TEXT/TAB-SEPARATED-VALUES", RESULTS, ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
                 id="case"),
    pytest.param("application/*;q=0.2, text/turtle;q=0.1", GRAPHS,
                 ("application/n-triples", ox.RdfFormat.N_TRIPLES), id="type wildcard with q"),
    pytest.param("text/plain", GRAPHS, ("application/n-triples", ox.RdfFormat.N_TRIPLES), id="alias"),
    pytest.param("application/rdf+xml, */*;q=0", GRAPHS, ("application/rdf+xml", ox.RdfFormat.RDF_XML),
                 id="exact beats q=0 wildcard"),
    pytest.param("text/turtle;q=0, text/*", GRAPHS, ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                 id="q=0 excludes, the alias text/plain remains"),
    pytest.param("application/ld+json;q=abc, application/trig", GRAPHS, ("application/trig", ox.RdfFormat.TRIG),
                 id="bad q is 0"),
])
def test_choose(accept: str | None, offers, expected: tuple) -> None:
    assert choose(accept, offers) == expected


@pytest.mark.parametrize(("accept", "offers"), [
    pytest.param("text/turtle", RESULTS, id="graph type for results"),
    pytest.param("application/sparql-results+json", GRAPHS, id="results type for a graph"),
    pytest.param("text/csv;q=0", RESULTS, id="only offer refused"),
])
def test_nothing_acceptable(accept: str, offers) -> None:
    with pytest.raises(NotAcceptable, match="available"):
        choose(accept, offers)
