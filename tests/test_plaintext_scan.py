"""Nothing readable on disk: every byte of the vault folder is scanned for words we wrote into it.

Each entry kind carries distinctive marker words in every free-text field (titles, bodies, notes,
feelings, locations, agreement text, a draft kept at lock), more arrive through edits (so the
revision history holds them) and searches (so the FTS5 index holds them, lower-cased by its
tokenizer). The folder is scanned while the vault is open (WAL and shared-memory files present)
and after it is closed, for each marker as UTF-8 and UTF-16 in its written and lower-case forms.
"""

from pathlib import Path

from tests.helpers import PASSPHRASE, ManualClock
from trustvault import drafts
from trustvault.vault import Vault

MARKERS = {
    "name": "Quixotevaultname",
    "d_title": "Zanzibarquokka",
    "d_body": "Xylophonepelican",
    "d_category": "Mauvecategory",
    "e_title": "Pomegranatedinner",
    "e_location": "Kalamazoocafe",
    "e_notes": "Thistlenotes",
    "a_title": "Borealisagreement",
    "a_text": "Nocturnecurfew",
    "c_feeling": "Vellichorfeeling",
    "c_note": "Quagmirenote",
    "m_title": "Juniperjourney",
    "m_note": "Obsidianmilestone",
    "edit_title": "Wanderlustedited",
    "edit_body": "Halcyonrevised",
    "edit_text": "Palimpsestagreed",
    "meta": "Serendipitymeta",
    "draft": "Wistfuldraftword",
}


def fill(v: Vault) -> None:
    """Entries of every kind, then edits and searches, all carrying markers."""
    m = MARKERS
    store = v.entries
    disclosure = store.add(
        "disclosure",
        {
            "title": f"{m['d_title']} at the conference",
            "body": f"I met {m['d_body']} twice and did not say so.",
            "occurred_on": "2026-03-14",
            "approximate": True,
            "category": m["d_category"],
        },
    )
    store.add(
        "event",
        {
            "title": f"{m['e_title']} night",
            "start": "2026-11-06T19:00:00+01:00",
            "end": "2026-11-06T22:00:00+01:00",
            "location": m["e_location"],
            "notes": f"book the table, {m['e_notes']}",
            "event_kind": "date_night",
            "rrule": "FREQ=WEEKLY;COUNT=4",
        },
    )
    agreement = store.add(
        "agreement",
        {"title": m["a_title"], "text": f"Phones stay visible; {m['a_text']} at eleven."},
    )
    store.add(
        "checkin",
        {"mood": 4, "safety": 7, "feelings": [m["c_feeling"], "tired"], "note": m["c_note"]},
    )
    milestone = store.add(
        "milestone",
        {"title": f"{m['m_title']} begins", "due_on": "2026-12-01", "note": m["m_note"]},
    )
    store.add_many(
        [
            ("milestone", {"title": f"{m['m_title']} step {i}", "note": m["m_note"]}, None)
            for i in range(50)
        ]
    )
    store.edit(disclosure.id, {"title": m["edit_title"], "body": f"{m['edit_body']} in full."})
    store.edit(agreement.id, {"text": f"{m['edit_text']}: phones stay visible."})
    store.set_visibility(milestone.id, "private")
    v.set_meta("note", m["meta"])
    # What an editor held when the vault locked (trustvault.drafts): kept inside the vault.
    drafts.keep(
        v,
        "disclosure",
        {"title": "Unsaved", "body": f"I was writing {m['draft']} when it locked"},
        visibility="shared",
        entry_id=None,
        base_revision=None,
        draft_id=None,
    )
    for word in (m["d_title"], m["edit_title"], m["c_feeling"], m["a_text"][:6]):
        store.search(word)
    assert store.search(m["edit_body"])


def forms(marker: str) -> list[bytes]:
    texts = {marker, marker.lower(), marker.upper()}
    return [t.encode(enc) for t in sorted(texts) for enc in ("utf-8", "utf-16-le", "utf-16-be")]


def leaks(folder: Path) -> list[str]:
    """(file, marker) for every marker found anywhere in the folder, hidden files included."""
    found = []
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        for key, marker in MARKERS.items():
            if any(form in data for form in forms(marker)):
                found.append(f"{path.name}: {key}")
    return found


def test_scan_finds_markers_in_plain_files(tmp_path: Path) -> None:
    """The scanner itself works: it sees a marker in each encoding and case."""
    for i, form in enumerate(forms(MARKERS["c_note"])):
        (tmp_path / f"f{i}").write_bytes(b"\x00" * 100 + form + b"\x00" * 100)
    assert len(leaks(tmp_path)) == len(forms(MARKERS["c_note"]))


def test_no_plaintext_on_disk_while_open_and_after_close(
    tmp_path: Path, clock: ManualClock
) -> None:
    folder = tmp_path / "vault"
    v = Vault.create(folder, PASSPHRASE, MARKERS["name"], kdf_profile="interactive", clock=clock)
    fill(v)
    assert (folder / "vault.db-wal").stat().st_size > 0  # the writes are still in the WAL
    assert {"vault.db", "vault.db-wal", "vault.db-shm", "vault.key"} <= {
        p.name for p in folder.iterdir()
    }
    assert leaks(folder) == []
    v.close()
    assert leaks(folder) == []

    with Vault.unlock(folder, PASSPHRASE) as again:  # the markers really were stored
        assert again.name == MARKERS["name"]
        assert again.entries.search(MARKERS["c_feeling"].lower())
        assert again.meta("note") == MARKERS["meta"]
        assert MARKERS["draft"] in drafts.all_drafts(again)[0].fields["body"]
    assert leaks(folder) == []
