"""``delete ID`` on two real vaults through ``trustvault-cli``: the crossing of
:meth:`Actions.delete` for the face ``cli``. What Sam's device shows afterwards is the test."""

from pathlib import Path

import pytest

from tests.crossing.cli_couple import make_couple


@pytest.mark.crossing("delete", face="cli")
def test_delete_leaves_the_partner_a_tombstone_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    couple = make_couple(tmp_path, monkeypatch)
    alex, sam = couple.alex, couple.sam
    entry = alex.add(
        "disclosure", "--title", "Kissed Robin", "--body", "At the lakehouse", "--occurred",
        "2024-05-03",
    )  # fmt: skip
    couple.sync_all(1)
    sam.ok("comment", entry, "I need a walk.")
    couple.sync_all(1)

    refused = sam.run("delete", entry, "--yes")
    assert refused.code != 0 and "only its author can delete an entry" in refused.err
    unasked = alex.run("delete", entry)  # a pipe, not a terminal: nobody could confirm
    assert unasked.code != 0 and "add --yes" in unasked.err
    assert alex.show(entry)["title"] == "Kissed Robin"

    said = alex.ok("delete", entry, "--yes")
    assert "Deleted" in said and "Sam's device deletes its copy" in said
    assert "deleted by Alex on" in said
    assert alex.run("show", entry).code != 0
    couple.never += [b"Kissed Robin", b"At the lakehouse"]
    couple.sync_all()

    tomb = sam.show(entry)
    assert (tomb["visibility"], tomb["title"], tomb["deleted"]["by"]) == ("withdrawn", "", "Alex")
    assert "body" not in tomb and "withdrawn" not in tomb
    assert [c["text"] for c in tomb["comments"]] == ["I need a walk."]  # Sam's own stays
    assert "deleted by Alex on" in sam.ok("list")
    assert "Kissed Robin" not in sam.ok("list")
    assert sam.json("search", "lakehouse") == []
    assert alex.run("grant", entry).code != 0  # nothing left to share again
