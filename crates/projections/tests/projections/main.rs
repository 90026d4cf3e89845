//! The projections on a real log, SQLite and PostgreSQL: caught up page by page with the
//! checkpoint in the same transaction, resumed after a restart, rebuilt and swapped.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveTime};
use retur_app::{Caller, Cases, CommandRequest, ManualClock};
use retur_domain::command::Payee;
use retur_domain::travel::{AirportCode, Booking, FlightNumber};
use retur_domain::*;
use retur_projections::{PayoutLedger, Projector, RebuildProgress};
use retur_store::{EventStore, Upcasters};
use retur_testkit::TestDatabase;
use uuid::Uuid;

mod model;
mod queues;

macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    let database = retur_testkit::TestDatabase::sqlite();
                    crate::$test(&database).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    let Some(database) = retur_testkit::TestDatabase::postgres().await else { return };
                    crate::$test(&database).await;
                }
            )*
        }
    };
}

on_both_backends!(
    the_ledger_holds_every_payment_with_the_rates_used,
    a_restart_resumes_exactly_and_applies_nothing_twice,
    a_rebuild_swaps_in_equal_tables_while_appends_go_on,
    each_agency_sees_its_queues_and_who_holds_what,
    statistics_count_cases_and_measure_processing_times,
    a_rebuilt_case_index_equals_the_live_one_claims_and_all,
    a_running_projector_follows_the_log_until_shut_down,
    an_index_of_an_older_shape_is_rebuilt_from_the_log,
);

use queues::{
    a_rebuilt_case_index_equals_the_live_one_claims_and_all,
    a_running_projector_follows_the_log_until_shut_down,
    an_index_of_an_older_shape_is_rebuilt_from_the_log,
    each_agency_sees_its_queues_and_who_holds_what,
    statistics_count_cases_and_measure_processing_times,
};

struct World {
    store: Arc<dyn EventStore>,
    cases: Cases,
    clock: Arc<ManualClock>,
}

async fn world(database: &TestDatabase) -> World {
    let store = database.store(Upcasters::new()).await;
    let clock = Arc::new(ManualClock::new(noon("2025-03-03")));
    let rules = Arc::new(RuleBook::builtin().expect("rules"));
    World {
        cases: Cases::new(
            Arc::clone(&store),
            database.keys().await,
            rules,
            clock.clone(),
        ),
        store,
        clock,
    }
}

fn noon(day: &str) -> chrono::DateTime<chrono::Utc> {
    date(day)
        .and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon"))
        .and_utc()
}

fn date(day: &str) -> NaiveDate {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("a date")
}

fn caller(role: Role) -> Caller {
    let actor = Actor::new(
        role,
        ActorId::parse(&format!("{role}-1")).expect("an actor"),
    );
    Caller::agency(actor)
}

/// A single adult from Ethiopia returning home, asylum refused, no departure deadline.
fn application() -> Application {
    let principal = (
        HouseholdMember {
            person_id: PersonId::from_uuid(Uuid::from_u128(1)),
            relation: Relation::PrincipalApplicant,
        },
        PersonDetails {
            full_name: FullName::parse("Abebe Bekele").expect("name"),
            date_of_birth: date("1985-05-20"),
            duf_number: None,
            circumstances: SpecialCircumstances::default(),
        },
    );
    Application {
        household: Household::new(principal, vec![]).expect("household"),
        nationality: CountryCode::parse("ET").expect("ET"),
        return_country: CountryCode::parse("ET").expect("ET"),
        final_destination: Place::parse("Addis Ababa").expect("place"),
        situation: ImmigrationSituation::AsylumRefused,
        departure_deadline: None,
        previously_assisted_and_reimmigrated: false,
        refused_for_status_in_other_eea_country: false,
        contact: None,
    }
}

pub(crate) fn application_action() -> Action {
    Action::Submit(Box::new(application()))
}

