//! Round trips that must lose nothing, backups that check themselves, merges that never
//! overwrite, and automatic backups.

use tessera_core::otp::{Account, Algorithm, Enrolment, Otp, OtpKind, Secret};
use tessera_core::transfer::backup::{
    content_hash, read_backup, write_backup, write_backup_checked,
};
use tessera_core::transfer::export::{aegis, qr, uris};
use tessera_core::transfer::import::{Format, import};
use tessera_core::transfer::merge::{INDEPENDENT_TAG, Outcome, plan_against};
use tessera_core::transfer::{TransferError, autobackup};
use tessera_core::vault::{BackupEntry, KdfParams, Vault};

/// kind, algorithm, digits, issuer, name, tenant, tags, note, pinned.
type Spec = (
    OtpKind,
    Algorithm,
    u8,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    bool,
);

/// Accounts exercising every field: kinds, algorithms, digits, periods, counters, tenants, tags,
/// multi-line notes with non-ASCII text, pins, last use, and Yandex and mOTP with their PINs.
fn accounts() -> Vec<Account> {
    let specs: [Spec; 7] = [
        (
            OtpKind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
            "Microsoft",
            "admin@contoso.onmicrosoft.com",
            "Contoso",
            &["M365", "break-glass"],
            "Enrolled on Anna's phone.\nRe-enrol: aka.ms/mfasetup",
            true,
        ),
        (
            OtpKind::Totp { period: 60 },
            Algorithm::Sha256,
            8,
            "Fabrikam VPN",
            "tech",
            "Fabrikam",
            &[],
            "",
            false,
        ),
        (
            OtpKind::Hotp { counter: 41 },
            Algorithm::Sha512,
            7,
            "Yubi & Co",
            "hotp user",
            "",
            &["hardware"],
            "Zähler: nicht überspringen ✓",
            false,
        ),
        (
            OtpKind::Steam,
            Algorithm::Sha1,
            5,
            "Steam",
            "gamer",
            "",
            &[],
            "",
            false,
        ),
        (
            OtpKind::Totp { period: 30 },
            Algorithm::Sha1,
            10,
            "",
            "no issuer",
            "Tailspin",
            &["a", "b", "c"],
            "ten digits",
            true,
        ),
        (
            OtpKind::Yandex { period: 30 },
            Algorithm::Sha256,
            8,
            "Yandex",
            "alice@yandex.ru",
            "",
            &["mail"],
            "PIN is on the card",
            false,
        ),
        (
            OtpKind::Motp { period: 10 },
            Algorithm::Sha1,
            6,
            "Mobile-OTP",
            "vpn",
            "Northwind",
            &[],
            "",
            false,
        ),
    ];
    specs
        .into_iter()
        .enumerate()
        .map(
            |(i, (kind, algorithm, digits, issuer, name, tenant, tags, note, pinned))| {
                let len = if let OtpKind::Yandex { .. } = kind {
                    16
                } else {
                    20
                };
                let secret = (0..len).map(|b| (b * 7 + i * 13) as u8).collect();
                let secret = Secret::from_bytes(secret).unwrap();
                let pin = Secret::from_bytes(format!("{}", 4711 + i).into_bytes()).unwrap();
                let otp = Otp::with_pin(kind, algorithm, digits, secret, pin).unwrap();
                let mut a = Account::new(
                    Enrolment {
                        issuer: issuer.into(),
                        name: name.into(),
                        tenant: String::new(),
                        otp,
                    },
                    1_700_000_000 + i as u64,
                );
                a.tenant = tenant.into();
                a.tags = tags.iter().map(|t| t.to_string()).collect();
                a.note = note.into();
                a.pinned = pinned;
                a.last_used = (i % 2 == 0).then(|| 1_750_000_000 + i as u64);
                a.use_count = (i * 3) as u64;
                a
            },
        )
        .collect()
}

