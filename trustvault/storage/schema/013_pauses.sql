-- Schema 13: "I need a pause", with a promised return (issue 12). A pause is not an entry: it
-- is never in the timeline and keeps no versions. Either partner's device holds the same row
-- for it (the pause op, trustvault/sync/ops.py); the newest word on it (``at``) wins on both.
-- asked_by is the device id of who asked for the pause; started, until (the promised return)
-- and at are UTC ISO; ended is when one of them said "I'm back" ('' while it is on);
-- came_back is 1 when it was ended by "I'm back" or "Ready" (a return kept), not by time.
CREATE TABLE pauses (
    id         TEXT PRIMARY KEY,
    asked_by   TEXT NOT NULL,
    started    TEXT NOT NULL,
    until      TEXT NOT NULL,
    ended      TEXT NOT NULL DEFAULT '',
    came_back  INTEGER NOT NULL DEFAULT 0,
    at         TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX pauses_by_start ON pauses (started);
