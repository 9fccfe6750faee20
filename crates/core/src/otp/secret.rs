//! The shared secret (seed) of an account.
//!
//! Secrets arrive as Base32 text typed by people or printed by services in many shapes
//! (`jbsw y3dp ehpk 3pxp`, `JBSWY3DPEHPK3PXP====`), so parsing is lenient about case, spaces,
//! dashes and padding, and strict about everything else. The bytes are zeroized on drop and never
//! shown by `Debug`.

use std::fmt;
use std::sync::LazyLock;

use data_encoding::{BASE32_NOPAD, Encoding, Specification};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// The longest secret text accepted (1 KiB). Real secrets are 16 to 128 characters.
pub const MAX_SECRET_TEXT_LEN: usize = 1024;

/// The most secret bytes accepted: what [`MAX_SECRET_TEXT_LEN`] Base32 characters hold.
const MAX_SECRET_BYTES: usize = MAX_SECRET_TEXT_LEN * 5 / 8;

/// Base32 (RFC 4648) without padding, ignoring non-zero trailing bits as Google Authenticator
/// does: some services print secrets whose length is not a whole number of bytes.
static LENIENT_BASE32: LazyLock<Encoding> = LazyLock::new(|| {
    let mut spec = Specification::new();
    spec.symbols.push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    spec.check_trailing_bits = false;
    spec.encoding()
        .expect("the Base32 alphabet is a valid specification")
});

/// An account's shared secret: raw bytes, zeroized on drop, never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps raw secret bytes (from a migration payload or a backup file).
    ///
    /// Fails if there are no bytes or more than 640 of them.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Secret, SecretError> {
        let secret = Secret(bytes);
        if secret.0.is_empty() {
            return Err(SecretError::Empty);
        }
        if secret.0.len() > MAX_SECRET_BYTES {
            return Err(SecretError::TooLong {
                len: secret.0.len() * 8 / 5,
            });
        }
        Ok(secret)
    }

    /// Parses Base32 text in any case, ignoring spaces, dashes and `=` padding.
    pub fn from_base32(text: &str) -> Result<Secret, SecretError> {
        if text.len() > MAX_SECRET_TEXT_LEN {
            return Err(SecretError::TooLong { len: text.len() });
        }
        let mut clean = Zeroizing::new(String::with_capacity(text.len()));
        for (position, ch) in text.chars().enumerate() {
            match ch {
                ' ' | '\t' | '\r' | '\n' | '-' | '=' => {}
                'a'..='z' | 'A'..='Z' | '2'..='7' => clean.push(ch.to_ascii_uppercase()),
                _ => {
                    return Err(SecretError::BadCharacter {
                        position: position + 1,
                        ch,
                    });
                }
            }
        }
        // A Base32 group of 8 characters holds 5 bytes; 1, 3 or 6 leftover characters hold no
        // whole byte. Google Authenticator drops such leftovers, and so do we.
        let whole = match clean.len() % 8 {
            1 | 3 | 6 => clean.len() - 1,
            _ => clean.len(),
        };
        let bytes = LENIENT_BASE32
            .decode(&clean.as_bytes()[..whole])
            .map_err(|_| SecretError::Empty)?;
        Secret::from_bytes(bytes)
    }

    /// Parses hexadecimal text in any case, ignoring spaces (mOTP secrets are written in hex).
    pub fn from_hex(text: &str) -> Result<Secret, SecretError> {
        if text.len() > MAX_SECRET_TEXT_LEN {
            return Err(SecretError::TooLong { len: text.len() });
        }
        let mut clean = Zeroizing::new(Vec::with_capacity(text.len()));
        for (position, ch) in text.chars().enumerate() {
            match ch {
                ' ' | '\t' | '\r' | '\n' | '-' => {}
                '0'..='9' | 'a'..='f' | 'A'..='F' => clean.push(ch.to_ascii_lowercase() as u8),
                _ => {
                    return Err(SecretError::NotHex(format!(
                        "character {} is '{ch}'",
                        position + 1
                    )));
                }
            }
        }
        if clean.len() % 2 == 1 {
            return Err(SecretError::NotHex("it has an odd number of digits".into()));
        }
        let bytes = data_encoding::HEXLOWER
            .decode(&clean)
            .map_err(|_| SecretError::Empty)?;
        Secret::from_bytes(bytes)
    }

    /// The secret in lower-case hexadecimal, as mOTP writes it.
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(data_encoding::HEXLOWER.encode(&self.0))
    }

    /// The canonical text form: upper-case Base32 without padding.
    pub fn to_base32(&self) -> Zeroizing<String> {
        Zeroizing::new(BASE32_NOPAD.encode(&self.0))
    }

    /// The raw bytes. Keep their use short-lived and never log them.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// How many bytes the secret has.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: an empty secret cannot be built.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl PartialEq for Secret {
    /// Compares without an early exit on the first differing byte.
    fn eq(&self, other: &Secret) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

