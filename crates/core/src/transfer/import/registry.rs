//! The one list of importers. Each format is an [`Importer`]: which [`Format`] it is, how it is
//! recognised from the content (never the file name), and how it is read. [`IMPORTERS`] holds
//! them in the order detection tries them: signatures first (magic bytes), then the XML, JSON
//! and text formats by their shape. Adding a format means a reader, a [`Format`] variant and one
//! entry here; the command line's `--format`, the app's import screen and docs/transfer.md are
//! produced from or checked against [`Format::ALL`] (a test fails when one is missing).

use std::cell::OnceCell;

use serde_json::Value;

use super::fields::Context;
use super::{
    Format, Imported, aegis, andotp, apps, archive, authy, bitwarden, databases, ente, freeotp,
    freeotp2, google, html, keepass, proton, sqlcipher, sqlite, stratum, tessera, twofas, uris,
};
use crate::transfer::TransferError;

/// What an importer reads: the file, its password if the user gave one, and the import's
/// context.
pub struct Input<'a> {
    /// The file's bytes (at most [`crate::transfer::MAX_IMPORT_SIZE`]).
    pub bytes: &'a [u8],
    /// The file's password.
    pub password: Option<&'a [u8]>,
    /// The time stamped on new accounts.
    pub cx: &'a Context,
}

/// What detection looks at: the bytes, and their shape worked out once (lazily: a file with a
/// signature is never parsed as JSON).
pub struct Probe<'a> {
    bytes: &'a [u8],
    shape: OnceCell<Shape<'a>>,
}

/// The shape of a file without a signature.
enum Shape<'a> {
    /// An XML file (Android shared preferences).
    Xml(String),
    /// A JSON document.
    Json(Value),
    /// Other UTF-8 text.
    Text(&'a str),
    /// Anything else.
    Binary,
}

