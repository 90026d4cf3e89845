//! The assisted-return case: commands, events, rules and money.
//!
//! A case is an append-only stream of [`Event`]s. [`decide`] judges a [`Command`] against the
//! [`Case`] those events fold into and returns new events or a [`Refusal`]; [`evolve`] applies
//! one event to a case. Both are synchronous and pure: the clock and the rules come in through
//! a [`Context`], and nothing here does IO, reads the time or makes an id.
//!
//! The lifecycle is one table, [`lifecycle::TRANSITIONS`]; the rules are effective-dated data
//! in the repository's `rules/` files, loaded into a [`RuleBook`].

mod macros;

pub mod application;
pub mod calendar;
pub mod case;
pub mod command;
pub mod country;
pub mod decide;
pub mod error;
pub mod event;
pub mod grant;
pub mod ids;
pub mod lifecycle;
pub mod money;
pub mod refusal;
pub mod rules;
#[cfg(feature = "testing")]
pub mod testing;
pub mod travel;

pub use application::{
    Application, Contact, FullName, Household, HouseholdMember, ImmigrationSituation, LanguageCode,
    PersonDetails, PhoneNumber, Place, Relation, SpecialCircumstances, Statement,
};
pub use case::{Case, evolve};
pub use command::{Action, Command, Payee};
pub use country::CountryCode;
pub use decide::{Context, decide};
pub use error::InvalidValue;
pub use event::{Event, Personal};
pub use ids::{Actor, ActorId, CaseId, DufNumber, PersonId, Role, case_reference};
pub use lifecycle::{CommandKind, Status};
pub use money::{Currency, ExchangeRates, Money, PerUsd};
pub use refusal::Refusal;
pub use rules::{RuleBook, RuleError, RuleSet, RuleSetRef};
