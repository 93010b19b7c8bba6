"""What the event page (`/event?iri=...`) shows of an event and the incidents it joins.

An event's sources disagree, and the page shows that rather than hiding it: each source with its
publication date and its tolls, those tolls over the publication dates as a timeline (one series per
casualty type), and side by side, each with the sentences of the counts it rests on. The people the
sources name (victims, and suspects: perpetrators who are persons) are listed once each, with their age.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from kg.keys import last_part
from kg.namespaces import NKG, nkg, rdfs
from kg.sparql import run_named

EVENT = str(NKG.Event)
QUALIFIERS = {
    "Exactly": "",
    "AtLeast": "at least ",
    "MoreThan": "more than ",
    "Approximately": "about ",
    "AtMost": "at most ",
    "FewerThan": "fewer than ",
}


def text_of(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
    return "" if term is None else term.value


def _int(term: ox.Literal | None) -> int | None:
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None


def _day(term: ox.Literal | None) -> date | None:
    try:
        return date.fromisoformat(term.value[:10]) if term is not None else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Named:
    iri: str
    label: str


@dataclass
class Evidence:
    """One count a toll rests on: its phrase inside its sentence, in pieces (the phrase marked True)."""

    count: str
    pieces: list[tuple[str, bool]]


@dataclass
class TollView:
    iri: str
    doc: Named
    published: date | None
    type: str  # local name: "Killed"
    of_perpetrators: bool
    min: int
    value: int | None
    max: int | None
    qualifier: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def series(self) -> str:
        return f"{self.type} (perpetrators)" if self.of_perpetrators else self.type

    @property
    def text(self) -> str:
        """The toll as the source states it: "more than 300", "20-25", "at least 12"."""
        if self.value is not None:
            return f"{QUALIFIERS.get(self.qualifier, '')}{self.value:,}"
        if self.max is not None and self.max != self.min:
            return f"{self.min:,}–{self.max:,}"
        return f"at least {self.min:,}" if self.max is None else f"{self.min:,}"

    @property
    def link(self) -> str:
        """What a mark links to: the count it rests on (its entity page shows the sentence), else the toll."""
        return self.evidence[0].count if self.evidence else self.iri


@dataclass
class Source:
    """A document that reports the event: when it was published, and its tolls (victims' first)."""

    doc: Named
    published: date | None
    tolls: list[TollView] = field(default_factory=list)


@dataclass
class PersonView:
    """A victim or a suspect of the event, with the ages its sources give (they may disagree)."""

    iri: str
    label: str
    ages: list[int] = field(default_factory=list)
    sources: list[Named] = field(default_factory=list)

    @property
    def age(self) -> str:
        """The age as the sources give it: "34", "34 or 35" where they disagree, "" where none does."""
        return " or ".join(str(age) for age in sorted(set(self.ages)))


@dataclass
class Mark:
    x: float
    y: float
    toll: TollView
    label_y: float = 0.0  # where its label's baseline is: above the mark, apart from the labels beside it


@dataclass(frozen=True)
class Series:
    name: str
    colour: int  # index of the CSS class series-N
    marks: list[Mark]

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{m.x:.1f},{m.y:.1f}" for i, m in enumerate(self.marks))


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    left: int
    top: int
    right: int  # x of the plot's right edge
    bottom: int  # y of the plot's bottom edge
    series: list[Series]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    left_out: int  # tolls with no publication date, in the table only
    logarithmic: bool = False  # the y axis, when the tolls span more than two orders of magnitude


@dataclass
class EventView:
    iri: str
    label: str
    date: str = ""
    places: list[Named] = field(default_factory=list)
    perpetrators: list[Named] = field(default_factory=list)  # groups: the suspects are the persons
    victims: list[PersonView] = field(default_factory=list)
    suspects: list[PersonView] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    tolls: list[TollView] = field(default_factory=list)
    timeline: Timeline | None = None

    @property
    def by_type(self) -> list[tuple[str, list[TollView], bool]]:
        """The tolls grouped by series, each group with whether its sources disagree."""
        groups: dict[str, list[TollView]] = {}
        for toll in self.tolls:
            groups.setdefault(toll.series, []).append(toll)
        return [(name, tolls, len({(t.min, t.max) for t in tolls}) > 1) for name, tolls in sorted(groups.items())]


def load_event(store: ox.Store, event: ox.NamedNode) -> EventView | None:
    """Everything the event page shows, or None when the IRI is no nkg:Event of the graph."""
    if not run_named(store, "event-exists", e=event):
        return None
    view = EventView(event.value, event.value)
    for row in run_named(store, "event-summary", e=event):
        predicate, obj = row["p"], row["o"]
        if predicate == rdfs.label:
            view.label = obj.value
        elif predicate == nkg.date:
            view.date = obj.value
        elif isinstance(obj, ox.NamedNode):
            named = Named(obj.value, text_of(row["label"]) or last_part(obj.value))
            (view.places if predicate == nkg.place else view.perpetrators).append(named)
    tolls: dict[str, TollView] = {}
    sources: dict[str, Source] = {}
    for row in run_named(store, "event-tolls", e=event):
        doc = Named(row["doc"].value, text_of(row["title"]) or last_part(row["doc"].value))
        source = sources.setdefault(doc.iri, Source(doc, _day(row["published"])))
        if row["toll"] is None:
            continue
        iri = row["toll"].value
        if iri not in tolls:
            tolls[iri] = TollView(
                iri,
                source.doc,
                source.published,
                row["type"].value.rsplit("#", 1)[-1],
                text_of(row["perpetrators"]) in ("true", "1"),
                _int(row["min"]) or 0,
                _int(row["value"]),
                _int(row["max"]),
                text_of(row["qualifier"]).rsplit("#", 1)[-1],
            )
        if row["count"] is not None and all(e.count != row["count"].value for e in tolls[iri].evidence):
            tolls[iri].evidence.append(_evidence(row))
    view.tolls = sorted(tolls.values(), key=lambda t: (t.series, t.published or date.max, t.doc.iri))
    for toll in sorted(view.tolls, key=lambda t: (t.of_perpetrators, t.type)):
        sources[toll.doc.iri].tolls.append(toll)
    view.sources = sorted(sources.values(), key=lambda s: (s.published or date.max, s.doc.iri))
    view.timeline = timeline(view.tolls)
    view.victims, view.suspects = _people(store, event, sources)
    suspects = {person.iri for person in view.suspects}
    view.perpetrators = [p for p in view.perpetrators if p.iri not in suspects]
    return view


def _people(
    store: ox.Store, event: ox.NamedNode, sources: dict[str, Source]
) -> tuple[list[PersonView], list[PersonView]]:
    """The event's victims and suspects, each once, by label, with the ages and the sources that name them."""
    people: dict[str, dict[str, PersonView]] = {"victim": {}, "suspect": {}}
    for row in run_named(store, "event-people", e=event):
        iri = row["person"].value
        person = people[row["role"].value].setdefault(iri, PersonView(iri, text_of(row["label"]) or last_part(iri)))
        age = _int(row["age"])
        if age is not None:
            person.ages.append(age)
        source = sources.get(row["doc"].value)
        doc = source.doc if source else Named(row["doc"].value, last_part(row["doc"].value))
        if doc not in person.sources:
            person.sources.append(doc)
    published = {iri: source.published or date.max for iri, source in sources.items()}
    for group in people.values():
        for person in group.values():  # in the order the sources were published
            person.sources.sort(key=lambda d: (published.get(d.iri, date.max), d.iri))
    victims, suspects = (sorted(group.values(), key=lambda p: (p.label, p.iri)) for group in people.values())
    return victims, suspects


def _evidence(row: ox.QuerySolution) -> Evidence:
    phrase, sentence = row["phrase"].value, text_of(row["sentence"])
    begin, end, start = _int(row["phraseBegin"]), _int(row["phraseEnd"]), _int(row["sentenceBegin"])
    if not sentence or begin is None or end is None or start is None or not 0 <= begin - start <= len(sentence):
        return Evidence(row["count"].value, [(phrase, True)])
    cut, stop = begin - start, end - start
    pieces = [(sentence[:cut], False), (sentence[cut:stop], True), (sentence[stop:], False)]
    return Evidence(row["count"].value, [(text, marked) for text, marked in pieces if text])


def _nice(top: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten at or above `top`."""
    if top <= 1:
        return 1
    power = 10 ** math.floor(math.log10(top))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= top)


LABEL_GAP = 13  # pixels between the baselines of two labels at one publication date


def _spread_labels(marks: list[Mark]) -> None:
    """Each mark's label above it, pushed down where it would overlap the label of a mark above it
    at the same date ("at least 24" over "at least 20")."""
    at: dict[int, list[Mark]] = {}
    for m in marks:
        at.setdefault(round(m.x), []).append(m)
    for column in at.values():
        last = -math.inf
        for m in sorted(column, key=lambda m: m.y):
            m.label_y = max(m.y - 8, last + LABEL_GAP)
            last = m.label_y


def _compact(value: int) -> str:
    """An axis label: 200, 5,000, 20k, 1.5M."""
    for size, suffix in ((1_000_000, "M"), (10_000, "k")):
        if value >= size:
            divisor = 1000 if suffix == "k" else size
            return f"{value / divisor:,.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:,}"


def timeline(tolls: list[TollView], *, width: int = 760, height: int = 320) -> Timeline | None:
    """Each series' tolls over the publication dates: x is the date, y the toll's lower bound (on a log
    scale when the tolls span more than two orders of magnitude)."""
    dated = [t for t in tolls if t.published is not None]
    if not dated:
        return None
    left, top, right, bottom = 64, 16, width - 260, height - 48  # room for the marks' labels and the legend
    first = min(t.published for t in dated if t.published)
    last = max(t.published for t in dated if t.published)
    span = max(1, (last - first).days)
    values = [t.min for t in dated]
    logarithmic = max(values) > 100 * max(1, min(values))  # 12 injured beside 1.5 million displaced
    if logarithmic:
        ceiling = 10 ** math.ceil(math.log10(max(values)))
        y_values = [10**k for k in range(int(math.log10(ceiling)) + 1)]
    else:
        ceiling = _nice(max(values))
        y_values = [ceiling * i // 4 for i in range(5)]

    def x(day: date) -> float:
        if first == last:
            return (left + right) / 2
        return left + (right - left) * (day - first).days / span

    def y(value: int) -> float:
        share = math.log10(max(value, 1)) / math.log10(ceiling) if logarithmic else value / ceiling
        return bottom - (bottom - top) * share

    # the strongest colour (series-0, red) goes to the killed, then the injured, then the others by name
    rank = {"Killed": 0, "Injured": 1}
    names = sorted({t.series for t in dated}, key=lambda n: (rank.get(n, 2), n))
    series = [
        Series(
            name,
            i % 6,
            [
                Mark(x(t.published), y(t.min), t)
                for t in sorted((t for t in dated if t.series == name), key=lambda t: (t.published, t.min))
                if t.published
            ],
        )
        for i, name in enumerate(names)
    ][::-1]  # drawn in that order reversed: the killed last, on top
    _spread_labels([m for s in series for m in s.marks])
    days = sorted({t.published for t in dated if t.published})
    step = max(1, math.ceil(len(days) / 8))
    x_ticks = [Tick(x(d), d.isoformat()) for d in days[::step]]
    y_ticks = [Tick(y(v), _compact(v)) for v in y_values]
    return Timeline(
        width, height, left, top, right, bottom, series, x_ticks, y_ticks, len(tolls) - len(dated), logarithmic
    )


__all__ = [
    "EVENT",
    "EventView",
    "Named",
    "PersonView",
    "Source",
    "Timeline",
    "TollView",
    "load_event",
    "text_of",
    "timeline",
]
