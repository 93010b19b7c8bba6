"""Full-text search over the store: documents by their title and text, entities and events by their labels.

The index is SQLite FTS5 (BM25 ranking, phrases, prefixes), in one file inside the store's
directory, `<store>/search.sqlite` (`index_of`; RocksDB leaves files it does not know alone), so that
a copy of the store carries its index. It is derived from the store the way the events graph is: `sync`
brings it up to date with what the store holds, in one SQLite transaction, and computes the same
index whatever it started from. Every `kg ingest` (also one with nothing new), `kg load` and write
through the server runs it after writing the store, so a crash at any moment leaves an index that
the next run brings back in step; meanwhile it is only behind, never torn.

A document is re-read when its content-hash mark changed (what `kg ingest` writes last), or, for a
`recheck` (a write through the server, which may change a title without a mark), when its title,
text or date did. Words are stemmed (Porter: "killed" finds "kill"), accents folded.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KGError
from kg.namespaces import DCTERMS, NIF, NKG, ONTOLOGY_GRAPH, RDF, RDFS, SKOS, node

SCHEMA_VERSION = "1"
TOKENIZER = "porter unicode61 remove_diacritics 2"
MARK_START, MARK_END = "\x02", "\x03"  # around the matched words of a snippet
SNIPPET_WORDS = 24
TITLE_WEIGHT = 4.0  # a word in the title counts as much as four in the text (BM25 column weights)
ALIAS_WEIGHT = 0.5

# The kind of an entity shown beside it: its most specific type of these, first found.
KINDS = [
    (NKG.Event, "event"),
    (NKG.Person, "person"),
    (NKG.ArmedGroup, "armed group"),
    (NKG.Organization, "organization"),
    (NKG.Country, "country"),
    (NKG.City, "city"),
    (NKG.Region, "region"),
    (NKG.Crossing, "crossing"),
    (NKG.Place, "place"),
    (NKG.Actor, "actor"),
]

_TYPE, _DOCUMENT, _HASH = node(RDF.type), node(NKG.Document), node(NKG.contentHash)
_TEXT, _TITLE, _PUBLISHED = node(NIF.isString), node(DCTERMS.title), node(DCTERMS.date)
_LABEL, _ALT = node(RDFS.label), node(SKOS.altLabel)


class SearchError(KGError):
    """A search that cannot run: no words to look for, or no index in the store."""


def index_of(store: Path) -> Path:
    """Where the search index of the store at `store` lives: `<store>/search.sqlite`."""
    return store / "search.sqlite"


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


# The index ---------------------------------------------------------------------------------------
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
  id INTEGER PRIMARY KEY, iri TEXT UNIQUE NOT NULL, mark TEXT NOT NULL, digest TEXT NOT NULL, published TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS document_text USING fts5(title, body, tokenize = '{TOKENIZER}');
CREATE TABLE IF NOT EXISTS entities (
  id INTEGER PRIMARY KEY, iri TEXT UNIQUE NOT NULL, kind TEXT NOT NULL, digest TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS entity_text USING fts5(label, aliases, tokenize = '{TOKENIZER}');
"""


@contextmanager
def _connect(path: Path, *, create: bool) -> Iterator[sqlite3.Connection]:
    if not create and not path.is_file():
        raise SearchError(
            f"No search index at {str(path)!r}: `kg ingest` or `kg load` builds it in the store "
            "(run `kg ingest` again with the same inputs: it changes nothing else)."
        )
    try:
        db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise SearchError(f"Cannot open the search index {str(path)!r}: {exc}") from None
    with closing(db):
        db.execute("PRAGMA journal_mode = WAL")  # readers (kg serve) go on while a sync writes
        yield db


def _schema(db: sqlite3.Connection) -> None:
    version = None
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
        version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    if version is not None and version[0] != SCHEMA_VERSION:  # an index of an older release: rebuilt
        for table in ("documents", "document_text", "entities", "entity_text", "meta"):
            db.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)  # not executescript: it would commit the transaction this runs in
    db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (SCHEMA_VERSION,))


@dataclass
class SyncReport:
    indexed: int = 0  # documents (re)indexed
    removed: int = 0  # documents dropped: no longer in the store
    entities: int = 0  # entities and events (re)indexed or dropped

    @property
    def changed(self) -> bool:
        return bool(self.indexed or self.removed or self.entities)


def sync(store: ox.Store, path: Path, *, recheck: bool = False) -> SyncReport:
    """Make the index at `path` hold exactly the documents, entities and events of `store` (see the module)."""
    report = SyncReport()
    documents = _documents(store)
    entities = _entities(store)
    with _connect(path, create=True) as db:
        db.execute("BEGIN IMMEDIATE")
        try:
            _schema(db)
            _sync_documents(db, store, documents, recheck, report)
            _sync_entities(db, store, entities, report)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return report


def _documents(store: ox.Store) -> dict[str, str]:
    """IRI -> content-hash mark ('' without one) of every document in `store`."""
    marks = {
        q.subject.value: q.object.value
        for q in store.quads_for_pattern(None, _HASH, None)
        if q.graph_name == q.subject and isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal)
    }
    return {
        q.subject.value: marks.get(q.subject.value, "")
        for q in store.quads_for_pattern(None, _TYPE, _DOCUMENT)
        if q.graph_name == q.subject and isinstance(q.subject, ox.NamedNode)
    }


