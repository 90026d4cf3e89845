//! Between domain events and the store's envelopes, and the sealing of personal data.
//!
//! Every entry of an event's `personal` map is sealed with its person's key before it reaches
//! the log: XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`), a random 192-bit nonce per
//! entry, and the event id and the person as associated data, so a sealed entry cannot be
//! moved to another event or person unnoticed. The entry is stored as
//! `{"sealed": base64(nonce ‖ ciphertext)}`; the rest of the event stays readable, so the hash
//! chain, the projections and the workflow never need a key.

use std::collections::{BTreeSet, HashMap};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use retur_domain::event::SEALED;
use retur_domain::{CaseId, Event};
use retur_store::{KeyBytes, NewEvent, RecordedEvent, StreamId};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::error::Failure;

/// Every case's stream id starts with this.
pub const CASE_STREAM_PREFIX: &str = "case-";

/// The field of an event's payload that holds its personal data.
const PERSONAL: &str = "personal";

/// The length of an XChaCha20 nonce, in bytes.
const NONCE_BYTES: usize = 24;

/// The stream a case lives in.
pub fn stream_id(case_id: CaseId) -> StreamId {
    StreamId::parse(&format!("{CASE_STREAM_PREFIX}{case_id}"))
        .expect("a case's stream id is 41 printable ASCII characters, always valid")
}

/// A domain event in an envelope, with a fresh, time-ordered event id (UUIDv7: the log's
/// index on event ids then grows at its end, not at random pages). Its personal data is still
/// open: [`seal`] it before it is appended.
pub(crate) fn envelope(event: &Event) -> NewEvent {
    NewEvent {
        event_id: Uuid::now_v7(),
        event_type: event.event_type().to_owned(),
        schema_version: u32::from(event.schema_version()),
        payload: event.payload(),
    }
}

/// A fresh key for a person seen for the first time.
pub(crate) fn new_key() -> KeyBytes {
    XChaCha20Poly1305::generate_key(&mut OsRng).into()
}

fn personal_mut(payload: &mut Value) -> Option<&mut Map<String, Value>> {
    payload.get_mut(PERSONAL).and_then(Value::as_object_mut)
}

/// Whether an entry of a personal map, as read, is still sealed.
pub(crate) fn is_sealed(entry: &Value) -> bool {
    entry.get(SEALED).is_some()
}

fn associated_data(event_id: Uuid, person: Uuid) -> [u8; 32] {
    let mut data = [0u8; 32];
    data[..16].copy_from_slice(event_id.as_bytes());
    data[16..].copy_from_slice(person.as_bytes());
    data
}

/// The people an event's personal data is about, as its payload names them.
pub(crate) fn people_in(payload: &Value) -> impl Iterator<Item = Uuid> + '_ {
    payload
        .get(PERSONAL)
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|personal| personal.keys())
        .filter_map(|person| Uuid::parse_str(person).ok())
}

/// The people with an entry still sealed in any of `events`.
pub(crate) fn sealed_people(events: &[RecordedEvent]) -> Vec<Uuid> {
    let people: BTreeSet<Uuid> = events
        .iter()
        .filter_map(|recorded| recorded.payload.get(PERSONAL)?.as_object())
        .flat_map(|personal| personal.iter())
        .filter(|(_, entry)| is_sealed(entry))
        .filter_map(|(person, _)| Uuid::parse_str(person).ok())
        .collect();
    people.into_iter().collect()
}

/// Seals every entry of the event's personal map with its person's key. Every person named
/// must have a key in `keys`; the first who has none is returned.
pub(crate) fn seal(event: &mut NewEvent, keys: &HashMap<Uuid, KeyBytes>) -> Result<(), Uuid> {
    let event_id = event.event_id;
    let Some(personal) = personal_mut(&mut event.payload) else {
        return Ok(());
    };
    for (person, entry) in personal.iter_mut() {
        let Some((person, key)) = Uuid::parse_str(person)
            .ok()
            .and_then(|person| Some((person, keys.get(&person)?)))
        else {
            return Err(Uuid::parse_str(person).unwrap_or_default());
        };
        let plaintext = serde_json::to_vec(entry).expect("a JSON value always serializes");
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = XChaCha20Poly1305::new(key.into())
            .encrypt(
                &nonce,
                Payload {
                    msg: &plaintext,
                    aad: &associated_data(event_id, person),
                },
            )
            .expect("sealing in memory does not fail");
        let mut stored = nonce.to_vec();
        stored.extend_from_slice(&sealed);
        *entry = Value::Object(Map::from_iter([(
            SEALED.to_owned(),
            Value::String(BASE64.encode(stored)),
        )]));
    }
    Ok(())
}

