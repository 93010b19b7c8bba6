"""The canned queries of queries/*.rq, and the package's own queries of kg/rq/*.rq, loaded by name."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.errors import QueryNotFound

_HERE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """A top-level data folder (queries/, ontology/): inside the wheel, else in the checkout."""
    for candidate in (_HERE / "_data" / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Resource folder {name!r} not found beside the kg package.")


@cache
def own(name: str) -> str:
    """The text of the package's own query `name` (kg/rq/NAME.rq: the pages', the descriptions'). Its
    prefixes come from kg.namespaces and its parameters by substitution (kg.sparql.run_named).

    :raises QueryNotFound: there is no such file.
    """
    path = _HERE / "rq" / f"{name}.rq"
    if not path.is_file():
        raise QueryNotFound(f"No query {name!r} in {str(path.parent)!r}.")
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    text: str


def _parse(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    comments = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comments.append(line.lstrip("#").strip())
    title = comments[0] if comments else path.stem
    return CannedQuery(path.stem, title, " ".join(c for c in comments[1:] if c), text)


@cache
def all_queries() -> dict[str, CannedQuery]:
    return {p.stem: _parse(p) for p in sorted(resource_dir("queries").glob("*.rq"))}


def get(name: str) -> CannedQuery:
    """The canned query `name`; QueryNotFound suggests the closest name and lists them all."""
    try:
        return all_queries()[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(all_queries()), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise QueryNotFound(
            f"No canned query named {name!r}.{hint} The canned queries: {', '.join(all_queries())}."
        ) from None