/// A case taken from application to payout, paying `kroner` of its grant.
async fn paid_case(world: &World, kroner: i64) -> CaseId {
    world.clock.set(noon("2025-03-03"));
    let case = CaseId::from_uuid(Uuid::now_v7());
    let applicant = Caller::applicant(
        Actor::new(Role::Applicant, ActorId::parse("applicant-1").expect("id")),
        [case],
    );
    let application = application();
    let booking = Booking {
        departs_on: date("2025-03-03"),
        flight: FlightNumber::parse("ET715").expect("flight"),
        from_airport: AirportCode::parse("OSL").expect("OSL"),
        to_airport: AirportCode::parse("ADD").expect("ADD"),
        meet_at: None,
    };
    let rates = ExchangeRates {
        nok_per_usd: PerUsd::parse("10.5").expect("rate"),
        local_currency: Currency::parse("ETB").expect("ETB"),
        local_per_usd: PerUsd::parse("57.25").expect("rate"),
    };
    let steps: Vec<(Caller, Action)> = vec![
        (applicant, Action::Submit(Box::new(application))),
        (caller(Role::Udi), Action::BeginReview),
        (caller(Role::Udi), Action::approve()),
        (caller(Role::Udi), Action::HandOverToIom),
        (caller(Role::Iom), Action::BookDeparture(booking)),
        (
            caller(Role::Iom),
            Action::ConfirmDeparture {
                departed_on: date("2025-03-03"),
            },
        ),
        (caller(Role::Iom), Action::PayPocketMoney),
        (
            caller(Role::Iom),
            Action::ConfirmArrival {
                arrived_on: date("2025-03-03"),
            },
        ),
        (
            caller(Role::Iom),
            Action::RecordSelfDeclaration {
                signed_on: date("2025-03-03"),
            },
        ),
        (
            caller(Role::Iom),
            Action::PayReintegrationTranche {
                amount: Money::nok(kroner),
                rates,
                payee: Payee::Cash,
            },
        ),
    ];
    for (caller, action) in steps {
        let kind = action.kind();
        let request = CommandRequest {
            case_id: case,
            action,
            command_id: Uuid::now_v7(),
            correlation_id: Uuid::now_v7(),
            expected_version: None,
        };
        world
            .cases
            .handle(&caller, request)
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
    }
    case
}

/// The ledger a fold of the raw log gives: (position, kind, amount, currency), in log order.
async fn folded_ledger(store: &dyn EventStore) -> Vec<(u64, String, i64, String)> {
    let mut lines = Vec::new();
    let mut after = 0;
    loop {
        let page = store.read_all(after, 1000).await.expect("read");
        let Some(last) = page.last() else {
            return lines;
        };
        after = last.position;
        for recorded in &page {
            let event = Event::decode(
                &recorded.event_type,
                recorded.schema_version as u16,
                &recorded.payload,
            )
            .expect("decode");
            let line = match event {
                Event::PocketMoneyPaid(e) => Some(("pocket_money", e.amount)),
                Event::ReintegrationTranchePaid(e) => Some(("reintegration", e.amount)),
                Event::RepaymentClaimed(e) => Some(("repayment_claim", e.amount)),
                _ => None,
            };
            if let Some((kind, amount)) = line {
                lines.push((
                    recorded.position,
                    kind.to_owned(),
                    amount.minor_units,
                    amount.currency.to_string(),
                ));
            }
        }
    }
}

async fn projected_ledger(projector: &Projector) -> Vec<(u64, String, i64, String)> {
    PayoutLedger::entries(projector.pool())
        .await
        .expect("entries")
        .into_iter()
        .map(|e| (e.position, e.kind, e.amount_minor, e.currency))
        .collect()
}

