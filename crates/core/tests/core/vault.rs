//! The vault on real files: round trips, bad input of every kind, tampering, crash injection.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tessera_core::otp::{Account, Enrolment, parse_otpauth};
use tessera_core::vault::{
    Edit, FailPoint, KdfParams, MemoryKeystore, Vault, VaultError, generation_path,
};

const PASSWORD: &[u8] = b"correct horse battery staple";
const SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn kdf() -> KdfParams {
    KdfParams::MINIMUM
}

fn enrolment(issuer: &str, name: &str, secret: &str) -> Enrolment {
    parse_otpauth(&format!(
        "otpauth://totp/{issuer}:{name}?secret={secret}&issuer={issuer}"
    ))
    .unwrap()
}

fn new_vault(dir: &Path) -> (PathBuf, Vault) {
    let path = dir.join("tessera.vault");
    let vault = Vault::create(&path, PASSWORD, kdf()).unwrap();
    (path, vault)
}

fn labels(vault: &Vault) -> Vec<String> {
    vault
        .accounts()
        .iter()
        .map(|a| format!("{}/{}", a.issuer, a.name))
        .collect()
}

#[test]
fn accounts_survive_a_round_trip_with_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    let id = vault
        .add(enrolment("Microsoft", "admin@contoso.com", SEED), 100)
        .unwrap();
    let edit = Edit {
        tenant: Some("contoso.onmicrosoft.com".into()),
        note: Some("Enrolled on Anna's phone.\nRe-enrol: aka.ms/mfasetup".into()),
        add_tags: vec!["customer-a".into(), "break-glass".into()],
        pinned: Some(true),
        ..Edit::default()
    };
    vault.edit(id, edit, 200).unwrap();
    let hotp = vault
        .add(
            parse_otpauth("otpauth://hotp/Issuu:James?secret=YOOMIXWS5GN6RTBPUFFWKTW5M4&counter=1")
                .unwrap(),
            300,
        )
        .unwrap();
    vault.advance_counter(hotp, 301).unwrap();
    vault.mark_used(id, 250).unwrap();
    let before: Vec<Account> = vault.accounts().into_iter().cloned().collect();
    vault.lock();

    let (vault, report) = Vault::unlock(&path, PASSWORD).unwrap();
    assert_eq!(report.generation, 0);
    assert!(report.skipped.is_empty());
    let after: Vec<Account> = vault.accounts().into_iter().cloned().collect();
    assert_eq!(after, before);
    let account = vault.get(id).unwrap();
    assert_eq!(account.tenant, "contoso.onmicrosoft.com");
    assert_eq!(account.tags, ["customer-a", "break-glass"]);
    assert!(account.pinned && account.note.contains("Anna"));
    // Using a code is recorded, and is not a change of the account.
    assert_eq!((account.created, account.updated), (100, 200));
    assert_eq!(account.last_used, Some(250));
    assert_eq!(vault.get(hotp).unwrap().last_used, None);
    assert_eq!(
        vault.get(hotp).unwrap().otp.kind(),
        tessera_core::otp::OtpKind::Hotp { counter: 2 }
    );
}

#[test]
fn duplicates_and_independent_authenticators() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut vault) = new_vault(dir.path());
    vault
        .add(enrolment("Microsoft", "admin@contoso.com", SEED), 1)
        .unwrap();
    let again = vault.add(enrolment("Microsoft", "admin@contoso.com", SEED), 2);
    assert_eq!(
        again,
        Err(VaultError::Duplicate {
            label: "Microsoft: admin@contoso.com".into()
        })
    );
    // The same admin account enrolled on a second technician's phone: another seed, kept.
    vault
        .add(
            enrolment("Microsoft", "admin@contoso.com", "JBSWY3DPEHPK3PXP"),
            3,
        )
        .unwrap();
    assert_eq!(
        labels(&vault),
        ["Microsoft/admin@contoso.com", "Microsoft/admin@contoso.com"]
    );
}

