#!/usr/bin/env python3
"""Train the event pair scorer (kg/events/pair-model.json) on gva-dev, offline, in one command:

    .venv/bin/python train/events.py [../shared/data/gva-dev.jsonl] [--store DIR]

It ingests the file with `kg ingest` into a store (or reuses `--store`, a store of that file), reads
every incident as linking does (`kg.events.Reader`), takes the candidate pairs linking would score
(`kg.events.pairs.candidate_pairs`), labels a pair of two documents' main incidents by whether the gold
names one Gun Violence Archive incident for both, and fits a logistic regression over
`kg.events.pairs.features`.

Cross-validation splits by gold incident (5 folds): every document is linked at once, as
`kg.events.link` links a store, each pair scored by a model fit on the pairs of the other folds, and
the clustering is scored (B-cubed and pairwise, as ../shared/eval/score.py does). The thresholds are chosen on
those cross-validated clusterings: the best pairwise F1 with pairwise precision at least 0.90.
Needs scikit-learn (the dev extra); the shipped weights are plain JSON.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import pyoxigraph as ox
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.keys import doc_iri  # noqa: E402
from kg.events.link import read_rows  # noqa: E402
from kg.events import clusters  # noqa: E402
from kg.events.pairs import MODEL, PairModel, candidate_pairs, features  # noqa: E402
from kg.events.incidents import IncidentRow  # noqa: E402
from kg.namespaces import DEFAULT_BASE  # noqa: E402
from kg.store import KGStore  # noqa: E402

FOLDS = 5
C = 0.5  # inverse L2 strength (the features are indicators; a few thousand positive pairs)
EDGES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
MERGES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def gold(path: Path) -> dict[str, str]:
    """Document IRI -> its gold incident."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            out[doc_iri(DEFAULT_BASE, record["id"]).value] = str(record["gold"]["incident_id"])
    return out


def fold_of(incident: str) -> int:
    return zlib.crc32(incident.encode()) % FOLDS


def labelled(rows: list[IncidentRow], truth: dict[str, str]) -> list[tuple[IncidentRow, IncidentRow, int]]:
    """The candidate pairs of two main incidents, each with 1 when the gold says one happening."""
    return [
        (a, b, int(truth[a.doc] == truth[b.doc]))
        for a, b in candidate_pairs(rows)
        if a.main and b.main and a.doc in truth and b.doc in truth
    ]


def fit(pairs: list[tuple[IncidentRow, IncidentRow, int]]) -> dict[str, float]:
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(features(a, b), 1) for a, b, _ in pairs])
    y = [label for _, _, label in pairs]
    regression = LogisticRegression(C=C, max_iter=2000, fit_intercept=False).fit(x, y)
    return {name: round(float(w), 4) for name, w in zip(vectorizer.feature_names_, regression.coef_[0]) if w}


def bcubed(pred: dict[str, str], truth: dict[str, str]) -> tuple[float, float, float]:
    members: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    for d in truth:
        members[("p", pred[d])].add(d)
        members[("g", truth[d])].add(d)
    p = sum(len(members[("p", pred[d])] & members[("g", truth[d])]) / len(members[("p", pred[d])]) for d in truth)
    r = sum(len(members[("p", pred[d])] & members[("g", truth[d])]) / len(members[("g", truth[d])]) for d in truth)
    p, r = p / len(truth), r / len(truth)
    return p, r, 2 * p * r / (p + r)


