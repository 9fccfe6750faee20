//! The command line's error: what went wrong (from the core) plus a hint, which may name flags.

use tessera_core::otp::PayloadError;

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
        CliError::new(error.to_string(), error.advice())
    }
}
