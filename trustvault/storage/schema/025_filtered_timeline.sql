-- Schema 25: the timeline filtered by kind or by author reads its page from an index again.
-- Pages are ordered "sort_at DESC, rowid DESC"; an index on (kind, sort_at DESC) keeps rowid
-- ascending within a moment, so SQLite sorted every entry of the kind (or the author) in a
-- temporary tree for each page: 153 ms for the check-ins of a 100,000-entry vault, 230 ms for
-- one person's entries, 510 ms for both filters. Read backwards, (kind, sort_at) gives exactly
-- that order: each of those pages takes 1 ms, as the unfiltered timeline does.
DROP INDEX entries_kind;
CREATE INDEX entries_kind ON entries (kind, sort_at);
DROP INDEX entries_author;
CREATE INDEX entries_author ON entries (author, sort_at);
