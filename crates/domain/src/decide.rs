//! `decide`: given a case, a command and the context, the events to record or the refusal.
//! Synchronous and pure: the time and the rules come in through [`Context`].

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};

use crate::application::{Application, Household, ImmigrationSituation, Statement};
use crate::calendar;
use crate::case::{Case, CaseApplication};
use crate::command::{Action, Command, Payee};
use crate::event::*;
use crate::grant::{self, EligibilityFacts, GrantFacts};
use crate::ids::PersonId;
use crate::lifecycle::{self, CommandKind, Status};
use crate::money::{Currency, ExchangeRates, Money};
use crate::refusal::Refusal;
use crate::rules::{RuleBook, RuleSet};
use crate::travel::{Booking, PaymentMethod};

/// What a decision needs from outside: the time now and the rules.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub now: DateTime<Utc>,
    pub rules: &'a RuleBook,
}

impl Context<'_> {
    /// Today in Norway.
    pub fn today(&self) -> NaiveDate {
        calendar::oslo_date(self.now)
    }
}

/// Decides a command against a case: the events it leads to, or why it is refused.
///
/// The checks run in a fixed order: the acting role first (a role outside its part learns
/// nothing about the case's state), then the state, then the command's own rules.
pub fn decide(
    case: &Case,
    command: &Command,
    context: &Context<'_>,
) -> Result<Vec<Event>, Refusal> {
    let kind = command.action.kind();
    let owner = kind.owner();
    if command.actor.role != owner {
        return Err(Refusal::WrongRole {
            command: kind,
            role: command.actor.role,
            owner,
        });
    }
    if kind == CommandKind::PayReintegrationTranche && is_approved_before_arrival(case.status) {
        return Err(Refusal::PayoutBeforeArrival);
    }
    // A late appeal is not reconsidered or sent on until UDI has accepted it for hearing.
    if matches!(
        kind,
        CommandKind::ReverseDecision | CommandKind::ForwardToUne
    ) && case.status == Status::LateAppealLodged
        && let Some(contested) = case.contested
    {
        return Err(Refusal::LateAppealNotAccepted {
            missed_deadline: contested.appeal_deadline,
        });
    }
    if !lifecycle::is_allowed(case.status, kind) {
        return Err(Refusal::WrongState {
            command: kind,
            status: case.status,
        });
    }
    let today = context.today();
    if let Action::Submit(application) = &command.action {
        return submit(application, context);
    }
    // Every state but `new` has an application; `new` accepts only `submit`.
    let Some(application) = case.application.as_ref() else {
        return Err(Refusal::WrongState {
            command: kind,
            status: case.status,
        });
    };
    let rules = context.rules.in_force_on(application.submitted_on)?;
    let principal_says = |text: &Statement| match application.principal() {
        Some(principal) => Personal::of(principal, Written { text: text.clone() }),
        None => Personal::none(),
    };
    let against = case
        .contested
        .map(|c| c.against)
        .unwrap_or(Contested::Refusal);

    let events = match &command.action {
        // Handled above; a case that exists was refused by the state check already.
        Action::Submit(_) => {
            return Err(Refusal::WrongState {
                command: kind,
                status: case.status,
            });
        }
        Action::BeginReview => vec![Event::ReviewStarted(ReviewStarted { started_on: today })],
        Action::Approve {
            particularly_vulnerable,
        } => vec![approval(
            application,
            &rules,
            today,
            particularly_vulnerable,
        )?],
        Action::Refuse {
            reasons,
            notified_on,
        } => {
            check_date("notified_on", *notified_on, application.submitted_on, today)?;
            vec![Event::ApplicationRefused(ApplicationRefused {
                refused_on: today,
                notified_on: *notified_on,
                appeal_deadline: appeal_deadline(&rules, *notified_on),
                rules: rules.reference(),
                personal: principal_says(reasons),
            })]
        }
        Action::LodgeAppeal { grounds, posted_on } => {
            // Every refusal and revocation is kept until an appeal against it is decided; in
            // a final state, one that is gone was made final by an appeal's outcome.
            let Some(contested) = case.contested else {
                return Err(Refusal::AppealAlreadyDecided);
            };
            // In time if posted or handed in by the deadline, whenever it is registered
            // (forvaltningsloven § 30).
            let posted_on = posted_on.unwrap_or(today);
            let notified_on = contested.notified_on.unwrap_or(application.submitted_on);
            check_date("posted_on", posted_on, notified_on, today)?;
            vec![Event::AppealLodged(AppealLodged {
                lodged_on: today,
                posted_on,
                against: contested.against,
                missed_deadline: (posted_on > contested.appeal_deadline)
                    .then_some(contested.appeal_deadline),
                personal: principal_says(grounds),
            })]
        }
        Action::AcceptLateAppeal { ground, reasoning } => {
            // Not when more than the limit has passed since the decision (forvaltningsloven
            // § 31 third paragraph), under rules that carry it.
            let decided_on = case.contested.and_then(|c| c.decided_on);
            if let (Some(years), Some(decided_on)) =
                (rules.time_limits.late_appeal_limit_years, decided_on)
            {
                let last_day = calendar::add_months(decided_on, years.saturating_mul(12));
                if today > last_day {
                    return Err(Refusal::LateAppealTimeBarred {
                        decided_on,
                        last_day,
                    });
                }
            }
            vec![Event::LateAppealAccepted(LateAppealAccepted {
                accepted_on: today,
                against,
                ground: *ground,
                personal: principal_says(reasoning),
            })]
        }
        Action::ReverseDecision {
            reasoning,
            particularly_vulnerable,
        } => vec![
            Event::DecisionReversed(DecisionReversed {
                reversed_on: today,
                against,
                personal: principal_says(reasoning),
            }),
            approval(application, &rules, today, particularly_vulnerable)?,
        ],
        Action::DismissAppeal { ground, reasoning }
        | Action::DismissAppealAtUne { ground, reasoning } => {
            // UDI dismisses while reconsidering; UNE dismisses an appeal forwarded to it.
            let by = if kind == CommandKind::DismissAppeal {
                AppealBody::Udi
            } else {
                AppealBody::Une
            };
            vec![Event::AppealDismissed(AppealDismissed {
                dismissed_on: today,
                by,
                against,
                ground: *ground,
                personal: principal_says(reasoning),
            })]
        }
        Action::ForwardToUne { assessment } => {
            vec![Event::AppealForwardedToUne(AppealForwardedToUne {
                forwarded_on: today,
                against,
                personal: principal_says(assessment),
            })]
        }
        Action::AllowAppeal {
            reasoning,
            particularly_vulnerable,
        } => vec![
            Event::AppealAllowed(AppealAllowed {
                decided_on: today,
                against,
                personal: principal_says(reasoning),
            }),
            approval(application, &rules, today, particularly_vulnerable)?,
        ],
        Action::RejectAppeal { reasoning } => vec![Event::AppealRejected(AppealRejected {
            decided_on: today,
            against,
            personal: principal_says(reasoning),
        })],
        Action::QuashDecision { reasoning } => {
            let quashed = Event::DecisionQuashed(DecisionQuashed {
                decided_on: today,
                against,
                personal: principal_says(reasoning),
            });
            match against {
                Contested::Refusal => vec![quashed],
                // The revoked approval is restored, with the judgement it was made with.
                Contested::Revocation => {
                    let vulnerable = case
                        .approval
                        .as_ref()
                        .map(|a| a.particularly_vulnerable.clone())
                        .unwrap_or_default();
                    vec![quashed, approval(application, &rules, today, &vulnerable)?]
                }
            }
        }
        Action::CloseAppealWindow => {
            let deadline = case.contested.map_or(today, |c| c.appeal_deadline);
            if today <= deadline {
                return Err(Refusal::AppealWindowOpen { deadline });
            }
            vec![Event::AppealWindowClosed(AppealWindowClosed {
                closed_on: today,
                against,
                appeal_deadline: deadline,
            })]
        }
        Action::HandOverToIom => vec![Event::HandedOverToIom(HandedOverToIom {
            handed_over_on: today,
        })],
        Action::RequestTravelDocument {
            persons,
            document,
            issuing_country,
        } => {
            if persons.is_empty() {
                return Err(Refusal::Invalid(
                    "a travel document request must name at least one person".to_owned(),
                ));
            }
            if let Some(unknown) = persons.iter().find(|p| !application.has_person(**p)) {
                return Err(Refusal::UnknownPerson(*unknown));
            }
            let mut persons = persons.clone();
            persons.sort();
            persons.dedup();
            vec![Event::TravelDocumentRequested(TravelDocumentRequested {
                requested_on: today,
                persons,
                document: *document,
                issuing_country: *issuing_country,
            })]
        }
        Action::RecordTravelDocument {
            person_id,
            document,
            number,
            valid_until,
        } => {
            if !application.has_person(*person_id) {
                return Err(Refusal::UnknownPerson(*person_id));
            }
            if !case.travel.documents_requested.contains(person_id)
                || case.travel.documents_obtained.contains(person_id)
            {
                return Err(Refusal::NoDocumentRequested(*person_id));
            }
            if *valid_until <= today {
                return Err(Refusal::InvalidDate {
                    field: "valid_until",
                    problem: format!(
                        "{valid_until} is not after today ({today}): the document has expired"
                    ),
                });
            }
            vec![Event::TravelDocumentObtained(TravelDocumentObtained {
                obtained_on: today,
                person_id: *person_id,
                document: *document,
                valid_until: *valid_until,
                personal: Personal::of(*person_id, number.clone()),
            })]
        }
        Action::BookDeparture(booking) => {
            check_booking(case, booking, today)?;
            if let Some(pending) = case.travel.first_pending_document() {
                return Err(Refusal::TravelDocumentsPending(pending));
            }
            vec![Event::DepartureBooked(DepartureBooked {
                booked_on: today,
                booking: booking.clone(),
            })]
        }
        Action::RescheduleDeparture { cause, booking } => {
            check_booking(case, booking, today)?;
            vec![Event::DepartureRescheduled(DepartureRescheduled {
                rescheduled_on: today,
                cause: *cause,
                booking: booking.clone(),
            })]
        }
        Action::ReportNoShow => {
            let booking = booked(case, kind)?;
            if today < booking.departs_on {
                return Err(Refusal::BeforeDepartureDate {
                    departs_on: booking.departs_on,
                    what: "reported as a no-show",
                });
            }
            vec![Event::NoShowReported(NoShowReported {
                reported_on: today,
                missed: booking.clone(),
            })]
        }
        Action::RebookDeparture(booking) => {
            check_booking(case, booking, today)?;
            vec![Event::DepartureRebooked(DepartureRebooked {
                rebooked_on: today,
                booking: booking.clone(),
            })]
        }
        Action::ConfirmDeparture { departed_on } => {
            let booking = booked(case, kind)?;
            if *departed_on < booking.departs_on {
                return Err(Refusal::BeforeDepartureDate {
                    departs_on: booking.departs_on,
                    what: "confirmed as departed",
                });
            }
            check_date("departed_on", *departed_on, booking.departs_on, today)?;
            let dates_of_birth = application
                .dates_of_birth()
                .ok_or(Refusal::PersonalDataErased("dates of birth"))?;
            let dates: Vec<NaiveDate> = dates_of_birth.into_values().collect();
            vec![Event::DepartureConfirmed(DepartureConfirmed {
                departed_on: *departed_on,
                pocket_money: grant::pocket_money(&rules, &dates, *departed_on),
            })]
        }
        Action::ConfirmArrival { arrived_on } => {
            let departed_on = case.travel.departed_on.unwrap_or(application.submitted_on);
            check_date("arrived_on", *arrived_on, departed_on, today)?;
            vec![Event::ArrivalConfirmed(ArrivalConfirmed {
                arrived_on: *arrived_on,
            })]
        }
        Action::RecordSelfDeclaration { signed_on } => {
            if let Some(signed_on) = case.payout.self_declaration_signed_on {
                return Err(Refusal::SelfDeclarationAlreadySigned { signed_on });
            }
            check_date("signed_on", *signed_on, application.submitted_on, today)?;
            vec![Event::SelfDeclarationSigned(SelfDeclarationSigned {
                signed_on: *signed_on,
            })]
        }
        Action::PayPocketMoney => {
            if let Some(amount) = case.payout.pocket_money_paid {
                return Err(Refusal::PocketMoneyAlreadyPaid { amount });
            }
            let due = case
                .payout
                .pocket_money_due
                .map_or(Money::zero(Currency::USD), |due| due.amount);
            vec![Event::PocketMoneyPaid(PocketMoneyPaid {
                paid_on: today,
                amount: due,
            })]
        }
        Action::PayReintegrationTranche {
            amount,
            rates,
            payee,
        } => {
            vec![pay_tranche(
                case,
                application,
                *amount,
                rates,
                payee,
                today,
            )?]
        }
        Action::FlagPayoutOverdue => vec![flag_payout_overdue(
            case,
            rules.time_limits.payout_target_days,
            today,
        )?],
        Action::CloseCase => {
            if case.cash_outstanding().is_positive() {
                return Err(Refusal::NotReadyToClose(
                    "the reintegration grant has not been paid out",
                ));
            }
            if case.payout.pocket_money_paid.is_none() {
                return Err(Refusal::NotReadyToClose(
                    "the pocket money has not been paid",
                ));
            }
            vec![Event::CaseClosed(CaseClosed { closed_on: today })]
        }
        Action::Withdraw => vec![Event::ApplicationWithdrawn(ApplicationWithdrawn {
            withdrawn_on: today,
        })],
        Action::RevokeApproval {
            reasons,
            notified_on,
        } => {
            let approved_on = case
                .approval
                .as_ref()
                .map_or(application.submitted_on, |a| a.approved_on);
            check_date("notified_on", *notified_on, approved_on, today)?;
            vec![Event::ApprovalRevoked(ApprovalRevoked {
                revoked_on: today,
                notified_on: *notified_on,
                appeal_deadline: appeal_deadline(&rules, *notified_on),
                personal: principal_says(reasons),
            })]
        }
        Action::LapseTravelDeadline => {
            let deadline = case.approval.as_ref().map_or(today, |a| a.travel_deadline);
            if today <= deadline {
                return Err(Refusal::TravelDeadlineNotPassed { deadline });
            }
            vec![Event::TravelDeadlineLapsed(TravelDeadlineLapsed {
                lapsed_on: today,
                travel_deadline: deadline,
            })]
        }
        Action::RecordForcedReturn { returned_on } => {
            check_date("returned_on", *returned_on, application.submitted_on, today)?;
            vec![Event::ForcedReturnRecorded(ForcedReturnRecorded {
                recorded_on: today,
                returned_on: *returned_on,
            })]
        }
        Action::RecordReEntry { re_entered_on } => {
            let departed_on = case.travel.departed_on.unwrap_or(application.submitted_on);
            if *re_entered_on <= departed_on {
                return Err(Refusal::InvalidDate {
                    field: "re_entered_on",
                    problem: format!("{re_entered_on} is not after the departure on {departed_on}"),
                });
            }
            check_date("re_entered_on", *re_entered_on, departed_on, today)?;
            let window_end =
                calendar::add_months(departed_on, 12 * rules.time_limits.repayment_window_years);
            vec![Event::ReEntryRecorded(ReEntryRecorded {
                recorded_on: today,
                re_entered_on: *re_entered_on,
                within_repayment_window: *re_entered_on <= window_end,
            })]
        }
        Action::ClaimRepayment { amount } => {
            if !case.re_entry.is_some_and(|r| r.within_repayment_window) {
                return Err(Refusal::NoReEntryWithinWindow);
            }
            check_nok(*amount)?;
            let paid = case.payout.reintegration_paid;
            if amount.minor_units > paid.minor_units {
                return Err(Refusal::RepaymentExceedsPaid {
                    requested: *amount,
                    paid,
                });
            }
            let extent = if *amount == paid {
                RepaymentExtent::Full
            } else {
                RepaymentExtent::Partial
            };
            vec![Event::RepaymentClaimed(RepaymentClaimed {
                claimed_on: today,
                amount: *amount,
                extent,
            })]
        }
        Action::RestrictPersonalData { person, visible_to } => {
            still_held(case, application, *person)?;
            vec![Event::PersonalDataRestricted(PersonalDataRestricted {
                person: *person,
                restricted_on: today,
                visible_to: visible_to.clone(),
            })]
        }
        Action::LiftRestriction { person } => {
            still_held(case, application, *person)?;
            if !case.protection.restricted.contains_key(person) {
                return Err(Refusal::NotRestricted(*person));
            }
            vec![Event::RestrictionLifted(RestrictionLifted {
                person: *person,
                lifted_on: today,
            })]
        }
        Action::ErasePersonalData { person } => {
            still_held(case, application, *person)?;
            vec![Event::PersonalDataErased(PersonalDataErased {
                person: *person,
                erased_on: today,
            })]
        }
    };
    let erased = &case.protection.erased;
    if let Some(erased) = events
        .iter()
        .filter(|_| !erased.is_empty())
        .flat_map(Event::persons_with_data)
        .find(|person| erased.contains(person))
    {
        return Err(Refusal::PersonErased(erased));
    }
    Ok(events)
}

