-- Schema 4: the full-text index keeps only its index, not a second copy of every entry's text
-- (contentless FTS5). Less to write on every insert and no duplicate of the text in the file;
-- deleting a row (an edit, a withdrawal) still works through contentless_delete.
DROP TABLE entries_fts;
CREATE VIRTUAL TABLE entries_fts USING fts5 (
    title, body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
-- Rebuild from the stored fields: the same text trustvault.entries.kinds.body_text indexes.
INSERT INTO entries_fts (rowid, title, body)
SELECT rowid, title, CASE kind
    WHEN 'disclosure' THEN concat_ws(char(10),
        nullif(json_extract(fields, '$.body'), ''), nullif(json_extract(fields, '$.category'), ''))
    WHEN 'event' THEN concat_ws(char(10),
        nullif(json_extract(fields, '$.location'), ''), nullif(json_extract(fields, '$.notes'), ''))
    WHEN 'agreement' THEN coalesce(json_extract(fields, '$.text'), '')
    WHEN 'checkin' THEN concat_ws(char(10), nullif(json_extract(fields, '$.note'), ''),
        (SELECT group_concat(value, char(10)) FROM json_each(fields, '$.feelings')))
    ELSE coalesce(json_extract(fields, '$.note'), '')
END
FROM entries WHERE fields != '{}';
