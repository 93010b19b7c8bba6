"""The extractors take any text without raising, and every span they emit is the text at its offsets.

Hypothesis on the real spaCy pipeline (the session's `nlp`), 100 examples (HYPOTHESIS_PROFILE=long
for 2,500): unicode, huge numbers, deep punctuation, the empty text, and news-like phrases
in any order.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg import pipeline

PHRASES = ["killed", "were killed", "injured", "wounded", "dead", "at least", "more than", "about", "nearly",
           "hundreds of", "dozens", "1,400", "1.5 million", "3", "three", "twenty-one", "a dozen", "people",
           "civilians", "soldiers", "Hamas", "Israel", "Gaza", "Sudan", "Khartoum", "Antony Blinken", "said",
           "on Monday", "Nov. 3", "2024", "in", "the", "crossing", "Rafah", "closed", "reopened", "Ministry",
           "of", "Health", "U.S.", "Mr.", ",", ".", ";", ":", "(", ")", "\"", "'", "—", "-", "\n", "\n\n", "%"]
NEWSY = st.lists(st.sampled_from(PHRASES), max_size=60).map(" ".join)
HUGE = st.integers(min_value=0, max_value=10 ** 400).map(lambda n: f"{n:,} people were killed")
PUNCTUATION = st.text("()[]{}\"'.,;:!?-—–…«»", max_size=400)
UNICODE = st.text(max_size=300)
TEXTS = st.one_of(st.just(""), NEWSY, HUGE, PUNCTUATION, UNICODE,
                  st.lists(st.one_of(NEWSY, HUGE, PUNCTUATION, UNICODE), max_size=4).map("".join))


def spans(value: object) -> Iterator[object]:
    """Every object with begin, end and text anywhere in `value` (the extractors' facts)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if all(hasattr(value, name) for name in ("begin", "end", "text")):
            yield value
        for item in dataclasses.fields(value):
            yield from spans(getattr(value, item.name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from spans(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from spans(item)


@settings(max_examples=max(1, settings().max_examples // 4))  # each runs the whole pipeline; HYPOTHESIS_PROFILE=long for more
@given(text=TEXTS)
@example(text=f"{10 ** 320:,} people were killed")
def test_any_text_extracts_and_every_span_matches_the_text(nlp, text: str) -> None:
    doc = next(pipeline.process(nlp, [(text, dt.date(2024, 11, 3))]))
    found = list(spans(doc._.facts))
    for span in found:
        assert 0 <= span.begin <= span.end <= len(text), span
        assert text[span.begin:span.end] == span.text, span
