//! Internal notes: what a caseworker writes down about a case for their own agency. A note is
//! no decision and moves no case, so it is no command of the lifecycle: notes are events in a
//! stream of their own per case (`notes-<case>`), in the one hash-chained log, like claims.
//!
//! Only the agency that wrote a note reads it (UDI's notes are UDI's, IOM's are IOM's); no
//! other agency, applicant or auditor is shown its text. The text is sealed with the principal
//! applicant's key, like their personal data, so erasing them makes their notes unreadable too.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use retur_domain::{CaseId, PersonId, Refusal, Role, Statement};
use retur_store::{AppendRequest, Held, KeyBytes, Metadata, NewEvent, StreamId};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::access::{Caller, Forbidden};
use crate::cases::Cases;
use crate::codec::{new_key, open, seal};
use crate::error::{CommandError, Failure, Rejection, retry_after};

/// Every notes stream's id starts with this.
pub const NOTES_STREAM_PREFIX: &str = "notes-";

/// The event a note is recorded as.
pub const NOTE_WRITTEN: &str = "note_written";

/// The stream a case's notes live in.
pub fn notes_stream(case_id: CaseId) -> StreamId {
    StreamId::parse(&format!("{NOTES_STREAM_PREFIX}{case_id}"))
        .expect("a notes stream id is always valid")
}

/// The payload of `note_written`, its text sealed under `personal`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct NoteWritten {
    /// The agency the note is for: the role it was written in.
    agency: Role,
    by: String,
    at: DateTime<Utc>,
}

/// A note as its agency reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub position: u64,
    pub by: String,
    pub at: DateTime<Utc>,
    /// The text; `None` once the principal applicant's data is erased.
    pub text: Option<String>,
}

/// Whether `role` writes and reads notes: the agencies, each its own.
pub fn keeps_notes(role: Role) -> bool {
    matches!(role, Role::Udi | Role::Une | Role::Iom)
}

impl Cases {
    /// Writes a note on a case the caller's agency has a part in. `command_id` makes a retry
    /// harmless: the same id writes once.
    pub async fn write_note(
        &self,
        caller: &Caller,
        case_id: CaseId,
        text: &str,
        command_id: Uuid,
    ) -> Result<Note, CommandError> {
        authorize(caller)?;
        let text =
            Statement::parse(text).map_err(|e| Refusal::Invalid(format!("the note: {e}")))?;
        let principal = self.principal(caller, case_id).await?;
        let stream = notes_stream(case_id);
        let offered = [(principal.as_uuid(), new_key())];
        let key = match self
            .keys()
            .keys_for_sealing(&stream, &offered)
            .await
            .map_err(Failure::from)?
            .remove(&principal.as_uuid())
        {
            Some(Held::Key(key)) => key,
            _ => return Err(Refusal::PersonErased(principal).into()),
        };
        let keys: HashMap<Uuid, KeyBytes> = [(principal.as_uuid(), key)].into();
        let at = self.now();
        let written = NoteWritten {
            agency: caller.actor.role,
            by: caller.actor.id.to_string(),
            at,
        };
        for _ in 0..5 {
            let version = self
                .store()
                .read_stream(&stream, 1, usize::MAX)
                .await?
                .last()
                .map_or(0, |e| e.stream_version);
            let mut payload = serde_json::to_value(&written).unwrap_or_default();
            payload["personal"] = json!({ principal.to_string(): text.as_str() });
            let mut event = NewEvent {
                event_id: Uuid::now_v7(),
                event_type: NOTE_WRITTEN.to_owned(),
                schema_version: 1,
                payload,
            };
            seal(&mut event, &keys).map_err(|_| Refusal::PersonErased(principal))?;
            let request = AppendRequest {
                stream_id: stream.clone(),
                expected_version: version,
                command_id,
                metadata: Metadata {
                    actor: caller.actor.id.to_string(),
                    role: caller.actor.role.as_str().to_owned(),
                    correlation_id: command_id,
                    causation_id: None,
                    decided_at: Some(at),
                },
                events: vec![event],
                summary: None,
            };
            match self.store().append(request).await {
                // This id wrote before: its note is the answer, if it is a note of this case
                // by this agency; an id used for anything else is not a retry.
                Ok(appended) if appended.already_appended => {
                    return self
                        .notes(caller, case_id)
                        .await?
                        .into_iter()
                        .find(|note| note.position == appended.last_position)
                        .ok_or_else(|| Rejection::CommandIdReused { command_id }.into());
                }
                Ok(appended) => {
                    return Ok(Note {
                        position: appended.last_position,
                        by: written.by,
                        at,
                        text: Some(text.as_str().to_owned()),
                    });
                }
                Err(error) => retry_after(error)?,
            }
        }
        Err(Rejection::Contended { attempts: 5 }.into())
    }

    /// The notes the caller's agency has written on the case, oldest first.
    pub async fn notes(&self, caller: &Caller, case_id: CaseId) -> Result<Vec<Note>, CommandError> {
        authorize(caller)?;
        let principal = self.principal(caller, case_id).await?;
        let events = self
            .store()
            .read_stream(&notes_stream(case_id), 1, usize::MAX)
            .await?;
        let keys = self
            .keys()
            .keys_for_opening(&[principal.as_uuid()])
            .await
            .map_err(Failure::from)?;
        let mut notes = Vec::new();
        for mut recorded in events {
            let unreadable = |problem: String| Failure::Unreadable {
                position: recorded.position,
                problem,
            };
            if recorded.event_type != NOTE_WRITTEN {
                return Err(unreadable(format!("{} is not a note", recorded.event_type)).into());
            }
            let written: NoteWritten = serde_json::from_value(recorded.payload.clone())
                .map_err(|e| unreadable(e.to_string()))?;
            if written.agency != caller.actor.role {
                continue;
            }
            let text = if keys.is_empty() {
                None
            } else {
                open(&mut recorded, &keys)?;
                recorded
                    .payload
                    .pointer(&format!("/personal/{principal}"))
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned)
            };
            notes.push(Note {
                position: recorded.position,
                by: written.by,
                at: written.at,
                text,
            });
        }
        Ok(notes)
    }

    /// The principal applicant of a case the caller may read: whose key seals its notes.
    async fn principal(&self, caller: &Caller, case_id: CaseId) -> Result<PersonId, CommandError> {
        let loaded = self.load_for(caller, case_id).await?;
        loaded
            .case
            .application
            .as_ref()
            .and_then(|application| application.household.first())
            .map(|member| member.person_id)
            .ok_or_else(|| Rejection::NoSuchCase { case_id }.into())
    }
}

fn authorize(caller: &Caller) -> Result<(), Forbidden> {
    if keeps_notes(caller.actor.role) {
        return Ok(());
    }
    Err(Forbidden {
        role: caller.actor.role,
        command: None,
        reason: "internal notes are the agencies' own: UDI, UNE and IOM each keep theirs"
            .to_owned(),
    })
}
