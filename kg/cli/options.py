"""What the commands of `kg` share: the options of every command, the console, the progress bar, the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from kg import config, formats

# messages go out unwrapped, one a line: a path or IRI in an error can be copied, whatever the terminal width
err = Console(stderr=True, soft_wrap=True)

StoreOption = Annotated[
    Path,
    typer.Option(
        "--store",
        help="Store directory (`ingest` and `load` create it when missing). Env: KG_STORE.",
        default_factory=lambda: config.settings().store,
        show_default="data/store",
    ),
]


def _rdf_format(value: str | None):
    """--format: a name (nquads, turtle...), a file extension or a media type of kg.formats."""
    from kg.formats import rdf_format

    if value is None:
        return None
    try:
        return rdf_format(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


RdfFormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help=f"{', '.join(row.name for row in formats.RDF)}, or an extension or media type "
        "(default: from the file's extension).",
        callback=_rdf_format,
    ),
]


def plural(count: int, noun: str) -> str:
    """`1 document`, `2 documents`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


@contextmanager
def progress(what: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on a terminal (nothing otherwise), fed as `progress(done, total)`."""
    bar = Progress(
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not err.is_terminal,
        transient=True,
    )
    task = bar.add_task(what, total=None)
    with bar:
        yield lambda done, total: bar.update(task, completed=done, total=total)


def open_store(store: Path, *, create: bool = False):
    """The store at `store`. Only the commands that write a store create one: the others say there is none."""
    from kg.store import KGStore

    return KGStore(store, create=create)


def settings_with(**flags: object) -> config.Settings:
    """This command's settings: the environment's (read once), with its flags."""
    return config.settings().model_copy(update=flags)


def republish(store: Path) -> None:
    """Let a `kg serve` of `store` see what was just written (kg.server.snapshots.republish)."""
    from kg.server import snapshots

    if snapshots.republish(settings_with(store=store)):
        err.print(f"published to kg serve: its next request sees the change ({store}.snapshots)", highlight=False)
