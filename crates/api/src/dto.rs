//! The wire format. Requests parse straight into checked values (a country code that is not
//! assigned, a date that does not exist, an unknown field, all fail here with a message);
//! responses are shaped here and nowhere else.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use retur_app::{CaseStatus, Handled, HistoryEntry};
use retur_domain::application::Relation;
use retur_domain::command::Payee;
use retur_domain::travel::{
    AccountNumber, BankAccount, Booking, DismissalGround, DocumentNumber, LateAppealGround,
    RescheduleCause, TravelDocumentKind,
};
use retur_domain::{
    Action, Application, Contact, CountryCode, DufNumber, ExchangeRates, FullName, Household,
    HouseholdMember, ImmigrationSituation, Money, PersonDetails, PersonId, Place, Role,
    SpecialCircumstances, Statement,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A calendar date on the wire, exactly `YYYY-MM-DD` (RFC 3339's full-date); one that does not
/// exist, or is written otherwise, is refused with a message that quotes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ToSchema)]
pub struct Day(pub NaiveDate);

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        retur_domain::calendar::parse_iso_date(&text)
            .map(Day)
            .map_err(|e| serde::de::Error::custom(e.to_string()))
    }
}

/// A command. On the wire it is named by its `command` field (`{"command": "refuse", …}`);
/// [`CommandDto::parse`] reads that form, naming the path of any field that does not parse.
/// (The derived schema is of the externally tagged form serde reads; the OpenAPI document
/// rewrites it to the wire form, see `openapi::wire_form`.)
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum CommandDto {
    Submit(SubmitDto),
    BeginReview {},
    /// `particularly_vulnerable`: whom UDI judges particularly vulnerable, where a country
    /// programme gives them more (Morocco); left out for no one.
    Approve {
        #[serde(default)]
        particularly_vulnerable: Vec<PersonId>,
    },
    Refuse {
        reasons: Statement,
        notified_on: Day,
    },
    LodgeAppeal {
        grounds: Statement,
        /// The day the appeal was posted or handed in, which decides whether it is in time
        /// (forvaltningsloven § 30); left out, the day it is registered.
        #[serde(default)]
        posted_on: Option<Day>,
    },
    /// UDI hears a late appeal all the same (forvaltningsloven § 31), on one of its grounds.
    AcceptLateAppeal {
        ground: LateAppealGround,
        reasoning: Statement,
    },
    ReverseDecision {
        reasoning: Statement,
        #[serde(default)]
        particularly_vulnerable: Vec<PersonId>,
    },
    DismissAppeal {
        ground: DismissalGround,
        reasoning: Statement,
    },
    ForwardToUne {
        assessment: Statement,
    },
    AllowAppeal {
        reasoning: Statement,
        #[serde(default)]
        particularly_vulnerable: Vec<PersonId>,
    },
    RejectAppeal {
        reasoning: Statement,
    },
    QuashDecision {
        reasoning: Statement,
    },
    DismissAppealAtUne {
        ground: DismissalGround,
        reasoning: Statement,
    },
    CloseAppealWindow {},
    HandOverToIom {},
    RequestTravelDocument {
        persons: Vec<PersonId>,
        document: TravelDocumentKind,
        issuing_country: CountryCode,
    },
    RecordTravelDocument {
        person_id: PersonId,
        document: TravelDocumentKind,
        number: DocumentNumber,
        valid_until: Day,
    },
    BookDeparture {
        booking: Booking,
    },
    RescheduleDeparture {
        cause: RescheduleCause,
        booking: Booking,
    },
    ReportNoShow {},
    RebookDeparture {
        booking: Booking,
    },
    ConfirmDeparture {
        departed_on: Day,
    },
    ConfirmArrival {
        arrived_on: Day,
    },
    RecordSelfDeclaration {
        signed_on: Day,
    },
    PayPocketMoney {},
    PayReintegrationTranche {
        amount: Money,
        rates: ExchangeRates,
        payee: PayeeDto,
    },
    FlagPayoutOverdue {},
    CloseCase {},
    Withdraw {},
    RevokeApproval {
        reasons: Statement,
        notified_on: Day,
    },
    LapseTravelDeadline {},
    RecordForcedReturn {
        returned_on: Day,
    },
    RecordReEntry {
        re_entered_on: Day,
    },
    ClaimRepayment {
        amount: Money,
    },
    /// From now on only the roles named may see the person's personal data; replaces an
    /// earlier restriction.
    RestrictPersonalData {
        person_id: PersonId,
        #[schema(value_type = Vec<String>, example = json!(["udi", "auditor"]))]
        visible_to: Vec<Role>,
    },
    LiftRestriction {
        person_id: PersonId,
    },
    /// Destroys the key the person's personal data is sealed with, and records it. Cannot be
    /// undone; `retur erase` does the same in every case the person appears in.
    ErasePersonalData {
        person_id: PersonId,
    },
}

