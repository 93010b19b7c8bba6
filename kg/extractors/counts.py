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

Which words are casualty words is kg.extractors.casualties (the words themselves are
kg.extractors.lexicon.casualties); which people a count counts is kg.extractors.victims; how counts
make totals and parts of one another is kg.extractors.totals; who did it, where and when is
kg.extractors.attribution.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from kg.extractors.attribution import Attribution
from kg.extractors.casualties import (
    HARM,
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
    self_inflicted,
    struck,
    trigger_type,
    unstated,
)
from kg.extractors.facts import Count, Facts, Span
from kg.extractors.lexicon.casualties import CONDITIONS, EVENT_NOUNS, LINKING, MULTIPLES, NOT_PEOPLE, SHOOTING, WOUNDS
from kg.extractors.numbers import Quantity
from kg.extractors.sentences import sentence_of
from kg.extractors.totals import Found, add_running_totals, add_totals, adds, link_including, own_harm
from kg.extractors.victims import (
    attachment,
    both,
    counted_noun,
    list_members,
    lone,
    lone_member,
    phrase_root,
    phrase_start,
    stood_for,
)


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
        found: list[Found] = []
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
        own_harm(self.doc, found)
        found.sort(key=lambda f: f.count.span.begin)
        link_including(self.doc, found, self._count)
        add_totals(self.doc, found)
        add_running_totals(self.doc, found)
        return [f.count for f in found]

    def _multiple_attacks(self, candidates: list[Token]) -> list[Found]:
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
            found.append(Found(count, attack.i, attack.i, token.i))
        return found

    def _conditions(self, candidates: list[Token], counted: set[int], seen: set[tuple[int, str]]) -> list[Found]:
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
                if victim.i in counted or (victim.i, "Injured") in seen or not lone(victim):
                    continue
                begin = victim.i if victim.pos_ == "PRON" else phrase_start(victim)
                count = self._count(begin, victim.i + 1, None, "Injured", token, victim)
                found.append(Found(count, victim.i, token.i, victim.i))
                seen.add((victim.i, "Injured"))
        return found

    # one quantity ---------------------------------------------------------------------------
    def _from_quantity(self, quantity: Quantity) -> Found | None:
        doc = self.doc
        root = phrase_root(doc, quantity)
        noun = counted_noun(root)
        own = attach = attachment(root)
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
        return Found(self._count(quantity.start, quantity.end, quantity, casualty, word, noun), noun.i, word.i, own.i)

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
    ) -> list[Found]:
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
                victims.append(stood_for(linking.head))
        if not victims and word.dep_ == "advcl" and word.tag_ in ("VBN", "VBD") and not has_subject(word):
            # "identified the teenager fatally shot May 4": a participle the parser hung on the verb
            before = self.doc[word.left_edge.i - 1] if word.left_edge.i > 0 else None
            if before is not None and before.dep_ in ("dobj", "pobj") and before.pos_ in ("NOUN", "PROPN"):
                victims.append(before)
        if word.dep_ in ("acl", "relcl") and word.head.pos_ in ("NOUN", "PROPN"):
            # "Man injured in York City shooting", "a man who was shot": the noun the clause describes
            victims = [v for v in victims if v.lower_ not in ("who", "that", "whom")] or [stood_for(word.head)]
        if not victims and word.dep_ in ("pcomp", "advcl") and any(c.dep_ == "auxpass" for c in word.children):
            governor = word.head.head if word.head.pos_ == "ADP" else word.head  # "is recovering after being shot"
            victims += [c for c in governor.children if c.dep_ in ("nsubj", "nsubjpass")]
        if word.dep_ == "conj" and not victims:  # "was shot and killed": the first verb's subject
            victims += [c for c in word.head.children if c.dep_ in ("nsubjpass",)]
            if not victims and patient_subject(word):  # "was suffering from a wound and died"
                victims += [c for c in word.head.children if c.dep_ == "nsubj"]
        # "In south west Afghanistan, a Taliban leader and a suspected insurgent were captured"
        victims += [c for v in victims if not lone(v) for c in v.children if c.dep_ == "appos"]
        victims += [c for v in victims for c in v.conjuncts]
        victims += [m for v in victims for m in list_members(v) if m not in victims]
        found = []
        for victim in victims:
            if victim.i in counted or (victim.i, kind) in seen or not (lone(victim) or lone_member(victim)):
                continue
            if any(victim.left_edge.i <= q <= victim.i for q in quantities):
                continue
            begin = victim.i if victim.pos_ == "PRON" else phrase_start(victim)
            count = self._count(begin, victim.i + 1, None, kind, word, victim)
            found.append(Found(count, victim.i, word.i, victim.i))
            seen.add((victim.i, kind))
        return found

    # building a Count -----------------------------------------------------------------------------
    def _count(self, start: int, end: int, quantity: Quantity | None, casualty: str, word: Token, noun: Token) -> Count:
        doc = self.doc
        sentence = sentence_of(word)
        phrase = doc[start:end]
        count = Count(
            span=Span(phrase.start_char, phrase.end_char, phrase.text),
            sentence=Span.trimmed(doc.text, sentence.start_char, sentence.end_char),
            type=casualty,
        )
        if quantity is None:
            count.value = count.min_value = count.max_value = 2 if both(noun) else 1
        else:
            count.qualifier = quantity.qualifier
            count.value, count.min_value, count.max_value = quantity.value, quantity.min_value, quantity.max_value
        count.victim_nationality = self.attribution.nationality(noun)
        count.perpetrator = self.attribution.perpetrator(word)
        count.place = self.attribution.place(word)
        count.date = self.attribution.date(word)
        count.dated = self.attribution.dated(word)
        count.of_perpetrators = casualty in HARM and self_inflicted(noun, word)
        count.unstated = casualty == "Injured" and unstated(word)
        count.additional = adds(noun, word)
        return count
