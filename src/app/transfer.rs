//! Restore and import with the merge preview, and automatic backups. Reading a file runs as a
//! job ([`ImportJob`]: the file may be large or hostile, so off the UI thread and behind a
//! panic guard in the view); the merge plan is made and applied here, against the vault in the
//! state.

use std::path::{Path, PathBuf};

use tessera_core::otp::unix_now;
use tessera_core::transfer::autobackup;
use tessera_core::transfer::import::{Format, Imported, import_with_key_file};
use tessera_core::transfer::merge::{Plan, plan};
use tessera_core::transfer::{MAX_IMPORT_SIZE, TransferError};
use tessera_core::vault::{KdfParams, Resealer, inspect_container};
use zeroize::Zeroizing;

use super::progress::{Progress, kdf_time};
use super::{AppError, AppState};

/// A backup or another app's export, with what importing it would do. Nothing changes until
/// [`AppState::apply`].
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// What the file held.
    pub imported: Imported,
    /// New accounts, duplicates, second authenticators.
    pub plan: Plan,
}

/// Where an import's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file the user chose (already read, its size checked by [`check_size`]).
    Chosen(Vec<u8>),
    /// A path the user typed (desktop).
    Path(PathBuf),
}

/// A file to read and recognise, waiting to run.
pub struct ImportJob {
    source: Source,
    password: Zeroizing<String>,
    key_file: Option<Zeroizing<Vec<u8>>>,
}

impl std::fmt::Debug for ImportJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.source {
            Source::Chosen(bytes) => write!(f, "ImportJob({} bytes)", bytes.len()),
            Source::Path(path) => write!(f, "ImportJob({path:?})"),
        }
    }
}

impl ImportJob {
    /// A job reading `source`, with the file's password (empty when it has none).
    pub fn new(source: Source, password: Zeroizing<String>) -> ImportJob {
        ImportJob {
            source,
            password,
            key_file: None,
        }
    }

    /// With a KeePass database's key file (its contents); other formats ignore it.
    pub fn with_key_file(mut self, key_file: Option<Zeroizing<Vec<u8>>>) -> ImportJob {
        self.key_file = key_file;
        self
    }

    /// Reads the file and recognises its format (slow for a large or encrypted file: call off
    /// the UI thread). Finish with [`AppState::preview`].
    pub fn run(self, progress: &Progress) -> Result<Imported, AppError> {
        progress.report(0.1, "Reading the file…");
        let bytes = match self.source {
            Source::Chosen(bytes) => bytes,
            Source::Path(path) => read_capped(&path)?,
        };
        let password = (!self.password.is_empty()).then_some(self.password.as_bytes());
        let phrase = "Recognising and decrypting it…";
        match import_work(&bytes).filter(|_| password.is_some()) {
            Some(work) => progress.report_timed(0.2, 1.0, kdf_time::estimate(work), phrase),
            None => progress.report(0.3, phrase),
        }
        let key_file = self.key_file.as_ref().map(|k| k.as_slice());
        Ok(import_with_key_file(
            &bytes,
            password,
            key_file,
            None,
            unix_now(),
        )?)
    }
}

/// The key-derivation work a file asks for, when it says so up front: a Tessera backup's
/// password slots, an Ente export's `kdfParams` (up to 1 GiB). For the time estimate only.
fn import_work(bytes: &[u8]) -> Option<KdfParams> {
    if let Ok(info) = inspect_container(Path::new("import"), bytes) {
        let kib = u32::try_from(info.kdf_work_kib).ok()?;
        return Some(KdfParams {
            m_kib: kib,
            t: 1,
            p: 1,
        });
    }
    // Parsed a second time only for what can be Ente's export (the import parses it again).
    if bytes.len() > 16 * 1024 * 1024
        || !bytes.trim_ascii_start().starts_with(b"{")
        || !bytes.windows(11).any(|w| w == b"\"kdfParams\"")
    {
        return None;
    }
    let file: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let params = file.get("kdfParams")?;
    let memory = params.get("memLimit")?.as_u64()? / 1024;
    let passes = params.get("opsLimit")?.as_u64()?;
    Some(KdfParams {
        m_kib: u32::try_from(memory).ok()?,
        t: u32::try_from(passes).ok()?,
        p: 1,
    })
}

