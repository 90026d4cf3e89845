//! Group commit. Appends are serialized (positions must become visible in order), so one
//! transaction per append would cap the store at the database's commits per second. Instead
//! one writer task per store drains the queue of pending appends and commits up to
//! `max_batch` of them in one transaction; each append is still decided on its own, so a
//! conflict fails only that append. Appends that arrive while a batch commits form the next
//! batch. Under concurrent load the writer also waits, at most `max_wait`, for the appenders it
//! has just answered to send again, so that a batch fills back to the size of the last one; a
//! lone appender never waits.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use tokio::sync::{mpsc, oneshot, watch};

use crate::batch::Prepared;
use crate::envelope::{Appended, Head, Position};
use crate::error::{AppendError, StoreError};

/// How a store batches, reads and waits.
#[derive(Clone, Debug)]
pub struct StoreConfig {
    /// The most appends committed in one transaction.
    pub max_batch: usize,
    /// The longest the writer waits for a batch to fill under concurrent load.
    pub max_wait: Duration,
    /// The most appends waiting for the writer; further callers wait for room.
    pub queue_capacity: usize,
    /// How often a live subscription looks for new events when no notification comes.
    pub poll_interval: Duration,
    /// Events per page when reading the log.
    pub page_size: usize,
    /// The most connections in the pool.
    pub max_connections: u32,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            max_batch: 256,
            max_wait: Duration::from_micros(300),
            queue_capacity: 4096,
            poll_interval: Duration::from_millis(500),
            page_size: 500,
            max_connections: 16,
        }
    }
}

/// Commits one batch in one transaction, under the append lock.
#[async_trait]
pub(crate) trait CommitBatch: Send + Sync + 'static {
    async fn commit_batch(
        &self,
        batch: &[&Prepared],
    ) -> Result<(Vec<Result<Appended, AppendError>>, Head), StoreError>;
}

/// Counts of what the writer has done, for benchmarks and metrics.
#[derive(Debug, Default)]
pub struct WriterStats {
    pub batches: AtomicU64,
    pub appends: AtomicU64,
    pub largest_batch: AtomicU64,
}

impl WriterStats {
    /// Appends per committed batch so far.
    pub fn mean_batch(&self) -> f64 {
        let batches = self.batches.load(Ordering::Relaxed);
        #[allow(clippy::float_arithmetic)] // A statistic for people, not money.
        if batches == 0 {
            0.0
        } else {
            self.appends.load(Ordering::Relaxed) as f64 / batches as f64
        }
    }
}

struct Pending {
    request: Prepared,
    reply: oneshot::Sender<Result<Appended, AppendError>>,
}

/// The handle appends go through.
#[derive(Clone)]
pub(crate) struct Writer {
    queue: mpsc::Sender<Pending>,
    pub(crate) stats: Arc<WriterStats>,
}

impl Writer {
    /// Starts the writer task. It ends when every handle is dropped.
    pub(crate) fn spawn(
        committer: Arc<dyn CommitBatch>,
        config: &StoreConfig,
        head: Arc<watch::Sender<Position>>,
    ) -> Writer {
        let (queue, receiver) = mpsc::channel(config.queue_capacity.max(1));
        let stats = Arc::new(WriterStats::default());
        let limits = Limits {
            max_batch: config.max_batch.max(1),
            max_wait: config.max_wait,
        };
        tokio::spawn(run(committer, receiver, limits, head, Arc::clone(&stats)));
        Writer { queue, stats }
    }

    pub(crate) async fn append(&self, request: Prepared) -> Result<Appended, AppendError> {
        let started = Instant::now();
        let (reply, outcome) = oneshot::channel();
        self.queue
            .send(Pending { request, reply })
            .await
            .map_err(|_| StoreError::WriterStopped)?;
        let outcome = outcome.await.map_err(|_| StoreError::WriterStopped)?;
        metrics::histogram!(metric::APPEND_SECONDS).record(started.elapsed().as_secs_f64());
        outcome
    }
}

/// The metrics the writer records, through the `metrics` facade: a no-op until the program
/// installs a recorder (the API's `/metrics` does).
pub mod metric {
    /// Seconds from an append's arrival at the writer to its answer: waiting and committing.
    pub const APPEND_SECONDS: &str = "retur_store_append_seconds";
    /// Seconds one batch's transaction took.
    pub const BATCH_COMMIT_SECONDS: &str = "retur_store_batch_commit_seconds";
    /// Appends per committed batch.
    pub const BATCH_APPENDS: &str = "retur_store_batch_appends";
}

#[derive(Clone, Copy)]
struct Limits {
    max_batch: usize,
    max_wait: Duration,
}

async fn run(
    committer: Arc<dyn CommitBatch>,
    mut receiver: mpsc::Receiver<Pending>,
    limits: Limits,
    head: Arc<watch::Sender<Position>>,
    stats: Arc<WriterStats>,
) {
    let Limits {
        max_batch,
        max_wait,
    } = limits;
    let mut pending = Vec::with_capacity(max_batch);
    let mut last_batch = 0;
    while receiver.recv_many(&mut pending, max_batch).await > 0 {
        if last_batch > 1 {
            fill(
                &mut receiver,
                &mut pending,
                last_batch.min(max_batch),
                max_wait,
            )
            .await;
        }
        last_batch = pending.len();
        let batch: Vec<&Prepared> = pending.iter().map(|p| &p.request).collect();
        let committing = Instant::now();
        let result = committer.commit_batch(&batch).await;
        metrics::histogram!(metric::BATCH_COMMIT_SECONDS)
            .record(committing.elapsed().as_secs_f64());
        metrics::histogram!(metric::BATCH_APPENDS).record(pending.len() as f64);
        stats.batches.fetch_add(1, Ordering::Relaxed);
        stats
            .appends
            .fetch_add(pending.len() as u64, Ordering::Relaxed);
        stats
            .largest_batch
            .fetch_max(pending.len() as u64, Ordering::Relaxed);
        match result {
            Ok((outcomes, new_head)) => {
                head.send_if_modified(|seen| {
                    let newer = new_head.position > *seen;
                    if newer {
                        *seen = new_head.position;
                    }
                    newer
                });
                for (waiting, outcome) in pending.drain(..).zip(outcomes) {
                    // A caller that gave up waiting is no reason to stop.
                    let _ = waiting.reply.send(outcome);
                }
            }
            Err(error) => {
                tracing::error!(%error, appends = pending.len(), "a batch of appends failed; nothing was written");
                for waiting in pending.drain(..) {
                    let _ = waiting.reply.send(Err(AppendError::Storage(error.clone())));
                }
            }
        }
    }
}

/// Lets the appenders just answered send again, until the batch holds `target` appends or
/// `max_wait` has passed. Yielding, not sleeping: the runtime's timers tick in milliseconds,
/// far longer than the wait worth making.
async fn fill(
    receiver: &mut mpsc::Receiver<Pending>,
    pending: &mut Vec<Pending>,
    target: usize,
    max_wait: Duration,
) {
    let started = Instant::now();
    while pending.len() < target && started.elapsed() < max_wait {
        tokio::task::yield_now().await;
        while pending.len() < target {
            match receiver.try_recv() {
                Ok(next) => pending.push(next),
                Err(_) => break,
            }
        }
    }
}
