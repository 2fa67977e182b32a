-- Schema 23: an entry's current version is stored once, in its entries row (revision, editor,
-- updated, fields); revisions keeps every other version, those it won over and those that lost
-- to it (schema 1's "every version ever stored" no longer holds). A new entry writes no
-- revisions row, so an initial sync's 10,000 entries store each entry's text once, not twice.
-- Measured: the benchmark's 10,000 write 3,053 pages instead of 4,804, the index included; a
-- new vault of 600 texts of 900 characters is 285 pages, not 969 (in this WITHOUT ROWID table a
-- row over ~1,000 bytes spills into an overflow page of its own). The history is the revisions
-- rows plus the current version (trustvault/storage/entry_store.py), the same list as before.
-- Until now each entries row equalled its winning revisions row in all four columns: both were
-- written only by EntryStore.put_version and _insert_many with the same values, and a visibility
-- change touches neither. A tombstone (fields '{}', its content erased, schema 2) has no current
-- version to drop: its revisions were deleted with its content, and any kept since stay.
DELETE FROM revisions WHERE EXISTS (
    SELECT 1 FROM entries e
    WHERE e.id = revisions.entry_id AND e.revision = revisions.revision
        AND e.editor = revisions.editor AND e.fields != '{}'
);
