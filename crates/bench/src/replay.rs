//! Reading the whole log: every projection rebuilt from position 0, and the audit (the hash
//! chain, then every case's commands decided again), on a log of generated cases. Each runs in
//! a child process of its own, which reports its peak resident memory, so the figure is that of
//! the work alone and not of the process that generated the log.

use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use retur_app::Cases;
use retur_domain::CaseId;
use serde_json::json;
use uuid::Uuid;

use crate::command::{caller, lifecycle, request};
use crate::place::Backend;

/// What a child reports.
#[derive(Debug)]
pub(crate) struct Replayed {
    pub(crate) what: &'static str,
    pub(crate) events: u64,
    pub(crate) elapsed: Duration,
    pub(crate) peak_rss_bytes: u64,
}

/// Takes generated cases through their lifecycle until the log holds at least `events` events,
/// with enough clients at once that the store's group commit fills its batches.
pub(crate) async fn grow_log(cases: &Cases, events: u64, seed: u64) -> anyhow::Result<u64> {
    const CLIENTS: usize = 64;
    let store = cases.store();
    let start = Instant::now();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let cases = cases.clone();
            let store = std::sync::Arc::clone(store);
            tokio::spawn(async move {
                let mut rng = StdRng::seed_from_u64(seed ^ ((client as u64) << 40) ^ events);
                loop {
                    if store.head().await?.position >= events {
                        return anyhow::Ok(());
                    }
                    for _ in 0..16 {
                        let case = CaseId::from_uuid(Uuid::from_u128(rng.random()));
                        for (role, body) in lifecycle(&mut rng) {
                            let request = request(&mut rng, case, &body);
                            cases.handle(&caller(role, case), request).await?;
                        }
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.context("a generating client")??;
    }
    let head = store.head().await?.position;
    println!(
        "  the log holds {head} events ({:.0} s to generate)",
        start.elapsed().as_secs_f64()
    );
    Ok(head)
}

/// Runs `what` (`rebuild` or `verify`) on the database at `url` in a child process.
pub(crate) fn in_child(what: &'static str, url: &str) -> anyhow::Result<Replayed> {
    let output = std::process::Command::new(std::env::current_exe()?)
        .args(["child", what, url])
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running the {what} child"))?;
    anyhow::ensure!(output.status.success(), "the {what} child failed");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .with_context(|| format!("reading the {what} child's report"))?;
    let number = |key: &str| report[key].as_u64().unwrap_or_default();
    Ok(Replayed {
        what,
        events: number("events"),
        elapsed: Duration::from_micros(number("micros")),
        peak_rss_bytes: number("peak_rss_kb") * 1024,
    })
}

/// The child's side: does the work, then prints what it did, how long it took and its peak
/// resident memory (Linux's `VmHWM`).
pub(crate) async fn child(what: &str, url: &str) -> anyhow::Result<()> {
    let system = retur::System::open(url, crate::command::clock()).await?;
    let events = system.store.head().await?.position;
    let start = Instant::now();
    match what {
        "rebuild" => {
            let projections = system.projections();
            let projections: Vec<_> = projections.iter().map(|p| p.as_ref()).collect();
            system.projector.rebuild_all(&projections, |_| {}).await?;
        }
        "verify" => {
            let report = system.cases.verify(|_| {}).await?;
            anyhow::ensure!(
                report.is_clean(),
                "the generated log does not verify: {report:?}"
            );
        }
        other => anyhow::bail!("no such child: {other}"),
    }
    let micros = start.elapsed().as_micros() as u64;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak_rss_kb = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .unwrap_or_default();
    println!(
        "{}",
        json!({ "events": events, "micros": micros, "peak_rss_kb": peak_rss_kb })
    );
    Ok(())
}

/// A row of the replay table.
pub(crate) fn render(rows: &[(Backend, Replayed)]) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    let _ = writeln!(
        text,
        "| backend | what | events in the log | seconds | events/s | peak memory (MB) |"
    );
    let _ = writeln!(text, "|---|---|---:|---:|---:|---:|");
    for (backend, r) in rows {
        let _ = writeln!(
            text,
            "| {} | {} | {} | {:.1} | {:.0} | {:.0} |",
            backend.name(),
            r.what,
            r.events,
            r.elapsed.as_secs_f64(),
            r.events as f64 / r.elapsed.as_secs_f64(),
            r.peak_rss_bytes as f64 / 1_048_576.0
        );
    }
    text
}
