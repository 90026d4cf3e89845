//! Audit verification: is the log what its hashes say, and is every case's history one the rules
//! allowed?
//!
//! The log is read once, from the start, in pages. Each event is checked against the hash chain
//! as it is read, and each command's events (a run of consecutive events with one command id)
//! are turned back into that command (`decide::command_of`); `decide` runs again on the case as
//! it stood, with the recorded actor, the recorded decision time and the rule book. It must give
//! exactly the stored events. A forged event with a perfect hash chain fails here; so does a
//! decision whose rules have since been changed for its date, because the rule set's digest in
//! the event no longer matches.
//!
//! Against a signed [`Checkpoint`], the audit also notes the hash at the checkpoint's position as
//! it recomputes the chain: the log must reach that position with the hash that was signed.
//!
//! The tables derived from the log are checked as it is read: every command's record (what a
//! retry of it is answered with) must name the stream, versions and positions its events have,
//! and every case's stored status must be the status its replayed events give. What those
//! tables hold that no event stands behind (a record or a status pointing at no event) is
//! looked for once, at the end. Each mismatch is named by its case (or stream) and position.
//!
//! Memory stays flat in the size of the log: the audit keeps the cases it has seen lately, folded
//! (an LRU). A case that comes back after it was pushed out is folded again from its stream, one
//! read; its earlier commands were decided again when they were passed.

use std::collections::{HashMap, HashSet};
use std::num::NonZeroUsize;
use std::str::FromStr;
use std::sync::Arc;

use lru::LruCache;
use retur_domain::CaseId;
use retur_domain::case::Case;
use retur_domain::decide::command_of;
use retur_domain::{Actor, ActorId, Command, Context, Event, Role, decide, evolve};
use retur_store::{
    Appended, ChainCheck, ChainReport, EventStore, Hash, Position, RecordedEvent, StoreError,
    StoredSummary, StreamId, Unbacked,
};

use crate::cases::Cases;
use crate::checkpoint::Checkpoint;
use crate::codec::CASE_STREAM_PREFIX;
use crate::error::Failure;
use crate::status::CaseStatus;

/// Events read per page of the log.
const PAGE: usize = 2_000;

/// Cases kept folded while the log is read.
const LIVE_CASES: usize = 16_384;

/// Mismatches of the derived tables kept in a report; the rest are counted.
const MISMATCHES_KEPT: usize = 100;

/// Rows of each derived table that no event stands behind, read and counted at the most: a
/// table tampered with beyond this is counted as this many.
const UNBACKED_COUNTED: usize = 100_000;

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

/// The table a mismatch was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DerivedTable {
    /// The stored status of each case (`stream_summaries`), which every read of a case's status,
    /// every queue and the deadline scheduler go by.
    Status,
    /// The record of each command that wrote (`commands`), which a retry is answered with.
    CommandRecord,
}

impl DerivedTable {
    pub fn name(self) -> &'static str {
        match self {
            DerivedTable::Status => "status",
            DerivedTable::CommandRecord => "command_record",
        }
    }
}

/// A row of a derived table that is not what the log says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub table: DerivedTable,
    /// The stream (for a case, `case-` and its id) the row belongs to, as stored.
    pub stream_id: String,
    /// The position in the log the row is checked at: the case's last event for a status, the
    /// command's first event for a record, or, for a row no event stands behind, the position
    /// the row names.
    pub position: u64,
    pub problem: String,
}

/// What the check of the derived tables found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DerivedReport {
    /// Stored statuses compared with their replayed cases.
    pub statuses_checked: u64,
    /// Command records compared with their commands' events.
    pub commands_checked: u64,
    /// The first mismatches, in the order found, at most a hundred.
    pub mismatches: Vec<Mismatch>,
    /// How many mismatches in all (rows no event stands behind are counted up to 100 000 a
    /// table).
    pub mismatch_count: u64,
}

impl DerivedReport {
    fn found(&mut self, mismatch: Mismatch) {
        self.mismatch_count += 1;
        if self.mismatches.len() < MISMATCHES_KEPT {
            self.mismatches.push(mismatch);
        }
    }
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
    /// The tables derived from the log, compared with it.
    pub derived: DerivedReport,
}

