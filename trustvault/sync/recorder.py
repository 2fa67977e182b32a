"""Recording sync ops for local changes, in the same transaction as the change.

:func:`attach` hooks a vault's entry store: every version this device writes of a shared entry
(or of a partner's shared event) becomes a ``version`` op. Private entries produce nothing: they
never leave the device, not even sealed.
"""

from collections.abc import Sequence
from typing import Any

from trustvault.clock import Clock
from trustvault.entries.model import Entry, Revision
from trustvault.storage import social_store
from trustvault.storage.connection import Connection
from trustvault.storage.entry_store import EntryStore
from trustvault.sync import outbox, send_hold
from trustvault.sync.pair_state import PairState, load_pair, save_pair

__all__ = ["Recorder", "version_body"]


def version_body(entry: Entry, revision: Revision | None = None) -> dict[str, Any]:
    """The ``version`` op body for the entry's current version (or a given past revision)."""
    rev = revision or Revision(entry.id, entry.revision, entry.editor, entry.updated, entry.fields)
    return {
        "id": entry.id,
        "kind": entry.kind,
        "author": entry.author,
        "created": entry.created,
        "rev": rev.revision,
        "editor": rev.editor,
        "updated": rev.updated,
        "fields": rev.fields,
    }


class Recorder:
    """Turns local entry versions into outbox ops while the vault is paired; a new entry
    written shared waits its hold like any other share (:mod:`.send_hold`)."""

    def __init__(self, store: EntryStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        store.on_local_version = self._on_version

    @property
    def conn(self) -> Connection:
        return self.store.connection

    def refresh(self) -> None:
        """Nothing is cached: each write reads the pairing state in its own transaction, so a
        pairing completed by another process (the app beside the CLI) is seen at once."""

    def _on_version(self, entries: Sequence[Entry]) -> None:
        shared = [e for e in entries if e.visibility == "shared"]
        if not shared:
            return
        state = load_pair(self.conn)
        if state is None or not state.paired:
            return
        starts: list[send_hold.Start] = []
        for entry in shared:
            if self._new_share(entry):
                starts.append((entry.id, state.send_seq + 1, state.send_chain, None))
            self.record_version(state, entry)
        if starts:
            send_hold.begin(self.conn, state, starts, self.clock)
        save_pair(self.conn, state)

    def _new_share(self, entry: Entry) -> bool:
        """An entry of this device's reaching the partner for the first time (written shared,
        or edited while it waits for the partner's key to be verified): it waits its hold."""
        if entry.author != self.store.device:
            return False
        # A first revision is new (no lookup: imports add thousands at once).
        return entry.revision == 1 or social_store.sharing_record(self.conn, entry.id) is None

    def record_version(
        self, state: PairState, entry: Entry, revision: Revision | None = None
    ) -> int:
        body = version_body(entry, revision)
        if entry.author != self.store.device:
            # An edit of the partner's event says how much of the partner's history it was
            # made on, so the author can tell an edit of content it has since withdrawn.
            body["seen"] = state.recv_seq
        seq = outbox.record(self.conn, state, "version", body, entry.id)
        if entry.author == self.store.device:
            social_store.mark_sent(self.conn, entry.id, seq)
        return seq
