//! What can go wrong in the app, typed: each variant knows the sentence the window shows and
//! what the user can do, in the app's words (the core's errors say what happened; their advice
//! never names command-line flags, and this layer adds what is specific to the window).

use tessera_core::otp::{OtpError, PayloadError, SecretError};
use tessera_core::scan::FrameError;
use tessera_core::transfer::TransferError;
use tessera_core::vault::VaultError;

/// A failure to show: [`AppError::message`] says what happened, [`AppError::advice`] what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AppError {
    /// An action that needs the unlocked vault, while it is locked.
    Locked,
    /// The account asked for is gone (trashed and purged, or merged away).
    NoSuchAccount,
    /// Re-authentication: the password typed is not the vault's.
    NotTheVaultPassword,
    /// A form's input is not usable: what is wrong and what to type instead.
    Input {
        /// What is wrong.
        message: String,
        /// What to do.
        advice: String,
    },
    /// The vault failed.
    Vault(VaultError),
    /// Another program changed the vault's password or keys, so the app locked.
    ChangedElsewhere,
    /// A backup, import or export failed.
    Transfer(TransferError),
    /// Sync through a folder failed.
    Sync(tessera_core::transfer::sync::SyncError),
    /// A pasted or scanned text is not an account.
    Payload(PayloadError),
    /// An account's parameters are not valid.
    Otp(OtpError),
    /// A typed secret key is not valid.
    Secret(SecretError),
    /// An image could not be read.
    Scan(FrameError),
    /// A file could not be read or written.
    File {
        /// What was being done, with the file's name.
        message: String,
    },
    /// A bug reached by a hostile or unusual file (a panic caught off the UI thread).
    Internal,
    /// The user closed the system's file dialog without choosing.
    Cancelled,
}

impl AppError {
    /// A form's input error.
    pub fn input(message: impl Into<String>, advice: impl Into<String>) -> AppError {
        AppError::Input {
            message: message.into(),
            advice: advice.into(),
        }
    }

    /// What happened, as a sentence.
    pub fn message(&self) -> String {
        match self {
            AppError::Locked => "The vault is locked.".into(),
            AppError::NoSuchAccount => "That account is no longer here.".into(),
            AppError::NotTheVaultPassword => "That is not the vault password.".into(),
            AppError::Input { message, .. } => message.clone(),
            AppError::Vault(VaultError::WrongPassword) => "Wrong password.".into(),
            AppError::Vault(error) => sentence(&error.to_string()),
            AppError::ChangedElsewhere => {
                "Another program changed the vault's password or keys, so Tessera locked.".into()
            }
            AppError::Transfer(error) => sentence(&error.to_string()),
            AppError::Sync(error) => sentence(&error.to_string()),
            AppError::Payload(error) => sentence(&error.to_string()),
            AppError::Otp(error) => sentence(&error.to_string()),
            AppError::Secret(error) => sentence(&error.to_string()),
            AppError::Scan(error) => sentence(&error.to_string()),
            AppError::File { message } => message.clone(),
            AppError::Internal => "Tessera hit an internal error while reading this file.".into(),
            AppError::Cancelled => "Nothing was written: no place was chosen.".into(),
        }
    }

    /// What the user can do about it.
    pub fn advice(&self) -> String {
        match self {
            AppError::Locked => "Unlock it first.".into(),
            AppError::NoSuchAccount => "Go back to the list and choose another.".into(),
            AppError::NotTheVaultPassword => {
                "Type the password that unlocks Tessera; nothing was done.".into()
            }
            AppError::Input { advice, .. } => advice.clone(),
            AppError::Vault(VaultError::WrongPassword) => "Passwords are case-sensitive.".into(),
            AppError::Vault(error) => error.advice().into(),
            AppError::ChangedElsewhere => "Nothing of yours was written over. Unlock with the current password and make the last change again.".into(),
            AppError::Transfer(TransferError::UnknownFormat) => {
                "Export again from the other app choosing its JSON or plain-text export; the list above names every app Tessera reads.".into()
            }
            AppError::Transfer(TransferError::NeedsPassword { .. }) => {
                "Type the password the file was exported with in \"The file's password\", then choose Preview again.".into()
            }
            AppError::Transfer(error) => error.advice().into(),
            AppError::Sync(error) => error.advice().into(),
            AppError::Payload(PayloadError::BareSecret) => {
                "This looks like a secret key: add it on the Type tab, giving the service and account names yourself.".into()
            }
            AppError::Payload(error) => error.advice().into(),
            AppError::Otp(error) => error.advice().into(),
            AppError::Secret(error) => error.advice().into(),
            AppError::Scan(error) => error.advice().into(),
            AppError::File { .. } => {
                "Check the path, or choose the file or folder with the button.".into()
            }
            AppError::Internal => "Nothing was changed. Please report it (the app and the file's kind, never the file).".into(),
            AppError::Cancelled => "Try again and choose where the file goes.".into(),
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.message(), self.advice())
    }
}

impl From<VaultError> for AppError {
    fn from(error: VaultError) -> AppError {
        AppError::Vault(error)
    }
}

impl From<TransferError> for AppError {
    fn from(error: TransferError) -> AppError {
        match error {
            TransferError::Vault(error) => AppError::Vault(error),
            other => AppError::Transfer(other),
        }
    }
}

impl From<PayloadError> for AppError {
    fn from(error: PayloadError) -> AppError {
        AppError::Payload(error)
    }
}

impl From<OtpError> for AppError {
    fn from(error: OtpError) -> AppError {
        AppError::Otp(error)
    }
}

impl From<SecretError> for AppError {
    fn from(error: SecretError) -> AppError {
        AppError::Secret(error)
    }
}

impl From<FrameError> for AppError {
    fn from(error: FrameError) -> AppError {
        AppError::Scan(error)
    }
}

/// A core error's text (lower case, no full stop: it is also used inside sentences) as a
/// sentence of its own.
pub(super) fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let first: String = chars
        .next()
        .map(char::to_uppercase)
        .into_iter()
        .flatten()
        .collect();
    let mut out = first + chars.as_str();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}
