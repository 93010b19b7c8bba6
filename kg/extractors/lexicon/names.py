"""Words around people's names: the particles a name goes on over, the titles that make a role, the
words that cue a name."""

from __future__ import annotations

# a full name goes on over these: "Mohammed bin Abdulrahman bin Jassim Al Thani"
NAME_PARTICLES = frozenset({"bin", "bint", "ibn", "al", "el", "abu", "abd", "abdul", "ben", "de", "van", "von"})
# words that make a title before a name a role
ROLE_HEADS = frozenset(
    """
secretary minister president vice prime premier chancellor king queen emir prince sheikh spokesman spokeswoman
spokesperson governor mayor chief commander director head officer official ambassador envoy negotiator senator
rep. representative congressman congresswoman general gen. lt. lieutenant capt. captain sgt. sergeant col. colonel
maj. major cpl. corporal pvt. private adm. admiral sheriff deputy detective prosecutor attorney judge leader
coordinator administrator chairman chairwoman chair superintendent inspector agent investigator coroner
trooper constable marshal undersecretary adviser advisor
""".split()
)
# lower-case words a title may hold before its head ("foreign minister", "deputy police chief")
ROLE_MODIFIERS = frozenset(
    """
foreign defense defence interior military regional district provincial police state deputy senior assistant
acting former army navy naval air force national security health public chief special press political
""".split()
)
# what joins the words of a title: "Minister of Foreign Affairs", "Chicago's police chief"
CONNECTORS = frozenset({"of", "and", "for", "'s", "\u2019s", "-"})
# a word for a person before a name: "victim Victoria Cantu", "suspect John Doe"
PERSON_CUES = frozenset({"victim", "suspect", "gunman", "shooter"})

__all__ = ["CONNECTORS", "NAME_PARTICLES", "PERSON_CUES", "ROLE_HEADS", "ROLE_MODIFIERS"]
