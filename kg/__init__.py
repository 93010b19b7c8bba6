"""newskg: a knowledge graph of crisis news, served over SPARQL.

The Python API (`kg.open`, `kg.extract`, `kg.ingest`) lives in `kg.api`; it is loaded on first use,
so that `import kg` stays light for the server's workers and the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["extract", "ingest", "open"]

if TYPE_CHECKING:
    from kg.api import extract, ingest, open


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
