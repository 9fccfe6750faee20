//! Bitwarden exports, JSON and CSV: each login's TOTP field holds an `otpauth://` URI, a
//! `steam://SECRET` or a bare Base32 secret (then the item name is the issuer and the username
//! the account). Items without a TOTP are not authenticator entries and are left out. The item's
//! notes and favourite come along. Encrypted JSON exports are refused with advice.

use serde_json::Value;

use super::fields::{Context, Draft, Kind, SecretText, entry, failed};
use super::{Imported, json};
use crate::otp::{Account, parse_otpauth};
use crate::transfer::{TransferError, crypto};

const NAME: &str = super::Format::Bitwarden.name();

/// Whether the text is a Bitwarden CSV export (by its header).
pub fn is_csv(text: &str) -> bool {
    text.lines()
        .next()
        .is_some_and(|header| header.split(',').any(|c| c.trim() == "login_totp"))
}

/// Reads a JSON or CSV export; a password-protected JSON export with its password.
pub fn read(
    bytes: &[u8],
    password: Option<&[u8]>,
    cx: &Context,
    out: &mut Imported,
) -> Result<(), TransferError> {
    let text = std::str::from_utf8(bytes).map_err(|_| TransferError::damaged(NAME, "not text"))?;
    let decrypted;
    let text = match serde_json::from_str::<Value>(text) {
        Ok(file) if json::flag(&file, "encrypted") && json::flag(&file, "passwordProtected") => {
            decrypted = decrypt(&file, password)?;
            decrypted.as_str()
        }
        _ => text,
    };
    let items: Vec<Item> = if is_csv(text) {
        read_csv(text)?
    } else {
        let file: Value =
            serde_json::from_str(text).map_err(|e| TransferError::damaged(NAME, e.to_string()))?;
        if json::flag(&file, "encrypted") {
            return Err(TransferError::Refused {
                format: NAME,
                what: "it is encrypted with your Bitwarden account's key, which only Bitwarden can open; export again choosing \"Password protected\"".into(),
            });
        }
        file.get("items")
            .and_then(Value::as_array)
            .ok_or_else(|| TransferError::damaged(NAME, "it has no item list"))?
            .iter()
            .map(|item| {
                let login = item.get("login").cloned().unwrap_or(Value::Null);
                Item {
                    name: json::text(item, "name"),
                    username: json::text(&login, "username"),
                    totp: json::text(&login, "totp"),
                    notes: json::text(item, "notes"),
                    favorite: json::flag(item, "favorite"),
                }
            })
            .collect()
    };
    let without = items.iter().filter(|i| i.totp.trim().is_empty()).count();
    if without > 0 {
        out.notes.push(format!(
            "{without} items without a TOTP code (plain logins) were left out."
        ));
    }
    for (i, item) in items
        .into_iter()
        .enumerate()
        .filter(|(_, i)| !i.totp.trim().is_empty())
    {
        out.entries.push(read_item(i + 1, item, cx));
    }
    Ok(())
}

struct Item {
    name: String,
    username: String,
    totp: String,
    notes: String,
    favorite: bool,
}

fn read_item(
    position: usize,
    item: Item,
    cx: &Context,
) -> Result<(Account, Option<u64>), super::EntryError> {
    let totp = item.totp.trim();
    let mut result = if totp.to_ascii_lowercase().starts_with("otpauth://") {
        parse_otpauth(totp)
            .map(|e| (Account::new(e, cx.now), None))
            .map_err(|e| failed(position, item.name.clone(), e.to_string()))
    } else {
        let (kind, secret) = match totp.strip_prefix("steam://") {
            Some(secret) => (Kind::Steam, secret),
            None => (Kind::Totp, totp),
        };
        let mut draft = Draft::new(
            item.name.clone(),
            item.username.clone(),
            SecretText::Base32(secret.to_owned()),
        );
        draft.kind = kind;
        entry(position, draft, cx)
    };
    if let Ok((account, _)) = &mut result {
        account.note = item.notes;
        account.pinned = item.favorite;
    }
    result
}

