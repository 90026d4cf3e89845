//! The append-only event log that every case lives in.
//!
//! One table holds every event in commit order, with a dense global `position`, a per-stream
//! `stream_version`, and a SHA-256 `hash` chaining each event to the one before. Two backends
//! implement [`EventStore`]: [`PostgresStore`], the production store, and [`SqliteStore`], the
//! embedded default. Both serialize appends (an advisory lock, `BEGIN IMMEDIATE`) so positions
//! become visible strictly in order, and both win back the throughput with group commit: one
//! writer task per store drains the queue of pending appends and commits them together,
//! checking each append's expected version on its own (see [`writer`]).
//!
//! The store knows envelopes, not the domain: a stream id, a type name, a schema version and a
//! JSON payload. [`Upcasters`] registered by the caller bring old payloads up to date on every
//! read path.

mod batch;
pub mod chain;
mod envelope;
mod error;
pub mod keys;
mod log;
mod postgres;
mod reads;
mod sqlite;
mod subscription;
mod upcast;
pub mod writer;

use async_trait::async_trait;

pub use chain::{BreakKind, ChainBreak, ChainCheck, ChainReport, Hash};
pub use envelope::{
    AppendRequest, Appended, Head, MAX_EVENTS_PER_APPEND, MAX_PAYLOAD_BYTES, Metadata, NewEvent,
    Position, RecordedEvent, StoredSummary, StreamId, StreamSummary, Unbacked,
};
pub use error::{AppendError, StoreError};
pub use keys::{Held, KeyBytes, KeyVault, SqlKeys};
pub use log::Store;
pub use postgres::{
    APPEND_LOCK_KEY, NOTIFY_CHANNEL, POSTGRES_MIGRATOR, PostgresBackend, PostgresStore,
};
pub use sqlite::{SQLITE_MIGRATOR, SqliteBackend, SqliteStore};
pub use subscription::Subscription;
pub use upcast::{Upcaster, Upcasters};
pub use writer::{StoreConfig, WriterStats};

/// The event log.
#[async_trait]
pub trait EventStore: Send + Sync {
    /// Appends events to one stream, if the stream is at `expected_version` (0: no stream yet).
    /// A command id that has written before returns its first outcome and writes nothing.
    async fn append(&self, request: AppendRequest) -> Result<Appended, AppendError>;

    /// The events of one stream with a version of `from_version` or later, in order, at most
    /// `limit` of them.
    async fn read_stream(
        &self,
        stream_id: &StreamId,
        from_version: u64,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// One page of the whole log: the events after `after`, in order, at most `limit`.
    async fn read_all(
        &self,
        after: Position,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// The next page of the whole log after `chain.read()`, at most `limit` events, each checked
    /// against the hash chain as it is read (`chain` keeps the first break): an audit's one
    /// reading of the log serves the chain and the replay. An empty page is the end of the log.
    async fn read_checked(
        &self,
        chain: &mut ChainCheck,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// The outcome of the command with this id, if it has written to the log.
    async fn command_outcome(&self, command_id: uuid::Uuid)
    -> Result<Option<Appended>, StoreError>;

    /// The outcomes of the commands with these ids that have written to the log, each with its
    /// id, in no particular order: an audit's check of the command records, a page at a time.
    async fn command_outcomes(
        &self,
        command_ids: &[uuid::Uuid],
    ) -> Result<Vec<(uuid::Uuid, Appended)>, StoreError>;

    /// A stream's summary, as its last append with one stated it.
    async fn read_summary(&self, stream_id: &StreamId)
    -> Result<Option<StoredSummary>, StoreError>;

    /// The summaries of these streams that have one, in no particular order.
    async fn read_summaries(
        &self,
        stream_ids: &[StreamId],
    ) -> Result<Vec<StoredSummary>, StoreError>;

    /// Rows of the derived tables (summaries, command records) that point at no event of the
    /// log, at most `limit`: what an audit cannot reach from the events it replays.
    async fn unbacked(&self, limit: usize) -> Result<Vec<Unbacked>, StoreError>;

    /// Summaries of streams whose id starts with `prefix`, in stream id order after `after`,
    /// at most `limit`: for paging through every case's status.
    async fn list_summaries(
        &self,
        prefix: &str,
        after: Option<&StreamId>,
        limit: usize,
    ) -> Result<Vec<StoredSummary>, StoreError>;

    /// Summaries with a due date before `due_before`, in (due date, stream id) order after
    /// `after`, at most `limit`: what a deadline scheduler has to look at.
    async fn due_summaries(
        &self,
        due_before: chrono::NaiveDate,
        after: Option<(chrono::NaiveDate, StreamId)>,
        limit: usize,
    ) -> Result<Vec<StoredSummary>, StoreError>;

    /// The last position and its hash (position 0 and the zero hash on an empty log).
    async fn head(&self) -> Result<Head, StoreError>;

    /// Every event after `after`: first those already in the log, then each new one as it is
    /// committed. Never skips or repeats an event.
    fn subscribe(&self, after: Position) -> Subscription;

    /// Recomputes the hash chain over positions `from..=to` (to the head when `to` is `None`)
    /// in constant memory, and names the first position that does not match.
    async fn verify_chain(
        &self,
        from: Position,
        to: Option<Position>,
    ) -> Result<ChainReport, StoreError>;
}
