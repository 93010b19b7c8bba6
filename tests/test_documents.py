import json
from pathlib import Path

import pytest

from kg import ingestion, rdf
from kg.documents import parse_record, read_sources
from kg.errors import InputError, RecordError
from kg.ingestion import ingest, plan
from kg.keys import doc_iri
from kg.namespaces import DEFAULT_BASE
from kg.store import KGStore


def test_txt_file_gives_id_from_stem_and_title_from_first_line(tmp_path: Path) -> None:
    (tmp_path / "rafah-closed.txt").write_text("Rafah crossing stays shut\n\nThe crossing was closed.\n")
    errors: list = []
    [article] = list(read_sources([tmp_path / "rafah-closed.txt"], errors))
    assert (article.id, article.title, errors) == ("rafah-closed", "Rafah crossing stays shut", [])


def test_broken_jsonl_line_is_reported_with_its_number_and_the_rest_still_read(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "a", "text": "One."}\n{"id": "b", "text": \n\n{"id": "c", "text": "Three.", "date": "2023-10-23"}\n')
    errors: list = []
    articles = list(read_sources([path], errors))
    assert [a.id for a in articles] == ["a", "c"]
    assert str(articles[1].date) == "2023-10-23"
    assert [(e.line, "not valid JSON" in e.message) for e in errors] == [(2, True)]


@pytest.mark.parametrize(("line", "message"), [
    pytest.param('{"text": "x"}', "'id' must be", id="missing-id"),
    pytest.param('{"id": "x"}', "'text' must be", id="missing-text"),
    pytest.param('{"id": "x", "text": "y", "date": "23 Oct"}', "not an ISO date", id="bad-date"),
    pytest.param('[1, 2]', "expected a JSON object", id="not-object"),
])
def test_bad_records_say_what_is_wrong(line: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_record(line)


def test_directory_reads_txt_and_jsonl_and_rejects_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A\nbody")
    (tmp_path / "b.jsonl").write_text('{"id": "b1", "text": "B"}\n')
    assert sorted(a.id for a in read_sources([tmp_path], [])) == ["a", "b1"]
    with pytest.raises(InputError, match="No such file"):
        list(read_sources([tmp_path / "nope.txt"], []))


# ---------------------------------------------------------------- issue 10, defect 5: one bad file costs only itself

def test_a_txt_that_is_not_utf8_is_reported_and_the_others_still_read(tmp_path: Path) -> None:
    (tmp_path / "a-good.txt").write_text("Floods in Kessa\nFloods killed 4 people.\n", encoding="utf-8")
    (tmp_path / "b-latin1.txt").write_bytes("Flood in Kessa\nThe caf\xe9 was shut.\n".encode("latin-1"))
    (tmp_path / "c.jsonl").write_text('{"id": "c1", "text": "Three people died."}\n')
    errors: list[RecordError] = []
    assert [a.id for a in read_sources([tmp_path], errors)] == ["a-good", "c1"]
    [error] = errors
    assert (error.path, error.line) == (str(tmp_path / "b-latin1.txt"), 2)
    assert "byte 0xe9 at line 2, column 8 is not UTF-8" in error.message


def test_invalid_utf8_in_a_jsonl_line_is_reported_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b'{"id": "a", "text": "One."}\n{"id": "b", "text": "caf\xe9"}\n{"id": "c", "text": "Three."}\n')
    errors: list[RecordError] = []
    assert [a.id for a in read_sources([path], errors)] == ["a", "c"]
    assert [(e.path, e.line) for e in errors] == [(str(path), 2)]
    assert "byte 0xe9 at column 25 is not UTF-8" in errors[0].message


@pytest.mark.parametrize("doc_id", [True, False, None, 1.5, [], "  "])
def test_an_id_that_is_not_a_string_or_integer_is_refused(doc_id) -> None:
    with pytest.raises(ValueError, match="'id' must be a non-empty string"):
        parse_record(json.dumps({"id": doc_id, "text": "x"}))


def test_an_integer_id_is_still_taken() -> None:
    assert parse_record('{"id": 17, "text": "x"}').id == "17"


def test_a_lone_surrogate_is_refused_as_it_cannot_be_written() -> None:
    with pytest.raises(ValueError, match="'text' holds '\\\\ud800' at character 3"):
        parse_record('{"id": "a", "text": "abc\\ud800"}')


@pytest.mark.parametrize("held", [pytest.param(True, id="held-from-the-first-read"),
                                  pytest.param(False, id="read-again")])
def test_a_duplicate_id_is_reported_where_both_are_and_the_last_is_ingested(tmp_path: Path, held, monkeypatch) -> None:
    if not held:
        monkeypatch.setattr(ingestion, "HELD_TEXT", 10)  # under the corpus's 19 characters
    (tmp_path / "a.jsonl").write_text('{"id": "x", "text": "First."}\n{"id": "y", "text": "Other."}\n')
    (tmp_path / "b.jsonl").write_text('\n{"id": "x", "text": "Second."}\n')
    errors: list[RecordError] = []
    todo = plan([tmp_path], {}, DEFAULT_BASE, "", errors)
    assert (todo.held is not None) == held
    [error] = errors
    assert (error.path, error.line) == (str(tmp_path / "a.jsonl"), 1)
    assert f"id 'x' is used again at {tmp_path / 'b.jsonl'}:2" in error.message
    assert [(a.id, a.text) for a in todo.articles()] == [("y", "Other."), ("x", "Second.")]


def test_ingest_goes_on_past_a_bad_file(tmp_path: Path, nlp) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe not text")
    (tmp_path / "good.txt").write_text("Strike in Kessa\nAn airstrike killed 5 people in Kessa on Monday.\n")
    store = KGStore(tmp_path / "store")
    report = ingest([tmp_path / "bad.txt", tmp_path / "good.txt"], store, DEFAULT_BASE, nlp=nlp)
    assert report.documents == 1 and [e.path for e in report.errors] == [str(tmp_path / "bad.txt")]
    assert doc_iri(DEFAULT_BASE, "good").value in store.content_hashes()


def test_a_json_error_names_its_column_once() -> None:
    with pytest.raises(ValueError, match=r"^not valid JSON \(Invalid control character at column 10\)$"):
        parse_record('{"id": "a\x01"}')
