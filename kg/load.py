"""Bulk-importing RDF dumps (N-Quads, TriG, JSON-LD, Turtle, N-Triples) into the store.

Oxigraph's bulk loader builds the storage files beside the database and adds them in one step at
the end, so a file that fails to parse leaves the store as it was. With several files, every file
after the first is parsed once before anything is written, so that a broken one also leaves the
store as it was instead of half of the list loaded.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError, LoadError
from kg.store import KGStore

FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD,
           ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}


@dataclass
class LoadReport:
    files: int = 0
    quads: int = 0  # quads in the store afterwards
    added: int = 0
    seconds: float = 0.0


def rdf_format(path: Path) -> ox.RdfFormat:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError(f"File {str(path)!r} is not {', '.join(FORMATS)}.") from None


def _check(path: Path) -> None:
    """Parse `path` without storing anything; LoadError with the line and column if it is broken."""
    try:
        for _ in ox.parse(path=path, format=rdf_format(path)):
            pass
    except SyntaxError as exc:
        raise LoadError(path, exc) from None


def load(store: KGStore, files: list[Path], *, graph: str | None = None) -> LoadReport:
    """Load `files` into `store`; triples of a Turtle or N-Triples file go to `graph` (default graph if None).

    Blank node labels are kept as the files write them, so loading the same file twice adds nothing.
    """
    started = time.perf_counter()
    for path in files:
        if not path.is_file():
            raise InputError(f"No such file: {str(path)!r}.")
        rdf_format(path)
    for path in files[1:]:
        _check(path)
    before = len(store.ox)
    to_graph = ox.NamedNode(graph) if graph else None
    for path in files:
        try:
            store.ox.bulk_load(path=path, format=rdf_format(path), to_graph=to_graph)
        except SyntaxError as exc:
            raise LoadError(path, exc) from None
    store.flush()
    after = len(store.ox)
    return LoadReport(files=len(files), quads=after, added=after - before, seconds=time.perf_counter() - started)


__all__ = ["FORMATS", "LoadReport", "load", "rdf_format"]
