//! The store's errors: a refused append, kept apart from a storage failure.

use std::sync::Arc;

use crate::envelope::{Position, StreamId};

/// Why an append wrote nothing.
#[derive(Clone, Debug, thiserror::Error)]
pub enum AppendError {
    /// The stream is not at the version the caller expected: someone else wrote first.
    #[error("stream {stream_id} is at version {actual}, not the expected {expected}")]
    Conflict {
        stream_id: StreamId,
        expected: u64,
        actual: u64,
    },

    /// An append must carry at least one event.
    #[error("an append must carry at least one event")]
    Empty,

    /// The request breaks a limit or is malformed; the message says how.
    #[error("{0}")]
    Invalid(String),

    /// An event id is already in the log under another command.
    #[error("event id {0} is already in the log")]
    DuplicateEventId(uuid::Uuid),

    #[error(transparent)]
    Storage(#[from] StoreError),
}

/// The store could not do its work. Nothing was half-written: a failed append wrote nothing.
#[derive(Clone, Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error while {doing}: {source}")]
    Database {
        doing: &'static str,
        #[source]
        source: Arc<sqlx::Error>,
    },

    #[error("migrating the database failed: {0}")]
    Migration(Arc<sqlx::migrate::MigrateError>),

    /// A stored event cannot be read back; the message names its position.
    #[error("the event at position {position} cannot be read: {problem}")]
    Unreadable { position: Position, problem: String },

    #[error("the store's writer has stopped")]
    WriterStopped,

    #[error("{0}")]
    Config(String),
}

impl StoreError {
    pub(crate) fn database(doing: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |source| StoreError::Database {
            doing,
            source: Arc::new(source),
        }
    }
}
