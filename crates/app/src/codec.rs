//! Between domain events and the store's envelopes.

use retur_domain::{CaseId, Event};
use retur_store::{NewEvent, RecordedEvent, StreamId};
use uuid::Uuid;

use crate::error::Failure;

/// Every case's stream id starts with this.
pub const CASE_STREAM_PREFIX: &str = "case-";

/// The stream a case lives in.
pub fn stream_id(case_id: CaseId) -> StreamId {
    StreamId::parse(&format!("{CASE_STREAM_PREFIX}{case_id}"))
        .expect("a case's stream id is 41 printable ASCII characters, always valid")
}

/// A domain event in an envelope, with a fresh, time-ordered event id (UUIDv7: the log's
/// index on event ids then grows at its end, not at random pages).
pub(crate) fn envelope(event: &Event) -> NewEvent {
    NewEvent {
        event_id: Uuid::now_v7(),
        event_type: event.event_type().to_owned(),
        schema_version: u32::from(event.schema_version()),
        payload: event.payload(),
    }
}

/// A stored event read back as a domain event; one that does not decode names its position.
pub(crate) fn decode(recorded: &RecordedEvent) -> Result<Event, Failure> {
    let version = u16::try_from(recorded.schema_version).map_err(|_| Failure::Unreadable {
        position: recorded.position,
        problem: format!("schema version {} is out of range", recorded.schema_version),
    })?;
    Event::decode(&recorded.event_type, version, &recorded.payload).map_err(|error| {
        Failure::Unreadable {
            position: recorded.position,
            problem: error.to_string(),
        }
    })
}
