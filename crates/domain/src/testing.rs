//! One fixture kit for every layer's tests, the demo and the bench: the actors, an application
//! built up member by member, a booking, a well-formed command of every kind ([`sample`]) and a
//! varied, plausible one ([`plausible`]), and the story harness that gives commands through
//! `decide` and folds them with `evolve`. Behind the `testing` feature: nothing here is part of
//! the product.

use std::sync::OnceLock;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use uuid::Uuid;

use crate::application::{HouseholdMember, PersonDetails};
use crate::case::Case;
use crate::command::Payee;
use crate::money::ExchangeRates;
use crate::travel::{
    AccountNumber, AirportCode, BankAccount, Booking, DismissalGround, DocumentNumber,
    FlightNumber, LateAppealGround, RescheduleCause, TravelDocumentKind,
};
use crate::*;

pub fn rules() -> &'static RuleBook {
    static RULES: OnceLock<RuleBook> = OnceLock::new();
    RULES.get_or_init(|| RuleBook::builtin().expect("the shipped rule files load"))
}

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
}

/// Noon UTC on a date: the same date in Oslo, winter and summer.
pub fn noon(text: &str) -> DateTime<Utc> {
    date(text)
        .and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon"))
        .and_utc()
}

pub fn person(n: u128) -> PersonId {
    PersonId::from_uuid(Uuid::from_u128(n))
}

pub fn actor(role: Role) -> Actor {
    Actor::new(
        role,
        ActorId::parse(&format!("{role}-caseworker-1")).expect("an actor id"),
    )
}

pub fn udi() -> Actor {
    actor(Role::Udi)
}
pub fn une() -> Actor {
    actor(Role::Une)
}
pub fn iom() -> Actor {
    actor(Role::Iom)
}
pub fn applicant() -> Actor {
    actor(Role::Applicant)
}
pub fn system() -> Actor {
    actor(Role::System)
}

pub fn country(code: &str) -> CountryCode {
    CountryCode::parse(code).expect("a country code")
}

pub fn statement(text: &str) -> Statement {
    Statement::parse(text).expect("a statement")
}

/// One member of a household, described as a test wants it.
#[derive(Clone, Debug)]
pub struct Member {
    pub id: u128,
    pub relation: Relation,
    pub born: &'static str,
    pub unaccompanied_minor: bool,
    pub possible_trafficking_victim: bool,
}

pub fn adult(id: u128) -> Member {
    Member {
        id,
        relation: Relation::PrincipalApplicant,
        born: "1985-05-20",
        unaccompanied_minor: false,
        possible_trafficking_victim: false,
    }
}

impl Member {
    pub fn as_(mut self, relation: Relation) -> Self {
        self.relation = relation;
        self
    }
    pub fn born(mut self, born: &'static str) -> Self {
        self.born = born;
        self
    }
    pub fn unaccompanied_minor(mut self) -> Self {
        self.unaccompanied_minor = true;
        self
    }
    pub fn trafficking_victim(mut self) -> Self {
        self.possible_trafficking_victim = true;
        self
    }
    fn build(&self) -> (HouseholdMember, PersonDetails) {
        (
            HouseholdMember {
                person_id: person(self.id),
                relation: self.relation,
            },
            PersonDetails {
                full_name: FullName::parse(&format!("Person {}", self.id)).expect("a name"),
                date_of_birth: date(self.born),
                duf_number: Some(DufNumber::parse("2019 123456 01").expect("a DUF number")),
                circumstances: SpecialCircumstances {
                    unaccompanied_minor: self.unaccompanied_minor,
                    possible_trafficking_victim: self.possible_trafficking_victim,
                },
            },
        )
    }
}

/// An application, described as a test wants it; `build` gives the domain value.
#[derive(Clone, Debug)]
pub struct ApplicationSpec {
    pub people: Vec<Member>,
    pub nationality: &'static str,
    pub return_country: &'static str,
    pub situation: ImmigrationSituation,
    pub departure_deadline: Option<&'static str>,
    pub previously_assisted_and_reimmigrated: bool,
    pub refused_for_status_in_other_eea_country: bool,
}

