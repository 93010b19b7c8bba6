"""The SPARQL lexer of kg.server.lexer: words and braces outside literals, IRIs and comments."""
from __future__ import annotations

import pytest

from kg.server.lexer import tokens


@pytest.mark.parametrize(("text", "words"), [
    pytest.param('SELECT * { ?s ?p "SERVICE" }', ["SELECT"], id="word in a literal"),
    pytest.param("SELECT * { ?s ?p '''LOAD\nSERVICE''' }", ["SELECT"], id="word in a long literal"),
    pytest.param('SELECT * { ?s ?p """a "quoted" SERVICE""" }', ["SELECT"], id="quotes inside a long literal"),
    pytest.param('SELECT * { ?s ?p "a \\" SERVICE" }', ["SELECT"], id="escaped quote"),
    pytest.param("SELECT * { ?s <http://x/SERVICE#LOAD> ?o }", ["SELECT"], id="word and # in an IRI"),
    pytest.param("SELECT * { # SERVICE <x>\n ?s ?p ?o }", ["SELECT"], id="word in a comment"),
    pytest.param("SELECT ?service { ?load ?p ?o }", ["SELECT"], id="variables"),
    pytest.param("PREFIX : <x> SELECT * { SERVICE:x {} }", ["PREFIX", ":", "SELECT", "SERVICE:x"],
                 id="glued prefixed name"),
    pytest.param('SELECT * { FILTER(?a<?b) SERVICE <x> {} }', ["SELECT", "FILTER", "SERVICE"], id="less-than"),
    pytest.param('"open\nSERVICE <x> {}', ["SERVICE"], id="literal left open ends at the line"),
])
def test_words_outside_literals_iris_and_comments(text: str, words: list[str]) -> None:
    assert [t.text for t in tokens(text) if t.kind == "word"] == words


def test_depth_counts_braces_outside_literals() -> None:
    text = 'INSERT { ?s ?p "}" } WHERE { { ?s ?p ?o } }'
    assert [(t.text, t.depth) for t in tokens(text) if t.kind in ("word", "open", "close")] == [
        ("INSERT", 0), ("{", 0), ("}", 0), ("WHERE", 0), ("{", 0), ("{", 1), ("}", 1), ("}", 0)]


@pytest.mark.parametrize("text", ['"\\' * 20000 + "\nx", '"""' * 20000 + "\\", "'\\" * 20000, "<a" * 20000])
def test_hostile_text_is_one_pass(text: str) -> None:
    """Unterminated literals and IRIs do not make the scan go back over the text (it would take minutes)."""
    assert sum(len(t.text) for t in tokens(text)) == len(text.replace("\n", ""))