/// Everything but ids and times.
fn essence(a: &Account) -> (String, String, Otp, String, Vec<String>, String, bool) {
    (
        a.issuer.clone(),
        a.name.clone(),
        a.otp.clone(),
        a.tenant.clone(),
        a.tags.clone(),
        a.note.clone(),
        a.pinned,
    )
}

fn entries() -> Vec<BackupEntry> {
    let mut entries: Vec<BackupEntry> = accounts().into_iter().map(|a| (a, None)).collect();
    entries[3].1 = Some(1_700_100_000);
    entries
}

#[test]
fn backup_restores_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("phone.tessera");
    let entries = entries();
    let written = write_backup(&path, &entries, b"backup pw", KdfParams::MINIMUM).unwrap();
    assert_eq!(written.accounts, 7);
    let back = read_backup(&path, b"backup pw").unwrap();
    assert_eq!(back, entries);
    assert_eq!(content_hash(&back), content_hash(&entries));
    // Through the importer too (format detected from the content).
    let bytes = std::fs::read(&path).unwrap();
    let imported = import(&bytes, Some(b"backup pw"), None, 0).unwrap();
    assert_eq!(imported.format, Format::Tessera);
    assert_eq!(imported.accounts(), entries);
    assert!(matches!(
        import(&bytes, Some(b"wrong"), None, 0),
        Err(TransferError::WrongPassword { .. })
    ));
    assert!(matches!(
        read_backup(&path, b"wrong"),
        Err(TransferError::Vault(_))
    ));
    // Truncated or flipped: damaged, never a partial restore.
    for damaged in [bytes[..bytes.len() / 2].to_vec(), {
        let mut b = bytes.clone();
        b[bytes.len() - 40] ^= 1;
        b
    }] {
        let error = import(&damaged, Some(b"backup pw"), Some(Format::Tessera), 0).unwrap_err();
        assert!(error.to_string().contains("damaged"), "{error}");
    }
}

#[test]
fn a_backup_that_does_not_read_back_is_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.tessera");
    let error = write_backup_checked(&path, &entries(), b"pw", KdfParams::MINIMUM, |p| {
        let mut bytes = std::fs::read(p).unwrap();
        let n = bytes.len();
        bytes[n / 2] ^= 0x40;
        std::fs::write(p, bytes).unwrap();
    })
    .unwrap_err();
    assert!(
        matches!(error, TransferError::BackupCheckFailed { .. }),
        "{error}"
    );
    assert!(!path.exists());
    assert!(!error.advice().is_empty());
}

#[test]
fn aegis_round_trip_keeps_notes_tags_tenants_and_pins() {
    let accounts = accounts();
    let refs: Vec<&Account> = accounts.iter().collect();
    for password in [None, Some(&b"aegis pw"[..])] {
        let file = aegis::export(&refs, password);
        let imported = import(&file, password, None, 0).unwrap();
        assert_eq!(imported.format, Format::Aegis);
        let back: Vec<_> = imported
            .accounts()
            .iter()
            .map(|(a, _)| essence(a))
            .collect();
        assert_eq!(back, accounts.iter().map(essence).collect::<Vec<_>>());
    }
}

#[test]
fn uri_round_trip_keeps_what_uris_carry() {
    let accounts = accounts();
    let refs: Vec<&Account> = accounts.iter().collect();
    let text = uris::export(&refs);
    assert_eq!(text.lines().count(), 7);
    let imported = import(text.as_bytes(), None, None, 0).unwrap();
    assert_eq!(imported.format, Format::Uris);
    let back: Vec<_> = imported
        .accounts()
        .iter()
        .map(|(a, _)| essence(a))
        .collect();
    assert_eq!(back, accounts.iter().map(essence).collect::<Vec<_>>());
}

