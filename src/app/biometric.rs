//! Biometric unlock in the app: the phone's fingerprint or face opens the vault through the
//! vault's biometric slot (see [`tessera_core::vault::BiometricStore`]); the password slot always
//! stays.
//!
//! - It is offered after a password unlock, never before: a banner ([`BiometricOffer::First`])
//!   until the user turns it on or says "Not now", and Settings › Unlock at any time.
//! - The unlock screen shows the phone's prompt by itself once, when the app starts, and on the
//!   user's request after that (as the keystore does).
//! - When the phone's key stopped working (a new fingerprint or face, app data on another
//!   phone, a keystore bug), the unlock screen says so and asks for the password; after the
//!   password unlock the dead slot is removed and the banner offers to turn it on again
//!   ([`BiometricOffer::Again`]). Nothing is lost.
//! - Turning it on shows the phone's prompt (the key is sealed under a key that works only after
//!   the check), so it is a job ([`BiometricJob`]) made of a slow part off the UI thread and a
//!   fast save.

use tessera_core::vault::{
    BiometricError, BiometricKind, NewBiometricSlot, PasswordCheck, Vault, VaultError,
};

use super::progress::Progress;
use super::unlock::UnlockJob;
use super::{AppError, AppState, SharedBiometric};

/// What the banner after an unlock offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BiometricOffer {
    /// Biometric unlock was never turned on here.
    First,
    /// It stopped working and was removed; turn it on again.
    Again,
}

/// The app's biometric state: the phone's store and what the screens need to know while the
/// vault is locked.
pub(super) struct BiometricState {
    store: Option<SharedBiometric>,
    kind: Result<BiometricKind, BiometricError>,
    /// The vault file has a biometric slot (read at start, kept from the vault at lock).
    file_slot: bool,
    /// The unlock screen may still show the prompt by itself (once, at start).
    on_start: bool,
    /// The last biometric unlock found the phone's key gone or damaged.
    lost: bool,
}

impl BiometricState {
    pub(super) fn new(store: Option<SharedBiometric>) -> BiometricState {
        let kind = kind_of(store.as_ref());
        BiometricState {
            store,
            kind,
            file_slot: false,
            on_start: true,
            lost: false,
        }
    }

    pub(super) fn after_lock(&mut self, had_slot: bool) {
        self.file_slot = had_slot;
        self.on_start = false;
        self.kind = kind_of(self.store.as_ref());
    }

    pub(super) fn read_file(&mut self, path: &std::path::Path) {
        self.file_slot = self.store.is_some() && Vault::file_has_biometric_slot(path);
    }
}

fn kind_of(store: Option<&SharedBiometric>) -> Result<BiometricKind, BiometricError> {
    match store {
        Some(store) => store.kind(),
        None => Err(BiometricError::Unavailable(
            "this device has no biometric unlock Tessera can use".into(),
        )),
    }
}

/// Turning biometric unlock on, waiting to run: the session's key check and the phone's store.
pub struct BiometricJob {
    check: PasswordCheck,
    store: SharedBiometric,
}

impl std::fmt::Debug for BiometricJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BiometricJob")
    }
}

impl BiometricJob {
    /// Shows the phone's prompt and seals a new slot key (call off the UI thread). Nothing is
    /// written; finish with [`AppState::finish_biometric`].
    pub fn run(self, progress: &Progress) -> Result<NewBiometricSlot, AppError> {
        progress.report(0.3, "Touch the sensor or look at the phone…");
        Ok(self.check.prepare_biometric(self.store.as_ref())?)
    }
}

impl AppState {
    /// The fingerprint or face this device offers now; `Err` says why not (`None`: none at all
    /// on this platform, as on desktop).
    pub fn biometric_available(&self) -> Option<Result<BiometricKind, String>> {
        self.biometric.store.as_ref()?;
        Some(self.biometric.kind.clone().map_err(|e| e.to_string()))
    }

