//! Reading a payload argument, or standard input when it is `-`.

use std::io::Read;

use tessera_core::otp::MAX_MIGRATION_LEN;
use zeroize::Zeroizing;

use crate::error::CliError;

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
