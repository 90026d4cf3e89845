//! Statistics: cases by state and by month of application, and median processing times, from
//! the case index.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use retur_app::Read;

use super::charts::bars;
use super::i18n::{count, t};
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
        .map(|(key, cases)| (month(key), *cases))
        .collect();
    let medians: Vec<(String, u64)> = [
        (
            t!("stats-application-to-decision"),
            statistics.median_days_application_to_decision,
        ),
        (
            t!("stats-decision-to-departure"),
            statistics.median_days_decision_to_departure,
        ),
        (
            t!("stats-arrival-to-payout"),
            statistics.median_days_arrival_to_payout,
        ),
    ]
    .into_iter()
    .filter_map(|(label, days)| Some((label, u64::try_from(days?).ok()?)))
    .collect();
    let cases = statistics.cases;
    let title = t!("stats-title");
    let body = html! {
        h1 { (title) }
        p { (t!("stats-cases-in-all", count = cases, shown = count(cases))) }
        div.charts {
            (bars("by-state", &t!("stats-by-state"), &by_state, count))
            (bars("by-month", &t!("stats-by-month"), &by_month, count))
            (bars("medians", &t!("stats-medians"), &medians, |days| t!("stats-days", count = days)))
        }
    };
    Ok(layout::page(&title, Some(&signed_in), body).into_response())
}

/// A month of the index (`2025-03`) as the page's language names it: `mars 2025`.
fn month(key: &str) -> String {
    match key.split_once('-') {
        Some((year, month)) => match month.parse::<u8>() {
            Ok(month @ 1..=12) => t!("stats-month", month = month, year = year),
            _ => key.to_owned(),
        },
        None => key.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::month;

    #[test]
    fn months_are_named_in_the_pages_language() {
        assert_eq!(month("2025-03"), "mars 2025");
        assert_eq!(month("2024-12"), "desember 2024");
        crate::PageContext::with_lang(crate::i18n::Lang::En, || {
            assert_eq!(month("2025-01"), "January 2025");
            assert_eq!(month("2025-10"), "October 2025");
        });
        assert_eq!(month("2025-13"), "2025-13", "not a month: as it is");
    }
}
