-- Search entries written inside a larger transaction (an import, a script) wait here and reach
-- the FTS5 table once, at the outermost commit: FTS5 flushes its pending terms at every
-- savepoint, which made each imported row pay for a segment write.
CREATE TABLE kt_search_pending (
  rowid INTEGER PRIMARY KEY,   -- the record
  body  TEXT                   -- the folded text to index; NULL: only remove the old entry
);
