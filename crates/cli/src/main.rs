//! `tessera-cli`: Tessera's command line, over the same core as the app.
//!
//! Every command prints its result on stdout (`--json` for scripts) and, on failure, a message
//! and a hint on stderr with a non-zero exit status. Secrets never appear unless asked for with
//! `--show-secrets`; a URI argument of `-` is read from standard input so that it stays out of the
//! shell history and the process list.

mod autobackup;
mod code;
mod error;
mod export;
mod handover;
mod import;
mod input;
mod inspect;
mod list;
mod manage;
mod output;
mod scan;
mod sync;
mod transfer;
mod unlock;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tessera's command line: your vault's codes, and enrolment payloads.
#[derive(Parser)]
#[command(name = "tessera-cli", version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    vault: unlock::VaultArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new vault (asks for its password twice).
    Init(unlock::KdfArgs),
    /// Add the account(s) of an otpauth:// or otpauth-migration:// URI.
    Add(manage::AddArgs),
    /// List the accounts (no secrets).
    List(list::ListArgs),
    /// Print codes: the vault's accounts matching QUERY, or one URI with --uri.
    Code(code::Args),
    /// Change an account's issuer, name, note, tenant, tags or pin.
    Edit(manage::EditArgs),
    /// Move an account to the trash.
    Rm {
        /// The account's id (or the start of it).
        id: String,
    },
    /// List the accounts in the trash.
    Trash(list::TrashArgs),
    /// Bring an account back from the trash.
    Undelete {
        /// The account's id (or the start of it).
        id: String,
    },
    /// Delete an account in the trash for good.
    Purge {
        /// The account's id (or the start of it).
        id: String,
    },
    /// Change the vault password (and its master key).
    Passwd(manage::PasswdArgs),
    /// Turn unlocking through the system keystore on or off.
    Keystore {
        /// on or off.
        #[arg(value_parser = ["on", "off"])]
        state: String,
    },
    /// Show what the QR codes in images hold.
    Scan(scan::Args),
    /// Show what an enrolment payload (otpauth:// or otpauth-migration:// URI) holds.
    Inspect(inspect::Args),
    /// Write every account (live and trashed) to a verified, encrypted backup file.
    Backup(transfer::BackupArgs),
    /// Add the accounts of a backup file (shows new, duplicate and independent ones).
    Restore(transfer::RestoreArgs),
    /// Add the accounts of another authenticator's export (format detected from the content).
    Import(import::ImportArgs),
    /// Export accounts (all, or those matching QUERY) for another app or device.
    Export(export::ExportArgs),
    /// Show an account's enrolment QR code (terminal or PNG) to scan it into another device.
    Qr(export::QrArgs),
    /// Automatic backups after every change: set the folder, turn off, or show the status.
    Autobackup(autobackup::AutoArgs),
    /// Send accounts to another device as animated QR codes (frames written as PNG files; the
    /// transfer code on stderr).
    Send(handover::SendArgs),
    /// Add the accounts of a transfer from its frames (images, any order); the code from
    /// TESSERA_TRANSFER_CODE or a prompt.
    Receive(handover::ReceiveArgs),
    /// Keep this vault in step with your other devices through a synced folder (joins with
    /// TESSERA_SYNC_PASSWORD or a prompt); `sync status`, `sync remove DEVICE`, `sync leave`.
    Sync(sync::SyncArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let vault = &cli.vault;
    let result = match cli.command {
        Command::Init(args) => manage::init(vault, args),
        Command::Add(args) => manage::add(vault, args),
        Command::List(args) => list::list(vault, args),
        Command::Code(args) => code::run(vault, args),
        Command::Edit(args) => manage::edit(vault, args),
        Command::Rm { id } => manage::by_id(vault, &id, manage::ById::Trash),
        Command::Trash(args) => list::trash(vault, args),
        Command::Undelete { id } => manage::by_id(vault, &id, manage::ById::Restore),
        Command::Purge { id } => manage::by_id(vault, &id, manage::ById::Purge),
        Command::Passwd(args) => manage::passwd(vault, args),
        Command::Keystore { state } => manage::keystore(vault, state == "on"),
        Command::Scan(args) => scan::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Backup(args) => transfer::backup(vault, args),
        Command::Restore(args) => transfer::restore(vault, args),
        Command::Import(args) => import::import_file(vault, args),
        Command::Export(args) => export::export(vault, args),
        Command::Qr(args) => export::qr_code(vault, args),
        Command::Autobackup(args) => autobackup::auto(vault, args),
        Command::Send(args) => handover::send(vault, args),
        Command::Receive(args) => handover::receive(vault, args),
        Command::Sync(args) => sync::run(vault, args),
    };
    match result {
        Ok(status) => status,
        Err(error) => {
            error.print();
            ExitCode::FAILURE
        }
    }
}
