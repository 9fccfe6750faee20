//! The ciphers and key derivations other apps' encrypted exports use, with their bounds.

use aes::cipher::{BlockDecryptMut, KeyIvInit, block_padding::Pkcs7};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use zeroize::Zeroizing;

/// Key-derivation work accepted from an untrusted file: enough for every real app's settings,
/// refused beyond (a hostile file must not make Tessera run for hours or use all memory).
pub const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;
/// Largest scrypt N accepted (Aegis uses 2^15).
pub const MAX_SCRYPT_LOG_N: u8 = 20;
/// Largest Argon2 memory accepted, in KiB (Ente uses up to 1 GiB).
pub const MAX_ARGON2_KIB: u32 = 1024 * 1024;

/// AES-256-GCM with the tag appended to the ciphertext; `None` if it does not authenticate.
pub fn aes_gcm_open(
    key: &[u8],
    nonce: &[u8],
    sealed: &[u8],
    aad: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    if key.len() != 32 || nonce.len() != 12 {
        return None;
    }
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    cipher
        .decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad })
        .ok()
        .map(Zeroizing::new)
}

/// AES-256-GCM sealing, tag appended.
pub fn aes_gcm_seal(key: &[u8], nonce: &[u8; 12], plain: &[u8], aad: &[u8]) -> Vec<u8> {
    let cipher = Aes256Gcm::new_from_slice(key).expect("32-byte key");
    cipher
        .encrypt(Nonce::from_slice(nonce), Payload { msg: plain, aad })
        .expect("AES-GCM encrypts any length Tessera writes")
}

/// AES-CBC with PKCS#7 padding, 128- or 256-bit key; `None` on bad padding.
pub fn aes_cbc_open(key: &[u8], iv: &[u8], data: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if iv.len() != 16 || data.is_empty() || !data.len().is_multiple_of(16) {
        return None;
    }
    let plain = match key.len() {
        32 => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded_vec_mut::<Pkcs7>(data)
            .ok()?,
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded_vec_mut::<Pkcs7>(data)
            .ok()?,
        _ => return None,
    };
    Some(Zeroizing::new(plain))
}

/// AES-256-CBC without padding (whole blocks, as SQLCipher pages are); `None` for a key, IV or
/// length that does not fit.
pub fn aes256_cbc_open_blocks(key: &[u8], iv: &[u8], data: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if key.len() != 32 || iv.len() != 16 || !data.len().is_multiple_of(16) {
        return None;
    }
    let mut plain = Zeroizing::new(data.to_vec());
    cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
        .ok()?
        .decrypt_padded_mut::<cbc::cipher::block_padding::NoPadding>(&mut plain)
        .ok()?;
    Some(plain)
}

/// PBKDF2 with HMAC-SHA1, -SHA256 or -SHA512 into `len` bytes.
pub fn pbkdf2(
    hash: Hash,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    len: usize,
) -> Option<Zeroizing<Vec<u8>>> {
    if iterations == 0 || iterations > MAX_PBKDF2_ITERATIONS {
        return None;
    }
    let mut key = Zeroizing::new(vec![0u8; len]);
    match hash {
        Hash::Sha1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, iterations, &mut key),
        Hash::Sha256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, iterations, &mut key),
        Hash::Sha512 => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, iterations, &mut key),
    }
    Some(key)
}

/// The hash under PBKDF2.
#[derive(Debug, Clone, Copy)]
pub enum Hash {
    /// HMAC-SHA1.
    Sha1,
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

/// scrypt into 32 bytes; `None` outside the accepted bounds.
pub fn scrypt(password: &[u8], salt: &[u8], n: u64, r: u32, p: u32) -> Option<Zeroizing<Vec<u8>>> {
    if !n.is_power_of_two() || n < 2 || r == 0 || p == 0 || r > 32 || p > 16 {
        return None;
    }
    let log_n = n.trailing_zeros() as u8;
    // scrypt needs 128 * r * N bytes: at most 256 MiB (Aegis uses 32 MiB).
    if log_n > MAX_SCRYPT_LOG_N || 128 * u64::from(r) * n > 256 * 1024 * 1024 {
        return None;
    }
    let params = scrypt::Params::new(log_n, r, p, 32).ok()?;
    let mut key = Zeroizing::new(vec![0u8; 32]);
    scrypt::scrypt(password, salt, &params, &mut key).ok()?;
    Some(key)
}

/// Argon2id (or Argon2i/d by `variant`) v1.3 into `len` bytes; `None` outside the bounds.
pub fn argon2(
    variant: argon2::Algorithm,
    password: &[u8],
    salt: &[u8],
    m_kib: u32,
    t: u32,
    p: u32,
    len: usize,
) -> Option<Zeroizing<Vec<u8>>> {
    if m_kib > MAX_ARGON2_KIB || t == 0 || t > 64 || p == 0 || p > 64 {
        return None;
    }
    let params = argon2::Params::new(m_kib, t, p, Some(len)).ok()?;
    let argon = argon2::Argon2::new(variant, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new(vec![0u8; len]);
    argon.hash_password_into(password, salt, &mut key).ok()?;
    Some(key)
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

pub(crate) use crate::file::random;
