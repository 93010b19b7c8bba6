"""Casualty counts: stated numbers of people killed, wounded, held, freed, trapped or moved.

A quantity (kg.extract.numbers) becomes a count when the dependency parse ties the people it
counts to a casualty word: "killed 52 people" (object), "200 people were killed" (passive subject),
"three people died" (subject of an intransitive), "Americans who are trapped" (relative clause),
"about 200 hostages" (the noun itself), "the toll rose to more than 300". A victim without a
number ("a man was shot dead", "killed the Taliban leader") is a count of 1; coordinated victims of
one verb ("detained a leader and two insurgents") also give their total, which the parts are
`part_of`, and so do "two additional suspects" with the count before them. "including" makes a
count part of the larger one it qualifies. A count per statement, so that the largest one of a type
is what a document says happened; the text of a total is the slice from its first part to its last.

"a double shooting" is two people shot, "a triple homicide" three killed.

"was shot", "a double shooting" or "a man with a gunshot wound" states harm but not whether the victim lived: it is an
Injured count unless the document reports deaths, when the victim may be one of them (injured
accuracy on gvdb-dev, measured when this rule was added: always Injured 0.55, never 0.62, unless
the document reports deaths 0.72).

The perpetrator is the subject of the active verb or its "by" agent, else the attack the people
died in ("killed in an Israeli airstrike"); an actor named inside the noun phrase counts
("the Hamas terrorist group", "Israeli forces" -> Israel). The date is a day named in the clause,
else in the sentence, else (optionally) the first event day of the document.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.extract.dates import DateMention
from kg.extract.facts import Count, Entity, Facts, Span
from kg.extract.numbers import Quantity
from kg.extract.vocabulary import ACTOR_KINDS, PLACE_KINDS

# lemma of a verb, adjective or noun -> casualty type
TRIGGERS: dict[str, str] = {
    **dict.fromkeys(("kill", "die", "slay", "murder", "massacre", "assassinate", "execute", "dead", "death",
                     "fatality", "behead", "killed", "slain", "body", "homicide"), "Killed"),
    **dict.fromkeys(("wound", "injure", "hurt", "wounded", "injured", "maim", "hospitalize", "hospitalized"),
                    "Injured"),
    **dict.fromkeys(("hostage", "abduct", "kidnap", "kidnapped", "abducted"), "Hostage"),
    **dict.fromkeys(("detain", "arrest", "capture", "apprehend", "detained", "arrested", "captured"), "Captured"),
    **dict.fromkeys(("free", "release", "freed", "released"), "Released"),
    **dict.fromkeys(("missing", "unaccounted"), "Missing"),
    **dict.fromkeys(("trap", "strand", "trapped", "stranded"), "Trapped"),
    **dict.fromkeys(("evacuate", "evacuee", "evacuated"), "Evacuated"),
    **dict.fromkeys(("displace", "displaced"), "Displaced"),
}
# words of violence that say nothing of the outcome by themselves (see the module docstring)
SHOOTING = {"shoot", "stab"}
ATTACKS = {"shooting", "stabbing"}  # "a double shooting": how many were hit, not how it ended
MULTIPLES = {"double": 2, "triple": 3, "quadruple": 4}
WOUNDS = {"wound", "injury"}  # "a man with a gunshot wound", "he suffered injuries"
# a noun whose number is the count: "the death toll rose to 300", "a toll of 52"
TOLL_NOUNS = {"toll"}
# verbs whose subject is the victim when they carry a casualty complement ("remain missing", "left 3 dead")
LINKING = {"be", "remain", "leave", "pronounce", "find", "declare", "confirm", "report", "lie", "stay"}
INTRANSITIVE = {"die", "dead", "missing", "unaccounted", "trapped", "stranded", "wounded", "injured", "hurt",
                "displaced", "evacuated", "hostage", "killed"}
LOCATIVE = {"in", "at", "near", "on", "outside", "inside", "across", "throughout"}
ATTACK_PREPS = {"in", "during", "by", "from"}
NOT_THE_DAY = {"since", "until", "till", "before", "after", "by", "through"}
SINGULAR_PRONOUNS = {"he", "she", "him", "her", "his", "himself", "herself"}
NEGATIVE = {"no", "none", "nobody", "anyone", "anybody", "noone"}
# the attackers themselves: their own deaths and wounds are a toll apart from their victims'
ATTACKERS = {"gunman", "gunmen", "shooter", "attacker", "assailant", "bomber", "killer", "perpetrator",
             "suspect"}
REFLEXIVE = {"himself", "herself", "themselves"}
SELF_INFLICTED = ("self-inflicted", "suicide", "own life", "turned the gun on", "killed himself", "killed herself",
                  "shot himself", "shot herself")
HARM = {"Killed", "Injured"}
# what is counted but is not people: "300 trucks", "5,000 families", "their dog"
NOT_PEOPLE = {"dog", "cat", "animal", "pet", "horse", "cow", "sheep", "goat", "k-9", "k9", "canine", "truck",
              "vehicle", "car", "family", "household", "home", "house", "building", "weapon", "rifle", "gun",
              "round", "shell", "rocket", "bomb", "device", "ied", "cache", "pound", "kilogram", "ton", "bag",
              "shot", "bullet", "compound", "structure", "business", "store", "tent", "shelter", "aid", "life"}
ORDINALS = {"second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}
# "left a man in critical condition", "is listed in stable condition": hurt, alive
CONDITIONS = {"critical", "serious", "stable", "fair", "grave", "good", "life-threatening"}
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
        self.dates: list[DateMention] = doc._.dates or []
        event_days = [d for d in self.dates if not _bounded(doc, d)]
        # a sentence without a day of its own: the document's first event day, else the day it was written
        first = event_days[0].date if event_days else doc._.ref_date
        self.document_day = first if document_date_fallback else None

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
        for token in self.doc:
            if _trigger_type(token) is not None or token.lemma_ in SHOOTING or _custody(token) or _own_life(token):
                for item in self._lone_victims(token, counted, seen, by_token):
                    found.append(item)
                    seen.add((item.noun, item.count.type))
        found += self._multiple_attacks()
        found += self._conditions(counted, seen)
        found.sort(key=lambda f: f.count.span.begin)
        self._link_including(found)
        self._add_totals(found)
        self._add_running_totals(found)
        return [f.count for f in found]

    def _multiple_attacks(self) -> list[_Found]:
        """'a double shooting' (two people shot), 'a triple homicide' (three people killed)."""
        found = []
        for token in self.doc:
            number = MULTIPLES.get(token.lower_)
            attack = token.head
            if number is None or token.dep_ not in ("amod", "compound") or attack.pos_ != "NOUN":
                continue
            kind = _casualty(attack)
            if kind is None:
                continue
            count = self._count(token.i, token.i + 1, None, kind, attack, attack)
            count.value = count.min_value = count.max_value = number
            found.append(_Found(count, attack.i, attack.i, token.i))
        return found

    def _conditions(self, counted: set[int], seen: set[tuple[int, str]]) -> list[_Found]:
        """'left a man in critical condition', 'the victim is in stable condition': one person hurt."""
        found = []
        for token in self.doc:
            if token.lemma_ != "condition" or token.dep_ != "pobj" or token.head.lower_ != "in" or not any(
                    c.lower_ in CONDITIONS for c in token.children):
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
        while attach.dep_ in ("conj", "appos") and attach.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON") \
                and attach.head.i < attach.i:
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
        kind = _noun_type(noun)
        if kind is not None:
            return kind, noun
        for child in [*noun.children, *own.children]:
            kind = _casualty(child) if child.dep_ in ("relcl", "acl", "amod") and not _negated(child) else None
            if kind is not None and not _agent_clause(child):
                return kind, child
        head = attach.head
        dep = attach.dep_
        if dep in ("nsubjpass", "dobj", "nsubj", "attr", "oprd") and head is not attach:
            found = self._verb_for(attach, head, dep)
            if found is not None:
                return found
        if dep == "pobj" and head.head is not head:
            governor = head.head
            if head.lower_ in ("to", "at", "of") and _is_toll(governor):
                return "Killed", governor
            if head.lower_ in ("to", "at") and governor.pos_ in ("VERB", "AUX"):
                subject = next((c for c in governor.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subject is not None and _is_toll(subject):
                    return "Killed", subject
            if head.lower_ == "of" and governor.dep_ in ("nsubjpass", "dobj", "nsubj") and governor.lower_ in (
                    "total", "number", "group"):
                return self._trigger_for(governor, governor, governor)
        if dep == "pobj" and head.lower_ == "with" and head.head.lower_ in ("along", "together"):
            verb = head.head.head  # "detained the leader along with three of his associates"
            kind = None if _negated(verb) else _casualty(verb)
            if kind is not None:
                return kind, verb
        if dep == "attr" and head.lemma_ == "be":
            subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
            if subject is not None and _is_toll(subject):
                return "Killed", subject
        return None

    def _verb_for(self, victim: Token, verb: Token, dep: str) -> tuple[str, Token] | None:
        if _negated(verb):
            return None
        kind = None if verb.lemma_ in LINKING and _trigger_type(verb) is None and not _custody(verb) \
            else _casualty(verb)
        if kind is not None:
            if dep == "nsubj" and not _patient_subject(verb) and not (_custody(verb) and verb.lemma_ in LINKING):
                return None  # "two gunmen killed ...": the subject did it
            if dep == "attr":
                return None
            return kind, verb
        if verb.lemma_ in LINKING:
            for child in verb.children:
                kind = _casualty(child) if child.dep_ in ("acomp", "oprd", "xcomp", "attr") else None
                if kind is not None and child is not victim:
                    return kind, child
        return None

    # victims without a number -------------------------------------------------------------------
    def _lone_victims(self, word: Token, counted: set[int], seen: set[tuple[int, str]],
                      quantities: dict[int, Quantity]) -> list[_Found]:
        kind = _casualty(word)
        if kind is None or _negated(word) or word.pos_ not in ("VERB", "ADJ", "AUX", "NOUN"):
            return []
        victims = []
        if word.pos_ == "NOUN" and word.lemma_ in WOUNDS:
            holder = word.head
            if word.dep_ == "pobj" and holder.lower_ == "with" and holder.head.pos_ in ("NOUN", "PROPN"):
                victims.append(holder.head)
            elif word.dep_ == "pobj" and holder.lower_ == "with" and holder.head.lemma_ in ("leave", "find"):
                victims += [c for c in holder.head.children if c.dep_ in ("dobj", "nsubjpass")]
            elif word.dep_ == "dobj" and holder.lemma_ in ("suffer", "sustain", "receive"):
                victims += [c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")]
            elif word.dep_ == "pobj" and holder.lower_ == "from" and holder.head.lemma_ in ("suffer", "die", "recover"):
                victims += [c for c in holder.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        for child in word.children:
            if word.pos_ == "NOUN":  # "the shooting death of 38-year-old Goldie Long", "a man's body"
                if child.dep_ == "prep" and child.lower_ == "of":
                    victims += [c for c in child.children if c.dep_ == "pobj"]
                elif child.dep_ == "poss" and kind == "Killed" and word.dep_ in ("nsubj", "nsubjpass", "dobj"):
                    victims.append(child)  # "Larry's death", "his body was found"; not "the side of his body"
            elif child.dep_ in ("nsubjpass", "dobj") or (child.dep_ == "nsubj" and (
                    _patient_subject(word) or (_custody(word) and word.lemma_ in LINKING))):
                victims.append(child)
        if word.dep_ in ("acomp", "oprd", "xcomp") and word.head.lemma_ in LINKING:
            # "left one man dead": the object; "was found dead", "remains missing": the subject
            linking = word.head
            while linking.dep_ == "conj" and not _has_subject(linking) and linking.head.i < linking.i:
                # "was shot ... and was pronounced dead"
                linking = linking.head
            around = [*word.head.children, *(linking.children if linking is not word.head else [])]
            objects = [c for c in word.head.children if c.dep_ == "dobj"]
            victims += objects or [c for c in around if c.dep_ in ("nsubj", "nsubjpass")]
        if word.dep_ in ("acl", "relcl") and word.head.pos_ in ("NOUN", "PROPN"):
            # "Man injured in York City shooting", "a man who was shot": the noun the clause describes
            victims = [v for v in victims if v.lower_ not in ("who", "that", "whom")] or [word.head]
        if not victims and word.dep_ in ("pcomp", "advcl") and any(c.dep_ == "auxpass" for c in word.children):
            governor = word.head.head if word.head.pos_ == "ADP" else word.head  # "is recovering after being shot"
            victims += [c for c in governor.children if c.dep_ in ("nsubj", "nsubjpass")]
        if word.dep_ == "conj" and not victims:  # "was shot and killed": the first verb's subject
            victims += [c for c in word.head.children if c.dep_ in ("nsubjpass",)]
            if not victims and _patient_subject(word):  # "was suffering from a wound and died"
                victims += [c for c in word.head.children if c.dep_ == "nsubj"]
        # "In south west Afghanistan, a Taliban leader and a suspected insurgent were captured"
        victims += [c for v in victims if not _lone(v) for c in v.children if c.dep_ == "appos"]
        victims += [c for v in victims for c in v.conjuncts]
        found = []
        for victim in victims:
            if victim.i in counted or (victim.i, kind) in seen or not _lone(victim):
                continue
            if any(victim.left_edge.i <= q <= victim.i for q in quantities):
                continue
            begin = victim.i if victim.pos_ == "PRON" else _phrase_start(victim)
            count = self._count(begin, victim.i + 1, None, kind, word, victim)
            found.append(_Found(count, victim.i, word.i, victim.i))
            seen.add((victim.i, kind))
        return found

    # building a Count -----------------------------------------------------------------------------
    def _count(self, start: int, end: int, quantity: Quantity | None, casualty: str, word: Token,
               noun: Token) -> Count:
        doc = self.doc
        sentence = word.sent
        phrase = doc[start:end]
        count = Count(
            span=Span(phrase.start_char, phrase.end_char, phrase.text),
            sentence=Span(sentence.start_char, sentence.end_char, sentence.text),
            type=casualty,
        )
        if quantity is None:
            count.value = count.min_value = count.max_value = 1
        else:
            count.qualifier = quantity.qualifier
            count.value, count.min_value, count.max_value = quantity.value, quantity.min_value, quantity.max_value
        count.victim_nationality = self._nationality(noun)
        count.perpetrator = self._perpetrator(word)
        count.place = self._place(word)
        count.date = self._date(word)
        count.dated = self._dated(word)
        count.of_perpetrators = casualty in HARM and _self_inflicted(noun, _clause_text(word))
        count.unstated = casualty == "Injured" and _unstated(word)
        count.additional = _adds(noun, word)
        return count

    def _entity(self, token: Token, kinds: AbstractSet[str]) -> Entity | None:
        entity = self.facts.entity_at(token.idx, token.idx + len(token.text))
        return entity if entity is not None and not kinds.isdisjoint(entity.kinds) else None

    def _actor(self, token: Token, itself: bool = True) -> str | None:
        """An actor a noun phrase names: itself, or a name or nationality inside it ("Israeli forces");
        with `itself` False only the latter ("in an Israeli airstrike", but not "in Ukraine")."""
        modifiers = [c for c in token.children if c.dep_ in ("compound", "amod", "poss", "nmod")]
        for candidate in [token, *modifiers] if itself else modifiers:
            entity = self._entity(candidate, ACTOR_KINDS)
            if entity is not None:
                return entity.key
        return None

    def _nationality(self, noun: Token) -> str | None:
        for candidate in [noun, *(c for c in noun.children if c.dep_ in ("compound", "amod", "nmod"))]:
            entity = self._entity(candidate, {"Country"})
            if entity is not None:
                return entity.key
        return None

    def _perpetrator(self, word: Token) -> str | None:
        verb = word.head if word.pos_ in ("NOUN", "PROPN") and word.dep_ in ("dobj", "nsubjpass") else word
        while verb.dep_ in ("conj", "xcomp", "acomp", "oprd", "advcl") and verb.head is not verb \
                and not _has_subject(verb):
            verb = verb.head
        for child in verb.children:
            if child.dep_ == "nsubj" and not _patient_subject(verb):
                actor = self._actor(child)
                if actor is not None:
                    return actor
            if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ in ATTACK_PREPS):
                for pobj in child.children:
                    if pobj.dep_ in ("pobj", "pcomp"):
                        actor = self._actor(pobj, itself=child.dep_ == "agent")
                        if actor is not None:
                            return actor
        if verb.dep_ == "nsubj" or _is_toll(verb):  # "the toll from the Israeli airstrike"
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ in ATTACK_PREPS:
                    for pobj in child.children:
                        actor = self._actor(pobj, itself=False) if pobj.dep_ == "pobj" else None
                        if actor is not None:
                            return actor
        return None

    def _place(self, word: Token) -> str | None:
        for token in word.subtree:
            if token.dep_ == "pobj" and token.head.lower_ in LOCATIVE:
                entity = self._entity(token, PLACE_KINDS)
                if entity is not None:
                    return entity.key
        return None

    def _dated(self, word: Token) -> bool:
        """Whether the sentence of `word` names the day itself."""
        sentence = word.sent
        return any(sentence.start <= d.start < sentence.end and not _bounded(self.doc, d) for d in self.dates)

    def _date(self, word: Token) -> dt.date | None:
        sentence = word.sent
        here = [d for d in self.dates if sentence.start <= d.start < sentence.end and not _bounded(self.doc, d)]
        clause = {t.i for t in word.subtree}
        within = [d for d in here if d.start in clause]
        chosen = within or here
        if chosen:  # a named day ("Monday", "June 14") is more precise than "today" or "overnight"
            return min(chosen, key=lambda d: (not _named_day(self.doc, d), d.start)).date
        return self.document_day

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
            part = self._count(quantity.start, quantity.end, quantity, parent.type, self.doc[found[whole].trigger],
                               noun)
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
            if item.count.part_of is None and item.head >= 0 and _coordinated(self.doc[item.head],
                                                                              self.doc[item.trigger]):
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
            if item.count.part_of is not None or item.noun < 0 or not _additional(self.doc[item.noun],
                                                                                  self.doc[item.trigger]):
                continue
            if _coordinated(self.doc[item.head], self.doc[item.trigger]):
                continue  # "killed Fayez Jan and one additional insurgent": one more than the conjunct
            earlier = [j for j, f in enumerate(found) if j != i and f.count.part_of is None
                       and f.count.type == item.count.type and f.count.span.end <= item.count.span.begin]
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
    return also and any((c.dep_ == "amod" and c.lower_ in ("other", "more")) or c.lower_ == "another"
                        for c in noun.children)


ADDING = {"additional", "other", "another", "more", "second", "third", "fourth", "fifth", "sixth", "others"}


def _adds(noun: Token, word: Token) -> bool:
    """Whether the people counted come on top of those counted before: 'two additional suspects',
    'another man was also shot', 'the security force also detained two suspects', 'arrested a leader
    and detained three suspects' (a second verb of the same kind with its own object)."""
    if noun.lower_ in ADDING or any(c.dep_ in ("amod", "det", "advmod") and c.lower_ in ADDING
                                    for c in noun.children):
        return noun.dep_ != "conj"  # "killed Fayez Jan and one additional insurgent": one more than the conjunct
    if any(c.dep_ == "advmod" and c.lower_ == "also" for c in word.children):
        return True
    verb = word
    while verb.dep_ in ("acomp", "oprd", "xcomp") and verb.head is not verb:
        verb = verb.head  # "was also found dead"
    if verb is not word and any(c.dep_ == "advmod" and c.lower_ == "also" for c in verb.children):
        return True
    return word.dep_ == "conj" and word.pos_ == "VERB" and _trigger_type(word.head) == _trigger_type(word) \
        and any(c.dep_ in ("dobj", "nsubjpass") for c in word.head.children) \
        and any(c.dep_ in ("dobj", "nsubjpass") for c in word.children)


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
    return noun.lemma_.lower() in ATTACKERS or noun.ent_type_ == "PERSON" or any(
        c.lower_ in ("suicide", "gunman", "shooter") for c in noun.children)


