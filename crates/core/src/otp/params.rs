//! How an account's codes are computed: kind, algorithm, digits, period or counter, secret.

use std::fmt;
use std::str::FromStr;

pub use super::kind::{Algorithm, OtpKind};
use super::secret::{MAX_SECRET_TEXT_LEN, Secret};

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

/// The default period (30 s) of the Key Uri Format.
pub const DEFAULT_PERIOD: u32 = 30;
/// Steam Guard codes have five characters.
pub(crate) const STEAM_DIGITS: u8 = 5;
/// Yandex codes last 30 s.
pub const YANDEX_PERIOD: u32 = 30;
/// Yandex codes have eight letters.
pub const YANDEX_DIGITS: u8 = 8;
/// mOTP codes last 10 s.
pub const MOTP_PERIOD: u32 = 10;
/// mOTP codes have six hex digits.
pub const MOTP_DIGITS: u8 = 6;
/// Yandex secrets are 16 bytes; the 26-byte form adds a checksum and padding.
const YANDEX_SECRET_LEN: usize = 16;
const YANDEX_FULL_SECRET_LEN: usize = 26;
/// The longest PIN accepted, in bytes (Yandex PINs are 4 to 16 digits, mOTP PINs 4).
pub const MAX_PIN_LEN: usize = 64;

/// Everything needed to compute an account's codes. Built only through [`Otp::new`] and
/// [`Otp::with_pin`], so the digits and period are always in range.
#[derive(Clone, PartialEq, Eq)]
pub struct Otp {
    kind: OtpKind,
    algorithm: Algorithm,
    digits: u8,
    secret: Secret,
    /// The PIN of a Yandex or mOTP account (UTF-8 text, never printed); `None` for other kinds.
    pin: Option<Secret>,
}

impl Otp {
    /// Checks and builds the parameters of a kind that needs no PIN.
    ///
    /// TOTP and HOTP take 6 to 10 digits and any algorithm; a TOTP period must be at least one
    /// second. Steam always uses SHA-1 and five characters, so `algorithm` and `digits` are
    /// ignored for it. Yandex and mOTP fail with [`OtpError::PinMissing`]: use
    /// [`Otp::with_pin`].
    pub fn new(
        kind: OtpKind,
        algorithm: Algorithm,
        digits: u8,
        secret: Secret,
    ) -> Result<Otp, OtpError> {
        if kind.needs_pin() {
            return Err(OtpError::PinMissing(kind.display_name()));
        }
        Otp::build(kind, algorithm, digits, secret, None)
    }

    /// Checks and builds the parameters of a Yandex or mOTP account with its PIN (UTF-8 text,
    /// 1 to 64 bytes). For other kinds the PIN is not used and dropped.
    ///
    /// Yandex always uses HMAC-SHA-256 and takes 6 to 10 letters (8 is Yandex's); its secret is
    /// 16 bytes, or the 26 bytes of Yandex's full form, whose checksum is checked and which is
    /// kept as its first 16. mOTP always uses MD5 (`algorithm` is ignored and reads as SHA-1)
    /// and takes 6 to 10 hex digits (6 is mOTP's).
    pub fn with_pin(
        kind: OtpKind,
        algorithm: Algorithm,
        digits: u8,
        secret: Secret,
        pin: Secret,
    ) -> Result<Otp, OtpError> {
        if !kind.needs_pin() {
            return Otp::build(kind, algorithm, digits, secret, None);
        }
        if pin.len() > MAX_PIN_LEN || std::str::from_utf8(pin.expose()).is_err() {
            return Err(OtpError::Pin);
        }
        Otp::build(kind, algorithm, digits, secret, Some(pin))
    }

