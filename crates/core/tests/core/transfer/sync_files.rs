//! The sync folder's files (docs/sync-format.md): sealed and opened, joined with the sync
//! password, and every way a file can be wrong told apart (not one, newer, another key, cut,
//! altered); the folder's names, with the conflict copies of Syncthing, Dropbox and Nextcloud
//! read and their temporaries ignored.

use std::collections::BTreeMap;

use serde_json::json;
use tessera_core::otp::AccountId;
use tessera_core::transfer::sync::{
    Book, DeviceFile, DeviceId, Name, Replica, SyncFileError, SyncKey, classify, file_name, open,
    read_folder, seal,
};
use tessera_core::vault::KdfParams;

fn device(n: u128) -> DeviceId {
    DeviceId(uuid::Uuid::from_u128(0xd00d_0000 + n))
}

fn device_file(n: u128) -> DeviceFile {
    let mut replica = Replica::new(device(n));
    replica.change(
        AccountId(uuid::Uuid::from_u128(7)),
        &[
            ("issuer", json!("GitHub")),
            (
                "otp",
                json!({"kind": "totp", "secret": "JBSWY3DPEHPK3PXP", "digits": 6}),
            ),
        ],
        Book::default(),
    );
    DeviceFile {
        device: device(n),
        name: format!("device {n}"),
        written: 1_764_763_200,
        counter: replica.counter,
        devices: BTreeMap::new(),
        records: replica.own.values().cloned().collect(),
    }
}

#[test]
fn a_device_file_opens_with_its_key_and_keeps_the_seed_sealed() {
    let key = SyncKey::random();
    let join = key.join_slot(b"sync password", KdfParams::MINIMUM).unwrap();
    let file = device_file(1);
    let bytes = seal(&file, &key, &join);
    assert!(bytes.starts_with(b"TESSERA\x00SYNC\n\x01\x00"));
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("JBSWY3DPEHPK3PXP") && !text.contains("GitHub"));
    assert_eq!(open(&bytes, &key).unwrap(), file);
    // Another device joins with the sync password from the header alone.
    let (header, _) = tessera_core::transfer::sync::read_header(&bytes).unwrap();
    assert_eq!(header.device, device(1));
    let joined = SyncKey::from_join(&header.join, b"sync password").unwrap();
    assert_eq!(joined.id(), key.id());
    assert_eq!(open(&bytes, &joined).unwrap(), file);
    assert_eq!(
        SyncKey::from_join(&header.join, b"not it").unwrap_err(),
        SyncFileError::WrongPassword
    );
    assert_eq!(format!("{key:?}"), "SyncKey(…)");
}

#[test]
fn every_way_a_file_can_be_wrong_is_told_apart_and_never_merged() {
    let key = SyncKey::random();
    let join = key.join_slot(b"pw", KdfParams::MINIMUM).unwrap();
    let bytes = seal(&device_file(1), &key, &join);
    let damaged = |e: &SyncFileError| matches!(e, SyncFileError::Damaged(_));

    assert_eq!(
        open(b"hello", &key).unwrap_err(),
        SyncFileError::NotSyncFile
    );
    assert_eq!(
        open(&SyncKey::random().id(), &key).unwrap_err(),
        SyncFileError::NotSyncFile
    );
    assert_eq!(
        open(&bytes, &SyncKey::random()).unwrap_err(),
        SyncFileError::OtherKey
    );
    let mut newer = bytes.clone();
    newer[13] = 2;
    assert_eq!(open(&newer, &key).unwrap_err(), SyncFileError::Newer(2));
    for cut in [14, 17, 40, bytes.len() / 2, bytes.len() - 1] {
        let error = open(&bytes[..cut], &key).unwrap_err();
        assert!(damaged(&error), "cut at {cut}: {error:?}");
    }
    let mut flipped = bytes.clone();
    let last = flipped.len() - 5;
    flipped[last] ^= 1;
    assert!(damaged(&open(&flipped, &key).unwrap_err()));
    let mut long_header = bytes.clone();
    long_header[15..19].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(damaged(&open(&long_header, &key).unwrap_err()));
    // Every refusal says what to do.
    for error in [
        SyncFileError::NotSyncFile,
        SyncFileError::Newer(2),
        SyncFileError::OtherKey,
        SyncFileError::Damaged("x"),
        SyncFileError::WrongPassword,
    ] {
        assert!(!error.advice().is_empty());
    }
}

