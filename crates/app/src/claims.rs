//! Claims: a caseworker takes a case from their agency's queue, so that two do not work it at
//! once, and gives it back. Claims are events too (in a stream of their own per case, not the
//! case's), so who held what and when is part of the record and survives any rebuild.
//!
//! A claim holds while the case stays in the queue it was claimed in; once the case moves on,
//! the claim lapses by itself. Only the agency whose move it is may claim; a case held by
//! someone else is refused with who holds it and since when; only the holder releases.

use chrono::{DateTime, Utc};
use retur_domain::{CaseId, Role, Status};
use retur_store::{AppendError, AppendRequest, Metadata, NewEvent, StreamId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::{Caller, Forbidden};
use crate::cases::Cases;
use crate::error::{CommandError, Failure, Rejection, retry_after};

/// Every claims stream's id starts with this.
pub const CLAIMS_STREAM_PREFIX: &str = "claims-";

/// The stream a case's claims live in.
pub fn claims_stream(case_id: CaseId) -> StreamId {
    StreamId::parse(&format!("{CLAIMS_STREAM_PREFIX}{case_id}"))
        .expect("a claims stream id is always valid")
}

/// The payload of `case_claimed`: who, in which role, and the queue the case stood in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseClaimed {
    pub by: String,
    pub role: String,
    pub queue: String,
    pub at: DateTime<Utc>,
}

/// The payload of `case_released`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseReleased {
    pub by: String,
    pub at: DateTime<Utc>,
}

/// Who holds a case now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    pub actor: String,
    pub role: Role,
    pub queue: String,
    pub since: DateTime<Utc>,
}

impl Cases {
    /// Who holds the case, if the claim still holds (the case is still in the claimed queue):
    /// for the agencies and auditors, never an applicant; the case must exist for the caller.
    pub async fn holder(
        &self,
        caller: &Caller,
        case_id: CaseId,
    ) -> Result<Option<Holder>, CommandError> {
        if !crate::access::may_know_holder(caller.actor.role) {
            return Err(forbidden(
                caller,
                "who works on a case is the agencies' to know".to_owned(),
            ));
        }
        let status = self.load_for(caller, case_id).await?.case.status;
        Ok(self.holder_in(caller, case_id, status).await?)
    }

    /// Who holds the case, for a caller who has just read its state: the same answer as
    /// [`holder`](Self::holder) without reading the case again, and none for a caller who may
    /// not know it.
    pub async fn holder_in(
        &self,
        caller: &Caller,
        case_id: CaseId,
        status: Status,
    ) -> Result<Option<Holder>, Failure> {
        if !crate::access::may_know_holder(caller.actor.role) {
            return Ok(None);
        }
        let (claim, _) = self.latest_claim(case_id).await?;
        Ok(claim.filter(|holder| status.queue() == Some(holder.queue.as_str())))
    }

    /// The claim that holds now on a case the caller may read, and the claims stream's version.
    async fn current_claim(
        &self,
        caller: &Caller,
        case_id: CaseId,
    ) -> Result<(Option<Holder>, u64), CommandError> {
        let queue = self.load_for(caller, case_id).await?.case.status.queue();
        let (claim, version) = self.latest_claim(case_id).await?;
        Ok((
            claim.filter(|holder| queue == Some(holder.queue.as_str())),
            version,
        ))
    }

    /// Takes the case from the caller's agency's queue.
    pub async fn claim(&self, caller: &Caller, case_id: CaseId) -> Result<Holder, CommandError> {
        for _ in 0..5 {
            let status = self.load_for(caller, case_id).await?.case.status;
            let (Some(queue), Some(owner)) = (status.queue(), status.owner()) else {
                return Err(forbidden(
                    caller,
                    format!("case {case_id} is in no agency's queue ({status})"),
                ));
            };
            if owner != caller.actor.role {
                return Err(forbidden(
                    caller,
                    format!(
                        "case {case_id} is in {owner}'s queue, not {}'s",
                        caller.actor.role
                    ),
                ));
            }
            let (claim, version) = self.latest_claim(case_id).await?;
            match claim.filter(|holder| holder.queue == queue) {
                Some(holder) if holder.actor == caller.actor.id.as_str() => return Ok(holder),
                Some(holder) => {
                    return Err(Rejection::Held {
                        by: holder.actor,
                        since: holder.since,
                    }
                    .into());
                }
                None => {}
            }
            let claimed = CaseClaimed {
                by: caller.actor.id.to_string(),
                role: caller.actor.role.as_str().to_owned(),
                queue: queue.to_owned(),
                at: self.now(),
            };
            match self
                .append_claim(caller, case_id, version, "case_claimed", &claimed)
                .await
            {
                Ok(()) => {
                    return Ok(Holder {
                        actor: claimed.by,
                        role: caller.actor.role,
                        queue: claimed.queue,
                        since: claimed.at,
                    });
                }
                Err(error) => retry_after(error)?,
            }
        }
        Err(Rejection::Contended { attempts: 5 }.into())
    }

