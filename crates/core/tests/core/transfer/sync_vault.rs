//! Sync applied to real vaults sharing one folder (docs/sync-format.md, "Applying the merge"):
//! the new user's walk-through (add on one, edit on the other, delete on the first), a purge
//! reaching the trash first, conflicts and their copies, joining with accounts already there,
//! a crash between the vault and the state, re-keying after removing a device, the status.

use std::path::{Path, PathBuf};

use tessera_core::otp::{Account, AccountId, parse_otpauth};
use tessera_core::transfer::sync::{self, SyncError, SyncFileError};
use tessera_core::vault::{Edit, KdfParams, Vault};

const PASSWORD: &[u8] = b"vault password";
const SYNC: &[u8] = b"sync password 1";
const NOW: u64 = 1_764_763_200;

struct Device {
    vault: Vault,
    path: PathBuf,
}

fn device(dir: &Path, name: &str) -> Device {
    let path = dir.join(format!("{name}.vault"));
    let vault = Vault::create(&path, PASSWORD, KdfParams::MINIMUM).unwrap();
    Device { vault, path }
}

fn folder(dir: &Path) -> PathBuf {
    let folder = dir.join("Sync");
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

fn join(d: &mut Device, folder: &Path, name: &str) -> sync::SyncReport {
    let key = sync::prepare_join(folder, SYNC, KdfParams::MINIMUM).unwrap();
    sync::join(&mut d.vault, folder, name, &key, NOW).unwrap()
}

fn sync_now(d: &mut Device, folder: &Path) -> sync::SyncReport {
    sync::sync(&mut d.vault, folder, None, NOW + 10).unwrap()
}

fn add(d: &mut Device, issuer: &str, secret: &str) -> AccountId {
    let uri = format!("otpauth://totp/{issuer}:admin?secret={secret}&issuer={issuer}");
    d.vault.add(parse_otpauth(&uri).unwrap(), NOW).unwrap()
}

fn note(d: &mut Device, id: AccountId, text: &str) {
    let edit = Edit {
        note: Some(text.into()),
        ..Edit::default()
    };
    d.vault.edit(id, edit, NOW + 5).unwrap();
}

/// Every account, live and trashed, as (id, issuer, note, trashed, conflict of), sorted.
fn accounts(d: &Device) -> Vec<(AccountId, String, String, bool, Option<AccountId>)> {
    let mut all: Vec<_> = d
        .vault
        .backup_entries()
        .into_iter()
        .map(|(a, t)| (a.id, a.issuer, a.note, t.is_some(), a.conflict_of))
        .collect();
    all.sort();
    all
}

fn seed(d: &Device, id: AccountId) -> Option<String> {
    let entries = d.vault.backup_entries();
    let (a, _): &(Account, _) = entries.iter().find(|(a, _)| a.id == id)?;
    Some(a.otp.secret().to_base32().to_string())
}

fn reopen(d: &Device) -> Vault {
    Vault::unlock(&d.path, PASSWORD).unwrap().0
}

#[test]
fn a_new_users_walk_through_add_edit_delete_ends_the_same_on_both() {
    let dir = tempfile::tempdir().unwrap();
    let folder = folder(dir.path());
    let (mut a, mut b) = (device(dir.path(), "laptop"), device(dir.path(), "phone"));
    join(&mut a, &folder, "laptop");
    let id = add(&mut a, "Contoso", "JBSWY3DPEHPK3PXP");
    assert_eq!(sync_now(&mut a, &folder).sent, 1);
    let report = join(&mut b, &folder, "phone");
    assert_eq!(report.added, 1, "{report:?}");
    assert_eq!(seed(&b, id).as_deref(), Some("JBSWY3DPEHPK3PXP"));
    note(&mut b, id, "enrolled on the shared admin phone");
    assert_eq!(sync_now(&mut b, &folder).sent, 1);
    assert_eq!(sync_now(&mut a, &folder).changed, 1);
    assert_eq!(accounts(&a)[0].2, "enrolled on the shared admin phone");
    a.vault.trash_account(id, NOW + 20).unwrap();
    sync_now(&mut a, &folder);
    assert_eq!(sync_now(&mut b, &folder).trashed, 1);
    assert_eq!(
        accounts(&a),
        accounts(&b),
        "the same accounts, the deletion in the trash"
    );
    assert!(accounts(&b)[0].3, "in the trash on the other device");
    assert_eq!(
        seed(&b, id).as_deref(),
        Some("JBSWY3DPEHPK3PXP"),
        "nothing gone"
    );
    // Each device writes only its own files: two devices, and only the buckets holding records.
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let devices: std::collections::BTreeSet<&str> = names.iter().map(|n| &n[..32]).collect();
    assert_eq!(devices.len(), 2, "{names:?}");
    assert!(names.len() <= 4, "{names:?}");
    // Both vaults on disk say the same (the merge was saved, not only held in memory).
    let reopened: Vec<_> = reopen(&b)
        .backup_entries()
        .into_iter()
        .map(|(a, t)| (a.id, t.is_some()))
        .collect();
    assert_eq!(reopened, vec![(id, true)]);
}

#[test]
fn a_purge_elsewhere_reaches_the_trash_first_and_a_restore_brings_it_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let folder = folder(dir.path());
    let (mut a, mut b) = (device(dir.path(), "a"), device(dir.path(), "b"));
    join(&mut a, &folder, "a");
    let id = add(&mut a, "Fabrikam", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    sync_now(&mut a, &folder);
    join(&mut b, &folder, "b");
    a.vault.trash_account(id, NOW).unwrap();
    a.vault.purge(id).unwrap();
    sync_now(&mut a, &folder);
    assert!(accounts(&a).is_empty());
    // B had it live: the purge moves it to B's trash, never straight out.
    let report = sync_now(&mut b, &folder);
    assert_eq!((report.trashed, report.purged), (1, 0), "{report:?}");
    assert!(accounts(&b)[0].3);
    // It stays there on later syncs, until the user empties the trash here.
    assert_eq!(sync_now(&mut b, &folder).purged, 0);
    assert_eq!(accounts(&b).len(), 1);
    // Restored on B: A gets it back with its seed (the tombstone carried none).
    b.vault.restore(id).unwrap();
    assert_eq!(sync_now(&mut b, &folder).sent, 1);
    assert_eq!(sync_now(&mut a, &folder).added, 1);
    assert_eq!(
        seed(&a, id).as_deref(),
        Some("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    );
    assert_eq!(accounts(&a), accounts(&b));
    // Trashed on A, then purged from B's trash: both end without it.
    a.vault.trash_account(id, NOW).unwrap();
    sync_now(&mut a, &folder);
    sync_now(&mut b, &folder);
    b.vault.purge(id).unwrap();
    sync_now(&mut b, &folder);
    assert_eq!(sync_now(&mut a, &folder).purged, 1);
    assert!(accounts(&a).is_empty() && accounts(&b).is_empty());
}

#[test]
fn concurrent_edits_keep_both_as_a_copy_that_the_user_settles() {
    let dir = tempfile::tempdir().unwrap();
    let folder = folder(dir.path());
    let (mut a, mut b) = (device(dir.path(), "a"), device(dir.path(), "b"));
    join(&mut a, &folder, "a");
    let id = add(&mut a, "Contoso", "JBSWY3DPEHPK3PXP");
    sync_now(&mut a, &folder);
    join(&mut b, &folder, "b");
    note(&mut a, id, "from A");
    note(&mut b, id, "from B");
    sync_now(&mut a, &folder);
    sync_now(&mut b, &folder);
    let report = sync_now(&mut a, &folder);
    assert_eq!(report.conflicts, 1, "{report:?}");
    let (on_a, on_b) = (accounts(&a), accounts(&b));
    assert_eq!(on_a, on_b, "the same copy, with the same id, on both");
    assert_eq!(on_a.len(), 2);
    let notes: Vec<&str> = on_a.iter().map(|x| x.2.as_str()).collect();
    assert!(
        notes.contains(&"from A") && notes.contains(&"from B"),
        "{notes:?}"
    );
    let copy = on_a.iter().find(|x| x.4 == Some(id)).unwrap().0;
    assert_eq!(sync::status(&a.vault, &folder).unwrap().conflicts, 1);
    // B throws the copy away: the shown value is written again and the conflict ends.
    let shown = on_b.iter().find(|x| x.0 == id).unwrap().2.clone();
    b.vault.trash_account(copy, NOW).unwrap();
    sync_now(&mut b, &folder);
    sync_now(&mut a, &folder);
    assert_eq!(accounts(&a), accounts(&b));
    assert_eq!(accounts(&a).len(), 1, "{:?}", accounts(&a));
    assert_eq!(accounts(&a)[0].2, shown);
    assert_eq!(sync::status(&a.vault, &folder).unwrap().conflicts, 0);
}

#[test]
fn keeping_both_versions_makes_the_copy_an_account_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let folder = folder(dir.path());
    let (mut a, mut b) = (device(dir.path(), "a"), device(dir.path(), "b"));
    join(&mut a, &folder, "a");
    let id = add(&mut a, "Contoso", "JBSWY3DPEHPK3PXP");
    sync_now(&mut a, &folder);
    join(&mut b, &folder, "b");
    note(&mut a, id, "tech 1's phone");
    note(&mut b, id, "tech 2's phone");
    sync_now(&mut a, &folder);
    sync_now(&mut b, &folder);
    sync_now(&mut a, &folder);
    let copy = accounts(&a).iter().find(|x| x.4 == Some(id)).unwrap().0;
    let keep = Edit {
        resolve_conflict: true,
        ..Edit::default()
    };
    a.vault.edit(copy, keep, NOW).unwrap();
    sync_now(&mut a, &folder);
    sync_now(&mut b, &folder);
    sync_now(&mut a, &folder);
    let (on_a, on_b) = (accounts(&a), accounts(&b));
    assert_eq!(on_a.len(), 2, "{on_a:?}");
    assert_eq!(
        on_a.iter().map(|x| (x.0, &x.2)).collect::<Vec<_>>(),
        on_b.iter().map(|x| (x.0, &x.2)).collect::<Vec<_>>()
    );
    assert_eq!(sync::status(&b.vault, &folder).unwrap().conflicts, 0);
}

#[test]
fn joining_with_the_same_accounts_adds_no_duplicates_and_keeps_differences() {
    let dir = tempfile::tempdir().unwrap();
    let folder = folder(dir.path());
    let (mut a, mut b) = (device(dir.path(), "a"), device(dir.path(), "b"));
    let id = add(&mut a, "Contoso", "JBSWY3DPEHPK3PXP");
    let other = add(&mut a, "Fabrikam", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    // B restored a backup of A: the same accounts, same ids; one note differs.
    b.vault.insert_all(a.vault.backup_entries()).unwrap();
    note(&mut b, other, "changed before syncing");
    join(&mut a, &folder, "a");
    let report = join(&mut b, &folder, "b");
    assert_eq!(report.added, 0, "{report:?}");
    assert_eq!(report.sent, 1, "only the account that differs: {report:?}");
    sync_now(&mut a, &folder);
    assert_eq!(accounts(&a), accounts(&b));
    let notes: Vec<String> = accounts(&a).into_iter().map(|x| x.2).collect();
    assert_eq!(
        accounts(&a).len(),
        3,
        "both notes of the differing account: {notes:?}"
    );
    assert!(notes.contains(&"changed before syncing".to_owned()));
    assert!(accounts(&a).iter().any(|x| x.0 == id));
}

#[test]
fn wrong_and_weak_passwords_are_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let folder = folder(dir.path());
    let (mut a, mut b) = (device(dir.path(), "a"), device(dir.path(), "b"));
    let weak = sync::prepare_join(&folder, b"short", KdfParams::MINIMUM);
    assert_eq!(weak.unwrap_err(), SyncError::WeakPassword);
    join(&mut a, &folder, "a");
    let wrong = sync::prepare_join(&folder, b"not the one!", KdfParams::MINIMUM);
    let error = wrong.unwrap_err();
    assert_eq!(error, SyncError::WrongPassword(folder.clone()));
    assert!(error.advice().contains("first device"));
    let key = sync::prepare_join(&folder, SYNC, KdfParams::MINIMUM).unwrap();
    assert!(!key.new, "the folder's key");
    assert!(matches!(
        sync::join(&mut a.vault, &folder, "a", &key, NOW),
        Err(SyncError::AlreadySetUp(_))
    ));
    assert_eq!(
        sync::sync(&mut b.vault, &folder, None, NOW).unwrap_err(),
        SyncError::NotSetUp
    );
    let missing = sync::sync(&mut a.vault, &dir.path().join("gone"), None, NOW).unwrap_err();
    assert!(matches!(missing, SyncError::Folder { .. }), "{missing:?}");
}

#[test]
fn a_crash_after_saving_the_vault_but_not_the_state_sends_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let folder = folder(dir.path());
    let (mut a, mut b) = (device(dir.path(), "a"), device(dir.path(), "b"));
    join(&mut a, &folder, "a");
    join(&mut b, &folder, "b");
    let id = add(&mut a, "Contoso", "JBSWY3DPEHPK3PXP");
    note(&mut a, id, "x");
    sync_now(&mut a, &folder);
    // B's state as it was before the sync that applies A's account...
    let state = b.vault.sidecar_path("sync-state");
    let before = std::fs::read(&state).unwrap();
    assert_eq!(sync_now(&mut b, &folder).added, 1);
    // ...put back, as if B had crashed after saving its vault.
    std::fs::write(&state, before).unwrap();
    let report = sync_now(&mut b, &folder);
    assert_eq!((report.sent, report.added), (0, 0), "{report:?}");
    assert_eq!(accounts(&a), accounts(&b));
}

#[test]
fn removing_a_device_rekeys_and_its_files_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let folder = folder(dir.path());
    let mut a = device(dir.path(), "a");
    let mut b = device(dir.path(), "b");
    let mut c = device(dir.path(), "c");
    join(&mut a, &folder, "laptop");
    let id = add(&mut a, "Contoso", "JBSWY3DPEHPK3PXP");
    sync_now(&mut a, &folder);
    join(&mut b, &folder, "phone");
    join(&mut c, &folder, "old phone");
    let only_c = add(&mut c, "Northwind", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    sync_now(&mut c, &folder);
    sync_now(&mut a, &folder);
    let rekey = sync::new_key(b"new sync password", KdfParams::MINIMUM).unwrap();
    let removed = sync::remove_device(&mut a.vault, &folder, "old phone", &rekey, NOW).unwrap();
    assert_eq!((removed.name.as_str(), removed.accounts), ("old phone", 2));
    // B, still under the old key, is told; with the new password it follows.
    let report = sync_now(&mut b, &folder);
    assert!(
        report
            .problems
            .iter()
            .any(|(_, e)| *e == SyncFileError::OtherKey),
        "{report:?}"
    );
    let key = sync::prepare_join(&folder, b"new sync password", KdfParams::MINIMUM).unwrap();
    sync::sync(&mut b.vault, &folder, Some(&key), NOW).unwrap();
    assert!(
        seed(&b, only_c).is_some(),
        "what only the removed device changed stays"
    );
    // C's later changes are not merged by anyone.
    note(&mut c, id, "from the removed phone");
    sync_now(&mut c, &folder);
    sync_now(&mut b, &folder);
    assert!(accounts(&b).iter().all(|x| x.2 != "from the removed phone"));
    let status = sync::status(&b.vault, &folder).unwrap();
    let old = status
        .devices
        .iter()
        .find(|d| d.name == "old phone")
        .unwrap();
    assert!(old.removed, "{status:?}");
    assert!(status.devices[0].this);
    assert_eq!(
        sync::remove_device(&mut a.vault, &folder, "nobody", &rekey, NOW).unwrap_err(),
        SyncError::NoSuchDevice("nobody".into())
    );
}

#[test]
fn the_status_names_devices_and_files_not_merged() {
    let dir = tempfile::tempdir().unwrap();
    let folder = folder(dir.path());
    let (mut a, mut b) = (device(dir.path(), "a"), device(dir.path(), "b"));
    join(&mut a, &folder, "laptop");
    join(&mut b, &folder, "phone");
    add(&mut b, "Contoso", "JBSWY3DPEHPK3PXP");
    sync_now(&mut b, &folder);
    let junk = folder.join(format!("{}-0.tessera-sync", "ab".repeat(16)));
    std::fs::write(&junk, b"TESSERA\x00SYNC\n\x01\x00\xff").unwrap();
    let status = sync::status(&a.vault, &folder).unwrap();
    let names: Vec<&str> = status.devices.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["laptop", "phone"]);
    assert_eq!(status.devices[1].last_change, Some(NOW + 10));
    assert_eq!(status.problems.len(), 1, "{:?}", status.problems);
    assert_eq!(status.problems[0].0, junk);
    // A damaged file is skipped, never merged, and the rest still is.
    assert_eq!(sync_now(&mut a, &folder).added, 1);
}

