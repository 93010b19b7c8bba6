"""The `kg` command line as a new user meets it: clear errors, no empty stores made by reading, formats
by extension or --format, and messages that say what they count."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conftest import run_kg as kg

QUADS = '<http://example.com/a> <http://example.com/p> "one" <http://example.com/g> .\n'


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("cli")
    (work / "data.nquads").write_text(QUADS)
    done = kg("load", str(work / "data.nquads"), "--store", str(work / "store"))
    assert done.returncode == 0 and "1 quad added from 1 file " in done.stderr, done.stderr
    return work / "store"


@pytest.mark.parametrize("command", [["stats"], ["export"], ["validate"], ["query", "ASK {}"], ["serve"]])
def test_read_commands_say_there_is_no_store_and_create_none(command: list[str], tmp_path: Path) -> None:
    missing = tmp_path / ("a-long-directory-name-" * 4) / "nothing-here"  # longer than a terminal line
    done = kg(*command, "--store", str(missing))
    assert done.returncode == 2
    assert done.stderr == (f"error: No store at '{missing}': `kg ingest` or `kg load` creates one "
                           "(or pass --store, or set KG_STORE).\n")
    assert not missing.exists()


def test_export_into_a_missing_directory_is_a_clear_error(loaded: Path, tmp_path: Path) -> None:
    missing = tmp_path / ("a-long-directory-name-" * 4) / "missing-dir"  # longer than a terminal line
    done = kg("export", "--store", str(loaded), "-o", str(missing / "x.nq"))
    assert done.returncode == 2
    assert done.stderr == f"error: Cannot write '{missing / 'x.nq'}': there is no directory '{missing}'.\n"


@pytest.mark.parametrize("name, fmt", [("out.nquads", ox.RdfFormat.N_QUADS), ("out.nq", ox.RdfFormat.N_QUADS),
                                       ("out.trig", ox.RdfFormat.TRIG), ("out.ttl", ox.RdfFormat.TURTLE)])
def test_export_takes_the_format_from_the_extension(loaded: Path, tmp_path: Path, name: str,
                                                     fmt: ox.RdfFormat) -> None:
    out = tmp_path / name
    assert kg("export", "--store", str(loaded), "-o", str(out)).returncode == 0
    parsed = list(ox.parse(path=out, format=fmt))
    assert [str(q.object) for q in parsed] == ['"one"']
    assert not list(tmp_path.glob(".*partial"))


def test_load_takes_a_format_for_any_file_name(loaded: Path, tmp_path: Path) -> None:
    (tmp_path / "data.dump").write_text(QUADS.replace("one", "two"))
    refused = kg("load", str(tmp_path / "data.dump"), "--store", str(tmp_path / "store"))
    assert refused.returncode == 2 and "--format" in refused.stderr
    done = kg("load", str(tmp_path / "data.dump"), "--format", "application/n-quads", "--store", str(tmp_path / "store"))
    assert done.returncode == 0 and "1 quad added" in done.stderr


def test_stats_says_what_its_triples_count(loaded: Path) -> None:
    done = kg("stats", "--store", str(loaded))
    assert done.returncode == 0 and "triples: 1 (every graph" in done.stdout