def _read_document(store: ox.Store, iri: str) -> tuple[str, str, str]:
    """Title, text and date of document `iri`, each '' when it has none."""
    doc = node(iri)

    def first(predicate: ox.NamedNode) -> str:
        values = sorted(
            q.object.value
            for q in store.quads_for_pattern(doc, predicate, None, doc)
            if isinstance(q.object, ox.Literal)
        )
        return values[0] if values else ""

    title, text = first(_TITLE), first(_TEXT)
    if title and text.startswith(title):  # the text begins with its headline (kg.extractors.structure)
        text = text[len(title) :].lstrip()
    return title, text, first(_PUBLISHED)


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x00".join(parts).encode(), digest_size=16).hexdigest()


def _sync_documents(
    db: sqlite3.Connection, store: ox.Store, documents: dict[str, str], recheck: bool, report: SyncReport
) -> None:
    have = {
        iri: (rowid, mark, digest)
        for rowid, iri, mark, digest in db.execute("SELECT id, iri, mark, digest FROM documents")
    }
    for iri in have.keys() - documents.keys():
        _drop(db, "documents", "document_text", have[iri][0])
        report.removed += 1
    for iri, mark in sorted(documents.items()):
        known = have.get(iri)
        if known is not None and known[1] == mark and mark and not recheck:
            continue
        title, text, published = _read_document(store, iri)
        digest = _digest(title, text, published)
        if known is not None and known[2] == digest:
            if known[1] != mark:
                db.execute("UPDATE documents SET mark = ? WHERE id = ?", (mark, known[0]))
            continue
        if known is not None:
            _drop(db, "documents", "document_text", known[0])
        rowid = db.execute(
            "INSERT INTO documents (iri, mark, digest, published) VALUES (?, ?, ?, ?)", (iri, mark, digest, published)
        ).lastrowid
        db.execute("INSERT INTO document_text (rowid, title, body) VALUES (?, ?, ?)", (rowid, title, text))
        report.indexed += 1


def _entities(store: ox.Store) -> dict[str, tuple[str, str]]:
    """IRI -> (label, aliases) of every entity and event with an rdfs:label (the ontology's terms aside)."""
    labels: dict[str, str] = {}
    for q in store.quads_for_pattern(None, _LABEL, None):
        if q.graph_name != ONTOLOGY_GRAPH and isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal):
            iri = q.subject.value
            labels[iri] = min(labels.get(iri, q.object.value), q.object.value)
    aliases: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, _ALT, None):
        if isinstance(q.subject, ox.NamedNode) and q.subject.value in labels and isinstance(q.object, ox.Literal):
            aliases.setdefault(q.subject.value, set()).add(q.object.value)
    return {iri: (label, "; ".join(sorted(aliases.get(iri, set()) - {label}))) for iri, label in labels.items()}


def _kind(store: ox.Store, iri: str) -> str:
    types = {
        q.object.value for q in store.quads_for_pattern(node(iri), _TYPE, None) if isinstance(q.object, ox.NamedNode)
    }
    return next((name for term, name in KINDS if str(term) in types), "")


def _sync_entities(
    db: sqlite3.Connection, store: ox.Store, entities: dict[str, tuple[str, str]], report: SyncReport
) -> None:
    have = {iri: (rowid, digest) for rowid, iri, digest in db.execute("SELECT id, iri, digest FROM entities")}
    for iri in have.keys() - entities.keys():
        _drop(db, "entities", "entity_text", have[iri][0])
        report.entities += 1
    for iri, (label, aliases) in sorted(entities.items()):
        digest, known = _digest(label, aliases), have.get(iri)
        if known is not None and known[1] == digest:
            continue
        if known is not None:
            _drop(db, "entities", "entity_text", known[0])
        rowid = db.execute(
            "INSERT INTO entities (iri, kind, digest) VALUES (?, ?, ?)", (iri, _kind(store, iri), digest)
        ).lastrowid
        db.execute("INSERT INTO entity_text (rowid, label, aliases) VALUES (?, ?, ?)", (rowid, label, aliases))
        report.entities += 1


def _drop(db: sqlite3.Connection, table: str, text: str, rowid: int) -> None:
    db.execute(f"DELETE FROM {text} WHERE rowid = ?", (rowid,))
    db.execute(f"DELETE FROM {table} WHERE id = ?", (rowid,))


# Searching ---------------------------------------------------------------------------------------
def search(path: Path, query: str, *, limit: int = 20, offset: int = 0, entities: int = 0) -> Results:
    """The documents that match `query` (see `match_expression`), best first: one page of `limit`
    from `offset`, with how many match in all; and the best `entities` entities and events by label.

    :raises SearchError: no words in `query`, or no index at `path`.
    """
    expression = match_expression(query)
    with _connect(path, create=False) as db:
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


__all__ = [
    "EntityHit",
    "Hit",
    "Results",
    "SearchError",
    "SyncReport",
    "as_json",
    "index_of",
    "marked_pieces",
    "match_expression",
    "search",
    "sync",
]
