"""Intimate text never has to be on the command line: every text option of ``add``, ``edit`` and
``comment`` also takes ``-`` (standard input), ``@FILE`` and ``--edit`` ($EDITOR on a private
temporary file), and what was written that way is what the partner's device shows.

Text given as an argument is in the process list for every program on the computer to read and
stays in the shell's history; that is the bug these sources fix.
"""

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.crossing.cli_couple import Couple, Person, make_couple

ERROR = "trustvault-cli: error: "

FAKE_EDITOR = """#!{python}
import json, os, stat, sys
path = sys.argv[-1]
info, folder = os.stat(path), os.stat(os.path.dirname(path))
with open(path, encoding="utf-8") as handle:
    before = handle.read()
witness = os.environ["FAKE_EDITOR_WITNESS"]
if os.path.exists(witness):
    os.unlink(witness)
os.link(path, witness)  # the same file under another name: shows what is left of it later
with open(path, "w", encoding="utf-8") as handle:
    handle.write(os.environ["FAKE_EDITOR_TEXT"])
with open(os.environ["FAKE_EDITOR_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps({{
        "path": path,
        "mode": stat.S_IMODE(info.st_mode),
        "folder_mode": stat.S_IMODE(folder.st_mode),
        "before": before,
        "passphrase_seen": "TRUSTVAULT_PASSPHRASE" in os.environ,
        "new_passphrase_seen": "TRUSTVAULT_NEW_PASSPHRASE" in os.environ,
    }}) + "\\n")
sys.exit(int(os.environ.get("FAKE_EDITOR_STATUS", "0")))
"""


