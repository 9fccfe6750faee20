//! Small formats of single apps: Steam's `Steamguard-*.json` (old single object and the newer
//! `accounts` map), Duo Mobile's `accounts.json`, FreeOTP 1's `tokens.xml`.

use base64::Engine;
use serde_json::Value;

use super::fields::{Context, Draft, Kind, SecretText, entry, failed};
use super::{Imported, json, prefs};
use crate::transfer::TransferError;

/// Steam Guard files.
pub fn steam(bytes: &[u8], cx: &Context, out: &mut Imported) -> Result<(), TransferError> {
    const NAME: &str = super::Format::Steam.name();
    let file: Value = json::parse(bytes, NAME)?;
    let accounts: Vec<Value> = match file.get("accounts").and_then(Value::as_object) {
        Some(map) => map.values().cloned().collect(),
        None => vec![file],
    };
    for (i, a) in accounts.iter().enumerate() {
        let name = json::text(a, "account_name");
        let Ok(secret) =
            base64::engine::general_purpose::STANDARD.decode(json::text(a, "shared_secret"))
        else {
            out.entries
                .push(Err(failed(i + 1, name, "the shared secret is not Base64")));
            continue;
        };
        let mut draft = Draft::new("Steam", name, SecretText::Bytes(secret));
        draft.kind = Kind::Steam;
        out.entries.push(entry(i + 1, draft, cx));
    }
    Ok(())
}

/// Duo Mobile's account list (third-party accounts only: Duo's own push accounts have no
/// secret and are reported as failed).
pub fn duo(bytes: &[u8], cx: &Context, out: &mut Imported) -> Result<(), TransferError> {
    const NAME: &str = super::Format::Duo.name();
    let file: Value = json::parse(bytes, NAME)?;
    let accounts = file
        .as_array()
        .ok_or_else(|| TransferError::damaged(NAME, "not a list"))?;
    for (i, a) in accounts.iter().enumerate() {
        let generator = a.get("otpGenerator").cloned().unwrap_or(Value::Null);
        let name = json::text(a, "name");
        let secret = json::text(&generator, "otpSecret");
        if secret.is_empty() {
            out.entries.push(Err(failed(
                i + 1,
                name,
                "a Duo push account has no code secret; keep it in Duo Mobile",
            )));
            continue;
        }
        let mut draft = Draft::new("", name, SecretText::Base32(secret));
        if let Some(counter) = json::number(&generator, "counter") {
            draft.kind = Kind::Hotp;
            draft.counter = Some(counter);
        }
        out.entries.push(entry(i + 1, draft, cx));
    }
    Ok(())
}

/// FreeOTP 1's `tokens.xml`: one JSON token per string (the `tokenOrder` string is skipped).
/// Counters are "last used", so 1 is added as for FreeOTP+.
pub fn freeotp_xml(bytes: &[u8], cx: &Context, out: &mut Imported) -> Result<(), TransferError> {
    const NAME: &str = super::Format::FreeOtp.name();
    let xml = std::str::from_utf8(bytes).map_err(|_| TransferError::damaged(NAME, "not text"))?;
    let tokens: Vec<Value> = prefs::strings(xml)
        .into_iter()
        .filter(|(name, _)| name != "tokenOrder")
        .filter_map(|(_, value)| serde_json::from_str(&value).ok())
        .collect();
    let file = serde_json::json!({ "tokenOrder": [], "tokens": tokens });
    super::freeotp::read(file.to_string().as_bytes(), cx, out)
}

