"""Words of casualties: what happened to people (killed, hurt, held, freed, moved), who the people are,
the attackers' own harm, and the words of who, where and when.

The rules that read these words are kg.extractors.casualties (one token of a parse), counts, victims
and totals (the counts), tolls (whether a document says somebody died) and attribution.
"""

from __future__ import annotations

import re

# what happened -------------------------------------------------------------------------------------

# lemma of a verb, adjective or noun -> casualty type
TRIGGERS: dict[str, str] = {
    **dict.fromkeys(
        (
            "kill",
            "die",
            "slay",
            "murder",
            "massacre",
            "assassinate",
            "execute",
            "dead",
            "death",
            "fatality",
            "behead",
            "killed",
            "slain",
            "body",
            "homicide",
        ),
        "Killed",
    ),
    **dict.fromkeys(
        ("wound", "injure", "hurt", "wounded", "injured", "maim", "hospitalize", "hospitalized"), "Injured"
    ),
    **dict.fromkeys(("hostage", "abduct", "kidnap", "kidnapped", "abducted"), "Hostage"),
    **dict.fromkeys(("detain", "arrest", "capture", "apprehend", "detained", "arrested", "captured"), "Captured"),
    **dict.fromkeys(("free", "release", "freed", "released"), "Released"),
    **dict.fromkeys(("missing", "unaccounted"), "Missing"),
    **dict.fromkeys(("trap", "strand", "trapped", "stranded"), "Trapped"),
    **dict.fromkeys(("evacuate", "evacuee", "evacuated"), "Evacuated"),
    **dict.fromkeys(("displace", "displaced"), "Displaced"),
}


# nouns of the deed whose "of" names the people: "the deaths of twelve fighters"
EVENT_NOUNS = {
    "death": "Killed",
    "killing": "Killed",
    "murder": "Killed",
    "slaying": "Killed",
    "arrest": "Captured",
    "detention": "Captured",
    "capture": "Captured",
    "release": "Released",
    "evacuation": "Evacuated",
    "abduction": "Hostage",
    "kidnapping": "Hostage",
    "wounding": "Injured",
}


# words of violence that say nothing of the outcome by themselves ("shot" alone: Injured, outcome unstated)
SHOOTING = {"shoot", "stab"}


ATTACKS = {"shooting", "stabbing"}  # "a double shooting": how many were hit, not how it ended


MULTIPLES = {"double": 2, "triple": 3, "quadruple": 4}


WOUNDS = {"wound", "injury"}  # "a man with a gunshot wound", "he suffered injuries"


# a noun whose number is the count: "the death toll rose to 300", "a toll of 52"
TOLL_NOUNS = {"toll"}


# verbs whose subject is the victim when they carry a casualty complement ("remain missing", "left 3 dead")
LINKING = {"be", "remain", "leave", "pronounce", "find", "declare", "confirm", "report", "lie", "stay"}


# as adjectives, words whose subject is who it happened to: "120 are missing", "two were hurt"
INTRANSITIVE = {
    "die",
    "dead",
    "missing",
    "unaccounted",
    "trapped",
    "stranded",
    "wounded",
    "injured",
    "hurt",
    "displaced",
    "evacuated",
    "hostage",
    "killed",
}


# "took his own life", "ended her own life"
OWN_LIFE_VERBS = {"take", "end"}


# verbs of "taken into custody", "is in custody", "remains in police custody"
CUSTODY_VERBS = {"take", "place", "be", "remain", "hold", "keep", "put", "book"}


# with HOSPITALS: "was taken to the hospital", "rushed to a trauma center": hurt, the outcome unsaid
HOSPITAL_VERBS = {
    "take",
    "rush",
    "transport",
    "send",
    "transfer",
    "airlift",
    "fly",
    "carry",
    "drive",
    "admit",
    "hospitalize",
    "treat",
}


HOSPITALS = {"hospital", "center", "centre", "clinic", "trauma", "infirmary"}


# "was struck in the leg", "hit by a stray bullet", "grazed": a person hit by gunfire (with `STRUCK_BY`)
STRIKE_VERBS = {"strike", "hit", "graze"}


# what a person is struck in or by (with STRIKE_VERBS): "struck in the leg", "hit by a stray bullet"
STRUCK_BY = {
    "leg",
    "arm",
    "head",
    "chest",
    "back",
    "shoulder",
    "foot",
    "hand",
    "neck",
    "stomach",
    "abdomen",
    "torso",
    "face",
    "hip",
    "thigh",
    "knee",
    "buttocks",
    "side",
    "bullet",
    "gunfire",
    "round",
    "shot",
    "shrapnel",
    "fragment",
    "pellet",
}


# "left a man in critical condition", "is listed in stable condition": hurt, alive
CONDITIONS = {"critical", "serious", "stable", "fair", "grave", "good", "life-threatening"}


# verbs whose infinitive complement is intended, not done: "threatened to kill"
INTENT = {
    "threaten",
    "plan",
    "try",
    "attempt",
    "want",
    "seek",
    "intend",
    "vow",
    "aim",
    "plot",
    "hope",
    "mean",
    "order",
    "call",
    "demand",
    "urge",
    "push",
    "work",
    "negotiate",
    "help",
    "refuse",
    "fail",
    "agree",
    "expect",
    "prepare",
    "allow",
    "continue",
}


