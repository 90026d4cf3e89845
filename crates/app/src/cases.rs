//! The command handler and the case reads.

use std::collections::{BTreeSet, HashMap};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use lru::LruCache;

use retur_domain::case::Case;
use retur_domain::lifecycle::commands_for;
use retur_domain::travel::{
    AirportCode, Booking, DocumentNumber, FlightNumber, LateAppealGround, TravelDocumentKind,
};
use retur_domain::{
    Action, CaseId, Command, CommandKind, Context, Currency, Event, ExchangeRates, Money, Payee,
    PerUsd, PersonId, Refusal, Role, RuleBook, Statement, calendar, decide, evolve,
};
use retur_store::{
    AppendError, AppendRequest, Appended, EventStore, Held, KeyBytes, KeyVault, Metadata, NewEvent,
    RecordedEvent, StreamId,
};
use uuid::Uuid;

use crate::access::{Caller, authorize_command, authorize_read, exists_for, has_part};
use crate::clock::Clock;
use crate::codec::{decode, envelope, new_key, open, people_in, seal, sealed_people, stream_id};
use crate::error::{CommandError, Failure, Rejection, retry_after};
use crate::status::CaseStatus;
use crate::views::{AsOf, HistoryEntry, PastCase, fold_until, visible_data};

/// How many times a command is decided again when others keep changing its case.
const MAX_ATTEMPTS: u32 = 5;

/// Events read from a stream per page when loading a case.
const LOAD_PAGE: usize = 1000;

/// How many cases the handler remembers as it left them.
const RECENT_CASES: usize = 16_384;

/// The case system: commands in, events and statuses out.
#[derive(Clone)]
pub struct Cases {
    store: Arc<dyn EventStore>,
    /// The keys personal data is sealed with, kept apart from the log.
    keys: Arc<dyn KeyVault>,
    rules: Arc<RuleBook>,
    clock: Arc<dyn Clock>,
    /// Cases as this handler left them after its last command for each, with their version:
    /// the next command for one of them is decided without reading its stream. An entry that
    /// has gone stale (another process wrote since) is harmless: its append meets a newer
    /// version and fails, and a refusal or a version mismatch found on it is checked again
    /// against a fresh load before it is given.
    recent: Arc<Mutex<LruCache<CaseId, (Case, u64)>>>,
}

impl std::fmt::Debug for Cases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cases")
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

/// One command for one case, as a caller sends it.
#[derive(Clone, Debug, PartialEq)]
pub struct CommandRequest {
    pub case_id: CaseId,
    pub action: Action,
    /// The idempotency key: a retry of the same request carries the same id.
    pub command_id: Uuid,
    /// Ties together everything one outside request caused.
    pub correlation_id: Uuid,
    /// The version the caller saw; when given, a case that has moved on is a rejection rather
    /// than a command decided again.
    pub expected_version: Option<u64>,
}

/// What a command did.
#[derive(Clone, Debug, PartialEq)]
pub struct Handled {
    pub case_id: CaseId,
    /// The case's version after the command.
    pub version: u64,
    pub first_position: u64,
    pub last_position: u64,
    pub events: Vec<Event>,
    /// True when the command id had written before: this is that first outcome, and nothing
    /// was written now.
    pub already_handled: bool,
    /// The case's status after the command, as the inline projection holds it.
    pub status: Option<CaseStatus>,
}

/// A case folded from its stream.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedCase {
    pub case: Case,
    pub version: u64,
    pub events: Vec<(RecordedEvent, Event)>,
}

impl Cases {
    pub fn new(
        store: Arc<dyn EventStore>,
        keys: Arc<dyn KeyVault>,
        rules: Arc<RuleBook>,
        clock: Arc<dyn Clock>,
    ) -> Cases {
        Cases {
            store,
            keys,
            rules,
            clock,
            recent: Arc::new(Mutex::new(LruCache::new(
                NonZeroUsize::new(RECENT_CASES).expect("not zero"),
            ))),
        }
    }

    pub fn store(&self) -> &Arc<dyn EventStore> {
        &self.store
    }

    pub fn keys(&self) -> &Arc<dyn KeyVault> {
        &self.keys
    }

    pub fn rules(&self) -> &RuleBook {
        &self.rules
    }

