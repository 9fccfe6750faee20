//! FreeOTP 2 backups: a Java-serialized `HashMap<String, String>`. `masterKey` holds a JSON
//! description of an AES key encrypted (AES-GCM) under PBKDF2 of the backup password (HMAC-SHA1
//! or -SHA512); each token `<uuid>` holds its secret encrypted (AES-GCM, associated data = the
//! key's algorithm name) under that master key, and `<uuid>-token` its settings as JSON.

use serde_json::Value;

use super::fields::{Context, Draft, SecretText, entry, failed};
use super::{Imported, json};
use crate::transfer::{TransferError, crypto};

const NAME: &str = super::Format::FreeOtp2.name();
/// Java serialization's stream magic and version.
pub const MAGIC: &[u8] = b"\xac\xed\x00\x05";

/// Reads a backup.
pub fn read(
    bytes: &[u8],
    password: Option<&[u8]>,
    cx: &Context,
    out: &mut Imported,
) -> Result<(), TransferError> {
    let strings = java_strings(bytes).map_err(|what| TransferError::damaged(NAME, what))?;
    let map: Vec<(String, String)> = strings
        .chunks_exact(2)
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect();
    let value = |key: &str| map.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let master =
        value("masterKey").ok_or_else(|| TransferError::damaged(NAME, "it has no master key"))?;
    let password = password.ok_or(TransferError::NeedsPassword { format: NAME })?;
    let master: Value =
        serde_json::from_str(master).map_err(|e| TransferError::damaged(NAME, e.to_string()))?;
    let hash = match json::text(&master, "mAlgorithm").as_str() {
        "PBKDF2withHmacSHA512" => crypto::Hash::Sha512,
        "PBKDF2withHmacSHA1" => crypto::Hash::Sha1,
        other => {
            return Err(TransferError::Refused {
                format: NAME,
                what: format!("its key derivation \"{other}\" is not one Tessera knows"),
            });
        }
    };
    let iterations = json::number(&master, "mIterations").unwrap_or(0);
    let salt = signed_bytes(master.get("mSalt"))
        .ok_or_else(|| TransferError::damaged(NAME, "the salt is not a list of bytes"))?;
    let key = crypto::pbkdf2(
        hash,
        password,
        &salt,
        u32::try_from(iterations).unwrap_or(0),
        32,
    )
    .ok_or_else(|| TransferError::Refused {
        format: NAME,
        what: format!("its PBKDF2 iteration count ({iterations}) is outside what Tessera accepts"),
    })?;
    let master_key = open(&key, master.get("mEncryptedKey").unwrap_or(&Value::Null))
        .ok_or(TransferError::WrongPassword { format: NAME })?;
    let mut position = 0;
    for (uuid, meta) in map
        .iter()
        .filter_map(|(k, v)| k.strip_suffix("-token").map(|uuid| (uuid, v)))
    {
        position += 1;
        let meta: Value = serde_json::from_str(meta).unwrap_or(Value::Null);
        let (issuer, name) = (json::text(&meta, "issuerExt"), json::text(&meta, "label"));
        let label = crate::otp::label(&issuer, &name);
        let secret = value(uuid)
            .and_then(|v| serde_json::from_str::<Value>(v).ok())
            .and_then(|v| serde_json::from_str::<Value>(&json::text(&v, "key")).ok())
            .and_then(|encrypted| open(&master_key, &encrypted));
        let Some(secret) = secret else {
            out.entries.push(Err(failed(
                position,
                label,
                "its secret is missing or does not decrypt",
            )));
            continue;
        };
        let mut draft = Draft::new(issuer, name, SecretText::Bytes(secret.to_vec()));
        draft.params(
            &json::text(&meta, "type"),
            &meta,
            ["algo", "digits", "period", "counter"],
        );
        out.entries.push(entry(position, draft, cx));
    }
    Ok(())
}

/// Decrypts an `EncryptedKey` JSON (`mCipherText`, `mParameters` holding the GCM nonce in DER,
/// `mToken` as associated data).
fn open(key: &[u8], encrypted: &Value) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    let sealed = signed_bytes(encrypted.get("mCipherText"))?;
    let parameters = signed_bytes(encrypted.get("mParameters"))?;
    // DER: SEQUENCE { OCTET STRING nonce, INTEGER tag length }.
    let at = parameters
        .windows(2)
        .position(|w| w[0] == 0x04 && w[1] == 12)?;
    let nonce = parameters.get(at + 2..at + 14)?;
    crypto::aes_gcm_open(
        key,
        nonce,
        &sealed,
        json::text(encrypted, "mToken").as_bytes(),
    )
}

