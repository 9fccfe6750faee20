//! Biometric unlock in the app state, with the in-memory biometric store that seals like the
//! Android side and answers prompts as scripted: offered after the first password unlock, the
//! unlock screen's prompt, cancellation, a phone key that stopped working (password, dead slot
//! removed, offered again), a password change, and re-authentication by the biometric.

#[path = "support/app.rs"]
mod support;
use support::PASSWORD;

use std::path::Path;
use std::sync::Arc;

use tessera::app::biometric::BiometricOffer;
use tessera::app::{AppState, Phase, Progress};
use tessera_core::vault::{
    BiometricError, BiometricStore, KdfParams, MemoryBiometric, PromptAnswer, Vault,
};

fn state_with(path: &Path, phone: &Arc<MemoryBiometric>) -> AppState {
    let store: Arc<dyn BiometricStore + Send + Sync> = phone.clone();
    AppState::with_stores(path.to_owned(), None, Some(store))
}

/// A new vault at `path` with biometric-capable `phone`, unlocked by its password.
fn created(path: &Path, phone: &Arc<MemoryBiometric>) -> AppState {
    let mut state = state_with(path, phone);
    assert_eq!(
        state.biometric_offer(),
        None,
        "nothing is offered before a vault exists"
    );
    let vault = state
        .create_job(PASSWORD.to_owned().into(), PASSWORD, false)
        .unwrap()
        .run_with(KdfParams::MINIMUM, &Progress::default())
        .unwrap();
    state.accept(vault);
    state
}

fn password_unlock(state: &mut AppState) {
    let vault = state
        .unlock_job(PASSWORD.to_owned().into())
        .run(&Progress::default())
        .unwrap();
    state.accept(vault);
}

/// The unlock screen's fingerprint button, run as the window runs its job.
fn biometric_unlock(state: &AppState) -> Result<Vault, tessera::app::AppError> {
    state
        .biometric_unlock_job()
        .unwrap()
        .run(&Progress::default())
}

fn turn_on(state: &mut AppState) {
    let slot = state
        .biometric_enable_job()
        .unwrap()
        .run(&Progress::default())
        .unwrap();
    state.finish_biometric(slot).unwrap();
}

#[test]
fn offered_after_the_first_password_unlock_and_not_again_after_not_now() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.vault");
    let phone = Arc::new(MemoryBiometric::default());
    let mut state = created(&path, &phone);
    assert_eq!(state.biometric_offer(), Some(BiometricOffer::First));
    assert_eq!(state.biometric_name(), Some("fingerprint"));
    assert!(!state.biometric_unlock_on());
    state.dismiss_biometric_offer().unwrap();
    assert_eq!(state.biometric_offer(), None);
    // Remembered across starts.
    let mut again = state_with(&path, &phone);
    password_unlock(&mut again);
    assert_eq!(again.biometric_offer(), None);
    assert_eq!(phone.prompts(), 0, "nothing asked the phone");
}

#[test]
fn turned_on_it_opens_the_vault_at_start_and_on_request_after_a_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.vault");
    let phone = Arc::new(MemoryBiometric::default());
    let mut state = created(&path, &phone);
    turn_on(&mut state);
    assert!(state.biometric_unlock_on());
    assert_eq!(state.biometric_offer(), None);
    assert_eq!(phone.prompts(), 1);
    assert!(Vault::file_has_biometric_slot(&path));

    // The app starts again: the unlock screen shows the prompt by itself, once.
    let mut started = state_with(&path, &phone);
    assert_eq!(started.phase(), Phase::Locked);
    assert!(started.biometric_unlock_offered());
    assert!(started.take_biometric_on_start());
    assert!(!started.take_biometric_on_start());
    let vault = biometric_unlock(&started).unwrap();
    started.accept(vault);
    assert_eq!(started.phase(), Phase::Unlocked);
    assert_eq!(phone.prompts(), 2);

    // After a lock: offered, but only on request.
    started.lock();
    assert!(started.biometric_unlock_offered());
    assert!(!started.take_biometric_on_start());
    assert!(started.biometric_unlock_job().is_some());

    // Off: the slot and the phone's key go; the password stays.
    password_unlock(&mut started);
    started.set_biometric_unlock_off().unwrap();
    assert!(!Vault::file_has_biometric_slot(&path));
    assert_eq!(phone.keys(), 0);
    started.lock();
    assert!(!started.biometric_unlock_offered());
    assert!(started.biometric_unlock_job().is_none());
}

