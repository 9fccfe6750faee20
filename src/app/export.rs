//! Exports to other apps, as a job ([`super::jobs`]): the accounts matching a search, written by
//! the core's one export writer after the vault password is checked again.

use tessera_core::otp::Account;
pub use tessera_core::transfer::export::ExportFormat;
use tessera_core::transfer::export::{Exported, write_to};
use tessera_core::vault::KdfParams;
use zeroize::Zeroizing;

use super::jobs::{Saved, Target};
use super::progress::{Progress, kdf_time};
use super::{AppError, AppState};

/// An export of some accounts, waiting to run.
pub struct ExportJob {
    format: ExportFormat,
    accounts: Vec<Account>,
    check: super::trust::Reauth,
    target: Target,
    vault_password: Zeroizing<String>,
    file_password: Zeroizing<String>,
}

impl std::fmt::Debug for ExportJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ExportJob({:?}, {} accounts)",
            self.format,
            self.accounts.len()
        )
    }
}

impl ExportJob {
    /// Checks the vault password, then writes the file(s) (slow: the key derivation; call off
    /// the UI thread). Returns what to tell the user.
    pub fn run(self, progress: &Progress) -> Result<Saved<String>, AppError> {
        AppState::verify_timed(&self.check, &self.vault_password, progress, (0.05, 0.4))?;
        progress.report(0.4, "Choosing where the export goes…");
        let resolved = self.target.resolve()?;
        match export_kdf(self.format) {
            // An encrypted format: its own key derivation.
            Some(kdf) => progress.report_timed(
                0.45,
                1.0,
                kdf_time::estimate(kdf),
                "Encrypting and writing the export…",
            ),
            None => progress.report(0.5, "Writing the export…"),
        }
        let accounts: Vec<&Account> = self.accounts.iter().collect();
        let password = self
            .format
            .needs_password()
            .then_some(self.file_password.as_bytes());
        let exported = write_to(self.format, &accounts, &*resolved.destination, password)?;
        Ok(Saved {
            result: describe(self.format, &exported),
            // Several files (Google's QR images) are not one thing to share.
            share: resolved.share.filter(|_| exported.files.len() == 1),
        })
    }
}

/// What an encrypted export's key derivation costs, as the Argon2id work it compares with
/// (for the time estimate): KeePass's Argon2id at 64 MiB and 10 passes; Aegis's scrypt
/// (N=2^15, r=8: 32 MiB) about as much as one pass over 32 MiB.
fn export_kdf(format: ExportFormat) -> Option<KdfParams> {
    match format {
        ExportFormat::KeePass => Some(KdfParams {
            m_kib: 64 * 1024,
            t: 10,
            p: 2,
        }),
        ExportFormat::AegisEncrypted => Some(KdfParams {
            m_kib: 32 * 1024,
            t: 1,
            p: 1,
        }),
        _ => None,
    }
}

/// "12 accounts exported to …", or for Google the files and what was left out.
fn describe(format: ExportFormat, exported: &Exported) -> String {
    let files: Vec<String> = exported
        .files
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    match format {
        ExportFormat::GoogleQr => format!(
            "{} QR codes written ({}) with {} accounts; {} accounts left out (Google cannot hold them).",
            files.len(),
            files.join(", "),
            exported.accounts,
            exported.left_out.len()
        ),
        _ => format!(
            "{} accounts exported to {}.",
            exported.accounts,
            files.join(", ")
        ),
    }
}

impl AppState {
    /// An export of the accounts matching `query` (all when empty) to `target` in `format`, to
    /// run with [`ExportJob::run`]: refused at once when a password or the file is missing.
    pub fn export_job(
        &self,
        format: ExportFormat,
        query: &str,
        target: impl Into<Target>,
        vault_password: Zeroizing<String>,
        file_password: Zeroizing<String>,
    ) -> Result<ExportJob, AppError> {
        let vault = self.unlocked()?;
        if format.needs_password() && file_password.is_empty() {
            return Err(AppError::input(
                "The file password is empty.",
                "Choose a password for the file.",
            ));
        }
        let target = target.into();
        if target.is_missing() {
            return Err(AppError::input(
                "No file is chosen for the export.",
                "Type where the export goes.",
            ));
        }
        let accounts: Vec<Account> = vault.search(query).into_iter().cloned().collect();
        if accounts.is_empty() {
            return Err(AppError::input(
                "No account matches, so there is nothing to export.",
                "Clear the search or choose other words.",
            ));
        }
        Ok(ExportJob {
            format,
            accounts,
            check: self.reauth()?,
            target,
            vault_password,
            file_password,
        })
    }
}

/// The file extension an export of `format` gets.
pub fn extension_of(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Uris => "txt",
        ExportFormat::GoogleQr => "png",
        ExportFormat::KeePass => "kdbx",
        _ => "json",
    }
}

/// `path` with the extension of `format` when it has none or another export's (a name the user
/// typed with an extension of their own stays as it is): choosing KeePass turns
/// `tessera-export.json` into `tessera-export.kdbx`.
pub fn path_for_format(path: &str, format: ExportFormat) -> String {
    let trimmed = path.trim_end();
    let name_start = trimmed.rfind(['/', '\\']).map_or(0, |i| i + 1);
    let (stem, ext) = match trimmed[name_start..].rfind('.') {
        Some(dot) if dot > 0 => trimmed.split_at(name_start + dot),
        _ => (trimmed, ""),
    };
    let known = ["", ".json", ".txt", ".png", ".kdbx"];
    if stem.len() == name_start || !known.contains(&ext.to_ascii_lowercase().as_str()) {
        return path.to_owned();
    }
    format!("{stem}.{}", extension_of(format))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_follows_the_format() {
        let kdbx = path_for_format("/home/a/tessera-export.json", ExportFormat::KeePass);
        assert_eq!(kdbx, "/home/a/tessera-export.kdbx");
        assert_eq!(
            path_for_format(&kdbx, ExportFormat::Uris),
            "/home/a/tessera-export.txt"
        );
        assert_eq!(
            path_for_format("C:\\Users\\a\\export", ExportFormat::Aegis),
            "C:\\Users\\a\\export.json"
        );
        // The user's own extension, an empty name and a folder stay as typed.
        assert_eq!(
            path_for_format("/tmp/for-bob.backup", ExportFormat::KeePass),
            "/tmp/for-bob.backup"
        );
        assert_eq!(path_for_format("/tmp/", ExportFormat::KeePass), "/tmp/");
        assert_eq!(path_for_format("", ExportFormat::KeePass), "");
        assert_eq!(
            path_for_format("/tmp/.hidden", ExportFormat::KeePass),
            "/tmp/.hidden.kdbx"
        );
    }
}