/// A single adult from Ethiopia returning home, asylum refused, no departure deadline. Ethiopia
/// is on no exclusion list and has no country programme: the standard rules apply.
pub fn application() -> ApplicationSpec {
    ApplicationSpec {
        people: vec![adult(1)],
        nationality: "ET",
        return_country: "ET",
        situation: ImmigrationSituation::AsylumRefused,
        departure_deadline: None,
        previously_assisted_and_reimmigrated: false,
        refused_for_status_in_other_eea_country: false,
    }
}

impl ApplicationSpec {
    pub fn with(mut self, member: Member) -> Self {
        self.people.push(member);
        self
    }
    pub fn principal(mut self, principal: Member) -> Self {
        self.people[0] = principal;
        self
    }
    pub fn nationality(mut self, nationality: &'static str) -> Self {
        self.nationality = nationality;
        self.return_country = nationality;
        self
    }
    pub fn returning_to(mut self, return_country: &'static str) -> Self {
        self.return_country = return_country;
        self
    }
    pub fn situation(mut self, situation: ImmigrationSituation) -> Self {
        self.situation = situation;
        self
    }
    pub fn deadline(mut self, deadline: &'static str) -> Self {
        self.departure_deadline = Some(deadline);
        self
    }
    pub fn reimmigrated(mut self) -> Self {
        self.previously_assisted_and_reimmigrated = true;
        self
    }
    pub fn status_in_other_eea_country(mut self) -> Self {
        self.refused_for_status_in_other_eea_country = true;
        self
    }
    /// The household, or why it is not a valid one.
    pub fn household(&self) -> Result<Household, InvalidValue> {
        let mut people = self.people.iter().map(Member::build);
        let principal = people.next().expect("a principal applicant");
        Household::new(principal, people.collect())
    }
    pub fn build(&self) -> Application {
        Application {
            household: self.household().expect("a valid household"),
            nationality: country(self.nationality),
            return_country: country(self.return_country),
            final_destination: Place::parse("Addis Ababa").expect("a place"),
            situation: self.situation,
            departure_deadline: self.departure_deadline.map(date),
            previously_assisted_and_reimmigrated: self.previously_assisted_and_reimmigrated,
            refused_for_status_in_other_eea_country: self.refused_for_status_in_other_eea_country,
            contact: None,
        }
    }
}

pub fn booking(departs_on: &str) -> Booking {
    Booking {
        departs_on: date(departs_on),
        flight: FlightNumber::parse("ET715").expect("a flight"),
        from_airport: AirportCode::parse("OSL").expect("an airport"),
        to_airport: AirportCode::parse("ADD").expect("an airport"),
        meet_at: None,
    }
}

pub fn rates(nok_per_usd: &str, local: &str, local_per_usd: &str) -> ExchangeRates {
    ExchangeRates {
        nok_per_usd: PerUsd::parse(nok_per_usd).expect("a rate"),
        local_currency: Currency::parse(local).expect("a currency"),
        local_per_usd: PerUsd::parse(local_per_usd).expect("a rate"),
    }
}

pub fn bank_transfer(to: u128) -> Payee {
    Payee::BankTransfer {
        person_id: person(to),
        account: BankAccount {
            account: AccountNumber::parse("ET12 3456 7890 1234").expect("an account"),
            holder: FullName::parse(&format!("Person {to}")).expect("a name"),
        },
    }
}

/// An appeal posted on `posted_on` (today when `None`).
pub fn appeal(posted_on: Option<&str>) -> Action {
    Action::LodgeAppeal {
        grounds: statement("The Swedish permit expired in 2023."),
        posted_on: posted_on.map(date),
    }
}

pub fn tranche(kroner: i64) -> Action {
    Action::PayReintegrationTranche {
        amount: Money::nok(kroner),
        rates: rates("10.50", "ETB", "57.25"),
        payee: Payee::Cash,
    }
}

/// A case's history and the date it is now, for giving the next command.
#[derive(Clone, Debug)]
pub struct Story {
    pub case: Case,
    pub events: Vec<Event>,
    pub today: NaiveDate,
}

/// What a command led to: the events and the story after them, or the refusal.
#[derive(Debug)]
pub struct Outcome {
    story: Story,
    result: Result<Vec<Event>, Refusal>,
    command: String,
}

/// A case that does not exist yet, on 3 March 2025.
pub fn story() -> Story {
    Story {
        case: Case::default(),
        events: Vec::new(),
        today: date("2025-03-03"),
    }
}

impl Story {
    /// The same case on another date.
    pub fn on(&self, day: &str) -> Story {
        Story {
            today: date(day),
            ..self.clone()
        }
    }

