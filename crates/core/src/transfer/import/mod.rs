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
mod html;
mod json;
mod keepass;
mod prefs;
mod proton;
mod registry;
mod sqlcipher;
mod sqlite;
mod stratum;
mod tessera;
mod twofas;
mod uris;

use super::{MAX_IMPORT_SIZE, TransferError};
use crate::otp::{Account, BatchInfo};
use zeroize::Zeroizing;

pub use aegis::TENANT_GROUP;
pub use fields::EntryError;
pub use registry::detect;

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
    /// Password-protected ZIP exports: Raivo OTP, Authenticator Plus, WinAuth.
    Zip,
    /// KeePass databases, KDBX 3.1 and 4 (KeePassXC's `otp`, KeePass 2's `TimeOtp-*`).
    KeePass,
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
    /// HTML pages listing `otpauth://` links: Stratum's HTML backup.
    Html,
    /// Authenticator Plus's database (`authplus.db`): SQLite encrypted by SQLCipher 3.
    AuthenticatorPlus,
}

impl Format {
    /// Every format, for `--format` and help texts.
    pub const ALL: [Format; 24] = [
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
        Format::KeePass,
        Format::Html,
        Format::AuthenticatorPlus,
    ];

    /// The short name used on the command line.
    pub const fn id(self) -> &'static str {
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
            Format::KeePass => "keepass",
            Format::Html => "html",
            Format::AuthenticatorPlus => "authenticator-plus",
        }
    }

    /// The name shown to the user (and in every message about such a file).
    pub const fn name(self) -> &'static str {
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
            Format::Zip => "Raivo OTP / Authenticator Plus / WinAuth ZIP",
            Format::FreeOtp2 => "FreeOTP 2",
            Format::TotpAuthenticator => "TOTP Authenticator",
            Format::EnteEncrypted => "Ente Auth (encrypted)",
            Format::LastPass => "LastPass Authenticator",
            Format::BattleNet => "Battle.net Authenticator",
            Format::Database => "app database (Google / Microsoft Authenticator, Stratum)",
            Format::KeePass => "KeePass",
            Format::Html => "HTML list of otpauth:// links (Stratum)",
            Format::AuthenticatorPlus => "Authenticator Plus database",
        }
    }

    /// The format with this short name.
    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.id() == id.to_lowercase())
    }
}

/// Every format Tessera reads, by name, for messages ("Tessera backup, Aegis, 2FAS, ...").
pub fn format_names() -> String {
    Format::ALL.map(Format::name).join(", ")
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

    /// Accounts that arrived whole another way than a file (an animated QR transfer): a
    /// Tessera backup's entries, with a remark saying how they came.
    pub fn received(entries: Vec<(Account, Option<u64>)>, how: &str) -> Imported {
        let mut imported = Imported::new(Format::Tessera);
        imported.entries = entries.into_iter().map(Ok).collect();
        imported.notes.push(how.to_owned());
        imported
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
    import_with_key_file(bytes, password, None, format, now)
}

/// [`import`] with a KeePass key file's contents (other formats have no key files and ignore it).
pub fn import_with_key_file(
    bytes: &[u8],
    password: Option<&[u8]>,
    key_file: Option<&[u8]>,
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
        None => detect(bytes).ok_or_else(|| registry::unrecognised(bytes))?,
    };
    let cx = fields::Context {
        now,
        key_file: key_file.map(|k| Zeroizing::new(k.to_vec())),
    };
    let mut imported = Imported::new(format);
    let input = registry::Input {
        bytes,
        password,
        cx: &cx,
    };
    registry::importer(format).read(&input, &mut imported)?;
    Ok(imported)
}
