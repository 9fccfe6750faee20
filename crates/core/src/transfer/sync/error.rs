//! What can go wrong syncing a vault with a folder, each with what to do.

use std::path::PathBuf;

use super::file::SyncFileError;
use crate::vault::VaultError;

/// A sync failure. Messages name folders and devices, never a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// This vault has not joined a sync.
    #[error("this vault does not sync yet")]
    NotSetUp,
    /// This vault already syncs.
    #[error("this vault already syncs with {0}")]
    AlreadySetUp(PathBuf),
    /// The folder cannot be used.
    #[error("the sync folder {path} cannot be used: {message}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The system's reason.
        message: String,
    },
    /// A new sync needs a password of some length.
    #[error("a sync password needs at least 8 characters")]
    WeakPassword,
    /// The password opens none of the folder's files.
    #[error("that sync password opens none of the files in {0}")]
    WrongPassword(PathBuf),
    /// The state kept beside the vault does not read.
    #[error("this vault's sync state is damaged or from a newer Tessera")]
    StateDamaged,
    /// This device was removed from the sync by another.
    #[error("this device was removed from the sync by another device")]
    RemovedHere,
    /// No known device matches.
    #[error("no device of this sync is called or starts with \"{0}\"")]
    NoSuchDevice(String),
    /// A device file could not be written or read.
    #[error("{path}: {error}")]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        error: SyncFileError,
    },
    /// The vault refused.
    #[error(transparent)]
    Vault(#[from] VaultError),
}

impl SyncError {
    /// What the user can do about it.
    pub fn advice(&self) -> &'static str {
        match self {
            SyncError::NotSetUp => {
                "Join a sync first: choose the sync folder and type the sync password."
            }
            SyncError::AlreadySetUp(_) => "Sync with that folder, or leave the sync first.",
            SyncError::Folder { .. } => {
                "Choose a folder that exists and that this device may write (the one your sync engine keeps in step)."
            }
            SyncError::WeakPassword => {
                "Choose a longer sync password; every device of yours joins with it."
            }
            SyncError::WrongPassword(_) => "Type the sync password set on the first device.",
            SyncError::StateDamaged => {
                "Leave the sync on this device and join again: the accounts in the vault stay."
            }
            SyncError::RemovedHere => {
                "Join again with the current sync password if this device should sync; its accounts stay in its vault."
            }
            SyncError::NoSuchDevice(_) => "The sync's status lists its devices.",
            SyncError::File { error, .. } => error.advice(),
            SyncError::Vault(error) => error.advice(),
        }
    }
}
