//! The app's state and actions, apart from any view. [`AppState`] owns the unlocked vault and
//! does everything a screen can ask; the views hold it in a Dioxus signal and call its methods,
//! never the core directly.
//!
//! Slow work (key derivations, backups, imports, exports, a password change) runs as a job in
//! three steps ([`jobs`]): prepared here on the UI thread (checks, inputs gathered into a plain
//! value), run on another thread without the state, finished here again. The vault never leaves
//! the state meanwhile, so the app stays unlocked and usable while a job runs.
//!
//! - [`list`]: the list's rows, filters and codes (one corrected clock for showing and copying);
//! - [`add`]: adding from a text, a QR code, an image or the typed form, with duplicates and a
//!   Google export's batch;
//! - [`accounts`]: edits, trash, HOTP, showing a secret; [`clock`]: the clock check;
//! - [`unlock`]: first run, unlock, the password change, keystore unlock; [`trust`]:
//!   re-authentication, weaker lock settings, merges from another program;
//! - [`transfer`] and [`export`]: backups, restore and import, automatic backups, exports;
//!   [`handover`]: phone to phone by animated QR codes; [`sync`]: your devices in step through
//!   a synced folder;
//! - [`settings`], [`rows`], [`error`].

pub mod accounts;
pub mod add;
pub mod away;
pub mod biometric;
pub mod clock;
pub mod error;
pub mod export;
pub mod handover;
pub mod icons;
pub mod jobs;
pub mod list;
pub mod progress;
pub mod rows;
pub mod settings;
pub mod sort;
pub mod sync;
pub mod transfer;
pub mod trust;
pub mod unlock;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tessera_core::otp::unix_now;
use tessera_core::vault::Vault;

pub use add::{AddOutcome, BatchProgress, Draft, Duplicate, NewMeta, PinRequest};
pub use clock::ClockCheck;
pub use error::AppError;
pub use export::{ExportFormat, ExportJob};
pub use handover::{Incoming, OpenJob, SendJob, Sending};
pub use jobs::{BackupJob, Saved, Target};
pub use list::Filter;
pub use progress::Progress;
pub use transfer::{ImportJob, Preview, RewriteJob, Source, check_size};
pub use unlock::{PasswordJob, UnlockJob};

pub use crate::platform::keystore::{SharedBiometric, SharedKeystore};

/// Where the app is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// No vault yet: the first-run screen.
    Setup,
    /// A vault exists and is locked.
    Locked,
    /// Unlocked.
    Unlocked,
}

/// The app's state: the vault when unlocked, the settings, and what the screens share.
pub struct AppState {
    vault_path: PathBuf,
    vault: Option<Vault>,
    keystore: Option<SharedKeystore>,
    /// Biometric unlock: the phone's store and what it offered when last asked.
    biometric: biometric::BiometricState,
    /// The settings.
    pub settings: settings::Settings,
    /// The last account moved to the trash, for Undo.
    pub undo: Option<tessera_core::otp::AccountId>,
    /// When something last happened (for auto-lock).
    pub last_activity: u64,
    /// What the list derives from the whole vault, kept until the vault changes.
    derived: Mutex<Option<list::Derived>>,
    /// Whether the unlock screen may still try the keystore by itself: once, at app start.
    /// After a lock only the user's explicit action does.
    keystore_on_start: bool,
    /// See [`AppState::take_notice`].
    notice: Option<String>,
    /// The Google export being scanned, QR code by QR code.
    batch: BatchProgress,
    /// Since when the app has been in the background ([`AppState::went_to_background`]).
    hidden_since: Option<u64>,
    /// A vault file was there at start or has been opened since: only then is "locked" the
    /// phase. A file that appears while the vault is being created (the create job writes it
    /// before it hands the vault over) must not turn the first-run screen into the unlock
    /// screen, which would drop the job and its result.
    file_known: bool,
    /// Sync through a folder ([`sync`]).
    sync: sync::SyncRuntime,
    /// The folder a sync join job is for.
    join_folder: Option<PathBuf>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AppState({:?}, {:?})", self.vault_path, self.phase())
    }
}

impl AppState {
    /// The state for the vault at `vault_path` (which may not exist yet), with this platform's
    /// keystore ([`crate::platform::keystore::system`]).
    pub fn new(vault_path: PathBuf) -> AppState {
        AppState::with_stores(
            vault_path,
            crate::platform::keystore::system(),
            crate::platform::keystore::biometric(),
        )
    }

