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
use std::fmt;
use std::num::NonZeroUsize;
use std::str::FromStr;
use std::sync::Arc;

use lru::LruCache;
use retur_domain::CaseId;
use retur_domain::case::Case;
use retur_domain::decide::{NotACommand, command_of};
use retur_domain::{
    Actor, ActorId, Command, Context, Event, Refusal, Role, Status, decide, evolve,
};
use retur_store::{
    Appended, ChainCheck, ChainReport, EventStore, Hash, Position, RecordedEvent, StoreError,
    StoredSummary, StreamId, Unbacked,
};

use crate::cases::Cases;
use crate::checkpoint::Checkpoint;
use crate::codec::{CASE_STREAM_PREFIX, Unreadable};
use crate::error::Failure;
use crate::status::{CaseStatus, Deadline};

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
    /// What is wrong, with its figures, for a reader to say in their own language.
    pub kind: IllegalKind,
}

impl Illegal {
    pub fn new(position: u64, stream_id: String, kind: IllegalKind) -> Self {
        Illegal {
            position,
            stream_id,
            kind,
        }
    }

    /// What is wrong in English, as the CLI and the API say it.
    pub fn problem(&self) -> String {
        self.kind.to_string()
    }
}

/// Why a command in a case's history is illegal.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IllegalKind {
    /// An event of the case does not decode, or its personal data does not open with its
    /// person's key: it was altered, or this build does not read it.
    #[error("the event at position {position} cannot be read: {why}")]
    Unreadable { position: u64, why: Unreadable },
    /// The command's events, by type, are not what any one command records.
    #[error("no command records the events {events:?} together")]
    NotACommand { events: Vec<&'static str> },
    /// The actor or role recorded with the command is not one there can be.
    #[error("the recorded actor {actor:?} as {role:?} is not valid")]
    InvalidActor { actor: String, role: String },
    /// Decided again, the command records other events than the log holds.
    #[error(
        "deciding the command again gives other events (the rules for its date may have changed since)"
    )]
    OtherEvents,
    /// Decided again, the command is refused.
    #[error("the rules refuse this command: {0}")]
    Refused(Refusal),
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
    /// What differs, with the figures on each side, for a reader to say in their own language.
    pub kind: MismatchKind,
}

impl Mismatch {
    pub fn new(table: DerivedTable, stream_id: String, position: u64, kind: MismatchKind) -> Self {
        Mismatch {
            table,
            stream_id,
            position,
            kind,
        }
    }

    /// What differs in English, as the CLI and the API say it.
    pub fn problem(&self) -> String {
        self.kind.to_string()
    }
}

/// How a row of a derived table differs from the log. A stored status is compared field by
/// field, and the first that differs is named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MismatchKind {
    /// The case has events and no stored status.
    NoStatus,
    /// The stored status is of an earlier version of the case than the log's last.
    StatusBehind {
        version: u64,
        position: u64,
        log_version: u64,
    },
    /// The stored status is of the case's last version, at another position than the log's.
    StatusElsewhere {
        position: u64,
        version: u64,
        log_position: u64,
    },
    /// The stored status does not read back (a state, deadline or figures no status has);
    /// `state` is as stored.
    StatusUnreadable {
        state: String,
        log: Status,
    },
    OtherState {
        stored: Status,
        log: Status,
    },
    /// Whose move it is: as stored (any text), and as the log gives it.
    OtherOwner {
        stored: Option<String>,
        log: Option<Role>,
    },
    OtherDeadline {
        stored: Option<Deadline>,
        log: Option<Deadline>,
    },
    /// The status's figures, as JSON.
    OtherFigures {
        stored: String,
        log: String,
    },
    /// A command wrote events and has no record.
    NoRecord {
        command: uuid::Uuid,
    },
    /// A command's record names other versions or positions than its events have.
    OtherRecord {
        command: uuid::Uuid,
        record: Span,
        log: Span,
    },
    /// A status stored at a version and position that hold no event of its stream.
    StatusUnbacked {
        version: i64,
        position: i64,
    },
    /// A command's record at a position that holds no event of that command.
    RecordUnbacked {
        command: uuid::Uuid,
        position: i64,
    },
}

/// Where a command's events are: as its record says, or as the log has them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub stream_id: String,
    pub first_version: u64,
    pub last_version: u64,
    pub first_position: u64,
    pub last_position: u64,
}