/// An application.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitDto {
    /// Principal applicant first.
    pub household: Vec<PersonDto>,
    pub nationality: CountryCode,
    pub return_country: CountryCode,
    pub final_destination: Place,
    pub situation: ImmigrationSituation,
    #[serde(default)]
    pub departure_deadline: Option<Day>,
    #[serde(default)]
    pub previously_assisted_and_reimmigrated: bool,
    #[serde(default)]
    pub refused_for_status_in_other_eea_country: bool,
    /// How to reach the principal applicant: a phone number, the language (ISO 639) to be
    /// contacted in, and whether an interpreter is needed.
    #[serde(default)]
    pub contact: Option<Contact>,
}

/// A member of the household.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonDto {
    pub person_id: PersonId,
    pub relation: Relation,
    pub full_name: FullName,
    pub date_of_birth: Day,
    #[serde(default)]
    pub duf_number: Option<DufNumber>,
    #[serde(default)]
    pub unaccompanied_minor: bool,
    #[serde(default)]
    pub possible_trafficking_victim: bool,
}

/// Whom a reintegration tranche is paid to, and how.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum PayeeDto {
    Cash {},
    BankTransfer {
        person_id: PersonId,
        account: AccountNumber,
        holder: FullName,
    },
}

/// What is wrong with a command on the wire, and where: the API says it in a problem's detail,
/// the pages beside the field whose path it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError {
    /// The path of the field it is about, as the JSON names it (`booking.departs_on`,
    /// `household[1].full_name`); empty when it is about the body as a whole.
    pub path: String,
    pub kind: WireErrorKind,
}

/// What kind of thing is wrong with a command on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WireErrorKind {
    /// The body is not JSON (the JSON parser's words).
    NotJson(String),
    /// The body is JSON, but not an object.
    NotAnObject,
    /// The object names no command.
    NoCommand,
    /// `command` is there, but is no command's name (the value given).
    NotACommandName(String),
    /// The field at the path is given twice.
    GivenTwice,
    /// The field at the path is required and not given.
    Missing,
    /// The value at the path is not what it must be (what is wrong with it).
    Invalid(String),
}

impl WireError {
    fn at(path: impl Into<String>, kind: WireErrorKind) -> WireError {
        WireError {
            path: path.into(),
            kind,
        }
    }
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use WireErrorKind as K;
        let path = &self.path;
        match &self.kind {
            K::NotJson(problem) => write!(f, "the body is not JSON: {problem}"),
            K::NotAnObject => {
                f.write_str("the body must be a JSON object with a \"command\" field")
            }
            K::NoCommand => f.write_str("the body has no \"command\" field naming the command"),
            K::NotACommandName(given) => {
                write!(f, "command: must be a command's name, not {given}")
            }
            K::GivenTwice => write!(f, "{path}: given twice; each field may be given once"),
            K::Missing => match path.rsplit_once('.') {
                Some((within, field)) => write!(f, "{within}: missing field `{field}`"),
                None => write!(f, "missing field `{path}`"),
            },
            K::Invalid(problem) if path.is_empty() => f.write_str(problem),
            K::Invalid(problem) => write!(f, "{path}: {problem}"),
        }
    }
}

impl std::error::Error for WireError {}

impl CommandDto {
    /// Reads a command from its JSON body. The error says what is wrong and where.
    pub fn parse(body: &[u8]) -> Result<CommandDto, WireError> {
        let value: serde_json::Value = serde_json::from_slice(body)
            .map_err(|e| WireError::at("", WireErrorKind::NotJson(e.to_string())))?;
        unique_keys(body)?;
        CommandDto::from_value(value)
    }

    /// Reads a command from a JSON value (a form's fields, put at their paths).
    pub fn from_value(value: serde_json::Value) -> Result<CommandDto, WireError> {
        let serde_json::Value::Object(mut fields) = value else {
            return Err(WireError::at("", WireErrorKind::NotAnObject));
        };
        let name = match fields.remove("command") {
            Some(serde_json::Value::String(name)) => name,
            Some(other) => {
                return Err(WireError::at(
                    "command",
                    WireErrorKind::NotACommandName(other.to_string()),
                ));
            }
            None => return Err(WireError::at("", WireErrorKind::NoCommand)),
        };
        // serde keeps the path of a field only through externally tagged enums.
        let tagged = serde_json::json!({ name: serde_json::Value::Object(fields) });
        serde_path_to_error::deserialize(tagged).map_err(|error| {
            let path = error.path().to_string();
            let path = path.split_once('.').map_or("", |(_, rest)| rest).to_owned();
            let problem = error.into_inner().to_string();
            // serde says a field is missing only in words: read here, once, at the boundary.
            match problem
                .strip_prefix("missing field `")
                .and_then(|rest| rest.split_once('`'))
            {
                Some((field, _)) if path.is_empty() => WireError::at(field, WireErrorKind::Missing),
                Some((field, _)) => {
                    WireError::at(format!("{path}.{field}"), WireErrorKind::Missing)
                }
                None => WireError::at(path, WireErrorKind::Invalid(problem)),
            }
        })
    }