impl<'a> Probe<'a> {
    /// A probe of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Probe<'a> {
        Probe {
            bytes,
            shape: OnceCell::new(),
        }
    }

    /// The bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    fn shape(&self) -> &Shape<'a> {
        self.shape.get_or_init(|| {
            if self.bytes.starts_with(b"<?xml") || self.bytes.starts_with(b"<map") {
                return Shape::Xml(String::from_utf8_lossy(self.bytes).into_owned());
            }
            match std::str::from_utf8(self.bytes) {
                Ok(text) => match serde_json::from_str::<Value>(text) {
                    Ok(value) => Shape::Json(value),
                    Err(_) => Shape::Text(text),
                },
                Err(_) => Shape::Binary,
            }
        })
    }

    /// The XML text, when the file is XML.
    pub fn xml(&self) -> Option<&str> {
        match self.shape() {
            Shape::Xml(xml) => Some(xml),
            _ => None,
        }
    }

    /// The JSON document, when the file is JSON.
    pub fn json(&self) -> Option<&Value> {
        match self.shape() {
            Shape::Json(value) => Some(value),
            _ => None,
        }
    }

    /// A JSON object's key is present.
    pub fn has(&self, key: &str) -> bool {
        self.json().is_some_and(|v| v.get(key).is_some())
    }

    /// The first element of a JSON array.
    pub fn first_in_array(&self) -> Option<&Value> {
        self.json()?.as_array()?.first()
    }

    /// The text, when the file is UTF-8 text that is neither XML nor JSON.
    pub fn text(&self) -> Option<&'a str> {
        match self.shape() {
            Shape::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The text's lines that are not empty or comments, trimmed.
    pub fn lines(&self) -> Vec<&'a str> {
        self.text()
            .map(|t| {
                t.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Neither XML nor text.
    pub fn is_binary(&self) -> bool {
        matches!(self.shape(), Shape::Binary)
    }
}

/// One format Tessera reads.
pub trait Importer: Sync {
    /// Which format.
    fn format(&self) -> Format;
    /// Whether the content is this format (tried in [`IMPORTERS`] order: a later importer is
    /// only asked when no earlier one claimed the file).
    fn detect(&self, probe: &Probe) -> bool;
    /// Reads every entry into `out`, each on its own (a damaged entry never stops the others).
    fn read(&self, input: &Input, out: &mut Imported) -> Result<(), TransferError>;
}

/// Declares an importer: a unit struct, its format, its detection and its reader.
macro_rules! importer {
    ($name:ident, $format:expr, |$probe:ident| $detect:expr, |$input:ident, $out:ident| $read:expr) => {
        struct $name;
        impl Importer for $name {
            fn format(&self) -> Format {
                $format
            }
            fn detect(&self, $probe: &Probe) -> bool {
                $detect
            }
            fn read(&self, $input: &Input, $out: &mut Imported) -> Result<(), TransferError> {
                $read
            }
        }
    };
}

importer!(
    Tessera,
    Format::Tessera,
    |p| p.bytes().starts_with(crate::vault::MAGIC),
    |i, out| tessera::read(i.bytes, i.password, out)
);
importer!(
    Stratum,
    Format::Stratum,
    |p| p.bytes().starts_with(b"AUTHENTICATORPRO")
        || p.bytes().starts_with(b"AuthenticatorPro")
        || p.has("Authenticators"),
    |i, out| stratum::read(i.bytes, i.password, i.cx, out)
);
importer!(
    Google,
    Format::GoogleMigration,
    |p| google::is_image(p.bytes()) || {
        let lines = p.lines();
        !lines.is_empty()
            && lines
                .iter()
                .all(|l| l.to_ascii_lowercase().starts_with("otpauth-migration:"))
    },
    |i, out| google::read(i.bytes, i.cx, out)
);
importer!(
    Zip,
    Format::Zip,
    |p| p.bytes().starts_with(b"PK\x03\x04"),
    |i, out| archive::read(i.bytes, i.password, i.cx, out)
);
importer!(
    Database,
    Format::Database,
    |p| sqlite::is_sqlite(p.bytes()) && databases::detect(p.bytes()).is_some(),
    |i, out| databases::read(i.bytes, i.cx, out)
);
importer!(
    KeePass,
    Format::KeePass,
    |p| p.bytes().starts_with(&keepass::SIGNATURE),
    |i, out| keepass::read(i.bytes, i.password, i.cx, out)
);
importer!(
    FreeOtp2,
    Format::FreeOtp2,
    |p| p.bytes().starts_with(freeotp2::MAGIC),
    |i, out| freeotp2::read(i.bytes, i.password, i.cx, out)
);
importer!(
    Authy,
    Format::Authy,
    |p| p.xml().is_some_and(|x| x.contains(authy::KEY)),
    |i, out| authy::read(i.bytes, i.password, i.cx, out)
);
importer!(
    TotpAuthenticator,
    Format::TotpAuthenticator,
    |p| p
        .xml()
        .is_some_and(|x| x.contains("STATIC_TOTP_CODES_LIST"))
        || (p.text().is_some() && apps::is_totp_authenticator_export(p.bytes())),
    |i, out| apps::totp_authenticator(i.bytes, i.password, i.cx, out)
);
importer!(
    BattleNet,
    Format::BattleNet,
    |p| p.xml().is_some_and(|x| x.contains("com.blizzard.")),
    |i, out| apps::battle_net(i.bytes, i.cx, out)
);
importer!(
    FreeOtp,
    Format::FreeOtp,
    |p| p.xml().is_some_and(|x| super::prefs::strings(x)
        .iter()
        .any(|(_, value)| value.contains("\"secret\":[") && value.contains("\"type\""))),
    |i, out| apps::freeotp_xml(i.bytes, i.cx, out)
);
importer!(
    Ente,
    Format::EnteEncrypted,
    |p| p.json().is_some_and(ente::is_export),
    |i, out| ente::read(i.bytes, i.password, i.cx, out)
);
importer!(
    Aegis,
    Format::Aegis,
    |p| p.has("db") && p.has("header"),
    |i, out| aegis::read(i.bytes, i.password, i.cx, out)
);
importer!(
    TwoFas,
    Format::TwoFas,
    |p| p.has("schemaVersion") && (p.has("services") || p.has("servicesEncrypted")),
    |i, out| twofas::read(i.bytes, i.password, i.cx, out)
);
importer!(
    FreeOtpPlus,
    Format::FreeOtpPlus,
    |p| p.has("tokens") && p.has("tokenOrder"),
    |i, out| freeotp::read(i.bytes, i.cx, out)
);
importer!(
    Bitwarden,
    Format::Bitwarden,
    |p| p.has("items")
        || (p.has("encrypted") && p.has("data") && p.has("kdfType"))
        || p.text().is_some_and(bitwarden::is_csv),
    |i, out| bitwarden::read(i.bytes, i.password, i.cx, out)
);
importer!(
    Proton,
    Format::Proton,
    |p| p.has("version") && (p.has("entries") || (p.has("salt") && p.has("content"))),
    |i, out| proton::read(i.bytes, i.password, i.cx, out)
);
importer!(
    AndOtp,
    Format::AndOtp,
    |p| p.first_in_array().is_some_and(|e| e.get("secret").is_some() && e.get("type").is_some())
        // Binary without a signature: andOTP's encrypted formats are the only ones left (a
        // database no importer claimed, or a file with another app's signature, is not one).
        || (p.is_binary()
            && p.bytes().len() > 28
            && !sqlite::is_sqlite(p.bytes())
            && other_file(p.bytes()).is_none()),
    |i, out| andotp::read(i.bytes, i.password, i.cx, out)
);
importer!(
    AuthenticatorPlus,
    Format::AuthenticatorPlus,
    // Binary without a signature, in whole 1 KiB pages, and no andOTP header.
    |p| p.is_binary()
        && sqlcipher::plausible(p.bytes())
        && !andotp::has_header(p.bytes())
        && other_file(p.bytes()).is_none(),
    |i, out| databases::read_sqlcipher(i.bytes, i.password, i.cx, out)
);
importer!(
    LastPass,
    Format::LastPass,
    |p| p.has("deviceSecret")
        || p.json()
            .and_then(|v| v.get("accounts"))
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .is_some_and(|a| a.get("issuerName").is_some() && a.get("secret").is_some()),
    |i, out| apps::lastpass(i.bytes, i.cx, out)
);
importer!(
    Steam,
    Format::Steam,
    |p| p.has("shared_secret")
        || p.json()
            .and_then(|v| v.get("accounts"))
            .and_then(Value::as_object)
            .is_some_and(|m| m.values().any(|a| a.get("shared_secret").is_some())),
    |i, out| apps::steam(i.bytes, i.cx, out)
);
importer!(
    Duo,
    Format::Duo,
    |p| p
        .first_in_array()
        .is_some_and(|e| e.get("otpGenerator").is_some()),
    |i, out| apps::duo(i.bytes, i.cx, out)
);
importer!(
    Html,
    Format::Html,
    |p| p.text().is_some_and(html::detect),
    |i, out| html::read(i.bytes, i.cx, out)
);
importer!(
    Uris,
    Format::Uris,
    |p| p.lines().iter().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("otpauth://") || l.starts_with("motp://")
    }),
    |i, out| uris::read(i.bytes, i.cx, out)
);

