//! Authenticator Plus databases (`authplus.db`, from its "Backup to SD card"): SQLite encrypted
//! by SQLCipher 3 under the master password, as Authenticator Plus's design notes say (256-bit
//! AES, 64,000 PBKDF2-HMAC-SHA1 iterations). The pages are decrypted here, from SQLCipher's
//! documented design, into a plain SQLite file for the small SQLite reader: no C library.
//!
//! SQLCipher 3's defaults, which every page is checked against:
//!
//! ```text
//! salt      the file's first 16 bytes
//! key       PBKDF2-HMAC-SHA1(password, salt, 64000 iterations, 32 bytes)
//! hmac key  PBKDF2-HMAC-SHA1(key, salt XOR 0x3a each byte, 2 iterations, 32 bytes)
//! page      1024 bytes: ciphertext | IV (16) | HMAC-SHA1 (20) | 12 unused
//!           (page 1 starts after the salt); reserve = 48 bytes
//! HMAC      HMAC-SHA1(hmac key, ciphertext | IV | page number as u32 little-endian)
//! cipher    AES-256-CBC, no padding
//! ```
//!
//! The first page's HMAC tells a wrong password from a right one before anything else is read;
//! a later page whose HMAC fails is damage, reported as such.

use hmac::{Hmac, Mac};
use zeroize::Zeroizing;

use crate::transfer::TransferError;
use crate::transfer::crypto::{self, Hash};

const NAME: &str = super::Format::AuthenticatorPlus.name();
const PAGE: usize = 1024;
const SALT: usize = 16;
const RESERVE: usize = 48;
const IV: usize = 16;
const MAC: usize = 20;
const ITERATIONS: u32 = 64_000;

/// Whether `bytes` can be a SQLCipher 3 database: whole pages, at least one, and no plain
/// SQLite header (the caller has ruled out every format with a signature).
pub fn plausible(bytes: &[u8]) -> bool {
    bytes.len() >= PAGE
        && bytes.len().is_multiple_of(PAGE)
        && !bytes.starts_with(b"SQLite format 3\0")
}

/// The database decrypted into a plain SQLite file.
pub fn decrypt(bytes: &[u8], password: Option<&[u8]>) -> Result<Zeroizing<Vec<u8>>, TransferError> {
    let password = password.ok_or(TransferError::NeedsPassword { format: NAME })?;
    if !plausible(bytes) {
        return Err(TransferError::damaged(
            NAME,
            "it is not a whole number of 1 KiB pages",
        ));
    }
    let salt = &bytes[..SALT];
    let key = crypto::pbkdf2(Hash::Sha1, password, salt, ITERATIONS, 32).expect("fixed settings");
    let mac_salt: Vec<u8> = salt.iter().map(|b| b ^ 0x3a).collect();
    let mac_key = crypto::pbkdf2(Hash::Sha1, &key, &mac_salt, 2, 32).expect("fixed settings");
    let mut plain = Zeroizing::new(Vec::with_capacity(bytes.len()));
    for (index, page) in bytes.chunks_exact(PAGE).enumerate() {
        let number = u32::try_from(index + 1).map_err(|_| TransferError::TooLarge {
            size: bytes.len() as u64,
        })?;
        let start = if index == 0 { SALT } else { 0 };
        let end = PAGE - RESERVE;
        let (sealed, iv) = (&page[start..end], &page[end..end + IV]);
        let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&mac_key).expect("any key length");
        mac.update(&page[start..end + IV]);
        mac.update(&number.to_le_bytes());
        if mac.verify_slice(&page[end + IV..end + IV + MAC]).is_err() {
            return Err(if index == 0 {
                // Nothing but the password decides the first page's HMAC; a file that is not
                // SQLCipher's fails the same way.
                TransferError::WrongPasswordOrUnknown { format: NAME }
            } else {
                TransferError::damaged(NAME, format!("page {number} does not authenticate"))
            });
        }
        let opened = crypto::aes256_cbc_open_blocks(&key, iv, sealed)
            .ok_or_else(|| TransferError::damaged(NAME, "a page does not decrypt"))?;
        if index == 0 {
            plain.extend_from_slice(b"SQLite format 3\0");
        }
        plain.extend_from_slice(&opened);
        plain.extend_from_slice(&[0; RESERVE]);
    }
    Ok(plain)
}
