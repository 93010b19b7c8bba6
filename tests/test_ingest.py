"""kg.ingestion: one bad document is reported (where, why) and skipped; the others of the run go in."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kg.ingestion import ingest
from kg.namespaces import DEFAULT_BASE
from kg.store import KGStore
from tests.conftest import SAMPLES

FAILING = "newskg_test_failing"


@Language.component(FAILING)
def _failing(doc: Doc) -> Doc:
    """A pipeline component that fails on one document, as a bug in an extractor would."""
    if "BREAKS THE EXTRACTOR" in doc.text:
        raise RuntimeError("an extractor bug")
    return doc


def _corpus(path: Path, middle: dict) -> Path:
    records = [json.loads(line) for line in (SAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:4]]
    lines = [*records[:2], dict(middle, id="the-bad-one"), *records[2:]]  # enough for two worker processes
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    return path


def test_a_text_over_max_length_is_refused_with_its_line_and_the_rest_go_in(nlp, tmp_path: Path,
                                                                            monkeypatch) -> None:
    monkeypatch.setattr(nlp, "max_length", 5000)
    source = _corpus(tmp_path / "long.jsonl", {"text": "Shelling continued in the north. " * 200})
    report = ingest([source], KGStore(), DEFAULT_BASE, nlp=nlp)
    assert report.documents == 4
    assert [(e.path, e.line) for e in report.errors] == [(str(source), 3)]
    assert "6,600 characters is over the limit of 5,000" in str(report.errors[0])


@pytest.mark.parametrize("workers", [1, 2])
def test_an_exception_while_extracting_one_document_skips_only_that_one(nlp, tmp_path: Path, workers: int) -> None:
    source = _corpus(tmp_path / "bug.jsonl", {"text": "This text BREAKS THE EXTRACTOR on purpose."})
    nlp.add_pipe(FAILING)
    try:
        store = KGStore()
        report = ingest([source], store, DEFAULT_BASE, nlp=nlp, workers=workers)
    finally:
        nlp.remove_pipe(FAILING)
    assert report.documents == 4 and len(store.documents()) == 4
    assert [(e.path, e.line) for e in report.errors] == [(str(source), 3)]
    assert "RuntimeError: an extractor bug" in report.errors[0].message
