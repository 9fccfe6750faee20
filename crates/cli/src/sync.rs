//! `sync`: this vault kept in step with your other devices through a folder that Syncthing,
//! Nextcloud or Dropbox syncs (docs/sync-format.md); its status; removing a device; leaving.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use tessera_core::transfer::sync::{self, SyncReport};
use tessera_core::vault::Vault;

use crate::error::CliError;
use crate::input;
use crate::unlock::{KdfArgs, VaultArgs};

/// Arguments of `sync`.
#[derive(clap::Args)]
pub struct SyncArgs {
    #[command(subcommand)]
    action: Option<SyncAction>,
    /// The sync folder (the one your sync engine keeps in step); remembered after the first
    /// sync.
    #[arg(long, value_name = "DIR", global = true)]
    dir: Option<PathBuf>,
    /// This device's name in the sync (when joining; the host name if not given).
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    #[command(flatten)]
    kdf: KdfArgs,
}

#[derive(Subcommand)]
enum SyncAction {
    /// The devices seen, the last sync, open conflicts and files not merged.
    Status,
    /// Remove a device (its name or the start of its id): the sync gets a new key and password
    /// (TESSERA_SYNC_NEW_PASSWORD or a prompt) and the device's files are ignored from now on.
    Remove {
        /// The device's name or id.
        device: String,
    },
    /// Stop syncing this vault (its accounts stay, and so does its file in the folder).
    Leave,
}

/// `sync [--dir DIR]`: joins on first use (TESSERA_SYNC_PASSWORD or a prompt), else merges now.
pub fn run(vault: &VaultArgs, args: SyncArgs) -> Result<ExitCode, CliError> {
    let mut opened = vault.open()?;
    let joined = sync::folder_of(&opened)?;
    let folder = match (&args.dir, &joined) {
        // Kept absolute: the next sync may run from another folder.
        (Some(dir), _) => std::path::absolute(dir).unwrap_or_else(|_| dir.clone()),
        (None, Some(folder)) => folder.clone(),
        (None, None) if matches!(args.action, Some(SyncAction::Leave)) => PathBuf::new(),
        (None, None) => {
            return Err(CliError::new(
                "this vault does not sync yet",
                "Join a sync with --dir DIR: the folder your sync engine keeps in step.",
            ));
        }
    };
    match args.action {
        Some(SyncAction::Status) => status(&opened, &folder),
        Some(SyncAction::Remove { device }) => {
            let password = new_password()?;
            let key = sync::new_key(password.as_bytes(), args.kdf.params().0)?;
            let removed = sync::remove_device(&mut opened, &folder, &device, &key, input::now())?;
            println!(
                "Removed {}: the sync has a new key; its files are ignored from now on.",
                removed.name
            );
            println!(
                "Join again on every other device: tessera-cli sync with the new TESSERA_SYNC_PASSWORD."
            );
            println!(
                "{} already holds the seeds of {} accounts: they stay valid on it until you enrol those accounts again.",
                removed.name, removed.accounts
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(SyncAction::Leave) => {
            if sync::leave(&opened)? {
                println!("This vault no longer syncs; its accounts stay.");
            } else {
                println!("This vault did not sync.");
            }
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let report = match joined {
                None => {
                    let password = input::password_from(
                        "TESSERA_SYNC_PASSWORD",
                        None,
                        "Sync password (the first device's, or a new one for a new sync): ",
                    )?;
                    let name = args.name.unwrap_or_else(host_name);
                    let key =
                        sync::prepare_join(&folder, password.as_bytes(), args.kdf.params().0)?;
                    if key.new {
                        println!(
                            "A new sync: join it on your other devices with the same sync password."
                        );
                    }
                    sync::join(&mut opened, &folder, &name, &key, input::now())?
                }
                Some(_) => {
                    // The password, if given, follows a re-key after a device was removed.
                    let key = match std::env::var("TESSERA_SYNC_PASSWORD") {
                        Ok(password) if rekeyed(&opened, &folder)? => Some(sync::prepare_join(
                            &folder,
                            password.as_bytes(),
                            args.kdf.params().0,
                        )?),
                        _ => None,
                    };
                    sync::sync(&mut opened, &folder, key.as_ref(), input::now())?
                }
            };
            print_report(&folder, &report);
            crate::output::after_change(&opened);
            // Exit 2 when a file needs something done; a removed device's are only named.
            let act = report
                .problems
                .iter()
                .any(|(_, e)| *e != tessera_core::transfer::sync::SyncFileError::Removed);
            Ok(if act {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// Whether some file of the folder is sealed with another sync key (a re-key, or another
/// person's sync): only then is the password's slow key derivation worth running.
fn rekeyed(vault: &Vault, folder: &std::path::Path) -> Result<bool, CliError> {
    let status = sync::status(vault, folder)?;
    Ok(status
        .problems
        .iter()
        .any(|(_, e)| *e == tessera_core::transfer::sync::SyncFileError::OtherKey))
}

fn new_password() -> Result<zeroize::Zeroizing<String>, CliError> {
    if let Ok(password) = std::env::var("TESSERA_SYNC_NEW_PASSWORD") {
        return Ok(zeroize::Zeroizing::new(password));
    }
    let first = crate::unlock::prompt_password("New sync password: ")?;
    let again = crate::unlock::prompt_password("New sync password again: ")?;
    if first != again {
        return Err(CliError::new(
            "the two passwords differ",
            "Nothing changed. Run it again.",
        ));
    }
    Ok(first)
}

fn host_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "tessera-cli".to_owned())
}

fn print_report(folder: &std::path::Path, r: &SyncReport) {
    println!(
        "Synced with {}: {} sent; {} added, {} changed, {} to the trash, {} purged here.",
        folder.display(),
        r.sent,
        r.added,
        r.changed,
        r.trashed,
        r.purged
    );
    if r.conflicts > 0 {
        println!(
            "{} conflict copies: two devices changed the same thing at once. `tessera-cli list` shows both; keep one (`rm` the other) or keep both (`edit --resolve`).",
            r.conflicts
        );
    }
    if r.unreadable > 0 {
        println!(
            "{} accounts from another device need a newer Tessera; update to use them.",
            r.unreadable
        );
    }
    for (path, error) in &r.problems {
        eprintln!("skipped {}: {error}", path.display());
        eprintln!("hint: {}", error.advice());
    }
}

fn status(vault: &Vault, folder: &std::path::Path) -> Result<ExitCode, CliError> {
    let status = sync::status(vault, folder)?;
    println!("Sync folder: {}", status.folder.display());
    match status.last_sync {
        Some(at) => println!(
            "Last sync: {}",
            tessera_core::transfer::autobackup::utc_stamp(at)
        ),
        None => println!("Last sync: never"),
    }
    println!("Devices:");
    for d in &status.devices {
        let when = d
            .last_change
            .map_or("no file in the folder".to_owned(), |at| {
                format!(
                    "last change {}",
                    tessera_core::transfer::autobackup::utc_stamp(at)
                )
            });
        let mark = if d.this {
            " (this device)"
        } else if d.removed {
            " (removed)"
        } else {
            ""
        };
        println!("  {}  {}{mark}  {when}", &d.id.to_string()[..8], d.name);
    }
    println!("Open conflicts: {}", status.conflicts);
    for (path, error) in &status.problems {
        println!("Not merged: {}: {error}", path.display());
        println!("  hint: {}", error.advice());
    }
    Ok(ExitCode::SUCCESS)
}
