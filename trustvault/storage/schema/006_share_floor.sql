-- Schema 6: the first revision of an entry its partner may receive.
-- A private entry's earlier versions are drafts written for nobody else: sharing it sends the
-- current version only, unless its author chooses to include the earlier ones. The floor is
-- set when a private entry is first shared; an entry written shared has none (every version
-- was written to be seen).
CREATE TABLE share_floor (
    entry_id TEXT PRIMARY KEY,
    revision INTEGER NOT NULL
) WITHOUT ROWID;
