//! Why `decide` refuses a command: a rule of the process, never a system failure. Each refusal
//! has a stable code naming the rule and a sentence for the person who asked.

use chrono::NaiveDate;

use crate::grant::Ineligibility;
use crate::ids::{PersonId, Role};
use crate::lifecycle::{CommandKind, Status};
use crate::money::Money;
use crate::rules::{Exclusion, NoRulesInForce};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{command} is {owner}'s step; a caller acting as {role} may not take it")]
    WrongRole {
        command: CommandKind,
        role: Role,
        owner: Role,
    },

    #[error("{command} cannot be done while the case is {status}")]
    WrongState {
        command: CommandKind,
        status: Status,
    },

    #[error("person {} is not eligible: {} ({})", .0.person_id, .0.exclusion, describe(&.0.exclusion))]
    Ineligible(Ineligibility),

    #[error("the application is not valid: {0}")]
    InvalidApplication(String),

    #[error("the request is not valid: {0}")]
    Invalid(String),

    #[error("{field} {problem}")]
    InvalidDate {
        field: &'static str,
        problem: String,
    },

    #[error("person {0} is not in the household")]
    UnknownPerson(PersonId),

    #[error(
        "the appeal against this decision has been decided, so the decision is final: a decision in an appeal cannot itself be appealed (forvaltningsloven § 28)"
    )]
    AppealAlreadyDecided,

    #[error(
        "the appeal was posted after its deadline, {missed_deadline}: UDI accepts it for hearing (forvaltningsloven § 31) or dismisses it as late before anything else is done with it"
    )]
    LateAppealNotAccepted { missed_deadline: NaiveDate },

    #[error(
        "the decision was made on {decided_on}, and a late appeal against it could be heard only until {last_day} (forvaltningsloven § 31 third paragraph): it can now only be dismissed"
    )]
    LateAppealTimeBarred {
        decided_on: NaiveDate,
        last_day: NaiveDate,
    },

    #[error("the appeal window is open until {deadline}: it cannot be closed before then")]
    AppealWindowOpen { deadline: NaiveDate },

    #[error("the travel deadline {deadline} has not passed")]
    TravelDeadlineNotPassed { deadline: NaiveDate },

    #[error(
        "the travel deadline was {deadline}: the approval has lapsed and nothing can be booked"
    )]
    TravelDeadlinePassed { deadline: NaiveDate },

    #[error("the departure is booked for {departs_on}: it cannot be {what} before that day")]
    BeforeDepartureDate {
        departs_on: NaiveDate,
        what: &'static str,
    },

    #[error("travel documents are still pending for person {0}")]
    TravelDocumentsPending(PersonId),

    #[error("no travel document was requested for person {0}")]
    NoDocumentRequested(PersonId),

    #[error("the grant is paid only after arrival")]
    PayoutBeforeArrival,

    #[error("the self-declaration must be signed before the grant is paid")]
    SelfDeclarationMissing,

    #[error("the self-declaration was already signed on {signed_on}")]
    SelfDeclarationAlreadySigned { signed_on: NaiveDate },

    #[error("paying {requested} would exceed the approved cash grant: {remaining} is left to pay")]
    PayoutExceedsApproved { requested: Money, remaining: Money },

    #[error(
        "{requested} is more than is due by now ({due_now} of the grant falls due by today; more on {next_due})"
    )]
    TrancheNotYetDue {
        requested: Money,
        due_now: Money,
        next_due: NaiveDate,
    },

    #[error("an amount must be in {expected} and above zero, not {given}")]
    InvalidAmount {
        expected: &'static str,
        given: Money,
    },

    #[error("the amount is too large to convert at the rates given")]
    ConversionOverflow,

    #[error("pocket money was already paid ({amount})")]
    PocketMoneyAlreadyPaid { amount: Money },

    #[error("the payout is not overdue: the target date is {target_date}")]
    PayoutNotOverdue { target_date: NaiveDate },

    #[error("the payout was already flagged overdue")]
    PayoutAlreadyFlagged,

    #[error("the case cannot be closed: {0}")]
    NotReadyToClose(&'static str),

    #[error("no re-entry within the repayment window is recorded: there is nothing to claim")]
    NoReEntryWithinWindow,

    #[error("the claim {requested} is more than the reintegration grant paid ({paid})")]
    RepaymentExceedsPaid { requested: Money, paid: Money },

    #[error("the personal data needed for this step ({0}) has been erased")]
    PersonalDataErased(&'static str),

    #[error(
        "the personal data of person {0} has been erased: nothing about them can be recorded, restricted or erased again"
    )]
    PersonErased(PersonId),

    #[error("no restriction is in force for person {0}")]
    NotRestricted(PersonId),

    #[error(transparent)]
    NoRules(#[from] NoRulesInForce),
}

