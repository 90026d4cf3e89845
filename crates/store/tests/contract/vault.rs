//! The key vault: a key per person, handed out once and kept, destroyed for good.

use chrono::Utc;
use retur_store::{Held, KeyVault, SqlKeys, StreamId};
use uuid::Uuid;

use crate::harness::Fixture;

fn stream(n: u128) -> StreamId {
    StreamId::parse(&format!("case-{}", Uuid::from_u128(n))).expect("a stream id")
}

/// Every byte of the SQLite database and its write-ahead log.
fn sqlite_bytes(fixture: &Fixture) -> Vec<u8> {
    let path = fixture.database.sqlite_path().expect("SQLite");
    let mut bytes = std::fs::read(path).expect("the database file");
    let wal = path.with_extension("db-wal");
    bytes.extend(std::fs::read(&wal).unwrap_or_default());
    let wal = std::path::PathBuf::from(format!("{}-wal", path.display()));
    bytes.extend(std::fs::read(&wal).unwrap_or_default());
    bytes
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

pub(crate) async fn a_persons_key_is_made_once_kept_and_destroyed_for_good(fixture: &Fixture) {
    let vault = SqlKeys::connect(&fixture.database.url())
        .await
        .expect("vault");
    let (anna, bo) = (Uuid::from_u128(1), Uuid::from_u128(2));
    let first = vault
        .keys_for_sealing(&stream(10), &[(anna, [1; 32]), (bo, [2; 32])])
        .await
        .expect("sealing keys");
    assert_eq!(first[&anna], Held::Key([1; 32]));
    assert_eq!(first[&bo], Held::Key([2; 32]));
    // Offered another key later, or from another case, a person keeps the one they have.
    let again = vault
        .keys_for_sealing(&stream(11), &[(anna, [9; 32])])
        .await
        .expect("sealing keys");
    assert_eq!(again[&anna], Held::Key([1; 32]));
    assert_eq!(
        vault.person(anna).await.expect("person"),
        Some((vec![stream(10), stream(11)], false))
    );
    let opening = vault.keys_for_opening(&[anna, bo]).await.expect("open");
    assert_eq!(opening.len(), 2);

    if fixture.database.sqlite_path().is_some() {
        assert!(
            contains(&sqlite_bytes(fixture), hex::encode([1u8; 32]).as_bytes()),
            "the key is on disk before it is destroyed (else the next check proves nothing)"
        );
    }
    let streams = vault.destroy(anna, Utc::now()).await.expect("destroy");
    assert_eq!(streams, Some(vec![stream(10), stream(11)]));
    let opening = vault.keys_for_opening(&[anna, bo]).await.expect("open");
    assert_eq!(opening.keys().collect::<Vec<_>>(), [&bo]);
    let sealing = vault
        .keys_for_sealing(&stream(10), &[(anna, [7; 32])])
        .await
        .expect("sealing keys");
    assert!(
        matches!(sealing[&anna], Held::Destroyed(_)),
        "no new key for an erased person: {sealing:?}"
    );
    assert_eq!(
        vault.person(anna).await.expect("person"),
        Some((vec![stream(10), stream(11)], true))
    );
    assert_eq!(
        vault.destroy(anna, Utc::now()).await.expect("again"),
        Some(vec![stream(10), stream(11)]),
        "destroying again is harmless"
    );
    assert_eq!(
        vault
            .destroy(Uuid::from_u128(3), Utc::now())
            .await
            .expect("unknown"),
        None
    );
    if fixture.database.sqlite_path().is_some() {
        assert!(
            !contains(&sqlite_bytes(fixture), hex::encode([1u8; 32]).as_bytes()),
            "a destroyed key is overwritten on disk, in the database and its log"
        );
    }
}
