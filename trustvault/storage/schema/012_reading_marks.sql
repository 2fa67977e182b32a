-- Schema 12: how the reader keeps a partner's entry on this device: "held" (closed until the
-- person opens it, for a session together) or "put_away" (out of the timeline, in its own
-- view). This device's alone: a mark never becomes an op, so the author's device learns
-- nothing of it. Only ids and a time (UTC ISO), no content. An entry may carry both marks.
CREATE TABLE reading_marks (
    entry_id  TEXT NOT NULL,
    mark      TEXT NOT NULL,
    marked_at TEXT NOT NULL,
    PRIMARY KEY (entry_id, mark)
) WITHOUT ROWID;
