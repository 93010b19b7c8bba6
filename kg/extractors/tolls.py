"""Tolls: how many people of each type an incident harmed, as the document states it all said and done.

Per incident, casualty type and side (victims, or the attackers themselves), from the counts:

- A count that is part of another ("including at least 33 Americans") adds nothing to its whole.
- Parts stated apart are added up: a count marked `additional` ("the force also detained two
  suspects", "another man was wounded", "arrested a leader and detained three insurgents") adds to
  the count before it. Otherwise a count restates the same people ("a man was killed ... the
  victim, 25, died") and the largest statement wins.
- A victim shot with the outcome unsaid (`unstated`) is one of the dead when the incident has
  deaths: "two were shot, one of them died" is 1 Killed and 1 Injured. When the incident has no
  Killed count but the document says someone died ("was found shot ... pronounced dead", "the
  homicide"), the victims shot are the dead.

Every toll names the counts it rests on, so each number can be traced to its spans.
"""

from __future__ import annotations

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Token

from kg.extractors.facts import Count, Facts, Toll
from kg.extractors.incident_dates import BACKGROUND
from kg.extractors.lexicon.casualties import DEATH_WORDS, NEGATIONS, NOT_A_DEATH, REFLEXIVE
from kg.extractors.sentences import sentence_of


class TollDeriver:
    """Leaves the tolls of every incident on `doc._.facts.tolls`."""

    def __call__(self, doc: Doc) -> Doc:
        facts: Facts = doc._.facts
        facts.tolls = derive(facts.counts, deaths_stated(doc))
        return doc


def deaths_stated(doc: Doc) -> bool:
    """Whether the document says that somebody died, outside background sentences."""
    strings = doc.vocab.strings
    wanted = {strings[w] for w in DEATH_WORDS}
    found = [
        i
        for i, (lemma, lower) in enumerate(doc.to_array([LEMMA, LOWER]).tolist())
        if lemma in wanted or lower in wanted
    ]
    for i in found:
        word = doc[i]
        if (
            not _negated(word)
            and not _suicide(word)
            and _reported(word)
            and not BACKGROUND.search(sentence_of(word).text)
        ):
            return True
    return False


def _reported(word: Token) -> bool:
    """A death told as a fact: 'died', 'was killed', 'the homicide'; not 'shoot to kill', 'attempted
    murder', 'death threats', 'possibly killing'."""
    if word.pos_ in ("VERB", "AUX") and word.tag_ not in ("VBD", "VBN", "VBZ"):
        return False
    near = {t.lower_ for t in word.doc[max(0, word.i - 2) : word.i + 2]} | {c.lower_ for c in word.children}
    return not near & NOT_A_DEATH and word.head.lower_ not in NOT_A_DEATH


def _suicide(word: Token) -> bool:
    """'then killed himself', 'died of a self-inflicted wound': the attacker's death says nothing of the victims'."""
    return any(c.lower_ in REFLEXIVE for c in word.children) or any(
        t.lower_ in ("suicide", "inflicted") for t in word.subtree
    )


def _negated(word: Token) -> bool:
    around = [*word.children, *(word.head.children if word.dep_ in ("acomp", "oprd", "amod") else [])]
    return any(
        c.dep_ == "neg" or c.lower_ in NEGATIONS or any(g.lower_ in NEGATIONS for g in c.children) for c in around
    )


def lower_bound(count: Count) -> int | None:
    """The least number a count supports; the stated figure when it is only approximate."""
    if count.min_value is not None:
        return count.min_value
    return count.value


def derive(counts: list[Count], deaths: bool = False) -> list[Toll]:
    """The tolls of every incident, in order of incident, then of the first count of each type."""
    groups: dict[tuple[int, bool], list[int]] = {}
    for i, count in enumerate(counts):
        groups.setdefault((count.incident, count.of_perpetrators), []).append(i)
    tolls: list[Toll] = []
    for (incident, perpetrators), members in sorted(groups.items()):
        tolls += _incident_tolls(counts, members, incident, perpetrators, deaths)
    return tolls


