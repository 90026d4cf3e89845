//! Planning one batch of appends, the same for every backend: given what the database holds
//! (read under the append lock), decide each append on its own — already done, conflicting, or
//! written — and lay out the rows to insert with their positions, versions and hashes.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use crate::chain::{Hash, StoredEvent};
use crate::envelope::{
    AppendRequest, Appended, Head, MAX_EVENTS_PER_APPEND, MAX_PAYLOAD_BYTES, StreamId,
};
use crate::error::AppendError;

/// An append checked and serialized before it joins the queue, so the writer does no parsing.
#[derive(Clone, Debug)]
pub(crate) struct Prepared {
    pub(crate) stream_id: StreamId,
    pub(crate) expected_version: u64,
    pub(crate) command_id: Uuid,
    pub(crate) metadata: String,
    pub(crate) events: Vec<PreparedEvent>,
    pub(crate) summary: Option<PreparedSummary>,
}

/// A summary with its detail serialized.
#[derive(Clone, Debug)]
pub(crate) struct PreparedSummary {
    pub(crate) state: String,
    pub(crate) owner: Option<String>,
    pub(crate) due_on: Option<chrono::NaiveDate>,
    pub(crate) due_kind: Option<String>,
    pub(crate) detail: String,
}

/// A summary row to upsert: the latest for its stream in the batch.
#[derive(Clone, Debug)]
pub(crate) struct SummaryRow {
    pub(crate) stream_id: String,
    pub(crate) version: u64,
    pub(crate) position: u64,
    pub(crate) summary: PreparedSummary,
}

#[derive(Clone, Debug)]
pub(crate) struct PreparedEvent {
    pub(crate) event_id: Uuid,
    pub(crate) event_type: String,
    pub(crate) schema_version: u32,
    pub(crate) payload: String,
}

/// Checks an append's limits and serializes its JSON once.
pub(crate) fn prepare(request: AppendRequest) -> Result<Prepared, AppendError> {
    if request.events.is_empty() {
        return Err(AppendError::Empty);
    }
    if request.events.len() > MAX_EVENTS_PER_APPEND {
        return Err(AppendError::Invalid(format!(
            "an append carries {} events; the most is {MAX_EVENTS_PER_APPEND}",
            request.events.len()
        )));
    }
    let metadata = serde_json::to_string(&request.metadata)
        .map_err(|e| AppendError::Invalid(format!("metadata does not serialize: {e}")))?;
    let mut seen = HashSet::with_capacity(request.events.len());
    let mut events = Vec::with_capacity(request.events.len());
    for event in request.events {
        if !seen.insert(event.event_id) {
            return Err(AppendError::Invalid(format!(
                "event id {} appears twice in one append",
                event.event_id
            )));
        }
        let type_length = event.event_type.chars().count();
        if type_length == 0 || type_length > 100 || event.event_type.chars().any(char::is_control) {
            return Err(AppendError::Invalid(format!(
                "event type {:?} must be 1 to 100 characters with no control characters",
                event.event_type
            )));
        }
        let payload = serde_json::to_string(&event.payload).map_err(|e| {
            AppendError::Invalid(format!(
                "the payload of event {} does not serialize: {e}",
                event.event_id
            ))
        })?;
        if payload.len() > MAX_PAYLOAD_BYTES {
            return Err(AppendError::Invalid(format!(
                "the payload of event {} is {} bytes; the most is {MAX_PAYLOAD_BYTES}",
                event.event_id,
                payload.len()
            )));
        }
        events.push(PreparedEvent {
            event_id: event.event_id,
            event_type: event.event_type,
            schema_version: event.schema_version,
            payload,
        });
    }
    let summary = match request.summary {
        Some(summary) => {
            if summary.state.is_empty() || summary.state.len() > 100 {
                return Err(AppendError::Invalid(format!(
                    "a summary's state {:?} must be 1 to 100 bytes",
                    summary.state
                )));
            }
            let detail = serde_json::to_string(&summary.detail).map_err(|e| {
                AppendError::Invalid(format!("the summary's detail does not serialize: {e}"))
            })?;
            if detail.len() > MAX_PAYLOAD_BYTES {
                return Err(AppendError::Invalid(format!(
                    "the summary's detail is {} bytes; the most is {MAX_PAYLOAD_BYTES}",
                    detail.len()
                )));
            }
            Some(PreparedSummary {
                state: summary.state,
                owner: summary.owner,
                due_on: summary.due_on,
                due_kind: summary.due_kind,
                detail,
            })
        }
        None => None,
    };
    Ok(Prepared {
        stream_id: request.stream_id,
        expected_version: request.expected_version,
        command_id: request.command_id,
        metadata,
        events,
        summary,
    })
}

