//! How an account's codes are computed: kind, algorithm, digits, period or counter, secret.

use std::fmt;
use std::str::FromStr;

use super::secret::Secret;

/// The HMAC hash function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Algorithm {
    /// HMAC-SHA-1, what nearly every service uses.
    #[default]
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

impl Algorithm {
    /// The name used in `otpauth://` URIs: `SHA1`, `SHA256` or `SHA512`.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Algorithm {
    type Err = OtpError;

    /// Reads `SHA1`, `sha-256`, `HmacSHA512` and the like, in any case.
    fn from_str(text: &str) -> Result<Algorithm, OtpError> {
        let name = text.to_ascii_uppercase().replace(['-', '_'], "");
        match name.strip_prefix("HMAC").unwrap_or(&name) {
            "SHA1" => Ok(Algorithm::Sha1),
            "SHA256" => Ok(Algorithm::Sha256),
            "SHA512" => Ok(Algorithm::Sha512),
            _ => Err(OtpError::Algorithm(text.chars().take(32).collect())),
        }
    }
}

/// The kind of one-time password, with its moving factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OtpKind {
    /// Time-based (RFC 6238): a new code every `period` seconds.
    Totp {
        /// Seconds each code lasts, at least 1.
        period: u32,
    },
    /// Counter-based (RFC 4226): a new code each time the counter moves on.
    Hotp {
        /// The counter of the current code.
        counter: u64,
    },
    /// Steam Guard: time-based, 30 s, SHA-1, five characters from Steam's alphabet.
    Steam,
}

impl OtpKind {
    /// `totp`, `hotp` or `steam`, as in `otpauth://TYPE/`.
    pub fn as_str(self) -> &'static str {
        match self {
            OtpKind::Totp { .. } => "totp",
            OtpKind::Hotp { .. } => "hotp",
            OtpKind::Steam => "steam",
        }
    }

    /// The counter, for HOTP.
    pub fn counter(self) -> Option<u64> {
        match self {
            OtpKind::Hotp { counter } => Some(counter),
            _ => None,
        }
    }

    /// The period in seconds, for time-based kinds.
    pub fn period(self) -> Option<u32> {
        match self {
            OtpKind::Totp { period } => Some(period),
            OtpKind::Steam => Some(STEAM_PERIOD),
            OtpKind::Hotp { .. } => None,
        }
    }
}

/// The default period (30 s) of the Key Uri Format.
pub const DEFAULT_PERIOD: u32 = 30;
/// Steam Guard codes last 30 s.
const STEAM_PERIOD: u32 = 30;
/// Steam Guard codes have five characters.
pub(crate) const STEAM_DIGITS: u8 = 5;

/// Everything needed to compute an account's codes. Built only through [`Otp::new`], so the
/// digits and period are always in range.
#[derive(Clone, PartialEq, Eq)]
pub struct Otp {
    kind: OtpKind,
    algorithm: Algorithm,
    digits: u8,
    secret: Secret,
}

impl Otp {
    /// Checks and builds the parameters.
    ///
    /// TOTP and HOTP take 6 to 10 digits and any algorithm; a TOTP period must be at least one
    /// second. Steam always uses SHA-1 and five characters, so `algorithm` and `digits` are
    /// ignored for it.
    pub fn new(
        kind: OtpKind,
        algorithm: Algorithm,
        digits: u8,
        secret: Secret,
    ) -> Result<Otp, OtpError> {
        if let OtpKind::Totp { period: 0 } = kind {
            return Err(OtpError::Period("0".into()));
        }
        let (algorithm, digits) = match kind {
            OtpKind::Steam => (Algorithm::Sha1, STEAM_DIGITS),
            _ if !(6..=10).contains(&digits) => return Err(OtpError::Digits(digits.to_string())),
            _ => (algorithm, digits),
        };
        Ok(Otp {
            kind,
            algorithm,
            digits,
            secret,
        })
    }

    /// The kind with its period or counter.
    pub fn kind(&self) -> OtpKind {
        self.kind
    }

    /// The HMAC algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// How many digits (characters, for Steam) a code has.
    pub fn digits(&self) -> u8 {
        self.digits
    }

