"""Settings: one class, read from the KG_* environment and from CLI flags; the only module that reads
or writes `os.environ`.

`settings()` is this process's settings, read once. `kg serve` hands its settings (flags included)
to its worker processes as the environment of the child (`child_environment`), never by writing its
own. A bad value is one line that names the variable (`ConfigError`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from kg.errors import KGError
from kg.namespaces import DEFAULT_BASE

PREFIX = "KG_"
# glibc gives each thread that allocates an arena of its own, and memory freed in one is kept for it.
# Under 16 concurrent aggregate queries on the 1M-triple bench store, one arena per process took the
# whole server from 272-290 MB at peak (two arenas) to 232 MB, at the same CPU per query
WORKER_ENVIRONMENT = {"MALLOC_ARENA_MAX": "1"}  # defaults for `kg serve`'s processes; a value already set wins

Names = Annotated[tuple[str, ...], NoDecode]  # comma-separated in the environment


class ConfigError(KGError, ValueError):
    """A KG_* value that is not valid (or a flag's), named."""


class Settings(BaseSettings):
    """Everything newskg reads from the environment (KG_*); CLI flags are given as keyword arguments."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_ignore_empty=True, frozen=True, populate_by_name=True, extra="forbid"
    )

    store: Path = Path("data/store")
    base: str = DEFAULT_BASE  # the namespace of document and entity IRIs
    spacy_model: str | None = None  # the spaCy pipeline; None: the first installed default (kg.pipeline)
    update_token: str | None = None  # writes are off without it
    # `kg push`'s credentials for the target store, when not given as flags (they would show in `ps`)
    push_token: str | None = None
    push_password: str | None = None
    query_timeout: float = 30.0
    # evaluations a worker runs at once (lookups aside); more than the cores only adds memory
    query_threads: int = Field(default_factory=lambda: os.cpu_count() or 2)
    service_allow: Names = ()
    cors_origins: Names = ("*",)
    max_body_bytes: int = Field(10 * 1024 * 1024, validation_alias=AliasChoices("KG_MAX_BODY", "max_body_bytes"))
    max_query_length: int = 100_000
    max_rows: int = 100_000
    # how deep ( [ { may nest in a query or update. Oxigraph's parser recurses once a level: a query thread's
    # 8 MB stack overflows (the worker dies) at 2,189 nested { }, and nested [ ] or ( ) in a triple take
    # time growing as the 4th power of the depth (1.6 s at 64). bench/README.md, "Nesting"
    max_query_depth: int = 32
    union_default_graph: bool = True
    # files derived once from the libraries' data (the gazetteer's small towns): rebuilt when missing
    cache_dir: Path = Field(default_factory=lambda: Path.home() / ".cache" / "newskg")
    # documents the ingest writer (kg.writer) bulk-loads at once, their quads held in memory meanwhile
    write_batch: int = Field(500, ge=1)
    # fault injection for the crash tests: a store SIGKILLs its own process just before its Nth write,
    # so that every point between two writes can be reached on purpose; 0: never
    kill_at_write: int = 0

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise ConfigError(_one_line(exc)) from None

    @field_validator("service_allow", "cors_origins", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(item.strip() for item in value.split(",") if item.strip())
        return value

    @field_validator("cors_origins")
    @classmethod
    def _any_origin(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return value or ("*",)

    @field_validator("query_threads")
    @classmethod
    def _at_least_one(cls, value: int) -> int:
        return max(1, value)

    @field_validator("spacy_model", "update_token", "push_token", "push_password", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    def environment(self) -> dict[str, str]:
        """These settings as the KG_* variables that give them back (`Settings()` in a child process)."""
        env = {}
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            if value is None:
                continue
            alias = info.validation_alias
            key = alias.choices[0] if isinstance(alias, AliasChoices) else PREFIX + name.upper()
            if isinstance(value, tuple):
                value = ",".join(value)
            elif isinstance(value, bool):
                value = int(value)
            env[str(key)] = str(value)
        return env


def _one_line(exc: ValidationError) -> str:
    """`KG_QUERY_TIMEOUT='soon': not a number (input should be a valid number...)`, for the first error."""
    error = exc.errors()[0]
    field = str(error["loc"][0]) if error["loc"] else "?"
    name = field if field.startswith(PREFIX) else PREFIX + field.upper()
    return f"Config {name}={error.get('input')!r} is not valid: {error['msg']}."


@lru_cache(maxsize=1)
def settings() -> Settings:
    """This process's settings, from its environment, read once."""
    return Settings()


def reload() -> Settings:
    """Read the environment again: `settings()` from now on (each run of the CLI, also in one process)."""
    settings.cache_clear()
    return settings()


def kill_at_write() -> int | None:
    """The crash tests' KG_KILL_AT_WRITE, read afresh: they set it in a process forked after `settings()`."""
    value = Settings().kill_at_write
    return value if value > 0 else None


def child_environment(settings: Settings) -> dict[str, str]:
    """The environment of a child process that reads `settings` (`kg serve`'s workers): ours, with every
    KG_* variable replaced by `settings`' own and the defaults of WORKER_ENVIRONMENT."""
    inherited = {key: value for key, value in os.environ.items() if not key.startswith(PREFIX)}
    return {**WORKER_ENVIRONMENT, **inherited, **settings.environment()}


__all__ = ["ConfigError", "Settings", "child_environment", "kill_at_write", "reload", "settings"]