    /// Reads a command from its JSON body into the domain's action.
    pub fn read(body: &[u8]) -> Result<Action, WireError> {
        CommandDto::parse(body)?.into_action()
    }

    /// The domain's action; an application whose household breaks a rule of shape is refused.
    pub fn into_action(self) -> Result<Action, WireError> {
        use CommandDto as C;
        Ok(match self {
            C::Submit(submit) => {
                let mut people = submit.household.into_iter().map(|p| {
                    (
                        HouseholdMember {
                            person_id: p.person_id,
                            relation: p.relation,
                        },
                        PersonDetails {
                            full_name: p.full_name,
                            date_of_birth: p.date_of_birth.0,
                            duf_number: p.duf_number,
                            circumstances: SpecialCircumstances {
                                unaccompanied_minor: p.unaccompanied_minor,
                                possible_trafficking_victim: p.possible_trafficking_victim,
                            },
                        },
                    )
                });
                let household_error =
                    |problem: String| WireError::at("household", WireErrorKind::Invalid(problem));
                let principal = people.next().ok_or_else(|| {
                    household_error("must list at least the principal applicant".to_owned())
                })?;
                let household = Household::new(principal, people.collect())
                    .map_err(|e| household_error(e.to_string()))?;
                Action::Submit(Box::new(Application {
                    household,
                    nationality: submit.nationality,
                    return_country: submit.return_country,
                    final_destination: submit.final_destination,
                    situation: submit.situation,
                    departure_deadline: submit.departure_deadline.map(|day| day.0),
                    previously_assisted_and_reimmigrated: submit
                        .previously_assisted_and_reimmigrated,
                    refused_for_status_in_other_eea_country: submit
                        .refused_for_status_in_other_eea_country,
                    contact: submit.contact,
                }))
            }
            C::BeginReview {} => Action::BeginReview,
            C::Approve {
                particularly_vulnerable,
            } => Action::Approve {
                particularly_vulnerable: particularly_vulnerable.into_iter().collect(),
            },
            C::Refuse {
                reasons,
                notified_on,
            } => Action::Refuse {
                reasons,
                notified_on: notified_on.0,
            },
            C::LodgeAppeal { grounds, posted_on } => Action::LodgeAppeal {
                grounds,
                posted_on: posted_on.map(|day| day.0),
            },
            C::AcceptLateAppeal { ground, reasoning } => {
                Action::AcceptLateAppeal { ground, reasoning }
            }
            C::ReverseDecision {
                reasoning,
                particularly_vulnerable,
            } => Action::ReverseDecision {
                reasoning,
                particularly_vulnerable: particularly_vulnerable.into_iter().collect(),
            },
            C::DismissAppeal { ground, reasoning } => Action::DismissAppeal { ground, reasoning },
            C::ForwardToUne { assessment } => Action::ForwardToUne { assessment },
            C::AllowAppeal {
                reasoning,
                particularly_vulnerable,
            } => Action::AllowAppeal {
                reasoning,
                particularly_vulnerable: particularly_vulnerable.into_iter().collect(),
            },
            C::RejectAppeal { reasoning } => Action::RejectAppeal { reasoning },
            C::QuashDecision { reasoning } => Action::QuashDecision { reasoning },
            C::DismissAppealAtUne { ground, reasoning } => {
                Action::DismissAppealAtUne { ground, reasoning }
            }
            C::CloseAppealWindow {} => Action::CloseAppealWindow,
            C::HandOverToIom {} => Action::HandOverToIom,
            C::RequestTravelDocument {
                persons,
                document,
                issuing_country,
            } => Action::RequestTravelDocument {
                persons,
                document,
                issuing_country,
            },
            C::RecordTravelDocument {
                person_id,
                document,
                number,
                valid_until,
            } => Action::RecordTravelDocument {
                person_id,
                document,
                number,
                valid_until: valid_until.0,
            },
            C::BookDeparture { booking } => Action::BookDeparture(booking),
            C::RescheduleDeparture { cause, booking } => {
                Action::RescheduleDeparture { cause, booking }
            }
            C::ReportNoShow {} => Action::ReportNoShow,
            C::RebookDeparture { booking } => Action::RebookDeparture(booking),
            C::ConfirmDeparture { departed_on } => Action::ConfirmDeparture {
                departed_on: departed_on.0,
            },
            C::ConfirmArrival { arrived_on } => Action::ConfirmArrival {
                arrived_on: arrived_on.0,
            },
            C::RecordSelfDeclaration { signed_on } => Action::RecordSelfDeclaration {
                signed_on: signed_on.0,
            },
            C::PayPocketMoney {} => Action::PayPocketMoney,
            C::PayReintegrationTranche {
                amount,
                rates,
                payee,
            } => Action::PayReintegrationTranche {
                amount,
                rates,
                payee: match payee {
                    PayeeDto::Cash {} => Payee::Cash,
                    PayeeDto::BankTransfer {
                        person_id,
                        account,
                        holder,
                    } => Payee::BankTransfer {
                        person_id,
                        account: BankAccount { account, holder },
                    },
                },
            },
            C::FlagPayoutOverdue {} => Action::FlagPayoutOverdue,
            C::CloseCase {} => Action::CloseCase,
            C::Withdraw {} => Action::Withdraw,
            C::RevokeApproval {
                reasons,
                notified_on,
            } => Action::RevokeApproval {
                reasons,
                notified_on: notified_on.0,
            },
            C::LapseTravelDeadline {} => Action::LapseTravelDeadline,
            C::RecordForcedReturn { returned_on } => Action::RecordForcedReturn {
                returned_on: returned_on.0,
            },
            C::RecordReEntry { re_entered_on } => Action::RecordReEntry {
                re_entered_on: re_entered_on.0,
            },
            C::ClaimRepayment { amount } => Action::ClaimRepayment { amount },
            C::RestrictPersonalData {
                person_id,
                visible_to,
            } => Action::RestrictPersonalData {
                person: person_id,
                visible_to: visible_to.into_iter().collect(),
            },
            C::LiftRestriction { person_id } => Action::LiftRestriction { person: person_id },
            C::ErasePersonalData { person_id } => Action::ErasePersonalData { person: person_id },
        })
    }
}

