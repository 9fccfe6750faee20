//! The command line's error: what went wrong (from the core) plus a hint, which may name flags.

use tessera_core::otp::PayloadError;
use tessera_core::transfer::TransferError;

/// A failure to report on stderr.
pub struct CliError {
    message: String,
    hint: String,
}

impl CliError {
    /// A failure with its hint.
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// Prints `error: ...` and `hint: ...` on stderr.
    pub fn print(&self) {
        eprintln!("error: {}", self.message);
        if !self.hint.is_empty() {
            eprintln!("hint: {}", self.hint);
        }
    }
}

impl From<PayloadError> for CliError {
    fn from(error: PayloadError) -> CliError {
        let hint = payload_hint(&error);
        CliError::new(error.to_string(), hint)
    }
}

/// The core's advice for a payload error, in the command line's terms where it has its own way.
pub fn payload_hint(error: &PayloadError) -> String {
    match error {
        PayloadError::BareSecret => "This looks like a secret key: add it with `tessera-cli add --secret - --issuer SERVICE --name ACCOUNT` (the key is read from standard input).".into(),
        other => other.advice().into(),
    }
}

impl From<tessera_core::transfer::sync::SyncError> for CliError {
    fn from(error: tessera_core::transfer::sync::SyncError) -> CliError {
        use tessera_core::transfer::sync::SyncError;
        // The core's advice, with the command line's words where it names an action.
        let hint = match &error {
            SyncError::NotSetUp => "Join a sync first: tessera-cli sync --dir DIR (the sync password from TESSERA_SYNC_PASSWORD or a prompt).".into(),
            SyncError::AlreadySetUp(_) => "Sync with that folder, or leave the sync first: tessera-cli sync leave.".into(),
            SyncError::NoSuchDevice(_) => "tessera-cli sync status lists the devices.".into(),
            other => other.advice().to_owned(),
        };
        CliError::new(error.to_string(), hint)
    }
}

impl From<TransferError> for CliError {
    fn from(error: TransferError) -> CliError {
        // The core's advice is the same on every surface; the command line adds its flags.
        let hint = match &error {
            TransferError::UnknownFormat => format!(
                "{} With the right file, name its format: --format NAME (`tessera-cli import --help` lists them).",
                error.advice()
            ),
            TransferError::WrongPasswordOrUnknown { .. } => format!(
                "{} Another password: TESSERA_IMPORT_PASSWORD or --import-password-file FILE.",
                error.advice()
            ),
            TransferError::NeedsPassword { .. } => format!(
                "{} Set TESSERA_IMPORT_PASSWORD or use --import-password-file FILE.",
                error.advice()
            ),
            other => other.advice().into(),
        };
        CliError::new(error.to_string(), hint)
    }
}
