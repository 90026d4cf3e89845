-- The event log: one row per event, in commit order. Positions are dense from 1 and are
-- assigned by the writer inside a BEGIN IMMEDIATE transaction, so appends are serialized.
CREATE TABLE events (
    position        INTEGER PRIMARY KEY CHECK (position > 0),
    stream_id       TEXT    NOT NULL CHECK (length(stream_id) BETWEEN 1 AND 200),
    stream_version  INTEGER NOT NULL CHECK (stream_version > 0),
    event_id        BLOB    NOT NULL CHECK (length(event_id) = 16),
    event_type      TEXT    NOT NULL CHECK (length(event_type) BETWEEN 1 AND 100),
    schema_version  INTEGER NOT NULL CHECK (schema_version >= 0),
    payload         TEXT    NOT NULL,
    metadata        TEXT    NOT NULL,
    command_id      BLOB    NOT NULL CHECK (length(command_id) = 16),
    -- Microseconds since 1970-01-01 UTC.
    recorded_at     INTEGER NOT NULL,
    hash            BLOB    NOT NULL CHECK (length(hash) = 32),
    CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version),
    CONSTRAINT events_event_id_unique UNIQUE (event_id)
);

-- One row per command that wrote events: a retried command finds its first outcome here.
CREATE TABLE commands (
    command_id      BLOB    PRIMARY KEY CHECK (length(command_id) = 16),
    stream_id       TEXT    NOT NULL,
    first_version   INTEGER NOT NULL,
    last_version    INTEGER NOT NULL,
    first_position  INTEGER NOT NULL,
    last_position   INTEGER NOT NULL
) WITHOUT ROWID;

-- Append-only, whatever the caller. SQLite has no TRUNCATE: a DELETE without WHERE fires the
-- row trigger like any other delete.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'retur: UPDATE on events is refused: the event log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'retur: DELETE on events is refused: the event log is append-only'); END;
CREATE TRIGGER commands_no_update BEFORE UPDATE ON commands
BEGIN SELECT RAISE(ABORT, 'retur: UPDATE on commands is refused: the event log is append-only'); END;
CREATE TRIGGER commands_no_delete BEFORE DELETE ON commands
BEGIN SELECT RAISE(ABORT, 'retur: DELETE on commands is refused: the event log is append-only'); END;
