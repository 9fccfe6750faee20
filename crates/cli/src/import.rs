//! `import FILE`: another app's export (or a Tessera backup), its format detected from the content
//! or named with `--format`; a merge plan printed, then applied unless `--dry-run`.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{Value, json};
use tessera_core::transfer::import::{Format, Imported, import_with_key_file};
use tessera_core::transfer::merge::{Outcome, Plan, plan};
use tessera_core::transfer::{MAX_IMPORT_SIZE, TransferError};
use tessera_core::vault::Vault;
use zeroize::Zeroizing;

use crate::error::CliError;
use crate::input;
use crate::input::password_from;
use crate::output::describe;
use crate::unlock::{VaultArgs, prompt_password};

/// Every format `import --format` takes, from the core's list.
fn import_format_ids() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(Format::ALL.map(Format::id))
}

/// Arguments of `import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// The other app's export file (or a screenshot of Google Authenticator's export QR code).
    file: PathBuf,
    /// The format, when detection picks the wrong one (the names come from the core's list of
    /// formats).
    #[arg(long, value_name = "F", value_parser = import_format_ids())]
    format: Option<String>,
    /// Show what would happen without changing anything.
    #[arg(long)]
    dry_run: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Read the export's password from the first line of this file (else
    /// TESSERA_IMPORT_PASSWORD; asked for when the file turns out to be encrypted).
    #[arg(long, value_name = "FILE")]
    import_password_file: Option<PathBuf>,
    /// A KeePass database's key file (with or without its password).
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
}

/// `import FILE`: reads another app's export and adds its accounts.
pub fn import_file(vault: &VaultArgs, args: ImportArgs) -> Result<ExitCode, CliError> {
    // Clap takes only the ids of `Format::ALL` (`import_format_ids`).
    let format = args.format.as_deref().and_then(Format::from_id);
    let size = std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or(0);
    if size > MAX_IMPORT_SIZE as u64 {
        return Err(TransferError::TooLarge { size }.into());
    }
    let bytes = std::fs::read(&args.file).map_err(|e| {
        CliError::new(
            format!("cannot read {}: {e}", args.file.display()),
            "Check the path.",
        )
    })?;
    let given = match (
        &args.import_password_file,
        std::env::var("TESSERA_IMPORT_PASSWORD"),
    ) {
        (Some(file), _) => Some(password_from("", Some(file), "")?),
        (None, Ok(password)) => Some(Zeroizing::new(password)),
        (None, Err(_)) => None,
    };
    let key_file = match &args.key_file {
        Some(path) => Some(read_key_file(path)?),
        None => None,
    };
    let key_file = key_file.as_ref().map(|k| k.as_slice());
    let now = input::now();
    let given = given.as_ref().map(|p| p.as_bytes());
    let imported = match import_with_key_file(&bytes, given, key_file, format, now) {
        Err(TransferError::NeedsPassword { format: name }) => {
            let password = prompt_password(&format!("Password of the {name} file: "))?;
            import_with_key_file(&bytes, Some(password.as_bytes()), key_file, format, now)?
        }
        other => other?,
    };
    let mut opened = vault.open()?;
    let plan = plan(&opened, imported.accounts());
    let failures: Vec<String> = imported.failures().iter().map(|f| f.to_string()).collect();
    if !args.json {
        println!("{} file", imported.format.name());
    }
    notes_for(&imported);
    finish(
        &mut opened,
        &plan,
        &failures,
        &imported.notes,
        args.dry_run,
        args.json,
        "imported",
    )
}

fn notes_for(imported: &Imported) {
    for batch in &imported.batches {
        eprintln!(
            "note: Google export QR code {} of {}",
            batch.index + 1,
            batch.size
        );
    }
}

/// Prints the plan (and failures and notes), applies it unless a dry run.
pub fn finish(
    vault: &mut Vault,
    plan: &Plan,
    failures: &[String],
    notes: &[String],
    dry_run: bool,
    as_json: bool,
    verb: &str,
) -> Result<ExitCode, CliError> {
    let added = if dry_run {
        0
    } else {
        plan.apply(vault)
            .map_err(|e| crate::unlock::vault_error(e, vault.path()))?
    };
    if as_json {
        let items: Vec<Value> = plan
            .items
            .iter()
            .map(|item| {
                let (outcome, of) = match &item.outcome {
                    Outcome::New => ("new", None),
                    Outcome::Duplicate { of } => ("duplicate", Some(of)),
                    Outcome::Independent { of } => ("independent", Some(of)),
                };
                json!({
                    "outcome": outcome,
                    "of": of,
                    "trashed": item.trashed.is_some(),
                    "account": crate::output::account_json(&item.account),
                })
            })
            .collect();
        let report = json!({
            "dry_run": dry_run,
            "added": added,
            "new": plan.new_count(),
            "duplicates": plan.duplicate_count(),
            "independent": plan.independent_count(),
            "failed": failures,
            "notes": notes,
            "entries": items,
        });
        println!("{report:#}");
    } else {
        for item in &plan.items {
            let (mark, extra) = match &item.outcome {
                Outcome::New => ("new        ", String::new()),
                Outcome::Duplicate { of } => {
                    ("duplicate  ", format!("  (already have \"{of}\"; skipped)"))
                }
                Outcome::Independent { of } => (
                    "independent",
                    format!("  (another authenticator for \"{of}\"; kept, tagged)"),
                ),
            };
            let trashed = if item.trashed.is_some() {
                " (in trash)"
            } else {
                ""
            };
            println!("{mark}  {}{trashed}{extra}", describe(&item.account));
        }
        for failure in failures {
            println!("failed       {failure}");
        }
        for note in notes {
            println!("note: {note}");
        }
        println!(
            "{} new, {} duplicates skipped, {} independent authenticators kept, {} failed{}",
            plan.new_count(),
            plan.duplicate_count(),
            plan.independent_count(),
            failures.len(),
            if dry_run {
                " (dry run: nothing changed)".to_owned()
            } else {
                format!("; {added} {verb}")
            }
        );
    }
    if added > 0 {
        crate::output::after_change(vault);
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// A key file's contents: KeePass key files are small (an XML file or 32 to 64 bytes; any file
/// can serve as one, so up to 1 MiB is read).
fn read_key_file(path: &std::path::Path) -> Result<Zeroizing<Vec<u8>>, CliError> {
    let unreadable = |e: std::io::Error| {
        CliError::new(
            format!("cannot read the key file {}: {e}", path.display()),
            "Check the key file's path.",
        )
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > 1 << 20 {
        return Err(CliError::new(
            format!(
                "{} is {size} bytes; a key file Tessera reads is at most 1 MiB",
                path.display()
            ),
            "Choose the key file the KeePass database was made with.",
        ));
    }
    Ok(Zeroizing::new(std::fs::read(path).map_err(unreadable)?))
}
