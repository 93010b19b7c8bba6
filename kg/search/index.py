"""The search index: its file in the store's directory, its schema, and `sync`, which makes it hold
what the store holds (see kg.search)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KGError
from kg.namespaces import NKG, ONTOLOGY_GRAPH, dcterms, nif, nkg, node, rdf, rdfs, skos

SCHEMA_VERSION = "1"
TOKENIZER = "porter unicode61 remove_diacritics 2"

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

_TYPE, _DOCUMENT, _HASH = rdf.type, nkg.Document, nkg.contentHash
_TEXT, _TITLE, _PUBLISHED = nif.isString, dcterms.title, dcterms.date
_LABEL, _ALT = rdfs.label, skos.altLabel


class SearchError(KGError):
    """A search that cannot run: no words to look for, or no index in the store."""


def index_of(store: Path) -> Path:
    """Where the search index of the store at `store` lives: `<store>/search.sqlite`."""
    return store / "search.sqlite"


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
def connect(path: Path, *, create: bool) -> Iterator[sqlite3.Connection]:
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
    with connect(path, create=True) as db:
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


__all__ = ["KINDS", "SearchError", "SyncReport", "connect", "index_of", "sync"]
