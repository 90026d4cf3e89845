//! Identifiers and the acting party: who a command is about and who gives it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::InvalidValue;

/// The identity of one assisted-return case; the case's event stream is named after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseId(Uuid);

impl CaseId {
    /// Wraps an id made outside the domain (the domain never makes random ids).
    pub fn from_uuid(id: Uuid) -> Self {
        CaseId(id)
    }

    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for CaseId {
    type Err = InvalidValue;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(text)
            .map(CaseId)
            .map_err(|_| InvalidValue::new("case id", text, "is not a UUID"))
    }
}

/// The identity of one person in a household. Personal data about the person is keyed by it,
/// so that it can be encrypted with that person's key and erased on its own.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonId(Uuid);

impl PersonId {
    pub fn from_uuid(id: Uuid) -> Self {
        PersonId(id)
    }

    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for PersonId {
    type Err = InvalidValue;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(text)
            .map(PersonId)
            .map_err(|_| InvalidValue::new("person id", text, "is not a UUID"))
    }
}

/// A number in DUF, UDI's case system: twelve digits, often written in groups (`2019 123456 01`).
/// Spaces are accepted on input and dropped; anything else is refused.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DufNumber(String);

impl DufNumber {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let digits: String = text.chars().filter(|c| *c != ' ').collect();
        if digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(DufNumber(digits))
        } else {
            Err(InvalidValue::new(
                "DUF number",
                text,
                "must be twelve digits",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The part a caller plays. Each step of the process is owned by one role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The Directorate of Immigration: decides, reconsiders, hands over, revokes.
    Udi,
    /// The Immigration Appeals Board: decides appeals forwarded by UDI.
    Une,
    /// The International Organization for Migration: travel and payouts.
    Iom,
    /// The applicant, or a lawyer or guardian acting for them.
    Applicant,
    /// retur itself, firing deadlines that have passed.
    System,
    /// Reads history and verifies it; changes nothing.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Udi,
        Role::Une,
        Role::Iom,
        Role::Applicant,
        Role::System,
        Role::Auditor,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Udi => "udi",
            Role::Une => "une",
            Role::Iom => "iom",
            Role::Applicant => "applicant",
            Role::System => "system",
            Role::Auditor => "auditor",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = InvalidValue;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == text)
            .ok_or_else(|| {
                InvalidValue::new(
                    "role",
                    text,
                    "must be one of udi, une, iom, applicant, system, auditor",
                )
            })
    }
}

/// Who acts inside a role: a caseworker's or a system's id. 1 to 64 printable characters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ActorId(String);

impl ActorId {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let length = text.chars().count();
        if length == 0 || length > 64 {
            return Err(InvalidValue::new(
                "actor id",
                text,
                "must be 1 to 64 characters",
            ));
        }
        if text.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(InvalidValue::new(
                "actor id",
                text,
                "must not contain spaces or control characters",
            ));
        }
        Ok(ActorId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The acting party of a command: the role it acts in and who it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub role: Role,
    pub id: ActorId,
}

impl Actor {
    pub fn new(role: Role, id: ActorId) -> Self {
        Actor { role, id }
    }
}

crate::text_conversions!(DufNumber, as_str);

crate::text_conversions!(ActorId, as_str);

/// A case's short reference, issued when it is applied for: the year it was applied for in
/// Norway and the position of the application in the log (`2026-000123`). Unique, known the
/// moment the application is recorded, and the same after any rebuild.
pub fn case_reference(position: u64, applied_at: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Datelike;
    let year = crate::calendar::oslo_date(applied_at).year();
    format!("{year}-{position:06}")
}
