"""The readers: one module per input format, registered here by name and file extension.

Every reader has the same two functions::

    read(path, errors, options, start=0, stop=None) -> Iterator[Article]
    count(path, options) -> int

`read` yields the articles of records `start` (included) to `stop` (excluded) of the file, records being
numbered from 0 in file order: the lines of a `.jsonl`, the WARC records of a `.warc` (all of them, also
those that are not HTML responses and so give no article), the entries of a feed, the rows of a table; a
`.txt` or `.html` file is one record. A bad record is appended to `errors` as a RecordError that names
the file and the record (line, record or row number, counted from 1) and says why; the reader goes on
with the next record. `read` never raises for what the file holds, only for a file it cannot open.
`count` is the number of records, so that a big file can be cut into ranges (`read(path, errors,
options, 0, 500)`, `read(path, errors, options, 500, 1000)`, ...) whose articles together are those of
`read(path, errors, options)`.

No reader makes a network request: pages, archives and feeds are parsed from the bytes of the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import RecordError
from kg.readers import feeds, html, tables, text, warc
from kg.readers.article import Article


@dataclass(frozen=True)
class ReadOptions:
    """How to read the inputs. Picklable, so that it can travel to a worker with a chunk."""

    input_format: str | None = None  # a name of FORMATS; None: from each file's extension
    text_column: str | None = None  # table columns; None: the first of tables.DEFAULT_COLUMNS present
    id_column: str | None = None
    date_column: str | None = None
    title_column: str | None = None
    url_column: str | None = None


Read = Callable[[Path, list[RecordError], ReadOptions, int, "int | None"], Iterator[Article]]
Count = Callable[[Path, ReadOptions], int]


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: tuple[str, ...]
    read: Read
    count: Count


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("txt", (".txt",), text.read_txt, text.count_txt),
        Format("jsonl", (".jsonl",), text.read_jsonl, text.count_jsonl),
        Format("html", (".html", ".htm"), html.read, html.count),
        Format("warc", (".warc", ".warc.gz"), warc.read, warc.count),
        Format("feed", (".rss", ".atom", ".xml"), feeds.read, feeds.count),
        Format("csv", (".csv",), tables.read_csv, tables.count_csv),
        Format("parquet", (".parquet",), tables.read_parquet, tables.count_parquet),
    )
}


def format_of(path: Path, input_format: str | None = None) -> Format | None:
    """The format `path` is read in: `input_format` if given, else the one its extension names (or None)."""
    if input_format:
        return FORMATS[input_format]
    name = path.name.lower()
    matches = [f for f in FORMATS.values() for suffix in f.suffixes if name.endswith(suffix)]
    return matches[0] if matches else None


def suffixes() -> list[str]:
    return [suffix for f in FORMATS.values() for suffix in f.suffixes]


__all__ = ["FORMATS", "Article", "Format", "ReadOptions", "format_of", "suffixes"]
