//! Statistics: cases by state and by month of application, and median processing times, from
//! the case index.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use retur_app::Read;

use super::charts::bars;
use super::{PageError, SignedIn, layout, words};
use retur_api::ApiState;

pub(crate) async fn page(
    State(state): State<Arc<ApiState>>,
    signed_in: SignedIn,
) -> Result<Response, PageError> {
    retur_app::authorize_read_of(&signed_in.caller, Read::Statistics)?;
    let role = signed_in.caller.actor.role;
    let statistics =
        retur_projections::CaseIndex::statistics(state.projector.pool(), |involvement| {
            retur_app::has_part(role, involvement)
        })
        .await
        .map_err(|e| PageError::Failed(format!("reading statistics: {e}")))?;
    // In the order a case moves, not by name.
    let by_state: Vec<(String, u64)> = retur_domain::Status::ALL
        .iter()
        .filter_map(|s| {
            let count = *statistics.by_state.get(s.name())?;
            Some((words(s.name()), count))
        })
        .collect();
    let by_month: Vec<(String, u64)> = statistics
        .by_month
        .iter()
        .map(|(month, count)| (month.clone(), *count))
        .collect();
    let medians: Vec<(String, u64)> = [
        (
            "Application to decision",
            statistics.median_days_application_to_decision,
        ),
        (
            "Decision to departure",
            statistics.median_days_decision_to_departure,
        ),
        (
            "Arrival to payout",
            statistics.median_days_arrival_to_payout,
        ),
    ]
    .into_iter()
    .filter_map(|(label, days)| Some((label.to_owned(), u64::try_from(days?).ok()?)))
    .collect();
    let body = html! {
        h1 { "Statistics" }
        p {
            @match statistics.cases { 1 => "One case in all.", n => { (n) " cases in all." } }
        }
        div.charts {
            (bars("by-state", "Cases by state", &by_state, ""))
            (bars("by-month", "Applications by month", &by_month, ""))
            (bars("medians", "Median processing time", &medians, " days"))
        }
    };
    Ok(layout::page("Statistics", Some(&signed_in), body).into_response())
}