#[test]
fn google_export_batches_and_reports_what_does_not_fit() {
    let mut many = Vec::new();
    for i in 0..23 {
        let secret = Secret::from_bytes(vec![i as u8 + 1; 10]).unwrap();
        let otp = Otp::new(OtpKind::Totp { period: 30 }, Algorithm::Sha1, 6, secret).unwrap();
        many.push(Account::new(
            Enrolment {
                issuer: format!("S{i}"),
                name: "u".into(),
                tenant: String::new(),
                otp,
            },
            0,
        ));
    }
    many.extend(accounts());
    let refs: Vec<&Account> = many.iter().collect();
    let (links, left_out) = qr::google_export(&refs);
    // Steam, Yandex, mOTP, a 60 s period, 7 and 10 digits do not fit Google's format.
    let labels: Vec<&str> = left_out.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Fabrikam VPN: tech",
            "Yubi & Co: hotp user",
            "Steam: gamer",
            "no issuer",
            "Yandex: alice@yandex.ru",
            "Mobile-OTP: vpn"
        ]
    );
    assert_eq!(links.len(), 3);
    let text: String = links.iter().map(|l| format!("{}\n", l.as_str())).collect();
    let imported = import(text.as_bytes(), None, None, 0).unwrap();
    assert_eq!(imported.accounts().len(), 24);
    assert!(!imported.notes.iter().any(|n| n.contains("scan the rest")));
    // Two of three QR codes: the note names the missing one.
    let partial: String = links[..2]
        .iter()
        .map(|l| format!("{}\n", l.as_str()))
        .collect();
    let imported = import(partial.as_bytes(), None, None, 0).unwrap();
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.contains("2 of 3 QR codes") && n.contains("missing: 3")),
        "{:?}",
        imported.notes
    );
    // Each link is a scannable PNG.
    let png = qr::png(&links[0]).unwrap();
    let frame = tessera_core::scan::scan_image(&png).unwrap();
    assert_eq!(
        tessera_core::scan::decode(&frame, tessera_core::scan::Effort::Still),
        [links[0].to_string()]
    );
}

#[test]
fn account_qr_codes_as_png_and_terminal_text() {
    let account = &accounts()[0];
    let uri = tessera_core::otp::to_otpauth(&account.enrolment());
    let frame = tessera_core::scan::scan_image(&qr::png(&uri).unwrap()).unwrap();
    assert_eq!(
        tessera_core::scan::decode(&frame, tessera_core::scan::Effort::Still),
        [uri.to_string()]
    );
    let text = qr::terminal(&uri).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 20);
    assert!(
        lines
            .iter()
            .all(|l| l.chars().count() == lines[0].chars().count())
    );
    assert!(qr::png(&"x".repeat(5000)).is_err());
}

/// One guest address in two tenants is two accounts; in one tenant (or where one side has no
/// tenant), another seed is a second authenticator of it.
#[test]
fn merge_tells_tenants_apart() {
    let guest = |tenant: &str, secret: &str| {
        let otp = Otp::new(
            OtpKind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
            Secret::from_base32(secret).unwrap(),
        )
        .unwrap();
        let mut a = Account::new(
            Enrolment {
                issuer: "Microsoft".into(),
                name: "guest@msp.example".into(),
                tenant: tenant.into(),
                otp,
            },
            0,
        );
        a.tenant = tenant.into();
        (a, None)
    };
    let existing = vec![guest("Contoso Ltd", "JBSWY3DPEHPK3PXP")];
    let plan = plan_against(
        &existing,
        vec![
            guest("Fabrikam", "GEZDGNBVGY3TQOJQ"),
            guest("contoso ltd", "KRSXG5CTMVRXEZLU"),
            guest("", "MFRGGZDFMZTWQ2LK"),
        ],
    );
    let outcomes: Vec<bool> = plan
        .items
        .iter()
        .map(|i| matches!(i.outcome, Outcome::Independent { .. }))
        .collect();
    assert_eq!(outcomes, [false, true, true]);
    assert_eq!(plan.new_count(), 1);
}

