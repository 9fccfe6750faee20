//! `tessera-cli scan IMAGE...`: what the QR codes in images hold.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Value, json};
use tessera_core::otp::{Payload, parse_payload};
use tessera_core::scan::{Effort, decode, scan_image};

use crate::error::CliError;

/// Arguments of `scan`.
#[derive(clap::Args)]
pub struct Args {
    /// Image files (PNG, JPEG, GIF, WebP, BMP), e.g. screenshots of QR codes.
    #[arg(required = true, value_name = "IMAGE")]
    images: Vec<PathBuf>,
    /// Print JSON (no secrets).
    #[arg(long)]
    json: bool,
}

/// The QR texts of one image.
fn texts_in(image: &Path) -> Result<Vec<String>, CliError> {
    let size = std::fs::metadata(image).map(|m| m.len()).unwrap_or(0);
    if size > tessera_core::transfer::MAX_IMPORT_SIZE as u64 {
        return Err(CliError::new(
            format!(
                "{} is {} MiB, larger than any screenshot or photo Tessera reads (32 MiB)",
                image.display(),
                size / (1024 * 1024)
            ),
            "Give a screenshot or photo of the QR code, not a video or a disk image.",
        ));
    }
    let bytes = std::fs::read(image).map_err(|e| {
        CliError::new(
            format!("{}: {e}", image.display()),
            "Check the image's path.",
        )
    })?;
    let frame = scan_image(&bytes)
        .map_err(|e| CliError::new(format!("{}: {e}", image.display()), e.advice()))?;
    Ok(decode(&frame, Effort::Still))
}

/// Every QR text in the images; an image without any is an error.
pub fn payloads_in(images: &[PathBuf]) -> Result<Vec<String>, CliError> {
    let mut all = Vec::new();
    for image in images {
        let texts = texts_in(image)?;
        if texts.is_empty() {
            return Err(no_code(image));
        }
        all.extend(texts);
    }
    Ok(all)
}

fn no_code(image: &Path) -> CliError {
    CliError::new(
        format!("{}: no QR code found", image.display()),
        "Crop the screenshot to the QR code, or take it again larger and in focus.",
    )
}

fn describe(text: &str) -> (Value, String) {
    match parse_payload(text) {
        Ok(Payload::Account(e)) => (
            json!({ "kind": "account", "type": e.otp.kind().as_str(), "issuer": e.issuer, "name": e.name }),
            format!(
                "{} account: {}: {}",
                e.otp.kind().as_str().to_uppercase(),
                e.issuer,
                e.name
            ),
        ),
        Ok(Payload::Migration(b)) => (
            json!({ "kind": "google-migration", "index": b.info.index, "size": b.info.size, "id": b.info.id, "accounts": b.entries.len() }),
            format!(
                "Google Authenticator export, QR code {} of {}: {} accounts",
                b.info.index + 1,
                b.info.size,
                b.entries.len()
            ),
        ),
        Err(error) => (
            json!({ "kind": "unusable", "error": error.to_string(), "advice": crate::error::payload_hint(&error) }),
            format!("{error}. {}", crate::error::payload_hint(&error)),
        ),
    }
}

/// Runs `scan`.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let mut report = Vec::new();
    let mut failed = false;
    for image in &args.images {
        let (codes, text): (Vec<Value>, Vec<String>) = match texts_in(image) {
            Ok(texts) if texts.is_empty() => {
                failed = true;
                (Vec::new(), vec!["no QR code found".into()])
            }
            Ok(texts) => texts.iter().map(|t| describe(t)).unzip(),
            Err(error) => {
                error.print();
                failed = true;
                continue;
            }
        };
        if args.json {
            report.push(json!({ "image": image.display().to_string(), "codes": codes }));
        } else {
            for line in text {
                println!("{}: {line}", image.display());
            }
        }
    }
    if args.json {
        println!("{}", Value::Array(report));
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
