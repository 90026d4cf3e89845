//! The hash chain. Each event's hash is SHA-256 over the previous event's hash and the exact
//! stored bytes of the event's envelope and payload, so changing, removing or reordering any
//! event breaks every hash after it, and [`verify`] names the first position that breaks.
//!
//! The bytes hashed, in order: the tag `retur-event-v1`; the previous hash (32 zero bytes for
//! the first event); the position, stream version and recorded-at time (microseconds since the
//! Unix epoch) as 8-byte big-endian integers; the schema version as a 4-byte big-endian integer;
//! the event id and command id as their 16 bytes; and the stream id, event type, metadata JSON
//! and payload JSON, each as a 4-byte big-endian length followed by its UTF-8 bytes.

use std::fmt;

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::envelope::Position;

/// A SHA-256 hash.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    /// The hash before the first event.
    pub const ZERO: Hash = Hash([0; 32]);

    pub fn from_slice(bytes: &[u8]) -> Option<Hash> {
        <[u8; 32]>::try_from(bytes).ok().map(Hash)
    }

    /// From 64 hex digits, either case.
    pub fn from_hex(text: &str) -> Option<Hash> {
        let mut bytes = [0; 32];
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(Hash(bytes))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", self.to_hex())
    }
}

/// The stored fields of one event, exactly as they are hashed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    pub position: Position,
    pub stream_id: String,
    pub stream_version: u64,
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: u32,
    pub payload: String,
    pub metadata: String,
    pub command_id: Uuid,
    pub recorded_at_micros: i64,
    pub hash: Hash,
}

impl StoredEvent {
    /// The hash this event must have, following `previous`.
    pub fn expected_hash(&self, previous: &Hash) -> Hash {
        let mut hasher = Sha256::new();
        hasher.update(b"retur-event-v1");
        hasher.update(previous.0);
        hasher.update(self.position.to_be_bytes());
        hasher.update(self.stream_version.to_be_bytes());
        hasher.update(self.recorded_at_micros.to_be_bytes());
        hasher.update(self.schema_version.to_be_bytes());
        hasher.update(self.event_id.as_bytes());
        hasher.update(self.command_id.as_bytes());
        for text in [
            &self.stream_id,
            &self.event_type,
            &self.metadata,
            &self.payload,
        ] {
            // Lengths are bounded far below 4 GiB by the store's limits.
            hasher.update((text.len() as u32).to_be_bytes());
            hasher.update(text.as_bytes());
        }
        Hash(hasher.finalize().into())
    }
}

/// The outcome of checking a stretch of the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainReport {
    /// The first position checked.
    pub first: Position,
    /// The last position found good.
    pub last: Position,
    /// How many events were found good.
    pub checked: u64,
    /// The hash of the last good event: what the next event must chain to.
    pub last_hash: Hash,
    /// The first place the chain breaks, if it does.
    pub broken: Option<ChainBreak>,
}

impl ChainReport {
    pub fn is_intact(&self) -> bool {
        self.broken.is_none()
    }
}

/// The first place where the log is not what its hashes say.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the hash chain breaks at position {position}: {kind}")]
pub struct ChainBreak {
    pub position: Position,
    /// How it breaks there, with the figures, for a reader to say in their own language.
    pub kind: BreakKind,
}

impl ChainBreak {
    pub fn new(position: Position, kind: BreakKind) -> Self {
        ChainBreak { position, kind }
    }

    /// How it breaks in English, as the CLI and the API say it.
    pub fn problem(&self) -> String {
        self.kind.to_string()
    }
}

/// How the hash chain breaks.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BreakKind {
    /// The event a checked stretch follows is not stored.
    #[error("position {position} is missing")]
    Missing { position: Position },
    /// An event is not stored; the log goes on at a later position.
    #[error("position {missing} is missing; the next stored is {next}")]
    Skipped { missing: Position, next: Position },
    /// The event stored is not the one its hash was computed over.
    #[error("the stored hash {stored} is not the hash of the stored event, {computed}")]
    HashDiffers { stored: Hash, computed: Hash },
}

/// Checks a run of stored events in the order given, starting after an event whose position
/// and hash are `after`. Feed it page by page: it keeps only the last position and hash.
#[derive(Clone, Debug)]
pub struct Verifier {
    position: Position,
    hash: Hash,
    checked: u64,
}

