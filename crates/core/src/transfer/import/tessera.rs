//! Tessera's own backups (and vault files): the vault's container, opened with the backup's
//! password; every account comes back with its notes, tags, tenant, pin and trash time.

use super::{Format, Imported};
use crate::transfer::TransferError;
use crate::vault::{VaultError, open_backup};

/// Reads a backup sealed with `password`.
pub fn read(
    bytes: &[u8],
    password: Option<&[u8]>,
    out: &mut Imported,
) -> Result<(), TransferError> {
    let name = Format::Tessera.name();
    let password = password.ok_or(TransferError::NeedsPassword { format: name })?;
    let entries =
        open_backup(std::path::Path::new("the backup"), bytes, password).map_err(|e| match e {
            VaultError::WrongPassword => TransferError::WrongPassword { format: name },
            other => other.into(),
        })?;
    out.entries = entries.into_iter().map(Ok).collect();
    Ok(())
}