def _coordinated(phrase: Token, word: Token) -> bool:
    """'a leader and two insurgents' (conjuncts joined by a conjunction), 'the leader along with three
    of his associates' (the casualty word takes an 'along with' phrase)."""
    first = phrase
    while first.dep_ == "conj" and first.head.i < first.i:
        first = first.head
    members = [first, *first.conjuncts]
    if len(members) > 1 and any(c.dep_ == "cc" for m in members for c in m.children):
        return True
    return any(c.dep_ == "prep" and c.lower_ in ("along", "together") for c in word.children)


def _total(text: str, parts: list[Count]) -> Count:
    begin, end = parts[0].span.begin, parts[-1].span.end
    first = parts[0]
    sentence = Span(first.sentence.begin, parts[-1].sentence.end, text[first.sentence.begin:parts[-1].sentence.end])
    total = Count(span=Span(begin, end, text[begin:end]), sentence=sentence, type=first.type,
                  perpetrator=first.perpetrator, victim_nationality=None, place=first.place, date=first.date,
                  dated=first.dated)
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


def _trigger_type(token: Token) -> str | None:
    """The casualty type a word names by itself ("killed", "hostages", "missing")."""
    return TRIGGERS.get(token.lemma_.lower()) or TRIGGERS.get(token.lower_)


