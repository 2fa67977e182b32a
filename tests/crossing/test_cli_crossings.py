"""Every action of the one door, driven through ``trustvault-cli`` on two real vaults (Alex and
Sam) paired through a real folder, and judged by what the *other* device's CLI shows after both
have synced: the crossings of ``tests/test_action_crossings.py`` for the face ``cli``.

The last two tests are the issue's bugs: an edit that makes a delivered entry private with a new
title must withdraw it without the new title ever being sealed into the folder, and ``accept``
must reach the partner.
"""

import json
from pathlib import Path

import pytest

from tests.crossing.cli_couple import Couple, Person, make_couple
from tests.helpers import MemoryKeyring

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//TrustVault tests//EN
{events}END:VCALENDAR
"""
VEVENT = """BEGIN:VEVENT
UID:{uid}@tests
DTSTART:{day}T190000Z
DTEND:{day}T210000Z
SUMMARY:{title}
END:VEVENT
"""


@pytest.fixture
def couple(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Couple:
    return make_couple(tmp_path, monkeypatch)


def disclosure(person: Person, title: str, *args: str) -> str:
    return person.add("disclosure", "--title", title, "--occurred", "2024-05-03", *args)


def ics_file(path: Path, *events: tuple[str, str]) -> str:
    """An .ics file with one evening event per (title, YYYYMMDD)."""
    body = "".join(VEVENT.format(uid=day, day=day, title=t) for t, day in events)
    path.write_text(ICS.format(events=body), encoding="utf-8")
    return str(path)


# -- the vault's life and pairing --------------------------------------------------------------


@pytest.mark.crossing("create", "unlock", "invite", "join", "sync", face="cli")
def test_vaults_made_by_init_pair_and_exchange_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = make_couple(tmp_path, monkeypatch, paired=False)
    right, c.alex.passphrase = c.alex.passphrase, "not the passphrase"
    assert c.alex.run("list").code == 2  # unlock refuses a wrong passphrase...
    c.alex.passphrase = right  # ...and every command below unlocks with the right one

    code = c.alex.ok("invite", "--long", "--folder", str(c.folder)).splitlines()[-1]
    c.sam.ok("join", "--folder", str(c.folder), stdin=code + "\n")  # the code read at a prompt
    assert c.alex.run("partner").code == 1  # Alex's device has not answered the join yet
    assert c.sam.partner()["status"] == "joining"
    c.sync_all(1)
    assert [r["paired_now"] for r in c.results] == [True, True]

    alex_sees, sam_sees = c.alex.partner(), c.sam.partner()
    assert (alex_sees["name"], sam_sees["name"]) == ("Sam", "Alex")
    assert alex_sees["status"] == sam_sees["status"] == "paired"
    assert alex_sees["safety_number"] == sam_sees["safety_number"]
    assert len(alex_sees["safety_number"].split()) == 8

    disclosure(c.alex, "Lunch with Jo")
    disclosure(c.sam, "Called my sister")
    c.results.clear()
    c.sync_all()
    alex_round, sam_round = c.results[:2]
    # Sam's round sends Sam's disclosure and the word that Alex's reached Sam's device.
    assert (alex_round["sent"], sam_round["received"], sam_round["sent"]) == (1, 1, 2)
    assert c.sam.titles() == c.alex.titles() == {"Lunch with Jo", "Called my sister"}


@pytest.mark.crossing("verify", face="cli")
def test_verify_marks_the_partner_on_this_device_only(couple: Couple) -> None:
    before = couple.sam.partner()["safety_number"]
    assert "Marked Sam as verified" in couple.alex.ok("verify")
    couple.sync_all(1)
    alex_sees, sam_sees = couple.alex.partner(), couple.sam.partner()
    assert alex_sees["verified"] is True
    assert sam_sees["verified"] is False  # Sam has compared nothing yet
    assert alex_sees["safety_number"] == sam_sees["safety_number"] == before


@pytest.mark.crossing("unpair", face="cli")
def test_after_unpair_new_entries_stay_on_the_device(couple: Couple) -> None:
    before = disclosure(couple.alex, "Before", "--body", "what Sam already has")
    couple.sync_all(1)
    couple.alex.ok("unpair")
    assert couple.alex.run("partner").code == 1
    assert couple.alex.run("sync").code == 1  # nothing more leaves Alex's device
    disclosure(couple.alex, "After unpairing")
    # Sam's device learns of it at its next sync, and stops syncing too.
    assert "Alex unpaired today: nothing more is exchanged" in couple.sam.ok("sync")
    again = couple.sam.run("sync")
    assert again.code == 1 and "Alex unpaired today" in again.err and "pair anew" in again.err
    assert "Alex unpaired today" in couple.sam.run("partner").err
    assert couple.sam.titles() == {"Before"}
    assert couple.sam.show(before)["body"] == "what Sam already has"
    assert couple.alex.titles() == {"Before", "After unpairing"}  # entries stay


@pytest.mark.crossing("unpair", face="cli")
def test_unpair_waits_for_a_withdrawal_or_goes_anyway(couple: Couple) -> None:
    told = disclosure(couple.alex, "Said too soon", "--body", "the words")
    couple.sync_all(1)
    couple.alex.ok("revoke", told)
    waiting = couple.alex.run("unpair")
    assert waiting.code == 1 and "Unpairing waits" in waiting.err
    assert "has not yet taken in 1 of your withdrawals" in waiting.err
    assert couple.alex.partner()["status"] == "paired"
    couple.sam.ok("sync")  # Sam's device takes the withdrawal in
    couple.alex.ok("unpair")
    assert couple.sam.show(told)["visibility"] == "withdrawn"

    couple.sam.ok("unpair")
    couple.pair()  # and the other way: unpairing anyway, while a withdrawal is on its way
    couple.sync_all(1)
    again = disclosure(couple.alex, "Again", "--body", "more words")
    couple.sync_all(1)
    couple.alex.ok("revoke", again)
    assert "Unpaired" in couple.alex.ok("unpair", "--anyway")
    assert couple.alex.run("partner").code == 1


@pytest.mark.crossing("set_daily_receipts", face="cli")
def test_daily_receipts_keep_the_author_from_seeing_when(couple: Couple) -> None:
    assert "once a day" in couple.sam.ok("receipts", "--daily")
    entry = disclosure(couple.alex, "Told", "--body", "words")
    couple.sync_all()
    assert couple.sam.show(entry)["title"] == "Told"  # Sam's device has it...
    assert couple.alex.show(entry)["delivery"] == "pending"  # ...and has not said when
    assert "at once" in couple.sam.ok("receipts", "--at-once")
    couple.sync_all()
    assert couple.alex.show(entry)["delivery"].startswith("delivered 2")


# -- entries -----------------------------------------------------------------------------------


@pytest.mark.crossing("add", face="cli")
def test_added_entry_reaches_partner_and_a_private_one_does_not(couple: Couple) -> None:
    shared = disclosure(couple.alex, "Texted my ex", "--body", "In March, about the flat")
    checkin = couple.alex.add("checkin", "--mood", "6", "--safety", "7")  # private by default
    couple.sync_all()
    seen = couple.sam.show(shared)
    assert (seen["title"], seen["body"]) == ("Texted my ex", "In March, about the flat")
    assert (seen["author"], seen["visibility"], seen["delivery"]) == (
        "Alex",
        "shared",
        "from partner",
    )
    assert [e["id"] for e in couple.sam.json("list")] == [shared]
    assert couple.alex.show(shared)["delivery"].startswith("delivered 2")
    assert couple.alex.show(checkin)["delivery"] == "never shared"


@pytest.mark.crossing("edit", face="cli")
def test_edit_reaches_partner_with_the_earlier_version_in_history(couple: Couple) -> None:
    entry = disclosure(couple.alex, "Lunch")
    couple.sync_all(1)
    couple.alex.ok("edit", entry, "--title", "Lunch with Jo", "--body", "It was Jo, not Kim.")
    couple.sync_all(1)
    seen = couple.sam.show(entry, "--history")
    assert (seen["title"], seen["body"], seen["revision"]) == (
        "Lunch with Jo",
        "It was Jo, not Kim.",
        2,
    )
    history = [(h["editor"], h["fields"]["title"]) for h in seen["history"]]
    assert history == [("Alex", "Lunch"), ("Alex", "Lunch with Jo")]


@pytest.mark.crossing("share", face="cli")
def test_sharing_a_private_entry_sends_what_it_says_now(couple: Couple) -> None:
    entry = disclosure(couple.alex, "Draft", "--private")
    couple.alex.ok("edit", entry, "--title", "What I want to say")
    couple.sync_all(1)
    assert couple.sam.titles() == set()
    said = couple.alex.ok("share", entry)
    assert "Shared" in said and "1 earlier version stays here" in said
    couple.sync_all()
    seen = couple.sam.show(entry, "--history")
    assert (seen["title"], seen["visibility"]) == ("What I want to say", "shared")
    assert [h["fields"]["title"] for h in seen["history"]] == ["What I want to say"]
    assert couple.alex.show(entry)["delivery"].startswith("delivered 2")

    other = disclosure(couple.alex, "First try", "--private")
    couple.alex.ok("edit", other, "--title", "Second try")
    couple.alex.ok("share", other, "--with-history")
    couple.sync_all()
    history = couple.sam.show(other, "--history")["history"]
    assert [h["fields"]["title"] for h in history] == ["First try", "Second try"]


@pytest.mark.crossing("withdraw", "share_again", face="cli")
def test_withdraw_leaves_a_tombstone_and_share_again_brings_it_back(couple: Couple) -> None:
    entry = disclosure(couple.alex, "Lunch with Jo", "--body", "We talked for an hour")
    couple.sync_all(1)
    couple.alex.ok("revoke", entry)
    couple.sync_all(1)
    tomb = couple.sam.show(entry)
    assert (tomb["visibility"], tomb["title"], tomb["withdrawn"]["by"]) == ("withdrawn", "", "Alex")
    assert "body" not in tomb
    assert couple.sam.json("search", "hour") == []
    assert "withdrawn by Alex on" in couple.sam.ok("list")
    assert couple.alex.show(entry)["delivery"].startswith("withdrawal pending 2")
    couple.sync_all(1)  # Alex reads the receipt of Sam's device
    assert couple.alex.show(entry)["delivery"].startswith("withdrawn 2")

    assert "Shared" in couple.alex.ok("grant", entry)
    couple.sync_all()
    back = couple.sam.show(entry)
    assert (back["visibility"], back["title"], back["body"]) == (
        "shared",
        "Lunch with Jo",
        "We talked for an hour",
    )
    assert "withdrawn" not in back
    assert couple.alex.show(entry)["delivery"].startswith("delivered 2")


@pytest.mark.crossing("acknowledge", "comment", face="cli")
def test_acknowledgement_and_comments_reach_the_other_device(couple: Couple) -> None:
    entry = disclosure(couple.alex, "Lunch with Jo")
    couple.sync_all(1)
    couple.sam.ok("ack", entry, "--need-time")
    couple.sam.ok("comment", entry, "Thank you for telling me.")
    couple.alex.ok("comment", entry, "I wanted you to know.")
    couple.sync_all()
    alex_sees = couple.alex.show(entry)
    assert [(r["person"], r["state"]) for r in alex_sees["responses"]] == [("Sam", "need_time")]
    comments = {(c["person"], c["text"]) for c in alex_sees["comments"]}
    assert comments == {("Sam", "Thank you for telling me."), ("Alex", "I wanted you to know.")}
    assert {(c["person"], c["text"]) for c in couple.sam.show(entry)["comments"]} == comments

    couple.sam.ok("ack", entry)  # later: read
    couple.sync_all()
    assert [(r["person"], r["state"]) for r in couple.alex.show(entry)["responses"]] == [
        ("Sam", "read")
    ]


def agreement_on_both(couple: Couple, entry: str) -> list[tuple[str, int, list[str]]]:
    return [
        (shown["status"], shown["version"], shown["accepted_by"])
        for shown in (couple.alex.show(entry), couple.sam.show(entry))
    ]


@pytest.mark.crossing("propose_revision", face="cli")
def test_a_revised_agreement_is_proposed_again_on_both_devices(couple: Couple) -> None:
    entry = couple.alex.add("agreement", "--title", "Phones", "--text", "Unlocked at home.")
    couple.sync_all(1)
    couple.sam.ok("accept", entry)
    couple.alex.ok("accept", entry)
    couple.sync_all()
    assert agreement_on_both(couple, entry) == [("in force", 1, ["Alex", "Sam"])] * 2

    # The CLI's face of propose_revision: new text on the author's agreement. The version both
    # accepted stays in force on both devices, the new one beside it as a proposal.
    couple.alex.ok("edit", entry, "--text", "Unlocked at home, except on Sundays.")
    couple.sync_all(1)
    assert agreement_on_both(couple, entry) == [("in force", 2, [])] * 2
    seen = couple.sam.show(entry, "--history")
    assert seen["text"] == "Unlocked at home, except on Sundays."
    assert seen["history"][0]["fields"]["text"] == "Unlocked at home."
    assert (seen["in_force_version"], seen["proposal"]["by"]) == (1, "Alex")

    # Either voice: Sam proposes new words for Alex's agreement, and Alex's device shows them.
    couple.sam.ok("edit", entry, "--text", "Unlocked at home, and we say when it is not.")
    couple.sync_all()
    shown = couple.alex.show(entry)
    assert (shown["status"], shown["in_force_version"]) == ("in force", 1)
    assert shown["proposal"] == {
        "version": 3, "by": "Sam", "text": "Unlocked at home, and we say when it is not."
    }  # fmt: skip
    assert "v1, in force, v3 proposed" in couple.alex.ok("list", "--kind", "agreement")
    couple.alex.ok("accept", entry)
    couple.sam.ok("accept", entry)
    couple.sync_all()
    for shown in (couple.alex.show(entry), couple.sam.show(entry)):
        assert (shown["status"], shown["in_force_version"], shown["proposal"]) == (
            "in force", 3, None
        )  # fmt: skip


@pytest.mark.crossing("review_agreement", face="cli")
def test_a_review_by_the_partner_is_recorded_with_both_voices(couple: Couple) -> None:
    entry = couple.alex.add("agreement", "--title", "Phones", "--text", "Open daily.")
    couple.sync_all(1)
    couple.sam.ok("accept", entry)
    couple.alex.ok("accept", entry)
    couple.sync_all()
    said = couple.sam.ok(
        "review", entry, "stepped-down", "--text", "Open weekly.", "--ends-on", "2027-06-30"
    )
    assert "stepped down" in said and "until then it stays in force" in said
    assert couple.sam.run("review", entry, "revised").code != 0  # a revision needs new words
    couple.sam.ok("accept", entry)
    couple.sync_all()
    shown = couple.alex.show(entry)
    assert (shown["status"], shown["proposal"]["text"], shown["accepted_by"]) == (
        "in force", "Open weekly.", ["Sam"]
    )  # fmt: skip
    assert (shown["outcome"], shown["ends_on"]) == ("stepped down", "2027-06-30")
    couple.alex.ok("accept", entry)
    couple.sync_all()
    for shown in (couple.alex.show(entry), couple.sam.show(entry)):
        assert (shown["status"], shown["text"], shown["proposal"]) == (
            "in force", "Open weekly.", None
        )  # fmt: skip
        assert shown["accepted_by"] == ["Alex", "Sam"]
    couple.alex.ok("review", entry, "retired")
    couple.alex.ok("accept", entry)
    couple.sync_all(1)
    couple.sam.ok("accept", entry)
    couple.sync_all()
    assert [couple.alex.show(entry)["status"], couple.sam.show(entry)["status"]] == ["retired"] * 2


# -- the vault ---------------------------------------------------------------------------------


@pytest.mark.crossing("import_calendar", face="cli")
def test_imported_events_reach_partner_only_when_shared(couple: Couple, tmp_path: Path) -> None:
    shared = ics_file(
        tmp_path / "us.ics", ("Dinner at Rosa's", "20261204"), ("Therapy", "20261211")
    )
    private = ics_file(tmp_path / "me.ics", ("Job interview", "20261207"))
    weekly = tmp_path / "weekly.ics"
    weekly.write_text(ICS.format(events=WEEKLY_IN_PARIS), encoding="utf-8")
    assert "Imported 2 events (shared with your partner)" in couple.alex.ok(
        "import-ics", shared, "--share"
    )
    assert "Imported 1 event (private)" in couple.alex.ok("import-ics", private, "--private")
    couple.alex.ok("import-ics", str(weekly), "--share")
    couple.sync_all()
    events = {e["title"]: e for e in couple.sam.json("list", "--kind", "event")}
    assert set(events) == {"Dinner at Rosa's", "Therapy", "Date night"}
    assert events["Therapy"]["start"].startswith("2026-12-11")
    assert events["Therapy"]["author"] == "Alex"
    # The zone, the exception and the moved evening reach Sam's device as they were.
    night = events["Date night"]
    assert (night["start"], night["tz"]) == ("2026-10-16T19:00", "Europe/Paris")
    assert night["exdates"] == ["2026-10-30T19:00"]
    assert night["overrides"] == [
        {"of": "2026-11-06T19:00", "start": "2026-11-07T20:00", "end": "2026-11-07T22:00"}
    ]
    assert "Job interview" in couple.alex.titles()
    assert "Job interview" not in {e["title"] for e in couple.sam.json("list")}


WEEKLY_IN_PARIS = """BEGIN:VEVENT
UID:weekly@tests
DTSTART;TZID=Europe/Paris:20261016T190000
DTEND;TZID=Europe/Paris:20261016T210000
RRULE:FREQ=WEEKLY;COUNT=6
EXDATE;TZID=Europe/Paris:20261030T190000
SUMMARY:Date night
END:VEVENT
BEGIN:VEVENT
UID:weekly@tests
RECURRENCE-ID;TZID=Europe/Paris:20261106T190000
DTSTART;TZID=Europe/Paris:20261107T200000
DTEND;TZID=Europe/Paris:20261107T220000
SUMMARY:Date night
END:VEVENT
"""


@pytest.mark.crossing("export_calendar", face="cli")
def test_export_holds_the_partners_shared_events_and_neutral_titles_leak_none(
    couple: Couple, tmp_path: Path
) -> None:
    couple.sam.add("event", "--title", "Yoga with Mira", "--start", "2026-12-05T10:00",
                   "--end", "2026-12-05T11:00", "--location", "Studio Five")  # fmt: skip
    couple.sam.add("event", "--title", "Alone time", "--start", "2026-12-06T10:00", "--private")
    couple.sync_all()
    full, neutral = tmp_path / "full.ics", tmp_path / "neutral.ics"
    assert "Exported 1 event " in couple.alex.ok("export-ics", str(full))
    text = full.read_text(encoding="utf-8")
    assert "SUMMARY:Yoga with Mira" in text and "Studio Five" in text
    assert "DTSTART:20261205T100000" in text
    assert "Alone time" not in text

    couple.alex.ok("export-ics", str(neutral), "--neutral-titles")
    text = neutral.read_text(encoding="utf-8")
    assert text.count("SUMMARY:Appointment") == 1 and "DTSTART:20261205T100000" in text
    for word in ("Yoga", "Mira", "Studio", "Alone"):
        assert word not in text


@pytest.mark.crossing("change_passphrase", face="cli")
def test_after_passwd_only_the_new_passphrase_opens_and_sync_goes_on(
    couple: Couple, tmp_path: Path
) -> None:
    new_file = tmp_path / "new-passphrase"
    new_file.write_text("a much newer passphrase\n", encoding="utf-8")
    couple.alex.ok("passwd", "--kdf", "interactive", "--new-passphrase-file", str(new_file))
    assert couple.alex.run("list").code == 2  # the old passphrase
    couple.alex.passphrase = "a much newer passphrase"
    entry = disclosure(couple.alex, "Written after passwd")
    couple.sync_all()
    assert couple.sam.show(entry)["title"] == "Written after passwd"
    assert couple.alex.show(entry)["delivery"].startswith("delivered 2")


@pytest.mark.crossing("rekey", face="cli")
def test_after_passwd_rekey_old_key_files_open_nothing_and_sync_goes_on(
    couple: Couple, tmp_path: Path
) -> None:
    """ "My passphrase may be known": the vault is re-encrypted, so a copy of the old key file
    and the old passphrase open nothing current, while the pairing (its keys are inside the
    database, not the key file) carries on in both directions with the same safety number."""
    before = disclosure(couple.alex, "Written before the re-key", "--body", "still here")
    couple.sync_all()
    number = couple.sam.partner()["safety_number"]
    old_key_file = (couple.alex.vault / "vault.key").read_bytes()  # a backup or a synced copy
    new_file = tmp_path / "new-passphrase"
    new_file.write_text("a much newer passphrase\n", encoding="utf-8")

    out = couple.alex.ok(
        "passwd", "--rekey", "--kdf", "interactive", "--new-passphrase-file", str(new_file)
    )
    assert "re-encrypted under a new key" in out and "no longer open it" in out
    assert couple.alex.run("list").code == 2  # the old passphrase
    stolen = tmp_path / "stolen"  # the current database beside the old key file
    stolen.mkdir()
    for path in couple.alex.vault.iterdir():
        if path.name.startswith("vault.db"):
            (stolen / path.name).write_bytes(path.read_bytes())
    (stolen / "vault.key").write_bytes(old_key_file)
    thief = Person("Someone", stolen, couple.alex.passphrase, couple.alex.monkeypatch)
    refused = thief.run("list")
    assert refused.code == 3 and "cannot be decrypted" in refused.err

    couple.alex.passphrase = "a much newer passphrase"
    assert couple.alex.show(before)["body"] == "still here"  # nothing was lost
    after = disclosure(couple.alex, "Written after the re-key")
    reply = disclosure(couple.sam, "Sam's answer")
    couple.sync_all()
    assert couple.sam.show(after)["title"] == "Written after the re-key"
    assert couple.alex.show(reply)["author"] == "Sam"
    assert couple.alex.show(after)["delivery"].startswith("delivered 2")
    assert couple.sam.partner()["safety_number"] == number
    assert couple.alex.partner()["safety_number"] == number


@pytest.mark.crossing("remember_key", "forget_key", "open_remembered", face="cli")
def test_a_remembered_key_opens_without_passphrase_until_forgotten(
    couple: Couple, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    passphrase = couple.alex.passphrase
    couple.alex.ok("remember")
    (key,) = memory_keyring.items.values()
    for path in tmp_path.rglob("*"):  # the key is in the keychain, never in a file
        assert not path.is_file() or key.encode() not in path.read_bytes(), path

    couple.alex.passphrase = None  # from here on, the keychain alone opens Alex's vault
    first = disclosure(couple.alex, "Opened with the remembered key")
    couple.sync_all(1)
    assert couple.sam.show(first)["title"] == "Opened with the remembered key"

    assert "no longer remembers" in couple.alex.ok("forget")
    assert memory_keyring.items == {}
    refused = couple.alex.run("list")
    assert refused.code == 1 and "No passphrase given" in refused.err
    couple.alex.passphrase = passphrase
    second = disclosure(couple.alex, "Opened with the passphrase again")
    couple.sync_all()
    assert couple.sam.titles() == {
        "Opened with the remembered key",
        "Opened with the passphrase again",
    }
    assert couple.alex.show(second)["delivery"].startswith("delivered 2")


# -- the two bugs ----------------------------------------------------------------------


@pytest.mark.crossing("edit", "withdraw", face="cli")
def test_edit_to_private_with_a_new_title_withdraws_and_never_sends_it(couple: Couple) -> None:
    """Bug 1: ``edit ID --title NEW --private`` on a delivered entry. The withdrawal must come
    before the edit, so the new title is never sealed for Sam (who could open it)."""
    entry = disclosure(couple.alex, "Lunch with Jo")
    couple.sync_all(1)  # the first version is in the folder, sealed for Sam
    assert any(b"Lunch with Jo" in p for p in couple.sealed_payloads())  # the probe can see
    couple.sync_all()
    assert couple.alex.show(entry)["delivery"].startswith("delivered 2")

    couple.never.append(b"NEW-TITLE")
    couple.alex.ok("edit", entry, "--title", "NEW-TITLE", "--private")
    couple.check_folder()
    couple.sync_all()  # checks the folder after every sync

    tomb = couple.sam.show(entry, "--history")
    assert (tomb["visibility"], tomb["title"], tomb["withdrawn"]["by"]) == ("withdrawn", "", "Alex")
    assert "NEW-TITLE" not in json.dumps(tomb)
    assert couple.sam.json("search", "NEW-TITLE") == []
    mine = couple.alex.show(entry)
    assert (mine["title"], mine["visibility"]) == ("NEW-TITLE", "private")
    assert mine["delivery"].startswith("withdrawn 2")


@pytest.mark.crossing("accept", face="cli")
def test_accept_reaches_the_partner_and_both_put_it_in_force(couple: Couple) -> None:
    """Bug 2: an agreement accepted through the CLI must reach the partner's device."""
    entry = couple.alex.add("agreement", "--title", "Phones", "--text", "Unlocked at home.")
    couple.sync_all(1)
    assert "waiting for your partner" in couple.sam.ok("accept", entry)
    couple.sync_all()
    assert couple.alex.show(entry)["accepted_by"] == ["Sam"]
    assert agreement_on_both(couple, entry) == [("proposed", 1, ["Sam"])] * 2

    assert "Status: in force." in couple.alex.ok("accept", entry)
    couple.sync_all(1)
    assert agreement_on_both(couple, entry) == [("in force", 1, ["Alex", "Sam"])] * 2


