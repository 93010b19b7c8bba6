"""The query timeout: a call run in a thread and given up after a time, and what happens to a worker then.

pyoxigraph cannot cancel a query (oxigraph issue #1926). `bounded` runs the evaluation in one of
the worker's KG_QUERY_THREADS threads; when the timeout passes first, the client gets 503 and the
`retire` hook passed in is called (`kg serve`'s worker stops accepting, finishes the responses in
flight and exits with the runaway thread; kg.server.worker). A call that timed out still waiting
for a thread is dropped, and nothing retires.

Nothing here knows about HTTP: the errors are kg.server.errors', answered by the app.
"""

from __future__ import annotations

import asyncio
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TypeVar

from kg.server.errors import QueryTimedOut

T = TypeVar("T")


async def bounded(
    call: Callable[[], T],
    timeout: float,
    threads: Executor | None = None,
    retire: Callable[[], None] | None = None,
) -> T:
    """`call()` in one of `threads` (the loop's default executor for None), given up after `timeout` seconds.

    The time a call waits for a free thread counts. A call given up before it started never starts;
    one given up while it runs cannot be stopped, so `retire()` is called (when given), and the
    thread ends with the process.

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
        if running and retire is not None:
            retire()
        raise QueryTimedOut(f"Query timed out after {timeout:g} s and was aborted.") from None


@dataclass(frozen=True)
class Limits:
    """How the evaluations of one app run: `timeout` seconds each, in `threads`, `retire` on a runaway."""

    timeout: float
    threads: Executor | None = None
    retire: Callable[[], None] | None = None  # called when a call overran in a thread that cannot be stopped

    async def run(self, call: Callable[[], T]) -> T:
        """`bounded(call)` under these limits."""
        return await bounded(call, self.timeout, self.threads, self.retire)


def forget_frames(exc: BaseException) -> None:
    """Clear the locals of the frames in `exc`'s traceback, and in those of its cause and context.

    Called on the thread that raised it: what the frames held (query solutions above all, which
    pyo3 cannot free on another thread and then leaks) is freed here, not wherever the exception
    is finally dropped.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        if current.__cause__ is not None:
            forget_frames(current.__cause__)
        current = current.__context__


__all__ = ["Limits", "bounded", "forget_frames"]