/// The apps and formats Tessera reads, for the import screen (from the core's one list, so a
/// new format shows here by itself).
pub fn readable_formats() -> String {
    let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
    names.join(", ")
}

/// A new backup's file in `dir`: `tessera-backup-<UTC time>.tessera`.
pub fn backup_file_in(dir: &Path) -> PathBuf {
    dir.join(format!(
        "tessera-backup-{}.tessera",
        autobackup::utc_stamp(unix_now())
    ))
}

/// Refuses a chosen file over the size Tessera imports, before it is read whole.
pub fn check_size(size: u64) -> Result<(), AppError> {
    if size > MAX_IMPORT_SIZE as u64 {
        return Err(AppError::input(
            format!(
                "The file is {} MiB, more than the {} MiB Tessera reads.",
                size / (1024 * 1024),
                MAX_IMPORT_SIZE / (1024 * 1024)
            ),
            "Choose the export or backup file itself, not a folder or a disk image.",
        ));
    }
    Ok(())
}

/// Reads a typed path, refusing a file over the import size before reading it.
fn read_capped(path: &Path) -> Result<Vec<u8>, AppError> {
    let cannot = |e: std::io::Error| AppError::File {
        message: format!("Cannot read {}: {e}.", path.display()),
    };
    check_size(std::fs::metadata(path).map_err(cannot)?.len())?;
    std::fs::read(path).map_err(cannot)
}

impl AppState {
    /// Plans the merge of what a file held (nothing changes yet).
    pub fn preview(&self, imported: Imported) -> Result<Preview, AppError> {
        let plan = plan(self.unlocked()?, imported.accounts());
        Ok(Preview { imported, plan })
    }

    /// Applies a merge plan; returns how many accounts were added.
    pub fn apply(&mut self, preview: &Preview) -> Result<usize, AppError> {
        let applied = preview.plan.apply(self.vault_mut()?);
        let added = self.saved(applied)?;
        self.changed();
        Ok(added)
    }

    /// The automatic backup settings and last outcomes (`None`: off).
    pub fn autobackup_status(&self) -> Option<autobackup::Settings> {
        autobackup::load(&self.vault_path)
    }

    /// Turns automatic backups on (or changes them) and makes the first one at once, so a
    /// folder that cannot be written shows now, not after the next change.
    pub fn enable_autobackup(&mut self, dir: &Path, keep: usize) -> Result<(), AppError> {
        let vault = self.unlocked()?;
        if dir.as_os_str().is_empty() {
            return Err(AppError::input(
                "No folder is chosen for the automatic backups.",
                "Type a folder (a synced folder or a USB stick is best).",
            ));
        }
        autobackup::configure(&self.vault_path, dir, keep.max(1))?;
        match autobackup::after_change(vault, unix_now()) {
            Some(Err(error)) => Err(error.into()),
            _ => Ok(()),
        }
    }

    /// Turns automatic backups off (the backups made stay where they are).
    pub fn disable_autobackup(&self) -> Result<(), AppError> {
        Ok(autobackup::disable(&self.vault_path)?)
    }

    /// After a password change: a job sealing the automatic backups made under `old_password`
    /// again under the current key.
    pub fn rewrite_backups_job(
        &self,
        old_password: Zeroizing<String>,
    ) -> Result<RewriteJob, AppError> {
        Ok(RewriteJob {
            vault_path: self.vault_path.clone(),
            resealer: self.unlocked()?.resealer(),
            old_password,
        })
    }
}

/// Seals older automatic backups again, waiting to run.
pub struct RewriteJob {
    vault_path: PathBuf,
    resealer: Resealer,
    old_password: Zeroizing<String>,
}

impl std::fmt::Debug for RewriteJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RewriteJob")
    }
}

impl RewriteJob {
    /// Seals them (slow: the old password's key derivation); how many were.
    pub fn run(self, progress: &Progress) -> Result<usize, AppError> {
        progress.report(0.2, "Sealing the older backups again…");
        autobackup::rewrite(
            &self.vault_path,
            &self.resealer,
            self.old_password.as_bytes(),
        )
        .map_err(|e| match e {
            TransferError::Vault(v) => AppError::Vault(v),
            other => other.into(),
        })
    }
}
