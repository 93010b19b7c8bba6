"""The one table of formats (kg.formats) drives negotiation, the Service Description, export, load and the CLI."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg import formats
from kg.cli import app
from kg.server import negotiation

QUADS = """<http://example.com/a> <http://example.com/p> "one" <http://example.com/g1> .
<http://example.com/a> <http://example.com/p> "2"^^<http://www.w3.org/2001/XMLSchema#integer> <http://example.com/g1> .
<http://example.com/b> <http://example.com/p> "drei"@de <http://example.com/g2> .
"""
RDF_ROWS = [pytest.param(row, id=row.name) for row in formats.RDF]
SERVED_ROWS = [pytest.param(row, id=row.name) for table in (formats.RDF, formats.RESULTS) for row in table.served()]


@pytest.mark.parametrize("row", SERVED_ROWS)
def test_every_served_format_is_offered_by_negotiation_with_its_aliases(row: formats.Row) -> None:
    offers = negotiation.GRAPHS if isinstance(row.format, ox.RdfFormat) else negotiation.RESULTS
    for name in (row.media_type, *row.aliases):
        assert negotiation.choose(name, offers) == (row.media_type, row.format)


@pytest.mark.parametrize("row", SERVED_ROWS)
def test_the_aliases_are_pyoxigraphs_own(row: formats.Row) -> None:
    kind = type(row.format)
    assert all(kind.from_media_type(alias) == row.format for alias in row.aliases)


def test_a_format_for_files_only_is_not_offered() -> None:
    assert ox.RdfFormat.N3 in formats.RDF.formats
    assert ox.RdfFormat.N3 not in negotiation.GRAPHS.formats.values()
    with pytest.raises(Exception, match="available"):
        negotiation.choose("text/n3", negotiation.GRAPHS)


@pytest.mark.parametrize("row", RDF_ROWS)
def test_every_rdf_format_round_trips_through_kg_export_and_kg_load(row: formats.Row, tmp_path: Path) -> None:
    runner = CliRunner()
    source = tmp_path / "source.nq"
    source.write_text(QUADS)
    assert runner.invoke(app, ["load", str(source), "--store", str(tmp_path / "a")]).exit_code == 0
    dump = tmp_path / f"dump.{row.format.file_extension}"  # the format goes by the extension
    done = runner.invoke(app, ["export", "--store", str(tmp_path / "a"), "--output", str(dump)])
    assert done.exit_code == 0, done.output
    done = runner.invoke(app, ["load", str(dump), "--store", str(tmp_path / "b"), "--graph", "http://example.com/g1"])
    assert done.exit_code == 0, done.output
    loaded = set(ox.Store(str(tmp_path / "b")))
    expected = set(ox.parse(QUADS, formats.WIRE))
    if row.format.supports_datasets:
        assert loaded == expected
    else:  # the union of the graphs, loaded into the graph given
        assert loaded == {ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode("http://example.com/g1"))
                          for q in expected}


@pytest.mark.parametrize("row", RDF_ROWS)
def test_every_rdf_format_goes_by_its_name_extension_and_media_type(row: formats.Row) -> None:
    for name in (row.name, row.format.file_extension, f".{row.format.file_extension}", row.media_type,
                 row.format.name):
        assert formats.rdf_format(name) == row.format


def test_a_name_that_is_no_format_is_refused_with_the_names() -> None:
    with pytest.raises(ValueError, match="turtle, ntriples, nquads"):
        formats.rdf_format("text/html")
    with pytest.raises(ValueError, match="json, xml, csv, tsv"):
        formats.results_format("yaml")


def test_the_service_description_lists_the_served_formats_by_their_w3c_iri() -> None:
    from kg.server.describe import service_description

    triples = service_description(ox.Store(), "http://localhost/sparql", union=True, updates=False)
    listed = {t.object.value for t in triples if t.predicate.value.endswith("#resultFormat")}
    taken = {t.object.value for t in triples if t.predicate.value.endswith("#inputFormat")}
    w3c = "http://www.w3.org/ns/formats/"  # W3C's "Unique URIs for File Formats"
    graphs = {w3c + name for name in ("Turtle", "N-Triples", "N-Quads", "TriG", "JSON-LD", "RDF_XML")}
    assert taken == graphs  # pyoxigraph names JSON-LD https://www.w3.org/ns/formats/data/JSON-LD, not in the list
    assert listed == graphs | {w3c + f"SPARQL_Results_{name}" for name in ("JSON", "XML", "CSV", "TSV")}
