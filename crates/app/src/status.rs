//! The current status of a case, as the inline projection keeps it: computed from the folded
//! case after each command and written in the same transaction as the command's events.

use chrono::NaiveDate;
use retur_domain::case::{Case, Involvement};
use retur_domain::{CaseId, CountryCode, Money, Role, RuleBook, Status};
use retur_store::{StoredSummary, StreamSummary};
use serde::{Deserialize, Serialize};

pub use retur_domain::case::{Deadline, DeadlineKind};

/// The status of one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseStatus {
    pub case_id: CaseId,
    pub status: Status,
    /// Whose move it is.
    pub owner: Option<Role>,
    pub next_deadline: Option<Deadline>,
    pub version: u64,
    pub detail: StatusDetail,
}

/// The figures of a case's status, kept as JSON beside the indexed fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusDetail {
    pub household_size: u32,
    pub nationality: Option<CountryCode>,
    pub return_country: Option<CountryCode>,
    pub submitted_on: Option<NaiveDate>,
    /// The approved cash grant, in NOK.
    pub approved_cash: Money,
    /// Support approved in kind, added up in each currency it is given in. A summary stored
    /// before in-kind support could be in more than one currency holds one NOK amount, which
    /// reads as a list of one (or none when zero).
    #[serde(deserialize_with = "in_kind_totals")]
    pub approved_in_kind: Vec<Money>,
    /// Reintegration grant paid so far, in NOK.
    pub paid: Money,
    pub pocket_money_paid: Option<Money>,
    pub payout_flagged_overdue: bool,
    /// When IOM and UNE were given their parts in the case: who the case exists for. Absent
    /// only from a status written before it was kept; such a case is read from its events.
    #[serde(default)]
    pub involvement: Option<Involvement>,
}

fn in_kind_totals<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Money>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Totals(Vec<Money>),
        Nok(Money),
    }
    Ok(match Stored::deserialize(deserializer)? {
        Stored::Totals(totals) => totals,
        Stored::Nok(total) if total.minor_units == 0 => Vec::new(),
        Stored::Nok(total) => vec![total],
    })
}

impl CaseStatus {
    /// The status of `case` at `version`. The payout target needs the case's rules; if they
    /// cannot be resolved the case simply shows no payout deadline.
    pub fn of(case_id: CaseId, case: &Case, version: u64, rules: &RuleBook) -> CaseStatus {
        let application = case.application.as_ref();
        let next_deadline = case.next_deadline(rules);
        let grant = case.approval.as_ref().map(|a| &a.grant);
        CaseStatus {
            case_id,
            status: case.status,
            owner: case.status.owner(),
            next_deadline,
            version,
            detail: StatusDetail {
                household_size: application.map_or(0, |a| a.household.len() as u32),
                nationality: application.map(|a| a.nationality),
                return_country: application.map(|a| a.return_country),
                submitted_on: application.map(|a| a.submitted_on),
                approved_cash: grant.map_or(Money::nok(0), |g| g.cash),
                approved_in_kind: grant.map_or(Vec::new(), |g| g.in_kind_totals()),
                paid: case.payout.reintegration_paid,
                pocket_money_paid: case.payout.pocket_money_paid,
                payout_flagged_overdue: case.payout_flagged_overdue(rules),
                involvement: Some(case.involvement),
            },
        }
    }

    /// The summary the store keeps.
    pub(crate) fn summary(&self) -> StreamSummary {
        StreamSummary {
            state: self.status.name().to_owned(),
            owner: self.owner.map(|role| role.as_str().to_owned()),
            due_on: self.next_deadline.map(|d| d.on),
            due_kind: self.next_deadline.map(|d| d.kind.name().to_owned()),
            // Plain data: serializing it cannot fail.
            detail: serde_json::to_value(&self.detail).unwrap_or_default(),
        }
    }

    /// Reads a stored summary back; `None` if it is not a case's status.
    pub(crate) fn from_summary(case_id: CaseId, stored: &StoredSummary) -> Option<CaseStatus> {
        let summary = &stored.summary;
        let status = Status::ALL
            .into_iter()
            .find(|s| s.name() == summary.state)?;
        let next_deadline = match (&summary.due_kind, summary.due_on) {
            (Some(kind), Some(on)) => Some(Deadline {
                kind: DeadlineKind::parse(kind)?,
                on,
            }),
            _ => None,
        };
        Some(CaseStatus {
            case_id,
            status,
            owner: status.owner(),
            next_deadline,
            version: stored.version,
            detail: serde_json::from_value(summary.detail.clone()).ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A summary the store kept before in-kind support could be in more than one currency.
    fn stored(in_kind_ore: i64) -> serde_json::Value {
        serde_json::json!({
            "household_size": 1,
            "nationality": "IQ",
            "return_country": "IQ",
            "submitted_on": "2025-03-03",
            "approved_cash": { "currency": "NOK", "minor_units": 1_500_000 },
            "approved_in_kind": { "currency": "NOK", "minor_units": in_kind_ore },
            "paid": { "currency": "NOK", "minor_units": 0 },
            "pocket_money_paid": null,
            "payout_flagged_overdue": false
        })
    }

    #[test]
    fn a_summary_stored_with_one_in_kind_amount_still_reads() {
        let detail: StatusDetail = serde_json::from_value(stored(3_000_000)).expect("reads");
        assert_eq!(detail.approved_in_kind, vec![Money::nok(30_000)]);
        let none: StatusDetail = serde_json::from_value(stored(0)).expect("reads");
        assert!(none.approved_in_kind.is_empty());
        let again = serde_json::to_value(&detail).expect("json");
        assert_eq!(
            serde_json::from_value::<StatusDetail>(again).expect("reads"),
            detail
        );
    }
}