def _noun_type(noun: Token) -> str | None:
    """The type a counted noun names itself: '200 hostages', '300 deaths', 'three bodies'."""
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    lemma = noun.lemma_.lower()
    if lemma in ("hostage", "death", "fatality", "evacuee", "body"):
        held = TRIGGERS[lemma]
        verb = noun.head if noun.dep_ in ("dobj", "nsubjpass") else None
        if held == "Hostage" and verb is not None and _trigger_type(verb) in ("Released", "Killed"):
            return None  # "freed 24 hostages": the verb says what happened to them
        return held
    return None


def _clause_type(word: Token) -> str | None:
    """The type a casualty word gives with its complements and conjuncts: 'fatally wounded' and
    'shot dead' are Killed; 'shot and wounded' is Injured; 'shot' alone says nothing of the outcome."""
    related = [c for c in word.children if c.dep_ in ("conj", "oprd", "acomp", "xcomp", "advmod")
               and not (c.dep_ == "conj" and any(g.dep_ in ("dobj", "nsubj", "nsubjpass") for g in c.children))]
    if _custody(word):
        return "Captured"
    if _own_life(word):
        return "Killed"
    if any(o.lower_ in ("fatally", "dead") or o.lemma_ in ("kill", "die") for o in related) or any(
            c.dep_ == "prep" and c.lower_ == "to" and any(g.lower_ == "death" for g in c.children)
            for c in word.children):  # "shot dead", "fatally wounded", "shot to death"
        return "Killed"
    if word.lemma_ in SHOOTING and word.pos_ == "VERB":
        return next((k for k in map(_trigger_type, related) if k is not None), None)
    return _trigger_type(word)


