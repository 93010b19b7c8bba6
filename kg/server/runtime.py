"""How `kg serve` runs: worker processes over read-only snapshots, and a query timeout that stops the work.

Workers. `serve` hands over to `kg.server.supervisor`, which holds the socket and keeps N uvicorn
worker processes on it, starting a new one whenever one exits. Each worker builds the app with
`worker_app` and reads the store through `Snapshots`.

Snapshots. Workers never open the store itself: opening read-only handles on a store another
process writes is undefined in Oxigraph. They query a generation instead, a checkpoint of the store
(`Store.backup`, hard links) in `<store>.snapshots/gen-N-T`, named by the file `CURRENT`. A write
takes an exclusive lock, opens the store read-write, applies the change, checkpoints a new
generation, closes the store and replaces `CURRENT`. Every request costs one `os.stat` of
`CURRENT`, and a worker that sees it changed reopens the newest generation, so a write is seen by
the next request on any worker. A generation is deleted once it has been out of date for longer
than a query may run.

Timeout. pyoxigraph cannot cancel a query (oxigraph issue #1926). `bounded` runs the evaluation in
one of the worker's KG_QUERY_THREADS threads; when the timeout passes first, the client gets 503
and the worker retires: it stops accepting, finishes the responses in flight, and exits with the
runaway thread, and the supervisor starts a fresh worker. The other worker answers meanwhile. A
query that timed out still waiting for a thread is dropped, and the worker stays. Lookups, whose
work is bounded by the data, skip the thread (`executor.is_lookup`).
"""

from __future__ import annotations

import asyncio
import fcntl
import itertools
import multiprocessing
import multiprocessing.forkserver
import os
import shutil
import signal
import socket
import threading
import time
import traceback
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor
from contextlib import asynccontextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import NoReturn, TypeVar

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from kg.config import Settings
from kg.errors import StoreError
from kg.server.errors import HTTPError, QueryFailed, QueryTimedOut, StoreBusy, UpdateTimedOut, respond

T = TypeVar("T")

GRACE_MARGIN = 10.0  # seconds an out-of-date generation outlives the longest query
WRITE_PRELOAD = ["kg.store", "kg.server.executor", "kg.server.store_protocol"]  # what a write process needs

_retiring = False  # this worker timed out a query and is on its way out
_supervised = False  # this process is a worker of `serve`, which starts another when it exits


