"""Bulk-importing RDF dumps (any RDF format of kg.formats: N-Quads, TriG, Turtle...) into the store.

Every file is parsed once before anything is written, so that a broken one leaves the store as it
was instead of half of the list loaded. Oxigraph's bulk loader then writes storage files beside the
database and hands them over in batches: a load killed midway leaves part of a file in the store and
some of those files behind. Loading is a set union, so running the same load again finishes it, and
each load first deletes the files an earlier killed one left (`KGStore.remove_orphans`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import formats
from kg.errors import InputError, LoadError
from kg.namespaces import node
from kg.store import KGStore


@dataclass
class LoadReport:
    files: int = 0
    quads: int = 0  # quads in the store afterwards
    added: int = 0
    seconds: float = 0.0


def file_format(path: Path, fmt: str | None = None) -> ox.RdfFormat:
    """The format of `path`: `fmt` if given, else what its extension says (`.nq`, `.nquads`, `.ttl`...)."""
    try:
        return formats.rdf_format(fmt) if fmt else formats.file_format(path)
    except ValueError as exc:
        if fmt:
            raise InputError(str(exc)) from None
        raise InputError(
            f"File {str(path)!r}: the extension {path.suffix!r} names no RDF format; "
            f"pass --format ({', '.join(row.name for row in formats.RDF)})."
        ) from None


def _check(path: Path, fmt: ox.RdfFormat) -> None:
    """Parse `path` without storing anything; LoadError with the line and column if it is broken."""
    try:
        for _ in ox.parse(path=path, format=fmt):
            pass
    except SyntaxError as exc:
        raise LoadError(path, exc) from None


def load(store: KGStore, files: list[Path], *, graph: str | None = None, fmt: str | None = None) -> LoadReport:
    """Load `files` into `store`; triples of a Turtle or N-Triples file go to `graph` (default graph if None).

    Blank node labels are kept as the files write them, so loading the same file twice adds nothing.
    """
    started = time.perf_counter()
    formats = []
    for path in files:
        if not path.is_file():
            raise InputError(f"No such file: {str(path)!r}.")
        formats.append(file_format(path, fmt))
    for path, file_fmt in zip(files, formats):
        _check(path, file_fmt)  # the bulk loader stores a file's first batches before it parses the rest
    store.remove_orphans()
    before = len(store.ox)
    to_graph = node(graph) if graph else None
    for path, file_fmt in zip(files, formats):
        try:
            store.bulk_load(path, file_fmt, to_graph)
        except SyntaxError as exc:
            raise LoadError(path, exc) from None
    store.flush()
    after = len(store.ox)
    return LoadReport(files=len(files), quads=after, added=after - before, seconds=time.perf_counter() - started)


__all__ = ["LoadReport", "file_format", "load"]