    /// Gives the case back to its queue. Only the holder may.
    pub async fn release(&self, caller: &Caller, case_id: CaseId) -> Result<(), CommandError> {
        crate::access::authorize_read(caller, case_id)?;
        if caller.actor.role == Role::Applicant {
            // Who holds a case is the agencies' business: an applicant is not told.
            return Err(forbidden(
                caller,
                "claims are the agencies' work queues; an applicant holds none".to_owned(),
            ));
        }
        for _ in 0..5 {
            let (holder, version) = self.current_claim(caller, case_id).await?;
            match holder {
                Some(holder) if holder.actor == caller.actor.id.as_str() => {}
                Some(holder) => {
                    return Err(Rejection::Held {
                        by: holder.actor,
                        since: holder.since,
                    }
                    .into());
                }
                None => return Err(Rejection::NotHeld.into()),
            }
            let released = CaseReleased {
                by: caller.actor.id.to_string(),
                at: self.now(),
            };
            match self
                .append_claim(caller, case_id, version, "case_released", &released)
                .await
            {
                Ok(()) => return Ok(()),
                Err(error) => retry_after(error)?,
            }
        }
        Err(Rejection::Contended { attempts: 5 }.into())
    }

    /// The last claim of the case (released or not) and the claims stream's version.
    async fn latest_claim(&self, case_id: CaseId) -> Result<(Option<Holder>, u64), Failure> {
        let events = self
            .store()
            .read_stream(&claims_stream(case_id), 1, 100_000)
            .await?;
        let version = events.last().map_or(0, |e| e.stream_version);
        let mut holder = None;
        for recorded in events {
            let unreadable = |e: serde_json::Error| Failure::Unreadable {
                position: recorded.position,
                problem: e.to_string(),
            };
            match recorded.event_type.as_str() {
                "case_claimed" => {
                    let claimed: CaseClaimed =
                        serde_json::from_value(recorded.payload.clone()).map_err(unreadable)?;
                    let role = claimed
                        .role
                        .parse::<Role>()
                        .map_err(|e| Failure::Unreadable {
                            position: recorded.position,
                            problem: e.to_string(),
                        })?;
                    holder = Some(Holder {
                        actor: claimed.by,
                        role,
                        queue: claimed.queue,
                        since: claimed.at,
                    });
                }
                "case_released" => holder = None,
                other => {
                    return Err(Failure::Unreadable {
                        position: recorded.position,
                        problem: format!("{other} is not a claim event"),
                    });
                }
            }
        }
        Ok((holder, version))
    }

    async fn append_claim<T: Serialize>(
        &self,
        caller: &Caller,
        case_id: CaseId,
        version: u64,
        event_type: &str,
        payload: &T,
    ) -> Result<(), AppendError> {
        let command_id = Uuid::now_v7();
        let request = AppendRequest {
            stream_id: claims_stream(case_id),
            expected_version: version,
            command_id,
            metadata: Metadata {
                actor: caller.actor.id.to_string(),
                role: caller.actor.role.as_str().to_owned(),
                correlation_id: command_id,
                causation_id: None,
                decided_at: Some(self.now()),
            },
            events: vec![NewEvent {
                event_id: Uuid::now_v7(),
                event_type: event_type.to_owned(),
                schema_version: 1,
                payload: serde_json::to_value(payload).unwrap_or_default(),
            }],
            summary: None,
        };
        self.store().append(request).await.map(|_| ())
    }
}

fn forbidden(caller: &Caller, reason: String) -> CommandError {
    Forbidden {
        role: caller.actor.role,
        command: None,
        reason,
    }
    .into()
}
