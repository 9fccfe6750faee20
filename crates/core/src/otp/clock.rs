//! Checking the device's clock without a network: the user types the code another device (or
//! the service's own page) shows right now for the same account, and the offset whose code
//! matches tells how far off this clock is.

use super::params::Otp;

/// How far the clock check looks either way: 15 minutes covers time-zone-free drift and a clock
/// set by hand; beyond that a code could match by chance more often than once in ten thousand.
pub const CLOCK_CHECK_WINDOW_SECS: u64 = 15 * 60;

/// The correction, in seconds, to add to `unix_time` so that this account's code is `code`:
/// `Some(0)` when the clocks agree (to the period), `Some(120)` when this device is 2 minutes
/// behind, `Some(-120)` when it is ahead. The nearest matching period within `window` seconds
/// wins. `None` when no period matches, and for HOTP accounts (no clock involved).
pub fn clock_offset(otp: &Otp, code: &str, unix_time: u64, window: u64) -> Option<i64> {
    // HOTP has no period, and no clock.
    let period = u64::from(otp.kind().period()?);
    let typed: String = code
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if typed.is_empty() {
        return None;
    }
    let matches = |shift: i64| {
        let time = unix_time.checked_add_signed(shift)?;
        (otp.code_at(time).as_str().to_ascii_uppercase() == typed).then_some(shift)
    };
    let steps = (window / period) as i64;
    let period = period as i64;
    (0..=steps).find_map(|k| matches(k * period).or_else(|| matches(-k * period)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Algorithm, OtpKind, Secret};

    fn totp(period: u32) -> Otp {
        let secret = Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
        Otp::new(OtpKind::Totp { period }, Algorithm::Sha1, 6, secret).unwrap()
    }

    #[test]
    fn finds_how_far_ahead_or_behind_the_clock_is() {
        let otp = totp(30);
        let now = 1_800_000_015;
        // The other device's clock is right; this one is 2 minutes behind, then ahead.
        let right = otp.code_at(now + 120);
        assert_eq!(clock_offset(&otp, right.as_str(), now, 900), Some(120));
        let right = otp.code_at(now - 120);
        assert_eq!(clock_offset(&otp, right.as_str(), now, 900), Some(-120));
        // Agreeing clocks, and the code typed grouped ("123 456").
        let same = otp.codes_at(now).current.grouped();
        assert_eq!(clock_offset(&otp, &same, now, 900), Some(0));
        // Outside the window, or a code of no period: nothing.
        let far = otp.code_at(now + 3600);
        assert_eq!(clock_offset(&otp, far.as_str(), now, 900), None);
        assert_eq!(clock_offset(&otp, "", now, 900), None);
        assert_eq!(clock_offset(&otp, "abc", now, 900), None);
    }

    #[test]
    fn hotp_has_no_clock_and_the_start_of_time_is_not_crossed() {
        let secret = Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
        let hotp = Otp::new(OtpKind::Hotp { counter: 1 }, Algorithm::Sha1, 6, secret).unwrap();
        assert_eq!(clock_offset(&hotp, "755224", 59, 900), None);
        let otp = totp(30);
        let code = otp.code_at(0);
        assert_eq!(clock_offset(&otp, code.as_str(), 10, 900), Some(0));
        assert_eq!(
            clock_offset(&otp, otp.code_at(600).as_str(), 10, 900),
            Some(600)
        );
    }
}
