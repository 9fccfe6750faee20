//! Two programs on one vault (the app and `tessera-cli`), generations that keep history, and
//! falling back to an older generation only on damage. Each "program" is a `Vault` opened on the
//! same file; `crates/cli/tests/cli/concurrent.rs` does the same with real processes.

use std::path::{Path, PathBuf};

use tessera_core::otp::{AccountId, Enrolment, OtpKind, parse_otpauth};
use tessera_core::vault::{
    Edit, KdfParams, MemoryKeystore, Vault, VaultError, generation_path, open_backup,
};

const PASSWORD: &[u8] = b"correct horse battery staple";

fn enrolment(issuer: &str, name: &str) -> Enrolment {
    // A secret per label, so that no two test accounts are duplicates.
    let secret =
        data_encoding::BASE32_NOPAD.encode(format!("{issuer}:{name}:0123456789").as_bytes());
    parse_otpauth(&format!(
        "otpauth://totp/{issuer}:{name}?secret={secret}&issuer={issuer}"
    ))
    .unwrap()
}

fn setup(dir: &Path) -> (PathBuf, AccountId) {
    let path = dir.join("tessera.vault");
    let mut vault = Vault::create(&path, PASSWORD, KdfParams::MINIMUM).unwrap();
    let id = vault
        .add(enrolment("Microsoft", "admin@contoso.com"), 1)
        .unwrap();
    (path, id)
}

fn open(path: &Path) -> Vault {
    Vault::unlock(path, PASSWORD).unwrap().0
}

fn note(text: &str) -> Edit {
    Edit {
        note: Some(text.into()),
        ..Default::default()
    }
}

fn on_disk(path: &Path) -> Vault {
    open(path)
}

#[test]
fn an_account_added_elsewhere_survives_a_stale_save_here() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = setup(dir.path());
    let mut app = open(&path);
    let mut cli = open(&path);
    let added = cli.add(enrolment("GitHub", "anna"), 2).unwrap();
    app.edit(id, note("Anna's phone"), 3).unwrap();
    let report = app.take_merge_report().unwrap();
    assert_eq!((report.taken, report.conflicts), (1, 0));
    let now = on_disk(&path);
    assert!(now.get(added).is_some(), "the CLI's account is kept");
    assert_eq!(now.get(id).unwrap().note, "Anna's phone");
    assert_eq!(app.len(), 2, "the app shows it too");
    // And the other way round: the CLI, now stale, saves again without losing the app's edit.
    cli.trash_account(added, 4).unwrap();
    let now = on_disk(&path);
    assert_eq!(now.get(id).unwrap().note, "Anna's phone");
    assert_eq!(now.trash().len(), 1);
}

#[test]
fn the_same_account_changed_on_both_sides_keeps_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = setup(dir.path());
    let mut app = open(&path);
    let mut cli = open(&path);
    cli.edit(id, note("from the CLI"), 2).unwrap();
    app.edit(id, note("from the app"), 3).unwrap();
    assert_eq!(app.take_merge_report().unwrap().conflicts, 1);
    let now = on_disk(&path);
    let accounts = now.accounts();
    assert_eq!(accounts.len(), 2);
    let theirs = now.get(id).unwrap();
    assert_eq!(theirs.note, "from the CLI");
    assert_eq!(theirs.conflict_of, None);
    let ours = accounts.iter().find(|a| a.id != id).unwrap();
    assert_eq!(ours.note, "from the app");
    assert_eq!(ours.conflict_of, Some(id), "the second version is marked");
    assert_eq!(ours.otp, theirs.otp);
    // Resolving clears the mark.
    let second = ours.id;
    app.edit(
        second,
        Edit {
            resolve_conflict: true,
            ..Default::default()
        },
        4,
    )
    .unwrap();
    assert_eq!(on_disk(&path).get(second).unwrap().conflict_of, None);
}