class Snapshots:
    """The generations of the store at `store`: the newest, read-only, on `.ox`; writes through `write`."""

    def __init__(self, store: Path, *, grace: float, timeout: float | None = None) -> None:
        self.store = store
        self.root = store.with_name(store.name + ".snapshots")
        self.grace = grace
        self.timeout = timeout  # seconds a `write` may run; None: no limit, and in this process
        self._current = self.root / "CURRENT"
        self._seen: tuple[int, int] | None = None
        self._ox: ox.Store | None = None
        self.generation: str | None = None  # the name of the generation `.ox` opened last

    @property
    def ox(self) -> ox.Store:
        """The newest generation, read-only."""
        try:
            stat = os.stat(self._current)
        except FileNotFoundError:
            raise StoreError(f"No snapshot of {str(self.store)!r} is published in {str(self.root)!r}.") from None
        if (stat.st_ino, stat.st_mtime_ns) != self._seen:
            name = self._current.read_text(encoding="utf-8").strip()
            self._ox = ox.Store.read_only(str(self.root / name))
            self._seen = (stat.st_ino, stat.st_mtime_ns)
            self.generation = name
        assert self._ox is not None
        return self._ox

    @property
    def published(self) -> bool:
        return self._current.exists()

    def publish(self) -> None:
        """Checkpoint the store as it is now (created when missing) as the newest generation."""
        self._locked_write(lambda primary: None)

    async def write(self, change: Callable[[ox.Store], T]) -> T:
        """Apply `change` to the store opened read-write and publish the result; nothing if it raises.

        With a `timeout`, `change` must pickle: it runs in a process of its own (`_write_apart`).

        :raises UpdateTimedOut: `change` ran longer than `timeout`; it was stopped, and nothing changed.
        """
        return await run_in_threadpool(self._locked_write, change, self.timeout)

    def close(self) -> None:
        self._ox = None
        self._seen = None
        self.generation = None

    def _locked_write(self, change: Callable[[ox.Store], T], timeout: float | None = None) -> T:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "lock", "ab") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            try:
                return self._write(change) if timeout is None else self._write_apart(change, timeout)
            except BaseException as exc:
                # the traceback's frames hold the store open; free them before the lock is released
                forget_frames(exc)
                raise

    def _write(self, change: Callable[[ox.Store], T]) -> T:
        from kg.store import open_ox  # here: kg.store brings rdflib's SPARQL engine, 8 MB a worker that only reads

        try:
            primary = open_ox(self.store)
        except StoreError as exc:  # RocksDB's lock: `kg ingest` or `kg load` is writing it
            raise StoreBusy(
                f"The store is being written by another process (kg ingest or kg load?); nothing "
                f"was changed, try again when it is done. ({exc})"
            ) from None
        result = change(primary)
        number = 1 + max((_number(path) for path in self.root.glob("gen-*")), default=0)
        generation = self.root / f"gen-{number}-{time.time_ns()}"
        primary.backup(str(generation))
        del primary  # closes the store before the next writer opens it
        pending = self.root / f"CURRENT.{os.getpid()}"
        pending.write_text(generation.name, encoding="utf-8")
        os.replace(pending, self._current)
        self._prune()
        return result

    def _write_apart(self, change: Callable[[ox.Store], T], timeout: float) -> T:
        """`_write(change)` in a child process, killed when it runs past `timeout` (we hold the lock meanwhile).

        pyoxigraph cannot stop an update, but a process can be killed: the store is written in one
        RocksDB transaction, committed at the end of the update or not at all, so a killed writer
        leaves it as it was. The children are forked from a fork server (multiprocessing's
        "forkserver"), which imports the store's code once: a fork of this worker, which runs threads,
        could inherit a lock some other thread held.
        """
        context = prepare_writes()
        receive, send = context.Pipe(duplex=False)
        child = context.Process(
            target=_write_child, args=(self.store, self.grace, change, send), name="kg-write", daemon=True
        )
        child.start()
        send.close()
        try:
            if not receive.poll(timeout):
                child.kill()
                raise UpdateTimedOut(f"Update timed out after {timeout:g} s and was stopped; nothing was changed.")
            try:
                done, value = receive.recv()
            except EOFError:  # it died without a word
                child.join()
                raise QueryFailed(
                    f"The write process died (exit code {child.exitcode}); nothing was changed."
                ) from None
        finally:
            child.join()
            receive.close()
        if not done:
            raise value
        return value

    def _prune(self) -> None:
        """Delete the generations that have been out of date for longer than `grace`."""
        generations = sorted(self.root.glob("gen-*"), key=_number)
        expired = time.time_ns() - int(self.grace * 1e9)
        for old, successor in itertools.pairwise(generations):
            if int(successor.name.rsplit("-", 1)[1]) < expired:
                shutil.rmtree(old, ignore_errors=True)


def prepare_writes() -> multiprocessing.context.ForkServerContext:
    """The context of the write processes; its fork server is started (in the background) by the first call."""
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, multiprocessing.context.ForkServerContext)
    context.set_forkserver_preload(WRITE_PRELOAD)
    threading.Thread(target=multiprocessing.forkserver.ensure_running, daemon=True).start()
    return context


def _write_child(store: Path, grace: float, change: Callable[[ox.Store], T], send: Connection) -> None:
    """The child of `Snapshots._write_apart`: the write, and its outcome (result or exception) sent back."""
    try:
        outcome: tuple[bool, object] = (True, Snapshots(store, grace=grace)._write(change))
    except HTTPError as exc:
        outcome = (False, exc)
    except Exception as exc:
        outcome = (False, QueryFailed(f"The write failed, nothing was changed: {exc}"))
    send.send(outcome)
    send.close()


def _number(generation: Path) -> int:
    return int(generation.name.split("-")[1])


def snapshots_of(settings: Settings) -> Snapshots:
    """The snapshots of `settings.store`; a generation outlives its successor by the longest query and a margin."""
    return Snapshots(settings.store, grace=settings.query_timeout + GRACE_MARGIN, timeout=settings.query_timeout)


def republish(store: Path) -> bool:
    """Publish `store` as it is now, if `kg serve` ever served it: its next request sees the change.

    For the commands that write the store itself (`kg ingest`, `kg load`); False when no server ever
    read this store, and nothing is done.
    """
    snapshots = snapshots_of(Settings(store=store))
    if not snapshots.published:
        return False
    snapshots.publish()
    return True


def open_snapshots(settings: Settings) -> Snapshots:
    """The snapshots of `settings.store`, publishing the first generation when there is none."""
    snapshots = snapshots_of(settings)
    if not snapshots.published:
        snapshots.publish()
    return snapshots