    /// Now, by the case system's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// What `action` would record on the case now, decided exactly as [`handle`](Self::handle)
    /// decides it, without writing anything: what approval would grant, before UDI approves.
    pub async fn try_action(
        &self,
        caller: &Caller,
        case_id: CaseId,
        action: Action,
    ) -> Result<Vec<Event>, CommandError> {
        authorize_command(caller, action.kind(), case_id)?;
        let case = self.case_for_trying(case_id, None).await?;
        self.decide_without_writing(caller, case_id, &case, action)
    }

    /// The commands to offer the caller on the case now: those the lifecycle gives the role in
    /// the case's state, less those that would be refused. Each is tried without writing: as
    /// it is when it needs nothing but the case (or today's date); once per person when it
    /// names one; with stand-ins for figures and text otherwise (`probes`), where a refusal of
    /// the stand-in itself (`Refusal::is_about_input`) leaves it offered, since what the caller
    /// types may be taken. One whose rules beyond the state are all about what is typed (a
    /// refusal's reasons) is offered by the state alone. The case is read once for all.
    pub async fn offered(
        &self,
        caller: &Caller,
        case_id: CaseId,
        status: &crate::status::CaseStatus,
    ) -> Result<Vec<CommandKind>, CommandError> {
        let candidates: Vec<CommandKind> = commands_for(caller.actor.role, status.status)
            .into_iter()
            .filter(|kind| authorize_command(caller, *kind, case_id).is_ok())
            .collect();
        if candidates.is_empty() {
            return Ok(candidates);
        }
        let case = self.case_for_trying(case_id, Some(status.version)).await?;
        let today = calendar::oslo_date(self.clock.now());
        let mut offered = Vec::new();
        for kind in candidates {
            let Some(tries) = probes(kind, &case, today) else {
                offered.push(kind);
                continue;
            };
            for action in tries {
                match self.decide_without_writing(caller, case_id, &case, action) {
                    Ok(_) => {}
                    // Refused for what was typed: what the caller types may be accepted.
                    Err(CommandError::Rejected(Rejection::Refused(refusal)))
                        if refusal.is_about_input() => {}
                    Err(CommandError::Rejected(_)) => continue,
                    Err(failure) => return Err(failure),
                }
                offered.push(kind);
                break;
            }
        }
        Ok(offered)
    }

    /// The case as a command on it would be decided against: remembered when it is at
    /// `version` (or no version is asked for), else read. Another process may have written
    /// since it was remembered; what is offered must be decided on the case the page shows.
    async fn case_for_trying(
        &self,
        case_id: CaseId,
        version: Option<u64>,
    ) -> Result<Case, CommandError> {
        match self.remembered(case_id) {
            Some((case, remembered)) if version.is_none_or(|v| v == remembered) => Ok(case),
            _ => Ok(self.load(case_id).await?.case),
        }
    }

    /// Of `people` in the case, those whose personal data `role` may see now: not erased, and
    /// not restricted from the role. Read from the log, so a read model that keeps people's
    /// data (the person index) can be held to the case as it is, not as it caught up with.
    pub async fn visible_people(
        &self,
        role: retur_domain::Role,
        case_id: CaseId,
    ) -> Result<std::collections::HashSet<PersonId>, Failure> {
        let case = match self.remembered(case_id) {
            Some((case, _)) => case,
            None => self.load(case_id).await?.case,
        };
        let Some(application) = case.application.as_ref() else {
            return Ok(Default::default());
        };
        Ok(application
            .household
            .iter()
            .map(|member| member.person_id)
            .filter(|person| {
                !case.protection.erased.contains(person) && case.protection.may_see(role, person)
            })
            .collect())
    }

    /// `decide` as `handle` runs it (the role first, then whether the case exists for the
    /// caller), on `case`, now; nothing is written.
    fn decide_without_writing(
        &self,
        caller: &Caller,
        case_id: CaseId,
        case: &Case,
        action: Action,
    ) -> Result<Vec<Event>, CommandError> {
        let kind = action.kind();
        authorize_command(caller, kind, case_id)?;
        if kind != CommandKind::Submit && !exists_for(caller.actor.role, case) {
            return Err(Rejection::NoSuchCase { case_id }.into());
        }
        let command = Command::new(caller.actor.clone(), action);
        let context = Context {
            now: self.clock.now(),
            rules: &self.rules,
        };
        decide(case, &command, &context).map_err(|refusal| Rejection::Refused(refusal).into())
    }

