"""Ingest at scale: rates against plain spaCy, the driver's and a worker's CPU per document, and the
speedups Amdahl's law predicts from them, in one run.

    .venv/bin/python bench/scale.py [--sizes 2000] [--modes spacy1,spacy2,w1,w2,dask2] [--rounds N]
                                    [--data real|synthetic]

The texts: with `--data real` (the default), records taken in turn from /work/shared/data/gvdb-dev.jsonl
and gva-dev.jsonl (read here, written to a temporary corpus, never copied into the repository), each file
repeated under new ids (`{id}-r{k}`) once it runs out; with `--data synthetic`, news-shaped articles made
from templates, as before 2026-12-08.

Every mode runs in a fresh child process (and a fresh store): plain spaCy `nlp.pipe` with `n_process=1`
or 2 (the reference; `spacyf`: two forked processes holding the model, half the texts each, nothing
sent back: the machine's ceiling), `kg ingest --workers 1`, `--workers 2`, and `--cluster local:2` (a
real `dask.distributed.LocalCluster` of two worker processes). Each child loads its model first, then
counts from there: the wall time to the end (so the rates compare extraction and what follows it, not
imports and model loads), `getrusage(RUSAGE_SELF)` (the driver: reading, planning, scheduling, writing,
linking, RocksDB's threads) and `getrusage(RUSAGE_CHILDREN)` (the workers, reaped at the end: forked pool
processes, or a local cluster's worker processes). Meanwhile this script samples the memory of the
process tree every 0.2 s.

From the driver's CPU per document `d` and the workers' `w` (over all workers), the serial fraction is
`s = d / (d + w)` and Amdahl's law predicts a speedup over one worker of `1 / (s + (1 - s) / N)` at N
workers, given N cores for them and one for the driver. Prints Markdown tables for bench/README.md.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
REAL = ("gvdb-dev.jsonl", "gva-dev.jsonl")

PEOPLE = ["Antony Blinken", "Volker Turk", "Martin Griffiths", "Tedros Adhanom Ghebreyesus", "Catherine Russell",
          "Philippe Lazzarini", "Jan Egeland", "Cindy McCain", "Filippo Grandi", "Amy Pope"]
PLACES = [("Khartoum", "Sudan"), ("Gaza City", "Gaza"), ("Kharkiv", "Ukraine"), ("Goma", "Congo"),
          ("Port-au-Prince", "Haiti"), ("Mogadishu", "Somalia"), ("Aleppo", "Syria"), ("Sanaa", "Yemen"),
          ("Maiduguri", "Nigeria"), ("Mandalay", "Myanmar")]
GROUPS = ["the Rapid Support Forces", "Hamas", "M23 rebels", "al-Shabaab", "Boko Haram", "the Houthis",
          "armed gangs", "government forces"]
EVENTS = ["an air strike", "shelling", "a car bomb", "an attack on a market", "clashes", "a drone strike"]
MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
TEMPLATE = """{headline}
{city}, {country} ({month} {day}, 2024) - At least {killed} people were killed and {wounded} wounded in \
{event} in {city} on {weekday}, officials said. {group} were blamed for the violence.
{person}, who visited {country} last week, said that {displaced} people had fled their homes since the \
fighting began. "The situation is getting worse by the day," {surname} told reporters.
Aid agencies said about {missing} people were still missing, and that {children} of the dead were children. \
A spokesman for {group} denied the accusations.
"""


def article(i: int, chance: random.Random) -> dict:
    city, country = chance.choice(PLACES)
    person, group, event = chance.choice(PEOPLE), chance.choice(GROUPS), chance.choice(EVENTS)
    killed = chance.randint(3, 400)
    month, day = chance.randrange(12), chance.randint(1, 28)
    text = TEMPLATE.format(
        headline=f"{killed} killed in {event.split(' ', 1)[-1]} in {city}", city=city.upper(), country=country,
        month=MONTHS[month], day=day, killed=killed, wounded=chance.randint(5, 900), event=event,
        weekday=chance.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]), group=group,
        person=person, surname=person.split()[-1], displaced=f"{chance.randint(2, 900)},000",
        missing=chance.randint(10, 300), children=chance.randint(1, killed))
    return {"id": f"scale-{i}", "title": text.splitlines()[0], "date": f"2024-{month + 1:02d}-{day:02d}",
            "url": f"https://example.org/scale/{i}", "text": text}


def generate(n: int, path: Path, seed: int = 12) -> Path:
    chance = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(json.dumps(article(i, chance)) + "\n")
    return path


def gather(n: int, path: Path) -> Path:
    """`n` real records, taken in turn from each of REAL; a file that runs out starts again, its ids
    suffixed `-r1`, `-r2` ... so that every record is a new document."""
    files = [[json.loads(line) for line in (DATA / name).open(encoding="utf-8") if line.strip()] for name in REAL]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            records = files[i % len(files)]
            k, at = divmod(i // len(files), len(records))
            record = dict(records[at])
            if k:
                record["id"] = f"{record['id']}-r{k}"
            out.write(json.dumps(record) + "\n")
    return path


MODES = {"w1": ["--workers", "1"], "w2": ["--workers", "2"], "dask2": ["--cluster", "local:2"]}
WORKERS = {"spacy1": 1, "spacy2": 2, "spacyf": 2, "w1": 1, "w2": 2, "dask2": 2}
LABELS = {"w1": "`kg ingest --workers 1`", "w2": "`kg ingest --workers 2`",
          "dask2": "`kg ingest --cluster local:2` (Dask LocalCluster, 2 workers)",
          "spacy1": "reference: plain spaCy `nlp.pipe`, 1 process",
          "spacy2": "reference: plain spaCy `nlp.pipe(n_process=2)`",
          "spacyf": "reference: plain spaCy, 2 processes forked holding the model, half the texts each"}

# What each child reports once its model is loaded and it is done, as JSON in a file: wall seconds, the
# CPU seconds of its own process and of its reaped children.
CLOCK = """
import json, resource, sys, time
def clock():
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime
def report(path, start, documents):
    end = clock()
    with open(path, "w") as out:
        json.dump({"seconds": end[0] - start[0], "driver": end[1] - start[1], "workers": end[2] - start[2],
                   "documents": documents}, out)