/// The last day to appeal a decision notified on `notified_on`: the appeal window counted from
/// the notification (forvaltningsloven § 29), run on to the next working day if it ends on a
/// day off (domstolloven § 149), under rules that list the days off.
fn appeal_deadline(rules: &RuleSet, notified_on: NaiveDate) -> NaiveDate {
    calendar::deadline_end(
        calendar::add_days(notified_on, rules.time_limits.appeal_window_days),
        &rules.non_working_days,
    )
}

/// A person of the household whose personal data has not been erased.
fn still_held(case: &Case, application: &CaseApplication, person: PersonId) -> Result<(), Refusal> {
    if !application.has_person(person) {
        return Err(Refusal::UnknownPerson(person));
    }
    if case.protection.erased.contains(&person) {
        return Err(Refusal::PersonErased(person));
    }
    Ok(())
}

/// A new application: its shape was checked when it was built; here the checks that need the
/// date and the rules.
fn submit(application: &Application, context: &Context<'_>) -> Result<Vec<Event>, Refusal> {
    let today = context.today();
    let rules = context.rules.in_force_on(today)?;
    for (member, details) in application.household.people() {
        if details.date_of_birth > today {
            return Err(Refusal::InvalidApplication(format!(
                "person {}: date of birth {} is in the future",
                member.person_id, details.date_of_birth
            )));
        }
        if calendar::age_on(details.date_of_birth, today) > 130 {
            return Err(Refusal::InvalidApplication(format!(
                "person {}: date of birth {} is more than 130 years ago",
                member.person_id, details.date_of_birth
            )));
        }
        if details.circumstances.unaccompanied_minor
            && !calendar::is_child_on(details.date_of_birth, today)
        {
            return Err(Refusal::InvalidApplication(format!(
                "person {} is marked as an unaccompanied minor but is 18 or older today",
                member.person_id
            )));
        }
    }
    if application.situation == ImmigrationSituation::DublinTransfer
        && application.departure_deadline.is_none()
    {
        return Err(Refusal::InvalidApplication(
            "a Dublin transfer case must give its departure deadline: the Dublin deadlines bind the return".to_owned(),
        ));
    }
    let principal = application.household.principal().0.person_id;
    let personal = application
        .household
        .people()
        .iter()
        .map(|(member, details)| {
            let details = ApplicantDetails {
                person: details.clone(),
                final_destination: (member.person_id == principal)
                    .then(|| application.final_destination.clone()),
                contact: application
                    .contact
                    .clone()
                    .filter(|_| member.person_id == principal),
            };
            (member.person_id, details)
        })
        .collect();
    Ok(vec![Event::ApplicationSubmitted(ApplicationSubmitted {
        submitted_at: context.now,
        rules: rules.reference(),
        household: application
            .household
            .people()
            .iter()
            .map(|(member, _)| member.clone())
            .collect(),
        nationality: application.nationality,
        return_country: application.return_country,
        situation: application.situation,
        departure_deadline: application.departure_deadline,
        previously_assisted_and_reimmigrated: application.previously_assisted_and_reimmigrated,
        refused_for_status_in_other_eea_country: application
            .refused_for_status_in_other_eea_country,
        personal: Personal(personal),
    })])
}