    /// Handles one command: authorize, load, decide, append with the version read and the new
    /// status, and on a conflict decide again against the new state.
    pub async fn handle(
        &self,
        caller: &Caller,
        request: CommandRequest,
    ) -> Result<Handled, CommandError> {
        let kind = request.action.kind();
        authorize_command(caller, kind, request.case_id)?;
        let stream = stream_id(request.case_id);
        let command = Command::new(caller.actor.clone(), request.action);
        let metadata = Metadata {
            actor: caller.actor.id.to_string(),
            role: caller.actor.role.as_str().to_owned(),
            correlation_id: request.correlation_id,
            causation_id: Some(request.command_id),
            decided_at: None,
        };
        let mut remembered = self.remembered(request.case_id);
        let mut attempt = 0;
        while attempt < MAX_ATTEMPTS {
            // A remembered case is tried first; anything it leads to but an append is checked
            // again on a fresh load, which counts as the attempt.
            let (case, current, from_memory) = match remembered.take() {
                Some((case, version)) => (case, version, true),
                None => {
                    attempt += 1;
                    let loaded = self.load(request.case_id).await?;
                    (loaded.case, loaded.version, false)
                }
            };
            // Only a submission may name a case that does not exist yet; and a case outside
            // the caller's part does not exist for them (its state and version stay unsaid).
            if kind != CommandKind::Submit && !exists_for(caller.actor.role, &case) {
                if from_memory {
                    continue;
                }
                return Err(Rejection::NoSuchCase {
                    case_id: request.case_id,
                }
                .into());
            }
            if let Some(expected) = request
                .expected_version
                .filter(|expected| *expected != current)
            {
                if from_memory {
                    continue;
                }
                return self
                    .unless_done(
                        request.case_id,
                        request.command_id,
                        &command.action,
                        Rejection::VersionMismatch {
                            expected,
                            actual: current,
                        },
                    )
                    .await;
            }
            let context = Context {
                now: self.clock.now(),
                rules: &self.rules,
            };
            let events = match decide(&case, &command, &context) {
                Ok(events) => events,
                Err(_) if from_memory => continue,
                Err(refusal) => {
                    return self
                        .unless_done(
                            request.case_id,
                            request.command_id,
                            &command.action,
                            Rejection::Refused(refusal),
                        )
                        .await;
                }
            };
            let envelopes = self.sealed(&stream, &events).await?;
            self.destroy_erased_keys(&events, context.now).await?;
            let version = current + events.len() as u64;
            let after = events.iter().fold(case, evolve);
            let status = CaseStatus::of(request.case_id, &after, version, &self.rules);
            let append = AppendRequest {
                stream_id: stream.clone(),
                expected_version: current,
                command_id: request.command_id,
                metadata: Metadata {
                    decided_at: Some(context.now),
                    ..metadata.clone()
                },
                events: envelopes,
                summary: Some(status.summary()),
            };
            let appended = self.store.append(append).await;
            match &appended {
                Ok(done) if !done.already_appended => {
                    self.remember(request.case_id, after, done.last_version)
                }
                _ => self.forget(request.case_id),
            }
            match appended {
                Ok(appended) if appended.already_appended => {
                    // The same command raced in from elsewhere and won: answer as it was answered.
                    return self
                        .first_outcome(
                            request.case_id,
                            request.command_id,
                            &command.action,
                            appended,
                        )
                        .await;
                }
                Ok(appended) => {
                    return Ok(Handled {
                        case_id: request.case_id,
                        version: appended.last_version,
                        first_position: appended.first_position,
                        last_position: appended.last_position,
                        events,
                        already_handled: false,
                        status: Some(status),
                    });
                }
                Err(AppendError::Conflict { .. }) if from_memory => {}
                Err(AppendError::Conflict { actual, .. }) if request.expected_version.is_some() => {
                    let expected = current;
                    return self
                        .unless_done(
                            request.case_id,
                            request.command_id,
                            &command.action,
                            Rejection::VersionMismatch { expected, actual },
                        )
                        .await;
                }
                Err(error) => {
                    retry_after(error)?;
                    tracing::debug!(case = %request.case_id, attempt, "the case changed while deciding; deciding again");
                }
            }
        }
        Err(Rejection::Contended {
            attempts: MAX_ATTEMPTS,
        }
        .into())
    }