#[test]
fn the_sync_state_survives_a_password_change_and_holds_no_plain_secret() {
    let dir = tempfile::tempdir().unwrap();
    let folder = folder(dir.path());
    let (mut a, mut b) = (device(dir.path(), "a"), device(dir.path(), "b"));
    join(&mut a, &folder, "a");
    add(&mut a, "Contoso", "JBSWY3DPEHPK3PXP");
    sync_now(&mut a, &folder);
    let state = std::fs::read(a.vault.sidecar_path("sync-state")).unwrap();
    assert!(!state.windows(8).any(|w| w == b"JBSWY3DP"), "sealed");
    a.vault
        .change_password(b"another password", KdfParams::MINIMUM, None)
        .unwrap();
    let mut again = Vault::unlock(&a.path, b"another password").unwrap().0;
    let report = sync::sync(&mut again, &folder, None, NOW).unwrap();
    assert_eq!(
        report.sent, 0,
        "the state opened under the new key: {report:?}"
    );
    join(&mut b, &folder, "b");
    assert_eq!(accounts(&b).len(), 1);
}

#[test]
fn hotp_counters_take_the_furthest_so_no_code_is_offered_twice() {
    let dir = tempfile::tempdir().unwrap();
    let folder = folder(dir.path());
    let (mut a, mut b) = (device(dir.path(), "a"), device(dir.path(), "b"));
    join(&mut a, &folder, "a");
    let uri = "otpauth://hotp/Lab:root?secret=JBSWY3DPEHPK3PXP&counter=5";
    let id = a.vault.add(parse_otpauth(uri).unwrap(), NOW).unwrap();
    sync_now(&mut a, &folder);
    join(&mut b, &folder, "b");
    for _ in 0..3 {
        b.vault.advance_counter(id, NOW).unwrap();
    }
    a.vault.advance_counter(id, NOW).unwrap();
    sync_now(&mut a, &folder);
    sync_now(&mut b, &folder);
    sync_now(&mut a, &folder);
    let counter = |d: &Device| match d.vault.get(id).unwrap().otp.kind() {
        tessera_core::otp::OtpKind::Hotp { counter } => counter,
        other => panic!("{other:?}"),
    };
    assert_eq!((counter(&a), counter(&b)), (8, 8));
    assert_eq!(accounts(&a).len(), 1, "a counter is no conflict");
}

