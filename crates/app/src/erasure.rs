//! Erasing a person everywhere they appear: the key goes first, then each case records it.

use retur_domain::{Action, CaseId, CommandKind, PersonId, Refusal};
use uuid::Uuid;

use crate::access::{Caller, authorize_command, authorize_role};
use crate::cases::{Cases, CommandRequest};
use crate::codec::CASE_STREAM_PREFIX;
use crate::error::{CommandError, Rejection};

/// What an erasure did in one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Erased {
    /// The erasure is recorded now, at this version of the case.
    Recorded { version: u64 },
    /// The case recorded it before.
    Already,
}

/// Namespace of the ids of erasure commands: one id per person and case, so that giving an
/// erasure again answers as the first time.
const ERASURE_NAMESPACE: Uuid = Uuid::from_u128(0x7265_7475_722d_6572_6173_7572_652d_7631);

impl Cases {
    /// Erases a person's personal data: destroys their key, so that nothing sealed with it can
    /// be read again, and records the erasure in every case they appear in. Given again, it
    /// finishes an erasure that was cut short and changes nothing else.
    pub async fn erase_person(
        &self,
        caller: &Caller,
        person: PersonId,
    ) -> Result<Vec<(CaseId, Erased)>, CommandError> {
        // A caller who may not erase learns nothing, not even whether the person is known.
        authorize_role(caller, CommandKind::ErasePersonalData)?;
        let Some((streams, _)) = self
            .keys()
            .person(person.as_uuid())
            .await
            .map_err(crate::error::Failure::from)?
        else {
            return Err(Refusal::UnknownPerson(person).into());
        };
        let cases: Vec<CaseId> = streams
            .iter()
            .filter_map(|stream| {
                stream
                    .as_str()
                    .strip_prefix(CASE_STREAM_PREFIX)
                    .and_then(|id| id.parse::<CaseId>().ok())
            })
            .collect();
        // Nothing is destroyed for a caller who may not erase in every one of the cases.
        for case_id in &cases {
            authorize_command(caller, CommandKind::ErasePersonalData, *case_id)?;
        }
        self.keys()
            .destroy(person.as_uuid(), self.now())
            .await
            .map_err(crate::error::Failure::from)?;
        let mut erased = Vec::new();
        for case_id in cases {
            let request = CommandRequest {
                case_id,
                action: Action::ErasePersonalData { person },
                command_id: Uuid::new_v5(
                    &ERASURE_NAMESPACE,
                    format!("{person}/{case_id}").as_bytes(),
                ),
                correlation_id: Uuid::now_v7(),
                expected_version: None,
            };
            let outcome = match self.handle(caller, request).await {
                Ok(handled) if handled.already_handled => Erased::Already,
                Ok(handled) => Erased::Recorded {
                    version: handled.version,
                },
                Err(CommandError::Rejected(Rejection::Refused(Refusal::PersonErased(_)))) => {
                    Erased::Already
                }
                Err(error) => return Err(error),
            };
            erased.push((case_id, outcome));
        }
        Ok(erased)
    }
}
