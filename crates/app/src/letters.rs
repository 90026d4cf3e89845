//! Letters: each decision a person must be told of gives a letter, made from the log and the
//! rules (`retur-letters`), in the applicant's language and in bokmål. The first time a letter
//! leaves the system it is issued: its SHA-256 is recorded in the case's letters stream
//! (`letters-<case>`, `letter_issued`), so a copy a person holds can later be checked against
//! the log. A letter made again is the same bytes; one that is not is refused, not handed out.
//!
//! Who gets which letter: the applicant and the deciding agencies every letter of the case in
//! their part; IOM only the approval and the travel letter, never a refusal, a revocation or
//! an appeal's outcome (IOM is never told why an application was refused).

use chrono::{DateTime, NaiveDate, Utc};
use retur_domain::event::{ApplicantDetails, Written};
use retur_domain::{CaseId, Event, Personal, Role, grant};
use retur_letters::{AppealOutcome, Body, Granted, Heading, Language, Letter};
use retur_store::{AppendRequest, Metadata, NewEvent, RecordedEvent, StreamId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::access::{Caller, Forbidden};
use crate::cases::Cases;
use crate::error::{CommandError, Failure, Rejection, retry_after};

/// Every letters stream's id starts with this.
pub const LETTERS_STREAM_PREFIX: &str = "letters-";

/// The event a letter's issue is recorded as.
pub const LETTER_ISSUED: &str = "letter_issued";

/// The stream a case's issued letters are recorded in.
pub fn letters_stream(case_id: CaseId) -> StreamId {
    StreamId::parse(&format!("{LETTERS_STREAM_PREFIX}{case_id}"))
        .expect("a letters stream id is always valid")
}

/// What a letter tells of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    Approval,
    Refusal,
    Revocation,
    AppealOutcome,
    Travel,
}

impl LetterKind {
    pub fn name(self) -> &'static str {
        match self {
            LetterKind::Approval => "approval",
            LetterKind::Refusal => "refusal",
            LetterKind::Revocation => "revocation",
            LetterKind::AppealOutcome => "appeal_outcome",
            LetterKind::Travel => "travel",
        }
    }

    /// Whether `role` may be given this letter. IOM is told of approvals and travel only.
    pub fn may_go_to(self, role: Role) -> bool {
        match role {
            Role::Applicant | Role::Udi | Role::Une | Role::Auditor => true,
            Role::Iom => matches!(self, LetterKind::Approval | LetterKind::Travel),
            Role::System => false,
        }
    }
}

/// The payload of `letter_issued`: which decision's letter, in which language, its hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterIssued {
    /// The position of the event the letter tells of.
    pub for_position: u64,
    pub kind: LetterKind,
    /// The applicant's language the letter is written in beside bokmål (ISO 639).
    pub language: String,
    /// The SHA-256 of the PDF, in hex.
    pub sha256: String,
    pub issued_at: DateTime<Utc>,
    pub by: String,
}

/// A letter the case's history calls for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LetterRef {
    /// The position of the event it tells of: the letter's id within the case.
    pub position: u64,
    pub kind: LetterKind,
    /// The day of the decision it tells of.
    pub dated: NaiveDate,
    /// When it was first issued, if it has been.
    pub issued: Option<LetterIssued>,
}

/// A letter, made and issued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MadeLetter {
    pub reference: LetterRef,
    /// The case's short reference, for the file's name.
    pub case_reference: String,
    pub pdf: Vec<u8>,
}

impl Cases {
    /// The letters the case's history calls for that the caller may be given, oldest first.
    pub async fn letters(
        &self,
        caller: &Caller,
        case_id: CaseId,
    ) -> Result<Vec<LetterRef>, CommandError> {
        authorize(caller)?;
        let loaded = self.load_for(caller, case_id).await?;
        let issued = self.issued(case_id).await?;
        let given = |kind: LetterKind| {
            kind.may_go_to(caller.actor.role)
                && names_only_the_visible(&loaded.case, caller.actor.role, kind)
        };
        Ok(loaded
            .events
            .iter()
            .filter_map(|(recorded, event)| {
                let (kind, dated) = kind_of(event)?;
                given(kind).then(|| LetterRef {
                    position: recorded.position,
                    kind,
                    dated,
                    issued: issued
                        .iter()
                        .find(|i| i.for_position == recorded.position)
                        .cloned(),
                })
            })
            .collect())
    }

