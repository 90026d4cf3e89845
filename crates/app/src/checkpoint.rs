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
use ed25519_dalek::pkcs8::spki::der::{self, pem};
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, spki};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use retur_store::{Hash, Position};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

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
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    #[error("the checkpoint is not a retur checkpoint: {0}")]
    Malformed(NotACheckpoint),
    #[error("the checkpoint was signed by key {found}, not by the key given ({expected})")]
    OtherKey { found: String, expected: String },
    #[error("the checkpoint's signature does not match its contents: it has been altered")]
    BadSignature,
    /// `detail` is the PEM and key parsers' own words, in English.
    #[error("the key is not an Ed25519 key in PEM form: {detail}")]
    Key { why: KeyProblem, detail: String },
}

/// What makes a text not a retur checkpoint.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotACheckpoint {
    /// Not JSON at all; `detail` is serde's words, which end with the line and column.
    #[error("{detail}")]
    NotJson {
        line: usize,
        column: usize,
        detail: String,
    },
    #[error("it is JSON, but not an object")]
    NotAnObject,
    #[error("missing field `{0}`")]
    MissingField(&'static str),
    #[error("unknown field `{0}`")]
    UnknownField(String),
    /// A field holds another kind of value than a checkpoint has there.
    #[error("\"{field}\" is not {}", kind_of(.field))]
    WrongType { field: &'static str },
    #[error("\"checkpoint\" is {found:?}, not {:?}", VERSION)]
    OtherVersion { found: String },
    #[error("\"{field}\" is not {digits} hex digits")]
    NotHex { field: &'static str, digits: usize },
}

/// What a checkpoint's field holds, for saying that it does not.
fn kind_of(field: &str) -> &'static str {
    match field {
        "position" => "a whole number",
        "made_at" => "an RFC 3339 time",
        _ => "a string",
    }
}

/// Why a PEM text is not the Ed25519 key asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyProblem {
    /// Not PEM: no `-----BEGIN` line, or not base64 between the lines.
    NotPem,
    /// PEM of another kind than asked, such as a private key for a public one; `expected` is
    /// the label asked for (`PUBLIC KEY`).
    OtherKind { expected: &'static str },
    /// A key of another algorithm than Ed25519.
    OtherAlgorithm,
    /// PEM of the right kind that does not hold a valid key.
    Malformed,
}

impl KeyProblem {
    fn of_der(error: der::Error) -> Self {
        match error.kind() {
            der::ErrorKind::Pem(pem::Error::UnexpectedTypeLabel { expected }) => {
                KeyProblem::OtherKind { expected }
            }
            der::ErrorKind::Pem(_) => KeyProblem::NotPem,
            der::ErrorKind::OidUnknown { .. } => KeyProblem::OtherAlgorithm,
            _ => KeyProblem::Malformed,
        }
    }

    fn of_public(error: &spki::Error) -> Self {
        match error {
            spki::Error::Asn1(error) => KeyProblem::of_der(*error),
            spki::Error::OidUnknown { .. } => KeyProblem::OtherAlgorithm,
            _ => KeyProblem::Malformed,
        }
    }

    fn of_private(error: &ed25519_dalek::pkcs8::Error) -> Self {
        match error {
            ed25519_dalek::pkcs8::Error::Asn1(error) => KeyProblem::of_der(*error),
            ed25519_dalek::pkcs8::Error::PublicKey(error) => KeyProblem::of_public(error),
            _ => KeyProblem::Malformed,
        }
    }
}

/// The fields of a checkpoint, in the order they are written.
const FIELDS: [&str; 6] = [
    "checkpoint",
    "position",
    "hash",
    "made_at",
    "key",
    "signature",
];

/// The document as it is written.
#[derive(Serialize)]
struct Document {
    checkpoint: String,
    position: Position,
    hash: String,
    made_at: DateTime<Utc>,
    key: String,
    signature: String,
}

const VERSION: &str = "retur-checkpoint-v1";

impl Document {
    /// The document in `text`, or what makes it not one: each field is looked for by name, so
    /// that what is wrong can be named (a field missing, unknown or of another kind).
    fn parse(text: &str) -> Result<Document, NotACheckpoint> {
        let value: Value = serde_json::from_str(text).map_err(|e| NotACheckpoint::NotJson {
            line: e.line(),
            column: e.column(),
            detail: e.to_string(),
        })?;
        let Value::Object(mut fields) = value else {
            return Err(NotACheckpoint::NotAnObject);
        };
        if let Some(unknown) = fields.keys().find(|k| !FIELDS.contains(&k.as_str())) {
            return Err(NotACheckpoint::UnknownField(unknown.clone()));
        }
        if let Some(missing) = FIELDS.iter().find(|f| !fields.contains_key(**f)) {
            return Err(NotACheckpoint::MissingField(missing));
        }
        Ok(Document {
            checkpoint: take(&mut fields, "checkpoint")?,
            position: take(&mut fields, "position")?,
            hash: take(&mut fields, "hash")?,
            made_at: take(&mut fields, "made_at")?,
            key: take(&mut fields, "key")?,
            signature: take(&mut fields, "signature")?,
        })
    }
}

/// A field of a checkpoint, read as what it holds.
fn take<T: DeserializeOwned>(
    fields: &mut Map<String, Value>,
    field: &'static str,
) -> Result<T, NotACheckpoint> {
    let value = fields
        .remove(field)
        .ok_or(NotACheckpoint::MissingField(field))?;
    serde_json::from_value(value).map_err(|_| NotACheckpoint::WrongType { field })
}

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
        let malformed = CheckpointError::Malformed;
        let not_hex = |field, digits| malformed(NotACheckpoint::NotHex { field, digits });
        let document = Document::parse(text).map_err(malformed)?;
        if document.checkpoint != VERSION {
            return Err(malformed(NotACheckpoint::OtherVersion {
                found: document.checkpoint,
            }));
        }
        let hash = Hash::from_hex(&document.hash).ok_or_else(|| not_hex("hash", 64))?;
        let mut key_bytes = [0; 32];
        hex::decode_to_slice(&document.key, &mut key_bytes).map_err(|_| not_hex("key", 64))?;
        let mut signature_bytes = [0; 64];
        hex::decode_to_slice(&document.signature, &mut signature_bytes)
            .map_err(|_| not_hex("signature", 128))?;
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
    SigningKey::from_pkcs8_pem(pem).map_err(|e| CheckpointError::Key {
        why: KeyProblem::of_private(&e),
        detail: e.to_string(),
    })
}

