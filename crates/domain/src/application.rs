//! What an application states: the household, the applicant's immigration situation, where they
//! return to, and the departure deadline. Structural rules are checked when the value is built;
//! rules that depend on the date (ages, eligibility) are checked by `decide`.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::country::CountryCode;
use crate::error::InvalidValue;
use crate::ids::{DufNumber, PersonId};

/// The most people one application may cover. Larger groups apply as several households.
pub const MAX_HOUSEHOLD_SIZE: usize = 30;

/// How a household member is related to the principal applicant.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    PrincipalApplicant,
    Spouse,
    Partner,
    Child,
    Parent,
    Sibling,
    OtherRelative,
}

/// One person in the household, without personal data: who they are to the principal applicant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdMember {
    pub person_id: PersonId,
    pub relation: Relation,
}

/// The circumstances of a person that lift exclusions. Among the most sensitive facts retur
/// holds, so they are personal data: kept under `personal` and erased with the rest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialCircumstances {
    /// An asylum seeker under 18 who came without parents or anyone with parental responsibility.
    pub unaccompanied_minor: bool,
    /// A possible victim of human trafficking.
    pub possible_trafficking_victim: bool,
}

/// A person's name as the application gives it: 1 to 200 characters, no control characters.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FullName(String);

impl FullName {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        checked_text("full name", text, 200).map(FullName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A telephone number to reach the applicant on: an optional `+` and country code, then 5 to
/// 15 digits (ITU-T E.164 allows at most 15), spaces and hyphens allowed between them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let trimmed = text.trim();
        let body = trimmed.strip_prefix('+').unwrap_or(trimmed);
        let digits = body.chars().filter(char::is_ascii_digit).count();
        let shaped = body
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
            && body.starts_with(|c: char| c.is_ascii_digit());
        if !shaped || !(5..=15).contains(&digits) {
            return Err(InvalidValue::new(
                "phone number",
                abbreviate(text),
                "must be 5 to 15 digits, with an optional + and country code first",
            ));
        }
        Ok(PhoneNumber(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A language, by its ISO 639 code (`ti`, `ar`, `prs`): two or three small letters.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LanguageCode(String);

impl LanguageCode {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let code = text.trim();
        if !(2..=3).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_lowercase()) {
            return Err(InvalidValue::new(
                "language",
                abbreviate(text),
                "must be an ISO 639 language code of two or three small letters, such as ti or ar",
            ));
        }
        Ok(LanguageCode(code.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How to reach the principal applicant: a phone number, the language to be contacted in, and
/// whether an interpreter is needed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub phone: PhoneNumber,
    pub language: LanguageCode,
    pub needs_interpreter: bool,
}

/// A place in the return country (town, district) where the household travels on to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Place(String);

impl Place {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        checked_text("final destination", text, 200).map(Place)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Free text written by a caseworker or an applicant: reasons, grounds, reasoning. 1 to 10 000
/// characters. It is personal data and is kept in the personal part of an event.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Statement(String);

impl Statement {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let trimmed = text.trim();
        let length = trimmed.chars().count();
        if length == 0 || length > 10_000 {
            return Err(InvalidValue::new(
                "statement",
                abbreviate(text),
                "must be 1 to 10 000 characters",
            ));
        }
        if trimmed
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
        {
            return Err(InvalidValue::new(
                "statement",
                abbreviate(text),
                "must not contain control characters",
            ));
        }
        Ok(Statement(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The personal data the application gives about one person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDetails {
    pub full_name: FullName,
    pub date_of_birth: NaiveDate,
    pub duf_number: Option<DufNumber>,
    #[serde(flatten)]
    pub circumstances: SpecialCircumstances,
}

/// The principal applicant and the members travelling with them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Household {
    people: Vec<(HouseholdMember, PersonDetails)>,
}

impl Household {
    /// Builds a household, principal applicant first. Person ids must be unique; only the
    /// principal has the relation `principal_applicant`; an unaccompanied minor travels alone.
    pub fn new(
        principal: (HouseholdMember, PersonDetails),
        members: Vec<(HouseholdMember, PersonDetails)>,
    ) -> Result<Self, InvalidValue> {
        if principal.0.relation != Relation::PrincipalApplicant {
            return Err(InvalidValue::new(
                "household",
                principal.0.person_id,
                "lists its principal applicant with another relation than principal_applicant",
            ));
        }
        if members.len() + 1 > MAX_HOUSEHOLD_SIZE {
            return Err(InvalidValue::new(
                "household",
                members.len() + 1,
                format!("people is more than the {MAX_HOUSEHOLD_SIZE} one application may cover"),
            ));
        }
        let mut seen = BTreeSet::from([principal.0.person_id]);
        for (member, _) in &members {
            if member.relation == Relation::PrincipalApplicant {
                return Err(InvalidValue::new(
                    "household member",
                    member.person_id,
                    "cannot be a second principal applicant",
                ));
            }
            if !seen.insert(member.person_id) {
                return Err(InvalidValue::new(
                    "household member",
                    member.person_id,
                    "appears twice",
                ));
            }
        }
        let mut people = Vec::with_capacity(members.len() + 1);
        people.push(principal);
        people.extend(members);
        if people.len() > 1
            && people
                .iter()
                .any(|(_, details)| details.circumstances.unaccompanied_minor)
        {
            return Err(InvalidValue::new(
                "household",
                people.len(),
                "people includes an unaccompanied minor, who by definition travels alone",
            ));
        }
        Ok(Household { people })
    }

    pub fn principal(&self) -> &(HouseholdMember, PersonDetails) {
        &self.people[0]
    }

    /// Everyone, principal applicant first.
    pub fn people(&self) -> &[(HouseholdMember, PersonDetails)] {
        &self.people
    }
}

/// Where the applicant stands in the immigration process when applying.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImmigrationSituation {
    /// The application for protection (asylum) is under consideration.
    AsylumPending,
    /// The application for protection was refused.
    AsylumRefused,
    /// The appeal against a refusal of protection was refused.
    AsylumAppealRefused,
    /// The applicant withdrew their application for protection.
    AsylumWithdrawn,
    /// Another application for residence was refused.
    ResidenceRefused,
    /// A decision to transfer the applicant to another Dublin state; they prefer to go home.
    DublinTransfer,
    /// Temporary residence until the age of 18.
    TemporaryResidenceUntil18,
    /// No legal residence, and no case registered in DUF.
    NoLegalResidenceNotInDuf,
    /// A residence permit on other grounds than protection expired or was revoked, or no new
    /// one was granted.
    NonProtectionPermitExpired,
    /// Legal residence in Norway: such applicants apply for repatriation, another scheme.
    LegalResidence,
}

/// Everything an application states, checked for shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Application {
    pub household: Household,
    pub nationality: CountryCode,
    pub return_country: CountryCode,
    pub final_destination: Place,
    pub situation: ImmigrationSituation,
    /// The departure deadline (utreisefrist) in force when applying, if one is set.
    pub departure_deadline: Option<NaiveDate>,
    /// Received return or repatriation support before and came back to Norway.
    pub previously_assisted_and_reimmigrated: bool,
    /// Refused protection or residence because of protection, residence or a visa held in
    /// another EU/EEA country.
    pub refused_for_status_in_other_eea_country: bool,
    /// How to reach the principal applicant; applications from before it was asked have none.
    pub contact: Option<Contact>,
}

fn checked_text(what: &'static str, text: &str, max: usize) -> Result<String, InvalidValue> {
    let trimmed = text.trim();
    let length = trimmed.chars().count();
    if length == 0 || length > max {
        return Err(InvalidValue::new(
            what,
            abbreviate(text),
            format!("must be 1 to {max} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(InvalidValue::new(
            what,
            abbreviate(text),
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

/// Quotes at most 60 characters of a rejected input, so an error never echoes a huge body.
fn abbreviate(text: &str) -> String {
    let mut short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

crate::text_conversions!(FullName, as_str);

crate::text_conversions!(Place, as_str);

crate::text_conversions!(PhoneNumber, as_str);

crate::text_conversions!(LanguageCode, as_str);

crate::text_conversions!(Statement, as_str);