impl AuditReport {
    pub fn is_clean(&self) -> bool {
        self.chain.is_intact()
            && self.first_illegal.is_none()
            && self.derived.mismatch_count == 0
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
                derived: DerivedReport::default(),
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
            let runs: Vec<&[RecordedEvent]> = ready.chunk_by(same_command).collect();
            for run in &runs {
                self.replay_command(&store, run, &mut replayed).await?;
            }
            check_command_records(&store, &runs, &mut replayed.report.derived).await?;
            self.check_statuses(&store, &ready, &mut replayed).await?;
            progress(AuditProgress {
                read: chain.read(),
                head,
            });
            if end {
                break chain;
            }
        };
        for row in store.unbacked(UNBACKED_COUNTED).await? {
            replayed.report.derived.found(unbacked(row));
        }
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
            Err(retur_domain::decide::NotACommand::Missing(_)) => return Replay::NotReplayable,
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

impl Cases {
    /// Compares the stored status of each case the page touched with the case as its replayed
    /// events left it. A status stored at a later version is the log's further on (it is
    /// compared there); one stored at an earlier version is behind the log.
    async fn check_statuses(
        &self,
        store: &Arc<dyn EventStore>,
        page: &[RecordedEvent],
        replayed: &mut Replayed,
    ) -> Result<(), Failure> {
        // Each case's last event in the page, in the order the cases were last touched.
        let mut last: HashMap<&str, &RecordedEvent> = HashMap::new();
        for event in page {
            let stream = event.stream_id.as_str();
            if stream.starts_with(CASE_STREAM_PREFIX) && !replayed.broken.contains(stream) {
                last.insert(stream, event);
            }
        }
        if last.is_empty() {
            return Ok(());
        }
        let mut cases: Vec<&RecordedEvent> = last.into_values().collect();
        cases.sort_by_key(|event| event.position);
        let streams: Vec<StreamId> = cases.iter().map(|e| e.stream_id.clone()).collect();
        let stored: HashMap<String, StoredSummary> = store
            .read_summaries(&streams)
            .await?
            .into_iter()
            .map(|summary| (summary.stream_id.as_str().to_owned(), summary))
            .collect();
        let derived = &mut replayed.report.derived;
        for event in cases {
            let stream = event.stream_id.as_str();
            let mismatch = |problem: String| Mismatch {
                table: DerivedTable::Status,
                stream_id: stream.to_owned(),
                position: event.position,
                problem,
            };
            let Some(summary) = stored.get(stream) else {
                derived.found(mismatch(
                    "the case has no stored status: every read of it fails".to_owned(),
                ));
                continue;
            };
            if summary.version > event.stream_version {
                continue;
            }
            if summary.version < event.stream_version {
                derived.statuses_checked += 1;
                derived.found(mismatch(format!(
                    "the stored status is of version {} at position {}; the log has the case at version {}",
                    summary.version, summary.position, event.stream_version
                )));
                continue;
            }
            if summary.position != event.position {
                derived.statuses_checked += 1;
                derived.found(mismatch(format!(
                    "the stored status names position {}; version {} of the case is at position {}",
                    summary.position, event.stream_version, event.position
                )));
                continue;
            }
            let Ok(case_id) = stream[CASE_STREAM_PREFIX.len()..].parse::<CaseId>() else {
                continue;
            };
            // The case as the replay left it; one pushed out of the live cases already (a small
            // `live_cases`) is folded again from its stream.
            let folded;
            let case = match replayed.live.peek(stream) {
                Some(case) => case,
                None => match self
                    .fold_stream(store, &event.stream_id, event.stream_version)
                    .await?
                {
                    Ok(case) => {
                        folded = case;
                        &folded
                    }
                    Err(_) => continue,
                },
            };
            let expected = CaseStatus::of(case_id, case, event.stream_version, self.rules());
            derived.statuses_checked += 1;
            if let Some(problem) = status_differs(&expected, summary) {
                derived.found(mismatch(problem));
            }
        }
        Ok(())
    }
}

/// How a stored status differs from the one the log gives, if it does.
fn status_differs(expected: &CaseStatus, stored: &StoredSummary) -> Option<String> {
    let Some(found) = CaseStatus::from_summary(expected.case_id, stored) else {
        return Some(format!(
            "the stored status cannot be read (state {:?}); the log says {}",
            stored.summary.state,
            expected.status.name()
        ));
    };
    if found.status != expected.status {
        return Some(format!(
            "the stored state is {}; the log says {}",
            found.status.name(),
            expected.status.name()
        ));
    }
    if stored.summary.owner.as_deref() != expected.owner.map(|role| role.as_str()) {
        return Some(format!(
            "the stored status says the move is {}'s; the log says {}'s",
            stored.summary.owner.as_deref().unwrap_or("nobody"),
            expected.owner.map_or("nobody", |role| role.as_str())
        ));
    }
    if found.next_deadline != expected.next_deadline {
        let show = |deadline: Option<crate::status::Deadline>| {
            deadline.map_or("none".to_owned(), |d| {
                format!("{} on {}", d.kind.name(), d.on)
            })
        };
        return Some(format!(
            "the stored next deadline is {}; the log gives {}",
            show(found.next_deadline),
            show(expected.next_deadline)
        ));
    }
    let mut detail = found.detail;
    // A status stored before involvement was kept reads it from the events.
    if detail.involvement.is_none() {
        detail.involvement = expected.detail.involvement;
    }
    if detail != expected.detail {
        let json = |detail: &crate::status::StatusDetail| {
            serde_json::to_string(detail).unwrap_or_default()
        };
        return Some(format!(
            "the stored figures are {}; the log gives {}",
            json(&detail),
            json(&expected.detail)
        ));
    }
    None
}

/// Compares each command's record with the events the command wrote: the record is what a
/// retry of the command is answered with.
async fn check_command_records(
    store: &Arc<dyn EventStore>,
    runs: &[&[RecordedEvent]],
    derived: &mut DerivedReport,
) -> Result<(), StoreError> {
    if runs.is_empty() {
        return Ok(());
    }
    let ids: Vec<uuid::Uuid> = runs.iter().map(|run| run[0].command_id).collect();
    let records: HashMap<uuid::Uuid, Appended> =
        store.command_outcomes(&ids).await?.into_iter().collect();
    for run in runs {
        let (first, last) = (&run[0], &run[run.len() - 1]);
        derived.commands_checked += 1;
        let mismatch = |problem: String| Mismatch {
            table: DerivedTable::CommandRecord,
            stream_id: first.stream_id.as_str().to_owned(),
            position: first.position,
            problem,
        };
        let Some(record) = records.get(&first.command_id) else {
            derived.found(mismatch(format!(
                "command {} wrote here and has no record: a retry of it would write again",
                first.command_id
            )));
            continue;
        };
        let says = (
            record.stream_id.as_str(),
            record.first_version,
            record.last_version,
            record.first_position,
            record.last_position,
        );
        let log = (
            first.stream_id.as_str(),
            first.stream_version,
            last.stream_version,
            first.position,
            last.position,
        );
        if says != log {
            derived.found(mismatch(format!(
                "the record of command {} says {} versions {}–{} at positions {}–{}; its events are {} versions {}–{} at positions {}–{}",
                first.command_id, says.0, says.1, says.2, says.3, says.4, log.0, log.1, log.2, log.3, log.4
            )));
        }
    }
    Ok(())
}

/// A row no event stands behind, as a mismatch.
fn unbacked(row: Unbacked) -> Mismatch {
    match row {
        Unbacked::Summary {
            stream_id,
            version,
            position,
        } => Mismatch {
            table: DerivedTable::Status,
            problem: format!(
                "a status is stored for version {version} at position {position}, where the log has no event of this stream"
            ),
            stream_id,
            position: u64::try_from(position).unwrap_or(0),
        },
        Unbacked::Command {
            command_id,
            stream_id,
            first_position,
        } => Mismatch {
            table: DerivedTable::CommandRecord,
            problem: format!(
                "command {command_id} has a record at position {first_position}, where the log has no event of it: a retry of it would be answered with an outcome that never happened"
            ),
            stream_id,
            position: u64::try_from(first_position).unwrap_or(0),
        },
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

/// Whether two consecutive events are one command's: one stream, one command id. A command's
/// events are a run of these.
fn same_command(a: &RecordedEvent, b: &RecordedEvent) -> bool {
    a.command_id == b.command_id && a.stream_id == b.stream_id
}

/// Where the last run of `events` starts.
fn start_of_last_run(events: &[RecordedEvent]) -> usize {
    events
        .chunk_by(same_command)
        .next_back()
        .map_or(0, |last| events.len() - last.len())
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
