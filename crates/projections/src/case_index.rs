//! One row per case: where it stands, in which agency's queue and since when, who holds it,
//! its next deadline, and the dates statistics are made of. The agency work queues and the
//! statistics are queries over it.
//!
//! The row keeps the folded case (without its personal details) as JSON and advances it with
//! the domain's own `evolve`, so a queue can never disagree with the lifecycle. Claims come from
//! each case's claims stream; a claim shows while the case stays in the queue it was made in.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use async_trait::async_trait;
use chrono::NaiveDate;
use retur_domain::case::{Case, Involvement};
use retur_domain::{Event, RuleBook, Status, evolve};
use retur_store::RecordedEvent;
use serde::Deserialize;
use sqlx::{AnyConnection, AnyPool, Row};

use crate::{Applied, Projection, placeholders, value_rows};

/// The case index projection.
#[derive(Clone, Debug)]
pub struct CaseIndex {
    rules: Arc<RuleBook>,
}

impl CaseIndex {
    /// Deadlines are computed under `rules`, as the application computes them.
    pub fn new(rules: Arc<RuleBook>) -> CaseIndex {
        CaseIndex { rules }
    }
}

/// One case in a queue.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct QueueItem {
    pub stream_id: String,
    pub status: String,
    pub agency: String,
    pub queue: String,
    #[sqlx(rename = "in_queue_since")]
    pub in_queue_since_micros: i64,
    pub due_on: Option<String>,
    pub due_kind: Option<String>,
    pub departs_on: Option<String>,
    pub claimed_by: Option<String>,
    #[sqlx(rename = "claimed_at")]
    pub claimed_at_micros: Option<i64>,
    pub nationality: Option<String>,
    pub household_size: Option<i64>,
}

/// Which part of an agency's queues to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueQuery {
    /// One queue, or all of the agency's.
    pub queue: Option<String>,
    /// Only cases due on or before this day (overdue ones: the day before today).
    pub due_on_or_before: Option<NaiveDate>,
    /// Only cases departing on or before this day (the IOM's "departing in the next 7 days").
    pub departs_on_or_before: Option<NaiveDate>,
    /// Only cases held by this caseworker; `Some("")` for cases nobody holds.
    pub claimed_by: Option<String>,
    /// Order by the due date (oldest first) rather than by time in the queue.
    pub by_due_date: bool,
    pub limit: u32,
    pub offset: u32,
}

/// Counts and processing times over all cases.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Statistics {
    pub cases: u64,
    pub by_state: BTreeMap<String, u64>,
    pub by_nationality: BTreeMap<String, u64>,
    pub by_return_country: BTreeMap<String, u64>,
    /// By the month of submission, `YYYY-MM`.
    pub by_month: BTreeMap<String, u64>,
    /// Median days, the lower middle for an even count; `None` with no cases to measure.
    pub median_days_application_to_decision: Option<i64>,
    pub median_days_decision_to_departure: Option<i64>,
    pub median_days_arrival_to_payout: Option<i64>,
}

const COLUMNS: &str = "stream_id, status, agency, queue, in_queue_since, due_on, due_kind, departs_on, claimed_by, \
                       claimed_at, nationality, return_country, submitted_on, decided_on, departed_on, arrived_on, \
                       paid_out_on, last_position, state, handed_to_iom_on, forwarded_to_une_on, household_size";

#[async_trait]
impl Projection for CaseIndex {
    fn name(&self) -> &'static str {
        "case_index"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["case_index"]
    }

    /// 2: the dates IOM and UNE were given their parts, for need-to-know in statistics.
    /// 3: the household's size, for the queues.
    fn version(&self) -> u32 {
        3
    }

    fn create(&self, suffix: &str) -> Vec<String> {
        vec![format!(
            "CREATE TABLE IF NOT EXISTS case_index{suffix} (
                stream_id TEXT PRIMARY KEY,
                status TEXT NOT NULL,
                agency TEXT,
                queue TEXT,
                in_queue_since BIGINT,
                due_on TEXT,
                due_kind TEXT,
                departs_on TEXT,
                claimed_by TEXT,
                claimed_at BIGINT,
                nationality TEXT,
                return_country TEXT,
                submitted_on TEXT,
                decided_on TEXT,
                departed_on TEXT,
                arrived_on TEXT,
                paid_out_on TEXT,
                last_position BIGINT NOT NULL,
                state TEXT NOT NULL,
                handed_to_iom_on TEXT,
                forwarded_to_une_on TEXT,
                household_size INTEGER
            )"
        )]
    }

    async fn apply(
        &self,
        connection: &mut AnyConnection,
        suffix: &str,
        page: &[Applied<'_>],
    ) -> Result<(), sqlx::Error> {
        // Each touched row is read once and written once per page, whatever number of the
        // page's events it takes: statements, not events, are what a page costs.
        let streams: BTreeSet<String> = page.iter().filter_map(|a| case_stream(a)).collect();
        let mut rows = load_rows(connection, suffix, &streams).await?;
        let mut touched = BTreeSet::new();
        for applied in page {
            let Some(stream) = case_stream(applied) else {
                continue;
            };
            match &applied.event {
                Some(event) => {
                    let row = rows.entry(stream.clone()).or_insert_with(IndexRow::new);
                    row.apply(applied.recorded, event);
                    touched.insert(stream);
                }
                None => {
                    // A claim on a case the index does not hold changes nothing.
                    if let Some(row) = rows.get_mut(&stream)
                        && row.claim(applied.recorded)?
                    {
                        touched.insert(stream);
                    }
                }
            }
        }
        let touched: Vec<(&String, &IndexRow)> = touched
            .iter()
            .filter_map(|stream| rows.get_key_value(stream))
            .collect();
        for chunk in touched.chunks(ROWS_PER_STATEMENT) {
            self.write_rows(connection, suffix, chunk).await?;
        }
        Ok(())
    }
}