/// The approval event, wherever the approval comes from: eligibility under the case's rules,
/// the grant by everyone's age on the submission date and the deciding body's judgement of who
/// is particularly vulnerable, and the travel deadline.
fn approval(
    application: &CaseApplication,
    rules: &RuleSet,
    today: NaiveDate,
    particularly_vulnerable: &BTreeSet<PersonId>,
) -> Result<Event, Refusal> {
    if let Some(unknown) = particularly_vulnerable
        .iter()
        .find(|person| !application.has_person(**person))
    {
        return Err(Refusal::UnknownPerson(*unknown));
    }
    let people = application
        .circumstances()
        .ok_or(Refusal::PersonalDataErased("special circumstances"))?;
    let facts = EligibilityFacts {
        people: &people,
        nationality: application.nationality,
        return_country: application.return_country,
        situation: application.situation,
        previously_assisted_and_reimmigrated: application.previously_assisted_and_reimmigrated,
        refused_for_status_in_other_eea_country: application
            .refused_for_status_in_other_eea_country,
    };
    if let Some(first) = grant::assess_eligibility(rules, &facts).into_iter().next() {
        return Err(Refusal::Ineligible(first));
    }
    let dates_of_birth = application
        .dates_of_birth()
        .ok_or(Refusal::PersonalDataErased("dates of birth"))?;
    let age_groups = grant::age_groups_on(
        &dates_of_birth,
        &application.person_ids(),
        application.submitted_on,
    )
    .ok_or(Refusal::PersonalDataErased("dates of birth"))?;
    let grant = grant::compute_grant(
        rules,
        &GrantFacts {
            situation: application.situation,
            return_country: application.return_country,
            departure_deadline: application.departure_deadline,
            submitted_on: application.submitted_on,
            age_groups: &age_groups,
            unaccompanied_minor: people
                .first()
                .is_some_and(|(_, circumstances)| circumstances.unaccompanied_minor),
            particularly_vulnerable,
        },
    );
    let mut travel_deadline = calendar::add_days(today, rules.time_limits.travel_period_days);
    // A Dublin transfer must leave within the Dublin deadlines, whatever the travel period.
    if let (ImmigrationSituation::DublinTransfer, Some(dublin_deadline)) =
        (application.situation, application.departure_deadline)
    {
        if dublin_deadline < today {
            return Err(Refusal::TravelDeadlinePassed {
                deadline: dublin_deadline,
            });
        }
        travel_deadline = travel_deadline.min(dublin_deadline);
    }
    Ok(Event::ApplicationApproved(ApplicationApproved {
        approved_on: today,
        travel_deadline,
        grant,
        rules: rules.reference(),
        particularly_vulnerable: particularly_vulnerable.clone(),
    }))
}

