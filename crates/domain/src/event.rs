//! The events of a case: the permanent record. Each has a stable type name and a schema
//! version; a snapshot test pins the JSON of every one, and a change to it needs an upcaster.
//!
//! Personal data (names, dates of birth, DUF numbers, document numbers, bank accounts and every
//! free-text statement) is never in the plain fields of an event. It sits in the event's
//! `personal` field, a map from the person it is about to that person's data, so that each entry
//! can be encrypted with that person's key and erased without touching the rest of the event.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::application::{HouseholdMember, ImmigrationSituation, PersonDetails, Place, Statement};
use crate::country::CountryCode;
use crate::grant::{Grant, PocketMoneyEntitlement};
use crate::ids::{PersonId, Role};
use crate::money::{ExchangeRates, Money};
use crate::rules::RuleSetRef;
use crate::travel::{
    BankAccount, Booking, DismissalGround, DocumentNumber, LateAppealGround, PaymentMethod,
    RescheduleCause, TravelDocumentKind,
};

/// Personal data in an event, keyed by the person it is about.
///
/// In the log each entry is sealed with its person's key, as `{"sealed": "…"}` (the app's
/// codec seals and opens them). An entry still sealed when the event is read, because the
/// reader holds no keys or the person's key was destroyed, reads as absent: every reader of the
/// log can read every event, and only a reader with the key sees the personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Personal<T>(pub BTreeMap<PersonId, T>);

/// The one field of a sealed entry of a [`Personal`] map.
pub const SEALED: &str = "sealed";

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Personal<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Entry<T> {
            Sealed(Sealed),
            Open(T),
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Sealed {
            #[serde(rename = "sealed")]
            _sealed: serde::de::IgnoredAny,
        }
        let entries = BTreeMap::<PersonId, Entry<T>>::deserialize(deserializer)?;
        Ok(Personal(
            entries
                .into_iter()
                .filter_map(|(person, entry)| match entry {
                    Entry::Open(data) => Some((person, data)),
                    Entry::Sealed(_) => None,
                })
                .collect(),
        ))
    }
}

impl<T> Personal<T> {
    pub fn of(person: PersonId, data: T) -> Self {
        Personal(BTreeMap::from([(person, data)]))
    }

    pub fn none() -> Self {
        Personal(BTreeMap::new())
    }

    pub fn get(&self, person: &PersonId) -> Option<&T> {
        self.0.get(person)
    }
}

/// One event of a case's stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, strum::EnumDiscriminants)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
#[strum_discriminants(
    name(EventType),
    doc = "Every event's type, without its data; its name is the type stored with the event.",
    derive(strum::IntoStaticStr, strum::VariantNames),
    strum(serialize_all = "snake_case")
)]
pub enum Event {
    ApplicationSubmitted(ApplicationSubmitted),
    ReviewStarted(ReviewStarted),
    ApplicationApproved(ApplicationApproved),
    ApplicationRefused(ApplicationRefused),
    AppealLodged(AppealLodged),
    DecisionReversed(DecisionReversed),
    AppealDismissed(AppealDismissed),
    AppealForwardedToUne(AppealForwardedToUne),
    AppealAllowed(AppealAllowed),
    AppealRejected(AppealRejected),
    DecisionQuashed(DecisionQuashed),
    AppealWindowClosed(AppealWindowClosed),
    HandedOverToIom(HandedOverToIom),
    TravelDocumentRequested(TravelDocumentRequested),
    TravelDocumentObtained(TravelDocumentObtained),
    DepartureBooked(DepartureBooked),
    DepartureRescheduled(DepartureRescheduled),
    NoShowReported(NoShowReported),
    DepartureRebooked(DepartureRebooked),
    DepartureConfirmed(DepartureConfirmed),
    ArrivalConfirmed(ArrivalConfirmed),
    SelfDeclarationSigned(SelfDeclarationSigned),
    PocketMoneyPaid(PocketMoneyPaid),
    ReintegrationTranchePaid(ReintegrationTranchePaid),
    PayoutFlaggedOverdue(PayoutFlaggedOverdue),
    CaseClosed(CaseClosed),
    ApplicationWithdrawn(ApplicationWithdrawn),
    ApprovalRevoked(ApprovalRevoked),
    TravelDeadlineLapsed(TravelDeadlineLapsed),
    ForcedReturnRecorded(ForcedReturnRecorded),
    ReEntryRecorded(ReEntryRecorded),
    RepaymentClaimed(RepaymentClaimed),
    PersonalDataRestricted(PersonalDataRestricted),
    RestrictionLifted(RestrictionLifted),
    PersonalDataErased(PersonalDataErased),
    LateAppealAccepted(LateAppealAccepted),
}

