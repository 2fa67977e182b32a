"""``pause``, ``pause --more`` and ``back`` on two real vaults through ``trustvault-cli``: the
crossings of :meth:`Actions.pause`, :meth:`Actions.extend_pause` and :meth:`Actions.end_pause`
for the face ``cli``. What Sam's device says afterwards is the test."""

from pathlib import Path

import pytest

from tests.crossing.cli_couple import make_couple
from trustvault.cli.commands_pause import length_of
from trustvault.errors import InvalidField


@pytest.mark.crossing("pause", "extend_pause", "end_pause", face="cli")
def test_a_pause_reaches_the_partner_who_may_extend_or_end_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    couple = make_couple(tmp_path, monkeypatch)
    alex, sam = couple.alex, couple.sam
    assert "No pause is on." in sam.ok("pause")
    said = alex.ok("pause", "45m")
    assert "Pause on. You said you would be back at" in said
    refused = alex.run("pause", "30m")
    assert refused.code != 0 and "already" in refused.err
    short = alex.run("pause", "10m")
    assert short.code != 0 and "between 20 minutes and 24 hours" in short.err
    couple.sync_all(1)
    assert "Your partner asked for a pause, back at" in sam.ok("pause")
    first = sam.ok("pause").split("back at ")[1]

    assert "30 more minutes: back at" in sam.ok("pause", "--more")
    couple.sync_all()
    later = alex.ok("pause").split("back at ")[1]
    assert "You asked for a pause" in alex.ok("pause") and later != first

    assert "Welcome back" in sam.ok("back")
    couple.sync_all()
    shown = alex.ok("pause")
    assert "No pause is on." in shown
    assert "You have come back to each other after 1 pause." in shown
    gone = alex.run("back")
    assert gone.code != 0 and "no pause is on" in gone.err


def test_a_length_reads_as_people_write_it() -> None:
    assert length_of("45m").total_seconds() == 45 * 60
    assert length_of("1h30m").total_seconds() == 90 * 60
    assert length_of("90").total_seconds() == 90 * 60
    assert length_of("2h").total_seconds() == 2 * 3600
    with pytest.raises(InvalidField, match="not a length"):
        length_of("soon")