    /// Gives a command today.
    pub fn when(&self, actor: Actor, action: Action) -> Outcome {
        let command = Command::new(actor, action);
        let context = Context {
            now: noon(&self.today.to_string()),
            rules: rules(),
        };
        let result = decide(&self.case, &command, &context);
        Outcome {
            story: self.clone(),
            result,
            command: format!("{command:?}"),
        }
    }

    /// Gives a command that must be accepted, and goes on from its events.
    pub fn then_do(&self, actor: Actor, action: Action) -> Story {
        self.when(actor, action).accepted()
    }

    pub fn status(&self) -> Status {
        self.case.status
    }

    pub fn last(&self) -> &Event {
        self.events.last().expect("at least one event")
    }

    // ---- The common paths, one step each, so a test starts where it needs to.

    pub fn submitted(&self, application: &ApplicationSpec) -> Story {
        self.then_do(applicant(), Action::Submit(Box::new(application.build())))
    }
    pub fn under_review(&self) -> Story {
        self.then_do(udi(), Action::BeginReview)
    }
    pub fn approved(&self) -> Story {
        self.then_do(udi(), Action::approve())
    }
    /// Refused by UDI on the day the applicant is notified.
    pub fn refused(&self, notified_on: &str) -> Story {
        self.on(notified_on).then_do(
            udi(),
            Action::Refuse {
                reasons: statement("The applicant holds a residence permit in Sweden."),
                notified_on: date(notified_on),
            },
        )
    }
    /// Appealed, posted and registered today.
    pub fn appealed(&self) -> Story {
        self.then_do(applicant(), appeal(None))
    }
    pub fn forwarded(&self) -> Story {
        self.then_do(
            udi(),
            Action::ForwardToUne {
                assessment: statement("UDI maintains its refusal."),
            },
        )
    }
    pub fn handed_over(&self) -> Story {
        self.then_do(udi(), Action::HandOverToIom)
    }
    pub fn booked(&self, departs_on: &str) -> Story {
        self.then_do(iom(), Action::BookDeparture(booking(departs_on)))
    }
    pub fn departed(&self, departed_on: &str) -> Story {
        self.on(departed_on).then_do(
            iom(),
            Action::ConfirmDeparture {
                departed_on: date(departed_on),
            },
        )
    }
    pub fn arrived(&self, arrived_on: &str) -> Story {
        self.on(arrived_on).then_do(
            iom(),
            Action::ConfirmArrival {
                arrived_on: date(arrived_on),
            },
        )
    }
    pub fn declared(&self) -> Story {
        let signed_on = self.today.to_string();
        self.then_do(
            iom(),
            Action::RecordSelfDeclaration {
                signed_on: date(&signed_on),
            },
        )
    }
    /// Revoked by UDI on the day the applicant is notified.
    pub fn revoked(&self, notified_on: &str) -> Story {
        self.on(notified_on).then_do(
            udi(),
            Action::RevokeApproval {
                reasons: statement("Identity documents were found false."),
                notified_on: date(notified_on),
            },
        )
    }

    /// Submitted on 3 March 2025, approved on 10 March, handed over, booked for 1 April,
    /// departed and arrived on 1 April.
    pub fn arrived_case(application: &ApplicationSpec) -> Story {
        story()
            .submitted(application)
            .on("2025-03-10")
            .under_review()
            .approved()
            .handed_over()
            .booked("2025-04-01")
            .departed("2025-04-01")
            .arrived("2025-04-01")
    }
}

impl Outcome {
    /// The command was accepted with events of exactly these types; the story goes on from them.
    pub fn then(self, expected: &[&str]) -> Story {
        let command = self.command.clone();
        let story = self.story.clone();
        let events = self
            .result
            .unwrap_or_else(|refusal| panic!("{command} was refused: {refusal}"));
        let types: Vec<&str> = events.iter().map(Event::event_type).collect();
        assert_eq!(types, expected, "{command} led to other events");
        apply(story, events)
    }

    /// The command was accepted; the story goes on from its events.
    pub fn accepted(self) -> Story {
        let command = self.command.clone();
        let story = self.story.clone();
        let events = self
            .result
            .unwrap_or_else(|refusal| panic!("{command} was refused: {refusal}"));
        assert!(!events.is_empty(), "{command} was accepted with no events");
        apply(story, events)
    }