/// Refuses a JSON text in which an object names a key twice, anywhere in it. serde's readers
/// keep the last of them, so `{"command":"refuse","command":"approve"}` would approve; JSON's
/// own standard leaves such a text's meaning open (RFC 8259 § 4), so it is refused as
/// ambiguous, naming the key and where it stands.
fn unique_keys(body: &[u8]) -> Result<(), WireError> {
    use serde::de::{DeserializeSeed, Error, MapAccess, SeqAccess, Visitor};
    use std::cell::RefCell;
    use std::fmt;

    /// A value at `path`; the first key given twice is noted in `twice`.
    struct Unique<'a> {
        path: String,
        twice: &'a RefCell<Option<String>>,
    }

    impl<'a> Unique<'a> {
        fn at(&self, path: String) -> Unique<'a> {
            Unique {
                path,
                twice: self.twice,
            }
        }
    }

    impl<'de> DeserializeSeed<'de> for Unique<'_> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Unique<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut index = 0;
            while seq
                .next_element_seed(self.at(format!("{}[{index}]", self.path)))?
                .is_some()
            {
                index += 1;
            }
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                let path = if self.path.is_empty() {
                    key.clone()
                } else {
                    format!("{}.{key}", self.path)
                };
                if !seen.insert(key) {
                    *self.twice.borrow_mut() = Some(path);
                    return Err(A::Error::custom("a key given twice"));
                }
                map.next_value_seed(self.at(path))?;
            }
            Ok(())
        }
    }

    let twice = RefCell::new(None);
    let mut reader = serde_json::Deserializer::from_slice(body);
    let read = Unique {
        path: String::new(),
        twice: &twice,
    }
    .deserialize(&mut reader);
    match (read, twice.into_inner()) {
        (_, Some(path)) => Err(WireError::at(path, WireErrorKind::GivenTwice)),
        (Err(error), None) => Err(WireError::at("", WireErrorKind::NotJson(error.to_string()))),
        (Ok(()), None) => Ok(()),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MoneyDto {
    pub currency: String,
    pub minor_units: i64,
}

impl From<Money> for MoneyDto {
    fn from(money: Money) -> Self {
        MoneyDto {
            currency: money.currency.to_string(),
            minor_units: money.minor_units,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineDto {
    pub kind: &'static str,
    pub on: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusDto {
    pub case_id: String,
    /// The case's short reference (`2026-000123`), once the read models have caught up with
    /// its application.
    pub reference: Option<String>,
    pub status: &'static str,
    pub owner: Option<&'static str>,
    pub next_deadline: Option<DeadlineDto>,
    pub version: u64,
    pub household_size: u32,
    pub nationality: Option<String>,
    pub return_country: Option<String>,
    pub submitted_on: Option<NaiveDate>,
    pub approved_cash: MoneyDto,
    /// Support approved in kind, added up in each currency it is given in (NOK, EUR …).
    pub approved_in_kind: Vec<MoneyDto>,
    pub paid: MoneyDto,
    pub pocket_money_paid: Option<MoneyDto>,
    pub payout_flagged_overdue: bool,
}

impl From<CaseStatus> for StatusDto {
    fn from(status: CaseStatus) -> Self {
        let detail = status.detail;
        StatusDto {
            case_id: status.case_id.to_string(),
            reference: None,
            status: status.status.name(),
            owner: status.owner.map(|role| role.as_str()),
            next_deadline: status.next_deadline.map(|d| DeadlineDto {
                kind: d.kind.name(),
                on: d.on,
            }),
            version: status.version,
            household_size: detail.household_size,
            nationality: detail.nationality.map(|c| c.to_string()),
            return_country: detail.return_country.map(|c| c.to_string()),
            submitted_on: detail.submitted_on,
            approved_cash: detail.approved_cash.into(),
            approved_in_kind: detail
                .approved_in_kind
                .into_iter()
                .map(Into::into)
                .collect(),
            paid: detail.paid.into(),
            pocket_money_paid: detail.pocket_money_paid.map(Into::into),
            payout_flagged_overdue: detail.payout_flagged_overdue,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HandledDto {
    pub case_id: String,
    pub version: u64,
    pub first_position: u64,
    pub last_position: u64,
    pub events: Vec<&'static str>,
    pub already_handled: bool,
    pub status: Option<StatusDto>,
}

impl From<Handled> for HandledDto {
    fn from(handled: Handled) -> Self {
        HandledDto {
            case_id: handled.case_id.to_string(),
            version: handled.version,
            first_position: handled.first_position,
            last_position: handled.last_position,
            events: handled.events.iter().map(|e| e.event_type()).collect(),
            already_handled: handled.already_handled,
            status: handled.status.map(Into::into),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntryDto {
    pub position: u64,
    pub version: u64,
    pub event_type: String,
    pub recorded_at: DateTime<Utc>,
    /// When the command was decided, by the case system's clock; apart from `recorded_at`
    /// only on a server whose clock is set by hand.
    pub decided_at: Option<DateTime<Utc>>,
    pub actor: String,
    pub role: String,
    /// The event's data as this role may see it.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// Whether parts were withheld from this role.
    pub redacted: bool,
}

impl From<HistoryEntry> for HistoryEntryDto {
    fn from(entry: HistoryEntry) -> Self {
        HistoryEntryDto {
            position: entry.position,
            version: entry.version,
            event_type: entry.event_type,
            recorded_at: entry.recorded_at,
            decided_at: entry.decided_at,
            actor: entry.actor,
            role: entry.role,
            data: entry.data,
            redacted: entry.redacted,
        }
    }
}

/// What `GET /cases/{id}` answers: the case now, or, asked with `as_of`, as it stood then.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum StatusAnswer {
    Now(Box<StatusDto>),
    Past(PastStatusDto),
}

/// A case as it stood at a past time or log position.
#[derive(Debug, Serialize, ToSchema)]
pub struct PastStatusDto {
    pub case_id: String,
    /// The time or position asked for, as given.
    pub as_of: String,
    pub status: &'static str,
    pub version: u64,
}

/// Who holds a claimed case, in which queue, since when.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimDto {
    pub held_by: String,
    pub queue: String,
    pub since: DateTime<Utc>,
}

impl From<retur_app::Holder> for ClaimDto {
    fn from(holder: retur_app::Holder) -> Self {
        ClaimDto {
            held_by: holder.actor,
            queue: holder.queue,
            since: holder.since,
        }
    }
}

/// A letter a case's history calls for.
#[derive(Debug, Serialize, ToSchema)]
pub struct LetterDto {
    /// The position of the event the letter tells of: the letter's id within the case.
    pub position: u64,
    /// `approval`, `refusal`, `revocation`, `appeal_outcome` or `travel`.
    pub kind: &'static str,
    /// The day of the decision it tells of.
    pub dated: NaiveDate,
    /// Where to get it, as a PDF.
    pub href: String,
    /// When it was first issued (its SHA-256 recorded in the log); `null` until then.
    pub issued: Option<LetterIssuedDto>,
}

/// A letter's issue, as the log records it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LetterIssuedDto {
    pub sha256: String,
    pub issued_at: DateTime<Utc>,
    pub by: String,
    /// The applicant's language the letter is in beside bokmål (ISO 639).
    pub language: String,
}

impl LetterDto {
    pub fn of(case_id: retur_domain::CaseId, letter: retur_app::LetterRef) -> Self {
        LetterDto {
            position: letter.position,
            kind: letter.kind.name(),
            dated: letter.dated,
            href: format!("/cases/{case_id}/letters/{}", letter.position),
            issued: letter.issued.map(|issued| LetterIssuedDto {
                sha256: issued.sha256,
                issued_at: issued.issued_at,
                by: issued.by,
                language: issued.language,
            }),
        }
    }
}

/// A letter verified against the log.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifiedLetterDto {
    /// Always true: a letter retur did not issue is answered with 404.
    pub issued: bool,
    pub sha256: String,
    /// The case it is from, and the position of the event it tells of.
    pub case: String,
    pub position: u64,
    pub kind: String,
    pub language: String,
    pub issued_at: String,
}

/// A note to write on a case: for the writer's own agency only.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    /// The note, 1 to 10 000 characters.
    pub text: String,
}

/// An internal note, as its own agency reads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteDto {
    /// The note's position in the log.
    pub position: u64,
    pub by: String,
    pub at: DateTime<Utc>,
    /// The text; `null` once the principal applicant's personal data is erased.
    pub text: Option<String>,
}

impl From<retur_app::Note> for NoteDto {
    fn from(note: retur_app::Note) -> Self {
        NoteDto {
            position: note.position,
            by: note.by,
            at: note.at,
            text: note.text,
        }
    }
}

/// One agency's queues, or the part of them asked for.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueDto {
    pub agency: String,
    pub items: Vec<QueueItemDto>,
}

/// A case waiting in a queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueItemDto {
    pub case: String,
    /// The case's short reference (`2026-000123`).
    pub reference: Option<String>,
    pub queue: String,
    pub status: String,
    pub in_queue_since_micros: i64,
    pub due_on: Option<String>,
    pub due_kind: Option<String>,
    pub departs_on: Option<String>,
    pub held_by: Option<String>,
}

impl From<retur_projections::QueueItem> for QueueItemDto {
    fn from(item: retur_projections::QueueItem) -> Self {
        QueueItemDto {
            case: item
                .stream_id
                .strip_prefix("case-")
                .unwrap_or(&item.stream_id)
                .to_owned(),
            reference: None,
            queue: item.queue,
            status: item.status,
            in_queue_since_micros: item.in_queue_since_micros,
            due_on: item.due_on,
            due_kind: item.due_kind,
            departs_on: item.departs_on,
            held_by: item.claimed_by,
        }
    }
}

/// Counts and medians over all cases.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsDto {
    pub cases: u64,
    pub by_state: BTreeMap<String, u64>,
    pub by_nationality: BTreeMap<String, u64>,
    pub by_return_country: BTreeMap<String, u64>,
    /// By the month of submission, `YYYY-MM`.
    pub by_month: BTreeMap<String, u64>,
    pub median_days_application_to_decision: Option<i64>,
    pub median_days_decision_to_departure: Option<i64>,
    pub median_days_arrival_to_payout: Option<i64>,
}

impl From<retur_projections::Statistics> for StatsDto {
    fn from(s: retur_projections::Statistics) -> Self {
        StatsDto {
            cases: s.cases,
            by_state: s.by_state,
            by_nationality: s.by_nationality,
            by_return_country: s.by_return_country,
            by_month: s.by_month,
            median_days_application_to_decision: s.median_days_application_to_decision,
            median_days_decision_to_departure: s.median_days_decision_to_departure,
            median_days_arrival_to_payout: s.median_days_arrival_to_payout,
        }
    }
}

/// The audit of the whole log: the hash chain checked, every case's commands decided again,
/// and the tables derived from the log compared with it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditDto {
    /// True when the chain is whole, every case's history obeys the rules and every derived
    /// table says what the log says.
    pub clean: bool,
    pub chain: ChainDto,
    /// How many cases were replayed.
    pub cases: u64,
    pub commands_replayed: u64,
    /// Commands that cannot be decided again (no decision time recorded, or erased data).
    pub not_replayable: u64,
    /// The lowest position where a history breaks the rules.
    pub first_illegal: Option<IllegalDto>,
    pub derived: DerivedDto,
}

/// The tables derived from the log (each case's stored status, each command's record), compared
/// with what the log says.
#[derive(Debug, Serialize, ToSchema)]
pub struct DerivedDto {
    pub statuses_checked: u64,
    pub commands_checked: u64,
    /// How many rows differ from the log, in all.
    pub mismatch_count: u64,
    /// The first hundred of them, in the order found.
    pub mismatches: Vec<MismatchDto>,
}

/// A row of a derived table that is not what the log says.
#[derive(Debug, Serialize, ToSchema)]
pub struct MismatchDto {
    /// `status` (a case's stored status) or `command_record` (what a retry is answered with).
    #[schema(example = "status")]
    pub table: &'static str,
    /// The stream the row belongs to: for a case, `case-` and its id.
    pub case: String,
    /// Where in the log: the case's last event for a status, the command's first for a record.
    pub position: u64,
    pub problem: String,
}

/// The hash chain as checked.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChainDto {
    pub checked: u64,
    /// The last position found good.
    pub last: u64,
    /// The hash of the last good event, hex.
    pub head_hash: String,
    pub broken: Option<BreakDto>,
}

