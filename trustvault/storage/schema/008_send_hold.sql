-- Schema 8: shares that have not left this device yet, each with the moment it may leave.
-- A share records its ops at once (in the same transaction as the change) but they are sealed
-- only once its hold has passed (the person's chance to undo, "sending in 4:12"); ops after it
-- wait behind it, in sequence order. Withdrawing an entry whose share is still here drops its
-- ops and renumbers the unsealed ones after them, so nothing of it ever reaches the medium.
-- chain_before is the chain value before first_seq (what the renumbering starts from); the
-- prior_* columns are the entry's delivery record before the share (had_sharing = 0: none),
-- restored by an undo. A row goes once first_seq is sealed.
CREATE TABLE send_holds (
    entry_id          TEXT PRIMARY KEY,
    first_seq         INTEGER NOT NULL UNIQUE,
    until             TEXT NOT NULL,
    chain_before      BLOB NOT NULL,
    had_sharing       INTEGER NOT NULL,
    prior_last_seq    INTEGER,
    prior_delivered   TEXT,
    prior_withdrawn   TEXT
) WITHOUT ROWID;
