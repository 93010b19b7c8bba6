"""Time and memory of `kg validate` by batch size, against one pySHACL run over every document
graph at once (the reference), each in a fresh process:

    .venv/bin/kg ingest ../shared/data/gvdb-dev.jsonl --store /tmp/gvdb-store
    .venv/bin/python bench/validate.py /tmp/gvdb-store --batch 1 --batch 10 --batch 50
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

CHILD = """
import json, resource, sys, time
from pathlib import Path
from kg.store import KGStore
from kg.validate import validate_store
store = KGStore(Path(sys.argv[1]))
batch = int(sys.argv[2]) or len(store.documents())
wall, cpu = time.perf_counter(), time.process_time()
report = validate_store(store, batch=batch)
print(json.dumps({"documents": report.documents, "triples": report.triples, "violations": len(report.violations),
                  "wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(store: Path, batch: int) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(store), str(batch)], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", type=Path)
    ap.add_argument("--batch", type=int, action="append", default=[])
    args = ap.parse_args()
    reference = run(args.store, 0)
    rows = [("all documents in one run (reference)", reference)]
    rows += [(f"batches of {b}", run(args.store, b)) for b in args.batch or [1, 10, 50]]
    print(f"{time.strftime('%Y-%m-%d')}, load average {open('/proc/loadavg').read().split()[0]}\n")
    print(f"| {reference['documents']} documents | CPU s | × reference | wall s | peak RSS MB | violations |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['cpu']:.1f} | {r['cpu'] / reference['cpu']:.2f} | {r['wall']:.1f} | "
              f"{r['rss_mb']:.0f} | {r['violations']} |")


if __name__ == "__main__":
    main()
