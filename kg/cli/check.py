"""What the store holds: `kg stats` (documents, triples, entities, counts), `kg validate` (the shapes)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kg.cli.options import StoreOption, err, open_store, plural, progress


def stats(store: StoreOption) -> None:
    """Documents, triples, entities by class and counts by type."""
    from kg.sparql import store_stats

    kg_store = open_store(store)
    summary = store_stats(kg_store.ox)
    console = Console()
    console.print(
        f"documents: {summary['documents']}\ntriples: {summary['triples']} "
        "(every graph: documents, shared entities, ontology)",
        highlight=False,
    )
    for title, rows in (("entities by class", summary["entities"]), ("counts by type", summary["counts"])):
        table = Table("class" if "entities" in title else "type", "n", title=title)
        for name, n in rows:
            table.add_row(name, str(n))
        console.print(table)


def validate(
    store: StoreOption,
    batch: Annotated[int, typer.Option(min=1, help="Document graphs per pySHACL run.")] = 50,
    limit: Annotated[int, typer.Option(min=1, help="Violations to print.")] = 50,
) -> None:
    """Check the store against the SHACL shapes (ontology/shapes.ttl); exit 1 on violations."""
    from kg.validate import validate_store

    kg_store = open_store(store)
    with progress("validate") as advance:
        report = validate_store(kg_store, batch=batch, progress=advance)
    for violation in report.violations[:limit]:
        err.print(f"[red]violation[/red] {violation}", highlight=False)
    if len(report.violations) > limit:
        err.print(f"... and {len(report.violations) - limit} more", highlight=False)
    err.print(
        f"{plural(report.documents, 'document')}, {plural(report.triples, 'triple')} checked "
        f"in {report.seconds:.1f} s: "
        + ("conforms" if report.conforms else plural(len(report.violations), "violation")),
        highlight=False,
    )
    if not report.conforms:
        raise typer.Exit(1)