/// Every event type's name, in the order of [`Event`]'s variants.
pub const EVENT_TYPES: &[&str] = <EventType as strum::VariantNames>::VARIANTS;

/// The event types that carry a statement (reasons, grounds, reasoning) in their personal part:
/// refusals, revocations and everything said in an appeal. IOM is never shown these statements.
pub const STATEMENT_EVENT_TYPES: [&str; 10] = [
    "application_refused",
    "appeal_lodged",
    "late_appeal_accepted",
    "decision_reversed",
    "appeal_dismissed",
    "appeal_forwarded_to_une",
    "appeal_allowed",
    "appeal_rejected",
    "decision_quashed",
    "approval_revoked",
];

/// The schema version events are written at, by type. Bumping a type's version means reading
/// its old shape too; every type is at 1 except:
///
/// - `application_approved` at 2: the grant's `in_kind` became a list of items, each in its own
///   currency with its provider, and the approval records `particularly_vulnerable`. A version-1
///   payload (its `in_kind` one NOK amount, no `particularly_vulnerable`) is read by the same
///   code: the grant reads the old amount as one item without a provider (none when zero), and
///   the list of people judged particularly vulnerable is empty.
pub fn schema_version_of(event_type: &str) -> u16 {
    match event_type {
        "application_approved" => 2,
        _ => 1,
    }
}

/// An event that cannot be decoded: an unknown type, a version this code does not read, or a
/// payload of the wrong shape.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("unknown event type {0:?}")]
    UnknownType(String),
    #[error(
        "event type {event_type:?} at schema version {version} cannot be read: this build reads versions 1 to {newest} of it"
    )]
    UnknownVersion {
        event_type: String,
        version: u16,
        newest: u16,
    },
    #[error("event type {event_type:?} has a payload that does not parse: {source}")]
    Payload {
        event_type: String,
        source: serde_json::Error,
    },
}

