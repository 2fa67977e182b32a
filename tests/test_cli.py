"""trustvault-cli: most checks call ``main()`` in-process against real vault folders; a few run the
installed console script to see exactly what a person's terminal sees (exit status, stderr)."""

import io
import os
import select
import subprocess
import sys
from datetime import UTC, date
from pathlib import Path
from typing import Any

import keyring.backends.null
import pytest

import trustvault.cli.commands_entries
from tests.helpers import (
    PASSPHRASE,
    CliResult,
    MemoryKeyring,
    remember_partner,
    run_cli,
    shared_prefix,
)
from trustvault.calendar import expand
from trustvault.cli.main import EXIT_BUG, main
from trustvault.cli.output import MIN_SHORT
from trustvault.entries.model import Entry
from trustvault.ids import new_id
from trustvault.remembered import mapping_path, remembered_vault_id
from trustvault.vault import Vault

CLI = Path(sys.executable).with_name("trustvault-cli")
ERROR = "trustvault-cli: error: "


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A passphrase in the environment and every per-user folder inside the test's tmp dir."""
    monkeypatch.setenv("TRUSTVAULT_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("TRUSTVAULT_NEW_PASSPHRASE", raising=False)
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / "home" / name.lower()))
    monkeypatch.delenv("TRUSTVAULT_HOME", raising=False)
    return tmp_path / "vault"


cli = run_cli
Result = CliResult


def ok(folder: Path, *args: str) -> Result:
    result = cli(folder, *args)
    assert result.code == 0, result.err
    assert result.err == ""
    return result


def one_error(result: Result, code: int) -> str:
    assert result.code == code, (result.out, result.err)
    assert result.err.startswith(ERROR)
    assert result.err.count("\n") == 1
    assert "Traceback" not in result.err
    return result.err[len(ERROR) :].strip()


@pytest.fixture
def folder(env: Path) -> Path:
    """A vault whose key the (in-memory) keychain remembers: no Argon2id run per command."""
    ok(env, "init", "--name", "Alex", "--kdf", "interactive", "--remember")
    return env


@pytest.fixture
def locked(env: Path) -> Path:
    """A vault that needs its passphrase for every command."""
    ok(env, "init", "--name", "Alex", "--kdf", "interactive")
    return env


def add(folder: Path, *args: str) -> dict[str, Any]:
    (entry,) = ok(folder, "add", *args, "--json").json()
    return dict(entry)


# -- entries -----------------------------------------------------------------------------------


def test_add_and_list_every_kind_as_json(folder: Path) -> None:
    add(folder, "disclosure", "--title", "Texted my ex", "--occurred", "2026-03-02",
        "--approximate", "--category", "contact", "--body", "In March")  # fmt: skip
    add(folder, "event", "--title", "Date night", "--start", "2026-11-06T19:00", "--end",
        "2026-11-06T22:00", "--rrule", "FREQ=WEEKLY;COUNT=4", "--kind", "date-night")  # fmt: skip
    add(folder, "agreement", "--title", "Phones", "--text", "Open", "--review-on", "2027-01-01")
    add(folder, "checkin", "--mood", "6", "--safety", "7", "--feelings", "hopeful,tired",
        "--feelings", "calm")  # fmt: skip
    add(folder, "milestone", "--title", "Ten sessions", "--due", "2026-12-31")

    entries = ok(folder, "list", "--json").json()
    assert len(entries) == 5
    by_kind = {e["kind"]: e for e in entries}
    common = {"id", "kind", "title", "author", "visibility", "created", "updated", "revision"}
    for entry in entries:
        assert common <= set(entry)
        assert entry["author"] == "Alex"
        assert len(entry["id"]) == 32
    disclosure = by_kind["disclosure"]
    assert disclosure["occurred_on"] == "2026-03-02"
    assert disclosure["approximate"] is True
    assert disclosure["visibility"] == "shared"
    assert isinstance(disclosure["latency_days"], int)
    event = by_kind["event"]
    assert (event["event_kind"], event["rrule"]) == ("date_night", "FREQ=WEEKLY;COUNT=4")
    assert by_kind["agreement"]["status"] == "proposed"
    assert by_kind["agreement"]["accepted_by"] == []
    checkin = by_kind["checkin"]
    assert (checkin["mood"], checkin["safety"], checkin["visibility"]) == (6, 7, "private")
    assert checkin["feelings"] == ["hopeful", "tired", "calm"]
    assert by_kind["milestone"]["due_on"] == "2026-12-31"

    only = ok(folder, "list", "--kind", "event", "--json").json()
    assert [e["title"] for e in only] == ["Date night"]