#[test]
fn an_edit_beats_a_deletion_on_the_other_side() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = setup(dir.path());
    let mut app = open(&path);
    let mut cli = open(&path);
    cli.trash_account(id, 2).unwrap();
    cli.purge(id).unwrap();
    app.edit(id, note("still needed"), 3).unwrap();
    assert_eq!(on_disk(&path).get(id).unwrap().note, "still needed");
    // A purge elsewhere of an account left alone here stays purged.
    let other = app.add(enrolment("Okta", "ops"), 4).unwrap();
    let mut cli = open(&path);
    cli.trash_account(other, 5).unwrap();
    cli.purge(other).unwrap();
    app.edit(id, note("again"), 6).unwrap();
    assert!(on_disk(&path).get(other).is_none());
}

#[test]
fn a_password_changed_elsewhere_refuses_the_write_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = setup(dir.path());
    let mut app = open(&path);
    let mut cli = open(&path);
    cli.change_password(b"new password", KdfParams::MINIMUM, None)
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let error = app.edit(id, note("stale"), 2).unwrap_err();
    assert!(
        matches!(error, VaultError::ChangedElsewhere(_)),
        "{error:?}"
    );
    assert!(
        !error
            .to_string()
            .contains(std::str::from_utf8(PASSWORD).unwrap())
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(app.get(id).unwrap().note, "", "undone in memory");
    // The old password opens nothing here: not the vault, not a generation.
    assert!(Vault::unlock(&path, PASSWORD).is_err());
    for n in 1..=3 {
        let file = generation_path(&path, n);
        if let Ok(bytes) = std::fs::read(&file) {
            assert!(
                open_backup(&file, &bytes, PASSWORD).is_err(),
                "generation {n}"
            );
        }
    }
    // Enabling a keystore slot here after that is refused as well.
    let keystore = MemoryKeystore::default();
    assert!(matches!(
        app.enable_keystore(&keystore),
        Err(VaultError::ChangedElsewhere(_))
    ));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_keystore_slot_made_elsewhere_is_kept_by_a_stale_save() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = setup(dir.path());
    let mut app = open(&path);
    let mut cli = open(&path);
    let keystore = MemoryKeystore::default();
    cli.enable_keystore(&keystore).unwrap();
    app.edit(id, note("x"), 2).unwrap();
    assert!(app.has_keystore_slot());
    let (reopened, _) = Vault::unlock_with_keystore(&path, &keystore).unwrap();
    assert_eq!(reopened.get(id).unwrap().note, "x");
}

#[test]
fn hotp_counters_used_on_both_sides_keep_the_larger_and_last_use_the_later() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tessera.vault");
    let mut first = Vault::create(&path, PASSWORD, KdfParams::MINIMUM).unwrap();
    let hotp = parse_otpauth("otpauth://hotp/Bank:me?secret=JBSWY3DPEHPK3PXP&counter=5").unwrap();
    let id = first.add(hotp, 1).unwrap();
    let mut second = open(&path);
    for _ in 0..3 {
        first.advance_counter(id, 2).unwrap();
    }
    first.mark_used(id, 50).unwrap();
    // Still at counter 5 here, and used earlier.
    second.mark_used(id, 40).unwrap();
    let now = on_disk(&path);
    let account = now.get(id).unwrap();
    assert_eq!(account.otp.kind(), OtpKind::Hotp { counter: 8 });
    assert_eq!(account.last_used, Some(50));
    assert_eq!(now.len(), 1, "bookkeeping is no conflict");
    // Both used a code without seeing the other: the larger counter goes on.
    first.advance_counter(id, 60).unwrap();
    second.advance_counter(id, 61).unwrap();
    let account = on_disk(&path).get(id).unwrap().otp.kind();
    assert_eq!(account, OtpKind::Hotp { counter: 9 });
}

