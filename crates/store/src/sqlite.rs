//! The embedded default: SQLite in WAL mode with durable commits (`synchronous=FULL`). Appends
//! are serialized by `BEGIN IMMEDIATE`, which also keeps out any other process writing to the
//! same file.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{NaiveDate, Utc};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use uuid::Uuid;

use crate::batch::{self, Known, Plan, Prepared};
use crate::chain::Hash;
use crate::envelope::{Appended, Head, Position, StreamId};
use crate::error::{AppendError, StoreError};
use crate::log::{Store, to_i64};
use crate::reads::{Bound, Dialect, SqlBackend};
use crate::upcast::Upcasters;
use crate::writer::{CommitBatch, StoreConfig};

/// The SQLite migrations, embedded in the binary.
pub static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("../../migrations/sqlite");

/// An event store in one SQLite file.
pub type SqliteStore = Store<SqliteBackend>;

/// The SQLite side of a [`SqliteStore`].
pub type SqliteBackend = SqlBackend<Sqlite>;

/// The most rows one INSERT binds: 11 values a row stays well under SQLite's 32 766 variables.
const ROWS_PER_INSERT: usize = 500;

const COLUMNS: &str = "position, stream_id, stream_version, event_id, event_type, schema_version, \
                       payload, metadata, command_id, recorded_at, hash";

impl Store<SqliteBackend> {
    /// Opens the database file at `path`, creating it if it is missing, and brings its schema
    /// up to date.
    pub async fn open(
        path: &Path,
        config: StoreConfig,
        upcasters: Upcasters,
    ) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            // Checkpoints run in the background (below), not inside whichever commit happens
            // to cross the automatic threshold: that commit would stall for the copy and fsync.
            .pragma("wal_autocheckpoint", "0");
        // No ping before each use: a round trip to the connection's worker thread per query.
        let pool = SqlitePoolOptions::new()
            .max_connections(config.max_connections.max(2))
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(StoreError::database("opening the SQLite database"))?;
        SQLITE_MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| StoreError::Migration(Arc::new(e)))?;
        let store = Store::start(SqlBackend { pool: pool.clone() }, config, upcasters).await?;
        tokio::spawn(checkpoint(pool, Arc::downgrade(store.head_signal())));
        Ok(store)
    }

    /// The connection pool, for projections that share the database.
    pub fn pool(&self) -> &SqlitePool {
        &self.backend().pool
    }
}

/// Lists of ids are bound as one JSON array, times are kept as INTEGER microseconds since the
/// epoch, and uuids as 16-byte BLOBs.
impl Dialect for Sqlite {
    const COMMANDS: &'static str = "\
        SELECT command_id, stream_id, first_version, last_version, first_position, last_position \
          FROM commands WHERE command_id IN (SELECT unhex(value) FROM json_each($1))";
    const SUMMARIES: &'static str = "\
        SELECT stream_id, version, position, state, owner, due_on, due_kind, detail, updated_at \
          FROM stream_summaries WHERE substr(stream_id, 1, length($1)) = $1 AND stream_id > $2 \
         ORDER BY stream_id LIMIT $3";
    const SUMMARIES_OF: &'static str = "\
        SELECT stream_id, version, position, state, owner, due_on, due_kind, detail, updated_at \
          FROM stream_summaries WHERE stream_id IN (SELECT value FROM json_each($1))";
    const UNBACKED: &'static str = "\
        SELECT * FROM (SELECT s.stream_id, NULL AS command_id, s.version, s.position AS at \
           FROM stream_summaries s \
          WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = s.stream_id \
                              AND e.stream_version = s.version AND e.position = s.position) \
          ORDER BY s.stream_id LIMIT $1) \
        UNION ALL \
        SELECT * FROM (SELECT c.stream_id, c.command_id, c.first_version AS version, c.first_position AS at \
           FROM commands c \
          WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.position = c.first_position \
                              AND e.command_id = c.command_id AND e.stream_id = c.stream_id) \
          ORDER BY c.first_position LIMIT $1)";

    type Time = i64;
    type SchemaVersion = i64;

    fn micros(time: i64) -> i64 {
        time
    }

    fn bind_ids<'q>(query: Bound<'q, Self>, ids: &'q [Uuid]) -> Bound<'q, Self> {
        // As hex strings, which `unhex` turns back into the stored bytes.
        let ids: Vec<String> = ids.iter().map(|id| id.simple().to_string()).collect();
        query.bind(serde_json::to_string(&ids).unwrap_or_default())
    }

    fn bind_streams<'q>(query: Bound<'q, Self>, ids: &'q [&'q str]) -> Bound<'q, Self> {
        query.bind(serde_json::to_string(ids).unwrap_or_default())
    }

    fn bind_due_after<'q>(query: Bound<'q, Self>, date: Option<NaiveDate>) -> Bound<'q, Self> {
        // Dates are kept as YYYY-MM-DD text: the empty text sorts before every one.
        query.bind(date.map_or(String::new(), |date| date.to_string()))
    }
}