    /// The events in envelopes for the log, each person's personal data sealed with their key
    /// (made for a person seen for the first time). A person whose key was destroyed meanwhile
    /// gets nothing more recorded about them.
    async fn sealed(
        &self,
        stream: &StreamId,
        events: &[Event],
    ) -> Result<Vec<NewEvent>, CommandError> {
        let mut envelopes: Vec<NewEvent> = events.iter().map(envelope).collect();
        let people: BTreeSet<uuid::Uuid> = envelopes
            .iter()
            .flat_map(|event| people_in(&event.payload))
            .collect();
        if people.is_empty() {
            return Ok(envelopes);
        }
        let offered: Vec<(uuid::Uuid, KeyBytes)> =
            people.iter().map(|person| (*person, new_key())).collect();
        let held = self
            .keys
            .keys_for_sealing(stream, &offered)
            .await
            .map_err(Failure::from)?;
        let mut keys = HashMap::with_capacity(people.len());
        for person in people {
            match held.get(&person) {
                Some(Held::Key(key)) => keys.insert(person, *key),
                _ => return Err(Refusal::PersonErased(PersonId::from_uuid(person)).into()),
            };
        }
        for envelope in &mut envelopes {
            seal(envelope, &keys).map_err(|person| {
                Failure::AppendRefused(format!("an event names person {person:?}, who has no key"))
            })?;
        }
        Ok(envelopes)
    }

    /// Destroys the key of everyone whose erasure `events` record, before the erasure itself is
    /// recorded: should the append then fail, the data is gone all the same, and the command
    /// given again records it.
    async fn destroy_erased_keys(
        &self,
        events: &[Event],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), Failure> {
        for event in events {
            if let Event::PersonalDataErased(erased) = event {
                let person = erased.person.as_uuid();
                if self.keys.destroy(person, now).await?.is_none() {
                    tracing::warn!(%person, "erasing a person the key vault has never seen: nothing of theirs was sealed");
                }
            }
        }
        Ok(())
    }

    /// Stored events with every entry of personal data opened that can be: those of people
    /// whose key was destroyed stay sealed.
    pub async fn opened(
        &self,
        mut events: Vec<RecordedEvent>,
    ) -> Result<Vec<RecordedEvent>, Failure> {
        let keys = self.keys_to_open(&events).await?;
        for event in &mut events {
            open(event, &keys)?;
        }
        Ok(events)
    }

    /// Those of `people` whose personal data can still be read: whose key has not been
    /// destroyed by an erasure. A read model that keeps personal data open asks this to drop
    /// an erased person the moment they are erased, before it has caught up with the erasure.
    pub async fn readable_people(
        &self,
        people: &[uuid::Uuid],
    ) -> Result<std::collections::HashSet<uuid::Uuid>, Failure> {
        Ok(self
            .keys
            .keys_for_opening(people)
            .await?
            .into_keys()
            .collect())
    }

    /// The keys that open the sealed entries of `events`, as far as they still exist.
    pub(crate) async fn keys_to_open(
        &self,
        events: &[RecordedEvent],
    ) -> Result<HashMap<uuid::Uuid, KeyBytes>, Failure> {
        let people = sealed_people(events);
        if people.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(self.keys.keys_for_opening(&people).await?)
    }

    fn remembered(&self, case_id: CaseId) -> Option<(Case, u64)> {
        self.recent
            .lock()
            .ok()
            .and_then(|mut recent| recent.get(&case_id).cloned())
    }

    /// Remembers a case as a command left it, unless a later version is remembered already
    /// (commands for one case may finish out of order).
    fn remember(&self, case_id: CaseId, case: Case, version: u64) {
        if let Ok(mut recent) = self.recent.lock()
            && recent
                .peek(&case_id)
                .is_none_or(|(_, known)| *known < version)
        {
            recent.put(case_id, (case, version));
        }
    }

    fn forget(&self, case_id: CaseId) {
        if let Ok(mut recent) = self.recent.lock() {
            recent.pop(&case_id);
        }
    }

    /// A case as its events make it, with the version and the events themselves.
    pub async fn load(&self, case_id: CaseId) -> Result<LoadedCase, Failure> {
        let stream = stream_id(case_id);
        let mut case = Case::default();
        let mut events = Vec::new();
        let mut version = 0;
        loop {
            let page = self
                .store
                .read_stream(&stream, version + 1, LOAD_PAGE)
                .await?;
            let full = page.len() == LOAD_PAGE;
            for recorded in self.opened(page).await? {
                let event = decode(&recorded)?;
                case = evolve(case, &event);
                version = recorded.stream_version;
                events.push((recorded, event));
            }
            if !full {
                return Ok(LoadedCase {
                    case,
                    version,
                    events,
                });
            }
        }
    }