#[test]
fn search_covers_issuer_name_tenant_tags_and_note() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut vault) = new_vault(dir.path());
    let a = vault
        .add(enrolment("Microsoft", "admin@contoso.com", SEED), 1)
        .unwrap();
    let b = vault
        .add(enrolment("GitHub", "octocat", "JBSWY3DPEHPK3PXP"), 1)
        .unwrap();
    vault
        .edit(
            a,
            Edit {
                tenant: Some("Contoso Ltd".into()),
                ..Edit::default()
            },
            2,
        )
        .unwrap();
    vault
        .edit(
            b,
            Edit {
                note: Some("Enrolled on the Fabrikam laptop".into()),
                add_tags: vec!["Dev".into()],
                ..Edit::default()
            },
            2,
        )
        .unwrap();
    let found = |q: &str| {
        vault
            .search(q)
            .iter()
            .map(|a| a.issuer.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(found("contoso"), ["Microsoft"]);
    assert_eq!(found("FABRIKAM"), ["GitHub"]);
    assert_eq!(found("dev"), ["GitHub"]);
    assert_eq!(found("octo"), ["GitHub"]);
    assert_eq!(found("microsoft contoso"), ["Microsoft"]);
    assert!(found("nothing-like-this").is_empty());
    assert_eq!(found("").len(), 2);
}

#[test]
fn trash_restore_and_purge() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    let id = vault.add(enrolment("A", "a", SEED), 1).unwrap();
    assert!(vault.purge(id).is_err(), "a live account cannot be purged");
    vault.trash_account(id, 5).unwrap();
    assert!(vault.accounts().is_empty());
    assert_eq!(vault.trash().len(), 1);
    let (reopened, _) = Vault::unlock(&path, PASSWORD).unwrap();
    assert_eq!(reopened.trash()[0].1, 5, "the trash is saved");
    vault.restore(id).unwrap();
    assert_eq!(vault.accounts().len(), 1);
    vault.trash_account(id, 6).unwrap();
    vault.purge(id).unwrap();
    let (reopened, _) = Vault::unlock(&path, PASSWORD).unwrap();
    assert!(reopened.accounts().is_empty() && reopened.trash().is_empty());
    assert_eq!(
        vault.find(&id.to_string()[..8]),
        Err(VaultError::NoSuchAccount(id.to_string()[..8].to_owned()))
    );
}

#[test]
fn find_by_id_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut vault) = new_vault(dir.path());
    let id = vault.add(enrolment("A", "a", SEED), 1).unwrap();
    assert_eq!(vault.find(&id.to_string()[..6]), Ok(id));
    assert_eq!(vault.find(&id.to_string().to_uppercase()), Ok(id));
    assert!(matches!(
        vault.find("zzzz"),
        Err(VaultError::NoSuchAccount(_))
    ));
}

#[test]
fn change_password_rotates_the_master_key() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.add(enrolment("A", "a", SEED), 1).unwrap();
    vault.add(enrolment("B", "b", SEED), 2).unwrap();
    let old_file = std::fs::read(&path).unwrap();
    let keystore = MemoryKeystore::default();
    vault.enable_keystore(&keystore).unwrap();
    assert_eq!(keystore.len(), 1);
    let resealed = vault
        .change_password(b"new password", kdf(), Some(&keystore))
        .unwrap();
    assert_eq!(
        Vault::unlock(&path, PASSWORD).unwrap_err(),
        VaultError::WrongPassword
    );
    let (reopened, _) = Vault::unlock(&path, b"new password").unwrap();
    assert_eq!(labels(&reopened), ["A/a", "B/b"]);
    // The old keystore entry is gone with the slot that used it.
    assert_eq!(keystore.len(), 0);
    // Every kept generation was sealed again: the old password opens none of them, the new one
    // opens each with the content it had.
    assert_eq!(resealed, 3);
    for n in 1..=3 {
        let file = generation_path(&path, n);
        let bytes = std::fs::read(&file).unwrap();
        assert!(tessera_core::vault::open_backup(&file, &bytes, PASSWORD).is_err());
        assert!(tessera_core::vault::open_backup(&file, &bytes, b"new password").is_ok());
    }
    let gen2 = generation_path(&path, 2);
    let before =
        tessera_core::vault::open_backup(&gen2, &std::fs::read(&gen2).unwrap(), b"new password")
            .unwrap();
    assert_eq!(
        before.len(),
        2,
        "generation 2 is the file before the keystore slot"
    );
    let payload_of = |bytes: &[u8]| bytes[bytes.len() - 200..].to_vec();
    assert_ne!(
        payload_of(&std::fs::read(&path).unwrap()),
        payload_of(&old_file)
    );
}

