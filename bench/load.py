"""Bulk-load throughput: `kg load` against `oxigraph load` on the same 1M-triple file, in one run.

    .venv/bin/python bench/load.py [--triples N] [--runs R]

Writes an N-Quads file shaped like our exports (one named graph per document, IRIs under the
newskg base, string, integer and date literals), then loads it into fresh stores: with the
Oxigraph server CLI (the reference), with `kg load` (the CLI, process start included), and
through the same loader in-process. A second pair loads the file split in two, where `kg load`
parses the second file before writing anything so that a broken file leaves the store as it was.
Last, the atomicity itself: a copy of the file with a broken last line, loaded into a store that
holds the first half, must fail and leave that half alone. Prints a Markdown table for bench/README.md.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.errors import LoadError  # noqa: E402
from kg.load import load  # noqa: E402
from kg.namespaces import DEFAULT_BASE, NKG  # noqa: E402
from kg.store import KGStore  # noqa: E402

BIN = Path(sys.executable).parent
DOC_TRIPLES = 200  # triples per document graph


def write_quads(path: Path, triples: int) -> None:
    """`triples` distinct quads in graphs of DOC_TRIPLES, like a `kg export`."""
    dcterms, nif = "http://purl.org/dc/terms/", "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    with path.open("w", encoding="utf-8") as out:
        written, doc = 0, 0
        while written < triples:
            g = f"<{DEFAULT_BASE}doc/d{doc}>"
            lines = [f'{g} <{dcterms}identifier> "d{doc}" {g} .\n',
                     f'{g} <{dcterms}date> "2023-{doc % 12 + 1:02d}-{doc % 28 + 1:02d}"^^<{xsd}date> {g} .\n']
            for i in range((DOC_TRIPLES - 2) // 4):
                m = f"<{DEFAULT_BASE}doc/d{doc}#offset_{i * 10}_{i * 10 + 7}>"
                lines += [f"<{DEFAULT_BASE}person/p{(doc * 7 + i) % 5000}> <{NKG.mention}> {m} {g} .\n",
                          f'{m} <{nif}beginIndex> "{i * 10}"^^<{xsd}nonNegativeInteger> {g} .\n',
                          f'{m} <{nif}endIndex> "{i * 10 + 7}"^^<{xsd}nonNegativeInteger> {g} .\n',
                          f'{m} <{nif}anchorOf> "mention {i} of document {doc}" {g} .\n']
            lines = lines[: triples - written]
            out.writelines(lines)
            written += len(lines)
            doc += 1


def _cpu() -> float:
    """CPU seconds of this process and its finished children: all threads, user and system."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(runs: int, loaders: dict[str, Callable[[Path], None]], work: Path) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of each loader into a fresh store, over `runs` rounds that take
    turns, so that whatever else the machine does in the meantime falls on all of them alike."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in loaders}
    for run in range(runs):
        for name, loader in loaders.items():
            store = work / f"store-{run}"
            wall, cpu = time.perf_counter(), _cpu()
            loader(store)
            times[name].append((time.perf_counter() - wall, _cpu() - cpu))
            shutil.rmtree(store)
    return {name: (statistics.median(t[0] for t in got), statistics.median(t[1] for t in got))
            for name, got in times.items()}


def run(command: list[str]) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def in_process(files: list[Path]) -> Callable[[Path], None]:
    def go(store: Path) -> None:
        kg_store = KGStore(store)
        load(kg_store, files)
        del kg_store
    return go


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-load-"))
    try:
        data = work / "data.nq"
        write_quads(data, args.triples)
        lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
        halves = [work / "half-1.nq", work / "half-2.nq"]
        halves[0].write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
        halves[1].write_text("".join(lines[len(lines) // 2:]), encoding="utf-8")

        oxigraph, kg = str(BIN / "oxigraph"), str(BIN / "kg")
        rows = timed(args.runs, {
            "`oxigraph load` (reference)": lambda s: run([oxigraph, "load", "--location", str(s), "--file", str(data)]),
            "`kg load` (CLI, process start included)": lambda s: run([kg, "load", str(data), "--store", str(s)]),
            "`kg.load.load` in-process": in_process([data]),
        }, work)
        rows2 = timed(args.runs, {
            "`oxigraph load`, the file in 2 halves (reference)":
                lambda s: run([oxigraph, "load", "--location", str(s), "--file", *map(str, halves)]),
            "`kg load`, the file in 2 halves (the second parsed first, then both loaded)":
                lambda s: run([kg, "load", *map(str, halves), "--store", str(s)]),
        }, work)

        broken = work / "broken.nq"
        shutil.copyfile(data, broken)
        with broken.open("a", encoding="utf-8") as out:
            out.write('<http://example.com/s> <http://example.com/p> "unterminated .\n')
        store = KGStore(work / "atomic")
        load(store, [halves[0]])
        before = len(store.ox)
        start = time.perf_counter()
        try:
            load(store, [broken])
            message = "loaded?!"
        except LoadError as exc:
            message = str(exc)
        broken_s = time.perf_counter() - start
        after = len(store.ox)

        print(f"{args.triples:,} triples (N-Quads, {data.stat().st_size / 1e6:.0f} MB), median of {args.runs} runs, "
              f"fresh store each run\n")
        print("| loader | wall s | triples/s | throughput × reference | CPU s | CPU × reference |\n"
              "| --- | ---: | ---: | ---: | ---: | ---: |")
        for table in (rows, rows2):
            wall_ref, cpu_ref = next(iter(table.values()))
            for name, (wall, cpu) in table.items():
                print(f"| {name} | {wall:.2f} | {args.triples / wall:,.0f} | {wall_ref / wall:.2f} | {cpu:.1f} "
                      f"| {cpu / cpu_ref:.2f} |")
        kept = "unchanged" if before == after else "CHANGED"
        print(f"\nBroken last line: failed after {broken_s:.2f} s with `{message}`; "
              f"quads in the store before {before:,}, after {after:,} ({kept}).")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