    /// The command was refused by the rule with this code; returns the refusal to look into.
    pub fn refused(self, code: &str) -> Refusal {
        match self.result {
            Ok(events) => panic!(
                "{} was accepted with {:?}, expected refusal {code}",
                self.command, events
            ),
            Err(refusal) => {
                assert_eq!(
                    refusal.code(),
                    code,
                    "{} was refused for another reason: {refusal}",
                    self.command
                );
                refusal
            }
        }
    }

    /// The events, for a closer look.
    pub fn events(self) -> Vec<Event> {
        let command = self.command;
        self.result
            .unwrap_or_else(|refusal| panic!("{command} was refused: {refusal}"))
    }
}

fn apply(mut story: Story, events: Vec<Event>) -> Story {
    for event in events {
        story.case = evolve(story.case, &event);
        story.events.push(event);
    }
    story
}

/// A well-formed action of every kind, with fixed values, for tests that go over all commands
/// (roles, states) and snapshots.
pub fn sample(kind: CommandKind) -> Action {
    use CommandKind as K;
    let reasoning = statement("Reasoning.");
    match kind {
        K::Submit => Action::Submit(Box::new(application().build())),
        K::BeginReview => Action::BeginReview,
        K::Approve => Action::approve(),
        K::Refuse => Action::Refuse {
            reasons: reasoning,
            notified_on: date("2025-03-03"),
        },
        K::LodgeAppeal => Action::LodgeAppeal {
            grounds: reasoning,
            posted_on: None,
        },
        K::AcceptLateAppeal => Action::AcceptLateAppeal {
            ground: LateAppealGround::NotToBlame,
            reasoning,
        },
        K::ReverseDecision => Action::ReverseDecision {
            reasoning,
            particularly_vulnerable: Default::default(),
        },
        K::DismissAppeal => Action::DismissAppeal {
            ground: DismissalGround::Late,
            reasoning,
        },
        K::ForwardToUne => Action::ForwardToUne {
            assessment: reasoning,
        },
        K::AllowAppeal => Action::AllowAppeal {
            reasoning,
            particularly_vulnerable: Default::default(),
        },
        K::RejectAppeal => Action::RejectAppeal { reasoning },
        K::QuashDecision => Action::QuashDecision { reasoning },
        K::DismissAppealAtUne => Action::DismissAppealAtUne {
            ground: DismissalGround::NotAParty,
            reasoning,
        },
        K::CloseAppealWindow => Action::CloseAppealWindow,
        K::HandOverToIom => Action::HandOverToIom,
        K::RequestTravelDocument => Action::RequestTravelDocument {
            persons: vec![person(1)],
            document: TravelDocumentKind::EmergencyTravelDocument,
            issuing_country: country("ET"),
        },
        K::RecordTravelDocument => Action::RecordTravelDocument {
            person_id: person(1),
            document: TravelDocumentKind::EmergencyTravelDocument,
            number: DocumentNumber::parse("ETD-0001").expect("a number"),
            valid_until: date("2026-01-01"),
        },
        K::BookDeparture => Action::BookDeparture(booking("2025-04-01")),
        K::RescheduleDeparture => Action::RescheduleDeparture {
            cause: RescheduleCause::IomOrAirline,
            booking: booking("2025-04-08"),
        },
        K::ReportNoShow => Action::ReportNoShow,
        K::RebookDeparture => Action::RebookDeparture(booking("2025-04-15")),
        K::ConfirmDeparture => Action::ConfirmDeparture {
            departed_on: date("2025-04-01"),
        },
        K::ConfirmArrival => Action::ConfirmArrival {
            arrived_on: date("2025-04-01"),
        },
        K::RecordSelfDeclaration => Action::RecordSelfDeclaration {
            signed_on: date("2025-03-20"),
        },
        K::PayPocketMoney => Action::PayPocketMoney,
        K::PayReintegrationTranche => tranche(15_000),
        K::FlagPayoutOverdue => Action::FlagPayoutOverdue,
        K::CloseCase => Action::CloseCase,
        K::Withdraw => Action::Withdraw,
        K::RevokeApproval => Action::RevokeApproval {
            reasons: reasoning,
            notified_on: date("2025-03-20"),
        },
        K::LapseTravelDeadline => Action::LapseTravelDeadline,
        K::RecordForcedReturn => Action::RecordForcedReturn {
            returned_on: date("2025-03-20"),
        },
        K::RecordReEntry => Action::RecordReEntry {
            re_entered_on: date("2025-06-01"),
        },
        K::ClaimRepayment => Action::ClaimRepayment {
            amount: Money::nok(15_000),
        },
        K::RestrictPersonalData => Action::RestrictPersonalData {
            person: person(1),
            visible_to: [Role::Udi, Role::Auditor].into(),
        },
        K::LiftRestriction => Action::LiftRestriction { person: person(1) },
        K::ErasePersonalData => Action::ErasePersonalData { person: person(1) },
    }
}