def test_human_list_is_aligned_with_short_ids(folder: Path) -> None:
    before = (date.today() - date(2026, 3, 2)).days  # told today, on this machine's clock
    first = add(folder, "disclosure", "--title", "Texted my ex", "--occurred", "2026-03-02")
    second = add(folder, "milestone", "--title", "Ten sessions", "--private")
    lines = ok(folder, "list").out.splitlines()
    after = (date.today() - date(2026, 3, 2)).days  # a run across midnight may say either
    assert lines[0].split() == ["ID", "DATE", "KIND", "VISIBILITY", "TITLE"]
    short = lines[1].split()[0]
    assert MIN_SHORT <= len(short) < 32
    assert {second["id"].startswith(short), first["id"].startswith(short)} == {True, False}
    assert all(len(line.split()[0]) == len(short) for line in lines[1:])
    assert "private" in lines[1] and "Ten sessions" in lines[1]
    assert "2026-03-02" in lines[2]
    assert any(f"dated as told {n} days later" in lines[2] for n in {before, after})
    # The short id shown is accepted back.
    assert "Ten sessions" in ok(folder, "show", short).out


def test_invalid_fields_name_the_field_and_store_nothing(folder: Path) -> None:
    cases = [
        (("checkin", "--mood", "11", "--safety", "5"), "mood"),
        (("checkin", "--mood", "5", "--safety", "zero"), "safety"),
        (("disclosure", "--title", "  ", "--occurred", "2026-01-01"), "title"),
        (("disclosure", "--title", "x", "--occurred", "2026-13-45"), "occurred_on"),
        (("event", "--title", "x", "--start", "2026-11-06T19:00", "--end", "2026-11-05"), "end"),
        (("event", "--title", "x", "--start", "2026-11-06", "--rrule", "FREQ=SOMETIMES"), "rrule"),
        (("event", "--title", "x", "--start", "2026-11-06", "--kind", "party"), "kind"),
        (("milestone", "--title", "x", "--due", "next week"), "due_on"),
    ]
    for args, field in cases:
        message = one_error(cli(folder, "add", *args), 1)
        assert message.startswith(f"Invalid {field}:"), message
    assert ok(folder, "list", "--json").json() == []


def test_edit_keeps_history(folder: Path) -> None:
    entry = add(folder, "disclosure", "--title", "Texted my ex", "--occurred", "2026-03-02")
    prefix = entry["id"][:12]
    ok(folder, "edit", prefix, "--title", "Texted my ex twice", "--approximate", "--private")
    (shown,) = ok(folder, "show", prefix, "--history", "--json").json()
    assert shown["title"] == "Texted my ex twice"
    assert shown["revision"] == 2
    assert shown["visibility"] == "private"
    assert [h["fields"]["title"] for h in shown["history"]] == [
        "Texted my ex",
        "Texted my ex twice",
    ]
    assert [h["editor"] for h in shown["history"]] == ["Alex", "Alex"]
    text = ok(folder, "show", prefix, "--history").out
    assert "title: Texted my ex -> Texted my ex twice" in text
    assert "approximate: no -> yes" in text

    # A flag that does not belong to the kind is refused, naming the field; nothing changes.
    assert one_error(cli(folder, "edit", prefix, "--mood", "3"), 1).startswith("Invalid mood:")
    assert one_error(cli(folder, "edit", prefix, "--occurred", "soon"), 1).startswith(
        "Invalid occurred_on:"
    )
    assert ok(folder, "show", prefix, "--json").json()[0]["revision"] == 2
    assert one_error(cli(folder, "edit", prefix), 1).startswith("Nothing to change")