    /// The shared secret.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// Sets an HOTP counter to `counter` if that is further on (two devices that each used
    /// codes keep the larger counter, so no code is shown twice). Other kinds are unchanged.
    pub fn advance_counter_to(&mut self, counter: u64) {
        if let OtpKind::Hotp { counter: ours } = &mut self.kind {
            *ours = (*ours).max(counter);
        }
    }

    /// Moves an HOTP counter on by one (after the user used its code). Other kinds are unchanged.
    pub fn increment_counter(&mut self) {
        if let OtpKind::Hotp { counter } = &mut self.kind {
            *counter = counter.saturating_add(1);
        }
    }
}

impl fmt::Debug for Otp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Otp")
            .field("kind", &self.kind)
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("secret", &self.secret)
            .finish()
    }
}

/// A parameter outside what Tessera (and the services) can compute.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OtpError {
    /// Digits outside 6 to 10.
    #[error("digits must be 6 to 10, but it says {0}")]
    Digits(String),
    /// A period of 0 or not a number.
    #[error("the period must be a whole number of seconds from 1 up, but it says {0}")]
    Period(String),
    /// A counter that is not a whole number.
    #[error("the counter must be a whole number from 0 up, but it says {0}")]
    Counter(String),
    /// A hash other than SHA-1, SHA-256 or SHA-512.
    #[error("the algorithm must be SHA1, SHA256 or SHA512, but it says {0}")]
    Algorithm(String),
}

impl OtpError {
    /// What the user can do about it.
    pub fn advice(&self) -> &'static str {
        "Check the set-up details on the service's page, or ask the service for a standard \
         authenticator QR code (6 or 8 digits, 30 seconds, SHA1)."
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> Secret {
        Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap()
    }

    #[test]
    fn algorithm_names_in_any_case() {
        for (text, algorithm) in [
            ("sha1", Algorithm::Sha1),
            ("SHA256", Algorithm::Sha256),
            ("Sha-512", Algorithm::Sha512),
            ("HmacSHA256", Algorithm::Sha256),
        ] {
            assert_eq!(text.parse::<Algorithm>(), Ok(algorithm), "{text}");
        }
        assert_eq!(
            "MD5".parse::<Algorithm>(),
            Err(OtpError::Algorithm("MD5".into()))
        );
    }

    #[test]
    fn digits_and_period_are_checked() {
        let totp = OtpKind::Totp { period: 30 };
        for digits in 6..=10 {
            assert!(Otp::new(totp, Algorithm::Sha1, digits, secret()).is_ok());
        }
        assert_eq!(
            Otp::new(totp, Algorithm::Sha1, 12, secret())
                .unwrap_err()
                .to_string(),
            "digits must be 6 to 10, but it says 12"
        );
        assert_eq!(
            Otp::new(totp, Algorithm::Sha1, 5, secret()),
            Err(OtpError::Digits("5".into()))
        );
        assert_eq!(
            Otp::new(OtpKind::Totp { period: 0 }, Algorithm::Sha1, 6, secret()),
            Err(OtpError::Period("0".into()))
        );
    }

    #[test]
    fn steam_is_always_sha1_with_five_characters() {
        let otp = Otp::new(OtpKind::Steam, Algorithm::Sha512, 8, secret()).unwrap();
        assert_eq!((otp.algorithm(), otp.digits()), (Algorithm::Sha1, 5));
        assert_eq!(otp.kind().period(), Some(30));
    }

    #[test]
    fn hotp_counter_moves_on() {
        let mut otp = Otp::new(
            OtpKind::Hotp {
                counter: u64::MAX - 1,
            },
            Algorithm::Sha1,
            6,
            secret(),
        )
        .unwrap();
        otp.increment_counter();
        otp.increment_counter();
        assert_eq!(otp.kind(), OtpKind::Hotp { counter: u64::MAX });
    }

    #[test]
    fn debug_hides_the_secret() {
        let otp = Otp::new(OtpKind::Totp { period: 30 }, Algorithm::Sha1, 6, secret()).unwrap();
        let shown = format!("{otp:?}");
        assert!(
            shown.contains("hidden") && !shown.contains("JBSW"),
            "{shown}"
        );
    }
}
