//! What can go wrong with a vault, each with advice.

use std::path::PathBuf;

use super::biometric::BiometricError;

/// A vault failure. Messages name the file or value; none ever holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// The password does not open any password slot.
    #[error("wrong password")]
    WrongPassword,
    /// No vault at the path.
    #[error("there is no vault at {0}")]
    NotFound(PathBuf),
    /// A vault already exists where one was to be created.
    #[error("a vault already exists at {0}")]
    AlreadyExists(PathBuf),
    /// The file is not a Tessera vault.
    #[error("{0} is not a Tessera vault")]
    NotAVault(PathBuf),
    /// Written by a newer Tessera (unknown major version).
    #[error(
        "{path} was written by a newer Tessera (vault format {major}); this version reads format 1"
    )]
    NewerVersion {
        /// The file.
        path: PathBuf,
        /// Its major version.
        major: u8,
    },
    /// An account of a kind of code this version does not compute: a newer Tessera wrote it.
    #[error(
        "{path} holds accounts with a kind of code this version of Tessera does not know (\"{kind}\"); a newer Tessera wrote it"
    )]
    NewerKind {
        /// The file.
        path: PathBuf,
        /// The kind's name, at most 16 characters of it.
        kind: String,
    },
    /// Checksum, structure or authentication failed: the file was altered or cut short.
    #[error("{path} is damaged ({what})")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What check failed.
        what: &'static str,
    },
    /// Argon2 parameters outside the accepted bounds.
    #[error(
        "the key-derivation settings (memory {m_kib} KiB, {t} passes, {p} lanes) are outside what Tessera accepts (19 MiB-1 GiB, 1-10 passes, 1-16 lanes)"
    )]
    KdfOutOfBounds {
        /// Memory in KiB.
        m_kib: u32,
        /// Passes.
        t: u32,
        /// Lanes.
        p: u32,
    },
    /// An account with the same secret and label already exists.
    #[error("duplicate: you already have this account (\"{label}\")")]
    Duplicate {
        /// Issuer and name of the existing account.
        label: String,
    },
    /// No account with that id (or id prefix).
    #[error("no account matches \"{0}\"")]
    NoSuchAccount(String),
    /// An id prefix that matches several accounts.
    #[error("\"{0}\" matches several accounts; give more of the id")]
    Ambiguous(String),
    /// Saving would replace a vault that has accounts with an empty one.
    #[error("refusing to replace a vault holding {0} accounts with an empty one")]
    WouldEmpty(usize),
    /// A file-system error.
    #[error("{path}: {message}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The system's message.
        message: String,
    },
    /// The OS keystore failed or has no entry.
    #[error("the system keystore could not be used: {0}")]
    Keystore(String),
    /// The phone's biometric key did not open (or could not make) the biometric slot.
    #[error("{0}")]
    Biometric(super::biometric::BiometricError),
    /// Another program has been saving the vault for longer than a save takes.
    #[error("another program is saving {0} and did not finish within 10 seconds")]
    Busy(PathBuf),
    /// Another program changed the vault in a way this one cannot merge with (a new password or
    /// keys, or a newer format): nothing was written.
    #[error(
        "another program changed {0}: its password or keys are not the ones this session opened"
    )]
    ChangedElsewhere(PathBuf),
    /// The vault opened from a previous generation, and the user has not yet confirmed using it.
    #[error(
        "this session opened an older copy ({0}) because the newest file is damaged, and writes nothing until you confirm that copy"
    )]
    CopyNotConfirmed(PathBuf),
}

impl VaultError {
    /// What the user can do about it.
    pub fn advice(&self) -> &'static str {
        match self {
            VaultError::WrongPassword => {
                "Passwords are case-sensitive; check Caps Lock and try again."
            }
            VaultError::NotFound(_) => "Create a vault first, or point Tessera at the right file.",
            VaultError::AlreadyExists(_) => {
                "Open the existing vault, or choose another file for a new one."
            }
            VaultError::NotAVault(_) => {
                "Choose the vault file Tessera created (tessera.vault); backups and exports are imported, not opened."
            }
            VaultError::NewerVersion { .. } | VaultError::NewerKind { .. } => {
                "Update Tessera to open this vault; it was not changed."
            }
            VaultError::Damaged { .. } => {
                "Tessera keeps the previous versions of the vault beside it; open one of those, or restore a backup."
            }
            VaultError::KdfOutOfBounds { .. } => {
                "The file was not made by Tessera or was altered; restore a backup."
            }
            VaultError::Duplicate { .. } => {
                "Nothing was added. To keep a second copy anyway, change its name or note first."
            }
            VaultError::NoSuchAccount(_) | VaultError::Ambiguous(_) => {
                "List the accounts to see their ids."
            }
            VaultError::WouldEmpty(_) => {
                "Nothing was written. If you really want an empty vault, say so explicitly."
            }
            VaultError::Io { .. } => {
                "Check that the folder exists, is writable and has free space."
            }
            VaultError::Keystore(_) => {
                "Unlock with your password instead; the keystore can be set up again afterwards."
            }
            VaultError::Biometric(error) => match error {
                BiometricError::Cancelled(_) => "Try again, or unlock with your password.",
                BiometricError::Invalidated | BiometricError::Damaged => {
                    "Unlock with your password: nothing is lost. Then turn biometric unlock on again in Settings."
                }
                BiometricError::Unavailable(_) => {
                    "Unlock with your password, or enrol a fingerprint or face in the phone's settings first."
                }
                BiometricError::Failed(_) => {
                    "Wait a moment and try again, or unlock with your password."
                }
            },
            VaultError::Busy(_) => {
                "Nothing was written. Try again; if it keeps happening, close the other Tessera."
            }
            VaultError::ChangedElsewhere(_) => {
                "Nothing was written. Lock and unlock again (with the new password if it was changed), then make this change again."
            }
            VaultError::CopyNotConfirmed(_) => {
                "Check the accounts of the copy that opened; confirm it to make it the current vault, or restore a backup."
            }
        }
    }

    pub(crate) fn io(path: &std::path::Path, error: std::io::Error) -> VaultError {
        VaultError::Io {
            path: path.to_owned(),
            message: error.to_string(),
        }
    }
}