impl Verifier {
    pub fn new(after: Position, hash: Hash) -> Self {
        Verifier {
            position: after,
            hash,
            checked: 0,
        }
    }

    /// Checks the next event; the first break is final.
    pub fn check(&mut self, event: &StoredEvent) -> Result<(), ChainBreak> {
        let expected_position = self.position + 1;
        if event.position != expected_position {
            return Err(ChainBreak::new(
                expected_position,
                BreakKind::Skipped {
                    missing: expected_position,
                    next: event.position,
                },
            ));
        }
        let expected = event.expected_hash(&self.hash);
        if expected != event.hash {
            return Err(ChainBreak::new(
                event.position,
                BreakKind::HashDiffers {
                    stored: event.hash,
                    computed: expected,
                },
            ));
        }
        self.position = event.position;
        self.hash = event.hash;
        self.checked += 1;
        Ok(())
    }

    pub fn position(&self) -> Position {
        self.position
    }

    pub fn report(&self, first: Position, broken: Option<ChainBreak>) -> ChainReport {
        ChainReport {
            first,
            last: self.position,
            checked: self.checked,
            last_hash: self.hash,
            broken,
        }
    }
}

/// A reading of the whole log from its start with the hash chain checked on the way (see
/// [`EventStore::read_checked`](crate::EventStore::read_checked)): one pass serves both the
/// chain and whoever reads the events. It keeps the first break and reads on past it.
#[derive(Clone, Debug)]
pub struct ChainCheck {
    verifier: Verifier,
    read: Position,
    broken: Option<ChainBreak>,
    /// A position whose hash is wanted, and the hash once it is read and found good.
    noting: Option<(Position, Option<Hash>)>,
}

impl Default for ChainCheck {
    fn default() -> Self {
        Self::new()
    }
}

impl ChainCheck {
    /// From position 1, trusting nothing.
    pub fn new() -> Self {
        ChainCheck {
            verifier: Verifier::new(0, Hash::ZERO),
            read: 0,
            broken: None,
            noting: None,
        }
    }

    /// Also keeps the hash of the event at `position`, if the chain is good up to it: what a
    /// checkpoint of that position must have signed.
    pub fn noting(mut self, position: Position) -> Self {
        self.noting = Some((position, None));
        self
    }

    /// The hash of the event at the noted position, recomputed from the start of the log: none
    /// if it was not reached, or the chain broke before it or at it.
    pub fn noted(&self) -> Option<Hash> {
        self.noting.and_then(|(_, hash)| hash)
    }

    /// Checks the next event read; after the first break it only counts the position read.
    pub fn check(&mut self, event: &StoredEvent) {
        if self.broken.is_none()
            && let Err(broken) = self.verifier.check(event)
        {
            self.broken = Some(broken);
        }
        if let Some((position, noted)) = &mut self.noting
            && *position == event.position
            && self.broken.is_none()
        {
            *noted = Some(event.hash);
        }
        self.read = event.position;
    }

    /// The last position read: the next page starts after it.
    pub fn read(&self) -> Position {
        self.read
    }

    /// The chain from position 1 to where it was read, or to its first break.
    pub fn report(&self) -> ChainReport {
        self.verifier.report(1, self.broken.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CLI, the logs and the API say a break in these words: they stay as they were.
    #[test]
    fn a_break_is_said_in_the_same_english_as_before() {
        let said = |kind: BreakKind| ChainBreak::new(9, kind).to_string();
        assert_eq!(
            said(BreakKind::Missing { position: 9 }),
            "the hash chain breaks at position 9: position 9 is missing"
        );
        assert_eq!(
            said(BreakKind::Skipped {
                missing: 9,
                next: 11
            }),
            "the hash chain breaks at position 9: position 9 is missing; the next stored is 11"
        );
        assert_eq!(
            said(BreakKind::HashDiffers {
                stored: Hash([1; 32]),
                computed: Hash([2; 32])
            }),
            format!(
                "the hash chain breaks at position 9: the stored hash {} is not the hash of the stored event, {}",
                "01".repeat(32),
                "02".repeat(32)
            )
        );
    }
}
