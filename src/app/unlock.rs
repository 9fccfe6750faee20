//! Opening the vault (first run, password, keystore) and changing its password, each a job
//! ([`super::jobs`]) since every one runs a key derivation. The password change is prepared off
//! the UI thread ([`PasswordJob::run`]: both derivations) and applied by
//! [`AppState::finish_password`] in a moment, so the vault stays open throughout: the app never
//! shows the unlock screen while the password changes, and nothing can open a second session.

use std::path::PathBuf;

use tessera_core::vault::{KdfParams, NewPassword, Vault};
use zeroize::Zeroizing;

use super::progress::{Progress, kdf_time};
use super::{AppError, AppState, SharedBiometric, SharedKeystore};

/// How a vault is to be opened.
enum Way {
    /// Create it with this password (and a keystore slot when a keystore is given).
    Create(Zeroizing<String>, Option<SharedKeystore>),
    /// Open it with its password.
    Password(Zeroizing<String>),
    /// Open it through the keystore.
    Keystore(SharedKeystore),
    /// Open it with the phone's fingerprint or face.
    Biometric(SharedBiometric),
}

/// Creating or opening the vault, waiting to run.
pub struct UnlockJob {
    path: PathBuf,
    way: Way,
}

impl std::fmt::Debug for UnlockJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UnlockJob({:?})", self.path)
    }
}

impl UnlockJob {
    /// Opening the vault at `path` through its biometric slot.
    pub(super) fn biometric(path: PathBuf, store: SharedBiometric) -> UnlockJob {
        UnlockJob {
            path,
            way: Way::Biometric(store),
        }
    }

    /// Creates or opens the vault (slow: the key derivation; call off the UI thread). Finish
    /// with [`AppState::accept`]. A keystore that cannot open it is
    /// [`tessera_core::vault::VaultError::Keystore`] or `NoKeystoreSlot`: the password still does.
    pub fn run(self, progress: &Progress) -> Result<Vault, AppError> {
        let kdf = match self.way {
            Way::Create(..) => kdf_time::calibrate(progress, 0.05, 0.5),
            _ => KdfParams::DEFAULT,
        };
        self.run_with(kdf, progress)
    }

    /// [`UnlockJob::run`] with chosen key-derivation settings for a new vault (tests use fast
    /// ones); opening reads the settings from the file.
    pub fn run_with(self, kdf: KdfParams, progress: &Progress) -> Result<Vault, AppError> {
        match self.way {
            Way::Create(password, keystore) => {
                progress.report_timed(
                    0.5,
                    1.0,
                    kdf_time::estimate(kdf),
                    "Creating your vault: deriving the key from your password…",
                );
                if let Some(dir) = self.path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| AppError::File {
                        message: format!("Cannot create the folder {}: {e}.", dir.display()),
                    })?;
                }
                let mut vault =
                    kdf_time::timed(kdf, || Vault::create(&self.path, password.as_bytes(), kdf))?;
                if let Some(keystore) = keystore {
                    // Keystore unlock is a convenience: without a keystore, the password works.
                    let _ = vault.enable_keystore(keystore.as_ref());
                }
                Ok(vault)
            }
            Way::Password(password) => {
                let phrase = "Unlocking: deriving the key from your password…";
                match Vault::password_kdf(&self.path) {
                    Some(kdf) => {
                        progress.report_timed(0.1, 1.0, kdf_time::estimate(kdf), phrase);
                        let opened =
                            kdf_time::timed(kdf, || Vault::unlock(&self.path, password.as_bytes()));
                        Ok(opened?.0)
                    }
                    None => {
                        progress.report(0.3, phrase);
                        Ok(Vault::unlock(&self.path, password.as_bytes())?.0)
                    }
                }
            }
            Way::Keystore(keystore) => {
                progress.report(
                    0.3,
                    format!(
                        "Unlocking with {}…",
                        crate::platform::keystore::KEYSTORE_PHRASE
                    ),
                );
                Ok(Vault::unlock_with_keystore(&self.path, keystore.as_ref())?.0)
            }
            Way::Biometric(store) => {
                progress.report(0.3, "Touch the sensor or look at the phone…");
                Ok(Vault::unlock_with_biometric(&self.path, store.as_ref())?.0)
            }
        }
    }
}

/// A password change, waiting to run: the old password to check and the new one.
pub struct PasswordJob {
    check: super::trust::Reauth,
    old: Zeroizing<String>,
    new: Zeroizing<String>,
}

impl std::fmt::Debug for PasswordJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordJob")
    }
}

impl PasswordJob {
    /// Checks the old password and makes the new key and slot (slow: two key derivations;
    /// call off the UI thread). Nothing is written; finish with [`AppState::finish_password`].
    pub fn run(self, progress: &Progress) -> Result<NewPassword, AppError> {
        self.run_with(kdf_time::calibrate(progress, 0.05, 0.3), progress)
    }

