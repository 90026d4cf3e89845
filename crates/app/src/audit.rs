//! Audit verification: is the log what its hashes say, and is every case's history one the rules
//! allowed?
//!
//! The log is read once, from the start, in pages. Each event is checked against the hash chain
//! as it is read, and each command's events (a run of consecutive events with one command id)
//! are turned back into that command (`replay::command_of`); `decide` runs again on the case as
//! it stood, with the recorded actor, the recorded decision time and the rule book. It must give
//! exactly the stored events. A forged event with a perfect hash chain fails here; so does a
//! decision whose rules have since been changed for its date, because the rule set's digest in
//! the event no longer matches.
//!
//! Against a signed [`Checkpoint`], the audit also notes the hash at the checkpoint's position as
//! it recomputes the chain: the log must reach that position with the hash that was signed.
//!
//! Memory stays flat in the size of the log: the audit keeps the cases it has seen lately, folded
//! (an LRU). A case that comes back after it was pushed out is folded again from its stream, one
//! read; its earlier commands were decided again when they were passed.

use std::collections::{HashMap, HashSet};
use std::num::NonZeroUsize;
use std::str::FromStr;
use std::sync::Arc;

use lru::LruCache;
use retur_domain::case::Case;
use retur_domain::replay::command_of;
use retur_domain::{Actor, ActorId, Command, Context, Event, Role, decide, evolve};
use retur_store::{
    ChainCheck, ChainReport, EventStore, Hash, Position, RecordedEvent, StoreError, StreamId,
};

use crate::cases::Cases;
use crate::checkpoint::Checkpoint;
use crate::codec::CASE_STREAM_PREFIX;
use crate::error::Failure;

/// Events read per page of the log.
const PAGE: usize = 2_000;

/// Cases kept folded while the log is read.
const LIVE_CASES: usize = 16_384;

/// How an audit runs.
#[derive(Clone, Debug)]
pub struct AuditOptions {
    /// How many cases stay folded while the log is read: fewer costs a read of each case that
    /// comes back after it was pushed out, and gives the same report.
    pub live_cases: NonZeroUsize,
    /// A checkpoint the log must still extend.
    pub against: Option<Checkpoint>,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            live_cases: NonZeroUsize::new(LIVE_CASES).expect("not zero"),
            against: None,
        }
    }
}

/// Whether the log still extends a checkpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Extends {
    /// The log reaches the checkpoint's position, with the hash that was signed.
    Yes,
    /// The log ends before the checkpoint's position: it has been cut short.
    Truncated { head: Position },
    /// The hash at the checkpoint's position, recomputed from the start, is not the one signed:
    /// the history up to there has been rewritten (even if every hash was computed again).
    Rewritten { found: Hash },
    /// The chain breaks before the checkpoint's position, so what the log holds there is
    /// unknown.
    ChainBroken,
}

/// How far an audit has read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditProgress {
    /// The last position read, checked and replayed.
    pub read: u64,
    /// The head of the log when the audit began (it reads on to the end, if that has moved).
    pub head: u64,
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
    /// Events in the log that belong to no case, and so were not replayed.
    pub events_outside_cases: u64,
    /// The lowest position where the history breaks the rules, if anywhere.
    pub first_illegal: Option<Illegal>,
    /// Against a checkpoint: whether the log still extends it.
    pub against: Option<Extends>,
}

impl AuditReport {
    pub fn is_clean(&self) -> bool {
        self.chain.is_intact()
            && self.first_illegal.is_none()
            && self.against.as_ref().is_none_or(|e| *e == Extends::Yes)
    }
}

/// The cases as the audit has replayed them so far.
struct Replayed {
    live: LruCache<String, Case>,
    /// Cases with an illegal command: the rest of their history is not replayed.
    broken: HashSet<String>,
    /// Events with personal data that does not open with its person's key, by position.
    unopenable: HashMap<u64, String>,
    report: AuditReport,
}

