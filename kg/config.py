"""Settings read from the environment, with the defaults a fresh checkout needs."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kg.namespaces import DEFAULT_BASE


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"Config {name!r} has value {raw!r}. Not a number.") from None


def _env_int(name: str, default: int) -> int:
    return int(_env_float(name, default))


def _env_list(name: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in os.environ.get(name, "").split(",") if item.strip())


def default_store() -> Path:
    return Path(os.environ.get("KG_STORE", "data/store"))


def base_iri() -> str:
    return os.environ.get("KG_BASE", DEFAULT_BASE)


@dataclass(frozen=True)
class Settings:
    """What `kg serve` reads from the environment (KG_*)."""

    store: Path = field(default_factory=default_store)
    base: str = field(default_factory=base_iri)
    update_token: str | None = field(default_factory=lambda: os.environ.get("KG_UPDATE_TOKEN") or None)
    query_timeout: float = field(default_factory=lambda: _env_float("KG_QUERY_TIMEOUT", 30.0))
    # evaluations a worker runs at once (lookups aside); more than the cores only adds memory
    query_threads: int = field(default_factory=lambda: max(1, _env_int("KG_QUERY_THREADS", os.cpu_count() or 2)))
    service_allow: tuple[str, ...] = field(default_factory=lambda: _env_list("KG_SERVICE_ALLOW"))
    cors_origins: tuple[str, ...] = field(default_factory=lambda: _env_list("KG_CORS_ORIGINS") or ("*",))
    max_body_bytes: int = field(default_factory=lambda: _env_int("KG_MAX_BODY", 10 * 1024 * 1024))
    max_query_length: int = field(default_factory=lambda: _env_int("KG_MAX_QUERY_LENGTH", 100_000))
    max_rows: int = field(default_factory=lambda: _env_int("KG_MAX_ROWS", 100_000))
    # how deep ( [ { may nest in a query or update. Oxigraph's parser recurses once a level: a query thread's
    # 8 MB stack overflows (the worker dies) at 2,189 nested { }, and nested [ ] or ( ) in a triple take
    # time growing as the 4th power of the depth (1.6 s at 64). bench/README.md, "Nesting"
    max_query_depth: int = field(default_factory=lambda: _env_int("KG_MAX_QUERY_DEPTH", 32))
    union_default_graph: bool = field(
        default_factory=lambda: os.environ.get("KG_UNION_DEFAULT_GRAPH", "1").lower() not in ("0", "false", "no")
    )


def kill_at_write() -> int | None:
    """Fault injection for the crash tests (KG_KILL_AT_WRITE=N): a store SIGKILLs its own process just
    before its Nth write, so that every point between two writes can be reached on purpose."""
    value = _env_int("KG_KILL_AT_WRITE", 0)
    return value if value > 0 else None