fn assert_untouched(path: &Path, before: &[u8]) {
    assert_eq!(
        std::fs::read(path).unwrap(),
        before,
        "the file must not change"
    );
}

#[test]
fn wrong_password_is_clear_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.add(enrolment("A", "a", SEED), 1).unwrap();
    let before = std::fs::read(&path).unwrap();
    let error = Vault::unlock(&path, b"Correct horse battery staple").unwrap_err();
    assert_eq!(error, VaultError::WrongPassword);
    assert!(error.advice().contains("case-sensitive"));
    assert_untouched(&path, &before);
}

#[test]
fn bad_files_each_get_their_own_error_and_stay_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v");
    type Expected = fn(&VaultError) -> bool;
    let cases: Vec<(&str, Vec<u8>, Expected)> = vec![
        ("empty", vec![], |e| {
            matches!(
                e,
                VaultError::Damaged {
                    what: "the file is empty",
                    ..
                }
            )
        }),
        ("magic only", b"TESSERA\x00VAU".to_vec(), |e| {
            matches!(
                e,
                VaultError::Damaged {
                    what: "the file is cut short",
                    ..
                }
            )
        }),
        (
            "a PNG",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR and more bytes here".to_vec(),
            |e| matches!(e, VaultError::NotAVault(_)),
        ),
        (
            "Aegis JSON",
            br#"{"version":1,"header":{},"db":{}}"#.to_vec(),
            |e| matches!(e, VaultError::NotAVault(_)),
        ),
    ];
    for (what, bytes, expected) in cases {
        std::fs::write(&path, &bytes).unwrap();
        let error = Vault::unlock(&path, PASSWORD).unwrap_err();
        assert!(expected(&error), "{what}: {error:?}");
        assert!(!error.advice().is_empty());
        assert_untouched(&path, &bytes);
    }
    assert_eq!(
        Vault::unlock(&dir.path().join("missing"), PASSWORD).unwrap_err(),
        VaultError::NotFound(dir.path().join("missing"))
    );
}

/// The header JSON of a vault file's bytes (docs/vault-format.md: length at 16, JSON at 20).
fn header_json(bytes: &[u8]) -> serde_json::Value {
    let len = u32::from_le_bytes(bytes[16..20].try_into().unwrap()) as usize;
    serde_json::from_slice(&bytes[20..20 + len]).unwrap()
}

/// Rewrites a vault file's header JSON and fixes its checksum, as a deliberate forger would.
pub fn forge_header(bytes: &[u8], change: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let len = u32::from_le_bytes(bytes[16..20].try_into().unwrap()) as usize;
    let mut header: serde_json::Value = serde_json::from_slice(&bytes[20..20 + len]).unwrap();
    change(&mut header);
    let json = serde_json::to_vec(&header).unwrap();
    let mut out = bytes[..16].to_vec();
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    out.extend_from_slice(&bytes[20 + len..bytes.len() - 32]);
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    out
}

#[test]
fn kdf_parameters_out_of_bounds_are_refused_before_running() {
    let dir = tempfile::tempdir().unwrap();
    let (path, vault) = new_vault(dir.path());
    vault.lock();
    let good = std::fs::read(&path).unwrap();
    for (m, t, p) in [
        (1024u32, 1u32, 1u32),
        (4 * 1024 * 1024, 1, 1),
        (19456, 100, 1),
        (19456, 1, 64),
    ] {
        let forged = forge_header(&good, |h| {
            h["slots"][0]["kdf"] = serde_json::json!({ "m_kib": m, "t": t, "p": p })
        });
        std::fs::write(&path, &forged).unwrap();
        assert_eq!(
            Vault::unlock(&path, PASSWORD).unwrap_err(),
            VaultError::KdfOutOfBounds { m_kib: m, t, p }
        );
        assert_untouched(&path, &forged);
    }
    // A forged header with sane parameters fails authentication: the header is the payload's AAD.
    let forged = forge_header(&good, |h| h["extra"] = serde_json::json!(1));
    std::fs::write(&path, &forged).unwrap();
    assert!(matches!(
        Vault::unlock(&path, PASSWORD).unwrap_err(),
        VaultError::Damaged { .. }
    ));
}