/// Java's signed bytes as a JSON array.
fn signed_bytes(value: Option<&Value>) -> Option<Vec<u8>> {
    value?
        .as_array()?
        .iter()
        .map(|b| {
            b.as_i64()
                .and_then(|b| i8::try_from(b).ok())
                .map(|b| b as u8)
        })
        .collect()
}

/// The strings of a serialized `java.util.HashMap<String, String>`, keys and values in turn.
fn java_strings(bytes: &[u8]) -> Result<Vec<String>, String> {
    if !bytes.starts_with(MAGIC) {
        return Err("it is not a Java serialization stream".into());
    }
    // Skip the class description and fields to the map's block data (capacity and size).
    let block = bytes
        .windows(2)
        .position(|w| w == [0x77, 0x08])
        .ok_or("the map's size is missing")?;
    let mut at = block + 2 + 8;
    let mut strings: Vec<String> = Vec::new();
    // Back-references repeat earlier strings for five bytes each: a budget of twice the file
    // keeps a small file from becoming gigabytes of copies.
    let mut budget = bytes.len().saturating_mul(2);
    let take = |at: &mut usize, n: usize| -> Result<&[u8], String> {
        let end = at
            .checked_add(n)
            .filter(|e| *e <= bytes.len())
            .ok_or("the file is cut short")?;
        let slice = &bytes[*at..end];
        *at = end;
        Ok(slice)
    };
    loop {
        let tag = *take(&mut at, 1)?.first().expect("one byte");
        match tag {
            0x74 => {
                let len =
                    u16::from_be_bytes(take(&mut at, 2)?.try_into().expect("2 bytes")) as usize;
                strings.push(String::from_utf8_lossy(take(&mut at, len)?).into_owned());
            }
            0x7c => {
                let len = u64::from_be_bytes(take(&mut at, 8)?.try_into().expect("8 bytes"));
                let len = usize::try_from(len).map_err(|_| "a string is too long")?;
                strings.push(String::from_utf8_lossy(take(&mut at, len)?).into_owned());
            }
            0x71 => {
                // A back-reference: handles count from 0x7e0000; the class description and the
                // map object take the first two.
                let handle = u32::from_be_bytes(take(&mut at, 4)?.try_into().expect("4 bytes"));
                let index = handle
                    .checked_sub(0x7e_0002)
                    .ok_or("a bad back-reference")? as usize;
                let earlier = strings.get(index).ok_or("a bad back-reference")?;
                budget = budget
                    .checked_sub(earlier.len())
                    .ok_or("it repeats the same strings over and over (not a real backup)")?;
                strings.push(earlier.clone());
            }
            0x78 => break,
            other => return Err(format!("unexpected serialization tag 0x{other:02x}")),
        }
    }
    Ok(strings)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One long string, then thousands of five-byte back-references to it: without a budget,
    /// a 60 KB file would become hundreds of megabytes of copies.
    #[test]
    fn back_references_cannot_multiply_the_file() {
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&[0x77, 0x08, 0, 0, 0, 16, 0, 0, 0, 8]);
        bytes.push(0x74);
        bytes.extend_from_slice(&60_000u16.to_be_bytes());
        bytes.extend(std::iter::repeat_n(b'a', 60_000));
        for _ in 0..5_000 {
            bytes.push(0x71);
            bytes.extend_from_slice(&0x7e_0002u32.to_be_bytes());
        }
        bytes.push(0x78);
        let error = java_strings(&bytes).unwrap_err();
        assert!(error.contains("repeats"), "{error}");
        // A real map's few back-references (a key used twice) are fine.
        let mut small = MAGIC.to_vec();
        small.extend_from_slice(&[0x77, 0x08, 0, 0, 0, 16, 0, 0, 0, 2]);
        for s in ["masterKey", "{}"] {
            small.push(0x74);
            small.extend_from_slice(&(s.len() as u16).to_be_bytes());
            small.extend_from_slice(s.as_bytes());
        }
        small.push(0x71);
        small.extend_from_slice(&0x7e_0003u32.to_be_bytes());
        small.push(0x78);
        assert_eq!(java_strings(&small).unwrap(), ["masterKey", "{}", "{}"]);
    }
}
