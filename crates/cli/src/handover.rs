//! `send` and `receive`: a transfer by animated QR codes (docs/transfer.md), here as numbered
//! PNG frames so that it can be scripted, tested and shown on any screen.

use std::path::PathBuf;
use std::process::ExitCode;

use tessera_core::scan::{Effort, decode, scan_image};
use tessera_core::transfer::export::qr;
use tessera_core::transfer::handover::{Receiver, Sender, TRANSFER_KDF, TransferCode};
use tessera_core::transfer::merge::plan;
use tessera_core::vault::BackupEntry;

use crate::error::CliError;
use crate::input::password_from;
use crate::unlock::VaultArgs;

/// Arguments of `send`.
#[derive(clap::Args)]
pub struct SendArgs {
    /// Only the accounts matching these words (a tenant, a tag, an issuer); all when empty.
    query: Vec<String>,
    /// The folder for the frames (frame-0001.png, ...); created if needed.
    #[arg(long, value_name = "DIR")]
    frames: PathBuf,
    /// How many frames to write (default: two of the stream's cycles, four times the least
    /// number needed, so each plain fragment is there twice and a receiver missing some
    /// frames still completes).
    #[arg(long)]
    count: Option<usize>,
    /// Use the cheapest key derivation (tests only: the code is then easy to guess).
    #[arg(long, hide = true)]
    weak_kdf: bool,
}

/// `send [QUERY] --frames DIR`: seals the accounts under a new transfer code (printed on
/// stderr as `transfer code: XXXX-XXXX-XXXX`) and writes the frames.
pub fn send(vault: &VaultArgs, args: SendArgs) -> Result<ExitCode, CliError> {
    // Every seed may leave: the vault password again, even where the keystore opens it.
    let opened = vault.open_with_password()?;
    let query = args.query.join(" ");
    let chosen: Vec<BackupEntry> = opened
        .search(&query)
        .into_iter()
        .map(|a| (a.clone(), None))
        .collect();
    if chosen.is_empty() {
        return Err(CliError::new(
            "no account matches, so there is nothing to send",
            "Give other words, or none to send every account.",
        ));
    }
    let code = TransferCode::generate();
    let kdf = if args.weak_kdf {
        tessera_core::vault::KdfParams::MINIMUM
    } else {
        TRANSFER_KDF
    };
    let mut sender = Sender::new(&chosen, &code, kdf)?;
    let count = args.count.unwrap_or(sender.fragments() * 4).max(1);
    std::fs::create_dir_all(&args.frames).map_err(|e| {
        CliError::new(
            format!(
                "the folder {} could not be created: {e}",
                args.frames.display()
            ),
            "Choose a folder you can write to.",
        )
    })?;
    for i in 1..=count {
        let png = qr::png(&sender.next_frame()).map_err(|e| {
            CliError::new(e.to_string(), "Please report it: frames are sized to fit.")
        })?;
        let file = args.frames.join(format!("frame-{i:04}.png"));
        tessera_core::file::write_private(&file, &png).map_err(|e| {
            CliError::new(
                format!("{}: {}", e.path.display(), e.error),
                "Choose a folder you can write to.",
            )
        })?;
    }
    eprintln!("transfer code: {}", code.display().as_str());
    println!(
        "Wrote {count} frames of {} accounts to {} ({} bytes in {} fragments; any {} frames or a few more complete it)",
        sender.accounts(),
        args.frames.display(),
        sender.bytes(),
        sender.fragments(),
        sender.fragments()
    );
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `receive`.
#[derive(clap::Args)]
pub struct ReceiveArgs {
    /// The frames (images of the sender's QR codes), in any order.
    #[arg(required = true)]
    frames: Vec<PathBuf>,
    /// Show what would happen without changing anything.
    #[arg(long)]
    dry_run: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// `receive FRAME...`: collects the frames, asks for the code (`TESSERA_TRANSFER_CODE` or a
/// prompt), and adds the accounts as a restore does.
pub fn receive(vault: &VaultArgs, args: ReceiveArgs) -> Result<ExitCode, CliError> {
    let mut receiver = Receiver::default();
    let mut notes = Vec::new();
    for file in &args.frames {
        let bytes = std::fs::read(file).map_err(|e| {
            CliError::new(
                format!("{}: {e}", file.display()),
                "Give the paths of the saved frames.",
            )
        })?;
        let frame = scan_image(&bytes)
            .map_err(|e| CliError::new(format!("{}: {e}", file.display()), e.advice()))?;
        for text in decode(&frame, Effort::Still) {
            if let Err(e) = receiver.receive(&text) {
                notes.push(format!("{}: {e}", file.display()));
            }
        }
    }
    let progress = receiver.progress();
    if !progress.complete {
        return Err(CliError::new(
            format!(
                "the frames hold {:.0}% of the transfer ({} parts of at least {})",
                progress.fraction() * 100.0,
                progress.parts,
                progress.fragments
            ),
            "Save more frames of the sending screen and give them all.",
        ));
    }
    let typed = password_from("TESSERA_TRANSFER_CODE", None, "Transfer code: ")?;
    let code = TransferCode::parse(&typed).map_err(|e| CliError::new(e.to_string(), e.advice()))?;
    let entries = receiver
        .open(&code)
        .map_err(|e| CliError::new(e.to_string(), e.advice()))?;
    let mut opened = vault.open()?;
    let plan = plan(&opened, entries);
    crate::import::finish(
        &mut opened,
        &plan,
        &[],
        &notes,
        args.dry_run,
        args.json,
        "received",
    )
}