/// Where a chain or a history breaks, and how.
#[derive(Debug, Serialize, ToSchema)]
pub struct BreakDto {
    pub position: u64,
    pub problem: String,
}

/// The first event that breaks a case's rules.
#[derive(Debug, Serialize, ToSchema)]
pub struct IllegalDto {
    pub position: u64,
    pub case: String,
    pub problem: String,
}

impl From<retur_app::AuditReport> for AuditDto {
    fn from(report: retur_app::AuditReport) -> Self {
        AuditDto {
            clean: report.is_clean(),
            chain: ChainDto {
                checked: report.chain.checked,
                last: report.chain.last,
                head_hash: report.chain.last_hash.to_hex(),
                broken: report.chain.broken.map(|b| BreakDto {
                    position: b.position,
                    problem: b.problem(),
                }),
            },
            cases: report.streams,
            commands_replayed: report.commands_replayed,
            not_replayable: report.not_replayable,
            first_illegal: report.first_illegal.map(|i| IllegalDto {
                position: i.position,
                case: i.stream_id,
                problem: i.kind.to_string(),
            }),
            derived: DerivedDto {
                statuses_checked: report.derived.statuses_checked,
                commands_checked: report.derived.commands_checked,
                mismatch_count: report.derived.mismatch_count,
                mismatches: report
                    .derived
                    .mismatches
                    .into_iter()
                    .map(|m| MismatchDto {
                        table: m.table.name(),
                        case: m.stream_id,
                        position: m.position,
                        problem: m.kind.to_string(),
                    })
                    .collect(),
            },
        }
    }
}

