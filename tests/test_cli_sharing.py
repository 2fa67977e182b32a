"""The CLI shows each entry's life between the partners: delivery, answers, comments, tombstones."""

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli

PASSPHRASE = "correct horse battery"


def _cli(vault: Path, *args: str) -> str:
    done = run_cli(vault, *args)
    assert done.code == 0, done.err
    return done.out


def test_delivery_answers_comments_and_tombstone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUSTVAULT_PASSPHRASE", PASSPHRASE)
    alex, sam, folder = tmp_path / "alex", tmp_path / "sam", tmp_path / "sync"
    folder.mkdir()
    for vault, name in ((alex, "Alex"), (sam, "Sam")):
        _cli(vault, "init", "--name", name, "--kdf", "interactive")
    added = _cli(
        alex, "add", "disclosure", "--title", "Lunch", "--occurred", "2026-05-03", "--json"
    )
    entry_id = (
        json.loads(added)[0]["id"] if added.lstrip().startswith("[") else json.loads(added)["id"]
    )
    assert json.loads(_cli(alex, "show", entry_id, "--json"))[0]["delivery"] == "never shared"

    code = _cli(alex, "invite", "--long", "--folder", str(folder)).splitlines()[-1]
    _cli(sam, "join", code, "--folder", str(folder))
    _cli(alex, "sync")
    _cli(sam, "sync")
    shown = json.loads(_cli(alex, "show", entry_id, "--json"))[0]
    assert shown["delivery"] == "waits for verification"  # written before pairing
    _cli(alex, "verify")
    _cli(alex, "sync")
    _cli(sam, "sync")
    assert json.loads(_cli(alex, "show", entry_id, "--json"))[0]["delivery"] == "pending"
    _cli(sam, "ack", entry_id, "--need-time")
    _cli(sam, "comment", entry_id, "Thank you for telling me.")
    _cli(sam, "sync")
    _cli(alex, "sync")

    shown = json.loads(_cli(alex, "show", entry_id, "--json"))[0]
    assert shown["delivery"].startswith("delivered 2")
    assert [(r["person"], r["state"]) for r in shown["responses"]] == [("Sam", "need_time")]
    assert [(c["person"], c["text"]) for c in shown["comments"]] == [
        ("Sam", "Thank you for telling me.")
    ]
    text = _cli(alex, "show", entry_id)
    assert "Sam needs time" in text and "Thank you for telling me." in text

    _cli(alex, "revoke", entry_id)
    _cli(alex, "sync")
    _cli(sam, "sync")
    delivery = json.loads(_cli(alex, "show", entry_id, "--json"))[0]["delivery"]
    assert delivery.startswith("withdrawal pending")  # until Sam's device confirms it
    _cli(alex, "sync")
    assert json.loads(_cli(alex, "show", entry_id, "--json"))[0]["delivery"].startswith("withdrawn")
    tomb = json.loads(_cli(sam, "list", "--json"))[0]
    assert tomb["visibility"] == "withdrawn" and tomb["title"] == ""
    assert tomb["withdrawn"]["by"] == "Alex"
    assert "withdrawn by Alex on" in _cli(sam, "list")
