"""Questions through ``trustvault-cli`` on two real vaults: Sam asks, Alex answers, and each
device prints the same question, its answer and how long it waited."""

from pathlib import Path

import pytest

from tests.crossing.cli_couple import make_couple


@pytest.mark.crossing("add", face="cli")
def test_a_question_asked_on_one_device_is_answered_from_the_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = make_couple(tmp_path, monkeypatch)
    (asked,) = c.sam.json("ask", "Did you see them after March?", "--for-session")
    home = c.sam.add("question", "--text", "Who else knew?")
    c.sync_all()

    waiting = c.alex.json("questions", "--waiting")
    assert [(x["text"], x["asked_by"], x["setting"], x["answered"]) for x in waiting] == [
        ("Who else knew?", "Sam", "at_home", False),
        ("Did you see them after March?", "Sam", "for_session", False),
    ]
    words = c.alex.ok("questions")
    assert "Sam asked (for our session), asked today:" in words

    own = c.sam.run("answer", asked["id"][:12], "--title", "x", "--occurred", "2026-03-02")
    assert own.code == 1 and "answers: that is your own question" in own.err
    said = c.alex.ok(
        "answer", asked["id"][:12], "--title", "Once, in April", "--occurred", "2026-04-10"
    )
    assert "It answers Sam's question" in said
    c.alex.ok("add", "disclosure", "--title", "Nobody", "--occurred", "2026-03-01",
              "--answers", home[:12])  # fmt: skip
    c.sync_all()

    for person in (c.alex, c.sam):
        listed = {x["text"]: x for x in person.json("questions")}
        assert listed["Did you see them after March?"]["status"] == "answered the same day"
        assert listed["Who else knew?"]["answered"]
        assert person.json("questions", "--waiting") == []
        (shown,) = [e for e in person.json("list") if e["title"] == "Once, in April"]
        assert shown["answers"] == asked["id"]
        assert "Sam asked: Did you see them after March?" in person.ok("show", shown["id"])
    question = c.sam.show(asked["id"])
    assert question["answered"] and len(question["answered_by"]) == 1
    assert "answered the same day" in c.sam.ok("list", "--kind", "question")
