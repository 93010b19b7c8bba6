"""Reading articles: `.txt` files, `.jsonl` files and directories of them."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError, RecordError

SUFFIXES = (".txt", ".jsonl")


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    source: str = ""  # path[:line] it came from


def read_sources(paths: list[Path], errors: list[RecordError]) -> Iterator[Article]:
    """Every article under `paths`. A bad JSONL line goes to `errors`; the rest still come."""
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
            if not files:
                raise InputError(f"Directory {str(path)!r} holds no .txt or .jsonl files.")
            for file in files:
                yield from _read_file(file, errors)
        elif path.is_file():
            if path.suffix not in SUFFIXES:
                raise InputError(f"File {str(path)!r} is not .txt or .jsonl.")
            yield from _read_file(path, errors)
        else:
            raise InputError(f"No such file or directory: {str(path)!r}.")


def _read_file(path: Path, errors: list[RecordError]) -> Iterator[Article]:
    if path.suffix == ".txt":
        text = path.read_text(encoding="utf-8")
        title = text.strip().splitlines()[0].strip() if text.strip() else None
        yield Article(id=path.stem, text=text, title=title, source=str(path))
        return
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield parse_record(line, source=f"{path}:{number}")
            except ValueError as exc:
                errors.append(RecordError(str(path), number, str(exc)))


def parse_record(line: str, source: str = "") -> Article:
    """One JSONL line as an Article; ValueError says what is wrong with it."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    doc_id, text = obj.get("id"), obj.get("text")
    if not isinstance(doc_id, (str, int)) or str(doc_id).strip() == "":
        raise ValueError(f"'id' must be a non-empty string, got {doc_id!r}")
    if not isinstance(text, str):
        raise ValueError(f"'text' must be a string, got {type(text).__name__}")
    date = obj.get("date")
    if date not in (None, ""):
        try:
            date = dt.date.fromisoformat(str(date)[:10])
        except ValueError:
            raise ValueError(f"'date' {date!r} is not an ISO date (YYYY-MM-DD)") from None
    else:
        date = None
    title = obj.get("title") if isinstance(obj.get("title"), str) else None
    url = obj.get("url") if isinstance(obj.get("url"), str) else None
    return Article(id=str(doc_id).strip(), text=text, title=title, date=date, url=url, source=source)
