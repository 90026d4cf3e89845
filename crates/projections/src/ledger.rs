//! The payout ledger: every payment and repayment claim of every case, with the rates used,
//! and the totals per case, kind and currency.

use async_trait::async_trait;
use retur_domain::Event;
use retur_store::RecordedEvent;
use sqlx::{AnyConnection, AnyPool};

use crate::{Applied, Projection, value_rows};

/// The payout ledger projection.
#[derive(Clone, Copy, Debug, Default)]
pub struct PayoutLedger;

/// One line of the ledger.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LedgerEntry {
    #[sqlx(try_from = "i64")]
    pub position: u64,
    pub stream_id: String,
    /// `pocket_money`, `reintegration` or `repayment_claim`.
    pub kind: String,
    pub on_date: String,
    pub amount_minor: i64,
    pub currency: String,
    pub usd_minor: Option<i64>,
    pub local_minor: Option<i64>,
    pub local_currency: Option<String>,
    pub nok_per_usd: Option<String>,
    pub local_per_usd: Option<String>,
    pub method: Option<String>,
}

/// A sum of the ledger for one case, kind and currency.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LedgerTotal {
    pub stream_id: String,
    pub kind: String,
    pub currency: String,
    pub amount_minor: i64,
    pub entries: i64,
}

#[async_trait]
impl Projection for PayoutLedger {
    fn name(&self) -> &'static str {
        "payout_ledger"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["payout_ledger"]
    }

    fn create(&self, suffix: &str) -> Vec<String> {
        vec![format!(
            "CREATE TABLE IF NOT EXISTS payout_ledger{suffix} (
                position BIGINT PRIMARY KEY,
                stream_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                on_date TEXT NOT NULL,
                amount_minor BIGINT NOT NULL,
                currency TEXT NOT NULL,
                usd_minor BIGINT,
                local_minor BIGINT,
                local_currency TEXT,
                nok_per_usd TEXT,
                local_per_usd TEXT,
                method TEXT
            )"
        )]
    }

    async fn apply(
        &self,
        connection: &mut AnyConnection,
        suffix: &str,
        page: &[Applied<'_>],
    ) -> Result<(), sqlx::Error> {
        let lines: Vec<(&RecordedEvent, Line)> = page
            .iter()
            .filter_map(|applied| Some((applied.recorded, Line::of(applied.event.as_ref()?)?)))
            .collect();
        const COLUMN_COUNT: usize = 12;
        for chunk in lines.chunks(500) {
            let sql = format!(
                "INSERT INTO payout_ledger{suffix} (position, stream_id, kind, on_date, amount_minor, currency, \
                 usd_minor, local_minor, local_currency, nok_per_usd, local_per_usd, method) VALUES {}",
                value_rows(connection, chunk.len(), COLUMN_COUNT)
            );
            let mut query = sqlx::query(&sql);
            for (recorded, line) in chunk {
                query = query
                    .bind(i64::try_from(recorded.position).unwrap_or(i64::MAX))
                    .bind(recorded.stream_id.as_str())
                    .bind(line.kind)
                    .bind(line.on_date.clone())
                    .bind(line.amount.minor_units)
                    .bind(line.amount.currency.to_string())
                    .bind(line.usd_minor)
                    .bind(line.local_minor)
                    .bind(line.local_currency.clone())
                    .bind(line.nok_per_usd.clone())
                    .bind(line.local_per_usd.clone())
                    .bind(line.method.clone());
            }
            query.execute(&mut *connection).await?;
        }
        Ok(())
    }
}

struct Line {
    kind: &'static str,
    on_date: String,
    amount: retur_domain::Money,
    usd_minor: Option<i64>,
    local_minor: Option<i64>,
    local_currency: Option<String>,
    nok_per_usd: Option<String>,
    local_per_usd: Option<String>,
    method: Option<String>,
}

impl Line {
    /// The ledger line an event makes, if it is a payment or a repayment claim.
    fn of(event: &Event) -> Option<Line> {
        Some(match event {
            Event::PocketMoneyPaid(e) => {
                Line::plain("pocket_money", e.paid_on.to_string(), e.amount)
            }
            Event::ReintegrationTranchePaid(e) => Line {
                usd_minor: Some(e.usd.minor_units),
                local_minor: Some(e.local.minor_units),
                local_currency: Some(e.local.currency.to_string()),
                nok_per_usd: Some(e.rates.nok_per_usd.to_string()),
                local_per_usd: Some(e.rates.local_per_usd.to_string()),
                method: Some(format!("{:?}", e.method).to_lowercase()),
                ..Line::plain("reintegration", e.paid_on.to_string(), e.amount)
            },
            Event::RepaymentClaimed(e) => {
                Line::plain("repayment_claim", e.claimed_on.to_string(), e.amount)
            }
            _ => return None,
        })
    }

    fn plain(kind: &'static str, on_date: String, amount: retur_domain::Money) -> Line {
        Line {
            kind,
            on_date,
            amount,
            usd_minor: None,
            local_minor: None,
            local_currency: None,
            nok_per_usd: None,
            local_per_usd: None,
            method: None,
        }
    }
}

impl PayoutLedger {
    /// Every line, in log order.
    pub async fn entries(pool: &AnyPool) -> Result<Vec<LedgerEntry>, sqlx::Error> {
        sqlx::query_as::<_, LedgerEntry>(
            "SELECT position, stream_id, kind, on_date, amount_minor, currency, usd_minor, local_minor, \
             local_currency, nok_per_usd, local_per_usd, method FROM payout_ledger ORDER BY position",
        )
        .fetch_all(pool)
        .await
    }

    /// Totals per case, kind and currency.
    pub async fn totals(pool: &AnyPool) -> Result<Vec<LedgerTotal>, sqlx::Error> {
        PayoutLedger::totals_of(pool, None).await
    }

    /// The totals of one stream only (all when `None`), filtered in the database.
    pub async fn totals_of(
        pool: &AnyPool,
        stream_id: Option<&str>,
    ) -> Result<Vec<LedgerTotal>, sqlx::Error> {
        sqlx::query_as::<_, LedgerTotal>(
            "SELECT stream_id, kind, currency, CAST(SUM(amount_minor) AS BIGINT) AS amount_minor, \
             CAST(COUNT(*) AS BIGINT) AS entries \
             FROM payout_ledger WHERE ($1 = '' OR stream_id = $1) \
             GROUP BY stream_id, kind, currency ORDER BY stream_id, kind, currency",
        )
        .bind(stream_id.unwrap_or_default().to_owned())
        .fetch_all(pool)
        .await
    }
}
