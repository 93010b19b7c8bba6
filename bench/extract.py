"""Extraction throughput: our whole pipeline against plain spaCy, on the same documents, in one run.

    .venv/bin/python bench/extract.py [DATA.jsonl] [--limit N]

Rows: plain `nlp.pipe` with the same model (the reference); spaCy plus our extractors plus
RDF building; the same plus writing to an Oxigraph store (`kg ingest` in-process) with 1 and
2 worker processes. Prints a Markdown table for bench/README.md. The first two rows run in turn,
and the last line compares their CPU time too, which other processes on a shared machine do not
stretch.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg import pipeline, rdf  # noqa: E402
from kg.documents import parse_record  # noqa: E402
from kg.ingestion import extract, ingest  # noqa: E402
from kg.namespaces import DEFAULT_BASE  # noqa: E402
from kg.store import KGStore  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "gvdb-dev.jsonl"


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def interleaved(runs: int, fns: list) -> list[tuple[float, float]]:
    """(best wall seconds, best CPU seconds of this process) of each function, run in turn `runs`
    times so that a change in the machine's load hits them alike. CPU time is what to compare on a
    shared machine: other processes' load stretches wall time, not this process's CPU time."""
    wall: list[list[float]] = [[] for _ in fns]
    cpu: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            wall[i].append(time.perf_counter() - start)
            cpu[i].append(time.process_time() - start_cpu)
    return [(min(w), min(c)) for w, c in zip(wall, cpu)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    lines = [line for line in open(args.data, encoding="utf-8") if line.strip()][: args.limit]
    articles = [parse_record(line) for line in lines]
    texts = [a.text for a in articles]
    chars = sum(map(len, texts))

    plain = spacy.load(pipeline.model_name())
    ours = pipeline.load()
    (plain_s, plain_cpu), (ours_s, ours_cpu) = interleaved(args.runs, [
        lambda: list(plain.pipe(texts, batch_size=32)), lambda: extract(ours, articles, DEFAULT_BASE)])
    rows = [("plain spaCy `nlp.pipe` (reference)", plain_s), ("spaCy + extractors + RDF building", ours_s)]

    work = Path(tempfile.mkdtemp())
    source = work / "docs.jsonl"
    source.write_text("".join(lines), encoding="utf-8")
    for workers in (1, 2):
        def run() -> None:
            shutil.rmtree(work / "store", ignore_errors=True)
            ingest([source], KGStore(work / "store"), DEFAULT_BASE, workers=workers, force=True,
                   nlp=ours if workers == 1 else None)
        rows.append((f"`kg ingest --workers {workers}` (incl. store writes)",
                     best_of(1 if workers > 1 else args.runs, run)))
    shutil.rmtree(work)

    print(f"{len(articles)} documents, {chars / len(articles):.0f} characters each on average, "
          f"model {pipeline.model_name()}, best of {args.runs}, {os.cpu_count()} cores\n")
    print("| pipeline | seconds | documents/s | vs plain spaCy |")
    print("|---|---:|---:|---:|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {len(articles) / seconds:.1f} | {plain_s / seconds:.2f}x |")
    one, two = rows[2][1], rows[3][1]
    print(f"\n2 workers vs 1 worker: {one / two:.2f}x")
    print(f"CPU time of this process: plain {plain_cpu:.2f} s, ours {ours_cpu:.2f} s: "
          f"{plain_cpu / ours_cpu:.2f}x of plain spaCy's throughput")


if __name__ == "__main__":
    main()
