//! Signed checkpoints: the log's position and hash at a moment, signed with an Ed25519 key and
//! kept outside the database.
//!
//! The hash chain shows that no event was changed after the events that follow it were written;
//! it cannot show that someone with the database did not rewrite the history and compute every
//! hash again, or cut off its end. A checkpoint can: the hash at its position, recomputed from
//! the start of the log, must be the one it signed, and the log must reach that position.
//!
//! A checkpoint is a small JSON document. What is signed is the text of [`signed_text`]; the
//! verifying key is named in the document so that a reader sees which key signed it, but it is
//! trusted only when it is the key the auditor holds.

use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use retur_store::{Hash, Position};
use serde::{Deserialize, Serialize};

/// A checkpoint whose signature has been checked, or one just signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub position: Position,
    pub hash: Hash,
    pub made_at: DateTime<Utc>,
    pub key: VerifyingKey,
    signature: Signature,
}

/// Why a checkpoint or a key cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error("the checkpoint is not a retur checkpoint: {0}")]
    Malformed(String),
    #[error("the checkpoint was signed by key {found}, not by the key given ({expected})")]
    OtherKey { found: String, expected: String },
    #[error("the checkpoint's signature does not match its contents: it has been altered")]
    BadSignature,
    #[error("the key is not an Ed25519 key in PEM form: {0}")]
    Key(String),
}

/// The document as it is written.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    checkpoint: String,
    position: Position,
    hash: String,
    made_at: DateTime<Utc>,
    key: String,
    signature: String,
}

const VERSION: &str = "retur-checkpoint-v1";

/// The exact text that is signed.
fn signed_text(position: Position, hash: &Hash, made_at: &DateTime<Utc>) -> String {
    format!(
        "{VERSION}\nposition {position}\nhash {hash}\nmade_at {}\n",
        made_at.to_rfc3339_opts(SecondsFormat::Micros, true)
    )
}

impl Checkpoint {
    /// Signs the log's `position` and the `hash` of the event there.
    pub fn sign(
        position: Position,
        hash: Hash,
        made_at: DateTime<Utc>,
        key: &SigningKey,
    ) -> Checkpoint {
        // The signed time is kept to the microsecond, as it is written.
        let made_at =
            DateTime::from_timestamp_micros(made_at.timestamp_micros()).unwrap_or(made_at);
        let signature = key.sign(signed_text(position, &hash, &made_at).as_bytes());
        Checkpoint {
            position,
            hash,
            made_at,
            key: key.verifying_key(),
            signature,
        }
    }

    /// Reads a checkpoint and checks that `trusted` signed exactly what it says.
    pub fn read(text: &str, trusted: &VerifyingKey) -> Result<Checkpoint, CheckpointError> {
        let malformed = |what: &str| CheckpointError::Malformed(what.to_owned());
        let document: Document =
            serde_json::from_str(text).map_err(|e| CheckpointError::Malformed(e.to_string()))?;
        if document.checkpoint != VERSION {
            return Err(CheckpointError::Malformed(format!(
                "\"checkpoint\" is {:?}, not {VERSION:?}",
                document.checkpoint
            )));
        }
        let hash = Hash::from_hex(&document.hash)
            .ok_or_else(|| malformed("\"hash\" is not 64 hex digits"))?;
        let mut key_bytes = [0; 32];
        hex::decode_to_slice(&document.key, &mut key_bytes)
            .map_err(|_| malformed("\"key\" is not 64 hex digits"))?;
        let mut signature_bytes = [0; 64];
        hex::decode_to_slice(&document.signature, &mut signature_bytes)
            .map_err(|_| malformed("\"signature\" is not 128 hex digits"))?;
        if key_bytes != trusted.to_bytes() {
            return Err(CheckpointError::OtherKey {
                found: document.key,
                expected: hex::encode(trusted.to_bytes()),
            });
        }
        let signature = Signature::from_bytes(&signature_bytes);
        trusted
            .verify(
                signed_text(document.position, &hash, &document.made_at).as_bytes(),
                &signature,
            )
            .map_err(|_| CheckpointError::BadSignature)?;
        Ok(Checkpoint {
            position: document.position,
            hash,
            made_at: document.made_at,
            key: *trusted,
            signature,
        })
    }

