//! The app state's jobs and clock on a real temporary vault, as the window runs them: prepared
//! on the state, run on another thread, finished on the state.

#[path = "support/app.rs"]
mod support;
use support::{PASSWORD, unlocked};

use tessera::app::{AddOutcome, AppState, NewMeta, Phase, Progress};
use tessera_core::otp::unix_now;
use tessera_core::vault::{KdfParams, Vault};

fn add(state: &mut AppState, uri: &str) -> tessera_core::otp::AccountId {
    match state.add_text(uri, &NewMeta::default()).unwrap() {
        AddOutcome::Added { ids, .. } => ids[0],
        other => panic!("not added: {other:?}"),
    }
}

/// The state can move to another thread (a job may hand it back, and nothing in it is tied to
/// the UI thread).
#[test]
fn the_state_can_cross_threads() {
    fn send<T: Send>() {}
    send::<AppState>();
}

/// A device whose clock runs ahead (a negative correction): the list and the clipboard show the
/// same code. Before, the list took `max(corrected, uncorrected)` and so ignored a negative
/// correction, while copying used it.
#[test]
fn the_list_and_the_clipboard_use_one_corrected_clock() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    let id = add(
        &mut state,
        "otpauth://totp/Contoso:admin?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Contoso",
    );
    for correction in [-600, 600, 0] {
        state.settings.clock_offset_secs = correction;
        // Read both within one period (retry if a period ended in between).
        let (shown, copied) = loop {
            let before = unix_now();
            let shown = state.rows("", unix_now())[0].code.clone();
            let copied = state.code_to_copy(id).unwrap();
            if unix_now() / 30 == before / 30 {
                break (shown, copied);
            }
        };
        assert_eq!(
            shown.replace(' ', ""),
            copied.as_str(),
            "correction {correction} s"
        );
        let expected = state
            .account(id)
            .unwrap()
            .otp
            .codes_at(unix_now().saturating_add_signed(correction))
            .current
            .as_str()
            .to_owned();
        if unix_now() % 30 < 29 {
            assert_eq!(
                copied.as_str(),
                expected,
                "correction {correction} s applied"
            );
        }
    }
}

/// Changing the password: while the slow part runs on another thread the vault stays open in the
/// state (before, the window took it out, the app showed the unlock screen, and its keystore
/// retry could open a second session); then the change applies at once.
#[test]
fn the_vault_stays_open_while_the_password_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    let id = add(
        &mut state,
        "otpauth://totp/GitHub:anna?secret=JBSWY3DPEHPK3PXP",
    );
    let job = state
        .password_job(
            PASSWORD.to_owned().into(),
            "a brand new passphrase".to_owned().into(),
            "a brand new passphrase",
        )
        .unwrap();
    let progress = Progress::default();
    let watched = progress.clone();
    let worker = std::thread::spawn(move || job.run_with(KdfParams::MINIMUM, &watched));
    // Meanwhile the app is unlocked and usable: codes, edits.
    assert_eq!(state.phase(), Phase::Unlocked);
    assert!(state.code_to_copy(id).is_some());
    state.mark_used(id).unwrap();
    let prepared = worker.join().unwrap().unwrap();
    assert_eq!(progress.read().0, 0.9, "the job reported its progress");
    assert_eq!(state.phase(), Phase::Unlocked);
    state.finish_password(prepared).unwrap();
    assert_eq!(state.phase(), Phase::Unlocked);
    let path = state.vault_path().to_owned();
    assert!(
        Vault::unlock(&path, PASSWORD.as_bytes()).is_err(),
        "the old password opens nothing"
    );
    let (reopened, _) = Vault::unlock(&path, b"a brand new passphrase").unwrap();
    assert!(
        reopened.get(id).unwrap().last_used.is_some(),
        "the edit made meanwhile is kept"
    );
}