/// Opens every sealed entry of a stored event whose person has a key in `keys`; entries of
/// people without one (their key was destroyed) stay sealed, and read as absent.
pub(crate) fn open(
    recorded: &mut RecordedEvent,
    keys: &HashMap<Uuid, KeyBytes>,
) -> Result<(), Failure> {
    let position = recorded.position;
    open_or_why(recorded, keys).map_err(|why| Failure::Unreadable {
        position,
        problem: why.to_string(),
    })
}

/// [`open`], saying why an entry does not open: the audit names it, in the reader's language.
pub(crate) fn open_or_why(
    recorded: &mut RecordedEvent,
    keys: &HashMap<Uuid, KeyBytes>,
) -> Result<(), Unreadable> {
    let event_id = recorded.event_id;
    let Some(personal) = personal_mut(&mut recorded.payload) else {
        return Ok(());
    };
    for (person_text, entry) in personal.iter_mut() {
        let Some(sealed) = entry.get(SEALED).and_then(Value::as_str) else {
            continue;
        };
        let Some((person, key)) = Uuid::parse_str(person_text)
            .ok()
            .and_then(|person| Some((person, keys.get(&person)?)))
        else {
            continue;
        };
        let unreadable = |why: Unsealing| Unreadable::Sealed { person, why };
        let stored = BASE64
            .decode(sealed)
            .map_err(|_| unreadable(Unsealing::NotBase64))?;
        if stored.len() < NONCE_BYTES {
            return Err(unreadable(Unsealing::TooShort));
        }
        let (nonce, ciphertext) = stored.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().expect("split at the nonce's length");
        let plaintext = XChaCha20Poly1305::new(key.into())
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &associated_data(event_id, person),
                },
            )
            .map_err(|_| unreadable(Unsealing::DoesNotOpen))?;
        *entry = serde_json::from_slice(&plaintext)
            .map_err(|error| unreadable(Unsealing::NotJson(error.to_string())))?;
    }
    Ok(())
}

/// A stored event read back as a domain event; one that does not decode names its position.
pub(crate) fn decode(recorded: &RecordedEvent) -> Result<Event, Failure> {
    decode_or_why(recorded).map_err(|why| Failure::Unreadable {
        position: recorded.position,
        problem: why.to_string(),
    })
}

/// [`decode`], saying why an event does not decode.
pub(crate) fn decode_or_why(recorded: &RecordedEvent) -> Result<Event, Unreadable> {
    let version = u16::try_from(recorded.schema_version)
        .map_err(|_| Unreadable::SchemaVersion(recorded.schema_version))?;
    Event::decode(&recorded.event_type, version, &recorded.payload).map_err(Unreadable::from)
}

/// Why a stored event cannot be read back, with what it names. The sentences are the ones
/// [`Failure::Unreadable`] gives (those of `DecodeError` for a type, version or payload).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    #[error("schema version {0} is out of range")]
    SchemaVersion(u32),
    #[error("unknown event type {0:?}")]
    UnknownType(String),
    #[error(
        "event type {event_type:?} at schema version {version} cannot be read: this build reads versions 1 to {newest} of it"
    )]
    UnknownVersion {
        event_type: String,
        version: u16,
        newest: u16,
    },
    /// `detail` is serde's, in English.
    #[error("event type {event_type:?} has a payload that does not parse: {detail}")]
    Payload { event_type: String, detail: String },
    #[error("the sealed data of person {person}: {why}")]
    Sealed { person: Uuid, why: Unsealing },
}

impl From<retur_domain::event::DecodeError> for Unreadable {
    fn from(error: retur_domain::event::DecodeError) -> Self {
        use retur_domain::event::DecodeError as E;
        match error {
            E::UnknownType(event_type) => Unreadable::UnknownType(event_type),
            E::UnknownVersion {
                event_type,
                version,
                newest,
            } => Unreadable::UnknownVersion {
                event_type,
                version,
                newest,
            },
            E::Payload { event_type, source } => Unreadable::Payload {
                event_type,
                detail: source.to_string(),
            },
        }
    }
}

/// Why a sealed entry of personal data does not open.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unsealing {
    #[error("not base64")]
    NotBase64,
    #[error("too short to hold a nonce")]
    TooShort,
    /// Altered, or moved from another event or person (the associated data differs).
    #[error("does not open with the person's key (altered or moved)")]
    DoesNotOpen,
    /// `0` is serde's words, in English.
    #[error("opens to something that is not JSON: {0}")]
    NotJson(String),
}