#[test]
fn an_engines_conflict_copy_of_an_older_file_changes_nothing_and_too_many_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let folder = folder(dir.path());
    let (mut a, mut b) = (device(dir.path(), "a"), device(dir.path(), "b"));
    join(&mut a, &folder, "a");
    let id = add(&mut a, "Contoso", "JBSWY3DPEHPK3PXP");
    note(&mut a, id, "first");
    sync_now(&mut a, &folder);
    // Syncthing keeps the older version of A's file as a conflict copy...
    let own: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for path in &own {
        let name = path.file_name().unwrap().to_str().unwrap();
        let stem = name.strip_suffix(".tessera-sync").unwrap();
        let copy = format!("{stem}.sync-conflict-20261203-101500-ABCDEFG.tessera-sync");
        std::fs::copy(path, folder.join(copy)).unwrap();
    }
    // ...A changes the note again, and B reads both: the newer wins, the copy adds nothing.
    note(&mut a, id, "second");
    sync_now(&mut a, &folder);
    let report = join(&mut b, &folder, "b");
    assert!(report.problems.is_empty(), "{report:?}");
    assert_eq!(accounts(&b)[0].2, "second");
    assert_eq!(accounts(&b).len(), 1, "no copy, no conflict");
    // A folder flooded with files that look like device files is read up to a limit.
    for n in 0..sync::MAX_FILES + 10 {
        std::fs::write(folder.join(format!("{:032x}-0.tessera-sync", n + 1)), b"x").unwrap();
    }
    let status = sync::status(&b.vault, &folder).unwrap();
    assert!(
        status
            .problems
            .iter()
            .any(|(_, e)| *e == SyncFileError::TooMany(sync::MAX_FILES))
    );
    assert!(status.problems.len() <= sync::MAX_FILES + 1);
}

