//! Sync in the app state, two "devices" (two app states on two vaults) sharing one folder:
//! joining as a job (the first device starts the sync, the second joins with its password),
//! syncing by itself after a change and on the minute, the status, a conflict said once,
//! removing a device and following the new password, leaving.

#[path = "support/app.rs"]
mod support;

use std::path::Path;

use tessera::app::sync::SYNC_EVERY_SECS;
use tessera::app::{AppError, AppState, NewMeta, Progress};
use tessera_core::otp::AccountId;
use tessera_core::vault::Edit;
use tessera_core::vault::KdfParams;

const SYNC: &str = "our sync password";

fn join(state: &mut AppState, folder: &Path, name: &str, password: &str) -> Result<(), AppError> {
    let dir = folder.to_str().unwrap();
    let job = state.sync_join_job(dir, password.to_owned().into())?;
    state.set_join_folder(dir);
    let key = job.run_with(KdfParams::MINIMUM, &Progress::default())?;
    state.finish_sync_join(name, key).map(|_| ())
}

fn add(state: &mut AppState, issuer: &str) -> AccountId {
    let uri = format!("otpauth://totp/{issuer}:admin?secret=JBSWY3DPEHPK3PXP&issuer={issuer}");
    state.add_text(&uri, &NewMeta::default()).unwrap();
    state
        .rows("", 0)
        .into_iter()
        .find(|r| r.title == issuer)
        .unwrap()
        .id
}

fn notes(state: &AppState) -> Vec<(String, String)> {
    let mut all: Vec<_> = state
        .rows("", 0)
        .into_iter()
        .map(|r| (r.title, r.note_line))
        .collect();
    all.sort();
    all
}

fn note(state: &mut AppState, id: AccountId, text: &str) {
    let edit = Edit {
        note: Some(text.into()),
        ..Edit::default()
    };
    state.edit(id, edit).unwrap();
}

#[test]
fn two_devices_join_and_stay_in_step_by_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Syncthing");
    std::fs::create_dir(&folder).unwrap();
    let mut laptop = support::unlocked_at(&dir.path().join("laptop.vault"));
    let mut phone = support::unlocked_at(&dir.path().join("phone.vault"));
    assert!(laptop.sync_status().is_none(), "no sync before joining");
    let short = laptop.sync_join_job(folder.to_str().unwrap(), "short".to_owned().into());
    let weak = short
        .unwrap()
        .run_with(KdfParams::MINIMUM, &Progress::default());
    assert!(weak.unwrap_err().message().contains("at least 8"));
    join(&mut laptop, &folder, "laptop", SYNC).unwrap();
    let id = add(&mut laptop, "Contoso");
    // The change makes a sync due; the clock runs it.
    let now = tessera_core::otp::unix_now();
    assert!(laptop.sync_due(now));
    assert_eq!(laptop.sync_if_due(now), None, "nothing came back");
    assert!(!laptop.sync_due(now));
    let wrong = join(&mut phone, &folder, "phone", "not the sync password").unwrap_err();
    assert!(wrong.advice().contains("first device"), "{wrong}");
    join(&mut phone, &folder, "phone", SYNC).unwrap();
    assert_eq!(notes(&phone), [("Contoso".to_owned(), String::new())]);
    note(&mut phone, id, "tech 2's phone");
    assert!(phone.sync_if_due(now).is_none());
    // The laptop looks by itself a minute later.
    assert!(!laptop.sync_due(now + 1));
    let news = laptop.sync_if_due(now + SYNC_EVERY_SECS).unwrap();
    assert_eq!(news, "From your other devices: 1 changed.");
    assert_eq!(notes(&laptop), notes(&phone));
    let status = laptop.sync_status().unwrap().unwrap();
    let names: Vec<&str> = status.devices.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["laptop", "phone"]);
    // Trash on the laptop reaches the phone's trash.
    laptop.trash(id).unwrap();
    laptop.sync_now().unwrap();
    let news = phone.sync_now().unwrap().unwrap();
    assert_eq!(news.trashed, 1);
    assert_eq!(phone.trash_list().len(), 1);
    // The sync survives a lock.
    support::relock(&mut phone);
    assert!(phone.sync_folder().is_some());
}

#[test]
fn a_conflict_is_said_and_removing_a_device_rekeys() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Sync");
    std::fs::create_dir(&folder).unwrap();
    let mut a = support::unlocked_at(&dir.path().join("a.vault"));
    let mut b = support::unlocked_at(&dir.path().join("b.vault"));
    let mut c = support::unlocked_at(&dir.path().join("c.vault"));
    join(&mut a, &folder, "laptop", SYNC).unwrap();
    let id = add(&mut a, "Contoso");
    a.sync_now().unwrap();
    join(&mut b, &folder, "phone", SYNC).unwrap();
    join(&mut c, &folder, "old phone", SYNC).unwrap();
    note(&mut a, id, "from A");
    note(&mut b, id, "from B");
    a.sync_now().unwrap();
    b.sync_now().unwrap();
    let later = tessera_core::otp::unix_now() + SYNC_EVERY_SECS;
    let news = a.sync_if_due(later).unwrap();
    assert!(news.contains("1 conflict copies"), "{news}");
    assert_eq!(a.sync_status().unwrap().unwrap().conflicts, 1);
    // Remove the old phone: a new sync password, typed twice.
    let differ = a.sync_rekey_job("new sync password".to_owned().into(), "other");
    assert!(differ.unwrap_err().message().contains("differ"));
    let key = a
        .sync_rekey_job("new sync password".to_owned().into(), "new sync password")
        .unwrap()
        .run_with(KdfParams::MINIMUM, &Progress::default())
        .unwrap();
    let said = a.finish_remove_device("old phone", key).unwrap();
    assert!(said.contains("enrol those accounts again"), "{said}");
    // B follows with the new password.
    let key = b
        .sync_follow_job("new sync password".to_owned().into())
        .unwrap()
        .run_with(KdfParams::MINIMUM, &Progress::default())
        .unwrap();
    b.finish_sync_rekeyed(key).unwrap();
    let status = b.sync_status().unwrap().unwrap();
    assert!(
        status
            .devices
            .iter()
            .any(|d| d.name == "old phone" && d.removed),
        "{status:?}"
    );
    // Leaving keeps the accounts.
    let before = notes(&b);
    b.leave_sync().unwrap();
    assert!(b.sync_folder().is_none());
    assert_eq!(notes(&b), before);
}
