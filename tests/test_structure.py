"""Headline, header lines, dateline and body: segments of the text, each opening a sentence."""
from __future__ import annotations

import spacy

from kg import pipeline
from kg.extractors.structure import make_doc, segments

RELEASE = ("Forces Detain Insurgent Leader in Kunduz\nISAF Joint Command - Afghanistan\n2012-03-S-041\n"
           "For Immediate Release\n\nKABUL, Afghanistan (March 14) - A combined force detained two suspects "
           "yesterday.\nThe force also found weapons.")
GLUED = ("Teen wounded in drive-by shooting | WXYZ NewsDETROIT -- A 16-year-old boy was shot in the leg "
         "Friday night, police said.")


def kinds(text: str, title: str | None = None) -> list[tuple[str, str]]:
    return [(s.kind, text[s.begin:s.end]) for s in segments(text, title)]


def test_a_press_release_has_headline_header_dateline_and_body() -> None:
    assert kinds(RELEASE) == [
        ("headline", "Forces Detain Insurgent Leader in Kunduz"),
        ("header", "ISAF Joint Command - Afghanistan"),
        ("header", "2012-03-S-041"),
        ("header", "For Immediate Release"),
        ("dateline", "KABUL, Afghanistan (March 14) -"),
        ("body", "A combined force detained two suspects yesterday."),
        ("body", "The force also found weapons."),
    ]


def test_a_placeholder_release_number_is_a_header() -> None:
    text = "2010-05-CA-XXX\nFor Immediate Release\n\nKABUL, Afghanistan (May 3) - A patrol detained a man."
    assert [k for k, _ in kinds(text)] == ["header", "header", "dateline", "body"]


def test_a_video_player_notice_before_the_dateline_is_a_header() -> None:
    text = ("Teen dies in accidental shooting\n\nPlease enable Javascript to watch this video  KANSAS CITY, Mo. -- "
            "A teenage boy has died from an accidental shooting, police said.")
    assert kinds(text, "Teen dies in accidental shooting") == [
        ("headline", "Teen dies in accidental shooting"),
        ("header", "Please enable Javascript to watch this video"),
        ("dateline", "KANSAS CITY, Mo. --"),
        ("body", "A teenage boy has died from an accidental shooting, police said."),
    ]
    alone = text.replace("video  KANSAS", "video\n\nKANSAS")
    assert kinds(alone, "Teen dies in accidental shooting") == kinds(text, "Teen dies in accidental shooting")


def test_a_title_the_text_starts_with_is_the_headline_even_glued_to_the_body() -> None:
    title = "Teen wounded in drive-by shooting | WXYZ News"
    assert kinds(GLUED, title) == [
        ("headline", "Teen wounded in drive-by shooting"),
        ("header", "| WXYZ News"),  # the site's name is no part of the headline
        ("dateline", "DETROIT --"),
        ("body", "A 16-year-old boy was shot in the leg Friday night, police said."),
    ]


def test_a_sentence_wrapped_at_the_line_end_stays_one_segment() -> None:
    text = "Police said the man was shot\nnear the corner of Main Street.\nHe died later."
    assert [k for k, _ in kinds(text)] == ["body", "body"]


def test_an_agency_in_parentheses_is_part_of_the_dateline() -> None:
    text = "WASHINGTON (AP) — Two people were killed Tuesday."
    assert kinds(text)[0] == ("dateline", "WASHINGTON (AP) —")


def test_no_dateline_in_an_ordinary_sentence() -> None:
    assert [k for k, _ in kinds("NATO said on Monday that 3 soldiers died.")] == ["body"]


def test_make_doc_keeps_the_text_and_starts_a_sentence_at_every_segment() -> None:
    nlp = spacy.blank("en")
    title = "Teen wounded in drive-by shooting | WXYZ News"
    doc, parts = make_doc(nlp, GLUED, title)
    assert doc.text == GLUED.replace(title, title + "\n\n")  # a line break after the glued title
    starts = {t.idx for t in doc if t.is_sent_start}
    assert {p.begin for p in parts} <= starts
    assert any(t.text == "News" for t in doc) and any(t.text == "DETROIT" for t in doc)  # not "NewsDETROIT"


def test_the_parser_reads_a_glued_titles_body_as_its_own_sentence(nlp) -> None:
    """spaCy's parser drops a sentence start set inside "abc13.comA": the line break holds it."""
    title = "Waitress shot outside a bar | abc13.com"
    doc = next(pipeline.process(nlp, [(title + "A waitress was shot outside a bar Sunday.", None, title)]))
    assert "A waitress was shot outside a bar Sunday." in [s.text for s in doc.sents]
    assert [c.span.text for c in doc._.facts.counts] == ["A waitress"]
