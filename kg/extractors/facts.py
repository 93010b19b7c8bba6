"""What the extractors find, as plain data. `kg.rdf` turns it into triples."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.extractors.lexicon.places import SECOND_LEVEL_WORDS

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan


@dataclass(frozen=True, order=True)
class Span:
    """Character offsets into the document text (Python str indexing) and the text between."""

    begin: int
    end: int
    text: str

    @classmethod
    def of(cls, span: SpacySpan) -> Span:
        """The characters of a spaCy span (a sentence, an entity's name) and its text."""
        return cls(span.start_char, span.end_char, span.text)

    @classmethod
    def trimmed(cls, text: str, begin: int, end: int) -> Span:
        """The span of `text[begin:end]` without the whitespace at its ends (a sentence of spaCy's keeps
        the blank lines after it)."""
        piece = text[begin:end]
        lead = len(piece) - len(piece.lstrip())
        return cls(begin + lead, begin + len(piece.rstrip()), piece.strip())


@dataclass
class Entity:
    """One real-world thing. `key` is its IRI path under the base, the same in every document."""

    key: str
    kinds: tuple[str, ...]  # nkg class names, most specific first: ("Country",), ("ArmedGroup",)
    label: str
    mentions: list[Span] = field(default_factory=list)
    role: str | None = None
    affiliation: str | None = None  # key of an Entity
    iso_code: str | None = None
    geonames_id: int | None = None
    point: tuple[float, float] | None = None  # (longitude, latitude)
    connects: list[str] = field(default_factory=list)  # crossing: keys of the places on each side
    status: str | None = None  # crossing: "Open" | "Closed"
    blocked_by: list[str] = field(default_factory=list)
    operated_by: list[str] = field(default_factory=list)
    age: int | None = None  # a person's age, as the text states it ("21-year-old X", "X, 21,")
    within: list[str] = field(default_factory=list)  # a place: keys of the places containing it, nearest first

    def size(self) -> int:
        """How large a place is: a town or a spot 0, a district or county 1, a province or state 2, a country 3."""
        if "Country" in self.kinds:
            return 3
        if "Region" in self.kinds:
            return 1 if self.label.lower().endswith(SECOND_LEVEL_WORDS) else 2
        return 0

    def add_mention(self, span: Span) -> None:
        if span not in self.mentions:
            self.mentions.append(span)


@dataclass
class Count:
    """One number stated about people harmed or held."""

    span: Span  # the number phrase, qualifier included ("more than 1,400")
    sentence: Span
    type: str  # nkg casualty type: "Killed", "Injured", ...
    qualifier: str = "Exactly"
    value: int | None = None  # None for vague quantities ("hundreds")
    min_value: int | None = None
    max_value: int | None = None
    perpetrator: str | None = None  # entity keys
    victim_nationality: str | None = None
    place: str | None = None
    date: dt.date | None = None
    dated: bool = False  # whether the date is stated with the count, not the document's day
    part_of: int | None = None  # index into Facts.counts
    incident: int = 0  # index into Facts.incidents
    of_perpetrators: bool = False  # the attackers' own dead or wounded ("the gunman then killed himself")
    additional: bool = False  # on top of the people counted before ("also detained two", "another man")
    unstated: bool = False  # harmed, outcome unsaid ("was shot"): Injured unless the toll learns they died


@dataclass
class Incident:
    """One happening that harmed or held people, as this document reports it."""

    mention: Span  # the span that first describes it
    reported: bool = True  # news, not background (an earlier attack, a war-long total)
    date: dt.date | None = None
    places: list[str] = field(default_factory=list)  # entity keys
    perpetrators: list[str] = field(default_factory=list)
    victims: list[str] = field(default_factory=list)  # entity keys of the named persons it killed, wounded or held


@dataclass
class Toll:
    """How many people of one type one incident harmed, all said and done, and the counts it rests on."""

    incident: int  # index into Facts.incidents
    type: str
    min_value: int
    value: int | None = None
    max_value: int | None = None
    qualifier: str | None = None
    of_perpetrators: bool = False
    counts: list[int] = field(default_factory=list)  # indexes into Facts.counts


@dataclass
class Facts:
    entities: dict[str, Entity] = field(default_factory=dict)
    counts: list[Count] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    tolls: list[Toll] = field(default_factory=list)
    main_incident: int | None = None  # index into incidents: the one the headline and lead are about
    # places that contain a named place but are not named themselves (Illinois for "Chicago"): key -> entity
    containers: dict[str, Entity] = field(default_factory=dict)
    dateline: str | None = None  # key of the place the dateline names
    text: str = ""  # what the offsets count in: the document as read, its headline first (`structure.make_doc`)
    sentences: list[Span] = field(default_factory=list)  # spaCy's, in order, trimmed (`sentences.spans`)

    def entity(self, key: str, kinds: tuple[str, ...], label: str) -> Entity:
        """The entity with this key, created on first sight."""
        found = self.entities.get(key)
        if found is None:
            found = self.entities[key] = Entity(key=key, kinds=kinds, label=label)
        return found

    def entity_at(self, begin: int, end: int) -> Entity | None:
        """The entity with a mention overlapping the characters [begin, end), if any."""
        for entity in self.entities.values():
            if any(m.begin < end and begin < m.end for m in entity.mentions):
                return entity
        return None


def ordered(keys: Iterable[str | None]) -> list[str]:
    """The keys once each, in the order first given, without the missing ones."""
    return list(dict.fromkeys(key for key in keys if key))


_THE = re.compile(r"^the\s+", re.IGNORECASE)


def strip_the(text: str) -> str:
    """`text` without a leading article: 'the Rafah crossing' -> 'Rafah crossing'."""
    return _THE.sub("", text, count=1)


def slug(text: str) -> str:
    """A stable IRI path segment: 'Antony Blinken' -> 'antony-blinken'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = strip_the(text.strip())
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"
