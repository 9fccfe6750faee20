//! Stratum (formerly Authenticator Pro) backups: plain JSON (`Authenticators`, `Categories`),
//! encrypted (`AUTHENTICATORPRO` ‖ salt 16 ‖ IV 12 ‖ AES-256-GCM; Argon2id t=3 m=64 MiB p=4) and
//! legacy encrypted (`AuthenticatorPro` ‖ salt 20 ‖ IV 16 ‖ AES-256-CBC; PBKDF2-HMAC-SHA1, 64,000
//! iterations). Types: 1 HOTP, 2 TOTP, 3 mOTP and 5 Yandex (with `Pin`), 4 Steam. Categories
//! become tags; `Icon` (a bundled icon's name, or `@id` of `CustomIcons`) the icon.

use serde_json::Value;
use zeroize::Zeroizing;

use super::fields::{Context, Draft, Kind, SecretText, entry, failed};
use super::{Imported, json};
use crate::transfer::{TransferError, crypto};

const NAME: &str = super::Format::Stratum.name();

/// Reads a backup.
pub fn read(
    bytes: &[u8],
    password: Option<&[u8]>,
    cx: &Context,
    out: &mut Imported,
) -> Result<(), TransferError> {
    let plain;
    let text: &[u8] =
        if bytes.starts_with(b"AUTHENTICATORPRO") || bytes.starts_with(b"AuthenticatorPro") {
            plain = decrypt(bytes, password)?;
            &plain
        } else {
            bytes
        };
    let file: Value = json::parse(text, NAME)?;
    let list = |key: &str| {
        file.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let categories: Vec<(String, String)> = list("Categories")
        .iter()
        .map(|c| (json::text(c, "Id"), json::text(c, "Name")))
        .collect();
    let links = list("AuthenticatorCategories");
    let custom_icons = list("CustomIcons");
    let authenticators = file
        .get("Authenticators")
        .and_then(Value::as_array)
        .ok_or_else(|| TransferError::damaged(NAME, "it has no authenticator list"))?;
    for (i, a) in authenticators.iter().enumerate() {
        let (issuer, name) = (json::text(a, "Issuer"), json::text(a, "Username"));
        let kind = match json::number(a, "Type") {
            Some(1) => Kind::Hotp,
            Some(2) => Kind::Totp,
            Some(4) => Kind::Steam,
            Some(3) => Kind::Motp,
            Some(5) => Kind::Yandex,
            other => {
                out.entries.push(Err(failed(
                    i + 1,
                    crate::otp::label(&issuer, &name),
                    format!("Tessera cannot compute codes of type {other:?}"),
                )));
                continue;
            }
        };
        let secret = json::text(a, "Secret");
        // Stratum keeps an mOTP secret as the hex text mOTP hashes.
        let text = match kind {
            Kind::Motp => SecretText::Hex(secret.clone()),
            _ => SecretText::Base32(secret.clone()),
        };
        let mut draft = Draft::new(issuer, name, text);
        draft.kind = kind;
        draft.pin = Some(Zeroizing::new(json::text(a, "Pin")));
        draft.algorithm = match json::number(a, "Algorithm") {
            Some(1) => "SHA256",
            Some(2) => "SHA512",
            _ => "SHA1",
        }
        .into();
        draft.digits = json::number(a, "Digits");
        draft.period = json::number(a, "Period");
        draft.counter = json::number(a, "Counter");
        for link in links
            .iter()
            .filter(|l| json::text(l, "AuthenticatorSecret") == secret)
        {
            let id = json::text(link, "CategoryId");
            if let Some((_, name)) = categories.iter().find(|(c, _)| *c == id) {
                draft.tags.push(name.clone());
            }
        }
        // `Icon` names one of Stratum's bundled icons, or `@id` one of `CustomIcons`.
        let icon = json::text(a, "Icon");
        draft.icon = match icon.strip_prefix('@') {
            Some(id) => custom_icons
                .iter()
                .find(|c| json::text(c, "Id") == id)
                .and_then(|c| super::fields::icon_image(&json::text(c, "Data"))),
            None => super::fields::icon_brand(&icon),
        };
        out.entries.push(entry(i + 1, draft, cx));
    }
    Ok(())
}

fn decrypt(bytes: &[u8], password: Option<&[u8]>) -> Result<Vec<u8>, TransferError> {
    let password = password.ok_or(TransferError::NeedsPassword { format: NAME })?;
    let short = || TransferError::damaged(NAME, "the file is too short");
    if bytes.starts_with(b"AUTHENTICATORPRO") {
        let rest = &bytes[16..];
        if rest.len() < 16 + 12 + 16 {
            return Err(short());
        }
        let (salt, iv, sealed) = (&rest[..16], &rest[16..28], &rest[28..]);
        let key = crypto::argon2(
            argon2::Algorithm::Argon2id,
            password,
            salt,
            64 * 1024,
            3,
            4,
            32,
        )
        .expect("fixed settings");
        crypto::aes_gcm_open(&key, iv, sealed, b"")
            .map(|p| p.to_vec())
            .ok_or(TransferError::WrongPassword { format: NAME })
    } else {
        let rest = &bytes[16..];
        if rest.len() < 20 + 16 + 16 {
            return Err(short());
        }
        let (salt, iv, data) = (&rest[..20], &rest[20..36], &rest[36..]);
        let key = crypto::pbkdf2(crypto::Hash::Sha1, password, salt, 64_000, 32).expect("fixed");
        crypto::aes_cbc_open(&key, iv, data)
            .map(|p| p.to_vec())
            .ok_or(TransferError::WrongPassword { format: NAME })
    }
}
