"""Event linking at scale: the full recompute against the incremental re-link, time and peak memory.

    .venv/bin/python bench/events.py [--sizes 10000,50000] [--new 100] [--rounds 3]

The documents are made up, in the shape of real local news (gva-dev): about 1.8 reports a happening,
the follow-ups spread over days to months, each report naming its happening's town (or only its
state, or nothing), its victims (or not), a few other people (officials, relatives), its casualty
types, a title and a lead of words every report uses and words of its happening alone, and a text with its mentions, so that a document graph
holds as many quads as a real one (about 200). No model runs: the graphs are written straight into a
store on disk, as an ingest would leave them.

For each size N it measures, in one process per measurement (peak RSS is the process's):
- full: `link(store, base)` over a store of N documents whose events graph is empty;
- incremental: a store of N - new documents, linked, then `new` documents written and
  `link(store, base, full=False)`; and whether its events graph equals the full one's.
Results as a table; bench/README.md "Events" keeps them.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (
    "after before neighbors community council school church vigil funeral family friends trial court charges "
    "judge jury plea hearing bond arrest warrant investigation detectives witnesses apartment parking lot gas "
    "station party argument vehicle car truck weapon handgun rifle evidence scene motive gang robbery dispute "
    "domestic teenager student father mother brother sister son daughter uncle cousin coach pastor mayor"
).split()
FIRST = "James Maria Robert Linda Michael Sarah David Karen Daniel Nancy Kevin Lisa Brian Angela Jose Ana".split()
LAST = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Wilson Anderson "
    "Thomas Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King"
).split()


def _name(rng: random.Random) -> str:
    """A made-up full name: one of some 40 million, so that two people rarely share one by chance."""
    syllables = "ka lo mi ra te su na vo di be ja ro li ze ha mu".split()
    first = rng.choice(FIRST)
    last = "".join(rng.choice(syllables) for _ in range(rng.choice((2, 3)))).title()
    return f"{first} {last}{rng.choice(LAST)[:2].lower()}"


def _word(rng: random.Random) -> str:
    """A made-up word of two to four syllables: one of some 60,000."""
    syllables = "ba ce di fo gu ha ke li mo nu pa re si to vu wa xe yo za qui".split()
    return "".join(rng.choice(syllables) for _ in range(rng.choice((2, 3, 4))))


def make_world(documents: int, seed: int) -> list[dict]:
    """The documents as plain records: id, day, happening, places, victims, people, types. A town's
    officials (its police chief, its prosecutor) are named in many of its reports, as in local news."""
    rng = random.Random(seed)
    states = [f"state-{i}" for i in range(50)]
    towns = [(f"town-{i}", states[i % 50]) for i in range(4000)]
    officials = {town: [_name(rng) for _ in range(3)] for town, _ in towns}
    # big cities report more shootings: the n-th town by size has a share of 1 / (n + 3), so the largest
    # has about 5% of them (Chicago's share of the Gun Violence Archive's incidents)
    weights = [1 / (n + 3) for n in range(len(towns))]
    start = date(2013, 1, 1)
    out: list[dict] = []
    happening = 0
    while len(out) < documents:
        happening += 1
        day = start + timedelta(days=rng.randrange(4 * 365))
        town, state = rng.choices(towns, weights)[0]
        victims = [_name(rng) for _ in range(rng.choice((0, 1, 1, 1, 2)))]
        types = rng.choice((["Killed"], ["Injured"], ["Killed", "Injured"]))
        # what its reports say of it alone (streets, names, places in town), beside the words of every report
        own = [_word(rng) for _ in range(30)]
        for report in range(min(1 + int(rng.expovariate(1.3)), 11)):
            if len(out) >= documents:
                break
            lag = 0 if report == 0 else int(rng.expovariate(1 / 30))
            out.append(
                {
                    "id": f"h{happening}-r{report}",
                    "published": (day + timedelta(days=lag)).isoformat(),
                    "day": day.isoformat() if rng.random() < 0.8 else None,
                    "town": town if rng.random() < 0.7 else None,
                    "state": state,
                    "victims": victims if rng.random() < 0.7 else [],
                    "people": rng.sample(officials[town], rng.choice((0, 1, 2))),
                    "types": types,
                    "words": rng.sample(WORDS, 10) + rng.sample(own, 15),
                }
            )
    return out


def write(records: list[dict], path: Path, base: str) -> None:
    """The records' document graphs, as N-Quads, and the shared graph's places and names."""
    from urllib.parse import quote

    ent = f"<{base}graph/entities>"
    nkg, xsd = "https://w3id.org/newskg/ontology#", "http://www.w3.org/2001/XMLSchema#"
    within = "http://www.opengis.net/ont/geosparql#sfWithin"
    lines: list[str] = []
    shared: set[str] = set()
    for r in records:
        doc = f"{base}doc/{r['id']}"
        g, d = f"<{doc}>", f"<{doc}>"
        text = " ".join(r["words"] * 12)
        add = lines.append
        add(f'{d} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{nkg}Document> {g} .')
        add(f'{d} <http://purl.org/dc/terms/identifier> "{r["id"]}" {g} .')
        add(f'{d} <http://purl.org/dc/terms/date> "{r["published"]}"^^<{xsd}date> {g} .')
        add(f'{d} <http://purl.org/dc/terms/title> "{" ".join(r["words"][:8])}" {g} .')
        add(f'{d} <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString> "{text}" {g} .')
        add(f'{d} <{nkg}contentHash> "{r["id"]}" {g} .')
        inc = f"<{doc}#incident_1>"
        add(f"{inc} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{nkg}Incident> {g} .")
        add(f"{d} <{nkg}reports> {inc} {g} .")
        add(f"{d} <{nkg}mainIncident> {inc} {g} .")
        if r["day"]:
            add(f'{inc} <{nkg}date> "{r["day"]}"^^<{xsd}date> {g} .')
        place = f"<{base}place/{r['town'] or r['state']}>"
        add(f"{inc} <{nkg}place> {place} {g} .")
        state = f"<{base}place/{r['state']}>"
        if r["town"]:
            shared |= {f"{place} <{within}> {state} {ent} .", f'{place} <http://www.w3.org/2000/01/rdf-schema#label> "{r["town"]}" {ent} .'}
        shared |= {f"{state} <{within}> <{base}country/US> {ent} .", f'{state} <http://www.w3.org/2000/01/rdf-schema#label> "{r["state"]}" {ent} .',
                   f'<{base}country/US> <{nkg}isoCode> "US" {ent} .'}
        for n, t in enumerate(r["types"]):
            toll = f"<{doc}#incident_1_{t.lower()}>"
            add(f"{toll} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{nkg}Toll> {g} .")
            add(f"{toll} <{nkg}incident> {inc} {g} .")
            add(f"{toll} <{nkg}casualtyType> <{nkg}{t}> {g} .")
            add(f'{toll} <{nkg}minValue> "{n + 1}"^^<{xsd}integer> {g} .')
        for name in r["victims"] + r["people"]:
            person = f"<{base}person/{quote(name.lower().replace(' ', '-'))}>"
            add(f"{person} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{nkg}Person> {g} .")
            shared.add(f'{person} <http://www.w3.org/2000/01/rdf-schema#label> "{name}" {ent} .')
            if name in r["victims"]:
                add(f"{inc} <{nkg}victim> {person} {g} .")
            else:  # a town's officials are named with their titles ("Police Chief ...")
                add(f'{person} <{nkg}role> "Police Chief" {g} .')
        for n in range(30):  # mentions, as a real graph holds them
            m = f"<{doc}#offset_{n * 10}_{n * 10 + 5}>"
            add(f"{m} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{nkg}Mention> {g} .")
            add(f'{m} <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#beginIndex> "{n * 10}"^^<{xsd}integer> {g} .')
            add(f'{m} <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#endIndex> "{n * 10 + 5}"^^<{xsd}integer> {g} .')
            add(f'{m} <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf> "words" {g} .')
    path.write_text("\n".join(lines + sorted(shared)) + "\n", encoding="utf-8")


CHILD = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import pyoxigraph as ox
from kg.events import link
from kg.namespaces import DEFAULT_BASE, events_graph
mode, store_path, extra = sys.argv[2], sys.argv[3], sys.argv[4]
store = ox.Store(store_path)
if mode == "load":
    store.load(path=extra, format=ox.RdfFormat.N_QUADS)
    store.flush()
    print("{}")
    sys.exit(0)
def high_water_mb():
    # VmHWM starts afresh at exec; ru_maxrss would keep the parent's peak at the fork
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0
before = high_water_mb()
started = time.perf_counter()
report = link(store, DEFAULT_BASE, full=(mode == "full"))
seconds = time.perf_counter() - started
graph = sorted(str(q) for q in store.quads_for_pattern(None, None, None, events_graph(DEFAULT_BASE)))
import hashlib
print(json.dumps({"seconds": seconds, "peak_mb": high_water_mb(), "before_mb": before, "events": report.events, "incidents": report.incidents,
                  "digest": hashlib.sha256("\n".join(graph).encode()).hexdigest()[:16]}))
"""


