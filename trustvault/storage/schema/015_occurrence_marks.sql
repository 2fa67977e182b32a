-- Schema 15: routines that count (issue 12). Either partner marks an occurrence of a calendar
-- event held, skipped or moved; the mark is not an entry (no versions, nothing in the timeline).
-- An occurrence is named by its event and its ORIGINAL start in the event's own form, before
-- any move (trustvault/occurrence_ref.py, RFC 5545's RECURRENCE-ID). One row per occurrence:
-- the later mark (``at``, UTC ISO; then marked_by) replaces the earlier on both devices (the
-- mark op, trustvault/sync/ops.py). marked_by is the device id of whoever marked it. Marks on a
-- private event are this device's alone.
CREATE TABLE occurrence_marks (
    event_id   TEXT NOT NULL,
    original   TEXT NOT NULL,
    state      TEXT NOT NULL,
    marked_by  TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (event_id, original)
) WITHOUT ROWID;