fn read_csv(text: &str) -> Result<Vec<Item>, TransferError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| TransferError::damaged(NAME, e.to_string()))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (name, username, totp, notes, favorite) = (
        column("name"),
        column("login_username"),
        column("login_totp"),
        column("notes"),
        column("favorite"),
    );
    let mut items = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| TransferError::damaged(NAME, e.to_string()))?;
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").to_owned();
        items.push(Item {
            name: get(name),
            username: get(username),
            totp: get(totp),
            notes: get(notes),
            favorite: get(favorite) == "1",
        });
    }
    Ok(items)
}

/// Opens a password-protected export: the key is PBKDF2-SHA256 of the password with the `salt`
/// text (`kdfType` 0), or Argon2id with the SHA-256 of that text (`kdfType` 1, memory in MiB);
/// HKDF-Expand stretches it into an AES-256 key ("enc") and an HMAC-SHA256 key ("mac"). `data`
/// is an EncString "2.iv|ciphertext|mac" (AES-256-CBC, MAC over iv and ciphertext) holding the
/// unencrypted JSON export.
fn decrypt(
    file: &Value,
    password: Option<&[u8]>,
) -> Result<zeroize::Zeroizing<String>, TransferError> {
    let password = password.ok_or(TransferError::NeedsPassword { format: NAME })?;
    let salt = json::text(file, "salt");
    let iterations = json::number(file, "kdfIterations").unwrap_or(0);
    let refused = |what: String| TransferError::Refused { format: NAME, what };
    let key = match json::number(file, "kdfType") {
        Some(0) => crypto::pbkdf2(
            crypto::Hash::Sha256,
            password,
            salt.as_bytes(),
            u32::try_from(iterations).unwrap_or(0),
            32,
        )
        .ok_or_else(|| {
            refused(format!(
                "its PBKDF2 iteration count ({iterations}) is outside what Tessera accepts"
            ))
        })?,
        Some(1) => {
            let memory = json::number(file, "kdfMemory").unwrap_or(0);
            let lanes = json::number(file, "kdfParallelism").unwrap_or(0);
            crypto::argon2(
                argon2::Algorithm::Argon2id,
                password,
                &crypto::sha256(salt.as_bytes()),
                u32::try_from(memory.saturating_mul(1024)).unwrap_or(u32::MAX),
                u32::try_from(iterations).unwrap_or(0),
                u32::try_from(lanes).unwrap_or(0),
                32,
            )
            .ok_or_else(|| refused(format!("its Argon2id settings ({memory} MiB, {iterations} passes, {lanes} lanes) are outside what Tessera accepts")))?
        }
        other => {
            return Err(refused(format!(
                "its key derivation type {other:?} is not one Tessera knows"
            )));
        }
    };
    let stretch = |info: &[u8]| {
        let mut out = zeroize::Zeroizing::new([0u8; 32]);
        hkdf::Hkdf::<sha2::Sha256>::from_prk(&key)
            .expect("32-byte key")
            .expand(info, out.as_mut_slice())
            .expect("32 bytes");
        out
    };
    let (enc, mac) = (stretch(b"enc"), stretch(b"mac"));
    let open = |text: &str| open_enc_string(text, enc.as_slice(), mac.as_slice());
    open(&json::text(file, "encKeyValidation_DO_NOT_EDIT"))
        .ok_or(TransferError::WrongPassword { format: NAME })?;
    let data = open(&json::text(file, "data"))
        .ok_or_else(|| TransferError::damaged(NAME, "the data does not authenticate"))?;
    String::from_utf8(data.to_vec())
        .map(zeroize::Zeroizing::new)
        .map_err(|_| TransferError::damaged(NAME, "the data is not text"))
}

/// A type-2 EncString: "2.iv|ciphertext|mac", each Base64.
fn open_enc_string(text: &str, enc: &[u8], mac_key: &[u8]) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    use base64::Engine;
    use hmac::Mac;
    let parts: Vec<Vec<u8>> = text
        .strip_prefix("2.")?
        .split('|')
        .map(|p| base64::engine::general_purpose::STANDARD.decode(p).ok())
        .collect::<Option<_>>()?;
    let [iv, data, mac] = parts.as_slice() else {
        return None;
    };
    let mut check = hmac::Hmac::<sha2::Sha256>::new_from_slice(mac_key).ok()?;
    check.update(iv);
    check.update(data);
    check.verify_slice(mac).ok()?;
    crypto::aes_cbc_open(enc, iv, data)
}
