"""Fit the victim / suspect / other model of kg/extractors/people.py on the dev files, offline.

    PYTHONPATH=. .venv/bin/python train/people.py [--gva ../shared/data/gva-dev.jsonl]
        [--gvdb ../shared/data/gvdb-dev.jsonl] [--out kg/extractors/data/people.json] [--measure-only]

Runs newskg's components (up to `newskg_incidents`) over each dev document (the spaCy model's parse
comes from a DocBin cache in --cache when there is one, else it is parsed and cached), takes every
person entity with its features (`people.features`), and labels it from the gold participants: a
victim or suspect whose full name, or surname, is the entity's. gva-dev folds are split by gold
incident (several pages report one incident), gvdb-dev folds by document. In gvdb-dev, a document
with participants the annotators left unnamed gives no "other" examples: an unmatched person may
be one of them.

It prints the cross-validated precision and recall of each class, over the persons and over the
gold names (a gold name no person entity matches counts as missed), writes the weights fitted on
everything (features seen in fewer than MIN_DOCS documents dropped, tiny weights pruned) as JSON.
scikit-learn is needed here only; the pipeline reads the JSON with plain Python.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from spacy.tokens import DocBin

from kg import documents, pipeline
from kg.extractors import people, structure

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
MIN_DOCS = 15
C = 0.3
FOLDS = 5
PRUNE = 1e-2
ATTRS = ["ORTH", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "LEMMA", "MORPH", "POS", "SENT_START", "IS_SPACE"]
ROLES = {"victim": "victim", "subject-suspect": "suspect", "shooter": "suspect"}


@dataclass
class Example:
    doc: str
    group: str
    name: str  # the entity's label
    features: list[str]
    label: str | None  # None: unknown (not trained on, not scored)
    rule: str | None
    incidents: bool  # whether the document has incidents (no incidents, no victims)


def _norm(name: str) -> list[str]:
    return [w for w in re.sub(r"[^a-z\s'-]", " ", name.lower()).split() if w not in ("jr", "sr", "ii", "iii")]


def matches(gold: str, label: str) -> bool:
    """A gold name is an entity's when the full names are equal, or the entity's is the gold surname
    (with or without the first name), or the two share first and last names."""
    g, e = _norm(gold), _norm(label)
    if not g or not e:
        return False
    return g == e or e[-1] == g[-1] and (len(e) == 1 or e[0] == g[0])


def load(path: Path) -> tuple[list[dict], list[documents.Article]]:
    records = [json.loads(line) for line in path.open() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs.jsonl"
        with docs.open("w") as f:
            for r in records:
                f.write(json.dumps({k: r[k] for k in ("id", "text", "date", "title", "url") if r.get(k)}) + "\n")
        arts = list(documents.read_sources([docs], []))
    return records, arts


def parsed(nlp, arts: list[documents.Article], cache: Path, name: str):
    """The model's parse of every article, from the DocBin cache (written on the first run)."""
    path = cache / f"{name}-{len(arts)}.spacy"
    if not path.exists():
        ours = [n for n in nlp.pipe_names if n.startswith("newskg")]
        bin_ = DocBin(attrs=ATTRS)
        with nlp.select_pipes(disable=ours):
            made = (structure.make_doc(nlp, a.text, a.title)[0] for a in arts)
            for doc in nlp.pipe(made, batch_size=32):
                bin_.add(doc)
        cache.mkdir(parents=True, exist_ok=True)
        bin_.to_disk(path)
    return DocBin().from_disk(path).get_docs(nlp.vocab)


def examples(path: Path, cache: Path, by_incident: bool) -> tuple[list[Example], list[tuple[str, str, str]]]:
    """The persons of every document, labelled, and every named gold participant (doc, class, name)."""
    nlp = pipeline.load()
    records, arts = load(path)
    before = nlp.pipe_names[: nlp.pipe_names.index("newskg_people")]
    procs = [p for n, p in nlp.pipeline if n.startswith("newskg") and n in before]
    found, golds = [], []
    by_id = {r["id"]: r for r in records}
    for art, doc in zip(arts, parsed(nlp, arts, cache, path.stem)):
        record = by_id[art.id]
        doc._.doc_date = art.date
        doc._.segments = structure.segments(art.text, art.title)
        for proc in procs:
            doc = proc(doc)
        facts = doc._.facts
        gold = [
            (ROLES[p["role"].lower()], p["name"]["text"] if isinstance(p["name"], dict) else p["name"])
            for p in record["gold"].get("participants", [])
            if p.get("name") and p["role"].lower() in ROLES
        ]
        unnamed = any(not p.get("name") for p in record["gold"].get("participants", []))
        golds += [(art.id, role, name) for role, name in gold]
        group = str(record["gold"].get("incident_id", art.id)) if by_incident else art.id
        for entity, spans in people.persons(doc, facts):
            if not spans:
                continue
            entity.age = entity.age or next((a for a in map(people.age, spans) if a is not None), None)
            roles = {role for role, name in gold if matches(name, entity.label)}
            label = "suspect" if "suspect" in roles else "victim" if roles else None if unnamed and not by_incident else "other"
            found.append(
                Example(
                    art.id,
                    group,
                    entity.label,
                    people.features(doc, facts, entity, spans),
                    label,
                    people.rule(entity, spans),
                    bool(facts.incidents),
                )
            )
    return found, golds