#[test]
fn a_newer_major_version_is_named_not_called_damage() {
    let dir = tempfile::tempdir().unwrap();
    let (path, vault) = new_vault(dir.path());
    vault.lock();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[14] = 2;
    let n = bytes.len() - 32;
    let sum = Sha256::digest(&bytes[..n]);
    bytes[n..].copy_from_slice(&sum);
    std::fs::write(&path, &bytes).unwrap();
    let error = Vault::unlock(&path, PASSWORD).unwrap_err();
    assert_eq!(
        error,
        VaultError::NewerVersion {
            path: path.clone(),
            major: 2
        }
    );
    assert!(error.to_string().contains("newer Tessera (vault format 2)"));
}

#[test]
fn every_flipped_byte_is_damage_and_the_previous_generation_opens() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.add(enrolment("A", "a", SEED), 1).unwrap();
    vault
        .add(enrolment("B", "b", "JBSWY3DPEHPK3PXP"), 2)
        .unwrap();
    vault.lock();
    let good = std::fs::read(&path).unwrap();
    for i in 0..good.len() {
        let mut bad = good.clone();
        bad[i] ^= 0x01;
        std::fs::write(&path, &bad).unwrap();
        let (opened, report) =
            Vault::unlock(&path, PASSWORD).unwrap_or_else(|e| panic!("byte {i}: {e}"));
        assert_eq!(report.generation, 1, "byte {i}");
        assert!(
            matches!(report.skipped[0].1, VaultError::Damaged { .. }),
            "byte {i}: {:?}",
            report.skipped[0].1
        );
        assert_eq!(
            labels(&opened),
            ["A/a"],
            "byte {i}: generation 1 holds the state before the last add"
        );
        assert_untouched(&path, &bad);
    }
    // Without generations, the damage itself is the error.
    for n in 1..=3 {
        let _ = std::fs::remove_file(generation_path(&path, n));
    }
    let mut bad = good.clone();
    bad[good.len() / 2] ^= 0x80;
    std::fs::write(&path, &bad).unwrap();
    assert!(matches!(
        Vault::unlock(&path, PASSWORD).unwrap_err(),
        VaultError::Damaged { .. }
    ));
    std::fs::write(&path, &good[..good.len() - 1]).unwrap();
    assert!(
        matches!(
            Vault::unlock(&path, PASSWORD).unwrap_err(),
            VaultError::Damaged { .. }
        ),
        "truncated"
    );
}

#[test]
fn a_crash_at_any_step_of_a_save_leaves_the_old_or_the_new_content() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.add(enrolment("Base", "x", SEED), 1).unwrap();
    vault.lock();
    let points = [
        FailPoint::PartialWrite,
        FailPoint::BeforeFsync,
        FailPoint::MidRotation,
        FailPoint::BeforeRename,
        FailPoint::BeforeDirSync,
    ];
    let mut saw_new = 0;
    for round in 0..40 {
        let point = points[round % points.len()];
        let (mut vault, _) = Vault::unlock(&path, PASSWORD)
            .unwrap_or_else(|e| panic!("round {round} {point:?}: {e}"));
        let old = labels(&vault);
        vault.inject_failure(Some(point));
        let name = format!("n{round}");
        assert!(
            vault
                .add(
                    enrolment(
                        "New",
                        &name,
                        &format!("JBSWY3DPEHPK3PX{}", (b'A' + (round % 26) as u8) as char)
                    ),
                    2
                )
                .is_err()
        );
        assert_eq!(labels(&vault), old, "a failed save is undone in memory");
        vault.lock();
        let (reopened, report) = Vault::unlock(&path, PASSWORD)
            .unwrap_or_else(|e| panic!("round {round} {point:?}: {e}"));
        assert_eq!(report.generation, 0, "round {round} {point:?}");
        let now = labels(&reopened);
        let mut new = old.clone();
        new.push(format!("New/{name}"));
        new.sort_by_key(|l| l.to_lowercase());
        assert!(now == old || now == new, "round {round} {point:?}: {now:?}");
        if now == new {
            saw_new += 1;
            assert_eq!(
                point,
                FailPoint::BeforeDirSync,
                "only a crash after the rename may keep the new content"
            );
        }
    }
    assert_eq!(saw_new, 8);
}