impl Cases {
    /// Verifies the whole log: the hash chain, and every case replayed through `decide`.
    pub async fn verify(
        &self,
        progress: impl FnMut(AuditProgress) + Send,
    ) -> Result<AuditReport, Failure> {
        self.verify_with(AuditOptions::default(), progress).await
    }

    /// [`verify`](Self::verify), as `options` say.
    pub async fn verify_with(
        &self,
        options: AuditOptions,
        mut progress: impl FnMut(AuditProgress) + Send,
    ) -> Result<AuditReport, Failure> {
        let store = Arc::clone(self.store());
        let head = store.head().await?.position;
        let mut chain = ChainCheck::new();
        if let Some(checkpoint) = &options.against {
            chain = chain.noting(checkpoint.position);
        }
        let mut replayed = Replayed {
            live: LruCache::new(options.live_cases),
            broken: HashSet::new(),
            unopenable: HashMap::new(),
            report: AuditReport {
                chain: ChainCheck::new().report(),
                streams: 0,
                commands_replayed: 0,
                events_replayed: 0,
                not_replayable: 0,
                events_outside_cases: 0,
                first_illegal: None,
                against: None,
            },
        };
        // The next page is read while this one is replayed.
        let mut next = tokio::spawn(read_page(Arc::clone(&store), chain));
        // A command's events may run on into the next page: the last run waits for it.
        let mut unfinished: Vec<RecordedEvent> = Vec::new();
        let chain = loop {
            // The reading task only ends by returning or panicking; a panic goes on here.
            let (page, chain) = (&mut next)
                .await
                .unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic()))?;
            let end = page.is_empty();
            if !end {
                next = tokio::spawn(read_page(Arc::clone(&store), chain.clone()));
            }
            unfinished.extend(page);
            let keep = if end {
                unfinished.len()
            } else {
                start_of_last_run(&unfinished)
            };
            // Personal data is opened for the replay: commands are decided again from it. An
            // entry that does not open with its key was altered: its command is illegal.
            let mut ready: Vec<RecordedEvent> = unfinished.drain(..keep).collect();
            let keys = self.keys_to_open(&ready).await?;
            for event in &mut ready {
                if let Err(failure) = crate::codec::open(event, &keys) {
                    replayed
                        .unopenable
                        .insert(event.position, failure.to_string());
                }
            }
            let mut start = 0;
            while start < ready.len() {
                let end = start + run_length(&ready[start..]);
                self.replay_command(&store, &ready[start..end], &mut replayed)
                    .await?;
                start = end;
            }
            progress(AuditProgress {
                read: chain.read(),
                head,
            });
            if end {
                break chain;
            }
        };
        replayed.report.chain = chain.report();
        replayed.report.against = options
            .against
            .map(|checkpoint| extends(&checkpoint, &chain));
        Ok(replayed.report)
    }

    /// Replays one command's events.
    async fn replay_command(
        &self,
        store: &Arc<dyn EventStore>,
        group: &[RecordedEvent],
        replayed: &mut Replayed,
    ) -> Result<(), Failure> {
        let first = &group[0];
        let stream = first.stream_id.as_str();
        let unopenable = group
            .iter()
            .filter_map(|event| replayed.unopenable.remove(&event.position))
            .collect::<Vec<_>>()
            .into_iter()
            .next();
        let report = &mut replayed.report;
        if !stream.starts_with(CASE_STREAM_PREFIX) {
            report.events_outside_cases += group.len() as u64;
            return Ok(());
        }
        if replayed.broken.contains(stream) {
            return Ok(());
        }
        let illegal = |problem: String| Illegal {
            position: first.position,
            stream_id: stream.to_owned(),
            problem,
        };
        let before = match replayed.live.pop(stream) {
            Some(case) => Ok(case),
            None if first.stream_version == 1 => {
                report.streams += 1;
                Ok(Case::default())
            }
            // Pushed out of the live cases since its last command: folded again from its stream.
            None => self
                .fold_stream(store, &first.stream_id, first.stream_version - 1)
                .await?
                .map_err(|failure| illegal(failure.to_string())),
        };
        let outcome = before.and_then(|before| {
            if let Some(problem) = unopenable {
                return Err(illegal(problem));
            }
            let events = group
                .iter()
                .map(crate::codec::decode)
                .collect::<Result<Vec<Event>, _>>()
                .map_err(|failure| illegal(failure.to_string()))?;
            match self.decided_again(&before, group, &events) {
                Replay::Same => report.commands_replayed += 1,
                Replay::NotReplayable => report.not_replayable += 1,
                Replay::Different(problem) => return Err(illegal(problem)),
            }
            report.events_replayed += events.len() as u64;
            Ok(events.iter().fold(before, evolve))
        });
        match outcome {
            Ok(after) => {
                replayed.live.put(stream.to_owned(), after);
            }
            Err(found) => {
                replayed.broken.insert(stream.to_owned());
                // The log is read in order, so the first found is the lowest.
                report.first_illegal.get_or_insert(found);
            }
        }
        Ok(())
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
            // The data the command was decided on has been erased since: it cannot be decided
            // again, which is what erasure means, and not a sign of tampering.
            Err(retur_domain::Refusal::PersonalDataErased(_)) => Replay::NotReplayable,
            Err(refusal) => Replay::Different(format!("the rules refuse this command: {refusal}")),
        }
    }
}