/// Rows per INSERT: 22 parameters each, well under SQLite's and PostgreSQL's limits.
const ROWS_PER_STATEMENT: usize = 500;

/// The case row an event belongs to: a case's own stream, or the case a claims stream is of.
fn case_stream(applied: &Applied<'_>) -> Option<String> {
    let stream = applied.recorded.stream_id.as_str();
    if stream.starts_with("case-") {
        Some(stream.to_owned())
    } else {
        stream
            .strip_prefix("claims-")
            .map(|case| format!("case-{case}"))
    }
}

/// The row as stored.
struct IndexRow {
    case: Case,
    queue: Option<String>,
    in_queue_since: Option<i64>,
    claimed_by: Option<String>,
    claimed_at: Option<i64>,
    decided_on: Option<String>,
    departed_on: Option<String>,
    arrived_on: Option<String>,
    paid_out_on: Option<String>,
    last_position: u64,
}

impl IndexRow {
    fn new() -> IndexRow {
        IndexRow {
            case: Case::default(),
            queue: None,
            in_queue_since: None,
            claimed_by: None,
            claimed_at: None,
            decided_on: None,
            departed_on: None,
            arrived_on: None,
            paid_out_on: None,
            last_position: 0,
        }
    }

    /// Advances the row by one of its case's events.
    fn apply(&mut self, recorded: &RecordedEvent, event: &Event) {
        let mut case = evolve(std::mem::take(&mut self.case), event);
        // The index keeps no personal data: the queues and statistics need none.
        if let Some(application) = case.application.as_mut() {
            application.details.clear();
        }
        let queue = case.status.queue().map(str::to_owned);
        if queue != self.queue {
            // By the case system's clock when the command was decided (a clock set by hand in
            // training and tests), which is the moment the case came into the queue.
            let since = recorded.metadata.decided_at.unwrap_or(recorded.recorded_at);
            self.in_queue_since = queue.as_ref().map(|_| since.timestamp_micros());
            // A claim is for the queue it was made in.
            self.claimed_by = None;
            self.claimed_at = None;
            self.queue = queue;
        }
        match event {
            Event::ApplicationApproved(e) if self.decided_on.is_none() => {
                self.decided_on = Some(e.approved_on.to_string())
            }
            Event::ApplicationRefused(e) if self.decided_on.is_none() => {
                self.decided_on = Some(e.refused_on.to_string())
            }
            Event::DepartureConfirmed(e) => self.departed_on = Some(e.departed_on.to_string()),
            Event::ArrivalConfirmed(e) => self.arrived_on = Some(e.arrived_on.to_string()),
            Event::ReintegrationTranchePaid(e) if case.status == Status::PaidOut => {
                self.paid_out_on = Some(e.paid_on.to_string())
            }
            _ => {}
        }
        self.case = case;
        self.last_position = recorded.position;
    }

