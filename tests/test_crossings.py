"""Border crossings: what they connect, whether they are open, who blocks and who runs them."""
from __future__ import annotations

import pytest

# (text, crossing key, places it connects, status, blocked by, operated by)
CROSSINGS = [
    pytest.param("The Rafah crossing between the Gaza Strip and Egypt remained closed on Monday.",
                 "crossing/rafah", {"place/gaza-strip", "country/EG"}, "Closed", set(), set(), id="remained-closed"),
    pytest.param("Hamas is holding about 200 hostages and blocking the Rafah crossing into Egypt.",
                 "crossing/rafah", {"country/EG"}, "Closed", {"org/hamas"}, set(), id="blocking"),
    pytest.param("Hamas continues to not operate their side of the Rafah gate.",
                 "crossing/rafah", set(), None, {"org/hamas"}, set(), id="not-operate"),
    pytest.param("The Kerem Shalom crossing was reopened on Sunday, Israeli officials said.",
                 "crossing/kerem-shalom", {"country/IL"}, "Open", set(), set(), id="reopened"),
    pytest.param("Israel shut the Erez crossing after the attack.",
                 "crossing/erez", {"country/IL"}, "Closed", {"country/IL"}, set(), id="shut"),
    pytest.param("The Torkham border crossing was blocked by Pakistani forces.",
                 "crossing/torkham", {"country/PK"}, "Closed", {"country/PK"}, set(), id="blocked-by"),
    pytest.param("Thousands travelled to the Argeen crossing into Egypt. The crossing is operated by Egyptian "
                 "authorities.", "crossing/argeen", {"country/EG"}, None, set(), {"country/EG"}, id="operated-by"),
    pytest.param("Soldiers closed the Qalandia checkpoint near Ramallah.", "crossing/qalandia-checkpoint", set(),
                 "Closed", set(), set(), id="unknown-checkpoint"),
]


@pytest.mark.parametrize(("text", "key", "connects", "status", "blocked", "operated"), CROSSINGS)
def test_crossing(nlp, text, key, connects, status, blocked, operated) -> None:
    entities = nlp(text)._.facts.entities
    assert key in entities, sorted(entities)
    crossing = entities[key]
    assert crossing.kinds == ("Crossing",)
    assert connects <= set(crossing.connects)
    assert crossing.status == status
    assert set(crossing.blocked_by) == blocked
    assert set(crossing.operated_by) == operated
    for linked in [*crossing.connects, *crossing.blocked_by, *crossing.operated_by]:
        assert entities[linked].mentions, f"{linked} is linked but not named in the document"


def test_the_crossing_refers_back_to_the_only_crossing(nlp) -> None:
    text = "Aid trucks waited at the Rafah crossing. The crossing remained closed on Tuesday."
    crossing = nlp(text)._.facts.entities["crossing/rafah"]
    assert "The crossing" in {m.text for m in crossing.mentions}
    assert crossing.status == "Closed"


def test_gazetteer_sides_need_a_mention(nlp) -> None:
    entities = nlp("Trucks queued at the Rafah crossing on Monday.")._.facts.entities
    assert entities["crossing/rafah"].connects == []