#[test]
fn a_devices_files_deleted_or_cut_in_the_folder_are_written_again() {
    let dir = tempfile::tempdir().unwrap();
    let folder = folder(dir.path());
    let (mut a, mut b) = (device(dir.path(), "a"), device(dir.path(), "b"));
    join(&mut a, &folder, "a");
    add(&mut a, "Contoso", "JBSWY3DPEHPK3PXP");
    add(&mut a, "Fabrikam", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    sync_now(&mut a, &folder);
    let files = || -> Vec<PathBuf> {
        let mut all: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        all.sort();
        all
    };
    let written = files();
    // Someone empties the folder but for one file, and cuts that one short.
    for path in &written[1..] {
        std::fs::remove_file(path).unwrap();
    }
    let bytes = std::fs::read(&written[0]).unwrap();
    std::fs::write(&written[0], &bytes[..bytes.len() / 2]).unwrap();
    // A's next sync, with nothing changed, puts every file back whole.
    let report = sync_now(&mut a, &folder);
    assert_eq!(report.sent, 0);
    assert!(
        report.problems.is_empty(),
        "its own cut file is rewritten: {report:?}"
    );
    assert_eq!(files(), written);
    join(&mut b, &folder, "b");
    assert_eq!(accounts(&b).len(), 2);
}