impl Refusal {
    /// Whether the refusal is about a value the command gives (a date, an amount's form, a
    /// person, a text), rather than about the case: the same command with other values may be
    /// taken. An amount over what is left, paid or due is about the case: the smallest amount
    /// is refused so only when nothing is.
    pub fn is_about_input(&self) -> bool {
        matches!(
            self,
            Refusal::InvalidApplication(_)
                | Refusal::Invalid(_)
                | Refusal::InvalidDate { .. }
                | Refusal::UnknownPerson(_)
                | Refusal::InvalidAmount { .. }
                | Refusal::ConversionOverflow
        )
    }

    /// The stable code of the rule that refused, for clients and for problem+json `type`s.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::WrongRole { .. } => "wrong_role",
            Refusal::WrongState { .. } => "wrong_state",
            Refusal::Ineligible(ineligibility) => ineligibility.exclusion.code(),
            Refusal::InvalidApplication(_) => "invalid_application",
            Refusal::Invalid(_) => "invalid_request",
            Refusal::InvalidDate { .. } => "invalid_date",
            Refusal::UnknownPerson(_) => "unknown_person",
            Refusal::AppealAlreadyDecided => "appeal_already_decided",
            Refusal::LateAppealNotAccepted { .. } => "late_appeal_not_accepted",
            Refusal::LateAppealTimeBarred { .. } => "late_appeal_time_barred",
            Refusal::AppealWindowOpen { .. } => "appeal_window_open",
            Refusal::TravelDeadlineNotPassed { .. } => "travel_deadline_not_passed",
            Refusal::TravelDeadlinePassed { .. } => "travel_deadline_passed",
            Refusal::BeforeDepartureDate { .. } => "before_departure_date",
            Refusal::TravelDocumentsPending(_) => "travel_documents_pending",
            Refusal::NoDocumentRequested(_) => "no_document_requested",
            Refusal::PayoutBeforeArrival => "payout_before_arrival",
            Refusal::SelfDeclarationMissing => "self_declaration_missing",
            Refusal::SelfDeclarationAlreadySigned { .. } => "self_declaration_already_signed",
            Refusal::PayoutExceedsApproved { .. } => "payout_exceeds_approved",
            Refusal::TrancheNotYetDue { .. } => "tranche_not_yet_due",
            Refusal::InvalidAmount { .. } => "invalid_amount",
            Refusal::ConversionOverflow => "conversion_overflow",
            Refusal::PocketMoneyAlreadyPaid { .. } => "pocket_money_already_paid",
            Refusal::PayoutNotOverdue { .. } => "payout_not_overdue",
            Refusal::PayoutAlreadyFlagged => "payout_already_flagged",
            Refusal::NotReadyToClose(_) => "not_ready_to_close",
            Refusal::NoReEntryWithinWindow => "no_re_entry_within_window",
            Refusal::RepaymentExceedsPaid { .. } => "repayment_exceeds_paid",
            Refusal::PersonalDataErased(_) => "personal_data_erased",
            Refusal::PersonErased(_) => "person_erased",
            Refusal::NotRestricted(_) => "not_restricted",
            Refusal::NoRules(_) => "no_rules_in_force",
        }
    }
}

/// Every code a refusal can carry, the exclusions' included: what a client may meet as the
/// `rule` of a problem. A test in the domain's suite checks it against every kind of refusal.
pub const CODES: [&str; 38] = [
    "wrong_role",
    "wrong_state",
    "excluded_nationality",
    "visa_exempt_nationality",
    "reimmigrated_to_dublin_state",
    "non_protection_permit_expired",
    "status_in_other_eea_country",
    "legal_residence",
    "invalid_application",
    "invalid_request",
    "invalid_date",
    "unknown_person",
    "appeal_already_decided",
    "late_appeal_not_accepted",
    "late_appeal_time_barred",
    "appeal_window_open",
    "travel_deadline_not_passed",
    "travel_deadline_passed",
    "before_departure_date",
    "travel_documents_pending",
    "no_document_requested",
    "payout_before_arrival",
    "self_declaration_missing",
    "self_declaration_already_signed",
    "payout_exceeds_approved",
    "tranche_not_yet_due",
    "invalid_amount",
    "conversion_overflow",
    "pocket_money_already_paid",
    "payout_not_overdue",
    "payout_already_flagged",
    "not_ready_to_close",
    "no_re_entry_within_window",
    "repayment_exceeds_paid",
    "personal_data_erased",
    "person_erased",
    "not_restricted",
    "no_rules_in_force",
];

fn describe(exclusion: &Exclusion) -> &'static str {
    match exclusion {
        Exclusion::ExcludedNationality => "citizens of this country are normally not eligible",
        Exclusion::VisaExemptNationality => {
            "nationals of a visa-exempt country are normally not eligible"
        }
        Exclusion::ReimmigratedToDublinState => {
            "who received return support before and came back cannot return to a Dublin state with support"
        }
        Exclusion::NonProtectionPermitExpired => {
            "a residence permit on other grounds than protection expired or was revoked"
        }
        Exclusion::StatusInOtherEeaCountry => {
            "protection, residence or a visa is held in another EU/EEA country"
        }
        Exclusion::LegalResidence => {
            "with legal residence in Norway, apply for repatriation instead"
        }
    }
}