    /// The biometric's name for buttons ("fingerprint", "face"), when one is usable now.
    pub fn biometric_name(&self) -> Option<&'static str> {
        self.biometric.kind.as_ref().ok().map(|k| k.name())
    }

    /// Asks the phone again which biometric it offers (after coming back from its settings).
    pub fn refresh_biometric(&mut self) {
        self.biometric.kind = kind_of(self.biometric.store.as_ref());
    }

    /// Whether the unlock screen offers the fingerprint or face: the phone has one enrolled and
    /// the vault has a biometric slot.
    pub fn biometric_unlock_offered(&self) -> bool {
        self.biometric.file_slot && self.biometric.kind.is_ok()
    }

    /// Whether the unlock screen should show the prompt by itself now: once, at app start.
    pub fn take_biometric_on_start(&mut self) -> bool {
        std::mem::take(&mut self.biometric.on_start) && self.biometric_unlock_offered()
    }

    /// Opening the vault with the fingerprint or face; `None` when it is not offered.
    pub fn biometric_unlock_job(&self) -> Option<UnlockJob> {
        if !self.biometric_unlock_offered() {
            return None;
        }
        let store = self.biometric.store.clone()?;
        Some(UnlockJob::biometric(self.vault_path.clone(), store))
    }

    /// After a failed biometric unlock: what the unlock screen says. A phone key that stopped
    /// working is remembered, so the password unlock that follows removes the dead slot and
    /// offers to turn it on again.
    pub fn biometric_unlock_failed(&mut self, error: &AppError) -> String {
        if let AppError::Vault(VaultError::Biometric(
            BiometricError::Invalidated | BiometricError::Damaged,
        )) = error
        {
            self.biometric.lost = true;
        }
        format!("{} {}", error.message(), error.advice())
    }

    /// Called when a vault is accepted: a slot whose phone key stopped working goes.
    pub(super) fn after_unlock_biometric(&mut self) {
        if !self.biometric.lost {
            return;
        }
        let Some(store) = self.biometric.store.clone() else {
            return;
        };
        if let Some(vault) = self.vault.as_mut()
            && vault.has_biometric_slot()
        {
            let removed = vault.disable_biometric(store.as_ref());
            if removed.is_ok() {
                self.biometric.file_slot = false;
            }
        }
    }

    /// Whether the vault has a biometric slot (biometric unlock is on).
    pub fn biometric_unlock_on(&self) -> bool {
        self.vault.as_ref().is_some_and(Vault::has_biometric_slot)
    }

    /// What the banner after an unlock offers, if anything.
    pub fn biometric_offer(&self) -> Option<BiometricOffer> {
        let vault = self.vault.as_ref()?;
        if self.biometric.kind.is_err() || vault.has_biometric_slot() {
            return None;
        }
        if self.biometric.lost {
            Some(BiometricOffer::Again)
        } else if !self.settings.biometric_offer_dismissed {
            Some(BiometricOffer::First)
        } else {
            None
        }
    }

    /// "Not now" on the banner: it is not shown again (Settings still turns it on).
    pub fn dismiss_biometric_offer(&mut self) -> Result<(), AppError> {
        self.biometric.lost = false;
        self.update_settings(|s| s.biometric_offer_dismissed = true)
    }

    /// Turning biometric unlock on: run the job off the UI thread, then
    /// [`AppState::finish_biometric`].
    pub fn biometric_enable_job(&self) -> Result<BiometricJob, AppError> {
        let store = self.biometric.store.clone().ok_or_else(|| {
            AppError::input(
                "This device has no biometric unlock Tessera can use.",
                "Unlock with your password.",
            )
        })?;
        if let Err(why) = &self.biometric.kind {
            return Err(AppError::input(
                super::error::sentence(&why.to_string()),
                "Set one up in the phone's settings, then try again.",
            ));
        }
        Ok(BiometricJob {
            check: self.unlocked()?.password_check(),
            store,
        })
    }

    /// Puts the slot a [`BiometricJob`] made in place and saves.
    pub fn finish_biometric(&mut self, slot: NewBiometricSlot) -> Result<(), AppError> {
        let store = self.biometric.store.clone().ok_or(AppError::Locked)?;
        let applied = self.vault_mut()?.apply_biometric(slot, store.as_ref());
        self.saved(applied)?;
        self.biometric.lost = false;
        self.biometric.file_slot = true;
        Ok(())
    }

    /// Turns biometric unlock off: the slot and the phone's key go; the password stays.
    pub fn set_biometric_unlock_off(&mut self) -> Result<(), AppError> {
        let store = self.biometric.store.clone().ok_or(AppError::Locked)?;
        let removed = self.vault_mut()?.disable_biometric(store.as_ref());
        self.saved(removed)?;
        self.biometric.file_slot = false;
        Ok(())
    }

    /// After a password change dropped the biometric slot (it wrapped the old key): deletes
    /// the phone's key `entry` and offers to turn biometric unlock on again.
    pub(super) fn biometric_dropped(&mut self, entry: Option<String>) {
        let (Some(entry), Some(store)) = (entry, self.biometric.store.clone()) else {
            return;
        };
        let _ = store.delete(&entry);
        self.biometric.lost = true;
        self.biometric.file_slot = false;
    }

    /// The phone's store when biometric re-authentication can replace the password: the
    /// vault has a biometric slot and the phone offers its biometric now.
    pub(super) fn reauth_biometric(&self) -> Option<SharedBiometric> {
        if self.biometric_unlock_on() && self.biometric.kind.is_ok() {
            self.biometric.store.clone()
        } else {
            None
        }
    }
}
