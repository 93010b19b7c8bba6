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

from kg.search.index import SearchError, SyncReport, index_of, sync
from kg.search.query import EntityHit, Hit, Results, as_json, marked_pieces, match_expression, search

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
