"""Entries in the vault: add, edit with history, page through, search.

Every public write is one transaction. An edit never rewrites a version: it adds one, and the
entry row holds the winner, the version with the highest ``(revision, editor)``. Local edits and a
partner's synced edits go through the same :meth:`EntryStore.put_version`, so concurrent edits
resolve the same way on both devices and the losing version stays in the history.

An entry's history is its ``revisions`` rows plus its current version, which lives only in its
``entries`` row (its revision, editor, updated and fields; schema 23): kept in both, each new
entry's text was written twice, an initial sync's 10,000 at once. A tombstone (fields ``'{}'``,
:meth:`EntryStore.erase_content`) has no current version: its history is what ``revisions``
holds, nothing once withdrawn.
"""

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from trustvault.clock import Clock, iso_now, system_clock
from trustvault.entries.kinds import (
    DEFAULT_VISIBILITY,
    KINDS,
    STORED_KINDS,
    body_text,
    sort_key_of,
    title_of,
    validate,
    validate_visibility,
)
from trustvault.entries.merge import Version, wins
from trustvault.entries.model import Entry, Revision
from trustvault.entries.parsing import parse_date_or_datetime
from trustvault.errors import AmbiguousId, EntryNotFound, InvalidField
from trustvault.ids import new_id
from trustvault.storage import draft_store
from trustvault.storage.connection import Connection
from trustvault.storage.transaction import transaction

__all__ = ["EntryStore", "NewEntry", "NewRow", "StoredTexts", "new_row", "stored_texts"]

_COLUMNS = "rowid, id, kind, author, created, updated, visibility, fields, revision, editor"
_AGREEMENT_WORDING = ("title", "text")
_BOTH_EDIT = ("event", "agreement", "plan")
"""Kinds either partner may edit once shared: events, and agreements and plans (as proposals
both accept)."""

LocalVersionHook = Callable[[Sequence[Entry]], None]
"""Called inside the write's transaction with the entry versions this device just wrote (sync
records their ops in the same transaction)."""

AMBIGUOUS_SHOWN = 10
"""How many of the entries an ambiguous short id matches :class:`AmbiguousId` names."""

SEARCH_WINDOW = 5000
"""How many of the newest matching entries full-text search ranks."""

_CANONICAL = json.JSONEncoder(sort_keys=True).encode
"""The stored text of an entry's fields: ``json.dumps(fields, sort_keys=True)``, without the
per-call set-up (~40% cheaper per call, which an initial sync's 10,000 inserts notice)."""

_ERASED = "{}"
"""A tombstone's fields (:meth:`EntryStore.erase_content`): its content and history are gone."""

NewEntry = tuple[str, Mapping[str, Any], str | None]
"""(kind, raw fields, visibility or None for the default), for :meth:`EntryStore.add_many`."""

StoredTexts = tuple[str, str, str]
"""What storing an entry writes from its fields: their canonical JSON, its title and the text
its index row holds (:func:`stored_texts`)."""


def stored_texts(kind: str, fields: Mapping[str, Any]) -> StoredTexts:
    """The texts a new entry's rows hold. Pure, so the sync can work them out before it writes
    (:mod:`trustvault.sync.prepared`)."""
    return _CANONICAL(fields), title_of(kind, fields), body_text(kind, fields)


NewRow = tuple[str, str, str, str, str, str, str, str, str, int, str, str]
"""A new entry as stored: its ``entries`` row but the rowid (id, kind, author, created, updated,
visibility, sort_at, title, fields as JSON, revision, editor), then its index text
(:func:`new_row`). The sync builds thousands of these without an :class:`Entry` each."""


def new_row(
    entry: tuple[str, str, str, str, str, str, Mapping[str, Any], int, str],
    sort_at: str | None = None,
    texts: StoredTexts | None = None,
) -> NewRow:
    """The :data:`NewRow` of an entry given as its first nine :class:`Entry` fields, with its
    :func:`sort_key_of` and :func:`stored_texts` where the caller has them already."""
    entry_id, kind, author, created, updated, visibility, fields, revision, editor = entry
    data, title, body = stored_texts(kind, fields) if texts is None else texts
    if sort_at is None:
        sort_at = sort_key_of(kind, fields, created)
    return (entry_id, kind, author, created, updated, visibility, sort_at, title, data, revision,
            editor, body)  # fmt: skip