@pytest.mark.crossing("export_data", face="cli")
def test_export_holds_what_i_wrote_and_marks_what_was_shared_with_me(
    couple: Couple, tmp_path: Path
) -> None:
    """Sam's export: Sam's own entries (a private one too), and apart, the copies of what Alex
    shared, with comments; nothing Alex kept private; owner-only; never the sync folder."""
    told = disclosure(couple.alex, "The <b>hotel</b> bill", "--body", "from the conference")
    couple.alex.add("milestone", "--title", "Alex keeps this", "--private")
    couple.sam.add("checkin", "--mood", "6", "--safety", "7", "--note", "tired but hopeful")
    couple.sync_all()
    couple.sam.ok("comment", told, "Thank you for telling me.")
    out_json, out_html = tmp_path / "sam.json", tmp_path / "sam.html"
    said = couple.sam.ok("export", str(out_json))
    assert "Exported 1 entry you wrote and 1 entry shared with you" in said
    assert "not encrypted" in said
    doc = json.loads(out_json.read_text(encoding="utf-8"))
    assert [e["note"] for e in doc["written_by_me"]] == ["tired but hopeful"]
    (theirs,) = doc["shared_with_me"]
    assert (theirs["title"], theirs["author"], theirs["body"]) == (
        "The <b>hotel</b> bill", "Alex", "from the conference"
    )  # fmt: skip
    assert theirs["comments"][0]["by"] == "Sam" and "Thank you" in theirs["comments"][0]["text"]
    assert "Alex keeps this" not in out_json.read_text(encoding="utf-8")
    assert out_json.stat().st_mode & 0o777 == 0o600

    couple.sam.ok("export", str(out_html), "--html")
    page = out_html.read_text(encoding="utf-8")
    assert "Shared with me by my partner" in page and "&lt;b&gt;hotel&lt;/b&gt;" in page
    assert "<b>hotel</b>" not in page  # what was written is shown, never run

    inside = couple.sam.run("export", str(couple.folder / "sam.json"))
    assert inside.code == 1 and "inside the sync folder" in inside.err
    assert not (couple.folder / "sam.json").exists()