    /// The letter telling of the event at `position`, made from the case as the log had it
    /// then. Issued (its hash recorded) the first time it is made; made again, it must be the
    /// same bytes.
    pub async fn letter(
        &self,
        caller: &Caller,
        case_id: CaseId,
        position: u64,
    ) -> Result<MadeLetter, CommandError> {
        authorize(caller)?;
        let loaded = self.load_for(caller, case_id).await?;
        let no_letter = || CommandError::Rejected(Rejection::NoSuchLetter { case_id, position });
        let at = loaded
            .events
            .iter()
            .position(|(recorded, _)| recorded.position == position)
            .ok_or_else(no_letter)?;
        let (kind, dated) = kind_of(&loaded.events[at].1).ok_or_else(no_letter)?;
        // The same bytes for everyone it is given to: a letter naming someone whose data is
        // restricted from the caller's role is not given to that role at all.
        if !kind.may_go_to(caller.actor.role)
            || !names_only_the_visible(&loaded.case, caller.actor.role, kind)
        {
            return Err(no_letter());
        }
        let (letter, language) = self.compose(&loaded.events[..=at], dated)?;
        let pdf = retur_letters::render(&letter, language);
        let sha256 = hex::encode(Sha256::digest(&pdf));
        // Issued when the people it is for, or the agencies that send it, take it; an auditor
        // reading it records nothing.
        let issued = if caller.actor.role == Role::Auditor {
            match self
                .issued(case_id)
                .await?
                .into_iter()
                .find(|i| i.for_position == position)
            {
                Some(first) => first,
                None => {
                    return Ok(MadeLetter {
                        reference: LetterRef {
                            position,
                            kind,
                            dated,
                            issued: None,
                        },
                        case_reference: letter.heading.reference,
                        pdf,
                    });
                }
            }
        } else {
            self.issue(caller, case_id, position, kind, language, &sha256)
                .await?
        };
        if issued.sha256 != sha256 {
            return Err(Failure::Unreadable {
                position,
                problem: format!(
                    "the letter made again is not the one issued (SHA-256 {sha256}, issued {}): \
                     it is not handed out",
                    issued.sha256
                ),
            }
            .into());
        }
        Ok(MadeLetter {
            reference: LetterRef {
                position,
                kind,
                dated,
                issued: Some(issued),
            },
            case_reference: letter.heading.reference,
            pdf,
        })
    }