/// A password change with the wrong current password changes nothing; one prepared before
/// another program re-keyed the vault is refused and locks, writing nothing over.
#[test]
fn a_password_change_is_refused_without_the_password_or_after_a_rekey() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    let wrong = state
        .password_job(
            "not it".to_owned().into(),
            "another passphrase".to_owned().into(),
            "another passphrase",
        )
        .unwrap()
        .run_with(KdfParams::MINIMUM, &Progress::default())
        .unwrap_err();
    assert!(
        wrong.message().contains("not the vault password"),
        "{wrong}"
    );
    let mismatch = state
        .password_job(
            PASSWORD.to_owned().into(),
            "another passphrase".to_owned().into(),
            "typo",
        )
        .unwrap_err();
    assert!(mismatch.message().contains("differ"), "{mismatch}");

    let prepared = state
        .password_job(
            PASSWORD.to_owned().into(),
            "another passphrase".to_owned().into(),
            "another passphrase",
        )
        .unwrap()
        .run_with(KdfParams::MINIMUM, &Progress::default())
        .unwrap();
    // Another program changes the password meanwhile.
    let path = state.vault_path().to_owned();
    let (mut other, _) = Vault::unlock(&path, PASSWORD.as_bytes()).unwrap();
    other
        .change_password(b"the other program's", KdfParams::MINIMUM, None)
        .unwrap();
    drop(other);
    let before = std::fs::read(&path).unwrap();
    let refused = state.finish_password(prepared).unwrap_err();
    assert!(refused.message().contains("password or keys"), "{refused}");
    assert_eq!(state.phase(), Phase::Locked);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "nothing written over"
    );
}

/// Two unlocks finishing (the keystore's at start and the user's password): one session stays.
#[test]
fn a_second_unlock_does_not_replace_the_open_session() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    let id = add(
        &mut state,
        "otpauth://totp/GitHub:anna?secret=JBSWY3DPEHPK3PXP",
    );
    let second = state
        .unlock_job(PASSWORD.to_owned().into())
        .run(&Progress::default())
        .unwrap();
    state.trash(id).unwrap();
    state.accept(second);
    assert!(
        state.undo.is_some(),
        "the open session (with its Undo) stayed"
    );
    assert_eq!(state.trash_list().len(), 1);
}

/// A Google export scanned QR code by QR code, the same code twice and another export's code in
/// between: each export is counted on its own, and a code read twice adds nothing.
#[test]
fn google_exports_are_tracked_code_by_code_in_the_state() {
    use tessera_core::otp::{BatchInfo, Enrolment, Otp, OtpKind, Secret, encode_migration};
    let dir = tempfile::tempdir().unwrap();
    let mut state = unlocked(dir.path());
    let link = |id: i32, index: u32, size: u32, name: &str| {
        let enrolment = Enrolment {
            issuer: "Contoso".into(),
            name: name.into(),
            tenant: String::new(),
            otp: Otp::new(
                OtpKind::Totp { period: 30 },
                Default::default(),
                6,
                Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
            )
            .unwrap(),
        };
        encode_migration(&[&enrolment], BatchInfo { index, size, id })
            .unwrap()
            .to_string()
    };
    let mut scan = |text: String| match state.add_text(&text, &NewMeta::default()).unwrap() {
        AddOutcome::Added { ids, batch, .. } => (ids.len(), batch.unwrap()),
        other => panic!("{other:?}"),
    };
    let (n, batch) = scan(link(7, 0, 2, "a"));
    assert_eq!((n, batch.seen.len(), batch.size), (1, 1, 2));
    let (n, batch) = scan(link(9, 0, 3, "b"));
    assert_eq!((n, batch.id, batch.seen.len()), (1, 9, 1));
    let (n, batch) = scan(link(7, 0, 2, "a"));
    assert_eq!(
        (n, batch.seen.len()),
        (0, 1),
        "the same QR code twice adds nothing"
    );
    let (n, batch) = scan(link(7, 1, 2, "c"));
    assert_eq!((n, batch.is_complete()), (1, true));
    let open = state.batch_in_progress().unwrap();
    assert_eq!((open.id, open.missing()), (9, vec![1, 2]));
}

/// A vault another program created while the first-run screen was open: creating here fails
/// (nothing is overwritten), and the app then shows the unlock screen for that vault.
#[test]
fn a_vault_created_elsewhere_meanwhile_is_unlocked_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.vault");
    let mut state = AppState::with_keystore(path.clone(), None);
    assert_eq!(state.phase(), Phase::Setup);
    Vault::create(&path, b"the other program's", KdfParams::MINIMUM).unwrap();
    let job = state
        .create_job(PASSWORD.to_owned().into(), PASSWORD, false)
        .unwrap();
    assert!(
        job.run_with(KdfParams::MINIMUM, &Progress::default())
            .is_err()
    );
    assert_eq!(state.phase(), Phase::Setup);
    state.recheck_vault_file();
    assert_eq!(state.phase(), Phase::Locked);
    assert!(Vault::unlock(&path, b"the other program's").is_ok());
}
