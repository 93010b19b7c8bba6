from pathlib import Path

import pytest

from kg.documents import parse_record, read_sources
from kg.errors import InputError


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
