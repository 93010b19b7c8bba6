"""`kg load`: every dump format through Oxigraph's bulk loader; a broken file loads nothing."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import InputError, LoadError
from kg.load import load
from kg.store import KGStore
from tests.conftest import run_kg

QUADS = """<http://example.com/a> <http://example.com/p> "one" <http://example.com/g1> .
<http://example.com/a> <http://example.com/p> "2"^^<http://www.w3.org/2001/XMLSchema#integer> <http://example.com/g1> .
<http://example.com/b> <http://example.com/p> "drei"@de <http://example.com/g2> .
"""
TRIPLES = """<http://example.com/c> <http://example.com/p> "three" .
<http://example.com/d> <http://example.com/p> <http://example.com/c> .
"""
# the third line has no closing quote: line 3, column 47 is where the parser gives up
BROKEN = """<http://example.com/x> <http://example.com/p> "fine" .
<http://example.com/y> <http://example.com/p> "fine" .
<http://example.com/z> <http://example.com/p> "unterminated .
"""
ALREADY = ox.Quad(ox.NamedNode("http://example.com/kept"), ox.NamedNode("http://example.com/p"), ox.Literal("kept"))


def _write(path: Path, text: str, fmt: ox.RdfFormat) -> Path:
    source = ox.RdfFormat.N_QUADS if fmt.supports_datasets else ox.RdfFormat.N_TRIPLES
    path.write_bytes(ox.serialize(ox.parse(text, source), format=fmt))
    return path


@pytest.fixture
def store(tmp_path: Path) -> KGStore:
    kg_store = KGStore(tmp_path / "store")
    kg_store.ox.add(ALREADY)
    return kg_store


@pytest.mark.parametrize("suffix, fmt, text", [
    pytest.param("nq", ox.RdfFormat.N_QUADS, QUADS, id="nquads"),
    pytest.param("trig", ox.RdfFormat.TRIG, QUADS, id="trig"),
    pytest.param("jsonld", ox.RdfFormat.JSON_LD, QUADS, id="jsonld"),
    pytest.param("ttl", ox.RdfFormat.TURTLE, TRIPLES, id="turtle"),
    pytest.param("nt", ox.RdfFormat.N_TRIPLES, TRIPLES, id="ntriples"),
])
def test_every_dump_format_loads_its_quads(store: KGStore, tmp_path: Path, suffix: str, fmt: ox.RdfFormat,
                                           text: str) -> None:
    path = _write(tmp_path / f"data.{suffix}", text, fmt)
    report = load(store, [path])
    source = ox.RdfFormat.N_QUADS if fmt.supports_datasets else ox.RdfFormat.N_TRIPLES
    expected = set(ox.parse(text, source))
    assert set(store.ox) == expected | {ALREADY}
    assert report.added == len(expected) and report.quads == len(expected) + 1


def test_triples_go_to_the_named_graph_given(store: KGStore, tmp_path: Path) -> None:
    path = _write(tmp_path / "data.ttl", TRIPLES, ox.RdfFormat.TURTLE)
    load(store, [path], graph="http://example.com/imported")
    graph = ox.NamedNode("http://example.com/imported")
    assert len(list(store.ox.quads_for_pattern(None, None, None, graph))) == 2


@pytest.mark.parametrize("files", [
    pytest.param(["broken.nt"], id="one-broken-file"),
    pytest.param(["good.nq", "broken.nt"], id="good-file-then-broken-file"),
])
def test_broken_file_fails_with_line_and_column_and_loads_nothing(store: KGStore, tmp_path: Path,
                                                                  files: list[str]) -> None:
    (tmp_path / "good.nq").write_text(QUADS)
    (tmp_path / "broken.nt").write_text(BROKEN)
    with pytest.raises(LoadError, match=r"broken\.nt: line 3 column 47: .*store keeps what it had") as caught:
        load(store, [tmp_path / name for name in files])
    assert (caught.value.line, caught.value.column) == (3, 47)
    assert set(store.ox) == {ALREADY}


def test_unknown_suffix_is_an_error_that_names_the_file(store: KGStore, tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("a,b\n")
    with pytest.raises(InputError, match=r"data\.csv"):
        load(store, [tmp_path / "data.csv"])


def test_cli_reports_the_broken_line_and_keeps_the_store(tmp_path: Path) -> None:
    (tmp_path / "good.nq").write_text(QUADS)
    broken_file = tmp_path / ("a-long-directory-name-" * 4) / "broken.nt"  # longer than a terminal line
    broken_file.parent.mkdir()
    broken_file.write_text(BROKEN)
    store = str(tmp_path / "store")
    loaded = run_kg("load", tmp_path / "good.nq", "--store", store)
    assert loaded.returncode == 0 and "3 quads added from 1 file " in loaded.stderr, loaded.stderr
    broken = run_kg("load", broken_file, "--store", store)
    assert broken.returncode == 2
    assert broken.stderr == (f"error: {broken_file}: line 3 column 47: Unexpected end of file. "
                             "Nothing was loaded: the store keeps what it had.\n")
    assert len(KGStore(Path(store)).ox) == 3
