//! What the app-state tests share (included with `#[path]`): a fresh vault, created with the
//! lowest key-derivation cost and unlocked, that never touches the machine's keyring.

use std::path::Path;

use tessera::app::{AppState, Phase, Progress};
use tessera_core::vault::KdfParams;

/// The vault password of every test vault.
pub const PASSWORD: &str = "correct horse battery";

/// A new vault `app.vault` in `dir`, unlocked.
#[allow(dead_code)] // app_handover.rs names its vaults itself
pub fn unlocked(dir: &Path) -> AppState {
    unlocked_at(&dir.join("app.vault"))
}

/// A new vault at `path`, unlocked.
pub fn unlocked_at(path: &Path) -> AppState {
    // No keystore: these tests must not touch the machine's keyring.
    let mut state = AppState::with_keystore(path.to_owned(), None);
    assert_eq!(state.phase(), Phase::Setup);
    let vault = state
        .create_job(PASSWORD.to_owned().into(), PASSWORD, false)
        .unwrap()
        .run_with(KdfParams::MINIMUM, &Progress::default())
        .unwrap();
    // The file is written, the vault not yet handed over: still the first-run screen (the
    // unlock screen here would drop the create job before it hands the vault over).
    assert!(path.exists());
    assert_eq!(state.phase(), Phase::Setup);
    state.accept(vault);
    assert_eq!(state.phase(), Phase::Unlocked);
    state
}

/// Locks `state` and unlocks it again with [`PASSWORD`] (what the vault kept, read back).
#[allow(dead_code)] // not every app test locks
pub fn relock(state: &mut AppState) {
    state.lock();
    let vault = state
        .unlock_job(PASSWORD.to_owned().into())
        .run(&Progress::default())
        .unwrap();
    state.accept(vault);
}
