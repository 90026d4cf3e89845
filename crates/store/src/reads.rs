//! The store's reads, written once for both databases. Each database names its [`Dialect`]:
//! the reads whose SQL differs, how it binds a list of ids, and how it stores a time and a
//! schema version. The other reads are one text for both (SQLite numbers its parameters `$1`
//! as PostgreSQL does), and every row is decoded here.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate};
use sqlx::query::Query;
use sqlx::{
    ColumnIndex, Database, Decode, Encode, Executor, FromRow, IntoArguments, Pool, Row, Type,
};
use uuid::Uuid;

use crate::chain::{Hash, StoredEvent};
use crate::envelope::{Appended, Head, Position, StoredSummary, StreamId, StreamSummary, Unbacked};
use crate::error::StoreError;
use crate::log::{Backend, to_i64};
use crate::writer::CommitBatch;

/// A database the store runs on.
#[derive(Debug)]
pub struct SqlBackend<DB: Database> {
    pub(crate) pool: Pool<DB>,
}

/// A statement of one database, with the values bound so far.
pub(crate) type Bound<'q, DB> = Query<'q, DB, <DB as Database>::Arguments<'q>>;

/// What a database does its own way in the store's reads.
pub(crate) trait Dialect: Database {
    /// The outcomes of the commands with the ids in `$1`.
    const COMMANDS: &'static str;
    /// Summaries of streams whose id starts with `$1`, in stream id order after `$2`, at most
    /// `$3`.
    const SUMMARIES: &'static str;
    /// The summaries of the streams in `$1`.
    const SUMMARIES_OF: &'static str;
    /// Summaries whose version and position hold no event of their stream, and command records
    /// whose first position holds no event of that command in its stream, at most `$1` of each:
    /// one probe of the events' keys per row.
    const UNBACKED: &'static str;

    /// A time as the database stores it.
    type Time: for<'r> Decode<'r, Self> + Type<Self> + Send + Unpin;
    /// A schema version as the database stores it.
    type SchemaVersion: Into<i64> + for<'r> Decode<'r, Self> + Type<Self> + Send + Unpin;

    /// A stored time in microseconds since the Unix epoch.
    fn micros(time: Self::Time) -> i64;
    /// Binds a list of command ids as one value.
    fn bind_ids<'q>(query: Bound<'q, Self>, ids: &'q [Uuid]) -> Bound<'q, Self>;
    /// Binds a list of stream ids as one value.
    fn bind_streams<'q>(query: Bound<'q, Self>, ids: &'q [&'q str]) -> Bound<'q, Self>;
    /// Binds the due date a page of due summaries starts after (`None`: before every date).
    fn bind_due_after<'q>(query: Bound<'q, Self>, date: Option<NaiveDate>) -> Bound<'q, Self>;
}

// The reads whose SQL is one text on both databases.

const PAGE: &str = "\
    SELECT position, stream_id, stream_version, event_id, event_type, schema_version, payload, \
           metadata, command_id, recorded_at, hash \
      FROM events WHERE position > $1 ORDER BY position LIMIT $2";

const STREAM: &str = "\
    SELECT position, stream_id, stream_version, event_id, event_type, schema_version, payload, \
           metadata, command_id, recorded_at, hash \
      FROM events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3";

const HEAD: &str = "SELECT position, hash FROM events ORDER BY position DESC LIMIT 1";

const DUE: &str = "\
    SELECT stream_id, version, position, state, owner, due_on, due_kind, detail, updated_at \
      FROM stream_summaries \
     WHERE due_on IS NOT NULL AND due_on < $1 AND (due_on, stream_id) > ($2, $3) \
     ORDER BY due_on, stream_id LIMIT $4";

