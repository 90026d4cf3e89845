//! Who may do what, and who may see which case. A role may give exactly the commands it owns
//! (the domain's `CommandKind::owner`); an applicant (or a lawyer or guardian acting for one)
//! only on the cases they are linked to; an auditor gives no command at all.
//!
//! The role × command matrix, in full, is the table "Who gives each command" in
//! `docs/domain.md`, generated from the code; `may_give` is that table as a function. Its
//! counterpart for reading is [`has_part`]: need-to-know, the table of role × the event from
//! which a case exists for the role.

use std::collections::BTreeSet;
use std::fmt;

use retur_domain::case::{Case, Involvement};
use retur_domain::{Actor, CaseId, CommandKind, Role, Status};

/// Which cases a caller may act on and see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseAccess {
    /// Every case: the agencies, the system and auditors.
    All,
    /// These cases only: an applicant and those acting for them.
    Only(BTreeSet<CaseId>),
}

/// An authenticated caller: who they are, in which role, and which cases they may reach.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub actor: Actor,
    pub cases: CaseAccess,
}

impl Caller {
    /// A caller acting for an agency, the system or as an auditor: every case.
    pub fn agency(actor: Actor) -> Caller {
        Caller {
            actor,
            cases: CaseAccess::All,
        }
    }

    /// An applicant, or someone acting for one, linked to these cases.
    pub fn applicant(actor: Actor, cases: impl IntoIterator<Item = CaseId>) -> Caller {
        Caller {
            actor,
            cases: CaseAccess::Only(cases.into_iter().collect()),
        }
    }

    pub fn may_see(&self, case_id: CaseId) -> bool {
        match &self.cases {
            CaseAccess::All => self.actor.role != Role::Applicant,
            CaseAccess::Only(cases) => cases.contains(&case_id),
        }
    }
}

/// Why a caller may not do what they asked. Says who, what, and whose step it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Forbidden {
    pub role: Role,
    pub command: Option<CommandKind>,
    pub reason: String,
}

impl fmt::Display for Forbidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

/// Need-to-know: whether a case exists at all for `role`, given when IOM and UNE were given
/// their parts in it. As a table of role × the event from which the case exists for the role:
///
/// | role | the case exists for it from |
/// |---|---|
/// | applicant (their own cases only), UDI, auditor, system | `application_submitted` |
/// | UNE | `appeal_forwarded_to_une`: UNE hears appeals UDI has sent on, and no others |
/// | IOM | `handed_over_to_iom`: IOM acts only on cases UDI has approved and handed over |
///
/// A case stays in a role's part once it has entered it (a case handed over and then revoked
/// is one IOM worked on, and must know has stopped). Before the event the case does not exist
/// for the role on any path, now or in the past: it is answered as an unknown case is.
pub fn has_part(role: Role, involvement: &Involvement) -> bool {
    match part(role) {
        Part::HandedToIom => involvement.handed_to_iom_on.is_some(),
        Part::ForwardedToUne => involvement.forwarded_to_une_on.is_some(),
        Part::Every => true,
    }
}

/// The cases a role has a part in, named by the fact that gives it the part (see
/// [`has_part`]), for reads that select cases by it (the person index).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Every,
    HandedToIom,
    ForwardedToUne,
}

/// See [`Part`].
pub fn part(role: Role) -> Part {
    match role {
        Role::Iom => Part::HandedToIom,
        Role::Une => Part::ForwardedToUne,
        Role::Applicant | Role::Udi | Role::Auditor | Role::System => Part::Every,
    }
}

/// Whether `case`, as its events have made it, exists for `role`: it has been applied for, and
/// the role has a part in it.
pub fn exists_for(role: Role, case: &Case) -> bool {
    case.status != Status::New && has_part(role, &case.involvement)
}

/// Whether `role` may give `command` at all: the role × command matrix.
pub fn may_give(role: Role, command: CommandKind) -> bool {
    command.owner() == role
}

/// Checks a caller may give `command` on `case_id`.
pub(crate) fn authorize_command(
    caller: &Caller,
    command: CommandKind,
    case_id: CaseId,
) -> Result<(), Forbidden> {
    authorize_role(caller, command)?;
    if !caller.may_see(case_id) {
        return Err(Forbidden {
            role: caller.actor.role,
            command: Some(command),
            reason: format!(
                "{} {} may not act on case {case_id}",
                caller.actor.role, caller.actor.id
            ),
        });
    }
    Ok(())
}

