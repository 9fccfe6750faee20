//! QR codes out: one account's `otpauth://` URI, or a Google Authenticator export in batches of
//! QR codes, as PNG files or as text for a terminal.

use image::{GrayImage, Luma};
use qrcode::{EcLevel, QrCode};
use zeroize::Zeroizing;

use crate::otp::{Account, BatchInfo, GoogleLimit, encode_migration, google_limits};

/// Accounts per QR code in a Google export (what Google Authenticator itself puts in one).
pub const GOOGLE_BATCH: usize = 10;

/// Why a QR code could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the text is too long for one QR code")]
pub struct TooLong;

fn code(text: &str) -> Result<QrCode, TooLong> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| TooLong)
}

/// A PNG of the QR code: 8 pixels per module, a 4-module quiet zone.
pub fn png(text: &str) -> Result<Vec<u8>, TooLong> {
    let code = code(text)?;
    let (modules, scale, quiet) = (code.width(), 8usize, 4usize);
    let side = (modules + 2 * quiet) * scale;
    let colors = code.to_colors();
    let image = GrayImage::from_fn(side as u32, side as u32, |x, y| {
        let (mx, my) = (x as usize / scale, y as usize / scale);
        let inside =
            (quiet..quiet + modules).contains(&mx) && (quiet..quiet + modules).contains(&my);
        let dark = inside && colors[(my - quiet) * modules + mx - quiet] == qrcode::Color::Dark;
        Luma([if dark { 0 } else { 255 }])
    });
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("PNG encoding into memory");
    Ok(bytes)
}

/// The QR code as terminal text: two modules per character cell (upper and lower half blocks),
/// dark on light, with a quiet zone. Scans from a terminal with a light or dark theme.
pub fn terminal(text: &str) -> Result<Zeroizing<String>, TooLong> {
    let code = code(text)?;
    let modules = code.width();
    let colors = code.to_colors();
    let quiet = 2isize;
    let dark = |x: isize, y: isize| {
        x >= 0
            && y >= 0
            && (x as usize) < modules
            && (y as usize) < modules
            && colors[y as usize * modules + x as usize] == qrcode::Color::Dark
    };
    let mut out = Zeroizing::new(String::new());
    let mut y = -quiet;
    while y < modules as isize + quiet {
        for x in -quiet..modules as isize + quiet {
            // Light modules are drawn (a full block is light on a dark terminal); inverted
            // terminals are covered by the quiet zone being light too.
            out.push(match (dark(x, y), dark(x, y + 1)) {
                (false, false) => '█',
                (false, true) => '▀',
                (true, false) => '▄',
                (true, true) => ' ',
            });
        }
        out.push('\n');
        y += 2;
    }
    Ok(out)
}

/// A Google Authenticator export of `accounts`: one link per QR code, in batches of
/// [`GOOGLE_BATCH`], and the accounts left out with what Google cannot represent.
pub fn google_export(
    accounts: &[&Account],
) -> (Vec<Zeroizing<String>>, Vec<(String, GoogleLimit)>) {
    let mut left_out = Vec::new();
    let fitting: Vec<_> = accounts
        .iter()
        .filter_map(|a| match google_limits(&a.otp).first() {
            Some(limit) => {
                left_out.push((a.label(), *limit));
                None
            }
            None => Some(a.enrolment()),
        })
        .collect();
    let batches: Vec<_> = fitting.chunks(GOOGLE_BATCH).collect();
    let id = i32::from_le_bytes(crate::transfer::crypto::random::<4>());
    let links = batches
        .iter()
        .enumerate()
        .map(|(i, batch)| {
            let refs: Vec<_> = batch.iter().collect();
            let info = BatchInfo {
                index: i as u32,
                size: batches.len() as u32,
                id,
            };
            encode_migration(&refs, info).expect("accounts were checked against Google's limits")
        })
        .collect();
    (links, left_out)
}