/// Every importer, in the order detection tries them.
pub static IMPORTERS: &[&dyn Importer] = &[
    &Tessera,
    &Stratum,
    &Google,
    &Zip,
    &Database,
    &KeePass,
    &FreeOtp2,
    &Authy,
    &TotpAuthenticator,
    &BattleNet,
    &FreeOtp,
    &Ente,
    &Aegis,
    &TwoFas,
    &FreeOtpPlus,
    &Bitwarden,
    &Proton,
    &AuthenticatorPlus,
    &AndOtp,
    &LastPass,
    &Steam,
    &Duo,
    &Html,
    &Uris,
];

/// The importer of `format`.
pub fn importer(format: Format) -> &'static dyn Importer {
    *IMPORTERS
        .iter()
        .find(|i| i.format() == format)
        .expect("every format has an importer (tested)")
}

/// Recognises a format from the content.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    let probe = Probe::new(bytes);
    IMPORTERS
        .iter()
        .find(|i| i.detect(&probe))
        .map(|i| i.format())
}

/// What a binary file with a known signature that no importer reads is, and what to do.
fn other_file(bytes: &[u8]) -> Option<&'static str> {
    // KeePass 1 (`.kdb`): KDBX's first four bytes, then another second signature.
    const KDB: &[u8] = &[0x03, 0xd9, 0xa2, 0x9a, 0x65, 0xfb, 0x4b, 0xb5];
    let what = if bytes.starts_with(KDB) {
        "it is a KeePass 1 database (.kdb); open it in KeePassXC, save it as KDBX 4 and import that"
    } else if bytes.starts_with(b"%PDF") {
        "it is a PDF document; if it shows QR codes, take a screenshot of each and import those"
    } else if bytes.starts_with(&[0x1f, 0x8b]) {
        "it is a gzip archive; unpack it first and import the export inside"
    } else if bytes.starts_with(b"7z\xbc\xaf\x27\x1c") || bytes.starts_with(b"Rar!") {
        "it is a 7-Zip or RAR archive; unpack it first and import the export inside"
    } else {
        return None;
    };
    Some(what)
}

/// Why a file no importer claimed cannot be imported: what it recognisably is (a database or
/// an app's settings file Tessera does not know), else that the format is unknown.
pub fn unrecognised(bytes: &[u8]) -> TransferError {
    let what = if let Some(what) = other_file(bytes) {
        what
    } else if sqlite::is_sqlite(bytes) {
        "it is a database Tessera does not know; use the app's export function and import that file"
    } else if bytes.starts_with(b"<?xml") || bytes.starts_with(b"<map") {
        "it is an app's internal settings file (XML) Tessera does not know; use the app's export function"
    } else {
        return TransferError::UnknownFormat;
    };
    TransferError::NotAnExport { what: what.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_exactly_one_importer() {
        for format in Format::ALL {
            let count = IMPORTERS.iter().filter(|i| i.format() == format).count();
            assert_eq!(count, 1, "{format:?}");
        }
        assert_eq!(IMPORTERS.len(), Format::ALL.len());
    }
}