#[test]
fn two_saves_of_the_same_content_differ_in_nonce_and_ciphertext() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    vault.add(enrolment("A", "a", SEED), 1).unwrap();
    let first = std::fs::read(&path).unwrap();
    vault.save().unwrap();
    let second = std::fs::read(&path).unwrap();
    let header = header_json;
    assert_ne!(
        header(&first)["payload_nonce"],
        header(&second)["payload_nonce"]
    );
    assert_ne!(
        header(&first)["payload_salt"],
        header(&second)["payload_salt"]
    );
    assert_ne!(first[first.len() - 64..], second[second.len() - 64..]);
    assert_eq!(first.len(), second.len());
}

#[test]
fn no_secret_in_debug_output_or_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    let id = vault.add(enrolment("A", "a", SEED), 1).unwrap();
    let duplicate = vault.add(enrolment("A", "a", SEED), 1).unwrap_err();
    let mut shown = vec![
        format!("{vault:?}"),
        format!("{:?}", vault.get(id).unwrap()),
        format!("{:?}", vault.accounts()),
    ];
    let errors = [
        duplicate,
        VaultError::WrongPassword,
        Vault::unlock(&path, b"nope").unwrap_err(),
        Vault::create(&path, PASSWORD, kdf()).unwrap_err(),
    ];
    for error in errors {
        shown.push(format!("{error:?}"));
        shown.push(error.to_string());
    }
    let file = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
    shown.push(file);
    for text in shown {
        for needle in [SEED, "12345678901234567890", "correct horse"] {
            assert!(!text.contains(needle), "{needle} leaked into {text}");
        }
    }
}

pub mod keystore {
    use super::*;
    use tessera_core::vault::{Keystore, MemoryKeystore};

    /// The keystore conformance suite every `Keystore` passes (the in-memory one here, the OS
    /// one in `os_keystore.rs` against a real Secret Service).
    pub fn conformance(store: &dyn Keystore, entry: &str) {
        assert_eq!(store.get(entry).unwrap(), None);
        store.set(entry, &[1, 2, 3]).unwrap();
        assert_eq!(store.get(entry).unwrap().unwrap().as_slice(), &[1, 2, 3]);
        store.set(entry, &[4; 32]).unwrap();
        assert_eq!(store.get(entry).unwrap().unwrap().as_slice(), &[4; 32]);
        store.delete(entry).unwrap();
        assert_eq!(store.get(entry).unwrap(), None);
        store.delete(entry).unwrap();
    }

    #[test]
    fn memory_keystore_conforms() {
        conformance(&MemoryKeystore::default(), "conformance");
    }

