"""Reading articles from files and directories, in whatever format each is (see kg.readers).

`read_sources` is what ingest uses: every article under the given paths, bad records reported in `errors`.
`sources` lists the files and their formats, for a caller that cuts big files into ranges of records
(`fmt.count(path, options)`, then `fmt.read(path, errors, options, start, stop)`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import InputError, RecordError
from kg.readers import FORMATS, Format, ReadOptions, format_of, suffixes
from kg.readers.article import Article
from kg.readers.text import parse_record

__all__ = ["Article", "ReadOptions", "parse_record", "read_sources", "report_duplicates", "sources"]


def sources(paths: list[Path], options: ReadOptions | None = None) -> list[tuple[Path, Format]]:
    """Each file under `paths` with the format it is read in, in a stable order (a directory's files sorted).

    Raises InputError for a path that does not exist, a file of no known format, a directory with none."""
    options = options or ReadOptions()
    if options.input_format and options.input_format not in FORMATS:
        raise InputError(f"Unknown input format {options.input_format!r}: use one of {', '.join(FORMATS)}.")
    found: list[tuple[Path, Format]] = []
    for path in paths:
        if path.is_dir():
            files = [
                (p, format_of(p, options.input_format))
                for p in sorted(path.rglob("*"))
                if p.is_file() and not p.name.startswith(".")
            ]
            known = [(p, fmt) for p, fmt in files if fmt is not None]
            if not known:
                raise InputError(f"Directory {str(path)!r} holds no file of a known format ({' '.join(suffixes())}).")
            found += known
        elif path.is_file():
            fmt = format_of(path, options.input_format)
            if fmt is None:
                raise InputError(
                    f"File {str(path)!r} has no known extension ({' '.join(suffixes())}): "
                    "name its format with --input-format."
                )
            found.append((path, fmt))
        else:
            raise InputError(f"No such file or directory: {str(path)!r}.")
    return found


def read_sources(paths: list[Path], errors: list[RecordError], options: ReadOptions | None = None) -> Iterator[Article]:
    """Every article under `paths`, in order. A bad record goes to `errors` and the rest still come; so does
    an id met twice (see `report_duplicates`)."""
    options = options or ReadOptions()
    files = sources(paths, options)  # every path checked before the first article
    yield from report_duplicates((a for path, fmt in files for a in fmt.read(path, errors, options, 0, None)), errors)


def report_duplicates(articles: Iterable[Article], errors: list[RecordError]) -> Iterator[Article]:
    """The articles as they come, with an error for each id already seen in this run.

    The rule (kg.ingestion keeps it): the last article of an id is the one ingested, as a re-ingest would
    replace it; the error is reported where the earlier one is, naming both places."""
    seen: dict[str, str] = {}
    for article in articles:
        earlier = seen.get(article.id)
        if earlier is not None:
            errors.append(
                _at(
                    earlier,
                    f"id {article.id!r} is used again at {article.source or '?'}: "
                    "the later one is ingested, this one skipped",
                )
            )
        seen[article.id] = article.source
        yield article


def _at(source: str, message: str) -> RecordError:
    """The error for the record that `source` (`path` or `path:N`) names."""
    path, _, number = source.rpartition(":")
    if path and number.isdigit():
        return RecordError(path, int(number), message)
    return RecordError(source, 1, message)
