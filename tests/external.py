"""Other triple stores, started by the tests on loopback: an Oxigraph server and Virtuoso.

A missing server binary skips the test with the reason, except in CI (CI=true), where it fails:
.ci/run installs both, so a missing one there is a broken set-up, not a reason to pass.
"""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import httpx
import pytest

from kg.push import GraphStore, SparqlUpdate, Target
from tests.conftest import HTTP, free_port

VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {dir}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
"""
# the anonymous SPARQL user of /sparql may then run SPARQL Update (kg push --via update)
VIRTUOSO_GRANT = 'GRANT SPARQL_UPDATE TO "SPARQL";'


def require(binary: str, package: str) -> str:
    """The path of `binary` (the venv's bin first); skip, or in CI fail, when it is missing."""
    beside = Path(sys.executable).parent / binary
    found = str(beside) if beside.is_file() else shutil.which(binary)
    if found:
        return found
    reason = f"{binary!r} not found on PATH: install {package}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (.ci/run installs it in CI)")
    pytest.skip(reason)


def _wait(proc: subprocess.Popen, url: str, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            if HTTP.get(url, params={"query": "ASK {}"}, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not come up in {seconds} s: {log.read_text(errors='replace')[-2000:]}")


@contextmanager
def _running(command: list[str], query_url: str, log: Path, cwd: Path) -> Iterator[None]:
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait(proc, query_url, log)
            yield
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


@dataclass(frozen=True)
class Endpoints:
    query: str  # SPARQL 1.1 Protocol query endpoint
    gsp: str  # SPARQL 1.1 Graph Store HTTP Protocol endpoint
    update: str  # SPARQL 1.1 Update endpoint
    user: str | None = None  # credentials the Graph Store endpoint wants (HTTP digest)
    password: str | None = None
    isql: tuple[str, ...] = ()  # Virtuoso's SQL client, connected as dba: append "exec=..."
    load_dir: Path | None = None  # a directory the server's bulk loader may read

    def target(self, kind: type[Target]) -> Target:
        """Where `kg push --via` goes on this server."""
        if kind is SparqlUpdate:
            return SparqlUpdate(self.update)
        assert kind is GraphStore, kind
        return GraphStore(self.gsp, user=self.user, password=self.password, digest=self.user is not None)


@contextmanager
def oxigraph_server(workdir: Path) -> Iterator[Endpoints]:
    """`oxigraph serve` on a free loopback port, over a store in `workdir`, the default graph the union."""
    binary = require("oxigraph", "the PyPI package 'oxigraph'")
    url = f"http://127.0.0.1:{free_port()}"
    command = [binary, "serve", "--location", str(workdir / "oxigraph"), "--bind", url.removeprefix("http://"),
               "--union-default-graph"]
    with _running(command, url + "/query", workdir / "oxigraph.log", workdir):
        yield Endpoints(query=url + "/query", gsp=url + "/store", update=url + "/update")


@contextmanager
def virtuoso_server(workdir: Path) -> Iterator[Endpoints]:
    """`virtuoso-t` in the foreground with a minimal virtuoso.ini in `workdir`, on free loopback ports."""
    binary = require("virtuoso-t", "the Debian package 'virtuoso-opensource'")
    isql = require("isql-vt", "the Debian package 'virtuoso-opensource'")
    sql_port, http_port = free_port(), free_port()
    ini = workdir / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=workdir, sql_port=sql_port, http_port=http_port))
    url = f"http://127.0.0.1:{http_port}"
    with _running([binary, "+foreground", "+configfile", str(ini)], url + "/sparql", workdir / "out.log", workdir):
        client = (isql, f"127.0.0.1:{sql_port}", "dba", "dba")
        isql_exec(client, VIRTUOSO_GRANT)
        yield Endpoints(query=url + "/sparql", gsp=url + "/sparql-graph-crud-auth", update=url + "/sparql",
                        user="dba", password="dba", isql=client, load_dir=workdir)