#[async_trait]
impl CommitBatch for SqliteBackend {
    async fn commit_batch(
        &self,
        batch: &[&Prepared],
    ) -> Result<(Vec<Result<Appended, AppendError>>, Head), StoreError> {
        let mut connection = self
            .pool
            .acquire()
            .await
            .map_err(StoreError::database("taking a connection to append"))?;
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut *connection)
            .await
            .map_err(StoreError::database("taking the append lock"))?;
        let written = match write(&mut connection, batch).await {
            Ok(plan) => sqlx::query("COMMIT")
                .execute(&mut *connection)
                .await
                .map(|_| plan)
                .map_err(StoreError::database("committing appends")),
            Err(error) => Err(error),
        };
        match written {
            Ok(plan) => Ok((plan.outcomes, plan.head)),
            Err(error) => {
                if sqlx::query("ROLLBACK")
                    .execute(&mut *connection)
                    .await
                    .is_err()
                {
                    // A connection whose transaction state is unknown does not go back to the pool.
                    drop(connection.detach());
                }
                Err(error)
            }
        }
    }
}

async fn write(connection: &mut SqliteConnection, batch: &[&Prepared]) -> Result<Plan, StoreError> {
    // One query finds what the batch needs: the head, the batch's commands that have written
    // before, its streams' versions (one index probe each) and its event ids already stored.
    // Event ids past the first few hundred are checked in further queries, to stay within
    // SQLite's limit on bound values.
    let event_ids: Vec<Uuid> = batch
        .iter()
        .flat_map(|r| r.events.iter().map(|e| e.event_id))
        .collect();
    let (first_ids, more_ids) = event_ids.split_at(event_ids.len().min(ROWS_PER_INSERT));
    let mut query = QueryBuilder::<Sqlite>::new(
        "SELECT * FROM (SELECT 'head' AS kind, NULL AS id, NULL AS stream_id, position AS a, NULL AS b, \
                NULL AS c, NULL AS d, hash FROM events ORDER BY position DESC LIMIT 1) \
         UNION ALL SELECT 'command', command_id, stream_id, first_version, last_version, first_position, \
                last_position, NULL FROM commands WHERE command_id IN (",
    );
    let mut ids = query.separated(", ");
    for request in batch {
        ids.push_bind(request.command_id);
    }
    query.push(
        ") UNION ALL SELECT 'stream', NULL, column1, \
                (SELECT MAX(stream_version) FROM events WHERE stream_id = column1), NULL, NULL, NULL, NULL \
           FROM (VALUES ",
    );
    let mut streams = query.separated(", ");
    for request in batch {
        streams
            .push("(")
            .push_bind_unseparated(request.stream_id.as_str())
            .push_unseparated(")");
    }
    query.push(") UNION ALL SELECT 'event', event_id, NULL, NULL, NULL, NULL, NULL, NULL FROM events WHERE event_id IN (");
    let mut ids = query.separated(", ");
    for id in first_ids {
        ids.push_bind(*id);
    }
    query.push(")");

    let mut known = Known::default();
    let rows = query
        .build()
        .fetch_all(&mut *connection)
        .await
        .map_err(StoreError::database("looking up the batch"))?;
    for row in &rows {
        read_lookup(row, &mut known)?;
    }
    for chunk in more_ids.chunks(ROWS_PER_INSERT) {
        let mut query =
            QueryBuilder::<Sqlite>::new("SELECT event_id FROM events WHERE event_id IN (");
        let mut ids = query.separated(", ");
        for id in chunk {
            ids.push_bind(*id);
        }
        query.push(")");
        for row in query
            .build()
            .fetch_all(&mut *connection)
            .await
            .map_err(StoreError::database("checking event ids"))?
        {
            known.existing_event_ids.insert(
                row.try_get("event_id")
                    .map_err(StoreError::database("checking event ids"))?,
            );
        }
    }

    let plan = batch::plan(batch, known, Utc::now().timestamp_micros());

    for chunk in plan.events.chunks(ROWS_PER_INSERT) {
        let mut query = QueryBuilder::<Sqlite>::new(format!("INSERT INTO events ({COLUMNS}) "));
        query.push_values(chunk, |mut row, event| {
            row.push_bind(to_i64(event.position))
                .push_bind(event.stream_id.as_str())
                .push_bind(to_i64(event.stream_version))
                .push_bind(event.event_id)
                .push_bind(event.event_type.as_str())
                .push_bind(i64::from(event.schema_version))
                .push_bind(event.payload.as_str())
                .push_bind(event.metadata.as_str())
                .push_bind(event.command_id)
                .push_bind(event.recorded_at_micros)
                .push_bind(event.hash.0.as_slice());
        });
        query
            .build()
            .execute(&mut *connection)
            .await
            .map_err(StoreError::database("inserting events"))?;
    }
    for chunk in plan
        .commands
        .iter()
        .zip(&plan.command_ids)
        .collect::<Vec<_>>()
        .chunks(ROWS_PER_INSERT)
    {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO commands (command_id, stream_id, first_version, last_version, first_position, last_position) ",
        );
        query.push_values(chunk, |mut row, (appended, command_id)| {
            row.push_bind(**command_id)
                .push_bind(appended.stream_id.as_str())
                .push_bind(to_i64(appended.first_version))
                .push_bind(to_i64(appended.last_version))
                .push_bind(to_i64(appended.first_position))
                .push_bind(to_i64(appended.last_position));
        });
        query
            .build()
            .execute(&mut *connection)
            .await
            .map_err(StoreError::database("recording commands"))?;
    }
    let now = Utc::now().timestamp_micros();
    for chunk in plan.summaries.chunks(ROWS_PER_INSERT) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO stream_summaries (stream_id, version, position, state, owner, due_on, due_kind, detail, updated_at) ",
        );
        query.push_values(chunk, |mut row, summary| {
            row.push_bind(summary.stream_id.as_str())
                .push_bind(to_i64(summary.version))
                .push_bind(to_i64(summary.position))
                .push_bind(summary.summary.state.as_str())
                .push_bind(summary.summary.owner.as_deref())
                .push_bind(summary.summary.due_on)
                .push_bind(summary.summary.due_kind.as_deref())
                .push_bind(summary.summary.detail.as_str())
                .push_bind(now);
        });
        query.push(
            " ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, position = excluded.position, \
              state = excluded.state, owner = excluded.owner, due_on = excluded.due_on, \
              due_kind = excluded.due_kind, detail = excluded.detail, updated_at = excluded.updated_at",
        );
        query
            .build()
            .execute(&mut *connection)
            .await
            .map_err(StoreError::database("writing stream summaries"))?;
    }
    Ok(plan)
}