impl Event {
    /// The stable type name stored with the event.
    pub fn event_type(&self) -> &'static str {
        EventType::from(self).into()
    }

    pub fn schema_version(&self) -> u16 {
        schema_version_of(self.event_type())
    }

    /// The payload as stored: the event's data without its type tag.
    pub fn payload(&self) -> serde_json::Value {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(mut tagged)) => tagged.remove("data").unwrap_or_default(),
            _ => serde_json::Value::Null,
        }
    }

    /// Reads a stored event back from its type, schema version and payload.
    pub fn decode(
        event_type: &str,
        schema_version: u16,
        payload: &serde_json::Value,
    ) -> Result<Event, DecodeError> {
        if !EVENT_TYPES.contains(&event_type) {
            return Err(DecodeError::UnknownType(event_type.to_owned()));
        }
        // Every older version of a type is read by the same code as its current one (see
        // `schema_version_of`): the changes so far are ones serde reads both ways.
        let newest = schema_version_of(event_type);
        if !(1..=newest).contains(&schema_version) {
            return Err(DecodeError::UnknownVersion {
                event_type: event_type.to_owned(),
                version: schema_version,
                newest,
            });
        }
        // The payload read as the `data` of a map whose `type` comes first: serde then reads the
        // variant's fields straight from the payload, where a tag that came second (as in a JSON
        // object, whose keys are sorted) would have the whole payload buffered and read twice.
        let tag = serde_json::Value::String(event_type.to_owned());
        let tagged = [("type", &tag), ("data", payload)];
        let tagged =
            serde::de::value::MapDeserializer::<_, serde_json::Error>::new(tagged.into_iter());
        Event::deserialize(tagged).map_err(|source| DecodeError::Payload {
            event_type: event_type.to_owned(),
            source,
        })
    }

    /// The people this event holds personal data about: the keys of its `personal` map.
    pub fn persons_with_data(&self) -> Vec<PersonId> {
        fn keys<T>(personal: &Personal<T>) -> Vec<PersonId> {
            personal.0.keys().copied().collect()
        }
        use Event::*;
        match self {
            ApplicationSubmitted(e) => keys(&e.personal),
            ApplicationRefused(e) => keys(&e.personal),
            AppealLodged(e) => keys(&e.personal),
            LateAppealAccepted(e) => keys(&e.personal),
            DecisionReversed(e) => keys(&e.personal),
            AppealDismissed(e) => keys(&e.personal),
            AppealForwardedToUne(e) => keys(&e.personal),
            AppealAllowed(e) => keys(&e.personal),
            AppealRejected(e) => keys(&e.personal),
            DecisionQuashed(e) => keys(&e.personal),
            TravelDocumentObtained(e) => keys(&e.personal),
            ReintegrationTranchePaid(e) => keys(&e.personal),
            ApprovalRevoked(e) => keys(&e.personal),
            ReviewStarted(_)
            | ApplicationApproved(_)
            | AppealWindowClosed(_)
            | HandedOverToIom(_)
            | TravelDocumentRequested(_)
            | DepartureBooked(_)
            | DepartureRescheduled(_)
            | NoShowReported(_)
            | DepartureRebooked(_)
            | DepartureConfirmed(_)
            | ArrivalConfirmed(_)
            | SelfDeclarationSigned(_)
            | PocketMoneyPaid(_)
            | PayoutFlaggedOverdue(_)
            | CaseClosed(_)
            | ApplicationWithdrawn(_)
            | TravelDeadlineLapsed(_)
            | ForcedReturnRecorded(_)
            | ReEntryRecorded(_)
            | RepaymentClaimed(_)
            | PersonalDataRestricted(_)
            | RestrictionLifted(_)
            | PersonalDataErased(_) => Vec::new(),
        }
    }
}

/// The personal data an application gives about one person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicantDetails {
    #[serde(flatten)]
    pub person: PersonDetails,
    /// Only on the principal applicant: where the household travels on to.
    pub final_destination: Option<Place>,
    /// Only on the principal applicant, and only on applications made since it was asked:
    /// how to reach them. Absent, it is left out of the event, which then reads as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<crate::application::Contact>,
}

/// A statement (reasons, grounds, reasoning), about the principal applicant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    pub text: Statement,
}

/// Which decision an appeal contests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Contested {
    Refusal,
    Revocation,
}