def test_unknown_or_ambiguous_ids(folder: Path) -> None:
    first = add(folder, "milestone", "--title", "a")["id"]
    assert "No entry with id" in one_error(cli(folder, "show", "ffffffffffff"), 1)
    assert "No entry with id" in one_error(cli(folder, "show", "0"), 1)
    assert "No entry with id" in one_error(cli(folder, "edit", "0123456", "--title", "x"), 1)

    # Ids start with their creation time: two entries share a prefix, which names neither.
    second = add(folder, "disclosure", "--title", "Lunch", "--occurred", "2026-03-02")["id"]
    shared = shared_prefix([first, second])
    assert len(shared) >= 6
    for args in (("show", shared), ("edit", shared, "--title", "x")):
        result = cli(folder, *args)
        assert result.code == 1, result.err
        head, *rest = result.err.splitlines()
        assert head == (
            f"{ERROR}The id {shared!r} is ambiguous: 2 entries start with it. Give more of its"
            " digits; it could be:"
        )
        short = {line.split()[0]: line.split()[1:] for line in rest}
        assert [short[k] for k in sorted(short)] == [["milestone", "a"], ["disclosure", "Lunch"]]
        assert all(first.startswith(k) or second.startswith(k) for k in short)
        assert ok(folder, "show", min(short), "--json").json()[0]["id"] == first
    assert ok(folder, "show", first, "--json").json()[0]["title"] == "a"


def test_search(folder: Path) -> None:
    add(folder, "disclosure", "--title", "Lunch", "--occurred", "2026-03-02",
        "--body", "We met at the harbour café")  # fmt: skip
    add(folder, "agreement", "--title", "Phones", "--text", "Phones stay open at the harbour")
    add(folder, "checkin", "--mood", "5", "--safety", "5", "--note", "quiet day")
    found = ok(folder, "search", "harbour", "--json").json()
    assert {e["title"] for e in found} == {"Lunch", "Phones"}
    assert [e["kind"] for e in ok(folder, "search", "harbour", "phon", "--json").json()] == [
        "agreement"
    ]
    assert "Lunch" in ok(folder, "search", "café").out
    assert ok(folder, "search", "nowhere").out.strip() == "No entries."


def test_accept_and_stats(folder: Path) -> None:
    agreement = add(folder, "agreement", "--title", "Phones", "--text", "Open")
    add(folder, "checkin", "--mood", "4", "--safety", "6")
    add(folder, "disclosure", "--title", "x", "--occurred", "2026-01-01",
        "--disclosed", "2026-02-01T10:00Z")  # fmt: skip
    out = ok(folder, "accept", agreement["id"][:12]).out
    assert "Status: proposed (waiting for your partner)." in out
    assert "already" in ok(folder, "accept", agreement["id"]).out
    (shown,) = ok(folder, "show", agreement["id"], "--json").json()
    assert (shown["status"], shown["accepted_by"]) == ("proposed", ["Alex"])

    stats = ok(folder, "stats", "--json").json()
    assert stats["counts"]["agreement"] == 1
    assert stats["disclosure_latency"]["per_disclosure"][0]["days"] == 31
    assert stats["disclosure_latency"]["trend"] == [
        {"month": "2026-02", "median_days": 31, "count": 1}
    ]
    assert stats["checkins"]["streak_days"] == 1
    text = ok(folder, "stats").out
    assert "Disclosure latency: median 31 days over 1 disclosure" in text
    assert "Check-in streak: 1 day, 1 week" in text


