//! What can go wrong moving accounts, each with advice.

use std::path::PathBuf;

use crate::vault::VaultError;

/// A transfer failure. Messages name files and formats, never a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransferError {
    /// Over [`super::MAX_IMPORT_SIZE`].
    #[error("the file is {size} bytes; Tessera imports files up to 32 MiB")]
    TooLarge {
        /// Its size (or unpacked size).
        size: u64,
    },
    /// No importer recognises the content.
    #[error(
        "this file is not a format Tessera reads; it reads {}",
        super::import::format_names()
    )]
    UnknownFormat,
    /// A file without a signature that only one format could be (andOTP's encrypted backups
    /// have none): it failed to open, which a wrong password and another kind of file do alike.
    #[error(
        "this file did not open as a {format} backup: either its password is another, or it is not \
         a {format} backup and not a format Tessera reads (it reads {})",
        super::import::format_names()
    )]
    WrongPasswordOrUnknown {
        /// The only format the file could be.
        format: &'static str,
    },
    /// The file is encrypted and no password was given.
    #[error("this {format} file is encrypted and needs its password")]
    NeedsPassword {
        /// The format's name.
        format: &'static str,
    },
    /// The password does not decrypt it.
    #[error("wrong password for this {format} file")]
    WrongPassword {
        /// The format's name.
        format: &'static str,
    },
    /// The password and key file together do not decrypt it.
    #[error("the password and key file do not open this {format} file")]
    WrongKeyFile {
        /// The format's name.
        format: &'static str,
    },
    /// The file is recognised but cannot be read.
    #[error("this {format} file is damaged or incomplete: {what}")]
    Damaged {
        /// The format's name.
        format: &'static str,
        /// What is wrong.
        what: String,
    },
    /// Recognised, but asks for something Tessera refuses (e.g. absurd KDF settings).
    #[error("this {format} file cannot be imported: {what}")]
    Refused {
        /// The format's name.
        format: &'static str,
        /// Why.
        what: String,
    },
    /// A file Tessera recognises as something other than an export it reads.
    #[error("this file cannot be imported: {what}")]
    NotAnExport {
        /// What the file is, and what to do.
        what: String,
    },
    /// The vault or the backup container failed.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// A file-system error.
    #[error("{path}: {message}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The system's message.
        message: String,
    },
    /// A backup was written but reading it back failed; the file was deleted.
    #[error("the backup {path} did not read back correctly ({what}) and was deleted")]
    BackupCheckFailed {
        /// The backup that was deleted.
        path: PathBuf,
        /// What differed.
        what: String,
    },
}

impl TransferError {
    /// What the user can do about it, in words for any surface (the command line adds its
    /// flags itself).
    pub fn advice(&self) -> &'static str {
        match self {
            TransferError::TooLarge { .. } => {
                "Check that this is the export file itself, not a photo library or an archive of many files."
            }
            TransferError::UnknownFormat => {
                "Export again from the other app choosing its JSON or plain-text export, or choose the format by hand."
            }
            TransferError::NeedsPassword { .. } => "Give the password the file was exported with.",
            TransferError::WrongPassword { .. } => {
                "Type the password set when the file was exported (not your phone's PIN), then try again."
            }
            TransferError::WrongKeyFile { .. } => {
                "Check the password, and choose the key file the database was made with (in \
                 KeePassXC: Database, Database Security); without one, leave the key file out."
            }
            TransferError::WrongPasswordOrUnknown { .. } => {
                "If it is that app's backup, type the password set when it was exported; else export again from the other app in a format listed."
            }
            TransferError::Damaged { .. } => {
                "Copy the file again from the other device (a transfer may have cut it short), or export it again."
            }
            TransferError::Refused { .. } => {
                "Export again from the other app with its default settings."
            }
            TransferError::NotAnExport { .. } => {
                "In the other app, use its export or backup function and import the file it writes."
            }
            TransferError::Vault(error) => error.advice(),
            TransferError::Io { .. } => {
                "Check that the file or folder exists and that Tessera may read and write there."
            }
            TransferError::BackupCheckFailed { .. } => {
                "Try again on another disk or folder: the storage may be failing or full."
            }
        }
    }

    pub(crate) fn io(path: &std::path::Path, error: std::io::Error) -> TransferError {
        TransferError::Io {
            path: path.to_owned(),
            message: error.to_string(),
        }
    }

    pub(crate) fn damaged(format: &'static str, what: impl Into<String>) -> TransferError {
        TransferError::Damaged {
            format,
            what: what.into(),
        }
    }
}

impl From<crate::file::WriteError> for TransferError {
    fn from(error: crate::file::WriteError) -> TransferError {
        TransferError::io(&error.path, error.error)
    }
}