/// Which body dismissed an appeal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealBody {
    Udi,
    Une,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationSubmitted {
    pub submitted_at: DateTime<Utc>,
    /// The rules in force on the submission date, which the case is decided under.
    pub rules: RuleSetRef,
    /// Principal applicant first.
    pub household: Vec<HouseholdMember>,
    pub nationality: CountryCode,
    pub return_country: CountryCode,
    pub situation: ImmigrationSituation,
    pub departure_deadline: Option<NaiveDate>,
    pub previously_assisted_and_reimmigrated: bool,
    pub refused_for_status_in_other_eea_country: bool,
    pub personal: Personal<ApplicantDetails>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewStarted {
    pub started_on: NaiveDate,
}

/// The approval, whoever's decision led to it: it carries the grant and the rules used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationApproved {
    pub approved_on: NaiveDate,
    /// The household must have departed by this date, or the approval lapses.
    pub travel_deadline: NaiveDate,
    pub grant: Grant,
    pub rules: RuleSetRef,
    /// The people the deciding body judged particularly vulnerable, a judgement some country
    /// programmes give more support for. Empty in approvals recorded before it was asked.
    #[serde(default)]
    pub particularly_vulnerable: BTreeSet<PersonId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRefused {
    pub refused_on: NaiveDate,
    pub notified_on: NaiveDate,
    /// The last day an appeal can be lodged.
    pub appeal_deadline: NaiveDate,
    pub rules: RuleSetRef,
    /// The reasons, about the principal applicant. Never shown to IOM.
    pub personal: Personal<Written>,
}

/// An appeal, registered on `lodged_on` and judged by the day it was posted or handed in
/// (forvaltningsloven § 30).
///
/// `posted_on` and `missed_deadline` were added to the event after it was first recorded.
/// Before, an appeal was judged by the day it was registered and refused when that was past
/// the deadline, so every appeal recorded then was in time on its registration day: an old
/// payload reads back with `posted_on` equal to `lodged_on` and no missed deadline, which is
/// exactly what it recorded (a test reads the old form).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredAppealLodged")]
pub struct AppealLodged {
    pub lodged_on: NaiveDate,
    pub posted_on: NaiveDate,
    pub against: Contested,
    /// For an appeal posted after the deadline, the deadline it missed; `None` when in time.
    pub missed_deadline: Option<NaiveDate>,
    /// The grounds of appeal.
    pub personal: Personal<Written>,
}

/// `appeal_lodged` as stored, in either of its forms.
#[derive(Deserialize)]
struct StoredAppealLodged {
    lodged_on: NaiveDate,
    #[serde(default)]
    posted_on: Option<NaiveDate>,
    against: Contested,
    #[serde(default)]
    missed_deadline: Option<NaiveDate>,
    personal: Personal<Written>,
}

impl From<StoredAppealLodged> for AppealLodged {
    fn from(stored: StoredAppealLodged) -> Self {
        AppealLodged {
            lodged_on: stored.lodged_on,
            posted_on: stored.posted_on.unwrap_or(stored.lodged_on),
            against: stored.against,
            missed_deadline: stored.missed_deadline,
            personal: stored.personal,
        }
    }
}

/// UDI will hear an appeal posted after the deadline (forvaltningsloven § 31); the appeal then
/// stands as one lodged in time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateAppealAccepted {
    pub accepted_on: NaiveDate,
    pub against: Contested,
    pub ground: LateAppealGround,
    /// Why, about the principal applicant. Never shown to IOM.
    pub personal: Personal<Written>,
}

/// UDI reconsidered and found for the appellant (fvl. § 33).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionReversed {
    pub reversed_on: NaiveDate,
    pub against: Contested,
    pub personal: Personal<Written>,
}