/// TOTP Authenticator (com.authenticator.authservice2): its export is Base64 of AES-256-CBC
/// (zero IV, key = SHA-256 of the password) over `{"<JSON list>": ...}`; its internal settings
/// file holds the list in `STATIC_TOTP_CODES_LIST`. Keys are hex (`base` 16) or Base32; the app
/// keeps no algorithm or period: SHA1 and 30 s, as it uses.
pub fn totp_authenticator(
    bytes: &[u8],
    password: Option<&[u8]>,
    cx: &Context,
    out: &mut Imported,
) -> Result<(), TransferError> {
    const NAME: &str = super::Format::TotpAuthenticator.name();
    let list: String = if bytes.starts_with(b"<?xml") || bytes.starts_with(b"<map") {
        let xml =
            std::str::from_utf8(bytes).map_err(|_| TransferError::damaged(NAME, "not text"))?;
        prefs::strings(xml)
            .into_iter()
            .find(|(name, _)| name == "STATIC_TOTP_CODES_LIST")
            .map(|(_, list)| list)
            .ok_or_else(|| TransferError::damaged(NAME, "it holds no code list"))?
    } else {
        let data = base64::engine::general_purpose::STANDARD
            .decode(
                bytes
                    .iter()
                    .filter(|b| !b.is_ascii_whitespace())
                    .copied()
                    .collect::<Vec<u8>>(),
            )
            .map_err(|_| TransferError::damaged(NAME, "the export is not Base64"))?;
        let password = password.ok_or(TransferError::NeedsPassword { format: NAME })?;
        let key = crate::transfer::crypto::sha256(password);
        let plain = crate::transfer::crypto::aes_cbc_open(&key, &[0; 16], &data)
            .ok_or(TransferError::WrongPassword { format: NAME })?;
        let outer: Value = serde_json::from_slice(&plain)
            .map_err(|_| TransferError::WrongPassword { format: NAME })?;
        outer
            .as_object()
            .and_then(|o| o.keys().next().cloned())
            .ok_or_else(|| TransferError::damaged(NAME, "the export holds no code list"))?
    };
    let entries: Value =
        serde_json::from_str(&list).map_err(|e| TransferError::damaged(NAME, e.to_string()))?;
    let entries = entries
        .as_array()
        .ok_or_else(|| TransferError::damaged(NAME, "not a list"))?;
    out.notes.push("TOTP Authenticator stores no algorithm or period: imported as SHA1, 30 s, as it uses them.".into());
    for (i, e) in entries.iter().enumerate() {
        let (issuer, name) = (json::text(e, "issuer"), json::text(e, "name"));
        let key = json::text(e, "key");
        let secret = if json::number(e, "base") == Some(16) {
            match data_encoding::HEXUPPER_PERMISSIVE.decode(key.as_bytes()) {
                Ok(bytes) => SecretText::Bytes(bytes),
                Err(_) => {
                    out.entries.push(Err(failed(
                        i + 1,
                        crate::otp::label(&issuer, &name),
                        "the key is not hex",
                    )));
                    continue;
                }
            }
        } else {
            SecretText::Base32(key)
        };
        let mut draft = Draft::new(issuer, name, secret);
        draft.digits = json::number(e, "digits");
        out.entries.push(entry(i + 1, draft, cx));
    }
    Ok(())
}

/// Whether `bytes` look like TOTP Authenticator's Base64 export.
pub fn is_totp_authenticator_export(bytes: &[u8]) -> bool {
    let text: Vec<u8> = bytes
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .copied()
        .collect();
    text.len() >= 64
        && text
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        && base64::engine::general_purpose::STANDARD
            .decode(&text)
            .is_ok_and(|d| d.len() % 16 == 0)
}

/// LastPass Authenticator's JSON export (`{version, deviceName, accounts, folders}`): issuer,
/// user name, Base32 secret, algorithm, digits, `timeStep`; favourites become pins, folders tags.
/// LastPass push-notification accounts have no usable secret and fail with the reason.
pub fn lastpass(bytes: &[u8], cx: &Context, out: &mut Imported) -> Result<(), TransferError> {
    const NAME: &str = super::Format::LastPass.name();
    let file: Value = json::parse(bytes, NAME)?;
    let folders: Vec<(String, String)> = file
        .get("folders")
        .and_then(Value::as_array)
        .map(|f| {
            f.iter()
                .map(|f| (json::text(f, "id"), json::text(f, "name")))
                .collect()
        })
        .unwrap_or_default();
    let accounts = file
        .get("accounts")
        .and_then(Value::as_array)
        .ok_or_else(|| TransferError::damaged(NAME, "it has no account list"))?;
    for (i, a) in accounts.iter().enumerate() {
        let issuer = Some(json::text(a, "issuerName"))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| json::text(a, "originalIssuerName"));
        let name = Some(json::text(a, "userName"))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| json::text(a, "originalUserName"));
        if json::flag(a, "pushNotification") && json::text(a, "secret").is_empty() {
            out.entries.push(Err(failed(
                i + 1,
                crate::otp::label(&issuer, &name),
                "a LastPass push account has no code secret; keep it in LastPass Authenticator",
            )));
            continue;
        }
        let mut draft = Draft::new(issuer, name, SecretText::Base32(json::text(a, "secret")));
        draft.params("totp", a, ["algorithm", "digits", "timeStep", "counter"]);
        draft.pinned = json::flag(a, "isFavorite");
        let folder = a
            .get("folderData")
            .map(|f| json::text(f, "folderId"))
            .unwrap_or_default();
        if let Some((_, folder)) = folders
            .iter()
            .find(|(id, _)| !folder.is_empty() && *id == folder)
        {
            draft.tags.push(folder.clone());
        }
        out.entries.push(entry(i + 1, draft, cx));
    }
    Ok(())
}