impl fmt::Display for MismatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use MismatchKind as K;
        let nobody = "nobody";
        let deadline = |deadline: &Option<Deadline>| {
            deadline.map_or("none".to_owned(), |d| {
                format!("{} on {}", d.kind.name(), d.on)
            })
        };
        match self {
            K::NoStatus => f.write_str("the case has no stored status: every read of it fails"),
            K::StatusBehind {
                version,
                position,
                log_version,
            } => write!(
                f,
                "the stored status is of version {version} at position {position}; the log has the case at version {log_version}"
            ),
            K::StatusElsewhere {
                position,
                version,
                log_position,
            } => write!(
                f,
                "the stored status names position {position}; version {version} of the case is at position {log_position}"
            ),
            K::StatusUnreadable { state, log } => write!(
                f,
                "the stored status cannot be read (state {state:?}); the log says {}",
                log.name()
            ),
            K::OtherState { stored, log } => write!(
                f,
                "the stored state is {}; the log says {}",
                stored.name(),
                log.name()
            ),
            K::OtherOwner { stored, log } => write!(
                f,
                "the stored status says the move is {}'s; the log says {}'s",
                stored.as_deref().unwrap_or(nobody),
                log.map_or(nobody, |role| role.as_str())
            ),
            K::OtherDeadline { stored, log } => write!(
                f,
                "the stored next deadline is {}; the log gives {}",
                deadline(stored),
                deadline(log)
            ),
            K::OtherFigures { stored, log } => {
                write!(f, "the stored figures are {stored}; the log gives {log}")
            }
            K::NoRecord { command } => write!(
                f,
                "command {command} wrote here and has no record: a retry of it would write again"
            ),
            K::OtherRecord {
                command,
                record: r,
                log: l,
            } => write!(
                f,
                "the record of command {command} says {} versions {}–{} at positions {}–{}; its events are {} versions {}–{} at positions {}–{}",
                r.stream_id,
                r.first_version,
                r.last_version,
                r.first_position,
                r.last_position,
                l.stream_id,
                l.first_version,
                l.last_version,
                l.first_position,
                l.last_position
            ),
            K::StatusUnbacked { version, position } => write!(
                f,
                "a status is stored for version {version} at position {position}, where the log has no event of this stream"
            ),
            K::RecordUnbacked { command, position } => write!(
                f,
                "command {command} has a record at position {position}, where the log has no event of it: a retry of it would be answered with an outcome that never happened"
            ),
        }
    }
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
    unopenable: HashMap<u64, IllegalKind>,
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
                if let Err(why) = crate::codec::open_or_why(event, &keys) {
                    let position = event.position;
                    replayed
                        .unopenable
                        .insert(position, IllegalKind::Unreadable { position, why });
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
        let illegal = |kind: IllegalKind| Illegal::new(first.position, stream.to_owned(), kind);
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
                .map_err(illegal),
        };
        let outcome = before.and_then(|before| {
            if let Some(kind) = unopenable {
                return Err(illegal(kind));
            }
            let events = group
                .iter()
                .map(decode)
                .collect::<Result<Vec<Event>, _>>()
                .map_err(illegal)?;
            match self.decided_again(&before, group, &events) {
                Replay::Same => report.commands_replayed += 1,
                Replay::NotReplayable => report.not_replayable += 1,
                Replay::Different(kind) => return Err(illegal(kind)),
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
            Err(NotACommand::Missing(_)) => return Replay::NotReplayable,
            Err(NotACommand::UnknownShape(events)) => {
                return Replay::Different(IllegalKind::NotACommand { events });
            }
        };
        let (Ok(role), Ok(id)) = (
            Role::from_str(&metadata.role),
            ActorId::parse(&metadata.actor),
        ) else {
            return Replay::Different(IllegalKind::InvalidActor {
                actor: metadata.actor.clone(),
                role: metadata.role.clone(),
            });
        };
        let context = Context {
            now: decided_at,
            rules: self.rules(),
        };
        match decide(
            before,
            &Command::new(Actor::new(role, id), action),
            &context,
        ) {
            Ok(again) if again == events => Replay::Same,
            Ok(_) => Replay::Different(IllegalKind::OtherEvents),
            // The data the command was decided on has been erased since: it cannot be decided
            // again, which is what erasure means, and not a sign of tampering.
            Err(retur_domain::Refusal::PersonalDataErased(_)) => Replay::NotReplayable,
            Err(refusal) => Replay::Different(IllegalKind::Refused(refusal)),
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
            let mismatch = |kind: MismatchKind| {
                Mismatch::new(
                    DerivedTable::Status,
                    stream.to_owned(),
                    event.position,
                    kind,
                )
            };
            let Some(summary) = stored.get(stream) else {
                derived.found(mismatch(MismatchKind::NoStatus));
                continue;
            };
            if summary.version > event.stream_version {
                continue;
            }
            if summary.version < event.stream_version {
                derived.statuses_checked += 1;
                derived.found(mismatch(MismatchKind::StatusBehind {
                    version: summary.version,
                    position: summary.position,
                    log_version: event.stream_version,
                }));
                continue;
            }
            if summary.position != event.position {
                derived.statuses_checked += 1;
                derived.found(mismatch(MismatchKind::StatusElsewhere {
                    position: summary.position,
                    version: event.stream_version,
                    log_position: event.position,
                }));
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
            if let Some(kind) = status_differs(&expected, summary) {
                derived.found(mismatch(kind));
            }
        }
        Ok(())
    }
}

/// How a stored status differs from the one the log gives, if it does.
fn status_differs(expected: &CaseStatus, stored: &StoredSummary) -> Option<MismatchKind> {
    let Some(found) = CaseStatus::from_summary(expected.case_id, stored) else {
        return Some(MismatchKind::StatusUnreadable {
            state: stored.summary.state.clone(),
            log: expected.status,
        });
    };
    if found.status != expected.status {
        return Some(MismatchKind::OtherState {
            stored: found.status,
            log: expected.status,
        });
    }
    if stored.summary.owner.as_deref() != expected.owner.map(|role| role.as_str()) {
        return Some(MismatchKind::OtherOwner {
            stored: stored.summary.owner.clone(),
            log: expected.owner,
        });
    }
    if found.next_deadline != expected.next_deadline {
        return Some(MismatchKind::OtherDeadline {
            stored: found.next_deadline,
            log: expected.next_deadline,
        });
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
        return Some(MismatchKind::OtherFigures {
            stored: json(&detail),
            log: json(&expected.detail),
        });
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
        let mismatch = |kind: MismatchKind| {
            Mismatch::new(
                DerivedTable::CommandRecord,
                first.stream_id.as_str().to_owned(),
                first.position,
                kind,
            )
        };
        let Some(record) = records.get(&first.command_id) else {
            derived.found(mismatch(MismatchKind::NoRecord {
                command: first.command_id,
            }));
            continue;
        };
        let says = Span {
            stream_id: record.stream_id.as_str().to_owned(),
            first_version: record.first_version,
            last_version: record.last_version,
            first_position: record.first_position,
            last_position: record.last_position,
        };
        let log = Span {
            stream_id: first.stream_id.as_str().to_owned(),
            first_version: first.stream_version,
            last_version: last.stream_version,
            first_position: first.position,
            last_position: last.position,
        };
        if says != log {
            derived.found(mismatch(MismatchKind::OtherRecord {
                command: first.command_id,
                record: says,
                log,
            }));
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
        } => Mismatch::new(
            DerivedTable::Status,
            stream_id,
            u64::try_from(position).unwrap_or(0),
            MismatchKind::StatusUnbacked { version, position },
        ),
        Unbacked::Command {
            command_id,
            stream_id,
            first_position,
        } => Mismatch::new(
            DerivedTable::CommandRecord,
            stream_id,
            u64::try_from(first_position).unwrap_or(0),
            MismatchKind::RecordUnbacked {
                command: command_id,
                position: first_position,
            },
        ),
    }
}

enum Replay {
    Same,
    NotReplayable,
    Different(IllegalKind),
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
    ) -> Result<Result<Case, IllegalKind>, Failure> {
        let limit = usize::try_from(versions).unwrap_or(usize::MAX);
        let recorded = self
            .opened(store.read_stream(stream, 1, limit).await?)
            .await?;
        Ok(recorded
            .iter()
            .map(decode)
            .try_fold(Case::default(), |case, event| Ok(evolve(case, &event?))))
    }
}

