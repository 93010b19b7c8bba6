"""Every format newskg reads or writes, in one table of pyoxigraph's own format objects.

pyoxigraph knows each format's media type, file extension, W3C IRI and whether it carries named
graphs (`RdfFormat.supports_datasets`); this module only says which formats we use, in which order
(the first is what a client gets when it accepts anything), and the other media types clients send
for them. Content negotiation, the Service Description, `kg export`, `kg load`, `kg query`, push and
the row limit of the endpoint all read it. Adding a format is one row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import pyoxigraph as ox

F = TypeVar("F", ox.RdfFormat, ox.QueryResultsFormat)


@dataclass(frozen=True)
class Row(Generic[F]):
    format: F
    aliases: tuple[str, ...] = ()  # other media types that clients send for it (pyoxigraph maps each to it)
    rows: tuple[bytes, int] | None = None  # a mark each solution of a serialized answer has at least once, and
    # how many marks are not solutions (a header line): the endpoint's row limit counts it (kg.server.executor)
    http: bool = True  # offered by the endpoint (a format only for files has False)
    short: str = ""  # its name on the command line, when not pyoxigraph's name squeezed (`nquads`)
    w3c: str = ""  # its IRI in W3C's list of formats (www.w3.org/ns/formats/), where pyoxigraph's differs

    @property
    def iri(self) -> str:
        """The format's IRI from W3C's "Unique URIs for File Formats", as a Service Description names it."""
        return self.w3c or self.format.iri

    @property
    def name(self) -> str:
        return self.short or _squeezed(self.format.name)

    @property
    def label(self) -> str:
        """Its name for people: "Turtle", "JSON" (a results format without pyoxigraph's "SPARQL Results in")."""
        return self.format.name.removeprefix("SPARQL Results in ")

    @property
    def media_type(self) -> str:
        """The media type without parameters (pyoxigraph adds `; charset=utf-8` to CSV and TSV)."""
        return self.format.media_type.partition(";")[0].strip()


class Table(Generic[F]):
    """The formats of one kind, in order; the first is the default."""

    def __init__(self, name: str, rows: list[Row[F]]) -> None:
        self.name = name
        self.rows: list[Row[F]] = rows

    def __iter__(self) -> Iterator[Row[F]]:
        return iter(self.rows)

    def __repr__(self) -> str:
        return f"Table({self.name})"

    def row(self, fmt: F) -> Row[F]:
        return next(row for row in self.rows if row.format == fmt)

    @property
    def formats(self) -> list[F]:
        return [row.format for row in self.rows]

    def served(self) -> list[Row[F]]:
        """The rows the endpoint offers, in order."""
        return [row for row in self.rows if row.http]


RDF: Table[ox.RdfFormat] = Table(
    "RDF",
    [
        Row(ox.RdfFormat.TURTLE, aliases=("application/x-turtle",)),
        Row(ox.RdfFormat.N_TRIPLES, aliases=("text/plain",)),
        Row(ox.RdfFormat.N_QUADS),
        Row(ox.RdfFormat.TRIG),
        Row(ox.RdfFormat.JSON_LD, aliases=("application/json",), w3c="http://www.w3.org/ns/formats/JSON-LD"),
        Row(ox.RdfFormat.RDF_XML, aliases=("application/xml", "text/xml")),
        Row(ox.RdfFormat.N3, http=False),  # files only: N3 formulas have no place in a graph store
    ],
)

RESULTS: Table[ox.QueryResultsFormat] = Table(
    "SPARQL results",
    [
        Row(ox.QueryResultsFormat.JSON, ("application/json",), rows=(b"},{", -1), short="json"),  # rows split by },{
        Row(
            ox.QueryResultsFormat.XML, ("application/xml", "text/xml"), rows=(b"<result>", 0), short="xml"
        ),  # < escaped
        Row(ox.QueryResultsFormat.CSV, short="csv"),  # written row by row (kg.sparql.results_csv): cut as it is
        Row(ox.QueryResultsFormat.TSV, rows=(b"\n", 1), short="tsv"),  # a header line; literals escape newlines
    ],
)

# Formats with a job rather than a client's choice:
EXPORT = ox.RdfFormat.N_QUADS  # `kg export` to standard output: every graph, streamable
WIRE = ox.RdfFormat.N_QUADS  # a document's graph between processes, and the shards of a distributed ingest
LINES = ox.RdfFormat.N_TRIPLES  # one triple a line: digested, printed by `kg query`
LINES_AS = ox.RdfFormat.TURTLE  # what a graph store is told LINES is (N-Triples is Turtle; every store takes it)
RESULT_LINES = ox.QueryResultsFormat.TSV  # one solution a line (after a header): cut at a row limit
CSV = ox.QueryResultsFormat.CSV  # written by kg.sparql.results_csv instead of pyoxigraph (quoting)
PAGE_SOLUTIONS = ox.QueryResultsFormat.JSON  # what the query page asks for and reads (its script parses JSON)
PAGE_GRAPHS = LINES  # and for a graph (its script parses N-Triples)


def offers(table: Table[ox.RdfFormat] | Table[ox.QueryResultsFormat]) -> list[tuple[str, str, str]]:
    """The formats the endpoint serves of `table`, as the query page's download links show them:
    (label, media type, file extension)."""
    return [(row.label, row.media_type, row.format.file_extension) for row in table.served()]


def _squeezed(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def rdf_format(name: str) -> ox.RdfFormat:
    """The RDF format of the table that a file extension (`nq`, `.ttl`), a media type (`application/n-quads`,
    or an alias such as `text/plain`) or a format name (`nquads`, `N-Quads`, `json-ld`) stands for.

    :raises ValueError: no format of the table goes by that name (the message lists them).
    """
    token = name.strip().lower().removeprefix(".")
    found = ox.RdfFormat.from_extension(token) or ox.RdfFormat.from_media_type(token)
    if found is None:
        found = next((row.format for row in RDF if row.name == _squeezed(token)), None)
    if found is None or found not in RDF.formats:
        raise ValueError(
            f"{name!r} is not an RDF format: use a file extension or media type such as "
            f"{', '.join(f.file_extension for f in RDF.formats)}, "
            f"or a name such as {', '.join(row.name for row in RDF)}."
        )
    return found


def file_format(path: str | Path) -> ox.RdfFormat:
    """The RDF format a file's extension says (`data.nq`, `newskg.ttl`); ValueError if it says none."""
    return rdf_format(Path(path).suffix)


def results_format(name: str) -> ox.QueryResultsFormat:
    """The SPARQL results format of the table a short name or extension (`json`, `csv`) or media type names.

    :raises ValueError: none does (the message lists them).
    """
    token = name.strip().lower().removeprefix(".")
    found = ox.QueryResultsFormat.from_extension(token) or ox.QueryResultsFormat.from_media_type(token)
    if found is None:
        found = next((row.format for row in RESULTS if row.name == token), None)
    if found is None or found not in RESULTS.formats:
        raise ValueError(
            f"{name!r} is not a SPARQL results format: use one of "
            f"{', '.join(row.name for row in RESULTS)} or a media type such as {RESULTS.rows[0].media_type}."
        )
    return found


__all__ = [
    "CSV",
    "EXPORT",
    "LINES",
    "LINES_AS",
    "RDF",
    "RESULTS",
    "RESULT_LINES",
    "WIRE",
    "Row",
    "Table",
    "file_format",
    "rdf_format",
    "results_format",
]
