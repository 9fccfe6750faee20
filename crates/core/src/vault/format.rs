//! The vault file layout (docs/vault-format.md): magic, version, header, sealed payload, checksum.
//!
//! ```text
//! "TESSERA\x00VAULT\n"   14 bytes  magic
//! major, minor           2 bytes   format version (1, 0)
//! header length          4 bytes   little-endian u32, at most 64 KiB
//! header                 JSON      KDF parameters, key slots, payload salt and nonce
//! sealed payload         rest      AES-256-GCM ciphertext and tag; AAD = every byte above
//! checksum               32 bytes  SHA-256 of every byte above (finds accidental damage early)
//! ```

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::error::VaultError;
use super::keys::KdfParams;

/// The magic bytes every vault starts with.
pub const MAGIC: &[u8; 14] = b"TESSERA\x00VAULT\n";
/// The format version this code writes.
pub const VERSION: (u8, u8) = (1, 0);
const MAX_HEADER: usize = 64 * 1024;
const CHECKSUM_LEN: usize = 32;

/// The header, stored as JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Header {
    pub slots: Vec<Slot>,
    /// Base64 of the 32-byte HKDF salt of this save.
    pub payload_salt: String,
    /// Base64 of the 12-byte AES-GCM nonce of this save.
    pub payload_nonce: String,
}

/// A key slot: one way to recover the master key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub(crate) enum Slot {
    /// Argon2id of the password.
    Password {
        kdf: KdfParams,
        salt: String,
        nonce: String,
        wrapped: String,
    },
    /// A random key kept in the OS keystore under `entry`.
    Keystore {
        entry: String,
        nonce: String,
        wrapped: String,
    },
    /// A random key the phone releases only after a biometric check (see
    /// [`super::biometric`]): `sealed` is what the phone's key sealed it into (Base64 of a
    /// [`super::biometric::SealedKey`] on Android, empty on iOS, where the Keychain keeps it).
    Biometric {
        entry: String,
        sealed: String,
        nonce: String,
        wrapped: String,
    },
    /// A slot type of a newer minor version: not used here, and
    /// written back exactly as read, so a rewrite by this version never removes it.
    #[serde(untagged)]
    Unknown(serde_json::Map<String, serde_json::Value>),
}

/// A parsed file: the header, the exact header bytes (the AAD), and the sealed payload.
pub(crate) struct Parsed {
    pub header: Header,
    pub aad: Vec<u8>,
    pub sealed: Vec<u8>,
}

pub(crate) fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

pub(crate) fn unb64(path: &Path, text: &str) -> Result<Vec<u8>, VaultError> {
    B64.decode(text)
        .map_err(|_| damaged(path, "a header field is not Base64"))
}

fn damaged(path: &Path, what: &'static str) -> VaultError {
    VaultError::Damaged {
        path: path.to_owned(),
        what,
    }
}

/// Lays out the header; returns the bytes that become the payload's AAD.
pub(crate) fn header_bytes(header: &Header) -> Vec<u8> {
    let json = serde_json::to_vec(header).expect("a header always serializes");
    let mut out = Vec::with_capacity(MAGIC.len() + 6 + json.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[VERSION.0, VERSION.1]);
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    out
}

/// The whole file: header bytes, sealed payload, checksum.
pub(crate) fn file_bytes(aad: &[u8], sealed: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(aad.len() + sealed.len() + CHECKSUM_LEN);
    out.extend_from_slice(aad);
    out.extend_from_slice(sealed);
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    out
}

/// Checks magic, checksum and version, and splits the file.
///
/// Every format version ends in the SHA-256 of all bytes before it (a promise kept across
/// versions), so a file whose magic is nearly right but whose checksum fails is *damaged*,
/// whatever its version byte says, and an intact file of an unknown major version is *newer*.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<Parsed, VaultError> {
    if bytes.is_empty() {
        return Err(damaged(path, "the file is empty"));
    }
    let same = bytes.iter().zip(MAGIC).filter(|(a, b)| a == b).count();
    let is_prefix = bytes.len() < MAGIC.len() && bytes == &MAGIC[..bytes.len()];
    if !is_prefix && same + 4 < MAGIC.len() {
        return Err(VaultError::NotAVault(path.to_owned()));
    }
    if bytes.len() < MAGIC.len() + 6 + CHECKSUM_LEN {
        return Err(damaged(path, "the file is cut short"));
    }
    let (body, sum) = bytes.split_at(bytes.len() - CHECKSUM_LEN);
    if Sha256::digest(body).as_slice() != sum || &body[..MAGIC.len()] != MAGIC {
        return Err(damaged(
            path,
            "checksum mismatch: the file was changed or cut short",
        ));
    }
    let major = body[MAGIC.len()];
    if major != VERSION.0 {
        return Err(VaultError::NewerVersion {
            path: path.to_owned(),
            major,
        });
    }
    let len_at = MAGIC.len() + 2;
    let header_len = u32::from_le_bytes(body[len_at..len_at + 4].try_into().expect("4 bytes"));
    // Checked before any arithmetic, so that a hostile length cannot wrap on 32-bit phones.
    let header_end = usize::try_from(header_len)
        .ok()
        .filter(|len| *len <= MAX_HEADER)
        .and_then(|len| (len_at + 4).checked_add(len))
        .filter(|end| *end <= body.len())
        .ok_or_else(|| damaged(path, "the header length is wrong"))?;
    let header: Header = serde_json::from_slice(&body[len_at + 4..header_end])
        .map_err(|_| damaged(path, "the header is not valid"))?;
    Ok(Parsed {
        header,
        aad: body[..header_end].to_vec(),
        sealed: body[header_end..].to_vec(),
    })
}
