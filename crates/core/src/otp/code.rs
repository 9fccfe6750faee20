//! Code generation through totp-rs.
//!
//! totp-rs computes the HMAC and the dynamic truncation of RFC 4226. Tessera drives it with a
//! step of one and passes the moving factor itself (the counter for HOTP, `time / period` for TOTP
//! and Steam), so one path serves all three kinds. totp-rs stops at 9 digits because `10^10` does
//! not fit its `u32`; for 10 digits we take its HMAC and truncate here (the 31-bit value is always
//! below `10^10`, so the code is that value, zero-padded).
//!
//! Yandex and mOTP are not RFC 4226 codes, so they are computed here from their definitions
//! (as Aegis and Stratum compute them, and checked against their test vectors):
//! - **Yandex:** key = SHA-256(PIN ‖ secret), without its first byte when that is zero;
//!   HMAC-SHA-256(key, counter) truncated to 63 bits from the offset its last nibble names;
//!   that number modulo `26^digits`, written in the letters `a` to `z`.
//! - **mOTP:** the first `digits` hex digits of MD5(decimal counter ‖ secret in lower-case hex ‖
//!   PIN), the counter being `time / period`.

use std::fmt;

use hmac::{Hmac as HmacOf, Mac};
use md5::Md5;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm as Hmac, Builder};
use zeroize::Zeroizing;

use super::params::{Algorithm, Otp, OtpKind};

/// One code, as shown to the user. Never printed by `Debug`; zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Code(Zeroizing<String>);

impl Code {
    /// The code as typed into a login page, e.g. `"123456"` or Steam's `"7K9QX"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code grouped for reading: `123 456`, `123 4567`, `1234 5678`, `123 456 789`,
    /// `12345 67890`; Steam codes stay whole.
    pub fn grouped(&self) -> String {
        let code = self.as_str();
        let split = match code.len() {
            6 | 7 => 3,
            8 => 4,
            9 => return format!("{} {} {}", &code[..3], &code[3..6], &code[6..]),
            10 => 5,
            _ => return code.to_owned(),
        };
        format!("{} {}", &code[..split], &code[split..])
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Code(<hidden>)")
    }
}

/// The codes of an account at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Codes {
    /// The code valid now (for HOTP: the code of the current counter).
    pub current: Code,
    /// The code after it (next period, or counter + 1).
    pub next: Code,
    /// Seconds until `current` expires, for time-based kinds (1 to `period`).
    pub seconds_left: Option<u64>,
}

impl Otp {
    /// The current and next codes at `unix_time` seconds, with the seconds left.
    ///
    /// For HOTP the time is ignored: the codes belong to the counter and counter + 1.
    pub fn codes_at(&self, unix_time: u64) -> Codes {
        match self.kind().period() {
            Some(period) => {
                let period = u64::from(period);
                let step = unix_time / period;
                Codes {
                    current: self.code_at_counter(step),
                    next: self.code_at_counter(step.saturating_add(1)),
                    seconds_left: Some(period - unix_time % period),
                }
            }
            None => {
                let OtpKind::Hotp { counter } = self.kind() else {
                    unreachable!("only HOTP has no period")
                };
                Codes {
                    current: self.code_at_counter(counter),
                    next: self.code_at_counter(counter.saturating_add(1)),
                    seconds_left: None,
                }
            }
        }
    }

    /// The current code alone at `unix_time` (for HOTP: the code of its counter). Half the work
    /// of [`Otp::codes_at`], for lists that show the next code only near the end of a period.
    pub fn code_at(&self, unix_time: u64) -> Code {
        match (self.kind(), self.kind().period()) {
            (OtpKind::Hotp { counter }, _) => self.code_at_counter(counter),
            (_, Some(period)) => self.code_at_counter(unix_time / u64::from(period)),
            (_, None) => unreachable!("every kind but HOTP has a period"),
        }
    }

