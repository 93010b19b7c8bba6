"""Searching the index: the user's words as an FTS5 query, the documents and entities that match, best
first, and the results as `/search?q=` answers them in JSON (see kg.search)."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kg.search.index import SearchError, connect

MARK_START, MARK_END = "\x02", "\x03"  # around the matched words of a snippet
SNIPPET_WORDS = 24
TITLE_WEIGHT = 4.0  # a word in the title counts as much as four in the text (BM25 column weights)
ALIAS_WEIGHT = 0.5


@dataclass(frozen=True)
class Hit:
    """A document that matches: its IRI, title and date, and a snippet with the matches marked."""

    iri: str
    title: str
    published: str
    snippet: str  # the matched words between MARK_START and MARK_END
    score: float  # BM25, higher is better

    def pieces(self) -> list[tuple[str, bool]]:
        """The snippet in pieces of text; the matched ones are marked True."""
        return marked_pieces(self.snippet)


@dataclass(frozen=True)
class EntityHit:
    iri: str
    label: str
    kind: str
    score: float


@dataclass(frozen=True)
class Results:
    query: str
    total: int  # documents that match, of which `hits` are one page
    hits: list[Hit]
    entities: list[EntityHit]


def marked_pieces(snippet: str) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for part in re.split(f"({MARK_START}[^{MARK_END}]*{MARK_END})", snippet):
        if part.startswith(MARK_START):
            out.append((part.strip(MARK_START + MARK_END), True))
        elif part:
            out.append((part, False))
    return out


# The query language ------------------------------------------------------------------------------
_TERM = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def match_expression(query: str) -> str:
    """The user's words as an FTS5 MATCH expression: every word must occur (stemmed), "quoted words"
    as a phrase, `word*` as a prefix, OR between two terms for either. Nothing the user types can
    make the expression invalid: every term is quoted.

    :raises SearchError: the query holds no word.
    """
    terms: list[str] = []
    for match in _TERM.finditer(query):
        phrase, word = match.group(1), match.group(2)
        if word == "OR":
            if terms and terms[-1] != "OR":
                terms.append("OR")
            continue
        words = _WORD.findall(phrase if phrase is not None else word)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if phrase is None and word.endswith("*"):
            term += "*"
        terms.append(term)
    while terms and terms[-1] == "OR":
        terms.pop()
    if not terms:
        raise SearchError(f'Nothing to search for in {query!r}: give one or more words, or a "quoted phrase".')
    return " ".join(terms)


def search(path: Path, query: str, *, limit: int = 20, offset: int = 0, entities: int = 0) -> Results:
    """The documents that match `query` (see `match_expression`), best first: one page of `limit`
    from `offset`, with how many match in all; and the best `entities` entities and events by label.

    :raises SearchError: no words in `query`, or no index at `path`.
    """
    expression = match_expression(query)
    with connect(path, create=False) as db:
        try:
            hits = [
                Hit(iri, title, published, snippet, -score)
                for iri, title, published, snippet, score in db.execute(
                    f"""SELECT d.iri, t.title, d.published,
                               snippet(document_text, -1, ?, ?, '…', {SNIPPET_WORDS}),
                               bm25(document_text, {TITLE_WEIGHT}, 1.0) AS score
                        FROM document_text AS t JOIN documents AS d ON d.id = t.rowid
                        WHERE document_text MATCH ? ORDER BY score, d.iri LIMIT ? OFFSET ?""",
                    (MARK_START, MARK_END, expression, limit, offset),
                )
            ]
            [(total,)] = db.execute("SELECT count(*) FROM document_text WHERE document_text MATCH ?", (expression,))
            found = [
                EntityHit(iri, label, kind, -score)
                for iri, label, kind, score in db.execute(
                    f"""SELECT e.iri, t.label, e.kind, bm25(entity_text, 1.0, {ALIAS_WEIGHT}) AS score
                        FROM entity_text AS t JOIN entities AS e ON e.id = t.rowid
                        WHERE entity_text MATCH ? ORDER BY score, e.iri LIMIT ?""",
                    (expression, entities),
                )
            ]
        except sqlite3.OperationalError as exc:  # an index written by a newer release, or damaged
            raise SearchError(
                f"The search index {str(path)!r} cannot be read ({exc}): run `kg ingest` again."
            ) from None
    return Results(query, total, hits, found)


def as_json(results: Results) -> dict:
    """`results` as `/search?q=` answers them in JSON: each snippet as text, with the [start, end) of its matches."""

    def snippet(hit: Hit) -> dict:
        text, matches = "", []
        for piece, marked in hit.pieces():
            if marked:
                matches.append([len(text), len(text) + len(piece)])
            text += piece
        return {"text": text, "matches": matches}

    return {
        "query": results.query,
        "total": results.total,
        "documents": [
            {
                "iri": h.iri,
                "title": h.title,
                "date": h.published or None,
                "score": round(h.score, 4),
                "snippet": snippet(h),
            }
            for h in results.hits
        ],
        "entities": [
            {"iri": e.iri, "label": e.label, "kind": e.kind, "score": round(e.score, 4)} for e in results.entities
        ],
    }


__all__ = ["EntityHit", "Hit", "Results", "as_json", "marked_pieces", "match_expression", "search"]