    /// The letter's facts, from the events up to and including the one it tells of.
    fn compose(
        &self,
        events: &[(RecordedEvent, Event)],
        dated: NaiveDate,
    ) -> Result<(Letter, Language), CommandError> {
        let erased = || {
            CommandError::from(retur_domain::Refusal::PersonalDataErased(
                "the letter's addressee",
            ))
        };
        let Some((submitted_at_position, Event::ApplicationSubmitted(submitted))) = events
            .first()
            .map(|(recorded, event)| (recorded.position, event))
        else {
            return Err(erased());
        };
        let principal = submitted
            .household
            .first()
            .map(|member| member.person_id)
            .ok_or_else(erased)?;
        let details: &ApplicantDetails = submitted.personal.get(&principal).ok_or_else(erased)?;
        let language = Language::for_contact(
            details
                .contact
                .as_ref()
                .map(|contact| contact.language.as_str()),
        );
        let name_of = |person| {
            submitted
                .personal
                .get(&person)
                .map(|d: &ApplicantDetails| d.person.full_name.as_str().to_owned())
        };
        let said = |personal: &Personal<Written>| {
            personal
                .get(&principal)
                .map(|written| written.text.as_str().to_owned())
                .ok_or_else(erased)
        };
        let heading = Heading {
            reference: retur_domain::case_reference(submitted_at_position, submitted.submitted_at),
            to: name_of(principal).ok_or_else(erased)?,
            dated,
        };
        let (_, event) = events.last().ok_or_else(erased)?;
        // The rules the case is decided under: those in force on the day it was applied for.
        let applied_on = retur_domain::calendar::oslo_date(submitted.submitted_at);
        let rules = self
            .rules()
            .in_force_on(applied_on)
            .map_err(|e| CommandError::from(retur_domain::Refusal::NoRules(e)))?;
        let dates_of_birth: Vec<NaiveDate> = submitted
            .household
            .iter()
            .filter_map(|member| submitted.personal.get(&member.person_id))
            .map(|d| d.person.date_of_birth)
            .collect();
        let body = match event {
            Event::ApplicationApproved(approved) => Body::Approval {
                granted: approved
                    .grant
                    .persons
                    .iter()
                    .map(|p| {
                        Ok(Granted {
                            name: name_of(p.person_id).ok_or_else(erased)?,
                            cash: p.cash,
                        })
                    })
                    .collect::<Result<_, CommandError>>()?,
                total: approved.grant.cash,
                pocket_money: grant::pocket_money(&rules, &dates_of_birth, approved.approved_on)
                    .amount,
                travel_deadline: approved.travel_deadline,
            },
            Event::ApplicationRefused(refused) => Body::Refusal {
                reasons: said(&refused.personal)?,
                legal_basis: self
                    .rules()
                    .exclusion_sources_on(applied_on)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
                notified_on: refused.notified_on,
                appeal_deadline: refused.appeal_deadline,
            },
            Event::ApprovalRevoked(revoked) => Body::Revocation {
                reasons: said(&revoked.personal)?,
                notified_on: revoked.notified_on,
                appeal_deadline: revoked.appeal_deadline,
            },
            Event::DecisionReversed(e) => appeal(AppealOutcome::ReversedByUdi, said(&e.personal)?),
            Event::AppealDismissed(e) => {
                let outcome = match e.by {
                    retur_domain::event::AppealBody::Udi => AppealOutcome::DismissedByUdi,
                    retur_domain::event::AppealBody::Une => AppealOutcome::DismissedByUne,
                };
                appeal(outcome, said(&e.personal)?)
            }
            Event::AppealAllowed(e) => appeal(AppealOutcome::AllowedByUne, said(&e.personal)?),
            Event::AppealRejected(e) => appeal(AppealOutcome::RejectedByUne, said(&e.personal)?),
            Event::DecisionQuashed(e) => appeal(AppealOutcome::QuashedByUne, said(&e.personal)?),
            Event::DepartureBooked(retur_domain::event::DepartureBooked { booking, .. })
            | Event::DepartureRescheduled(retur_domain::event::DepartureRescheduled {
                booking,
                ..
            })
            | Event::DepartureRebooked(retur_domain::event::DepartureRebooked {
                booking, ..
            }) => Body::Travel {
                flight: booking.flight.as_str().to_owned(),
                departs_on: booking.departs_on,
                from_airport: booking.from_airport.as_str().to_owned(),
                to_airport: booking.to_airport.as_str().to_owned(),
                meet_at: booking.meet_at,
                pocket_money: grant::pocket_money(&rules, &dates_of_birth, booking.departs_on)
                    .amount,
            },
            _ => return Err(erased()),
        };
        Ok((Letter { heading, body }, language))
    }