def test_ics_round_trip_neutral_titles_and_reimport(folder: Path, tmp_path: Path) -> None:
    add(folder, "event", "--title", "Date night at Luigi's", "--start", "2026-11-06T19:00",
        "--end", "2026-11-06T22:00", "--rrule", "FREQ=WEEKLY;COUNT=4")  # fmt: skip
    add(folder, "event", "--title", "Weekend", "--start", "2026-11-27", "--end", "2026-11-29",
        "--all-day", "--private")  # fmt: skip
    neutral, full = tmp_path / "neutral.ics", tmp_path / "full.ics"
    assert (
        "2 events with neutral titles"
        in ok(folder, "export-ics", str(neutral), "--neutral-titles").out
    )
    ok(folder, "export-ics", str(full))
    data = neutral.read_bytes()
    assert b"Luigi" not in data and b"Weekend" not in data and b"other" not in data
    assert data.count(b"SUMMARY:Appointment") == 2
    assert b"RRULE:FREQ=WEEKLY;COUNT=4" in data
    assert b"Luigi" in full.read_bytes()

    other = tmp_path / "other"
    ok(other, "init", "--name", "Sam", "--kdf", "interactive", "--remember")
    assert (
        "Imported 2 events (shared with your partner)"
        in ok(other, "import-ics", str(full), "--share").out
    )
    again = ok(other, "import-ics", str(full), "--share").out
    assert "Imported 0 events" in again and "2 already imported" in again
    imported = ok(other, "list", "--json").json()
    assert sorted((e["title"], e["start"], e["all_day"]) for e in imported) == [
        ("Date night at Luigi's", "2026-11-06T19:00", False),
        ("Weekend", "2026-11-27", True),
    ]
    # Re-importing the vault's own export adds nothing either.
    assert "Imported 0 events" in ok(folder, "import-ics", str(neutral), "--private").out

    broken = tmp_path / "broken.ics"
    broken.write_bytes(b"this is not a calendar")
    message = one_error(cli(other, "import-ics", str(broken), "--share"), 1)
    assert str(broken) in message and "not an iCalendar file" in message
    missing = str(tmp_path / "missing.ics")
    assert "cannot read" in one_error(cli(other, "import-ics", missing, "--private"), 1)
    assert len(ok(other, "list", "--json").json()) == 2


