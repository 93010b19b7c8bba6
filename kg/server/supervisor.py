"""The parent process of `kg serve`: it holds the listening socket and keeps the worker processes running.

`kg.server.worker.serve` publishes the store, then replaces its own process with this module, so
the process that only watches the workers keeps nothing else in memory: 10 MB, where uvicorn's own
multiprocess supervisor took 26 MB and started multiprocessing's resource tracker (12 MB) beside it.
Each worker is a fresh interpreter, `python -m kg.server.supervisor --worker FD`, running uvicorn
with `kg.server.worker.worker_app` on the socket it inherits as file descriptor FD. A worker that
exits is replaced (that is how a worker that timed out a query retires); SIGTERM or SIGINT stops
them all, each finishing the responses it has in flight. The socket is bound before the exec
(`listen`), so a port in use is the CLI's error message, not a traceback.

    python -m kg.server.supervisor FD WORKERS
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from typing import NoReturn

from kg.errors import ServeError

MODULE = "kg.server.supervisor"  # `__name__` is "__main__" when run with -m
QUICK_EXIT = 1.0  # seconds: a worker that fails younger than this failed to start; the next one waits this long
GIVE_UP = 5  # failures to start in a row after which the supervisor stops
DRAIN = 0.5  # seconds a stopping worker reads the connections it accepted last before it closes idle ones
PR_SET_PDEATHSIG = 1  # prctl(2)


def listen(host: str, port: int) -> socket.socket:
    """The listening socket of `kg serve`, inherited across the exec to the supervisor.

    :raises ServeError: the address cannot be bound (in use, not an address of this machine).
    """
    try:
        listener = socket.create_server(
            (host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET, backlog=2048
        )
    except OSError as exc:
        raise ServeError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from None
    listener.set_inheritable(True)
    return listener


def supervise(listener: socket.socket, workers: int) -> None:
    """Run `workers` worker processes on `listener` until SIGTERM or SIGINT."""
    children: dict[int, tuple[subprocess.Popen, float]] = {}  # pid: (process, when it started)
    stopping = False
    failed = 0  # workers in a row that failed to start

    def start() -> None:
        child = subprocess.Popen(
            [sys.executable, "-m", MODULE, "--worker", str(listener.fileno())], pass_fds=(listener.fileno(),)
        )
        children[child.pid] = (child, time.monotonic())

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        for child, _ in children.values():
            child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        start()
    while children:
        pid, status = os.wait()  # PEP 475: resumed after the signal handler runs
        _, started = children.pop(pid, (None, 0.0))
        if stopping:
            continue
        code = os.waitstatus_to_exitcode(status)
        failed = failed + 1 if code != 0 and time.monotonic() - started < QUICK_EXIT else 0
        if failed >= GIVE_UP:
            print(f"kg serve: {failed} workers in a row failed to start; stopping", file=sys.stderr, flush=True)
            stop(signal.SIGTERM, None)
            continue
        if code != 0:
            print(f"kg serve: worker {pid} exited with {code}; starting another", file=sys.stderr, flush=True)
        if failed:
            time.sleep(QUICK_EXIT)
        if not stopping:
            start()
    if failed >= GIVE_UP:
        sys.exit(1)


def _die_with_parent() -> None:
    """Have the kernel send this process SIGTERM when the supervisor dies, even by SIGKILL (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: a killed supervisor leaves its workers running
        return
    if os.getppid() == 1:  # the supervisor died before the call
        os.kill(os.getpid(), signal.SIGTERM)


def work(fd: int) -> None:
    """One worker: uvicorn serving `kg.server.worker.worker_app` on the inherited listening socket `fd`."""
    import asyncio

    import uvicorn

    class Worker(uvicorn.Server):
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            # uvicorn closes every connection without a request in progress at once, and a client whose
            # request was still on its way (accepted a moment before) would get no answer. So: stop
            # accepting, the other workers take the new connections; read what arrives for DRAIN; then stop.
            for server in self.servers:
                server.close()
            await asyncio.sleep(DRAIN)
            await super().shutdown(sockets)

    from kg.server.coalesce import Protocol

    _die_with_parent()
    config = uvicorn.Config(
        "kg.server.worker:worker_app",
        factory=True,
        loop="uvloop",
        http=Protocol,
        lifespan="on",
        log_level="warning",
        access_log=False,
    )
    Worker(config).run(sockets=[socket.socket(fileno=fd)])


def become(listener: socket.socket, workers: int, environment: dict[str, str]) -> NoReturn:
    """Replace this process (same pid, the socket kept open) with the supervisor, in `environment`, which
    its workers inherit (kg.config.child_environment)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, "-m", MODULE, str(listener.fileno()), str(workers)], environment)


if __name__ == "__main__":
    if sys.argv[1] == "--worker":
        work(int(sys.argv[2]))
    else:
        supervise(socket.socket(fileno=int(sys.argv[1])), int(sys.argv[2]))