/// The appeal failed formal conditions; the contested decision is final.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealDismissed {
    pub dismissed_on: NaiveDate,
    pub by: AppealBody,
    pub against: Contested,
    pub ground: DismissalGround,
    pub personal: Personal<Written>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealForwardedToUne {
    pub forwarded_on: NaiveDate,
    pub against: Contested,
    /// UDI's assessment sent with the case.
    pub personal: Personal<Written>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealAllowed {
    pub decided_on: NaiveDate,
    pub against: Contested,
    pub personal: Personal<Written>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealRejected {
    pub decided_on: NaiveDate,
    pub against: Contested,
    pub personal: Personal<Written>,
}

/// UNE quashed the contested decision and sent the case back to UDI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionQuashed {
    pub decided_on: NaiveDate,
    pub against: Contested,
    pub personal: Personal<Written>,
}

/// The appeal window passed with no appeal: the refusal or revocation is final.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealWindowClosed {
    pub closed_on: NaiveDate,
    pub against: Contested,
    pub appeal_deadline: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandedOverToIom {
    pub handed_over_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TravelDocumentRequested {
    pub requested_on: NaiveDate,
    pub persons: Vec<PersonId>,
    pub document: TravelDocumentKind,
    /// The country whose authorities issue it (usually through its embassy).
    pub issuing_country: CountryCode,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TravelDocumentObtained {
    pub obtained_on: NaiveDate,
    pub person_id: PersonId,
    pub document: TravelDocumentKind,
    pub valid_until: NaiveDate,
    pub personal: Personal<DocumentNumber>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartureBooked {
    pub booked_on: NaiveDate,
    pub booking: Booking,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartureRescheduled {
    pub rescheduled_on: NaiveDate,
    pub cause: RescheduleCause,
    pub booking: Booking,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoShowReported {
    pub reported_on: NaiveDate,
    pub missed: Booking,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartureRebooked {
    pub rebooked_on: NaiveDate,
    pub booking: Booking,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartureConfirmed {
    pub departed_on: NaiveDate,
    /// Pocket money due, by everyone's age on the departure date.
    pub pocket_money: PocketMoneyEntitlement,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrivalConfirmed {
    pub arrived_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfDeclarationSigned {
    pub signed_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PocketMoneyPaid {
    pub paid_on: NaiveDate,
    pub amount: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReintegrationTranchePaid {
    pub paid_on: NaiveDate,
    /// The amount paid, in NOK, as the grant counts it.
    pub amount: Money,
    pub rates: ExchangeRates,
    /// The USD step of the conversion, rounded to whole cents.
    pub usd: Money,
    /// What the returnee received, in local currency.
    pub local: Money,
    pub method: PaymentMethod,
    /// The bank account paid to, for a bank transfer.
    pub personal: Personal<BankAccount>,
}

/// Cash that was due has not been paid by its payout target. A tranche's payout target is its
/// due date plus the payout target days; one flag covers every tranche whose target has passed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutFlaggedOverdue {
    pub flagged_on: NaiveDate,
    /// The latest payout target passed: the tranches due by it are the ones flagged.
    pub target_date: NaiveDate,
    /// The cash due by `target_date` and not paid on `flagged_on`, in NOK.
    pub outstanding: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseClosed {
    pub closed_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationWithdrawn {
    pub withdrawn_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRevoked {
    pub revoked_on: NaiveDate,
    pub notified_on: NaiveDate,
    pub appeal_deadline: NaiveDate,
    pub personal: Personal<Written>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TravelDeadlineLapsed {
    pub lapsed_on: NaiveDate,
    pub travel_deadline: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForcedReturnRecorded {
    pub recorded_on: NaiveDate,
    pub returned_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReEntryRecorded {
    pub recorded_on: NaiveDate,
    pub re_entered_on: NaiveDate,
    /// Whether the re-entry falls within the repayment window counted from departure.
    pub within_repayment_window: bool,
}

/// Whether a repayment claim covers the whole cash grant paid or a part of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepaymentExtent {
    Full,
    Partial,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepaymentClaimed {
    pub claimed_on: NaiveDate,
    /// In NOK; never more than the reintegration grant paid (travel costs are never claimed).
    pub amount: Money,
    pub extent: RepaymentExtent,
}

/// Only the named roles may see a person's personal data from now on (a restriction of
/// processing); it replaces any restriction before it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalDataRestricted {
    pub person: PersonId,
    pub restricted_on: NaiveDate,
    pub visible_to: BTreeSet<Role>,
}

/// A person's personal data is visible again to every role that may see the case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestrictionLifted {
    pub person: PersonId,
    pub lifted_on: NaiveDate,
}

/// A person's personal data was erased: the key it was sealed with is destroyed, so no entry
/// about them in the log can be read again. The event itself carries no personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalDataErased {
    pub person: PersonId,
    pub erased_on: NaiveDate,
}
