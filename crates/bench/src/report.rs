//! Figures: rates and latency percentiles, as a table for people and for `docs/benchmarks.md`.

use std::fmt::Write as _;
use std::time::Duration;

use crate::place::Backend;

#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub(crate) backend: Backend,
    pub(crate) what: String,
    /// Concurrent clients; 0 for an open-loop (paced) run.
    pub(crate) clients: usize,
    pub(crate) per_second: f64,
    pub(crate) p50_ms: f64,
    pub(crate) p99_ms: f64,
    pub(crate) p999_ms: f64,
    /// The row this one is compared with (by its `what`): the raw limit, unless said otherwise.
    pub(crate) baseline: Option<&'static str>,
}

impl Row {
    /// Compared with the row measured beside it that does `what`, rather than the raw limit.
    pub(crate) fn against(mut self, what: &'static str) -> Row {
        self.baseline = Some(what);
        self
    }

    /// A baseline itself: compared with nothing.
    pub(crate) fn alone(mut self) -> Row {
        self.baseline = None;
        self
    }
}

/// A row from the latencies of everything done in `elapsed`.
pub(crate) fn row(
    backend: Backend,
    what: impl Into<String>,
    clients: usize,
    mut latencies: Vec<Duration>,
    elapsed: Duration,
) -> Row {
    latencies.sort_unstable();
    let at = |q: f64| {
        let index =
            ((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len().max(1)) - 1;
        latencies
            .get(index)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Row {
        backend,
        what: what.into(),
        clients,
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        p999_ms: at(0.999),
        baseline: Some(RAW),
    }
}

pub(crate) const RAW: &str = "raw one-row INSERT per transaction";

/// The table, with each row's ratio to its baseline measured beside it (the raw limit, unless
/// the row names another).
pub(crate) fn render(rows: &[Row], seconds: f64) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Each measurement runs {seconds} s on a fresh database. Latency in milliseconds.\n"
    );
    let _ = writeln!(
        text,
        "| backend | what | clients | per second | ratio to baseline | p50 | p99 | p99.9 |"
    );
    let _ = writeln!(text, "|---|---|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let baseline = rows
            .iter()
            .find(|r| {
                r.backend == row.backend
                    && r.clients == row.clients
                    && Some(r.what.as_str()) == row.baseline
            })
            .map(|r| r.per_second);
        let ratio = match baseline {
            Some(base) if Some(row.what.as_str()) != row.baseline && row.clients > 0 => {
                format!("{:.2}×", row.per_second / base)
            }
            _ => String::new(),
        };
        let clients = if row.clients == 0 {
            "paced".to_owned()
        } else {
            row.clients.to_string()
        };
        let _ = writeln!(
            text,
            "| {} | {} | {} | {:.0} | {} | {:.2} | {:.2} | {:.2} |",
            row.backend.name(),
            row.what,
            clients,
            row.per_second,
            ratio,
            row.p50_ms,
            row.p99_ms,
            row.p999_ms
        );
    }
    text
}
