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
    /// When the agencies that join a case later, IOM and UNE, were given their part in it.
    #[serde(default)]
    pub involvement: Involvement,
}

/// When the agencies that join a case only at a later step were first given their part in it.
/// Facts of the case, kept once set: a case handed over stays one IOM had a part in, whatever
/// comes after (a revocation, say).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Involvement {
    /// When UDI first handed the case over to IOM.
    pub handed_to_iom_on: Option<NaiveDate>,
    /// When an appeal in the case was first forwarded to UNE.
    pub forwarded_to_une_on: Option<NaiveDate>,
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
    /// Who the deciding body judged particularly vulnerable: kept so that an approval restored
    /// after a quashed revocation carries the same judgement.
    #[serde(default)]
    pub particularly_vulnerable: BTreeSet<PersonId>,
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
    /// When the payout was last flagged overdue.
    pub flagged_overdue_on: Option<NaiveDate>,
    /// The latest payout target a flag has covered: the tranches due by it have been flagged,
    /// and are not flagged again.
    #[serde(default)]
    pub overdue_flagged_through: Option<NaiveDate>,
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
            overdue_flagged_through: None,
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
    /// The day by which a tranche of the reintegration grant should be paid out.
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

/// A tranche's payout target: the last day by which it should be paid (its due date plus the
/// payout target days), and the cash due by then (this tranche and every one before it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PayoutTarget {
    pub on: NaiveDate,
    pub due: Money,
}

impl Case {
    /// The next deadline of the case, if one runs: the appeal window of a refusal or
    /// revocation, the travel deadline of an approval, or after arrival the payout target of
    /// the first tranche not paid in full that no flag has covered yet (under the case's rules;
    /// none if they cannot be resolved).
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
            Status::Arrived | Status::PayoutInProgress => {
                let days = self.payout_target_days(rules)?;
                self.unflagged_payout_targets(days)
                    .first()
                    .map(|target| Deadline {
                        kind: DeadlineKind::PayoutTarget,
                        on: target.on,
                    })
            }
            _ => None,
        }
    }

    /// The case that `events` make, from the beginning.
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> Case {
        events.into_iter().fold(Case::default(), evolve)
    }

    /// Every tranche's payout target, in order: its due date (counted from arrival) plus
    /// `target_days`. None before arrival.
    pub fn payout_targets(&self, target_days: u32) -> Vec<PayoutTarget> {
        let (Some(approval), Some(arrived_on)) = (&self.approval, self.travel.arrived_on) else {
            return Vec::new();
        };
        approval
            .grant
            .due_dates(arrived_on)
            .into_iter()
            .map(|(due_on, due)| PayoutTarget {
                on: calendar::add_days(due_on, target_days),
                due,
            })
            .collect()
    }

    /// The payout targets of the tranches not yet paid in full, in order. Payments count
    /// against the earliest tranche first (a payment is never more than what is due).
    pub fn unpaid_payout_targets(&self, target_days: u32) -> Vec<PayoutTarget> {
        let paid = self.payout.reintegration_paid.minor_units;
        self.payout_targets(target_days)
            .into_iter()
            .filter(|target| target.due.minor_units > paid)
            .collect()
    }

    /// The payout targets of the unpaid tranches that no flag has covered yet, in order.
    pub fn unflagged_payout_targets(&self, target_days: u32) -> Vec<PayoutTarget> {
        let flagged_through = self.payout.overdue_flagged_through;
        self.unpaid_payout_targets(target_days)
            .into_iter()
            .filter(|target| flagged_through.is_none_or(|through| target.on > through))
            .collect()
    }

    /// Whether the payout is flagged overdue now, under the case's rules: a flag has covered a
    /// tranche that is still not paid in full. Paying what was flagged clears it; the flag
    /// stays in the history. False if the rules cannot be resolved.
    pub fn payout_flagged_overdue(&self, rules: &crate::rules::RuleBook) -> bool {
        self.payout_target_days(rules)
            .is_some_and(|days| self.flagged_and_unpaid(days))
    }

    /// Whether a tranche a flag has covered is still not paid in full.
    pub fn flagged_and_unpaid(&self, target_days: u32) -> bool {
        let Some(through) = self.payout.overdue_flagged_through else {
            return false;
        };
        self.unpaid_payout_targets(target_days)
            .first()
            .is_some_and(|target| target.on <= through)
    }

    /// The payout target days of the case's rules.
    fn payout_target_days(&self, rules: &crate::rules::RuleBook) -> Option<u32> {
        self.application
            .as_ref()
            .and_then(|a| rules.in_force_on(a.submitted_on).ok())
            .map(|rules| rules.time_limits.payout_target_days)
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
                particularly_vulnerable: e.particularly_vulnerable.clone(),
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
        Event::AppealForwardedToUne(e) => {
            case.status = Status::ForwardedToUne;
            case.involvement
                .forwarded_to_une_on
                .get_or_insert(e.forwarded_on);
        }
        Event::DecisionQuashed(e) => {
            // A quashed refusal goes back to UDI for a new decision; a quashed revocation
            // restores the approval, which the event that follows records.
            if e.against == Contested::Refusal {
                case.status = Status::UnderReview;
                case.contested = None;
            }
        }
        Event::HandedOverToIom(e) => {
            case.status = Status::HandedToIom;
            case.involvement
                .handed_to_iom_on
                .get_or_insert(e.handed_over_on);
        }
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
        Event::PayoutFlaggedOverdue(e) => {
            case.payout.flagged_overdue_on = Some(e.flagged_on);
            let through = &mut case.payout.overdue_flagged_through;
            *through = Some(through.map_or(e.target_date, |t| t.max(e.target_date)));
        }
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
