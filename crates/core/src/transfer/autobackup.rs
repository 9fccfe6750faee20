//! Automatic backups: after every change, a copy of the vault goes to a folder the user chose
//! (a synced folder, a USB stick), keeping the newest N.
//!
//! The copy is the vault file itself, already encrypted under the vault's password (and its
//! keystore slot, useless on another device), so no second password is needed: restore it with
//! `restore FILE` and the vault password. Each copy is decrypted with the vault's key before it
//! counts as made. The settings and the outcome of the last attempt (success, or failure and
//! why) live in `<vault>.autobackup.json` beside the vault, for the app to show.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::TransferError;
use super::backup::{EXTENSION, write_file};
use crate::vault::Vault;

/// How many backups are kept unless the user says otherwise.
pub const DEFAULT_KEEP: usize = 10;
const PREFIX: &str = "tessera-auto-";

/// The settings and the last outcomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The folder backups go to.
    pub dir: PathBuf,
    /// How many to keep (at least 1).
    pub keep: usize,
    /// The last backup made.
    #[serde(default)]
    pub last_success: Option<Success>,
    /// The last failure, kept until a later success clears it.
    #[serde(default)]
    pub last_failure: Option<Failure>,
}

/// A backup that was made and checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Success {
    /// Unix time.
    pub time: u64,
    /// The file.
    pub file: PathBuf,
    /// Accounts in it.
    pub accounts: usize,
}

/// A backup that could not be made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// Unix time.
    pub time: u64,
    /// What went wrong, for the banner.
    pub reason: String,
}

/// The settings file of the vault at `vault`.
pub fn settings_path(vault: &Path) -> PathBuf {
    let mut name = vault.as_os_str().to_owned();
    name.push(".autobackup.json");
    PathBuf::from(name)
}

/// The settings, or `None` when automatic backups are off.
pub fn load(vault: &Path) -> Option<Settings> {
    let text = std::fs::read(settings_path(vault)).ok()?;
    serde_json::from_slice(&text).ok()
}

fn store(vault: &Path, settings: &Settings) -> Result<(), TransferError> {
    let json = serde_json::to_vec_pretty(settings).expect("settings serialize");
    write_file(&settings_path(vault), &json)
}

/// Turns automatic backups on (or changes the folder or count), creating the folder.
pub fn configure(vault: &Path, dir: &Path, keep: usize) -> Result<Settings, TransferError> {
    std::fs::create_dir_all(dir).map_err(|e| TransferError::io(dir, e))?;
    let previous = load(vault);
    let settings = Settings {
        dir: dir.to_owned(),
        keep: keep.max(1),
        last_success: previous.as_ref().and_then(|p| p.last_success.clone()),
        last_failure: previous.and_then(|p| p.last_failure),
    };
    store(vault, &settings)?;
    Ok(settings)
}

/// Turns automatic backups off (the backups already made stay).
pub fn disable(vault: &Path) -> Result<(), TransferError> {
    match std::fs::remove_file(settings_path(vault)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(TransferError::io(vault, e)),
    }
}

/// After a change: if automatic backups are on, copies the vault's file to the folder, checks
/// the copy, drops the oldest beyond the count, and records the outcome. `None` when off.
pub fn after_change(vault: &Vault, now: u64) -> Option<Result<Success, TransferError>> {
    let mut settings = load(vault.path())?;
    let result = make(vault, &settings, now);
    match &result {
        Ok(success) => {
            settings.last_success = Some(success.clone());
            settings.last_failure = None;
        }
        Err(error) => {
            settings.last_failure = Some(Failure {
                time: now,
                reason: error.to_string(),
            })
        }
    }
    if let Err(error) = store(vault.path(), &settings) {
        return Some(Err(error));
    }
    Some(result)
}

fn make(vault: &Vault, settings: &Settings, now: u64) -> Result<Success, TransferError> {
    let bytes = std::fs::read(vault.path()).map_err(|e| TransferError::io(vault.path(), e))?;
    let stamp = utc_stamp(now);
    let mut file = settings.dir.join(format!("{PREFIX}{stamp}.{EXTENSION}"));
    let mut n = 1;
    while file.exists() {
        n += 1;
        file = settings
            .dir
            .join(format!("{PREFIX}{stamp}-{n}.{EXTENSION}"));
    }
    write_file(&file, &bytes)?;
    let check = std::fs::read(&file)
        .map_err(|e| e.to_string())
        .and_then(|copy| vault.check_copy(&file, &copy).map_err(|e| e.to_string()));
    match check {
        Ok(count) if count == vault.len() => {}
        Ok(count) => {
            let _ = std::fs::remove_file(&file);
            return Err(TransferError::BackupCheckFailed {
                path: file,
                what: format!("{count} accounts instead of {}", vault.len()),
            });
        }
        Err(what) => {
            let _ = std::fs::remove_file(&file);
            return Err(TransferError::BackupCheckFailed { path: file, what });
        }
    }
    prune(&settings.dir, settings.keep);
    Ok(Success {
        time: now,
        file,
        accounts: vault.len(),
    })
}

/// After a password change: seals every automatic backup that `old_password` opens again under
/// the vault's new key, so the old password opens none of them. Returns how many were.
/// `resealer` comes from the vault at `vault` ([`Vault::resealer`]).
pub fn rewrite(
    vault: &Path,
    resealer: &crate::vault::Resealer,
    old_password: &[u8],
) -> Result<usize, TransferError> {
    let Some(settings) = load(vault) else {
        return Ok(0);
    };
    let mut rewritten = 0;
    for outcome in resealer.reseal(&list(&settings.dir), old_password) {
        match outcome {
            Ok(true) => rewritten += 1,
            Ok(false) => {}
            // Made under yet another password, or damaged: left as it is.
            Err(
                crate::vault::VaultError::WrongPassword | crate::vault::VaultError::Damaged { .. },
            ) => {}
            Err(error) => return Err(error.into()),
        }
    }
    Ok(rewritten)
}

/// Whether automatic backups are on and any were made: after a password change, they still
/// open with the old password until [`rewrite`].
pub fn exist(vault: &Path) -> bool {
    load(vault).is_some_and(|settings| !list(&settings.dir).is_empty())
}

/// The automatic backups in `dir`, oldest first.
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(EXTENSION))
        })
        .collect();
    // The stamp sorts by time; a "-N" suffix (same second) sorts after the plain name.
    files.sort_by_key(|p| {
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let stem = name.trim_end_matches(&format!(".{EXTENSION}")).to_owned();
        match stem.rsplit_once('-') {
            Some((head, n)) if n.len() < 4 && n.parse::<u32>().is_ok() => {
                (head.to_owned(), n.parse().unwrap_or(0))
            }
            _ => (stem, 0),
        }
    });
    files
}

fn prune(dir: &Path, keep: usize) {
    let files = list(dir);
    let excess = files.len().saturating_sub(keep);
    for old in &files[..excess] {
        let _ = std::fs::remove_file(old);
    }
}

/// `YYYYMMDDTHHMMSSZ` for a Unix time.
pub fn utc_stamp(unix: u64) -> String {
    let (days, secs) = ((unix / 86_400) as i64, unix % 86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn stamps() {
        assert_eq!(super::utc_stamp(0), "19700101T000000Z");
        assert_eq!(super::utc_stamp(951_782_400), "20000229T000000Z");
        assert_eq!(super::utc_stamp(1_795_478_399), "20261123T235959Z");
    }
}
