//! The one error for a value that does not parse: what it was, what was given, what is wrong.

use std::fmt;

/// A value from outside that is not what the domain accepts. Its message names the field,
/// quotes the input and says what is wrong, so it can be shown to the caller as it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what} {given:?} {problem}")]
pub struct InvalidValue {
    pub what: &'static str,
    pub given: String,
    pub problem: String,
}

impl InvalidValue {
    pub fn new(what: &'static str, given: impl fmt::Display, problem: impl Into<String>) -> Self {
        InvalidValue {
            what,
            given: given.to_string(),
            problem: problem.into(),
        }
    }
}
