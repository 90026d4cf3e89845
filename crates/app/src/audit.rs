//! Audit verification: is the log what its hashes say, and is every case's history one the rules
//! allowed?
//!
//! First the hash chain is recomputed over the whole log, page by page, in constant memory.
//! Then every case is replayed command by command: each group of events one command recorded
//! is turned back into that command (`replay::command_of`), and `decide` runs again on the case
//! as it stood, with the recorded actor, the recorded decision time and the rule book. It must
//! give exactly the stored events. A forged event with a perfect hash chain fails here; so does
//! a decision whose rules have since been changed for its date, because the rule set's digest
//! in the event no longer matches.

use std::collections::HashMap;

use std::str::FromStr;

use retur_domain::case::Case;
use retur_domain::replay::command_of;
use retur_domain::{Actor, ActorId, Command, Context, Event, Role, decide, evolve};
use retur_store::{ChainReport, RecordedEvent, StreamId};

use crate::cases::Cases;
use crate::codec::CASE_STREAM_PREFIX;
use crate::error::Failure;

/// Positions checked per call when recomputing the chain, between progress reports.
const CHAIN_CHUNK: u64 = 10_000;

/// Streams listed per page when replaying.
const STREAM_PAGE: usize = 200;

/// How far an audit has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditProgress {
    pub phase: AuditPhase,
    pub done: u64,
    /// Known for the chain (the head); for the replay, the number of streams is not counted
    /// in advance, so `total` is 0.
    pub total: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditPhase {
    Chain,
    Replay,
}

/// Something in a case's history the rules did not allow, or that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Illegal {
    pub position: u64,
    pub stream_id: String,
    pub problem: String,
}

/// What an audit found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditReport {
    pub chain: ChainReport,
    pub streams: u64,
    pub commands_replayed: u64,
    pub events_replayed: u64,
    /// Commands that cannot be decided again: no decision time recorded, or personal data
    /// needed to rebuild them has been erased.
    pub not_replayable: u64,
    /// Events in the log that belong to no case with a status, and so were not replayed.
    pub events_outside_cases: u64,
    /// The lowest position where the history breaks the rules, if anywhere.
    pub first_illegal: Option<Illegal>,
}

impl AuditReport {
    pub fn is_clean(&self) -> bool {
        self.chain.is_intact() && self.first_illegal.is_none()
    }
}

impl Cases {
    /// Verifies the whole log: the hash chain, then every case replayed through `decide`.
    pub async fn verify(
        &self,
        mut progress: impl FnMut(AuditProgress) + Send,
    ) -> Result<AuditReport, Failure> {
        let store = self.store();
        let head = store.head().await?.position;
        let mut chain = store.verify_chain(1, Some(0)).await?;
        let mut from = 1;
        while from <= head && chain.is_intact() {
            let to = (from + CHAIN_CHUNK - 1).min(head);
            let part = store.verify_chain(from, Some(to)).await?;
            chain = ChainReport {
                first: 1,
                checked: chain.checked + part.checked,
                ..part
            };
            progress(AuditProgress {
                phase: AuditPhase::Chain,
                done: chain.last,
                total: head,
            });
            from = to + 1;
        }

        let mut report = AuditReport {
            chain,
            streams: 0,
            commands_replayed: 0,
            events_replayed: 0,
            not_replayable: 0,
            events_outside_cases: 0,
            first_illegal: None,
        };
        let mut events_seen = 0;
        let mut after: Option<StreamId> = None;
        loop {
            let page = store
                .list_summaries(CASE_STREAM_PREFIX, after.as_ref(), STREAM_PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = Some(last.stream_id.clone());
            // The page's streams in one reading, then each replayed on its own.
            let names: Vec<StreamId> = page.iter().map(|s| s.stream_id.clone()).collect();
            let mut streams: HashMap<String, Vec<RecordedEvent>> = HashMap::new();
            for event in store.read_streams(&names).await? {
                streams
                    .entry(event.stream_id.as_str().to_owned())
                    .or_default()
                    .push(event);
            }
            for summary in &page {
                let recorded = streams
                    .remove(summary.stream_id.as_str())
                    .unwrap_or_default();
                let (events, illegal) =
                    self.replay_stream(&summary.stream_id, &recorded, &mut report);
                events_seen += events;
                report.streams += 1;
                let earlier = |found: &Illegal| {
                    report
                        .first_illegal
                        .as_ref()
                        .is_none_or(|first| found.position < first.position)
                };
                if let Some(illegal) = illegal.filter(earlier) {
                    report.first_illegal = Some(illegal);
                }
                progress(AuditProgress {
                    phase: AuditPhase::Replay,
                    done: report.streams,
                    total: 0,
                });
            }
        }
        report.events_outside_cases = head.saturating_sub(events_seen);
        Ok(report)
    }

    /// Replays one stream's events; returns how many there are and the first illegal group.
    fn replay_stream(
        &self,
        stream: &StreamId,
        recorded: &[RecordedEvent],
        report: &mut AuditReport,
    ) -> (u64, Option<Illegal>) {
        let count = recorded.len() as u64;
        let mut case = Case::default();
        let mut start = 0;
        while start < recorded.len() {
            // One command's events: consecutive, with the same command id.
            let command_id = recorded[start].command_id;
            let end = recorded[start..]
                .iter()
                .position(|e| e.command_id != command_id)
                .map_or(recorded.len(), |n| start + n);
            let group = &recorded[start..end];
            let illegal = |problem: String| Illegal {
                position: group[0].position,
                stream_id: stream.to_string(),
                problem,
            };
            let events = match group
                .iter()
                .map(crate::codec::decode)
                .collect::<Result<Vec<Event>, _>>()
            {
                Ok(events) => events,
                Err(error) => return (count, Some(illegal(error.to_string()))),
            };
            match self.decided_again(&case, group, &events) {
                Replay::Same => report.commands_replayed += 1,
                Replay::NotReplayable => report.not_replayable += 1,
                Replay::Different(problem) => return (count, Some(illegal(problem))),
            }
            report.events_replayed += events.len() as u64;
            case = events.iter().fold(case, evolve);
            start = end;
        }
        (count, None)
    }

    fn decided_again(&self, before: &Case, group: &[RecordedEvent], events: &[Event]) -> Replay {
        let metadata = &group[0].metadata;
        let Some(decided_at) = metadata.decided_at else {
            return Replay::NotReplayable;
        };
        let action = match command_of(events) {
            Ok(action) => action,
            Err(retur_domain::replay::NotACommand::Missing(_)) => return Replay::NotReplayable,
            Err(other) => return Replay::Different(other.to_string()),
        };
        let (Ok(role), Ok(id)) = (
            Role::from_str(&metadata.role),
            ActorId::parse(&metadata.actor),
        ) else {
            return Replay::Different(format!(
                "the recorded actor {:?} as {:?} is not valid",
                metadata.actor, metadata.role
            ));
        };
        let context = Context {
            now: decided_at,
            rules: self.rules(),
        };
        match decide(before, &Command::new(Actor::new(role, id), action), &context) {
            Ok(again) if again == events => Replay::Same,
            Ok(_) => Replay::Different(
                "deciding the command again gives other events (the rules for its date may have changed since)".to_owned(),
            ),
            Err(refusal) => Replay::Different(format!("the rules refuse this command: {refusal}")),
        }
    }
}

enum Replay {
    Same,
    NotReplayable,
    Different(String),
}
