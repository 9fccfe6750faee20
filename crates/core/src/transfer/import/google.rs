//! Google Authenticator exports: `otpauth-migration://` links as text (one per line), or the
//! export's QR codes as images (screenshots or photos), with batch tracking so the user learns
//! which QR codes of an export are still missing.

use super::Imported;
use super::fields::{Context, failed};
use crate::otp::{Account, Payload, decode_migration, parse_payload};
use crate::scan::{Effort, decode, scan_image};
use crate::transfer::TransferError;

/// Whether the bytes are an image file the scanner reads.
pub fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG")
        || bytes.starts_with(b"\xff\xd8\xff")
        || bytes.starts_with(b"GIF8")
        || bytes.starts_with(b"BM")
        || bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP"
}

/// Reads text with export links, or an image of export QR codes.
pub fn read(bytes: &[u8], cx: &Context, out: &mut Imported) -> Result<(), TransferError> {
    const NAME: &str = super::Format::GoogleMigration.name();
    if is_image(bytes) {
        let frame = scan_image(bytes).map_err(|e| TransferError::damaged(NAME, e.to_string()))?;
        let texts = decode(&frame, Effort::Still);
        if texts.is_empty() {
            return Err(TransferError::damaged(
                NAME,
                "no QR code was found in the image",
            ));
        }
        for (i, text) in texts.iter().enumerate() {
            match parse_payload(text) {
                Ok(Payload::Migration(_)) => read_link(text, i + 1, cx, out),
                Ok(Payload::Account(enrolment)) => out
                    .entries
                    .push(Ok((Account::new(enrolment, cx.now), None))),
                Err(error) => out.notes.push(format!(
                    "QR code {} is not an authenticator code: {error}",
                    i + 1
                )),
            }
        }
    } else {
        let text =
            std::str::from_utf8(bytes).map_err(|_| TransferError::damaged(NAME, "not text"))?;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if !line.is_empty() && !line.starts_with('#') {
                read_link(line, i + 1, cx, out);
            }
        }
    }
    if out.entries.is_empty() {
        return Err(TransferError::damaged(NAME, "it holds no account"));
    }
    batch_notes(out);
    Ok(())
}

/// Reads one export link found at line (or QR code) `position`.
pub fn read_link(link: &str, position: usize, cx: &Context, out: &mut Imported) {
    match decode_migration(link) {
        Ok(batch) => {
            if out.batches.contains(&batch.info) {
                // The same QR code twice (two screenshots of it): its accounts are in.
                return;
            }
            out.batches.push(batch.info);
            for entry in batch.entries {
                out.entries.push(match entry {
                    Ok(enrolment) => Ok((Account::new(enrolment, cx.now), None)),
                    Err(error) => Err(failed(position, "", error.to_string())),
                });
            }
            if out
                .notes
                .iter()
                .all(|n| !n.starts_with("Google Authenticator exports keep"))
            {
                out.notes.push(
                    "Google Authenticator exports keep no notes or tags; add them in Tessera."
                        .into(),
                );
            }
        }
        Err(error) => out.entries.push(Err(failed(
            position,
            "otpauth-migration link",
            error.to_string(),
        ))),
    }
}

/// "3 of 5 QR codes imported; scan the rest" for every export with missing QR codes.
fn batch_notes(out: &mut Imported) {
    let mut progress = crate::otp::BatchProgress::default();
    for info in &out.batches {
        progress.record(*info);
    }
    for export in progress.incomplete() {
        out.notes.push(format!(
            "{} of this export imported; scan the rest.",
            export.describe()
        ));
    }
}
