//! The tables derived from the log, compared with it by the audit: each case's stored status
//! (what every read, queue and the scheduler go by) and each command's record (what a retry is
//! answered with). Tampered directly in the database, past the store, each row is named by its
//! case and position; the log itself stays whole, so only this comparison can find them.

use retur_app::{DerivedTable, Mismatch};
use retur_domain::*;
use retur_store::RecordedEvent;
use uuid::Uuid;

use crate::fixture::*;

/// A case under review: two commands.
async fn under_review(app: &App) -> CaseId {
    let case = new_case();
    app.ok(&applicant_of(case), case, application()).await;
    app.ok(&udi(), case, Action::BeginReview).await;
    case
}

async fn events_of(app: &App, case: CaseId) -> Vec<RecordedEvent> {
    app.cases
        .store()
        .read_stream(&retur_app::stream_id(case), 1, 100)
        .await
        .expect("read the case")
}

fn stream(case: CaseId) -> String {
    retur_app::stream_id(case).as_str().to_owned()
}

/// A command id as an SQL literal on the test's backend.
fn id_literal(app: &App, id: Uuid) -> String {
    if app.database_url.starts_with("sqlite:") {
        format!("x'{}'", id.simple())
    } else {
        format!("'{id}'")
    }
}

async fn tamper(app: &App, sql: &str) {
    retur_testkit::tamper(&app.database_url, sql).await;
}

