//! KeePass databases, KDBX 3.1 and 4 (KeePassXC, KeePass 2, KeePassDX, Strongbox), through the
//! `keepass` crate. An entry is an account when it holds a code: KeePassXC's `otp` attribute
//! (an `otpauth://` URI, `encoder=steam` included, or the older `key=...&step=...&size=...`),
//! or KeePass 2's `TimeOtp-*` / `HmacOtp-*` fields. The entry's notes become the note, its
//! group path (below the root) a tag, its tags tags, a `Tenant` attribute (Tessera's export
//! writes one) the tenant; the recycle bin is left out. Entries
//! without a code are plain passwords and are counted, not imported.
//!
//! The key derivation's settings are read from the header and bounded before the crate runs
//! it (Argon2 at most 1 GiB and 100 passes, AES-KDF at most 100 million rounds), so a hostile
//! file cannot take the memory or the hours it asks for.

use keepass::{Database, DatabaseKey};

use super::fields::{Context, Draft, Kind, SecretText, entry, failed};
use super::{EntryError, Imported};
use crate::otp::{Account, parse_otpauth};
use crate::transfer::TESSERA_OTP;
use crate::transfer::TransferError;

const NAME: &str = super::Format::KeePass.name();

/// The first 8 bytes of every KDBX file (KeePass 2.x and later).
pub const SIGNATURE: [u8; 8] = [0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5];

/// The most memory an Argon2 KDF may ask for (1 GiB, as for the other formats).
const MAX_ARGON2_BYTES: u64 = 1 << 30;
/// The most Argon2 passes.
const MAX_ARGON2_PASSES: u64 = 100;
/// The most AES-KDF rounds (KeePassXC's one-second setting is a few million on a phone).
const MAX_AES_ROUNDS: u64 = 100_000_000;

/// Reads a database with its password.
pub fn read(
    bytes: &[u8],
    password: Option<&[u8]>,
    cx: &Context,
    out: &mut Imported,
) -> Result<(), TransferError> {
    check_kdf(bytes)?;
    let mut key = DatabaseKey::new();
    if let Some(password) = password {
        let password = std::str::from_utf8(password)
            .map_err(|_| TransferError::WrongPassword { format: NAME })?;
        key = key.with_password(password);
    }
    let key_file = cx.key_file.as_deref().map(Vec::as_slice);
    if let Some(mut file) = key_file {
        key = key.with_keyfile(&mut file).expect("reading from memory");
    }
    if password.is_none() && key_file.is_none() {
        return Err(TransferError::NeedsPassword { format: NAME });
    }
    let wrong = match key_file {
        Some(_) => TransferError::WrongKeyFile { format: NAME },
        None => TransferError::WrongPassword { format: NAME },
    };
    let db = Database::parse(bytes, key).map_err(|e| {
        use keepass::db::DatabaseOpenError as E;
        match e {
            // KDBX 3.1 has no check of the key but the padding of what it decrypts.
            E::Key(_) | E::Cryptography(_) => wrong,
            E::UnsupportedVersion => TransferError::Refused {
                format: NAME,
                what: "its KDBX version is not one Tessera reads (3.1 and 4 are); save it again in KeePassXC".into(),
            },
            other => TransferError::damaged(NAME, other.to_string()),
        }
    })?;
    let bin = db.recycle_bin().map(|g| g.id());
    let mut plain = 0;
    let mut position = 0;
    // Depth first, in the database's order: each group's entries, then its groups.
    let mut stack = vec![(db.root().id(), Vec::<String>::new())];
    while let Some((id, path)) = stack.pop() {
        let Some(group) = db.group(id) else { continue };
        if Some(id) == bin {
            continue;
        }
        for e in group.entries() {
            let Some(result) = read_entry(position + 1, &e, &path, cx) else {
                plain += 1;
                continue;
            };
            position += 1;
            out.entries.push(result);
        }
        let children: Vec<_> = group.group_ids().collect();
        for child in children.into_iter().rev() {
            let mut below = path.clone();
            below.push(db.group(child).map(|g| g.name.clone()).unwrap_or_default());
            stack.push((child, below));
        }
    }
    if plain > 0 {
        out.notes.push(format!(
            "{plain} entries without a one-time code (plain passwords) were left out."
        ));
    }
    Ok(())
}

