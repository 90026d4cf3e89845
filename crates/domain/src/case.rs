//! The state of one case, folded from its events by [`evolve`]. It holds what `decide` needs to
//! judge the next command and nothing more.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::application::{HouseholdMember, ImmigrationSituation, SpecialCircumstances};
use crate::calendar;
use crate::country::CountryCode;
use crate::event::{ApplicantDetails, Contested, Event};
use crate::grant::{Grant, PocketMoneyEntitlement};
use crate::ids::{PersonId, Role};
use crate::lifecycle::Status;
use crate::money::{Currency, Money};
use crate::rules::RuleSetRef;
use crate::travel::Booking;

/// One case as its events have made it.
/// Serializable so read models can keep a case's state and advance it with `evolve`; such a
/// copy is derived data, rebuilt from the log when its shape changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub status: Status,
    /// Set by the application; present in every state but `new`.
    pub application: Option<CaseApplication>,
    /// The approval in force, from approval until the case ends.
    pub approval: Option<Approval>,
    /// The refusal or revocation under appeal or open to it. It is kept when the appeal window
    /// closes with no appeal: an appeal posted in time and registered after, or a late one,
    /// can still be lodged against it. An appeal's outcome clears it.
    pub contested: Option<ContestedDecision>,
    pub travel: Travel,
    pub payout: Payout,
    /// The latest recorded re-entry to Norway after departure.
    pub re_entry: Option<ReEntry>,
    /// What has been done about the personal data of the case's people.
    #[serde(default)]
    pub protection: Protection,
}

/// Restrictions on and erasures of the personal data of a case's people.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Protection {
    /// People whose personal data has been erased (their key is destroyed).
    pub erased: BTreeSet<PersonId>,
    /// People whose personal data only the given roles may see.
    pub restricted: BTreeMap<PersonId, BTreeSet<Role>>,
}

impl Protection {
    /// Whether `role` may see the personal data of `person`.
    pub fn may_see(&self, role: Role, person: &PersonId) -> bool {
        self.restricted
            .get(person)
            .is_none_or(|visible_to| visible_to.contains(&role))
    }
}

/// What the application stated, as the case keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseApplication {
    pub submitted_at: DateTime<Utc>,
    /// The submission date in Norway: the date whose rules decide the case.
    pub submitted_on: NaiveDate,
    pub rules: RuleSetRef,
    pub household: Vec<HouseholdMember>,
    /// Personal details by person; a person whose data was erased has none.
    pub details: BTreeMap<PersonId, ApplicantDetails>,
    pub nationality: CountryCode,
    pub return_country: CountryCode,
    pub situation: ImmigrationSituation,
    pub departure_deadline: Option<NaiveDate>,
    pub previously_assisted_and_reimmigrated: bool,
    pub refused_for_status_in_other_eea_country: bool,
}

impl CaseApplication {
    pub fn person_ids(&self) -> Vec<PersonId> {
        self.household
            .iter()
            .map(|member| member.person_id)
            .collect()
    }

    pub fn has_person(&self, person: PersonId) -> bool {
        self.household
            .iter()
            .any(|member| member.person_id == person)
    }

    pub fn principal(&self) -> Option<PersonId> {
        self.household.first().map(|member| member.person_id)
    }

    /// Everyone's special circumstances, principal applicant first, or `None` when someone's
    /// personal data has been erased.
    pub fn circumstances(&self) -> Option<Vec<(PersonId, SpecialCircumstances)>> {
        self.household
            .iter()
            .map(|member| {
                self.details
                    .get(&member.person_id)
                    .map(|d| (member.person_id, d.person.circumstances))
            })
            .collect()
    }

