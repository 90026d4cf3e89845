//! Internal notes: each agency writes and reads its own, sealed like personal data.

use retur_app::{CommandError, NOTE_WRITTEN, Rejection, notes_stream};
use retur_domain::*;
use uuid::Uuid;

use crate::fixture::*;

/// UDI's note is UDI's: IOM, the applicant and the auditor are not shown it; IOM writes its own
/// once the case is handed over. The text is sealed in the log; a retried note writes once; an
/// empty one is refused and writes nothing; erasing the applicant makes the notes unreadable.
pub(crate) async fn each_agency_reads_only_its_own_sealed_notes(app: &App) {
    app.on_day("2026-03-02");
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    let id = Uuid::now_v7();
    let written = app
        .cases
        .write_note(&udi(), case, "Ring tolken før intervjuet.", id)
        .await
        .expect("a note");
    assert_eq!(written.text.as_deref(), Some("Ring tolken før intervjuet."));
    // The same id again writes nothing more.
    app.cases
        .write_note(&udi(), case, "Ring tolken før intervjuet.", id)
        .await
        .expect("the same note");
    // The same id with other words is still the first note; used on another case, refused.
    let again = app
        .cases
        .write_note(&udi(), case, "Noe annet.", id)
        .await
        .expect("the first note");
    assert_eq!(again.text.as_deref(), Some("Ring tolken før intervjuet."));
    let other = new_case();
    app.ok(&applicant_of(other), other, application()).await;
    let elsewhere = app.cases.write_note(&udi(), other, "Noe annet.", id).await;
    assert!(
        matches!(
            elsewhere,
            Err(CommandError::Rejected(Rejection::CommandIdReused { .. }))
        ),
        "{elsewhere:?}"
    );
    let notes = app.cases.notes(&udi(), case).await.expect("UDI's notes");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].by, "udi-kari");
    // Sealed in the log: the text is not there to read.
    let stored = app
        .cases
        .store()
        .read_stream(&notes_stream(case), 1, 100)
        .await
        .expect("the notes stream");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].event_type, NOTE_WRITTEN);
    assert!(
        !stored[0].payload.to_string().contains("tolken"),
        "{}",
        stored[0].payload
    );

    // An empty note is refused, and nothing is written.
    let empty = app
        .cases
        .write_note(&udi(), case, "   ", Uuid::now_v7())
        .await;
    assert!(
        matches!(
            empty,
            Err(CommandError::Rejected(Rejection::Refused(
                Refusal::Invalid(_)
            )))
        ),
        "{empty:?}"
    );
    // Nobody but the agencies keeps notes; IOM has no part in the case yet.
    for caller in [auditor(), applicant_of(case)] {
        let refused = app.cases.notes(&caller, case).await;
        assert!(
            matches!(
                refused,
                Err(CommandError::Rejected(Rejection::Forbidden(_)))
            ),
            "{refused:?}"
        );
    }
    let before = app.cases.notes(&iom(), case).await;
    assert!(
        matches!(
            before,
            Err(CommandError::Rejected(Rejection::NoSuchCase { .. }))
        ),
        "{before:?}"
    );

    // Handed over, IOM writes its own, and sees only its own.
    for action in [
        Action::BeginReview,
        Action::Approve {
            particularly_vulnerable: Default::default(),
        },
        Action::HandOverToIom,
    ] {
        app.ok(&udi(), case, action).await;
    }
    app.cases
        .write_note(&iom(), case, "Pass bestilt fra ambassaden.", Uuid::now_v7())
        .await
        .expect("IOM's note");
    let iom_notes = app.cases.notes(&iom(), case).await.expect("IOM's notes");
    assert_eq!(iom_notes.len(), 1, "{iom_notes:?}");
    assert_eq!(
        iom_notes[0].text.as_deref(),
        Some("Pass bestilt fra ambassaden.")
    );
    let udi_notes = app.cases.notes(&udi(), case).await.expect("UDI's notes");
    assert_eq!(udi_notes.len(), 1, "{udi_notes:?}");
    assert_eq!(
        udi_notes[0].text.as_deref(),
        Some("Ring tolken før intervjuet.")
    );

    // Erased, the applicant's notes can no longer be read, and no new one is written.
    app.ok(
        &udi(),
        case,
        Action::ErasePersonalData {
            person: PersonId::from_uuid(Uuid::from_u128(1)),
        },
    )
    .await;
    let erased = app.cases.notes(&udi(), case).await.expect("UDI's notes");
    assert_eq!(erased.len(), 1);
    assert_eq!(erased[0].text, None, "{erased:?}");
    let after = app
        .cases
        .write_note(&udi(), case, "Noe mer.", Uuid::now_v7())
        .await;
    assert!(
        matches!(
            after,
            Err(CommandError::Rejected(Rejection::Refused(
                Refusal::PersonErased(_)
            )))
        ),
        "{after:?}"
    );
    // The log, notes and all, still verifies.
    let report = app.cases.verify(|_| {}).await.expect("an audit");
    assert!(report.is_clean(), "{report:?}");
}