def _own_life(word: Token) -> bool:
    """'took his own life', 'ended her own life'."""
    return word.lemma_ in ("take", "end") and any(
        c.dep_ == "dobj" and c.lemma_ == "life" and any(g.lower_ == "own" for g in c.children) for c in word.children)


def _custody(word: Token) -> bool:
    """'taken into custody', 'is in custody', 'remains in police custody'."""
    return word.pos_ in ("VERB", "AUX") and any(
        c.dep_ == "prep" and c.lower_ in ("into", "in") and any(g.lemma_ == "custody" for g in c.children)
        for c in word.children)


def _casualty(word: Token) -> str | None:
    """The type of a casualty word; a gunshot with no stated outcome is Injured (see `_unstated`)."""
    return _clause_type(word) or ("Injured" if _unstated(word) else None)


def _unstated(word: Token) -> bool:
    """'was shot', 'a man with a gunshot wound': hurt for sure, dead or alive unsaid."""
    if word.pos_ == "NOUN":
        return word.lemma_ in WOUNDS or word.lemma_ in ATTACKS
    return word.lemma_ in SHOOTING and word.pos_ == "VERB" and _clause_type(word) is None


def _patient_subject(verb: Token) -> bool:
    """Whether the subject of `verb` is who it happened to: 'three died', 'two others injured'."""
    lemma = verb.lemma_.lower()
    if lemma in ("die",) or _own_life(verb) or verb.lower_ in INTRANSITIVE and verb.pos_ == "ADJ":
        return True
    if verb.tag_ == "VBN" and not any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
        return True
    # a headline: "Man shot and killed on Detroit's west side"
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject is not None and subject.i == verb.sent.start and subject.is_title and subject.tag_ == "NN" \
        and not any(c.dep_ in ("dobj", "aux") for c in verb.children)


