"""Where incidents lie: what the shared entities graph says of their places, asked once per IRI.

Extraction states each place's containment there (geo:sfWithin, one step at a time or all at once)
and marks countries by their ISO code (nkg:isoCode): linking reads those facts, never the places'
IRIs.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.events.memory import Interner
from kg.namespaces import geo, nkg, node

_WITHIN, _ISO = geo.sfWithin, nkg.isoCode


class Places:
    """What contains a place and what it contains, and whether it is a country, in the graph `graph`
    of `store`."""

    def __init__(self, store: ox.Store, graph: ox.NamedNode, intern: Interner) -> None:
        self.store, self.graph, self.intern = store, graph, intern
        self._containers: dict[str, frozenset[str]] = {}
        self._contained: dict[str, frozenset[str]] = {}
        self._countries: dict[str, bool] = {}

    def within(self, places: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
        """(`places` and what contains them, countries aside (a country joins nothing: it holds too
        much); every place containing one of them, countries too)."""
        below: set[str] = set()
        containers: set[str] = set()
        for place in places:
            containers |= self.above(place)
            below |= {p for p in (place, *self.above(place)) if not self.country(p)}
        return self.intern(frozenset(below)), self.intern(frozenset(containers))

    def above(self, place: str) -> frozenset[str]:
        """Every place that contains `place`: geo:sfWithin followed to its end (stated one step at a time
        or all at once; a cycle ends it)."""
        if place not in self._containers:
            self._containers[place] = frozenset()  # a cycle back here adds nothing
            found: set[str] = set()
            for q in self.store.quads_for_pattern(node(place), _WITHIN, None, self.graph):
                if isinstance(q.object, ox.NamedNode) and q.object.value != place:
                    found |= {q.object.value, *self.above(q.object.value)}
            self._containers[place] = self.intern(frozenset(found - {place}))
        return self._containers[place]

    def below(self, place: str) -> frozenset[str]:
        """Every place that `place` contains: geo:sfWithin followed backwards to its end."""
        if place not in self._contained:
            self._contained[place] = frozenset()  # a cycle back here adds nothing
            found: set[str] = set()
            for q in self.store.quads_for_pattern(None, _WITHIN, node(place), self.graph):
                if isinstance(q.subject, ox.NamedNode) and q.subject.value != place:
                    found |= {q.subject.value, *self.below(q.subject.value)}
            self._contained[place] = self.intern(frozenset(found - {place}))
        return self._contained[place]

    def country(self, place: str) -> bool:
        if place not in self._countries:
            self._countries[place] = (
                next(iter(self.store.quads_for_pattern(node(place), _ISO, None, self.graph)), None) is not None
            )
        return self._countries[place]


__all__ = ["Places"]