#[test]
fn bookkeeping_saves_keep_the_generations_as_content_history() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = setup(dir.path());
    let mut vault = open(&path);
    let before_edit = std::fs::read(&path).unwrap();
    vault.edit(id, note("edited"), 2).unwrap();
    for t in 0..10 {
        vault.mark_used(id, 100 + t).unwrap();
    }
    assert_eq!(
        std::fs::read(generation_path(&path, 1)).unwrap(),
        before_edit,
        "ten copied codes later, .1 is still the version before the edit"
    );
    let now = on_disk(&path);
    assert_eq!(now.get(id).unwrap().last_used, Some(109));
    assert_eq!(now.get(id).unwrap().note, "edited");
}

#[test]
fn a_read_error_is_reported_and_never_opens_an_older_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = setup(dir.path());
    let mut vault = open(&path);
    vault.edit(id, note("newest"), 2).unwrap();
    drop(vault);
    // The vault path cannot be read (here: it is a folder); .1 is readable.
    let aside = dir.path().join("aside");
    std::fs::rename(&path, &aside).unwrap();
    std::fs::create_dir(&path).unwrap();
    let error = Vault::unlock(&path, PASSWORD).unwrap_err();
    assert!(matches!(error, VaultError::Io { .. }), "{error:?}");
    std::fs::remove_dir(&path).unwrap();
    std::fs::rename(&aside, &path).unwrap();
    assert_eq!(open(&path).get(id).unwrap().note, "newest");
}

#[test]
fn an_older_copy_opens_on_damage_and_nothing_is_written_until_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = setup(dir.path());
    let mut vault = open(&path);
    vault.edit(id, note("lost to damage"), 2).unwrap();
    drop(vault);
    let mut damaged = std::fs::read(&path).unwrap();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x40;
    std::fs::write(&path, &damaged).unwrap();
    let (mut vault, report) = Vault::unlock(&path, PASSWORD).unwrap();
    assert_eq!(report.generation, 1);
    assert!(report.written.is_some());
    assert_eq!(
        vault.unconfirmed_copy(),
        Some(generation_path(&path, 1).as_path())
    );
    assert_eq!(vault.get(id).unwrap().note, "");
    let error = vault.edit(id, note("x"), 3).unwrap_err();
    assert!(
        matches!(error, VaultError::CopyNotConfirmed(_)),
        "{error:?}"
    );
    assert!(vault.mark_used(id, 3).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), damaged, "nothing written");
    vault.confirm_copy();
    vault.edit(id, note("after confirming"), 4).unwrap();
    assert_eq!(open(&path).get(id).unwrap().note, "after confirming");
    assert_eq!(
        std::fs::read(generation_path(&path, 1)).unwrap(),
        damaged,
        "the damaged file is kept as .1"
    );
}

#[test]
fn refresh_takes_in_another_programs_save_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = setup(dir.path());
    let mut app = open(&path);
    assert!(!app.changed_on_disk());
    assert!(!app.refresh().unwrap());
    let mut cli = open(&path);
    let added = cli.add(enrolment("Google", "ops"), 2).unwrap();
    let written = std::fs::read(&path).unwrap();
    assert!(app.changed_on_disk());
    assert!(app.refresh().unwrap());
    assert!(app.get(added).is_some());
    assert_eq!(
        std::fs::read(&path).unwrap(),
        written,
        "a refresh writes nothing"
    );
    assert!(!app.changed_on_disk());
    // A password change elsewhere: the refresh says so.
    cli.change_password(b"another one", KdfParams::MINIMUM, None)
        .unwrap();
    assert!(matches!(
        app.refresh(),
        Err(VaultError::ChangedElsewhere(_))
    ));
}

#[test]
fn many_threads_saving_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = setup(dir.path());
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut vault = open(&path);
                (0..5)
                    .map(|i| {
                        vault
                            .add(enrolment(&format!("W{w}"), &format!("n{i}")), 2)
                            .unwrap()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let ids: Vec<AccountId> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let now = on_disk(&path);
    assert_eq!(now.len(), 21);
    for id in ids {
        assert!(now.get(id).is_some());
    }
}