/// Flags the cash that was due and is still unpaid past its payout target (each tranche's due
/// date plus `target_days`). A flag covers every tranche whose target has passed; a tranche a
/// flag has covered is not flagged again, but a later tranche whose target passes unpaid is.
fn flag_payout_overdue(case: &Case, target_days: u32, today: NaiveDate) -> Result<Event, Refusal> {
    let unflagged = case.unflagged_payout_targets(target_days);
    let Some(first) = unflagged.first() else {
        if case.flagged_and_unpaid(target_days) {
            return Err(Refusal::PayoutAlreadyFlagged);
        }
        // Nothing is unpaid: the target named is the last tranche's, or arrival's without one.
        let arrived_on = case.travel.arrived_on.unwrap_or(today);
        let target_date = case
            .payout_targets(target_days)
            .last()
            .map_or(calendar::add_days(arrived_on, target_days), |t| t.on);
        return Err(Refusal::PayoutNotOverdue { target_date });
    };
    if today <= first.on {
        if case.flagged_and_unpaid(target_days) {
            return Err(Refusal::PayoutAlreadyFlagged);
        }
        return Err(Refusal::PayoutNotOverdue {
            target_date: first.on,
        });
    }
    let passed = unflagged
        .iter()
        .rev()
        .find(|target| target.on < today)
        .unwrap_or(first);
    let paid = case.payout.reintegration_paid;
    Ok(Event::PayoutFlaggedOverdue(PayoutFlaggedOverdue {
        flagged_on: today,
        target_date: passed.on,
        outstanding: passed.due.checked_sub(paid).unwrap_or(passed.due),
    }))
}