/// An action of `kind` shaped by `case` and varied by `seed`, so that it is often, not always,
/// acceptable: for runs that give many commands at random (the domain's properties, the read
/// models' model test). A submission is the standard [`application`].
pub fn plausible(kind: CommandKind, case: &Case, today: NaiveDate, seed: u32) -> Action {
    let later = |days: u32| {
        today
            .checked_add_days(Days::new(u64::from(days)))
            .unwrap_or(today)
    };
    let earlier = |days: u32| {
        today
            .checked_sub_days(Days::new(u64::from(days)))
            .unwrap_or(today)
    };
    let people = case
        .application
        .as_ref()
        .map(|a| a.person_ids())
        .unwrap_or_default();
    let someone = people
        .get(seed as usize % people.len().max(1))
        .copied()
        .unwrap_or(person(99));
    let text = statement("Stated for the record.");
    let nok = |kroner: i64| Money::nok(kroner);
    match kind {
        CommandKind::Refuse => Action::Refuse {
            reasons: text,
            notified_on: earlier(seed % 3),
        },
        CommandKind::RevokeApproval => Action::RevokeApproval {
            reasons: text,
            notified_on: earlier(seed % 3),
        },
        // Posted today, some days before it was registered (often across the deadline), or
        // (rarely, and refused) tomorrow.
        CommandKind::LodgeAppeal => Action::LodgeAppeal {
            grounds: text,
            posted_on: match seed % 4 {
                0 => None,
                1 | 2 => Some(earlier(seed % 12)),
                _ if seed.is_multiple_of(7) => Some(later(1)),
                _ => Some(today),
            },
        },
        CommandKind::AcceptLateAppeal => Action::AcceptLateAppeal {
            ground: if seed.is_multiple_of(2) {
                LateAppealGround::NotToBlame
            } else {
                LateAppealGround::SpecialReasons
            },
            reasoning: text,
        },
        CommandKind::DismissAppeal => Action::DismissAppeal {
            ground: DismissalGround::Late,
            reasoning: text,
        },
        CommandKind::DismissAppealAtUne => Action::DismissAppealAtUne {
            ground: DismissalGround::NotAParty,
            reasoning: text,
        },
        CommandKind::RequestTravelDocument => Action::RequestTravelDocument {
            persons: if seed.is_multiple_of(13) {
                vec![person(99)]
            } else {
                people.iter().copied().take(1 + seed as usize % 3).collect()
            },
            document: TravelDocumentKind::EmergencyTravelDocument,
            issuing_country: country("ET"),
        },
        CommandKind::RecordTravelDocument => Action::RecordTravelDocument {
            person_id: case
                .travel
                .first_pending_document()
                .filter(|_| !seed.is_multiple_of(7))
                .unwrap_or(someone),
            document: TravelDocumentKind::EmergencyTravelDocument,
            number: DocumentNumber::parse("ETD-1").expect("a document number"),
            valid_until: later(if seed.is_multiple_of(11) { 0 } else { 365 }),
        },
        CommandKind::BookDeparture => Action::BookDeparture(booking(&later(seed % 40).to_string())),
        // Mostly within the travel deadline, where one is still ahead: a no-show is often
        // reported late, and a rebooking past the deadline is refused.
        CommandKind::RebookDeparture => {
            let departs_on = case
                .approval
                .as_ref()
                .map(|a| a.travel_deadline)
                .filter(|deadline| *deadline >= today && !seed.is_multiple_of(5))
                .map_or(later(seed % 40), |deadline| deadline.min(later(seed % 40)));
            Action::RebookDeparture(booking(&departs_on.to_string()))
        }
        CommandKind::RescheduleDeparture => Action::RescheduleDeparture {
            cause: if seed.is_multiple_of(2) {
                RescheduleCause::MedicalCertificate
            } else {
                RescheduleCause::IomOrAirline
            },
            booking: booking(&later(seed % 40).to_string()),
        },
        CommandKind::ConfirmDeparture => Action::ConfirmDeparture {
            departed_on: case
                .travel
                .booking
                .as_ref()
                .map(|b| b.departs_on)
                .filter(|_| !seed.is_multiple_of(5))
                .unwrap_or(today),
        },
        CommandKind::ConfirmArrival => Action::ConfirmArrival {
            arrived_on: earlier(seed % 2),
        },
        CommandKind::RecordSelfDeclaration => Action::RecordSelfDeclaration {
            signed_on: earlier(seed % 2),
        },
        CommandKind::PayReintegrationTranche => {
            let outstanding = case.cash_outstanding().minor_units / 100;
            let amount = match seed % 5 {
                0 => outstanding,
                1 => outstanding / 2,
                2 => outstanding + 1,
                3 => i64::from(seed % 20_000),
                _ => 7_500,
            };
            let payee = if seed.is_multiple_of(3) {
                bank_transfer(1)
            } else {
                Payee::Cash
            };
            Action::PayReintegrationTranche {
                amount: nok(amount),
                rates: rates("10.50", "ETB", "57.25"),
                payee,
            }
        }
        CommandKind::RecordForcedReturn => Action::RecordForcedReturn {
            returned_on: earlier(seed % 2),
        },
        CommandKind::RecordReEntry => Action::RecordReEntry {
            re_entered_on: earlier(seed % 3),
        },
        CommandKind::ClaimRepayment => {
            let paid = case.payout.reintegration_paid.minor_units / 100;
            Action::ClaimRepayment {
                amount: nok(if seed.is_multiple_of(2) {
                    paid
                } else {
                    i64::from(seed % 30_000)
                }),
            }
        }
        CommandKind::RestrictPersonalData => Action::RestrictPersonalData {
            person: someone,
            visible_to: Role::ALL
                .into_iter()
                .filter(|role| seed & (1 << (*role as u32)) != 0)
                .collect(),
        },
        CommandKind::LiftRestriction => Action::LiftRestriction { person: someone },
        CommandKind::ErasePersonalData => Action::ErasePersonalData { person: someone },
        other => sample(other),
    }
}