def child(mode: str, store: Path, extra: Path | None) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), mode, str(store), str(extra or "-")],
        capture_output=True, text=True, check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(size: int, new: int, work: Path, base: str) -> dict:
    import pyoxigraph as ox

    records = make_world(size, seed=size)
    rng = random.Random(1)
    fresh = set(rng.sample(range(size), new))
    old_file, new_file, all_file = work / "old.nq", work / "new.nq", work / "all.nq"
    write([r for i, r in enumerate(records) if i not in fresh], old_file, base)
    write([r for i, r in enumerate(records) if i in fresh], new_file, base)
    write(records, all_file, base)
    full_store, inc_store = work / "full", work / "inc"
    for path, source in ((full_store, all_file), (inc_store, old_file)):
        shutil.rmtree(path, ignore_errors=True)
        store = ox.Store(str(path))
        store.bulk_load(path=str(source), format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
    full = child("full", full_store, None)
    child("full", inc_store, None)  # the store before the new documents, linked
    child("load", inc_store, new_file)  # the new documents written, as an ingest writes them
    incremental = child("incremental", inc_store, None)
    return {"size": size, "new": new, "full": full, "incremental": incremental}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    from kg.namespaces import DEFAULT_BASE

    print("| documents | new | full s | full peak MB | incremental s | incremental peak MB | incremental / full | same graph |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        for _ in range(args.rounds):
            with tempfile.TemporaryDirectory(prefix="kg-bench-events-") as work:
                r = measure(size, args.new, Path(work), DEFAULT_BASE)
            f, i = r["full"], r["incremental"]
            print(f"| {size:,} | {args.new} | {f['seconds']:.2f} | {f['peak_mb']:.0f} | {i['seconds']:.2f} | "
                  f"{i['peak_mb']:.0f} | {i['seconds'] / f['seconds']:.3f} | {f['digest'] == i['digest']} |", flush=True)


if __name__ == "__main__":
    main()
