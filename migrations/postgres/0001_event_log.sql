-- The event log: one row per event, in commit order. Positions are dense from 1 and are
-- assigned by the writer while it holds the append lock, so a row never becomes visible
-- before a row with a lower position.
CREATE TABLE events (
    position        BIGINT      PRIMARY KEY CHECK (position > 0),
    stream_id       TEXT        NOT NULL CHECK (length(stream_id) BETWEEN 1 AND 200),
    stream_version  BIGINT      NOT NULL CHECK (stream_version > 0),
    event_id        UUID        NOT NULL,
    event_type      TEXT        NOT NULL CHECK (length(event_type) BETWEEN 1 AND 100),
    schema_version  INTEGER     NOT NULL CHECK (schema_version >= 0),
    -- JSON kept as text, not jsonb: the exact bytes that were hashed are kept as they were.
    payload         TEXT        NOT NULL,
    metadata        TEXT        NOT NULL,
    command_id      UUID        NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    hash            BYTEA       NOT NULL CHECK (length(hash) = 32),
    CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version),
    CONSTRAINT events_event_id_unique UNIQUE (event_id)
);

-- One row per command that wrote events: a retried command finds its first outcome here.
-- Written in the same statement as the command's events; no foreign keys, whose checks would
-- cost every append a lookup for what the writer has just inserted itself.
CREATE TABLE commands (
    command_id      UUID        PRIMARY KEY,
    stream_id       TEXT        NOT NULL,
    first_version   BIGINT      NOT NULL,
    last_version    BIGINT      NOT NULL,
    first_position  BIGINT      NOT NULL,
    last_position   BIGINT      NOT NULL
);

-- Append-only, whatever the caller: the database itself refuses to change or remove history.
CREATE FUNCTION retur_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'retur: % on % is refused: the event log is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION retur_refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION retur_refuse_change();
CREATE TRIGGER commands_append_only BEFORE UPDATE OR DELETE ON commands
    FOR EACH ROW EXECUTE FUNCTION retur_refuse_change();
CREATE TRIGGER commands_no_truncate BEFORE TRUNCATE ON commands
    FOR EACH STATEMENT EXECUTE FUNCTION retur_refuse_change();