async def bounded(call: Callable[[], T], timeout: float, threads: Executor | None = None) -> T:
    """`call()` in one of `threads` (the loop's default executor for None), given up after `timeout` seconds.

    The time a call waits for a free thread counts. A call given up before it started never starts;
    one given up while it runs cannot be stopped, so this worker retires, and the thread ends with it.

    :raises QueryTimedOut: `call` did not finish within `timeout`.
    """
    lock = threading.Lock()
    started = given_up = False

    def run() -> T:
        nonlocal started
        with lock:
            if given_up:
                raise QueryTimedOut("given up before it started")  # nobody awaits this any more
            started = True
        try:
            return call()
        except BaseException as exc:
            forget_frames(exc)
            raise

    work = asyncio.get_running_loop().run_in_executor(threads, run)
    try:
        return await asyncio.wait_for(asyncio.shield(work), timeout)
    except TimeoutError:
        with lock:
            given_up = True
            running = started
        if running:
            _retire()
        raise QueryTimedOut(f"Query timed out after {timeout:g} s and was aborted.") from None


def forget_frames(exc: BaseException) -> None:
    """Clear the locals of the frames in `exc`'s traceback, and in those of its cause and context.

    Called on the thread that raised it: what the frames held (query solutions above all, which
    pyo3 cannot free on another thread and then leaks) is freed here, not wherever the exception
    is finally dropped.
    """
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        traceback.clear_frames(exc.__traceback__)
        if exc.__cause__ is not None:
            forget_frames(exc.__cause__)
        exc = exc.__context__  # type: ignore[assignment]


def _retire() -> None:
    """Stop this worker gracefully (uvicorn answers what is in flight); `worker_app` then ends the process."""
    global _retiring
    if _supervised and not _retiring:
        _retiring = True
        os.kill(os.getpid(), signal.SIGTERM)


class FastQuery:
    """`GET /sparql` straight to its handler; every other request to the whole app.

    Routing and the middleware stack cost several times what a point query does. A query needs
    none of them but CORS, which it gets from the same Starlette middleware and options as the app
    (`app.cors`); the refusals the app's exception handler would render are rendered here the same
    way (`errors.respond`). A preflight (OPTIONS) goes to the app.
    """

    def __init__(self, app: Starlette) -> None:
        from kg.server.app import cors  # here: the app imports this module

        self.app = app
        self.handler = next(route.endpoint for route in app.routes if getattr(route, "name", None) == "sparql")
        self.cross_origin = CORSMiddleware(self._query, **cors(app.state.settings))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] != "GET":
            await self.app(scope, receive, send)
        elif any(name == b"origin" for name, _ in scope["headers"]):
            await self.cross_origin(scope, receive, send)
        else:
            await self._query(scope, receive, send)

    async def _query(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self.app
        request = Request(scope, receive)
        try:
            response = await self.handler(request)
        except HTTPError as exc:
            response = respond(exc)
        await response(scope, receive, send)


def worker_app() -> FastQuery:
    """The app of one `serve` worker (a uvicorn factory), with its settings from the KG_* environment."""
    global _supervised
    from kg.server.app import create_app  # here: the app imports this module

    _supervised = True
    app = create_app(Settings())
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_) -> AsyncIterator[None]:
        async with inner(app_):
            yield
        if _retiring:  # the runaway thread would keep a normal exit waiting: leave without joining it
            os._exit(0)

    app.router.lifespan_context = lifespan
    return FastQuery(app)


def serve(settings: Settings, listener: socket.socket, *, workers: int) -> NoReturn:
    """Publish the store as it is now, then become the supervisor of `workers` worker processes on
    `listener` (from `kg.server.supervisor.listen`)."""
    from kg.server import supervisor

    snapshots_of(settings).publish()
    os.environ["KG_STORE"] = str(settings.store)  # the workers read their Settings from the environment
    # glibc gives each thread that allocates an arena of its own, and memory freed in one is kept for it.
    # Under 16 concurrent aggregate queries on the 1M-triple bench store, one arena per process took the
    # whole server from 272-290 MB at peak (two arenas) to 232 MB, at the same CPU per query
    os.environ.setdefault("MALLOC_ARENA_MAX", "1")
    supervisor.become(listener, workers)


__all__ = [
    "GRACE_MARGIN",
    "FastQuery",
    "Snapshots",
    "bounded",
    "forget_frames",
    "open_snapshots",
    "prepare_writes",
    "republish",
    "serve",
    "snapshots_of",
    "worker_app",
]
