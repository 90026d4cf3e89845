//! Command handling: what turns the store and the pure domain into a working case system.
//!
//! [`Cases::handle`] authorizes the caller for the command, loads and folds the case, resolves
//! the time and the rules into the decision's context, calls `decide`, and appends the events
//! with the version it read, together with the case's new status (the inline projection, in the
//! same transaction). On a conflict it decides again against the new state, a bounded number of
//! times. A command id that has written before gets its first outcome back, whatever the case's
//! state is now.

mod access;
mod audit;
mod cases;
mod checkpoint;
mod claims;
mod clock;
mod codec;
mod erasure;
mod error;
mod letters;
mod notes;
mod scheduler;
mod status;
mod views;

pub use access::{
    Caller, CaseAccess, Forbidden, Part, Read, authorize_read_of, exists_for, has_part, may_give,
    may_know_holder, may_move_clock, may_read, part,
};
pub use audit::{
    AuditOptions, AuditProgress, AuditReport, DerivedReport, DerivedTable, Extends, Illegal,
    IllegalKind, Mismatch, MismatchKind, Span,
};
pub use cases::{Cases, CommandRequest, Handled, LoadedCase};
pub use checkpoint::{
    Checkpoint, CheckpointError, KeyProblem, NotACheckpoint, signing_key_from_pem,
    verifying_key_from_pem,
};
pub use claims::{CLAIMS_STREAM_PREFIX, CaseClaimed, CaseReleased, Holder, claims_stream};
pub use clock::{Clock, ClockStep, ManualClock, SystemClock};
pub use codec::{CASE_STREAM_PREFIX, Unreadable, Unsealing, stream_id};
pub use erasure::Erased;
pub use error::{CommandError, Failure, Rejection};
pub use letters::{
    LETTER_ISSUED, LETTERS_STREAM_PREFIX, LetterIssued, LetterKind, LetterRef, MadeLetter,
    letters_stream,
};
pub use notes::{NOTE_WRITTEN, NOTES_STREAM_PREFIX, Note, keeps_notes, notes_stream};
/// How the hash chain breaks, and its hashes, as an audit report names them.
pub use retur_store::{BreakKind, Hash};
pub use scheduler::{Fired, Scheduler};
pub use status::{CaseStatus, Deadline, DeadlineKind, StatusDetail};
pub use views::{
    AsOf, ERASED, HistoryEntry, PastCase, RESTRICTED, WITHHELD, Withheld, may_see_personal_field,
    visible_data,
};