def _incident_tolls(
    counts: list[Count], members: list[int], incident: int, perpetrators: bool, deaths: bool
) -> list[Toll]:
    by_type: dict[str, list[int]] = {}
    for i in members:
        by_type.setdefault(counts[i].type, []).append(i)
    injured = by_type.pop("Injured", [])
    shot = [i for i in injured if counts[i].unstated]
    hurt = [i for i in injured if not counts[i].unstated]
    found = {kind: _toll(counts, idx, incident, kind, perpetrators) for kind, idx in by_type.items()}
    killed = found.get("Killed")
    shot_toll = _toll(counts, shot, incident, "Injured", perpetrators)
    if killed is None and shot_toll is not None and deaths:
        killed = found["Killed"] = Toll(
            incident,
            "Killed",
            shot_toll.min_value,
            shot_toll.value,
            shot_toll.max_value,
            shot_toll.qualifier,
            perpetrators,
            shot_toll.counts,
        )
        shot_toll = None
    if killed is not None and shot_toll is not None:  # "two were shot, one died": one of them is wounded
        left = shot_toll.min_value - killed.min_value
        shot_toll = (
            None
            if left <= 0
            else Toll(
                incident,
                "Injured",
                left,
                left if shot_toll.value is not None else None,
                None,
                None,
                perpetrators,
                shot_toll.counts,
            )
        )
        hurt_toll = _toll(counts, hurt, incident, "Injured", perpetrators)
        candidates = [t for t in (hurt_toll, shot_toll) if t is not None]
        if candidates:
            found["Injured"] = max(candidates, key=lambda t: t.min_value)
    elif shot_toll is not None or hurt:  # the wounded, shot or hurt, added up in text order
        found["Injured"] = _toll(counts, injured if shot_toll is not None else hurt, incident, "Injured", perpetrators)
    order = {
        kind: min(counts[i].span.begin for i in idx) for kind, idx in [*by_type.items(), ("Injured", injured)] if idx
    }
    return [toll for kind in sorted(found, key=lambda k: order.get(k, 0)) if (toll := found[kind]) is not None]


def _chains(counts: list[Count], members: list[int]) -> list[list[int]]:
    """The counts of one type in text order, each chain a count and the additional ones after it."""
    top = sorted(
        (i for i in members if counts[i].part_of is None and lower_bound(counts[i]) is not None),
        key=lambda i: (counts[i].span.begin, counts[i].span.end),
    )
    chains: list[list[int]] = []
    for i in top:
        if counts[i].additional and chains:
            chains[-1].append(i)
        else:
            chains.append([i])
    return chains


def _toll(counts: list[Count], members: list[int], incident: int, kind: str, perpetrators: bool) -> Toll | None:
    chains = _chains(counts, members)
    if not chains:
        return None
    best = max(chains, key=lambda chain: (sum(lower_bound(counts[i]) or 0 for i in chain), -chain[0]))
    parts = [counts[i] for i in best]
    low = sum(lower_bound(c) or 0 for c in parts)
    if len(parts) == 1:
        one = parts[0]
        value, high, qualifier = one.value, one.max_value, one.qualifier
    else:
        exact = all(c.qualifier == "Exactly" for c in parts)
        value = sum(c.value for c in parts if c.value is not None) if all(c.value is not None for c in parts) else None
        high = (
            sum(c.max_value for c in parts if c.max_value is not None)
            if all(c.max_value is not None for c in parts)
            else None
        )
        qualifier = "Exactly" if exact else "AtLeast"
    resting = set(best)
    for i in members:
        if any(_within(counts, i, whole) for whole in best):
            resting.add(i)
    return Toll(
        incident=incident,
        type=kind,
        min_value=low,
        value=value,
        max_value=high,
        qualifier=qualifier,
        of_perpetrators=perpetrators,
        counts=sorted(resting),
    )


def _within(counts: list[Count], i: int, whole: int) -> bool:
    seen = set()
    parent = counts[i].part_of
    while parent is not None and parent not in seen:
        if parent == whole:
            return True
        seen.add(parent)
        parent = counts[parent].part_of
    return False


__all__ = ["TollDeriver", "deaths_stated", "derive", "lower_bound"]
