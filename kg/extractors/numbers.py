"""Numbers of people as the text states them: "more than 1,400", "thirty-three", "hundreds".

Number words are read by text2num; vague quantities get the conventional lower bound of the
ontology contract and no exact value. A qualifier in front of the number sets the interval:

    more than / over N      MoreThan       value N, min N+1
    at least / no fewer than AtLeast       value N, min N
    about / around / some / approximately / roughly / an estimated / nearly / almost
                            Approximately  value N, no bounds
    up to / as many as / no more than
                            AtMost         value N, max N
    fewer than / less than  FewerThan      value N, max N-1
    (none)                  Exactly        value = min = max = N

"nearly" and "almost" are Approximately, not AtMost: they do say "a little under N", but the
contract has no "close below" qualifier, and AtMost would give the stated figure as a bound
that readers of "nearly 1.4 million displaced" do not take it as; Approximately keeps N as
the value and asserts no bound.

Numbers that are dates, times, ages, money, percentages, measures, years, addresses or parts of
compound modifiers ("four-storey") are not quantities of anything countable here, and neither are
the numbers of a document's furniture (release serial numbers, a site's name, the dateline: see
kg.extractors.structure) or an age heading ("Jassely Lupoe, 5 - The Homicide Report").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from spacy.attrs import LIKE_NUM, LOWER
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan
from text_to_num import text2num

from kg.extractors.lexicon.numbers import (
    MEASURE_WORDS,
    MULTIPLIERS,
    NAMING_WORDS,
    NOT_PEOPLE_ENTS,
    PAGER_WORDS,
    QUALIFIERS,
    VAGUE,
    VAGUE_WORDS,
)

YEAR = re.compile(r"^(1[89]|20)\d\d$")
DIGITS = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$|^\d+\.\d+$")


@dataclass(frozen=True)
class Quantity:
    """A stated number of things: token range of the phrase (qualifier included) and its interval."""

    start: int  # first token of the phrase, qualifier included
    end: int  # one past the last token
    qualifier: str
    value: int | None  # None for vague quantities
    min_value: int | None
    max_value: int | None


def interval(qualifier: str, number: int, vague: bool) -> tuple[int | None, int | None, int | None]:
    """(value, min, max) of `number` under `qualifier`; a vague number is a lower bound only."""
    if vague:
        low = number + 1 if qualifier == "MoreThan" else number
        return None, low, None
    return {
        "Exactly": (number, number, number),
        "MoreThan": (number, number + 1, None),
        "AtLeast": (number, number, None),
        "Approximately": (number, None, None),
        "AtMost": (number, None, number),
        "FewerThan": (number, None, number - 1),
    }[qualifier]


def _numeric(token: Token) -> bool:
    return token.like_num and token.lower_ not in ("-", "a")


def _vague_word(token: Token) -> bool:
    if token.lower_ == "number":  # only "a number of"
        nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
        return nxt is not None and nxt.lower_ == "of" and token.i > 0 and token.nbor(-1).lower_ == "a"
    return token.lower_ in VAGUE_WORDS


def parse_number(words: list[str]) -> int | None:
    """The integer a run of number words and digits states ("1,400", "thirty-three", "1.1 million")."""
    words = [w.lower() for w in words if w != "-"]
    if not words:
        return None
    multiplier = 1
    while len(words) > 1 and words[-1] in MULTIPLIERS and DIGITS.match(words[-2]):
        multiplier *= MULTIPLIERS[words.pop()]
    if len(words) == 1 and DIGITS.match(words[0]):
        return int((Decimal(words[0].replace(",", "")) * multiplier).to_integral_value())  # exact at any size
    if any(any(c.isdigit() for c in w) for w in words):
        return None
    if words[-1] == "dozen" and len(words) > 1:
        head = parse_number(words[:-1])
        return None if head is None else head * 12 * multiplier
    try:
        return text2num(" ".join(words), "en") * multiplier
    except ValueError:
        return None


def _measures_something_else(doc: Doc, start: int, end: int, ents: list[SpacySpan] | None = None) -> bool:
    tokens = doc[start:end]
    age_next = end + 2 < len(doc) and doc[end].is_digit and doc[end + 1].text == "-" and doc[end + 2].lower_ == "year"
    for ent in [] if age_next else doc.ents if ents is None else ents:  # "two 15-year-olds": the DATE is the age
        # "Oct. 7", "three days", "$100 million"; but a bare "52" the model calls a DATE is a number
        if (
            ent.label_ in NOT_PEOPLE_ENTS
            and ent.start < end
            and start < ent.end
            and any(not t.is_punct and not start <= t.i < end for t in ent)
        ):
            return True
    if any(YEAR.match(t.text) or ":" in t.text for t in tokens):
        return True
    after = doc[end] if end < len(doc) else None
    before = doc[start - 1] if start > 0 else None
    if after is not None:
        if after.lower_ in MEASURE_WORDS:
            return True
        # "four-storey", "5-year-old": a hyphenated modifier (but "thirty-three" is one number)
        if after.text == "-" and (end + 1 >= len(doc) or not _numeric(doc[end + 1])):
            return True
        if after.text in ("/", "-") or after.text.startswith("-"):
            return True
    if _age_apposition(doc, start, end):
        return True
    if before is None:
        return False
    if start >= 2 and ((before.text == "/" and doc[start - 2].is_digit) or _pager(doc, start)):
        return True  # a gallery's pager: "Image 3 of 12", "1 / 12"
    return before.lower_ in NAMING_WORDS or (before.text in ("#", "-", "/") and not before.whitespace_)


def _pager(doc: Doc, start: int) -> bool:
    """Whether the number at `start` ends "Image 3 of 12" (also "Image 1 of / 12")."""
    i = start - 1
    if doc[i].text == "/":
        i -= 1
    return i >= 2 and doc[i].lower_ == "of" and doc[i - 1].is_digit and doc[i - 2].lower_ in PAGER_WORDS


def _age_apposition(doc: Doc, start: int, end: int) -> bool:
    """'Brittney N. Orand, 17, of Wister', 'The boy, 7, was killed', 'Elijah Jackson and Shakur Franklin,
    both 16, were killed', 'kills sons, 10 and 12, before': a bare number set off after a name is an age."""
    i = start - 1
    if i >= 1 and doc[i].lower_ == "and" and doc[i - 1].is_digit:  # the second of "10 and 12"
        i -= 2
    if i >= 0 and doc[i].lower_ in ("then", "now", "aged", "both", "each", "all"):
        i -= 1
    if i < 1 or doc[i].text != ",":
        return False
    if end + 1 < len(doc) and doc[end].lower_ == "and" and doc[end + 1].is_digit:  # the first of "10 and 12"
        end += 2
    after = doc[end].text if end < len(doc) else "."
    return doc[i - 1].pos_ in ("PROPN", "NOUN") and after in (",", ".", ";", ")", "-", "\u2013", "\u2014", "|")


