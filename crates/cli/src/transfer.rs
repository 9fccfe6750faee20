//! Commands that move accounts: backup, restore, import, export, qr, autobackup; and the
//! automatic backup after every change.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Value, json};
use tessera_core::otp::{Account, to_otpauth};
use tessera_core::transfer::backup::{read_backup, write_backup};
use tessera_core::transfer::export::{self, ExportFormat, qr};
use tessera_core::transfer::import::{Format, Imported, import};
use tessera_core::transfer::merge::{Outcome, Plan, plan};
use tessera_core::transfer::{MAX_IMPORT_SIZE, TransferError, autobackup};
use tessera_core::vault::Vault;
use zeroize::Zeroizing;

use crate::error::CliError;
use crate::input;
use crate::list::describe;
use crate::manage::short;
use crate::unlock::{VaultArgs, prompt_password};

impl From<TransferError> for CliError {
    fn from(error: TransferError) -> CliError {
        // The core's advice is the same on every surface; the command line adds its flags.
        let hint = match &error {
            TransferError::UnknownFormat => format!(
                "{} With the right file, name its format: --format NAME (`tessera-cli import --help` lists them).",
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

/// After a change: the automatic backup, if turned on; a failure is a loud warning, not an
/// error (the change itself is saved).
pub fn after_change(vault: &Vault) {
    if let Some(Err(error)) = autobackup::after_change(vault, input::now()) {
        eprintln!("warning: the automatic backup failed: {error}");
        eprintln!("hint: {}", error.advice());
    }
}

/// Where a backup or import password comes from.
#[derive(clap::Args)]
pub struct BackupPassword {
    /// Read the backup password from the first line of this file (else
    /// TESSERA_BACKUP_PASSWORD, else a prompt).
    #[arg(long, value_name = "FILE")]
    backup_password_file: Option<PathBuf>,
}

fn password_from(
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

/// Arguments of `backup`.
#[derive(clap::Args)]
pub struct BackupArgs {
    /// The backup file to write (e.g. phone.tessera).
    file: PathBuf,
    #[command(flatten)]
    password: BackupPassword,
    #[command(flatten)]
    kdf: crate::manage::KdfArgs,
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
    finish(
        &mut opened,
        &plan,
        &[],
        &[],
        args.dry_run,
        args.json,
        "restored",
    )
}

/// Every format `import --format` takes, from the core's list.
fn import_format_ids() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(Format::ALL.map(Format::id))
}

/// Every format `export --format` takes: a Tessera backup, and the core's export formats.
fn export_format_ids() -> clap::builder::PossibleValuesParser {
    let others = ExportFormat::ALL.map(ExportFormat::id);
    clap::builder::PossibleValuesParser::new(std::iter::once("tessera").chain(others))
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
}

/// `import FILE`: reads another app's export and adds its accounts.
pub fn import_file(vault: &VaultArgs, args: ImportArgs) -> Result<ExitCode, CliError> {
    let format = match &args.format {
        None => None,
        Some(id) => Some(Format::from_id(id).ok_or_else(|| {
            let known: Vec<&str> = Format::ALL.iter().map(|f| f.id()).collect();
            CliError::new(
                format!("unknown format \"{id}\""),
                format!("Use one of: {}.", known.join(", ")),
            )
        })?),
    };
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
    let now = input::now();
    let imported = match import(&bytes, given.as_ref().map(|p| p.as_bytes()), format, now) {
        Err(TransferError::NeedsPassword { format: name }) => {
            let password = prompt_password(&format!("Password of the {name} file: "))?;
            import(&bytes, Some(password.as_bytes()), format, now)?
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
fn finish(
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
                    "account": crate::list::account_json(&item.account),
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
        after_change(vault);
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// Arguments of `export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// The file to write (for google-qr: the first PNG; more get -2, -3, ... suffixes).
    file: PathBuf,
    /// The format: tessera (a backup), or another app's.
    #[arg(long, value_parser = export_format_ids())]
    format: String,
    /// Only accounts whose issuer, name, tenant, tags or note contain these words.
    query: Option<String>,
    #[command(flatten)]
    password: BackupPassword,
    #[command(flatten)]
    kdf: crate::manage::KdfArgs,
}

/// `export FILE --format F [QUERY]`.
pub fn export(vault: &VaultArgs, args: ExportArgs) -> Result<ExitCode, CliError> {
    let opened = vault.open_with_password()?;
    let accounts: Vec<&Account> = match &args.query {
        Some(query) => opened.search(query),
        None => opened.accounts(),
    };
    if accounts.is_empty() {
        return Err(CliError::new(
            "no account to export",
            "Check the query with `tessera-cli list QUERY`.",
        ));
    }
    let encrypted_password = |what: &str| {
        password_from(
            "TESSERA_BACKUP_PASSWORD",
            args.password.backup_password_file.as_deref(),
            &format!("Password for the {what} file: "),
        )
    };
    if args.format == "tessera" {
        let password = encrypted_password("backup")?;
        let ids: Vec<_> = accounts.iter().map(|a| a.id).collect();
        let entries: Vec<_> = opened
            .backup_entries()
            .into_iter()
            .filter(|(a, _)| ids.contains(&a.id))
            .collect();
        let (kdf, _) = args.kdf.params();
        let written = write_backup(&args.file, &entries, password.as_bytes(), kdf)?;
        println!(
            "Exported {} accounts to {} (verified)",
            written.accounts,
            written.path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let format = ExportFormat::from_id(&args.format).expect("clap checked the format");
    if format.is_plain() {
        eprintln!(
            "warning: this {} file holds your secrets unencrypted; keep it safe and delete it after use",
            format.name()
        );
    }
    let password = match format.needs_password() {
        true => Some(encrypted_password(format.name())?),
        false => None,
    };
    let exported = export::write(
        format,
        &accounts,
        &args.file,
        password.as_ref().map(|p| p.as_bytes()),
    )?;
    for (label, limit) in &exported.left_out {
        eprintln!("left out: {label}: {limit}");
    }
    if format == ExportFormat::GoogleQr {
        for (i, path) in exported.files.iter().enumerate() {
            println!(
                "QR code {} of {}: {}",
                i + 1,
                exported.files.len(),
                path.display()
            );
        }
        println!(
            "Exported {} accounts in {} QR codes; {} left out. Scan them in Google Authenticator: Transfer accounts > Import accounts.",
            exported.accounts,
            exported.files.len(),
            exported.left_out.len()
        );
    } else {
        println!(
            "Exported {} accounts to {} ({})",
            exported.accounts,
            args.file.display(),
            format.name()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `qr`.
#[derive(clap::Args)]
pub struct QrArgs {
    /// The account's id (or the start of it).
    id: String,
    /// Write a PNG here instead of drawing the code in the terminal.
    #[arg(long, value_name = "FILE")]
    png: Option<PathBuf>,
}

/// `qr ID`: the account's enrolment QR code, to scan it into another device.
pub fn qr_code(vault: &VaultArgs, args: QrArgs) -> Result<ExitCode, CliError> {
    let opened = vault.open_with_password()?;
    let path = vault.path()?;
    let id = opened
        .find(&args.id)
        .map_err(|e| crate::unlock::vault_error(e, &path))?;
    let account = opened.get(id).expect("found");
    let uri = to_otpauth(&account.enrolment());
    match &args.png {
        Some(file) => {
            let png = qr::png(&uri).map_err(|e| CliError::new(e.to_string(), ""))?;
            tessera_core::transfer::backup::write_file(file, &png)?;
            println!(
                "QR code of {} written to {}",
                account.label(),
                file.display()
            );
        }
        None => {
            let text = qr::terminal(&uri).map_err(|e| CliError::new(e.to_string(), ""))?;
            print!("{}", text.as_str());
            println!("{} ({})", account.label(), short(&account.id.to_string()));
        }
    }
    Ok(ExitCode::SUCCESS)
}

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