/// Who gives each command, written out as the process is described (docs/domain.md, "Who
/// gives each command"; the seeds of udi.no, une.no and iom.int on who decides, hears and
/// pays): a reader checks this list, not the code, and the tests check the code against it
/// (`CommandKind::owner`, the app's `may_give`). A new command is added here by hand.
pub const OWNERS: [(&str, Role); 37] = [
    ("submit", Role::Applicant),
    ("lodge_appeal", Role::Applicant),
    ("withdraw", Role::Applicant),
    ("begin_review", Role::Udi),
    ("approve", Role::Udi),
    ("refuse", Role::Udi),
    ("accept_late_appeal", Role::Udi),
    ("reverse_decision", Role::Udi),
    ("dismiss_appeal", Role::Udi),
    ("forward_to_une", Role::Udi),
    ("hand_over_to_iom", Role::Udi),
    ("revoke_approval", Role::Udi),
    ("record_forced_return", Role::Udi),
    ("record_re_entry", Role::Udi),
    ("claim_repayment", Role::Udi),
    ("restrict_personal_data", Role::Udi),
    ("lift_restriction", Role::Udi),
    ("erase_personal_data", Role::Udi),
    ("allow_appeal", Role::Une),
    ("reject_appeal", Role::Une),
    ("quash_decision", Role::Une),
    ("dismiss_appeal_at_une", Role::Une),
    ("request_travel_document", Role::Iom),
    ("record_travel_document", Role::Iom),
    ("book_departure", Role::Iom),
    ("reschedule_departure", Role::Iom),
    ("report_no_show", Role::Iom),
    ("rebook_departure", Role::Iom),
    ("confirm_departure", Role::Iom),
    ("confirm_arrival", Role::Iom),
    ("record_self_declaration", Role::Iom),
    ("pay_pocket_money", Role::Iom),
    ("pay_reintegration_tranche", Role::Iom),
    ("close_case", Role::Iom),
    ("close_appeal_window", Role::System),
    ("flag_payout_overdue", Role::System),
    ("lapse_travel_deadline", Role::System),
];