def test_import_needs_a_choice_to_share_or_not(folder: Path, tmp_path: Path) -> None:
    """Without a terminal to ask at, ``import-ics`` refuses in one line until told --share or
    --private; nothing is imported meanwhile."""
    path = tmp_path / "cal.ics"
    path.write_bytes(ICS_ONE)
    message = one_error(cli(folder, "import-ics", str(path)), 1)
    assert (
        message == "Invalid import-ics: say whether to share the events: add --share or --private"
    )
    assert ok(folder, "list", "--json").json() == []
    ok(folder, "import-ics", str(path), "--private")
    assert [e["visibility"] for e in ok(folder, "list", "--json").json()] == ["private"]
    # What TrustVault refuses by design is one line under the summary; the rest comes in.
    pills = (
        b"BEGIN:VEVENT\r\nUID:two@x\r\nDTSTART:20261204T080000\r\nRRULE:FREQ=HOURLY\r\n"
        b"SUMMARY:Pills\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    path.write_bytes(ICS_ONE.replace(b"END:VCALENDAR\r\n", pills))
    out = ok(folder, "import-ics", str(path), "--share").out.splitlines()
    assert out == [
        f"Imported 0 events from {path}; 1 already imported, skipped.",
        "  'Pills' was not imported (its repeat rule: events repeat at most daily "
        "(FREQ=DAILY, WEEKLY, MONTHLY, YEARLY)).",
    ]


ICS_ONE = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:one@x\r\n"
    b"DTSTART:20261204T190000\r\nSUMMARY:Dinner\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


# -- passphrase, keychain ----------------------------------------------------------------------


def test_wrong_passphrase_file_and_passwd(
    locked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = locked
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n")
    assert "passphrase is wrong" in one_error(
        cli(folder, "--passphrase-file", str(wrong), "list"), 2
    )
    right = tmp_path / "right.txt"
    right.write_text(PASSPHRASE + "\n")
    monkeypatch.delenv("TRUSTVAULT_PASSPHRASE")
    ok(folder, "list", "--passphrase-file", str(right))  # global option after the command too

    monkeypatch.setenv("TRUSTVAULT_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("TRUSTVAULT_NEW_PASSPHRASE", "short")
    assert one_error(cli(folder, "passwd", "--kdf", "interactive"), 1).startswith(
        "Invalid passphrase:"
    )
    monkeypatch.setenv("TRUSTVAULT_NEW_PASSPHRASE", "a brand new passphrase")
    ok(folder, "passwd", "--kdf", "interactive")
    one_error(cli(folder, "list"), 2)
    monkeypatch.setenv("TRUSTVAULT_PASSPHRASE", "a brand new passphrase")
    ok(folder, "list")


def test_passwd_says_what_a_plain_change_leaves_and_rekey_forgets_the_key(
    folder: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    monkeypatch.setenv("TRUSTVAULT_NEW_PASSPHRASE", "a brand new passphrase")
    out = ok(folder, "passwd", "--kdf", "interactive").out
    assert "still open the vault with the old passphrase" in out and "--rekey" in out
    assert memory_keyring.items  # the key itself did not change: remembering it still works

    monkeypatch.setenv("TRUSTVAULT_PASSPHRASE", "a brand new passphrase")
    monkeypatch.setenv("TRUSTVAULT_NEW_PASSPHRASE", "a third passphrase")
    out = ok(folder, "passwd", "--rekey", "--kdf", "interactive").out
    assert "re-encrypted under a new key" in out
    assert "it was forgotten. Run 'trustvault-cli remember'" in " ".join(out.split())
    assert memory_keyring.items == {}
    assert remembered_vault_id(folder) is None
    monkeypatch.setenv("TRUSTVAULT_PASSPHRASE", "a third passphrase")
    assert "remembered" in ok(folder, "remember").out
    monkeypatch.delenv("TRUSTVAULT_PASSPHRASE")
    ok(folder, "list")  # the new key, remembered


def test_the_passphrase_variables_leave_the_environment(
    locked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read once, then gone: no program the command starts (``$EDITOR``) inherits them."""
    monkeypatch.setenv("TRUSTVAULT_NEW_PASSPHRASE", "a brand new passphrase")
    out, err = io.StringIO(), io.StringIO()
    assert main(["--vault", str(locked), "list"], out=out, err=err) == 0, err.getvalue()
    assert "TRUSTVAULT_PASSPHRASE" not in os.environ
    assert "TRUSTVAULT_NEW_PASSPHRASE" not in os.environ


def test_passphrase_from_a_file_descriptor(locked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRUSTVAULT_PASSPHRASE")
    read, write = os.pipe()
    os.write(write, PASSPHRASE.encode() + b"\nwhat follows is not read\n")
    os.close(write)
    ok(locked, "--passphrase-fd", str(read), "list")
    with pytest.raises(OSError):
        os.fstat(read)  # closed once read

    read, write = os.pipe()
    os.write(write, b"not the passphrase")  # no newline: the end of the pipe ends it
    os.close(write)
    assert "passphrase is wrong" in one_error(cli(locked, "list", "--passphrase-fd", str(read)), 2)

    read, write = os.pipe()
    os.close(write)
    assert one_error(cli(locked, "--passphrase-fd", str(read), "list"), 1) == (
        f"Invalid passphrase descriptor: file descriptor {read} is empty"
    )
    message = one_error(cli(locked, "--passphrase-fd", "987", "list"), 1)
    assert message.startswith("Invalid passphrase descriptor: cannot read file descriptor 987:")


def test_console_script_reads_an_inherited_descriptor(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    assert run(folder, "init", "--name", "Alex", "--kdf", "interactive").returncode == 0
    read, write = os.pipe()
    os.write(write, PASSPHRASE.encode() + b"\n")
    os.close(write)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRUSTVAULT_")}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    try:
        done = subprocess.run(
            [str(CLI), "--vault", str(folder), "--passphrase-fd", str(read), "list"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            pass_fds=(read,),
        )
    finally:
        os.close(read)
    assert (done.returncode, done.stdout, done.stderr) == (0, "No entries.\n", "")


def test_no_passphrase_source(locked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = locked
    monkeypatch.delenv("TRUSTVAULT_PASSPHRASE")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert "No passphrase given" in one_error(cli(folder, "list"), 1)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSPHRASE + "\n"))
    ok(folder, "list")  # a piped passphrase, for scripts


def test_remember_and_forget(
    locked: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    folder = locked
    assert memory_keyring.items == {}
    ok(folder, "remember")
    with Vault.unlock(folder, PASSPHRASE) as vault:
        vault_id, key = vault.vault_id, vault.key
    # Named by vault id, as the desktop app names it; the folder-to-id map holds no secret.
    assert memory_keyring.items == {("TrustVault", vault_id): key.hex()}
    assert remembered_vault_id(folder) == vault_id
    assert key.hex() not in mapping_path().read_text()
    monkeypatch.delenv("TRUSTVAULT_PASSPHRASE")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    ok(folder, "add", "milestone", "--title", "opened with the remembered key")
    ok(folder, "forget")
    assert memory_keyring.items == {}
    assert remembered_vault_id(folder) is None
    assert "No passphrase given" in one_error(cli(folder, "list"), 1)
    assert "nothing to forget" in ok(folder, "forget").out


def test_stale_remembered_key_falls_back_to_the_passphrase(
    env: Path, memory_keyring: MemoryKeyring
) -> None:
    ok(env, "init", "--name", "Alex", "--kdf", "interactive", "--remember")
    assert memory_keyring.items
    for child in env.iterdir():
        child.unlink()
    env.rmdir()
    ok(env, "init", "--name", "Alex again", "--kdf", "interactive")
    assert ok(env, "list").out.strip() == "No entries."


def test_damaged_remembered_map_means_the_passphrase_is_asked(folder: Path) -> None:
    assert remembered_vault_id(folder)
    mapping_path().write_text("{not json")
    assert remembered_vault_id(folder) is None
    ok(folder, "list")  # with the passphrase from the environment


def test_without_a_real_keychain(folder: Path) -> None:
    keyring.set_keyring(keyring.backends.null.Keyring())  # the autouse fixture restores it
    for command in ("remember", "forget"):
        assert "No OS keychain" in one_error(cli(folder, command), 1)
    result = cli(folder.parent / "second", "init", "--kdf", "interactive", "--remember")
    assert result.code == 0
    assert "No OS keychain" in result.err


def test_init_refuses_an_existing_vault(folder: Path) -> None:
    assert "already exists" in one_error(cli(folder, "init", "--kdf", "interactive"), 1)


def test_missing_vault(env: Path) -> None:
    assert "No vault in" in one_error(cli(env, "list"), 1)


def test_file_system_refusals_are_one_line(env: Path, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "plain-file"
    not_a_folder.write_text("x")
    assert str(not_a_folder) in one_error(cli(not_a_folder, "init", "--kdf", "interactive"), 1)


# -- unexpected errors -------------------------------------------------------------------------


def test_a_bug_is_logged_not_shown(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> int:
        raise RuntimeError("secret entry text must not be logged")

    monkeypatch.setattr(trustvault.cli.commands_entries, "_list", broken)
    result = cli(folder, "list")
    message = one_error(result, EXIT_BUG)
    assert message.startswith("unexpected error; details in ")
    log = Path(message.removeprefix("unexpected error; details in "))
    assert log.is_relative_to(tmp_path)
    text = log.read_text()
    assert "RuntimeError" in text and "broken" in text
    assert "secret entry text" not in text
    assert PASSPHRASE not in text


def test_usage_errors_exit_2(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--vault", str(env), "list", "--kind", "gossip"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["add", "checkin", "--help"])
    assert info.value.code == 0
    assert "--mood" in capsys.readouterr().out


# -- the installed console script --------------------------------------------------------------


def run(folder: Path, *args: str, passphrase: str = PASSPHRASE) -> subprocess.CompletedProcess[str]:
    home = folder.parent / "home"
    env = {
        **os.environ,
        "TRUSTVAULT_PASSPHRASE": passphrase,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    return subprocess.run(
        [str(CLI), "--vault", str(folder), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_console_script_wrong_passphrase_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    assert run(folder, "init", "--name", "Alex", "--kdf", "interactive").returncode == 0
    assert run(folder, "add", "milestone", "--title", "first").returncode == 0
    before = snapshot(folder)
    for args in (["list"], ["add", "milestone", "--title", "x"], ["passwd"]):
        done = run(folder, *args, passphrase="wrong passphrase")
        assert done.returncode == 2
        assert done.stdout == ""
        assert (
            done.stderr
            == f"{ERROR}The passphrase is wrong. Nothing was changed; please try again.\n"
        )
    assert snapshot(folder) == before


def test_console_script_errors_are_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    version = run(folder, "--version")
    assert (version.returncode, version.stdout) == (0, "trustvault-cli 0.1.0\n")
    assert run(folder, "init", "--kdf", "interactive").returncode == 0

    invalid = run(folder, "add", "checkin", "--mood", "0", "--safety", "5")
    assert invalid.returncode == 1
    assert invalid.stderr.startswith("trustvault-cli: error: Invalid mood:")
    assert invalid.stderr.count("\n") == 1

    (folder / "vault.db").write_bytes(b"\x00" * 4096)  # damaged database
    damaged = run(folder, "list")
    assert damaged.returncode == 3
    assert damaged.stderr.count("\n") == 1
    assert "vault.db" in damaged.stderr
    assert "Traceback" not in damaged.stderr + invalid.stderr

    usage = run(folder, "frobnicate")
    assert usage.returncode == 2
    assert "invalid choice" in usage.stderr


def converse(args: list[str], answers: list[tuple[str, str]], home: Path) -> tuple[int, str]:
    """Run the console script on a pseudo-terminal, answering each prompt as it appears.

    The child gets a new session, so it has no controlling terminal and getpass reads the pty."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRUSTVAULT_")}
    env |= {"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring", "XDG_STATE_HOME": str(home)}
    leader, follower = os.openpty()
    proc = subprocess.Popen(
        [str(CLI), *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        start_new_session=True,
    )
    os.close(follower)
    seen = b""
    try:
        for prompt, answer in answers:
            while prompt.encode() not in seen:
                ready, _, _ = select.select([leader], [], [], 30)
                assert ready, f"no prompt {prompt!r}; got {seen!r}"
                seen += os.read(leader, 1024)
            seen = seen.replace(prompt.encode(), b"", 1)
            os.write(leader, answer.encode() + b"\n")
        code = proc.wait(timeout=60)
        while select.select([leader], [], [], 0.2)[0]:
            try:
                chunk = os.read(leader, 1024)
            except OSError:  # the pty closes with the child
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(leader)
        if proc.poll() is None:
            proc.kill()
    return code, seen.decode(errors="replace")


def test_import_asks_on_a_terminal_whether_to_share(tmp_path: Path) -> None:
    folder = str(tmp_path / "vault")
    init = ["--vault", folder, "init", "--name", "Alex", "--kdf", "interactive"]
    code, out = converse(
        init, [("New passphrase: ", PASSPHRASE), ("Repeat it: ", PASSPHRASE)], tmp_path
    )
    assert code == 0, out
    (path := tmp_path / "cal.ics").write_bytes(ICS_ONE)
    ask = [("Passphrase: ", PASSPHRASE), ("[s]hare, [p]rivate, [c]ancel: ", "c")]
    code, out = converse(["--vault", folder, "import-ics", str(path)], ask, tmp_path)
    assert code == 1 and "has 1 new event." in out and "Nothing was imported." in out
    ask[1] = (ask[1][0], "p")
    code, out = converse(["--vault", folder, "import-ics", str(path)], ask, tmp_path)
    assert code == 0 and "Imported 1 event (private)" in out, out
    with Vault.unlock(Path(folder), PASSPHRASE) as vault:
        assert [e.visibility for e in vault.entries.all("event")] == ["private"]


def test_init_and_passwd_ask_twice_on_a_terminal(tmp_path: Path) -> None:
    folder = str(tmp_path / "vault")
    init = ["--vault", folder, "init", "--name", "Alex", "--kdf", "interactive"]
    code, out = converse(
        init, [("New passphrase: ", PASSPHRASE), ("Repeat it: ", "a typo")], tmp_path
    )
    assert code == 1 and "the two entries differ" in out
    assert not Vault.exists(Path(folder))

    code, out = converse(
        init, [("New passphrase: ", PASSPHRASE), ("Repeat it: ", PASSPHRASE)], tmp_path
    )
    assert code == 0, out
    assert PASSPHRASE not in out  # not echoed

    new = "a brand new passphrase"
    passwd = ["--vault", folder, "passwd", "--kdf", "interactive"]
    code, out = converse(
        passwd,
        [("Current passphrase: ", PASSPHRASE), ("New passphrase: ", new), ("Repeat it: ", new)],
        tmp_path,
    )
    assert code == 0, out
    Vault.unlock(Path(folder), new).close()


def test_partner_and_withdrawn_entries_display(folder: Path) -> None:
    """Entries written elsewhere: the partner's get the partner's name; a withdrawn one (no
    content left) still lists, shows and counts without breaking anything."""
    with Vault.open_with_key(folder, Vault.unwrap_key(folder, PASSPHRASE)) as vault:
        remember_partner(vault, "partner-device", "Sam")
        now = "2026-11-01T09:00:00Z"
        for kind, fields, visibility in (
            ("event", {}, "withdrawn"),
            ("agreement", {}, "withdrawn"),
            ("milestone", {"title": "Sam's milestone", "due_on": "", "done_at": "", "note": ""},
             "shared"),
        ):  # fmt: skip
            entry = Entry(new_id(), kind, "partner-device", now, now, visibility, fields, 1,
                          "partner-device")  # fmt: skip
            assert vault.entries.insert_entry(entry)
    listed = ok(folder, "list", "--json").json()
    assert {(e["kind"], e["author"], e["visibility"]) for e in listed} == {
        ("event", "Sam", "withdrawn"),
        ("agreement", "Sam", "withdrawn"),
        ("milestone", "Sam", "shared"),
    }
    assert "withdrawn by its author" in ok(folder, "list").out
    withdrawn = next(e for e in listed if e["kind"] == "event")
    assert "withdrawn" in ok(folder, "show", withdrawn["id"], "--history").out
    stats = ok(folder, "stats", "--json").json()
    assert stats["agreements"] == {}
    assert "Exported 0 events" in ok(folder, "export-ics", str(folder.parent / "x.ics")).out


def test_a_weekly_evening_typed_with_the_local_offset_keeps_its_time_after_dst(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In Paris, 19:00+02:00 on 16 Oct is 19:00 local: the event takes this computer's zone, so
    after summer time ends (25 Oct) it is still at 19:00 there (18:00 UTC), not 20:00."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    add(folder, "event", "--title", "Date night", "--start", "2026-10-16T19:00+02:00",
        "--end", "2026-10-16T21:00+02:00", "--rrule", "FREQ=WEEKLY;COUNT=3")  # fmt: skip
    add(folder, "event", "--title", "Call with Mum", "--start", "2026-10-16T09:00",
        "--tz", "America/New_York", "--rrule", "FREQ=WEEKLY;COUNT=3")  # fmt: skip
    add(folder, "event", "--title", "Flight", "--start", "2026-10-16T07:00-04:00")
    events = {e["title"]: e for e in ok(folder, "list", "--json").json()}
    night = events["Date night"]
    assert (night["start"], night["end"], night["tz"]) == (
        "2026-10-16T19:00", "2026-10-16T21:00", "Europe/Paris")  # fmt: skip
    assert events["Call with Mum"]["tz"] == "America/New_York"
    assert "tz" not in events["Flight"]  # another offset than this computer's: kept as given
    with Vault.unlock(folder, PASSPHRASE) as vault:
        found = expand(vault.entries.all("event"), date(2026, 10, 30), date(2026, 10, 30))
    [evening] = [o for o in found if o.title == "Date night"]
    assert f"{evening.start:%H:%M}" == "19:00"
    assert evening.start.astimezone(UTC).hour == 18
    [call] = [o for o in found if o.title == "Call with Mum"]
    assert (f"{call.start:%H:%M}", call.start.astimezone(UTC).hour) == ("09:00", 13)
