//! Exports: Aegis JSON (plain or encrypted) carrying notes, favourites, tags and tenants as
//! Aegis groups; `otpauth://` URI lists (unencrypted: callers warn); Google Authenticator
//! migration QR codes in batches; KeePass databases (KDBX 4) for KeePassXC users; one
//! account's QR code as PNG or terminal text.
//!
//! [`write`] is the one way the app and the command line write an export file (a Tessera
//! backup is written by [`super::backup::write_backup`], which also checks it).

pub mod aegis;
pub mod keepass;
pub mod qr;
pub mod uris;

use std::path::{Path, PathBuf};

use super::TransferError;
use crate::file::Destination;
use crate::otp::{Account, GoogleLimit};

/// The formats Tessera exports to (besides its own backup).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExportFormat {
    /// Aegis JSON, encrypted with a password of the user's choosing.
    AegisEncrypted,
    /// Aegis JSON, not encrypted.
    Aegis,
    /// One `otpauth://` URI a line, not encrypted.
    Uris,
    /// Google Authenticator export QR codes, as PNG files.
    GoogleQr,
    /// A KeePass database (KDBX 4), encrypted with a password of the user's choosing.
    KeePass,
}

impl ExportFormat {
    /// Every export format.
    pub const ALL: [ExportFormat; 5] = [
        ExportFormat::AegisEncrypted,
        ExportFormat::Aegis,
        ExportFormat::Uris,
        ExportFormat::GoogleQr,
        ExportFormat::KeePass,
    ];

    /// The short name (command line, forms).
    pub fn id(self) -> &'static str {
        match self {
            ExportFormat::AegisEncrypted => "aegis-encrypted",
            ExportFormat::Aegis => "aegis",
            ExportFormat::Uris => "uris",
            ExportFormat::GoogleQr => "google-qr",
            ExportFormat::KeePass => "keepass",
        }
    }

    /// The name shown to the user.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::AegisEncrypted => "Aegis (encrypted)",
            ExportFormat::Aegis => "Aegis (not encrypted)",
            ExportFormat::Uris => "otpauth:// list (not encrypted)",
            ExportFormat::GoogleQr => "Google Authenticator QR codes (PNG)",
            ExportFormat::KeePass => "KeePass database (KDBX 4, encrypted)",
        }
    }

    /// The format with this short name.
    pub fn from_id(id: &str) -> Option<ExportFormat> {
        ExportFormat::ALL.into_iter().find(|f| f.id() == id)
    }

    /// Whether the file needs a password of its own.
    pub fn needs_password(self) -> bool {
        matches!(self, ExportFormat::AegisEncrypted | ExportFormat::KeePass)
    }

    /// Whether the file holds the secrets unencrypted (the user is warned). Google's QR codes
    /// are unencrypted too, but are images meant to be scanned at once.
    pub fn is_plain(self) -> bool {
        matches!(self, ExportFormat::Aegis | ExportFormat::Uris)
    }
}

/// What [`write`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The files, in order (several for Google QR codes).
    pub files: Vec<PathBuf>,
    /// How many accounts they hold.
    pub accounts: usize,
    /// Accounts left out (Google cannot hold them), with why.
    pub left_out: Vec<(String, GoogleLimit)>,
}

/// Writes `accounts` to `target` in `format` (Google QR codes: `target` with `.png`, then
/// `-2.png`, ... beside it), each file whole and private. `password` encrypts an
/// [`ExportFormat::AegisEncrypted`] file, and must then be given and not empty.
pub fn write(
    format: ExportFormat,
    accounts: &[&Account],
    target: &Path,
    password: Option<&[u8]>,
) -> Result<Exported, TransferError> {
    write_to(format, accounts, &target.to_owned(), password)
}

/// [`write`] to any [`Destination`] (a document the system's dialog chose). Google's QR
/// images are several files, so they need a path in a folder.
pub fn write_to(
    format: ExportFormat,
    accounts: &[&Account],
    target: &dyn Destination,
    password: Option<&[u8]>,
) -> Result<Exported, TransferError> {
    let put = |destination: &dyn Destination, bytes: &[u8]| {
        destination.put(bytes).map_err(TransferError::from)
    };
    let mut exported = Exported {
        files: vec![target.name()],
        accounts: accounts.len(),
        left_out: Vec::new(),
    };
    match format {
        ExportFormat::AegisEncrypted | ExportFormat::Aegis => {
            let password = match (format, password) {
                (ExportFormat::Aegis, _) => None,
                (_, Some(p)) if !p.is_empty() => Some(p),
                _ => {
                    return Err(TransferError::NeedsPassword {
                        format: format.name(),
                    });
                }
            };
            put(target, &aegis::export(accounts, password))?;
        }
        ExportFormat::Uris => put(target, uris::export(accounts).as_bytes())?,
        ExportFormat::KeePass => match password {
            Some(password) if !password.is_empty() => {
                put(target, &keepass::export(accounts, password)?)?;
            }
            _ => {
                return Err(TransferError::NeedsPassword {
                    format: format.name(),
                });
            }
        },
        ExportFormat::GoogleQr => {
            let Some(path) = target.as_path() else {
                return Err(TransferError::Refused {
                    format: format.name(),
                    what: "its QR images are several files, and a chosen document is one; \
                           show each account's QR code from its details instead, or export \
                           otpauth:// links"
                        .into(),
                });
            };
            let (links, left_out) = qr::google_export(accounts);
            exported.files = numbered_png(path, links.len());
            for (link, file) in links.iter().zip(&exported.files) {
                let png = qr::png(link).map_err(|_| TransferError::Refused {
                    format: format.name(),
                    what: "a QR code would be too large; export fewer accounts at a time".into(),
                })?;
                put(file, &png)?;
            }
            exported.accounts -= left_out.len();
            exported.left_out = left_out;
        }
    }
    Ok(exported)
}

/// The files of a Google export of `n` QR codes: `name.png`, `name-2.png`, ...
pub fn numbered_png(target: &Path, n: usize) -> Vec<PathBuf> {
    let stem = target
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    (0..n)
        .map(|i| match i {
            0 => target.with_extension("png"),
            i => target.with_file_name(format!("{stem}-{}.png", i + 1)),
        })
        .collect()
}
