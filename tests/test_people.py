"""Who: named victims and suspects of the main incident (nkg:victim, nkg:perpetrator), with their ages.
The real model, short texts in the style of local news."""
from __future__ import annotations

import datetime as dt

import pytest

from kg import pipeline


def who(nlp, text: str) -> tuple[dict[str, int | None], dict[str, int | None]]:
    """(victims, suspects) of the main incident: the person's key -> their age."""
    doc = next(pipeline.process(nlp, [(text, dt.date(2016, 3, 10))]))
    facts = doc._.facts
    incident = facts.incidents[facts.main_incident]
    people = {k: facts.entities[k].age for k in facts.entities if k.startswith("person/")}
    return ({k: people[k] for k in incident.victims},
            {k: people[k] for k in incident.perpetrators if k in people})


@pytest.mark.parametrize(("text", "victims", "suspects"), [
    pytest.param("One man was killed in a shooting late Sunday night, police said. Marcus Hill, 27, of Dayton, was "
                 "pronounced dead at the scene. Police arrested Jerome Tate, 31, on Monday and charged him with murder.",
                 {"person/marcus-hill": 27}, {"person/jerome-tate": 31}, id="victim-and-the-arrested"),
    pytest.param("A 16-year-old boy, Devin Moore, was shot and wounded Tuesday. Police said the suspect, Kyle Brandt, "
                 "19, fled on foot.", {"person/devin-moore": None}, {"person/kyle-brandt": 19}, id="the-suspect"),
    pytest.param("Tiffany Reed, 34, shot her husband, Carl Reed, 36, before killing herself, police said.",
                 {"person/carl-reed": 36}, {"person/tiffany-reed": 34}, id="a-suspect-who-dies-is-no-victim"),
])
def test_named_victims_and_suspects(nlp, text: str, victims: dict, suspects: dict) -> None:
    assert who(nlp, text) == (victims, suspects)


def test_an_official_who_speaks_is_neither(nlp) -> None:
    victims, suspects = who(nlp, "A man was shot and killed Tuesday on Elm Street. Sheriff Tom Wills said the "
                                 "investigation continues and asked witnesses to call.")
    assert not any("wills" in k for k in (*victims, *suspects))