#[test]
fn a_cancelled_prompt_leaves_the_vault_locked_and_says_the_password_works() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.vault");
    let phone = Arc::new(MemoryBiometric::default());
    let mut state = created(&path, &phone);
    turn_on(&mut state);
    state.lock();
    phone.answer(&[PromptAnswer::Cancel]);
    let error = biometric_unlock(&state).unwrap_err();
    let text = state.biometric_unlock_failed(&error);
    assert!(
        text.contains("cancelled") && text.contains("password"),
        "{text}"
    );
    assert_eq!(state.phase(), Phase::Locked);
    // Nothing was lost: the slot stays and opens on the next try.
    assert!(state.biometric_unlock_offered());
    password_unlock(&mut state);
    assert!(state.biometric_unlock_on());
    assert_eq!(state.biometric_offer(), None);
    // Cancelling the prompt that turns it on changes nothing either.
    state.set_biometric_unlock_off().unwrap();
    phone.answer(&[PromptAnswer::Cancel]);
    let job = state.biometric_enable_job().unwrap();
    assert!(job.run(&Progress::default()).is_err());
    assert!(!state.biometric_unlock_on());
    assert_eq!(phone.keys(), 0, "the half-made phone key is deleted");
}

#[test]
fn a_phone_key_that_stopped_working_asks_for_the_password_and_offers_to_enrol_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.vault");
    let phone = Arc::new(MemoryBiometric::default());
    let mut state = created(&path, &phone);
    turn_on(&mut state);
    state.lock();
    // A new fingerprint was added.
    phone.invalidate();
    let error = biometric_unlock(&state).unwrap_err();
    let text = state.biometric_unlock_failed(&error);
    assert!(text.contains("stopped working"), "{text}");
    assert!(
        text.contains("Unlock with your password: nothing is lost"),
        "{text}"
    );
    password_unlock(&mut state);
    // The dead slot is gone from the file; the banner offers to turn it on again.
    assert!(!Vault::file_has_biometric_slot(&path));
    assert!(!state.biometric_unlock_on());
    assert_eq!(state.biometric_offer(), Some(BiometricOffer::Again));
    assert_eq!(state.vault().unwrap().accounts().len(), 0);
    turn_on(&mut state);
    assert_eq!(state.biometric_offer(), None);
    state.lock();
    let vault = biometric_unlock(&state).unwrap();
    state.accept(vault);
    assert_eq!(state.phase(), Phase::Unlocked);
}

#[test]
fn a_password_change_drops_the_slot_and_its_phone_key_and_offers_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.vault");
    let phone = Arc::new(MemoryBiometric::default());
    let mut state = created(&path, &phone);
    turn_on(&mut state);
    assert_eq!(phone.keys(), 1);
    let prepared = state
        .password_job(
            PASSWORD.to_owned().into(),
            "a brand new passphrase".to_owned().into(),
            "a brand new passphrase",
        )
        .unwrap()
        .run_with(KdfParams::MINIMUM, &Progress::default())
        .unwrap();
    state.finish_password(prepared).unwrap();
    assert!(!state.biometric_unlock_on());
    assert_eq!(phone.keys(), 0, "the old phone key is deleted");
    assert_eq!(state.biometric_offer(), Some(BiometricOffer::Again));
}

#[test]
fn re_authentication_takes_the_fingerprint_for_an_empty_password_where_it_is_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.vault");
    let phone = Arc::new(MemoryBiometric::default());
    let mut state = created(&path, &phone);
    // Off: an empty password is just a wrong password.
    let check = state.reauth().unwrap();
    assert!(!check.by_biometric());
    assert!(AppState::verify(&check, "").is_err());
    turn_on(&mut state);
    let check = state.reauth().unwrap();
    assert!(check.by_biometric());
    let before = phone.prompts();
    AppState::verify(&check, "").unwrap();
    assert_eq!(phone.prompts(), before + 1);
    // The password still works, and asks the phone nothing.
    AppState::verify(&check, PASSWORD).unwrap();
    assert_eq!(phone.prompts(), before + 1);
    // A backup confirmed by the fingerprint; a cancelled prompt writes nothing.
    let backup = dir.path().join("backup.tessera");
    phone.answer(&[PromptAnswer::Cancel]);
    let refused = state
        .backup_job(
            backup.as_path(),
            String::new().into(),
            "backup password".to_owned().into(),
        )
        .unwrap()
        .run_with(KdfParams::MINIMUM, &Progress::default());
    assert!(refused.is_err());
    assert!(!backup.exists());
    state
        .backup_job(
            backup.as_path(),
            String::new().into(),
            "backup password".to_owned().into(),
        )
        .unwrap()
        .run_with(KdfParams::MINIMUM, &Progress::default())
        .unwrap();
    assert!(backup.exists());
}

#[test]
fn a_phone_without_an_enrolled_biometric_offers_nothing_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.vault");
    let phone = Arc::new(MemoryBiometric::default());
    phone.set_kind(Err(BiometricError::Unavailable(
        "no fingerprint or face is enrolled in the phone's settings".into(),
    )));
    let state = created(&path, &phone);
    assert_eq!(state.biometric_offer(), None);
    let why = state.biometric_available().unwrap().unwrap_err();
    assert!(why.contains("enrolled"), "{why}");
    let refused = state.biometric_enable_job().unwrap_err();
    assert!(
        refused.message().contains("enrolled"),
        "{}",
        refused.message()
    );
    // Desktop: no biometric store at all.
    let desktop = AppState::with_keystore(dir.path().join("other.vault"), None);
    assert_eq!(desktop.biometric_available(), None);
}
