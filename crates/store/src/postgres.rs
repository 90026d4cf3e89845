//! The production store: PostgreSQL. Appends are serialized by a transaction-scoped advisory
//! lock, so several processes can share one database; each commits its own batches. A commit
//! notifies the channel `retur_events` with the new head, which wakes subscriptions in every
//! process; a subscription polls as well, in case a notification is lost.

use std::sync::{Arc, Weak};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use sqlx::{Executor, Postgres, Row};
use tokio::sync::watch;
use uuid::Uuid;

use crate::batch::{self, Known, Plan, Prepared};
use crate::chain::Hash;
use crate::envelope::{Appended, Head, Position, StreamId};
use crate::error::{AppendError, StoreError};
use crate::log::{Store, to_i64};
use crate::reads::{Bound, Dialect, SqlBackend};
use crate::upcast::Upcasters;
use crate::writer::{CommitBatch, StoreConfig};

/// The PostgreSQL migrations, embedded in the binary.
pub static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("../../migrations/postgres");

/// An event store in a PostgreSQL database.
pub type PostgresStore = Store<PostgresBackend>;

/// The PostgreSQL side of a [`PostgresStore`].
pub type PostgresBackend = SqlBackend<Postgres>;

/// The key of the advisory lock that serializes appends ("retur_lg" in ASCII). Any process
/// that writes to the log takes it for the length of its transaction.
pub const APPEND_LOCK_KEY: i64 = 0x7265_7475_725f_6c67;

/// Before every due date: the start of paging by due date (PostgreSQL's dates begin at 4713 BC,
/// so chrono's earliest date is out of its range).
const EARLIEST_DATE: NaiveDate = NaiveDate::from_ymd_opt(1, 1, 1).expect("1 January of year 1");

/// The channel a commit notifies with the new head position.
pub const NOTIFY_CHANNEL: &str = "retur_events";

impl Store<PostgresBackend> {
    /// Connects to the database at `url` and brings its schema up to date. Migrations take
    /// their own lock, so processes starting together do not race.
    pub async fn connect(
        url: &str,
        config: StoreConfig,
        upcasters: Upcasters,
    ) -> Result<Self, StoreError> {
        let options: PgConnectOptions = url.parse().map_err(StoreError::database(
            "reading the PostgreSQL connection URL",
        ))?;
        // Every statement the store runs is answered from an index. A prepared statement's
        // plan is fixed when first cached, maybe on a log that is still nearly empty, where a
        // sequential scan looks cheapest and stays cached as the log grows. Planning at every
        // execution avoids that, but planning is most of the server's work per command. So:
        // one generic plan per statement, planned once, with sequential scans priced out so
        // that it is the index plan whatever the table's size when it was made. A generic plan
        // cannot know how many streams an array names, so it may guess high enough to call for
        // parallel workers and JIT compilation (10 ms a query, measured): short index reads
        // need neither.
        let options = options.options([
            ("plan_cache_mode", "force_generic_plan"),
            ("enable_seqscan", "off"),
            ("jit", "off"),
            ("max_parallel_workers_per_gather", "0"),
        ]);
        // No ping before each use: it is a round trip per query, a fifth of a command's cost.
        // A connection that has died is found by the query itself, which fails (nothing is
        // half-written: every write is one transaction), and the pool replaces it.
        let pool = PgPoolOptions::new()
            .max_connections(config.max_connections.max(2))
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(StoreError::database("connecting to PostgreSQL"))?;
        POSTGRES_MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| StoreError::Migration(Arc::new(e)))?;
        let poll_interval = config.poll_interval;
        let store = Store::start(SqlBackend { pool: pool.clone() }, config, upcasters).await?;
        tokio::spawn(listen(
            pool,
            Arc::downgrade(store.head_signal()),
            poll_interval,
        ));
        Ok(store)
    }

    /// The connection pool, for projections that share the database.
    pub fn pool(&self) -> &PgPool {
        &self.backend().pool
    }
}

