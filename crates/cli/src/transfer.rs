//! `backup FILE` and `restore FILE`: Tessera's own verified backups (import.rs, export.rs and
//! autobackup.rs hold the other commands that move accounts).

use std::path::PathBuf;
use std::process::ExitCode;

use tessera_core::transfer::backup::{read_backup, write_backup};
use tessera_core::transfer::merge::plan;

use crate::error::CliError;
use crate::input::{BackupPassword, password_from};
use crate::unlock::VaultArgs;

/// Arguments of `backup`.
#[derive(clap::Args)]
pub struct BackupArgs {
    /// The backup file to write (e.g. phone.tessera).
    file: PathBuf,
    #[command(flatten)]
    password: BackupPassword,
    #[command(flatten)]
    kdf: crate::unlock::KdfArgs,
}

/// `backup FILE`: every account, live and trashed, in a verified backup file.
pub fn backup(vault: &VaultArgs, args: BackupArgs) -> Result<ExitCode, CliError> {
    let opened = vault.open_with_password()?;
    let password = password_from(
        "TESSERA_BACKUP_PASSWORD",
        args.password.backup_password_file.as_deref(),
        "Backup password: ",
    )?;
    if password.is_empty() {
        return Err(CliError::new(
            "the backup password is empty",
            "Choose a password for the backup file.",
        ));
    }
    let (kdf, _) = args.kdf.params();
    let written = write_backup(
        &args.file,
        &opened.backup_entries(),
        password.as_bytes(),
        kdf,
    )?;
    println!(
        "Backed up {} accounts to {} ({} bytes; read back and verified)",
        written.accounts,
        written.path.display(),
        written.bytes
    );
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `restore`.
#[derive(clap::Args)]
pub struct RestoreArgs {
    /// The backup file (a .tessera backup, or an automatic backup with the vault password).
    file: PathBuf,
    /// Show what would happen without changing anything.
    #[arg(long)]
    dry_run: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    password: BackupPassword,
}

/// `restore FILE`: adds the backup's accounts (never deletes or overwrites).
pub fn restore(vault: &VaultArgs, args: RestoreArgs) -> Result<ExitCode, CliError> {
    let password = password_from(
        "TESSERA_BACKUP_PASSWORD",
        args.password.backup_password_file.as_deref(),
        "Backup password: ",
    )?;
    let entries = read_backup(&args.file, password.as_bytes())?;
    let mut opened = vault.open()?;
    let plan = plan(&opened, entries);
    crate::import::finish(
        &mut opened,
        &plan,
        &[],
        &[],
        args.dry_run,
        args.json,
        "restored",
    )
}
