//! The store over any backend: upcasting, verification and subscriptions are written once here,
//! over the raw reads that [`crate::reads`] writes once for both databases; a backend supplies
//! only its dialect of those reads and its batch commit.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::DateTime;
use tokio::sync::watch;

use crate::EventStore;
use crate::batch;
use crate::chain::{BreakKind, ChainBreak, ChainCheck, ChainReport, Hash, StoredEvent, Verifier};
use crate::envelope::{
    AppendRequest, Appended, Head, Metadata, Position, RecordedEvent, StoredSummary, StreamId,
    Unbacked,
};
use crate::error::{AppendError, StoreError};
use crate::subscription::{ReadPage, Subscription};
use crate::upcast::Upcasters;
use crate::writer::{CommitBatch, StoreConfig, Writer, WriterStats};

/// What a database must do for the store: the raw reads (one implementation for both, in
/// [`crate::reads`]) and the batch commit.
#[async_trait]
pub(crate) trait Backend: CommitBatch {
    /// Stored events after `after`, in position order, at most `limit`.
    async fn raw_page(&self, after: Position, limit: usize)
    -> Result<Vec<StoredEvent>, StoreError>;
    /// Stored events of one stream from `from_version`, in order, at most `limit`.
    async fn raw_stream(
        &self,
        stream_id: &str,
        from_version: u64,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError>;
    /// The last stored event's position and hash, if any.
    async fn raw_head(&self) -> Result<Option<Head>, StoreError>;
    /// Stored summaries due before a date, in (due date, stream id) order after `after`.
    async fn raw_due(
        &self,
        due_before: chrono::NaiveDate,
        after: Option<(chrono::NaiveDate, &str)>,
        limit: usize,
    ) -> Result<Vec<StoredSummary>, StoreError>;
    /// The outcomes recorded for these command ids, with their ids.
    async fn raw_commands(
        &self,
        command_ids: &[uuid::Uuid],
    ) -> Result<Vec<(uuid::Uuid, Appended)>, StoreError>;
    /// Stored summaries of streams with ids starting with `prefix` after `after`, in stream id
    /// order, at most `limit`.
    async fn raw_summaries(
        &self,
        prefix: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<StoredSummary>, StoreError>;
    /// The stored summaries of these streams.
    async fn raw_summaries_of(&self, stream_ids: &[&str])
    -> Result<Vec<StoredSummary>, StoreError>;
    /// Summaries and command records that point at no event, at most `limit`.
    async fn raw_unbacked(&self, limit: usize) -> Result<Vec<Unbacked>, StoreError>;
}

/// An event store on a backend.
pub struct Store<B> {
    backend: Arc<B>,
    /// Reads pages of the log with payloads upcast: for `read_all` and every subscription.
    pages: Arc<Pages<B>>,
    writer: Writer,
    head: Arc<watch::Sender<Position>>,
    config: StoreConfig,
}

impl<B> std::fmt::Debug for Store<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("head", &*self.head.borrow())
            .field("config", &self.config)
            .finish()
    }
}

// `Backend` is sealed: only this crate's SQLite and PostgreSQL backends implement it.
#[allow(private_bounds)]
impl<B: Backend> Store<B> {
    pub(crate) async fn start(
        backend: B,
        config: StoreConfig,
        upcasters: Upcasters,
    ) -> Result<Self, StoreError> {
        let backend = Arc::new(backend);
        let head_position = backend.raw_head().await?.map_or(0, |head| head.position);
        let head = Arc::new(watch::Sender::new(head_position));
        let writer = Writer::spawn(
            Arc::clone(&backend) as Arc<dyn CommitBatch>,
            &config,
            Arc::clone(&head),
        );
        let pages = Arc::new(Pages {
            backend: Arc::clone(&backend),
            upcasters,
        });
        Ok(Store {
            backend,
            pages,
            writer,
            head,
            config,
        })
    }

    pub(crate) fn backend(&self) -> &Arc<B> {
        &self.backend
    }

    /// The head position as this process last saw it: moved by its own commits and, on
    /// PostgreSQL, by notifications from other processes.
    pub(crate) fn head_signal(&self) -> &Arc<watch::Sender<Position>> {
        &self.head
    }

    /// What the writer has done: batches, appends, the largest batch.
    pub fn writer_stats(&self) -> &WriterStats {
        &self.writer.stats
    }

    pub fn config(&self) -> &StoreConfig {
        &self.config
    }
}

#[allow(private_bounds)]
#[async_trait]
impl<B: Backend> EventStore for Store<B> {
    async fn append(&self, request: AppendRequest) -> Result<Appended, AppendError> {
        let prepared = batch::prepare(request)?;
        self.writer.append(prepared).await
    }

    async fn read_stream(
        &self,
        stream_id: &StreamId,
        from_version: u64,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let stored = self
            .backend
            .raw_stream(stream_id.as_str(), from_version, limit)
            .await?;
        stored
            .into_iter()
            .map(|event| recorded(event, &self.pages.upcasters))
            .collect()
    }

    async fn read_all(
        &self,
        after: Position,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.pages.read_page(after, limit).await
    }

    async fn read_checked(
        &self,
        chain: &mut ChainCheck,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let stored = self.backend.raw_page(chain.read(), limit).await?;
        stored
            .into_iter()
            .map(|event| {
                chain.check(&event);
                recorded(event, &self.pages.upcasters)
            })
            .collect()
    }

    async fn due_summaries(
        &self,
        due_before: chrono::NaiveDate,
        after: Option<(chrono::NaiveDate, StreamId)>,
        limit: usize,
    ) -> Result<Vec<StoredSummary>, StoreError> {
        let after = after
            .as_ref()
            .map(|(date, stream)| (*date, stream.as_str()));
        self.backend.raw_due(due_before, after, limit).await
    }