@pytest.fixture
def couple(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Couple:
    return make_couple(tmp_path, monkeypatch)


def added(person: Person, *args: str, stdin: str = "") -> str:
    (entry,) = json.loads(person.ok("add", *args, "--json", stdin=stdin))
    return str(entry["id"])


def one_line_error(person: Person, *args: str, stdin: str = "") -> str:
    result = person.run(*args, stdin=stdin)
    assert result.code == 1, (result.out, result.err)
    assert result.err.startswith(ERROR) and result.err.count("\n") == 1, result.err
    return result.err[len(ERROR) :].strip()


# -- standard input and files ------------------------------------------------------------------

BY_KIND: list[tuple[str, list[str], str]] = [
    # kind, the other (required) options, the text fields to fill from a source
    ("disclosure", ["--occurred", "2024-05-03"], "title body category"),
    ("event", ["--start", "2026-12-04T19:00"], "title location notes"),
    ("agreement", [], "title text"),
    ("checkin", ["--mood", "6", "--safety", "7", "--shared"], "note"),
    ("milestone", [], "title note"),
]


@pytest.mark.parametrize(("kind", "others", "fields"), BY_KIND)
def test_every_text_option_reads_stdin_or_a_file_and_the_partner_sees_it(
    couple: Couple, tmp_path: Path, kind: str, others: list[str], fields: str
) -> None:
    names = fields.split()
    args, expected, stdin = list(others), {}, ""
    for i, name in enumerate(names):
        text = f"{kind} {name}, said quietly"
        if i == 0:
            args += [f"--{name}", "-"]  # the first from standard input
            stdin = text + "\n"  # one final newline is dropped
        else:
            (source := tmp_path / f"{kind}-{name}.txt").write_text(text + "\n", encoding="utf-8")
            args += [f"--{name}", f"@{source}"]
        expected[name] = text
    entry = added(couple.alex, kind, *args, stdin=stdin)
    couple.sync_all()
    seen = couple.sam.show(entry)
    assert {name: seen[name] for name in names} == expected
    assert seen["author"] == "Alex"


def test_edit_and_comment_read_stdin_and_files(couple: Couple, tmp_path: Path) -> None:
    entry = added(couple.alex, "disclosure", "--title", "@@home, not the office",
                  "--occurred", "2024-05-03")  # fmt: skip
    (body := tmp_path / "body.txt").write_text("Line one.\n\nLine three, kept.\n", "utf-8")
    assert "revision 2" in couple.alex.ok("edit", entry, "--body", f"@{body}")
    couple.sync_all()
    seen = couple.sam.show(entry)
    assert seen["title"] == "@home, not the office"  # @@ stands for a literal @
    assert seen["body"] == "Line one.\n\nLine three, kept."

    couple.sam.ok("comment", entry, "-", stdin="Thank you for telling me.\n")
    (reply := tmp_path / "reply.txt").write_text("I would like to talk about it.", "utf-8")
    couple.sam.ok("comment", entry, f"@{reply}")
    couple.sync_all()
    comments = [(c["person"], c["text"]) for c in couple.alex.show(entry)["comments"]]
    assert comments == [
        ("Sam", "Thank you for telling me."),
        ("Sam", "I would like to talk about it."),
    ]


def test_a_missing_file_or_a_second_stdin_is_one_line_and_stores_nothing(
    couple: Couple, tmp_path: Path
) -> None:
    missing = tmp_path / "not-there.txt"
    message = one_line_error(couple.alex, "add", "disclosure", "--title", "Lunch",
                             "--body", f"@{missing}", "--occurred", "2024-05-03")  # fmt: skip
    assert message == f"Invalid body: cannot read {missing}: No such file or directory"
    message = one_line_error(couple.alex, "add", "milestone", "--title", "-", "--note", "-",
                             stdin="twice\n")  # fmt: skip
    assert message == "Invalid note: only one text can come from standard input ('-')"
    (binary := tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    message = one_line_error(couple.alex, "comment", "0" * 32, f"@{binary}")
    assert message == f"Invalid comment: {binary} is not UTF-8 text"
    assert couple.alex.json("list") == []


def test_the_passphrase_cannot_also_come_from_stdin(couple: Couple) -> None:
    couple.alex.passphrase = None  # nothing in the environment, no keychain: stdin it would be
    message = one_line_error(couple.alex, "add", "milestone", "--title", "-",
                             stdin="the title\n")  # fmt: skip
    assert message.startswith("Standard input carried the text, so it cannot carry the passphrase")


# -- $EDITOR -----------------------------------------------------------------------------------


class FakeEditor:
    """An ``$EDITOR`` that records what it was handed and writes a known text."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.runtime = root / "runtime"  # a private runtime folder, as XDG_RUNTIME_DIR is
        self.runtime.mkdir(mode=0o700)
        self.log = root / "editor.log"
        self.witness = root / "witness.txt"
        script = root / "fake-editor"
        script.write_text(FAKE_EDITOR.format(python=sys.executable), encoding="utf-8")
        script.chmod(0o700)
        self.monkeypatch = monkeypatch
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(self.runtime))
        monkeypatch.delenv("VISUAL", raising=False)
        monkeypatch.setenv("EDITOR", f"{script} --wait")  # an editor's own options are kept
        monkeypatch.setenv("FAKE_EDITOR_LOG", str(self.log))
        monkeypatch.setenv("FAKE_EDITOR_WITNESS", str(self.witness))
        monkeypatch.setenv("TRUSTVAULT_NEW_PASSPHRASE", "must not reach the editor either")

    def writes(self, text: str, status: int = 0) -> None:
        self.monkeypatch.setenv("FAKE_EDITOR_TEXT", text)
        self.monkeypatch.setenv("FAKE_EDITOR_STATUS", str(status))

    def last(self) -> dict[str, Any]:
        """What the editor saw on its last run, checked against what must hold every time."""
        seen = json.loads(self.log.read_text(encoding="utf-8").splitlines()[-1])
        path = Path(seen["path"])
        assert seen["mode"] == 0o600 and seen["folder_mode"] == 0o700
        assert path.parent.parent == self.runtime
        assert not seen["passphrase_seen"] and not seen["new_passphrase_seen"]
        assert not path.exists() and not path.parent.exists()  # removed...
        assert set(self.witness.read_bytes()) <= {0}  # ...after being overwritten with zeros
        assert list(self.runtime.iterdir()) == []
        return dict(seen)


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeEditor:
    return FakeEditor(tmp_path, monkeypatch)


def test_text_written_in_the_editor_reaches_the_partner(couple: Couple, editor: FakeEditor) -> None:
    editor.writes("What I did not tell you in May.\n")
    entry = added(couple.alex, "disclosure", "--title", "May", "--occurred", "2024-05-03", "--edit")
    first = editor.last()
    assert first["before"] == "" and first["path"].endswith("disclosure-body.txt")
    assert os.environ.get("TRUSTVAULT_PASSPHRASE") is None  # taken from the environment

    editor.writes("What I did not tell you in May, all of it.\n")
    assert "revision 2" in couple.alex.ok("edit", entry, "--edit")
    assert editor.last()["before"] == "What I did not tell you in May."  # the current text
    couple.sync_all()
    assert couple.sam.show(entry)["body"] == "What I did not tell you in May, all of it."

    editor.writes("Thank you. I need a day before we talk.")
    couple.sam.ok("comment", entry, "--edit")
    assert editor.last()["path"].endswith("comment.txt")
    agreement = added(couple.sam, "agreement", "--title", "Phones", "--edit")
    editor.last()
    couple.sync_all()
    comments = [(c["person"], c["text"]) for c in couple.alex.show(entry)["comments"]]
    assert comments == [("Sam", "Thank you. I need a day before we talk.")]
    assert couple.alex.show(agreement)["text"] == "Thank you. I need a day before we talk."


def test_a_failed_or_empty_edit_saves_nothing_and_leaves_no_file(
    couple: Couple, editor: FakeEditor
) -> None:
    editor.writes("half a thought", status=3)
    args = ("add", "milestone", "--title", "Therapy", "--edit")
    failed = one_line_error(couple.alex, *args)
    assert failed == "The editor exited with status 3. Nothing was saved."
    editor.last()  # the temporary file is gone even so
    editor.writes("  \n")
    assert one_line_error(couple.alex, *args) == (
        "Nothing was written in the editor. Nothing was saved."
    )
    editor.last()
    assert couple.alex.json("list") == []
    message = one_line_error(couple.alex, "add", "milestone", "--title", "T", "--note", "n",
                             "--edit")  # fmt: skip
    assert message == "Invalid note: give --note or --edit, not both; nothing was changed"
    editor.monkeypatch.setenv("EDITOR", str(editor.runtime / "no-such-editor"))
    assert one_line_error(couple.alex, *args).startswith("Cannot start the editor")
    assert list(editor.runtime.iterdir()) == []
    assert stat.S_IMODE(editor.runtime.stat().st_mode) == 0o700


def test_search_words_come_from_standard_input_or_a_file(couple: Couple, tmp_path: Path) -> None:
    """What someone looks for is as private as what they wrote: Sam finds Alex's shared entry
    without the words ever being an argument."""
    alex, sam = couple.alex, couple.sam
    added(alex, "disclosure", "--title", "The hotel in Lyon", "--occurred", "2026-10-01")
    couple.sync_all()
    (found,) = json.loads(sam.ok("search", "-", "--json", stdin="hotel lyon\n"))
    assert found["title"] == "The hotel in Lyon"
    words = tmp_path / "words"
    words.write_text("lyon", encoding="utf-8")
    (found,) = json.loads(sam.ok("search", "@" + str(words), "--json"))
    assert found["title"] == "The hotel in Lyon"
    assert "no such file" in one_line_error(sam, "search", "@" + str(tmp_path / "missing")).lower()