#[async_trait]
impl<DB> Backend for SqlBackend<DB>
where
    DB: Dialect,
    Self: CommitBatch,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB> + ColumnIndex<DB::Row>,
    for<'q> NaiveDate: Encode<'q, DB> + Type<DB>,
    for<'r> EventRow<DB>: FromRow<'r, DB::Row>,
    for<'r> SummaryRow<DB>: FromRow<'r, DB::Row>,
    for<'r> CommandRow: FromRow<'r, DB::Row>,
    for<'r> UnbackedRow: FromRow<'r, DB::Row>,
    for<'r> HeadRow: FromRow<'r, DB::Row>,
{
    async fn raw_page(
        &self,
        after: Position,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = sqlx::query(PAGE)
            .bind(to_i64(after))
            .bind(to_i64(limit as u64))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::database("reading the log"))?;
        rows.iter().map(stored_event::<DB>).collect()
    }

    async fn raw_stream(
        &self,
        stream_id: &str,
        from_version: u64,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = sqlx::query(STREAM)
            .bind(stream_id)
            .bind(to_i64(from_version))
            .bind(to_i64(limit as u64))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::database("reading a stream"))?;
        rows.iter().map(stored_event::<DB>).collect()
    }

    async fn raw_head(&self) -> Result<Option<Head>, StoreError> {
        let doing = "reading the head of the log";
        let row = sqlx::query(HEAD)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::database(doing))?;
        let Some(row) = row else { return Ok(None) };
        let HeadRow { position, hash } =
            HeadRow::from_row(&row).map_err(StoreError::database(doing))?;
        let position = position.max(0) as u64;
        let hash = Hash::from_slice(&hash).ok_or_else(|| StoreError::Unreadable {
            position,
            problem: "the stored hash is not 32 bytes".to_owned(),
        })?;
        Ok(Some(Head { position, hash }))
    }

    async fn raw_due(
        &self,
        due_before: NaiveDate,
        after: Option<(NaiveDate, &str)>,
        limit: usize,
    ) -> Result<Vec<StoredSummary>, StoreError> {
        let doing = "reading due summaries";
        let query = sqlx::query(DUE).bind(due_before);
        let rows = DB::bind_due_after(query, after.map(|(date, _)| date))
            .bind(after.map_or("", |(_, stream)| stream))
            .bind(to_i64(limit as u64))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::database(doing))?;
        each(&rows, doing, summary::<DB>)
    }

    async fn raw_commands(
        &self,
        command_ids: &[Uuid],
    ) -> Result<Vec<(Uuid, Appended)>, StoreError> {
        let rows = DB::bind_ids(sqlx::query(DB::COMMANDS), command_ids)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::database("looking up commands"))?;
        each(&rows, "reading a command", command)
    }

    async fn raw_summaries(
        &self,
        prefix: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<StoredSummary>, StoreError> {
        let doing = "reading stream summaries";
        let rows = sqlx::query(DB::SUMMARIES)
            .bind(prefix)
            .bind(after.unwrap_or(""))
            .bind(to_i64(limit as u64))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::database(doing))?;
        each(&rows, doing, summary::<DB>)
    }

    async fn raw_summaries_of(
        &self,
        stream_ids: &[&str],
    ) -> Result<Vec<StoredSummary>, StoreError> {
        let doing = "reading stream summaries";
        let rows = DB::bind_streams(sqlx::query(DB::SUMMARIES_OF), stream_ids)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::database(doing))?;
        each(&rows, doing, summary::<DB>)
    }

    async fn raw_unbacked(&self, limit: usize) -> Result<Vec<Unbacked>, StoreError> {
        let rows = sqlx::query(DB::UNBACKED)
            .bind(to_i64(limit as u64))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::database(
                "looking for derived rows without events",
            ))?;
        each(&rows, "reading derived rows without events", unbacked)
    }
}

/// Decodes each row and reads it as the store returns it; a row that does not read is an error
/// while `doing`.
fn each<'r, R: Row, T: FromRow<'r, R>, U>(
    rows: &'r [R],
    doing: &'static str,
    read: impl Fn(T) -> Result<U, sqlx::Error>,
) -> Result<Vec<U>, StoreError> {
    rows.iter()
        .map(|row| read(T::from_row(row)?))
        .collect::<Result<_, _>>()
        .map_err(StoreError::database(doing))
}

/// An event's stored columns but its position.
#[derive(sqlx::FromRow)]
pub(crate) struct EventRow<DB: Dialect> {
    hash: Vec<u8>,
    stream_id: String,
    stream_version: i64,
    event_id: Uuid,
    event_type: String,
    schema_version: DB::SchemaVersion,
    payload: String,
    metadata: String,
    command_id: Uuid,
    recorded_at: DB::Time,
}

