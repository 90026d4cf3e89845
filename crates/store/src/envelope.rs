//! What the store keeps: events in envelopes, and the outcome of an append.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::chain::Hash;
use crate::error::AppendError;

/// A place in the global log: 1 is the first event, 0 is "before the first".
pub type Position = u64;

/// The largest payload the store accepts, in bytes of JSON.
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;

/// The most events one append may carry.
pub const MAX_EVENTS_PER_APPEND: usize = 1000;

/// The name of a stream: 1 to 200 characters, no control characters (`case-<uuid>`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StreamId(String);

impl StreamId {
    pub fn parse(text: &str) -> Result<Self, AppendError> {
        let length = text.chars().count();
        if length == 0 || length > 200 || text.chars().any(char::is_control) {
            return Err(AppendError::Invalid(format!(
                "stream id {text:?} must be 1 to 200 characters with no control characters"
            )));
        }
        Ok(StreamId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for StreamId {
    type Error = AppendError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        StreamId::parse(&text)
    }
}

impl From<StreamId> for String {
    fn from(id: StreamId) -> String {
        id.0
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who caused an event and in what chain of requests. Stored as JSON beside the payload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub actor: String,
    pub role: String,
    /// Ties together everything one request to the system caused.
    pub correlation_id: Uuid,
    /// The command or event that caused this one, if any.
    pub causation_id: Option<Uuid>,
    /// The time the command was decided at, by the deciding system's clock: with it an auditor
    /// can decide the command again exactly as it was decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
}

/// An event to append: its own id, its type and schema version, and its payload.
#[derive(Clone, Debug, PartialEq)]
pub struct NewEvent {
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: u32,
    pub payload: serde_json::Value,
}

/// One append: events for one stream, written only if the stream is at `expected_version`.
#[derive(Clone, Debug, PartialEq)]
pub struct AppendRequest {
    pub stream_id: StreamId,
    /// The version the caller last saw: 0 for a stream that must not exist yet.
    pub expected_version: u64,
    /// The id of the command that caused the append; a retry carries the same id.
    pub command_id: Uuid,
    pub metadata: Metadata,
    pub events: Vec<NewEvent>,
    /// The stream's summary after these events, written in the same transaction (the inline
    /// projection). `None` leaves the summary as it was.
    pub summary: Option<StreamSummary>,
}

/// What a writer states about a stream after its append: its state, whose move it is, what is
/// due next and when, and any further detail as JSON. The store keeps the latest, beside the
/// events, so a caller reads its own write at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamSummary {
    pub state: String,
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub due_kind: Option<String>,
    pub detail: serde_json::Value,
}

/// A stream's summary as stored, with the version and position it was written at.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredSummary {
    pub stream_id: StreamId,
    pub version: u64,
    pub position: Position,
    pub summary: StreamSummary,
    pub updated_at: DateTime<Utc>,
}

/// A row of a table derived from the log that no event of the log stands behind: what an audit
/// of the derived tables finds beyond what replaying the log names. Values are as stored, so a
/// row written by hand reads as it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unbacked {
    /// A stream's summary, stated at a version and position that hold no event of its stream.
    Summary {
        stream_id: String,
        version: i64,
        position: i64,
    },
    /// A command's record, whose first position holds no event of that command in its stream.
    Command {
        command_id: uuid::Uuid,
        stream_id: String,
        first_position: i64,
    },
}

/// What an append wrote: the versions and positions its events got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appended {
    pub stream_id: StreamId,
    pub first_version: u64,
    /// The stream's version after the append.
    pub last_version: u64,
    pub first_position: Position,
    pub last_position: Position,
    /// True when this is the outcome of an earlier append with the same command id, returned
    /// again without writing anything.
    pub already_appended: bool,
}

/// An event as the log holds it, with its payload brought up to the current schema version.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedEvent {
    pub position: Position,
    pub stream_id: StreamId,
    pub stream_version: u64,
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: u32,
    pub payload: serde_json::Value,
    pub metadata: Metadata,
    pub command_id: Uuid,
    pub recorded_at: DateTime<Utc>,
    pub hash: Hash,
}

/// The end of the log: its last position and that event's hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    pub position: Position,
    pub hash: Hash,
}
