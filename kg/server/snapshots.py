"""Snapshots of the store: what `kg serve`'s workers read, and the one way they write.

Workers never open the store itself: opening read-only handles on a store another process writes
is undefined in Oxigraph. They query a generation instead, a checkpoint of the store
(`Store.backup`, hard links) in `<store>.snapshots/gen-N-T`, named by the file `CURRENT`. A write
takes an exclusive lock, opens the store read-write, applies the change, checkpoints a new
generation, closes the store and replaces `CURRENT`. Every request costs one `os.stat` of
`CURRENT`, and a worker that sees it changed reopens the newest generation, so a write is seen by
the next request on any worker. A generation is deleted once it has been out of date for longer
than a query may run.

Nothing here knows about HTTP: the errors are kg.server.errors', answered by the app.
"""

from __future__ import annotations

import fcntl
import itertools
import multiprocessing
import multiprocessing.forkserver
import os
import shutil
import threading
import time
from collections.abc import Callable
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TypeVar

import anyio.to_thread
import pyoxigraph as ox

from kg import search
from kg.config import Settings
from kg.errors import StoreError
from kg.server.errors import HTTPError, QueryFailed, StoreBusy, UpdateTimedOut
from kg.server.limits import forget_frames

T = TypeVar("T")
Store = ox.Store  # the annotations inside `Snapshots`, where `ox` is its property

GRACE_MARGIN = 10.0  # seconds an out-of-date generation outlives the longest query
WRITE_PRELOAD = [
    "kg.search",
    "kg.server.snapshots",
    "kg.server.executor",
    "kg.server.store_protocol",
]  # what a write process needs


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

    async def write(self, change: Callable[[Store], T]) -> T:
        """Apply `change` to the store opened read-write and publish the result; nothing if it raises.

        With a `timeout`, `change` must pickle: it runs in a process of its own (`_write_apart`). The
        search index in the store is brought in step before the new generation is published.

        :raises UpdateTimedOut: `change` ran longer than `timeout`; it was stopped, and nothing changed.
        """
        indexed = partial(_change_and_index, change=change, index=search.index_of(self.store))
        return await anyio.to_thread.run_sync(self._locked_write, indexed, self.timeout)

    def close(self) -> None:
        self._ox = None
        self._seen = None
        self.generation = None

    def _locked_write(self, change: Callable[[Store], T], timeout: float | None = None) -> T:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "lock", "ab") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            try:
                return self._write(change) if timeout is None else self._write_apart(change, timeout)
            except BaseException as exc:
                # the traceback's frames hold the store open; free them before the lock is released
                forget_frames(exc)
                raise

    def _write(self, change: Callable[[Store], T]) -> T:
        try:  # not kg.store.open_ox: kg.store brings rdflib's SPARQL engine, 8 MB a worker that only reads
            self.store.mkdir(parents=True, exist_ok=True)
            primary = ox.Store(str(self.store))
        except OSError as exc:  # RocksDB's lock: `kg ingest` or `kg load` is writing it
            raise StoreBusy(
                f"The store is being written by another process (kg ingest or kg load?); nothing "
                f"was changed, try again when it is done. (Cannot open store {str(self.store)!r}: {exc})"
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

    def _write_apart(self, change: Callable[[Store], T], timeout: float) -> T:
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


def _change_and_index(primary: Store, change: Callable[[Store], T], index: Path) -> T:
    """`change`, then the search index read again from the store (a write may change any title or text)."""
    result = change(primary)
    search.sync(primary, index, recheck=True)
    return result


def prepare_writes() -> multiprocessing.context.ForkServerContext:
    """The context of the write processes; its fork server is started (in the background) by the first call."""
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, multiprocessing.context.ForkServerContext)
    context.set_forkserver_preload(WRITE_PRELOAD)
    threading.Thread(target=multiprocessing.forkserver.ensure_running, daemon=True).start()
    return context


def _write_child(store: Path, grace: float, change: Callable[[Store], T], send: Connection) -> None:
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


def republish(settings: Settings) -> bool:
    """Publish `settings.store` as it is now, if `kg serve` ever served it: its next request sees the change.

    For the commands that write the store itself (`kg ingest`, `kg load`); False when no server ever
    read this store, and nothing is done.
    """
    snapshots = snapshots_of(settings)
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


__all__ = ["GRACE_MARGIN", "Snapshots", "open_snapshots", "prepare_writes", "republish", "snapshots_of"]