    /// [`PasswordJob::run`] with chosen key-derivation settings (tests use fast ones).
    pub fn run_with(self, kdf: KdfParams, progress: &Progress) -> Result<NewPassword, AppError> {
        // Two derivations: the old password's, then the new one's.
        let old = self
            .check
            .kdf()
            .map_or(kdf_time::estimate(kdf), kdf_time::estimate);
        progress.report_timed(
            0.3,
            0.9,
            old + kdf_time::estimate(kdf),
            "Checking the current password and making the new key…",
        );
        let prepared = self
            .check
            .prepare_new(self.old.as_bytes(), self.new.as_bytes(), kdf)
            .map_err(|e| match e {
                tessera_core::vault::VaultError::WrongPassword => AppError::NotTheVaultPassword,
                other => other.into(),
            })?;
        progress.report(0.9, "Saving…");
        Ok(prepared)
    }
}

impl AppState {
    /// Checks a new password pair before the (slow) creation or change.
    pub fn check_new_password(password: &str, again: &str) -> Result<(), AppError> {
        if password != again {
            return Err(AppError::input(
                "The two passwords differ.",
                "Type the same password twice.",
            ));
        }
        if password.chars().count() < 8 {
            return Err(AppError::input(
                "The password is shorter than 8 characters.",
                "Use a passphrase of several words: it protects every seed in the vault.",
            ));
        }
        Ok(())
    }

    /// A password strength hint for the setup screen (0-4 and words).
    pub fn strength(password: &str) -> (u8, &'static str) {
        let len = password.chars().count();
        let classes = [
            password.chars().any(|c| c.is_lowercase()),
            password.chars().any(|c| c.is_uppercase()),
            password.chars().any(|c| c.is_ascii_digit()),
            password.chars().any(|c| !c.is_alphanumeric()),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        let score = match len {
            0..8 => 0,
            8..12 => 1 + u8::from(classes >= 3),
            12..20 => 2 + u8::from(classes >= 2),
            _ => 4,
        };
        let words = ["too short", "weak", "fair", "good", "strong"][usize::from(score)];
        (score, words)
    }

    /// First run: creating the vault with `password` (typed twice), with keystore unlock if
    /// `with_keystore` and this device has a keystore.
    pub fn create_job(
        &self,
        password: Zeroizing<String>,
        again: &str,
        with_keystore: bool,
    ) -> Result<UnlockJob, AppError> {
        AppState::check_new_password(&password, again)?;
        let keystore = self.keystore.clone().filter(|_| with_keystore);
        Ok(UnlockJob {
            path: self.vault_path.clone(),
            way: Way::Create(password, keystore),
        })
    }

    /// Opening the vault with its password.
    pub fn unlock_job(&self, password: Zeroizing<String>) -> UnlockJob {
        UnlockJob {
            path: self.vault_path.clone(),
            way: Way::Password(password),
        }
    }

    /// Opening the vault through the keystore; `None` when this device has none.
    pub fn keystore_unlock_job(&self) -> Option<UnlockJob> {
        Some(UnlockJob {
            path: self.vault_path.clone(),
            way: Way::Keystore(self.keystore.clone()?),
        })
    }

    /// A password change from `old` to `new` (typed twice), to run with [`PasswordJob::run`].
    pub fn password_job(
        &self,
        old: Zeroizing<String>,
        new: Zeroizing<String>,
        again: &str,
    ) -> Result<PasswordJob, AppError> {
        AppState::check_new_password(&new, again)?;
        Ok(PasswordJob {
            check: self.reauth()?,
            old,
            new,
        })
    }

    /// Applies a prepared password change and saves; the keystore and biometric slots are
    /// dropped with the old key (turn them on again; the banner offers the biometric). Returns
    /// how many kept generations were sealed again.
    pub fn finish_password(&mut self, prepared: NewPassword) -> Result<usize, AppError> {
        let keystore = self.keystore.clone();
        let keystore = keystore
            .as_deref()
            .map(|k| k as &dyn tessera_core::vault::Keystore);
        let biometric_entry = self.unlocked()?.biometric_entry();
        let applied = self.vault_mut()?.apply_password(prepared, keystore);
        let resealed = self.saved(applied)?;
        self.biometric_dropped(biometric_entry);
        Ok(resealed)
    }

    /// Turns keystore unlock on (only after [`AppState::verify`]) or off, and saves.
    pub fn set_keystore_unlock(&mut self, on: bool) -> Result<(), AppError> {
        let keystore = self.keystore.clone().ok_or_else(|| {
            AppError::input(
                "This device has no system keyring Tessera can use.",
                "Unlock with your password.",
            )
        })?;
        let vault = self.vault_mut()?;
        let result = if on {
            vault.enable_keystore(keystore.as_ref())
        } else {
            vault.disable_keystore(keystore.as_ref())
        };
        self.saved(result)
    }

    /// Whether the vault has a keystore slot (keyring unlock is on).
    pub fn keystore_unlock_on(&self) -> bool {
        self.vault.as_ref().is_some_and(Vault::has_keystore_slot)
    }
}
