-- Schema 16: structured conversations (issue 12 item 4). A conversation is not an entry: it
-- has no versions and is never in the timeline. Either device holds the same conversation row;
-- event_id and original_start name the calendar occurrence it was opened from ('' for a
-- standalone one). Each person's part is a row of conversation_parts keyed by their device id.
-- This device's own part: answers (JSON object, part key -> text) are editable until done;
-- done sets commitment and opening (crypto/commitment.py) and the moment; revealed is when
-- this device sent the part itself. The partner's part: commitment and done arrive first
-- (the "done" op); answers stay '{}' and opening NULL until the "reveal" op opens the
-- commitment here, and revealed is when that was checked.
CREATE TABLE conversations (
    id              TEXT PRIMARY KEY,
    template        TEXT NOT NULL,
    event_id        TEXT NOT NULL DEFAULT '',
    original_start  TEXT NOT NULL DEFAULT '',
    started_by      TEXT NOT NULL,
    started         TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX conversations_by_start ON conversations (started);
CREATE TABLE conversation_parts (
    conversation  TEXT NOT NULL,
    person        TEXT NOT NULL,
    answers       TEXT NOT NULL DEFAULT '{}',
    commitment    BLOB,
    opening       BLOB,
    done          TEXT NOT NULL DEFAULT '',
    revealed      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (conversation, person)
) WITHOUT ROWID;