    fn build(
        kind: OtpKind,
        algorithm: Algorithm,
        digits: u8,
        secret: Secret,
        pin: Option<Secret>,
    ) -> Result<Otp, OtpError> {
        if kind.period() == Some(0) {
            return Err(OtpError::Period("0".into()));
        }
        let (algorithm, digits, secret) = match kind {
            OtpKind::Steam => (Algorithm::Sha1, STEAM_DIGITS, secret),
            _ if !(6..=10).contains(&digits) => return Err(OtpError::Digits(digits.to_string())),
            OtpKind::Yandex { .. } => (Algorithm::Sha256, digits, yandex_secret(secret)?),
            // Written in hex, so that a URI holds it in at most 1024 characters.
            OtpKind::Motp { .. } if secret.len() > MAX_SECRET_TEXT_LEN / 2 => {
                return Err(OtpError::MotpSecret);
            }
            OtpKind::Motp { .. } => (Algorithm::Sha1, digits, secret),
            _ => (algorithm, digits, secret),
        };
        Ok(Otp {
            kind,
            algorithm,
            digits,
            secret,
            pin,
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

    /// The PIN of a Yandex or mOTP account, as UTF-8 bytes; `None` for other kinds.
    pub fn pin(&self) -> Option<&Secret> {
        self.pin.as_ref()
    }

    /// The algorithm's name as other apps write it: `MD5` for mOTP, else [`Algorithm::as_str`].
    pub fn algorithm_name(&self) -> &'static str {
        match self.kind {
            OtpKind::Motp { .. } => "MD5",
            _ => self.algorithm.as_str(),
        }
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
            .field("pin", &self.pin)
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
    /// A Yandex or mOTP account without its PIN.
    #[error("{0} codes need the PIN chosen when the account was set up, and none was given")]
    PinMissing(&'static str),
    /// A PIN that is empty, longer than 64 bytes or not text.
    #[error("the PIN must be text of 1 to 64 bytes")]
    Pin,
    /// An mOTP secret longer than 512 bytes.
    #[error("this is not an mOTP secret: it is longer than 512 bytes")]
    MotpSecret,
    /// A Yandex secret of the wrong length, or whose checksum does not match.
    #[error("this is not a Yandex secret: {0}")]
    YandexSecret(&'static str),
}

impl OtpError {
    /// What the user can do about it.
    pub fn advice(&self) -> &'static str {
        match self {
            OtpError::PinMissing(_) | OtpError::Pin => {
                "Add the account by hand: choose Yandex or mOTP, enter the secret and the PIN \
                 you chose for this account."
            }
            OtpError::MotpSecret => "Copy the secret again from the mOTP set-up page.",
            OtpError::YandexSecret(_) => {
                "Copy the whole secret again from the Yandex set-up page (26 or 42 characters)."
            }
            _ => {
                "Check the set-up details on the service's page, or ask the service for a \
                 standard authenticator QR code (6 or 8 digits, 30 seconds, SHA1)."
            }
        }
    }
}

/// A Yandex secret as used for codes: 16 bytes. The 26-byte form (42 Base32 characters, as
/// Yandex shows it for typing) ends in a 12-bit checksum over the bits before it; it is
/// checked, then cut to the first 16 bytes. The checksum is the remainder of a division by the
/// polynomial `0b1_1000_1111_0011` over 13-bit windows (Aegis's `YandexInfo`, after KeeYaOtp).
fn yandex_secret(secret: Secret) -> Result<Secret, OtpError> {
    let bytes = secret.expose();
    match bytes.len() {
        YANDEX_SECRET_LEN => return Ok(secret),
        YANDEX_FULL_SECRET_LEN => {}
        _ => return Err(OtpError::YandexSecret("it must be 16 or 26 bytes long")),
    }
    let expected = u16::from(bytes[24] & 0x0f) << 8 | u16::from(bytes[25]);
    let mut accum: u16 = 0;
    let mut accum_bits = 0u32;
    let mut total_left = bytes.len() * 8 - 12;
    let (mut index, mut bits_left) = (0usize, 8u32);
    while total_left > 0 {
        let mut required = (13 - accum_bits).min(total_left as u32);
        while required > 0 {
            let take = required.min(bits_left);
            let current =
                (u16::from(bytes[index]) & ((1u16 << bits_left) - 1)) >> (bits_left - take);
            accum = accum << take | current;
            total_left -= take as usize;
            required -= take;
            bits_left -= take;
            accum_bits += take;
            if bits_left == 0 {
                index += 1;
                bits_left = 8;
            }
        }
        if accum_bits == 13 {
            accum ^= 0b1_1000_1111_0011;
        }
        accum_bits = 16 - accum.leading_zeros();
    }
    if accum != expected {
        return Err(OtpError::YandexSecret("its checksum does not match"));
    }
    Secret::from_bytes(bytes[..YANDEX_SECRET_LEN].to_vec())
        .map_err(|_| OtpError::YandexSecret("it must be 16 or 26 bytes long"))
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

    fn pin(text: &str) -> Secret {
        Secret::from_bytes(text.as_bytes().to_vec()).unwrap()
    }

    /// The vectors of Aegis's `YandexInfoTest`.
    #[test]
    fn yandex_secrets_are_checked() {
        let yandex = |text: &str| {
            Otp::with_pin(
                OtpKind::Yandex { period: 30 },
                Algorithm::Sha1,
                8,
                Secret::from_base32(text).unwrap(),
                pin("7586"),
            )
        };
        let full = yandex("LA2V6KMCGYMWWVEW64RNP3JA3IAAAAAAHTSG4HRZPI").unwrap();
        let short = yandex("LA2V6KMCGYMWWVEW64RNP3JA3I").unwrap();
        assert_eq!(full, short);
        assert_eq!(full.algorithm(), Algorithm::Sha256);
        assert_eq!(
            yandex("AA2V6KMCGYMWWVEW64RNP3JA3IAAAAAAHTSG4HRZPI"),
            Err(OtpError::YandexSecret("its checksum does not match"))
        );
        assert_eq!(
            yandex("AA2V6KMCGJA3IAAAAAAHTSG4HRZPI"),
            Err(OtpError::YandexSecret("it must be 16 or 26 bytes long"))
        );
    }

    #[test]
    fn yandex_and_motp_need_a_pin() {
        for kind in [OtpKind::Yandex { period: 30 }, OtpKind::Motp { period: 10 }] {
            let error = Otp::new(kind, Algorithm::Sha1, 8, secret()).unwrap_err();
            assert_eq!(error, OtpError::PinMissing(kind.display_name()));
            assert!(error.advice().contains("PIN"), "{}", error.advice());
        }
        let long = pin(&"1".repeat(MAX_PIN_LEN + 1));
        let motp = OtpKind::Motp { period: 10 };
        assert_eq!(
            Otp::with_pin(motp, Algorithm::Sha1, 6, secret(), long),
            Err(OtpError::Pin)
        );
        let bytes = Secret::from_bytes(vec![0xff, 0xfe]).unwrap();
        assert_eq!(
            Otp::with_pin(motp, Algorithm::Sha1, 6, secret(), bytes),
            Err(OtpError::Pin)
        );
        let otp = Otp::with_pin(motp, Algorithm::Sha512, 6, secret(), pin("1234")).unwrap();
        assert_eq!(
            (otp.algorithm_name(), otp.kind().period()),
            ("MD5", Some(10))
        );
        assert_eq!(otp.pin().map(|p| p.expose()), Some(&b"1234"[..]));
        // Kinds without a PIN drop one given.
        let totp = OtpKind::Totp { period: 30 };
        let otp = Otp::with_pin(totp, Algorithm::Sha1, 6, secret(), pin("1234")).unwrap();
        assert!(otp.pin().is_none());
        assert_eq!(
            Otp::with_pin(
                OtpKind::Motp { period: 0 },
                Algorithm::Sha1,
                6,
                secret(),
                pin("1")
            ),
            Err(OtpError::Period("0".into()))
        );
    }

    #[test]
    fn debug_hides_the_secret() {
        let otp = Otp::new(OtpKind::Totp { period: 30 }, Algorithm::Sha1, 6, secret()).unwrap();
        let shown = format!("{otp:?}");
        assert!(
            shown.contains("hidden") && !shown.contains("JBSW"),
            "{shown}"
        );
        let motp = OtpKind::Motp { period: 10 };
        let otp = Otp::with_pin(motp, Algorithm::Sha1, 6, secret(), pin("48151623")).unwrap();
        let shown = format!("{otp:?}");
        assert!(!shown.contains("48151623"), "{shown}");
    }
}