#[test]
fn the_folder_reads_device_files_and_conflict_copies_and_ignores_temporaries() {
    let id = device(3);
    let own = file_name(id, 0);
    assert_eq!(classify(&own), Some(Name::Device(id)));
    let stem = own.trim_end_matches(".tessera-sync");
    for copy in [
        format!("{stem}.sync-conflict-20261203-101500-ABCDEFG.tessera-sync"),
        format!("{stem} (Alice's conflicted copy 2026-12-03).tessera-sync"),
        format!("{stem} (conflicted copy 2026-12-03 101500).tessera-sync"),
    ] {
        assert_eq!(classify(&copy), Some(Name::ConflictCopy(id)), "{copy}");
    }
    for ignored in [
        format!(".{own}.tmp-0123456789abcdef"),
        format!(".syncthing.{own}.tmp"),
        format!("~syncthing~{own}.tmp"),
        format!("{own}.part"),
        own.to_uppercase(),
        "notes.txt".to_owned(),
        "tessera.vault".to_owned(),
    ] {
        assert_eq!(classify(&ignored), None, "{ignored}");
    }

    let dir = tempfile::tempdir().unwrap();
    let key = SyncKey::random();
    let join = key.join_slot(b"pw", KdfParams::MINIMUM).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.path().join(name), bytes).unwrap();
    let one = seal(&device_file(1), &key, &join);
    write(&file_name(device(1), 0), &one);
    write(
        &file_name(device(2), 0),
        &seal(&device_file(2), &key, &join),
    );
    let stem1 = file_name(device(1), 0).replace(".tessera-sync", "");
    write(
        &format!("{stem1}.sync-conflict-20261203-101500-ABCDEFG.tessera-sync"),
        &one,
    );
    write(&file_name(device(4), 0), &one[..one.len() / 2]);
    let other = SyncKey::random();
    let other_join = other.join_slot(b"pw", KdfParams::MINIMUM).unwrap();
    write(
        &file_name(device(5), 0),
        &seal(&device_file(5), &other, &other_join),
    );
    write(
        &format!(".syncthing.{}.tmp", file_name(device(6), 0)),
        b"partial",
    );
    write("readme.txt", b"not ours");

    let read = read_folder(dir.path(), &key).unwrap();
    let devices: Vec<_> = read.files.iter().map(|(_, f)| f.device).collect();
    assert_eq!(devices.len(), 3, "{devices:?}");
    assert_eq!(devices.iter().filter(|d| **d == device(1)).count(), 2);
    let problems: Vec<_> = read.problems.iter().map(|(_, e)| e.clone()).collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems.contains(&SyncFileError::OtherKey));
    assert!(
        problems
            .iter()
            .any(|e| matches!(e, SyncFileError::Damaged(_)))
    );
}

/// docs/read_sync_file.py, written only from docs/sync-format.md, opens what Tessera sealed and
/// refuses a wrong password and an altered file. Skipped with a notice when Python's
/// `cryptography` or `argon2-cffi` is missing, unless `TESSERA_REQUIRE_PYTHON=1` (`.ci/test`).
#[test]
fn the_python_reader_written_from_the_spec_opens_a_device_file() {
    use std::process::Command;
    if !crate::shared::python_with(
        "cryptography, argon2",
        "cryptography argon2-cffi",
        "sync reader test",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let key = SyncKey::random();
    let join = key
        .join_slot("pässword".as_bytes(), KdfParams::MINIMUM)
        .unwrap();
    let file = device_file(1);
    let path = dir.path().join(file_name(device(1), 0));
    let bytes = seal(&file, &key, &join);
    std::fs::write(&path, &bytes).unwrap();
    let script =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/read_sync_file.py");
    let run = |password: &str, path: &std::path::Path| {
        Command::new("python3")
            .arg(&script)
            .arg(path)
            .env("TESSERA_SYNC_PASSWORD", password)
            .output()
            .unwrap()
    };
    let out = run("pässword", &path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(read, serde_json::to_value(&file).unwrap());
    let record = &read["records"][0];
    assert_eq!(
        record["fields"]["otp"][0]["v"]["secret"],
        json!("JBSWY3DPEHPK3PXP")
    );
    assert_eq!(record["vv"][device(1).to_string()], json!(1));

    let wrong = run("not it", &path);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("not the sync password"));
    let mut altered = bytes.clone();
    let at = altered.len() - 3;
    altered[at] ^= 0x40;
    let altered_path = dir.path().join("altered.tessera-sync");
    std::fs::write(&altered_path, altered).unwrap();
    let out = run("pässword", &altered_path);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("altered"));
}