/// A verifying key from a public-key PEM file, as `openssl pkey -pubout` writes it.
pub fn verifying_key_from_pem(pem: &str) -> Result<VerifyingKey, CheckpointError> {
    VerifyingKey::from_public_key_pem(pem).map_err(|e| CheckpointError::Key {
        why: KeyProblem::of_public(&e),
        detail: e.to_string(),
    })
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
    fn what_is_wrong_with_a_checkpoint_is_named_with_its_figures() {
        use NotACheckpoint as N;
        let trusted = key(1).verifying_key();
        let text = checkpoint().to_json();
        let position = r#""position": 41"#;
        for (bad, wrong) in [
            (
                "{\n  \"position\": 41,".to_owned(),
                N::NotJson {
                    line: 2,
                    column: 17,
                    detail: "EOF while parsing a value at line 2 column 17".to_owned(),
                },
            ),
            ("[41]".to_owned(), N::NotAnObject),
            (
                text.replace(position, r#""position": 41, "extra": 1"#),
                N::UnknownField("extra".to_owned()),
            ),
            (
                text.replace(position, r#""position": "41""#),
                N::WrongType { field: "position" },
            ),
            (
                text.replace("12:00:00.123456Z", "noon"),
                N::WrongType { field: "made_at" },
            ),
            (
                text.replace("retur-checkpoint-v1", "v0"),
                N::OtherVersion {
                    found: "v0".to_owned(),
                },
            ),
            (
                text.replace(&"07".repeat(32), "07"),
                N::NotHex {
                    field: "hash",
                    digits: 64,
                },
            ),
        ] {
            assert_eq!(
                Checkpoint::read(&bad, &trusted).expect_err("refused"),
                CheckpointError::Malformed(wrong),
                "{bad}"
            );
        }
        // The English names the field and what it must hold.
        let error = Checkpoint::read(&text.replace(position, r#""position": "41""#), &trusted)
            .expect_err("refused");
        assert_eq!(
            error.to_string(),
            r#"the checkpoint is not a retur checkpoint: "position" is not a whole number"#
        );
    }

    #[test]
    fn what_is_wrong_with_a_key_is_named() {
        use ed25519_dalek::pkcs8::{EncodePrivateKey, EncodePublicKey, spki::der::pem::LineEnding};
        let why = |error: CheckpointError| match error {
            CheckpointError::Key { why, .. } => why,
            other => panic!("not a key's error: {other}"),
        };
        let private = key(3).to_pkcs8_pem(LineEnding::LF).expect("pem");
        let public = key(3)
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("pem");
        assert_eq!(
            why(verifying_key_from_pem("my key").expect_err("not PEM")),
            KeyProblem::NotPem
        );
        assert_eq!(
            why(verifying_key_from_pem(&private).expect_err("a private key")),
            KeyProblem::OtherKind {
                expected: "PUBLIC KEY"
            }
        );
        assert_eq!(
            why(signing_key_from_pem(&public).expect_err("a public key")),
            KeyProblem::OtherKind {
                expected: "PRIVATE KEY"
            }
        );
        // An X25519 key, as `openssl genpkey -algorithm x25519` makes one.
        let x25519 = "-----BEGIN PUBLIC KEY-----\n\
                      MCowBQYDK2VuAyEAbhrjF1dsXFPI6oq2TB2tv73Anh/Mjk3rXhZqC+FhjBE=\n\
                      -----END PUBLIC KEY-----\n";
        assert_eq!(
            why(verifying_key_from_pem(x25519).expect_err("another algorithm")),
            KeyProblem::OtherAlgorithm
        );
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