    /// The checkpoint as it is kept: pretty JSON.
    pub fn to_json(&self) -> String {
        let document = Document {
            checkpoint: VERSION.to_owned(),
            position: self.position,
            hash: self.hash.to_hex(),
            made_at: self.made_at,
            key: hex::encode(self.key.to_bytes()),
            signature: hex::encode(self.signature.to_bytes()),
        };
        serde_json::to_string_pretty(&document).expect("a checkpoint serializes")
    }
}

/// A signing key from a PKCS#8 PEM file, as `openssl genpkey -algorithm ed25519` writes it.
pub fn signing_key_from_pem(pem: &str) -> Result<SigningKey, CheckpointError> {
    SigningKey::from_pkcs8_pem(pem).map_err(|e| CheckpointError::Key(e.to_string()))
}

/// A verifying key from a public-key PEM file, as `openssl pkey -pubout` writes it.
pub fn verifying_key_from_pem(pem: &str) -> Result<VerifyingKey, CheckpointError> {
    VerifyingKey::from_public_key_pem(pem).map_err(|e| CheckpointError::Key(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn checkpoint() -> Checkpoint {
        let made_at = DateTime::parse_from_rfc3339("2026-11-21T12:00:00.123456789Z")
            .expect("a time")
            .to_utc();
        Checkpoint::sign(41, Hash([7; 32]), made_at, &key(1))
    }

    #[test]
    fn a_checkpoint_reads_back_as_it_was_signed() {
        let signed = checkpoint();
        let read = Checkpoint::read(&signed.to_json(), &key(1).verifying_key()).expect("reads");
        assert_eq!(read, signed);
        assert_eq!(read.made_at.timestamp_subsec_micros(), 123_456);
    }

    #[test]
    fn any_change_to_what_was_signed_is_refused() {
        let text = checkpoint().to_json();
        let trusted = key(1).verifying_key();
        let altered = [
            text.replace("\"position\": 41", "\"position\": 40"),
            text.replace(&"07".repeat(32), &format!("08{}", "07".repeat(31))),
            text.replace("12:00:00.123456Z", "12:00:01.123456Z"),
        ];
        for altered in altered {
            assert_ne!(altered, text, "the test changes something");
            let error = Checkpoint::read(&altered, &trusted).expect_err("refused");
            assert!(matches!(error, CheckpointError::BadSignature), "{error}");
        }
    }

    #[test]
    fn a_checkpoint_signed_by_another_key_is_refused_even_if_it_names_that_key() {
        let made_at = checkpoint().made_at;
        let forged = Checkpoint::sign(41, Hash([7; 32]), made_at, &key(2)).to_json();
        let error = Checkpoint::read(&forged, &key(1).verifying_key()).expect_err("refused");
        assert!(matches!(error, CheckpointError::OtherKey { .. }), "{error}");
        // Naming the trusted key while signing with another does not help either.
        let renamed = forged.replace(
            &hex::encode(key(2).verifying_key().to_bytes()),
            &hex::encode(key(1).verifying_key().to_bytes()),
        );
        let error = Checkpoint::read(&renamed, &key(1).verifying_key()).expect_err("refused");
        assert!(matches!(error, CheckpointError::BadSignature), "{error}");
    }

    #[test]
    fn a_malformed_checkpoint_says_what_is_wrong() {
        let trusted = key(1).verifying_key();
        let text = checkpoint().to_json();
        for (bad, says) in [
            ("{}".to_owned(), "missing field"),
            (
                text.replace("retur-checkpoint-v1", "v0"),
                "not \"retur-checkpoint-v1\"",
            ),
            (
                text.replace(&"07".repeat(32), "07"),
                "\"hash\" is not 64 hex digits",
            ),
            (text.replace("\"key\"", "\"keys\""), "unknown field"),
        ] {
            let error = Checkpoint::read(&bad, &trusted).expect_err("refused");
            assert!(error.to_string().contains(says), "{error}");
        }
    }

    #[test]
    fn keys_are_read_from_pem_files() {
        use ed25519_dalek::pkcs8::{EncodePrivateKey, EncodePublicKey, spki::der::pem::LineEnding};
        let private = key(3).to_pkcs8_pem(LineEnding::LF).expect("pem");
        let public = key(3)
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("pem");
        assert_eq!(signing_key_from_pem(&private).expect("reads"), key(3));
        assert_eq!(
            verifying_key_from_pem(&public).expect("reads"),
            key(3).verifying_key()
        );
        let error = signing_key_from_pem(&public).expect_err("a public key cannot sign");
        assert!(error.to_string().contains("not an Ed25519 key"), "{error}");
    }
}
