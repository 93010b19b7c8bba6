"""Event dates against the annotation, month by month: where the misses of the scorer's
event_date_accuracy come from.

    .venv/bin/python bench/dates.py [DATA.jsonl] [--limit N]

A document is dated right when its annotated start_date is the date of one of its counts, as in
../shared/eval/score.py. The rows group documents by the month of their reference day (the
document date, else the dateline); the columns say how each miss relates to the annotation: the
annotated day one day before ours, one day after, further away, no count with a day (no count, or
a text that names no day), and documents whose text gives no day with its year at all. Prints a
Markdown table for bench/README.md; reads the data, never writes it anywhere.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg import pipeline  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "isaf-dev.jsonl"
COLUMNS = ("documents", "right", "gold = ours - 1", "gold = ours + 1", "further", "no dated count")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    records = [json.loads(line) for line in open(args.data) if line.strip()]
    records = [r for r in records if r["gold"].get("start_date")][: args.limit or None]
    nlp = pipeline.load()
    sources = [(r["text"], dt.date.fromisoformat(r["date"]) if r.get("date") else None, r.get("title"))
               for r in records]
    rows: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for record, doc in zip(records, pipeline.process(nlp, sources)):
        gold = dt.date.fromisoformat(record["gold"]["start_date"])
        ours = {c.date for c in doc._.facts.counts if c.date is not None}
        month = doc._.ref_date.strftime("%Y-%m") if doc._.ref_date else "no day in the text"
        row = rows[month]
        row["documents"] += 1
        offsets = {(gold - day).days for day in ours}
        if 0 in offsets:
            row["right"] += 1
        elif not offsets:
            row["no dated count"] += 1
        elif -1 in offsets:
            row["gold = ours - 1"] += 1
        elif 1 in offsets:
            row["gold = ours + 1"] += 1
        else:
            row["further"] += 1
    total: collections.Counter = sum(rows.values(), collections.Counter())
    print("| month | " + " | ".join(COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for month in sorted(rows):
        print(f"| {month} | " + " | ".join(str(rows[month][c]) for c in COLUMNS) + " |")
    print("| all | " + " | ".join(str(total[c]) for c in COLUMNS) + " |")
    print(f"\nevent_date_accuracy {total['right'] / total['documents']:.3f} ({total['right']} of {total['documents']})")


if __name__ == "__main__":
    main()