class EntryStore:
    """The entries of one vault, written by ``device`` (this device's id)."""

    def __init__(self, conn: Connection, device: str, clock: Clock = system_clock) -> None:
        self._conn = conn
        self.device = device
        self._clock = clock
        self.on_local_version: LocalVersionHook | None = None

    @property
    def connection(self) -> Connection:
        return self._conn

    @property
    def clock(self) -> Clock:
        return self._clock

    # -- writing ---------------------------------------------------------------------------

    def add(self, kind: str, raw: Mapping[str, Any], visibility: str | None = None) -> Entry:
        """Validate and store a new entry authored on this device."""
        return self.add_many([(kind, raw, visibility)])[0]

    def add_many(self, items: Iterable[NewEntry]) -> list[Entry]:
        """Store many new entries in one transaction (imports, seeding); all or none."""
        now = iso_now(self._clock)
        prepared = [self._prepare_new(kind, raw, vis, now) for kind, raw, vis in items]
        with transaction(self._conn):
            self._insert_many([new_row(_columns(e)) for e in prepared])
            if self.on_local_version is not None:
                self.on_local_version(prepared)
        return prepared

    def edit(self, entry_id: str, changes: Mapping[str, Any]) -> Entry:
        """Apply ``changes`` to the current fields as a new revision by this device."""
        with transaction(self._conn):
            current = self.get(entry_id)
            if current.visibility == "withdrawn":
                raise InvalidField("entry", "it was withdrawn by its author and can't be edited")
            if current.author != self.device and current.kind not in _BOTH_EDIT:
                raise InvalidField(
                    "entry", "only its author can edit it; you can acknowledge or comment on it"
                )
            merged = {**current.fields, **changes}
            if current.kind == "agreement":
                merged["version"] = current.fields["version"]
            fields = validate(current.kind, merged)
            if fields == current.fields:
                return current
            if current.kind == "agreement" and any(
                fields[k] != current.fields[k] for k in _AGREEMENT_WORDING
            ):
                fields["version"] = current.fields["version"] + 1
            revision = self.max_revision(entry_id) + 1
            self.put_version(entry_id, revision, self.device, iso_now(self._clock), fields)
            entry = self.get(entry_id)
            if self.on_local_version is not None:
                self.on_local_version([entry])
            return entry

    def put_version(
        self, entry_id: str, revision: int, editor: str, updated: str, fields: dict[str, Any]
    ) -> bool:
        """Record one version of an existing entry; make it current if it wins. Idempotent.

        Returns True when the version was new: neither the current one nor one in ``revisions``.
        A winner first moves the current version into ``revisions`` (a tombstone's ``'{}'`` is
        no version and is not kept). Callers validate ``fields`` first.
        """
        with transaction(self._conn):
            row = self._conn.execute(
                "SELECT rowid, kind, created, revision, editor, updated, fields FROM entries"
                " WHERE id = ?",
                (entry_id,),
            ).fetchone()
            if row is None:
                raise EntryNotFound(entry_id)
            rowid, kind, created, cur_rev, cur_editor, cur_updated, cur_data = row
            erased = cur_data == _ERASED
            if not erased and (revision, editor) == (cur_rev, cur_editor):
                return False
            if self._conn.execute(
                "SELECT 1 FROM revisions WHERE entry_id = ? AND revision = ? AND editor = ?",
                (entry_id, revision, editor),
            ).fetchone():
                return False
            if not wins(Version(revision, editor), Version(cur_rev, cur_editor)):
                self._add_revision(entry_id, revision, editor, updated, _CANONICAL(fields))
                return True
            if not erased:
                self._add_revision(entry_id, cur_rev, cur_editor, cur_updated, cur_data)
            data, title, body = stored_texts(kind, fields)
            self._conn.execute(
                "UPDATE entries SET updated = ?, sort_at = ?, title = ?, fields = ?,"
                " revision = ?, editor = ? WHERE rowid = ?",
                (updated, sort_key_of(kind, fields, created), title, data, revision, editor, rowid),
            )
            self._reindex(rowid, title, body)
            return True

    def set_visibility(self, entry_id: str, visibility: str) -> Entry:
        """Mark an entry private or shared (sync decides what that sends)."""
        validate_visibility(visibility)
        with transaction(self._conn):
            cur = self._conn.execute(
                "UPDATE entries SET visibility = ? WHERE id = ?", (visibility, entry_id)
            )
            if cur.rowcount == 0:
                raise EntryNotFound(entry_id)
        return self.get(entry_id)

    # -- reading ---------------------------------------------------------------------------

    def get(self, entry_id: str) -> Entry:
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM entries WHERE id = ?", (entry_id,)
        ).fetchone()
        if row is None:
            raise EntryNotFound(entry_id)
        return _entry(row)

    def find(self, prefix: str) -> Entry:
        """The entry whose id starts with ``prefix`` (at least 6 digits), as the CLI accepts."""
        prefix = prefix.strip().lower()
        if len(prefix) < 6 or any(c not in "0123456789abcdef" for c in prefix):
            raise EntryNotFound(prefix)
        span = (prefix, prefix + "g")
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM entries WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
            (*span, AMBIGUOUS_SHOWN),
        ).fetchall()
        if not rows:
            raise EntryNotFound(prefix)
        if len(rows) > 1:
            (total,) = self._conn.execute(
                "SELECT count(*) FROM entries WHERE id >= ? AND id < ?", span
            ).fetchone()
            raise AmbiguousId(prefix, tuple(str(r[1]) for r in rows), int(total))
        return _entry(rows[0])

    def page(
        self,
        limit: int = 200,
        *,
        kind: str | None = None,
        author: str | None = None,
        before: tuple[str, int] | None = None,
        put_away: bool | None = None,
    ) -> list[Entry]:
        """Newest first; pass the last row's ``(sort_at, rowid)`` as ``before`` for the next.

        ``author`` (a device id) keeps one person's entries; ``put_away`` False leaves out the
        entries the reader put away on this device, True keeps only those (None: every one).
        """
        if kind is not None and kind not in STORED_KINDS:
            raise InvalidField("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
        where: list[str] = []
        args: list[object] = []
        if kind is not None:
            where.append("kind = ?")
            args.append(kind)
        if author is not None:
            where.append("author = ?")
            args.append(author)
        if before is not None:
            where.append("(sort_at, rowid) < (?, ?)")
            args.extend(before)
        if put_away is not None:
            where.append(
                ("" if put_away else "NOT ") + "EXISTS (SELECT 1 FROM reading_marks m"
                " WHERE m.entry_id = entries.id AND m.mark = 'put_away')"
            )
        sql = f"SELECT {_COLUMNS}, sort_at FROM entries"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY sort_at DESC, rowid DESC LIMIT ?"
        return [_entry(r) for r in self._conn.execute(sql, (*args, limit))]

    def all(self, kind: str | None = None) -> list[Entry]:
        return self.page(limit=-1, kind=kind)

    def linking_to(self, kind: str, field: str, target: str | None = None) -> list[Entry]:
        """Entries of ``kind`` whose ``field`` names another entry (``target``, or any), oldest
        first: a disclosure's ``answers`` names the question it answers."""
        path = f"$.{field}"
        sql = f"SELECT {_COLUMNS} FROM entries WHERE kind = ? AND json_extract(fields, ?) "
        args: list[object] = [kind, path]
        if target is None:
            sql += "IS NOT NULL"
        else:
            sql += "= ?"
            args.append(target)
        return [_entry(r) for r in self._conn.execute(sql + " ORDER BY id", args)]

    def all_ids(self) -> list[str]:
        """Every entry id, in order."""
        return [str(r[0]) for r in self._conn.execute("SELECT id FROM entries ORDER BY id")]

    def cursor_of(self, entry: Entry) -> tuple[str, int]:
        row = self._conn.execute(
            "SELECT sort_at, rowid FROM entries WHERE id = ?", (entry.id,)
        ).fetchone()
        if row is None:
            raise EntryNotFound(entry.id)
        return (row[0], row[1])

    def count(self, kind: str | None = None) -> int:
        if kind is None:
            return int(self._conn.execute("SELECT count(*) FROM entries").fetchone()[0])
        sql = "SELECT count(*) FROM entries WHERE kind = ?"
        return int(self._conn.execute(sql, (kind,)).fetchone()[0])

    def history(self, entry_id: str) -> list[Revision]:
        """Every version of the entry, oldest first (ties in the order that resolves them), the
        current one last; none for a withdrawn tombstone."""
        self.get(entry_id)
        rows = self._conn.execute(
            "SELECT entry_id, revision, editor, updated, fields FROM revisions WHERE entry_id = ?"
            " UNION ALL SELECT id, revision, editor, updated, fields FROM entries"
            " WHERE id = ? AND fields != ? ORDER BY revision, editor",
            (entry_id, entry_id, _ERASED),
        )
        return [Revision(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]

    def max_revision(self, entry_id: str) -> int:
        """The highest revision number in the entry's history (0 when it has none: a withdrawn
        tombstone's)."""
        row = self._conn.execute(
            "SELECT max(coalesce((SELECT max(revision) FROM revisions WHERE entry_id = ?), 0),"
            " coalesce((SELECT revision FROM entries WHERE id = ? AND fields != ?), 0))",
            (entry_id, entry_id, _ERASED),
        ).fetchone()
        return int(row[0])

    def search(self, text: str, limit: int = 100) -> list[Entry]:
        """Full-text search (FTS5, inside the encrypted database), best matches first.

        Ranked among the newest :data:`SEARCH_WINDOW` matching entries, so a very common word
        answers as fast as a rare one.
        """
        query = _fts_query(text)
        if not query:
            raise InvalidField("search text", "must contain at least one word")
        # Rank inside FTS5 and join only the winners. A word found in most of the vault would make
        # bm25 score every match (~300 ms at 100,000 entries), so ranking considers the newest
        # SEARCH_WINDOW matches only: found by walking the index backwards, which stops early.
        floor = self._conn.execute(
            "SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?"
            " ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            (query, SEARCH_WINDOW - 1),
        ).fetchone()
        rows = self._conn.execute(
            f"SELECT {', '.join('e.' + c.strip() for c in _COLUMNS.split(','))}"
            " FROM (SELECT rowid, rank FROM entries_fts WHERE entries_fts MATCH ? AND rowid >= ?"
            " ORDER BY rank LIMIT ?) AS hit JOIN entries e ON e.rowid = hit.rowid"
            " ORDER BY hit.rank",
            (query, floor[0] if floor else 0, limit),
        )
        return [_entry(r) for r in rows]

    # -- for applying the partner's ops (inside the caller's transaction) ------------------

    def exists(self, entry_id: str) -> bool:
        return (
            self._conn.execute("SELECT 1 FROM entries WHERE id = ?", (entry_id,)).fetchone()
            is not None
        )

    def author_of(self, entry_id: str) -> str | None:
        row = self._conn.execute("SELECT author FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return None if row is None else str(row[0])

    def authorship_of(self, entry_id: str) -> tuple[str, str, str] | None:
        """(author, visibility, kind) of the entry, or None when this vault does not hold it."""
        row = self._conn.execute(
            "SELECT author, visibility, kind FROM entries WHERE id = ?", (entry_id,)
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]), str(row[2]))

    def authorship(self, entry_ids: Sequence[str]) -> dict[str, tuple[str, str, str]]:
        """(author, visibility, kind) of each of ``entry_ids`` this vault holds: one query per
        500."""
        found: dict[str, tuple[str, str, str]] = {}
        for start in range(0, len(entry_ids), 500):
            chunk = entry_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for id_, author, visibility, kind in self._conn.execute(
                f"SELECT id, author, visibility, kind FROM entries WHERE id IN ({marks})",
                chunk,
            ):
                found[id_] = (author, visibility, kind)
        return found

    def erase_content(self, entry_id: str, at: str) -> bool:
        """Delete an entry's fields, history, index row and any draft of an edit to it, keeping a
        ``withdrawn`` tombstone updated ``at``; False when this vault does not hold it.

        The tombstone keeps the erased version's revision and editor, but its fields ``'{}'``
        are no version: :meth:`history` and :meth:`max_revision` leave it out."""
        row = self._conn.execute("SELECT rowid FROM entries WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            return False
        self._conn.execute("DELETE FROM entries_fts WHERE rowid = ?", (row[0],))
        self._conn.execute("DELETE FROM revisions WHERE entry_id = ?", (entry_id,))
        draft_store.delete_for_entry(self._conn, entry_id)
        self._conn.execute(
            "UPDATE entries SET fields = ?, title = '', visibility = 'withdrawn', updated = ?"
            " WHERE rowid = ?",
            (_ERASED, at, row[0]),
        )
        return True

    def shared_ids_by(self, author: str) -> list[str]:
        """The ids of ``author``'s entries that are shared here (not tombstones)."""
        rows = self._conn.execute(
            "SELECT id FROM entries WHERE author = ? AND visibility = 'shared' ORDER BY rowid",
            (author,),
        ).fetchall()
        return [str(r[0]) for r in rows]

    def delete(self, entry_id: str) -> None:
        """Delete the entry, every version of it and its index row (its author deletes it; the
        caller marks the erasure pending, :mod:`.erasure`)."""
        row = self._conn.execute("SELECT rowid FROM entries WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            raise EntryNotFound(entry_id)
        self._conn.execute("DELETE FROM entries_fts WHERE rowid = ?", (row[0],))
        self._conn.execute("DELETE FROM revisions WHERE entry_id = ?", (entry_id,))
        self._conn.execute("DELETE FROM entries WHERE rowid = ?", (row[0],))

    def drop_tombstone(self, entry_id: str) -> None:
        """Delete the row a withdrawal left (:meth:`erase_content`), before the entry returns."""
        self._conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))

    # -- internals -------------------------------------------------------------------------

    def _prepare_new(
        self, kind: str, raw: Mapping[str, Any], visibility: str | None, now: str
    ) -> Entry:
        fields = validate(kind, raw)
        if kind == "disclosure" and not fields["disclosed_at"]:
            # In canonical form, as validation would store it (the partner's device re-validates
            # synced fields, and both must store the same text), in this device's offset, so
            # the day written is the author's own day (see kinds._disclosure).
            fields["disclosed_at"] = parse_date_or_datetime(
                "disclosed_at", datetime.fromisoformat(now).astimezone()
            )
        if kind == "agreement":
            fields["version"] = 1
        vis = validate_visibility(visibility or DEFAULT_VISIBILITY[kind])
        return Entry(new_id(), kind, self.device, now, now, vis, fields, 1, self.device)

    def insert_new_many(self, rows: Sequence[NewRow]) -> None:
        """Store entries made elsewhere whose ids the caller knows to be absent (sync)."""
        with transaction(self._conn):
            self._insert_many(rows)

    def insert_entry(self, entry: Entry) -> bool:
        """Store an entry made elsewhere (a partner's, or an import) unless its id exists."""
        with transaction(self._conn):
            if self.exists(entry.id):
                return False
            self._insert_many([new_row(_columns(entry))])
            return True

    def _insert_many(self, rows: Sequence[NewRow]) -> None:
        """Insert new entries and their index rows, two statements in all (a new entry's only
        version is its current one: nothing goes into ``revisions``).

        Rowids are assigned here (after the current maximum) so the FTS rows can be written in the
        same batch; the caller holds the write transaction, so nothing can take them meanwhile.
        """
        if not rows:
            return
        top = int(self._conn.execute("SELECT coalesce(max(rowid), 0) FROM entries").fetchone()[0])
        self._conn.executemany(
            "INSERT INTO entries (rowid, id, kind, author, created, updated, visibility, sort_at,"
            " title, fields, revision, editor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(top + i, *row[:11]) for i, row in enumerate(rows, 1)],
        )
        self._conn.executemany(
            "INSERT INTO entries_fts (rowid, title, body) VALUES (?, ?, ?)",
            [(top + i, row[7], row[11]) for i, row in enumerate(rows, 1)],
        )

    def _add_revision(
        self, entry_id: str, revision: int, editor: str, updated: str, data: str
    ) -> None:
        """Keep a version that is not (or no longer) the current one."""
        self._conn.execute(
            "INSERT INTO revisions (entry_id, revision, editor, updated, fields)"
            " VALUES (?, ?, ?, ?, ?)",
            (entry_id, revision, editor, updated, data),
        )

    def _reindex(self, rowid: int, title: str, body: str) -> None:
        """Replace an edited entry's index row (contentless FTS5 deletes by rowid)."""
        self._conn.execute("DELETE FROM entries_fts WHERE rowid = ?", (rowid,))
        self._conn.execute(
            "INSERT INTO entries_fts (rowid, title, body) VALUES (?, ?, ?)", (rowid, title, body)
        )


def has_entries_by(conn: Connection, device: str) -> bool:
    """Whether any entry in the vault was written by ``device`` (pairing refuses a partner that
    claims such an id unless it is the partner already recorded with the same key)."""
    return (
        conn.execute("SELECT 1 FROM entries WHERE author = ? LIMIT 1", (device,)).fetchone()
        is not None
    )


def _entry(row: tuple[Any, ...]) -> Entry:
    rowid, id_, kind, author, created, updated, vis, fields, rev, editor = row[:10]
    return Entry(id_, kind, author, created, updated, vis, json.loads(fields), rev, editor, rowid)


def _fts_query(text: str) -> str:
    """Quote each word so user text is never parsed as FTS5 syntax; words are ANDed, the last
    one matched as a prefix so results appear while typing."""
    words = [w.replace('"', '""') for w in text.split() if w.strip('"')]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _columns(e: Entry) -> tuple[str, str, str, str, str, str, Mapping[str, Any], int, str]:
    return (e.id, e.kind, e.author, e.created, e.updated, e.visibility, e.fields, e.revision,
            e.editor)  # fmt: skip
