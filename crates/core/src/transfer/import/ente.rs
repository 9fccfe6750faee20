//! Ente Auth's encrypted export: `{"version", "kdfParams": {"memLimit", "opsLimit", "salt"},
//! "encryptedData", "encryptionNonce"}`. The key is libsodium's `crypto_pwhash` (Argon2id v1.3,
//! `memLimit` bytes, `opsLimit` passes, one lane); the data is a libsodium
//! `crypto_secretstream_xchacha20poly1305` stream whose header is `encryptionNonce`, and it holds
//! Ente's plain export (`otpauth://` lines with `codeDisplay`). Real exports ask for 1 GiB of
//! memory: accepted (it is Tessera's upper bound), anything above is refused before it runs.

use base64::Engine;
use chacha20::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use poly1305::universal_hash::KeyInit;
use serde_json::Value;
use zeroize::Zeroizing;

use super::fields::Context;
use super::{Imported, json, uris};
use crate::transfer::{TransferError, crypto};

const NAME: &str = super::Format::EnteEncrypted.name();
const TAG_FINAL: u8 = 3;

/// Whether a JSON value is an Ente encrypted export.
pub fn is_export(value: &Value) -> bool {
    value.get("kdfParams").is_some() && value.get("encryptedData").is_some()
}

/// Reads an export.
pub fn read(
    bytes: &[u8],
    password: Option<&[u8]>,
    cx: &Context,
    out: &mut Imported,
) -> Result<(), TransferError> {
    let file: Value = json::parse(bytes, NAME)?;
    let params = &file["kdfParams"];
    let b64 = |v: &Value, key: &str| {
        base64::engine::general_purpose::STANDARD
            .decode(json::text(v, key).trim())
            .map_err(|_| TransferError::damaged(NAME, format!("\"{key}\" is not Base64")))
    };
    let (salt, data, header) = (
        b64(params, "salt")?,
        b64(&file, "encryptedData")?,
        b64(&file, "encryptionNonce")?,
    );
    let memory = json::number(params, "memLimit").unwrap_or(0);
    let passes = json::number(params, "opsLimit").unwrap_or(0);
    let password = password.ok_or(TransferError::NeedsPassword { format: NAME })?;
    let m_kib = u32::try_from(memory / 1024).unwrap_or(u32::MAX);
    let key = crypto::argon2(argon2::Algorithm::Argon2id, password, &salt, m_kib, u32::try_from(passes).unwrap_or(0), 1, 32)
        .ok_or_else(|| TransferError::Refused {
            format: NAME,
            what: format!("its key derivation asks for {} MiB and {passes} passes; Tessera accepts up to 1024 MiB", memory / (1024 * 1024)),
        })?;
    let plain = secretstream_open(&key, &header, &data)
        .ok_or(TransferError::WrongPassword { format: NAME })?;
    uris::read(&plain, cx, out)
}

/// Decrypts a whole `crypto_secretstream_xchacha20poly1305` stream made of one message or more
/// (each `tag ‖ message ‖ 16-byte MAC`; of several, the last one tagged FINAL). Messages are split at
/// Ente's chunk size only when one message does not authenticate as the whole stream.
pub fn secretstream_open(key: &[u8], header: &[u8], data: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if key.len() != 32 || header.len() != 24 {
        return None;
    }
    let mut state = State::new(key, header);
    // One message, how Ente writes exports: its tag is MESSAGE (0) in real exports, FINAL in
    // other writers. Either is the whole stream (a cut-off stream would not authenticate as
    // one message), so the tag is not checked here.
    if let Some((plain, _tag)) = state.clone().pull(data) {
        return Some(plain);
    }
    // Else 4 MiB chunks (plus 17 bytes each), the last tagged FINAL: without that tag, chunks
    // could have been cut off the end.
    let mut out = Zeroizing::new(Vec::new());
    for chunk in data.chunks(4 * 1024 * 1024 + 17) {
        let (plain, tag) = state.pull(chunk)?;
        out.extend_from_slice(&plain);
        if tag == TAG_FINAL {
            return Some(out);
        }
    }
    None
}

#[derive(Clone)]
struct State {
    key: Zeroizing<[u8; 32]>,
    /// 4-byte counter (little endian) then the 8-byte inner nonce.
    nonce: [u8; 12],
}

impl State {
    fn new(key: &[u8], header: &[u8]) -> State {
        let subkey =
            chacha20::hchacha::<chacha20::cipher::consts::U10>(key.into(), header[..16].into());
        let mut nonce = [0u8; 12];
        nonce[0] = 1;
        nonce[4..].copy_from_slice(&header[16..24]);
        let mut key = Zeroizing::new([0u8; 32]);
        key.copy_from_slice(&subkey);
        State { key, nonce }
    }

    fn cipher(&self, block: u64) -> chacha20::ChaCha20 {
        let mut cipher = chacha20::ChaCha20::new(self.key.as_slice().into(), (&self.nonce).into());
        cipher.seek(block * 64);
        cipher
    }

    /// One message: its plaintext and tag, or `None` when it does not authenticate.
    fn pull(&mut self, message: &[u8]) -> Option<(Zeroizing<Vec<u8>>, u8)> {
        if message.len() < 17 {
            return None;
        }
        let (body, mac) = message.split_at(message.len() - 16);
        let (tag_byte, ciphertext) = (body[0], &body[1..]);
        let mut poly_key = Zeroizing::new([0u8; 64]);
        self.cipher(0).apply_keystream(poly_key.as_mut_slice());
        let mut block = [0u8; 64];
        block[0] = tag_byte;
        self.cipher(1).apply_keystream(&mut block);
        let tag = block[0];
        block[0] = tag_byte;
        // libsodium authenticates: the block, the ciphertext, `mlen % 16` zero bytes (its padding
        // rule, kept for compatibility), then the lengths of the associated data (none) and of
        // block + ciphertext.
        let mut authenticated = Vec::with_capacity(64 + ciphertext.len() + 32);
        authenticated.extend_from_slice(&block);
        authenticated.extend_from_slice(ciphertext);
        authenticated.resize(authenticated.len() + ciphertext.len() % 16, 0);
        authenticated.extend_from_slice(&0u64.to_le_bytes());
        authenticated.extend_from_slice(&(64 + ciphertext.len() as u64).to_le_bytes());
        let expected =
            poly1305::Poly1305::new(poly_key[..32].into()).compute_unpadded(&authenticated);
        if expected.as_slice().ct_ne_bytes(mac) {
            return None;
        }
        let mut plain = Zeroizing::new(ciphertext.to_vec());
        self.cipher(2).apply_keystream(&mut plain);
        // Rekeying is not needed for reading Ente's exports; the nonce moves on as libsodium's.
        for (n, m) in self.nonce[4..].iter_mut().zip(mac) {
            *n ^= m;
        }
        let counter =
            u32::from_le_bytes(self.nonce[..4].try_into().expect("4 bytes")).wrapping_add(1);
        self.nonce[..4].copy_from_slice(&counter.to_le_bytes());
        Some((plain, tag))
    }
}

trait CtNe {
    fn ct_ne_bytes(&self, other: &[u8]) -> bool;
}

impl CtNe for [u8] {
    /// Constant-time inequality.
    fn ct_ne_bytes(&self, other: &[u8]) -> bool {
        if self.len() != other.len() {
            return true;
        }
        self.iter()
            .zip(other)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            != 0
    }
}