fn pay_tranche(
    case: &Case,
    application: &CaseApplication,
    amount: Money,
    rates: &ExchangeRates,
    payee: &Payee,
    today: NaiveDate,
) -> Result<Event, Refusal> {
    let Some(arrived_on) = case.travel.arrived_on else {
        return Err(Refusal::PayoutBeforeArrival);
    };
    if case.payout.self_declaration_signed_on.is_none() {
        return Err(Refusal::SelfDeclarationMissing);
    }
    check_nok(amount)?;
    let remaining = case.cash_outstanding();
    if amount.minor_units > remaining.minor_units {
        return Err(Refusal::PayoutExceedsApproved {
            requested: amount,
            remaining,
        });
    }
    if let Some(approval) = &case.approval {
        let due_now = approval.grant.due_by(arrived_on, today);
        let after_payment = case.payout.reintegration_paid.minor_units + amount.minor_units;
        if after_payment > due_now.minor_units {
            let next_due = approval
                .grant
                .next_due_after(arrived_on, today)
                .unwrap_or(today);
            return Err(Refusal::TrancheNotYetDue {
                requested: amount,
                due_now,
                next_due,
            });
        }
    }
    let conversion = rates.convert(amount).ok_or(Refusal::ConversionOverflow)?;
    let (method, personal) = match payee {
        Payee::Cash => (crate::travel::PaymentMethod::Cash, Personal::none()),
        Payee::BankTransfer { person_id, account } => {
            if !application.has_person(*person_id) {
                return Err(Refusal::UnknownPerson(*person_id));
            }
            (
                crate::travel::PaymentMethod::BankTransfer,
                Personal::of(*person_id, account.clone()),
            )
        }
    };
    Ok(Event::ReintegrationTranchePaid(ReintegrationTranchePaid {
        paid_on: today,
        amount,
        rates: *rates,
        usd: conversion.usd,
        local: conversion.local,
        method,
        personal,
    }))
}