#[test]
fn merge_never_overwrites_and_keeps_independent_authenticators() {
    let existing: Vec<BackupEntry> = accounts().into_iter().map(|a| (a, None)).collect();
    let mut incoming: Vec<BackupEntry> = existing.clone();
    // Same label, another seed: a colleague's phone enrolled for the same admin account.
    let mut second = existing[0].0.clone();
    second.otp = Otp::new(
        OtpKind::Totp { period: 30 },
        Algorithm::Sha1,
        6,
        Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
    )
    .unwrap();
    second.note = "Bob's phone".into();
    incoming.push((second, None));
    // A duplicate whose HOTP counter moved on is still the same seed.
    let mut moved = existing[2].0.clone();
    moved.otp.increment_counter();
    incoming.push((moved, None));
    let mut new = existing[1].0.clone();
    new.otp = Otp::new(
        OtpKind::Totp { period: 30 },
        Algorithm::Sha1,
        6,
        Secret::from_base32("GEZDGNBVGY3TQOJQ").unwrap(),
    )
    .unwrap();
    new.name = "someone else".into();
    incoming.push((new, None));
    let plan = plan_against(&existing, incoming);
    assert_eq!(
        (
            plan.new_count(),
            plan.duplicate_count(),
            plan.independent_count()
        ),
        (1, 8, 1)
    );
    let independent = plan
        .items
        .iter()
        .find(|i| matches!(i.outcome, Outcome::Independent { .. }))
        .unwrap();
    assert!(
        independent
            .account
            .tags
            .contains(&INDEPENDENT_TAG.to_owned())
    );
    assert_eq!(independent.account.note, "Bob's phone");

    // Applied to a real vault: only additions, one save.
    let dir = tempfile::tempdir().unwrap();
    let mut vault = Vault::create(&dir.path().join("v.vault"), b"pw", KdfParams::MINIMUM).unwrap();
    vault.insert_all(existing.clone()).unwrap();
    let before: Vec<Account> = vault.accounts().into_iter().cloned().collect();
    let plan = tessera_core::transfer::merge::plan(
        &vault,
        plan.items
            .iter()
            .map(|i| (i.account.clone(), i.trashed))
            .collect(),
    );
    assert_eq!(plan.apply(&mut vault).unwrap(), 2);
    assert_eq!(vault.accounts().len(), 9);
    for a in &before {
        assert_eq!(vault.get(a.id), Some(a), "an existing account changed");
    }
    let (reopened, _) = Vault::unlock(vault.path(), b"pw").unwrap();
    assert_eq!(reopened.accounts().len(), 9);
}

#[test]
fn automatic_backups_keep_the_newest_and_record_failures() {
    let dir = tempfile::tempdir().unwrap();
    let vault_path = dir.path().join("v.vault");
    let backups = dir.path().join("backups");
    let mut vault = Vault::create(&vault_path, b"vault pw", KdfParams::MINIMUM).unwrap();
    assert!(
        autobackup::after_change(&vault, 0).is_none(),
        "off until configured"
    );
    autobackup::configure(&vault_path, &backups, 3).unwrap();
    for (i, account) in accounts().into_iter().enumerate() {
        vault.add_account(account).unwrap();
        let made = autobackup::after_change(&vault, 1_800_000_000 + i as u64)
            .unwrap()
            .unwrap();
        assert_eq!(made.accounts, i + 1);
    }
    let files = autobackup::list(&backups);
    assert_eq!(files.len(), 3);
    let settings = autobackup::load(&vault_path).unwrap();
    let last = settings.last_success.unwrap();
    assert_eq!((last.accounts, &last.file), (7, files.last().unwrap()));
    // The newest restores with the vault password.
    assert_eq!(read_backup(&last.file, b"vault pw").unwrap().len(), 7);
    // The folder becomes unwritable (a file in its place): the failure is recorded, loudly.
    std::fs::remove_dir_all(&backups).unwrap();
    std::fs::write(&backups, b"not a folder").unwrap();
    let error = autobackup::after_change(&vault, 1_900_000_000)
        .unwrap()
        .unwrap_err();
    let settings = autobackup::load(&vault_path).unwrap();
    let failure = settings.last_failure.unwrap();
    assert_eq!(failure.time, 1_900_000_000);
    assert_eq!(failure.reason, error.to_string());
    assert!(
        settings.last_success.is_some(),
        "the last success is still shown"
    );
    autobackup::disable(&vault_path).unwrap();
    assert!(autobackup::load(&vault_path).is_none());
}