/// A stored event. A row whose position reads but whose other columns do not is an error naming
/// its position.
fn stored_event<DB: Dialect>(row: &DB::Row) -> Result<StoredEvent, StoreError>
where
    for<'r> &'r str: ColumnIndex<DB::Row>,
    for<'r> i64: Decode<'r, DB> + Type<DB>,
    for<'r> EventRow<DB>: FromRow<'r, DB::Row>,
{
    let position = row
        .try_get::<i64, _>("position")
        .map_err(StoreError::database("reading a position"))?;
    let position = position.max(0) as u64;
    let unreadable = |problem: String| StoreError::Unreadable { position, problem };
    let row = EventRow::<DB>::from_row(row).map_err(|e| unreadable(e.to_string()))?;
    let hash = Hash::from_slice(&row.hash).ok_or_else(|| {
        unreadable(format!(
            "the stored hash is {} bytes, not 32",
            row.hash.len()
        ))
    })?;
    Ok(StoredEvent {
        position,
        stream_id: row.stream_id,
        stream_version: row.stream_version.max(0) as u64,
        event_id: row.event_id,
        event_type: row.event_type,
        schema_version: u32::try_from(row.schema_version.into().max(0)).unwrap_or(u32::MAX),
        payload: row.payload,
        metadata: row.metadata,
        command_id: row.command_id,
        recorded_at_micros: DB::micros(row.recorded_at),
        hash,
    })
}

/// The last stored event's position and hash.
#[derive(sqlx::FromRow)]
pub(crate) struct HeadRow {
    position: i64,
    hash: Vec<u8>,
}

/// A stream's stored summary.
#[derive(sqlx::FromRow)]
pub(crate) struct SummaryRow<DB: Dialect> {
    stream_id: String,
    version: i64,
    position: i64,
    state: String,
    owner: Option<String>,
    due_on: Option<NaiveDate>,
    due_kind: Option<String>,
    detail: String,
    updated_at: DB::Time,
}

fn summary<DB: Dialect>(row: SummaryRow<DB>) -> Result<StoredSummary, sqlx::Error> {
    Ok(StoredSummary {
        stream_id: stream_id(&row.stream_id)?,
        version: row.version.max(0) as u64,
        position: row.position.max(0) as u64,
        summary: StreamSummary {
            state: row.state,
            owner: row.owner,
            due_on: row.due_on,
            due_kind: row.due_kind,
            detail: serde_json::from_str(&row.detail)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        },
        updated_at: DateTime::from_timestamp_micros(DB::micros(row.updated_at)).unwrap_or_default(),
    })
}

/// A command's recorded outcome.
#[derive(sqlx::FromRow)]
pub(crate) struct CommandRow {
    command_id: Uuid,
    stream_id: String,
    first_version: i64,
    last_version: i64,
    first_position: i64,
    last_position: i64,
}

fn command(row: CommandRow) -> Result<(Uuid, Appended), sqlx::Error> {
    let number = |n: i64| n.max(0) as u64;
    let appended = Appended {
        stream_id: stream_id(&row.stream_id)?,
        first_version: number(row.first_version),
        last_version: number(row.last_version),
        first_position: number(row.first_position),
        last_position: number(row.last_position),
        already_appended: true,
    };
    Ok((row.command_id, appended))
}

/// A summary (no command id) or a command record that points at no event.
#[derive(sqlx::FromRow)]
pub(crate) struct UnbackedRow {
    stream_id: String,
    command_id: Option<Uuid>,
    version: i64,
    at: i64,
}

fn unbacked(row: UnbackedRow) -> Result<Unbacked, sqlx::Error> {
    Ok(match row.command_id {
        Some(command_id) => Unbacked::Command {
            command_id,
            stream_id: row.stream_id,
            first_position: row.at,
        },
        None => Unbacked::Summary {
            stream_id: row.stream_id,
            version: row.version,
            position: row.at,
        },
    })
}

fn stream_id(text: &str) -> Result<StreamId, sqlx::Error> {
    StreamId::parse(text).map_err(|e| sqlx::Error::Decode(e.to_string().into()))
}