"""
# The reference: the same texts through the bare model.
PLAIN = CLOCK + """
import multiprocessing, spacy
from kg import pipeline
nlp = spacy.load(pipeline.model_name())
start = clock()
texts = [json.loads(line)["text"] for line in open(sys.argv[2], encoding="utf-8")]
def count(part):
    return sum(1 for _ in nlp.pipe(part, batch_size=32))
if sys.argv[3] == "f":  # two processes forked holding the model, each over half the texts, nothing sent back
    with multiprocessing.get_context("fork").Pool(2) as pool:
        n = sum(pool.map(count, [texts[0::2], texts[1::2]]))
else:
    n = sum(1 for _ in nlp.pipe(texts, batch_size=32, n_process=int(sys.argv[3])))
multiprocessing.active_children()  # reap them, so that their CPU counts
report(sys.argv[1], start, n)
"""
# `kg ingest` as the command runs it, once the pipeline it loads (pipeline.load, cached) is in memory.
INGEST = CLOCK + """
from kg import pipeline
from kg.cli import main
pipeline.load(None)
result, sys.argv = sys.argv[1], ["kg", "ingest", *sys.argv[2:]]
start, code = clock(), 0
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
if code:
    sys.exit(code)
report(result, start, None)  # the documents: from the command's summary
"""


def run(corpus: Path, mode: str, work: Path) -> dict:
    store = work / f"store-{mode}"
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(store.with_name(store.name + ".shards"), ignore_errors=True)
    result = work / f"result-{mode}.json"
    result.unlink(missing_ok=True)
    command = ([sys.executable, "-c", PLAIN, str(result), str(corpus), mode[-1]] if mode.startswith("spacy")
               else [sys.executable, "-c", INGEST, str(result), str(corpus), "--store", str(store), *MODES[mode]])
    process = psutil.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    driver = worker = 0
    while process.poll() is None:
        try:
            driver = max(driver, process.memory_info().rss)
            for child in process.children(recursive=True):
                worker = max(worker, child.memory_info().rss)
        except psutil.Error:
            pass
        time.sleep(0.2)
    _, stderr = process.communicate()
    if process.returncode != 0 or not result.is_file():
        raise SystemExit(f"{mode} failed:\n{stderr}")
    measured = json.loads(result.read_text())
    found = re.search(r"([\d,]+) documents? ingested", " ".join(stderr.split()))
    n = measured["documents"] or (int(found.group(1).replace(",", "")) if found else 0)
    if not n:
        raise SystemExit(f"{mode}: no documents counted:\n{stderr}")
    return {"rate": n / measured["seconds"], "seconds": measured["seconds"], "documents": n,
            "driver_ms": 1000 * measured["driver"] / n, "worker_ms": 1000 * measured["workers"] / n,
            "driver_mb": driver / 2**20, "worker_mb": worker / 2**20}


def amdahl(driver: float, worker: float, n: int) -> float:
    """The speedup over one worker at `n` workers when `driver` of every document's `driver + worker`
    is serial."""
    serial = driver / (driver + worker)
    return 1 / (serial + (1 - serial) / n)


# (label, numerator mode, denominator mode, target): the done-when lines
RATIOS = [("`--workers 2` / spaCy `n_process=2`", "w2", "spacy2", 0.90),
          ("`--workers 1` / spaCy, 1 process", "w1", "spacy1", 0.85),
          ("Dask 2 workers / `--workers 2`", "dask2", "w2", 0.95),
          ("spaCy `n_process=2` / 1 (what this machine gives a second process)", "spacy2", "spacy1", None),
          ("`--workers 2` / `--workers 1`", "w2", "w1", None)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="2000")
    ap.add_argument("--modes", default="spacy1,spacy2,w1,w2,dask2")
    ap.add_argument("--data", choices=("real", "synthetic"), default="real")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run every mode this many times, in turn (the machine's speed drifts): the tables "
                         "give each round's numbers and their median")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    modes = args.modes.split(",")
    runs: dict[tuple[int, str], list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="kg-scale-") as tmp:
        work = Path(tmp)
        for n in sizes:
            make = gather if args.data == "real" else generate
            corpus = make(n, work / f"corpus-{n}.jsonl")
            for round_ in range(args.rounds):
                for mode in modes:
                    r = run(corpus, mode, work)
                    runs.setdefault((n, mode), []).append(r)
                    print(f"{n} {mode} (round {round_ + 1}, load {psutil.getloadavg()[0]:.1f}): {r['rate']:.1f} "
                          f"docs/s, CPU/doc driver {r['driver_ms']:.2f} ms, workers {r['worker_ms']:.2f} ms, "
                          f"RSS driver {r['driver_mb']:.0f} MB, worker {r['worker_mb']:.0f} MB",
                          file=sys.stderr, flush=True)

    def median(n: int, mode: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[n, mode])

    def rounds(values: list[float], digits: int = 2) -> str:
        text = f"{statistics.median(values):.{digits}f}"
        return text + (f" ({', '.join(f'{v:.{digits}f}' for v in values)})" if len(values) > 1 else "")

    print("| documents | how | docs/s | driver CPU ms/doc | workers' CPU ms/doc | peak RSS driver (MB) | "
          "peak RSS worker (MB) |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for (n, mode), results in runs.items():
        single = WORKERS[mode] == 1  # no worker processes: the driver extracts
        print(f"| {n:,} | {LABELS[mode]} | {rounds([r['rate'] for r in results], 1)} | "
              f"{rounds([r['driver_ms'] for r in results])} | "
              f"{'-' if single else rounds([r['worker_ms'] for r in results])} | "
              f"{max(r['driver_mb'] for r in results):.0f} | "
              f"{'-' if single else round(max(r['worker_mb'] for r in results))} |")
    print()
    # the rates' ratio, and the same by CPU a document (driver and workers together): what the machine's
    # other load leaves of the comparison, as long as no process waits for another
    print("| documents | ratio | by docs/s | by CPU a document | target | met (docs/s) |")
    print("|---:|---|---:|---:|---:|---|")
    for n in sizes:
        for label, a, b, target in RATIOS:
            if (n, a) in runs and (n, b) in runs:
                ratios = [x["rate"] / y["rate"] for x, y in zip(runs[n, a], runs[n, b])]
                cpu = [(y["driver_ms"] + y["worker_ms"]) / (x["driver_ms"] + x["worker_ms"])
                       for x, y in zip(runs[n, a], runs[n, b])]
                met = "-" if target is None else ("yes" if statistics.median(ratios) >= target else "**no**")
                print(f"| {n:,} | {label} | {rounds(ratios)}x | {rounds(cpu)}x | "
                      f"{'-' if target is None else f'>= {target:.2f}x'} | {met} |")
        for mode in ("w2", "dask2"):
            if (n, mode) in runs:
                shares = [r["driver_ms"] / r["worker_ms"] for r in runs[n, mode]]
                met = "yes" if statistics.median(shares) <= 1 / 20 else "**no**"
                print(f"| {n:,} | {LABELS[mode]}: driver CPU / workers' CPU a document | {rounds(shares, 3)} | - "
                      f"| <= 0.050 | {met} |")
    print()
    print("| documents | model from | driver ms/doc | workers' ms/doc | serial fraction | measured 1 | measured 2 "
          "| predicted 1 | 2 | 4 | 8 | 16 | 32 |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        for mode in ("w2", "dask2"):
            if (n, mode) not in runs:
                continue
            d, w = median(n, mode, "driver_ms"), median(n, mode, "worker_ms")
            measured = (f"1.00 | {median(n, mode, 'rate') / median(n, 'w1', 'rate'):.2f}" if (n, "w1") in runs
                        else "- | -")
            print(f"| {n:,} | {LABELS[mode]} | {d:.2f} | {w:.2f} | {d / (d + w):.3f} | {measured} | "
                  + " | ".join(f"{amdahl(d, w, k):.2f}" for k in (1, 2, 4, 8, 16, 32)) + " |")


if __name__ == "__main__":
    main()