def _agent_clause(clause: Token) -> bool:
    """'two officers who fatally shot a man': the noun did it, it did not happen to them."""
    return any(c.dep_ == "nsubj" for c in clause.children) and not _patient_subject(clause)


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "agent") for c in verb.children)


def _negated(word: Token) -> bool:
    return any(c.dep_ == "neg" for c in word.children)


def _is_toll(token: Token) -> bool:
    return token.lemma_.lower() in TOLL_NOUNS and not any(
        c.lower_ in ("injury", "injuries", "casualty") for c in token.children)


def _lone(victim: Token) -> bool:
    """A single person named or described: 'a man', 'the Taliban leader', 'Jassely Lupoe', 'he'."""
    if victim.lower_ in NEGATIVE or any(c.lower_ in NEGATIVE for c in victim.children):
        return False
    if victim.lemma_.lower() in NOT_PEOPLE:
        return False
    if victim.pos_ == "PRON":
        return victim.lower_ in SINGULAR_PRONOUNS
    if victim.lower_ in ORDINALS and any(c.dep_ == "det" for c in victim.children):
        return True  # "a second was injured", "the fourth died"
    if victim.tag_ not in ("NN", "NNP") or victim.lemma_ in COLLECTIVE:
        return False  # "a number of insurgents", "a group of men": how many is not said
    if victim.ent_type_ == "PERSON" or any(c.dep_ in ("det", "poss") for c in victim.children):
        return True
    # a headline's bare noun: "Girl shot at party dies", "Man shot, killed on Detroit's west side"
    return victim.tag_ == "NN" and victim.is_title and victim.i == victim.sent.start


def _phrase_start(noun: Token) -> int:
    start = noun.i
    for child in noun.children:
        if child.i < noun.i and child.dep_ in ("det", "poss", "amod", "compound", "nummod", "npadvmod", "nmod"):
            start = min(start, child.left_edge.i)
    return start


def _named_day(doc: Doc, mention: DateMention) -> bool:
    return any(t.ent_type_ == "DATE" and (t.is_title or t.like_num) for t in doc[mention.start:mention.end])


def _bounded(doc: Doc, mention: DateMention) -> bool:
    """'since Oct. 7', 'until Friday': a day that bounds a period, not the day of an event."""
    return mention.start > 0 and doc[mention.start - 1].lower_ in NOT_THE_DAY
