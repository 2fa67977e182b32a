"""``talk start|write|done|show|set-aside`` on two real vaults through ``trustvault-cli``: the
crossings of :meth:`Actions.start_conversation`, :meth:`Actions.write_part`,
:meth:`Actions.finish_part` and :meth:`Actions.set_aside_conversation` for the face ``cli``.
What Sam's device shows (and what it could read) is the test."""

from pathlib import Path

import pytest

from tests.crossing.cli_couple import make_couple
from trustvault.cli.commands_conversation import parse_part_file
from trustvault.conversation_templates import TEMPLATES
from trustvault.conversation_view import SET_ASIDE
from trustvault.errors import InvalidField

ALEX_FILE = "[feelings]\nRaw, and glad we are doing this\n\n[ownership]\nI snapped at dinner\n"


@pytest.mark.crossing("start_conversation", "write_part", "finish_part", face="cli")
def test_both_parts_show_on_both_devices_only_once_both_are_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    couple = make_couple(tmp_path, monkeypatch)
    alex, sam = couple.alex, couple.sam
    event = alex.add("event", "--title", "Sunday check-in", "--start", "2026-12-06T18:00",
                     "--kind", "check_in")  # fmt: skip
    couple.sync_all(1)
    said = alex.ok("talk", "start", "fanos", "--event", event[:8], "--start", "2026-12-06T18:00")
    assert "FANOS check-in opened" in said and "what you have read stays read" in said
    cid = said.split("opened: ")[1][:8]
    part_file = tmp_path / "alex-part.txt"
    part_file.write_text(ALEX_FILE, encoding="utf-8")
    assert "Kept on this device" in alex.ok("talk", "write", cid, "--from", str(part_file))
    couple.never = [b"snapped at dinner", b"glad we are doing this"]  # not even sealed
    couple.sync_all(1)
    assert "You are both writing" in sam.ok("talk", "show", cid)
    assert "Done. Your part is fixed" in alex.ok("talk", "done", cid)
    couple.sync_all(1)
    shown = sam.json("talk", "show", cid)
    assert shown["partner"] == {"state": "done", "answers": {}}
    assert "Alex is done. Write your part" in sam.ok("talk", "show", cid)
    assert "Waiting for Sam" in alex.ok("talk", "show", cid)

    prompts = sam.ok("talk", "write", cid, stdin="Steady\n\nYou listened\nall evening\n\n\n\n\n")
    assert "Appreciation: Something your partner did" in prompts
    assert "snapped" not in sam.ok("talk", "show", cid)
    assert "Alex is done too" in sam.ok("talk", "done", cid)
    couple.never = []
    couple.sync_all(2)
    for person, other in ((sam, "I snapped at dinner"), (alex, "all evening")):
        both = person.ok("talk", "show", cid)
        assert other in both and "Ownership" in both, both
    data = sam.json("talk", "show", cid)
    assert data["both_shown"] and data["partner"]["answers"]["feelings"].startswith("Raw")
    assert data["mine"]["answers"]["appreciation"] == "You listened\nall evening"
    refused = alex.run("talk", "write", cid, "--from", str(part_file))
    assert refused.code != 0 and "can no longer change" in refused.err
    assert "both parts shown" in alex.ok("talk", "list")


@pytest.mark.crossing("set_aside_conversation", face="cli")
def test_after_unpairing_an_unfinished_conversation_is_set_aside_on_one_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pair is gone, so nothing is sent: Alex's device shows it set aside and queues no op;
    Sam's goes on showing it as it was, and Sam may set it aside too."""
    couple = make_couple(tmp_path, monkeypatch)
    alex, sam = couple.alex, couple.sam
    cid = alex.ok("talk", "start", "fanos").split("opened: ")[1][:8]
    part_file = tmp_path / "alex-part.txt"
    part_file.write_text(ALEX_FILE, encoding="utf-8")
    alex.ok("talk", "write", cid, "--from", str(part_file))
    alex.ok("talk", "done", cid)
    couple.sync_all(1)
    paired = alex.run("talk", "set-aside", cid)
    assert paired.code == 1 and "still paired, so your partner may finish it" in paired.err

    alex.ok("unpair")
    assert "Alex unpaired today" in sam.ok("sync")
    queued = alex.queued_ops()
    assert SET_ASIDE in alex.ok("talk", "set-aside", cid)
    assert alex.queued_ops() == queued
    shown = alex.json("talk", "show", cid)
    assert shown["set_aside"].startswith("20") and not shown["both_shown"]
    assert shown["mine"]["answers"]["ownership"] == "I snapped at dinner"  # kept, here only
    text = alex.ok("talk", "show", cid)
    assert SET_ASIDE in text and "I snapped at dinner" in text and "Waiting" not in text
    assert f"{cid}" in alex.ok("talk", "list") and "set aside 20" in alex.ok("talk", "list")
    again = alex.run("talk", "set-aside", cid)
    assert again.code == 1 and "set aside already" in again.err

    assert "is done. Write your part" in sam.ok("talk", "show", cid)  # as it was
    assert sam.json("talk", "show", cid)["set_aside"] == ""
    assert SET_ASIDE in sam.ok("talk", "set-aside", cid)
    refused = sam.run("talk", "write", cid, stdin="late\n\n\n\n\n\n")
    assert refused.code == 1 and "set aside after unpairing" in refused.err


def test_a_part_file_names_its_parts() -> None:
    fanos = TEMPLATES["fanos"]
    assert parse_part_file(fanos, "[needs]\n  Sleep \n[self_care]\nA walk") == {
        "needs": "Sleep",
        "self_care": "A walk",
    }
    with pytest.raises(InvalidField, match=r"\[issue\] is not a part of FANOS"):
        parse_part_file(fanos, "[issue]\nx")
    with pytest.raises(InvalidField, match="under a line naming it"):
        parse_part_file(fanos, "just text")
