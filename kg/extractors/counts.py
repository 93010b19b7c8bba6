"""Casualty counts: stated numbers of people killed, wounded, held, freed, trapped or moved.

A quantity (kg.extractors.numbers) becomes a count when the dependency parse ties the people it
counts to a casualty word: "killed 52 people" (object), "200 people were killed" (passive subject),
"three people died" (subject of an intransitive), "Americans who are trapped" (relative clause),
"about 200 hostages" (the noun itself), "the toll rose to more than 300". A victim without a
number ("a man was shot dead", "killed the Taliban leader") is a count of 1; coordinated victims of
one verb ("detained a leader and two insurgents") also give their total, which the parts are
`part_of`, and so do "two additional suspects" with the count before them. "including" makes a
count part of the larger one it qualifies. A count per statement, so that the largest one of a type
is what a document says happened; the text of a total is the slice from its first part to its last.

"a double shooting" is two people shot, "a triple homicide" three killed.

"was shot", "a double shooting", "a man with a gunshot wound", "taken to the hospital" state harm but
not whether the victim lived: an Injured count marked `unstated`, which the toll of its incident
counts among the dead when the document says they died (kg.extractors.tolls). A count on top of those
before it ("also detained two", "another man was shot") is marked `additional`; the attackers' own
self-inflicted deaths and wounds `of_perpetrators`.

Which words are casualty words is kg.extractors.casualties; who did it, where and when is
kg.extractors.attribution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.extractors.attribution import Attribution
from kg.extractors.casualties import (
    CONDITIONS,
    EVENT_NOUNS,
    LINKING,
    MULTIPLES,
    NOT_PEOPLE,
    SHOOTING,
    STANDS_FOR,
    WOUNDS,
    agent_clause,
    candidate_words,
    casualty,
    custody,
    fatal_attack,
    gunshot_victim,
    has_subject,
    hospital,
    intended_noun,
    is_toll,
    negated,
    noun_type,
    own_life,
    patient_subject,
    struck,
    trigger_type,
    unstated,
)
from kg.extractors.facts import Count, Facts, Span
from kg.extractors.numbers import Quantity

SINGULAR_PRONOUNS = {"he", "she", "him", "her", "his", "himself", "herself"}
NEGATIVE = {"no", "none", "nobody", "anyone", "anybody", "noone"}
# the attackers themselves: their own deaths and wounds are a toll apart from their victims'
ATTACKERS = {"gunman", "gunmen", "shooter", "attacker", "assailant", "bomber", "killer", "perpetrator", "suspect"}
REFLEXIVE = {"himself", "herself", "themselves"}
SELF_INFLICTED = (
    "self-inflicted",
    "suicide",
    "own life",
    "turned the gun on",
    "killed himself",
    "killed herself",
    "shot himself",
    "shot herself",
)
HARM = {"Killed", "Injured"}
ACCIDENT = re.compile(r"\baccident(?:al|ally)?\b", re.I)
ORDINALS = {"second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}
COLLECTIVE = {"number", "group", "total", "handful", "lot", "couple", "crowd", "family", "dozen"}


@dataclass
class _Found:
    count: Count
    noun: int  # token index of the counted noun (or the number itself)
    trigger: int  # token index of the casualty word
    head: int = -1  # token index that ties the phrase into its clause ("several" in "several of his associates")


class CountExtractor:
    """Leaves the casualty counts of `doc` on `doc._.facts.counts`."""

    def __init__(self, *, document_date_fallback: bool = True) -> None:
        self.document_date_fallback = document_date_fallback

    def __call__(self, doc: Doc) -> Doc:
        facts: Facts = doc._.facts
        offset = len(facts.counts)
        for count in _Reader(doc, facts, self.document_date_fallback).counts():
            if count.part_of is not None:
                count.part_of += offset
            facts.counts.append(count)
        return doc


class _Reader:
    def __init__(self, doc: Doc, facts: Facts, document_date_fallback: bool) -> None:
        self.doc = doc
        self.facts = facts
        self.attribution = Attribution(doc, facts, document_date_fallback)

    # the whole document ---------------------------------------------------------------------
    def counts(self) -> list[Count]:
        found: list[_Found] = []
        counted: set[int] = set()
        quantities: list[Quantity] = self.doc._.quantities or []
        by_token = {q.start: q for q in quantities}
        for quantity in quantities:
            item = self._from_quantity(quantity)
            if item is not None:
                found.append(item)
                counted.add(item.noun)
        seen: set[tuple[int, str]] = set()  # a victim may be shot (Injured) and then die (Killed)
        candidates = [self.doc[i] for i in candidate_words(self.doc)]
        for token in candidates:
            if (
                trigger_type(token) is not None
                or token.lemma_ in SHOOTING
                or custody(token)
                or own_life(token)
                or hospital(token)
                or struck(token)
                or gunshot_victim(token)
                or fatal_attack(token)
            ):
                for item in self._lone_victims(token, counted, seen, by_token):
                    found.append(item)
                    seen.add((item.noun, item.count.type))
        found += self._multiple_attacks(candidates)
        found += self._conditions(candidates, counted, seen)
        _own_harm(self.doc, found)
        found.sort(key=lambda f: f.count.span.begin)
        self._link_including(found)
        self._add_totals(found)
        self._add_running_totals(found)
        return [f.count for f in found]

    def _multiple_attacks(self, candidates: list[Token]) -> list[_Found]:
        """'a double shooting' (two people shot), 'a triple homicide' (three people killed)."""
        found = []
        for token in candidates:
            number = MULTIPLES.get(token.lower_)
            if number is None or token.dep_ not in ("amod", "compound") or token.head.pos_ != "NOUN":
                continue
            attack = token.head
            kind = casualty(attack)
            if kind is None:
                continue
            count = self._count(token.i, token.i + 1, None, kind, attack, attack)
            count.value = count.min_value = count.max_value = number
            found.append(_Found(count, attack.i, attack.i, token.i))
        return found

    def _conditions(self, candidates: list[Token], counted: set[int], seen: set[tuple[int, str]]) -> list[_Found]:
        """'left a man in critical condition', 'the victim is in stable condition': one person hurt."""
        found = []
        for token in candidates:
            if (
                token.lemma_ != "condition"
                or token.dep_ != "pobj"
                or token.head.lower_ != "in"
                or not any(c.lower_ in CONDITIONS for c in token.children)
            ):
                continue
            holder = token.head.head
            if holder.lemma_ == "leave":
                victims = [c for c in holder.children if c.dep_ == "dobj"]
            else:
                victims = [c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")]
            for victim in victims:
                if victim.i in counted or (victim.i, "Injured") in seen or not _lone(victim):
                    continue
                begin = victim.i if victim.pos_ == "PRON" else _phrase_start(victim)
                count = self._count(begin, victim.i + 1, None, "Injured", token, victim)
                found.append(_Found(count, victim.i, token.i, victim.i))
                seen.add((victim.i, "Injured"))
        return found

    # one quantity ---------------------------------------------------------------------------
    def _from_quantity(self, quantity: Quantity) -> _Found | None:
        doc = self.doc
        root = _phrase_root(doc, quantity)
        noun = _counted_noun(root)
        own = attach = _attachment(root)
        while (
            attach.dep_ in ("conj", "appos")
            and attach.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON")
            and attach.head.i < attach.i
        ):
            attach = attach.head
        if noun.lemma_.lower() in NOT_PEOPLE or noun.lower_ in NOT_PEOPLE:
            return None
        trigger = self._trigger_for(noun, own, attach)
        if trigger is None:
            return None
        casualty, word = trigger
        return _Found(self._count(quantity.start, quantity.end, quantity, casualty, word, noun), noun.i, word.i, own.i)

    def _trigger_for(self, noun: Token, own: Token, attach: Token) -> tuple[str, Token] | None:
        """The casualty word for the people `noun` names; `own` is the phrase's attachment token and
        `attach` the first conjunct's, which carries the relation to the verb."""
        kind = noun_type(noun)
        if kind is not None:
            return kind, noun
        doc = noun.doc
        if noun.i + 2 < len(doc) and doc[noun.i + 1].lower_ == "being":  # "six Afghans being killed"
            verb = doc[noun.i + 2]
            kind = None if negated(verb) else casualty(verb)
            if kind is not None and verb.tag_ == "VBN":
                return kind, verb
        for child in [*noun.children, *own.children]:
            kind = casualty(child) if child.dep_ in ("relcl", "acl", "amod") and not negated(child) else None
            if kind is not None and not agent_clause(child):
                return kind, child
        head = attach.head
        dep = attach.dep_
        if dep in ("nsubjpass", "dobj", "nsubj", "attr", "oprd") and head is not attach:
            found = self._verb_for(attach, head, dep)
            if found is not None:
                return found
        if dep == "pobj" and head.head is not head:
            governor = head.head
            if head.lower_ in ("to", "at", "of") and is_toll(governor):
                return "Killed", governor
            if (
                head.lower_ == "of"
                and governor.pos_ == "NOUN"
                and governor.lemma_ in EVENT_NOUNS
                and not intended_noun(governor)
            ):  # "the deaths of twelve fighters", "the arrest of two men"
                return EVENT_NOUNS[governor.lemma_], governor
            if head.lower_ in ("to", "at") and governor.pos_ in ("VERB", "AUX"):
                subject = next((c for c in governor.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subject is not None and is_toll(subject):
                    return "Killed", subject
            if (
                head.lower_ == "of"
                and governor.dep_ in ("nsubjpass", "dobj", "nsubj")
                and governor.lower_ in ("total", "number", "group")
            ):
                return self._trigger_for(governor, governor, governor)
        if dep == "pobj" and head.lower_ == "with" and head.head.lower_ in ("along", "together"):
            verb = head.head.head  # "detained the leader along with three of his associates"
            kind = None if negated(verb) else casualty(verb)
            if kind is not None:
                return kind, verb
        if dep == "attr" and head.lemma_ == "be":
            subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
            if subject is not None and is_toll(subject):
                return "Killed", subject
        return None

    def _verb_for(self, victim: Token, verb: Token, dep: str) -> tuple[str, Token] | None:
        if negated(verb):
            return None
        kind = None if verb.lemma_ in LINKING and trigger_type(verb) is None and not custody(verb) else casualty(verb)
        if kind is not None:
            if dep == "nsubj" and not patient_subject(verb) and not (custody(verb) and verb.lemma_ in LINKING):
                return None  # "two gunmen killed ...": the subject did it
            if dep == "attr":
                return None
            return kind, verb
        if verb.lemma_ in LINKING:
            for child in verb.children:
                kind = casualty(child) if child.dep_ in ("acomp", "oprd", "xcomp", "attr") else None
                if kind is not None and child is not victim:
                    return kind, child
        return None

    # victims without a number -------------------------------------------------------------------
    def _lone_victims(
        self, word: Token, counted: set[int], seen: set[tuple[int, str]], quantities: dict[int, Quantity]
    ) -> list[_Found]:
        kind = casualty(word)
        if kind is None or negated(word) or word.pos_ not in ("VERB", "ADJ", "AUX", "NOUN"):
            return []
        victims = []
        if word.pos_ == "NOUN" and word.lemma_ in WOUNDS:
            holder = word.head
            if word.dep_ == "pobj" and holder.lower_ == "with" and holder.head.pos_ in ("NOUN", "PROPN"):
                victims.append(holder.head)
            elif word.dep_ == "pobj" and holder.lower_ == "with" and holder.head.pos_ == "VERB":
                victims += [c for c in holder.head.children if c.dep_ in ("dobj", "nsubjpass")]
            elif word.dep_ == "dobj" and holder.lemma_ in ("suffer", "sustain", "receive"):
                victims += [c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")]
            elif word.dep_ == "pobj" and holder.lower_ == "from" and holder.head.lemma_ in ("suffer", "die", "recover"):
                victims += [c for c in holder.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if word.pos_ == "NOUN" and gunshot_victim(word):
            victims.append(word)
        for child in word.children:
            if word.pos_ == "NOUN":  # "the shooting death of 38-year-old Goldie Long", "a man's body"
                if child.dep_ == "prep" and child.lower_ == "of":
                    victims += [c for c in child.children if c.dep_ == "pobj"]
                elif child.dep_ == "poss" and kind == "Killed" and word.dep_ in ("nsubj", "nsubjpass", "dobj"):
                    victims.append(child)  # "Larry's death", "his body was found"; not "the side of his body"
            elif child.dep_ in ("nsubjpass", "dobj") or (
                child.dep_ == "nsubj" and (patient_subject(word) or (custody(word) and word.lemma_ in LINKING))
            ):
                victims.append(child)
        if word.dep_ in ("acomp", "oprd", "xcomp") and word.head.lemma_ in LINKING:
            # "left one man dead": the object; "was found dead", "remains missing": the subject
            linking = word.head
            while linking.dep_ == "conj" and not has_subject(linking) and linking.head.i < linking.i:
                # "was shot ... and was pronounced dead"
                linking = linking.head
            around = [*word.head.children, *(linking.children if linking is not word.head else [])]
            objects = [c for c in word.head.children if c.dep_ == "dobj"]
            victims += objects or [c for c in around if c.dep_ in ("nsubj", "nsubjpass")]
            if not victims and linking.dep_ in ("acl", "relcl"):  # "the man found shot and killed"
                victims.append(_stood_for(linking.head))
        if not victims and word.dep_ == "advcl" and word.tag_ in ("VBN", "VBD") and not has_subject(word):
            # "identified the teenager fatally shot May 4": a participle the parser hung on the verb
            before = self.doc[word.left_edge.i - 1] if word.left_edge.i > 0 else None
            if before is not None and before.dep_ in ("dobj", "pobj") and before.pos_ in ("NOUN", "PROPN"):
                victims.append(before)
        if word.dep_ in ("acl", "relcl") and word.head.pos_ in ("NOUN", "PROPN"):
            # "Man injured in York City shooting", "a man who was shot": the noun the clause describes
            victims = [v for v in victims if v.lower_ not in ("who", "that", "whom")] or [_stood_for(word.head)]
        if not victims and word.dep_ in ("pcomp", "advcl") and any(c.dep_ == "auxpass" for c in word.children):
            governor = word.head.head if word.head.pos_ == "ADP" else word.head  # "is recovering after being shot"
            victims += [c for c in governor.children if c.dep_ in ("nsubj", "nsubjpass")]
        if word.dep_ == "conj" and not victims:  # "was shot and killed": the first verb's subject
            victims += [c for c in word.head.children if c.dep_ in ("nsubjpass",)]
            if not victims and patient_subject(word):  # "was suffering from a wound and died"
                victims += [c for c in word.head.children if c.dep_ == "nsubj"]
        # "In south west Afghanistan, a Taliban leader and a suspected insurgent were captured"
        victims += [c for v in victims if not _lone(v) for c in v.children if c.dep_ == "appos"]
        victims += [c for v in victims for c in v.conjuncts]
        victims += [m for v in victims for m in _list_members(v) if m not in victims]
        found = []
        for victim in victims:
            if victim.i in counted or (victim.i, kind) in seen or not (_lone(victim) or _lone_member(victim)):
                continue
            if any(victim.left_edge.i <= q <= victim.i for q in quantities):
                continue
            begin = victim.i if victim.pos_ == "PRON" else _phrase_start(victim)
            count = self._count(begin, victim.i + 1, None, kind, word, victim)
            found.append(_Found(count, victim.i, word.i, victim.i))
            seen.add((victim.i, kind))
        return found

    # building a Count -----------------------------------------------------------------------------
    def _count(self, start: int, end: int, quantity: Quantity | None, casualty: str, word: Token, noun: Token) -> Count:
        doc = self.doc
        sentence = self.attribution.sentence(word)
        phrase = doc[start:end]
        count = Count(
            span=Span(phrase.start_char, phrase.end_char, phrase.text),
            sentence=Span.trimmed(doc.text, sentence.start_char, sentence.end_char),
            type=casualty,
        )
        if quantity is None:
            count.value = count.min_value = count.max_value = 2 if _both(noun) else 1
        else:
            count.qualifier = quantity.qualifier
            count.value, count.min_value, count.max_value = quantity.value, quantity.min_value, quantity.max_value
        count.victim_nationality = self.attribution.nationality(noun)
        count.perpetrator = self.attribution.perpetrator(word)
        count.place = self.attribution.place(word)
        count.date = self.attribution.date(word)
        count.dated = self.attribution.dated(word)
        count.of_perpetrators = casualty in HARM and _self_inflicted(noun, _clause_text(word))
        count.unstated = casualty == "Injured" and unstated(word)
        count.additional = _adds(noun, word)
        return count

    # links between counts -------------------------------------------------------------------------
    def _link_including(self, found: list[_Found]) -> None:
        """'killed 52 people, including at least 9 children': the 9 are part of the 52."""
        by_noun = {f.noun: i for i, f in enumerate(found)}
        for quantity in self.doc._.quantities or []:
            root = _phrase_root(self.doc, quantity)
            noun = _counted_noun(root)
            attach = _attachment(root)
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
            part = self._count(
                quantity.start, quantity.end, quantity, parent.type, self.doc[found[whole].trigger], noun
            )
            part.perpetrator = part.perpetrator or parent.perpetrator
            part.place = part.place or parent.place
            part.date, part.dated = parent.date, parent.dated
            part.part_of = whole
            found.append(_Found(part, noun.i, found[whole].trigger, noun.i))
            by_noun[noun.i] = len(found) - 1

    def _add_totals(self, found: list[_Found]) -> None:
        """'detained a Taliban leader and two suspected insurgents': a total of 3, with its parts."""
        groups: dict[tuple[int, str], list[int]] = {}
        for i, item in enumerate(found):
            if (
                item.count.part_of is None
                and item.head >= 0
                and _coordinated(self.doc[item.head], self.doc[item.trigger])
            ):
                groups.setdefault((item.trigger, item.count.type), []).append(i)
        for members in groups.values():
            if len(members) < 2:
                continue
            parts = [found[i].count for i in members]
            for part in parts:
                part.part_of = len(found)
            found.append(_Found(_total(self.doc.text, parts), -1, found[members[0]].trigger))

    def _add_running_totals(self, found: list[_Found]) -> None:
        """'captured a Taliban leader ... Two additional suspects were detained': 3 in all, with its parts."""
        for i in range(len(found)):
            item = found[i]
            if (
                item.count.part_of is not None
                or item.noun < 0
                or not _additional(self.doc[item.noun], self.doc[item.trigger])
            ):
                continue
            if _coordinated(self.doc[item.head], self.doc[item.trigger]):
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
            found.append(_Found(_total(self.doc.text, parts), -1, item.trigger))


def _additional(noun: Token, word: Token) -> bool:
    """'two additional suspects'; 'two other insurgents were also detained': more than those counted
    before ('another man was dead' alone may be a different man, not one more)."""
    if any(c.dep_ == "amod" and c.lower_ == "additional" for c in noun.children):
        return True
    also = any(c.lower_ == "also" for c in word.children)
    return also and any(
        (c.dep_ == "amod" and c.lower_ in ("other", "more")) or c.lower_ == "another" for c in noun.children
    )


ADDING = {"additional", "other", "another", "more", "second", "third", "fourth", "fifth", "sixth", "others"}
SCHOOL_YEARS = {"grader", "grade", "year"}  # "a sixth grader" is in the sixth grade, not the sixth victim


def _adds(noun: Token, word: Token) -> bool:
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


def _clause_text(word: Token) -> str:
    """The words of the clause `word` states, without the clauses coordinated to it (lower case)."""
    verb = word.head if word.dep_ in ("acomp", "oprd", "xcomp") else word
    skip = {t.i for c in verb.children if c.dep_ == "conj" for t in c.subtree}
    return "".join(t.text_with_ws for t in verb.subtree if t.i not in skip).lower()


def _self_inflicted(noun: Token, sentence: str) -> bool:
    """The attacker's own death or wound: 'then killed himself', 'the gunman took his own life', 'the suspect
    was found dead from a self-inflicted gunshot wound', 'the suicide bomber was killed'. A suspect shot by
    police is that shooting's victim, and insurgents killed by a patrol are the patrol's."""
    if noun.lower_ in REFLEXIVE:
        return True
    if not any(cue in sentence for cue in SELF_INFLICTED):
        return False
    return (
        noun.lemma_.lower() in ATTACKERS
        or noun.ent_type_ == "PERSON"
        or any(c.lower_ in ("suicide", "gunman", "shooter") for c in noun.children)
    )


def _own_harm(doc: Doc, found: list[_Found]) -> None:
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
            if agent in victims or again or ACCIDENT.search(word.sent.text):
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


def _coordinated(phrase: Token, word: Token) -> bool:
    """'a leader and two insurgents' (conjuncts joined by a conjunction), 'the leader along with three
    of his associates' (the casualty word takes an 'along with' phrase)."""
    first = phrase
    while first.dep_ == "conj" and first.head.i < first.i:
        first = first.head
    members = [first, *first.conjuncts]
    if len(members) > 1 and any(c.dep_ == "cc" for m in members for c in m.children):
        return True
    if _list_members(_list_head(phrase)):  # "his wife, son and daughter"
        return True
    return any(c.dep_ == "prep" and c.lower_ in ("along", "together") for c in word.children)


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


def _phrase_root(doc: Doc, quantity: Quantity) -> Token:
    """The number word that carries the phrase's syntax: '1,400' in 'more than 1,400', 'few' in 'a few'."""
    token = doc[quantity.end - 1]
    for _ in range(quantity.end - quantity.start):  # bounded: the model's heads are not always a tree
        if not quantity.start <= token.head.i < quantity.end or token.head is token:
            break
        token = token.head
    return token


def _modifies_noun(root: Token) -> bool:
    """'33 Americans', 'several suspected insurgents': the number modifies the noun it counts."""
    return root.dep_ in ("nummod", "amod", "quantmod") and root.head.pos_ in ("NOUN", "PROPN")


def _attachment(root: Token) -> Token:
    """The token that ties a number phrase into its clause: the counted noun, or the number itself."""
    return _noun_phrase_head(root.head) if _modifies_noun(root) else root


def _noun_phrase_head(noun: Token) -> Token:
    """'several suspected Islamic Movement of Uzbekistan insurgents': the number sits on a modifier."""
    while noun.dep_ in ("nmod", "compound") and noun.head.pos_ in ("NOUN", "PROPN") and noun.head.i > noun.i:
        noun = noun.head
    return noun


def _counted_noun(root: Token) -> Token:
    """The people a number counts: 'at least 33 Americans' -> Americans, 'hundreds of Americans' -> Americans."""
    if _modifies_noun(root):
        return _noun_phrase_head(root.head)
    of = next((c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None:
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None)
        if pobj is not None:
            return pobj
    return root


def _both(noun: Token) -> bool:
    """'both were taken into custody', 'both men died': two people."""
    return noun.lower_ == "both" or any(c.lower_ == "both" for c in noun.children)


def _lone(victim: Token) -> bool:
    """A single person named or described: 'a man', 'the Taliban leader', 'Jassely Lupoe', 'he'."""
    if victim.lower_ in NEGATIVE or any(c.lower_ in NEGATIVE for c in victim.children):
        return False
    if victim.lemma_.lower() in NOT_PEOPLE:
        return False
    if victim.lower_ == "both" or any(c.lower_ == "both" for c in victim.children):
        return True  # two people (see `_both`)
    if victim.pos_ == "PRON":
        return victim.lower_ in SINGULAR_PRONOUNS
    if victim.lower_ in ORDINALS and any(c.dep_ == "det" for c in victim.children):
        return True  # "a second was injured", "the fourth died"
    if victim.tag_ not in ("NN", "NNP") or victim.lemma_ in COLLECTIVE:
        return False  # "a number of insurgents", "a group of men": how many is not said
    if victim.ent_type_ == "PERSON" or any(c.dep_ in ("det", "poss") for c in victim.children):
        return True
    # a headline's bare noun: "Girl shot at party dies", "Man shot, killed on Detroit's west side"
    return victim.tag_ == "NN" and victim.is_title and bool(victim.is_sent_start)


def _stood_for(noun: Token) -> Token:
    """The person `noun` stands for: "the body of a man" is the man (`STANDS_FOR`), else `noun`."""
    if noun.lemma_ in STANDS_FOR:
        return next((g for c in noun.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"), noun)
    return noun


def _list_members(noun: Token) -> list[Token]:
    """The other people of a list the parser read as appositives of its first: "son" and "daughter" in
    "his wife, son and daughter", "his brother-in-law, sister-in-law, and their infant daughter" after
    "his two children". A list ends in "and"; "the victim, a 25-year-old man" restates one."""
    if noun.pos_ != "NOUN" or noun.ent_type_ == "PERSON":
        return []  # "Nur Mohammad, the Taliban deputy governor, and Hamza": names and their roles
    members, todo = [], [c for c in noun.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
    while todo:
        member = todo.pop()
        members.append(member)
        todo += [c for c in member.children if c.dep_ in ("appos", "conj") and c.pos_ == "NOUN"]
    if not any(c.dep_ == "cc" and c.lower_ in ("and", "&") for m in members for c in m.children):
        return []
    numbered = noun.like_num or any(c.dep_ == "nummod" for c in noun.children)
    if numbered and not any(c.dep_ == "poss" for m in members for c in m.children):
        return []  # "three others were wounded — two males and a female": the three, told apart
    return sorted(members, key=lambda m: m.i)


def _list_head(noun: Token) -> Token:
    """The first member of the list `noun` is in (itself when in none)."""
    first = noun
    while first.dep_ in ("conj", "appos") and first.head.i < first.i and first.head.pos_ in ("NOUN", "PROPN"):
        first = first.head
    return first


def _lone_member(victim: Token) -> bool:
    """A person in a list whose first member has the determiner for all: "son" and "daughter" in "his
    wife, son and daughter", "grandmother" in "his mother and grandmother"."""
    first = _list_head(victim)
    if first is victim or not (_lone(first) or first.tag_ == "NNS") or first.pos_ == "PRON":
        return False
    if victim.dep_ == "conj" and not any(c.dep_ == "poss" for c in first.children):
        return False  # "a bomb maker and facilitator" is one man; "his mother and grandmother" two
    return victim.tag_ in ("NN", "NNP") and victim.lemma_.lower() not in NOT_PEOPLE | COLLECTIVE


def _phrase_start(noun: Token) -> int:
    start = noun.i
    for child in noun.children:
        if child.i < noun.i and child.dep_ in ("det", "poss", "amod", "compound", "nummod", "npadvmod", "nmod"):
            start = min(start, child.left_edge.i)
    return start