/// Lists of ids are bound as arrays; times are kept as TIMESTAMPTZ and uuids as UUID.
impl Dialect for Postgres {
    const COMMANDS: &'static str = "\
        SELECT command_id, stream_id, first_version, last_version, first_position, last_position \
          FROM commands WHERE command_id = ANY($1)";
    const SUMMARIES: &'static str = "\
        SELECT stream_id, version, position, state, owner, due_on, due_kind, detail, updated_at \
          FROM stream_summaries WHERE starts_with(stream_id, $1) AND stream_id > $2 \
         ORDER BY stream_id LIMIT $3";
    const SUMMARIES_OF: &'static str = "\
        SELECT stream_id, version, position, state, owner, due_on, due_kind, detail, updated_at \
          FROM stream_summaries WHERE stream_id = ANY($1)";
    const UNBACKED: &'static str = "\
        (SELECT s.stream_id, NULL::uuid AS command_id, s.version, s.position AS at \
           FROM stream_summaries s \
          WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = s.stream_id \
                              AND e.stream_version = s.version AND e.position = s.position) \
          ORDER BY s.stream_id LIMIT $1) \
        UNION ALL \
        (SELECT c.stream_id, c.command_id, c.first_version AS version, c.first_position AS at \
           FROM commands c \
          WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.position = c.first_position \
                              AND e.command_id = c.command_id AND e.stream_id = c.stream_id) \
          ORDER BY c.first_position LIMIT $1)";

    type Time = DateTime<Utc>;
    type SchemaVersion = i32;

    fn micros(time: DateTime<Utc>) -> i64 {
        time.timestamp_micros()
    }

    fn bind_ids<'q>(query: Bound<'q, Self>, ids: &'q [Uuid]) -> Bound<'q, Self> {
        query.bind(ids)
    }

    fn bind_streams<'q>(query: Bound<'q, Self>, ids: &'q [&'q str]) -> Bound<'q, Self> {
        query.bind(ids)
    }

    fn bind_due_after<'q>(query: Bound<'q, Self>, date: Option<NaiveDate>) -> Bound<'q, Self> {
        query.bind(date.unwrap_or(EARLIEST_DATE))
    }
}

#[async_trait]
impl CommitBatch for PostgresBackend {
    async fn commit_batch(
        &self,
        batch: &[&Prepared],
    ) -> Result<(Vec<Result<Appended, AppendError>>, Head), StoreError> {
        let mut connection = self
            .pool
            .acquire()
            .await
            .map_err(StoreError::database("taking a connection to append"))?;
        // One round trip opens the transaction and takes the append lock (simple protocol).
        let locked = connection
            .execute(format!("BEGIN; SELECT pg_advisory_xact_lock({APPEND_LOCK_KEY})").as_str())
            .await
            .map_err(StoreError::database("taking the append lock"));
        let written = match locked {
            Ok(_) => match write(&mut connection, batch).await {
                Ok(plan) => connection
                    .execute("COMMIT")
                    .await
                    .map(|_| plan)
                    .map_err(StoreError::database("committing appends")),
                Err(error) => Err(error),
            },
            Err(error) => Err(error),
        };
        match written {
            Ok(plan) => Ok((plan.outcomes, plan.head)),
            Err(error) => {
                // Nothing is half-written: the transaction is rolled back, and a connection whose
                // state is unknown does not go back to the pool.
                if connection.execute("ROLLBACK").await.is_err() {
                    drop(connection.detach());
                }
                Err(error)
            }
        }
    }
}

/// Everything the batch needs to know from the database, in one round trip: the head, the
/// batch's commands that have written before, its streams' versions (one backward index probe
/// each, whatever a stream's length) and its event ids already in the log.
const LOOKUP: &str = "\
    (SELECT 'head' AS kind, NULL::uuid AS id, NULL::text AS stream_id, position AS a, NULL::bigint AS b, \
            NULL::bigint AS c, NULL::bigint AS d, hash FROM events ORDER BY position DESC LIMIT 1) \
    UNION ALL \
    SELECT 'command', command_id, stream_id, first_version, last_version, first_position, last_position, NULL \
      FROM commands WHERE command_id = ANY($1) \
    UNION ALL \
    SELECT 'stream', NULL, s.stream_id, \
           (SELECT e.stream_version FROM events e WHERE e.stream_id = s.stream_id \
             ORDER BY e.stream_version DESC LIMIT 1), NULL, NULL, NULL, NULL \
      FROM UNNEST($2::text[]) AS s(stream_id) \
    UNION ALL \
    SELECT 'event', event_id, NULL, NULL, NULL, NULL, NULL, NULL FROM events WHERE event_id = ANY($3)";

