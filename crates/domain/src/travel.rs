//! Values of the travel and payout steps: bookings, documents, payment methods.

use std::fmt;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::error::InvalidValue;

/// An IATA airport code: three capital letters (`OSL`, `KBL`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String))]
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AirportCode([u8; 3]);

impl AirportCode {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        match text.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_uppercase()) => {
                Ok(AirportCode([*a, *b, *c]))
            }
            _ => Err(InvalidValue::new(
                "airport code",
                text,
                "must be an IATA code: three capital letters such as OSL",
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Debug for AirportCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A flight number: a two-character airline designator and one to four digits (`SK4321`, `TK1752`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FlightNumber(String);

impl FlightNumber {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let compact: String = text.chars().filter(|c| *c != ' ').collect();
        // Not at a byte that is inside a character: such input is no flight number anyway.
        let (airline, number) = compact
            .split_at_checked(compact.len().min(2))
            .unwrap_or(("", ""));
        let airline_ok = airline.len() == 2
            && airline
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && airline.bytes().any(|b| b.is_ascii_uppercase());
        let number_ok =
            (1..=4).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit());
        if airline_ok && number_ok {
            Ok(FlightNumber(compact))
        } else {
            Err(InvalidValue::new(
                "flight number",
                text,
                "must be an airline designator and 1 to 4 digits, such as SK4321",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for FlightNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A booked departure: the date, the first flight, and where the journey starts and ends.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    #[serde(with = "crate::calendar::iso_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub departs_on: NaiveDate,
    pub flight: FlightNumber,
    pub from_airport: AirportCode,
    pub to_airport: AirportCode,
    /// When the household is to meet at the departure airport, as IOM tells them (`07:30`,
    /// Norwegian time). Bookings made before it was asked have none, and their events read
    /// as they were written.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "meeting_time"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "07:30"))]
    pub meet_at: Option<NaiveTime>,
}

/// A meeting time as `HH:MM`, the way people write it and forms send it.
mod meeting_time {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        time: &Option<NaiveTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match time {
            Some(time) => serializer.serialize_str(&time.format("%H:%M").to_string()),
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveTime>, D::Error> {
        let Some(text) = Option::<String>::deserialize(deserializer)? else {
            return Ok(None);
        };
        NaiveTime::parse_from_str(text.trim(), "%H:%M")
            .map(Some)
            .map_err(|_| {
                serde::de::Error::custom(format!(
                    "{text:?} is not a time of day as HH:MM, such as 07:30"
                ))
            })
    }
}

/// Why a departure is moved. Only these two causes are accepted: a change on the applicant's
/// side needs a medical certificate.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RescheduleCause {
    MedicalCertificate,
    IomOrAirline,
}

/// The formal condition an appeal failed, when it is dismissed (fvl. §§ 33, 34).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DismissalGround {
    /// Lodged after the appeal deadline.
    Late,
    /// Lodged by someone who is not a party to the case.
    NotAParty,
    /// Another formal condition is not met.
    OtherFormalDefect,
}

/// Why a late appeal is heard all the same (forvaltningsloven § 31 first paragraph).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LateAppealGround {
    /// The party, or whoever acted for them, cannot be blamed for missing the deadline or for
    /// the delay since (letter a).
    NotToBlame,
    /// There are special reasons to hear the appeal (letter b).
    SpecialReasons,
}

/// The kind of travel document IOM obtains.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TravelDocumentKind {
    Passport,
    EmergencyTravelDocument,
    LaissezPasser,
}

/// A travel document's number. Personal data.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocumentNumber(String);

impl DocumentNumber {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let ok = (1..=32).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if ok {
            Ok(DocumentNumber(text.to_owned()))
        } else {
            Err(InvalidValue::new(
                "document number",
                text,
                "must be 1 to 32 letters, digits or hyphens",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a tranche of the grant is paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    BankTransfer,
    Cash,
}

/// A bank account to pay to: an IBAN or a local account number, 5 to 34 letters and digits.
/// Personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccount {
    pub account: AccountNumber,
    pub holder: crate::application::FullName,
}

/// A bank account number, spaces removed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountNumber(String);

impl AccountNumber {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let compact: String = text.chars().filter(|c| *c != ' ').collect();
        if (5..=34).contains(&compact.len()) && compact.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(AccountNumber(compact.to_ascii_uppercase()))
        } else {
            Err(InvalidValue::new(
                "account number",
                text,
                "must be 5 to 34 letters and digits",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::text_conversions!(AirportCode, as_str);

crate::text_conversions!(FlightNumber, as_str);

crate::text_conversions!(DocumentNumber, as_str);

crate::text_conversions!(AccountNumber, as_str);
