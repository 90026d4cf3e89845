//! The demo: about fifty cases, each taken along one path of the lifecycle with realistic
//! dates, then each agency's queues, the status of every case, the payout ledger and the audit.

use std::sync::Arc;
use strum::VariantArray as _;

use anyhow::Context as _;
use chrono::{Duration, NaiveDate, NaiveTime};
use retur_app::{Caller, CommandRequest, ManualClock};
use retur_domain::command::Payee;
use retur_domain::travel::{
    AirportCode, Booking, DismissalGround, DocumentNumber, FlightNumber, LateAppealGround,
    TravelDocumentKind,
};
use retur_domain::*;
use retur_projections::PayoutLedger;
use uuid::Uuid;

use crate::System;

/// One person of a demo household: relation, date of birth, unaccompanied minor, possible victim.
type Member = (Relation, &'static str, bool, bool);

struct Script {
    system: System,
    clock: Arc<ManualClock>,
    day: NaiveDate,
    cases: Vec<(CaseId, String)>,
}

fn caller(role: Role, name: &str) -> Caller {
    Caller::agency(Actor::new(
        role,
        ActorId::parse(name).expect("a valid actor id"),
    ))
}

fn udi() -> Caller {
    caller(Role::Udi, "udi-kari")
}
fn une() -> Caller {
    caller(Role::Une, "une-per")
}
fn iom() -> Caller {
    caller(Role::Iom, "iom-amina")
}
fn scheduler() -> Caller {
    caller(Role::System, "deadline-scheduler")
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a demo date")
}

fn said(text: &str) -> Statement {
    Statement::parse(text).expect("a demo statement")
}

impl Script {
    fn at(&mut self, day: NaiveDate) {
        self.day = day;
        self.clock.set(
            day.and_time(NaiveTime::from_hms_opt(10, 0, 0).expect("10:00"))
                .and_utc(),
        );
    }

    fn later(&mut self, days: i64) {
        let day = self.day + Duration::days(days);
        self.at(day);
    }

    async fn go(&self, who: &Caller, case: CaseId, action: Action) -> anyhow::Result<()> {
        let kind = action.kind();
        let request = CommandRequest {
            case_id: case,
            action,
            command_id: Uuid::now_v7(),
            correlation_id: Uuid::now_v7(),
            expected_version: None,
        };
        self.system
            .cases
            .handle(who, request)
            .await
            .with_context(|| format!("demo case {case}: {kind}"))?;
        Ok(())
    }

    async fn submit(
        &mut self,
        label: &str,
        nationality: &str,
        people: &[Member],
        situation: ImmigrationSituation,
    ) -> anyhow::Result<CaseId> {
        let case = CaseId::from_uuid(Uuid::now_v7());
        let mut members =
            people
                .iter()
                .enumerate()
                .map(|(index, (relation, born, minor, victim))| {
                    (
                        HouseholdMember {
                            person_id: PersonId::from_uuid(Uuid::now_v7()),
                            relation: *relation,
                        },
                        PersonDetails {
                            full_name: FullName::parse(&format!("{label} person {}", index + 1))
                                .expect("a name"),
                            date_of_birth: date(born),
                            duf_number: None,
                            circumstances: SpecialCircumstances {
                                unaccompanied_minor: *minor,
                                possible_trafficking_victim: *victim,
                            },
                        },
                    )
                });
        let principal = members
            .next()
            .context("a household needs a principal applicant")?;
        let country = CountryCode::parse(nationality).map_err(|e| anyhow::anyhow!("{e}"))?;
        let application = Application {
            household: Household::new(principal, members.collect())
                .map_err(|e| anyhow::anyhow!("{e}"))?,
            nationality: country,
            return_country: country,
            final_destination: Place::parse("Home town").expect("a place"),
            situation,
            departure_deadline: (situation == ImmigrationSituation::DublinTransfer)
                .then(|| self.day + Duration::days(60)),
            previously_assisted_and_reimmigrated: false,
            refused_for_status_in_other_eea_country: false,
            contact: Some(Contact {
                phone: PhoneNumber::parse(&demo_phone(case)).map_err(|e| anyhow::anyhow!("{e}"))?,
                language: LanguageCode::parse(home_language(nationality))
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
                needs_interpreter: home_language(nationality) != "en",
            }),
        };
        let applicant = Caller::applicant(
            Actor::new(Role::Applicant, ActorId::parse("applicant").expect("valid")),
            [case],
        );
        self.go(&applicant, case, Action::Submit(Box::new(application)))
            .await?;
        self.cases.push((case, label.to_owned()));
        Ok(case)
    }

    async fn applicant_does(&self, case: CaseId, action: Action) -> anyhow::Result<()> {
        let applicant = Caller::applicant(
            Actor::new(Role::Applicant, ActorId::parse("applicant").expect("valid")),
            [case],
        );
        self.go(&applicant, case, action).await
    }

    fn booking(&self, in_days: i64) -> Booking {
        Booking {
            departs_on: self.day + Duration::days(in_days),
            flight: FlightNumber::parse("TK1752").expect("a flight"),
            from_airport: AirportCode::parse("OSL").expect("OSL"),
            to_airport: AirportCode::parse("IST").expect("IST"),
        }
    }

    /// Review, approval and hand-over.
    async fn approve(&mut self, case: CaseId) -> anyhow::Result<()> {
        self.later(3);
        self.go(&udi(), case, Action::BeginReview).await?;
        self.later(9);
        self.go(&udi(), case, Action::approve()).await?;
        self.later(2);
        self.go(&udi(), case, Action::HandOverToIom).await
    }

    /// Travel documents, booking, departure and arrival, pocket money and the declaration.
    async fn travel(&mut self, case: CaseId, documents: bool) -> anyhow::Result<()> {
        if documents {
            let persons = self.persons(case).await?;
            self.later(1);
            self.go(
                &iom(),
                case,
                Action::RequestTravelDocument {
                    persons: persons.clone(),
                    document: TravelDocumentKind::EmergencyTravelDocument,
                    issuing_country: CountryCode::parse("ET").expect("ET"),
                },
            )
            .await?;
            self.later(12);
            for (n, person) in persons.into_iter().enumerate() {
                let number = DocumentNumber::parse(&format!("ETD-{n}")).expect("a number");
                let valid_until = self.day + Duration::days(180);
                self.go(
                    &iom(),
                    case,
                    Action::RecordTravelDocument {
                        person_id: person,
                        document: TravelDocumentKind::EmergencyTravelDocument,
                        number,
                        valid_until,
                    },
                )
                .await?;
            }
        }
        let booking = self.booking(14);
        self.go(&iom(), case, Action::BookDeparture(booking))
            .await?;
        self.go(
            &iom(),
            case,
            Action::RecordSelfDeclaration {
                signed_on: self.day,
            },
        )
        .await?;
        self.later(14);
        self.go(
            &iom(),
            case,
            Action::ConfirmDeparture {
                departed_on: self.day,
            },
        )
        .await?;
        self.go(&iom(), case, Action::PayPocketMoney).await?;
        self.later(1);
        self.go(
            &iom(),
            case,
            Action::ConfirmArrival {
                arrived_on: self.day,
            },
        )
        .await
    }

    async fn persons(&self, case: CaseId) -> anyhow::Result<Vec<PersonId>> {
        let loaded = self.system.cases.load(case).await?;
        Ok(loaded
            .case
            .application
            .map(|a| a.person_ids())
            .unwrap_or_default())
    }

    /// Pays the whole cash grant as it falls due, at the UN rate for `currency`.
    async fn pay_out(
        &mut self,
        case: CaseId,
        currency: &str,
        local_per_usd: &str,
    ) -> anyhow::Result<()> {
        let rates = ExchangeRates {
            nok_per_usd: PerUsd::parse("10.62").expect("a rate"),
            local_currency: Currency::parse(currency).map_err(|e| anyhow::anyhow!("{e}"))?,
            local_per_usd: PerUsd::parse(local_per_usd).expect("a rate"),
        };
        loop {
            let loaded = self.system.cases.load(case).await?;
            let Some(approval) = loaded.case.approval.as_ref() else {
                return Ok(());
            };
            let Some(arrived_on) = loaded.case.travel.arrived_on else {
                return Ok(());
            };
            let due = approval.grant.due_by(arrived_on, self.day).minor_units
                - loaded.case.payout.reintegration_paid.minor_units;
            if due > 0 {
                self.later(10);
                let amount = Money::new(Currency::NOK, due);
                self.go(
                    &iom(),
                    case,
                    Action::PayReintegrationTranche {
                        amount,
                        rates,
                        payee: Payee::Cash,
                    },
                )
                .await?;
            }
            if !self
                .system
                .cases
                .load(case)
                .await?
                .case
                .cash_outstanding()
                .is_positive()
            {
                return Ok(());
            }
            self.later(31);
        }
    }

    async fn refuse(&mut self, case: CaseId, reason: &str) -> anyhow::Result<()> {
        self.later(3);
        self.go(&udi(), case, Action::BeginReview).await?;
        self.later(10);
        self.go(
            &udi(),
            case,
            Action::Refuse {
                reasons: said(reason),
                notified_on: self.day,
            },
        )
        .await
    }
}

const ADULT: Member = (Relation::PrincipalApplicant, "1986-04-12", false, false);
const SPOUSE: Member = (Relation::Spouse, "1989-09-30", false, false);
const CHILD: Member = (Relation::Child, "2016-02-03", false, false);

/// Runs the demo on the database at `url` and prints what it made.
/// Runs the demo; returns its cases, in the order they were made, with what each shows.
pub(crate) async fn run(url: &str) -> anyhow::Result<Vec<(CaseId, String)>> {
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let system = System::open(url, clock.clone()).await?;
    let mut script = Script {
        system,
        clock,
        day: date("2025-01-06"),
        cases: Vec::new(),
    };
    let bar = crate::progress_bar(52, "demo cases");

    // Approved, travelled, paid out and closed: in four currencies and four programmes.
    for (n, (nationality, currency, rate)) in [
        ("ET", "ETB", "57.25"),
        ("AF", "AFN", "70.50"),
        ("IQ", "IQD", "1310"),
        ("SO", "SOS", "571"),
        ("ER", "ERN", "15"),
        ("SD", "SDG", "601"),
    ]
    .into_iter()
    .enumerate()
    {
        for family in [false, true] {
            script
                .at(date("2025-01-06") + Duration::days(5 * n as i64 + if family { 2 } else { 0 }));
            let people: &[Member] = if family {
                &[ADULT, SPOUSE, CHILD]
            } else {
                &[ADULT]
            };
            let case = script
                .submit(
                    &format!("paid {nationality}"),
                    nationality,
                    people,
                    ImmigrationSituation::AsylumRefused,
                )
                .await?;
            script.approve(case).await?;
            script.travel(case, family).await?;
            script.pay_out(case, currency, rate).await?;
            script.later(3);
            script.go(&iom(), case, Action::CloseCase).await?;
            bar.inc(1);
        }
    }
    // Morocco in 2025, under the entry then in force: it read udi.no as giving the whole grant
    // in kind, so there is nothing to pay in cash. (A misreading, corrected from 2026-11-25:
    // the in-kind support in EUR comes on top of the cash grant. Cases decided before keep
    // their grant.)
    script.at(date("2025-02-10"));
    let case = script
        .submit(
            "in kind MA",
            "MA",
            &[ADULT],
            ImmigrationSituation::AsylumRefused,
        )
        .await?;
    script.approve(case).await?;
    script.travel(case, false).await?;
    script.go(&iom(), case, Action::CloseCase).await?;
    bar.inc(1);

    // The exceptions: excluded nationalities, excepted persons (recent, so still in the queues).
    script.at(chrono::Utc::now().date_naive() - Duration::days(30));
    let minor = (Relation::PrincipalApplicant, "2010-05-05", true, false);
    let case = script
        .submit(
            "minor AL",
            "AL",
            &[minor],
            ImmigrationSituation::AsylumPending,
        )
        .await?;
    script.approve(case).await?;
    bar.inc(1);
    let victim = (Relation::PrincipalApplicant, "1995-07-07", false, true);
    let case = script
        .submit(
            "victim GE",
            "GE",
            &[victim, CHILD],
            ImmigrationSituation::AsylumRefused,
        )
        .await?;
    script.approve(case).await?;
    bar.inc(1);
    let case = script
        .submit(
            "excluded IN",
            "IN",
            &[ADULT],
            ImmigrationSituation::AsylumRefused,
        )
        .await?;
    script
        .refuse(
            case,
            "Citizens of India are normally not eligible; no exception applies.",
        )
        .await?;
    bar.inc(1);

    // Refusals that became final, appeals at UDI and at UNE.
    for n in 0..4 {
        script.at(date("2025-03-03") + Duration::days(n));
        let case = script
            .submit(
                "refused",
                "ET",
                &[ADULT],
                ImmigrationSituation::AsylumRefused,
            )
            .await?;
        script
            .refuse(case, "The applicant holds a residence permit in Sweden.")
            .await?;
        script.later(22);
        script
            .go(&scheduler(), case, Action::CloseAppealWindow)
            .await?;
        bar.inc(1);
    }
    // Appeals registered after the window closed (forvaltningsloven §§ 30 and 31): one posted on
    // the last day, two posted late, which UDI hears or dismisses as late; one late appeal waits.
    for &path in LatePath::VARIANTS {
        script.at(date("2025-03-10"));
        let case = script
            .submit(
                &format!("appeal {path}"),
                "ET",
                &[ADULT],
                ImmigrationSituation::AsylumRefused,
            )
            .await?;
        script
            .refuse(case, "The identity is not established.")
            .await?;
        script.later(22);
        script
            .go(&scheduler(), case, Action::CloseAppealWindow)
            .await?;
        // The window closes on the day after its last day.
        let last_day = script.day - Duration::days(1);
        script.later(3);
        let posted_on = if path == LatePath::PostedInTime {
            last_day
        } else {
            script.day - Duration::days(1)
        };
        script
            .applicant_does(
                case,
                Action::LodgeAppeal {
                    grounds: said("The identity card has arrived from Addis Ababa."),
                    posted_on: Some(posted_on),
                },
            )
            .await?;
        script.later(4);
        match path {
            LatePath::Heard => {
                script
                    .go(
                        &udi(),
                        case,
                        Action::AcceptLateAppeal {
                            ground: LateAppealGround::NotToBlame,
                            reasoning: said("The applicant was in hospital when the refusal came."),
                        },
                    )
                    .await?
            }
            LatePath::Dismissed => {
                script
                    .go(
                        &udi(),
                        case,
                        Action::DismissAppeal {
                            ground: DismissalGround::Late,
                            reasoning: said("Posted after the deadline, and no reason given."),
                        },
                    )
                    .await?
            }
            LatePath::PostedInTime | LatePath::Waiting => {}
        }
        bar.inc(1);
    }
    for &path in AppealPath::VARIANTS {
        script.at(date("2025-03-17"));
        let case = script
            .submit(
                &format!("appeal {path}"),
                "ER",
                &[ADULT, CHILD],
                ImmigrationSituation::AsylumRefused,
            )
            .await?;
        script
            .refuse(case, "The identity is not established.")
            .await?;
        script.later(10);
        script
            .applicant_does(
                case,
                Action::LodgeAppeal {
                    grounds: said("A passport has now been provided."),
                    posted_on: None,
                },
            )
            .await?;
        script.later(7);
        match path {
            AppealPath::Reversed => {
                script
                    .go(
                        &udi(),
                        case,
                        Action::ReverseDecision {
                            reasoning: said("The passport establishes the identity."),
                            particularly_vulnerable: Default::default(),
                        },
                    )
                    .await?
            }
            AppealPath::DismissedAtUdi => {
                script
                    .go(
                        &udi(),
                        case,
                        Action::DismissAppeal {
                            ground: DismissalGround::NotAParty,
                            reasoning: said("Lodged by someone not a party."),
                        },
                    )
                    .await?
            }
            AppealPath::Allowed
            | AppealPath::Rejected
            | AppealPath::Quashed
            | AppealPath::DismissedAtUne => {
                script
                    .go(
                        &udi(),
                        case,
                        Action::ForwardToUne {
                            assessment: said("UDI maintains the refusal."),
                        },
                    )
                    .await?;
                script.later(30);
                let reasoning = said("UNE has weighed the passport.");
                match path {
                    AppealPath::Allowed => {
                        script
                            .go(
                                &une(),
                                case,
                                Action::AllowAppeal {
                                    reasoning,
                                    particularly_vulnerable: Default::default(),
                                },
                            )
                            .await?
                    }
                    AppealPath::Rejected => {
                        script
                            .go(&une(), case, Action::RejectAppeal { reasoning })
                            .await?
                    }
                    AppealPath::Quashed => {
                        script
                            .go(&une(), case, Action::QuashDecision { reasoning })
                            .await?;
                        script.later(5);
                        script.go(&udi(), case, Action::approve()).await?;
                    }
                    AppealPath::Reversed | AppealPath::DismissedAtUdi => {
                        unreachable!("decided at UDI, never forwarded")
                    }
                    AppealPath::DismissedAtUne => {
                        script
                            .go(
                                &une(),
                                case,
                                Action::DismissAppealAtUne {
                                    ground: DismissalGround::Late,
                                    reasoning,
                                },
                            )
                            .await?
                    }
                }
            }
        }
        bar.inc(1);
    }

    // Withdrawals, revocations, lapses, forced returns.
    for n in 0..3 {
        script.at(date("2025-04-01") + Duration::days(n));
        let case = script
            .submit(
                "withdrawn",
                "SO",
                &[ADULT],
                ImmigrationSituation::AsylumPending,
            )
            .await?;
        if n > 0 {
            script.approve(case).await?;
        }
        script.later(4);
        script.applicant_does(case, Action::Withdraw).await?;
        bar.inc(1);
    }
    for n in 0..3 {
        script.at(date("2025-04-07") + Duration::days(n));
        let case = script
            .submit(
                "revoked",
                "AF",
                &[ADULT],
                ImmigrationSituation::AsylumRefused,
            )
            .await?;
        script.approve(case).await?;
        script.later(5);
        script
            .go(
                &udi(),
                case,
                Action::RevokeApproval {
                    reasons: said("New information shows legal residence in Italy."),
                    notified_on: script.day,
                },
            )
            .await?;
        script.later(22);
        script
            .go(&scheduler(), case, Action::CloseAppealWindow)
            .await?;
        bar.inc(1);
    }
    for n in 0..2 {
        script.at(date("2025-04-14") + Duration::days(n));
        let case = script
            .submit(
                "lapsed",
                "IQ",
                &[ADULT],
                ImmigrationSituation::AsylumRefused,
            )
            .await?;
        script.approve(case).await?;
        script.later(181);
        script
            .go(&scheduler(), case, Action::LapseTravelDeadline)
            .await?;
        bar.inc(1);
    }
    for n in 0..2 {
        script.at(date("2025-04-21") + Duration::days(n));
        let case = script
            .submit(
                "forced return",
                "SD",
                &[ADULT],
                ImmigrationSituation::AsylumAppealRefused,
            )
            .await?;
        script.later(5);
        script
            .go(
                &udi(),
                case,
                Action::RecordForcedReturn {
                    returned_on: script.day,
                },
            )
            .await?;
        bar.inc(1);
    }

    // No-shows, then rebooked and travelled; re-entry and a repayment claim.
    for n in 0..3 {
        script.at(date("2025-05-05") + Duration::days(n));
        let case = script
            .submit(
                "no-show",
                "ET",
                &[ADULT],
                ImmigrationSituation::AsylumRefused,
            )
            .await?;
        script.approve(case).await?;
        let booking = script.booking(10);
        script
            .go(&iom(), case, Action::BookDeparture(booking))
            .await?;
        script.later(10);
        script.go(&iom(), case, Action::ReportNoShow).await?;
        let rebooked = script.booking(7);
        script
            .go(&iom(), case, Action::RebookDeparture(rebooked))
            .await?;
        script.later(7);
        script
            .go(
                &iom(),
                case,
                Action::ConfirmDeparture {
                    departed_on: script.day,
                },
            )
            .await?;
        script.later(1);
        script
            .go(
                &iom(),
                case,
                Action::ConfirmArrival {
                    arrived_on: script.day,
                },
            )
            .await?;
        bar.inc(1);
    }
    script.at(date("2025-01-06"));
    let case = script
        .submit(
            "re-entered",
            "ET",
            &[ADULT],
            ImmigrationSituation::AsylumRefused,
        )
        .await?;
    script.approve(case).await?;
    script.travel(case, false).await?;
    script.pay_out(case, "ETB", "57.25").await?;
    script.later(200);
    script
        .go(
            &udi(),
            case,
            Action::RecordReEntry {
                re_entered_on: script.day,
            },
        )
        .await?;
    script
        .go(
            &udi(),
            case,
            Action::ClaimRepayment {
                amount: Money::nok(15_000),
            },
        )
        .await?;
    bar.inc(1);

    // Still in progress, in each agency's queues.
    let today = chrono::Utc::now().date_naive();
    for (n, &stage) in OpenStage::VARIANTS.iter().enumerate() {
        script.at(today - Duration::days(40 - 2 * n as i64));
        let case = script
            .submit(
                &format!("open: {stage}"),
                "ET",
                &[ADULT, SPOUSE],
                ImmigrationSituation::AsylumRefused,
            )
            .await?;
        match stage {
            OpenStage::Submitted => {}
            OpenStage::UnderReview => {
                script.later(2);
                script.go(&udi(), case, Action::BeginReview).await?;
            }
            OpenStage::Approved => {
                script.later(2);
                script.go(&udi(), case, Action::BeginReview).await?;
                script.later(2);
                script.go(&udi(), case, Action::approve()).await?;
            }
            OpenStage::AppealLodged | OpenStage::AtUne => {
                script
                    .refuse(case, "The identity is not established.")
                    .await?;
                script.later(5);
                script
                    .applicant_does(
                        case,
                        Action::LodgeAppeal {
                            grounds: said("Witnesses confirm the identity."),
                            posted_on: None,
                        },
                    )
                    .await?;
                if stage == OpenStage::AtUne {
                    script.later(3);
                    script
                        .go(
                            &udi(),
                            case,
                            Action::ForwardToUne {
                                assessment: said("UDI maintains the refusal."),
                            },
                        )
                        .await?;
                }
            }
            OpenStage::DocumentsPending | OpenStage::Booked | OpenStage::Arrived => {
                script.approve(case).await?;
                if stage == OpenStage::DocumentsPending {
                    let persons = script.persons(case).await?;
                    script
                        .go(
                            &iom(),
                            case,
                            Action::RequestTravelDocument {
                                persons,
                                document: TravelDocumentKind::Passport,
                                issuing_country: CountryCode::parse("ET").expect("ET"),
                            },
                        )
                        .await?;
                } else if stage == OpenStage::Booked {
                    let booking = script.booking(25);
                    script
                        .go(&iom(), case, Action::BookDeparture(booking))
                        .await?;
                } else {
                    script.travel(case, false).await?;
                }
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();

    // Today: the scheduler fires whatever deadlines have passed, as in production.
    script.clock.set(chrono::Utc::now());
    let fired = retur_app::Scheduler::new(script.system.cases.clone())
        .fire_due()
        .await?;
    let system = &script.system;
    system.catch_up().await?;
    println!(
        "the deadline scheduler fired {} deadlines that had passed",
        fired.fired.len()
    );
    println!("created {} cases\n", script.cases.len());
    for agency in crate::Agency::ALL {
        crate::print_queues(system, agency).await?;
        println!();
    }
    println!(
        "{:<38} {:<20} {:<22} {:<8} next deadline",
        "case", "demo path", "state", "version"
    );
    let auditor = crate::auditor();
    for (case, label) in &script.cases {
        if let Some(status) = system.cases.status(&auditor, *case).await? {
            let deadline = status
                .next_deadline
                .map_or(String::new(), |d| format!("{} {}", d.kind.name(), d.on));
            println!(
                "{:<38} {:<20} {:<22} {:<8} {deadline}",
                case.to_string(),
                label,
                status.status.name(),
                status.version
            );
        }
    }
    println!();
    println!("payout ledger (per case, kind and currency):");
    for total in PayoutLedger::totals(system.projector.pool()).await? {
        let currency = Currency::parse(&total.currency).map_err(|e| anyhow::anyhow!("{e}"))?;
        println!(
            "  {:<44} {:<16} {}",
            total.stream_id,
            total.kind,
            Money::new(currency, total.amount_minor)
        );
    }
    println!();
    crate::print_stats(system).await?;
    println!();
    crate::verify(system, None).await?;
    println!();
    println!(
        "next: retur case show ID, retur case history ID --as-role iom, retur queues --agency iom;"
    );
    Ok(script.cases)
}

/// The demo's appeals registered after the window closed, each a case taken along its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::Display, strum::VariantArray)]
enum LatePath {
    #[strum(serialize = "posted in time")]
    PostedInTime,
    #[strum(serialize = "late, heard")]
    Heard,
    #[strum(serialize = "late, dismissed")]
    Dismissed,
    #[strum(serialize = "late, waiting")]
    Waiting,
}

/// The demo's appeals, by how each ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::Display, strum::VariantArray)]
enum AppealPath {
    #[strum(serialize = "reversed")]
    Reversed,
    #[strum(serialize = "allowed")]
    Allowed,
    #[strum(serialize = "rejected")]
    Rejected,
    #[strum(serialize = "quashed")]
    Quashed,
    #[strum(serialize = "dismissed at une")]
    DismissedAtUne,
    #[strum(serialize = "dismissed at udi")]
    DismissedAtUdi,
}

/// The demo's cases still in progress, by the stage each is left at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::Display, strum::VariantArray)]
enum OpenStage {
    #[strum(serialize = "submitted")]
    Submitted,
    #[strum(serialize = "under review")]
    UnderReview,
    #[strum(serialize = "approved")]
    Approved,
    #[strum(serialize = "documents pending")]
    DocumentsPending,
    #[strum(serialize = "booked")]
    Booked,
    #[strum(serialize = "arrived")]
    Arrived,
    #[strum(serialize = "appeal lodged")]
    AppealLodged,
    #[strum(serialize = "at une")]
    AtUne,
}

/// A Norwegian mobile number for a demo case, made from its id.
fn demo_phone(case: CaseId) -> String {
    let n = (case.as_uuid().as_u128() % 10_000_000) as u32;
    format!(
        "+47 {} {:02} {:03}",
        900 + n % 100,
        (n / 100) % 100,
        (n / 10_000) % 1000
    )
}

/// The language most returnees to a country are contacted in (ISO 639), for the demo's
/// applications; English where the demo has no better guess.
fn home_language(nationality: &str) -> &'static str {
    match nationality {
        "ET" => "am",
        "ER" => "ti",
        "AF" => "fa",
        "SO" => "so",
        "IQ" | "SY" | "MA" | "SD" => "ar",
        "IR" => "fa",
        "UA" | "RU" | "GE" => "ru",
        "AL" | "XK" => "sq",
        _ => "en",
    }
}
