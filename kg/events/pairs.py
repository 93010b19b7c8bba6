"""Which two incidents may be one happening: the candidates (blocking), what a pair has in common (its
features), and the learned score of a pair.

Every piece here looks at the two incidents only, never at the rest of the store, so that a pair
scores the same whatever else was ingested, and whenever: that is what lets an ingest re-link only the
incidents it touched (`kg.events.link`).

Candidates share a key and lie within that key's window:
- a victim or a perpetrator who is a person (the same full name, its first and last word), within
  NAME_WINDOW days;
- any person the documents name (officials aside; by the same full name), within PEOPLE_WINDOW days;
- a place (below the country) that both name, or that one names and that contains what the other
  names ("Puyallup" and "Pierce County"), on days at most DATE_WINDOW apart. Two towns of one region
  are not candidates by their places: a state holds too many shootings a day.

The score is a logistic regression over the features (`features`), trained on gva-dev by
train/events.py; its weights ship beside this module (pair-model.json).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from kg.events.incidents import REPORT_LAG, IncidentRow, Person, similarity

NAME_WINDOW = 730  # days between two reports that name the same victim or suspect (a trial comes years later)
PEOPLE_WINDOW = 60  # days between two reports that name anyone in common
DATE_WINDOW = 3  # days between two happenings in one place that may still be one (time zones, "last week")
MODEL = "pair-model.json"


def anchor(row: IncidentRow) -> date | None:
    """The day a row is placed by in the windows of the name keys: its document's publication, else
    its own day."""
    return row.published or row.start


def keys(row: IncidentRow) -> Iterator[tuple[str, str]]:
    """The blocking keys of `row`: ("v", name) for its victims and perpetrators, ("p", name) for
    every person its document names (full names, `incidents.full_name`: "Jacob A. Stahl" and "Jacob Stahl"
    share one), ("r", place) for the places it lies in below the country."""
    for person in (*row.victims, *row.culprits):
        yield "v", person.name or person.iri
    for name in row.people:
        yield "p", name
    if row.start is not None:
        for place in row.within:
            yield "r", place


def names(row: IncidentRow) -> set[str]:
    """The names among `row`'s blocking keys ("v" and "p"): what the events graph records of its
    document (nkg:nameKey) for a later re-link to find it by."""
    return {name for kind, name in keys(row) if kind in ("v", "p")}


WINDOWS = {"v": NAME_WINDOW, "p": PEOPLE_WINDOW, "r": DATE_WINDOW}


def gap(a: IncidentRow, b: IncidentRow) -> int | None:
    """Days between the two happenings' intervals; None when one has no day."""
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return None
    return max(0, (a.start - b.end).days, (b.start - a.end).days)


def conflict(a: IncidentRow, b: IncidentRow) -> bool:
    """What forbids a join, whatever else the two share: one document (it reports two happenings);
    other countries; other groups as perpetrators (with the groups their members belong to).
    Different victims' names are evidence, not a bar: each report of a shooting may name another of
    its victims. So are casualty types: a report of the wounded and one of the dead may be one
    shooting (the wounded died), and so may one of the dead and one of an arrest."""
    if a.doc == b.doc:
        return True
    if a.countries and b.countries and a.countries.isdisjoint(b.countries):
        return True
    return bool(a.groups and b.groups and a.groups.isdisjoint(b.groups))


def nested(a: IncidentRow, b: IncidentRow) -> bool:
    """Whether a place one of the two names (below the country) is, or contains, a place of the other."""
    return bool(a.places & b.within or b.places & a.within)


def candidates(a: IncidentRow, b: IncidentRow) -> bool:
    """Whether the two share a key within its window, and nothing forbids the join."""
    if conflict(a, b):
        return False
    shared = set(keys(a)) & set(keys(b))
    if not shared:
        return False
    kinds = {kind for kind, _ in shared}
    if "r" in kinds and nested(a, b) and (days := gap(a, b)) is not None and days <= DATE_WINDOW:
        return True
    x, y = anchor(a), anchor(b)
    apart = abs((x - y).days) if x is not None and y is not None else 0
    return ("v" in kinds and apart <= NAME_WINDOW) or ("p" in kinds and apart <= PEOPLE_WINDOW)


def candidate_pairs(rows: list[IncidentRow]) -> Iterator[tuple[IncidentRow, IncidentRow]]:
    """Every candidate pair of `rows`, once, the smaller IRI first: within each block, rows in order of
    their day, each against the next ones inside the block's window (never all pairs)."""
    blocks: dict[tuple[str, str], list[IncidentRow]] = {}
    for row in rows:
        for key in set(keys(row)):
            blocks.setdefault(key, []).append(row)
    seen: set[tuple[str, str]] = set()
    for (kind, _), members in sorted(blocks.items()):
        if len(members) < 2:
            continue
        day = _start if kind == "r" else anchor
        reach = WINDOWS[kind] + (REPORT_LAG if kind == "r" else 0)
        dated = sorted((r for r in members if day(r) is not None), key=lambda r: (day(r), r.iri))
        undated = [r for r in members if day(r) is None]
        pairs = [(a, b) for n, a in enumerate(dated) for b in _within(dated, n, day, reach)]
        pairs += [(a, b) for a in undated for b in members if a is not b]
        for a, b in pairs:
            a, b = (a, b) if a.iri < b.iri else (b, a)
            if (a.iri, b.iri) not in seen and candidates(a, b):
                seen.add((a.iri, b.iri))
                yield a, b


