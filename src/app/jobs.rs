//! Work that lets seeds out of the vault (a backup, an export), taken from the state as a plain
//! value that can run on another thread, and that first checks the vault password again: an
//! unlocked session alone is not enough to carry every seed away.

use std::path::{Path, PathBuf};

use tessera_core::otp::Account;
use tessera_core::transfer::backup::{Written, write_backup, write_file_public};
use tessera_core::transfer::export::{aegis, qr, uris};
use tessera_core::vault::{BackupEntry, KdfParams, PasswordCheck};

use super::state::{AppError, AppState};

/// A backup of every account, waiting for the passwords.
pub struct BackupJob {
    entries: Vec<BackupEntry>,
    check: PasswordCheck,
}

impl std::fmt::Debug for BackupJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BackupJob({} accounts)", self.entries.len())
    }
}

impl BackupJob {
    /// Checks `vault_password`, then writes a verified backup sealed with `backup_password`
    /// (slow: two key derivations; call on a blocking thread).
    pub fn run(
        self,
        path: &Path,
        vault_password: &str,
        backup_password: &str,
        kdf: KdfParams,
    ) -> Result<Written, AppError> {
        if backup_password.is_empty() {
            return Err(AppError::new(
                "The backup password is empty.",
                "Choose a password for the backup file.",
            ));
        }
        AppState::verify(&self.check, vault_password)?;
        Ok(write_backup(
            path,
            &self.entries,
            backup_password.as_bytes(),
            kdf,
        )?)
    }
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Aegis JSON, encrypted with a password of the user's choosing.
    AegisEncrypted,
    /// Aegis JSON, not encrypted.
    Aegis,
    /// One `otpauth://` URI a line, not encrypted.
    Uris,
    /// Google Authenticator export QR codes, as PNG files.
    GoogleQr,
}

impl ExportFormat {
    /// From the form's value (`aegis-encrypted`, `aegis`, `uris`, `google-qr`).
    pub fn parse(name: &str) -> Option<ExportFormat> {
        Some(match name {
            "aegis-encrypted" => ExportFormat::AegisEncrypted,
            "aegis" => ExportFormat::Aegis,
            "uris" => ExportFormat::Uris,
            "google-qr" => ExportFormat::GoogleQr,
            _ => return None,
        })
    }
}

/// An export of some accounts, waiting for the password.
pub struct ExportJob {
    accounts: Vec<Account>,
    check: PasswordCheck,
}

impl std::fmt::Debug for ExportJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ExportJob({} accounts)", self.accounts.len())
    }
}

impl ExportJob {
    /// Checks `vault_password`, then writes the accounts to `target` in `format` (the Google
    /// QR codes: `target` with `.png`, then `-2.png`, ...). Returns what to tell the user.
    pub fn run(
        self,
        format: ExportFormat,
        target: &Path,
        vault_password: &str,
        file_password: &str,
    ) -> Result<String, AppError> {
        if format == ExportFormat::AegisEncrypted && file_password.is_empty() {
            return Err(AppError::new(
                "The file password is empty.",
                "Choose a password for the file.",
            ));
        }
        AppState::verify(&self.check, vault_password)?;
        let accounts: Vec<&Account> = self.accounts.iter().collect();
        let count = accounts.len();
        match format {
            ExportFormat::GoogleQr => {
                let (links, left_out) = qr::google_export(&accounts);
                let files = google_files(target, links.len());
                for (link, file) in links.iter().zip(&files) {
                    let png = qr::png(link).map_err(|_| {
                        AppError::new(
                            "A QR code would be too large.",
                            "Export fewer accounts at a time.",
                        )
                    })?;
                    write_file_public(file, &png)?;
                }
                Ok(format!(
                    "{} QR codes written ({}); {} accounts left out (Google cannot hold them).",
                    files.len(),
                    files
                        .iter()
                        .map(|f| f.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    left_out.len()
                ))
            }
            ExportFormat::Uris => {
                write_file_public(target, uris::export(&accounts).as_bytes())?;
                Ok(format!(
                    "{count} accounts exported to {}.",
                    target.display()
                ))
            }
            ExportFormat::Aegis | ExportFormat::AegisEncrypted => {
                let password =
                    (format == ExportFormat::AegisEncrypted).then_some(file_password.as_bytes());
                write_file_public(target, &aegis::export(&accounts, password))?;
                Ok(format!(
                    "{count} accounts exported to {}.",
                    target.display()
                ))
            }
        }
    }
}

/// The files of a Google export of `n` QR codes: `name.png`, `name-2.png`, ...
pub fn google_files(target: &Path, n: usize) -> Vec<PathBuf> {
    let stem = target
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    (0..n)
        .map(|i| match i {
            0 => target.with_extension("png"),
            i => target.with_file_name(format!("{stem}-{}.png", i + 1)),
        })
        .collect()
}

impl AppState {
    /// A backup of every account (live and trashed), to run with [`BackupJob::run`].
    pub fn backup_job(&self) -> Result<BackupJob, AppError> {
        let vault = self
            .vault()
            .ok_or_else(|| AppError::new("The vault is locked.", "Unlock it first."))?;
        Ok(BackupJob {
            entries: vault.backup_entries(),
            check: vault.password_check(),
        })
    }

    /// An export of the accounts matching `query` (all when empty), to run with
    /// [`ExportJob::run`].
    pub fn export_job(&self, query: &str) -> Result<ExportJob, AppError> {
        let vault = self
            .vault()
            .ok_or_else(|| AppError::new("The vault is locked.", "Unlock it first."))?;
        Ok(ExportJob {
            accounts: vault.search(query).into_iter().cloned().collect(),
            check: vault.password_check(),
        })
    }
}