fn is_approved_before_arrival(status: Status) -> bool {
    matches!(
        status,
        Status::Approved
            | Status::HandedToIom
            | Status::TravelDocumentsPending
            | Status::ReadyToBook
            | Status::DepartureBooked
            | Status::NoShow
            | Status::Departed
    )
}

fn booked(case: &Case, command: CommandKind) -> Result<&Booking, Refusal> {
    case.travel.booking.as_ref().ok_or(Refusal::WrongState {
        command,
        status: case.status,
    })
}

/// A departure must be today or later, and no later than the travel deadline.
fn check_booking(case: &Case, booking: &Booking, today: NaiveDate) -> Result<(), Refusal> {
    if booking.departs_on < today {
        return Err(Refusal::InvalidDate {
            field: "departs_on",
            problem: format!("{} is in the past (today is {today})", booking.departs_on),
        });
    }
    if let Some(approval) = case
        .approval
        .as_ref()
        .filter(|a| booking.departs_on > a.travel_deadline)
    {
        return Err(Refusal::InvalidDate {
            field: "departs_on",
            problem: format!(
                "{} is after the travel deadline {}",
                booking.departs_on, approval.travel_deadline
            ),
        });
    }
    Ok(())
}

/// A date stated in a command must lie between `earliest` and today.
fn check_date(
    field: &'static str,
    date: NaiveDate,
    earliest: NaiveDate,
    today: NaiveDate,
) -> Result<(), Refusal> {
    if date > today {
        return Err(Refusal::InvalidDate {
            field,
            problem: format!("{date} is in the future (today is {today})"),
        });
    }
    if date < earliest {
        return Err(Refusal::InvalidDate {
            field,
            problem: format!("{date} is before {earliest}, when the case allows it"),
        });
    }
    Ok(())
}

