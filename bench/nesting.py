"""At which nesting depth does pyoxigraph's SPARQL parser crash, in a query thread as the server runs it?

    .venv/bin/python bench/nesting.py [--kinds brace,paren,update] [--where thread,main] [--high 8000]

Each depth is parsed in a fresh process (a crash is exit -11), by `store.query` (or `store.update`)
in a `ThreadPoolExecutor` thread with the default stack, as `kg serve`'s query threads have, or in
the main thread; bisected between 1 and `--high`. Nested `[ ]` (bracket) and collections take
time growing as about the 4th power of the depth: bisect them with a small `--high`, or not at all.
Results in bench/README.md, "Nesting".
"""
from __future__ import annotations

import argparse
import subprocess
import sys

CHILD = r'''
import sys
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox

kind, n, where = sys.argv[1], int(sys.argv[2]), sys.argv[3]
texts = {
    "brace": "SELECT * WHERE " + "{" * n + "}" * n,
    "paren": "SELECT * WHERE { FILTER(" + "(" * n + "1" + ")" * n + ") }",
    "bracket": "SELECT * WHERE { ?s ?p " + "[ ?p " * n + "1" + " ]" * n + " }",
    "update": "INSERT { <urn:a> <urn:b> <urn:c> } WHERE " + "{" * n + "}" * n,
}
store = ox.Store()


def run() -> str:
    try:
        store.update(texts[kind]) if kind == "update" else store.query(texts[kind])
    except Exception as exc:
        return type(exc).__name__
    return "ok"


if where == "thread":
    with ThreadPoolExecutor(1) as threads:
        print(threads.submit(run).result())
else:
    print(run())
'''


def crashes(kind: str, depth: int, where: str) -> bool:
    done = subprocess.run([sys.executable, "-c", CHILD, kind, str(depth), where], capture_output=True, check=False)
    return done.returncode != 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kinds", default="brace,paren,update")
    parser.add_argument("--where", default="thread")
    parser.add_argument("--high", type=int, default=8000)
    args = parser.parse_args()
    print("| nesting | where | deepest that parses | first that crashes |\n|---|---|---:|---:|")
    for where in args.where.split(","):
        for kind in args.kinds.split(","):
            low, high = 1, args.high
            if not crashes(kind, high, where):
                print(f"| {kind} | {where} | >= {high} | – |", flush=True)
                continue
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (low, middle) if crashes(kind, middle, where) else (middle, high)
            print(f"| {kind} | {where} | {low:,} | {high:,} |", flush=True)


if __name__ == "__main__":
    main()