/// Checks a caller's role may give `command` at all, whatever the case.
pub(crate) fn authorize_role(caller: &Caller, command: CommandKind) -> Result<(), Forbidden> {
    let role = caller.actor.role;
    if role == Role::Auditor {
        return Err(Forbidden {
            role,
            command: Some(command),
            reason: format!(
                "an auditor reads and verifies; {command} changes a case and is {}'s step",
                command.owner()
            ),
        });
    }
    if !may_give(role, command) {
        return Err(Forbidden {
            role,
            command: Some(command),
            reason: format!(
                "{command} is {}'s step; a caller acting as {role} may not take it",
                command.owner()
            ),
        });
    }
    Ok(())
}

/// Checks a caller may read `case_id`.
pub(crate) fn authorize_read(caller: &Caller, case_id: CaseId) -> Result<(), Forbidden> {
    if caller.may_see(case_id) {
        Ok(())
    } else {
        Err(Forbidden {
            role: caller.actor.role,
            command: None,
            reason: format!(
                "{} {} may not see case {case_id}",
                caller.actor.role, caller.actor.id
            ),
        })
    }
}

/// Whether `role` may know who works on a case (its claim): the agencies, auditors and the
/// system, never an applicant.
pub fn may_know_holder(role: Role) -> bool {
    role != Role::Applicant
}

/// Whether `role` may move a clock set by hand (tests and training): the system alone.
pub fn may_move_clock(role: Role) -> bool {
    role == Role::System
}

/// A read of more than one case: each route and page that reads across cases asks for one of
/// these, and [`may_read`] decides it. (A read of one case is decided by the case access of the
/// caller and by need-to-know, [`has_part`].)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    /// An agency's work queues: `Queues(Role::Iom)` is IOM's.
    Queues(Role),
    /// The payout ledger's totals.
    Payouts,
    /// Counts and medians over the cases the caller's role has a part in.
    Statistics,
    /// The audit of the whole log.
    Audit,
    /// Finding people, and their cases, by name, DUF number, date of birth or reference:
    /// within the cases the role has a part in.
    People,
    /// Verifying a letter someone holds against the letters retur issued.
    Letters,
}

/// Whether `role` may make `read`: the role × read table.
///
/// | read | applicant | UDI | UNE | IOM | auditor | system |
/// |---|---|---|---|---|---|---|
/// | an agency's queues | – | UDI's | UNE's | IOM's | every agency's | – |
/// | the payout ledger | – | ✓ (it claims repayments) | – | ✓ (it pays) | ✓ | – |
/// | statistics | – | ✓ | ✓ | ✓ | ✓ | ✓ (for the ministry's figures) |
/// | the audit | – | – | – | – | ✓ | – |
/// | people, by name | – | ✓ | ✓ (their part) | ✓ (their part) | ✓ | – |
/// | verifying a letter | – | ✓ | – | – | ✓ | – |
///
/// Statistics count only the cases the role has a part in (need-to-know).
pub fn may_read(role: Role, read: Read) -> bool {
    match read {
        Read::Queues(agency) => {
            matches!(agency, Role::Udi | Role::Une | Role::Iom)
                && (role == agency || role == Role::Auditor)
        }
        Read::Payouts => matches!(role, Role::Udi | Role::Iom | Role::Auditor),
        Read::Statistics => role != Role::Applicant,
        Read::Audit => role == Role::Auditor,
        Read::People => matches!(role, Role::Udi | Role::Une | Role::Iom | Role::Auditor),
        // A verified letter names its case and kind, whichever case it is from: for the roles
        // with a part in every case (UNE and IOM are not told of cases outside theirs).
        Read::Letters => matches!(role, Role::Udi | Role::Auditor),
    }
}

/// Checks a caller may make `read`, saying why not.
pub fn authorize_read_of(caller: &Caller, read: Read) -> Result<(), Forbidden> {
    let role = caller.actor.role;
    if may_read(role, read) {
        return Ok(());
    }
    let reason = match read {
        Read::Queues(agency) => format!("{role} may not see {agency}'s queues"),
        Read::Payouts => "the payout ledger is for IOM, UDI and auditors".to_owned(),
        Read::Statistics => "statistics are for the agencies, auditors and the system".to_owned(),
        Read::Audit => "verifying the log is an auditor's task".to_owned(),
        Read::People => "finding people is for the agencies' caseworkers and auditors".to_owned(),
        Read::Letters => "verifying a letter is for UDI and auditors".to_owned(),
    };
    Err(Forbidden {
        role,
        command: None,
        reason,
    })
}
