"""Plain text (`.txt`, one article a file) and JSON Lines (`.jsonl`, one JSON object a line), in UTF-8."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import RecordError
from kg.readers.article import Article, make_article

if TYPE_CHECKING:
    from kg.readers import ReadOptions


def not_utf8(data: bytes, exc: UnicodeDecodeError) -> str:
    """Why `data` is not UTF-8, naming the byte: "byte 0xff at line 3, column 7 is not UTF-8 (invalid start byte)"."""
    line = data.count(b"\n", 0, exc.start) + 1
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    return f"byte 0x{data[exc.start]:02x} at line {line}, column {column} is not UTF-8 ({exc.reason})"


def read_txt(
    path: Path, errors: list[RecordError], options: ReadOptions | None = None, start: int = 0, stop: int | None = None
) -> Iterator[Article]:
    """The file as one article: its id the file name without extension, its title the first line."""
    if start > 0 or stop == 0:
        return
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        errors.append(
            RecordError(str(path), data.count(b"\n", 0, exc.start) + 1, f"{not_utf8(data, exc)}; the file is skipped")
        )
        return
    title = text.strip().splitlines()[0].strip() if text.strip() else None
    try:
        yield make_article({"id": path.stem, "text": text, "title": title}, source=str(path))
    except ValueError as exc:
        errors.append(RecordError(str(path), 1, str(exc)))


def count_txt(path: Path, options: ReadOptions | None = None) -> int:
    return 1


def read_jsonl(
    path: Path, errors: list[RecordError], options: ReadOptions | None = None, start: int = 0, stop: int | None = None
) -> Iterator[Article]:
    """One article a line: an object with `id` and `text`, and optionally `title`, `date`, `url`,
    `publisher`, `author`. Record i is line i + 1; blank lines give nothing."""
    with path.open("rb") as lines:
        for index, raw in enumerate(lines):
            if index < start:
                continue
            if stop is not None and index >= stop:
                return
            number = index + 1
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                reason = not_utf8(raw, exc).replace("at line 1, column", "at column")
                errors.append(RecordError(str(path), number, reason))
                continue
            try:
                yield parse_record(line, source=f"{path}:{number}")
            except ValueError as exc:
                errors.append(RecordError(str(path), number, str(exc)))


def count_jsonl(path: Path, options: ReadOptions | None = None) -> int:
    with path.open("rb") as lines:
        return sum(1 for _ in lines)


def parse_record(line: str, source: str = "") -> Article:
    """One JSONL line as an Article; ValueError says what is wrong with it."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        # some of json's messages end in "at" ("Invalid control character at"): one "at" is enough
        raise ValueError(f"not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})") from None
    except ValueError as exc:  # an integer of more digits than Python converts
        raise ValueError(f"not valid JSON ({exc})") from None
    except RecursionError:
        raise ValueError("not valid JSON (nested too deeply)") from None
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    return make_article(obj, source)