async fn the_ledger_holds_every_payment_with_the_rates_used(database: &TestDatabase) {
    let world = world(database).await;
    let cases = [
        paid_case(&world, 15_000).await,
        paid_case(&world, 10_000).await,
    ];
    let projector = Projector::connect(&database.url(), Arc::clone(&world.store))
        .await
        .expect("projector");
    let applied = projector
        .catch_up(&PayoutLedger, None)
        .await
        .expect("catch up");
    let head = world.store.head().await.expect("head").position;
    assert_eq!(applied, head, "every event of the log passed through");
    assert_eq!(
        projector
            .checkpoint(&PayoutLedger)
            .await
            .expect("checkpoint"),
        head
    );

    let entries = PayoutLedger::entries(projector.pool())
        .await
        .expect("entries");
    assert_eq!(entries.len(), 4);
    let tranche = entries
        .iter()
        .find(|e| e.kind == "reintegration")
        .expect("a tranche");
    assert_eq!(
        (tranche.amount_minor, tranche.currency.as_str()),
        (1_500_000, "NOK")
    );
    assert_eq!(
        (
            tranche.nok_per_usd.as_deref(),
            tranche.local_per_usd.as_deref()
        ),
        (Some("10.5"), Some("57.25"))
    );
    assert_eq!(
        (
            tranche.usd_minor,
            tranche.local_minor,
            tranche.local_currency.as_deref()
        ),
        (Some(142_857), Some(8_178_563), Some("ETB"))
    );
    assert_eq!(tranche.method.as_deref(), Some("cash"));

    let totals = PayoutLedger::totals(projector.pool())
        .await
        .expect("totals");
    let second = format!("case-{}", cases[1]);
    let of = |kind: &str| {
        totals
            .iter()
            .find(|t| t.stream_id == second && t.kind == kind)
            .map(|t| (t.amount_minor, t.currency.clone()))
    };
    assert_eq!(of("reintegration"), Some((1_000_000, "NOK".to_owned())));
    assert_eq!(of("pocket_money"), Some((8_000, "USD".to_owned())));
    assert_eq!(
        projected_ledger(&projector).await,
        folded_ledger(world.store.as_ref()).await
    );
}

async fn a_restart_resumes_exactly_and_applies_nothing_twice(database: &TestDatabase) {
    let world = world(database).await;
    for _ in 0..3 {
        paid_case(&world, 15_000).await;
    }
    let first = Projector::connect(&database.url(), Arc::clone(&world.store))
        .await
        .expect("projector")
        .with_page_size(4);
    assert_eq!(
        first
            .catch_up(&PayoutLedger, Some(2))
            .await
            .expect("two pages"),
        8
    );
    assert_eq!(
        first.checkpoint(&PayoutLedger).await.expect("checkpoint"),
        8
    );
    drop(first);

    // A new process picks up at the checkpoint: the rest, once.
    let second = Projector::connect(&database.url(), Arc::clone(&world.store))
        .await
        .expect("projector")
        .with_page_size(4);
    let head = world.store.head().await.expect("head").position;
    assert_eq!(
        second
            .catch_up(&PayoutLedger, None)
            .await
            .expect("the rest"),
        head - 8
    );
    assert_eq!(
        second.catch_up(&PayoutLedger, None).await.expect("nothing"),
        0
    );
    assert_eq!(
        projected_ledger(&second).await,
        folded_ledger(world.store.as_ref()).await
    );
}

async fn a_rebuild_swaps_in_equal_tables_while_appends_go_on(database: &TestDatabase) {
    let world = Arc::new(world(database).await);
    for _ in 0..4 {
        paid_case(&world, 15_000).await;
    }
    let projector = Projector::connect(&database.url(), Arc::clone(&world.store))
        .await
        .expect("projector")
        .with_page_size(5);
    projector
        .catch_up(&PayoutLedger, None)
        .await
        .expect("catch up");
    let before = projected_ledger(&projector).await;

    // More cases are paid while the rebuild runs.
    let writer = {
        let world = Arc::clone(&world);
        tokio::spawn(async move {
            for _ in 0..3 {
                paid_case(&world, 12_000).await;
            }
        })
    };
    let mut reports: Vec<RebuildProgress> = Vec::new();
    let rebuilt_to = projector
        .rebuild(&PayoutLedger, |progress| reports.push(progress))
        .await
        .expect("rebuild");
    writer.await.expect("writer");
    assert!(
        reports.windows(2).all(|pair| pair[0].done <= pair[1].done),
        "progress only goes forward"
    );
    assert_eq!(reports.last().map(|p| p.done), Some(rebuilt_to));
    assert_eq!(
        projector
            .checkpoint(&PayoutLedger)
            .await
            .expect("checkpoint"),
        rebuilt_to
    );

    projector
        .catch_up(&PayoutLedger, None)
        .await
        .expect("catch up after the swap");
    let after = projected_ledger(&projector).await;
    assert_eq!(
        after,
        folded_ledger(world.store.as_ref()).await,
        "rebuilt tables equal a fold of the log"
    );
    assert_eq!(
        &after[..before.len()],
        &before[..],
        "the rebuild reproduced what was there"
    );
}
