//! Durable deadlines. The scheduler looks up the cases whose next deadline has passed (from the
//! inline status, by due date) and fires each as the system's command: the appeal window closes,
//! the travel deadline lapses the approval, the payout is flagged overdue.
//!
//! Each firing's command id is derived from the case, the kind of deadline and its date, so a
//! deadline is recorded once however many schedulers run, and however often: a second attempt
//! is answered with the first outcome by the store's idempotency, never written again.

use std::time::Duration;

use retur_domain::calendar::oslo_date;
use retur_domain::{Action, Actor, ActorId, CaseId, Refusal, Role};
use retur_store::StreamId;
use tokio::sync::watch;
use uuid::Uuid;

use crate::access::Caller;
use crate::cases::{Cases, CommandRequest};
use crate::codec::CASE_STREAM_PREFIX;
use crate::error::{CommandError, Failure, Rejection};
use crate::status::DeadlineKind;

/// Summaries read per page when looking for due deadlines.
const PAGE: usize = 200;

/// The namespace of the firing command ids (a UUIDv5 of case, kind and date in it).
const FIRING_NAMESPACE: Uuid = Uuid::from_u128(0x7265_7475_725f_6465_6164_6c69_6e65_7300);

/// What one pass fired.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fired {
    /// Deadlines fired now.
    pub fired: Vec<(CaseId, DeadlineKind)>,
    /// Deadlines another scheduler (or an earlier pass) had already fired.
    pub already_fired: usize,
    /// Deadlines the rules refused to fire, with why: a case changed since its status said so.
    pub refused: Vec<(CaseId, DeadlineKind, Refusal)>,
}

/// Fires due deadlines.
#[derive(Clone, Debug)]
pub struct Scheduler {
    cases: Cases,
    caller: Caller,
}

impl Scheduler {
    pub fn new(cases: Cases) -> Scheduler {
        let actor = Actor::new(
            Role::System,
            ActorId::parse("deadline-scheduler").expect("a valid actor id"),
        );
        Scheduler {
            cases,
            caller: Caller::agency(actor),
        }
    }

    /// One pass: fires every deadline that passed before today (in Norway), oldest first.
    pub async fn fire_due(&self) -> Result<Fired, Failure> {
        let today = oslo_date(self.cases.now());
        let mut fired = Fired::default();
        let mut after: Option<(chrono::NaiveDate, StreamId)> = None;
        loop {
            let page = self
                .cases
                .store()
                .due_summaries(today, after.clone(), PAGE)
                .await?;
            let Some(last) = page.last() else {
                return Ok(fired);
            };
            after = last.summary.due_on.map(|due| (due, last.stream_id.clone()));
            for summary in &page {
                let Some(case_id) = summary
                    .stream_id
                    .as_str()
                    .strip_prefix(CASE_STREAM_PREFIX)
                    .and_then(|id| id.parse::<CaseId>().ok())
                else {
                    continue;
                };
                let (Some(due_on), Some(kind)) =
                    (summary.summary.due_on, summary.summary.due_kind.as_deref())
                else {
                    continue;
                };
                let (action, kind) = match kind {
                    "appeal_window_closes" => {
                        (Action::CloseAppealWindow, DeadlineKind::AppealWindowCloses)
                    }
                    "travel_deadline" => {
                        (Action::LapseTravelDeadline, DeadlineKind::TravelDeadline)
                    }
                    "payout_target" => (Action::FlagPayoutOverdue, DeadlineKind::PayoutTarget),
                    _ => continue,
                };
                let command_id = Uuid::new_v5(
                    &FIRING_NAMESPACE,
                    format!("{case_id}/{}/{due_on}", kind.name()).as_bytes(),
                );
                let request = CommandRequest {
                    case_id,
                    action,
                    command_id,
                    correlation_id: command_id,
                    expected_version: None,
                };
                match self.cases.handle(&self.caller, request).await {
                    Ok(handled) if handled.already_handled => fired.already_fired += 1,
                    Ok(_) => fired.fired.push((case_id, kind)),
                    Err(CommandError::Rejected(Rejection::Refused(refusal))) => {
                        fired.refused.push((case_id, kind, refusal))
                    }
                    Err(CommandError::Rejected(other)) => {
                        tracing::warn!(case = %case_id, error = %other, "a deadline could not be fired");
                    }
                    Err(CommandError::Failed(failure)) => return Err(failure),
                }
            }
        }
    }

    /// Fires due deadlines every `every` until `shutdown` turns true. A failed pass is logged
    /// and tried again at the next tick: deadlines are durable, they wait in the statuses.
    pub async fn run(self, every: Duration, mut shutdown: watch::Receiver<bool>) {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = interval.tick() => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                return;
            }
            match self.fire_due().await {
                Ok(fired) if !fired.fired.is_empty() => {
                    tracing::info!(fired = fired.fired.len(), "deadlines fired")
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::error!(%error, "firing deadlines failed; trying again at the next tick")
                }
            }
        }
    }
}