/// Whether the server is ready: it is when the store answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthDto {
    /// `ready`, or why not.
    pub status: String,
    /// The log's head position, when the store answers.
    pub head: Option<u64>,
    /// Where the case system's time comes from: `system` (the machine's clock), or `manual`
    /// (a clock set by hand, for tests and training: never a production server).
    #[schema(example = "system")]
    pub clock: &'static str,
    /// The time by the case system's clock.
    pub now: DateTime<Utc>,
}

/// How to move a clock set by hand: exactly one of `advance` (an ISO 8601 duration, counted
/// on Norway's calendar: `P22D`, `P1M`, `PT2H`) and `set` (an RFC 3339 time, not before the
/// clock's). The clock only moves forward.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockDto {
    #[schema(example = "P22D")]
    pub advance: Option<String>,
    #[schema(example = "2026-03-24T09:00:00+01:00")]
    pub set: Option<String>,
}

/// The clock after it was moved, and the deadlines that fell due and were fired at once.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockAnswerDto {
    /// The time now, in UTC.
    pub now: DateTime<Utc>,
    /// The same instant in Norway, with its offset.
    pub now_in_norway: String,
    /// The deadlines fired.
    pub fired: Vec<FiredDto>,
    /// Deadlines that had been fired already.
    pub already_fired: usize,
    /// Deadlines the rules refused to fire, each with the rule.
    pub refused: Vec<FiredDto>,
}

