"""From scored pairs to events: the components of the likely pairs, each split into events by average
linkage.

A pair at least `PairModel.edge` likely links two incidents into one component; a component is cut into
events by merging, most likely pair first, two groups whose pairs are on average at least `PairModel.merge`
likely and that share no document. Everything is decided inside a component, from the two incidents of
each pair alone: the events of a component depend on nothing outside it, which is what lets an ingest
re-cluster only the components it touched. Ties go by IRI, so the result depends only on the set of
incidents, never on the order they came in.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.events.incidents import IncidentRow
from kg.events.pairs import PairModel, conflict

Pair = tuple[str, str]  # two incident IRIs, the smaller first
LARGE = 400  # cross pairs of two groups beyond which unscored pairs count as unlikely, not scored


def components(rows: Iterable[IncidentRow], edges: Iterable[Pair]) -> list[list[IncidentRow]]:
    """The connected components of `edges` over `rows`, each in IRI order, in order of their first IRI."""
    by_iri = {row.iri: row for row in rows}
    parent = {iri: iri for iri in by_iri}

    def root(iri: str) -> str:
        while parent[iri] != iri:
            parent[iri] = parent[parent[iri]]
            iri = parent[iri]
        return iri

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    found: dict[str, list[IncidentRow]] = {}
    for iri in sorted(by_iri):
        found.setdefault(root(iri), []).append(by_iri[iri])
    return sorted(found.values(), key=lambda c: c[0].iri)


def events(rows: list[IncidentRow], scores: dict[Pair, float], model: PairModel) -> list[list[IncidentRow]]:
    """The events of `rows`, given the scores of their candidate pairs: each component of the likely
    pairs split by `split`, in order of their first IRI."""
    found = components(rows, [pair for pair, p in scores.items() if p >= model.edge])
    where = {row.iri: n for n, component in enumerate(found) for row in component}
    inside: list[dict[Pair, float]] = [{} for _ in found]
    for pair, p in scores.items():
        n = where.get(pair[0])
        if n is not None and n == where.get(pair[1]):
            inside[n][pair] = p
    out: list[list[IncidentRow]] = []
    for component, pairs in zip(found, inside):
        out += split(component, pairs, model)
    return sorted(out, key=lambda e: e[0].iri)


def split(component: list[IncidentRow], scores: dict[Pair, float], model: PairModel) -> list[list[IncidentRow]]:
    """The events of one component: groups merged by average linkage over `scores` (the component's
    pairs scored so far; any other pair of it is scored when a merge needs it)."""
    if len(component) == 1:
        return [component]
    group: dict[str, list[IncidentRow]] = {row.iri: [row] for row in component}
    apart: dict[Pair, bool] = {}

    def forbidden(x: IncidentRow, y: IncidentRow) -> bool:
        pair = (x.iri, y.iri) if x.iri < y.iri else (y.iri, x.iri)
        if pair not in apart:
            apart[pair] = conflict(x, y)
        return apart[pair]

    def score(x: IncidentRow, y: IncidentRow) -> float:
        pair = (x.iri, y.iri) if x.iri < y.iri else (y.iri, x.iri)
        if pair not in scores:
            scores[pair] = 0.0 if forbidden(x, y) else model.score(x, y)
        return scores[pair]

    likely = sorted(
        ((p, pair) for pair, p in scores.items() if p >= model.edge),
        key=lambda item: (-item[0], item[1]),
    )
    for _, (a, b) in likely:
        ga, gb = group[a], group[b]
        if ga is gb or any(forbidden(x, y) for x in ga for y in gb):  # one document, other countries ...
            continue
        if len(ga) * len(gb) > LARGE:
            known = [scores.get((x.iri, y.iri) if x.iri < y.iri else (y.iri, x.iri), 0.0) for x in ga for y in gb]
            mean = sum(known) / len(known)
        else:
            mean = sum(score(x, y) for x in ga for y in gb) / (len(ga) * len(gb))
        if mean < model.merge:
            continue
        merged = sorted(ga + gb, key=lambda r: r.iri)
        for member in merged:
            group[member.iri] = merged
    unique = {id(g): g for g in group.values()}.values()
    return sorted(unique, key=lambda g: g[0].iri)


__all__ = ["LARGE", "Pair", "components", "events", "split"]
