"""Content negotiation (RFC 9110 Accept with q-values) over the formats Oxigraph serializes."""

from __future__ import annotations

from functools import lru_cache
from typing import Generic, TypeVar

import pyoxigraph as ox

from kg.server.errors import NotAcceptable

F = TypeVar("F", ox.QueryResultsFormat, ox.RdfFormat)


class Offers(Generic[F]):
    """Media types a response can take, first = default, with aliases accepted for each."""

    def __init__(self, name: str, formats: dict[str, F], aliases: dict[str, str]) -> None:
        self.name = name
        self.formats = formats  # canonical media type -> format
        self.lookup = {**{m: m for m in formats}, **aliases}  # any accepted name -> canonical media type

    def format(self, media_type: str) -> F:
        return self.formats[media_type]

    def __repr__(self) -> str:
        return f"Offers({self.name})"


RESULTS: Offers[ox.QueryResultsFormat] = Offers(
    "SPARQL results",
    {
        "application/sparql-results+json": ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
        "text/csv": ox.QueryResultsFormat.CSV,
        "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    },
    {
        "application/json": "application/sparql-results+json",
        "application/xml": "application/sparql-results+xml",
        "text/xml": "application/sparql-results+xml",
    },
)

GRAPHS: Offers[ox.RdfFormat] = Offers(
    "RDF",
    {
        "text/turtle": ox.RdfFormat.TURTLE,
        "application/n-triples": ox.RdfFormat.N_TRIPLES,
        "application/n-quads": ox.RdfFormat.N_QUADS,
        "application/trig": ox.RdfFormat.TRIG,
        "application/ld+json": ox.RdfFormat.JSON_LD,
        "application/rdf+xml": ox.RdfFormat.RDF_XML,
    },
    {
        "application/x-turtle": "text/turtle",
        "text/plain": "application/n-triples",
        "application/json": "application/ld+json",
        "application/xml": "application/rdf+xml",
        "text/xml": "application/rdf+xml",
    },
)


def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        media, _, params = part.partition(";")
        media, q = media.strip().lower(), 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        if media:
            ranges.append((media, q))
    return ranges


@lru_cache(maxsize=512)
def _choose(accept: str, offers: Offers) -> str | None:
    ranges = _ranges(accept)
    best: tuple[float, int, int] | None = None
    chosen = None
    for name, canonical in offers.lookup.items():
        # the most specific range matching this offer decides its q (RFC 9110 12.5.1)
        kind = name.split("/")[0]
        match = None
        for position, (media, q) in enumerate(ranges):
            specificity = 3 if media == name else 2 if media == kind + "/*" else 1 if media == "*/*" else 0
            if specificity and (match is None or specificity > match[0]):
                match = (specificity, q, position)
        if match is None or match[1] <= 0:
            continue
        # higher q, then an exact name over a wildcard, then the client's order, then ours
        rank = (match[1], match[0], -match[2])
        if best is None or rank > best:
            best, chosen = rank, canonical
    return chosen


def choose(accept: str | None, offers: Offers[F]) -> tuple[str, F]:
    """The canonical media type and format for `accept`; the default offer when there is no Accept header."""
    if not accept or accept.strip() in ("*/*", ""):
        media = next(iter(offers.formats))
    else:
        media = _choose(accept, offers)
        if media is None:
            raise NotAcceptable(
                f"None of the media types in Accept {accept!r} is available for {offers.name}; "
                f"available: {', '.join(offers.formats)}."
            )
    return media, offers.format(media)


__all__ = ["GRAPHS", "RESULTS", "Offers", "choose"]