def fit(xs: list[list[str]], ys: list[str]) -> tuple[DictVectorizer, LogisticRegression]:
    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(f, 1) for f in xs])
    model = LogisticRegression(C=C, max_iter=2000, class_weight=None)
    model.fit(x, [people.CLASSES.index(y) for y in ys])
    return vec, model


def kept(data: list[Example]) -> set[str]:
    per_doc: dict[str, set[str]] = {}
    for e in data:
        per_doc.setdefault(e.doc, set()).update(e.features)
    seen: Counter[str] = Counter()
    for found in per_doc.values():
        seen.update(found)
    return {f for f, n in seen.items() if n >= MIN_DOCS}


def cross_validate(data: list[Example]) -> list[str]:
    """The out-of-fold decision for every example: the rule's where it has one, else the model's."""
    labelled = [i for i, e in enumerate(data) if e.label is not None]
    decided = ["other"] * len(data)
    groups = [data[i].group for i in labelled]
    for train, test in GroupKFold(FOLDS).split(labelled, groups=groups):
        vec, model = fit([data[labelled[i]].features for i in train], [data[labelled[i]].label or "" for i in train])
        x = vec.transform([dict.fromkeys(data[labelled[i]].features, 1) for i in test])
        for i, p in zip(test, model.predict_proba(x)):
            decided[labelled[i]] = people.CLASSES[int(model.classes_[int(np.argmax(p))])]
    for i, e in enumerate(data):
        if e.rule is not None:
            decided[i] = e.rule
        if not e.incidents:
            decided[i] = "other"
    return decided


def report(name: str, data: list[Example], decided: list[str], golds: list[tuple[str, str, str]]) -> None:
    print(f"{name}: {len({e.doc for e in data})} documents with persons, {len(data)} persons")
    for cls in ("victim", "suspect"):
        pairs = [(e.label, d) for e, d in zip(data, decided) if e.label is not None]
        tp = sum(1 for y, d in pairs if y == cls and d == cls)
        pp = sum(1 for _, d in pairs if d == cls)
        ap = sum(1 for y, _ in pairs if y == cls)
        found = {
            (e.doc, g)
            for e, d in zip(data, decided)
            if d == cls
            for doc, role, g in golds
            if doc == e.doc and role == cls and matches(g, e.name)
        }
        named = [(d, g) for d, role, g in golds if role == cls]
        print(
            f"  {cls:8s} persons P {tp / max(pp, 1):.3f} R {tp / max(ap, 1):.3f} (n={ap}) | "
            f"gold names R {len(found) / max(len(named), 1):.3f} (n={len(named)}, "
            f"matched by a person {sum(1 for d, g in named if any(e.doc == d and matches(g, e.name) for e in data)) / max(len(named), 1):.3f})"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gva", type=Path, default=SHARED / "gva-dev.jsonl")
    ap.add_argument("--gvdb", type=Path, default=SHARED / "gvdb-dev.jsonl")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/s27/cache"))
    ap.add_argument("--out", type=Path, default=people.WEIGHTS)
    ap.add_argument("--measure-only", action="store_true", help="cross-validate, write nothing")
    args = ap.parse_args()
    gva, gva_gold = examples(args.gva, args.cache, by_incident=True)
    gvdb, gvdb_gold = examples(args.gvdb, args.cache, by_incident=False)
    data = gva + gvdb
    features = kept(data)
    for e in data:
        e.features = [f for f in e.features if f in features]
    decided = cross_validate(data)
    report("gva-dev (cross-validated)", gva, decided[: len(gva)], gva_gold)
    report("gvdb-dev (cross-validated)", gvdb, decided[len(gva) :], gvdb_gold)
    if args.measure_only:
        return
    train = [e for e in data if e.label is not None]
    vec, model = fit([e.features for e in train], [e.label or "" for e in train])
    order = [list(model.classes_).index(c) for c in range(len(people.CLASSES))]
    coef = model.coef_[order]
    weights = {
        name: [round(float(w), 4) for w in coef[:, j]]
        for name, j in sorted(vec.vocabulary_.items())
        if np.abs(coef[:, j]).max() >= PRUNE
    }
    args.out.write_text(
        json.dumps(
            {
                "classes": list(people.CLASSES),
                "intercept": [round(float(b), 4) for b in model.intercept_[order]],
                "weights": weights,
            },
            separators=(",", ":"),
        )
        + "\n"
    )
    print(f"wrote {len(weights)} features to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