enum Replay {
    Same,
    NotReplayable,
    Different(String),
}

/// Whether the log read through `chain` extends `checkpoint`.
fn extends(checkpoint: &Checkpoint, chain: &ChainCheck) -> Extends {
    if checkpoint.position == 0 {
        // A checkpoint of the empty log: every log extends it.
        return if checkpoint.hash == Hash::ZERO {
            Extends::Yes
        } else {
            Extends::Rewritten { found: Hash::ZERO }
        };
    }
    match chain.noted() {
        Some(found) if found == checkpoint.hash => Extends::Yes,
        Some(found) => Extends::Rewritten { found },
        None if chain
            .report()
            .broken
            .is_some_and(|broken| broken.position <= checkpoint.position) =>
        {
            Extends::ChainBroken
        }
        None => Extends::Truncated { head: chain.read() },
    }
}

/// Reads the next page of the log, checking the chain.
async fn read_page(
    store: Arc<dyn EventStore>,
    mut chain: ChainCheck,
) -> Result<(Vec<RecordedEvent>, ChainCheck), StoreError> {
    let page = store.read_checked(&mut chain, PAGE).await?;
    Ok((page, chain))
}

/// How many events from the first are one command's: consecutive, in one stream, with one
/// command id.
fn run_length(events: &[RecordedEvent]) -> usize {
    let first = &events[0];
    events
        .iter()
        .position(|e| e.command_id != first.command_id || e.stream_id != first.stream_id)
        .unwrap_or(events.len())
}

/// Where the last run of `events` starts.
fn start_of_last_run(events: &[RecordedEvent]) -> usize {
    let Some(last) = events.last() else { return 0 };
    events
        .iter()
        .rposition(|e| e.command_id != last.command_id || e.stream_id != last.stream_id)
        .map_or(0, |i| i + 1)
}

impl Cases {
    /// A case as its first `versions` events left it; a failure to decode is the case's
    /// problem, a failure to read the audit's.
    async fn fold_stream(
        &self,
        store: &Arc<dyn EventStore>,
        stream: &StreamId,
        versions: u64,
    ) -> Result<Result<Case, Failure>, Failure> {
        let limit = usize::try_from(versions).unwrap_or(usize::MAX);
        let recorded = self
            .opened(store.read_stream(stream, 1, limit).await?)
            .await?;
        Ok(recorded
            .iter()
            .map(crate::codec::decode)
            .try_fold(Case::default(), |case, event| Ok(evolve(case, &event?))))
    }
}
