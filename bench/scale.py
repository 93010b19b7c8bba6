"""Ingest at scale: docs/s and peak memory of `kg ingest`, locally and on Dask, as the corpus grows.

    .venv/bin/python bench/scale.py [--sizes 2000,10000,50000] [--modes spacy1,spacy2,spacyf,w1,w2,dask2]
                                    [--rounds N]

Articles are generated from templates (news-shaped: a headline, a dateline, casualty counts, named
people, places and groups), so any size is at hand and nothing is copied from real news. Each run is
the real command (`kg ingest` in a subprocess, a fresh store) while this script samples the memory of
the process tree every 0.2 s: the driver (the `kg` process) and the largest worker (a forked pool
process or a Dask worker). Prints a Markdown table for bench/README.md.
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
KG = [sys.executable, "-m", "kg.cli"]

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


MODES = {"w1": ["--workers", "1"], "w2": ["--workers", "2"], "dask2": ["--cluster", "local:2"]}
LABELS = {"w1": "local, 1 worker", "w2": "local, --workers 2", "dask2": "Dask LocalCluster, 2 workers",
          "spacy1": "reference: plain spaCy `nlp.pipe`, 1 process",
          "spacy2": "reference: plain spaCy `nlp.pipe(n_process=2)`",
          "spacyf": "reference: plain spaCy, 2 processes forked holding the model, half the texts each"}
# The reference: the same texts through the bare model, timed like `kg ingest` times itself (model load
# included), so that the ratio 2 processes / 1 shows what this machine allows two workers at all.
# `n_process=2` sends every Doc back to the parent; `spacyf` is what `--workers 2` does (fork after the
# model is loaded) with nothing sent back and nothing written: the machine's own ceiling.
PLAIN = """
import json, multiprocessing, sys, time
import spacy
from kg import pipeline
started = time.perf_counter()
nlp = spacy.load(pipeline.model_name())
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
def count(part):
    return sum(1 for _ in nlp.pipe(part, batch_size=32))
if sys.argv[2] == "f":  # two processes forked holding the model, each over half the texts, nothing sent back
    with multiprocessing.get_context("fork").Pool(2) as pool:
        n = sum(pool.map(count, [texts[0::2], texts[1::2]]))
else:
    n = sum(1 for _ in nlp.pipe(texts, batch_size=32, n_process=int(sys.argv[2])))
print(f"{n / (time.perf_counter() - started):.2f} documents/s", file=sys.stderr)
"""


def run(corpus: Path, mode: str, work: Path) -> dict:
    store = work / f"store-{mode}"
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(store.with_name(store.name + ".shards"), ignore_errors=True)
    command = ([sys.executable, "-c", PLAIN, str(corpus), mode[-1]] if mode.startswith("spacy")
               else KG + ["ingest", str(corpus), "--store", str(store), *MODES[mode]])
    process = psutil.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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
    found = re.search(r"([\d.]+) documents/s", " ".join(stderr.split()))
    if process.returncode != 0 or not found:
        raise SystemExit(f"{mode}: kg ingest failed:\n{stderr}")
    return {"rate": float(found.group(1)), "driver": driver / 2**20, "worker": worker / 2**20}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="2000,10000,50000")
    ap.add_argument("--modes", default="spacy1,spacy2,spacyf,w1,w2,dask2")
    ap.add_argument("--rounds", type=int, default=1,
                    help="run every mode this many times, in turn (the machine's speed drifts): the table "
                         "gives the median rate and the highest memory, the ratios each round's")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    modes = args.modes.split(",")
    runs: dict[tuple[int, str], list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="kg-scale-") as tmp:
        work = Path(tmp)
        for n in sizes:
            corpus = generate(n, work / f"corpus-{n}.jsonl")
            for round_ in range(args.rounds):
                for mode in modes:
                    result = run(corpus, mode, work)
                    runs.setdefault((n, mode), []).append(result)
                    print(f"{n} {mode} (round {round_ + 1}): {result['rate']:.1f} docs/s, driver "
                          f"{result['driver']:.0f} MB, worker {result['worker']:.0f} MB", file=sys.stderr, flush=True)
    print("| documents | how | docs/s | peak RSS driver (MB) | peak RSS worker (MB) |")
    print("|---:|---|---:|---:|---:|")
    for (n, mode), results in runs.items():
        worker = max(r["worker"] for r in results)
        print(f"| {n:,} | {LABELS[mode]} | {statistics.median(r['rate'] for r in results):.1f} | "
              f"{max(r['driver'] for r in results):.0f} | {'-' if mode in ('w1', 'spacy1') else round(worker)} |")
    for n in sizes:
        for label, a, b in (("local --workers 2 / --workers 1", "w2", "w1"),
                            ("Dask 2 workers / local --workers 2", "dask2", "w2"),
                            ("plain spaCy n_process=2 / 1", "spacy2", "spacy1"),
                            ("plain spaCy 2 forked processes / 1 (the machine's ceiling)", "spacyf", "spacy1")):
            if (n, a) in runs and (n, b) in runs:
                ratios = [x["rate"] / y["rate"] for x, y in zip(runs[n, a], runs[n, b])]
                print(f"- {n:,} documents, {label}: {statistics.median(ratios):.2f}x"
                      + (f" (rounds {', '.join(f'{r:.2f}x' for r in ratios)})" if len(ratios) > 1 else ""))


if __name__ == "__main__":
    main()