/// What the database holds that bears on a batch, read under the append lock.
#[derive(Debug, Default)]
pub(crate) struct Known {
    pub(crate) head: Option<Head>,
    /// Outcomes of commands in the batch that have written before.
    pub(crate) commands: HashMap<Uuid, Appended>,
    /// Current versions of the batch's streams that exist.
    pub(crate) stream_versions: HashMap<String, u64>,
    /// Event ids of the batch that are already in the log.
    pub(crate) existing_event_ids: HashSet<Uuid>,
}

/// The rows to write and every append's outcome.
#[derive(Debug)]
pub(crate) struct Plan {
    pub(crate) events: Vec<StoredEvent>,
    pub(crate) commands: Vec<Appended>,
    pub(crate) command_ids: Vec<Uuid>,
    pub(crate) outcomes: Vec<Result<Appended, AppendError>>,
    pub(crate) head: Head,
    /// One per stream: the summary of its last written append in the batch that carried one.
    pub(crate) summaries: Vec<SummaryRow>,
}

/// Decides each append of the batch in order, as if each were committed alone.
pub(crate) fn plan(batch: &[&Prepared], mut known: Known, recorded_at_micros: i64) -> Plan {
    let mut head = known.head.unwrap_or(Head {
        position: 0,
        hash: Hash::ZERO,
    });
    let mut events = Vec::new();
    let mut commands = Vec::new();
    let mut command_ids = Vec::new();
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut summaries: HashMap<String, SummaryRow> = HashMap::new();
    for request in batch {
        if let Some(done) = known.commands.get(&request.command_id) {
            outcomes.push(Ok(Appended {
                already_appended: true,
                ..done.clone()
            }));
            continue;
        }
        if let Some(taken) = request
            .events
            .iter()
            .find(|e| known.existing_event_ids.contains(&e.event_id))
        {
            outcomes.push(Err(AppendError::DuplicateEventId(taken.event_id)));
            continue;
        }
        let actual = known
            .stream_versions
            .get(request.stream_id.as_str())
            .copied()
            .unwrap_or(0);
        if actual != request.expected_version {
            outcomes.push(Err(AppendError::Conflict {
                stream_id: request.stream_id.clone(),
                expected: request.expected_version,
                actual,
            }));
            continue;
        }
        let first_position = head.position + 1;
        for (offset, event) in request.events.iter().enumerate() {
            let mut stored = StoredEvent {
                position: head.position + 1,
                stream_id: request.stream_id.as_str().to_owned(),
                stream_version: actual + 1 + offset as u64,
                event_id: event.event_id,
                event_type: event.event_type.clone(),
                schema_version: event.schema_version,
                payload: event.payload.clone(),
                metadata: request.metadata.clone(),
                command_id: request.command_id,
                recorded_at_micros,
                hash: Hash::ZERO,
            };
            stored.hash = stored.expected_hash(&head.hash);
            head = Head {
                position: stored.position,
                hash: stored.hash,
            };
            known.existing_event_ids.insert(event.event_id);
            events.push(stored);
        }
        let last_version = actual + request.events.len() as u64;
        known
            .stream_versions
            .insert(request.stream_id.as_str().to_owned(), last_version);
        let outcome = Appended {
            stream_id: request.stream_id.clone(),
            first_version: actual + 1,
            last_version,
            first_position,
            last_position: head.position,
            already_appended: false,
        };
        if let Some(summary) = &request.summary {
            let row = SummaryRow {
                stream_id: request.stream_id.as_str().to_owned(),
                version: last_version,
                position: head.position,
                summary: summary.clone(),
            };
            summaries.insert(row.stream_id.clone(), row);
        }
        known.commands.insert(request.command_id, outcome.clone());
        command_ids.push(request.command_id);
        commands.push(outcome.clone());
        outcomes.push(Ok(outcome));
    }
    let mut summaries: Vec<SummaryRow> = summaries.into_values().collect();
    summaries.sort_by(|a, b| a.stream_id.cmp(&b.stream_id));
    Plan {
        events,
        commands,
        command_ids,
        outcomes,
        head,
        summaries,
    }
}