/// The fixed mask Blizzard's apps XOR their stored authenticator with (published with Aegis's
/// importer).
const BATTLE_NET_MASK: &str = "398e27fc50276a656065b0e525f4c06c04c61075286b8e7aeda59da9813b5dd6c80d2fb38068773fa59ba47c17ca6c6479015c1d5b8b8f6b9a";

/// Battle.net Authenticator's settings file: the device secret and serial, hex after XOR with a
/// fixed mask; either one `AUTH_STORE.HASH` (secret hex then serial) in the old app, or
/// `AUTHENTICATOR_DEVICE_SECRET` and `AUTHENTICATOR_SERIAL` in the new one. Codes are TOTP,
/// SHA1, 8 digits, 30 s; the serial is the account name.
pub fn battle_net(bytes: &[u8], cx: &Context, out: &mut Imported) -> Result<(), TransferError> {
    const NAME: &str = super::Format::BattleNet.name();
    let xml = std::str::from_utf8(bytes).map_err(|_| TransferError::damaged(NAME, "not text"))?;
    let strings = prefs::strings(xml);
    let find = |suffix: &str| {
        strings
            .iter()
            .find(|(k, _)| k.ends_with(suffix))
            .map(|(_, v)| v.clone())
    };
    let mask = data_encoding::HEXLOWER
        .decode(BATTLE_NET_MASK.as_bytes())
        .expect("constant hex");
    let unmask = |hex: &str| -> Option<String> {
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(hex.trim().as_bytes())
            .ok()?;
        (bytes.len() <= mask.len()).then(|| {
            bytes
                .iter()
                .zip(&mask)
                .map(|(b, m)| char::from(b ^ m))
                .collect()
        })
    };
    let (secret_hex, serial) = match (
        find("AUTH_STORE.HASH"),
        find("AUTHENTICATOR_DEVICE_SECRET"),
        find("AUTHENTICATOR_SERIAL"),
    ) {
        (Some(hash), _, _) => {
            let plain = unmask(&hash).ok_or_else(|| {
                TransferError::damaged(NAME, "the stored hash has the wrong length")
            })?;
            let (secret, serial) = plain.split_at(plain.len().min(40));
            (secret.to_owned(), serial.to_owned())
        }
        (None, Some(secret), Some(serial)) => (
            unmask(&secret).ok_or_else(|| {
                TransferError::damaged(NAME, "the device secret has the wrong length")
            })?,
            unmask(&serial)
                .ok_or_else(|| TransferError::damaged(NAME, "the serial has the wrong length"))?,
        ),
        _ => {
            return Err(TransferError::damaged(
                NAME,
                "it holds no Battle.net authenticator",
            ));
        }
    };
    let Ok(secret) = data_encoding::HEXLOWER_PERMISSIVE.decode(secret_hex.as_bytes()) else {
        out.entries
            .push(Err(failed(1, serial, "the unmasked secret is not hex")));
        return Ok(());
    };
    let mut draft = Draft::new("Battle.net", serial, SecretText::Bytes(secret));
    draft.digits = Some(8);
    out.entries.push(entry(1, draft, cx));
    Ok(())
}