def isql_exec(client: tuple[str, ...], sql: str) -> str:
    """Run SQL in Virtuoso through isql; its output, or an assertion error with it."""
    done = subprocess.run([*client, f"exec={sql}"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "*** Error" not in done.stdout, done.stdout + done.stderr
    return done.stdout


def _term(binding: dict) -> tuple:
    """A result term in a form two stores agree on: numbers by value, whatever their datatype."""
    if binding["type"] == "literal" or binding["type"] == "typed-literal":
        datatype = binding.get("datatype", "")
        if datatype.startswith("http://www.w3.org/2001/XMLSchema#") and datatype.rsplit("#", 1)[1] in NUMERIC:
            try:
                return ("number", Decimal(binding["value"]).normalize())
            except InvalidOperation:
                pass
        if datatype in WKT:
            # Virtuoso turns a geo:wktLiteral into its own geometry type, with float32 coordinates
            numbers = re.findall(r"-?\d+(?:\.\d+)?", binding["value"])
            return ("wkt", tuple(struct.unpack("f", struct.pack("f", float(n)))[0] for n in numbers))
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            datatype = ""
        return ("literal", binding["value"], datatype, binding.get("xml:lang", ""))
    return (binding["type"], binding["value"])


WKT = {"http://www.opengis.net/ont/geosparql#wktLiteral", "http://www.openlinksw.com/schemas/virtrdf#Geometry"}
NUMERIC = {"integer", "int", "long", "short", "decimal", "double", "float", "nonNegativeInteger",
           "positiveInteger", "unsignedInt", "unsignedLong"}


def select(endpoint: str, query: str) -> tuple[list[str], list[tuple]]:
    """The rows of a SELECT over HTTP (SPARQL 1.1 Protocol, JSON results), as tuples of terms."""
    response = HTTP.post(endpoint, data={"query": query}, headers={"Accept": "application/sparql-results+json"},
                          timeout=60)
    assert response.status_code == 200, f"{endpoint}: {response.status_code} {response.text[:500]}"
    body = response.json()
    variables = body["head"]["vars"]
    return variables, [tuple(_term(row[v]) if v in row else None for v in variables)
                       for row in body["results"]["bindings"]]


def _unordered_concats(query: str, variables: list[str], rows: list[tuple]) -> list[tuple]:
    """`rows` with each GROUP_CONCAT's parts sorted."""
    found = re.findall(r'GROUP_CONCAT\((?:DISTINCT\s+)?\?\w+\s*;\s*separator\s*=\s*"([^"]*)"\)\s+AS\s+\?(\w+)',
                       query, re.IGNORECASE)
    concats = {variables.index(name): separator for separator, name in found if name in variables}
    if not concats:
        return rows

    def sort(term, separator: str):
        if not term or term[0] != "literal":
            return term
        return (term[0], separator.join(sorted(term[1].split(separator))), *term[2:])

    return [tuple(sort(t, concats[i]) if i in concats else t for i, t in enumerate(row)) for row in rows]


def _order_keys(query: str, variables: list[str]) -> list[int] | None:
    """Positions of the ORDER BY variables among the projected ones; None without ORDER BY or if one is hidden."""
    match = re.search(r"\bORDER\s+BY\b(.*?)(\bLIMIT\b|\bOFFSET\b|$)", query, re.IGNORECASE | re.DOTALL)
    if not match:
        return None
    names = re.findall(r"\?(\w+)", match.group(1))
    if not names or any(name not in variables for name in names):
        return None
    return [variables.index(name) for name in names]


def answers(query: str, endpoint: str) -> list:
    """What a query answers, comparable across stores: ordered where ORDER BY decides the order.

    Rows tied on the ORDER BY keys may come in any order, so each run of ties is a sorted group; the
    parts of a GROUP_CONCAT come in any order too (SPARQL 1.1, 18.5.1.7), so they are sorted.
    """
    variables, rows = select(endpoint, query)
    rows = _unordered_concats(query, variables, rows)
    keys = _order_keys(query, variables)
    if keys is None:
        return sorted(rows, key=repr)
    groups: list[tuple[tuple, list]] = []
    for row in rows:
        key = tuple(row[k] for k in keys)
        if groups and groups[-1][0] == key:
            groups[-1][1].append(row)
        else:
            groups.append((key, [row]))
    return [(key, sorted(group, key=repr)) for key, group in groups]


def difference(theirs: list, ours: list) -> str:
    """The first place where two `answers` differ, for an assertion message."""
    for position, (mine, other) in enumerate(zip(ours, theirs)):
        if mine != other:
            return f"row group {position}: ours {mine!r}, theirs {other!r}"
    return f"{len(ours)} row groups ours, {len(theirs)} theirs"