/// A deadline of a case, fired or refused.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiredDto {
    pub case_id: String,
    /// `appeal_window_closes`, `travel_deadline` or `payout_target`.
    pub deadline: &'static str,
    /// For a refusal, the rule that refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
}

impl ClockAnswerDto {
    pub(crate) fn new(now: DateTime<Utc>, fired: retur_app::Fired) -> ClockAnswerDto {
        ClockAnswerDto {
            now,
            now_in_norway: now
                .with_timezone(&chrono_tz::Europe::Oslo)
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
            fired: fired
                .fired
                .iter()
                .map(|(case, kind)| FiredDto {
                    case_id: case.to_string(),
                    deadline: kind.name(),
                    rule: None,
                })
                .collect(),
            already_fired: fired.already_fired,
            refused: fired
                .refused
                .iter()
                .map(|(case, kind, refusal)| FiredDto {
                    case_id: case.to_string(),
                    deadline: kind.name(),
                    rule: Some(refusal.code()),
                })
                .collect(),
        }
    }
}

/// The payout ledger, summed.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutsDto {
    pub totals: Vec<PayoutTotalDto>,
}

/// What one case has had paid (or claimed back) of one kind, in one currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutTotalDto {
    pub case: String,
    /// `pocket_money`, `reintegration` or `repayment_claim`.
    pub kind: String,
    pub currency: String,
    pub minor_units: i64,
    /// How many payments (or claims) make the sum.
    pub entries: i64,
}

