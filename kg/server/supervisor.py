"""The parent process of `kg serve`: uvicorn's supervisor of the worker processes, and nothing more.

`kg.server.runtime.serve` publishes the store, then replaces its own process with this module, so
the process that only watches the workers does not keep the CLI, rdflib and FastAPI in memory.
The supervisor starts a new worker whenever one exits; SIGTERM or SIGINT stops them all.

    python -m kg.server.supervisor HOST PORT WORKERS
"""
from __future__ import annotations

import os
import sys
from typing import NoReturn

import uvicorn
from uvicorn.supervisors import Multiprocess


def supervise(host: str, port: int, workers: int) -> None:
    """Run `workers` processes of `kg.server.runtime.worker_app` on one socket until stopped."""
    config = uvicorn.Config("kg.server.runtime:worker_app", factory=True, host=host, port=port, workers=workers,
                            loop="uvloop", http="httptools", lifespan="on", log_level="warning", access_log=False)
    Multiprocess(config, sockets=[config.bind_socket()]).run()


def become(host: str, port: int, workers: int) -> NoReturn:
    """Replace this process (same pid, same environment) with the supervisor."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", __name__, host, str(port), str(workers)])


if __name__ == "__main__":
    supervise(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
