"""Tables (`.csv`, `.parquet`): one row an article, read with the csv module and pyarrow.

The columns are named by ReadOptions (`--text-column`, `--id-column`, `--date-column`, `--title-column`,
`--url-column`); a column not named is the first of DEFAULT_COLUMNS the table has (any case). Only the
text column is required. Without an id column, the id comes from the URL, else from the file name and
row number. Rows are numbered from 1 after the header; a row with no text, a bad date or bytes that are
not UTF-8 is reported with its number and skipped. CSV cells are read as bytes and decoded here, so one
bad cell costs its row, not the file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import RecordError
from kg.readers.article import Article, make_article, url_id

if TYPE_CHECKING:
    from kg.readers import ReadOptions

DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "maintext"),
    "id": ("id", "doc_id", "article_id", "guid"),
    "date": ("date", "published", "published_at", "publish_date", "date_publish", "pubdate"),
    "title": ("title", "headline"),
    "url": ("url", "link", "source_url"),
}
_BATCH = 1024


def columns(names: list[str], options: ReadOptions | None) -> dict[str, str]:
    """field -> column of the table, for the fields the table has. ValueError names a missing column."""
    chosen: dict[str, str] = {}
    for field, defaults in DEFAULT_COLUMNS.items():
        asked = getattr(options, f"{field}_column", None) if options else None
        if asked:
            if asked not in names:
                raise ValueError(f"there is no column {asked!r} (--{field}-column); the columns are {names}")
            chosen[field] = asked
            continue
        lowered = {name.lower(): name for name in reversed(names)}
        found = next((lowered[d] for d in defaults if d in lowered), None)
        if found is not None:
            chosen[field] = found
    if "text" not in chosen:
        raise ValueError(f"no text column: name one with --text-column (the columns are {names})")
    return chosen


def _article(path: Path, number: int, row: dict[str, Any]) -> Article:
    fields: dict[str, object] = {}
    for field, value in row.items():
        if isinstance(value, bytes):
            value = value.decode("utf-8", "surrogateescape")
        if isinstance(value, str):
            bad = next((i for i, c in enumerate(value) if "\udc80" <= c <= "\udcff"), None)
            if bad is not None:
                raise ValueError(
                    f"column {field!r}: byte 0x{ord(value[bad]) - 0xDC00:02x} at character {bad} is not UTF-8"
                )
        fields[field] = value
    if not isinstance(fields.get("text"), str) or not str(fields["text"]).strip():
        raise ValueError("the row has no text")
    if fields.get("id") in (None, ""):
        url = fields.get("url")
        fields["id"] = url_id(url) if isinstance(url, str) and url.strip() else f"{path.stem}-{number}"
    return make_article(fields, source=f"{path}:{number}")


def _articles(path: Path, rows: Iterable[tuple[int, dict[str, Any]]], errors: list[RecordError]) -> Iterator[Article]:
    for number, row in rows:
        try:
            yield _article(path, number, row)
        except ValueError as exc:
            errors.append(RecordError(str(path), number, f"row {number}: {exc}; skipped"))


def _rows(
    batches: Iterable[Any], chosen: dict[str, str], start: int, stop: int | None, first: int = 0
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number from 1, field -> value) for rows `start` to `stop`; `first` is the index of the first batch row."""
    index = first
    for batch in batches:
        if stop is not None and index >= stop:
            return
        if index + batch.num_rows <= start:
            index += batch.num_rows
            continue
        data = {field: batch.column(column).to_pylist() for field, column in chosen.items()}
        for offset in range(batch.num_rows):
            if start <= index < (stop if stop is not None else index + 1):
                yield index + 1, {field: values[offset] for field, values in data.items()}
            index += 1


# ---------------------------------------------------------------- CSV


def _csv_records(path: Path, options: ReadOptions | None) -> Iterator[tuple[int, int, dict[str, Any] | None, str]]:
    """(row number from 1, line, field -> value, "") for each row after the header, or (number, line, None, why)
    for a row that cannot be one. Bytes that are not UTF-8 come through as surrogates (checked in `_article`).
    ValueError for a header without a text column."""
    with path.open(encoding="utf-8", errors="surrogateescape", newline="") as stream:
        reader = csv.reader(stream)
        try:
            header = [_printable(name) for name in next(reader, [])]
        except csv.Error as exc:
            raise ValueError(f"the header cannot be read ({exc})") from None
        if not header:
            return
        chosen = {field: header.index(column) for field, column in columns(header, options).items()}
        number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number += 1
                yield number, reader.line_num, None, f"not a CSV row ({exc})"
                continue
            if not cells:  # a blank line
                continue
            number += 1
            if len(cells) != len(header):
                yield number, reader.line_num, None, f"{len(cells)} fields where the header has {len(header)}"
                continue
            yield number, reader.line_num, {field: cells[i] for field, i in chosen.items()}, ""


def _printable(name: str) -> str:
    return name.encode("utf-8", "replace").decode("utf-8")


def read_csv(
    path: Path, errors: list[RecordError], options: ReadOptions | None = None, start: int = 0, stop: int | None = None
) -> Iterator[Article]:
    """An article for each row `start` to `stop` (numbered from 0 after the header; blank lines are none)."""
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))  # a whole article is one cell
    records = _csv_records(path, options)
    try:
        for number, line, row, why in records:
            if number <= start:
                continue
            if stop is not None and number > stop:
                return
            if row is None:
                errors.append(RecordError(str(path), number, f"row {number} (line {line}): {why}; skipped"))
                continue
            try:
                yield _article(path, number, row)
            except ValueError as exc:
                errors.append(RecordError(str(path), number, f"row {number}: {exc}; skipped"))
    except ValueError as exc:  # from the header
        if start == 0:
            errors.append(RecordError(str(path), 1, f"{exc}; the file is skipped"))


def count_csv(path: Path, options: ReadOptions | None = None) -> int:
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    try:
        return max(1, sum(1 for _ in _csv_records(path, options)))
    except ValueError:  # read() reports it, in the first range
        return 1


# ---------------------------------------------------------------- Parquet


def read_parquet(
    path: Path, errors: list[RecordError], options: ReadOptions | None = None, start: int = 0, stop: int | None = None
) -> Iterator[Article]:
    """An article for each row `start` to `stop` (numbered from 0)."""
    from pyarrow import parquet as pq

    try:
        table = pq.ParquetFile(path)
        chosen = columns(table.schema_arrow.names, options)
        groups, first = _row_groups(table, start, stop)
        batches = table.iter_batches(batch_size=_BATCH, row_groups=groups, columns=sorted(set(chosen.values())))
        rows = list(_rows(batches, chosen, start, stop, first))
    except Exception as exc:
        if start == 0:
            errors.append(RecordError(str(path), 1, f"cannot read the table ({_reason(exc)}); the file is skipped"))
        return
    yield from _articles(path, rows, errors)


def _row_groups(table: Any, start: int, stop: int | None) -> tuple[list[int], int]:
    """The row groups that hold rows `start` to `stop`, and the index of the first row of the first of them."""
    groups, first, index = [], None, 0
    for group in range(table.metadata.num_row_groups):
        size = table.metadata.row_group(group).num_rows
        if index + size > start and (stop is None or index < stop):
            groups.append(group)
            first = index if first is None else first
        index += size
    return groups, first or 0


def count_parquet(path: Path, options: ReadOptions | None = None) -> int:
    from pyarrow import parquet as pq

    try:
        return max(1, pq.ParquetFile(path).metadata.num_rows)
    except Exception:
        return 1


def _reason(exc: Exception) -> str:
    message = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