#[test]
fn damaged_and_hostile_imports_fail_clearly() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("garbage", b"\x00\x01garbage".to_vec()),
        ("json of nothing", b"{\"hello\": 1}".to_vec()),
        ("aegis without db", br#"{"version":1,"header":{"slots":null},"db":7}"#.to_vec()),
        ("aegis huge scrypt", br#"{"version":1,"header":{"slots":[{"type":1,"key":"00","key_params":{"nonce":"00","tag":"00"},"n":1073741824,"r":8,"p":1,"salt":"00"}],"params":{"nonce":"00","tag":"00"}},"db":"AAAA"}"#.to_vec()),
        ("2fas future schema", br#"{"schemaVersion":99,"services":[]}"#.to_vec()),
        ("andotp huge numbers", br#"[{"secret":"JBSWY3DPEHPK3PXP","type":"TOTP","digits":99999999999999,"period":-5}]"#.to_vec()),
        ("truncated stratum", b"AUTHENTICATORPRO0123".to_vec()),
        ("sqlite", b"SQLite format 3\0rest".to_vec()),
        ("zip", b"PK\x03\x04rest".to_vec()),
    ];
    for (what, bytes) in cases {
        match import(&bytes, Some(b"pw"), None, 0) {
            Err(error) => assert!(!error.advice().is_empty(), "{what}"),
            Ok(imported) => {
                assert!(imported.accounts().is_empty(), "{what}");
                assert!(
                    !imported.failures().is_empty(),
                    "{what}: {:?}",
                    imported.failures()
                );
            }
        }
    }
    let huge = vec![b' '; tessera_core::transfer::MAX_IMPORT_SIZE + 1];
    assert!(matches!(
        import(&huge, None, None, 0),
        Err(TransferError::TooLarge { .. })
    ));
}

/// A ZIP whose export member unpacks to 40 MiB (from 40 KiB) is refused before it is unpacked.
#[test]
fn zip_bombs_are_refused() {
    use std::io::Write;
    let plain = vec![b' '; 40 * 1024 * 1024];
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&plain).unwrap();
    let data = encoder.finish().unwrap();
    let name = b"raivo-otp-export.json";
    let (u16le, u32le) = (|v: u16| v.to_le_bytes(), |v: u32| v.to_le_bytes());
    let mut zip = Vec::new();
    zip.extend(u32le(0x0403_4b50));
    for v in [20u16, 0, 8, 0, 0] {
        zip.extend(u16le(v));
    }
    zip.extend(u32le(0));
    zip.extend(u32le(data.len() as u32));
    zip.extend(u32le(plain.len() as u32));
    zip.extend(u16le(name.len() as u16));
    zip.extend(u16le(0));
    zip.extend(name);
    zip.extend(&data);
    let central = zip.len() as u32;
    zip.extend(u32le(0x0201_4b50));
    for v in [20u16, 20, 0, 8, 0, 0] {
        zip.extend(u16le(v));
    }
    zip.extend(u32le(0));
    zip.extend(u32le(data.len() as u32));
    zip.extend(u32le(plain.len() as u32));
    for v in [name.len() as u16, 0, 0, 0, 0] {
        zip.extend(u16le(v));
    }
    zip.extend(u32le(0));
    zip.extend(u32le(0));
    zip.extend(name);
    let central_len = zip.len() as u32 - central;
    zip.extend(u32le(0x0605_4b50));
    for v in [0u16, 0, 1, 1] {
        zip.extend(u16le(v));
    }
    zip.extend(u32le(central_len));
    zip.extend(u32le(central));
    zip.extend(u16le(0));
    assert!(zip.len() < 100 * 1024);
    let error = import(&zip, None, None, 0).unwrap_err();
    assert!(matches!(error, TransferError::TooLarge { .. }), "{error}");
}

/// Ente Auth's encrypted export, written by libsodium itself (PyNaCl), imports with its notes,
/// tags and pin; a wrong password and KDF settings over 1 GiB are refused. Skipped when Python
/// lacks PyNaCl, unless TESSERA_REQUIRE_PYTHON=1 (set by .ci/test, which installs it).
#[test]
fn ente_encrypted_exports_made_by_libsodium() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    if !crate::shared::python_with("nacl.bindings", "pynacl", "Ente export test") {
        return;
    }
    let accounts = accounts();
    let refs: Vec<&Account> = accounts.iter().collect();
    let plain = uris::export(&refs);
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/core/transfer/ente_export.py");
    let make_tagged = |memory: u64, passes: u32, tag: &str| -> Vec<u8> {
        let mut child = Command::new("python3")
            .arg(&script)
            .args([
                "ente pässword",
                &memory.to_string(),
                &passes.to_string(),
                tag,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(plain.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        out.stdout
    };
    let make = |memory: u64, passes: u32| make_tagged(memory, passes, "final");
    // Ente's own exports tag their one message MESSAGE, not FINAL: both import.
    let real = make_tagged(64 * 1024 * 1024, 2, "message");
    let imported = import(&real, Some("ente pässword".as_bytes()), None, 0).unwrap();
    assert_eq!(imported.accounts().len(), accounts.len());
    let file = make(64 * 1024 * 1024, 2);
    let imported = import(&file, Some("ente pässword".as_bytes()), None, 0).unwrap();
    assert_eq!(imported.format, Format::EnteEncrypted);
    let back: Vec<_> = imported
        .accounts()
        .iter()
        .map(|(a, _)| essence(a))
        .collect();
    assert_eq!(back, accounts.iter().map(essence).collect::<Vec<_>>());
    assert!(matches!(
        import(&file, Some(b"wrong"), None, 0),
        Err(TransferError::WrongPassword { .. })
    ));
    assert!(matches!(
        import(&file, None, None, 0),
        Err(TransferError::NeedsPassword { .. })
    ));
    // A flipped byte in the data does not authenticate.
    let mut value: serde_json::Value = serde_json::from_slice(&file).unwrap();
    let data = value["encryptedData"].as_str().unwrap().to_owned();
    let mut raw = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, data).unwrap();
    raw[5] ^= 1;
    value["encryptedData"] =
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, raw).into();
    let tampered = serde_json::to_vec(&value).unwrap();
    assert!(import(&tampered, Some("ente pässword".as_bytes()), None, 0).is_err());
    // Over Tessera's 1 GiB bound: refused before the KDF runs.
    value["kdfParams"]["memLimit"] = (2u64 << 30).into();
    let greedy = serde_json::to_vec(&value).unwrap();
    let error = import(&greedy, Some(b"x"), None, 0).unwrap_err();
    assert!(error.to_string().contains("2048 MiB"), "{error}");
}

/// Bitwarden's password-protected encrypted JSON (PBKDF2 and Argon2id), written by an
/// independent Python implementation of Bitwarden's documented scheme, over Bitwarden's own
/// plain export from the fixtures: the same four entries as the plain file.
#[test]
fn bitwarden_password_protected_exports() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let Some(dir) = crate::shared::dir("bitwarden_password_protected_exports") else {
        return;
    };
    if !crate::shared::python_with(
        "cryptography, argon2",
        "cryptography argon2-cffi",
        "Bitwarden export test",
    ) {
        return;
    }
    let plain = std::fs::read(dir.join("fixtures/aegis/importers/bitwarden.json")).unwrap();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/core/transfer/bitwarden_export.py");
    for kdf in ["0", "1"] {
        let mut child = Command::new("python3")
            .arg(&script)
            .args(["bitwärden", kdf])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&plain).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let imported = import(&out.stdout, Some("bitwärden".as_bytes()), None, 0).unwrap();
        assert_eq!(imported.format, Format::Bitwarden);
        assert_eq!(imported.accounts().len(), 4, "kdfType {kdf}");
        assert!(matches!(
            import(&out.stdout, Some(b"wrong"), None, 0),
            Err(TransferError::WrongPassword { .. })
        ));
        assert!(matches!(
            import(&out.stdout, None, None, 0),
            Err(TransferError::NeedsPassword { .. })
        ));
    }
    // Account-restricted exports only Bitwarden can open: refused with what to do.
    let restricted =
        br#"{"encrypted": true, "encKeyValidation_DO_NOT_EDIT": "2.a|b|c", "items": []}"#;
    let error = import(restricted, None, Some(Format::Bitwarden), 0).unwrap_err();
    assert!(error.to_string().contains("Password protected"), "{error}");
}