/// Copies the write-ahead log into the database file every so often, without blocking writers
/// (a PASSIVE checkpoint), so the log stays short and no commit pays for the copy. Ends when
/// the store is dropped.
async fn checkpoint(
    pool: SqlitePool,
    alive: std::sync::Weak<tokio::sync::watch::Sender<Position>>,
) {
    let mut interval = tokio::time::interval(Duration::from_millis(500));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if alive.strong_count() == 0 {
            return;
        }
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            tracing::warn!(%error, "a background checkpoint failed; the next one will retry");
        }
    }
}

/// Adds one row of the batch lookup to what is known.
fn read_lookup(row: &SqliteRow, known: &mut Known) -> Result<(), StoreError> {
    let failed = StoreError::database("reading the batch lookup");
    let kind: String = row.try_get("kind").map_err(failed)?;
    let number = |column: &str| {
        row.try_get::<Option<i64>, _>(column)
            .map(|n| n.unwrap_or(0).max(0) as u64)
            .map_err(StoreError::database("reading the batch lookup"))
    };
    match kind.as_str() {
        "head" => {
            let position = number("a")?;
            let hash: Vec<u8> = row
                .try_get("hash")
                .map_err(StoreError::database("reading the head of the log"))?;
            let hash = Hash::from_slice(&hash).ok_or_else(|| StoreError::Unreadable {
                position,
                problem: "the stored hash is not 32 bytes".to_owned(),
            })?;
            known.head = Some(Head { position, hash });
        }
        "command" => {
            let stream: String = row
                .try_get("stream_id")
                .map_err(StoreError::database("reading a command"))?;
            let command_id: Uuid = row
                .try_get("id")
                .map_err(StoreError::database("reading a command"))?;
            let appended = Appended {
                stream_id: StreamId::parse(&stream).map_err(|e| StoreError::Unreadable {
                    position: 0,
                    problem: format!("command {command_id}: {e}"),
                })?,
                first_version: number("a")?,
                last_version: number("b")?,
                first_position: number("c")?,
                last_position: number("d")?,
                already_appended: true,
            };
            known.commands.insert(command_id, appended);
        }
        "stream" => {
            let stream: String = row
                .try_get("stream_id")
                .map_err(StoreError::database("reading a stream version"))?;
            let version = number("a")?;
            if version > 0 {
                known.stream_versions.insert(stream, version);
            }
        }
        _ => {
            known.existing_event_ids.insert(
                row.try_get("id")
                    .map_err(StoreError::database("checking event ids"))?,
            );
        }
    }
    Ok(())
}