    /// The code for a given moving factor: the HOTP counter, or `unix_time / period` for
    /// time-based kinds.
    pub fn code_at_counter(&self, counter: u64) -> Code {
        match (self.kind(), self.pin()) {
            (OtpKind::Yandex { .. }, Some(pin)) => return yandex(self, pin.expose(), counter),
            (OtpKind::Motp { .. }, Some(pin)) => return motp(self, pin.expose(), counter),
            _ => {}
        }
        let hmac = match (self.kind(), self.algorithm()) {
            (OtpKind::Steam, _) => Hmac::Steam,
            (_, Algorithm::Sha1) => Hmac::SHA1,
            (_, Algorithm::Sha256) => Hmac::SHA256,
            (_, Algorithm::Sha512) => Hmac::SHA512,
        };
        let generator = Builder::new()
            .with_algorithm(hmac)
            .with_digits(self.digits().min(9))
            .with_step_duration(1)
            .with_secret(self.secret().expose())
            .build_noncompliant();
        if self.digits() <= 9 {
            return Code(Zeroizing::new(generator.generate(counter).to_string()));
        }
        let signature = generator.sign(counter);
        Code(Zeroizing::new(format!(
            "{:010}",
            truncate(signature.as_ref())
        )))
    }
}

/// Seconds since the Unix epoch by the system clock (0 if the clock is before 1970). The one
/// place Tessera reads the clock; everything else takes the time as an argument.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A Yandex code (see the module documentation).
fn yandex(otp: &Otp, pin: &[u8], counter: u64) -> Code {
    let mut hasher = Sha256::new();
    hasher.update(pin);
    hasher.update(otp.secret().expose());
    let key = Zeroizing::new(<[u8; 32]>::from(hasher.finalize()));
    let key = if key[0] == 0 { &key[1..] } else { &key[..] };
    let mut mac = HmacOf::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(&counter.to_be_bytes());
    let digest = Zeroizing::new(<[u8; 32]>::from(mac.finalize().into_bytes()));
    let offset = usize::from(digest[31] & 0x0f);
    let bytes: [u8; 8] = digest[offset..offset + 8].try_into().expect("8 bytes");
    let digits = u32::from(otp.digits());
    let mut value = (u64::from_be_bytes(bytes) & 0x7fff_ffff_ffff_ffff) % 26u64.pow(digits);
    let mut letters = Zeroizing::new(vec![b'a'; digits as usize]);
    for letter in letters.iter_mut().rev() {
        *letter = b'a' + (value % 26) as u8;
        value /= 26;
    }
    Code(Zeroizing::new(
        letters.iter().map(|&b| char::from(b)).collect(),
    ))
}

/// An mOTP code (see the module documentation).
fn motp(otp: &Otp, pin: &[u8], counter: u64) -> Code {
    let secret = Zeroizing::new(data_encoding::HEXLOWER.encode(otp.secret().expose()));
    // Sized up front, so no growing leaves a copy of the PIN behind.
    let mut input = Zeroizing::new(Vec::with_capacity(20 + secret.len() + pin.len()));
    input.extend_from_slice(counter.to_string().as_bytes());
    input.extend_from_slice(secret.as_bytes());
    input.extend_from_slice(pin);
    let digest = Zeroizing::new(<[u8; 16]>::from(Md5::digest(input.as_slice())));
    let hex = Zeroizing::new(data_encoding::HEXLOWER.encode(digest.as_slice()));
    Code(Zeroizing::new(hex[..usize::from(otp.digits())].to_owned()))
}