/// Every write of the batch in one statement: the events, the commands, and the notification
/// that is delivered on commit to every listening process.
const WRITE: &str = "\
    WITH new_events AS ( \
        INSERT INTO events (position, stream_id, stream_version, event_id, event_type, schema_version, \
                            payload, metadata, command_id, recorded_at, hash) \
        SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::bigint[], $4::uuid[], $5::text[], $6::int[], \
                             $7::text[], $8::text[], $9::uuid[], $10::timestamptz[], $11::bytea[]) \
        RETURNING position), \
    new_commands AS ( \
        INSERT INTO commands (command_id, stream_id, first_version, last_version, first_position, last_position) \
        SELECT * FROM UNNEST($12::uuid[], $13::text[], $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[]) \
        RETURNING 1), \
    new_summaries AS ( \
        INSERT INTO stream_summaries (stream_id, version, position, state, owner, due_on, due_kind, detail, updated_at) \
        SELECT u.*, now() FROM UNNEST($20::text[], $21::bigint[], $22::bigint[], $23::text[], $24::text[], \
                                      $25::date[], $26::text[], $27::text[]) AS u \
        ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, position = EXCLUDED.position, \
            state = EXCLUDED.state, owner = EXCLUDED.owner, due_on = EXCLUDED.due_on, \
            due_kind = EXCLUDED.due_kind, detail = EXCLUDED.detail, updated_at = EXCLUDED.updated_at \
        RETURNING 1) \
    SELECT pg_notify($18, $19), (SELECT count(*) FROM new_events), (SELECT count(*) FROM new_commands), \
           (SELECT count(*) FROM new_summaries)";

