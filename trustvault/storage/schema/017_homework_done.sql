-- Schema 17: homework marked done (issue 12). Homework is an entry (kind "homework"); who did
-- it is not a field of it, since each person marks their own part and two concurrent edits of
-- one entry keep only one (trustvault/entries/merge.py). One row per person who marked it done,
-- from their own device or from their ``done`` op (trustvault/homework.py); none while not done.
-- person is a device id; done_at is UTC ISO.
CREATE TABLE homework_done (
    entry_id TEXT NOT NULL,
    person   TEXT NOT NULL,
    done_at  TEXT NOT NULL,
    PRIMARY KEY (entry_id, person)
) WITHOUT ROWID;