def _start(row: IncidentRow) -> date | None:
    return row.start


def _within(dated: list[IncidentRow], n: int, day, reach: int) -> Iterator[IncidentRow]:
    first = day(dated[n])
    for b in dated[n + 1 :]:
        if (day(b) - first).days > reach:
            return
        yield b


# features ---------------------------------------------------------------------------------------
def _bin(days: int | None) -> str:
    if days is None:
        return "none"
    for edge, name in ((0, "0"), (1, "1"), (3, "2-3"), (7, "4-7"), (30, "8-30"), (90, "31-90"), (365, "91-365")):
        if days <= edge:
            return name
    return "366+"


def _places(a: IncidentRow, b: IncidentRow) -> str:
    """How the two incidents' places relate: the same place, one inside the other, one region, apart,
    or unknown on a side (countries aside)."""
    if not a.within or not b.within:
        return "unknown"
    if a.places & b.places & a.within:
        return "same"
    if nested(a, b):
        return "nested"
    if a.within & b.within:
        return "region"
    return "apart"


def _people(a: IncidentRow, b: IncidentRow) -> tuple[str, str, bool]:
    """(victims, perpetrators, differ): "iri" when both name one by the same full name, "key" when by
    surname and first initial, "age" when by surname and the same age, else "" ; differ when both
    name victims and none of them is the same."""

    def relation(x: tuple[Person, ...], y: tuple[Person, ...]) -> str:
        if not x or not y:
            return ""
        if any(p.iri == q.iri or (p.name is not None and p.name == q.name) for p in x for q in y):
            return "iri"
        pairs = [(p, q) for p in x for q in y if p.key and p.key == q.key]
        if any(p.age is not None and p.age == q.age for p, q in pairs):
            return "age"
        return "key" if pairs else ""

    victims = relation(a.victims, b.victims)
    culprits = relation(a.culprits, b.culprits)
    differ = bool(a.victims and b.victims and not victims)
    return victims, culprits, differ


def features(a: IncidentRow, b: IncidentRow) -> list[str]:
    """The pair's features, as names of indicators that are on."""
    days = gap(a, b)
    x, y = anchor(a), anchor(b)
    published = abs((x - y).days) if x is not None and y is not None else None
    place = _places(a, b)
    victims, culprits, differ = _people(a, b)
    people = len(a.people & b.people)
    named = "v" if victims or culprits else "p" if people else "-"
    sim = similarity(a.sketch, b.sketch)
    out = [
        "bias",
        f"gap={_bin(days)}",
        f"published={_bin(published)}",
        f"place={place}",
        f"place={place}&gap={_bin(days)}",
        f"named={named}&gap={_bin(days)}",
        f"named={named}&published={_bin(published)}",
        f"people={min(people, 3)}",
        f"sim={min(int(sim * 10), 5)}",
        f"sim={min(int(sim * 10), 5)}&named={named}",
        f"main={int(a.main) + int(b.main)}",
    ]
    if victims:
        out.append(f"victims={victims}")
    elif differ:
        out.append("victims=differ")
    if culprits:
        out.append(f"perpetrators={culprits}")
    if a.perpetrators and b.perpetrators:
        out.append("perpetrators=shared")
    if a.types and b.types:
        out.append("types=" + ("shared" if a.types & b.types else "differ"))
    return out


@dataclass(frozen=True)
class PairModel:
    """A logistic regression over `features`: a weight per feature, and the thresholds linking uses."""

    weights: dict[str, float]
    edge: float  # a pair at least this likely joins a component
    merge: float  # two groups join when their pairs are on average at least this likely

    def score(self, a: IncidentRow, b: IncidentRow) -> float:
        z = sum(self.weights.get(name, 0.0) for name in features(a, b))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@cache
def model() -> PairModel:
    """The shipped model (train/events.py writes it)."""
    raw = json.loads((resources.files("kg.events") / MODEL).read_text(encoding="utf-8"))
    return PairModel(raw["weights"], raw["edge"], raw["merge"])


__all__ = [
    "DATE_WINDOW",
    "NAME_WINDOW",
    "PEOPLE_WINDOW",
    "PairModel",
    "anchor",
    "candidate_pairs",
    "candidates",
    "conflict",
    "features",
    "gap",
    "keys",
    "model",
    "names",
    "nested",
]