    /// Everyone's date of birth, or `None` when someone's personal data has been erased.
    pub fn dates_of_birth(&self) -> Option<BTreeMap<PersonId, NaiveDate>> {
        self.household
            .iter()
            .map(|member| {
                self.details
                    .get(&member.person_id)
                    .map(|d| (member.person_id, d.person.date_of_birth))
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub approved_on: NaiveDate,
    pub travel_deadline: NaiveDate,
    pub grant: Grant,
    pub rules: RuleSetRef,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestedDecision {
    pub against: Contested,
    /// The last day an appeal posted is in time.
    pub appeal_deadline: NaiveDate,
    /// When the applicant was notified: no appeal is posted before. Always set by `evolve`;
    /// `None` only in a copy serialized before the field existed.
    #[serde(default)]
    pub notified_on: Option<NaiveDate>,
    /// When the decision was made, from which the limit on hearing a late appeal runs. Always
    /// set by `evolve`; `None` only in a copy serialized before the field existed.
    #[serde(default)]
    pub decided_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Travel {
    pub documents_requested: BTreeSet<PersonId>,
    pub documents_obtained: BTreeSet<PersonId>,
    pub booking: Option<Booking>,
    pub no_shows: u32,
    pub departed_on: Option<NaiveDate>,
    pub arrived_on: Option<NaiveDate>,
}

impl Travel {
    /// The first person whose requested document has not been obtained.
    pub fn first_pending_document(&self) -> Option<PersonId> {
        self.documents_requested
            .difference(&self.documents_obtained)
            .next()
            .copied()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payout {
    pub self_declaration_signed_on: Option<NaiveDate>,
    pub pocket_money_due: Option<PocketMoneyEntitlement>,
    pub pocket_money_paid: Option<Money>,
    /// Reintegration grant paid so far, in NOK.
    pub reintegration_paid: Money,
    pub tranches_paid: u32,
    pub flagged_overdue_on: Option<NaiveDate>,
    pub repayment_claimed: Option<Money>,
}

impl Default for Payout {
    fn default() -> Self {
        Payout {
            self_declaration_signed_on: None,
            pocket_money_due: None,
            pocket_money_paid: None,
            reintegration_paid: Money::zero(Currency::NOK),
            tranches_paid: 0,
            flagged_overdue_on: None,
            repayment_claimed: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReEntry {
    pub re_entered_on: NaiveDate,
    pub within_repayment_window: bool,
}

/// What is due next in a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The last day to appeal a refusal or a revocation.
    AppealWindowCloses,
    /// The last day the household may depart on this approval.
    TravelDeadline,
    /// The day by which the reintegration grant should be paid out.
    PayoutTarget,
}

impl DeadlineKind {
    pub const ALL: [DeadlineKind; 3] = [
        DeadlineKind::AppealWindowCloses,
        DeadlineKind::TravelDeadline,
        DeadlineKind::PayoutTarget,
    ];

    pub fn name(&self) -> &'static str {
        match self {
            DeadlineKind::AppealWindowCloses => "appeal_window_closes",
            DeadlineKind::TravelDeadline => "travel_deadline",
            DeadlineKind::PayoutTarget => "payout_target",
        }
    }

    pub fn parse(text: &str) -> Option<DeadlineKind> {
        DeadlineKind::ALL
            .into_iter()
            .find(|kind| kind.name() == text)
    }
}

/// A deadline: what is due, and the last day it may be met on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub on: NaiveDate,
}

impl Case {
    /// The next deadline of the case, if one runs: the appeal window of a refusal or
    /// revocation, the travel deadline of an approval, or the payout target after arrival
    /// (under the case's rules; none once flagged overdue, or if the rules cannot be resolved).
    pub fn next_deadline(&self, rules: &crate::rules::RuleBook) -> Option<Deadline> {
        match self.status {
            Status::Refused | Status::Revoked => self.contested.map(|c| Deadline {
                kind: DeadlineKind::AppealWindowCloses,
                on: c.appeal_deadline,
            }),
            Status::Approved
            | Status::HandedToIom
            | Status::TravelDocumentsPending
            | Status::ReadyToBook
            | Status::DepartureBooked
            | Status::NoShow => self.approval.as_ref().map(|a| Deadline {
                kind: DeadlineKind::TravelDeadline,
                on: a.travel_deadline,
            }),
            Status::Arrived | Status::PayoutInProgress
                if self.cash_outstanding().is_positive()
                    && self.payout.flagged_overdue_on.is_none() =>
            {
                let days = self
                    .application
                    .as_ref()
                    .and_then(|a| rules.in_force_on(a.submitted_on).ok())
                    .map(|rules| rules.time_limits.payout_target_days)?;
                let arrived_on = self.travel.arrived_on?;
                Some(Deadline {
                    kind: DeadlineKind::PayoutTarget,
                    on: calendar::add_days(arrived_on, days),
                })
            }
            _ => None,
        }
    }

    /// The case that `events` make, from the beginning.
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> Case {
        events.into_iter().fold(Case::default(), evolve)
    }

    /// The cash grant still to pay, in NOK; zero before approval.
    pub fn cash_outstanding(&self) -> Money {
        let approved = self
            .approval
            .as_ref()
            .map_or(Money::zero(Currency::NOK), |a| a.grant.cash);
        approved
            .checked_sub(self.payout.reintegration_paid)
            .unwrap_or(Money::zero(Currency::NOK))
    }
}

/// Applies one event to a case. Total: it never fails and never panics, whatever the event, so a
/// stored history can always be folded; whether the history was legal is `decide`'s question,
/// and the audit replay asks it.
pub fn evolve(mut case: Case, event: &Event) -> Case {
    match event {
        Event::ApplicationSubmitted(e) => {
            case.status = Status::Submitted;
            case.application = Some(CaseApplication {
                submitted_at: e.submitted_at,
                submitted_on: calendar::oslo_date(e.submitted_at),
                rules: e.rules.clone(),
                household: e.household.clone(),
                details: e.personal.0.clone(),
                nationality: e.nationality,
                return_country: e.return_country,
                situation: e.situation,
                departure_deadline: e.departure_deadline,
                previously_assisted_and_reimmigrated: e.previously_assisted_and_reimmigrated,
                refused_for_status_in_other_eea_country: e.refused_for_status_in_other_eea_country,
            });
        }
        Event::ReviewStarted(_) => case.status = Status::UnderReview,
        Event::ApplicationApproved(e) => {
            case.status = Status::Approved;
            case.contested = None;
            case.travel.booking = None;
            case.approval = Some(Approval {
                approved_on: e.approved_on,
                travel_deadline: e.travel_deadline,
                grant: e.grant.clone(),
                rules: e.rules.clone(),
            });
        }
        Event::ApplicationRefused(e) => {
            case.status = Status::Refused;
            case.contested = Some(ContestedDecision {
                against: Contested::Refusal,
                appeal_deadline: e.appeal_deadline,
                notified_on: Some(e.notified_on),
                decided_on: Some(e.refused_on),
            });
        }
        Event::AppealLodged(e) => {
            case.status = match e.missed_deadline {
                Some(_) => Status::LateAppealLodged,
                None => Status::AppealLodged,
            }
        }
        Event::LateAppealAccepted(_) => case.status = Status::AppealLodged,
        // A reversal or an allowed appeal is followed by the approval it leads to.
        Event::DecisionReversed(_) | Event::AppealAllowed(_) => {}
        Event::AppealDismissed(e) => case = finalize(case, e.against),
        Event::AppealRejected(e) => case = finalize(case, e.against),
        Event::AppealWindowClosed(e) => {
            // Final only because no appeal came in time: the decision stays open to one posted
            // in time and registered after, and to a late one.
            let contested = case.contested;
            case = finalize(case, e.against);
            case.contested = contested;
        }
        Event::AppealForwardedToUne(_) => case.status = Status::ForwardedToUne,
        Event::DecisionQuashed(e) => {
            // A quashed refusal goes back to UDI for a new decision; a quashed revocation
            // restores the approval, which the event that follows records.
            if e.against == Contested::Refusal {
                case.status = Status::UnderReview;
                case.contested = None;
            }
        }
        Event::HandedOverToIom(_) => case.status = Status::HandedToIom,
        Event::TravelDocumentRequested(e) => {
            case.status = Status::TravelDocumentsPending;
            for person in &e.persons {
                case.travel.documents_obtained.remove(person);
                case.travel.documents_requested.insert(*person);
            }
        }
        Event::TravelDocumentObtained(e) => {
            case.travel.documents_obtained.insert(e.person_id);
            if case.travel.first_pending_document().is_none() {
                case.status = Status::ReadyToBook;
            }
        }
        Event::DepartureBooked(e) => {
            case.status = Status::DepartureBooked;
            case.travel.booking = Some(e.booking.clone());
        }
        Event::DepartureRescheduled(e) => case.travel.booking = Some(e.booking.clone()),
        Event::NoShowReported(_) => {
            case.status = Status::NoShow;
            case.travel.no_shows = case.travel.no_shows.saturating_add(1);
        }
        Event::DepartureRebooked(e) => {
            case.status = Status::DepartureBooked;
            case.travel.booking = Some(e.booking.clone());
        }
        Event::DepartureConfirmed(e) => {
            case.status = Status::Departed;
            case.travel.departed_on = Some(e.departed_on);
            case.payout.pocket_money_due = Some(e.pocket_money);
        }
        Event::ArrivalConfirmed(e) => {
            case.status = Status::Arrived;
            case.travel.arrived_on = Some(e.arrived_on);
        }
        Event::SelfDeclarationSigned(e) => {
            case.payout.self_declaration_signed_on = Some(e.signed_on)
        }
        Event::PocketMoneyPaid(e) => case.payout.pocket_money_paid = Some(e.amount),
        Event::ReintegrationTranchePaid(e) => {
            let paid = &mut case.payout.reintegration_paid;
            *paid = paid.checked_add(e.amount).unwrap_or(*paid);
            case.payout.tranches_paid = case.payout.tranches_paid.saturating_add(1);
            case.status = if case.cash_outstanding().is_positive() {
                Status::PayoutInProgress
            } else {
                Status::PaidOut
            };
        }
        Event::PayoutFlaggedOverdue(e) => case.payout.flagged_overdue_on = Some(e.flagged_on),
        Event::CaseClosed(_) => case.status = Status::Closed,
        Event::ApplicationWithdrawn(_) => case.status = Status::Withdrawn,
        Event::ApprovalRevoked(e) => {
            case.status = Status::Revoked;
            case.travel.booking = None;
            case.contested = Some(ContestedDecision {
                against: Contested::Revocation,
                appeal_deadline: e.appeal_deadline,
                notified_on: Some(e.notified_on),
                decided_on: Some(e.revoked_on),
            });
        }
        Event::TravelDeadlineLapsed(_) => case.status = Status::Lapsed,
        Event::ForcedReturnRecorded(_) => case.status = Status::ForcedReturn,
        Event::ReEntryRecorded(e) => {
            // A re-entry within the repayment window is what a claim rests on: a later one
            // outside the window does not take its place.
            if case
                .re_entry
                .is_none_or(|earlier| !earlier.within_repayment_window)
            {
                case.re_entry = Some(ReEntry {
                    re_entered_on: e.re_entered_on,
                    within_repayment_window: e.within_repayment_window,
                });
            }
        }
        Event::RepaymentClaimed(e) => {
            case.status = Status::RepaymentClaimed;
            case.payout.repayment_claimed = Some(e.amount);
        }
        Event::PersonalDataRestricted(e) => {
            case.protection
                .restricted
                .insert(e.person, e.visible_to.clone());
        }
        Event::RestrictionLifted(e) => {
            case.protection.restricted.remove(&e.person);
        }
        Event::PersonalDataErased(e) => {
            case.protection.restricted.remove(&e.person);
            case.protection.erased.insert(e.person);
            if let Some(application) = case.application.as_mut() {
                application.details.remove(&e.person);
            }
        }
    }
    case
}

/// The contested decision stands for good.
fn finalize(mut case: Case, against: Contested) -> Case {
    case.status = match against {
        Contested::Refusal => Status::RefusedFinal,
        Contested::Revocation => Status::RevokedFinal,
    };
    case.contested = None;
    case
}
