"""Tolls: how many people of each type an incident harmed, as the document states it all said and done.

Per incident, casualty type and side (victims, or the attackers themselves), from the counts:

- A count that is part of another ("including at least 33 Americans") adds nothing to its whole.
- A total the counts extractor built from coordinated or "additional" parts stands for its parts.
- Otherwise the largest count wins: a toll restated ("a man was killed ... the victim, 25, died")
  is the same people, and the largest statement of it is the one that counts all of them.
- A victim first shot (Injured, outcome unstated) and later dead (Killed) is one of the dead: the
  shot-but-unstated counts of an incident with deaths are not wounded as well.

Every toll names the counts it rests on, so each number can be traced to its spans.
"""
from __future__ import annotations

from spacy.tokens import Doc

from kg.extract.facts import Count, Facts, Toll


class TollDeriver:
    """Leaves the tolls of every incident on `doc._.facts.tolls`."""

    def __call__(self, doc: Doc) -> Doc:
        facts: Facts = doc._.facts
        facts.tolls = derive(facts.counts)
        return doc


def lower_bound(count: Count) -> int | None:
    """The least number a count supports; the stated figure when it is only approximate."""
    if count.min_value is not None:
        return count.min_value
    return count.value


def derive(counts: list[Count]) -> list[Toll]:
    groups: dict[tuple[int, str, bool], list[int]] = {}
    for i, count in enumerate(counts):
        groups.setdefault((count.incident, count.type, count.of_perpetrators), []).append(i)
    tolls = []
    for (incident, kind, perpetrators), members in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[1][0])):
        toll = _toll(counts, members, incident, kind, perpetrators)
        if toll is not None:
            tolls.append(toll)
    return tolls


def _toll(counts: list[Count], members: list[int], incident: int, kind: str, perpetrators: bool) -> Toll | None:
    top = [i for i in members if counts[i].part_of is None and lower_bound(counts[i]) is not None]
    if not top:
        return None
    best = max(top, key=lambda i: (lower_bound(counts[i]) or 0, counts[i].value or 0, -counts[i].span.begin))
    chosen = counts[best]
    low = lower_bound(chosen)
    assert low is not None
    resting = [best] + [i for i in members if _within(counts, i, best)]
    return Toll(incident=incident, type=kind, min_value=low, value=chosen.value, max_value=chosen.max_value,
                qualifier=chosen.qualifier, of_perpetrators=perpetrators, counts=sorted(resting))


def _within(counts: list[Count], i: int, whole: int) -> bool:
    seen = set()
    parent = counts[i].part_of
    while parent is not None and parent not in seen:
        if parent == whole:
            return True
        seen.add(parent)
        parent = counts[parent].part_of
    return False


__all__ = ["TollDeriver", "derive", "lower_bound"]
