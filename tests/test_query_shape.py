"""kg.server.query_shape: what the server reads off a query before Oxigraph parses it, in one pass."""
from __future__ import annotations

import httpx
import pytest

from kg.server import query_shape, security, text_query
from kg.server.lexer import tokens
from kg.server.query_shape import QueryShape, shape_of

TEXT = "PREFIX text: <https://w3id.org/newskg/text#>\n"

# text -> (graph, names_dataset, outbound, lookup)
SHAPES = {
    "select": ("SELECT ?s WHERE { ?s ?p ?o }", (False, False, False, False)),
    "ask": ("ASK { ?s ?p ?o }", (False, False, False, False)),
    "construct": ("CONSTRUCT WHERE { ?s ?p ?o }", (True, False, False, False)),
    "describe, lower case": ("describe <s>", (True, False, False, False)),
    "no form": ("PREFIX x: <y>", (None, False, False, False)),
    "the form after a prologue that names one": ("PREFIX select: <x:> CONSTRUCT WHERE { ?s ?p ?o }",
                                                (True, False, False, False)),
    "FROM": ("SELECT * FROM <g> WHERE { ?s ?p ?o }", (False, True, False, False)),
    "FROM NAMED after a CONSTRUCT template": ("CONSTRUCT { ?s ?p ?o } FROM NAMED <g> WHERE { ?s ?p ?o }",
                                              (True, True, False, False)),
    "from in a literal, an IRI and a name": ('SELECT * WHERE { ?s <x:from> "from" . ?s ex:from ?o }',
                                             (False, False, False, False)),
    "SERVICE": ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", (False, False, True, False)),
    "SERVICE glued to a name": ("SELECT * WHERE { SERVICE:x { ?s ?p ?o } }", (False, False, True, False)),
    "service in a literal, an IRI, a variable": ('SELECT ?service WHERE { ?service <x:load> "service" }',
                                                 (False, False, False, False)),
    "a lookup": ("SELECT ?p ?o WHERE { <s> ?p ?o } LIMIT 10", (False, False, False, True)),
    "a lookup with FROM": ("SELECT * FROM <g> { <s> ?p ?o }", (False, True, False, True)),
    "a lookup with the letters of LOAD in a name": ("SELECT ?o { ex:loader ex:p ?o }", (False, False, True, True)),
    "an ASK lookup": ("ASK { <s> <p> <o> }", (False, False, False, True)),
}


@pytest.mark.parametrize(("text", "shape"), SHAPES.values(), ids=SHAPES.keys())
def test_the_shape_of_a_query(text: str, shape: tuple[bool | None, bool, bool, bool]) -> None:
    found = shape_of(text)
    assert (found.graph, found.names_dataset, found.outbound, found.lookup) == shape
    assert found.tokens == ()  # kept only for text:query


@pytest.mark.parametrize(("text", "shape"), SHAPES.values(), ids=SHAPES.keys())
def test_one_pass_finds_what_a_pass_per_question_finds(text: str, shape: tuple[bool | None, bool, bool, bool]) -> None:
    """The early stop changes nothing: each question answered on all the tokens gives the same shape."""
    toks = list(tokens(text))
    words = [t.text.upper() for t in toks if t.kind == "word" and t.depth == 0]
    form = next((w for w in words if w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), None)
    found = shape_of(text)
    assert found.graph == (None if form is None else form in ("CONSTRUCT", "DESCRIBE"))
    assert found.names_dataset == ("FROM" in words)
    assert found.outbound == any(security.names_outbound(t) for t in toks)


def test_a_text_query_keeps_every_token_for_its_rewrite() -> None:
    text = TEXT + 'SELECT ?doc WHERE { ?doc text:query "storey" }'
    shape = shape_of(text)
    assert shape.tokens == tuple(tokens(text)) and shape.graph is False and not shape.lookup


def test_a_query_is_lexed_once_on_its_way_to_oxigraph(reader: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """FROM, SERVICE letters and text:query in one query: one pass of the lexer reads all three."""
    passes: list[str] = []

    def counted(text: str):
        passes.append(text)
        return tokens(text)

    monkeypatch.setattr(query_shape, "tokens", counted)
    monkeypatch.setattr(security, "tokens", counted)
    query = (TEXT + 'SELECT ?doc ?service FROM <https://w3id.org/newskg/id/graph/entities> '
             'WHERE { ?doc text:query "storey" . OPTIONAL { ?doc <x:loaded> ?service } }')
    response = reader.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    assert passes == [query]


def test_the_rewrite_of_a_text_query_keeps_its_shape(sample_store_dir) -> None:
    from kg import search

    text = TEXT + 'SELECT ?doc FROM <g> WHERE { (?doc ?score) text:query ("storey" 5) . }'
    shape = shape_of(text)
    rewritten = text_query.rewrite(text, shape, search.index_of(sample_store_dir))
    assert "VALUES" in rewritten
    assert shape_of(rewritten)[:4] == shape[:4] == QueryShape(False, True, False, False)[:4]
