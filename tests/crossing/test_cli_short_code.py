"""The CLI face pairs by the short spoken code (the default), through a folder and a relay.

Sam types the words at the prompt (a pipe here), as a person would after hearing them; a word
that is not on the list is named before anything is written; a wrong code burns the invitation
and both devices print the same plain sentence.
"""

from pathlib import Path

import pytest

from tests.crossing.cli_couple import make_couple
from tests.relay.relay_fixture import RelayServer
from trustvault.sync import pgp_words
from trustvault.sync.pake_pairing import WRONG_CODE
from trustvault.sync.short_code import parse_code


def _wrong(code: str) -> str:
    parsed = parse_code(code)
    first = pgp_words.EVEN[(pgp_words.EVEN.index(parsed.first) + 1) % 256]
    return f"{parsed.channel}-{first}-{parsed.second}"


@pytest.mark.crossing("invite_by_words", "join_by_words", face="cli")
def test_the_words_pair_through_the_folder_and_a_wrong_code_burns_on_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = make_couple(tmp_path, monkeypatch, paired=False)
    folder = ("--folder", str(c.folder))
    out = c.alex.ok("invite", *folder)
    code = out.splitlines()[-1]
    assert parse_code(code).text == code and "burns it" in out
    # A word off the list is named, with the nearest ones, before the vault is even opened.
    typo = c.sam.run("join", *folder, stdin=code[:-1] + "x\n")
    assert typo.code != 0 and "is not one of the code's words" in typo.err
    assert len(typo.err.strip().splitlines()) == 1
    # The wrong words: both devices say the same plain sentence, and both stop.
    c.sam.ok("join", *folder, stdin=_wrong(code) + "\n")
    for person in (c.alex, c.sam):
        refused = person.run("sync")
        assert refused.code != 0 and WRONG_CODE in refused.err, refused.err
    assert c.alex.run("partner").code == 1 and c.sam.run("partner").code == 1
    # A new code, typed right: paired, each side told the other's name and the safety number.
    code = c.alex.ok("invite", *folder).splitlines()[-1]
    c.sam.ok("join", *folder, stdin=code.replace("-", " ") + "\n")
    c.alex.ok("sync")
    said = c.sam.ok("sync")
    assert "Paired with Alex." in said and "Safety number:" in said
    assert "Paired with Sam." in c.alex.ok("sync")
    alex_sees, sam_sees = c.alex.partner(), c.sam.partner()
    assert (alex_sees["name"], sam_sees["name"]) == ("Sam", "Alex")
    assert alex_sees["safety_number"] == sam_sees["safety_number"]
    assert alex_sees["safety_number"] in said
    c.never.append(b"Sam")  # names travel sealed: no blob holds one in the clear
    c.check_folder()


@pytest.fixture(scope="module")
def relay(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    server = RelayServer(tmp_path_factory.mktemp("relay") / "data").start()
    yield server
    server.stop()


@pytest.mark.crossing("invite_by_words", "join_by_words", face="cli")
def test_the_words_pair_through_a_loopback_relay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relay: RelayServer
) -> None:
    c = make_couple(tmp_path, monkeypatch, paired=False)
    code = c.alex.ok("invite", "--relay", relay.url).splitlines()[-1]
    c.sam.ok("join", "--relay", relay.url, stdin=code + "\n")
    c.alex.ok("sync")
    c.sam.ok("sync")
    c.alex.ok("sync")
    assert c.alex.partner()["name"] == "Sam" and c.sam.partner()["name"] == "Alex"
    c.alex.add("disclosure", "--title", "Over the relay", "--occurred", "2024-05-03")
    c.alex.ok("sync")
    c.sam.ok("sync")
    assert "Over the relay" in c.sam.titles()
