//! A command either was rejected (the caller's request cannot be done as asked) or failed (the
//! system could not do its work). The two are kept apart so that callers and the HTTP layer
//! never confuse "you may not" or "the rules say no" with "something broke".

use retur_domain::Refusal;
use retur_store::StoreError;

use crate::access::Forbidden;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Rejected(#[from] Rejection),
    #[error(transparent)]
    Failed(#[from] Failure),
}

/// The request cannot be done as asked. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum Rejection {
    /// The caller may not give this command, or not on this case.
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// A rule of the process refuses the command.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The caller said which version they acted on, and the case has moved on since.
    #[error(
        "the case is at version {actual}, not the {expected} this request was made against: someone changed it"
    )]
    VersionMismatch { expected: u64, actual: u64 },
    /// Others kept changing the case while this command was decided again and again.
    #[error(
        "the case kept changing while this command was decided ({attempts} attempts); try again"
    )]
    Contended { attempts: u32 },
    /// Someone else holds the case.
    #[error("the case is held by {by} since {since}")]
    Held {
        by: String,
        since: chrono::DateTime<chrono::Utc>,
    },
    /// Nobody holds the case, so there is nothing to release.
    #[error("nobody holds the case")]
    NotHeld,
    /// No such case, or none the caller has a part in: the two are answered alike, so that a
    /// caller learns nothing of a case before it reaches their part.
    #[error("no case {case_id}")]
    NoSuchCase { case_id: retur_domain::CaseId },
    /// No letter tells of the event at that position of the case, or none the caller is given.
    #[error("case {case_id} has no letter for position {position}")]
    NoSuchLetter {
        case_id: retur_domain::CaseId,
        position: u64,
    },
    /// The command id was used before for another case.
    #[error("command id {command_id} was already used for another case")]
    CommandIdReused { command_id: uuid::Uuid },
    /// The command id was used before on this case for another command, or for the same
    /// command with other values: this is not a retry of it.
    #[error(
        "command id {command_id} was already used on this case for {first}, with what that request said; a retry must repeat it exactly, and a new command needs a new id"
    )]
    CommandIdReusedOtherwise {
        command_id: uuid::Uuid,
        first: retur_domain::CommandKind,
    },
}

/// The system could not do its work. Nothing was half-written.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the event at position {position} cannot be read: {problem}")]
    Unreadable { position: u64, problem: String },
    /// The store refused an append the application built: a fault of the application's, never
    /// of the caller's request.
    #[error("the store refused an append: {0}")]
    AppendRefused(String),
}

/// What an append error means to a command being decided: a conflict means decide again
/// (`Ok`), anything else ends it.
pub(crate) fn retry_after(error: retur_store::AppendError) -> Result<(), CommandError> {
    match error {
        retur_store::AppendError::Conflict { .. } => Ok(()),
        retur_store::AppendError::Storage(error) => Err(Failure::Store(error).into()),
        other => Err(Failure::AppendRefused(other.to_string()).into()),
    }
}

impl From<Refusal> for CommandError {
    fn from(refusal: Refusal) -> Self {
        CommandError::Rejected(Rejection::Refused(refusal))
    }
}

impl From<Forbidden> for CommandError {
    fn from(forbidden: Forbidden) -> Self {
        CommandError::Rejected(Rejection::Forbidden(forbidden))
    }
}

impl From<StoreError> for CommandError {
    fn from(error: StoreError) -> Self {
        CommandError::Failed(Failure::Store(error))
    }
}
