//! What each role may see of a case, now and in its history, and the case as it stood at a
//! past moment.
//!
//! UDI, UNE, auditors, and an applicant on their own case see everything. IOM sees the whole
//! timeline, because it works the case after approval, but never why an application was refused
//! or revoked, nor anything said in an appeal: in those events the statements (reasons, grounds,
//! reasoning) and a dismissal's ground are removed. The same rule applies to every read path.
//!
//! A person's personal data can be restricted to named roles (every other role sees
//! `"restricted"` in its place) and erased (everyone sees `"erased"`: the key that could open
//! it is gone).

use chrono::{DateTime, Utc};
use retur_domain::case::{Case, Protection};
use retur_domain::{CaseId, PersonId, Role, evolve};

use crate::codec::is_sealed;
use serde::Serialize;

/// One event of a case's history, as a given role may see it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub position: u64,
    pub version: u64,
    pub event_type: String,
    pub recorded_at: DateTime<Utc>,
    /// Who gave the command that recorded the event.
    pub actor: String,
    pub role: String,
    /// The event's data, with what the role may not see removed.
    pub data: serde_json::Value,
    /// True when something was removed for this role.
    pub redacted: bool,
}

/// The events whose statements IOM may not see: refusals, revocations and appeals. The domain
/// keeps the list beside the events, and a test there checks it against every event type.
const CONFIDENTIAL_FROM_IOM: &[&str] = &retur_domain::event::STATEMENT_EVENT_TYPES;

/// The fields removed from those events for IOM.
const REMOVED_FOR_IOM: [&str; 2] = ["personal", "ground"];

/// What a history shows in place of an erased person's data.
pub const ERASED: &str = "erased";

/// What a history shows in place of data restricted from the role asking.
pub const RESTRICTED: &str = "restricted";

/// An event's data as `role` may see it, and whether anything was removed for the role. An
/// erased person's entries read `"erased"`; a restricted person's read `"restricted"` for
/// every role the restriction does not name.
pub fn visible_data(
    role: Role,
    event_type: &str,
    mut data: serde_json::Value,
    protection: &Protection,
) -> (serde_json::Value, bool) {
    let mut redacted = false;
    let confidential = role == Role::Iom && CONFIDENTIAL_FROM_IOM.contains(&event_type);
    if let Some(object) = data.as_object_mut().filter(|_| confidential) {
        for field in REMOVED_FOR_IOM {
            redacted |= object.remove(field).is_some();
        }
    }
    if let Some(personal) = data.get_mut("personal").and_then(|p| p.as_object_mut()) {
        for (person, entry) in personal.iter_mut() {
            if is_sealed(entry) {
                *entry = serde_json::Value::from(ERASED);
            } else if person
                .parse::<PersonId>()
                .map_or(true, |person| !protection.may_see(role, &person))
            {
                *entry = serde_json::Value::from(RESTRICTED);
                redacted = true;
            }
        }
    }
    (data, redacted)
}

/// A past moment to look at a case from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsOf {
    /// Everything recorded at or before this instant.
    Time(DateTime<Utc>),
    /// Everything up to and including this position of the log.
    Position(u64),
}

impl AsOf {
    pub(crate) fn includes(&self, position: u64, recorded_at: DateTime<Utc>) -> bool {
        match self {
            AsOf::Time(at) => recorded_at <= *at,
            AsOf::Position(last) => position <= *last,
        }
    }
}

/// A case as it stood at a past moment.
#[derive(Clone, Debug, PartialEq)]
pub struct PastCase {
    pub case_id: CaseId,
    pub as_of: AsOf,
    pub case: Case,
    pub version: u64,
}

pub(crate) fn fold_until(
    events: &[(retur_store::RecordedEvent, retur_domain::Event)],
    as_of: AsOf,
) -> (Case, u64) {
    events
        .iter()
        .take_while(|(recorded, _)| as_of.includes(recorded.position, recorded.recorded_at))
        .fold((Case::default(), 0), |(case, _), (recorded, event)| {
            (evolve(case, event), recorded.stream_version)
        })
}