/// The account an entry holds, `None` when it holds no code.
fn read_entry(
    position: usize,
    e: &keepass::db::Entry,
    path: &[String],
    cx: &Context,
) -> Option<Result<(Account, Option<u64>), EntryError>> {
    let title = e.get_title().unwrap_or_default().trim().to_owned();
    let username = e.get_username().unwrap_or_default().trim().to_owned();
    let field = |key: &str| e.get(key).map(str::trim).filter(|v| !v.is_empty());
    let mut result = if let Some(otp) = field("otp").or_else(|| field(TESSERA_OTP)) {
        let lower = otp.to_ascii_lowercase();
        if lower.starts_with("otpauth://") || lower.starts_with("motp://") {
            parse_otpauth(otp)
                .map(|enrolment| {
                    let mut account = Account::new(enrolment, cx.now);
                    if account.issuer.is_empty() {
                        account.issuer = title.clone();
                    }
                    if account.name.is_empty() {
                        account.name = username.clone();
                    }
                    (account, None)
                })
                .map_err(|error| failed(position, title.clone(), error.to_string()))
        } else {
            entry(position, key_uri_draft(otp, &title, &username), cx)
        }
    } else if let Some(draft) = keepass2_draft(e, &title, &username) {
        entry(position, draft, cx)
    } else {
        return None;
    };
    if let Ok((account, _)) = &mut result {
        account.note = e.get("Notes").unwrap_or_default().to_owned();
        // Tessera's own export names the tenant in an attribute and a group.
        if let Some(tenant) = field("Tenant") {
            account.tenant = tenant.to_owned();
        }
        let group = path.join("/");
        if !group.is_empty() && group != account.tenant {
            account.tags.push(group);
        }
        for tag in &e.tags {
            let tag = tag.trim();
            if !tag.is_empty() && !account.tags.iter().any(|t| t == tag) {
                account.tags.push(tag.to_owned());
            }
        }
    }
    Some(result)
}

/// KeePassXC's older `otp` form (from KeeOTP): `key=BASE32&step=30&size=6&otpHashMode=sha256`.
fn key_uri_draft(otp: &str, title: &str, username: &str) -> Draft {
    let mut draft = Draft::new(title, username, SecretText::Base32(String::new()));
    for pair in otp.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
        match key.to_ascii_lowercase().as_str() {
            "key" => draft.secret = SecretText::Base32(value.into_owned()),
            "step" => draft.period = value.parse().ok(),
            "size" => draft.digits = value.parse().ok(),
            "otphashmode" => draft.algorithm = value.into_owned(),
            "type" if value.eq_ignore_ascii_case("hotp") => draft.kind = Kind::Hotp,
            "counter" => draft.counter = value.parse().ok(),
            _ => {}
        }
    }
    draft
}

/// KeePass 2's own fields (2.47 and later): `TimeOtp-Secret-Base32` (or `-Hex`, `-Base64`,
/// plain UTF-8 `TimeOtp-Secret`), `TimeOtp-Length`, `TimeOtp-Period`, `TimeOtp-Algorithm`
/// (`HMAC-SHA-256`); `HmacOtp-Secret*` and `HmacOtp-Counter` for counters.
fn keepass2_draft(e: &keepass::db::Entry, title: &str, username: &str) -> Option<Draft> {
    let field = |key: &str| e.get(key).map(str::trim).filter(|v| !v.is_empty());
    let secret = |prefix: &str| -> Option<SecretText> {
        if let Some(text) = field(&format!("{prefix}-Base32")) {
            return Some(SecretText::Base32(text.to_owned()));
        }
        if let Some(text) = field(&format!("{prefix}-Hex")) {
            let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = data_encoding::HEXLOWER_PERMISSIVE.decode(clean.as_bytes());
            return Some(SecretText::Bytes(bytes.unwrap_or_default()));
        }
        if let Some(text) = field(&format!("{prefix}-Base64")) {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD.decode(text);
            return Some(SecretText::Bytes(bytes.unwrap_or_default()));
        }
        field(prefix).map(|text| SecretText::Bytes(text.as_bytes().to_vec()))
    };
    if let Some(secret) = secret("TimeOtp-Secret") {
        let mut draft = Draft::new(title, username, secret);
        draft.digits = field("TimeOtp-Length").and_then(|v| v.parse().ok());
        draft.period = field("TimeOtp-Period").and_then(|v| v.parse().ok());
        draft.algorithm = field("TimeOtp-Algorithm")
            .map(|a| a.to_ascii_uppercase().replace("HMAC-", "").replace('-', ""))
            .unwrap_or_default();
        return Some(draft);
    }
    let secret = secret("HmacOtp-Secret")?;
    let mut draft = Draft::new(title, username, secret);
    draft.kind = Kind::Hotp;
    draft.counter = field("HmacOtp-Counter").and_then(|v| v.parse().ok());
    Some(draft)
}