    /// The whole keystore-slot life cycle against any keystore.
    pub fn slot_life_cycle(store: &dyn Keystore) {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut vault) = new_vault(dir.path());
        vault.add(enrolment("A", "a", SEED), 1).unwrap();
        assert!(
            matches!(
                Vault::unlock_with_keystore(&path, store),
                Err(VaultError::Keystore(_))
            ),
            "no slot yet"
        );
        vault.enable_keystore(store).unwrap();
        assert!(vault.has_keystore_slot());
        let (opened, _) = Vault::unlock_with_keystore(&path, store).unwrap();
        assert_eq!(labels(&opened), ["A/a"]);
        // The password still opens it.
        let (mut by_password, _) = Vault::unlock(&path, PASSWORD).unwrap();
        assert!(
            !by_password.repair_keystore(store).unwrap(),
            "nothing to repair"
        );
        by_password.disable_keystore(store).unwrap();
        assert!(matches!(
            Vault::unlock_with_keystore(&path, store),
            Err(VaultError::Keystore(_))
        ));
        assert_eq!(labels(&Vault::unlock(&path, PASSWORD).unwrap().0), ["A/a"]);
    }

    #[test]
    fn keystore_slot_with_the_memory_keystore() {
        slot_life_cycle(&MemoryKeystore::default());
    }

    #[test]
    fn a_lost_or_changed_keystore_entry_falls_back_to_the_password_and_is_remade() {
        let store = MemoryKeystore::default();
        let dir = tempfile::tempdir().unwrap();
        let (path, mut vault) = new_vault(dir.path());
        vault.add(enrolment("A", "a", SEED), 1).unwrap();
        vault.enable_keystore(&store).unwrap();
        vault.lock();
        // Someone wiped the keystore.
        let entry = header_json(&std::fs::read(&path).unwrap())["slots"][1]["entry"]
            .as_str()
            .unwrap()
            .to_owned();
        store.delete(&entry).unwrap();
        let error = Vault::unlock_with_keystore(&path, &store).unwrap_err();
        assert_eq!(
            error,
            VaultError::Keystore("the keystore entry is gone".into())
        );
        assert!(error.advice().contains("password"));
        let (mut vault, _) = Vault::unlock(&path, PASSWORD).unwrap();
        assert!(vault.repair_keystore(&store).unwrap());
        assert!(Vault::unlock_with_keystore(&path, &store).is_ok());
        // Changed to something else.
        let current = header_json(&std::fs::read(&path).unwrap())["slots"][1]["entry"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_ne!(current, entry, "a repaired slot uses a new entry");
        store.set(&current, &[9; 32]).unwrap();
        assert_eq!(
            Vault::unlock_with_keystore(&path, &store).unwrap_err(),
            VaultError::Keystore("the keystore entry was changed".into())
        );
        // A keystore that errors.
        store.fail_with(Some("the keyring is locked"));
        assert_eq!(
            Vault::unlock_with_keystore(&path, &store).unwrap_err(),
            VaultError::Keystore("the keyring is locked".into())
        );
        assert!(vault.enable_keystore(&store).is_err());
        store.fail_with(None);
        assert_eq!(
            labels(&Vault::unlock(&path, PASSWORD).unwrap().0),
            ["A/a"],
            "a failed enable changes nothing"
        );
    }
}

#[test]
fn automatic_backups_made_before_a_password_change_are_sealed_again_on_request() {
    use tessera_core::transfer::autobackup;
    let dir = tempfile::tempdir().unwrap();
    let (path, mut vault) = new_vault(dir.path());
    let backups = dir.path().join("backups");
    autobackup::configure(&path, &backups, 10).unwrap();
    vault.add(enrolment("A", "a", SEED), 1).unwrap();
    autobackup::after_change(&vault, 1).unwrap().unwrap();
    vault
        .add(enrolment("B", "b", "JBSWY3DPEHPK3PXP"), 2)
        .unwrap();
    autobackup::after_change(&vault, 2).unwrap().unwrap();
    assert!(autobackup::exist(&path));
    vault.change_password(b"new password", kdf(), None).unwrap();
    let files = autobackup::list(&backups);
    assert_eq!(files.len(), 2);
    let opens = |file: &Path, password: &[u8]| {
        tessera_core::vault::open_backup(file, &std::fs::read(file).unwrap(), password).is_ok()
    };
    assert!(
        files.iter().all(|f| opens(f, PASSWORD)),
        "still the old password"
    );
    // A wrong old password changes nothing.
    let resealer = vault.resealer();
    assert_eq!(autobackup::rewrite(&path, &resealer, b"wrong").unwrap(), 0);
    assert_eq!(autobackup::rewrite(&path, &resealer, PASSWORD).unwrap(), 2);
    for file in &files {
        assert!(!opens(file, PASSWORD), "{}", file.display());
        assert!(opens(file, b"new password"), "{}", file.display());
    }
    // Again: nothing left to do.
    assert_eq!(autobackup::rewrite(&path, &resealer, PASSWORD).unwrap(), 0);
}

#[test]
fn stale_temporaries_of_a_crashed_save_go_and_fresh_ones_stay() {
    let dir = tempfile::tempdir().unwrap();
    let (_path, mut vault) = new_vault(dir.path());
    let old = dir.path().join(".tessera.vault.tmp-0123456789abcdef");
    let fresh = dir.path().join(".tessera.vault.tmp-fedcba9876543210");
    std::fs::write(&old, b"left by a crash").unwrap();
    std::fs::write(&fresh, b"another writer's, in progress").unwrap();
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    vault.add(enrolment("A", "a", SEED), 1).unwrap();
    assert!(!old.exists(), "a crashed save's file goes");
    assert!(fresh.exists(), "a file that may be another writer's stays");
}
