//! Live subscriptions: catch up on the log page by page, then follow it as it grows.
//!
//! Positions become visible strictly in order (appends are serialized), so reading "everything
//! after the last position seen" can never skip an event that commits late. The subscription
//! wakes when the store's head moves (an in-process signal from the writer, and on PostgreSQL
//! also LISTEN/NOTIFY from other processes) and, in case a signal is lost, polls.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::watch;

use crate::envelope::{Position, RecordedEvent};
use crate::error::StoreError;

/// Reads one page of the log after a position.
#[async_trait]
pub(crate) trait ReadPage: Send + Sync + 'static {
    async fn read_page(
        &self,
        after: Position,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;
}

/// Every event after a position, in order, each exactly once.
pub struct Subscription {
    reader: Arc<dyn ReadPage>,
    after: Position,
    buffer: VecDeque<RecordedEvent>,
    head: watch::Receiver<Position>,
    poll_interval: Duration,
    page_size: usize,
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("after", &self.after)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl Subscription {
    pub(crate) fn new(
        reader: Arc<dyn ReadPage>,
        after: Position,
        head: watch::Receiver<Position>,
        poll_interval: Duration,
        page_size: usize,
    ) -> Self {
        Subscription {
            reader,
            after,
            buffer: VecDeque::new(),
            head,
            poll_interval,
            page_size: page_size.max(1),
        }
    }

    /// The position of the last event handed out.
    pub fn position(&self) -> Position {
        self.after
    }

    /// The next event, waiting for it if the log has none yet.
    pub async fn next(&mut self) -> Result<RecordedEvent, StoreError> {
        loop {
            if let Some(event) = self.buffer.pop_front() {
                self.after = event.position;
                return Ok(event);
            }
            let page = self.reader.read_page(self.after, self.page_size).await?;
            if let Some(first) = page.first() {
                if first.position != self.after + 1 {
                    return Err(StoreError::Unreadable {
                        position: self.after + 1,
                        problem: format!("the log skips from {} to {}", self.after, first.position),
                    });
                }
                self.buffer.extend(page);
                continue;
            }
            // Nothing new: wait for the head to move, or for the poll interval.
            if tokio::time::timeout(self.poll_interval, self.head.changed())
                .await
                .is_ok_and(|r| r.is_err())
            {
                // The store is gone; keep polling at the interval rather than spinning.
                tokio::time::sleep(self.poll_interval).await;
            }
        }
    }
}