pub(crate) async fn every_tampered_status_and_command_record_is_named_by_case_and_position(
    app: &App,
) {
    let state = refused_on(app, "2025-03-03").await;
    let deadline = refused_on(app, "2025-03-03").await;
    let figures = under_review(app).await;
    let behind = under_review(app).await;
    let missing = under_review(app).await;
    let records = under_review(app).await;
    let copied = under_review(app).await;
    let cases = 7;
    let commands = 3 + 3 + 2 * 5;

    let clean = app.cases.verify(|_| {}).await.expect("verify");
    assert!(clean.is_clean(), "{clean:?}");
    assert_eq!(
        (
            clean.derived.statuses_checked,
            clean.derived.commands_checked
        ),
        (cases, commands),
        "every case's status and every command's record compared"
    );

    let last = |events: &[RecordedEvent]| events.last().expect("events").position;
    let state_events = events_of(app, state).await;
    let deadline_events = events_of(app, deadline).await;
    let figures_events = events_of(app, figures).await;
    let behind_events = events_of(app, behind).await;
    let missing_events = events_of(app, missing).await;
    let records_events = events_of(app, records).await;
    let copied_events = events_of(app, copied).await;

    // A refused case made to read as approved and IOM's to move: every role would read it so.
    tamper(
        app,
        &format!(
            "UPDATE stream_summaries SET state = 'approved', owner = 'iom' WHERE stream_id = '{}'",
            stream(state)
        ),
    )
    .await;
    let read = app.cases.status(&udi(), state).await.expect("status");
    assert_eq!(
        read.map(|s| s.status),
        Some(Status::Approved),
        "the tampering took"
    );
    // The appeal deadline moved on by decades, the household's size changed in the figures.
    tamper(
        app,
        &format!(
            "UPDATE stream_summaries SET due_on = '2099-01-01' WHERE stream_id = '{}'",
            stream(deadline)
        ),
    )
    .await;
    tamper(
        app,
        &format!(
            "UPDATE stream_summaries SET detail = replace(detail, '\"household_size\":1', '\"household_size\":9') \
             WHERE stream_id = '{}'",
            stream(figures)
        ),
    )
    .await;
    let read = app.cases.status(&udi(), figures).await.expect("status");
    assert_eq!(
        read.map(|s| s.detail.household_size),
        Some(9),
        "the tampering took"
    );
    // A status set back a version, one removed, and one for a case the log never had.
    tamper(
        app,
        &format!(
            "UPDATE stream_summaries SET version = version - 1 WHERE stream_id = '{}'",
            stream(behind)
        ),
    )
    .await;
    tamper(
        app,
        &format!(
            "DELETE FROM stream_summaries WHERE stream_id = '{}'",
            stream(missing)
        ),
    )
    .await;
    let invented = new_case();
    tamper(
        app,
        &format!(
            "INSERT INTO stream_summaries \
             SELECT '{}', version, position, state, owner, due_on, due_kind, detail, updated_at \
             FROM stream_summaries WHERE stream_id = '{}'",
            stream(invented),
            stream(figures)
        ),
    )
    .await;
    // A command's record pointed one position on, another's removed (a retry would write
    // again), and a record for a command that never ran (a retry would be told it had).
    let (submitted, reviewed) = (&records_events[0], &records_events[1]);
    tamper(
        app,
        &format!(
            "UPDATE commands SET first_position = first_position + 1 WHERE command_id = {}",
            id_literal(app, submitted.command_id)
        ),
    )
    .await;
    tamper(
        app,
        &format!(
            "DELETE FROM commands WHERE command_id = {}",
            id_literal(app, reviewed.command_id)
        ),
    )
    .await;
    let never_ran = Uuid::now_v7();
    tamper(
        app,
        &format!(
            "INSERT INTO commands \
             SELECT {}, stream_id, first_version, last_version, first_position, last_position \
             FROM commands WHERE command_id = {}",
            id_literal(app, never_ran),
            id_literal(app, copied_events[0].command_id)
        ),
    )
    .await;

    let report = app.cases.verify(|_| {}).await.expect("verify");
    assert!(!report.is_clean());
    assert!(
        report.chain.is_intact() && report.first_illegal.is_none(),
        "the log itself is whole: {report:?}"
    );
    use DerivedTable::{CommandRecord, Status as Stored};
    let expected = [
        (
            Stored,
            stream(state),
            last(&state_events),
            "the stored state is approved; the log says refused",
        ),
        (
            Stored,
            stream(deadline),
            last(&deadline_events),
            "the stored next deadline is appeal_window_closes on 2099-01-01",
        ),
        (
            Stored,
            stream(figures),
            last(&figures_events),
            "\"household_size\":9",
        ),
        (
            Stored,
            stream(behind),
            last(&behind_events),
            "the stored status is of version 1",
        ),
        // Version 1 of that case is not at its last position either.
        (
            Stored,
            stream(behind),
            last(&behind_events),
            "stored for version 1 at position",
        ),
        (
            Stored,
            stream(missing),
            last(&missing_events),
            "the case has no stored status",
        ),
        (
            Stored,
            stream(invented),
            last(&figures_events),
            "where the log has no event of this stream",
        ),
        (
            CommandRecord,
            stream(records),
            submitted.position,
            "its events are",
        ),
        (
            CommandRecord,
            stream(records),
            submitted.position + 1,
            "where the log has no event of it",
        ),
        (
            CommandRecord,
            stream(records),
            reviewed.position,
            "has no record",
        ),
        (
            CommandRecord,
            stream(copied),
            copied_events[0].position,
            "where the log has no event of it",
        ),
    ];
    // Each tampered row is named once, by table, case and position, saying what differs; and
    // nothing else is.
    let mut unmatched: Vec<&Mismatch> = report.derived.mismatches.iter().collect();
    for (table, stream, position, problem) in &expected {
        let at = unmatched
            .iter()
            .position(|m| {
                m.table == *table
                    && m.stream_id == *stream
                    && m.position == *position
                    && m.problem().contains(problem)
            })
            .unwrap_or_else(|| {
                panic!(
                    "no {table:?} mismatch for {stream} at {position} saying {problem:?}: {:#?}",
                    report.derived.mismatches
                )
            });
        unmatched.remove(at);
    }
    assert!(
        unmatched.is_empty(),
        "named beyond what was tampered: {unmatched:#?}"
    );
    assert_eq!(report.derived.mismatch_count, expected.len() as u64);

    // Keeping one case folded at a time, each case is folded again from its stream to be
    // compared: the same mismatches.
    let one = retur_app::AuditOptions {
        live_cases: std::num::NonZeroUsize::MIN,
        against: None,
    };
    let refolded = app.cases.verify_with(one, |_| {}).await.expect("verify");
    assert_eq!(refolded.derived, report.derived);
}

pub(crate) async fn an_audit_while_commands_land_finds_nothing_amiss(app: &App) {
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let cases = app.cases.clone();
            tokio::spawn(async move {
                for _ in 0..15 {
                    let case = new_case();
                    for (caller, action) in [
                        (applicant_of(case), application()),
                        (udi(), Action::BeginReview),
                        (udi(), Action::approve()),
                    ] {
                        cases
                            .handle(&caller, request(case, action))
                            .await
                            .expect("accepted");
                    }
                }
            })
        })
        .collect();
    // At least one audit must begin while commands are still landing, or this shows nothing.
    let mut overlapped = 0;
    loop {
        let landing = !writers.iter().all(|w| w.is_finished());
        let report = app.cases.verify(|_| {}).await.expect("verify");
        assert!(report.is_clean(), "while commands land: {report:?}");
        if !landing {
            break;
        }
        overlapped += 1;
    }
    for writer in writers {
        writer.await.expect("the writer");
    }
    let report = app.cases.verify(|_| {}).await.expect("verify");
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(
        (
            report.derived.statuses_checked,
            report.derived.commands_checked
        ),
        (60, 180)
    );
    assert!(overlapped > 0, "no audit ran while commands landed");
}