impl From<retur_projections::LedgerTotal> for PayoutTotalDto {
    fn from(total: retur_projections::LedgerTotal) -> Self {
        PayoutTotalDto {
            case: total
                .stream_id
                .strip_prefix("case-")
                .unwrap_or(&total.stream_id)
                .to_owned(),
            kind: total.kind,
            currency: total.currency,
            minor_units: total.amount_minor,
            entries: total.entries,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Result<Day, serde_json::Error> {
        serde_json::from_value(serde_json::Value::from(text))
    }

    #[test]
    fn a_day_is_exactly_yyyy_mm_dd_and_exists() {
        assert_eq!(
            day("2025-04-01").ok(),
            NaiveDate::from_ymd_opt(2025, 4, 1).map(Day)
        );
        for wrong in [
            "2025-4-1",
            "2025-04-1",
            "25-04-01",
            "2025/04/01",
            "2025-02-30",
            " 2025-04-01",
        ] {
            let error = day(wrong).expect_err(wrong).to_string();
            assert!(error.contains("YYYY-MM-DD"), "{wrong}: {error}");
        }
    }

    #[test]
    fn an_appeal_may_give_the_day_it_was_posted() {
        let action = CommandDto::parse(
            br#"{"command":"lodge_appeal","grounds":"Posted in time.","posted_on":"2025-03-25"}"#,
        )
        .and_then(CommandDto::into_action)
        .expect("parses");
        assert_eq!(
            action,
            Action::LodgeAppeal {
                grounds: Statement::parse("Posted in time.").expect("a statement"),
                posted_on: NaiveDate::from_ymd_opt(2025, 3, 25),
            }
        );
        let error = CommandDto::parse(
            br#"{"command":"lodge_appeal","grounds":"x","posted_on":"2025-3-25"}"#,
        )
        .expect_err("a date not written YYYY-MM-DD");
        assert_eq!(error.path, "posted_on", "{error}");
        assert!(error.to_string().starts_with("posted_on: "), "{error}");
    }

    /// Every way a command's body can be wrong, with the path and kind the pages place it by,
    /// and the sentence the API says.
    #[test]
    fn a_wire_error_names_its_path_and_kind() {
        use WireErrorKind as K;
        let member = |name: &str| {
            format!(
                r#"{{"person_id":"{}","relation":"child"{name}}}"#,
                uuid::Uuid::nil()
            )
        };
        let submit = format!(
            r#"{{"command":"submit","household":[{},{}],"nationality":"ET","return_country":"ET",
                "final_destination":"Addis Ababa","situation":"asylum_refused"}}"#,
            member(r#","full_name":"A B","date_of_birth":"1985-05-20","relation":"principal_applicant""#)
                .replace(r#""relation":"child","#, ""),
            member(r#","date_of_birth":"2015-05-20""#)
        );
        let cases: [(&[u8], &str, K, &str); 7] = [
            (
                b"{",
                "",
                K::NotJson(String::new()),
                "the body is not JSON: ",
            ),
            (b"[1]", "", K::NotAnObject, "the body must be a JSON object"),
            (b"{}", "", K::NoCommand, "the body has no \"command\" field"),
            (
                br#"{"command":7}"#,
                "command",
                K::NotACommandName("7".into()),
                "command: must be a command's name, not 7",
            ),
            (
                br#"{"command":"refuse","command":"approve"}"#,
                "command",
                K::GivenTwice,
                "command: given twice",
            ),
            (
                br#"{"command":"refuse","reasons":"No."}"#,
                "notified_on",
                K::Missing,
                "missing field `notified_on`",
            ),
            (
                submit.as_bytes(),
                "household[1].full_name",
                K::Missing,
                "household[1]: missing field `full_name`",
            ),
        ];
        for (body, path, kind, said) in cases {
            let error = CommandDto::parse(body).expect_err(said);
            assert_eq!(error.path, path, "{error}");
            match (&error.kind, &kind) {
                (K::NotJson(_), K::NotJson(_)) => {}
                (found, expected) => assert_eq!(found, expected, "{error}"),
            }
            assert!(error.to_string().starts_with(said), "{error} / {said}");
        }
        let error = CommandDto::parse(
            br#"{"command":"book_departure","booking":{"departs_on":"2026-02-27","flight":"not a flight","from_airport":"OSL","to_airport":"ADD"}}"#,
        )
        .expect_err("a flight number that is none");
        assert_eq!(error.path, "booking.flight");
        assert!(matches!(error.kind, K::Invalid(_)), "{error:?}");
    }
}
