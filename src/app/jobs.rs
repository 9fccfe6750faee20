//! Slow work as jobs, in three steps: a method of [`super::AppState`] prepares the job on the UI
//! thread (checks, and the inputs gathered into a plain value that owns no part of the state);
//! the job's `run` works on another thread and reports through a [`Progress`]; another method
//! of the state finishes it on the UI thread (takes in what the job made). The vault stays in
//! the state throughout, so the app never looks locked while a job runs.
//!
//! Jobs that let seeds out of the vault (a backup, an export, showing a secret) first check
//! the vault password again: an unlocked session alone is not enough to carry every seed away.

use std::path::{Path, PathBuf};

use tessera_core::file::Destination;
use tessera_core::transfer::backup::{Written, write_backup_to};
use tessera_core::vault::{BackupEntry, KdfParams};

use super::progress::{Progress, kdf_time};
use super::{AppError, AppState};
use crate::platform::documents::{self, Shareable, Wanted};

/// What a backup or export job made, and (phones) how to hand it on with the share sheet.
#[derive(Debug, Clone)]
pub struct Saved<T> {
    /// What was written.
    pub result: T,
    /// The file to offer to the share sheet; `None` on desktop, and for several files.
    pub share: Option<Shareable>,
}

/// A resolved [`Target`]: where to write, and how to share it afterwards.
pub struct Resolved {
    /// Where the bytes go.
    pub destination: Box<dyn Destination>,
    /// How to hand it on once written (phones).
    pub share: Option<Shareable>,
}

/// Where a backup or an export goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A path, typed or chosen in the desktop's dialog beforehand.
    Path(PathBuf),
    /// A place the job asks for with the system's dialog (Android), once the password is
    /// checked.
    Ask(Wanted),
}

impl From<&Path> for Target {
    fn from(path: &Path) -> Target {
        Target::Path(path.to_owned())
    }
}

impl From<&PathBuf> for Target {
    fn from(path: &PathBuf) -> Target {
        Target::Path(path.clone())
    }
}

impl Target {
    pub(crate) fn is_missing(&self) -> bool {
        matches!(self, Target::Path(p) if p.as_os_str().is_empty())
    }

    /// The destination: the path, or what the user chose in the dialog (cancelled: an error
    /// that says nothing was written).
    pub fn resolve(&self) -> Result<Resolved, AppError> {
        match self {
            Target::Path(path) => Ok(Resolved {
                destination: Box::new(path.clone()),
                share: documents::CAN_SHARE
                    .then(|| Shareable::path(path.clone(), "application/octet-stream")),
            }),
            Target::Ask(wanted) => match documents::ask_where(wanted) {
                Ok(Some(document)) => Ok(Resolved {
                    share: Some(Shareable::document(&document, wanted.mime)),
                    destination: Box::new(document),
                }),
                Ok(None) => Err(AppError::Cancelled),
                Err(e) => Err(AppError::File {
                    message: format!("The system's file dialog did not open: {e}."),
                }),
            },
        }
    }
}

/// A backup of every account, waiting for the passwords.
pub struct BackupJob {
    entries: Vec<BackupEntry>,
    check: super::trust::Reauth,
    target: Target,
    vault_password: zeroize::Zeroizing<String>,
    backup_password: zeroize::Zeroizing<String>,
}

impl std::fmt::Debug for BackupJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BackupJob({} accounts)", self.entries.len())
    }
}

impl BackupJob {
    /// Checks the vault password, then writes a verified backup sealed with the backup password
    /// (slow: the key derivations; call off the UI thread).
    pub fn run(self, progress: &Progress) -> Result<Saved<Written>, AppError> {
        self.run_with(kdf_time::calibrate(progress, 0.05, 0.3), progress)
    }

    /// [`BackupJob::run`] with chosen key-derivation settings (tests use fast ones).
    pub fn run_with(self, kdf: KdfParams, progress: &Progress) -> Result<Saved<Written>, AppError> {
        AppState::verify_timed(&self.check, &self.vault_password, progress, (0.3, 0.5))?;
        progress.report(0.5, "Choosing where the backup goes…");
        let resolved = self.target.resolve()?;
        progress.report_timed(
            0.5,
            1.0,
            kdf_time::estimate(kdf),
            "Writing and verifying the backup…",
        );
        let written = kdf_time::timed(kdf, || {
            write_backup_to(
                &*resolved.destination,
                &self.entries,
                self.backup_password.as_bytes(),
                kdf,
            )
        })?;
        progress.report(1.0, "Backup written and verified.");
        Ok(Saved {
            result: written,
            share: resolved.share,
        })
    }
}

impl AppState {
    /// A backup of every account (live and trashed) to `target`, to run with
    /// [`BackupJob::run`]: refused at once when a password is missing.
    pub fn backup_job(
        &self,
        target: impl Into<Target>,
        vault_password: zeroize::Zeroizing<String>,
        backup_password: zeroize::Zeroizing<String>,
    ) -> Result<BackupJob, AppError> {
        let vault = self.unlocked()?;
        if backup_password.is_empty() {
            return Err(AppError::input(
                "The backup password is empty.",
                "Choose a password for the backup file.",
            ));
        }
        let target = target.into();
        if target.is_missing() {
            return Err(AppError::input(
                "No file is chosen for the backup.",
                "Type where the backup goes.",
            ));
        }
        Ok(BackupJob {
            entries: vault.backup_entries(),
            check: self.reauth()?,
            target,
            vault_password,
            backup_password,
        })
    }
}