    /// A case's history as `caller` may see it, oldest first.
    pub async fn history(
        &self,
        caller: &Caller,
        case_id: CaseId,
    ) -> Result<Vec<HistoryEntry>, CommandError> {
        let loaded = self.load_for(caller, case_id).await?;
        let protection = &loaded.case.protection;
        Ok(loaded
            .events
            .into_iter()
            .map(|(recorded, _)| {
                let (data, redacted) = visible_data(
                    caller.actor.role,
                    &recorded.event_type,
                    recorded.payload,
                    protection,
                );
                HistoryEntry {
                    position: recorded.position,
                    version: recorded.stream_version,
                    event_type: recorded.event_type,
                    recorded_at: recorded.recorded_at,
                    decided_at: recorded.metadata.decided_at,
                    actor: recorded.metadata.actor,
                    role: recorded.metadata.role,
                    data,
                    redacted,
                }
            })
            .collect())
    }

    /// A case as it stood at a past moment (a time, or a position of the log).
    pub async fn as_of(
        &self,
        caller: &Caller,
        case_id: CaseId,
        as_of: AsOf,
    ) -> Result<PastCase, CommandError> {
        let loaded = self.load_for(caller, case_id).await?;
        let (case, version) = fold_until(&loaded.events, as_of);
        // Before the case reached the caller's part (or before it was applied for) it did not
        // exist for them: the past shows them nothing.
        if !exists_for(caller.actor.role, &case) {
            return Err(Rejection::NoSuchCase { case_id }.into());
        }
        Ok(PastCase {
            case_id,
            as_of,
            case,
            version,
        })
    }

    /// The current status of a case, from the inline projection, for a caller who may see it;
    /// `None` when there is no such case, or none the caller has a part in.
    pub async fn status(
        &self,
        caller: &Caller,
        case_id: CaseId,
    ) -> Result<Option<CaseStatus>, CommandError> {
        authorize_read(caller, case_id)?;
        let Some(status) = self.stored_status(case_id).await? else {
            return Ok(None);
        };
        let involvement = match status.detail.involvement {
            Some(involvement) => involvement,
            // Written before the status kept it: the case's events say.
            None => self.load(case_id).await?.case.involvement,
        };
        Ok(has_part(caller.actor.role, &involvement).then_some(status))
    }

    /// A case for a caller to read: refused if it is not theirs to see, and answered as an
    /// unknown case is if it does not exist for them.
    pub(crate) async fn load_for(
        &self,
        caller: &Caller,
        case_id: CaseId,
    ) -> Result<LoadedCase, CommandError> {
        authorize_read(caller, case_id)?;
        let loaded = self.load(case_id).await?;
        if !exists_for(caller.actor.role, &loaded.case) {
            return Err(Rejection::NoSuchCase { case_id }.into());
        }
        Ok(loaded)
    }

    async fn stored_status(&self, case_id: CaseId) -> Result<Option<CaseStatus>, Failure> {
        let stored = self.store.read_summary(&stream_id(case_id)).await?;
        Ok(stored.and_then(|summary| CaseStatus::from_summary(case_id, &summary)))
    }

    /// Rejects the request, unless this very command has written already: then the case moved
    /// on because of it (a retry, or the same command racing in from elsewhere and winning),
    /// and the answer is its first outcome. Asked only on the way to a rejection, so the
    /// common path pays nothing for it.
    async fn unless_done(
        &self,
        case_id: CaseId,
        command_id: Uuid,
        action: &Action,
        rejection: Rejection,
    ) -> Result<Handled, CommandError> {
        match self.store.command_outcome(command_id).await? {
            Some(done) => self.first_outcome(case_id, command_id, action, done).await,
            None => Err(rejection.into()),
        }
    }