/// A stored event as a domain event, or why it is illegal in a case's history.
fn decode(recorded: &RecordedEvent) -> Result<Event, IllegalKind> {
    crate::codec::decode_or_why(recorded).map_err(|why| IllegalKind::Unreadable {
        position: recorded.position,
        why,
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use retur_domain::CommandKind;
    use retur_domain::case::DeadlineKind;

    use super::*;
    use crate::codec::Unsealing;

    /// The CLI, the logs and the API say each finding in these words: they stay as they were
    /// when the findings were sentences.
    #[test]
    fn each_finding_is_said_in_the_same_english_as_before() {
        let person = uuid::Uuid::from_u128(7);
        let command = uuid::Uuid::from_u128(9);
        let illegal = [
            (
                IllegalKind::Unreadable {
                    position: 5,
                    why: Unreadable::Sealed {
                        person,
                        why: Unsealing::DoesNotOpen,
                    },
                },
                format!(
                    "the event at position 5 cannot be read: the sealed data of person {person}: does not open with the person's key (altered or moved)"
                ),
            ),
            (
                IllegalKind::Unreadable {
                    position: 5,
                    why: Unreadable::SchemaVersion(70_000),
                },
                "the event at position 5 cannot be read: schema version 70000 is out of range"
                    .to_owned(),
            ),
            (
                IllegalKind::NotACommand {
                    events: vec!["review_started", "case_closed"],
                },
                NotACommand::UnknownShape(vec!["review_started", "case_closed"]).to_string(),
            ),
            (
                IllegalKind::NotACommand {
                    events: vec!["review_started", "case_closed"],
                },
                r#"no command records the events ["review_started", "case_closed"] together"#
                    .to_owned(),
            ),
            (
                IllegalKind::InvalidActor {
                    actor: "udi kari".to_owned(),
                    role: "boss".to_owned(),
                },
                r#"the recorded actor "udi kari" as "boss" is not valid"#.to_owned(),
            ),
            (
                IllegalKind::OtherEvents,
                "deciding the command again gives other events (the rules for its date may have changed since)".to_owned(),
            ),
            (
                IllegalKind::Refused(Refusal::WrongState {
                    command: CommandKind::CloseCase,
                    status: Status::UnderReview,
                }),
                "the rules refuse this command: close_case cannot be done while the case is under_review".to_owned(),
            ),
        ];
        for (kind, said) in illegal {
            let found = Illegal::new(5, "case-x".to_owned(), kind);
            assert_eq!(found.problem(), said);
            assert_eq!(found.kind.to_string(), said);
        }

        let on = |day| NaiveDate::from_ymd_opt(2026, 11, day).expect("a day");
        let span = |stream: &str, first| Span {
            stream_id: stream.to_owned(),
            first_version: 1,
            last_version: 2,
            first_position: first,
            last_position: first + 1,
        };
        let mismatches = [
            (
                MismatchKind::NoStatus,
                "the case has no stored status: every read of it fails".to_owned(),
            ),
            (
                MismatchKind::StatusBehind {
                    version: 1,
                    position: 3,
                    log_version: 2,
                },
                "the stored status is of version 1 at position 3; the log has the case at version 2".to_owned(),
            ),
            (
                MismatchKind::StatusElsewhere {
                    position: 3,
                    version: 2,
                    log_position: 4,
                },
                "the stored status names position 3; version 2 of the case is at position 4"
                    .to_owned(),
            ),
            (
                MismatchKind::StatusUnreadable {
                    state: "happy".to_owned(),
                    log: Status::Refused,
                },
                r#"the stored status cannot be read (state "happy"); the log says refused"#
                    .to_owned(),
            ),
            (
                MismatchKind::OtherState {
                    stored: Status::Approved,
                    log: Status::Refused,
                },
                "the stored state is approved; the log says refused".to_owned(),
            ),
            (
                MismatchKind::OtherOwner {
                    stored: None,
                    log: Some(Role::Udi),
                },
                "the stored status says the move is nobody's; the log says udi's".to_owned(),
            ),
            (
                MismatchKind::OtherDeadline {
                    stored: Some(Deadline {
                        kind: DeadlineKind::TravelDeadline,
                        on: on(25),
                    }),
                    log: None,
                },
                "the stored next deadline is travel_deadline on 2026-11-25; the log gives none"
                    .to_owned(),
            ),
            (
                MismatchKind::OtherFigures {
                    stored: r#"{"household_size":9}"#.to_owned(),
                    log: r#"{"household_size":1}"#.to_owned(),
                },
                r#"the stored figures are {"household_size":9}; the log gives {"household_size":1}"#.to_owned(),
            ),
            (
                MismatchKind::NoRecord { command },
                format!("command {command} wrote here and has no record: a retry of it would write again"),
            ),
            (
                MismatchKind::OtherRecord {
                    command,
                    record: span("case-a", 3),
                    log: span("case-b", 5),
                },
                format!("the record of command {command} says case-a versions 1–2 at positions 3–4; its events are case-b versions 1–2 at positions 5–6"),
            ),
            (
                MismatchKind::StatusUnbacked {
                    version: 4,
                    position: -1,
                },
                "a status is stored for version 4 at position -1, where the log has no event of this stream".to_owned(),
            ),
            (
                MismatchKind::RecordUnbacked {
                    command,
                    position: 8,
                },
                format!("command {command} has a record at position 8, where the log has no event of it: a retry of it would be answered with an outcome that never happened"),
            ),
        ];
        for (kind, said) in mismatches {
            let found = Mismatch::new(DerivedTable::Status, "case-x".to_owned(), 3, kind);
            assert_eq!(found.problem(), said);
        }
    }

    /// An event that does not decode is said as the domain says it.
    #[test]
    fn an_undecodable_event_is_said_as_the_domain_says_it() {
        let payload = serde_json::json!({ "not": "a review" });
        for (event_type, version) in [
            ("no_such_event", 1),
            ("review_started", 99),
            ("application_refused", 1),
        ] {
            let error = Event::decode(event_type, version, &payload).expect_err("undecodable");
            let said = error.to_string();
            assert_eq!(Unreadable::from(error).to_string(), said);
        }
    }
}
