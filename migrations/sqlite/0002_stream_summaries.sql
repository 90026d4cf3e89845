-- The current summary of each stream, as the writer stated it with its last append: the inline
-- projection, written in the same transaction as the events. Unlike the log it is updated in
-- place, and it can be rebuilt from the log.
CREATE TABLE stream_summaries (
    stream_id   TEXT    PRIMARY KEY,
    version     INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    state       TEXT    NOT NULL,
    owner       TEXT,
    -- YYYY-MM-DD
    due_on      TEXT,
    due_kind    TEXT,
    detail      TEXT    NOT NULL,
    -- Microseconds since 1970-01-01 UTC.
    updated_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX stream_summaries_state ON stream_summaries (state);
CREATE INDEX stream_summaries_owner_due ON stream_summaries (owner, due_on);
CREATE INDEX stream_summaries_due ON stream_summaries (due_on, stream_id) WHERE due_on IS NOT NULL;
