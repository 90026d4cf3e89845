//! A case system on a fresh database, with a clock the test moves; the days, bookings and
//! statements from the fixture kit (`retur_domain::testing`).

use std::sync::Arc;

use retur_app::{Caller, Cases, CommandError, CommandRequest, Handled, ManualClock};
use retur_domain::*;
use retur_store::Upcasters;
use retur_testkit::TestDatabase;

pub(crate) use retur_domain::testing::{booking, date, noon, statement};
use uuid::Uuid;

pub(crate) struct App {
    pub(crate) cases: Cases,
    pub(crate) clock: Arc<ManualClock>,
    /// The database's URL, for tampering with it past the store.
    pub(crate) database_url: String,
}

impl App {
    pub(crate) async fn on(database: &TestDatabase) -> App {
        let store = database.store(Upcasters::new()).await;
        let clock = Arc::new(ManualClock::new(noon("2025-03-03")));
        let rules = Arc::new(RuleBook::builtin().expect("the shipped rules"));
        App {
            cases: Cases::new(store, database.keys().await, rules, clock.clone()),
            clock,
            database_url: database.url(),
        }
    }

    pub(crate) fn on_day(&self, day: &str) {
        self.clock.set(noon(day));
    }

    /// Gives a command with a fresh command id.
    pub(crate) async fn give(
        &self,
        caller: &Caller,
        case_id: CaseId,
        action: Action,
    ) -> Result<Handled, CommandError> {
        self.cases.handle(caller, request(case_id, action)).await
    }

    /// Gives a command that must be accepted.
    pub(crate) async fn ok(&self, caller: &Caller, case_id: CaseId, action: Action) -> Handled {
        let kind = action.kind();
        self.give(caller, case_id, action)
            .await
            .unwrap_or_else(|e| panic!("{kind} was not accepted: {e}"))
    }
}

pub(crate) fn request(case_id: CaseId, action: Action) -> CommandRequest {
    CommandRequest {
        case_id,
        action,
        command_id: Uuid::now_v7(),
        correlation_id: Uuid::now_v7(),
        expected_version: None,
    }
}

pub(crate) fn new_case() -> CaseId {
    CaseId::from_uuid(Uuid::now_v7())
}

fn actor(role: Role, name: &str) -> Actor {
    Actor::new(role, ActorId::parse(name).expect("an actor id"))
}

pub(crate) fn udi() -> Caller {
    Caller::agency(actor(Role::Udi, "udi-kari"))
}
pub(crate) fn udi_other() -> Caller {
    Caller::agency(actor(Role::Udi, "udi-ola"))
}
pub(crate) fn iom() -> Caller {
    Caller::agency(actor(Role::Iom, "iom-amina"))
}
pub(crate) fn auditor() -> Caller {
    Caller::agency(actor(Role::Auditor, "auditor-1"))
}
pub(crate) fn applicant_of(case_id: CaseId) -> Caller {
    Caller::applicant(actor(Role::Applicant, "applicant-1"), [case_id])
}

/// A single adult from Ethiopia returning home, asylum refused, no departure deadline.
pub(crate) fn application() -> Action {
    let principal = (
        HouseholdMember {
            person_id: PersonId::from_uuid(Uuid::from_u128(1)),
            relation: Relation::PrincipalApplicant,
        },
        PersonDetails {
            full_name: FullName::parse("Abebe Bekele").expect("a name"),
            date_of_birth: date("1985-05-20"),
            duf_number: None,
            circumstances: SpecialCircumstances::default(),
        },
    );
    Action::Submit(Box::new(Application {
        household: Household::new(principal, vec![]).expect("a household"),
        nationality: CountryCode::parse("ET").expect("ET"),
        return_country: CountryCode::parse("ET").expect("ET"),
        final_destination: Place::parse("Addis Ababa").expect("a place"),
        situation: ImmigrationSituation::AsylumRefused,
        departure_deadline: None,
        previously_assisted_and_reimmigrated: false,
        refused_for_status_in_other_eea_country: false,
        contact: None,
    }))
}

/// A case applied for, reviewed and refused by UDI on `day` (the clock is moved there): three
/// commands.
pub(crate) async fn refused_on(app: &App, day: &str) -> CaseId {
    app.on_day(day);
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    app.ok(&udi(), case, Action::BeginReview).await;
    app.ok(
        &udi(),
        case,
        Action::Refuse {
            reasons: statement("No."),
            notified_on: date(day),
        },
    )
    .await;
    case
}
