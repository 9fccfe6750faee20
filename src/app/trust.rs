//! What keeps the vault safe while it is open: re-authentication before a seed leaves it,
//! weaker lock settings only with the password, the keystore only at start, the older copy that
//! opened on damage, and what another program (`tessera-cli`) saved meanwhile.

use std::path::PathBuf;

use tessera_core::vault::{PasswordCheck, Vault, VaultError};

use super::progress::{Progress, kdf_time};
use super::settings::Settings;
use super::{AppError, AppState, SharedBiometric};

/// What re-authenticates the user at an unlocked session: the password check, and the phone's
/// biometric store where biometric unlock is on (see [`AppState::reauth`]).
pub struct Reauth {
    check: PasswordCheck,
    biometric: Option<SharedBiometric>,
}

impl Reauth {
    /// Whether an empty password means "confirm with the fingerprint or face".
    pub fn by_biometric(&self) -> bool {
        self.biometric.is_some()
    }
}

impl std::fmt::Debug for Reauth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Reauth(biometric: {})", self.biometric.is_some())
    }
}

impl std::ops::Deref for Reauth {
    type Target = PasswordCheck;
    fn deref(&self) -> &PasswordCheck {
        &self.check
    }
}

impl AppState {
    /// Whether the unlock screen should try the keystore by itself now: true once, at app
    /// start, and never after a lock (then the user asks for it).
    pub fn take_keystore_on_start(&mut self) -> bool {
        std::mem::take(&mut self.keystore_on_start)
    }

    /// What checks the user again before a seed leaves the vault (backup, export, showing a
    /// secret, keystore unlock on, weaker lock settings): the vault password, or the phone's
    /// fingerprint or face where biometric unlock is on. Run [`AppState::verify`] off the UI
    /// thread: it runs the key derivation or shows the phone's prompt.
    pub fn reauth(&self) -> Result<Reauth, AppError> {
        Ok(Reauth {
            check: self.unlocked()?.password_check(),
            biometric: self.reauth_biometric(),
        })
    }

    /// Re-authentication: `password` must be the vault's; an empty one, where biometric
    /// unlock is on, shows the phone's prompt instead (slow either way; call on a blocking
    /// thread).
    pub fn verify(check: &Reauth, password: &str) -> Result<(), AppError> {
        if password.is_empty()
            && let Some(store) = &check.biometric
        {
            return Ok(check.check.verify_biometric(store.as_ref())?);
        }
        check
            .check
            .verify(password.as_bytes())
            .map_err(|e| match e {
                VaultError::WrongPassword => AppError::NotTheVaultPassword,
                other => other.into(),
            })
    }

    /// [`AppState::verify`] behind a bar that moves from `from` to `to` over the derivation's
    /// expected time on this device.
    pub fn verify_timed(
        check: &Reauth,
        password: &str,
        progress: &Progress,
        (from, to): (f32, f32),
    ) -> Result<(), AppError> {
        if password.is_empty() && check.biometric.is_some() {
            progress.report(from, "Confirm with your fingerprint or face…");
            return AppState::verify(check, password);
        }
        let phrase = "Checking the vault password…";
        match check.kdf() {
            Some(kdf) => {
                progress.report_timed(from, to, kdf_time::estimate(kdf), phrase);
                kdf_time::timed(kdf, || AppState::verify(check, password))
            }
            None => {
                progress.report(from, phrase);
                AppState::verify(check, password)
            }
        }
    }

    /// Whether going from `old` to `new` lock settings weakens them (later auto-lock, never,
    /// no lock when hidden or a longer grace for it, screenshots allowed): the user confirms
    /// with the password first.
    pub fn weakens_lock(old: &Settings, new: &Settings) -> bool {
        let later = |secs: u64| if secs == 0 { u64::MAX } else { secs };
        let later_lock = later(new.auto_lock_secs) > later(old.auto_lock_secs);
        // Off, or on with a longer grace period.
        let hidden_weaker = old.lock_when_hidden
            && (!new.lock_when_hidden || new.hidden_grace_secs > old.hidden_grace_secs);
        let screenshots = !old.allow_screenshots && new.allow_screenshots;
        later_lock || hidden_weaker || screenshots
    }

    /// The older copy of the vault that opened because the newest file is damaged: the file
    /// and when it was written, for the banner; `None` once confirmed (or not the case).
    pub fn opened_copy(&self) -> Option<(PathBuf, Option<u64>)> {
        let copy = self.vault.as_ref()?.unconfirmed_copy()?.to_owned();
        let written = std::fs::metadata(&copy)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_secs());
        Some((copy, written))
    }

    /// Makes the older copy that opened the current vault (its next save writes it).
    pub fn confirm_copy(&mut self) -> Result<(), AppError> {
        let vault = self.vault_mut()?;
        vault.confirm_copy();
        let saved = vault.save();
        self.saved(saved)
    }

    /// Takes in what another program (`tessera-cli`, another window) saved since this one last
    /// read the vault. Returns a message when something changed. When the other program changed
    /// the password, locks and says why.
    pub fn refresh(&mut self) -> Result<Option<String>, AppError> {
        let Some(vault) = self.vault.as_mut() else {
            return Ok(None);
        };
        match vault.refresh() {
            Ok(false) => Ok(None),
            Ok(true) => {
                self.forget_derived();
                Ok(self.merge_message())
            }
            Err(error) => Err(self.after_failed_save(error)),
        }
    }

    /// What a save merged from another program, as a message.
    pub(super) fn merge_message(&mut self) -> Option<String> {
        let report = self.vault.as_mut()?.take_merge_report()?;
        Some(match report.conflicts {
            0 => format!(
                "Another program changed the vault: its changes ({} accounts) are here too.",
                report.taken
            ),
            n => format!(
                "Another program changed {n} of the same accounts at the same time: both versions are kept, the second marked \"conflict\"."
            ),
        })
    }

    /// The outcome of a save, with what it merged from another program kept for
    /// [`AppState::take_notice`], and a lock when the vault's keys changed elsewhere.
    pub(super) fn saved<T>(&mut self, result: Result<T, VaultError>) -> Result<T, AppError> {
        match result {
            Ok(value) => {
                if let Some(message) = self.merge_message() {
                    self.notice = Some(message);
                }
                Ok(value)
            }
            Err(error) => Err(self.after_failed_save(error)),
        }
    }

    /// A message for the user that no action returned (another program's changes merged);
    /// once.
    pub fn take_notice(&mut self) -> Option<String> {
        self.notice.take()
    }

    /// Whether [`AppState::take_notice`] has something.
    pub fn has_notice(&self) -> bool {
        self.notice.is_some()
    }

    /// Whether another program saved the vault since this one last read it (a cheap check of
    /// the file's size and time; [`AppState::refresh`] reads it).
    pub fn changed_on_disk(&self) -> bool {
        self.vault.as_ref().is_some_and(Vault::changed_on_disk)
    }

    /// A save failed: when another program changed the vault's keys, locks (this session's
    /// key no longer opens the file) and says so.
    pub(super) fn after_failed_save(&mut self, error: VaultError) -> AppError {
        if matches!(error, VaultError::ChangedElsewhere(_)) {
            self.lock();
            return AppError::ChangedElsewhere;
        }
        error.into()
    }
}
