//! Code generation through totp-rs.
//!
//! totp-rs computes the HMAC and the dynamic truncation of RFC 4226. Tessera drives it with a
//! step of one and passes the moving factor itself (the counter for HOTP, `time / period` for TOTP
//! and Steam), so one path serves all three kinds. totp-rs stops at 9 digits because `10^10` does
//! not fit its `u32`; for 10 digits we take its HMAC and truncate here (the 31-bit value is always
//! below `10^10`, so the code is that value, zero-padded).

use std::fmt;

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