async fn write(
    connection: &mut sqlx::PgConnection,
    batch: &[&Prepared],
) -> Result<Plan, StoreError> {
    let command_ids: Vec<Uuid> = batch.iter().map(|r| r.command_id).collect();
    let streams: Vec<&str> = batch.iter().map(|r| r.stream_id.as_str()).collect();
    let event_ids: Vec<Uuid> = batch
        .iter()
        .flat_map(|r| r.events.iter().map(|e| e.event_id))
        .collect();
    let rows = sqlx::query(LOOKUP)
        .bind(&command_ids)
        .bind(&streams)
        .bind(&event_ids)
        .fetch_all(&mut *connection)
        .await
        .map_err(StoreError::database(
            "looking up the batch's streams and commands",
        ))?;
    let mut known = Known::default();
    for row in rows {
        let kind: &str = row
            .try_get("kind")
            .map_err(StoreError::database("reading the batch's lookups"))?;
        let number = |column: &str| {
            row.try_get::<Option<i64>, _>(column)
                .map(|n| n.unwrap_or(0).max(0) as u64)
        };
        match kind {
            "head" => {
                let position =
                    number("a").map_err(StoreError::database("reading the head of the log"))?;
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
                let read = || -> Result<(Uuid, Appended), sqlx::Error> {
                    let stream: String = row.try_get("stream_id")?;
                    let appended = Appended {
                        stream_id: StreamId::parse(&stream)
                            .map_err(|e| sqlx::Error::Decode(e.to_string().into()))?,
                        first_version: number("a")?,
                        last_version: number("b")?,
                        first_position: number("c")?,
                        last_position: number("d")?,
                        already_appended: true,
                    };
                    Ok((row.try_get("id")?, appended))
                };
                let (command_id, appended) =
                    read().map_err(StoreError::database("reading a command"))?;
                known.commands.insert(command_id, appended);
            }
            "stream" => {
                let stream: String = row
                    .try_get("stream_id")
                    .map_err(StoreError::database("reading a stream version"))?;
                let version =
                    number("a").map_err(StoreError::database("reading a stream version"))?;
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
    }

    let plan = batch::plan(batch, known, Utc::now().timestamp_micros());
    if plan.events.is_empty() {
        return Ok(plan);
    }
    let events = &plan.events;
    let commands = &plan.commands;
    let summaries = &plan.summaries;
    let recorded_at: Vec<DateTime<Utc>> = events
        .iter()
        .map(|e| DateTime::from_timestamp_micros(e.recorded_at_micros).unwrap_or_default())
        .collect();
    sqlx::query(WRITE)
        .bind(
            events
                .iter()
                .map(|e| to_i64(e.position))
                .collect::<Vec<_>>(),
        )
        .bind(
            events
                .iter()
                .map(|e| e.stream_id.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            events
                .iter()
                .map(|e| to_i64(e.stream_version))
                .collect::<Vec<_>>(),
        )
        .bind(events.iter().map(|e| e.event_id).collect::<Vec<_>>())
        .bind(
            events
                .iter()
                .map(|e| e.event_type.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            events
                .iter()
                .map(|e| i32::try_from(e.schema_version).unwrap_or(i32::MAX))
                .collect::<Vec<_>>(),
        )
        .bind(
            events
                .iter()
                .map(|e| e.payload.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            events
                .iter()
                .map(|e| e.metadata.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(events.iter().map(|e| e.command_id).collect::<Vec<_>>())
        .bind(recorded_at)
        .bind(events.iter().map(|e| e.hash.0.to_vec()).collect::<Vec<_>>())
        .bind(&plan.command_ids)
        .bind(
            commands
                .iter()
                .map(|c| c.stream_id.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            commands
                .iter()
                .map(|c| to_i64(c.first_version))
                .collect::<Vec<_>>(),
        )
        .bind(
            commands
                .iter()
                .map(|c| to_i64(c.last_version))
                .collect::<Vec<_>>(),
        )
        .bind(
            commands
                .iter()
                .map(|c| to_i64(c.first_position))
                .collect::<Vec<_>>(),
        )
        .bind(
            commands
                .iter()
                .map(|c| to_i64(c.last_position))
                .collect::<Vec<_>>(),
        )
        .bind(NOTIFY_CHANNEL)
        .bind(plan.head.position.to_string())
        .bind(
            summaries
                .iter()
                .map(|r| r.stream_id.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            summaries
                .iter()
                .map(|r| to_i64(r.version))
                .collect::<Vec<_>>(),
        )
        .bind(
            summaries
                .iter()
                .map(|r| to_i64(r.position))
                .collect::<Vec<_>>(),
        )
        .bind(
            summaries
                .iter()
                .map(|r| r.summary.state.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            summaries
                .iter()
                .map(|r| r.summary.owner.as_deref())
                .collect::<Vec<_>>(),
        )
        .bind(
            summaries
                .iter()
                .map(|r| r.summary.due_on)
                .collect::<Vec<_>>(),
        )
        .bind(
            summaries
                .iter()
                .map(|r| r.summary.due_kind.as_deref())
                .collect::<Vec<_>>(),
        )
        .bind(
            summaries
                .iter()
                .map(|r| r.summary.detail.as_str())
                .collect::<Vec<_>>(),
        )
        .execute(&mut *connection)
        .await
        .map_err(StoreError::database("inserting events"))?;
    Ok(plan)
}

/// Follows notifications from every process's commits and moves this store's head signal.
/// Reconnects after a failure; ends when the store is dropped.
async fn listen(pool: PgPool, head: Weak<watch::Sender<Position>>, poll_interval: Duration) {
    let retry = poll_interval.max(Duration::from_millis(100));
    while head.strong_count() > 0 {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(%error, "cannot listen for new events; subscriptions fall back to polling");
                tokio::time::sleep(retry).await;
                continue;
            }
        };
        if let Err(error) = listener.listen(NOTIFY_CHANNEL).await {
            tracing::warn!(%error, "cannot listen for new events; subscriptions fall back to polling");
            tokio::time::sleep(retry).await;
            continue;
        }
        loop {
            match tokio::time::timeout(retry, listener.try_recv()).await {
                Err(_) if head.strong_count() == 0 => return,
                Err(_) => {}
                Ok(Ok(Some(notification))) => {
                    let Some(signal) = head.upgrade() else { return };
                    if let Ok(position) = notification.payload().parse::<Position>() {
                        signal.send_if_modified(|seen| {
                            let newer = position > *seen;
                            if newer {
                                *seen = position;
                            }
                            newer
                        });
                    }
                }
                Ok(Ok(None)) => {
                    tracing::warn!("the notification connection was lost; reconnecting");
                    break;
                }
                Ok(Err(error)) => {
                    tracing::warn!(%error, "listening for new events failed; reconnecting");
                    break;
                }
            }
        }
    }
}