/// LastPass Authenticator's JSON export, in the structure its exports have (no fixture in
/// ../shared): issuer, user, secret, algorithm, digits, time step, favourite, folder.
#[test]
fn lastpass_authenticator_exports() {
    let file = br#"{
      "deviceId": "d", "deviceSecret": "s", "localDeviceId": "l", "deviceName": "Pixel", "version": 3,
      "accounts": [
        {"accountID": "1", "issuerName": "Contoso", "originalIssuerName": "Contoso", "userName": "admin@contoso.com",
         "originalUserName": "admin@contoso.com", "pushNotification": false, "secret": "JBSWY3DPEHPK3PXP",
         "timeStep": 30, "digits": 6, "creationTimestamp": 1700000000, "isFavorite": true, "algorithm": "SHA1",
         "folderData": {"folderId": 7, "position": 0}},
        {"accountID": "2", "issuerName": "", "originalIssuerName": "Fabrikam", "userName": "", "originalUserName": "tech",
         "pushNotification": false, "secret": "GEZDGNBVGY3TQOJQ", "timeStep": 60, "digits": 8, "creationTimestamp": 1700000000,
         "isFavorite": false, "algorithm": "SHA256", "folderData": {"folderId": 0, "position": 1}},
        {"accountID": "3", "issuerName": "LastPass", "originalIssuerName": "LastPass", "userName": "me", "originalUserName": "me",
         "pushNotification": true, "secret": "", "timeStep": 30, "digits": 6, "creationTimestamp": 1700000000,
         "isFavorite": false, "algorithm": "SHA1", "folderData": {"folderId": 0, "position": 2}}
      ],
      "folders": [{"id": 7, "name": "Customers", "isOpened": true}]
    }"#;
    let imported = import(file, None, None, 0).unwrap();
    assert_eq!(imported.format, Format::LastPass);
    let accounts = imported.accounts();
    assert_eq!(accounts.len(), 2);
    let (a, b) = (&accounts[0].0, &accounts[1].0);
    assert_eq!(
        (a.label(), a.pinned, a.tags.clone()),
        (
            "Contoso: admin@contoso.com".into(),
            true,
            vec!["Customers".to_owned()]
        )
    );
    assert_eq!(b.label(), "Fabrikam: tech");
    assert_eq!(
        (b.otp.kind(), b.otp.algorithm(), b.otp.digits()),
        (OtpKind::Totp { period: 60 }, Algorithm::Sha256, 8)
    );
    assert_eq!(imported.failures().len(), 1);
    assert!(imported.failures()[0].reason.contains("push"));
}
