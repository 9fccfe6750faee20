//! Importing from other authenticators, the format detected from the content (never the file
//! name). Each entry comes back on its own, imported or failed with a reason: a damaged entry
//! never stops the others. Where a source app cannot store something, the importer does what
//! that app does and says so in [`Imported::notes`].

mod aegis;
mod andotp;
mod apps;
mod archive;
mod authy;
mod bitwarden;
mod databases;
mod ente;
mod fields;
mod freeotp;
mod freeotp2;
mod google;
mod json;
mod prefs;
mod proton;
mod sqlite;
mod stratum;
mod twofas;
mod uris;

use super::{MAX_IMPORT_SIZE, TransferError};
use crate::otp::{Account, BatchInfo};

pub use aegis::TENANT_GROUP;
pub use fields::EntryError;

/// The formats Tessera reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// A Tessera backup or vault file.
    Tessera,
    /// Aegis vault JSON, plain or encrypted, content versions 1-3.
    Aegis,
    /// 2FAS `.2fas`, schemas 1-4, plain or encrypted.
    TwoFas,
    /// Google Authenticator export links (`otpauth-migration://`) as text or QR images.
    GoogleMigration,
    /// `otpauth://` URIs, one per line (with Ente's `codeDisplay` notes, tags and pin).
    Uris,
    /// andOTP JSON, plain or encrypted (current and old formats).
    AndOtp,
    /// FreeOTP+ JSON export.
    FreeOtpPlus,
    /// Bitwarden JSON or CSV export.
    Bitwarden,
    /// Proton Authenticator export, plain or encrypted.
    Proton,
    /// Stratum / Authenticator Pro backup: plain, encrypted, legacy encrypted.
    Stratum,
    /// Authy's internal token list (Android settings XML), plain or with encrypted secrets.
    Authy,
    /// Steam Guard files (`Steamguard-*.json`).
    Steam,
    /// Duo Mobile's `accounts.json`.
    Duo,
    /// FreeOTP 1's `tokens.xml`.
    FreeOtp,
    /// Password-protected ZIP exports: Raivo OTP, Authenticator Plus.
    Zip,
    /// FreeOTP 2 backups (Java-serialized, encrypted).
    FreeOtp2,
    /// TOTP Authenticator's encrypted export and internal settings.
    TotpAuthenticator,
    /// Ente Auth's encrypted export.
    EnteEncrypted,
    /// LastPass Authenticator's JSON export.
    LastPass,
    /// Battle.net Authenticator's settings file.
    BattleNet,
    /// Internal databases: Google Authenticator, Microsoft Authenticator, Stratum.
    Database,
}

impl Format {
    /// Every format, for `--format` and help texts.
    pub const ALL: [Format; 21] = [
        Format::Tessera,
        Format::Aegis,
        Format::TwoFas,
        Format::GoogleMigration,
        Format::Uris,
        Format::AndOtp,
        Format::FreeOtpPlus,
        Format::Bitwarden,
        Format::Proton,
        Format::Stratum,
        Format::Authy,
        Format::Steam,
        Format::Duo,
        Format::FreeOtp,
        Format::Zip,
        Format::FreeOtp2,
        Format::TotpAuthenticator,
        Format::EnteEncrypted,
        Format::LastPass,
        Format::BattleNet,
        Format::Database,
    ];

