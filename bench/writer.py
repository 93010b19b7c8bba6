"""The writer alone: N documents' encoded graphs into a fresh store, one transaction a document (the
writer before kg/writer.py) against the batched bulk writer (`kg.writer.Writer`), in one run.

    .venv/bin/python bench/writer.py [--documents 10000] [--records 400] [--data gvdb-dev.jsonl]

The graphs come from a real extraction, made once: the first `--records` articles of `--data` (by
default /work/shared/data/gvdb-dev.jsonl, read here and never copied into the repository) go through
the pipeline into a shard (kg.distributed's format) in a temporary directory. Each writer then runs in a
child process of its own on a fresh store and writes `--documents` graphs: the shard's, again and
again, each copy under new document IRIs (`{doc}-r{copy}`, its parts too), so every one is a new
document and the shared graph sees the same entities again, as a large corpus does. No incidents are
gathered (both would pay the same). The child reports the CPU seconds of the process (every thread:
RocksDB's too) and the wall time from the first write to the store closed, and its peak RSS
(`ru_maxrss`). Prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "gvdb-dev.jsonl"
SHARD = "graphs.nq"


def make_shard(data: Path, records: int, work: Path) -> None:
    """Extract the first `records` articles of `data` into `work/graphs.nq` (and `work/shared/graphs.nq`)."""
    from kg import pipeline
    from kg.distributed import run_chunk
    from kg.documents import read_sources
    from kg.namespaces import DEFAULT_BASE

    articles = []
    for article in read_sources([data], []):
        articles.append(article)
        if len(articles) == records:
            break
    (work / "shared").mkdir(parents=True, exist_ok=True)
    errors = run_chunk(articles, DEFAULT_BASE, pipeline.fingerprint(None), None, str(work), SHARD)
    print(f"extracted {len(articles) - len(errors)} documents into {work / SHARD}", file=sys.stderr)


def graphs(work: Path, documents: int) -> Iterator:
    """`documents` encoded graphs: the shard's, copy after copy, each copy's documents renamed."""
    import pyoxigraph as ox

    from kg.distributed import read_shard
    from kg.ingestion import Encoded

    base = read_shard(work, SHARD)
    copy = 0
    while True:
        for graph in base:
            if documents == 0:
                return
            documents -= 1
            old, new = f"<{graph.iri.value}".encode(), f"<{graph.iri.value}-r{copy}".encode()
            iri = ox.NamedNode(f"{graph.iri.value}-r{copy}")
            yield Encoded(iri, graph.nquads.replace(old, new), graph.shared)
        copy += 1


def child(mode: str, work: Path, documents: int, store_dir: Path) -> None:
    """Write the graphs with one writer and print what it cost, as JSON on stdout."""
    import pyoxigraph as ox

    from kg import formats
    from kg.ingestion import FLUSH_EVERY, Report, write
    from kg.namespaces import DEFAULT_BASE, entities_graph
    from kg.store import KGStore, return_freed_memory, trim_freed_memory
    from kg.writer import Writer

    stream = graphs(work, documents)
    store = KGStore(store_dir)
    report = Report()
    shared = entities_graph(DEFAULT_BASE)
    started, cpu = time.perf_counter(), time.process_time()
    if mode == "transactions":  # kg.ingestion.write before kg/writer.py: one transaction a new document
        return_freed_memory()
        for graph in stream:
            quads = list(ox.parse(graph.nquads, formats.WIRE))
            report.triples += store.write_document(graph.iri, quads, shared, graph.shared)
            report.documents += 1
            if report.documents % FLUSH_EVERY == 0:
                store.flush()
                trim_freed_memory()
    else:
        writer = Writer.open(store, DEFAULT_BASE)
        write(writer, stream, report)
        writer.flush()
    quads = len(store)
    store.close()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"cpu": cpu, "wall": wall, "peak": peak, "quads": quads, "documents": report.documents}))


LABELS = {"transactions": "one transaction a document (before)", "batches": "kg.writer: bulk batches, marks last"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=10_000)
    ap.add_argument("--records", type=int, default=400, help="articles of --data extracted, then repeated")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--rounds", type=int, default=1, help="each writer this many times, in turn")
    ap.add_argument("--batch", type=int, help="documents the batched writer writes at once (KG_WRITE_BATCH)")
    ap.add_argument("--child", nargs=3, metavar=("MODE", "WORK", "STORE"), help=argparse.SUPPRESS)
    ap.add_argument("--extract", type=Path, metavar="WORK", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        mode, work, store = args.child
        child(mode, Path(work), args.documents, Path(store))
        return
    if args.extract:
        make_shard(args.data, args.records, args.extract)
        return
    results: dict[str, list[dict]] = {mode: [] for mode in LABELS}
    with tempfile.TemporaryDirectory(prefix="kg-writer-") as tmp:
        work = Path(tmp)
        # in a child too: this process stays small, and a child's ru_maxrss starts from its parent's at the fork
        subprocess.run(
            [sys.executable, __file__, "--records", str(args.records), "--data", str(args.data), "--extract", tmp],
            check=True,
        )
        for round_ in range(args.rounds):
            for mode in LABELS:
                store = work / f"store-{mode}-{round_}"
                command = [
                    sys.executable,
                    __file__,
                    "--documents",
                    str(args.documents),
                    "--child",
                    mode,
                    tmp,
                    str(store),
                ]
                env = {**os.environ, **({"KG_WRITE_BATCH": str(args.batch)} if args.batch else {})}
                out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
                results[mode].append(json.loads(out))
                print(f"{mode} (round {round_ + 1}): {out.strip()}", file=sys.stderr, flush=True)
    old = results["transactions"]
    print(
        "| writer | documents | quads in the store | CPU s | wall s | peak RSS (MB) | CPU vs before | peak vs before |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for mode, runs in results.items():
        for round_, r in enumerate(runs):
            print(
                f"| {LABELS[mode]} | {r['documents']:,} | {r['quads']:,} | {r['cpu']:.1f} | {r['wall']:.1f} | "
                f"{r['peak']:.0f} | {r['cpu'] / old[round_]['cpu']:.2f}x | {r['peak'] / old[round_]['peak']:.2f}x |"
            )


if __name__ == "__main__":
    main()