/// RFC 4226 section 5.3 dynamic truncation: 31 bits from the offset the last nibble names.
fn truncate(hmac: &[u8]) -> u32 {
    let offset = usize::from(hmac[hmac.len() - 1] & 0x0f);
    let bytes = [
        hmac[offset],
        hmac[offset + 1],
        hmac[offset + 2],
        hmac[offset + 3],
    ];
    u32::from_be_bytes(bytes) & 0x7fff_ffff
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::Secret;

    fn code(text: &str) -> Code {
        Code(Zeroizing::new(text.to_owned()))
    }

    #[test]
    fn grouping_follows_the_design() {
        assert_eq!(code("123456").grouped(), "123 456");
        assert_eq!(code("1234567").grouped(), "123 4567");
        assert_eq!(code("12345678").grouped(), "1234 5678");
        assert_eq!(code("123456789").grouped(), "123 456 789");
        assert_eq!(code("1234567890").grouped(), "12345 67890");
        assert_eq!(code("7K9QX").grouped(), "7K9QX");
    }

    #[test]
    fn debug_hides_codes() {
        assert_eq!(format!("{:?}", code("123456")), "Code(<hidden>)");
    }

    fn with_pin(kind: OtpKind, secret: Secret, pin: &str) -> Otp {
        let pin = Secret::from_bytes(pin.as_bytes().to_vec()).unwrap();
        Otp::with_pin(kind, Algorithm::Sha256, 8, secret, pin).unwrap()
    }

    /// The vectors of Aegis's `YAOTPTest` (the last four are also Stratum's `YandexOtpTest`).
    #[test]
    fn yandex_codes_match_the_public_vectors() {
        for (pin, secret, time, expected) in [
            (
                "5239",
                "6SB2IKNM6OBZPAVBVTOHDKS4FAAAAAAADFUTQMBTRY",
                1641559648,
                "umozdicq",
            ),
            (
                "7586",
                "LA2V6KMCGYMWWVEW64RNP3JA3IAAAAAAHTSG4HRZPI",
                1581064020,
                "oactmacq",
            ),
            (
                "7586",
                "LA2V6KMCGYMWWVEW64RNP3JA3IAAAAAAHTSG4HRZPI",
                1581090810,
                "wemdwrix",
            ),
            (
                "5210481216086702",
                "JBGSAU4G7IEZG6OY4UAXX62JU4AAAAAAHTSG4HXU3M",
                1581091469,
                "dfrpywob",
            ),
            (
                "5210481216086702",
                "JBGSAU4G7IEZG6OY4UAXX62JU4AAAAAAHTSG4HXU3M",
                1581093059,
                "vunyprpd",
            ),
        ] {
            let otp = with_pin(
                OtpKind::Yandex { period: 30 },
                Secret::from_base32(secret).unwrap(),
                pin,
            );
            assert_eq!(
                otp.secret().len(),
                16,
                "the checksummed form is cut to 16 bytes"
            );
            assert_eq!(otp.code_at(time).as_str(), expected, "{secret} at {time}");
            // The 16-byte form a QR code carries gives the same codes.
            let short = with_pin(
                OtpKind::Yandex { period: 30 },
                Secret::from_base32(&secret[..26]).unwrap(),
                pin,
            );
            assert_eq!(short.code_at(time).as_str(), expected);
        }
    }

    /// The vectors of Aegis's `MOTPTest` and Stratum's `MobileOtpTest`.
    #[test]
    fn motp_codes_match_the_public_vectors() {
        for (pin, secret, time, expected) in [
            ("1234", "e3152afee62599c8", 165892298, "e7d8b6"),
            ("1234", "e3152afee62599c8", 123456789, "4ebfb2"),
            ("9999", "bbb1912bb5c515be", 1659540020, "ced7b1"),
            ("9999", "bbb1912bb5c515be", 1659540022, "ced7b1"),
            ("9999", "bbb1912bb5c515be", 1659539870, "1a14f8"),
            ("9999", "bbb1912bb5c515be", 1659539878, "1a14f8"),
            ("5555", "7ac61d4736f51a2b", 0, "c42a26"),
            ("5555", "7ac61d4736f51a2b", 1_000_000_000, "4af383"),
        ] {
            let secret = Secret::from_hex(secret).unwrap();
            let pin = Secret::from_bytes(pin.as_bytes().to_vec()).unwrap();
            let otp = Otp::with_pin(
                OtpKind::Motp { period: 10 },
                Algorithm::Sha1,
                6,
                secret,
                pin,
            )
            .unwrap();
            assert_eq!(otp.code_at(time).as_str(), expected, "at {time}");
        }
    }

    #[test]
    fn seconds_left_counts_down_to_one() {
        let otp = Otp::new(
            OtpKind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
            Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
        )
        .unwrap();
        assert_eq!(otp.codes_at(60).seconds_left, Some(30));
        assert_eq!(otp.codes_at(89).seconds_left, Some(1));
        assert_eq!(otp.codes_at(89).next, otp.codes_at(90).current);
        assert_eq!(otp.code_at(89), otp.codes_at(89).current);
        assert_ne!(otp.codes_at(89).current, otp.codes_at(90).current);
    }
}