    /// Records the letter's issue, unless it was issued before: then that first issue.
    async fn issue(
        &self,
        caller: &Caller,
        case_id: CaseId,
        position: u64,
        kind: LetterKind,
        language: Language,
        sha256: &str,
    ) -> Result<LetterIssued, CommandError> {
        let stream = letters_stream(case_id);
        // One issue per letter, however many ask at once: the same command id each time.
        let command_id = Uuid::new_v5(
            &Uuid::NAMESPACE_OID,
            format!("{stream}/{position}").as_bytes(),
        );
        for _ in 0..5 {
            let issued = self.issued(case_id).await?;
            if let Some(first) = issued.iter().find(|i| i.for_position == position) {
                return Ok(first.clone());
            }
            let version = issued.len() as u64;
            let letter = LetterIssued {
                for_position: position,
                kind,
                language: code(language).to_owned(),
                sha256: sha256.to_owned(),
                issued_at: self.now(),
                by: caller.actor.id.to_string(),
            };
            let request = AppendRequest {
                stream_id: stream.clone(),
                expected_version: version,
                command_id,
                metadata: Metadata {
                    actor: caller.actor.id.to_string(),
                    role: caller.actor.role.as_str().to_owned(),
                    correlation_id: command_id,
                    causation_id: None,
                    decided_at: Some(letter.issued_at),
                },
                events: vec![NewEvent {
                    event_id: Uuid::now_v7(),
                    event_type: LETTER_ISSUED.to_owned(),
                    schema_version: 1,
                    payload: serde_json::to_value(&letter).unwrap_or_default(),
                }],
                summary: None,
            };
            match self.store().append(request).await {
                Ok(appended) if appended.already_appended => continue,
                Ok(_) => return Ok(letter),
                Err(error) => retry_after(error)?,
            }
        }
        Err(Rejection::Contended { attempts: 5 }.into())
    }

    /// Every letter issued on the case, in the order issued.
    async fn issued(&self, case_id: CaseId) -> Result<Vec<LetterIssued>, Failure> {
        self.store()
            .read_stream(&letters_stream(case_id), 1, usize::MAX)
            .await?
            .into_iter()
            .map(|recorded| {
                serde_json::from_value(recorded.payload.clone()).map_err(|e| Failure::Unreadable {
                    position: recorded.position,
                    problem: format!("a letter's issue: {e}"),
                })
            })
            .collect()
    }
}

/// The language's ISO 639 code, as the log records it.
fn code(language: Language) -> &'static str {
    match language {
        Language::Nb => "nb",
        Language::En => "en",
        Language::Ar => "ar",
    }
}

fn appeal(outcome: AppealOutcome, reasoning: String) -> Body {
    Body::Appeal { outcome, reasoning }
}

/// Whether everyone a letter of `kind` names may be seen by `role` in the case as it is now:
/// an approval names the whole household, every other letter its principal applicant.
fn names_only_the_visible(case: &retur_domain::Case, role: Role, kind: LetterKind) -> bool {
    let Some(application) = case.application.as_ref() else {
        return false;
    };
    let named = match kind {
        LetterKind::Approval => application.person_ids(),
        _ => application.principal().into_iter().collect(),
    };
    named.iter().all(|person| {
        !case.protection.erased.contains(person) && case.protection.may_see(role, person)
    })
}

/// Which letter an event calls for, and the day of its decision.
fn kind_of(event: &Event) -> Option<(LetterKind, NaiveDate)> {
    Some(match event {
        Event::ApplicationApproved(e) => (LetterKind::Approval, e.approved_on),
        Event::ApplicationRefused(e) => (LetterKind::Refusal, e.refused_on),
        Event::ApprovalRevoked(e) => (LetterKind::Revocation, e.revoked_on),
        Event::DecisionReversed(e) => (LetterKind::AppealOutcome, e.reversed_on),
        Event::AppealDismissed(e) => (LetterKind::AppealOutcome, e.dismissed_on),
        Event::AppealAllowed(e) => (LetterKind::AppealOutcome, e.decided_on),
        Event::AppealRejected(e) => (LetterKind::AppealOutcome, e.decided_on),
        Event::DecisionQuashed(e) => (LetterKind::AppealOutcome, e.decided_on),
        Event::DepartureBooked(e) => (LetterKind::Travel, e.booked_on),
        Event::DepartureRescheduled(e) => (LetterKind::Travel, e.rescheduled_on),
        Event::DepartureRebooked(e) => (LetterKind::Travel, e.rebooked_on),
        _ => return None,
    })
}

fn authorize(caller: &Caller) -> Result<(), Forbidden> {
    if caller.actor.role == Role::System {
        return Err(Forbidden {
            role: caller.actor.role,
            command: None,
            reason: "letters are for the people a decision concerns and the agencies".to_owned(),
        });
    }
    Ok(())
}
