//! andOTP backups: the plain JSON array, the current encrypted format
//! (`[iterations u32 BE][salt 12][nonce 12][AES-256-GCM]`, PBKDF2-HMAC-SHA1) and the old one
//! (`[nonce 12][AES-256-GCM]` under SHA-256 of the password). Tags come along.

use serde_json::Value;

use super::fields::{Context, Draft, Kind, SecretText, entry};
use super::{Imported, json};
use crate::otp::Secret;
use crate::transfer::{TransferError, crypto};

const NAME: &str = super::Format::AndOtp.name();

/// Reads a backup.
pub fn read(
    bytes: &[u8],
    password: Option<&[u8]>,
    cx: &Context,
    out: &mut Imported,
) -> Result<(), TransferError> {
    let plain;
    let text: &[u8] = if bytes.first().is_some_and(|b| *b == b'[') {
        bytes
    } else {
        plain = decrypt(bytes, password)?;
        &plain
    };
    let entries: Value = json::parse(text, NAME)?;
    let entries = entries
        .as_array()
        .ok_or_else(|| TransferError::damaged(NAME, "it is not a list of entries"))?;
    for (i, e) in entries.iter().enumerate() {
        let (mut issuer, mut name) = (json::text(e, "issuer"), json::text(e, "label"));
        // Old andOTP versions kept no issuer field and wrote "Issuer - label" as the label.
        if issuer.is_empty()
            && let Some((head, rest)) = name.split_once(" - ")
        {
            (issuer, name) = (head.to_owned(), rest.to_owned());
        }
        let mut draft = Draft::new(issuer, name, SecretText::Base32(json::text(e, "secret")));
        draft.params(
            &json::text(e, "type"),
            e,
            ["algorithm", "digits", "period", "counter"],
        );
        // andOTP keeps an mOTP secret as the hex text typed in (Base32-encoded in the file),
        // and never the PIN, which it asks for instead.
        if let (Kind::Motp, Ok(text)) = (draft.kind, Secret::from_base32(&json::text(e, "secret")))
        {
            draft.secret = SecretText::Hex(String::from_utf8_lossy(text.expose()).into_owned());
        }
        draft.tags = e
            .get("tags")
            .and_then(Value::as_array)
            .map(|t| {
                t.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        out.entries.push(entry(i + 1, draft, cx));
    }
    Ok(())
}

fn decrypt(bytes: &[u8], password: Option<&[u8]>) -> Result<Vec<u8>, TransferError> {
    let password = password.ok_or(TransferError::NeedsPassword { format: NAME })?;
    // The newer format's header: PBKDF2 iterations, salt, nonce.
    let header = (bytes.len() > 4 + 12 + 12 + 16)
        .then(|| u32::from_be_bytes(bytes[..4].try_into().expect("4 bytes")));
    if let Some(iterations) = header
        && (1..=crypto::MAX_PBKDF2_ITERATIONS).contains(&iterations)
    {
        let (salt, nonce, sealed) = (&bytes[4..16], &bytes[16..28], &bytes[28..]);
        let key = crypto::pbkdf2(crypto::Hash::Sha1, password, salt, iterations, 32)
            .expect("bounded above");
        if let Some(plain) = crypto::aes_gcm_open(&key, nonce, sealed, b"") {
            return Ok(plain.to_vec());
        }
    }
    if bytes.len() > 12 + 16 {
        let key = crypto::sha256(password);
        if let Some(plain) = crypto::aes_gcm_open(&key, &bytes[..12], &bytes[12..], b"") {
            return Ok(plain.to_vec());
        }
    }
    // andOTP writes 140,000 to 160,000 iterations: a header in that range is andOTP's for sure,
    // so the password is wrong. Else only the old format (no header) is left, which nothing
    // tells apart from any other binary file.
    if header.is_some_and(|i| ANDOTP_ITERATIONS.contains(&i)) {
        Err(TransferError::WrongPassword { format: NAME })
    } else {
        Err(TransferError::WrongPasswordOrUnknown { format: NAME })
    }
}

/// Whether the file starts with the header of andOTP's current encrypted format (its PBKDF2
/// iterations in the range andOTP writes).
pub fn has_header(bytes: &[u8]) -> bool {
    bytes.len() > 4 + 12 + 12 + 16
        && ANDOTP_ITERATIONS.contains(&u32::from_be_bytes(bytes[..4].try_into().expect("4 bytes")))
}

/// The PBKDF2 iterations andOTP writes in its backups' header (`Constants.java`).
const ANDOTP_ITERATIONS: std::ops::RangeInclusive<u32> = 140_000..=160_000;