def find_quantities(doc: Doc) -> list[Quantity]:
    """Every stated quantity in `doc`, in text order."""
    found: list[Quantity] = []
    strings = doc.vocab.strings
    vague = {strings[w] for w in VAGUE_WORDS}
    # where a quantity may start, from the document's arrays (a Token object per word costs more)
    starts = [i for i, (num, lower) in enumerate(doc.to_array([LIKE_NUM, LOWER]).tolist()) if num or lower in vague]
    ents = [e for e in doc.ents if e.label_ in NOT_PEOPLE_ENTS]
    i = 0
    n = len(doc)
    for begin in starts:
        if begin < i:
            continue
        i = begin
        token = doc[i]
        if not (_numeric(token) or _vague_word(token)):
            continue
        j = i + 1
        while j < n and (
            _numeric(doc[j])
            or doc[j].lower_ in ("dozen",)
            or (doc[j].text == "-" and j + 1 < n and _numeric(doc[j + 1]) and not doc[j + 1].is_digit)
        ):
            if doc[j].is_digit and doc[j - 1].is_alpha:
                break  # "two 15-year-olds": a number, then an age
            j += 1
        quantity = _quantity(doc, i, j, ents)
        if quantity is not None:
            found.append(quantity)
        i = j
    return found


def _quantity(doc: Doc, start: int, end: int, ents: list[SpacySpan] | None = None) -> Quantity | None:
    words = [t.text for t in doc[start:end]]
    lower = [w.lower() for w in words]
    article = start > 0 and doc[start - 1].lower_ in ("a", "an")
    vague_key = " ".join((["a"] if article else []) + lower)
    number: int | None
    if vague_key in VAGUE:
        number, vague = VAGUE[vague_key], True
        if article:
            start -= 1
    elif lower[-1] == "dozen" and len(lower) > 1:
        number, vague = parse_number(words), True
    elif any(w in VAGUE_WORDS for w in lower):
        return None  # "few" without "a" means not many; other mixtures are not numbers
    else:
        number, vague = parse_number(words), False
    if (vague and _rhetorical(doc, start, end)) or (start > 0 and doc[start - 1].lower_ == "no"):
        return None  # "how many", "no one"
    if number is None or number <= 0 or _measures_something_else(doc, start, end, ents):
        return None
    qualifier, start = _qualifier(doc, start)
    value, low, high = interval(qualifier if not vague or qualifier != "Exactly" else "Approximately", number, vague)
    if vague and qualifier == "Exactly":
        qualifier = "Approximately"
    return Quantity(start=start, end=end, qualifier=qualifier, value=value, min_value=low, max_value=high)


def _rhetorical(doc: Doc, start: int, end: int) -> bool:
    """ "how many", "so many", "as many as 50": a question or a qualifier, not a quantity."""
    before = doc[start - 1].lower_ if start > 0 else ""
    after = doc[end].lower_ if end < len(doc) else ""
    return before in ("how", "so", "too", "as", "very") or after == "as"


def _qualifier(doc: Doc, start: int) -> tuple[str, int]:
    for words, qualifier in QUALIFIERS.items():
        begin = start - len(words)
        if begin >= 0 and tuple(t.lower_ for t in doc[begin:start]) == words:
            return qualifier, begin
    return "Exactly", start


class NumberFinder:
    """Leaves every stated quantity on `doc._.quantities`."""

    def __call__(self, doc: Doc) -> Doc:
        furniture = [(p.begin, p.end) for p in (doc._.segments or []) if p.kind in ("header", "dateline")]
        doc._.quantities = [q for q in find_quantities(doc) if not any(b <= doc[q.start].idx < e for b, e in furniture)]
        return doc
