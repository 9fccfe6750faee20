//! `export FILE --format F` to another app (or a Tessera backup) and `qr ID`, one account's QR
//! code; both after the vault password.

use std::path::PathBuf;
use std::process::ExitCode;

use tessera_core::otp::{Account, to_otpauth};
use tessera_core::transfer::backup::write_backup;
use tessera_core::transfer::export::{self, ExportFormat, qr};

use crate::error::CliError;
use crate::input::{BackupPassword, password_from};
use crate::output::short;
use crate::unlock::VaultArgs;

/// Every format `export --format` takes: a Tessera backup, and the core's export formats.
fn export_format_ids() -> clap::builder::PossibleValuesParser {
    let others = ExportFormat::ALL.map(ExportFormat::id);
    clap::builder::PossibleValuesParser::new(std::iter::once("tessera").chain(others))
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
    kdf: crate::unlock::KdfArgs,
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