# words that say somebody died, without a number of their own. Not the Killed words of TRIGGERS: these are
# read on any word of the document, without the parse that tells a count's "his body was found" from "shot
# in the upper body" (with the Killed triggers among them, 4 graphs of gvdb-dev and 20 of gva-dev change,
# by "body" mostly). They add the forms the model may not lemmatize ("died", "murdered") and words that
# TRIGGERS does not hold ("deceased", "fatal", "fatally", "killing").
DEATH_WORDS = {
    "die",
    "dead",
    "deceased",
    "homicide",
    "murder",
    "fatal",
    "fatally",
    "death",
    "slay",
    "kill",
    "killing",
    "murdered",
    "killed",
    "dies",
    "died",
}
# "attempted murder", "death threats": words of death that report none
NOT_A_DEATH = {"attempted", "attempt", "threat", "threats", "sentence", "penalty", "row", "wish", "toll"}
# words that deny the death word they go with (its own or its head's): "no deaths", "not fatal", "never died"
NEGATIONS = {"no", "not", "none", "nobody", "never", "neither", "n't"}


# the people -----------------------------------------------------------------------------------------

# what is counted but is not people: "300 trucks", "5,000 families", "their dog"
NOT_PEOPLE = {
    "dog",
    "cat",
    "animal",
    "pet",
    "horse",
    "cow",
    "sheep",
    "goat",
    "k-9",
    "k9",
    "canine",
    "truck",
    "vehicle",
    "car",
    "family",
    "household",
    "home",
    "house",
    "building",
    "weapon",
    "rifle",
    "gun",
    "round",
    "shell",
    "rocket",
    "bomb",
    "device",
    "ied",
    "cache",
    "pound",
    "kilogram",
    "ton",
    "bag",
    "shot",
    "bullet",
    "compound",
    "structure",
    "business",
    "store",
    "tent",
    "shelter",
    "aid",
    "life",
    # what is released or identified about people, not people: "released the name of the victim"
    "name",
    "identity",
    "detail",
    "information",
    "video",
    "footage",
    "statement",
    "report",
    "record",
    "photo",
    "image",
    "document",
    "result",
    "autopsy",
}
# a noun that stands for the person its "of" names: "the identity of the man found shot"
STANDS_FOR = {"identity", "name", "body", "remains"}


# a pronoun that is one victim: "he was shot"
SINGULAR_PRONOUNS = {"he", "she", "him", "her", "his", "himself", "herself"}
# a victim that is nobody in particular, not a count of one: "no one was hurt", "none died", "did not
# injure anyone", "neither officer was hurt". Apart from NEGATIONS: "anyone" names nobody but denies
# nothing ("anyone who saw it"), and a victim's verb is denied by its own "not" (casualties.negated).
NOBODY = {"no", "none", "nobody", "anyone", "anybody", "noone", "neither"}
# "a second was injured", "the fourth died": one more person
ORDINALS = {"second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}
# "a number of insurgents", "a group of men": how many is not said
COLLECTIVE = {"number", "group", "total", "handful", "lot", "couple", "crowd", "family", "dozen"}


# people on top of those counted before: "two additional suspects", "another man was also shot"
ADDING = {"additional", "other", "another", "more", "second", "third", "fourth", "fifth", "sixth", "others"}
SCHOOL_YEARS = {"grader", "grade", "year"}  # "a sixth grader" is in the sixth grade, not the sixth victim


# the attackers --------------------------------------------------------------------------------------

# the attackers themselves: their own deaths and wounds are a toll apart from their victims'
ATTACKERS = {"gunman", "gunmen", "shooter", "attacker", "assailant", "bomber", "killer", "perpetrator", "suspect"}
# "then killed himself": the one who did it, harmed
REFLEXIVE = {"himself", "herself", "themselves"}
# in the clause of a harm, phrases of the attacker's own: "the gunman took his own life", "self-inflicted"
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
# "accidentally shooting himself": a victim of his own hand, not an attacker
ACCIDENT = re.compile(r"\baccident(?:al|ally)?\b", re.I)


# who, where and when --------------------------------------------------------------------------------

# prepositions of the place: "killed in Kabul"
LOCATIVE = {"in", "at", "near", "on", "outside", "inside", "across", "throughout"}
# where a victim is treated, not where they were hurt: "flown to University Trauma Center in San Antonio",
# "taken to a hospital in Knoxville" (a "center" only with one of CARE_WORDS: "a recreation center in
# Dayton" may be the scene)
CARE_PLACES = {"hospital", "clinic", "infirmary"}
CARE_WORDS = {"medical", "trauma", "health", "burn", "cancer", "children's", "regional"}
# prepositions of the attack or the agent: "killed in an Israeli airstrike", "by gunmen"
ATTACK_PREPS = {"in", "during", "by", "from"}
# "since Oct. 7", "until Friday": a day that bounds a period, not the day of an event
NOT_THE_DAY = {"since", "until", "till", "before", "after", "by", "through"}