    /// Takes a claim or a release from the case's claims stream; says whether it changed the
    /// row. A claim holds only in the queue it was made in.
    fn claim(&mut self, recorded: &RecordedEvent) -> Result<bool, sqlx::Error> {
        match recorded.event_type.as_str() {
            "case_claimed" => {
                let claimed: Claimed = serde_json::from_value(recorded.payload.clone())
                    .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
                if self.queue.as_deref() != Some(claimed.queue.as_str()) {
                    return Ok(false);
                }
                self.claimed_by = Some(claimed.by);
                self.claimed_at = Some(recorded.recorded_at.timestamp_micros());
                Ok(true)
            }
            "case_released" => {
                self.claimed_by = None;
                self.claimed_at = None;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}

/// The rows of `streams` that the index holds.
async fn load_rows(
    connection: &mut AnyConnection,
    suffix: &str,
    streams: &BTreeSet<String>,
) -> Result<HashMap<String, IndexRow>, sqlx::Error> {
    let streams: Vec<&String> = streams.iter().collect();
    let mut rows = HashMap::with_capacity(streams.len());
    for chunk in streams.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "SELECT stream_id, state, queue, in_queue_since, claimed_by, claimed_at, decided_on, \
             departed_on, arrived_on, paid_out_on, last_position FROM case_index{suffix} \
             WHERE stream_id IN ({})",
            placeholders(connection, 1, chunk.len())
        );
        let mut query = sqlx::query(&sql);
        for stream in chunk {
            query = query.bind(stream.as_str());
        }
        for row in query.fetch_all(&mut *connection).await? {
            rows.insert(
                row.try_get::<String, _>("stream_id")?,
                IndexRow {
                    case: serde_json::from_str(&row.try_get::<String, _>("state")?)
                        .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                    queue: row.try_get("queue")?,
                    in_queue_since: row.try_get("in_queue_since")?,
                    claimed_by: row.try_get("claimed_by")?,
                    claimed_at: row.try_get("claimed_at")?,
                    decided_on: row.try_get("decided_on")?,
                    departed_on: row.try_get("departed_on")?,
                    arrived_on: row.try_get("arrived_on")?,
                    paid_out_on: row.try_get("paid_out_on")?,
                    last_position: row.try_get::<i64, _>("last_position")?.max(0) as u64,
                },
            );
        }
    }
    Ok(rows)
}

impl CaseIndex {
    /// Writes rows, inserting new ones and replacing those the index holds, in one statement.
    async fn write_rows(
        &self,
        connection: &mut AnyConnection,
        suffix: &str,
        rows: &[(&String, &IndexRow)],
    ) -> Result<(), sqlx::Error> {
        const COLUMN_COUNT: usize = 22;
        let sql = format!(
            "INSERT INTO case_index{suffix} ({COLUMNS}) VALUES {} \
             ON CONFLICT (stream_id) DO UPDATE SET status = excluded.status, agency = excluded.agency, \
             queue = excluded.queue, in_queue_since = excluded.in_queue_since, due_on = excluded.due_on, \
             due_kind = excluded.due_kind, departs_on = excluded.departs_on, claimed_by = excluded.claimed_by, \
             claimed_at = excluded.claimed_at, nationality = excluded.nationality, \
             return_country = excluded.return_country, submitted_on = excluded.submitted_on, \
             decided_on = excluded.decided_on, departed_on = excluded.departed_on, arrived_on = excluded.arrived_on, \
             paid_out_on = excluded.paid_out_on, last_position = excluded.last_position, state = excluded.state, \
             handed_to_iom_on = excluded.handed_to_iom_on, forwarded_to_une_on = excluded.forwarded_to_une_on, \
             household_size = excluded.household_size",
            value_rows(connection, rows.len(), COLUMN_COUNT)
        );
        let mut query = sqlx::query(&sql);
        for (stream, row) in rows {
            let case = &row.case;
            let deadline = case.next_deadline(&self.rules);
            let application = case.application.as_ref();
            let state =
                serde_json::to_string(case).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
            query = query
                .bind(stream.as_str())
                .bind(case.status.name())
                .bind(
                    row.queue
                        .as_ref()
                        .and(case.status.owner())
                        .map(|role| role.as_str()),
                )
                .bind(row.queue.clone())
                .bind(row.in_queue_since)
                .bind(deadline.map(|d| d.on.to_string()))
                .bind(deadline.map(|d| d.kind.name()))
                .bind(
                    case.travel
                        .booking
                        .as_ref()
                        .filter(|_| case.status == Status::DepartureBooked)
                        .map(|b| b.departs_on.to_string()),
                )
                .bind(row.claimed_by.clone())
                .bind(row.claimed_at)
                .bind(application.map(|a| a.nationality.to_string()))
                .bind(application.map(|a| a.return_country.to_string()))
                .bind(application.map(|a| a.submitted_on.to_string()))
                .bind(row.decided_on.clone())
                .bind(row.departed_on.clone())
                .bind(row.arrived_on.clone())
                .bind(row.paid_out_on.clone())
                .bind(i64::try_from(row.last_position).unwrap_or(i64::MAX))
                .bind(state)
                .bind(case.involvement.handed_to_iom_on.map(|d| d.to_string()))
                .bind(case.involvement.forwarded_to_une_on.map(|d| d.to_string()))
                .bind(application.map(|a| a.household.len() as i64));
        }
        query.execute(&mut *connection).await?;
        Ok(())
    }
}

#[derive(Deserialize)]
struct Claimed {
    by: String,
    queue: String,
}

impl CaseIndex {
    /// An agency's queue items, filtered, ordered and paged.
    pub async fn queue(
        pool: &AnyPool,
        agency: &str,
        query: &QueueQuery,
    ) -> Result<Vec<QueueItem>, sqlx::Error> {
        let order = if query.by_due_date {
            "due_on IS NULL, due_on, stream_id"
        } else {
            "in_queue_since, stream_id"
        };
        let claimed = match query.claimed_by.as_deref() {
            None => "$4 = $4",
            Some("") => "($4 = $4 AND claimed_by IS NULL)",
            Some(_) => "claimed_by = $4",
        };
        let sql = format!(
            "SELECT stream_id, status, agency, queue, in_queue_since, due_on, due_kind, departs_on, claimed_by, claimed_at, \
             nationality, household_size \
             FROM case_index WHERE agency = $1 AND ($2 = '' OR queue = $2) \
             AND ($3 = '' OR (due_on IS NOT NULL AND due_on <= $3)) AND {claimed} \
             AND ($5 = '' OR (departs_on IS NOT NULL AND departs_on <= $5)) \
             ORDER BY {order} LIMIT $6 OFFSET $7"
        );
        sqlx::query_as::<_, QueueItem>(&sql)
            .bind(agency)
            .bind(query.queue.clone().unwrap_or_default())
            .bind(
                query
                    .due_on_or_before
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            )
            .bind(query.claimed_by.clone().unwrap_or_default())
            .bind(
                query
                    .departs_on_or_before
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            )
            .bind(i64::from(if query.limit == 0 { 100 } else { query.limit }))
            .bind(i64::from(query.offset))
            .fetch_all(pool)
            .await
    }