fn check_nok(amount: Money) -> Result<(), Refusal> {
    if amount.currency != Currency::NOK || !amount.is_positive() {
        return Err(Refusal::InvalidAmount {
            expected: "NOK",
            given: amount,
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The way back: the command a group of events came from. Every command's events carry what the command
// said (dates, amounts, statements under `personal`), so an auditor can rebuild the command
// and decide it again: if `decide`, on the case as it stood and with the time it was decided
// at, gives exactly the stored events, the history is one the rules allowed.
//
// The inverse of `decide` lives beside it, so that a command's way in and its way back are
// read and changed together.
// ---------------------------------------------------------------------------------------

/// Why a group of events is not the output of any one command.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotACommand {
    #[error("no command records the events {0:?} together")]
    UnknownShape(Vec<&'static str>),
    #[error("the {0} needed to rebuild the command is missing or erased")]
    Missing(&'static str),
}

/// The action whose decision recorded exactly `events`.
pub fn command_of(events: &[Event]) -> Result<Action, NotACommand> {
    use Event as E;
    let action = match events {
        [E::ApplicationSubmitted(e)] => {
            let mut people = e.household.iter().map(|member| {
                let details = e
                    .personal
                    .get(&member.person_id)
                    .ok_or(NotACommand::Missing("personal data of the household"))?;
                Ok((member.clone(), details.person.clone()))
            });
            let principal = people
                .next()
                .ok_or(NotACommand::Missing("principal applicant"))??;
            let members = people.collect::<Result<Vec<_>, NotACommand>>()?;
            let final_destination = e
                .personal
                .get(&principal.0.person_id)
                .and_then(|d| d.final_destination.clone())
                .ok_or(NotACommand::Missing("final destination"))?;
            let contact = e
                .personal
                .get(&principal.0.person_id)
                .and_then(|d| d.contact.clone());
            let household = Household::new(principal, members)
                .map_err(|_| NotACommand::Missing("a valid household"))?;
            Action::Submit(Box::new(Application {
                household,
                nationality: e.nationality,
                return_country: e.return_country,
                final_destination,
                situation: e.situation,
                departure_deadline: e.departure_deadline,
                previously_assisted_and_reimmigrated: e.previously_assisted_and_reimmigrated,
                refused_for_status_in_other_eea_country: e.refused_for_status_in_other_eea_country,
                contact,
            }))
        }
        [E::ReviewStarted(_)] => Action::BeginReview,
        [E::ApplicationApproved(e)] => Action::Approve {
            particularly_vulnerable: e.particularly_vulnerable.clone(),
        },
        [E::ApplicationRefused(e)] => Action::Refuse {
            reasons: said(&e.personal)?,
            notified_on: e.notified_on,
        },
        [E::AppealLodged(e)] => Action::LodgeAppeal {
            grounds: said(&e.personal)?,
            posted_on: Some(e.posted_on),
        },
        [E::LateAppealAccepted(e)] => Action::AcceptLateAppeal {
            ground: e.ground,
            reasoning: said(&e.personal)?,
        },
        [E::DecisionReversed(e), E::ApplicationApproved(a)] => Action::ReverseDecision {
            reasoning: said(&e.personal)?,
            particularly_vulnerable: a.particularly_vulnerable.clone(),
        },
        [E::AppealDismissed(e)] => {
            let reasoning = said(&e.personal)?;
            match e.by {
                AppealBody::Udi => Action::DismissAppeal {
                    ground: e.ground,
                    reasoning,
                },
                AppealBody::Une => Action::DismissAppealAtUne {
                    ground: e.ground,
                    reasoning,
                },
            }
        }
        [E::AppealForwardedToUne(e)] => Action::ForwardToUne {
            assessment: said(&e.personal)?,
        },
        [E::AppealAllowed(e), E::ApplicationApproved(a)] => Action::AllowAppeal {
            reasoning: said(&e.personal)?,
            particularly_vulnerable: a.particularly_vulnerable.clone(),
        },
        [E::AppealRejected(e)] => Action::RejectAppeal {
            reasoning: said(&e.personal)?,
        },
        [E::DecisionQuashed(e)] | [E::DecisionQuashed(e), E::ApplicationApproved(_)] => {
            Action::QuashDecision {
                reasoning: said(&e.personal)?,
            }
        }
        [E::AppealWindowClosed(_)] => Action::CloseAppealWindow,
        [E::HandedOverToIom(_)] => Action::HandOverToIom,
        [E::TravelDocumentRequested(e)] => Action::RequestTravelDocument {
            persons: e.persons.clone(),
            document: e.document,
            issuing_country: e.issuing_country,
        },
        [E::TravelDocumentObtained(e)] => Action::RecordTravelDocument {
            person_id: e.person_id,
            document: e.document,
            number: e
                .personal
                .get(&e.person_id)
                .cloned()
                .ok_or(NotACommand::Missing("document number"))?,
            valid_until: e.valid_until,
        },
        [E::DepartureBooked(e)] => Action::BookDeparture(e.booking.clone()),
        [E::DepartureRescheduled(e)] => Action::RescheduleDeparture {
            cause: e.cause,
            booking: e.booking.clone(),
        },
        [E::NoShowReported(_)] => Action::ReportNoShow,
        [E::DepartureRebooked(e)] => Action::RebookDeparture(e.booking.clone()),
        [E::DepartureConfirmed(e)] => Action::ConfirmDeparture {
            departed_on: e.departed_on,
        },
        [E::ArrivalConfirmed(e)] => Action::ConfirmArrival {
            arrived_on: e.arrived_on,
        },
        [E::SelfDeclarationSigned(e)] => Action::RecordSelfDeclaration {
            signed_on: e.signed_on,
        },
        [E::PocketMoneyPaid(_)] => Action::PayPocketMoney,
        [E::ReintegrationTranchePaid(e)] => {
            let payee = match e.method {
                PaymentMethod::Cash => Payee::Cash,
                PaymentMethod::BankTransfer => {
                    let (person_id, account) = e
                        .personal
                        .0
                        .iter()
                        .next()
                        .ok_or(NotACommand::Missing("bank account"))?;
                    Payee::BankTransfer {
                        person_id: *person_id,
                        account: account.clone(),
                    }
                }
            };
            Action::PayReintegrationTranche {
                amount: e.amount,
                rates: e.rates,
                payee,
            }
        }
        [E::PayoutFlaggedOverdue(_)] => Action::FlagPayoutOverdue,
        [E::CaseClosed(_)] => Action::CloseCase,
        [E::ApplicationWithdrawn(_)] => Action::Withdraw,
        [E::ApprovalRevoked(e)] => Action::RevokeApproval {
            reasons: said(&e.personal)?,
            notified_on: e.notified_on,
        },
        [E::TravelDeadlineLapsed(_)] => Action::LapseTravelDeadline,
        [E::ForcedReturnRecorded(e)] => Action::RecordForcedReturn {
            returned_on: e.returned_on,
        },
        [E::ReEntryRecorded(e)] => Action::RecordReEntry {
            re_entered_on: e.re_entered_on,
        },
        [E::RepaymentClaimed(e)] => Action::ClaimRepayment { amount: e.amount },
        [E::PersonalDataRestricted(e)] => Action::RestrictPersonalData {
            person: e.person,
            visible_to: e.visible_to.clone(),
        },
        [E::RestrictionLifted(e)] => Action::LiftRestriction { person: e.person },
        [E::PersonalDataErased(e)] => Action::ErasePersonalData { person: e.person },
        other => {
            return Err(NotACommand::UnknownShape(
                other.iter().map(Event::event_type).collect(),
            ));
        }
    };
    Ok(action)
}

/// The statement kept under the principal applicant (the only person statements are about).
fn said(personal: &Personal<Written>) -> Result<Statement, NotACommand> {
    personal
        .0
        .values()
        .next()
        .map(|written| written.text.clone())
        .ok_or(NotACommand::Missing("statement"))
}