    /// The answer to a command id that has written before: its events, read back. The id is
    /// one command: sent with another command, or with other values, it is refused, not
    /// answered with what the id first did (the first command is rebuilt from its events, as
    /// the audit does, and compared).
    async fn first_outcome(
        &self,
        case_id: CaseId,
        command_id: Uuid,
        action: &Action,
        done: Appended,
    ) -> Result<Handled, CommandError> {
        if done.stream_id != stream_id(case_id) {
            return Err(Rejection::CommandIdReused { command_id }.into());
        }
        let count =
            usize::try_from(done.last_version + 1 - done.first_version).unwrap_or(usize::MAX);
        let recorded = self
            .opened(
                self.store
                    .read_stream(&done.stream_id, done.first_version, count)
                    .await?,
            )
            .await?;
        let events = recorded.iter().map(decode).collect::<Result<Vec<_>, _>>()?;
        // A first command that needed data erased since cannot be rebuilt: it is taken as the
        // same.
        if let Ok(first) = retur_domain::decide::command_of(&events)
            && first != *action
        {
            return Err(Rejection::CommandIdReusedOtherwise {
                command_id,
                first: first.kind(),
            }
            .into());
        }
        Ok(Handled {
            case_id,
            version: done.last_version,
            first_position: done.first_position,
            last_position: done.last_position,
            events,
            already_handled: true,
            status: self.stored_status(case_id).await?,
        })
    }
}

/// The ways to try a command on `case` today without what a caller would type: the command
/// itself when it needs nothing else; for one that names a person, one try per person; for
/// one that needs figures or text, a stand-in (one øre, today, a line of text) that the
/// case's own rules judge as they would judge any. `None` for a command whose every rule
/// beyond the case's state is about what is typed: it is offered by the state alone.
fn probes(kind: CommandKind, case: &Case, today: chrono::NaiveDate) -> Option<Vec<Action>> {
    use CommandKind as K;
    let people = case
        .application
        .as_ref()
        .map(|a| a.person_ids())
        .unwrap_or_default();
    let each = |action: fn(PersonId) -> Action| Some(people.iter().map(|p| action(*p)).collect());
    let one_ore = Money::new(Currency::NOK, 1);
    let text = || Statement::parse("-").expect("a statement of one character");
    Some(vec![match kind {
        K::BeginReview => Action::BeginReview,
        K::Approve => Action::Approve {
            particularly_vulnerable: Default::default(),
        },
        K::CloseAppealWindow => Action::CloseAppealWindow,
        K::HandOverToIom => Action::HandOverToIom,
        K::ReportNoShow => Action::ReportNoShow,
        K::ConfirmDeparture => Action::ConfirmDeparture { departed_on: today },
        K::ConfirmArrival => Action::ConfirmArrival { arrived_on: today },
        K::RecordSelfDeclaration => Action::RecordSelfDeclaration { signed_on: today },
        K::PayPocketMoney => Action::PayPocketMoney,
        K::FlagPayoutOverdue => Action::FlagPayoutOverdue,
        K::CloseCase => Action::CloseCase,
        K::Withdraw => Action::Withdraw,
        K::LapseTravelDeadline => Action::LapseTravelDeadline,
        K::LodgeAppeal => Action::LodgeAppeal {
            grounds: text(),
            posted_on: None,
        },
        K::AcceptLateAppeal => Action::AcceptLateAppeal {
            ground: LateAppealGround::SpecialReasons,
            reasoning: text(),
        },
        K::BookDeparture => Action::BookDeparture(stand_in_booking(today)),
        K::ClaimRepayment => Action::ClaimRepayment { amount: one_ore },
        K::PayReintegrationTranche => Action::PayReintegrationTranche {
            amount: one_ore,
            rates: ExchangeRates {
                nok_per_usd: PerUsd::parse("10").expect("a rate"),
                local_currency: Currency::USD,
                local_per_usd: PerUsd::parse("1").expect("a rate"),
            },
            payee: Payee::Cash,
        },
        K::RecordTravelDocument => {
            return Some(
                people
                    .iter()
                    .map(|person| Action::RecordTravelDocument {
                        person_id: *person,
                        document: TravelDocumentKind::Passport,
                        number: DocumentNumber::parse("X1").expect("a document number"),
                        valid_until: today + chrono::Duration::days(365),
                    })
                    .collect(),
            );
        }
        K::LiftRestriction => return each(|person| Action::LiftRestriction { person }),
        K::ErasePersonalData => return each(|person| Action::ErasePersonalData { person }),
        K::RestrictPersonalData => {
            return each(|person| Action::RestrictPersonalData {
                person,
                visible_to: [Role::Udi].into(),
            });
        }
        _ => return None,
    }])
}

/// A booking that the case's rules judge by its date alone: departing today.
fn stand_in_booking(today: chrono::NaiveDate) -> Booking {
    Booking {
        departs_on: today,
        flight: FlightNumber::parse("XX1").expect("a flight number"),
        from_airport: AirportCode::parse("OSL").expect("an airport"),
        to_airport: AirportCode::parse("OSL").expect("an airport"),
        meet_at: None,
    }
}