impl Eq for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<hidden, {} bytes>)", self.0.len())
    }
}

/// Why a secret could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretError {
    /// No secret, or too short to hold a single byte.
    #[error("the secret key is empty")]
    Empty,
    /// A character outside the Base32 alphabet. The character is not secret: it cannot be part
    /// of a valid key.
    #[error("the secret key is not valid Base32: character {position} is '{ch}'")]
    BadCharacter {
        /// 1-based position in the text as given.
        position: usize,
        /// The offending character.
        ch: char,
    },
    /// A hex secret (mOTP) with a character outside 0-9 and A-F, or an odd number of digits.
    #[error("the secret key is not valid hex: {0}")]
    NotHex(String),
    /// Longer than [`MAX_SECRET_TEXT_LEN`].
    #[error("the secret key is {len} characters long; Tessera accepts at most 1024")]
    TooLong {
        /// The length seen.
        len: usize,
    },
}

impl SecretError {
    /// What the user can do about it.
    pub fn advice(&self) -> &'static str {
        match self {
            SecretError::Empty => "Copy the whole secret key from the service's set-up page.",
            SecretError::NotHex(_) => {
                "mOTP secrets are written with the digits 0-9 and the letters A-F; copy the \
                 whole secret again."
            }
            SecretError::BadCharacter {
                ch: '0' | '1' | '8' | '9',
                ..
            } => {
                "Secret keys use the letters A-Z and the digits 2-7: a 0 is probably the letter O, \
                 a 1 the letter I or L, an 8 the letter B."
            }
            SecretError::BadCharacter { .. } => {
                "Secret keys use the letters A-Z and the digits 2-7; check the key for typing mistakes."
            }
            SecretError::TooLong { .. } => {
                "This is not a secret key; copy the key from the service's set-up page."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_forms_decode_to_the_same_bytes() {
        let canonical = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        for form in [
            "jbswy3dpehpk3pxp",
            "JBSW Y3DP EHPK 3PXP",
            "jbsw-y3dp-ehpk-3pxp",
            "JBSWY3DPEHPK3PXP======",
        ] {
            assert_eq!(Secret::from_base32(form).unwrap(), canonical, "{form}");
        }
        assert_eq!(canonical.expose(), b"Hello!\xde\xad\xbe\xef");
        assert_eq!(canonical.to_base32().as_str(), "JBSWY3DPEHPK3PXP");
    }

    #[test]
    fn non_zero_trailing_bits_and_odd_lengths_are_accepted() {
        // 26 characters = 16 bytes and 2 spare bits; "Q" leaves them non-zero.
        let secret = Secret::from_base32("4SJHB4GSD43FZBAI7C2HLRJGPQ").unwrap();
        assert_eq!(secret.len(), 16);
        // 17 characters: the 17th holds no whole byte and is dropped.
        assert_eq!(Secret::from_base32("JBSWY3DPEHPK3PXPA").unwrap().len(), 10);
    }

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(Secret::from_base32(""), Err(SecretError::Empty));
        assert_eq!(Secret::from_base32("  ==  "), Err(SecretError::Empty));
        assert_eq!(Secret::from_base32("A"), Err(SecretError::Empty));
        assert_eq!(
            Secret::from_base32("JBSW0"),
            Err(SecretError::BadCharacter {
                position: 5,
                ch: '0'
            })
        );
        assert!(
            SecretError::BadCharacter {
                position: 5,
                ch: '0'
            }
            .advice()
            .contains("letter O")
        );
        assert_eq!(
            Secret::from_base32(&"A".repeat(1025)),
            Err(SecretError::TooLong { len: 1025 })
        );
        assert!(Secret::from_base32(&"A".repeat(1024)).is_ok());
    }

    #[test]
    fn debug_never_shows_the_bytes() {
        let secret = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        let shown = format!("{secret:?}");
        assert_eq!(shown, "Secret(<hidden, 10 bytes>)");
    }
}
