//! What each role may see of a case, now and in its history, and the case as it stood at a
//! past moment.
//!
//! Whether a case exists for a role at all is [`crate::access::has_part`]. Within a case that
//! does, UDI, UNE, auditors, and an applicant on their own case see everything. IOM sees the
//! whole timeline, because it works the case after the hand-over and must know what happens to
//! it (a revocation stops a booking), but never why an application was refused or revoked, nor
//! anything said in an appeal, nor the grounds the application was made on: [`WITHHELD`]. The
//! same rule applies to every read path.
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
    /// When the command was decided, by the case system's clock (the same as `recorded_at`
    /// but for the moments a commit takes, unless the clock is set by hand).
    pub decided_at: Option<DateTime<Utc>>,
    /// Who gave the command that recorded the event.
    pub actor: String,
    pub role: String,
    /// The event's data, with what the role may not see removed.
    pub data: serde_json::Value,
    /// True when something was removed for this role.
    pub redacted: bool,
}

/// What a role may not see of an event: fields of the event, and fields of each person's entry
/// of its personal data.
#[derive(Clone, Copy, Debug)]
pub struct Withheld {
    pub role: Role,
    pub event_types: &'static [&'static str],
    pub fields: &'static [&'static str],
    pub personal_fields: &'static [&'static str],
}

/// Need-to-know within a case, as a table of role × event: what each role may not see of the
/// events of a case that exists for it ([`crate::access::has_part`] decides that). Every role
/// not named sees every field. `docs/domain.md` ("Need-to-know") gives the reasons.
pub const WITHHELD: [Withheld; 2] = [
    // IOM arranges the journey and pays the money. Of the application it needs the household
    // (names, dates of birth, who is a child), the vulnerabilities that shape the journey (an
    // unaccompanied minor travels escorted; a possible victim of trafficking is met on
    // arrival), the countries and the final destination. It does not need the grounds the
    // application was made and judged on: the immigration situation, the departure deadline
    // that set the grant's tier, the earlier return and the status elsewhere, nor the DUF
    // number that keys the person in the immigration register.
    Withheld {
        role: Role::Iom,
        event_types: &["application_submitted"],
        fields: &[
            "situation",
            "departure_deadline",
            "previously_assisted_and_reimmigrated",
            "refused_for_status_in_other_eea_country",
        ],
        personal_fields: &["duf_number"],
    },
    // Why an application was refused or an approval revoked, and what was said in an appeal,
    // are never IOM's to know (seed 002): the statements and a dismissal's ground go.
    Withheld {
        role: Role::Iom,
        event_types: &retur_domain::event::STATEMENT_EVENT_TYPES,
        fields: &["personal", "ground"],
        personal_fields: &[],
    },
];

/// Whether `role` may see `field` of a person's data in events of `event_type` (the DUF number
/// of an application is not IOM's): the same [`WITHHELD`] table the histories are redacted by,
/// for the reads that show personal data outside a history (the person index).
pub fn may_see_personal_field(role: Role, event_type: &str, field: &str) -> bool {
    !WITHHELD.iter().any(|withheld| {
        withheld.role == role
            && withheld.event_types.contains(&event_type)
            && withheld.personal_fields.contains(&field)
    })
}

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
    for withheld in WITHHELD
        .iter()
        .filter(|w| w.role == role && w.event_types.contains(&event_type))
    {
        let Some(object) = data.as_object_mut() else {
            continue;
        };
        for field in withheld.fields {
            redacted |= object.remove(*field).is_some();
        }
        let entries = object.get_mut("personal").and_then(|p| p.as_object_mut());
        for entry in entries.into_iter().flat_map(|p| p.values_mut()) {
            if let Some(entry) = entry.as_object_mut() {
                for field in withheld.personal_fields {
                    redacted |= entry.remove(*field).is_some();
                }
            }
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
    /// Everything decided at or before this instant, by the case system's clock.
    Time(DateTime<Utc>),
    /// Everything up to and including this position of the log.
    Position(u64),
}

impl AsOf {
    /// Whether the event at `position`, decided at `decided_at` by the case system's clock,
    /// had happened by then.
    pub(crate) fn includes(&self, position: u64, decided_at: DateTime<Utc>) -> bool {
        match self {
            AsOf::Time(at) => decided_at <= *at,
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
        .take_while(|(recorded, _)| {
            // By the case system's clock, which a clock set by hand sets apart from the time
            // the log recorded the event.
            let decided_at = recorded.metadata.decided_at.unwrap_or(recorded.recorded_at);
            as_of.includes(recorded.position, decided_at)
        })
        .fold((Case::default(), 0), |(case, _), (recorded, event)| {
            (evolve(case, event), recorded.stream_version)
        })
}