def pairwise(pred: dict[str, str], truth: dict[str, str]) -> tuple[float, float, float]:
    def pairs(m: dict[str, str]) -> set[tuple[str, str]]:
        groups: dict[str, list[str]] = collections.defaultdict(list)
        for d, c in m.items():
            groups[c].append(d)
        return {(a, b) for ds in groups.values() for a in ds for b in ds if a < b}

    pp, gp = pairs(pred), pairs(truth)
    tp = len(pp & gp)
    p, r = (tp / len(pp) if pp else 1.0), (tp / len(gp) if gp else 1.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cross_validate(rows: list[IncidentRow], truth: dict[str, str], pairs) -> dict[tuple[float, float], dict]:
    """The clustering of every document at once, as `kg.events.link` links a store, with each pair scored
    by the model fit without the fold of its first incident (a pair across folds is of two happenings,
    and no model saw it), per thresholds. Linking every fold apart would hide the confusable reports
    of the other folds' happenings, and overstate the precision."""
    weights = [fit([(a, b, y) for a, b, y in pairs if fold_of(truth[a.doc]) != k and fold_of(truth[b.doc]) != k])
               for k in range(FOLDS)]
    models = [PairModel(w, 0.0, 0.0) for w in weights]
    rows = [r for r in rows if r.doc in truth]
    scores = {(a.iri, b.iri): models[fold_of(truth[a.doc])].score(a, b) for a, b in candidate_pairs(rows)}
    results = {}
    for edge in EDGES:
        for merge in MERGES:
            if merge > edge:
                continue
            pred: dict[str, str] = {}
            for event in clusters.events(rows, scores, PairModel({}, edge, merge)):
                for row in event:
                    if row.main:
                        pred[row.doc] = event[0].iri
            labels = {d: pred.get(d, "doc:" + d) for d in truth}
            results[(edge, merge)] = {"b3": bcubed(labels, truth), "pairwise": pairwise(labels, truth)}
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="?", default=str(ROOT.parent / "shared" / "data" / "gva-dev.jsonl"))
    ap.add_argument("--store", help="a store of that file, already ingested (default: ingest it now)")
    ap.add_argument("--out", default=str(ROOT / "kg" / "events" / MODEL))
    args = ap.parse_args()
    truth = gold(Path(args.data))
    with tempfile.TemporaryDirectory() as work:
        path = Path(args.store) if args.store else Path(work) / "store"
        if not args.store:
            kg = [str(Path(sys.executable).parent / "kg")]
            subprocess.run([*kg, "ingest", args.data, "--store", str(path)], check=True)
        store = KGStore(path, create=False)
        rows = read_rows(store.ox, DEFAULT_BASE)
        store.close()
    pairs = labelled(rows, truth)
    positives = sum(y for *_, y in pairs)
    gold_pairs = sum(n * (n - 1) // 2 for n in collections.Counter(truth.values()).values())
    print(f"{len(rows)} incidents, {len(pairs)} candidate pairs of main incidents, {positives} of them one happening "
          f"(of {gold_pairs} gold pairs: blocking recall {positives / gold_pairs:.3f})")
    results = cross_validate(rows, truth, pairs)
    print("cross-validated (5 folds by incident):  edge merge | B3 P R F1 | pairwise P R F1")
    for (edge, merge), r in sorted(results.items()):
        b3, pw = r["b3"], r["pairwise"]
        print(f"  {edge:.1f} {merge:.1f} | {b3[0]:.3f} {b3[1]:.3f} {b3[2]:.3f} | {pw[0]:.3f} {pw[1]:.3f} {pw[2]:.3f}")
    ok = {k: r for k, r in results.items() if r["pairwise"][0] >= 0.90} or results
    (edge, merge), best = max(ok.items(), key=lambda kv: (kv[1]["pairwise"][2], kv[1]["b3"][2]))
    print(f"chosen: edge {edge} merge {merge}: B3 F1 {best['b3'][2]:.3f}, pairwise P {best['pairwise'][0]:.3f} "
          f"R {best['pairwise'][1]:.3f} F1 {best['pairwise'][2]:.3f}")
    weights = fit(pairs)
    Path(args.out).write_text(json.dumps({"weights": dict(sorted(weights.items())), "edge": edge, "merge": merge,
                                          "trained_on": Path(args.data).name, "cross_validated": best},
                                         indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(weights)} weights")


if __name__ == "__main__":
    main()
