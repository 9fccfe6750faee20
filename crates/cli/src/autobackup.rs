//! `autobackup`: automatic backups after every change, their status, and sealing older ones
//! again after a password change.

use std::path::PathBuf;
use std::process::ExitCode;

use tessera_core::transfer::autobackup;
use zeroize::Zeroizing;

use crate::error::CliError;
use crate::input;
use crate::unlock::VaultArgs;

/// Arguments of `autobackup`.
#[derive(clap::Args)]
pub struct AutoArgs {
    /// The folder for automatic backups (a synced folder or USB stick).
    #[arg(long, value_name = "DIR", conflicts_with = "off")]
    dir: Option<PathBuf>,
    /// How many backups to keep.
    #[arg(long, value_name = "N", default_value_t = autobackup::DEFAULT_KEEP)]
    keep: usize,
    /// Turn automatic backups off.
    #[arg(long)]
    off: bool,
    /// After `passwd`: seal the automatic backups made under the old password again under the
    /// new one (the old password comes from TESSERA_OLD_PASSWORD or a prompt).
    #[arg(long, conflicts_with_all = ["off", "dir"])]
    rewrite: bool,
}

/// `autobackup --dir DIR [--keep N]`, `--off`, or without options: the status.
pub fn auto(vault: &VaultArgs, args: AutoArgs) -> Result<ExitCode, CliError> {
    let path = vault.path()?;
    if args.rewrite {
        let opened = vault.open_with_password()?;
        let old = match std::env::var("TESSERA_OLD_PASSWORD") {
            Ok(old) => Zeroizing::new(old),
            Err(_) => crate::unlock::prompt_password("Old password: ")?,
        };
        let rewritten = autobackup::rewrite(opened.path(), &opened.resealer(), old.as_bytes())?;
        println!(
            "{rewritten} automatic backups sealed again: the old password opens none of them."
        );
        return Ok(ExitCode::SUCCESS);
    }
    if args.off {
        autobackup::disable(&path)?;
        println!("Automatic backups are off (the backups made so far stay).");
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(dir) = &args.dir {
        let opened = vault.open()?;
        autobackup::configure(&path, dir, args.keep)?;
        println!(
            "Automatic backups to {} after every change, keeping {}.",
            dir.display(),
            args.keep.max(1)
        );
        match autobackup::after_change(&opened, input::now()) {
            Some(Ok(made)) => println!(
                "First backup: {} ({} accounts, verified)",
                made.file.display(),
                made.accounts
            ),
            Some(Err(error)) => return Err(error.into()),
            None => {}
        }
        return Ok(ExitCode::SUCCESS);
    }
    match autobackup::load(&path) {
        None => println!("Automatic backups are off. Turn them on with --dir DIR."),
        Some(settings) => {
            println!(
                "Automatic backups to {}, keeping {}.",
                settings.dir.display(),
                settings.keep
            );
            match &settings.last_success {
                Some(s) => println!(
                    "Last backup: {} ({} accounts) at {}",
                    s.file.display(),
                    s.accounts,
                    autobackup::utc_stamp(s.time)
                ),
                None => println!("No backup made yet."),
            }
            if let Some(f) = &settings.last_failure {
                println!(
                    "LAST BACKUP FAILED at {}: {}",
                    autobackup::utc_stamp(f.time),
                    f.reason
                );
                return Ok(ExitCode::from(2));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
