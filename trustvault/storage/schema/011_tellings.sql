-- Schema 11: when each shared disclosure reached the partner's device, counted there.
-- The figure a couple watches shrink is the days from an event to its telling. The author types
-- a "disclosed" date, but the true telling is when the disclosure reached the partner, so the
-- reader's device writes down the day each version first arrived (its own local day, in the
-- transaction that applies it) and tells the author's device in a `received` op, which stores
-- the same row: both devices count from the reader's records, which the author's client cannot
-- write. Only days are kept, never moments (a moment shows when the person was online).
-- first_shared is the author's own record of the day a disclosure first left this device
-- (its first version sealed): "kept private N days" until the partner's word arrives.
-- Neither table holds content; an entry deleted for good takes its rows with it.
CREATE TABLE arrivals (
    entry_id     TEXT NOT NULL,
    revision     INTEGER NOT NULL,
    received_on  TEXT NOT NULL,
    PRIMARY KEY (entry_id, revision)
) WITHOUT ROWID;
CREATE TABLE first_shared (
    entry_id   TEXT PRIMARY KEY,
    shared_on  TEXT NOT NULL
) WITHOUT ROWID;
