"""How the counts of a document relate: a count that is part of a larger one ("killed 52 people,
including at least 9 children"), the total of coordinated victims ("detained a leader and two
insurgents": 3, with its parts) and of a count on top of one before it ("captured a leader ... Two
additional suspects were detained"), and the attacker's own harm that is a victim counted already
(one person, counted once). Which counts come on top of those before them (`adds`, a count's
`additional`) is also what the tolls add up (kg.extractors.tolls).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.extractors.casualties import HARM, trigger_type
from kg.extractors.facts import Count, Span
from kg.extractors.lexicon.casualties import ACCIDENT, ADDING, REFLEXIVE, SCHOOL_YEARS
from kg.extractors.numbers import Quantity
from kg.extractors.sentences import sentence_of
from kg.extractors.victims import attachment, coordinated, counted_noun, phrase_root


@dataclass
class Found:
    """A count as the counts extractor found it, with the tokens that tie it into the parse."""

    count: Count
    noun: int  # token index of the counted noun (or the number itself)
    trigger: int  # token index of the casualty word
    head: int = -1  # token index that ties the phrase into its clause ("several" in "several of his associates")


# makes the count of tokens start..end: (start, end, its quantity, casualty type, casualty word, counted noun)
MakeCount = Callable[[int, int, Quantity | None, str, Token, Token], Count]


def link_including(doc: Doc, found: list[Found], make: MakeCount) -> None:
    """'killed 52 people, including at least 9 children': the 9 are part of the 52."""
    by_noun = {f.noun: i for i, f in enumerate(found)}
    for quantity in doc._.quantities or []:
        root = phrase_root(doc, quantity)
        noun = counted_noun(root)
        attach = attachment(root)
        prep = attach.head
        if attach.dep_ != "pobj" or prep.lower_ not in ("including", "among"):
            continue
        whole = by_noun.get(prep.head.i)
        if whole is None:
            continue
        if noun.i in by_noun:
            found[by_noun[noun.i]].count.part_of = whole
            continue
        parent = found[whole].count
        part = make(quantity.start, quantity.end, quantity, parent.type, doc[found[whole].trigger], noun)
        part.perpetrator = part.perpetrator or parent.perpetrator
        part.place = part.place or parent.place
        part.date, part.dated = parent.date, parent.dated
        part.part_of = whole
        found.append(Found(part, noun.i, found[whole].trigger, noun.i))
        by_noun[noun.i] = len(found) - 1


def add_totals(doc: Doc, found: list[Found]) -> None:
    """'detained a Taliban leader and two suspected insurgents': a total of 3, with its parts."""
    groups: dict[tuple[int, str], list[int]] = {}
    for i, item in enumerate(found):
        if item.count.part_of is None and item.head >= 0 and coordinated(doc[item.head], doc[item.trigger]):
            groups.setdefault((item.trigger, item.count.type), []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        parts = [found[i].count for i in members]
        for part in parts:
            part.part_of = len(found)
        found.append(Found(_total(doc.text, parts), -1, found[members[0]].trigger))


def add_running_totals(doc: Doc, found: list[Found]) -> None:
    """'captured a Taliban leader ... Two additional suspects were detained': 3 in all, with its parts."""
    for i in range(len(found)):
        item = found[i]
        if item.count.part_of is not None or item.noun < 0 or not _additional(doc[item.noun], doc[item.trigger]):
            continue
        if coordinated(doc[item.head], doc[item.trigger]):
            continue  # "killed Fayez Jan and one additional insurgent": one more than the conjunct
        earlier = [
            j
            for j, f in enumerate(found)
            if j != i
            and f.count.part_of is None
            and f.count.type == item.count.type
            and f.count.span.end <= item.count.span.begin
        ]
        if not earlier:
            continue
        previous = max(earlier, key=lambda j: found[j].count.span.begin)
        parts = [found[previous].count, item.count]
        for part in parts:
            part.part_of = len(found)
        found.append(Found(_total(doc.text, parts), -1, item.trigger))


def _total(text: str, parts: list[Count]) -> Count:
    begin, end = parts[0].span.begin, parts[-1].span.end
    first = parts[0]
    sentence = Span.trimmed(text, first.sentence.begin, parts[-1].sentence.end)
    total = Count(
        span=Span(begin, end, text[begin:end]),
        sentence=sentence,
        type=first.type,
        perpetrator=first.perpetrator,
        victim_nationality=None,
        place=first.place,
        date=first.date,
        dated=first.dated,
    )
    if all(p.value is not None and p.qualifier == "Exactly" for p in parts):
        total.value = total.min_value = total.max_value = sum(p.value or 0 for p in parts)
    elif all(p.min_value is not None for p in parts):
        total.qualifier = "AtLeast"
        total.min_value = sum(p.min_value or 0 for p in parts)
        total.value = total.min_value if all(p.value is not None for p in parts) else None
        if total.value is None:
            total.qualifier = "Approximately"
    else:
        total.qualifier = "Approximately"
        total.value = sum((p.value or p.min_value or 0) for p in parts)
    return total


def _additional(noun: Token, word: Token) -> bool:
    """'two additional suspects'; 'two other insurgents were also detained': more than those counted
    before ('another man was dead' alone may be a different man, not one more)."""
    if any(c.dep_ == "amod" and c.lower_ == "additional" for c in noun.children):
        return True
    also = any(c.lower_ == "also" for c in word.children)
    return also and any(
        (c.dep_ == "amod" and c.lower_ in ("other", "more")) or c.lower_ == "another" for c in noun.children
    )


def adds(noun: Token, word: Token) -> bool:
    """Whether the people counted come on top of those counted before: 'two additional suspects',
    'another man was also shot', 'the security force also detained two suspects', 'arrested a leader
    and detained three suspects' (a second verb of the same kind with its own object). Not a name's
    appositive, nor a school year ("Timea, a sixth grader, died")."""
    if noun.dep_ == "appos" or noun.lemma_.lower() in SCHOOL_YEARS:
        return False  # "Timea, a sixth grader, died": the girl named, again
    marks = {
        c.lower_
        for c in noun.children
        if c.dep_ in ("amod", "det", "advmod") and not (c.i + 1 < len(c.doc) and c.doc[c.i + 1].lower_ == "than")
    } & ADDING  # not "more than 300"
    if noun.lower_ in ADDING:
        marks.add(noun.lower_)
    if marks and noun.dep_ != "conj":  # "killed Fayez Jan and one additional insurgent": one more than the conjunct
        # "he shot and killed another man": another than the man who shot, not one more victim
        return noun.dep_ in ("nsubj", "nsubjpass") or not marks <= {"another", "other", "others"}
    if any(c.dep_ == "advmod" and c.lower_ == "also" for c in word.children):
        return True
    verb = word
    while verb.dep_ in ("acomp", "oprd", "xcomp") and verb.head is not verb:
        verb = verb.head  # "was also found dead"
    if verb is not word and any(c.dep_ == "advmod" and c.lower_ == "also" for c in verb.children):
        return True
    return (
        word.dep_ == "conj"
        and word.pos_ == "VERB"
        and trigger_type(word.head) == trigger_type(word)
        and any(c.dep_ in ("dobj", "nsubjpass") for c in word.head.children)
        and any(c.dep_ in ("dobj", "nsubjpass") for c in word.children)
    )


def own_harm(doc: Doc, found: list[Found]) -> None:
    """ "Himself" as a victim, not an attacker, where the one who shot himself is a victim counted
    already ("a 15-year-old boy ... the boy, who shot himself") or did it by accident ("a 3-year-old died after
    accidentally shooting himself"): one person, counted once. "killed his wife and then himself"
    is the attacker's own death."""
    victims = {f.noun for f in found if f.count.type in HARM and not f.count.of_perpetrators}
    nouns = {doc[i].lemma_.lower() for i in victims if doc[i].pos_ == "NOUN"}
    for f in found:
        if f.count.of_perpetrators and doc[f.noun].lower_ in REFLEXIVE:
            word = doc[f.trigger]
            agent = _agent(word)
            # "the boy, who shot himself" refers back to "a 15-year-old boy" counted before
            again = agent is not None and doc[agent].lemma_.lower() in nouns and _definite(doc[agent])
            if agent in victims or again or ACCIDENT.search(sentence_of(word).text):
                f.count.of_perpetrators = False


def _definite(noun: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in noun.children)


def _agent(verb: Token) -> int | None:
    """The token index of who does `verb`: its subject ("who" as the noun it describes), else the
    subject of the clause it hangs from ("died after shooting himself")."""
    for _ in range(4):
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            if subject.lower_ in ("who", "that") and verb.dep_ == "relcl":
                return verb.head.i
            return subject.i
        if verb.dep_ not in ("advcl", "pcomp", "xcomp", "conj", "pobj", "prep") or verb.head is verb:
            return None
        verb = verb.head
    return None