    /// The short name used on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Format::Tessera => "tessera",
            Format::Aegis => "aegis",
            Format::TwoFas => "2fas",
            Format::GoogleMigration => "google",
            Format::Uris => "uris",
            Format::AndOtp => "andotp",
            Format::FreeOtpPlus => "freeotp-plus",
            Format::Bitwarden => "bitwarden",
            Format::Proton => "proton",
            Format::Stratum => "stratum",
            Format::Authy => "authy",
            Format::Steam => "steam",
            Format::Duo => "duo",
            Format::FreeOtp => "freeotp",
            Format::Zip => "zip",
            Format::FreeOtp2 => "freeotp2",
            Format::TotpAuthenticator => "totp-authenticator",
            Format::EnteEncrypted => "ente",
            Format::LastPass => "lastpass",
            Format::BattleNet => "battle-net",
            Format::Database => "database",
        }
    }

    /// The name shown to the user.
    pub fn name(self) -> &'static str {
        match self {
            Format::Tessera => "Tessera backup",
            Format::Aegis => "Aegis",
            Format::TwoFas => "2FAS",
            Format::GoogleMigration => "Google Authenticator export",
            Format::Uris => "otpauth:// list",
            Format::AndOtp => "andOTP",
            Format::FreeOtpPlus => "FreeOTP+",
            Format::Bitwarden => "Bitwarden",
            Format::Proton => "Proton Authenticator",
            Format::Stratum => "Stratum / Authenticator Pro",
            Format::Authy => "Authy",
            Format::Steam => "Steam Guard",
            Format::Duo => "Duo Mobile",
            Format::FreeOtp => "FreeOTP",
            Format::Zip => "Raivo OTP / Authenticator Plus ZIP",
            Format::FreeOtp2 => "FreeOTP 2",
            Format::TotpAuthenticator => "TOTP Authenticator",
            Format::EnteEncrypted => "Ente Auth (encrypted)",
            Format::LastPass => "LastPass Authenticator",
            Format::BattleNet => "Battle.net Authenticator",
            Format::Database => "app database (Google / Microsoft Authenticator, Stratum)",
        }
    }

    /// The format with this short name.
    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.id() == id.to_lowercase())
    }
}

/// What a file held.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The format read.
    pub format: Format,
    /// Every entry in file order: an account (with its trash time when the source had a trash)
    /// or why it could not be read.
    pub entries: Vec<Result<(Account, Option<u64>), EntryError>>,
    /// What the source could not store and how it was handled, and other remarks.
    pub notes: Vec<String>,
    /// For Google exports: which QR codes of which export were read.
    pub batches: Vec<BatchInfo>,
}

impl Imported {
    fn new(format: Format) -> Imported {
        Imported {
            format,
            entries: Vec::new(),
            notes: Vec::new(),
            batches: Vec::new(),
        }
    }

    /// The accounts read, for [`super::merge::plan`].
    pub fn accounts(&self) -> Vec<(Account, Option<u64>)> {
        self.entries
            .iter()
            .filter_map(|e| e.as_ref().ok().cloned())
            .collect()
    }

    /// The entries that failed.
    pub fn failures(&self) -> Vec<&EntryError> {
        self.entries
            .iter()
            .filter_map(|e| e.as_ref().err())
            .collect()
    }
}

/// Reads `bytes` as an export of another app (or a Tessera backup), with the file's password if
/// it has one. `format` skips detection. `now` stamps the accounts' creation time.
pub fn import(
    bytes: &[u8],
    password: Option<&[u8]>,
    format: Option<Format>,
    now: u64,
) -> Result<Imported, TransferError> {
    if bytes.len() > MAX_IMPORT_SIZE {
        return Err(TransferError::TooLarge {
            size: bytes.len() as u64,
        });
    }
    let format = match format {
        Some(format) => format,
        None => {
            if let Some(what) = unsupported(bytes) {
                return Err(TransferError::NotAnExport { what: what.into() });
            }
            detect(bytes).ok_or(TransferError::UnknownFormat)?
        }
    };
    let cx = fields::Context { now };
    let mut imported = Imported::new(format);
    match format {
        Format::Tessera => {
            let password = password.ok_or(TransferError::NeedsPassword {
                format: format.name(),
            })?;
            let entries =
                crate::vault::open_backup(std::path::Path::new("the backup"), bytes, password)
                    .map_err(|e| match e {
                        crate::vault::VaultError::WrongPassword => TransferError::WrongPassword {
                            format: format.name(),
                        },
                        other => other.into(),
                    })?;
            imported.entries = entries.into_iter().map(Ok).collect();
        }
        Format::Aegis => aegis::read(bytes, password, &cx, &mut imported)?,
        Format::TwoFas => twofas::read(bytes, password, &cx, &mut imported)?,
        Format::GoogleMigration => google::read(bytes, &cx, &mut imported)?,
        Format::Uris => uris::read(bytes, &cx, &mut imported)?,
        Format::AndOtp => andotp::read(bytes, password, &cx, &mut imported)?,
        Format::FreeOtpPlus => freeotp::read(bytes, &cx, &mut imported)?,
        Format::Bitwarden => bitwarden::read(bytes, password, &cx, &mut imported)?,
        Format::Proton => proton::read(bytes, password, &cx, &mut imported)?,
        Format::Stratum => stratum::read(bytes, password, &cx, &mut imported)?,
        Format::Authy => authy::read(bytes, password, &cx, &mut imported)?,
        Format::Steam => apps::steam(bytes, &cx, &mut imported)?,
        Format::Duo => apps::duo(bytes, &cx, &mut imported)?,
        Format::FreeOtp => apps::freeotp_xml(bytes, &cx, &mut imported)?,
        Format::Zip => archive::read(bytes, password, &cx, &mut imported)?,
        Format::FreeOtp2 => freeotp2::read(bytes, password, &cx, &mut imported)?,
        Format::TotpAuthenticator => apps::totp_authenticator(bytes, password, &cx, &mut imported)?,
        Format::EnteEncrypted => ente::read(bytes, password, &cx, &mut imported)?,
        Format::LastPass => apps::lastpass(bytes, &cx, &mut imported)?,
        Format::BattleNet => apps::battle_net(bytes, &cx, &mut imported)?,
        Format::Database => databases::read(bytes, &cx, &mut imported)?,
    }
    Ok(imported)
}

