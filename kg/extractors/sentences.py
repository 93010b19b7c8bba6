"""The sentences of a document: spaCy's (`doc.sents`, as the parser left them), listed once per document
and kept on `doc._.sentences`; the sentence of a token, or the index of the sentence of a character, is
found by bisection. (`Token.sent` walks the document to the sentence's ends each time it is asked.)

Only offsets are kept, no spaCy `Span`: a span held on its own document would keep the document alive
until the cycle collector runs.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg.extractors.facts import Span


@dataclass(frozen=True)
class Sentences:
    """Where each sentence of one document begins and ends, in tokens and in characters."""

    starts: list[int]  # token index of each sentence's first token
    ends: list[int]  # token index after each sentence's last token
    end_chars: list[int]  # character after each sentence's last token

    @classmethod
    def of(cls, doc: Doc) -> Sentences:
        spans = list(doc.sents)
        return cls([s.start for s in spans], [s.end for s in spans], [s.end_char for s in spans])


def sentences(doc: Doc) -> Sentences:
    """The sentences of `doc`, listed on first use and kept on `doc._.sentences` (declared by
    `factories.register`; a document of a pipeline without ours, as a test's, is listed each time)."""
    if not Doc.has_extension("sentences"):
        return Sentences.of(doc)
    found: Sentences | None = doc._.sentences
    if found is None:
        found = doc._.sentences = Sentences.of(doc)
    return found


def all_of(doc: Doc) -> list[SpacySpan]:
    """Every sentence of `doc`, in order (what `doc.sents` yields)."""
    found = sentences(doc)
    return [doc[start:end] for start, end in zip(found.starts, found.ends)]


def sentence_of(token: Token) -> SpacySpan:
    """The sentence of `token` (what `token.sent` is; `span.sent` is the sentence of its first token)."""
    doc = token.doc
    found = sentences(doc)
    i = bisect_right(found.starts, token.i) - 1
    return doc[found.starts[i] : found.ends[i]]


def index_at(doc: Doc, char: int) -> int:
    """Which sentence of `doc` the character at offset `char` is in, counting from 0: how many sentences
    end at or before it."""
    return bisect_right(sentences(doc).end_chars, char)


def spans(doc: Doc) -> list[Span]:
    """The sentences of `doc` as facts keep them: each without the whitespace at its ends (as a count's
    sentence is), the blank ones left out. In order, and none overlaps the next."""
    text = doc.text
    found = sentences(doc)
    starts = [doc[i].idx for i in found.starts]
    trimmed = (Span.trimmed(text, begin, end) for begin, end in zip(starts, found.end_chars))
    return [span for span in trimmed if span.text]


__all__ = ["Sentences", "all_of", "index_at", "sentence_of", "sentences", "spans"]
