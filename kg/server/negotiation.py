"""Content negotiation (RFC 9110 Accept with q-values) over the formats of kg.formats that the endpoint serves."""

from __future__ import annotations

from functools import lru_cache
from typing import Generic, TypeVar

import pyoxigraph as ox

from kg import formats
from kg.server.errors import NotAcceptable

F = TypeVar("F", ox.QueryResultsFormat, ox.RdfFormat)


class Offers(Generic[F]):
    """Media types a response can take, first = default, with aliases accepted for each: the rows of a
    format table (kg.formats) that the endpoint serves."""

    def __init__(self, table: formats.Table[F]) -> None:
        self.name = table.name
        rows = table.served()
        self.formats: dict[str, F] = {row.media_type: row.format for row in rows}  # canonical media type -> format
        # any accepted name -> canonical media type
        self.lookup: dict[str, str] = {
            **{m: m for m in self.formats},
            **{a: row.media_type for row in rows for a in row.aliases},
        }

    def format(self, media_type: str) -> F:
        return self.formats[media_type]

    def __repr__(self) -> str:
        return f"Offers({self.name})"


RESULTS: Offers[ox.QueryResultsFormat] = Offers(formats.RESULTS)
GRAPHS: Offers[ox.RdfFormat] = Offers(formats.RDF)


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
    media = next(iter(offers.formats))
    if accept and accept.strip() not in ("*/*", ""):
        chosen = _choose(accept, offers)
        if chosen is None:
            raise NotAcceptable(
                f"None of the media types in Accept {accept!r} is available for {offers.name}; "
                f"available: {', '.join(offers.formats)}."
            )
        media = chosen
    return media, offers.format(media)


__all__ = ["GRAPHS", "RESULTS", "Offers", "choose"]