/// Refuses key-derivation settings past the bounds, from the header, before anything runs.
fn check_kdf(bytes: &[u8]) -> Result<(), TransferError> {
    let damaged = || TransferError::damaged(NAME, "its header is cut short");
    let major = u16::from_le_bytes(
        bytes
            .get(10..12)
            .ok_or_else(damaged)?
            .try_into()
            .expect("2 bytes"),
    );
    let mut at = 12;
    let refuse = |what: String| TransferError::Refused { format: NAME, what };
    loop {
        let id = *bytes.get(at).ok_or_else(damaged)?;
        let (size, start) = if major >= 4 {
            let size = bytes.get(at + 1..at + 5).ok_or_else(damaged)?;
            (
                u32::from_le_bytes(size.try_into().expect("4 bytes")) as usize,
                at + 5,
            )
        } else {
            let size = bytes.get(at + 1..at + 3).ok_or_else(damaged)?;
            (
                usize::from(u16::from_le_bytes(size.try_into().expect("2 bytes"))),
                at + 3,
            )
        };
        let data = bytes
            .get(start..start.saturating_add(size))
            .ok_or_else(damaged)?;
        match id {
            0 => return Ok(()),
            // KDBX 3.1: TransformRounds (AES-KDF).
            6 if major < 4 => {
                let rounds = u64::from_le_bytes(
                    data.get(..8)
                        .ok_or_else(damaged)?
                        .try_into()
                        .expect("8 bytes"),
                );
                if rounds > MAX_AES_ROUNDS {
                    return Err(refuse(format!(
                        "it asks for {rounds} AES-KDF rounds, more than the {MAX_AES_ROUNDS} Tessera runs"
                    )));
                }
            }
            // KDBX 4: KdfParameters, a variant dictionary.
            11 if major >= 4 => {
                for (key, value) in variant_numbers(data) {
                    let too_much = match key.as_str() {
                        "M" => value > MAX_ARGON2_BYTES,
                        "I" => value > MAX_ARGON2_PASSES,
                        "R" => value > MAX_AES_ROUNDS,
                        _ => false,
                    };
                    if too_much {
                        return Err(refuse(format!(
                            "its key derivation asks for {key} = {value}, past what Tessera runs \
                             (Argon2 at most 1 GiB and {MAX_ARGON2_PASSES} passes, AES-KDF at most {MAX_AES_ROUNDS} rounds); \
                             lower it in KeePassXC's database settings and save again"
                        )));
                    }
                }
            }
            _ => {}
        }
        at = start + size;
    }
}

/// The unsigned numbers of a KDBX 4 variant dictionary (type 0x04 UInt32, 0x05 UInt64).
fn variant_numbers(data: &[u8]) -> Vec<(String, u64)> {
    let mut found = Vec::new();
    let mut at = 2; // the dictionary's version
    let read_len = |at: usize| -> Option<usize> {
        Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?) as usize)
    };
    while let Some(&kind) = data.get(at) {
        if kind == 0 {
            break;
        }
        let Some(name_len) = read_len(at + 1) else {
            break;
        };
        let name_at = at + 5;
        let Some(name) = data.get(name_at..name_at.saturating_add(name_len)) else {
            break;
        };
        let value_len_at = name_at + name_len;
        let Some(value_len) = read_len(value_len_at) else {
            break;
        };
        let value_at = value_len_at + 4;
        let Some(value) = data.get(value_at..value_at.saturating_add(value_len)) else {
            break;
        };
        let number = match (kind, value.len()) {
            (0x04, 4) => Some(u64::from(u32::from_le_bytes(
                value.try_into().expect("4 bytes"),
            ))),
            (0x05, 8) => Some(u64::from_le_bytes(value.try_into().expect("8 bytes"))),
            _ => None,
        };
        if let Some(number) = number {
            found.push((String::from_utf8_lossy(name).into_owned(), number));
        }
        at = value_at + value_len;
    }
    found
}
