//! Reading input: a payload argument (or standard input when it is `-`), and a password from a
//! file, a variable or the terminal.

use std::io::Read;
use std::path::{Path, PathBuf};

use tessera_core::otp::MAX_MIGRATION_LEN;
use zeroize::Zeroizing;

use crate::error::CliError;
use crate::unlock::prompt_password;

/// The argument itself, or up to 64 KiB of standard input for `-`.
pub fn payload(arg: &str) -> Result<Zeroizing<String>, CliError> {
    if arg != "-" {
        return Ok(Zeroizing::new(arg.to_owned()));
    }
    let mut text = Zeroizing::new(String::new());
    std::io::stdin()
        .take(MAX_MIGRATION_LEN as u64 + 1)
        .read_to_string(&mut text)
        .map_err(|e| {
            CliError::new(
                format!("cannot read standard input: {e}"),
                "Pipe the URI as UTF-8 text.",
            )
        })?;
    Ok(text)
}

pub use tessera_core::otp::unix_now as now;

/// Where a backup or import password comes from.
#[derive(clap::Args)]
pub struct BackupPassword {
    /// Read the backup password from the first line of this file (else
    /// TESSERA_BACKUP_PASSWORD, else a prompt).
    #[arg(long, value_name = "FILE")]
    pub backup_password_file: Option<PathBuf>,
}

/// A password from the first line of `file`, else the variable, else the terminal.
pub fn password_from(
    variable: &str,
    file: Option<&Path>,
    prompt: &str,
) -> Result<Zeroizing<String>, CliError> {
    if let Some(file) = file {
        let text = Zeroizing::new(std::fs::read_to_string(file).map_err(|e| {
            CliError::new(
                format!("cannot read {}: {e}", file.display()),
                "Check the password file's path.",
            )
        })?);
        return Ok(Zeroizing::new(
            text.lines().next().unwrap_or_default().to_owned(),
        ));
    }
    if let Ok(password) = std::env::var(variable) {
        return Ok(Zeroizing::new(password));
    }
    prompt_password(prompt)
}
