//! Tessera backup files (`.tessera`): the vault container (docs/vault-format.md) with a fresh
//! random key and one password slot, carrying every account with everything Tessera knows about
//! it (secret, parameters, issuer, name, tenant, tags, note, pinned, trash, times).
//!
//! A backup is only reported written after it was read back from disk, decrypted and compared
//! with what was meant to be in it (count and content hash); a backup that fails the check is
//! deleted, so a bad file is never mistaken for a good one.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::TransferError;
use crate::file::Destination;
use crate::vault::{BackupEntry, KdfParams, SealedBackup, open_backup};

/// The file extension of backups.
pub const EXTENSION: &str = "tessera";

/// A verified backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Where it is.
    pub path: PathBuf,
    /// Accounts in it (live and trashed).
    pub accounts: usize,
    /// Its size in bytes.
    pub bytes: usize,
}

/// Writes a backup of `entries` to `path` (replacing a file there only once the new one is
/// complete) protected by `password`, then reads it back and checks it.
pub fn write_backup(
    path: &Path,
    entries: &[BackupEntry],
    password: &[u8],
    kdf: KdfParams,
) -> Result<Written, TransferError> {
    write_backup_to(&path.to_owned(), entries, password, kdf)
}

/// [`write_backup`] to any [`Destination`] (a document the system's dialog chose): the check
/// reads back from the destination itself, so it proves what the document holds.
pub fn write_backup_to(
    destination: &dyn Destination,
    entries: &[BackupEntry],
    password: &[u8],
    kdf: KdfParams,
) -> Result<Written, TransferError> {
    write_backup_with(destination, entries, password, kdf, |_| {})
}

/// [`write_backup`] with a hook that may damage the file after it is written (tests of the
/// read-back check).
#[doc(hidden)]
pub fn write_backup_checked(
    path: &Path,
    entries: &[BackupEntry],
    password: &[u8],
    kdf: KdfParams,
    after_write: impl FnOnce(&Path),
) -> Result<Written, TransferError> {
    write_backup_with(&path.to_owned(), entries, password, kdf, |_| {
        after_write(path)
    })
}

fn write_backup_with(
    destination: &dyn Destination,
    entries: &[BackupEntry],
    password: &[u8],
    kdf: KdfParams,
    after_write: impl FnOnce(&dyn Destination),
) -> Result<Written, TransferError> {
    let name = destination.name();
    let sealed = SealedBackup::seal(entries, password, kdf)?;
    destination
        .put(&sealed.bytes)
        .map_err(TransferError::from)?;
    after_write(destination);
    let check = || -> Result<(), String> {
        let bytes = destination
            .get(super::MAX_IMPORT_SIZE.max(sealed.bytes.len()))
            .map_err(|e| e.to_string())?;
        let back = sealed.read_back(&name, &bytes).map_err(|e| e.to_string())?;
        if back.len() != entries.len() {
            return Err(format!(
                "{} accounts instead of {}",
                back.len(),
                entries.len()
            ));
        }
        if content_hash(&back) != content_hash(entries) {
            return Err("the accounts read back differ from those written".into());
        }
        Ok(())
    };
    match check() {
        Ok(()) => Ok(Written {
            path: name,
            accounts: entries.len(),
            bytes: sealed.bytes.len(),
        }),
        Err(what) => {
            destination.discard();
            Err(TransferError::BackupCheckFailed { path: name, what })
        }
    }
}

/// Reads a backup (or a vault file, which shares the container) with its password.
pub fn read_backup(path: &Path, password: &[u8]) -> Result<Vec<BackupEntry>, TransferError> {
    let size = std::fs::metadata(path)
        .map_err(|e| TransferError::io(path, e))?
        .len();
    if size > super::MAX_IMPORT_SIZE as u64 {
        return Err(TransferError::TooLarge { size });
    }
    let bytes = std::fs::read(path).map_err(|e| TransferError::io(path, e))?;
    Ok(open_backup(path, &bytes, password)?)
}

/// Writes a backup or export file whole and private ([`crate::file::write_private`]).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), TransferError> {
    crate::file::write_private(path, bytes).map_err(TransferError::from)
}

/// A digest of everything a backup carries about each account, in order.
pub fn content_hash(entries: &[BackupEntry]) -> [u8; 32] {
    let mut hash = Sha256::new();
    for (a, trashed) in entries {
        let otp = &a.otp;
        let fields: [&[u8]; 6] = [
            a.id.0.as_bytes(),
            otp.secret().expose(),
            a.issuer.as_bytes(),
            a.name.as_bytes(),
            a.tenant.as_bytes(),
            a.note.as_bytes(),
        ];
        for field in fields {
            hash.update((field.len() as u64).to_le_bytes());
            hash.update(field);
        }
        for tag in &a.tags {
            hash.update((tag.len() as u64).to_le_bytes());
            hash.update(tag.as_bytes());
        }
        hash.update(format!(
            "|{}|{}|{}|{:?}|{:?}|{}|{}|{}|{:?}|{:?}",
            otp.kind().as_str(),
            otp.algorithm().as_str(),
            otp.digits(),
            otp.kind().period(),
            otp.kind().counter(),
            a.pinned,
            a.created,
            a.updated,
            a.last_used,
            trashed
        ));
        if a.use_count > 0 {
            hash.update(format!("|uses {}", a.use_count));
        }
    }
    hash.finalize().into()
}
