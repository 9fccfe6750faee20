//! Other apps' internal databases (copied off a rooted phone or a backup): Google Authenticator
//! (`databases` table `accounts`), Microsoft Authenticator (`PhoneFactor`, table `accounts`) and
//! Stratum (table `authenticator`), read with the small SQLite reader.

use super::Imported;
use super::fields::{Context, Draft, Kind, SecretText, entry, failed};
use super::sqlite::{self, Cell};
use crate::transfer::TransferError;

/// Which app's database this is, by its tables.
pub fn detect(bytes: &[u8]) -> Option<&'static str> {
    if sqlite::table(bytes, "authenticator").is_ok() {
        Some("stratum")
    } else if let Ok(accounts) = sqlite::table(bytes, "accounts") {
        if accounts.columns.iter().any(|c| c == "oath_secret_key") {
            Some("microsoft")
        } else if accounts.columns.iter().any(|c| c == "original_name")
            || accounts.columns.iter().any(|c| c == "email")
        {
            Some("google")
        } else {
            None
        }
    } else {
        None
    }
}

/// Reads an Authenticator Plus database (SQLCipher 3 under its master password): Google
/// Authenticator's `accounts` table, with a `category` that becomes a tag. A file that does not
/// open is tried as andOTP's old encrypted backup (which has no signature either) before the
/// password is called wrong.
pub fn read_sqlcipher(
    bytes: &[u8],
    password: Option<&[u8]>,
    cx: &Context,
    out: &mut Imported,
) -> Result<(), TransferError> {
    let plain = match super::sqlcipher::decrypt(bytes, password) {
        Err(TransferError::WrongPasswordOrUnknown { format }) => {
            return match super::andotp::read(bytes, password, cx, out) {
                Ok(()) => {
                    out.format = super::Format::AndOtp;
                    Ok(())
                }
                Err(_) => Err(TransferError::WrongPasswordOrUnknown { format }),
            };
        }
        other => other?,
    };
    if detect(&plain) != Some("google") {
        return Err(TransferError::damaged(
            super::Format::AuthenticatorPlus.name(),
            "it opened, but holds no accounts table",
        ));
    }
    google_accounts(&plain, "Authenticator Plus", cx, out)
}

/// Google Authenticator's `accounts` table (Authenticator Plus kept its layout, adding
/// `category`): `email` is "Issuer:name" or the name, type 1 is HOTP.
fn google_accounts(
    bytes: &[u8],
    app: &str,
    cx: &Context,
    out: &mut Imported,
) -> Result<(), TransferError> {
    let name = super::Format::Database.name();
    let t = sqlite::table(bytes, "accounts").map_err(|what| TransferError::damaged(name, what))?;
    out.notes.push(format!(
        "{app}'s database stores no algorithm, digits or period: SHA1, 6 digits, 30 s, as it uses."
    ));
    for (i, row) in t.rows.iter().enumerate() {
        let issuer = t.get(row, "issuer").text();
        let email = t.get(row, "email").text();
        let name = email
            .split_once(':')
            .map(|(_, n)| n.to_owned())
            .unwrap_or(email);
        let mut draft = Draft::new(
            issuer,
            name,
            SecretText::Base32(t.get(row, "secret").text()),
        );
        if t.get(row, "type").int() == Some(1) {
            draft.kind = Kind::Hotp;
            draft.counter = t.get(row, "counter").int();
        }
        let category = t.get(row, "category").text();
        if !category.trim().is_empty() {
            draft.tags.push(category);
        }
        out.entries.push(entry(i + 1, draft, cx));
    }
    Ok(())
}

/// Reads the database.
pub fn read(bytes: &[u8], cx: &Context, out: &mut Imported) -> Result<(), TransferError> {
    const NAME: &str = super::Format::Database.name();
    let damaged = |what: String| TransferError::damaged(NAME, what);
    match detect(bytes) {
        Some("google") => google_accounts(bytes, "Google Authenticator", cx, out)?,
        Some("microsoft") => {
            let t = sqlite::table(bytes, "accounts").map_err(damaged)?;
            for (i, row) in t.rows.iter().enumerate() {
                let (issuer, name) = (t.get(row, "name").text(), t.get(row, "username").text());
                let secret = t.get(row, "oath_secret_key").text();
                if secret.is_empty() {
                    let why = if t.get(row, "encrypted_oath_secret_key").text().is_empty() {
                        "it is a Microsoft push-notification account with no code secret; keep it in Microsoft Authenticator"
                    } else {
                        "its secret is encrypted with a key kept in the phone's keystore; re-enrol it with a QR code"
                    };
                    out.entries
                        .push(Err(failed(i + 1, crate::otp::label(&issuer, &name), why)));
                    continue;
                }
                // Account type 1 is a personal Microsoft account: Base64 secret, 8 digits.
                let draft = if t.get(row, "account_type").int() == Some(1) {
                    use base64::Engine;
                    match base64::engine::general_purpose::STANDARD.decode(secret.trim()) {
                        Ok(bytes) => {
                            let mut d = Draft::new(issuer, name, SecretText::Bytes(bytes));
                            d.digits = Some(8);
                            d
                        }
                        Err(_) => {
                            out.entries.push(Err(failed(
                                i + 1,
                                crate::otp::label(&issuer, &name),
                                "its secret is not Base64",
                            )));
                            continue;
                        }
                    }
                } else {
                    Draft::new(issuer, name, SecretText::Base32(secret))
                };
                out.entries.push(entry(i + 1, draft, cx));
            }
        }
        Some(_) => {
            let t = sqlite::table(bytes, "authenticator").map_err(damaged)?;
            let rows: Vec<serde_json::Value> = t
                .rows
                .iter()
                .map(|row| {
                    let mut o = serde_json::Map::new();
                    for (column, json) in [
                        ("type", "Type"),
                        ("issuer", "Issuer"),
                        ("username", "Username"),
                        ("secret", "Secret"),
                        ("algorithm", "Algorithm"),
                        ("digits", "Digits"),
                        ("period", "Period"),
                        ("counter", "Counter"),
                        ("pin", "Pin"),
                    ] {
                        let value = match t.get(row, column) {
                            Cell::Int(n) => serde_json::json!(n),
                            other => serde_json::json!(other.text()),
                        };
                        o.insert(json.into(), value);
                    }
                    serde_json::Value::Object(o)
                })
                .collect();
            let file = serde_json::json!({ "Authenticators": rows });
            super::stratum::read(file.to_string().as_bytes(), None, cx, out)?;
        }
        None => {
            return Err(TransferError::NotAnExport {
                what: "it is a database Tessera does not know; use the app's export function and import that file".into(),
            });
        }
    }
    Ok(())
}