    /// Counts by state, nationality, return country and month, and median processing times,
    /// over the cases `counted` takes in: those that exist for the role asking, by when IOM and
    /// UNE were given their parts (need-to-know is the application's rule to give).
    pub async fn statistics(
        pool: &AnyPool,
        counted: impl Fn(&Involvement) -> bool,
    ) -> Result<Statistics, sqlx::Error> {
        /// What statistics read of a case.
        #[derive(sqlx::FromRow)]
        struct Counted {
            status: String,
            nationality: Option<String>,
            return_country: Option<String>,
            submitted_on: Option<String>,
            decided_on: Option<String>,
            departed_on: Option<String>,
            arrived_on: Option<String>,
            paid_out_on: Option<String>,
            handed_to_iom_on: Option<String>,
            forwarded_to_une_on: Option<String>,
        }
        let rows = sqlx::query_as::<_, Counted>(
            "SELECT status, nationality, return_country, submitted_on, decided_on, departed_on, arrived_on, paid_out_on, \
             handed_to_iom_on, forwarded_to_une_on FROM case_index",
        )
        .fetch_all(pool)
        .await?;
        let mut statistics = Statistics::default();
        let (mut to_decision, mut to_departure, mut to_payout) =
            (Vec::new(), Vec::new(), Vec::new());
        let date = |text: &Option<String>| {
            text.as_deref()
                .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
        };
        for row in rows {
            let involvement = Involvement {
                handed_to_iom_on: date(&row.handed_to_iom_on),
                forwarded_to_une_on: date(&row.forwarded_to_une_on),
            };
            if !counted(&involvement) {
                continue;
            }
            statistics.cases += 1;
            let days = |from: &Option<String>, to: &Option<String>| {
                date(from).zip(date(to)).map(|(a, b)| (b - a).num_days())
            };
            to_decision.extend(days(&row.submitted_on, &row.decided_on));
            to_departure.extend(days(&row.decided_on, &row.departed_on));
            to_payout.extend(days(&row.arrived_on, &row.paid_out_on));
            *statistics.by_state.entry(row.status).or_default() += 1;
            if let Some(nationality) = row.nationality {
                *statistics.by_nationality.entry(nationality).or_default() += 1;
            }
            if let Some(country) = row.return_country {
                *statistics.by_return_country.entry(country).or_default() += 1;
            }
            if let Some(submitted) = row.submitted_on {
                *statistics
                    .by_month
                    .entry(submitted.chars().take(7).collect())
                    .or_default() += 1;
            }
        }
        statistics.median_days_application_to_decision = lower_median(&mut to_decision);
        statistics.median_days_decision_to_departure = lower_median(&mut to_departure);
        statistics.median_days_arrival_to_payout = lower_median(&mut to_payout);
        Ok(statistics)
    }
}

fn lower_median(values: &mut [i64]) -> Option<i64> {
    values.sort_unstable();
    values.get(values.len().saturating_sub(1) / 2).copied()
}