    async fn command_outcome(
        &self,
        command_id: uuid::Uuid,
    ) -> Result<Option<Appended>, StoreError> {
        Ok(self
            .backend
            .raw_commands(&[command_id])
            .await?
            .pop()
            .map(|(_, outcome)| outcome))
    }

    async fn command_outcomes(
        &self,
        command_ids: &[uuid::Uuid],
    ) -> Result<Vec<(uuid::Uuid, Appended)>, StoreError> {
        if command_ids.is_empty() {
            return Ok(Vec::new());
        }
        self.backend.raw_commands(command_ids).await
    }

    async fn read_summary(
        &self,
        stream_id: &StreamId,
    ) -> Result<Option<StoredSummary>, StoreError> {
        Ok(self
            .backend
            .raw_summaries_of(&[stream_id.as_str()])
            .await?
            .pop())
    }

    async fn read_summaries(
        &self,
        stream_ids: &[StreamId],
    ) -> Result<Vec<StoredSummary>, StoreError> {
        if stream_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<&str> = stream_ids.iter().map(StreamId::as_str).collect();
        self.backend.raw_summaries_of(&ids).await
    }

    async fn unbacked(&self, limit: usize) -> Result<Vec<Unbacked>, StoreError> {
        self.backend.raw_unbacked(limit).await
    }

    async fn list_summaries(
        &self,
        prefix: &str,
        after: Option<&StreamId>,
        limit: usize,
    ) -> Result<Vec<StoredSummary>, StoreError> {
        self.backend
            .raw_summaries(prefix, after.map(StreamId::as_str), limit)
            .await
    }

    async fn head(&self) -> Result<Head, StoreError> {
        Ok(self.backend.raw_head().await?.unwrap_or(Head {
            position: 0,
            hash: Hash::ZERO,
        }))
    }

    fn subscribe(&self, after: Position) -> Subscription {
        Subscription::new(
            Arc::clone(&self.pages) as Arc<dyn ReadPage>,
            after,
            self.head.subscribe(),
            self.config.poll_interval,
            self.config.page_size,
        )
    }

    async fn verify_chain(
        &self,
        from: Position,
        to: Option<Position>,
    ) -> Result<ChainReport, StoreError> {
        let from = from.max(1);
        let to = match to {
            Some(to) => to,
            None => self.head().await?.position,
        };
        // The chain is checked from the event before `from`, whose stored hash is trusted: a
        // check from position 1 trusts nothing.
        let (mut verifier, mut after) = if from == 1 {
            (Verifier::new(0, Hash::ZERO), 0)
        } else {
            match self.backend.raw_page(from - 2, 1).await?.pop() {
                Some(before) if before.position == from - 1 => {
                    (Verifier::new(before.position, before.hash), before.position)
                }
                _ => {
                    let broken =
                        ChainBreak::new(from - 1, BreakKind::Missing { position: from - 1 });
                    return Ok(Verifier::new(from - 1, Hash::ZERO).report(from, Some(broken)));
                }
            }
        };
        while after < to {
            let limit = usize::try_from(to - after)
                .unwrap_or(usize::MAX)
                .min(self.config.page_size);
            let page = self.backend.raw_page(after, limit).await?;
            if page.is_empty() {
                let broken = ChainBreak::new(
                    after + 1,
                    BreakKind::Missing {
                        position: after + 1,
                    },
                );
                return Ok(verifier.report(from, Some(broken)));
            }
            for event in &page {
                if let Err(broken) = verifier.check(event) {
                    return Ok(verifier.report(from, Some(broken)));
                }
            }
            after = verifier.position();
        }
        Ok(verifier.report(from, None))
    }
}

struct Pages<B> {
    backend: Arc<B>,
    upcasters: Upcasters,
}

#[async_trait]
impl<B: Backend> ReadPage for Pages<B> {
    async fn read_page(
        &self,
        after: Position,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let stored = self.backend.raw_page(after, limit).await?;
        stored
            .into_iter()
            .map(|event| recorded(event, &self.upcasters))
            .collect()
    }
}

/// A stored event as readers get it: JSON parsed, payload upcast. A row that does not read is
/// an error naming its position.
fn recorded(stored: StoredEvent, upcasters: &Upcasters) -> Result<RecordedEvent, StoreError> {
    let unreadable = |problem: String| StoreError::Unreadable {
        position: stored.position,
        problem,
    };
    let payload: serde_json::Value = serde_json::from_str(&stored.payload)
        .map_err(|e| unreadable(format!("the payload is not JSON: {e}")))?;
    let metadata: Metadata = serde_json::from_str(&stored.metadata)
        .map_err(|e| unreadable(format!("the metadata does not read: {e}")))?;
    let (schema_version, payload) = upcasters
        .upcast(&stored.event_type, stored.schema_version, payload)
        .map_err(unreadable)?;
    let recorded_at =
        DateTime::from_timestamp_micros(stored.recorded_at_micros).ok_or_else(|| {
            unreadable(format!(
                "recorded_at {} is out of range",
                stored.recorded_at_micros
            ))
        })?;
    let stream_id = StreamId::parse(&stored.stream_id).map_err(|e| unreadable(e.to_string()))?;
    Ok(RecordedEvent {
        position: stored.position,
        stream_id,
        stream_version: stored.stream_version,
        event_id: stored.event_id,
        event_type: stored.event_type,
        schema_version,
        payload,
        metadata,
        command_id: stored.command_id,
        recorded_at,
        hash: stored.hash,
    })
}

/// A position, version or count as the databases store it: a signed 64-bit integer.
pub(crate) fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}
