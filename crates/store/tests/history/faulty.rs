//! A store with one deliberate fault, wrapped around a real one: what the checker must catch.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use retur_store::{
    AppendError, AppendRequest, Appended, ChainCheck, ChainReport, EventStore, Head, Position,
    RecordedEvent, StoreError, StoredSummary, StreamId, Subscription,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Every 7th append is acknowledged and never written.
    AcknowledgesWithoutWriting,
    /// Every 5th read leaves out the newest event.
    ServesStaleReads,
    /// Every 5th read returns its first event twice.
    DuplicatesOnRead,
    /// Every 5th read of two or more events swaps the last two.
    ReordersReads,
}

pub(crate) struct Faulty {
    pub(crate) inner: Arc<dyn EventStore>,
    pub(crate) fault: Fault,
    appends: AtomicU64,
    reads: AtomicU64,
}

impl Faulty {
    pub(crate) fn new(inner: Arc<dyn EventStore>, fault: Fault) -> Faulty {
        Faulty {
            inner,
            fault,
            appends: AtomicU64::new(0),
            reads: AtomicU64::new(0),
        }
    }
}

#[async_trait]
impl EventStore for Faulty {
    async fn append(&self, request: AppendRequest) -> Result<Appended, AppendError> {
        let n = self.appends.fetch_add(1, Ordering::Relaxed);
        if self.fault == Fault::AcknowledgesWithoutWriting && n % 7 == 6 {
            let version = request.expected_version + 1;
            return Ok(Appended {
                stream_id: request.stream_id,
                first_version: version,
                last_version: version,
                first_position: 0,
                last_position: 0,
                already_appended: false,
            });
        }
        self.inner.append(request).await
    }

    async fn read_stream(
        &self,
        stream_id: &StreamId,
        from_version: u64,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut events = self
            .inner
            .read_stream(stream_id, from_version, limit)
            .await?;
        let n = self.reads.fetch_add(1, Ordering::Relaxed);
        if n % 5 == 4 && !events.is_empty() {
            match self.fault {
                Fault::ServesStaleReads => {
                    events.pop();
                }
                Fault::DuplicatesOnRead => events.insert(0, events[0].clone()),
                Fault::ReordersReads if events.len() >= 2 => {
                    let last = events.len() - 1;
                    events.swap(last, last - 1);
                }
                _ => {}
            }
        }
        Ok(events)
    }

    async fn read_all(
        &self,
        after: Position,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.inner.read_all(after, limit).await
    }

    async fn read_checked(
        &self,
        chain: &mut ChainCheck,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.inner.read_checked(chain, limit).await
    }

    async fn command_outcome(
        &self,
        command_id: uuid::Uuid,
    ) -> Result<Option<Appended>, StoreError> {
        self.inner.command_outcome(command_id).await
    }

    async fn read_summary(
        &self,
        stream_id: &StreamId,
    ) -> Result<Option<StoredSummary>, StoreError> {
        self.inner.read_summary(stream_id).await
    }

    async fn command_outcomes(
        &self,
        command_ids: &[uuid::Uuid],
    ) -> Result<Vec<(uuid::Uuid, Appended)>, StoreError> {
        self.inner.command_outcomes(command_ids).await
    }

    async fn read_summaries(
        &self,
        stream_ids: &[StreamId],
    ) -> Result<Vec<StoredSummary>, StoreError> {
        self.inner.read_summaries(stream_ids).await
    }

    async fn unbacked(&self, limit: usize) -> Result<Vec<retur_store::Unbacked>, StoreError> {
        self.inner.unbacked(limit).await
    }

    async fn list_summaries(
        &self,
        prefix: &str,
        after: Option<&StreamId>,
        limit: usize,
    ) -> Result<Vec<StoredSummary>, StoreError> {
        self.inner.list_summaries(prefix, after, limit).await
    }

    async fn due_summaries(
        &self,
        due_before: chrono::NaiveDate,
        after: Option<(chrono::NaiveDate, StreamId)>,
        limit: usize,
    ) -> Result<Vec<StoredSummary>, StoreError> {
        self.inner.due_summaries(due_before, after, limit).await
    }

    async fn head(&self) -> Result<Head, StoreError> {
        self.inner.head().await
    }

    fn subscribe(&self, after: Position) -> Subscription {
        self.inner.subscribe(after)
    }

    async fn verify_chain(
        &self,
        from: Position,
        to: Option<Position>,
    ) -> Result<ChainReport, StoreError> {
        self.inner.verify_chain(from, to).await
    }
}