/// Files that are recognisably not an export Tessera reads, and what they are.
fn unsupported(bytes: &[u8]) -> Option<&'static str> {
    if sqlite::is_sqlite(bytes) && databases::detect(bytes).is_none() {
        Some(
            "it is a database Tessera does not know; use the app's export function and import that file",
        )
    } else if (bytes.starts_with(b"<?xml") || bytes.starts_with(b"<map")) && detect(bytes).is_none()
    {
        Some(
            "it is an app's internal settings file (XML) Tessera does not know; use the app's export function",
        )
    } else {
        None
    }
}

/// Recognises a format from the first bytes and the shape of the content.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(crate::vault::MAGIC) {
        return Some(Format::Tessera);
    }
    if bytes.starts_with(b"AUTHENTICATORPRO") || bytes.starts_with(b"AuthenticatorPro") {
        return Some(Format::Stratum);
    }
    if google::is_image(bytes) {
        return Some(Format::GoogleMigration);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Some(Format::Zip);
    }
    if sqlite::is_sqlite(bytes) {
        return databases::detect(bytes).map(|_| Format::Database);
    }
    if bytes.starts_with(freeotp2::MAGIC) {
        return Some(Format::FreeOtp2);
    }
    if bytes.starts_with(b"<?xml") || bytes.starts_with(b"<map") {
        let xml = String::from_utf8_lossy(bytes);
        if xml.contains(authy::KEY) {
            return Some(Format::Authy);
        }
        if xml.contains("STATIC_TOTP_CODES_LIST") {
            return Some(Format::TotpAuthenticator);
        }
        if xml.contains("com.blizzard.") {
            return Some(Format::BattleNet);
        }
        let freeotp = prefs::strings(&xml)
            .iter()
            .any(|(_, value)| value.contains("\"secret\":[") && value.contains("\"type\""));
        return freeotp.then_some(Format::FreeOtp);
    }
    let text = std::str::from_utf8(bytes).ok();
    if let Some(value) = text.and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok()) {
        return json::detect(&value);
    }
    if let Some(text) = text {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let lower = |l: &&str| l.to_ascii_lowercase();
        if !lines.is_empty()
            && lines
                .iter()
                .map(lower)
                .all(|l| l.starts_with("otpauth-migration:"))
        {
            return Some(Format::GoogleMigration);
        }
        if lines.iter().map(lower).any(|l| l.starts_with("otpauth://")) {
            return Some(Format::Uris);
        }
        if bitwarden::is_csv(text) {
            return Some(Format::Bitwarden);
        }
        if apps::is_totp_authenticator_export(bytes) {
            return Some(Format::TotpAuthenticator);
        }
        return None;
    }
    // Binary without a signature: andOTP's encrypted formats are the only ones left.
    (bytes.len() > 28).then_some(Format::AndOtp)
}