    /// Like [`AppState::new`] with a keystore of the caller's choosing (`None`: no keystore
    /// unlock on this device) and no biometric unlock.
    pub fn with_keystore(vault_path: PathBuf, keystore: Option<SharedKeystore>) -> AppState {
        AppState::with_stores(vault_path, keystore, None)
    }

    /// Like [`AppState::new`] with a keystore and a biometric store of the caller's choosing
    /// (tests use in-memory ones).
    pub fn with_stores(
        vault_path: PathBuf,
        keystore: Option<SharedKeystore>,
        biometric: Option<SharedBiometric>,
    ) -> AppState {
        AppState {
            biometric: biometric::BiometricState::new(biometric),
            settings: settings::Settings::load(&vault_path),
            vault_path,
            vault: None,
            keystore,
            undo: None,
            last_activity: unix_now(),
            derived: Mutex::new(None),
            keystore_on_start: true,
            hidden_since: None,
            notice: None,
            batch: BatchProgress::default(),
            file_known: false,
            sync: sync::SyncRuntime::default(),
            join_folder: None,
        }
        .with_file_checked()
    }

    fn with_file_checked(mut self) -> AppState {
        self.recheck_vault_file();
        self.biometric.read_file(&self.vault_path);
        self
    }

    /// Looks again whether the vault file exists (the first-run screen, when creating failed
    /// because another program created the vault meanwhile).
    pub fn recheck_vault_file(&mut self) {
        self.file_known = self.vault_path.exists();
    }

    /// The vault file.
    pub fn vault_path(&self) -> &Path {
        &self.vault_path
    }

    /// Setup, locked or unlocked.
    pub fn phase(&self) -> Phase {
        if self.vault.is_some() {
            Phase::Unlocked
        } else if self.file_known && self.vault_path.exists() {
            Phase::Locked
        } else {
            Phase::Setup
        }
    }

    /// The unlocked vault, to read.
    pub fn vault(&self) -> Option<&Vault> {
        self.vault.as_ref()
    }

    /// Whether this device offers keystore unlock.
    pub fn has_keystore(&self) -> bool {
        self.keystore.is_some()
    }

    /// The unlocked vault, or the error to show when it is locked.
    fn unlocked(&self) -> Result<&Vault, AppError> {
        self.vault.as_ref().ok_or(AppError::Locked)
    }

    /// The vault, to change it: what the list derives from it is dropped.
    fn vault_mut(&mut self) -> Result<&mut Vault, AppError> {
        self.forget_derived();
        self.vault.as_mut().ok_or(AppError::Locked)
    }

    fn forget_derived(&mut self) {
        *self.derived.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Takes an opened vault (what an [`UnlockJob`] made). When a vault is open already (two
    /// unlocks finished, say the keystore's and the password's), the open one stays and the
    /// new one is dropped: one session, one set of unsaved changes.
    pub fn accept(&mut self, vault: Vault) {
        if self.vault.is_some() {
            return;
        }
        self.forget_derived();
        self.vault = Some(vault);
        self.file_known = true;
        self.undo = None;
        self.touch();
        self.after_unlock_biometric();
        let folder = self
            .vault
            .as_ref()
            .and_then(|v| tessera_core::transfer::sync::folder_of(v).ok().flatten());
        self.sync.unlocked(folder);
    }

    /// Locks: drops the vault and every decrypted secret with it. From now on the keystore
    /// opens the vault only when the user asks.
    pub fn lock(&mut self) {
        self.forget_derived();
        let had_biometric = self.vault.as_ref().is_some_and(Vault::has_biometric_slot);
        if self.vault.is_some() {
            self.biometric.after_lock(had_biometric);
        }
        self.vault = None;
        self.undo = None;
        self.keystore_on_start = false;
        self.batch = BatchProgress::default();
        self.sync.unlocked(None);
    }

    /// Records activity (resets the auto-lock timer).
    pub fn touch(&mut self) {
        self.last_activity = unix_now();
    }

    /// Locks if the auto-lock time has passed; true when it did.
    pub fn lock_if_idle(&mut self, now: u64) -> bool {
        let idle = self.is_idle(now);
        if idle {
            self.lock();
        }
        idle
    }

    /// Whether the vault is unlocked and the auto-lock time has passed.
    pub fn is_idle(&self, now: u64) -> bool {
        let limit = self.settings.auto_lock_secs;
        self.vault.is_some() && limit > 0 && now.saturating_sub(self.last_activity) >= limit
    }

    /// After every change: the automatic backup, if on.
    fn changed(&mut self) {
        self.touch();
        self.sync.changed();
        if let Some(vault) = &self.vault {
            let _ = tessera_core::transfer::autobackup::after_change(vault, unix_now());
        }
    }
}
